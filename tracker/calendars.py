"""Calendar feeds: the deadlines a person is concerned with, as an iCalendar address.

The address carries a secret token instead of a session, so that calendar applications can
subscribe to it. Whoever holds the token reads the feed; renewing it revokes the old address at
once. The feed shows only tasks its owner may see (``Task.objects.visible_to``), and is built in
a fixed number of queries whatever the number of tasks.

Each task is one all-day event with a stable UID, so a calendar moves the event when the
deadline moves; SEQUENCE counts the moves (approved extensions and edits of the due date).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from accounts.models import User
from accounts.roles import Role

from .models import (
    CHASED_STATES,
    CalendarFeed,
    CalendarScope,
    Event,
    EventKind,
    Task,
    TaskCoordination,
    TaskState,
)
from .timeliness import Bucket, today

# Finished and withdrawn tasks stay in the feed this long after their due date; open ones stay
# however overdue they are.
PAST_DAYS = 90
SUMMARY_LENGTH = 120
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters
# Events that moved a task's due date (an edit records it only when the date changed).
DUE_DATE_MOVES = (EventKind.EXTENSION_APPROVED, EventKind.EDITED)


# --- Feeds: one live address per person and scope ---------------------------------------------


def _check_scope(scope: str) -> CalendarScope:
    try:
        return CalendarScope(scope)
    except ValueError:
        raise ValueError(f"unknown calendar scope {scope!r}") from None


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _lock_owner(user: User) -> None:
    # Serialises the feed writes of one person: two renewals never both make a live feed.
    User.objects.select_for_update().filter(pk=user.pk).exists()


def feed_get_or_create(*, user: User, scope: str) -> CalendarFeed:
    """The person's live feed for the scope, made on first use."""
    scope = _check_scope(scope)
    live = CalendarFeed.objects.filter(user=user, scope=scope, revoked_at__isnull=True).first()
    if live is not None:
        return live
    with transaction.atomic():
        _lock_owner(user)
        live = CalendarFeed.objects.filter(user=user, scope=scope, revoked_at__isnull=True).first()
        if live is not None:
            return live
        try:
            with transaction.atomic():
                return CalendarFeed.objects.create(
                    user=user, scope=scope, token=_new_token(), created_at=timezone.now()
                )
        except IntegrityError:
            # Made at the same moment by another request (SQLite has no row locks).
            return CalendarFeed.objects.get(user=user, scope=scope, revoked_at__isnull=True)


def feed_renew(*, user: User, scope: str) -> CalendarFeed:
    """Revoke the person's address for the scope and give a new one, in one transaction: the
    old address stops working as soon as this commits."""
    scope = _check_scope(scope)
    with transaction.atomic():
        _lock_owner(user)
        now = timezone.now()
        CalendarFeed.objects.filter(user=user, scope=scope, revoked_at__isnull=True).update(
            revoked_at=now
        )
        return CalendarFeed.objects.create(
            user=user, scope=scope, token=_new_token(), created_at=now
        )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of an active person with this token, or None."""
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .select_related("user", "user__department")
        .first()
    )


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("portal:calendar_feed", args=[feed.token])


def webcal_url(url: str) -> str:
    """The same address for calendar applications: webcal:// opens the subscribe dialogue."""
    scheme, _sep, rest = url.partition("://")
    return f"webcal://{rest}" if scheme in ("http", "https") else url


# --- Which tasks -------------------------------------------------------------------------------


def is_department_head(user: User) -> bool:
    if user.department_id is None:
        return False
    head_id = user.department.head_id if user.department else None
    return head_id == user.pk or user.has_role(Role.DEPARTMENT_HEAD)


def feed_tasks(feed: CalendarFeed, *, as_of: dt.date | None = None) -> QuerySet[Task]:
    """The tasks of the feed, annotated with ``timeliness`` and ``due_moves``: one query."""
    user = feed.user
    as_of = as_of or today()
    tasks = Task.objects.visible_to(user)
    if feed.scope == CalendarScope.PERSONAL:
        given = Task.assignees.through.objects.filter(task_id=OuterRef("pk"), user_id=user.pk)
        concerned = Q(Exists(given)) | Q(leader_in_charge_id=user.pk)
        if is_department_head(user):
            concerned |= Q(lead_department_id=user.department_id)
        tasks = tasks.filter(concerned)
    elif user.department_id is None:
        return tasks.none()
    else:
        coordinates = TaskCoordination.objects.filter(
            task_id=OuterRef("pk"), department_id=user.department_id
        )
        tasks = tasks.filter(Q(lead_department_id=user.department_id) | Exists(coordinates))
    cutoff = as_of - dt.timedelta(days=PAST_DAYS)
    moves = (
        Event.objects.filter(
            task_id=OuterRef("pk"), kind__in=DUE_DATE_MOVES, changes__has_key="due_date"
        )
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        tasks.filter(due_date__isnull=False)
        .filter(Q(due_date__gte=cutoff) | Q(state__in=CHASED_STATES))
        .with_timeliness(as_of=as_of)
        .annotate(due_moves=Coalesce(Subquery(moves, output_field=IntegerField()), Value(0)))
        .select_related("directive", "lead_department")
        .order_by("due_date", "id")
    )


# --- The iCalendar -----------------------------------------------------------------------------


def calendar_name(feed: CalendarFeed) -> str:
    user = feed.user
    if feed.scope == CalendarScope.DEPARTMENT and user.department is not None:
        return f"Đôn Đốc – {user.department.name}"
    return f"Đôn Đốc – {user.display_name}"


def _truncate(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _description(task: Task, url: str) -> str:
    deadline = task.deadline_label
    if task.is_extended:
        deadline = _("%(deadline)s (hạn ban đầu %(original)s)") % {
            "deadline": deadline,
            "original": task.original_deadline_label,
        }
    lines = [
        task.content.strip(),
        "",
        _("Văn bản chỉ đạo: %(directive)s") % {"directive": task.directive},
        _("Cơ quan chủ trì: %(department)s") % {"department": task.lead_department.name},
        _("Thời hạn: %(deadline)s") % {"deadline": deadline},
        _("Trạng thái: %(state)s") % {"state": TaskState(task.state).label},
        _("Tiến độ: %(bucket)s") % {"bucket": Bucket(task.timeliness).label},
        "",
        url,
    ]
    return "\n".join(lines)


def _event(task: Task) -> CalendarEvent:
    url = settings.SITE_URL + reverse("portal:task", args=[task.pk])
    event = CalendarEvent()
    event.add("uid", f"task-{task.pk}@dondoc")
    event.add("dtstamp", task.updated_at)
    event.add("last-modified", task.updated_at)
    event.add("dtstart", task.due_date)
    event.add("dtend", task.due_date + dt.timedelta(days=1))
    withdrawn = task.state == TaskState.WITHDRAWN
    # A withdrawal is a change calendars must take over an older copy of the event.
    event.add("sequence", task.due_moves + (1 if withdrawn else 0))
    event.add(
        "summary", _("[Hạn] %(content)s") % {"content": _truncate(task.content, SUMMARY_LENGTH)}
    )
    event.add("description", _description(task, url))
    event.add("url", url)
    event.add("categories", [str(Bucket(task.timeliness).label)])
    event.add("status", "CANCELLED" if withdrawn else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(feed: CalendarFeed) -> bytes:
    """The feed's iCalendar text (RFC 5545), UTF-8."""
    calendar = Calendar()
    calendar.add("prodid", "-//Đôn Đốc//Lịch hạn nhiệm vụ//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name(feed))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for task in feed_tasks(feed):
        calendar.add_component(_event(task))
    return calendar.to_ical()
