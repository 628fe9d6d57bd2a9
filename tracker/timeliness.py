"""Timeliness (tiến độ thực hiện): the buckets the Government Office and Hải Phòng report in.

Computed, never stored, as of any date, in calendar days of Asia/Ho_Chi_Minh; a due date means
the end of that day. Two implementations of one rule: ``annotate_timeliness`` for querysets
(lists, reports, reminders) and ``bucket_for`` for one task in memory. tests/test_timeliness.py
runs the same table through both and requires them to agree.

The rule, in order:
1. Paused and withdrawn tasks are out of the rates.
2. A task is finished as of D when its result was accepted on or before D. Its completion date
   is when the department submitted that result, so the office's review time does not count
   against the department: on time if submitted on or before the due date, late otherwise,
   "không hạn" if it has none.
3. Otherwise it is unfinished: "không hạn" without a due date. While a submitted result awaits
   evaluation the clock stops at the submission: submitted after the due date is overdue, on
   or before it is within the deadline. Else overdue once D is past the due date, "sắp đến hạn"
   when the due date is at most the warning window away, and within the deadline before that.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Task, TaskQuerySet


class Bucket(models.TextChoices):
    IN_TIME = "trong_han", _("Trong hạn")
    DUE_SOON = "sap_den_han", _("Sắp đến hạn")
    OVERDUE = "qua_han", _("Quá hạn")
    NO_DEADLINE = "khong_han", _("Không hạn")
    DONE_ON_TIME = "hoan_thanh_dung_han", _("Hoàn thành đúng hạn")
    DONE_LATE = "hoan_thanh_qua_han", _("Hoàn thành quá hạn")
    DONE_NO_DEADLINE = "hoan_thanh_khong_han", _("Hoàn thành (không hạn)")
    OUT_OF_RATES = "ngoai_ty_le", _("Tạm dừng, đã rút")


UNFINISHED = (Bucket.IN_TIME, Bucket.DUE_SOON, Bucket.OVERDUE, Bucket.NO_DEADLINE)
FINISHED = (Bucket.DONE_ON_TIME, Bucket.DONE_LATE, Bucket.DONE_NO_DEADLINE)

# The colours agencies use: overdue red, due soon orange, no deadline grey.
COLOURS = {
    Bucket.IN_TIME: "#1d6fb8",
    Bucket.DUE_SOON: "#d97706",
    Bucket.OVERDUE: "#c81e1e",
    Bucket.NO_DEADLINE: "#6b7280",
    Bucket.DONE_ON_TIME: "#15803d",
    Bucket.DONE_LATE: "#9a3412",
    Bucket.DONE_NO_DEADLINE: "#4d7c0f",
    Bucket.OUT_OF_RATES: "#9ca3af",
}

AGAINST = ("current", "original")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> dt.date:
    return timezone.localdate()


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localtime(moment, _zone()).date()


def _due_field(against: str) -> str:
    if against not in AGAINST:
        raise ValueError(f"against must be one of {AGAINST}, not {against!r}")
    return "due_date" if against == "current" else "original_due_date"


def bucket_for(task: Task, *, as_of: dt.date | None = None, against: str = "current") -> Bucket:
    """The Python twin of ``annotate_timeliness`` for one task."""
    from .models import STATES_OUT_OF_RATES, TaskState

    as_of = as_of or today()
    due: dt.date | None = getattr(task, _due_field(against))
    warning = as_of + dt.timedelta(days=settings.TIMELINESS_WARNING_DAYS)
    submitted = local_date(task.submitted_at)
    completed = local_date(task.completed_at)

    if task.state in STATES_OUT_OF_RATES:
        return Bucket.OUT_OF_RATES
    if task.state == TaskState.COMPLETED and completed is not None and completed <= as_of:
        if due is None:
            return Bucket.DONE_NO_DEADLINE
        return Bucket.DONE_ON_TIME if submitted <= due else Bucket.DONE_LATE
    if due is None:
        return Bucket.NO_DEADLINE
    awaiting = task.state in (TaskState.SUBMITTED, TaskState.COMPLETED)
    if awaiting and submitted is not None and submitted <= as_of:
        return Bucket.OVERDUE if submitted > due else Bucket.IN_TIME
    if due < as_of:
        return Bucket.OVERDUE
    if due <= warning:
        return Bucket.DUE_SOON
    return Bucket.IN_TIME


def timeliness_expression(*, as_of: dt.date, against: str = "current") -> Case:
    """The Case expression; needs the ``_submitted_on`` and ``_completed_on`` aliases."""
    from .models import STATES_OUT_OF_RATES, TaskState

    due = _due_field(against)
    warning = as_of + dt.timedelta(days=settings.TIMELINESS_WARNING_DAYS)
    finished = Q(state=TaskState.COMPLETED, _completed_on__lte=as_of)
    awaiting = Q(state__in=[TaskState.SUBMITTED, TaskState.COMPLETED], _submitted_on__lte=as_of)
    return Case(
        When(state__in=STATES_OUT_OF_RATES, then=Value(Bucket.OUT_OF_RATES)),
        When(finished & Q(**{f"{due}__isnull": True}), then=Value(Bucket.DONE_NO_DEADLINE)),
        When(finished & Q(_submitted_on__lte=F(due)), then=Value(Bucket.DONE_ON_TIME)),
        When(finished, then=Value(Bucket.DONE_LATE)),
        When(**{f"{due}__isnull": True}, then=Value(Bucket.NO_DEADLINE)),
        When(awaiting & Q(_submitted_on__gt=F(due)), then=Value(Bucket.OVERDUE)),
        When(awaiting, then=Value(Bucket.IN_TIME)),
        When(**{f"{due}__lt": as_of}, then=Value(Bucket.OVERDUE)),
        When(**{f"{due}__lte": warning}, then=Value(Bucket.DUE_SOON)),
        default=Value(Bucket.IN_TIME),
        output_field=models.CharField(),
    )


def annotate_timeliness(
    queryset: TaskQuerySet,
    *,
    as_of: dt.date | None = None,
    against: str = "current",
    name: str = "timeliness",
) -> TaskQuerySet:
    """Annotate ``name`` with the Bucket value of each task as of ``as_of``."""
    as_of = as_of or today()
    zone = _zone()
    return queryset.alias(
        _submitted_on=TruncDate("submitted_at", tzinfo=zone),
        _completed_on=TruncDate("completed_at", tzinfo=zone),
    ).annotate(**{name: timeliness_expression(as_of=as_of, against=against)})


# --- Chưa cập nhật: no progress report for N days --------------------------------------------


def is_stale(task: Task, *, as_of: dt.date | None = None) -> bool:
    """Python twin of ``annotate_stale``: an open task with no activity (assignment,
    acceptance, progress report) for STALE_REPORT_DAYS."""
    from .models import OPEN_STATES

    as_of = as_of or today()
    if task.state not in OPEN_STATES:
        return False
    return local_date(task.last_activity_at) < as_of - dt.timedelta(days=settings.STALE_REPORT_DAYS)


def annotate_stale(
    queryset: TaskQuerySet, *, as_of: dt.date | None = None, name: str = "is_stale"
) -> TaskQuerySet:
    from .models import OPEN_STATES

    as_of = as_of or today()
    threshold = as_of - dt.timedelta(days=settings.STALE_REPORT_DAYS)
    return queryset.alias(_last_activity_on=TruncDate("last_activity_at", tzinfo=_zone())).annotate(
        **{
            name: Case(
                When(
                    Q(state__in=OPEN_STATES, _last_activity_on__lt=threshold),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        }
    )
