"""Choosing a directive in a filter when a city has thousands: the newest, the chosen one, and
a search for the others; the dashboard's progress table keeps to the directives most behind."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DirectiveFactory, TaskFactory
from tracker import dashboard
from tracker.directives import DIRECTIVE_CHOICES

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(people):
    """60 directives, each with a task of Sở Tài chính; the oldest is 1/KH-UBND."""
    directives = [
        DirectiveFactory(symbol=f"{n}/KH-UBND", issue_date=dt.date(2024, 1, 1) + dt.timedelta(n))
        for n in range(1, 61)
    ]
    for directive in directives:
        TaskFactory(directive=directive, lead_department=people.finance)
    return directives


def options(html: str, select_id: str = "id_van_ban") -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"(?! disabled)', select)


def test_the_home_filter_offers_the_newest_and_keeps_the_chosen_one(people, many) -> None:
    client = Client()
    client.force_login(people.finance_head)
    offered = options(client.get(reverse("portal:home")).content.decode())
    assert len(offered) == DIRECTIVE_CHOICES + 1  # "Tất cả văn bản" and the 50 newest
    assert str(many[-1].pk) in offered and str(many[0].pk) not in offered
    chosen = client.get(reverse("portal:home"), {"van_ban": many[0].pk}).content.decode()
    assert str(many[0].pk) in options(chosen)
    assert f'<option value="{many[0].pk}" selected>' in chosen


def test_the_search_finds_only_visible_directives(people, many) -> None:
    other = DirectiveFactory(symbol="999/KH-UBND", summary="Văn bản của Sở Y tế")
    TaskFactory(directive=other, lead_department=people.health)
    client = Client()
    client.force_login(people.finance_head)
    url = reverse("portal:directive_options")
    found = client.get(url, {"tim": "1/KH"}).content.decode()
    assert set(re.findall(r'value="(\d+)"', found)) == {
        str(d.pk) for d in many if "1/KH" in d.symbol
    }
    assert client.get(url, {"tim": "999"}).content.decode().count("<option") == 1  # only "all"
    client.force_login(people.office)
    assert str(other.pk) in client.get(url, {"tim": "999"}).content.decode()


def test_the_dashboard_shows_the_directives_most_behind(people, many, settings) -> None:
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    # One directive with an overdue task stands first among the 30 shown.
    behind = many[0]
    TaskFactory(directive=behind, lead_department=people.finance, due_date=dt.date(2024, 1, 1))
    client = Client()
    client.force_login(people.leader)
    response = client.get(reverse("portal:dashboard"))
    rows = response.context["progress"]
    assert len(rows) == dashboard.DIRECTIVE_ROWS
    assert behind in [row["directive"] for row in rows]
    assert response.context["progress_more"] == 60 - dashboard.DIRECTIVE_ROWS
    assert "còn 30 văn bản khác" in response.content.decode()
    assert len(options(response.content.decode(), "van_ban")) == DIRECTIVE_CHOICES + 1


def test_the_admin_filter_lists_the_newest_and_filters_by_the_chosen_one(people, many) -> None:
    client = Client()
    client.force_login(people.office)
    url = reverse("admin:tracker_task_changelist")
    page = client.get(url).content.decode()
    links = set(re.findall(r"directive__id__exact=(\d+)", page))
    assert len(links) == DIRECTIVE_CHOICES and str(many[0].pk) not in links
    chosen = client.get(url, {"directive__id__exact": many[0].pk})
    assert str(many[0].pk) in set(
        re.findall(r"directive__id__exact=(\d+)", chosen.content.decode())
    )
    assert [t.directive_id for t in chosen.context["cl"].result_list] == [many[0].pk]
