"""Reminders (nhắc việc, đôn đốc): who is reminded of what, when, and exactly once.

Three steps, each safe to repeat:
1. ``plan(as_of)`` reads which reminders fall due on a day. Its queries look up tasks by the
   due dates (or activity dates) that trigger a reminder that day, through the partial indexes
   on open tasks, so the work follows the number of reminders due, not the number of tasks.
2. ``record(planned)`` writes one ReminderDelivery per (task, kind, sequence, date computed for,
   address). The unique constraint makes a second scan, a second beat tick or a second worker
   a no-op. New deliveries also get their in-app Notification and a timeline Event.
3. ``send_due()`` claims deliveries with a conditional update, sends a batch over one SMTP
   connection and marks each one sent. A failure puts the row back with a backoff; a worker
   that dies mid-batch leaves rows "sending" that are reclaimed after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.roles import CITY_WIDE_ROLES, Role

from . import timeliness
from .errors import NotPermitted, WorkflowError
from .models import (
    CHASED_STATES,
    DeadlineKind,
    DeliveryState,
    Event,
    EventKind,
    Notification,
    RecipientRole,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    ReportFrequency,
    Task,
    TaskState,
)

log = logging.getLogger(__name__)

# Reminders tied to a due date: when the date moves, the pending ones for the old date go.
DEADLINE_KINDS = (
    ReminderKind.BEFORE_DUE,
    ReminderKind.DUE_TODAY,
    ReminderKind.OVERDUE,
    ReminderKind.ESCALATION,
)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Recipient:
    email: str
    role: RecipientRole
    user: User | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class Planned:
    task: Task | None
    kind: ReminderKind
    sequence: int
    computed_for: dt.date
    recipient: Recipient
    message: str = ""

    def describe(self) -> str:
        target = str(self.task) if self.task else "—"
        due = self.task.deadline_label if self.task else self.computed_for.strftime("%d/%m/%Y")
        return (
            f"{ReminderKind(self.kind).label} ({self.sequence}) | hạn {due} | {target} | "
            f"{RecipientRole(self.recipient.role).label}: {self.recipient.email}"
        )


@dataclass
class SendResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


# --- Policies --------------------------------------------------------------------------------


def default_policy() -> ReminderPolicy:
    """The office's default policy, created with DOMAIN.md's defaults the first time."""
    policy = ReminderPolicy.objects.filter(directive__isnull=True).first()
    if policy is None:
        try:
            with transaction.atomic():
                policy = ReminderPolicy.objects.create(name=_("Chính sách mặc định"))
        except IntegrityError:  # created by a concurrent scan
            policy = ReminderPolicy.objects.get(directive__isnull=True)
    return policy


def policies() -> tuple[ReminderPolicy, list[ReminderPolicy]]:
    default = default_policy()
    overrides = list(ReminderPolicy.objects.filter(directive__isnull=False))
    return default, overrides


def policy_save(*, policy: ReminderPolicy, actor: User) -> ReminderPolicy:
    """The office edits the default policy or a directive's own."""
    if not actor.is_office:
        raise NotPermitted(_("Chỉ văn phòng theo dõi được sửa chính sách nhắc việc."))
    try:
        policy.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError:
        raise WorkflowError(_("Đã có chính sách nhắc việc mặc định.")) from None
    return policy


def _scope(queryset, policy: ReminderPolicy, overrides: Sequence[ReminderPolicy]):
    if policy.directive_id is not None:
        return queryset.filter(directive_id=policy.directive_id)
    return queryset.exclude(directive_id__in=[p.directive_id for p in overrides])


# --- Recipients ------------------------------------------------------------------------------


def city_wide_ids() -> frozenset[int]:
    """Who sees every department, in one query (asking each user would cost one each)."""
    return frozenset(
        User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[role.label for role in CITY_WIDE_ROLES])
        ).values_list("pk", flat=True)
    )


def may_see(user: User, task: Task, city_wide: frozenset[int] | None = None) -> bool:
    """The visibility rule of Task.objects.visible_to, for a task already in memory."""
    if not user.is_active:
        return False
    sees_all = user.pk in city_wide if city_wide is not None else user.sees_every_department
    if sees_all:
        return True
    if user.department_id is None:
        return False
    return user.department_id == task.lead_department_id or any(
        c.department_id == user.department_id for c in task.coordinations.all()
    )


def _head(department: Department) -> User | None:
    head = department.head
    if head is not None and head.is_active and head.department_id == department.pk and head.email:
        return head
    return None


def _dedupe(
    recipients: Iterable[Recipient], task: Task | None, city_wide: frozenset[int] | None = None
) -> list[Recipient]:
    seen: set[str] = set()
    kept = []
    for recipient in recipients:
        address = recipient.email.strip().lower()
        if not address or address in seen:
            continue
        # Nobody hears about a task they may not open.
        if (
            recipient.user is not None
            and task is not None
            and not may_see(recipient.user, task, city_wide)
        ):
            continue
        seen.add(address)
        kept.append(recipient)
    return kept


def task_recipients(
    task: Task, policy: ReminderPolicy, city_wide: frozenset[int] | None = None
) -> list[Recipient]:
    """The lead department's assigned staff and head (its mailbox when nobody is assigned),
    then the coordinating departments, who are informed."""
    lead = task.lead_department
    people: list[Recipient] = [
        Recipient(u.email, RecipientRole.ASSIGNEE, u, lead.pk)
        for u in task.assignees.all()
        if u.is_active and u.email
    ]
    head = _head(lead)
    if head is not None:
        people.append(Recipient(head.email, RecipientRole.HEAD, head, lead.pk))
    if not people and lead.email:
        people.append(Recipient(lead.email, RecipientRole.MAILBOX, None, lead.pk))
    if policy.inform_coordinators:
        for coordination in task.coordinations.all():
            department = coordination.department
            if not department.is_active:
                continue
            coordinator_head = _head(department)
            if coordinator_head is not None:
                people.append(
                    Recipient(
                        coordinator_head.email,
                        RecipientRole.COORDINATOR,
                        coordinator_head,
                        department.pk,
                    )
                )
            elif department.email:
                people.append(
                    Recipient(department.email, RecipientRole.COORDINATOR, None, department.pk)
                )
    return _dedupe(people, task, city_wide)


def _office_people() -> list[User]:
    return list(
        User.objects.filter(is_active=True, groups__name=Role.TRACKING_OFFICE.label)
        .exclude(email="")
        .distinct()
    )


def escalation_recipients(
    task: Task, office: Sequence[User], city_wide: frozenset[int] | None = None
) -> list[Recipient]:
    people = [Recipient(u.email, RecipientRole.OFFICE, u, u.department_id) for u in office]
    leader = task.leader_in_charge or task.directive.leader_in_charge
    if leader is not None and leader.is_active and leader.email:
        people.append(Recipient(leader.email, RecipientRole.LEADER, leader, leader.department_id))
    return _dedupe(people, task, city_wide)


# --- 1. Planning -----------------------------------------------------------------------------


def _task_queryset():
    return Task.objects.select_related(
        "lead_department__head",
        "directive__leader_in_charge",
        "leader_in_charge",
    ).prefetch_related("assignees", "coordinations__department__head")


def _day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def is_period_end(day: dt.date, frequency: str) -> bool:
    """Whether ``day`` closes a reporting period of the given frequency."""
    if (day + dt.timedelta(days=1)).day != 1:
        return False
    month = day.month
    return {
        ReportFrequency.MONTHLY: True,
        ReportFrequency.QUARTERLY: month % 3 == 0,
        ReportFrequency.HALF_YEARLY: month % 6 == 0,
        ReportFrequency.YEARLY: month == 12,
    }.get(frequency, False)


def plan(as_of: dt.date) -> list[Planned]:
    """Every reminder that falls due on ``as_of``, for every policy in force."""
    default, overrides = policies()
    office: list[User] | None = None
    city_wide = city_wide_ids()
    planned: list[Planned] = []
    for policy in [default, *overrides]:
        triggers: dict[dt.date, tuple[ReminderKind, int]] = {}
        for days in policy.days_before:
            triggers[as_of + dt.timedelta(days=days)] = (ReminderKind.BEFORE_DUE, days)
        if policy.on_due_date:
            triggers[as_of] = (ReminderKind.DUE_TODAY, 0)
        for nth in range(1, policy.overdue_max_reminders + 1):
            day = as_of - dt.timedelta(days=nth * policy.overdue_every_days)
            triggers[day] = (ReminderKind.OVERDUE, nth)
        tasks = _scope(_task_queryset(), policy, overrides).filter(
            state__in=CHASED_STATES, due_date__in=list(triggers)
        )
        for task in tasks:
            kind, sequence = triggers[task.due_date]
            for recipient in task_recipients(task, policy, city_wide):
                planned.append(Planned(task, kind, sequence, task.due_date, recipient))
            if kind == ReminderKind.OVERDUE and sequence % policy.escalate_after == 0:
                office = _office_people() if office is None else office
                for recipient in escalation_recipients(task, office, city_wide):
                    planned.append(
                        Planned(task, ReminderKind.ESCALATION, sequence, task.due_date, recipient)
                    )

        # "Chưa cập nhật": no activity for N, 2N, 3N … days.
        quiet_days = {
            as_of - dt.timedelta(days=k * policy.stale_after_days): k for k in range(1, 13)
        }
        ranges = Q()
        for day in quiet_days:
            start, end = _day_range(day)
            ranges |= Q(last_activity_at__gte=start, last_activity_at__lt=end)
        for task in _scope(_task_queryset(), policy, overrides).filter(
            ranges, state__in=CHASED_STATES
        ):
            quiet_since = timeliness.local_date(task.last_activity_at)
            sequence = quiet_days[quiet_since]
            lead_only = [
                r
                for r in task_recipients(task, policy, city_wide)
                if r.role != RecipientRole.COORDINATOR
            ]
            for recipient in lead_only:
                planned.append(Planned(task, ReminderKind.STALE, sequence, quiet_since, recipient))

        # Periodic reports: a few days before each period closes.
        period_end = as_of + dt.timedelta(days=policy.periodic_days_before)
        frequencies = [f for f in ReportFrequency.values if is_period_end(period_end, f)]
        if frequencies:
            periodic = _scope(_task_queryset(), policy, overrides).filter(
                state__in=CHASED_STATES,
                deadline_kind=DeadlineKind.PERIODIC,
                report_frequency__in=frequencies,
                due_date__gte=period_end,
            )
            for task in periodic:
                for recipient in task_recipients(task, policy, city_wide):
                    if recipient.role != RecipientRole.COORDINATOR:
                        planned.append(
                            Planned(task, ReminderKind.PERIODIC, 0, period_end, recipient)
                        )
    return planned


# --- 2. Recording ----------------------------------------------------------------------------


def cancel_outdated(*, now: dt.datetime | None = None) -> int:
    """Drop pending deadline reminders whose date moved, and those of tasks no longer open."""
    now = now or timezone.now()
    waiting = ReminderDelivery.objects.filter(
        state__in=[DeliveryState.PENDING, DeliveryState.RETRYING], task__isnull=False
    )
    moved = waiting.filter(kind__in=DEADLINE_KINDS).filter(
        ~Q(computed_for=F("task__due_date")) | Q(task__due_date__isnull=True)
    )
    closed = waiting.exclude(task__state__in=[*CHASED_STATES, TaskState.SUBMITTED]).exclude(
        kind=ReminderKind.MANUAL
    )
    count = 0
    for queryset in (moved, closed):
        count += queryset.update(
            state=DeliveryState.CANCELLED, last_error=_("Hủy: hạn đã đổi hoặc nhiệm vụ kết thúc.")
        )
    return count


def _title(planned: Planned) -> str:
    task = planned.task
    if task is None:
        return ReminderKind(planned.kind).label
    return f"{ReminderKind(planned.kind).label}: {task}"


def record(planned: Sequence[Planned], *, now: dt.datetime | None = None) -> int:
    """Write the deliveries that do not exist yet; return how many were new.

    One INSERT … ON CONFLICT DO NOTHING for the lot: a delivery recorded by an earlier scan,
    or by a scan running at the same moment, is skipped by the unique key. The rows this call
    wrote carry its own ``batch``; only those get a notification and a timeline event.
    """
    now = now or timezone.now()
    if not planned:
        return 0
    batch = uuid.uuid4()
    with transaction.atomic():
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    task=item.task,
                    kind=item.kind,
                    sequence=item.sequence,
                    computed_for=item.computed_for,
                    email=item.recipient.email,
                    recipient=item.recipient.user,
                    department_id=item.recipient.department_id,
                    role=item.recipient.role,
                    message=item.message,
                    created_at=now,
                    next_attempt_at=now,
                    batch=batch,
                )
                for item in planned
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        ours = list(ReminderDelivery.objects.filter(batch=batch).select_related("task"))
        by_key = {
            (
                p.task.pk if p.task else None,
                p.kind,
                p.sequence,
                p.computed_for,
                p.recipient.email,
            ): p
            for p in planned
        }
        Notification.objects.bulk_create(
            Notification(
                user_id=delivery.recipient_id,
                task_id=delivery.task_id,
                delivery=delivery,
                title=_title(by_key[_key(delivery)])[:255],
                body=delivery.message,
                created_at=now,
            )
            for delivery in ours
            if delivery.recipient_id is not None and _key(delivery) in by_key
        )
        groups: dict[tuple, list[ReminderDelivery]] = defaultdict(list)
        for delivery in ours:
            if delivery.task_id is not None:
                groups[(delivery.task_id, delivery.kind, delivery.sequence)].append(delivery)
        Event.objects.bulk_create(
            Event(
                directive_id=items[0].task.directive_id,
                task_id=task_id,
                kind=EventKind.REMINDER_SENT,
                at=now,
                changes={"reminder": [None, f"{ReminderKind(kind).label} ({sequence})"]},
                note=", ".join(d.email for d in items),
            )
            for (task_id, kind, sequence), items in groups.items()
        )
    return len(ours)


def _key(delivery: ReminderDelivery) -> tuple:
    return (
        delivery.task_id,
        delivery.kind,
        delivery.sequence,
        delivery.computed_for,
        delivery.email,
    )


def scan(as_of: dt.date | None = None, *, dry_run: bool = False) -> list[Planned]:
    """Plan and (unless dry_run) record the reminders of a day. Safe to run any number of times."""
    as_of = as_of or timeliness.today()
    if not dry_run:
        cancel_outdated()
    planned = plan(as_of)
    if not dry_run:
        record(planned)
    return planned


# --- Digests ---------------------------------------------------------------------------------


def plan_weekly_digests(week_of: dt.date) -> list[Planned]:
    """A digest for each active department head, computed for the Monday of the week."""
    monday = week_of - dt.timedelta(days=week_of.weekday())
    if not default_policy().weekly_digest:
        return []
    heads = Department.objects.active().filter(head__is_active=True).select_related("head")
    return [
        Planned(
            None,
            ReminderKind.WEEKLY_DIGEST,
            0,
            monday,
            Recipient(d.head.email, RecipientRole.HEAD, d.head, d.pk),
        )
        for d in heads
        if d.head.email and d.head.department_id == d.pk
    ]


def plan_monthly_summaries(month_of: dt.date) -> list[Planned]:
    first = month_of.replace(day=1)
    if not default_policy().monthly_summary:
        return []
    leaders = (
        User.objects.filter(is_active=True, groups__name=Role.LEADER.label)
        .exclude(email="")
        .distinct()
    )
    return [
        Planned(
            None,
            ReminderKind.MONTHLY_SUMMARY,
            0,
            first,
            Recipient(u.email, RecipientRole.LEADER, u, u.department_id),
        )
        for u in leaders
    ]


# --- Manual reminders from the office --------------------------------------------------------


def reminder_send_manual(*, task: Task | int, actor: User, message: str) -> int:
    """Nhắc việc bằng tay with a message; counted like the others. Returns the recipients."""
    if not (
        actor.is_superuser or actor.has_role(Role.TRACKING_OFFICE, Role.LEADER, Role.ADMINISTRATOR)
    ):
        raise NotPermitted(_("Chỉ văn phòng theo dõi và lãnh đạo được gửi nhắc việc."))
    message = (message or "").strip()
    if not message:
        raise WorkflowError(_("Cần nhập nội dung nhắc việc."), field="message")
    with transaction.atomic():
        task_id = task if isinstance(task, int) else task.pk
        locked = _task_queryset().select_for_update(of=("self",)).filter(pk=task_id).first()
        if locked is None:
            raise WorkflowError(_("Nhiệm vụ không tồn tại."), code="not_found")
        if locked.state not in (*CHASED_STATES, TaskState.SUBMITTED):
            raise WorkflowError(
                _("Nhiệm vụ đang ở trạng thái “%(state)s”, không cần nhắc việc.")
                % {"state": TaskState(locked.state).label},
                code="wrong_state",
            )
        now = timezone.now()
        event = Event.objects.create(
            directive_id=locked.directive_id,
            task=locked,
            kind=EventKind.REMINDER_SENT,
            actor=actor,
            at=now,
            changes={"reminder": [None, str(ReminderKind.MANUAL.label)]},
            note=message,
        )
        policy = ReminderPolicy.objects.filter(directive_id=locked.directive_id).first()
        recipients = task_recipients(locked, policy or default_policy())
        if not recipients:
            raise WorkflowError(
                _("Không có người nhận: đơn vị chưa có thủ trưởng, chuyên viên hay hộp thư chung."),
                code="no_recipient",
            )
        for recipient in recipients:
            delivery = ReminderDelivery.objects.create(
                task=locked,
                kind=ReminderKind.MANUAL,
                sequence=event.pk,
                computed_for=timezone.localdate(now),
                email=recipient.email,
                recipient=recipient.user,
                department_id=recipient.department_id,
                role=recipient.role,
                message=message,
                created_at=now,
                next_attempt_at=now,
            )
            if recipient.user is not None:
                Notification.objects.create(
                    user=recipient.user,
                    task=locked,
                    delivery=delivery,
                    title=f"{ReminderKind.MANUAL.label}: {locked}"[:255],
                    body=message,
                    created_at=now,
                )
        event.note = f"{message}\n→ {', '.join(r.email for r in recipients)}"
        event.save(update_fields=["note"])
    from .tasks import enqueue_sending

    enqueue_sending()
    return len(recipients)


# --- 3. Sending ------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes, at most an hour: a mail server down for an hour loses nothing."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def reclaim_stuck(*, now: dt.datetime) -> int:
    """Rows claimed by a worker that died mid-batch go back to the queue."""
    return ReminderDelivery.objects.filter(
        state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(state=DeliveryState.RETRYING, claimed_at=None)


def claim(*, now: dt.datetime, limit: int) -> list[int]:
    """Take up to ``limit`` deliveries for this worker; another worker gets other rows."""
    with transaction.atomic():
        ids = list(
            ReminderDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # The state condition makes the claim safe where SKIP LOCKED does not exist (SQLite
        # serialises writers instead).
        ReminderDelivery.objects.filter(
            pk__in=ids, state__in=[DeliveryState.PENDING, DeliveryState.RETRYING]
        ).update(state=DeliveryState.SENDING, claimed_at=now)
        return list(
            ReminderDelivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING, claimed_at=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)
        )


def task_url(task: Task) -> str:
    """The task's page on the department pages, which every recipient may open."""
    return settings.SITE_URL + reverse("portal:task", args=[task.pk])


def _digest_context(delivery: ReminderDelivery) -> dict:
    today = timeliness.today()
    if delivery.kind == ReminderKind.WEEKLY_DIGEST:
        tasks = (
            Task.objects.filter(lead_department_id=delivery.department_id)
            .in_rates()
            .with_timeliness(as_of=today)
            .select_related("directive")
            .order_by("due_date")
        )
        counts: dict[str, int] = defaultdict(int)
        attention = []
        for task in tasks:
            counts[task.timeliness] += 1
            if task.timeliness in (timeliness.Bucket.OVERDUE, timeliness.Bucket.DUE_SOON):
                attention.append(task)
        return {
            "counts": [(b.label, counts.get(b.value, 0)) for b in timeliness.UNFINISHED],
            "attention": attention[:30],
            "attention_total": len(attention),
        }
    rows = []
    departments = Department.objects.active().order_by("name")
    per_department: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lead_id, bucket in (
        Task.objects.in_rates()
        .with_timeliness(as_of=today)
        .values_list("lead_department_id", "timeliness")
    ):
        per_department[lead_id][bucket] += 1
    for department in departments:
        figures = per_department.get(department.pk)
        if figures:
            rows.append(
                (department, figures.get(timeliness.Bucket.OVERDUE, 0), sum(figures.values()))
            )
    rows.sort(key=lambda r: (-r[1], r[0].name))
    return {"rows": rows[:40]}


def build_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    task = delivery.task
    context = {
        "delivery": delivery,
        "task": task,
        "kind_label": ReminderKind(delivery.kind).label,
        "role_label": RecipientRole(delivery.role).label,
        "site_url": settings.SITE_URL,
    }
    if task is not None:
        context.update(
            bucket=timeliness.bucket_for(task),
            url=task_url(task),
            overdue_days=(timeliness.today() - task.due_date).days if task.due_date else 0,
        )
        subject = _("[Đôn Đốc] %(kind)s – %(task)s") % {
            "kind": context["kind_label"],
            "task": str(task)[:80],
        }
        template = "emails/reminder"
    else:
        context.update(_digest_context(delivery))
        subject = _("[Đôn Đốc] %(kind)s – %(date)s") % {
            "kind": context["kind_label"],
            "date": delivery.computed_for.strftime("%d/%m/%Y"),
        }
        template = "emails/digest"
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        reply_to=settings.EMAIL_REPLY_TO or None,
        headers={
            # A stable Message-ID lets mail systems drop a copy re-sent after a crash.
            "Message-ID": f"<nhacviec.{delivery.pk}@dondoc>",
            "X-DonDoc-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _delivery_queryset():
    return ReminderDelivery.objects.select_related(
        "task__directive", "task__lead_department", "recipient"
    )


def send_due(*, now: dt.datetime | None = None, limit: int = 200) -> SendResult:
    """Send what is due, over one SMTP connection per batch."""
    now = now or timezone.now()
    result = SendResult()
    reclaim_stuck(now=now)
    ids = claim(now=now, limit=limit)
    result.claimed = len(ids)
    if not ids:
        return result
    deliveries = list(_delivery_queryset().filter(pk__in=ids).order_by("next_attempt_at", "id"))
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        # The mail server is down: the whole batch waits and tries again later.
        for delivery in deliveries:
            _failed(delivery, error, now)
        result.failed = len(deliveries)
        result.errors.append(str(error))
        return result
    try:
        for delivery in deliveries:
            if not _still_claimed(delivery, now):
                continue  # reclaimed by another worker after CLAIM_TIMEOUT: theirs to send
            if not still_relevant(delivery):
                ReminderDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
                    state=DeliveryState.CANCELLED,
                    last_error=_("Hủy: hạn đã đổi hoặc nhiệm vụ kết thúc."),
                )
                continue
            try:
                message = build_message(delivery)
                message.connection = connection
                message.send()
            except (OSError, smtplib.SMTPException) as error:
                _failed(delivery, error, now)
                result.failed += 1
                result.errors.append(f"{delivery.email}: {error}")
                if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError):
                    _reopen(connection)
                continue
            ReminderDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
                state=DeliveryState.SENT, sent_at=timezone.now(), attempts=delivery.attempts + 1
            )
            result.sent += 1
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            log.warning("SMTP connection did not close cleanly", exc_info=True)
    return result


def _still_claimed(delivery: ReminderDelivery, claimed_at: dt.datetime) -> bool:
    return ReminderDelivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.SENDING, claimed_at=claimed_at
    ).exists()


def still_relevant(delivery: ReminderDelivery) -> bool:
    """A reminder whose deadline moved, or whose task ended, is not sent after all."""
    task = delivery.task
    if task is None or delivery.kind == ReminderKind.MANUAL:
        return True
    if task.state not in (*CHASED_STATES, TaskState.SUBMITTED):
        return False
    return not (delivery.kind in DEADLINE_KINDS and delivery.computed_for != task.due_date)


def _reopen(connection) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        log.warning("SMTP server unavailable; the rest of the batch will fail and retry")


def _failed(delivery: ReminderDelivery, error: Exception, now: dt.datetime) -> None:
    attempts = delivery.attempts + 1
    ReminderDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.RETRYING,
        attempts=attempts,
        last_error=str(error)[:2000],
        next_attempt_at=now + backoff(attempts),
        claimed_at=None,
    )
    log.warning(
        "Reminder %s to %s failed (attempt %s): %s", delivery.pk, delivery.email, attempts, error
    )
