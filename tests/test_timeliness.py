"""The timeliness buckets of DOMAIN.md, through both the annotation and its Python twin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tracker import timeliness, workflow
from tracker.models import DeadlineKind, Task, TaskState
from tracker.timeliness import Bucket

from .factories import TaskFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi(day: str, time: str = "09:00") -> dt.datetime:
    return dt.datetime.strptime(f"{day} {time}", "%d/%m/%Y %H:%M").replace(tzinfo=HANOI)


def d(day: str) -> dt.date:
    return dt.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


@dataclass
class Case:
    name: str
    as_of: str
    expected: Bucket
    state: str = TaskState.IN_PROGRESS
    due: str | None = "15/12/2025"
    original_due: str | None = None
    kind: str = DeadlineKind.DATE
    submitted: dt.datetime | None = None
    completed: dt.datetime | None = None
    against: str = "current"


CASES = [
    Case(
        "submitted on the due date at 23:00 Hanoi time is on time",
        "20/12/2025", Bucket.DONE_ON_TIME, state=TaskState.COMPLETED,
        submitted=hanoi("15/12/2025", "23:00"), completed=hanoi("17/12/2025"),
    ),
    Case(
        "submitted at 00:30 the next day is late (17:30 UTC on the due date)",
        "20/12/2025", Bucket.DONE_LATE, state=TaskState.COMPLETED,
        submitted=hanoi("16/12/2025", "00:30"), completed=hanoi("17/12/2025"),
    ),
    Case(
        "extended to 31/12/2025: on time against the current due date",
        "05/01/2026", Bucket.DONE_ON_TIME, state=TaskState.COMPLETED, due="31/12/2025",
        original_due="15/12/2025", submitted=hanoi("30/12/2025"), completed=hanoi("02/01/2026"),
    ),
    Case(
        "extended to 31/12/2025: late against the original due date",
        "05/01/2026", Bucket.DONE_LATE, state=TaskState.COMPLETED, due="31/12/2025",
        original_due="15/12/2025", submitted=hanoi("30/12/2025"), completed=hanoi("02/01/2026"),
        against="original",
    ),
    Case(
        "extended and still open: within the deadline against the current date",
        "20/12/2025", Bucket.IN_TIME, due="31/12/2025", original_due="15/12/2025",
    ),
    Case(
        "extended and still open: overdue against the original date",
        "20/12/2025", Bucket.OVERDUE, due="31/12/2025", original_due="15/12/2025",
        against="original",
    ),
    Case(
        "a continuous task has no deadline",
        "20/12/2025", Bucket.NO_DEADLINE, due=None, kind=DeadlineKind.CONTINUOUS,
    ),
    Case(
        "a continuous task accepted is finished without deadline",
        "20/12/2025", Bucket.DONE_NO_DEADLINE, due=None, kind=DeadlineKind.CONTINUOUS,
        state=TaskState.COMPLETED, submitted=hanoi("10/12/2025"), completed=hanoi("12/12/2025"),
    ),
    Case(
        "Quý IV/2025 is within the deadline in mid-December",
        "20/12/2025", Bucket.IN_TIME, due="31/12/2025", kind=DeadlineKind.QUARTER,
    ),
    Case(
        "Quý IV/2025 is due soon three days before its last day",
        "28/12/2025", Bucket.DUE_SOON, due="31/12/2025", kind=DeadlineKind.QUARTER,
    ),
    Case(
        "Quý IV/2025 is overdue on 01/01/2026",
        "01/01/2026", Bucket.OVERDUE, due="31/12/2025", kind=DeadlineKind.QUARTER,
    ),
    Case("four days before the due date: within the deadline", "11/12/2025", Bucket.IN_TIME),
    Case("three days before the due date: due soon", "12/12/2025", Bucket.DUE_SOON),
    Case("on the due date itself: due soon, not overdue", "15/12/2025", Bucket.DUE_SOON),
    Case("the day after the due date: overdue", "16/12/2025", Bucket.OVERDUE),
    Case(
        "not yet accepted by the department and past due: overdue",
        "16/12/2025", Bucket.OVERDUE, state=TaskState.ASSIGNED,
    ),
    Case(
        "accepted after the due date but submitted before it: on time",
        "21/12/2025", Bucket.DONE_ON_TIME, state=TaskState.COMPLETED,
        submitted=hanoi("14/12/2025"), completed=hanoi("20/12/2025"),
    ),
    Case(
        "before the office accepted it, a result submitted on time awaits evaluation",
        "18/12/2025", Bucket.IN_TIME, state=TaskState.COMPLETED,
        submitted=hanoi("14/12/2025"), completed=hanoi("20/12/2025"),
    ),
    Case(
        "waiting for evaluation, submitted on time: the office's review does not count",
        "30/12/2025", Bucket.IN_TIME, state=TaskState.SUBMITTED, submitted=hanoi("15/12/2025"),
    ),
    Case(
        "waiting for evaluation, submitted late: overdue",
        "30/12/2025", Bucket.OVERDUE, state=TaskState.SUBMITTED, submitted=hanoi("17/12/2025"),
    ),
    Case(
        "returned for rework after the due date: overdue",
        "20/12/2025", Bucket.OVERDUE, state=TaskState.RETURNED, submitted=hanoi("14/12/2025"),
    ),
    Case("paused tasks are out of the rates", "20/12/2025", Bucket.OUT_OF_RATES,
         state=TaskState.PAUSED),
    Case("withdrawn tasks are out of the rates", "20/12/2025", Bucket.OUT_OF_RATES,
         state=TaskState.WITHDRAWN),
]  # fmt: skip


def make(case: Case) -> Task:
    extra = {"state_before_pause": TaskState.IN_PROGRESS} if case.state == TaskState.PAUSED else {}
    return TaskFactory(
        state=case.state,
        deadline_kind=case.kind,
        due_date=d(case.due) if case.due else None,
        original_due_date=d(case.original_due or case.due) if case.due else None,
        submitted_at=case.submitted,
        completed_at=case.completed,
        assigned_at=hanoi("01/12/2025"),
        **extra,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_annotation_and_python_twin_agree_on_the_table(case: Case) -> None:
    task = make(case)
    as_of = d(case.as_of)

    in_python = timeliness.bucket_for(task, as_of=as_of, against=case.against)
    in_database = (
        Task.objects.with_timeliness(as_of=as_of, against=case.against)
        .values_list("timeliness", flat=True)
        .get(pk=task.pk)
    )

    assert in_python == case.expected
    assert in_database == case.expected


@pytest.mark.django_db
def test_every_bucket_of_a_mixed_list_agrees_in_one_query(django_assert_num_queries) -> None:
    tasks = [make(case) for case in CASES]
    as_of = d("20/12/2025")
    with django_assert_num_queries(1):
        annotated = {t.pk: t.timeliness for t in Task.objects.with_timeliness(as_of=as_of)}
    for task in tasks:
        assert annotated[task.pk] == timeliness.bucket_for(task, as_of=as_of)


@pytest.mark.django_db
def test_the_warning_window_is_a_setting(settings) -> None:
    settings.TIMELINESS_WARNING_DAYS = 5
    task = make(Case("", "10/12/2025", Bucket.DUE_SOON))
    assert timeliness.bucket_for(task, as_of=d("10/12/2025")) == Bucket.DUE_SOON
    assert Task.objects.with_timeliness(as_of=d("10/12/2025")).get().timeliness == Bucket.DUE_SOON


@pytest.mark.django_db
def test_stale_flag_agrees_with_its_twin() -> None:
    quiet = TaskFactory(state=TaskState.IN_PROGRESS, assigned_at=hanoi("01/10/2025"))
    reported = TaskFactory(
        state=TaskState.IN_PROGRESS,
        assigned_at=hanoi("01/10/2025"),
        last_reported_at=hanoi("05/12/2025"),
    )
    finished = TaskFactory(
        state=TaskState.COMPLETED,
        assigned_at=hanoi("01/10/2025"),
        submitted_at=hanoi("02/10/2025"),
        completed_at=hanoi("03/10/2025"),
    )
    as_of = d("20/12/2025")
    flags = dict(
        timeliness.annotate_stale(Task.objects.all(), as_of=as_of).values_list("pk", "is_stale")
    )
    assert flags == {quiet.pk: True, reported.pk: False, finished.pk: False}
    for task in (quiet, reported, finished):
        assert timeliness.is_stale(task, as_of=as_of) == flags[task.pk]


@pytest.mark.django_db
def test_submission_through_the_service_at_23h_on_the_due_date_counts_on_time(people, task):
    with time_machine.travel(hanoi("01/12/2025"), tick=False):
        workflow.task_accept(task=task, actor=people.finance_staff)
    with time_machine.travel(hanoi("15/12/2025", "23:00"), tick=False):
        workflow.result_submit(
            task=task, actor=people.finance_staff, summary="Đã ban hành kế hoạch",
            output_document_number="4512/KH-UBND",
        )  # fmt: skip
    with time_machine.travel(hanoi("19/12/2025", "10:00"), tick=False):
        workflow.result_accept(task=task, actor=people.office, quality_grade="good")
        task.refresh_from_db()
        assert timeliness.bucket_for(task) == Bucket.DONE_ON_TIME
        assert Task.objects.with_timeliness().get(pk=task.pk).timeliness == Bucket.DONE_ON_TIME
