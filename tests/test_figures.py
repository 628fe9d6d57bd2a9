"""Kept city-wide figures (tracker/figures.py): served while fresh and dated on the page, never
for a filtered view or a period's closing, computed again by the worker, and the same as
counted ones."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import figures, scoring
from tracker.models import FigureSnapshot, PeriodResult, ReportingPeriod, Task, TaskState

from . import test_dashboard
from .test_dashboard import DECEMBER, NOW, as_user, at, d

# The dashboard's tasks counted by hand, and its "today" (10/01/2026), shared with its tests.
december = test_dashboard.december
_today = test_dashboard._today

KEEP = dt.timedelta(seconds=300)


@pytest.fixture
def keep_everything(settings):
    """Every figure counts as slow: kept from the first reading."""
    settings.FIGURES_LIVE_MS = 0
    settings.FIGURES_KEEP_SECONDS = int(KEEP.total_seconds())


def page(user, **params):
    return as_user(user).get(reverse("portal:dashboard"), {**DECEMBER, **params})


def figures_of(response) -> dict:
    summary = response.context["summary"]
    return {
        "total": summary.current.total,
        "open_overdue": summary.current.open_overdue,
        "done_on_time": summary.current.done_on_time,
        "ranking": [
            (row["department"].pk, row["table"].as_dict()) for row in response.context["ranking"]
        ],
        "ages": [row["count"] for row in response.context["ages"]],
        "progress": [
            (row["directive"].pk, row["table"].as_dict()) for row in response.context["progress"]
        ],
        "scores": [
            (row["score"].department.pk, row["score"].total, row["score"].table.as_dict())
            for row in response.context["scores"]["rows"]
        ],
    }


def finish_overdue_task(december) -> None:
    """c3 (overdue since 15/10/2025) finished late: the figures change."""
    Task.objects.filter(pk=december["c3"].pk).update(
        state=TaskState.COMPLETED, submitted_at=at("20/12/2025"), completed_at=at("21/12/2025")
    )


def test_cheap_figures_are_counted_on_every_visit(people, december) -> None:
    before = figures_of(page(people.leader))
    finish_overdue_task(december)
    after = page(people.leader)
    assert figures_of(after) != before
    assert after.context["computed_at"] is None
    assert not FigureSnapshot.objects.exists()


def test_slow_figures_are_kept_dated_and_expire(people, december, keep_everything) -> None:
    first = page(people.leader)
    assert first.context["computed_at"] is None  # counted for this reader
    assert FigureSnapshot.objects.count() == 2  # the dashboard's, the scores'
    finish_overdue_task(december)

    kept = page(people.office)  # another reader, within the keep time
    assert figures_of(kept) == figures_of(first)
    assert kept.context["computed_at"] == NOW
    assert "Số liệu tổng hợp tính lúc 09:00 10/01/2026" in kept.content.decode()

    with time_machine.travel(NOW + KEEP + dt.timedelta(seconds=1), tick=False):
        expired = page(people.leader)
    assert figures_of(expired) != figures_of(first)
    assert expired.context["summary"].current.open_overdue == (
        first.context["summary"].current.open_overdue - 1
    )


def test_kept_figures_are_the_counted_ones(people, december, keep_everything) -> None:
    counted = page(people.leader)
    kept = page(people.leader)
    assert kept.context["computed_at"] is not None
    assert figures_of(kept) == figures_of(counted)
    assert [str(b["count"]) + b["url"] for b in kept.context["summary"].bars] == [
        str(b["count"]) + b["url"] for b in counted.context["summary"].bars
    ]


def test_a_filtered_view_is_never_kept(people, december, keep_everything) -> None:
    response = page(people.leader, don_vi=str(people.finance.pk))
    assert response.context["computed_at"] is None
    assert set(FigureSnapshot.objects.values_list("kind", flat=True)) == {"scores"}


def test_yesterdays_figures_are_not_served_today(people, december, keep_everything) -> None:
    page(people.leader, ky="thang", nam="2026", so="1")  # January runs: counted as of today
    finish_overdue_task(december)
    next_morning = NOW.replace(day=11, hour=0, minute=1)
    assert next_morning - NOW < KEEP * 1000
    with time_machine.travel(next_morning, tick=False):
        response = page(people.leader, ky="thang", nam="2026", so="1")
    assert response.context["computed_at"] is None
    assert response.context["scope"].end == d("11/01/2026")


def test_the_worker_counts_again_what_people_read(people, december, keep_everything) -> None:
    first = page(people.leader)
    finish_overdue_task(december)
    early = NOW + KEEP / 2 - dt.timedelta(seconds=1)
    with time_machine.travel(early, tick=False):
        # December's two are still fresh; figures being slow here, the dashboard and the
        # ranking of this month, quarter and year are counted once for the day.
        assert figures.refresh() == 6
        january = page(people.leader, ky="thang", nam="2026", so="1")
    assert january.context["computed_at"] == early
    later = NOW + KEEP / 2 + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert figures.refresh() == 2  # December's two, read and past half their keep time
        refreshed = page(people.leader)
    assert refreshed.context["computed_at"] == later
    assert figures_of(refreshed) != figures_of(first)
    # Figures nobody read for an hour are left to expire; today's first ones stay counted.
    with time_machine.travel(later + dt.timedelta(hours=1, minutes=1), tick=False):
        assert figures.refresh() == 0
    # The next morning, before anyone reads them.
    with time_machine.travel(NOW.replace(day=11, hour=6), tick=False):
        assert figures.refresh() == 6
        assert page(people.leader, ky="nam", nam="2026").context["computed_at"] is not None


def test_where_figures_are_cheap_the_worker_counts_nothing(people, december) -> None:
    page(people.leader)
    assert figures.refresh() == 0
    assert not FigureSnapshot.objects.exists()


def test_fresh_kept_figures_take_eight_queries_fewer(people, december, keep_everything) -> None:
    client = as_user(people.leader)
    url = reverse("portal:dashboard")
    client.get(url, DECEMBER)
    with CaptureQueriesContext(connection) as kept:
        response = client.get(url, DECEMBER)
    assert response.context["computed_at"] is not None
    assert len(kept) == 26 - 6 - 2  # tracker/dashboard.py's docstring lists them


def test_closing_a_period_counts_what_is_there_now(people, december, keep_everything) -> None:
    period = ReportingPeriod.objects.create(
        kind="month", start=d("01/12/2025"), end=d("31/12/2025")
    )
    page(people.leader)  # the scores are kept
    finish_overdue_task(december)
    kept = {s.department.pk: s.table.done_late for s in scoring.ranking(period)}
    scoring.period_close(period=period, actor=people.office)
    closed = PeriodResult.objects.get(period=period, department=people.construction)
    assert closed.figures["done_late"] == kept[people.construction.pk] + 1


def test_every_periodic_job_is_a_registered_task(settings) -> None:
    from tracker.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tracker.refresh_figures" in names
    assert names <= set(app.tasks), names - set(app.tasks)
