"""The monthly report (báo cáo tháng) as Excel: the standard table per department, and the list
of overdue tasks, for the dashboard's period and filters (tracker/dashboard.py).

Written with XlsxWriter's constant-memory mode, so memory stays flat however many tasks are
overdue: the overdue rows are read from the database in chunks and streamed to the file. Only tasks the
person may see are counted (``Task.objects.visible_to``). Queries: 2 (the table per department
against the current and the original due date) plus 1 for the overdue tasks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department, User

from . import statistics
from .exports import DATE_FORMAT, DIRECTIVE_FIELDS, WORKBOOK_OPTIONS, directive_label
from .models import Task, TaskState
from .statistics import Table
from .timeliness import Bucket

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .dashboard import Scope

RATE_FORMAT = "0.0"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SUMMARY_COLUMNS = [
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Đơn vị chủ trì"), 42),
    (gettext_lazy("Tổng số nhiệm vụ"), 11),
    (gettext_lazy("Hoàn thành đúng hạn"), 12),
    (gettext_lazy("Hoàn thành quá hạn"), 12),
    (gettext_lazy("Hoàn thành không hạn"), 12),
    (gettext_lazy("Chưa hoàn thành trong hạn"), 13),
    (gettext_lazy("Chưa hoàn thành quá hạn"), 13),
    (gettext_lazy("Chưa hoàn thành không hạn"), 13),
    (gettext_lazy("Tỷ lệ hoàn thành (%)"), 12),
    (gettext_lazy("Tỷ lệ đúng hạn trên tổng số (%)"), 14),
    (gettext_lazy("Tỷ lệ đúng hạn trên nhiệm vụ có hạn (%)"), 15),
    (gettext_lazy("Tỷ lệ đúng hạn theo hạn ban đầu (%)"), 15),
]
COUNTS = (
    "total",
    "done_on_time",
    "done_late",
    "done_no_deadline",
    "open_in_time",
    "open_overdue",
    "open_no_deadline",
)
OVERDUE_COLUMNS = [
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Văn bản chỉ đạo"), 24),
    (gettext_lazy("Số thứ tự trong văn bản"), 10),
    (gettext_lazy("Nội dung nhiệm vụ"), 60),
    (gettext_lazy("Cơ quan chủ trì"), 32),
    (gettext_lazy("Hạn hiện tại"), 12),
    (gettext_lazy("Hạn ban đầu"), 12),
    (gettext_lazy("Số ngày quá hạn"), 10),
    (gettext_lazy("Trạng thái"), 18),
    (gettext_lazy("Tiến độ (%)"), 9),
]
HEADER_ROW = 4  # title, subtitle, a blank row, then the headers

_BORDER_COLOUR = "#9CA3AF"
_HEADER_FILL = "#E5E7EB"


def title(scope: Scope) -> str:
    return _("Báo cáo tình hình thực hiện nhiệm vụ %(period)s") % {"period": scope.period.name}


def subtitle(scope: Scope) -> str:
    parts = [
        _("Số liệu tính đến hết ngày %(day)s; tiến độ tính theo hạn hiện tại")
        % {"day": scope.end.strftime("%d/%m/%Y")}
    ]
    if scope.directive is not None:
        parts.append(_("văn bản: %(directive)s") % {"directive": scope.directive})
    if scope.department is not None:
        parts.append(_("đơn vị: %(department)s") % {"department": scope.department})
    return "; ".join(parts) + "."


def filename(scope: Scope) -> str:
    period = scope.period
    if period.kind == "nam":
        return f"bao-cao-nam-{period.year}.xlsx"
    kind = "thang" if period.kind == "thang" else "quy"
    return f"bao-cao-{kind}-{period.number:02d}-{period.year}.xlsx"


def total_of(tables: Iterable[Table]) -> Table:
    """The sum of department rows: each task has exactly one lead department."""
    result = Table()
    for table in tables:
        for name in statistics.COLUMNS:
            setattr(result, name, getattr(result, name) + getattr(table, name))
    return result


# --- Writing ---------------------------------------------------------------------------------


class _Sheet:
    """One worksheet written row by row (XlsxWriter's constant-memory mode), with the
    report's formats."""

    def __init__(self, book: xlsxwriter.Workbook, name: str) -> None:
        self.sheet = book.add_worksheet(name)
        self.row = 0
        border = {"border": 1, "border_color": _BORDER_COLOUR}
        top = {**border, "valign": "top"}
        self.formats = {
            "title": book.add_format({"bold": True, "font_size": 14, "align": "center"}),
            "subtitle": book.add_format({"italic": True, "align": "center"}),
            "header": book.add_format(
                {
                    **border,
                    "bold": True,
                    "bg_color": _HEADER_FILL,
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                }
            ),  # fmt: skip
            "cell": book.add_format(border),
            "bold": book.add_format({**border, "bold": True}),
            "name": book.add_format({**border, "text_wrap": True}),
            "bold_name": book.add_format({**border, "bold": True, "text_wrap": True}),
            "rate": book.add_format({**border, "num_format": RATE_FORMAT}),
            "bold_rate": book.add_format({**border, "bold": True, "num_format": RATE_FORMAT}),
            "top": book.add_format(top),
            "wrap": book.add_format({**top, "text_wrap": True}),
            "date": book.add_format({**top, "num_format": DATE_FORMAT}),
        }

    def append(self, cells: list[tuple[Any, str]]) -> None:
        for column, (value, style) in enumerate(cells):
            self.sheet.write(self.row, column, value, self.formats[style])
        self.row += 1

    def start(self, columns: list[tuple[Any, int]], scope: Scope) -> None:
        """Widths, the title and subtitle across the table, and the header row."""
        for index, (_name, size) in enumerate(columns):
            self.sheet.set_column(index, index, size)
        last = len(columns) - 1
        self.sheet.merge_range(0, 0, 0, last, title(scope), self.formats["title"])
        self.sheet.merge_range(1, 0, 1, last, subtitle(scope), self.formats["subtitle"])
        self.sheet.freeze_panes(HEADER_ROW, 0)
        self.sheet.repeat_rows(HEADER_ROW - 1)
        self.row = HEADER_ROW - 1  # a blank row under the subtitle
        self.append([(str(name), "header") for name, _size in columns])


def _rates(table: Table, original: Table) -> list[Decimal | None]:
    return [
        table.completion_rate,
        table.on_time_rate,
        table.on_time_rate_with_deadline,
        original.on_time_rate_with_deadline,
    ]


def _summary_row(
    number: int | None, name: str, table: Table, original: Table
) -> list[tuple[Any, str]]:
    total = number is None  # the totals row is bold
    count = "bold" if total else "cell"
    cells = [(number, count), (name, "bold_name" if total else "name")]
    cells += [(getattr(table, c), count) for c in COUNTS]
    cells += [
        (float(rate) if rate is not None else None, "bold_rate" if total else "rate")
        for rate in _rates(table, original)
    ]
    return cells


def write_summary(
    sheet: _Sheet, tasks: QuerySet[Task], scope: Scope, departments: list[Department]
) -> None:
    """Sheet 1: a row per department with tasks in the period, by name, and the totals."""
    current = statistics.table_by(tasks, scope.start, scope.end)  # 1 query
    original = statistics.table_by(tasks, scope.start, scope.end, against="original")  # 1 query
    sheet.start(SUMMARY_COLUMNS, scope)
    number = 0
    for department in departments:
        table = current.get(department.pk)
        if table is None:
            continue
        number += 1
        against_original = original.get(department.pk, Table())
        sheet.append(_summary_row(number, department.name, table, against_original))
    sheet.append(
        _summary_row(None, _("Tổng cộng"), total_of(current.values()), total_of(original.values()))
    )


def overdue_tasks(tasks: QuerySet[Task], scope: Scope) -> Iterator[tuple]:
    """The period's tasks overdue as of its end, most overdue first, as plain values read in
    chunks (1 query)."""
    rows = (
        statistics.task_rows(tasks, scope.start, scope.end)
        .filter(_bucket=Bucket.OVERDUE)
        .order_by("due_date", "id")
        .values_list(
            *DIRECTIVE_FIELDS, "item_number", "content", "lead_department__name",
            "due_date", "original_due_date",
            "state", "submitted_at", "progress_percent",
        )
    )  # fmt: skip
    return rows.iterator(chunk_size=2000)


def write_overdue(sheet: _Sheet, tasks: QuerySet[Task], scope: Scope) -> None:
    """Sheet 2: every task overdue as of the period's end, with its days overdue."""
    sheet.start(OVERDUE_COLUMNS, scope)
    states = dict(TaskState.choices)
    for number, row in enumerate(overdue_tasks(tasks, scope), start=1):
        symbol, kind, issuer, issued, item, content, lead, due, original, state = row[:10]
        submitted, progress = row[10:]
        directive = directive_label(symbol, kind, issuer, issued)
        overdue = statistics.days_overdue(due, state, submitted, scope.end)
        sheet.append(
            [
                (number, "top"),
                (directive, "wrap"),
                (item, "top"),
                (content, "wrap"),
                (lead, "wrap"),
                (due, "date"),
                (original, "date"),
                (overdue, "top"),
                (str(states[state]), "top"),
                (progress, "top"),
            ]
        )


def write_report(path: Any, user: User, scope: Scope, departments: list[Department]) -> None:
    """Write the report to ``path`` (a file name or a binary file object).

    XlsxWriter in constant-memory mode, rows read as plain values: with openpyxl's write-only
    mode and a model per row the report of a month at a million tasks took over a minute."""
    tasks = scope.filter(Task.objects.visible_to(user))
    book = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    write_summary(_Sheet(book, _("Tổng hợp")), tasks, scope, departments)
    write_overdue(_Sheet(book, _("Nhiệm vụ quá hạn")), tasks, scope)
    book.close()


def monthly_report_response(
    user: User, scope: Scope, departments: list[Department]
) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_report(handle, user, scope, departments)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename(scope), content_type=CONTENT_TYPE
    )
