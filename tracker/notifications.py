"""In-app notifications of the workflow events that concern a person."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .models import Event, EventKind, Notification, Task

LEAD_HEADS = "lead_heads"
LEAD_PEOPLE = "lead_people"
ASSIGNEES = "assignees"
OFFICE = "office"

# Who hears of each event: the department when something is asked of it or decided for it,
# the office when a department acts and the office must answer.
WHO: dict[str, tuple[str, ...]] = {
    EventKind.CREATED: (LEAD_HEADS,),
    EventKind.REASSIGNED: (LEAD_HEADS,),
    EventKind.GIVEN_TO_STAFF: (ASSIGNEES,),
    EventKind.RESULT_ACCEPTED: (LEAD_PEOPLE,),
    EventKind.RESULT_RETURNED: (LEAD_PEOPLE,),
    EventKind.EXTENSION_APPROVED: (LEAD_PEOPLE,),
    EventKind.EXTENSION_REJECTED: (LEAD_PEOPLE,),
    EventKind.PAUSED: (LEAD_PEOPLE,),
    EventKind.RESUMED: (LEAD_PEOPLE,),
    EventKind.WITHDRAWN: (LEAD_PEOPLE,),
    EventKind.DECLINED: (OFFICE,),
    EventKind.SUBMITTED: (OFFICE,),
    EventKind.EXTENSION_REQUESTED: (OFFICE,),
}


def _people(task: Task, groups: tuple[str, ...]) -> list[User]:
    condition = Q(pk__in=[])
    if LEAD_HEADS in groups or LEAD_PEOPLE in groups:
        condition |= Q(
            department_id=task.lead_department_id, groups__name=Role.DEPARTMENT_HEAD.label
        )
        condition |= Q(pk=task.lead_department.head_id) if task.lead_department.head_id else Q()
    if ASSIGNEES in groups or LEAD_PEOPLE in groups:
        condition |= Q(assigned_tasks=task)
    if OFFICE in groups:
        condition |= Q(groups__name=Role.TRACKING_OFFICE.label)
    return list(User.objects.filter(condition, is_active=True).distinct())


def notify_event(event: Event, task: Task) -> int:
    """Record a notification for each person the event concerns, but not its author."""
    groups = WHO.get(event.kind)
    if not groups:
        return 0
    people = [u for u in _people(task, groups) if u.pk != event.actor_id]
    Notification.objects.bulk_create(
        Notification(
            user=person,
            task=task,
            title=f"{EventKind(event.kind).label}: {task}"[:255],
            body=event.note,
            created_at=event.at,
        )
        for person in people
    )
    return len(people)


def notification_open(*, notification: Notification | int, user: User) -> Notification:
    """Opening a notification marks it read. Only its owner can open it."""
    pk = notification if isinstance(notification, int) else notification.pk
    with transaction.atomic():
        opened = Notification.objects.select_for_update().get(pk=pk, user=user)
        if opened.read_at is None:
            opened.read_at = timezone.now()
            opened.save(update_fields=["read_at"])
    return opened


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
