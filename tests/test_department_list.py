"""The department home lists "leads OR coordinates" as two parts merged page by page
(tracker.views.department_parts): the pages hold exactly the visible tasks in the list's order,
and the counts are those of the single query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DepartmentFactory, DirectiveFactory, TaskFactory
from tracker.models import Task, TaskCoordination, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(people):
    """Sở Tài chính leads 30 tasks and coordinates 22 led by others; 10 more it cannot see."""
    directive = DirectiveFactory()
    other = DepartmentFactory(name="Sở Nội vụ", code="SNV")
    day = dt.date(2025, 11, 1)
    made = []
    for n in range(62):
        lead = people.finance if n < 30 else (people.construction if n % 2 else other)
        state = [TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED][n % 3]
        task = TaskFactory(
            directive=directive,
            lead_department=lead,
            due_date=day + dt.timedelta(days=(n * 7) % 40),  # ties on the due date
            progress_percent=(n * 13) % 100,
            state=state,
        )
        if 30 <= n < 52:
            TaskCoordination.objects.create(task=task, department=people.finance)
        made.append(task)
    return made


@pytest.mark.parametrize("sort", ["han", "-han", "tien-do", "-cap-nhat"])
def test_every_page_holds_the_visible_tasks_in_order(people, tasks, sort) -> None:
    from tracker.views import SORTS

    client = Client()
    client.force_login(people.finance_head)
    expected = list(
        Task.objects.visible_to(people.finance_head)
        .order_by(*SORTS[sort])
        .values_list("pk", flat=True)
    )
    assert len(expected) == 52
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("portal:home"), {"sap_xep": sort, "trang": page})
        seen += [task.pk for task in response.context["page"].object_list]
    assert seen == expected
    counts = {c["bucket"]: c["count"] for c in response.context["counts"]}
    assert sum(counts.values()) == 52
    assert response.context["page"].paginator.count == 52


def test_a_filter_applies_to_both_parts(people, tasks) -> None:
    client = Client()
    client.force_login(people.finance_head)
    response = client.get(reverse("portal:home"), {"trang_thai": TaskState.RETURNED})
    listed = [task.pk for task in response.context["page"].object_list]
    expected = Task.objects.visible_to(people.finance_head).filter(state=TaskState.RETURNED)
    assert sorted(listed) == sorted(expected.values_list("pk", flat=True))
    assert response.context["page"].paginator.count == expected.count()
