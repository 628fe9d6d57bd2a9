"""Deadlines as agencies write them, and the due date each one means.

"Quý II/2026" means the last day of that quarter; "Thường xuyên" has no date (DOMAIN.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
QUARTER_ROMAN = {v: k for k, v in ROMAN_QUARTERS.items()}


# Dates outside these years are typing mistakes, and date arithmetic near year 1 or 9999 fails.
PLAUSIBLE_YEARS = (1900, 2200)


class DeadlineError(ValueError):
    """A deadline that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Deadline:
    kind: str  # a tracker.models.DeadlineKind value
    due_date: dt.date | None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def period_end(kind: str, day: dt.date) -> dt.date:
    """The last day of the month, quarter or year that contains ``day``."""
    if kind == "month":
        return month_end(day.year, day.month)
    if kind == "quarter":
        return quarter_end(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return dt.date(day.year, 12, 31)
    return day


def label(kind: str, due_date: dt.date | None, frequency: str = "") -> str:
    if kind == "continuous" or due_date is None:
        return _("Thường xuyên")
    if kind == "month":
        return _("Tháng %(month)02d/%(year)d") % {"month": due_date.month, "year": due_date.year}
    if kind == "quarter":
        quarter = QUARTER_ROMAN[(due_date.month - 1) // 3 + 1]
        return _("Quý %(quarter)s/%(year)d") % {"quarter": quarter, "year": due_date.year}
    if kind == "year":
        return _("Năm %(year)d") % {"year": due_date.year}
    if kind == "periodic":
        from .models import ReportFrequency

        frequency_label = ReportFrequency(frequency).label if frequency else _("Định kỳ")
        return _("%(frequency)s, đến %(date)s") % {
            "frequency": frequency_label,
            "date": due_date.strftime("%d/%m/%Y"),
        }
    return due_date.strftime("%d/%m/%Y")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"\s+", " ", text)


_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH = re.compile(r"^(?:trong )?tháng (\d{1,2})[/.-](\d{4})$")
_QUARTER = re.compile(r"^(?:trong )?quý (i{1,3}|iv|[1-4])[/.-](\d{4})$")
_YEAR = re.compile(r"^(?:trong )?năm (\d{4})$")


def parse(text: str) -> Deadline:
    """Read "15/12/2025", "Tháng 12/2025", "Quý II/2026", "Năm 2026" or "Thường xuyên"."""
    folded = _fold(text)
    if folded in {"thường xuyên", "liên tục", "không thời hạn"}:
        return Deadline("continuous", None)
    try:
        if m := _DATE.match(folded):
            return Deadline("date", dt.date(int(m[3]), int(m[2]), int(m[1])))
        if m := _MONTH.match(folded):
            return Deadline("month", month_end(int(m[2]), int(m[1])))
        if m := _QUARTER.match(folded):
            raw = m[1].upper()
            quarter = ROMAN_QUARTERS.get(raw) or int(raw)
            return Deadline("quarter", quarter_end(int(m[2]), quarter))
        if m := _YEAR.match(folded):
            return Deadline("year", dt.date(int(m[1]), 12, 31))
    except ValueError:
        pass
    raise DeadlineError(
        _(
            "Không đọc được thời hạn “%(text)s”. Ghi theo một trong các dạng: 15/12/2025, "
            "Tháng 12/2025, Quý II/2026, Năm 2026 hoặc Thường xuyên."
        )
        % {"text": text}
    )
