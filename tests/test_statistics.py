"""The standard table: counts in the database and in Python agree, and match a hand count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker import statistics
from tracker.models import Task, TaskState

from .factories import DepartmentFactory, TaskFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, tzinfo=HANOI)


def d(day: str) -> dt.date:
    return dt.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


DECEMBER = (d("01/12/2025"), d("31/12/2025"))


@pytest.fixture
def december(db):
    """Sở Tài chính's tasks around December 2025, one of each kind the table separates."""
    finance = DepartmentFactory(name="Sở Tài chính", code="STC")
    health = DepartmentFactory(name="Sở Y tế", code="SYT")

    def task(name: str, **fields) -> Task:
        fields.setdefault("lead_department", finance)
        fields.setdefault("assigned_at", at("20/11/2025"))
        due = fields.pop("due", "15/12/2025")
        fields.setdefault("due_date", d(due) if due else None)
        fields.setdefault("original_due_date", fields["due_date"])
        if fields["due_date"] is None:
            fields["deadline_kind"] = "continuous"
        return TaskFactory(content=name, **fields)

    done = {"state": TaskState.COMPLETED}
    return {
        "on_time": task("on time", **done, submitted_at=at("15/12/2025", 23), completed_at=at("18/12/2025")),
        "late": task("late", **done, submitted_at=at("16/12/2025", 0), completed_at=at("18/12/2025")),
        "extended": task("extended", **done, due="31/12/2025", original_due_date=d("15/12/2025"),
                         submitted_at=at("30/12/2025"), completed_at=at("31/12/2025")),
        "no_deadline_done": task("continuous, done", **done, due=None,
                                 submitted_at=at("10/12/2025"), completed_at=at("11/12/2025")),
        "overdue": task("overdue", state=TaskState.IN_PROGRESS),
        "awaiting_on_time": task("awaiting", state=TaskState.SUBMITTED, submitted_at=at("14/12/2025")),
        "later": task("due in 2026", state=TaskState.IN_PROGRESS, due="31/03/2026"),
        "continuous": task("continuous", state=TaskState.IN_PROGRESS, due=None),
        "done_before": task("finished in November", **done, due="30/11/2025",
                            submitted_at=at("25/11/2025"), completed_at=at("28/11/2025")),
        "assigned_after": task("assigned in January", state=TaskState.ASSIGNED,
                               assigned_at=at("05/01/2026"), due="31/01/2026"),
        "paused": task("paused", state=TaskState.PAUSED, state_before_pause=TaskState.IN_PROGRESS),
        "accepted_next_month": task("accepted in January", **done, submitted_at=at("29/12/2025"),
                                    completed_at=at("03/01/2026"), due="31/12/2025"),
        "other_department": task("Sở Y tế", lead_department=health, state=TaskState.IN_PROGRESS),
    }  # fmt: skip


def test_december_by_hand(december) -> None:
    finance = december["on_time"].lead_department
    row = statistics.table(Task.objects.filter(lead_department=finance), *DECEMBER)
    assert row.as_dict() == {
        "total": 9,  # not: finished in November, assigned in January, paused
        "due_in_period": 6,  # every dated task but "due in 2026"
        "done_on_time": 2,  # on time (23:00 on the due date), extended
        "done_late": 1,  # 00:30 the next day
        "done_no_deadline": 1,
        "open_in_time": 3,  # awaiting evaluation, due in 2026, accepted only in January
        "open_overdue": 1,
        "open_no_deadline": 1,
    }
    assert row.on_time_rate == statistics.percent(2, 9) == statistics.Decimal("22.2")
    assert row.on_time_rate_with_deadline == statistics.percent(2, 7)
    against_original = statistics.table(
        Task.objects.filter(lead_department=finance), *DECEMBER, against="original"
    )
    assert (against_original.done_on_time, against_original.done_late) == (1, 2)


@pytest.mark.parametrize("against", ["current", "original"])
@pytest.mark.parametrize(
    "period",
    [DECEMBER, (d("01/11/2025"), d("30/11/2025")), (d("01/01/2026"), d("31/03/2026")),
     (d("01/01/2025"), d("31/12/2025"))],
)  # fmt: skip
def test_the_database_and_python_agree(december, period, against) -> None:
    tasks = Task.objects.all()
    assert statistics.table(tasks, *period, against=against) == statistics.table_for(
        list(tasks), *period, against=against
    )
    per_department = statistics.table_by(tasks, *period, against=against)
    for department_id, row in per_department.items():
        department_tasks = [t for t in tasks if t.lead_department_id == department_id]
        assert row == statistics.table_for(department_tasks, *period, against=against)


def test_one_query_for_every_department(december, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        rows = statistics.table_by(Task.objects.all(), *DECEMBER)
    assert sorted(r.total for r in rows.values()) == [1, 9]


def test_overdue_ages(december) -> None:
    ages = statistics.overdue_ages(Task.objects.all(), d("20/03/2026"))
    # Due 15/12/2025, open, as of 20/03/2026: 95 days overdue, twice (Sở Tài chính, Sở Y tế).
    # Due 31/01/2026 and not even accepted: 48 days.
    assert ages == {"1-30": 0, "31-60": 1, "61-120": 2, ">120": 0}
