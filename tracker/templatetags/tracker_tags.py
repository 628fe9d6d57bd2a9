from __future__ import annotations

from django import template

from tracker.timeliness import Bucket

register = template.Library()


@register.filter
def bucket_label(value: str) -> str:
    """The Vietnamese label of a timeliness bucket value ("qua_han" → "Quá hạn")."""
    try:
        return str(Bucket(value).label)
    except ValueError:
        return ""


@register.filter
def timeuntil_delta(value: object) -> str:
    """A lockout's length in words: "15 phút"."""
    import datetime as dt

    from django.utils.translation import ngettext

    if not isinstance(value, dt.timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
