"""Số liệu tổng hợp đã tính: city-wide figures kept for their next readers.

At a million tasks the dashboard's figures take PostgreSQL about 6 s and a quarter's ranking
about 2 s (bench/README.md, "Performance"): they aggregate hundreds of thousands of rows, and
no index brings that within the 150 ms a page may take. So a figure whose computation took at
least FIGURES_LIVE_MS is kept (FigureSnapshot) and served to its next readers for up to
FIGURES_KEEP_SECONDS, while the worker computes again, every FIGURES_KEEP_SECONDS / 2, those
read in the last hour: readers rarely wait, and never see figures older than the keep time.
Cheaper figures (a city with some tens of thousands of tasks) are computed on every visit,
exactly as if nothing were kept.

Only figures every city-wide reader shares are kept: all tasks, no filter. The key holds the
kind, its parameters and the day, so a running period's figures never outlive the day they
were counted for. The page says when kept figures were computed; the lists behind them are
always read live.

A kept figure is a cache, not a record: it is written outside the workflow services, with no
event, and losing the table loses nothing but time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FigureSnapshot

log = logging.getLogger(__name__)

# How the worker computes a kind again from its parameters (registered by the modules that
# own the figures: tracker/dashboard.py, tracker/scoring.py).
Compute = Callable[[dict[str, Any]], Any]
_KINDS: dict[str, Compute] = {}
# The parameters of each kind that readers open first (this month, quarter, year), so the
# worker has them ready each morning where figures are slow enough to be kept at all.
Warm = Callable[[dt.date], list[dict[str, Any]]]
_WARM: dict[str, Warm] = {}
# Figures nobody read for this long are left to expire; a reader brings them back.
READ_LATELY = dt.timedelta(hours=1)
# Kept figures older than this are deleted by the worker.
FORGET_AFTER = dt.timedelta(days=2)


def kind(name: str, *, warm: Warm | None = None) -> Callable[[Compute], Compute]:
    """Register how figures of ``name`` are computed for the whole city from their params,
    and which params to keep ready (``warm``: today → params)."""

    def register(compute: Compute) -> Compute:
        _KINDS[name] = compute
        if warm is not None:
            _WARM[name] = warm
        return compute

    return register


@dataclass(frozen=True)
class Read:
    value: Any
    computed_at: dt.datetime | None = None  # when kept; None: computed for this reader


def keep_for() -> dt.timedelta:
    return dt.timedelta(seconds=settings.FIGURES_KEEP_SECONDS)


def key(name: str, params: dict[str, Any], day: dt.date) -> str:
    return f"{name}:{json.dumps(params, sort_keys=True, separators=(',', ':'))}:{day}"


def _plain(value: Any) -> Any:
    """As the database gives it back: computed and kept figures then read the same."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _timed(compute: Callable[[], Any]) -> tuple[Any, int]:
    started = time.perf_counter()
    value = _plain(compute())
    return value, round((time.perf_counter() - started) * 1000)


def read(name: str, params: dict[str, Any], compute: Callable[[], Any], *, keep: bool) -> Read:
    """The figures of ``name``: kept ones if fresh (1 query), else computed by ``compute`` and
    kept when they took long. ``keep`` is for city-wide figures only (see the module's note)."""
    if not keep:
        return Read(_timed(compute)[0])
    now = timezone.now()
    found_key = key(name, params, timezone.localdate())
    found = (
        FigureSnapshot.objects.filter(key=found_key, computed_at__gte=now - keep_for())
        .only("value", "computed_at", "read_at")
        .first()
    )
    if found is not None:
        if found.read_at < now - keep_for() / 2:
            # Tells the worker someone still reads them; at most once per half keep time.
            FigureSnapshot.objects.filter(pk=found.pk).update(read_at=now)
        return Read(found.value, found.computed_at)
    value, took = _timed(compute)
    if took >= settings.FIGURES_LIVE_MS:
        _store(found_key, name, params, value, computed_at=now, took_ms=took, read_at=now)
    return Read(value)


def _store(
    found_key: str,
    name: str,
    params: dict[str, Any],
    value: Any,
    *,
    computed_at: dt.datetime,
    took_ms: int,
    read_at: dt.datetime,
) -> None:
    fields = {
        "kind": name,
        "params": params,
        "value": value,
        "computed_at": computed_at,
        "took_ms": took_ms,
        "read_at": read_at,
    }
    try:
        with transaction.atomic():
            FigureSnapshot.objects.update_or_create(key=found_key, defaults=fields)
    except IntegrityError:
        # Two readers computed the same figures at once; either result is as good.
        FigureSnapshot.objects.filter(key=found_key).update(**fields)


def refresh(*, now: dt.datetime | None = None) -> int:
    """Compute again, for today, the kept figures read in the last hour and past half their
    keep time, and those readers open first if not counted yet today; forget old ones.
    Returns how many were computed."""
    # The modules that own the kinds register them on import.
    from . import dashboard, scoring  # noqa: F401

    now = now or timezone.now()
    day = timezone.localdate(now)
    FigureSnapshot.objects.filter(computed_at__lt=now - FORGET_AFTER).delete()
    due = FigureSnapshot.objects.filter(
        read_at__gte=now - READ_LATELY, computed_at__lt=now - keep_for() / 2
    ).order_by("-read_at")
    wanted: list[tuple[str, dict[str, Any], dt.datetime]] = [
        (s.kind, s.params, s.read_at) for s in due.only("kind", "params", "read_at")
    ]
    todays_keys = dict(
        FigureSnapshot.objects.filter(key__endswith=f":{day}").values_list("key", "computed_at")
    )
    fresh = {k for k, computed_at in todays_keys.items() if computed_at >= now - keep_for() / 2}
    # Where figures are slow enough to have been kept (in the last two days), those read first
    # each morning are counted once before anyone asks; reading them keeps them fresh after.
    kept_kinds = set(FigureSnapshot.objects.values_list("kind", flat=True).distinct())
    for name in sorted(kept_kinds & set(_WARM)):
        wanted += [
            (name, params, now - READ_LATELY)
            for params in _WARM[name](day)
            if key(name, params, day) not in todays_keys
        ]
    done: set[str] = set()
    for name, params, read_at in wanted:
        todays = key(name, params, day)
        compute = _KINDS.get(name)
        if todays in done or todays in fresh or compute is None:
            continue
        done.add(todays)
        value, took = _timed(lambda: compute(params))  # noqa: B023 - called at once
        computed_at = timezone.now()
        _store(
            todays, name, params, value, computed_at=computed_at, took_ms=took,
            read_at=read_at,
        )  # fmt: skip
        log.info("Figures %s computed again in %d ms", todays, took)
    return len(done)
