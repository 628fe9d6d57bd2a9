"""Celery tasks: thin wrappers that take ids or dates and call one service each."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction

from . import figures, reminders, timeliness

log = logging.getLogger(__name__)


@shared_task(name="tracker.scan_reminders")
def scan_reminders(as_of: str | None = None) -> int:
    """Plan and record the day's reminders (idempotent), then send them."""
    day = dt.date.fromisoformat(as_of) if as_of else timeliness.today()
    planned = reminders.scan(day)
    enqueue_sending()
    return len(planned)


BATCH = 200


@shared_task(name="tracker.send_reminders")
def send_reminders() -> dict[str, int]:
    result = reminders.send_due(limit=BATCH)
    if result.failed:
        log.warning("%s reminders failed and will be retried: %s", result.failed, result.errors[:3])
    if result.claimed >= BATCH and not result.failed:
        # A full batch: more may be waiting; do not leave them for the next beat minute.
        send_reminders.delay()
    return {"sent": result.sent, "failed": result.failed}


@shared_task(name="tracker.weekly_digest")
def weekly_digest(week_of: str | None = None) -> int:
    day = dt.date.fromisoformat(week_of) if week_of else timeliness.today()
    count = reminders.record(reminders.plan_weekly_digests(day))
    enqueue_sending()
    return count


@shared_task(name="tracker.monthly_summary")
def monthly_summary(month_of: str | None = None) -> int:
    day = dt.date.fromisoformat(month_of) if month_of else timeliness.today()
    count = reminders.record(reminders.plan_monthly_summaries(day))
    enqueue_sending()
    return count


@shared_task(name="tracker.refresh_figures")
def refresh_figures() -> int:
    """Compute again the city-wide figures people are reading (tracker/figures.py)."""
    return figures.refresh()


def enqueue_sending() -> None:
    """Send once the deliveries are committed; the every-minute beat job is the safety net."""
    transaction.on_commit(send_reminders.delay)
