"""Services that write indicators (chỉ tiêu) and their actual values per period."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .errors import NotPermitted, WorkflowError
from .models import Indicator, IndicatorValue, Task

INDICATOR_FIELDS = (
    "directive",
    "code",
    "name",
    "unit",
    "target",
    "stretch_target",
    "higher_is_better",
    "period",
    "start_date",
    "end_date",
    "department",
)


def _check_office(actor: User) -> None:
    if not actor.is_office:
        raise NotPermitted(_("Chỉ văn phòng theo dõi được cập nhật chỉ tiêu."))


def _validated(instance: Indicator | IndicatorValue) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None


def indicator_save(
    *,
    indicator: Indicator | int | None,
    actor: User,
    tasks: Iterable[Task] = (),
    **fields: Any,
) -> Indicator:
    """Create or change a chỉ tiêu and the tasks that serve it."""
    _check_office(actor)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"indicator_save does not take {sorted(unknown)}")
    with transaction.atomic():
        if indicator is None:
            instance = Indicator(**fields)
        else:
            pk = indicator if isinstance(indicator, int) else indicator.pk
            instance = Indicator.objects.select_for_update().get(pk=pk)
            for name, value in fields.items():
                setattr(instance, name, value)
        if instance.stretch_target is not None:
            wrong_way = (
                instance.stretch_target < instance.target
                if instance.higher_is_better
                else instance.stretch_target > instance.target
            )
            if wrong_way:
                raise WorkflowError(
                    _("Mức phấn đấu phải vượt mức chỉ tiêu phải đạt."), field="stretch_target"
                )
        _validated(instance)
        instance.save()
        instance.tasks.set(list(tasks))
    return instance


def indicator_value_record(
    *,
    actor: User,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    actual: decimal.Decimal,
    note: str = "",
) -> IndicatorValue:
    """Record (or correct) the actual value of a period; one value per period."""
    _check_office(actor)
    if period_end < period_start:
        raise WorkflowError(_("Cuối kỳ phải sau đầu kỳ."), field="period_end")
    if period_start < indicator.start_date or period_end > indicator.end_date:
        raise WorkflowError(
            _("Kỳ số liệu phải nằm trong thời gian của chỉ tiêu (%(start)s – %(end)s).")
            % {
                "start": indicator.start_date.strftime("%d/%m/%Y"),
                "end": indicator.end_date.strftime("%d/%m/%Y"),
            },
            field="period_start",
        )
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        value, _created = IndicatorValue.objects.update_or_create(
            indicator=indicator,
            period_start=period_start,
            defaults={
                "period_end": period_end,
                "actual": actual,
                "note": note.strip(),
                "reported_by": actor,
                "reported_at": timezone.now(),
            },
        )
    return value
