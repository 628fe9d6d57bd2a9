"""Scores and rankings of departments under Nghị định 335/2025/NĐ-CP (docs/scoring.md).

100 points: the general criteria the office enters (30 by default) and the task results (70):
quantity (the share of the period's tasks finished), quality (each finished task's share of the
quality points, less ``error_penalty`` per major error) and progress (each dated task's share of
the progress points, less ``delay_penalty`` for a delay unless an objective cause was confirmed).
Grades at 90, 70 and 50 points; "xuất sắc" for at most ``excellent_cap`` of those rated "tốt" or
better. The weights are a ScoringRules row the office may change.

The figures come from one query over the period's tasks (tracker/statistics.py decides which
tasks count and their buckets); the arithmetic below is plain Python on those rows, so a hand
computed table checks it (tests/test_scoring.py). Closing a period writes PeriodResult rows,
which later edits to tasks never change.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User

from . import deadlines, figures, statistics
from .errors import NotPermitted, WorkflowError
from .models import (
    Evaluation,
    EvaluationOutcome,
    GeneralCriteriaScore,
    Grade,
    PeriodKind,
    PeriodResult,
    ReportingPeriod,
    ScoringRules,
    Task,
)
from .statistics import Table
from .timeliness import Bucket

ON_SCHEDULE = (Bucket.DONE_ON_TIME, Bucket.IN_TIME, Bucket.DUE_SOON)
LATE = (Bucket.DONE_LATE, Bucket.OVERDUE)
FINISHED = (Bucket.DONE_ON_TIME, Bucket.DONE_LATE, Bucket.DONE_NO_DEADLINE)
UNDATED = (Bucket.DONE_NO_DEADLINE, Bucket.NO_DEADLINE)
TWO = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TaskFact:
    """What scoring needs to know of one task of the period."""

    department_id: int
    bucket: str
    major_errors: int = 0
    returns: int = 0
    objective_cause: bool = False
    count: int = 1  # tasks alike in all of the above: the database returns them grouped


def relevant(bucket: str, major_errors: int, returns: int, objective: bool) -> tuple:
    """A fact as scoring reads it: errors and returns count on finished tasks only, an
    objective cause on late ones only. Facts that differ elsewhere score the same, so they
    are grouped together."""
    finished = bucket in FINISHED
    return (
        bucket,
        major_errors if finished else 0,
        returns if finished else 0,
        bool(objective) if bucket in LATE else False,
    )


@dataclass
class DepartmentScore:
    department: Department
    table: Table
    general: Decimal
    general_entered: bool
    quantity: Decimal
    quality: Decimal
    progress: Decimal
    total: Decimal
    grade: str = ""
    capped: bool = False
    rank: int = 0
    head_name: str = ""
    facts: list[TaskFact] = field(default_factory=list, repr=False)

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label) if self.grade else ""


# --- Rules and periods -----------------------------------------------------------------------


def active_rules() -> ScoringRules:
    rules = ScoringRules.objects.filter(is_active=True).first()
    if rules is None:
        try:
            with transaction.atomic():
                ScoringRules.objects.create(name=_("Nghị định 335/2025/NĐ-CP (mặc định)"))
        except IntegrityError:
            pass  # created by a concurrent request
        # Read back: the defaults become Decimals only when they come from the database.
        rules = ScoringRules.objects.get(is_active=True)
    return rules


def _check_office(actor: User) -> None:
    if not actor.is_office:
        raise NotPermitted(_("Chỉ văn phòng theo dõi được chấm điểm và chốt kỳ."))


def rules_save(*, rules: ScoringRules, actor: User) -> ScoringRules:
    _check_office(actor)
    try:
        rules.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    with transaction.atomic():
        if rules.is_active:
            ScoringRules.objects.exclude(pk=rules.pk).filter(is_active=True).update(is_active=False)
        rules.save()
    return rules


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if kind == PeriodKind.MONTH:
        return day.replace(day=1), deadlines.month_end(day.year, day.month)
    if kind == PeriodKind.QUARTER:
        quarter = (day.month - 1) // 3 + 1
        return dt.date(day.year, quarter * 3 - 2, 1), deadlines.quarter_end(day.year, quarter)
    if kind == PeriodKind.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError(f"unknown period kind {kind!r}")


def period_open(*, kind: str, day: dt.date, actor: User) -> ReportingPeriod:
    """The period of that kind containing ``day``, created if needed."""
    _check_office(actor)
    start, end = period_bounds(kind, day)
    period, _created = ReportingPeriod.objects.get_or_create(
        kind=kind, start=start, defaults={"end": end}
    )
    return period


def general_score_set(
    *,
    period: ReportingPeriod,
    department: Department,
    points: Decimal,
    actor: User,
    note: str = "",
) -> GeneralCriteriaScore:
    """Chấm điểm tiêu chí chung. A closed period's scores no longer change."""
    _check_office(actor)
    rules = active_rules()
    if points < 0 or points > rules.general_points:
        raise WorkflowError(
            _("Điểm tiêu chí chung phải từ 0 đến %(max)s.") % {"max": rules.general_points},
            field="points",
        )
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_closed:
            raise WorkflowError(
                _("%(period)s đã chốt ngày %(day)s; kết quả không thể thay đổi.")
                % {
                    "period": locked,
                    "day": timezone.localtime(locked.closed_at).strftime("%d/%m/%Y"),
                },
                code="closed",
            )
        score, _created = GeneralCriteriaScore.objects.update_or_create(
            period=locked,
            department=department,
            defaults={
                "points": points,
                "note": note.strip(),
                "entered_by": actor,
                "entered_at": timezone.now(),
            },
        )
    return score


# --- Computing -------------------------------------------------------------------------------


def task_facts(
    tasks: QuerySet[Task], start: dt.date, end: dt.date, *, against: str = "current"
) -> list[TaskFact]:
    """One query: the period's tasks grouped by department, bucket, errors, returns and cause.

    Grouped in the database: one row per task meant 700,000 rows into Python for a month's
    dashboard at a million tasks (bench/README.md, "Performance"). The evaluation subqueries
    run only where scoring reads them (CASE does not evaluate the branches it skips)."""
    accepted = Evaluation.objects.filter(
        task=OuterRef("pk"), outcome=EvaluationOutcome.ACCEPTED
    ).order_by("-evaluated_at", "-id")
    returns = (
        Evaluation.objects.filter(task=OuterRef("pk"), outcome=EvaluationOutcome.RETURNED)
        .order_by()
        .values("task")
        .annotate(n=Count("id"))
        .values("n")
    )
    finished = Q(_bucket__in=FINISHED)
    rows = (
        statistics.task_rows(tasks, start, end, against=against)
        .annotate(
            _errors=Case(
                When(
                    finished,
                    then=Coalesce(Subquery(accepted.values("major_error_count")[:1]), Value(0)),
                ),
                default=Value(0),
            ),
            _objective=Case(
                When(
                    Q(_bucket__in=LATE),
                    then=Coalesce(
                        Subquery(accepted.values("objective_cause_confirmed")[:1]), Value(False)
                    ),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            _returns=Case(
                When(finished, then=Coalesce(Subquery(returns, output_field=IntegerField()), 0)),
                default=Value(0),
            ),
        )
        .order_by()
        .values_list("lead_department_id", "_bucket", "_errors", "_returns", "_objective")
        .annotate(_count=Count("id"))
    )
    return [
        TaskFact(department, bucket, errors, returned, bool(objective), count)
        for department, bucket, errors, returned, objective, count in rows
    ]


def _share(count: int, whole: int) -> Decimal:
    return Decimal(count) / Decimal(whole)


def score_facts(
    facts: Sequence[TaskFact], rules: ScoringRules, general: Decimal
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Quantity, quality and progress points for one department's tasks, and the total."""
    total = sum(f.count for f in facts)
    finished = [f for f in facts if f.bucket in FINISHED]
    finished_count = sum(f.count for f in finished)
    quantity = rules.quantity_points * _share(finished_count, total) if total else Decimal(0)

    def quality_share(fact: TaskFact) -> Decimal:
        errors = fact.major_errors + (fact.returns if rules.count_returns_as_errors else 0)
        return max(Decimal(0), 1 - rules.error_penalty * errors)

    quality = (
        rules.quality_points * sum(quality_share(f) * f.count for f in finished) / finished_count
        if finished_count
        else Decimal(0)
    )

    def progress_share(fact: TaskFact) -> Decimal:
        if fact.bucket in ON_SCHEDULE or fact.objective_cause:
            return Decimal(1)
        return max(Decimal(0), 1 - rules.delay_penalty)

    dated = [f for f in facts if f.bucket not in UNDATED]
    # Without any dated task there is no schedule to miss.
    progress = (
        rules.progress_points
        * sum(progress_share(f) * f.count for f in dated)
        / sum(f.count for f in dated)
        if dated
        else rules.progress_points
    )
    quantity, quality, progress = _round(quantity), _round(quality), _round(progress)
    return quantity, quality, progress, _round(general + quantity + quality + progress)


def grade_for(total: Decimal, rules: ScoringRules) -> str:
    if total >= rules.excellent_from:
        return Grade.EXCELLENT
    if total >= rules.good_from:
        return Grade.GOOD
    if total >= rules.pass_from:
        return Grade.PASS
    return Grade.FAIL


def rank(scores: list[DepartmentScore], rules: ScoringRules) -> list[DepartmentScore]:
    """Order by score, grade, and hold "xuất sắc" to its share of those rated "tốt" or better."""
    scores.sort(
        key=lambda s: (-s.total, -(s.table.on_time_rate_with_deadline or 0), s.department.name)
    )
    for position, score in enumerate(scores, start=1):
        score.rank = position
        score.grade = grade_for(score.total, rules)
    good_or_better = [s for s in scores if s.grade in (Grade.EXCELLENT, Grade.GOOD)]
    allowed = math.floor(rules.excellent_cap * len(good_or_better))
    excellent = [s for s in scores if s.grade == Grade.EXCELLENT]
    for score in excellent[allowed:]:
        score.grade = Grade.GOOD
        score.capped = True
    return scores


def count(tasks: QuerySet[Task], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The scoring facts and the standard table per department, as plain data (2 queries)."""
    return {
        "facts": [astuple(fact) for fact in task_facts(tasks, start, end)],
        "tables": [[pk, asdict(t)] for pk, t in statistics.table_by(tasks, start, end).items()],
    }


def _judged_until(period: ReportingPeriod) -> dt.date:
    # While the period runs, tasks are judged as they stand today, not at its future end.
    return min(period.end, timezone.localdate())


def _params(start: dt.date, end: dt.date) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def _first_read(today: dt.date) -> list[dict[str, Any]]:
    """This month's, quarter's and year's rankings: the dashboard shows them."""
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    return [_params(*period_bounds(kind, today)) for kind in kinds]


@figures.kind("scores", warm=_first_read)
def _count_city(params: dict[str, Any]) -> dict[str, Any]:
    """The whole city's scoring counts (for the worker: tracker/figures.py)."""
    period = ReportingPeriod(**{name: dt.date.fromisoformat(params[name]) for name in params})
    return count(Task.objects.all(), period.start, _judged_until(period))


def live_scores(
    period: ReportingPeriod,
    *,
    rules: ScoringRules | None = None,
    kept: bool = False,
) -> list[DepartmentScore]:
    """The ranking as it stands: departments with at least one task in the period.

    ``kept``: the whole city's counts may come from tracker/figures.py (pages and the API;
    never when closing a period, which must count what is there now)."""
    rules = rules or active_rules()
    end = _judged_until(period)
    read = figures.read(
        "scores",
        _params(period.start, period.end),
        lambda: count(Task.objects.all(), period.start, end),
        keep=kept,
    )
    facts = [TaskFact(*fact) for fact in read.value["facts"]]
    tables = {pk: Table(**table) for pk, table in read.value["tables"]}
    by_department: dict[int, list[TaskFact]] = defaultdict(list)
    for fact in facts:
        by_department[fact.department_id].append(fact)
    general = (
        dict(
            GeneralCriteriaScore.objects.filter(period=period).values_list(
                "department_id", "points"
            )
        )
        if period.pk
        else {}  # a period nobody opened yet has no general scores entered
    )
    departments = Department.objects.filter(pk__in=by_department).select_related("head")
    scores = []
    for department in departments:
        entered = department.pk in general
        points = general.get(department.pk, Decimal(0))
        quantity, quality, progress, total = score_facts(
            by_department[department.pk], rules, points
        )
        scores.append(
            DepartmentScore(
                department=department,
                table=tables[department.pk],
                general=points,
                general_entered=entered,
                quantity=quantity,
                quality=quality,
                progress=progress,
                total=total,
                head_name=department.head.display_name if department.head else "",
                facts=by_department[department.pk],
            )
        )
    return rank(scores, rules)


def frozen_scores(period: ReportingPeriod) -> list[DepartmentScore]:
    results = PeriodResult.objects.filter(period=period).select_related("department")
    return [
        DepartmentScore(
            department=r.department,
            table=Table(**{k: r.figures.get(k, 0) for k in statistics.COLUMNS}),
            general=r.general_points,
            general_entered=r.figures.get("general_entered", True),
            quantity=r.quantity_points,
            quality=r.quality_points,
            progress=r.progress_points,
            total=r.total,
            grade=r.grade,
            capped=r.capped,
            rank=r.rank,
            head_name=r.head_name,
        )
        for r in results.order_by("rank")
    ]


def ranking(period: ReportingPeriod) -> list[DepartmentScore]:
    """A closed period's published ranking, or the live one while it is open."""
    return frozen_scores(period) if period.is_closed else live_scores(period, kept=True)


def period_for(kind: str, start: dt.date) -> ReportingPeriod:
    """The recorded period, or an unsaved one with the same dates (its ranking is live)."""
    found = ReportingPeriod.objects.filter(kind=kind, start=start).first()
    if found is not None:
        return found
    _start, end = period_bounds(kind, start)
    return ReportingPeriod(kind=kind, start=start, end=end)


def period_close(*, period: ReportingPeriod | int, actor: User) -> ReportingPeriod:
    """Chốt kỳ: freeze the period's figures and scores; later edits change nothing of them."""
    _check_office(actor)
    pk = period if isinstance(period, int) else period.pk
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=pk)
        if locked.is_closed:
            raise WorkflowError(
                _("%(period)s đã được chốt lúc %(when)s.")
                % {
                    "period": locked,
                    "when": timezone.localtime(locked.closed_at).strftime("%H:%M %d/%m/%Y"),
                },
                code="closed",
            )
        if locked.end >= timezone.localdate():
            raise WorkflowError(
                _("%(period)s chưa kết thúc (đến hết ngày %(end)s); chưa thể chốt.")
                % {"period": locked, "end": locked.end.strftime("%d/%m/%Y")},
                code="not_ended",
            )
        rules = active_rules()
        scores = live_scores(locked, rules=rules)
        PeriodResult.objects.bulk_create(
            PeriodResult(
                period=locked,
                department=s.department,
                head_name=s.head_name,
                figures={**s.table.as_dict(), "general_entered": s.general_entered},
                general_points=s.general,
                quantity_points=s.quantity,
                quality_points=s.quality,
                progress_points=s.progress,
                total=s.total,
                grade=s.grade,
                capped=s.capped,
                rank=s.rank,
            )
            for s in scores
        )
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.rules_snapshot = {
            name: str(getattr(rules, name))
            for name in (
                "name",
                "general_points",
                "quantity_points",
                "quality_points",
                "progress_points",
                "delay_penalty",
                "error_penalty",
                "count_returns_as_errors",
                "excellent_from",
                "good_from",
                "pass_from",
                "excellent_cap",
            )
        }
        locked.save(update_fields=["closed_at", "closed_by", "rules_snapshot"])
    return locked


def facts_for(tasks: Iterable[Task], start: dt.date, end: dt.date) -> list[TaskFact]:
    """The Python twin of ``task_facts`` for tasks already in memory (with their evaluations)."""
    from .timeliness import bucket_for

    period_start, period_end = statistics._period_bounds(start, end)
    grouped: Counter[tuple] = Counter()
    for task in tasks:
        if task.state in ("paused", "withdrawn") or task.assigned_at >= period_end:
            continue
        if task.completed_at is not None and task.completed_at < period_start:
            continue
        evaluations = sorted(task.evaluations.all(), key=lambda e: (e.evaluated_at, e.pk))
        accepted = [e for e in evaluations if e.outcome == EvaluationOutcome.ACCEPTED]
        last = accepted[-1] if accepted else None
        fact = relevant(
            bucket_for(task, as_of=end).value,
            last.major_error_count if last else 0,
            sum(1 for e in evaluations if e.outcome == EvaluationOutcome.RETURNED),
            bool(last and last.objective_cause_confirmed),
        )
        grouped[(task.lead_department_id, *fact)] += 1
    return [TaskFact(*key, count=count) for key, count in grouped.items()]
