"""``manage.py bench_data``: the benchmark data set is consistent, refuses to overwrite, and the
pages open on it. Runs on SQLite (bulk_create) and on PostgreSQL (COPY) in CI's two passes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from accounts.models import Department, User
from accounts.roles import Role
from tracker import reminders, statistics
from tracker.benchdata import BenchDataError, Spec, fill
from tracker.models import (
    CHASED_STATES,
    Directive,
    Evaluation,
    Event,
    EventKind,
    ExtensionRequest,
    ProgressReport,
    ResultSubmission,
    Task,
    TaskCoordination,
    TaskState,
)

pytestmark = pytest.mark.django_db(transaction=False)

AS_OF = dt.date(2026, 3, 16)


@pytest.fixture
def filled() -> Spec:
    spec = Spec(tasks=3_000, departments=40, users=200, as_of=AS_OF, due_share=0.02)
    fill(spec)
    return spec


def test_counts_and_people(filled: Spec) -> None:
    assert Task.objects.count() == 3_000
    assert Department.objects.count() == 40
    assert User.objects.count() == 200
    assert Directive.objects.count() == 30  # one per 100 tasks, at least 10
    # Every department has a head in the head group; the city departments come first.
    assert Department.objects.filter(head__isnull=True).count() == 0
    assert Department.objects.filter(code="STC", name="Sở Tài chính").exists()
    heads = User.objects.filter(groups__name=Role.DEPARTMENT_HEAD.label).count()
    assert heads == 40
    assert User.objects.filter(groups__name=Role.TRACKING_OFFICE.label).count() == 5
    assert User.objects.filter(groups=None).count() == 0
    # Every state appears, and the city departments lead far more tasks than a ward.
    states = set(Task.objects.values_list("state", flat=True))
    assert states == set(TaskState.values)
    stc = Task.objects.filter(lead_department__code="STC").count()
    ward = (
        Task.objects.filter(lead_department__code__startswith="P-")
        .values("lead_department")
        .annotate(n=Count("id"))
    )
    assert stc > 3 * max(row["n"] for row in ward)


def test_history_is_consistent(filled: Spec) -> None:
    # A submission for each task that was submitted, and an evaluation for each decided one.
    submitted = Task.objects.exclude(submitted_at=None).count()
    assert ResultSubmission.objects.count() == submitted
    decided = Task.objects.filter(state__in=[TaskState.COMPLETED, TaskState.RETURNED])
    assert Evaluation.objects.count() == decided.count()
    assert not Evaluation.objects.exclude(task_id=F("submission__task_id")).exists()
    # Extensions exactly where the deadline moved; reports only by the lead department.
    moved = Task.objects.exclude(due_date=None).exclude(due_date=F("original_due_date")).count()
    assert ExtensionRequest.objects.count() == moved
    assert not ProgressReport.objects.exclude(department_id=F("task__lead_department_id")).exists()
    assert ProgressReport.objects.filter(task__accepted_at=None).count() == 0
    # Every task has its "created" event, no coordinator is also the lead.
    assert Event.objects.filter(kind=EventKind.CREATED).count() == 3_000
    assert not TaskCoordination.objects.filter(department_id=F("task__lead_department_id")).exists()
    # The statistics see the data the way the pages will.
    table = statistics.table(Task.objects.all(), dt.date(2023, 1, 1), AS_OF)
    assert table.finished > 0 and table.open_overdue > 0 and table.open_in_time > 0


def test_reminders_due_follow_the_share(filled: Spec) -> None:
    planned = reminders.plan(AS_OF)
    due_tasks = {p.task.pk for p in planned if p.task is not None}
    # 2 % of the tasks are due a reminder on the day (60); the quiet ones add a few more.
    assert 60 <= len(due_tasks) <= 60 + 6
    assert Task.objects.filter(pk__in=due_tasks).exclude(state__in=CHASED_STATES).count() == 0


def test_refuses_to_overwrite_without_replace(filled: Spec) -> None:
    with pytest.raises(BenchDataError, match="--replace"):
        fill(Spec(tasks=10, departments=20, users=40, as_of=AS_OF))
    assert Task.objects.count() == 3_000  # nothing changed
    fill(Spec(tasks=100, departments=20, users=40, as_of=AS_OF), replace=True)
    assert Task.objects.count() == 100
    assert Department.objects.count() == 20


def test_command_messages(filled: Spec) -> None:
    with pytest.raises(CommandError, match="ít nhất"):
        call_command("bench_data", "--tasks", "10", "--departments", "50", "--users", "20")
    with pytest.raises(CommandError, match="--replace"):
        call_command("bench_data", "--tasks", "10", "--departments", "20", "--users", "40")


def test_pages_open_on_the_data(filled: Spec, client, django_assert_max_num_queries) -> None:
    head = Department.objects.get(code="STC").head
    client.force_login(head)
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.status_code == 200
    task = Task.objects.filter(lead_department__code="STC", state=TaskState.COMPLETED).first()
    assert client.get(f"/nhiem-vu/{task.pk}/").status_code == 200
    other = Task.objects.exclude(
        Q(lead_department__code="STC") | Q(coordinations__department__code="STC")
    ).first()
    assert client.get(f"/nhiem-vu/{other.pk}/").status_code == 404
