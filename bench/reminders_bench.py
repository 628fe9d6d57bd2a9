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
import random
import re
import statistics
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dondoc_bench"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = dt.date(2025, 12, 12)
SPREAD_DAYS = 730  # due dates within ±2 years of AS_OF
BATCH = 5_000  # rows per COPY batch
DEPARTMENTS = 150
DIRECTIVES = 50
STAFF_PER_DEPARTMENT = 2
OFFICE_PEOPLE = 2
LEADERS = 5

SO_NAMES = [
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra thành phố",
    "Văn phòng UBND thành phố",
    "Ban Quản lý Khu kinh tế",
    "Công an thành phố",
    "Bộ Chỉ huy Quân sự thành phố",
    "Cục Thuế thành phố",
]
SUBJECTS = [
    "xây dựng kế hoạch triển khai nghị quyết của HĐND thành phố",
    "rà soát, đề xuất sửa đổi quy định về thủ tục hành chính",
    "báo cáo kết quả giải ngân vốn đầu tư công",
    "tham mưu đề án sắp xếp đơn vị sự nghiệp công lập",
    "tổ chức kiểm tra công tác phòng, chống thiên tai",
    "hoàn thiện hồ sơ dự án chuyển đổi số cấp xã",
    "đánh giá tình hình thực hiện chỉ tiêu tăng trưởng GRDP",
    "xây dựng dự thảo quyết định quy định giá dịch vụ",
]


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


# --- Data ------------------------------------------------------------------------------------


def local(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def trigger_dates(policy, as_of: dt.date) -> dict[dt.date, tuple[str, int]]:
    """The due dates that trigger a deadline reminder on ``as_of`` (mirrors plan())."""
    from tracker.models import ReminderKind

    triggers: dict[dt.date, tuple[str, int]] = {}
    for days in policy.days_before:
        triggers[as_of + dt.timedelta(days=days)] = (ReminderKind.BEFORE_DUE, days)
    if policy.on_due_date:
        triggers[as_of] = (ReminderKind.DUE_TODAY, 0)
    for nth in range(1, policy.overdue_max_reminders + 1):
        triggers[as_of - dt.timedelta(days=nth * policy.overdue_every_days)] = (
            ReminderKind.OVERDUE,
            nth,
        )
    return triggers


def stale_dates(policy, as_of: dt.date) -> list[dt.date]:
    return [as_of - dt.timedelta(days=k * policy.stale_after_days) for k in range(1, 13)]


def wipe() -> None:
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.models import Department, User
    from tracker.models import (
        Directive,
        Event,
        Notification,
        ReminderDelivery,
        ReminderPolicy,
        Task,
        TaskCoordination,
    )

    models = [
        Notification,
        ReminderDelivery,
        Event,
        TaskCoordination,
        Task.assignees.through,
        Task,
        ReminderPolicy,
        Directive,
        Department,
        User.groups.through,
        User,
    ]
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    if Group.objects.count() == 0:
        sys.exit("The role groups are missing: migrate should have created them.")


@dataclass
class People:
    departments: list[int]
    heads: dict[int, int]
    staff: dict[int, list[int]]
    office: list[int]
    leaders: list[int]
    directives: list[int]


def fill_people() -> People:
    """150 departments, each with a head (a user with an e-mail) and a shared mailbox, two staff
    each, the tracking office, the leaders, and 50 directives."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import Department, DepartmentKind, User
    from accounts.roles import Role
    from tracker.models import Directive, DirectiveKind

    now = timezone.now()
    unusable = make_password(None)
    departments = []
    for i in range(DEPARTMENTS):
        if i < len(SO_NAMES):
            name, kind = SO_NAMES[i], DepartmentKind.SO_BAN_NGANH
        else:
            name, kind = f"UBND xã, phường số {i - len(SO_NAMES) + 1}", DepartmentKind.UBND_CAP_XA
        departments.append(
            Department(name=name, code=f"DV{i:03d}", kind=kind, email=f"dv{i:03d}@bench.gov.vn")
        )
    departments = Department.objects.bulk_create(departments)

    def person(username: str, department: Department | None, position: str) -> User:
        return User(
            username=username,
            password=unusable,  # nobody logs in as these
            first_name="An",
            last_name="Nguyễn Văn",
            email=f"{username}@bench.gov.vn",
            department=department,
            position=position,
            date_joined=now,
        )

    office_department = departments[SO_NAMES.index("Văn phòng UBND thành phố")]
    heads = [person(f"head{i:03d}", d, "Giám đốc") for i, d in enumerate(departments)]
    staff = [
        person(f"staff{i:03d}_{j}", d, "Chuyên viên")
        for i, d in enumerate(departments)
        for j in range(STAFF_PER_DEPARTMENT)
    ]
    office = [person(f"office{j}", office_department, "Chuyên viên") for j in range(OFFICE_PEOPLE)]
    leaders = [person(f"leader{j}", office_department, "Phó Chủ tịch") for j in range(LEADERS)]
    User.objects.bulk_create([*heads, *staff, *office, *leaders])
    for department, head in zip(departments, heads, strict=True):
        department.head = head
    Department.objects.bulk_update(departments, ["head"])

    groups = {g.name: g.pk for g in Group.objects.all()}
    membership = User.groups.through
    rows = []
    for users, role in (
        (heads, Role.DEPARTMENT_HEAD),
        (staff, Role.DEPARTMENT_STAFF),
        (office, Role.TRACKING_OFFICE),
        (leaders, Role.LEADER),
    ):
        rows += [membership(user_id=u.pk, group_id=groups[role.label]) for u in users]
    membership.objects.bulk_create(rows)

    kinds = [
        DirectiveKind.KE_HOACH,
        DirectiveKind.QUYET_DINH,
        DirectiveKind.CHI_THI,
        DirectiveKind.THONG_BAO_KET_LUAN,
        DirectiveKind.CONG_VAN,
    ]
    directives = Directive.objects.bulk_create(
        Directive(
            kind=kinds[i % len(kinds)],
            symbol=f"{i + 1}/{kinds[i % len(kinds)]}-UBND",
            issuer="UBND thành phố Hải Phòng",
            issue_date=dt.date(2024, 1, 1) + dt.timedelta(days=13 * i),
            summary=f"Văn bản chỉ đạo thử nghiệm số {i + 1}",
            leader_in_charge=leaders[i % LEADERS],
        )
        for i in range(DIRECTIVES)
    )
    staff_by_department: dict[int, list[int]] = {}
    for user in staff:
        staff_by_department.setdefault(user.department_id, []).append(user.pk)
    return People(
        departments=[d.pk for d in departments],
        heads={d.pk: d.head_id for d in departments},
        staff=staff_by_department,
        office=[u.pk for u in office],
        leaders=[u.pk for u in leaders],
        directives=[d.pk for d in directives],
    )


@dataclass
class Filled:
    tasks: int
    seconds: float
    categories: Counter


class TaskMaker:
    """Makes one tracker_task row at a time, each satisfying the model's check constraints."""

    OTHER_STATES = [
        ("open", 55),
        ("completed", 33),
        ("submitted", 5),
        ("paused", 4),
        ("withdrawn", 3),
    ]
    OPEN_WEIGHTS = [("assigned", 20), ("in_progress", 65), ("returned", 10), ("declined", 5)]

    def __init__(self, rng: random.Random, people: People, policy) -> None:
        from django.utils import timezone

        from tracker.models import OutputKind, Task, Urgency

        self.rng = rng
        self.people = people
        self.fields = list(Task._meta.concrete_fields)
        self.base = {f.attname: f.get_default() for f in self.fields}
        self.base["updated_at"] = timezone.now()
        self.base["created_by_id"] = people.office[0]
        self.triggers = trigger_dates(policy, AS_OF)
        self.trigger_list = sorted(self.triggers)
        self.stale = stale_dates(policy, AS_OF)
        self.output_kinds = list(OutputKind.values)
        self.urgencies = [Urgency.THUONG] * 8 + [Urgency.KHAN, Urgency.HOA_TOC]
        self.states, self.state_weights = zip(*self.OTHER_STATES, strict=True)
        self.open_states, self.open_weights = zip(*self.OPEN_WEIGHTS, strict=True)
        # Due and quiet tasks are in a state plan() chases; the other open ones may be declined.
        chased = set(chased_states())
        self.chased, self.chased_weights = zip(
            *[(s, w) for s, w in self.OPEN_WEIGHTS if s in chased], strict=True
        )

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    # Dates ---------------------------------------------------------------------------------

    def _day(self, low: int = -SPREAD_DAYS, high: int = SPREAD_DAYS) -> dt.date:
        return AS_OF + dt.timedelta(days=self.rng.randint(low, high))

    def _moment(self, day: dt.date) -> dt.datetime:
        return local(day, self.rng.randint(7, 17), self.rng.randint(0, 59))

    def _recent(self) -> dt.datetime:
        """Activity 0–28 days before the as-of date: never on a 'chưa cập nhật' day."""
        return self._moment(AS_OF - dt.timedelta(days=self.rng.randint(0, 28)))

    def _deadline(self, open_task: bool) -> tuple[str, dt.date | None, dt.date | None, str]:
        """(deadline_kind, due_date, original_due_date, report_frequency); an open task's due
        date never falls on a trigger date."""
        from tracker import deadlines
        from tracker.models import DeadlineKind, ReportFrequency

        roll = self.rng.random()
        if roll < 0.05:
            return DeadlineKind.CONTINUOUS, None, None, ""
        while True:
            day = self._day()
            frequency = ""
            if roll < 0.08:
                kind = DeadlineKind.PERIODIC
                frequency = self.rng.choice(ReportFrequency.values)
                day = dt.date(day.year, 12, 31)
            elif roll < 0.20:
                kind = self.rng.choice(
                    [DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR]
                )
                day = deadlines.period_end(kind, day)
            else:
                kind = DeadlineKind.DATE
            if not (open_task and day in self.triggers):
                break
        return kind, day, self._original(kind, day), frequency

    def _original(self, kind: str, due: dt.date) -> dt.date:
        from tracker.models import DeadlineKind

        if kind == DeadlineKind.DATE and self.rng.random() < 0.1:  # extended once
            return due - dt.timedelta(days=self.rng.randint(7, 60))
        return due

    # Rows ----------------------------------------------------------------------------------

    def row(self, pk: int, category: str) -> tuple[dict, int]:
        """The task's column values by attname, and its lead department."""
        from tracker.models import DeadlineKind

        rng, people = self.rng, self.people
        lead = rng.choice(people.departments)
        directive = people.directives[pk % len(people.directives)]
        row = dict(self.base)
        row.update(
            id=pk,
            directive_id=directive,
            item_number=str(pk // len(people.directives) + 1),
            content=f"Tham mưu {rng.choice(SUBJECTS)} (nhiệm vụ số {pk})",
            lead_department_id=lead,
            leader_in_charge_id=rng.choice(people.leaders) if rng.random() < 0.15 else None,
            output_kind=rng.choice(self.output_kinds),
            urgency=rng.choice(self.urgencies),
        )
        if category == "due":
            state = rng.choices(self.chased, self.chased_weights)[0]
            due = rng.choice(self.trigger_list)
            deadline = (DeadlineKind.DATE, due, self._original(DeadlineKind.DATE, due), "")
            activity = self._recent()
        elif category == "stale":
            state = rng.choices(self.chased, self.chased_weights)[0]
            deadline = self._deadline(open_task=True)
            activity = self._moment(rng.choice(self.stale))
        else:
            state = rng.choices(self.states, self.state_weights)[0]
            is_open = state == "open"
            if is_open:
                state = rng.choices(self.open_states, self.open_weights)[0]
            deadline = self._deadline(open_task=is_open)
            activity = self._recent() if is_open else None
        kind, due, original, frequency = deadline
        row.update(
            deadline_kind=kind,
            due_date=due,
            original_due_date=original,
            report_frequency=frequency,
            state=state,
        )
        self._history(row, state, activity)
        return row, lead

    def _history(self, row: dict, state: str, activity: dt.datetime | None) -> None:
        """assigned/accepted/reported/submitted/completed times consistent with the state."""
        rng = self.rng
        days = dt.timedelta
        if state == "assigned":
            row.update(assigned_at=activity, last_activity_at=activity)
        elif state == "declined":
            row.update(assigned_at=activity - days(days=rng.randint(1, 5)))
            row.update(last_activity_at=activity)
        elif state in ("in_progress", "returned"):
            assigned = activity - days(days=rng.randint(20, 400))
            row.update(
                assigned_at=assigned,
                accepted_at=assigned + days(days=rng.randint(0, 5)),
                last_reported_at=activity,
                last_activity_at=activity,
                progress_percent=rng.randint(10, 90),
            )
            if state == "returned":
                row["submitted_at"] = activity - days(days=rng.randint(1, 10))
        elif state in ("completed", "submitted"):
            back = rng.randint(5, 700) if state == "completed" else rng.randint(0, 40)
            submitted = self._moment(AS_OF - days(days=back))
            assigned = submitted - days(days=rng.randint(10, 300))
            row.update(
                assigned_at=assigned,
                accepted_at=assigned + days(days=rng.randint(0, 5)),
                last_reported_at=submitted,
                last_activity_at=submitted,
                submitted_at=submitted,
                progress_percent=100,
            )
            if state == "completed":
                row["completed_at"] = submitted + days(days=rng.randint(0, min(back, 10)))
        else:  # paused, withdrawn
            assigned = self._moment(AS_OF - days(days=rng.randint(30, 700)))
            accepted = assigned + days(days=rng.randint(0, 5))
            row.update(
                assigned_at=assigned,
                accepted_at=accepted,
                last_activity_at=accepted + days(days=rng.randint(0, 25)),
                progress_percent=rng.randint(0, 60),
            )
            if state == "paused":
                row["state_before_pause"] = "in_progress"


def fill_tasks(n: int, due_share: float, stale_share: float, seed: int) -> Filled:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from tracker import reminders
    from tracker.models import Task, TaskCoordination

    started = time.perf_counter()
    rng = random.Random(f"{seed}:{n}:{due_share}")  # noqa: S311 - reproducible test data
    people = fill_people()
    policy = reminders.default_policy()
    maker = TaskMaker(rng, people, policy)

    n_due = round(n * due_share)
    n_stale = round(n * stale_share)
    chosen = rng.sample(range(1, n + 1), n_due + n_stale)
    special = dict.fromkeys(chosen[:n_due], "due") | dict.fromkeys(chosen[n_due:], "stale")
    del chosen

    quote = connection.ops.quote_name
    task_sql = "COPY {} ({}) FROM STDIN".format(
        quote(Task._meta.db_table), ", ".join(quote(c) for c in maker.columns)
    )
    assignee_sql = (
        f"COPY {quote(Task.assignees.through._meta.db_table)} (task_id, user_id) FROM STDIN"
    )
    coordination_sql = (
        f"COPY {quote(TaskCoordination._meta.db_table)} "
        "(task_id, department_id, part, progress_percent) FROM STDIN"
    )
    attnames = [f.attname for f in maker.fields]
    categories: Counter = Counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(1, n + 1, BATCH):
            assignees, coordinations = [], []
            with cursor.copy(task_sql) as copy:
                for pk in range(first, min(first + BATCH, n + 1)):
                    row, lead = maker.row(pk, special.get(pk, "other"))
                    categories["due" if special.get(pk) == "due" else row["state"]] += 1
                    if special.get(pk) == "stale":
                        categories["stale (quiet 30·k days)"] += 1
                    copy.write_row([row[a] for a in attnames])
                    if rng.random() < 0.4:
                        assignees.append((pk, rng.choice(people.staff[lead])))
                    if rng.random() < 0.3:
                        others = rng.sample(people.departments, 3)
                        others = [d for d in others if d != lead][: rng.randint(1, 2)]
                        coordinations += [(pk, d, "", 0) for d in others]
            with cursor.copy(assignee_sql) as copy:
                for values in assignees:
                    copy.write_row(values)
            with cursor.copy(coordination_sql) as copy:
                for values in coordinations:
                    copy.write_row(values)
        for statement in connection.ops.sequence_reset_sql(no_style(), [Task]):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Filled(tasks=n, seconds=time.perf_counter() - started, categories=categories)


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
    fill: Filled
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
    from tracker.models import DeliveryState, Event, Notification, ReminderDelivery

    print(f"\n=== {label}: {n:,} tasks, due share {share:.2%} ===", flush=True)
    wipe()
    stale_share = args.stale_share if args.stale_share is not None else share / 10
    filled = fill_tasks(n, share, stale_share, args.seed)
    print(f"filled {n:,} tasks in {filled.seconds:.1f} s: " + fmt_counter(filled.categories))
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
