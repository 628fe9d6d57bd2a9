"""Tổng hợp tình hình thực hiện: the leaders' and the office's dashboard, and the reads behind it.

Only people who see every department open it (office, leaders, inspectors, administrators);
anyone else gets a 404, as with the department overview. Every figure is the standard table of
tracker/statistics.py for a month, a quarter or a year: the period's tasks, each in its bucket as
of the period's end, or as of today while the period is still running. Every figure links to the
department pages' list of exactly those tasks (``ky_tu``/``ky_den``: see ``Scope.list_url``).

Departments are ranked by the on-time rate over their tasks with a deadline; beside it stands
the ranking by the scores and grades of Nghị định 335 (tracker/scoring.py): published if the
period was closed, live otherwise.

Queries per page, whatever the number of tasks, directives, departments or indicators
(tests/test_dashboard.py counts them):
    3  the session, the user, the user's role groups (middleware and the permission check)
    2  the newest directives and the departments: the filters' choices, the ranking (and
       one more for a chosen directive older than those)
    8  the figures (``count``): kept ones looked for (tracker/figures.py), then the standard
       table for the period, for the previous period and against the original due date, a
       row per department, the overdue tasks by age, the directives' progress; when kept
       figures are fresh, that one look is all. Then the directives of the progress table.
    2  the indicators, then their values in the period
    6  the scores of Nghị định 335 (tracker/scoring.py): the recorded period, the rule set,
       kept counts looked for, the scoring facts, the standard table per department (those
       two not when kept), the departments (and one more, the general scores, once the office
       has opened the period; a closed period reads its published results instead: the
       period, the results)
    2  the header (base.html): the user's department, the unread notifications
    3  the session saved again (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release)
   26 in all (18 with fresh kept figures). The Excel report: the first 5, its 3 own
   (tracker/reports.py) and the last 3: 11.

City-wide figures that take long to count are kept for a few minutes (tracker/figures.py);
the page then says when they were computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Department, User

from . import deadlines, figures, reports, scoring, statistics, timeliness
from .directives import search_directives
from .models import Directive, Indicator, IndicatorValue, PeriodKind, Task
from .statistics import Table
from .timeliness import Bucket

# --- The period ------------------------------------------------------------------------------

MONTH, QUARTER, YEAR = "thang", "quy", "nam"
KINDS = {MONTH: gettext_lazy("Tháng"), QUARTER: gettext_lazy("Quý"), YEAR: gettext_lazy("Năm")}
EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year: ``Period("thang", 2025, 12)`` is December 2025."""

    kind: str
    year: int
    number: int = 1  # the month (1–12) or the quarter (1–4); 1 for a year

    @property
    def start(self) -> dt.date:
        if self.kind == MONTH:
            return dt.date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.kind == MONTH:
            return deadlines.month_end(self.year, self.number)
        if self.kind == QUARTER:
            return deadlines.quarter_end(self.year, self.number)
        return dt.date(self.year, 12, 31)

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative), of the same kind."""
        if self.kind == YEAR:
            return replace(self, year=self.year + steps)
        size = 12 if self.kind == MONTH else 4
        index = self.year * size + self.number - 1 + steps
        return replace(self, year=index // size, number=index % size + 1)

    @property
    def name(self) -> str:
        """As a report title writes it: "tháng 12/2025", "quý IV/2025", "năm 2025"."""
        if self.kind == MONTH:
            return _("tháng %(month)02d/%(year)d") % {"month": self.number, "year": self.year}
        if self.kind == QUARTER:
            roman = deadlines.QUARTER_ROMAN[self.number]
            return _("quý %(quarter)s/%(year)d") % {"quarter": roman, "year": self.year}
        return _("năm %(year)d") % {"year": self.year}

    @property
    def title(self) -> str:
        return self.name[:1].upper() + self.name[1:]

    @property
    def since_previous(self) -> str:
        return {
            MONTH: _("so với tháng trước"),
            QUARTER: _("so với quý trước"),
            YEAR: _("so với năm trước"),
        }[self.kind]

    def query(self) -> dict[str, Any]:
        """The GET parameters that select this period."""
        if self.kind == YEAR:
            return {"ky": self.kind, "nam": self.year}
        return {"ky": self.kind, "nam": self.year, "so": self.number}


def current_period(today: dt.date) -> Period:
    return Period(MONTH, today.year, today.month)


def _number(raw: str) -> int | None:
    """A whole number typed in ASCII digits, or None ("²" and "١" are digits to Python)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None


def _shown(value: str) -> str:
    return value if len(value) <= 20 else value[:19] + "…"


def read_period(params: QueryDict, today: dt.date) -> tuple[Period, list[str]]:
    """The period asked for, or the current month with the reasons it could not be used."""
    default = current_period(today)
    errors: list[str] = []
    kind = (params.get("ky") or MONTH).strip().lower()
    if kind not in KINDS:
        errors.append(
            _("Loại kỳ “%(value)s” không hợp lệ: chọn tháng, quý hoặc năm.")
            % {"value": _shown(kind)}
        )
        kind = MONTH
    year = today.year
    raw_year = (params.get("nam") or "").strip()
    if raw_year:
        if EARLIEST_YEAR <= (_number(raw_year) or 0) <= today.year:
            year = int(raw_year)
        else:
            errors.append(
                _("Năm “%(value)s” không hợp lệ: nhập năm từ %(first)d đến %(last)d.")
                % {"value": _shown(raw_year), "first": EARLIEST_YEAR, "last": today.year}
            )
    number = 1
    raw_number = (params.get("so") or "").strip().upper()
    if kind == MONTH:
        number = today.month
        if raw_number:
            if 1 <= (_number(raw_number) or 0) <= 12:
                number = int(raw_number)
            else:
                errors.append(
                    _("Tháng “%(value)s” không hợp lệ: chọn từ 1 đến 12.")
                    % {"value": _shown(raw_number)}
                )
    elif kind == QUARTER:
        number = (today.month - 1) // 3 + 1
        if raw_number:
            if raw_number in deadlines.ROMAN_QUARTERS:
                number = deadlines.ROMAN_QUARTERS[raw_number]
            elif 1 <= (_number(raw_number) or 0) <= 4:
                number = int(raw_number)
            else:
                errors.append(
                    _("Quý “%(value)s” không hợp lệ: chọn từ 1 đến 4 (I đến IV).")
                    % {"value": _shown(raw_number)}
                )
    if errors:
        return default, errors
    period = Period(kind, year, number)
    if period.start > today:
        return default, [
            _("Kỳ %(period)s chưa bắt đầu, chưa có số liệu.") % {"period": period.name}
        ]
    return period, []


def _read_choice(params: QueryDict, key: str, choices: dict[int, Any], message: str) -> Any:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None, None
    if _number(raw) in choices:
        return choices[int(raw)], None
    return None, message


# --- What the figures cover, and the list behind each of them -------------------------------

# The buckets behind each column of the standard table, as the home list's ``tien_do`` values.
COLUMN_BUCKETS: dict[str, tuple[Bucket, ...]] = {
    "total": (),
    "done_on_time": (Bucket.DONE_ON_TIME,),
    "done_late": (Bucket.DONE_LATE,),
    "done_no_deadline": (Bucket.DONE_NO_DEADLINE,),
    "open_in_time": statistics.IN_TIME,
    "open_overdue": (Bucket.OVERDUE,),
    "open_no_deadline": (Bucket.NO_DEADLINE,),
    "finished": timeliness.FINISHED,
    "unfinished": timeliness.UNFINISHED,
    "late": (Bucket.DONE_LATE, Bucket.OVERDUE),
    "with_deadline": (
        Bucket.DONE_ON_TIME,
        Bucket.DONE_LATE,
        Bucket.IN_TIME,
        Bucket.DUE_SOON,
        Bucket.OVERDUE,
    ),
}
# The columns a chart shows, in the order agencies report them, with their colour.
BUCKET_COLUMNS = (
    ("done_on_time", gettext_lazy("Hoàn thành đúng hạn"), Bucket.DONE_ON_TIME),
    ("done_late", gettext_lazy("Hoàn thành quá hạn"), Bucket.DONE_LATE),
    ("done_no_deadline", gettext_lazy("Hoàn thành (không hạn)"), Bucket.DONE_NO_DEADLINE),
    ("open_in_time", gettext_lazy("Chưa hoàn thành, trong hạn"), Bucket.IN_TIME),
    ("open_overdue", gettext_lazy("Chưa hoàn thành, quá hạn"), Bucket.OVERDUE),
    ("open_no_deadline", gettext_lazy("Chưa hoàn thành, không hạn"), Bucket.NO_DEADLINE),
)
# A department's tasks with a deadline, the base of its on-time rate.
DEADLINE_COLUMNS = ("done_on_time", "done_late", "open_in_time", "open_overdue")


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Scope:
    """The period and filters the figures are for. ``end`` is the day buckets are counted as
    of: the period's last day, or today while the period runs."""

    period: Period
    start: dt.date
    end: dt.date
    directive: Directive | None = None
    department: Department | None = None

    @classmethod
    def of(cls, period: Period, today: dt.date, **filters: Any) -> Scope:
        return cls(period, period.start, min(period.end, today), **filters)

    @property
    def running(self) -> bool:
        return self.end < self.period.end

    def previous(self) -> Scope:
        before = self.period.shifted(-1)
        return replace(self, period=before, start=before.start, end=before.end)

    def filter(self, tasks: QuerySet[Task]) -> QuerySet[Task]:
        if self.directive is not None:
            tasks = tasks.filter(directive=self.directive)
        if self.department is not None:
            tasks = tasks.filter(lead_department=self.department)
        return tasks

    def query(self, **extra: Any) -> str:
        """The dashboard's own parameters (period and filters), for links and the Excel."""
        params: dict[str, Any] = dict(self.period.query())
        if self.directive is not None:
            params["van_ban"] = self.directive.pk
        if self.department is not None:
            params["don_vi"] = self.department.pk
        params.update(extra)
        return urlencode(params)

    def list_url(
        self,
        column: str = "total",
        *,
        against: str = "current",
        department: int | None = None,
        directive: int | None = None,
        **extra: Any,
    ) -> str:
        """The home list of the tasks behind a figure: the period's tasks (``ky_tu``,
        ``ky_den``, buckets as of ``ky_den``), the filters, and the column's buckets."""
        params: list[tuple[str, Any]] = []
        directive = directive or (self.directive.pk if self.directive else None)
        department = department or (self.department.pk if self.department else None)
        if directive:
            params.append(("van_ban", directive))
        if department:
            params.append(("don_vi", department))
        params += [("tien_do", bucket.value) for bucket in COLUMN_BUCKETS[column]]
        if against == "original":
            params.append(("theo_han", "ban_dau"))
        params += list(extra.items())
        return self._list_base + ("&" + urlencode(params, safe="/") if params else "")

    @cached_property
    def _list_base(self) -> str:
        # A ranking of every department links some 1,500 figures: the common part is
        # encoded once (it cost 100 ms a page).
        period = [("ky_tu", day(self.start)), ("ky_den", day(self.end))]
        return reverse("portal:home") + "?" + urlencode(period, safe="/")


# --- The counts ------------------------------------------------------------------------------

DIRECTIVE_ROWS = 30


@dataclass
class Counted:
    """The period's figures, counted for this page or kept (tracker/figures.py)."""

    current: Table
    previous: Table
    original: Table  # the period, against the original due dates
    by_department: dict[int, Table]
    ages: dict[str, int]  # open overdue tasks by days overdue (statistics.OVERDUE_AGES)
    by_directive: dict[int, Table]  # the DIRECTIVE_ROWS worst directives only
    directive_more: int  # directives with tasks in the period beyond those
    computed_at: dt.datetime | None = None  # when kept figures were computed

    @classmethod
    def of(cls, read: figures.Read) -> Counted:
        value = read.value
        return cls(
            current=Table(**value["current"]),
            previous=Table(**value["previous"]),
            original=Table(**value["original"]),
            by_department={pk: Table(**table) for pk, table in value["by_department"]},
            ages=value["ages"],
            by_directive={pk: Table(**table) for pk, table in value["by_directive"]},
            directive_more=value["directive_more"],
            computed_at=read.computed_at,
        )


def count(tasks: QuerySet[Task], scope: Scope) -> dict[str, Any]:
    """Every figure of the page, as plain data (6 queries).

    Directive progress keeps at most DIRECTIVE_ROWS directives: those with the most overdue
    tasks, then the most tasks. A city with thousands of directives in a period cannot read a
    row for each; the others are counted below the table, and each directive's page has its
    own figures."""
    before = scope.previous()
    by_directive = statistics.table_by(tasks, scope.start, scope.end, group="directive")
    worst = sorted(
        by_directive, key=lambda pk: (-by_directive[pk].open_overdue, -by_directive[pk].total, pk)
    )[:DIRECTIVE_ROWS]
    by_department = statistics.table_by(tasks, scope.start, scope.end)
    return {
        "current": asdict(statistics.table(tasks, scope.start, scope.end)),
        "previous": asdict(statistics.table(tasks, before.start, before.end)),
        "original": asdict(statistics.table(tasks, scope.start, scope.end, against="original")),
        "by_department": [[pk, asdict(table)] for pk, table in by_department.items()],
        "ages": statistics.overdue_ages(
            statistics.in_period(tasks, scope.start, scope.end), scope.end
        ),
        "by_directive": [[pk, asdict(by_directive[pk])] for pk in worst],
        "directive_more": len(by_directive) - len(worst),
    }


def _params(period: Period) -> dict[str, Any]:
    return {"kind": period.kind, "year": period.year, "number": period.number}


def _first_read(today: dt.date) -> list[dict[str, Any]]:
    """The periods the page opens on or offers first: this month, quarter and year."""
    return [
        _params(Period(MONTH, today.year, today.month)),
        _params(Period(QUARTER, today.year, (today.month - 1) // 3 + 1)),
        _params(Period(YEAR, today.year)),
    ]


@figures.kind("dashboard", warm=_first_read)
def _count_city(params: dict[str, Any]) -> dict[str, Any]:
    """The whole city's figures (for the worker: tracker/figures.py)."""
    period = Period(params["kind"], params["year"], params["number"])
    return count(Task.objects.all(), Scope.of(period, timeliness.today()))


def counted(tasks: QuerySet[Task], scope: Scope) -> Counted:
    """The page's figures: kept ones for the whole city unfiltered (1 query when fresh, and
    1 to look for them), counted otherwise (6 queries). Only city-wide roles open the page
    (``_check``), so their unfiltered tasks are the whole city's."""
    keep = scope.directive is None and scope.department is None
    read = figures.read("dashboard", _params(scope.period), lambda: count(tasks, scope), keep=keep)
    return Counted.of(read)


# --- The reads -------------------------------------------------------------------------------


def width(part: int | Decimal, whole: int | Decimal) -> str:
    """A bar's width in percent, for a style attribute (never localised: "42.9")."""
    if whole <= 0:
        return "0"
    share = Decimal(100) * Decimal(part) / Decimal(whole)
    return f"{max(Decimal(0), min(Decimal(100), share)):.1f}"


def change(now: int, before: int, since: str) -> str:
    """ "+3 so với tháng trước", "−2 so với quý trước", "không đổi so với năm trước"."""
    difference = now - before
    if difference == 0:
        return _("không đổi %(since)s") % {"since": since}
    sign = "+" if difference > 0 else "−"
    return f"{sign}{abs(difference)} {since}"


def rate_change(now: Decimal | None, before: Decimal | None, since: str) -> str:
    if now is None or before is None:
        return ""
    difference = now - before
    if difference == 0:
        return _("không đổi %(since)s") % {"since": since}
    sign = "+" if difference > 0 else "−"
    points = formats.number_format(abs(difference), decimal_pos=1)
    return _("%(sign)s%(points)s điểm %% %(since)s") % {
        "sign": sign,
        "points": points,
        "since": since,
    }


@dataclass
class Totals:
    current: Table
    previous: Table
    original: Table
    bars: list[dict[str, Any]] = field(default_factory=list)
    rates: list[dict[str, Any]] = field(default_factory=list)


def totals(counted: Counted, scope: Scope) -> Totals:
    """The standard table for the period and the previous one."""
    before = scope.previous()
    result = Totals(current=counted.current, previous=counted.previous, original=counted.original)
    since = scope.period.since_previous
    now, then = result.current, result.previous
    for column, label, bucket in BUCKET_COLUMNS:
        count, previous = getattr(now, column), getattr(then, column)
        result.bars.append(
            {
                "label": label,
                "count": count,
                "url": scope.list_url(column),
                "share": statistics.percent(count, now.total),
                "width": width(count, now.total),
                "colour": timeliness.COLOURS[bucket],
                "change": change(count, previous, since),
                "previous": previous,
                "previous_url": before.list_url(column),
            }
        )
    for against, table, previous_table in (
        ("current", now, then),
        ("original", result.original, None),
    ):
        result.rates.append(
            {
                "against": against,
                "label": _("Theo hạn hiện tại") if against == "current" else _("Theo hạn ban đầu"),
                "done_on_time": table.done_on_time,
                "done_on_time_url": scope.list_url("done_on_time", against=against),
                "total": table.total,
                "total_url": scope.list_url("total", against=against),
                "with_deadline": table.with_deadline,
                "with_deadline_url": scope.list_url("with_deadline", against=against),
                "rate": table.on_time_rate,
                "rate_with_deadline": table.on_time_rate_with_deadline,
                "width": width(table.done_on_time, table.with_deadline),
                "change": rate_change(
                    table.on_time_rate_with_deadline,
                    previous_table.on_time_rate_with_deadline,
                    since,
                )
                if previous_table is not None
                else "",
            }
        )
    return result


def _sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
    rate = row["table"].on_time_rate_with_deadline
    return (rate is None, -(rate or 0), -row["table"].with_deadline, row["department"].name)


def ranking(
    counted: Counted, scope: Scope, departments: list[Department]
) -> tuple[list[dict[str, Any]], list[Department]]:
    """Departments by on-time rate over their tasks with a deadline, best first; those with
    only undated tasks after them, unranked. Returns the rows and the departments without
    tasks in the period, which the page lists last."""
    tables = counted.by_department
    by_id = {d.pk: d for d in departments}
    rows = [
        {"department": by_id[pk], "table": table}
        for pk, table in tables.items()
        if pk in by_id  # always true: every lead department is in the list
    ]
    rows.sort(key=_sort_key)
    previous_rate: Decimal | None = None
    for position, row in enumerate(rows, start=1):
        table: Table = row["table"]
        rate = table.on_time_rate_with_deadline
        if rate is None:
            row["rank"] = None
        elif rate == previous_rate:
            row["rank"] = rows[position - 2]["rank"]  # ties share a rank: 1, 2, 2, 4
        else:
            row["rank"] = position
        previous_rate = rate
        pk = row["department"].pk
        row["rate"] = rate
        row["total_url"] = scope.list_url(department=pk)
        row["with_deadline_url"] = scope.list_url("with_deadline", department=pk)
        row["cells"] = [
            {
                "column": column,
                "label": label,
                "count": getattr(table, column),
                "url": scope.list_url(column, department=pk),
            }
            for column, label, _bucket in BUCKET_COLUMNS
        ]
        row["segments"] = [
            {
                "label": label,
                "count": getattr(table, column),
                "width": width(getattr(table, column), table.with_deadline),
                "colour": timeliness.COLOURS[bucket],
            }
            for column, label, bucket in BUCKET_COLUMNS
            if column in DEADLINE_COLUMNS and getattr(table, column)
        ]
    if scope.department is not None:
        candidates = [scope.department]
    else:
        candidates = [d for d in departments if d.is_active]
    idle = [d for d in candidates if d.pk not in tables]
    return rows, idle


def overdue_by_age(counted: Counted, scope: Scope) -> list[dict[str, Any]]:
    """The period's overdue tasks by days overdue as of its end."""
    ages = counted.ages
    total = sum(ages.values())
    rows = []
    for low, high in statistics.OVERDUE_AGES:
        key = f"{low}-{high}" if high else f">{low - 1}"
        count = ages[key]
        # Overdue by ``low`` to ``high`` days as of the end: due between end − high and end − low.
        newest = scope.end - dt.timedelta(days=low)
        extra = {"han_den": day(newest)}
        if high is not None:
            extra = {"han_tu": day(scope.end - dt.timedelta(days=high)), **extra}
            label = _("Từ %(low)d đến %(high)d ngày") % {"low": low, "high": high}
        else:
            label = _("Trên %(days)d ngày") % {"days": low - 1}
        rows.append(
            {
                "label": label,
                "count": count,
                "url": scope.list_url("open_overdue", **extra),
                "width": width(count, total),
            }
        )
    return rows


def directive_progress(counted: Counted, scope: Scope) -> tuple[list[dict[str, Any]], int]:
    """The worst directives' tasks in the period, rolled up, in the directives' order, and how
    many more directives had tasks in it (``count`` chooses them). 1 query: the directives."""
    tables = counted.by_directive
    directives = Directive.objects.filter(pk__in=list(tables))
    rows = []
    for directive in directives:
        table = tables.get(directive.pk)
        if table is None:
            continue
        pk = directive.pk
        rows.append(
            {
                "directive": directive,
                "table": table,
                "finished_url": scope.list_url("finished", directive=pk),
                "total_url": scope.list_url(directive=pk),
                "done_on_time_url": scope.list_url("done_on_time", directive=pk),
                "overdue_url": scope.list_url("open_overdue", directive=pk),
                "completion": table.completion_rate,
                "segments": [
                    {
                        "label": label,
                        "count": getattr(table, column),
                        "width": width(getattr(table, column), table.total),
                        "colour": timeliness.COLOURS[bucket],
                    }
                    for column, label, bucket in BUCKET_COLUMNS
                    if getattr(table, column)
                ],
            }
        )
    return rows, counted.directive_more


def plain(value: Decimal) -> Decimal:
    """13.2000 → 13.2, 100.0000 → 100 (never 1E+2)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def indicators(scope: Scope) -> list[dict[str, Any]]:
    """Indicators running in the period with their values for periods overlapping it
    (2 queries, always: the indicators, then their values)."""
    found = Indicator.objects.filter(start_date__lte=scope.end, end_date__gte=scope.start)
    if scope.directive is not None:
        found = found.filter(directive=scope.directive)
    if scope.department is not None:
        found = found.filter(department=scope.department)
    values: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(  # 1 query, even with no indicator
        indicator__in=found.values("pk"),
        period_start__lte=scope.end,
        period_end__gte=scope.start,
    ).order_by("period_start"):
        values.setdefault(value.indicator_id, []).append(value)
    found = found.select_related("department").annotate(task_count=Count("tasks", distinct=True))
    rows = []
    for indicator in found:  # 1 query
        target, stretch = indicator.target, indicator.stretch_target
        entries = []
        for value in values.get(indicator.pk, []):
            value.indicator = indicator  # meets_target reads it: no query
            actual = value.actual
            if stretch is not None and (
                actual >= stretch if indicator.higher_is_better else actual <= stretch
            ):
                verdict, css = _("Đạt mức phấn đấu"), "done"
            elif value.meets_target:
                verdict, css = _("Đạt chỉ tiêu"), "met"
            else:
                verdict, css = _("Chưa đạt"), "missed"
            scale = max(x for x in (target, stretch, actual, Decimal(0)) if x is not None)
            entries.append(
                {
                    "value": value,
                    "actual": plain(actual),
                    "verdict": verdict,
                    "css": css,
                    "width": width(actual, scale),
                    "target_at": width(target, scale),
                    "stretch_at": width(stretch, scale) if stretch is not None else None,
                }
            )
        rows.append(
            {
                "indicator": indicator,
                "sign": "≥" if indicator.higher_is_better else "≤",
                "target": plain(target),
                "stretch": plain(stretch) if stretch is not None else None,
                "values": entries,
                "tasks_url": reverse("portal:home") + "?" + urlencode({"chi_tieu": indicator.pk}),
            }
        )
    return rows


# --- The views -------------------------------------------------------------------------------


SCORING_KINDS = {MONTH: PeriodKind.MONTH, QUARTER: PeriodKind.QUARTER, YEAR: PeriodKind.YEAR}


def scores(scope: Scope) -> dict[str, Any]:
    """The Nghị định 335 ranking of the period, each count linked to its tasks.

    A department is rated on all its tasks: the directive and department filters of the page
    do not apply here, and so its links do not carry them either."""
    period = scoring.period_for(SCORING_KINDS[scope.period.kind], scope.period.start)
    scope = replace(scope, directive=None, department=None)
    rows = []
    for score in scoring.ranking(period):
        department = score.department.pk
        rows.append(
            {
                "score": score,
                "total_url": scope.list_url(department=department),
                "on_time_url": scope.list_url("done_on_time", department=department),
                "late_url": scope.list_url("late", department=department),
            }
        )
    return {"period": period, "rows": rows}


def _check(user: User) -> None:
    if not user.sees_every_department:
        raise Http404


@dataclass
class Asked:
    """The period and filters read from the query string, with what was wrong in it."""

    scope: Scope
    errors: list[str]
    directive_options: list[Directive]  # the newest, and the chosen one if older
    directive_options_more: bool
    departments: list[Department]


def _read_directive(
    params: QueryDict, visible: QuerySet[Directive], newest: list[Directive]
) -> tuple[Directive | None, str | None]:
    """The chosen directive: among the newest read already, else looked up (1 query)."""
    raw = (params.get("van_ban") or "").strip()
    if not raw:
        return None, None
    pk = _number(raw)
    found = next((d for d in newest if d.pk == pk), None)
    if found is None and pk is not None:
        found = visible.filter(pk=pk).first()
    if found is None:
        return None, _("Không tìm thấy văn bản chỉ đạo đã chọn: đang hiển thị mọi văn bản.")
    return found, None


def read_request(request: HttpRequest) -> Asked:
    """Read the period and filters (2 queries: the newest directives and the departments to
    choose from; 1 more for a chosen directive older than those).

    A city has thousands of directives: the page offers the newest and finds others by search
    (portal:directive_options), as the department pages do; reading them all took 130 ms at a
    million tasks."""
    today = timeliness.today()
    period, errors = read_period(request.GET, today)
    if errors:
        errors.append(_("Đang hiển thị %(period)s.") % {"period": current_period(today).name})
    visible = Directive.objects.visible_to(request.user)
    newest, more = search_directives(visible, "")  # 1 query
    departments = list(Department.objects.order_by("name"))  # 1 query
    directive, problem = _read_directive(request.GET, visible, newest)
    if problem:
        errors.append(problem)
    department, problem = _read_choice(
        request.GET,
        "don_vi",
        {d.pk: d for d in departments},
        _("Không tìm thấy đơn vị đã chọn: đang hiển thị mọi đơn vị."),
    )
    if problem:
        errors.append(problem)
    scope = Scope.of(period, today, directive=directive, department=department)
    if directive is not None and directive not in newest:
        newest = [*newest, directive]
    return Asked(scope, errors, newest, more, departments)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Tổng hợp tình hình thực hiện for a month, a quarter or a year."""
    _check(request.user)
    asked = read_request(request)
    scope = asked.scope
    tasks = scope.filter(Task.objects.visible_to(request.user))
    figures_read = counted(tasks, scope)
    summary = totals(figures_read, scope)
    rows, idle = ranking(figures_read, scope, asked.departments)
    progress, progress_more = directive_progress(figures_read, scope)
    today = timeliness.today()
    later = scope.period.shifted(1)
    context = {
        "scope": scope,
        "period": scope.period,
        "errors": asked.errors,
        "kinds": KINDS,
        "months": range(1, 13),
        "years": range(today.year, EARLIEST_YEAR - 1, -1),
        "directive_options": asked.directive_options,
        "directive_options_more": asked.directive_options_more,
        "directive_chosen": scope.directive.pk if scope.directive else None,
        "departments": asked.departments,
        "previous_query": scope.query(**scope.period.shifted(-1).query()),
        "next_query": scope.query(**later.query()) if later.start <= today else "",
        "this_month_query": scope.query(**current_period(today).query()),
        "report_url": reverse("portal:monthly_report") + "?" + scope.query(),
        "summary": summary,
        "total_url": scope.list_url(),
        "total_change": change(
            summary.current.total, summary.previous.total, scope.period.since_previous
        ),
        "previous_total_url": scope.previous().list_url(),
        "finished_url": scope.list_url("finished"),
        "due_in_period_url": scope.list_url(han_tu=day(scope.start), han_den=day(scope.end)),
        "ranking": rows,
        "idle": idle,
        "ages": overdue_by_age(figures_read, scope),
        "open_overdue_url": scope.list_url("open_overdue"),
        "progress": progress,
        "progress_more": progress_more,
        "indicators": indicators(scope),
        "scores": scores(scope),
        "computed_at": figures_read.computed_at,
        "figures_keep_minutes": max(1, round(figures.keep_for().total_seconds() / 60)),
        "columns": [label for _column, label, _bucket in BUCKET_COLUMNS],
        "overdue_colour": timeliness.COLOURS[Bucket.OVERDUE],
        "on_time_colour": timeliness.COLOURS[Bucket.DONE_ON_TIME],
    }
    return render(request, "portal/dashboard.html", context)


@login_required
@require_GET
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The period's report as an Excel file (tracker/reports.py)."""
    _check(request.user)
    asked = read_request(request)
    if asked.errors:
        # The page says what was wrong with the parameters; a file cannot.
        return redirect(reverse("portal:dashboard") + "?" + request.GET.urlencode())
    return reports.monthly_report_response(request.user, asked.scope, asked.departments)
