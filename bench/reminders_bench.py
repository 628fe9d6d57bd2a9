#!/usr/bin/env python
"""Benchmark of the reminder pipeline (tracker/reminders.py) on PostgreSQL.

For each size it fills the database with N tasks (COPY, in batches of 5,000), then measures
``plan(as_of)``, ``record(planned)`` twice (the second must add nothing) and ``send_due()``
through a real SMTP server on loopback (aiosmtpd). It finishes with EXPLAIN ANALYZE of plan()'s
main task query and a comparison showing that the work follows the reminders due, not N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_bench \\
        .venv/bin/python bench/reminders_bench.py [--tasks 100000] [--due-share 0.01] \\
        [--sizes 10000,100000]

Not part of ``make test``. The database is created when missing and its tracker and accounts
tables are TRUNCATEd before each size: never point it at a database whose data you need.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from tracker.benchdata import Summary

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dondoc_bench"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = dt.date(2025, 12, 12)
DEPARTMENTS = 150
USERS = DEPARTMENTS * 3 + 12  # a head and two staff per department, office, leaders, inspectors

# --- Command line and database ---------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark plan/record/send_due of tracker/reminders.py on PostgreSQL. "
            f"Requires DATABASE_URL pointing to a PostgreSQL database, e.g. "
            f"DATABASE_URL={DEFAULT_URL} (created if missing; its tracker and accounts "
            "tables are wiped before each size)."
        ),
    )
    parser.add_argument(
        "--tasks",
        type=int,
        default=100_000,
        help="size of the sparse run (at --sparse-share); also the default largest of --sizes "
        "(default 100000)",
    )
    parser.add_argument(
        "--due-share",
        type=float,
        default=0.01,
        help="share of tasks that fall on a reminder date for the as-of day (default 0.01)",
    )
    parser.add_argument(
        "--sizes",
        default=None,
        help="comma-separated task counts run at --due-share (default: tasks/10,tasks)",
    )
    parser.add_argument(
        "--sparse-share",
        type=float,
        default=0.001,
        help="due share of the extra run with --tasks tasks; 0 skips it (default 0.001)",
    )
    parser.add_argument(
        "--stale-share",
        type=float,
        default=None,
        help="share of chased tasks quiet for exactly 30/60/… days (the 'chưa cập nhật' nudge); "
        "default: a tenth of the run's due share",
    )
    parser.add_argument("--runs", type=int, default=5, help="plan() runs for the median (5)")
    parser.add_argument("--limit", type=int, default=500, help="send_due(limit=…) (500)")
    parser.add_argument("--seed", type=int, default=20251212, help="random seed")
    args = parser.parse_args(argv)
    sizes = args.sizes or f"{max(args.tasks // 10, 1)},{args.tasks}"
    try:
        args.size_list = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated whole numbers, got {sizes!r}")
    if not args.size_list or min(args.size_list) < 1000:
        parser.error("each size must be at least 1000 tasks")
    for name in ("due_share", "sparse_share"):
        if not 0 <= getattr(args, name) < 0.5:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 0.5")
    return args


def require_postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        sys.exit(
            "This benchmark runs on PostgreSQL only. Set DATABASE_URL, for example:\n"
            f"  DATABASE_URL={DEFAULT_URL} .venv/bin/python bench/reminders_bench.py\n"
            "The database is created if missing (createdb -h 127.0.0.1 -U postgres dondoc_bench)."
        )
    return url


def ensure_database(url: str) -> None:
    """CREATE DATABASE if it does not exist, connected to the server's ``postgres`` database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        sys.exit("DATABASE_URL names no database.")
    params = {
        "host": parts.hostname or None,
        "port": parts.port or None,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.test.utils import override_settings

    django.setup()
    # The development settings load as they are; DEBUG is then turned off in this process only,
    # so that no query is logged during the timed runs (as in production).
    override_settings(DEBUG=False).enable()


def chased_states() -> tuple[str, ...]:
    """The states plan() reminds (CHASED_STATES since declined tasks stopped being chased)."""
    from tracker import models

    return tuple(getattr(models, "CHASED_STATES", models.OPEN_STATES))


def due_index_name() -> str:
    """The partial index on due_date that the reminder scan is meant to use."""
    from tracker.models import Task

    return next(
        (i.name for i in Task._meta.indexes if i.fields == ["due_date"] and i.condition),
        "task_open_due_idx",
    )


# --- Measuring --------------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float = 0.0
    queries: int = 0
    verbs: Counter = field(default_factory=Counter)
    repeated: list[tuple[int, str]] = field(default_factory=list)


_LITERALS = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"\((?:\?(?:::\w+)?,\s*)+\?(?:::\w+)?\)"), "(…)"),
    (re.compile(r'"s\w+_x\d+"|s\d+_x\d+'), "sp"),
]


def _template(sql: str) -> str:
    for pattern, replacement in _LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql


@contextmanager
def measure() -> Iterator[Measured]:
    """Time a block and count its queries with CaptureQueriesContext.

    The connection's query log normally keeps the last 9,000 queries only, which would cap the
    count; it is unbounded for the block and emptied afterwards, so memory follows the queries
    of one step.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Measured()
    saved = connection.queries_log
    connection.queries_log = deque()
    context = CaptureQueriesContext(connection)
    try:
        with context:
            start = time.perf_counter()
            yield result
            result.seconds = time.perf_counter() - start
        captured = context.captured_queries
        result.queries = len(captured)
        templates = Counter()
        for query in captured:
            sql = query["sql"]
            result.verbs[sql.split(None, 1)[0].upper() if sql else "?"] += 1
            templates[_template(sql)] += 1
        result.repeated = [(n, t) for t, n in templates.most_common(4) if n > 1]
    finally:
        connection.queries_log = saved
        saved.clear()


# --- Data: tracker/benchdata.py, as manage.py bench_data writes it -----------------------------


# --- The benchmark -----------------------------------------------------------------------------


class CountingInbox:
    """An aiosmtpd handler that counts what it accepts and keeps nothing (bounded memory)."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.count += 1
        self.bytes += len(envelope.content)
        return "250 OK"


@dataclass
class Result:
    label: str
    tasks: int
    share: float
    fill: Summary
    due_tasks: int = 0
    due_by_kind: Counter = field(default_factory=Counter)
    planned: int = 0
    planned_by_kind: Counter = field(default_factory=Counter)
    plan_times: list[float] = field(default_factory=list)
    plan: Measured | None = None
    record_first: Measured | None = None
    record_new: int = 0
    record_again: Measured | None = None
    record_again_new: int = 0
    deliveries: int = 0
    written: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0
    received: int = 0
    send_seconds: float = 0.0
    batches: list[Measured] = field(default_factory=list)
    batch_sizes: list[int] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    explain_stale: list[str] = field(default_factory=list)

    @property
    def plan_median(self) -> float:
        return statistics.median(self.plan_times)


def count_due(policy) -> tuple[int, Counter]:
    from tracker.benchdata import trigger_dates
    from tracker.models import Task

    triggers = trigger_dates(policy, AS_OF)
    by_kind: Counter = Counter()
    for due_date in Task.objects.filter(
        state__in=chased_states(), due_date__in=list(triggers)
    ).values_list("due_date", flat=True):
        kind, sequence = triggers[due_date]
        by_kind[kind] += 1
        if kind == "overdue" and sequence % policy.escalate_after == 0:
            by_kind["overdue, escalated"] += 1
    return sum(v for k, v in by_kind.items() if k != "overdue, escalated"), by_kind


def explain(queryset) -> list[str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)  # noqa: S608 - Django's SQL
        return [line for (line,) in cursor.fetchall()]


def run_size(label: str, n: int, share: float, args: argparse.Namespace) -> Result:
    from django.test import override_settings
    from django.utils import timezone

    from tests.smtp import MailServer
    from tracker import reminders
    from tracker.benchdata import Spec, fill, stale_dates, trigger_dates
    from tracker.models import DeliveryState, Event, Notification, ReminderDelivery

    print(f"\n=== {label}: {n:,} tasks, due share {share:.2%} ===", flush=True)
    stale_share = args.stale_share if args.stale_share is not None else share / 10
    spec = Spec(
        tasks=n,
        departments=DEPARTMENTS,
        users=USERS,
        as_of=AS_OF,
        due_share=share,
        stale_share=stale_share,
        seed=args.seed,
    )
    filled = fill(spec, replace=True)  # every tracker and accounts table emptied first
    print(
        f"filled {n:,} tasks in {filled.seconds:.1f} s: "
        + fmt_counter(filled.categories + filled.states)
    )
    result = Result(label=label, tasks=n, share=share, fill=filled)

    default, overrides = reminders.policies()
    result.due_tasks, result.due_by_kind = count_due(default)
    print(
        f"tasks due a deadline reminder on {AS_OF:%d/%m/%Y}: {result.due_tasks:,} "
        f"({result.due_tasks / n:.2%}) — " + fmt_counter(result.due_by_kind)
    )

    # 1. plan(): the median of several runs, then one more with the queries captured.
    planned = []
    for _ in range(args.runs):
        start = time.perf_counter()
        planned = reminders.plan(AS_OF)
        result.plan_times.append(time.perf_counter() - start)
    with measure() as result.plan:
        planned = reminders.plan(AS_OF)
    result.planned = len(planned)
    result.planned_by_kind = Counter(str(p.kind) for p in planned)
    print(
        f"plan: {result.planned:,} reminders ({fmt_counter(result.planned_by_kind)}), "
        f"median {result.plan_median * 1000:.0f} ms, {result.plan.queries} queries"
    )

    # 2. record(): new deliveries, then the same plan again must add nothing.
    with measure() as result.record_first:
        result.record_new = reminders.record(planned)
    with measure() as result.record_again:
        result.record_again_new = reminders.record(planned)
    result.deliveries = ReminderDelivery.objects.count()
    result.written = {
        "deliveries": result.deliveries,
        "notifications": Notification.objects.count(),
        "events": Event.objects.count(),
    }
    print(
        f"record: {result.record_new:,} new in {result.record_first.seconds:.2f} s "
        f"({result.record_first.queries:,} queries); again: {result.record_again_new} new "
        f"in {result.record_again.seconds:.2f} s ({result.record_again.queries:,} queries)"
    )
    del planned

    # 3. send_due() through a real SMTP server on loopback.
    server = MailServer()
    server.inbox = CountingInbox()
    server.start()

    def waiting() -> bool:
        return ReminderDelivery.objects.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.RETRYING],
            next_attempt_at__lte=timezone.now(),
        ).exists()

    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
        ):
            start = time.perf_counter()
            while True:
                with measure() as batch:
                    sent = reminders.send_due(limit=args.limit)
                if not sent.sent and not sent.failed and not waiting():
                    break
                result.batches.append(batch)
                result.batch_sizes.append(sent.sent + sent.failed)
                result.sent += sent.sent
                result.failed += sent.failed
                if sent.failed and not sent.sent:
                    print("send_due: a whole batch failed, stopping: " + "; ".join(sent.errors[:3]))
                    break
            result.send_seconds = time.perf_counter() - start
    finally:
        server.stop()
    result.received = server.inbox.count
    rate = result.sent / result.send_seconds if result.send_seconds else 0
    print(
        f"send_due: {result.sent:,} sent, {result.failed} failed, {result.received:,} "
        f"received by the server, in {result.send_seconds:.1f} s ({rate:.0f}/s), "
        f"{len(result.batches)} batches"
    )

    # EXPLAIN ANALYZE of plan()'s main task query and of the "chưa cập nhật" one.
    triggers = trigger_dates(default, AS_OF)
    main = reminders._scope(reminders._task_queryset(), default, overrides).filter(
        state__in=chased_states(), due_date__in=list(triggers)
    )
    result.explain = explain(main)
    from django.db.models import Q

    ranges = Q()
    for day in stale_dates(default, AS_OF):
        start_at, end_at = reminders._day_range(day)
        ranges |= Q(last_activity_at__gte=start_at, last_activity_at__lt=end_at)
    stale = reminders._scope(reminders._task_queryset(), default, overrides).filter(
        ranges, state__in=chased_states()
    )
    result.explain_stale = explain(stale)
    print_result(result)
    return result


# --- Output ------------------------------------------------------------------------------------


def fmt_counter(counter: Counter) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1]))


def fmt_verbs(m: Measured) -> str:
    return " ".join(f"{verb} {count:,}" for verb, count in m.verbs.most_common())


def per(value: float, count: int) -> str:
    return f"{value / count:.2f}" if count else "–"


def print_result(r: Result) -> None:
    batch_queries = [b.queries for b in r.batches]
    rows = [
        ("tasks (N)", f"{r.tasks:,}"),
        ("fill time", f"{r.fill.seconds:.1f} s"),
        ("tasks due a deadline reminder", f"{r.due_tasks:,} ({r.due_tasks / r.tasks:.2%})"),
        ("reminders planned (deliveries)", f"{r.planned:,}"),
        (
            "plan() median of runs",
            f"{r.plan_median * 1000:.0f} ms (min {min(r.plan_times) * 1000:.0f}, "
            f"max {max(r.plan_times) * 1000:.0f}, {len(r.plan_times)} runs)",
        ),
        ("plan() queries", f"{r.plan.queries:,} ({per(r.plan.queries, r.due_tasks)} per due task)"),
        ("plan() queries by verb", fmt_verbs(r.plan)),
        (
            "record() first run",
            f"{r.record_new:,} new in {r.record_first.seconds:.2f} s, "
            f"{r.record_first.queries:,} queries ({per(r.record_first.queries, r.planned)} "
            "per reminder)",
        ),
        ("record() first, by verb", fmt_verbs(r.record_first)),
        ("rows written by record()", ", ".join(f"{k} {v:,}" for k, v in r.written.items())),
        (
            "record() second run",
            f"{r.record_again_new} new in {r.record_again.seconds:.2f} s, "
            f"{r.record_again.queries:,} queries",
        ),
        (
            "send_due(limit) messages",
            f"{r.sent:,} sent, {r.failed} failed, {r.received:,} received by aiosmtpd",
        ),
        (
            "send_due elapsed",
            f"{r.send_seconds:.1f} s, {r.sent / r.send_seconds if r.send_seconds else 0:.0f} "
            "messages/s",
        ),
        (
            "send_due queries per batch",
            (
                f"{', '.join(f'{q:,}' for q in batch_queries)} for batches of "
                f"{', '.join(str(s) for s in r.batch_sizes)} "
                f"({per(sum(batch_queries), sum(r.batch_sizes))} per message)"
            )
            if r.batches
            else "–",
        ),
        (
            f"uses {due_index_name()}",
            "yes" if uses_due_index(r) else "no (seq scan)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"\n--- {r.label} ---")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    for title, measured in (
        ("plan()", r.plan),
        ("record() first run", r.record_first),
        ("send_due() last batch", r.batches[-1] if r.batches else None),
    ):
        if measured and measured.repeated:
            print(f"  most repeated statements in {title}:")
            for count, sql in measured.repeated[:3]:
                print(f"    {count:>6,} × {sql[:150]}")
    print("\n  EXPLAIN ANALYZE of plan()'s main task query (chased tasks due on a trigger date):")
    for line in r.explain:
        print("    " + (line if len(line) <= 160 else line[:159] + "…"))
    print(
        "\n  EXPLAIN ANALYZE of the 'chưa cập nhật' query (last activity on a quiet day): "
        + explain_summary(r.explain_stale)
    )


def explain_summary(lines: list[str]) -> str:
    """The scans of the task table and the execution time of an EXPLAIN ANALYZE."""
    scans = Counter()
    node = re.compile(
        r"(Seq Scan|Index Scan|Bitmap Index Scan|Index Only Scan)(?: using (\S+))? on (\S+)"
    )
    for line in lines:
        found = node.search(line)
        if found:
            name = found.group(2) or found.group(3)
            if name.startswith(("tracker_task ", "task_")) or name == "tracker_task":
                scans[f"{found.group(1)} on {name}"] += 1
    timing = next((line.strip() for line in lines if line.startswith("Execution Time")), "")
    return ", ".join(f"{k} ×{v}" for k, v in scans.items()) + f"; {timing}"


def uses_due_index(r: Result) -> bool:
    return any(due_index_name() in line for line in r.explain)


def ratio(a: float, b: float) -> str:
    return f"×{a / b:.1f}" if b else "–"


def print_summary(results: list[Result]) -> None:
    print("\n=== Summary ===")
    header = (
        "run",
        "N",
        "due share",
        "due tasks",
        "reminders",
        "plan ms",
        "plan q",
        "record s",
        "record q",
        "again s/new",
        "sent",
        "send s",
        "msg/s",
        "q/batch",
        "due idx",
    )
    rows = []
    for r in results:
        rows.append(
            (
                r.label,
                f"{r.tasks:,}",
                f"{r.share:.1%}",
                f"{r.due_tasks:,}",
                f"{r.planned:,}",
                f"{r.plan_median * 1000:.0f}",
                f"{r.plan.queries:,}",
                f"{r.record_first.seconds:.2f}",
                f"{r.record_first.queries:,}",
                f"{r.record_again.seconds:.2f}/{r.record_again_new}",
                f"{r.sent:,}",
                f"{r.send_seconds:.1f}",
                f"{r.sent / r.send_seconds if r.send_seconds else 0:.0f}",
                "/".join(str(b.queries) for b in r.batches[:3])
                + ("…" if len(r.batches) > 3 else ""),
                "yes" if uses_due_index(r) else "no",
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) + " |")

    main = [r for r in results if r.label.startswith("size")]
    sparse = [r for r in results if r.label.startswith("sparse")]
    print()
    if len(main) >= 2:
        small, large = main[0], main[-1]
        print(
            f"N {small.tasks:,} → {large.tasks:,} ({ratio(large.tasks, small.tasks)}) at "
            f"{small.share:.1%}: reminders {ratio(large.planned, small.planned)}, "
            f"plan time {ratio(large.plan_median, small.plan_median)}, "
            f"plan queries {ratio(large.plan.queries, small.plan.queries)}, "
            f"record time {ratio(large.record_first.seconds, small.record_first.seconds)}, "
            f"send time {ratio(large.send_seconds, small.send_seconds)}."
        )
    for s in sparse:
        others = [r for r in main if r.tasks != s.tasks or r.share != s.share]
        same_n = next((r for r in others if r.tasks == s.tasks), None)
        if same_n:
            print(
                f"N {s.tasks:,} at {s.share:.1%} vs {same_n.share:.1%}: reminders "
                f"{ratio(s.planned, same_n.planned)}, plan time "
                f"{ratio(s.plan_median, same_n.plan_median)}, plan queries "
                f"{ratio(s.plan.queries, same_n.plan.queries)} — same N: {verdict(s, same_n)}."
            )
        same_due = min(others, key=lambda r: abs(r.due_tasks - s.due_tasks), default=None)
        if same_due and same_due is not same_n and same_due.tasks != s.tasks:
            print(
                f"N {s.tasks:,} at {s.share:.1%} ({s.due_tasks:,} due) vs N {same_due.tasks:,} at "
                f"{same_due.share:.1%} ({same_due.due_tasks:,} due): plan "
                f"{s.plan_median * 1000:.0f} ms vs {same_due.plan_median * 1000:.0f} ms, "
                f"{s.plan.queries:,} vs {same_due.plan.queries:,} queries, with "
                f"{ratio(s.tasks, same_due.tasks)} the tasks: {verdict(s, same_due)}."
            )


def verdict(a: Result, b: Result) -> str:
    """Whether plan() time between two runs moved with the reminders or with N (log scale)."""
    time_ratio = a.plan_median / b.plan_median
    to_reminders = abs(math.log(time_ratio) - math.log(max(a.planned, 1) / max(b.planned, 1)))
    to_tasks = abs(math.log(time_ratio) - math.log(a.tasks / b.tasks))
    if to_reminders < to_tasks:
        return "plan time follows the reminders due, not N"
    return "plan time follows N, not the reminders due"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    url = require_postgres_url()
    ensure_database(url)
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point to a PostgreSQL database.")
    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    import django

    print(
        f"Đôn Đốc reminders benchmark — {dt.datetime.now(ZONE):%d/%m/%Y %H:%M %Z}, "
        f"as of {AS_OF:%d/%m/%Y}\n"
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}, PostgreSQL {server_version}, "
        f"database {connection.settings_dict['NAME']}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    runs = [(f"size {n:,}", n, args.due_share) for n in args.size_list]
    if args.sparse_share > 0:
        runs.append((f"sparse {args.tasks:,}", args.tasks, args.sparse_share))
    results = [run_size(label, n, share, args) for label, n, share in runs]
    print_summary(results)
    print(
        f"\nLoad average at the end: {os.getloadavg()[0]:.2f} (other work on the machine skews times)."
    )


if __name__ == "__main__":
    main()
