"""Reminders through a real SMTP server: the sequence around 15/12/2025, exactly once."""

from __future__ import annotations

import datetime as dt
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import reminders, workflow
from tracker.models import (
    DeliveryState,
    EventKind,
    Notification,
    RecipientRole,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    Task,
    TaskState,
)

from .conftest import Personas
from .factories import TaskFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi(day: dt.date, hour: int = 7, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HANOI)


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007


def run_day(day: dt.date) -> reminders.SendResult:
    """What beat does on a day, twice over: the second scan must add nothing."""
    with time_machine.travel(hanoi(day), tick=False):
        reminders.scan()
        reminders.scan()
        return reminders.send_due()


@pytest.fixture
def chased(people: Personas, task: Task) -> Task:
    """The 15/12/2025 task, given to a staff member and accepted on 01/12/2025."""
    Task.objects.filter(pk=task.pk).update(leader_in_charge=people.leader)
    with time_machine.travel(hanoi(d("01/12/2025"), 9), tick=False):
        workflow.task_give_to_staff(
            task=task, actor=people.finance_head, staff=[people.finance_staff]
        )
        workflow.task_accept(task=task, actor=people.finance_staff)
    task.refresh_from_db()
    return task


def test_the_full_sequence_from_seven_days_before_to_the_escalation(people, chased, mail_server):
    day = d("07/12/2025")
    while day <= d("06/01/2026"):
        run_day(day)
        day += dt.timedelta(days=1)

    inbox = mail_server.inbox
    lead = [people.finance_staff.email, people.finance_head.email, people.construction.email]
    expected_rounds = [
        (ReminderKind.BEFORE_DUE, 7), (ReminderKind.BEFORE_DUE, 3), (ReminderKind.BEFORE_DUE, 1),
        (ReminderKind.DUE_TODAY, 0),
        (ReminderKind.OVERDUE, 1), (ReminderKind.OVERDUE, 2), (ReminderKind.OVERDUE, 3),
    ]  # fmt: skip
    sent = ReminderDelivery.objects.filter(task=chased, state=DeliveryState.SENT)
    for kind, sequence in expected_rounds:
        got = sorted(sent.filter(kind=kind, sequence=sequence).values_list("email", flat=True))
        assert got == sorted(lead), (kind, sequence)
    escalated = sent.filter(kind=ReminderKind.ESCALATION)
    assert sorted(escalated.values_list("email", flat=True)) == sorted(
        [people.office.email, people.leader.email]
    )
    assert escalated.get(email=people.leader.email).created_at == hanoi(d("05/01/2026"))
    # No progress report for 30 days after acceptance: the lead is nudged, once.
    stale = sent.filter(kind=ReminderKind.STALE)
    assert sorted(stale.values_list("email", flat=True)) == sorted(lead[:2])
    assert stale.first().created_at == hanoi(d("31/12/2025"))

    # Exactly once: every delivery reached its address one time, and nothing else was sent.
    assert len(inbox.messages) == sent.count() == 7 * 3 + 2 + 2
    ids = [m["X-DonDoc-Delivery"] for m in inbox.messages]
    assert len(ids) == len(set(ids))
    assert not inbox.to(people.health_staff.email)

    first = inbox.to(people.finance_staff.email)[0]
    assert "Nhắc trước hạn" in first["Subject"]
    text = first.get_body(("plain",)).get_content()
    html = first.get_body(("html",)).get_content()
    for body in (text, html):
        assert "15/12/2025" in body
        assert "Tham mưu triển khai 45 Nghị quyết" in body
        assert "Sở Tài chính" in body
        assert f"/nhiem-vu/{chased.pk}/" in body
    assert "Trong hạn" in text
    overdue = [m for m in inbox.to(people.finance_staff.email) if "quá hạn" in m["Subject"]]
    assert "quá hạn 7 ngày" in overdue[0].get_body(("plain",)).get_content()

    # The task's timeline and the people's in-app notifications show the reminders.
    assert chased.events.filter(kind=EventKind.REMINDER_SENT).count() == 7 + 1 + 1
    reminded = Notification.objects.filter(user=people.finance_staff, delivery__isnull=False)
    assert reminded.count() == 8


def test_two_scans_and_two_senders_at_once_send_one_copy(people, chased, mail_server):
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()
        reminders.scan()
        first, second = reminders.send_due(), reminders.send_due()
    assert (first.sent, second.sent) == (3, 0)
    assert len(mail_server.inbox.messages) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_record_each_reminder_once(people, chased, mail_server):
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def beat_tick() -> None:
        try:
            barrier.wait()
            with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
                reminders.scan()
                reminders.send_due()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # a thread's own connection: let the test database go

    threads = [threading.Thread(target=beat_tick) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert ReminderDelivery.objects.filter(task=chased).count() == 3
    assert len(mail_server.inbox.messages) == 3


def test_a_refusing_then_accepting_mail_server_gives_exactly_one_delivery(chased, mail_server):
    mail_server.inbox.refuse = True
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()
        failed = reminders.send_due()
    assert failed.failed == 3 and mail_server.inbox.refused == 3
    retrying = ReminderDelivery.objects.filter(state=DeliveryState.RETRYING)
    assert retrying.count() == 3
    assert all("451" in r.last_error for r in retrying)

    mail_server.inbox.refuse = False
    with time_machine.travel(hanoi(d("12/12/2025"), 7, 0), tick=False):
        assert reminders.send_due().sent == 0  # the backoff has not passed yet
    with time_machine.travel(hanoi(d("12/12/2025"), 7, 2), tick=False):
        assert reminders.send_due().sent == 3
        assert reminders.send_due().sent == 0
    assert len(mail_server.inbox.messages) == 3
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {2}


def test_a_mail_server_down_for_an_hour_loses_nothing(chased, mail_server):
    mail_server.stop()
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()
    minute = 0
    while minute < 60:  # the beat job every few minutes while the server is down
        with time_machine.travel(hanoi(d("12/12/2025"), 7, minute), tick=False):
            reminders.send_due()
        minute += 5
    assert ReminderDelivery.objects.filter(state=DeliveryState.RETRYING).count() == 3
    mail_server.start()
    with time_machine.travel(hanoi(d("12/12/2025"), 9, 30), tick=False):
        assert reminders.send_due().sent == 3
    assert len(mail_server.inbox.messages) == 3


def test_a_worker_killed_mid_batch_is_reclaimed_without_duplicates(chased, mail_server):
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()
        claimed = reminders.claim(now=hanoi(d("12/12/2025")), limit=10)
        assert len(claimed) == 3  # …and the worker dies here, before sending
        assert reminders.send_due().sent == 0  # still claimed: nobody else sends them
    with time_machine.travel(hanoi(d("12/12/2025"), 7, 11), tick=False):
        assert reminders.send_due().sent == 3
    assert len(mail_server.inbox.messages) == 3


def test_an_extension_between_two_scans_moves_the_reminders(people, chased, mail_server):
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()  # "3 days before 15/12" is recorded but not sent yet
        request = workflow.extension_request(
            task=chased, actor=people.finance_staff, requested_due_date=d("31/12/2025"),
            reason="Chờ nghị quyết đăng công báo",
        )  # fmt: skip
        workflow.extension_decide(
            request=request, actor=people.leader, approve=True,
            decision_number="1234/UBND-TH", decision_date=d("12/12/2025"),
        )  # fmt: skip
        assert reminders.send_due().sent == 0
    assert set(ReminderDelivery.objects.values_list("state", flat=True)) == {
        DeliveryState.CANCELLED
    }
    for day in ("14/12/2025", "15/12/2025", "22/12/2025"):
        run_day(d(day))  # the old date's reminders do not come
    assert mail_server.inbox.messages == []
    run_day(d("24/12/2025"))  # 7 days before the new date
    assert len(mail_server.inbox.messages) == 3
    assert all(
        "31/12/2025" in m.get_body(("plain",)).get_content() for m in mail_server.inbox.messages
    )
    assert set(
        ReminderDelivery.objects.filter(state=DeliveryState.SENT).values_list(
            "computed_for", flat=True
        )
    ) == {d("31/12/2025")}


def test_nobody_hears_of_a_task_they_may_not_see(people, chased, mail_server):
    # Data gone wrong: a staff member of Sở Y tế attached to the task, and named head of
    # Sở Xây dựng, the coordinator.
    chased.assignees.add(people.health_staff)
    people.construction.head = people.health_staff
    people.construction.save()
    run_day(d("12/12/2025"))
    assert not mail_server.inbox.to(people.health_staff.email)
    assert people.construction.email in {m["To"] for m in mail_server.inbox.messages}


def test_inactive_people_are_skipped_and_the_mailbox_stands_in(people, chased, mail_server):
    people.finance_staff.is_active = False
    people.finance_staff.save()
    people.finance_head.is_active = False
    people.finance_head.save()
    run_day(d("12/12/2025"))
    assert sorted(m["To"] for m in mail_server.inbox.messages) == sorted(
        [people.finance.email, people.construction.email]
    )
    roles = set(ReminderDelivery.objects.values_list("role", flat=True))
    assert roles == {RecipientRole.MAILBOX, RecipientRole.COORDINATOR}


@pytest.mark.parametrize(
    "state", [TaskState.PAUSED, TaskState.WITHDRAWN, TaskState.COMPLETED, TaskState.DECLINED]
)
def test_paused_withdrawn_declined_and_finished_tasks_are_not_chased(people, mail_server, state):
    extra = {"state_before_pause": TaskState.IN_PROGRESS} if state == TaskState.PAUSED else {}
    if state == TaskState.COMPLETED:
        extra = {"submitted_at": hanoi(d("10/12/2025")), "completed_at": hanoi(d("11/12/2025"))}
    TaskFactory(lead_department=people.finance, state=state, **extra)
    for day in ("12/12/2025", "15/12/2025", "22/12/2025"):
        run_day(d(day))
    assert mail_server.inbox.messages == []
    assert not ReminderDelivery.objects.exists()


def test_a_task_finished_before_its_reminder_went_out_is_not_chased(people, chased, mail_server):
    with time_machine.travel(hanoi(d("12/12/2025")), tick=False):
        reminders.scan()
        workflow.task_withdraw(task=chased, actor=people.leader, reason="Không còn phù hợp")
        assert reminders.send_due().sent == 0
    assert mail_server.inbox.messages == []


def test_an_urgent_directive_can_be_chased_daily(people, chased, mail_server):
    ReminderPolicy.objects.create(
        name="Khẩn: hằng ngày", directive=chased.directive, days_before=[2, 1], overdue_every_days=1
    )
    for day in ("13/12/2025", "14/12/2025", "16/12/2025", "17/12/2025"):
        run_day(d(day))
    kinds = list(
        ReminderDelivery.objects.filter(email=people.finance_staff.email)
        .order_by("created_at")
        .values_list("kind", "sequence")
    )
    assert kinds == [
        (ReminderKind.BEFORE_DUE, 2),
        (ReminderKind.BEFORE_DUE, 1),
        (ReminderKind.OVERDUE, 1),
        (ReminderKind.OVERDUE, 2),
    ]


def test_a_periodic_report_is_reminded_before_each_period_closes(people, mail_server):
    periodic = TaskFactory(
        lead_department=people.finance, state=TaskState.IN_PROGRESS, deadline_kind="periodic",
        report_frequency="monthly", due_date=d("31/12/2026"), original_due_date=d("31/12/2026"),
        last_activity_at=hanoi(d("20/01/2026")),
    )  # fmt: skip
    for day in ("27/01/2026", "28/01/2026", "25/02/2026"):
        run_day(d(day))
    deliveries = ReminderDelivery.objects.filter(task=periodic, kind=ReminderKind.PERIODIC)
    assert sorted(set(deliveries.values_list("computed_for", flat=True))) == [
        d("31/01/2026"),
        d("28/02/2026"),
    ]


def test_the_office_sends_a_reminder_by_hand_and_it_counts(people, chased, mail_server):
    with pytest.raises(Exception, match="nội dung"):
        reminders.reminder_send_manual(task=chased, actor=people.office, message=" ")
    with pytest.raises(Exception, match="Chỉ văn phòng"):
        reminders.reminder_send_manual(task=chased, actor=people.finance_head, message="Nhắc")
    count = reminders.reminder_send_manual(
        task=chased, actor=people.office, message="Đề nghị báo cáo trước 16 giờ hôm nay."
    )
    assert count == 3
    reminders.send_due()
    assert len(mail_server.inbox.messages) == 3
    body = mail_server.inbox.messages[0].get_body(("plain",)).get_content()
    assert "Đề nghị báo cáo trước 16 giờ hôm nay." in body
    event = chased.events.get(kind=EventKind.REMINDER_SENT)
    assert event.actor == people.office


def test_weekly_digest_and_monthly_summary(people, chased, mail_server):
    from tracker import tasks

    with time_machine.travel(hanoi(d("15/12/2025")), tick=False):
        assert tasks.weekly_digest.run() == 1  # Sở Tài chính has a head
        assert tasks.weekly_digest.run() == 0
        assert tasks.monthly_summary.run() == 1  # one leader
        reminders.send_due()
    digest = mail_server.inbox.to(people.finance_head.email)[0]
    assert "Tổng hợp hằng tuần" in digest["Subject"]
    assert "15/12/2025" in digest["Subject"]  # the Monday of that week
    assert "Tham mưu triển khai 45 Nghị quyết" in digest.get_body(("plain",)).get_content()
    summary = mail_server.inbox.to(people.leader.email)[0]
    assert "Sở Tài chính" in summary.get_body(("plain",)).get_content()


def test_the_scan_work_follows_the_reminders_due_not_the_tasks(people, chased):
    def queries(extra_tasks: int) -> int:
        TaskFactory.create_batch(
            extra_tasks, lead_department=people.finance, state=TaskState.IN_PROGRESS,
            due_date=d("30/06/2026"), original_due_date=d("30/06/2026"),
            last_activity_at=hanoi(d("10/12/2025")),
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            planned = reminders.plan(d("12/12/2025"))
        assert len(planned) == 3
        return len(captured)

    reminders.default_policy()  # created on first use; not part of a day's scan
    few, many = queries(5), queries(200)
    # policies, the due tasks with their lead, directive and leader, assignees, coordinations
    # with their departments, the "chưa cập nhật" tasks, the periodic ones (none due that day).
    assert few == many
    assert many <= 10


def test_send_reminders_command_dry_run_lists_and_changes_nothing(people, chased):
    out = io.StringIO()
    call_command("send_reminders", "--as-of", "2025-12-12", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Nhắc trước hạn (3)" in text
    assert "15/12/2025" in text
    assert people.finance_staff.email in text
    assert not ReminderDelivery.objects.exists()


def test_send_reminders_command_rejects_a_bad_date(people) -> None:
    with pytest.raises(Exception, match="không hợp lệ"):
        call_command("send_reminders", "--as-of", "32/13/2025", stdout=io.StringIO())
