"""Calendar feeds: the deadlines each person is concerned with, at a secret address they renew."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from tracker import calendars, workflow
from tracker.models import CalendarFeed, DeadlineKind, Task, TaskCoordination, TaskState

from .conftest import Personas
from .factories import DirectiveFactory, TaskFactory

# Every test runs on this day (Asia/Ho_Chi_Minh): the feed's window depends on "today".
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def feed_of(user, scope: str = "department") -> CalendarFeed:
    return calendars.feed_get_or_create(user=user, scope=scope)


def fetch(feed_or_token: CalendarFeed | str):
    token = feed_or_token.token if isinstance(feed_or_token, CalendarFeed) else feed_or_token
    return Client().get(reverse("portal:calendar_feed", args=[token]))


def events_of(feed: CalendarFeed) -> dict[str, object]:
    """The feed as a calendar app reads it, over HTTP: events by UID."""
    response = fetch(feed)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(task: Task) -> str:
    return f"task-{task.pk}@dondoc"


# --- The feed --------------------------------------------------------------------------------


def test_one_all_day_event_per_task_with_a_due_date(people: Personas, task, settings) -> None:
    settings.SITE_URL = "https://dondoc.haiphong.gov.vn"
    later = TaskFactory(lead_department=people.finance, due_date=dt.date(2026, 4, 30))
    continuous = TaskFactory(
        lead_department=people.finance,
        deadline_kind=DeadlineKind.CONTINUOUS,
        due_date=None,
        original_due_date=None,
    )
    old_open = TaskFactory(lead_department=people.finance, due_date=dt.date(2025, 6, 30))
    old_withdrawn = TaskFactory(
        lead_department=people.finance, due_date=dt.date(2025, 6, 30), state=TaskState.WITHDRAWN
    )
    response = fetch(feed_of(people.finance_staff))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Đôn Đốc – Sở Tài chính"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    # Continuous tasks have no date; a withdrawn one long past is left out; an open one
    # however overdue stays.
    assert set(events) == {uid(task), uid(later), uid(old_open)}
    assert uid(continuous) not in events and uid(old_withdrawn) not in events

    event = events[uid(task)]
    assert event.decoded("DTSTART") == dt.date(2025, 12, 15)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTEND") == dt.date(2025, 12, 16)
    assert str(event["SUMMARY"]) == f"[Hạn] {task.content}"
    description = str(event["DESCRIPTION"])
    for part in (
        str(task.directive),
        "Sở Tài chính",
        "15/12/2025",
        "Mới giao",
        f"https://dondoc.haiphong.gov.vn/nhiem-vu/{task.pk}/",
    ):
        assert part in description, part
    assert "hạn ban đầu" not in description
    assert str(event["URL"]) == f"https://dondoc.haiphong.gov.vn/nhiem-vu/{task.pk}/"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Quá hạn"]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == 0
    assert [str(c) for c in events[uid(later)]["CATEGORIES"].cats] == ["Trong hạn"]


def test_a_long_content_is_cut_to_120_characters_in_the_summary(people) -> None:
    long = TaskFactory(lead_department=people.finance, content="Xây dựng " * 40)
    summary = str(events_of(feed_of(people.finance_staff))[uid(long)]["SUMMARY"])
    assert summary.startswith("[Hạn] Xây dựng")
    assert len(summary) == len("[Hạn] ") + 120
    assert summary.endswith("…")


def test_an_approved_extension_moves_the_same_event(people: Personas) -> None:
    task = TaskFactory(lead_department=people.finance, due_date=dt.date(2026, 4, 30))
    feed = feed_of(people.finance_staff)
    before = events_of(feed)[uid(task)]
    assert before.decoded("DTSTART") == dt.date(2026, 4, 30)

    workflow.task_accept(task=task, actor=people.finance_staff)
    request = workflow.extension_request(
        task=task,
        actor=people.finance_head,
        requested_due_date=dt.date(2026, 6, 30),
        reason="Chờ số liệu của Cục Thống kê",
    )
    workflow.extension_decide(
        request=request,
        actor=people.office,
        approve=True,
        decision_number="123/UBND-TH",
        decision_date=dt.date(2026, 3, 2),
    )

    events = events_of(feed)
    assert list(events) == [uid(task)]  # the same UID: the calendar moves the event
    after = events[uid(task)]
    assert after.decoded("DTSTART") == dt.date(2026, 6, 30)
    assert after.decoded("DTEND") == dt.date(2026, 7, 1)
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    description = str(after["DESCRIPTION"])
    assert "30/06/2026" in description
    assert "hạn ban đầu 30/04/2026" in description
    assert "Đang thực hiện" in description


def test_a_withdrawn_task_is_cancelled(people, task) -> None:
    feed = feed_of(people.finance_head, "personal")
    assert str(events_of(feed)[uid(task)]["STATUS"]) == "CONFIRMED"
    workflow.task_withdraw(task=task, actor=people.office, reason="Không còn phù hợp")
    event = events_of(feed)[uid(task)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 1
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Tạm dừng, đã rút"]


# --- Who sees what ---------------------------------------------------------------------------


def test_a_department_feed_holds_what_it_leads_or_coordinates_and_nothing_else(
    people: Personas, task
) -> None:
    health_task = TaskFactory(lead_department=people.health, due_date=dt.date(2026, 4, 30))
    led_by_construction = TaskFactory(
        lead_department=people.construction, due_date=dt.date(2026, 5, 15)
    )
    TaskCoordination.objects.create(task=led_by_construction, department=people.finance)

    finance = events_of(feed_of(people.finance_staff))
    assert set(finance) == {uid(task), uid(led_by_construction)}
    construction = events_of(feed_of(people.construction_staff))
    assert set(construction) == {uid(task), uid(led_by_construction)}  # coordinated, and led
    health = events_of(feed_of(people.health_staff))
    assert set(health) == {uid(health_task)}


def test_a_personal_feed_holds_tasks_given_to_the_person_and_for_a_head_the_led_ones(
    people: Personas, task
) -> None:
    mine = TaskFactory(lead_department=people.finance, due_date=dt.date(2026, 4, 30))
    workflow.task_give_to_staff(task=mine, actor=people.finance_head, staff=[people.finance_staff])
    coordinated = TaskFactory(lead_department=people.construction, due_date=dt.date(2026, 5, 1))
    TaskCoordination.objects.create(task=coordinated, department=people.finance)

    staff = events_of(feed_of(people.finance_staff, "personal"))
    assert set(staff) == {uid(mine)}
    assert str(
        Calendar.from_ical(calendars.calendar_for(feed_of(people.finance_staff, "personal")))[
            "X-WR-CALNAME"
        ]
    ) == ("Đôn Đốc – Đỗ Thị Lan")
    head = events_of(feed_of(people.finance_head, "personal"))
    assert set(head) == {uid(task), uid(mine)}  # led by the department; not the coordinated one


def test_a_feed_never_shows_a_task_its_owner_may_not_see(people: Personas, task) -> None:
    # Even if someone were listed on another department's task, visibility decides.
    task.assignees.add(people.health_staff)
    assert events_of(feed_of(people.health_staff, "personal")) == {}
    # A person without a department has an empty department feed.
    stray = CalendarFeed.objects.create(
        user=people.inspector, scope="department", token="x" * 43, created_at=NOW
    )
    assert events_of(stray) == {}


# --- The secret address ----------------------------------------------------------------------


def test_renewing_revokes_the_old_address_at_once(people, task) -> None:
    old = feed_of(people.finance_staff)
    assert feed_of(people.finance_staff) == old  # one live feed, made once
    assert len(old.token) >= 32
    new = calendars.feed_renew(user=people.finance_staff, scope="department")
    assert new.token != old.token
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert feed_of(people.finance_staff) == new
    old.refresh_from_db()
    assert old.revoked_at is not None
    live = CalendarFeed.objects.filter(user=people.finance_staff, revoked_at__isnull=True)
    assert list(live) == [new]
    # The database holds the promise too: a second live feed for the scope is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(
            user=people.finance_staff, scope="department", token="y" * 43, created_at=NOW
        )
    # The personal feed is another scope, untouched by the renewal.
    personal = feed_of(people.finance_staff, "personal")
    assert fetch(personal).status_code == 200


def test_unknown_token_and_inactive_person_get_404(people, task) -> None:
    assert fetch("khong-co-ma-nay").status_code == 404
    feed = feed_of(people.finance_staff)
    assert fetch(feed).status_code == 200
    people.finance_staff.is_active = False
    people.finance_staff.save(update_fields=["is_active"])
    assert fetch(feed).status_code == 404


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError):
        calendars.feed_renew(user=None, scope="everything")


# --- The page --------------------------------------------------------------------------------


def test_the_page_shows_the_addresses_and_renews_one(people, task, settings) -> None:
    settings.SITE_URL = "https://dondoc.haiphong.gov.vn"
    assert Client().get(reverse("portal:calendars"))["Location"].startswith(reverse("login"))
    client = as_user(people.finance_staff)
    response = client.get(reverse("portal:calendars"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Lịch hạn nhiệm vụ" in body
    assert "Đổi địa chỉ bí mật" in body
    assert "ngừng hoạt động" in body
    feeds = {f.scope: f for f in CalendarFeed.objects.filter(user=people.finance_staff)}
    assert set(feeds) == {"personal", "department"}
    for feed in feeds.values():
        path = reverse("portal:calendar_feed", args=[feed.token])
        assert f"https://dondoc.haiphong.gov.vn{path}" in body
        assert f"webcal://dondoc.haiphong.gov.vn{path}" in body
    # Opening the page again shows the same addresses.
    client.get(reverse("portal:calendars"))
    assert CalendarFeed.objects.filter(user=people.finance_staff).count() == 2

    renewed = client.post(reverse("portal:calendars"), {"scope": "department"}, follow=True)
    assert "Địa chỉ cũ không còn dùng được" in renewed.content.decode()
    assert fetch(feeds["department"]).status_code == 404
    assert fetch(feeds["personal"]).status_code == 200
    new = CalendarFeed.objects.get(
        user=people.finance_staff, scope="department", revoked_at__isnull=True
    )
    assert new.token in renewed.content.decode()

    refused = client.post(reverse("portal:calendars"), {"scope": "khac"}, follow=True)
    assert "Không có lịch này" in refused.content.decode()
    assert (
        CalendarFeed.objects.filter(user=people.finance_staff, revoked_at__isnull=True).count() == 2
    )


def test_renewing_needs_the_csrf_token(people) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.finance_staff)
    feed = feed_of(people.finance_staff)
    assert client.post(reverse("portal:calendars"), {"scope": "department"}).status_code == 403
    assert fetch(feed).status_code == 200


def test_a_person_without_a_department_has_only_a_personal_feed(people) -> None:
    body = as_user(people.inspector).get(reverse("portal:calendars")).content.decode()
    assert list(
        CalendarFeed.objects.filter(user=people.inspector).values_list("scope", flat=True)
    ) == ["personal"]
    assert "Của đơn vị" not in body
    refused = as_user(people.inspector).post(reverse("portal:calendars"), {"scope": "department"})
    assert refused.status_code == 302
    assert not CalendarFeed.objects.filter(user=people.inspector, scope="department").exists()


def test_the_nav_links_to_the_calendars(people) -> None:
    body = as_user(people.finance_staff).get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:calendars")}"' in body


# --- Fixed query count -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,scope",
    [("finance_head", "personal"), ("finance_staff", "department"), ("leader", "personal")],
)
def test_the_feed_runs_the_same_queries_for_5_and_50_tasks(people, who, scope) -> None:
    directive = DirectiveFactory()
    user = getattr(people, who)
    feed = feed_of(user, scope)

    def count(n: int) -> tuple[int, int]:
        Task.objects.all().delete()
        made = TaskFactory.create_batch(
            n,
            directive=directive,
            lead_department=people.finance,
            due_date=dt.date(2026, 4, 30),
            leader_in_charge=people.leader,
        )
        for item in made:
            item.assignees.add(people.finance_staff)
            TaskCoordination.objects.create(task=item, department=people.construction)
        fetch(feed)
        with CaptureQueriesContext(connection) as captured:
            response = fetch(feed)
        assert response.status_code == 200
        return len(captured), response.content.count(b"BEGIN:VEVENT")

    (few, few_events), (many, many_events) = count(5), count(50)
    assert (few_events, many_events) == (5, 50)
    assert few == many, (few, many)
    assert many <= 4, many
