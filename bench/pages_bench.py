#!/usr/bin/env python
"""Server time of the pages and jobs that matter, against PostgreSQL's own time.

Fill a database first (README, "Performance"):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dondoc_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py bench_data --tasks 1000000 --departments 150 --users 5000
    .venv/bin/python bench/pages_bench.py [--runs 30] [--only home,task] [--markdown]

For every target it makes ``--runs`` requests through Django's test client in this process (after
two warm-up requests), as the people who use it: the head of Sở Tài chính (the department with
the most tasks), an office clerk, a leader. It prints the median and 95th-percentile server time,
the number of queries of one request, its main query (the slowest of that request) and the time
PostgreSQL itself takes for it (EXPLAIN ANALYZE: planning + execution), and the ratio of the
server's 95th percentile to that. Exports also report their peak Python memory (tracemalloc).

Nothing is written except sessions and the kept city-wide figures (tracker/figures.py: the
dashboard's and the ranking's warm-up requests count and keep them, as a first reader would;
the timed requests read them, as every later reader does; the "Worker" rows time the counting
itself). The reminder scan writes nothing at all: ``plan()`` only reads. Not part of
``make test``; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET_MS = 150.0
BUDGET_RATIO = 3.0
EXPORT_ROWS = 100_000
EXPORT_BUDGET_MB = 60.0


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database that bench_data filled.")
    import django
    from django.test.utils import override_settings, setup_test_environment

    django.setup()
    # As in production: no query log kept by DEBUG. The test environment lets the client
    # capture the template context; the in-memory mail outbox it installs is never used.
    setup_test_environment()
    override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]).enable()


@dataclass
class Figure:
    name: str
    what: str
    times: list[float] = field(default_factory=list)
    queries: int = 0
    main_sql: str = ""
    main_ms: float = 0.0  # the client's time for the main query
    db_ms: float | None = None  # EXPLAIN ANALYZE planning + execution of the main query
    rows: int | None = None
    peak_mb: float | None = None
    note: str = ""
    job: bool = False  # a worker's job: no page budget (the reminder scan: per reminder)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000

    @property
    def ratio(self) -> float | None:
        return self.p95_ms / self.db_ms if self.db_ms else None

    def verdict(self) -> str:
        if self.peak_mb is not None:
            return "ok" if self.peak_mb <= EXPORT_BUDGET_MB else "OVER"
        if self.job:
            return "job"
        if self.p95_ms > BUDGET_MS:
            return "OVER"
        if self.ratio is not None and self.ratio > BUDGET_RATIO:
            return "ratio"
        return "ok"


def explain_ms(sql: str) -> float | None:
    from django.db import connection

    # Choice fields read through a server-side cursor: DECLARE "…" NO SCROLL CURSOR … FOR SELECT.
    if sql.startswith("DECLARE ") and " FOR " in sql:
        sql = sql.split(" FOR ", 1)[1]
    if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return plan["Planning Time"] + plan["Execution Time"]


def capture(call: Callable[[], Any], figure: Figure) -> Any:
    """One more call with the queries captured: their count and the slowest of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = call()
    figure.queries = len(context.captured_queries)
    slowest = max(context.captured_queries, key=lambda q: float(q["time"]), default=None)
    if slowest is not None:
        figure.main_sql = slowest["sql"]
        figure.main_ms = float(slowest["time"]) * 1000
        # The best of three: the server's figure is a percentile over warm runs too.
        timings = [explain_ms(slowest["sql"]) for _ in range(3)]
        timings = [t for t in timings if t is not None]
        figure.db_ms = min(timings) if timings else None
    return result


def timed(call: Callable[[], Any], runs: int, figure: Figure) -> None:
    for _ in range(2):
        call()
    for _ in range(runs):
        start = time.perf_counter()
        call()
        figure.times.append(time.perf_counter() - start)
    capture(call, figure)


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- The people and the targets ----------------------------------------------------------


class People:
    def __init__(self) -> None:
        from django.test import Client

        from accounts.models import Department, User

        self.department = Department.objects.get(code="STC")
        self.head = User.objects.get(pk=self.department.head_id)
        self.office = User.objects.get(username="bench.vanphong1")
        self.leader = User.objects.get(username="bench.lanhdao1")
        self.clients: dict[str, Client] = {}
        for name, user in (("head", self.head), ("office", self.office), ("leader", self.leader)):
            client = Client()
            client.force_login(user)
            self.clients[name] = client

    def get(self, who: str, url: str, **extra: Any) -> Callable[[], Any]:
        client = self.clients[who]

        def call() -> Any:
            response = client.get(url, **extra)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {who}: HTTP {response.status_code}")
            return body(response)

        return call


def export_range(rows: int) -> tuple[dt.date, dt.date]:
    """Due dates from–to that hold about ``rows`` tasks: the export's filter."""
    from tracker.models import Task

    dates = (
        Task.objects.exclude(due_date=None).order_by("due_date").values_list("due_date", flat=True)
    )
    total = dates.count()
    start = (total - rows) // 2
    first = dates[start]
    last = dates[start + rows - 1]
    return first, last


def targets(people: People, runs: int) -> list[tuple[Figure, Callable[[], None]]]:
    from django.urls import reverse

    from tracker import dashboard, reminders, scoring, timeliness
    from tracker.models import Task, TaskState

    department = people.department
    home = reverse("portal:home")
    led = Task.objects.filter(lead_department=department)
    task = led.filter(state=TaskState.COMPLETED).order_by("id").first()
    visible = Task.objects.visible_to(people.head).count()
    deep = max(1, (visible // 25) // 2)
    today = timeliness.today()
    quarter = (today.month - 1) // 3 + 1
    first, last = export_range(EXPORT_ROWS)
    export_query = f"?han_tu={first:%d/%m/%Y}&han_den={last:%d/%m/%Y}"
    plan_as_of = today

    jobs: list[tuple[Figure, Callable[[], None]]] = []

    def page(name: str, what: str, who: str, url: str) -> None:
        figure = Figure(name, what)
        jobs.append((figure, lambda: timed(people.get(who, url), runs, figure)))

    page("home", f"Department home ({department.code} head, {visible:,} tasks)", "head", home)
    page("home_deep", f"Department home, page {deep:,}", "head", f"{home}?trang={deep}")
    page(
        "home_filtered",
        "Department home, overdue filter",
        "head",
        f"{home}?tien_do=qua_han&pham_vi=chu-tri",
    )
    page(
        "task",
        "Task page (completed, with history)",
        "head",
        reverse("portal:task", args=[task.pk]),
    )
    page(
        "admin_tasks",
        "Admin task changelist, filters state + department + overdue",
        "office",
        f"/admin/tracker/task/?state__exact=in_progress&lead_department__id__exact="
        f"{department.pk}&tien_do=qua_han",
    )
    page("admin_tasks_all", "Admin task changelist, no filter", "office", "/admin/tracker/task/")
    page("dashboard", "Dashboard (this month)", "leader", reverse("portal:dashboard"))
    page(
        "dashboard_quarter",
        f"Dashboard, quarter {quarter}/{today.year}",
        "leader",
        f"{reverse('portal:dashboard')}?ky=quy&so={quarter}&nam={today.year}",
    )
    page(
        "ranking_quarter",
        "API ranking, this quarter",
        "leader",
        f"/api/v1/ranking/?ky=quarter&ngay={today:%Y-%m-%d}",
    )
    page("api_tasks", "API task list (head)", "head", "/api/v1/tasks/")
    page("api_tasks_office", "API task list (office, all tasks)", "office", "/api/v1/tasks/")
    page(
        "api_tasks_overdue",
        "API task list, overdue of one department",
        "office",
        f"/api/v1/tasks/?don_vi={department.pk}&tien_do=qua_han",
    )

    figure = Figure("reminder_scan", f"Reminder scan plan({plan_as_of:%d/%m/%Y})", job=True)
    counted: dict[str, int] = {}

    def scan() -> None:
        counted["n"] = len(reminders.plan(plan_as_of))

    def run_scan() -> None:
        timed(scan, max(3, runs // 5), figure)
        each = figure.median_ms * 1000 / max(1, counted["n"])
        figure.note = f"{counted['n']:,} reminders, {each:.0f} µs each"

    jobs.append((figure, run_scan))

    # What the worker does so that the dashboard and the ranking read kept figures
    # (tracker/figures.py): count them for the whole city.
    def job(name: str, what: str, call: Callable[[], Any]) -> None:
        figure = Figure(name, what, job=True)
        jobs.append((figure, lambda: timed(call, max(3, runs // 10), figure)))

    month = dashboard.Scope.of(dashboard.current_period(today), today)
    job(
        "figures_dashboard",
        "Worker: the dashboard's figures counted (this month)",
        lambda: dashboard.count(Task.objects.all(), month),
    )
    quarter_start = dt.date(today.year, 3 * quarter - 2, 1)
    job(
        "figures_ranking",
        "Worker: the ranking's counts (this quarter)",
        lambda: scoring.count(Task.objects.all(), quarter_start, today),
    )

    def export(name: str, what: str, who: str, url: str, rows: int | None) -> None:
        figure = Figure(name, what)

        def run() -> None:
            call = people.get(who, url)
            timed(call, max(3, runs // 10), figure)
            gc.collect()
            tracemalloc.start()
            call()
            figure.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            figure.rows = rows

        jobs.append((figure, run))

    export(
        "export_tasks",
        f"Task list Excel, {EXPORT_ROWS:,} rows",
        "leader",
        reverse("portal:export") + export_query,
        Task.objects.filter(due_date__gte=first, due_date__lte=last).count(),
    )
    export(
        "monthly_report",
        "Monthly report Excel (dashboard)",
        "leader",
        reverse("portal:monthly_report"),
        None,
    )
    return jobs


def print_table(figures: list[Figure], markdown: bool) -> None:
    header = (
        "target",
        "median ms",
        "p95 ms",
        "queries",
        "main query: client ms",
        "EXPLAIN ANALYZE ms",
        "p95 / DB",
        "peak MB",
        "verdict",
    )
    lines = []
    for f in figures:
        lines.append(
            (
                f.what
                + (f" ({f.note})" if f.note else "")
                + (f" [{f.rows:,} rows]" if f.rows else ""),
                f"{f.median_ms:.1f}",
                f"{f.p95_ms:.1f}",
                str(f.queries),
                f"{f.main_ms:.1f}",
                f"{f.db_ms:.1f}" if f.db_ms is not None else "–",
                f"{f.ratio:.1f}×" if f.ratio is not None else "–",
                f"{f.peak_mb:.1f}" if f.peak_mb is not None else "",
                f.verdict(),
            )
        )
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for line in lines:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--only", default="", help="comma-separated target names")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--sql", action="store_true", help="print each main query")
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection

    from tracker.models import Task

    tasks = Task.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"{tasks:,} tasks; {version}; {os.cpu_count()} cores; {args.runs} runs per page")
    people = People()
    wanted = {n for n in args.only.split(",") if n}
    figures = []
    for figure, run in targets(people, args.runs):
        if wanted and figure.name not in wanted:
            continue
        started = time.perf_counter()
        run()
        figures.append(figure)
        print(
            f"  {figure.name}: median {figure.median_ms:.1f} ms, p95 {figure.p95_ms:.1f} ms, "
            f"{figure.queries} queries, main query DB {figure.db_ms or 0:.1f} ms "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if args.sql:
            print("    " + figure.main_sql[:2000])
    print()
    print_table(figures, args.markdown)


if __name__ == "__main__":
    main()
