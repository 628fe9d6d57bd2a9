"""A large, realistic data set for the benchmarks (``manage.py bench_data``, bench/).

One million tasks cannot go through the workflow services one by one in minutes, so this module
writes rows directly: PostgreSQL's COPY in batches, or ``bulk_create`` on other databases (small
sets for tests). It is the only writer outside the service layer, it refuses to touch a database
that already holds tasks unless told to replace them, and every row it writes satisfies the
models' check constraints, which PostgreSQL enforces during COPY.

What it makes, for N tasks, D departments and U users:

* the 14 city departments and 114 wards of the demo first, then numbered units, as many as D;
* the tracking office (5), leaders (5), inspectors (2), one head per department and the other
  users as staff spread over the departments; all can sign in with the demo password;
* one directive per 100 tasks (at least 10), each with a leader in charge;
* N tasks: the city departments lead about half of them; due dates spread over two years around
  the as-of day; a share of open tasks due on a reminder date that day (``due_share``); states,
  extensions and history consistent with each other; 40 % given to a staff member, 30 % with
  one or two coordinating departments;
* one or two progress reports per task that has been accepted, a submission (and the office's
  evaluation) per submitted, returned or completed task, an approved extension per task whose
  deadline moved, and the timeline events of all of these.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Department, DepartmentKind, User
from accounts.roles import Role

from . import deadlines
from .demo import CITY_DEPARTMENTS, DEMO_PASSWORD, ward_rows
from .models import (
    CHASED_STATES,
    DeadlineKind,
    Directive,
    DirectiveKind,
    Evaluation,
    EvaluationOutcome,
    Event,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    OutputKind,
    ProgressReport,
    QualityGrade,
    ReminderKind,
    ReminderPolicy,
    ReportFrequency,
    ResultSubmission,
    Task,
    TaskCoordination,
    TaskState,
    Urgency,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 5_000  # rows per COPY or bulk_create batch
SPREAD_DAYS = 730  # due dates within ±2 years of the as-of day
TASKS_PER_DIRECTIVE = 100
OFFICE_PEOPLE = 5
LEADERS = 5
INSPECTORS = 2
FIXED_PEOPLE = OFFICE_PEOPLE + LEADERS + INSPECTORS
CITY_WEIGHT = 10  # a city department leads ten times as many tasks as a ward

SUBJECTS = (
    "Xây dựng kế hoạch triển khai nghị quyết của HĐND thành phố",
    "Rà soát, đề xuất sửa đổi quy định về thủ tục hành chính",
    "Báo cáo kết quả giải ngân vốn đầu tư công",
    "Tham mưu đề án sắp xếp đơn vị sự nghiệp công lập",
    "Tổ chức kiểm tra công tác phòng, chống thiên tai",
    "Hoàn thiện hồ sơ dự án chuyển đổi số cấp xã",
    "Đánh giá tình hình thực hiện chỉ tiêu tăng trưởng GRDP",
    "Xây dựng dự thảo quyết định quy định giá dịch vụ",
    "Đẩy nhanh giải phóng mặt bằng các dự án trọng điểm",
    "Triển khai Khu thương mại tự do thành phố",
)
DIRECTIVE_KINDS = (
    DirectiveKind.KE_HOACH,
    DirectiveKind.QUYET_DINH,
    DirectiveKind.CHI_THI,
    DirectiveKind.THONG_BAO_KET_LUAN,
    DirectiveKind.CONG_VAN,
)


class BenchDataError(ValueError):
    """The data set cannot be written; the message is for the person running the command."""


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass(frozen=True)
class Spec:
    tasks: int
    departments: int = 150
    users: int = 5_000
    as_of: dt.date | None = None  # default: today in Hải Phòng
    due_share: float = 0.01
    stale_share: float | None = None  # quiet for 30·k days; default a tenth of due_share
    seed: int = 20251215

    @property
    def directives(self) -> int:
        return max(10, self.tasks // TASKS_PER_DIRECTIVE)

    def check(self) -> None:
        if self.tasks < 1:
            raise BenchDataError("Số nhiệm vụ phải lớn hơn 0.")
        if self.departments < 2:
            raise BenchDataError("Cần ít nhất 2 đơn vị.")
        if self.users < self.departments + FIXED_PEOPLE:
            raise BenchDataError(
                f"Cần ít nhất {self.departments + FIXED_PEOPLE} người dùng: mỗi đơn vị một thủ "
                f"trưởng, cộng {FIXED_PEOPLE} người của văn phòng, lãnh đạo và thanh tra."
            )
        if not 0 <= self.due_share <= 0.5:
            raise BenchDataError("Tỷ lệ nhiệm vụ đến hạn nhắc phải từ 0 đến 0,5.")


@dataclass
class Summary:
    rows: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)  # due a reminder, quiet
    seconds: float = 0.0

    def render(self) -> str:
        parts = ", ".join(f"{name} {count:,}" for name, count in self.rows.items())
        states = ", ".join(f"{state} {count:,}" for state, count in self.states.most_common())
        return f"{parts}\ntrạng thái: {states}\n{self.seconds:.1f} giây"


# --- Writing rows ----------------------------------------------------------------------------


class Rows:
    """Writes dicts of column values (by attname) into one model's table, in batches."""

    def __init__(
        self, model: type[models.Model], summary: Summary, label: str | None = None
    ) -> None:
        self.model = model
        self.label = label or str(model._meta.verbose_name_plural)
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.base = {f.attname: f.get_default() for f in self.fields}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.base[f.attname] = timezone.now()
        self.pending: list[dict[str, Any]] = []
        self.summary = summary
        self.next_id = 1

    def add(self, **values: Any) -> int:
        row = dict(self.base)
        row.update(values)
        if row.get("id") is None:
            row["id"] = self.next_id
        self.next_id = max(self.next_id, row["id"] + 1)
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.summary.rows[self.label] += len(rows)
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = "COPY {} ({}) FROM STDIN".format(
                quote(self.model._meta.db_table),
                ", ".join(quote(f.column) for f in self.fields),
            )
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(v) if isinstance(v, dict | list) else v
                            for v in (row[a] for a in self.attnames)
                        ]
                    )
        else:
            self.model.objects.bulk_create(self.model(**row) for row in rows)

    def reset_sequence(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(statement)


def _tables() -> list[str]:
    """Every table of tracker and accounts, with their many-to-many tables (not the groups)."""
    tables: list[str] = []
    for label in ("tracker", "accounts"):
        for model in apps.get_app_config(label).get_models():
            tables.append(model._meta.db_table)
            tables += [
                m2m.remote_field.through._meta.db_table
                for m2m in model._meta.local_many_to_many
                if m2m.remote_field.through._meta.auto_created
            ]
    return tables


def wipe() -> None:
    """Empty the tracker's and the accounts' tables; migrations and role groups stay."""
    if connection.vendor == "postgresql":
        # Rows written earlier in the same transaction leave deferred foreign-key checks
        # pending, and TRUNCATE refuses to run past them: check them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    statements = connection.ops.sql_flush(
        no_style(), _tables(), reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # rows are written in batches, children first
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- People and directives -------------------------------------------------------------------


@dataclass
class People:
    departments: list[int]
    weights: list[int]
    heads: dict[int, int]
    staff: dict[int, list[int]]
    office: list[int]
    leaders: list[int]
    directives: list[int]


def department_rows(count: int) -> list[tuple[str, str, str]]:
    """(code, name, kind): the demo's city departments and wards, then numbered units."""
    rows = [(code, name, DepartmentKind.SO_BAN_NGANH) for code, name in CITY_DEPARTMENTS]
    rows += [(code, name, DepartmentKind.UBND_CAP_XA) for code, name in ward_rows()]
    rows += [
        (f"DV{i:04d}", f"Đơn vị thử nghiệm số {i}", DepartmentKind.DON_VI_SU_NGHIEP)
        for i in range(1, max(0, count - len(rows)) + 1)
    ]
    return rows[:count]


def _fill_people(spec: Spec, rng: random.Random, summary: Summary) -> People:
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)  # hashed once: every bench user shares it
    departments = Department.objects.bulk_create(
        Department(name=name, code=code, kind=kind, email=f"{code.lower()}@bench.haiphong.gov.vn")
        for code, name, kind in department_rows(spec.departments)
    )
    summary.rows[Department._meta.verbose_name_plural] += len(departments)
    office_department = departments[0]  # Văn phòng UBND thành phố

    def person(
        username: str, department: Department | None, position: str, staff: bool = False
    ) -> User:
        return User(
            username=username,
            is_staff=staff,  # the office, leaders and inspectors work in the admin too
            password=password,
            first_name="An",
            last_name="Nguyễn Văn",
            email=f"{username}@bench.haiphong.gov.vn",
            department=department,
            position=position,
            date_joined=now,
        )

    office = [
        person(f"bench.vanphong{j}", office_department, "Chuyên viên", staff=True)
        for j in range(1, OFFICE_PEOPLE + 1)
    ]
    leaders = [
        person(f"bench.lanhdao{j}", None, "Phó Chủ tịch UBND thành phố", staff=True)
        for j in range(1, LEADERS + 1)
    ]
    inspectors = [
        person(f"bench.thanhtra{j}", None, "Thanh tra viên", staff=True)
        for j in range(1, INSPECTORS + 1)
    ]
    heads = [person(f"bench.{d.code.lower()}.giamdoc", d, "Giám đốc") for d in departments]
    staff_count = spec.users - FIXED_PEOPLE - len(departments)
    staff = [
        person(
            f"bench.{departments[i % len(departments)].code.lower()}.cv{i // len(departments) + 1}",
            departments[i % len(departments)],
            "Chuyên viên",
        )
        for i in range(staff_count)
    ]
    everyone = [*office, *leaders, *inspectors, *heads, *staff]
    for first in range(0, len(everyone), BATCH):
        User.objects.bulk_create(everyone[first : first + BATCH])
    summary.rows[User._meta.verbose_name_plural] += len(everyone)
    for department, head in zip(departments, heads, strict=True):
        department.head = head
    Department.objects.bulk_update(departments, ["head"], batch_size=BATCH)

    groups = {g.name: g.pk for g in Group.objects.all()}
    membership = User.groups.through
    links = []
    for users, role in (
        (office, Role.TRACKING_OFFICE),
        (leaders, Role.LEADER),
        (inspectors, Role.INSPECTOR),
        (heads, Role.DEPARTMENT_HEAD),
        (staff, Role.DEPARTMENT_STAFF),
    ):
        links += [membership(user_id=u.pk, group_id=groups[role.label]) for u in users]
    membership.objects.bulk_create(links, batch_size=BATCH)

    as_of = spec.as_of or timezone.localdate()
    directive_rows = Rows(Directive, summary)
    event_rows = Rows(Event, summary)
    directives: list[int] = []
    for i in range(spec.directives):
        kind = DIRECTIVE_KINDS[i % len(DIRECTIVE_KINDS)]
        issued = as_of - dt.timedelta(days=rng.randint(10, 3 * 365))
        leader = leaders[i % LEADERS].pk
        pk = directive_rows.add(
            kind=kind,
            symbol=f"{i + 1}/{kind}-UBND",
            issuer="UBND thành phố Hải Phòng",
            issue_date=issued,
            signer="Lê Ngọc Châu",
            summary=f"Về việc triển khai nhiệm vụ trọng tâm, đợt {i + 1}",
            leader_in_charge_id=leader,
            created_at=_moment(rng, issued),
        )
        event_rows.add(
            directive_id=pk,
            kind=EventKind.DIRECTIVE_CREATED,
            actor_id=office[0].pk,
            at=_moment(rng, issued),
            changes={},
        )
        directives.append(pk)
    directive_rows.flush()
    directive_rows.reset_sequence()
    event_rows.flush()

    staff_by_department: dict[int, list[int]] = {}
    for user in staff:
        staff_by_department.setdefault(user.department_id, []).append(user.pk)
    return People(
        departments=[d.pk for d in departments],
        weights=[CITY_WEIGHT if d.kind == DepartmentKind.SO_BAN_NGANH else 1 for d in departments],
        heads={d.pk: d.head_id for d in departments},
        staff=staff_by_department,
        office=[u.pk for u in office],
        leaders=[u.pk for u in leaders],
        directives=directives,
    )


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=ZONE)


# --- Tasks -----------------------------------------------------------------------------------


def trigger_dates(policy: ReminderPolicy, as_of: dt.date) -> dict[dt.date, tuple[str, int]]:
    """The due dates that trigger a deadline reminder on ``as_of`` (mirrors reminders.plan)."""
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


def stale_dates(policy: ReminderPolicy, as_of: dt.date) -> list[dt.date]:
    """Days of last activity that trigger the "chưa cập nhật" nudge on ``as_of``."""
    return [as_of - dt.timedelta(days=k * policy.stale_after_days) for k in range(1, 13)]


class TaskMaker:
    """Makes one task row at a time, each satisfying the model's check constraints.

    ``category`` is "due" (open, due on a reminder date of the as-of day), "stale" (open, last
    activity exactly 30·k days before) or "other" (any state, never due on a reminder date).
    """

    OTHER_STATES = (
        ("open", 55),
        ("completed", 33),
        ("submitted", 5),
        ("paused", 4),
        ("withdrawn", 3),
    )
    OPEN_WEIGHTS = (("assigned", 20), ("in_progress", 65), ("returned", 10), ("declined", 5))

    def __init__(
        self, rng: random.Random, people: People, policy: ReminderPolicy, as_of: dt.date
    ) -> None:
        self.rng = rng
        self.people = people
        self.as_of = as_of
        self.triggers = trigger_dates(policy, as_of)
        self.trigger_list = sorted(self.triggers)
        self.stale = stale_dates(policy, as_of)
        self.output_kinds = list(OutputKind.values)
        self.urgencies = [Urgency.THUONG] * 8 + [Urgency.KHAN, Urgency.HOA_TOC]
        self.states, self.state_weights = zip(*self.OTHER_STATES, strict=True)
        self.open_states, self.open_weights = zip(*self.OPEN_WEIGHTS, strict=True)
        # Due and quiet tasks are in a state the scan chases; other open ones may be declined.
        self.chased, self.chased_weights = zip(
            *[(s, w) for s, w in self.OPEN_WEIGHTS if s in CHASED_STATES], strict=True
        )
        self.cumulative_weights = []
        total = 0
        for weight in people.weights:
            total += weight
            self.cumulative_weights.append(total)

    def _day(self, low: int = -SPREAD_DAYS, high: int = SPREAD_DAYS) -> dt.date:
        return self.as_of + dt.timedelta(days=self.rng.randint(low, high))

    def _recent(self) -> dt.datetime:
        """Activity 0–28 days before the as-of day: never on a "chưa cập nhật" day."""
        return _moment(self.rng, self.as_of - dt.timedelta(days=self.rng.randint(0, 28)))

    def _deadline(self, open_task: bool) -> tuple[str, dt.date | None, dt.date | None, str]:
        """(deadline_kind, due_date, original_due_date, report_frequency); an open task's due
        date never falls on a reminder date unless it is meant to."""
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
        if kind == DeadlineKind.DATE and self.rng.random() < 0.1:  # extended once
            return due - dt.timedelta(days=self.rng.randint(7, 60))
        return due

    def lead(self) -> int:
        point = self.rng.random() * self.cumulative_weights[-1]
        low, high = 0, len(self.cumulative_weights) - 1
        while low < high:  # bisect by hand: no list of a million weights
            middle = (low + high) // 2
            if self.cumulative_weights[middle] < point:
                low = middle + 1
            else:
                high = middle
        return self.people.departments[low]

    def row(self, pk: int, category: str) -> dict[str, Any]:
        rng, people = self.rng, self.people
        directive = people.directives[pk % len(people.directives)]
        row: dict[str, Any] = {
            "id": pk,
            "directive_id": directive,
            "item_number": str(pk // len(people.directives) + 1),
            "content": f"{rng.choice(SUBJECTS)} (nhiệm vụ số {pk})",
            "lead_department_id": self.lead(),
            "leader_in_charge_id": rng.choice(people.leaders) if rng.random() < 0.15 else None,
            "output_kind": rng.choice(self.output_kinds),
            "urgency": rng.choice(self.urgencies),
            "created_by_id": people.office[pk % len(people.office)],
        }
        if category == "due":
            state = rng.choices(self.chased, self.chased_weights)[0]
            due = rng.choice(self.trigger_list)
            deadline = (DeadlineKind.DATE, due, self._original(DeadlineKind.DATE, due), "")
            activity: dt.datetime | None = self._recent()
        elif category == "stale":
            state = rng.choices(self.chased, self.chased_weights)[0]
            deadline = self._deadline(open_task=True)
            activity = _moment(rng, rng.choice(self.stale))
        else:
            state = rng.choices(self.states, self.state_weights)[0]
            is_open = state == "open"
            if is_open:
                state = rng.choices(self.open_states, self.open_weights)[0]
            deadline = self._deadline(open_task=is_open)
            activity = self._recent() if is_open else None
        kind, due, original, frequency = deadline
        if state in (TaskState.ASSIGNED, TaskState.DECLINED):
            original = due  # only an accepted task can have asked for more time
        row.update(
            deadline_kind=kind,
            due_date=due,
            original_due_date=original,
            report_frequency=frequency,
            state=state,
        )
        self._history(row, state, activity)
        return row

    def _history(self, row: dict[str, Any], state: str, activity: dt.datetime | None) -> None:
        """assigned/accepted/reported/submitted/completed times consistent with the state."""
        rng = self.rng
        days = dt.timedelta
        if state == TaskState.ASSIGNED:
            row.update(assigned_at=activity, last_activity_at=activity)
        elif state == TaskState.DECLINED:
            row.update(
                assigned_at=activity - days(days=rng.randint(1, 5)), last_activity_at=activity
            )
        elif state in (TaskState.IN_PROGRESS, TaskState.RETURNED):
            assigned = activity - days(days=rng.randint(20, 400))
            row.update(
                assigned_at=assigned,
                accepted_at=assigned + days(days=rng.randint(0, 5)),
                last_reported_at=activity,
                last_activity_at=activity,
                progress_percent=rng.randint(10, 90),
            )
            if state == TaskState.RETURNED:
                row["submitted_at"] = activity - days(days=rng.randint(1, 10))
        elif state in (TaskState.COMPLETED, TaskState.SUBMITTED):
            back = rng.randint(5, 700) if state == TaskState.COMPLETED else rng.randint(0, 40)
            submitted = _moment(rng, self.as_of - days(days=back))
            assigned = submitted - days(days=rng.randint(10, 300))
            row.update(
                assigned_at=assigned,
                accepted_at=assigned + days(days=rng.randint(0, 5)),
                last_reported_at=submitted,
                last_activity_at=submitted,
                submitted_at=submitted,
                progress_percent=100,
            )
            if state == TaskState.COMPLETED:
                row["completed_at"] = submitted + days(days=rng.randint(0, min(back, 10)))
        else:  # paused, withdrawn
            assigned = _moment(rng, self.as_of - days(days=rng.randint(30, 700)))
            accepted = assigned + days(days=rng.randint(0, 5))
            row.update(
                assigned_at=assigned,
                accepted_at=accepted,
                last_activity_at=accepted + days(days=rng.randint(0, 25)),
                progress_percent=rng.randint(0, 60),
            )
            if state == TaskState.PAUSED:
                row["state_before_pause"] = TaskState.IN_PROGRESS


class History:
    """The rows that follow from one task: reports, submission, evaluation, extension, events."""

    def __init__(self, rng: random.Random, people: People, summary: Summary) -> None:
        self.rng = rng
        self.people = people
        self.reports = Rows(ProgressReport, summary)
        self.submissions = Rows(ResultSubmission, summary)
        self.evaluations = Rows(Evaluation, summary)
        self.extensions = Rows(ExtensionRequest, summary)
        self.events = Rows(Event, summary)
        self.events.next_id = 10**9  # after the directives' events, whatever their number
        self.grades = [
            QualityGrade.EXCELLENT,
            QualityGrade.GOOD,
            QualityGrade.GOOD,
            QualityGrade.MEETS,
        ]

    def writers(self) -> list[Rows]:
        return [self.reports, self.submissions, self.evaluations, self.extensions, self.events]

    def event(
        self, task: dict[str, Any], kind: str, actor: int, at: dt.datetime, **more: Any
    ) -> None:
        self.events.add(
            id=None,
            directive_id=task["directive_id"],
            task_id=task["id"],
            kind=kind,
            actor_id=actor,
            at=at,
            changes={},
            **more,
        )

    def add(self, task: dict[str, Any], assignee: int | None) -> None:
        rng, people = self.rng, self.people
        lead = task["lead_department_id"]
        head = people.heads[lead]
        worker = assignee or head
        office = people.office[task["id"] % len(people.office)]
        self.event(
            task, EventKind.CREATED, office, task["assigned_at"], to_state=TaskState.ASSIGNED
        )
        accepted = task.get("accepted_at")
        if accepted is None:
            if task["state"] == TaskState.DECLINED:
                self.event(
                    task,
                    EventKind.DECLINED,
                    head,
                    task["last_activity_at"],
                    from_state=TaskState.ASSIGNED,
                    to_state=TaskState.DECLINED,
                    note="Nhiệm vụ không thuộc chức năng, nhiệm vụ của đơn vị.",
                )
            return
        self.event(
            task,
            EventKind.ACCEPTED,
            head,
            accepted,
            from_state=TaskState.ASSIGNED,
            to_state=TaskState.IN_PROGRESS,
        )
        last = task.get("last_reported_at")
        if last is not None:
            moments = [last]
            if rng.random() < 0.5 and last - accepted > dt.timedelta(days=2):
                moments.insert(0, accepted + (last - accepted) / 2)
            for number, moment in enumerate(moments, start=1):
                percent = task["progress_percent"] if number == len(moments) else 30
                self.reports.add(
                    task_id=task["id"],
                    department_id=lead,
                    author_id=worker,
                    percent=percent,
                    results=f"Đã triển khai {percent}% khối lượng công việc.",
                    reported_at=moment,
                )
                self.event(task, EventKind.PROGRESS_REPORTED, worker, moment)
        if task["original_due_date"] != task["due_date"] and task["due_date"] is not None:
            requested = _moment(rng, task["original_due_date"] - dt.timedelta(days=5))
            decided = requested + dt.timedelta(days=2)
            self.extensions.add(
                task_id=task["id"],
                requested_by_id=head,
                requested_at=requested,
                due_date_at_request=task["original_due_date"],
                requested_due_date=task["due_date"],
                reason="Chờ ý kiến thẩm định của các cơ quan liên quan.",
                status=ExtensionStatus.APPROVED,
                decided_by_id=office,
                decided_at=decided,
                approved_due_date=task["due_date"],
                decision_number=f"{task['id']}/VP-TH",
                decision_date=decided.date(),
            )
            self.event(task, EventKind.EXTENSION_REQUESTED, head, requested)
            self.event(task, EventKind.EXTENSION_APPROVED, office, decided)
        submitted = task.get("submitted_at")
        if submitted is not None:
            submission = self.submissions.add(
                task_id=task["id"],
                submitted_by_id=head,
                submitted_at=submitted,
                summary="Đã hoàn thành, gửi kèm văn bản sản phẩm.",
            )
            self.event(task, EventKind.SUBMITTED, head, submitted, to_state=TaskState.SUBMITTED)
            if task["state"] in (TaskState.COMPLETED, TaskState.RETURNED):
                accepted_result = task["state"] == TaskState.COMPLETED
                evaluated = task.get("completed_at") or submitted + dt.timedelta(days=1)
                self.evaluations.add(
                    submission_id=submission,
                    task_id=task["id"],
                    outcome=EvaluationOutcome.ACCEPTED
                    if accepted_result
                    else EvaluationOutcome.RETURNED,
                    quality_grade=rng.choice(self.grades) if accepted_result else "",
                    remarks="" if accepted_result else "Sản phẩm chưa đạt yêu cầu chất lượng.",
                    evaluated_by_id=office,
                    evaluated_at=evaluated,
                )
                self.event(
                    task,
                    EventKind.RESULT_ACCEPTED if accepted_result else EventKind.RESULT_RETURNED,
                    office,
                    evaluated,
                    from_state=TaskState.SUBMITTED,
                    to_state=task["state"],
                )
        if task["state"] in (TaskState.PAUSED, TaskState.WITHDRAWN):
            self.event(
                task,
                EventKind.PAUSED if task["state"] == TaskState.PAUSED else EventKind.WITHDRAWN,
                people.leaders[0],
                task["last_activity_at"],
                from_state=TaskState.IN_PROGRESS,
                to_state=task["state"],
                note="Theo chỉ đạo của lãnh đạo thành phố.",
            )


def fill(spec: Spec, *, replace: bool = False, out: Writer | None = None) -> Summary:
    """Write the data set described by ``spec``; all or nothing, in one transaction."""
    spec.check()
    say: Callable[[str], Any] = out.write if out is not None else (lambda _msg: None)
    if not replace and (Task.objects.exists() or Directive.objects.exists()):
        raise BenchDataError(
            "Cơ sở dữ liệu đã có văn bản hoặc nhiệm vụ. Dữ liệu thử tải chỉ được ghi vào cơ sở "
            "dữ liệu trống; dùng --replace nếu chắc chắn muốn XÓA toàn bộ dữ liệu hiện có."
        )
    if not Group.objects.filter(name=Role.TRACKING_OFFICE.label).exists():
        raise BenchDataError("Chưa có các nhóm vai trò: chạy migrate trước.")
    started = time.perf_counter()
    summary = Summary()
    rng = random.Random(f"{spec.seed}:{spec.tasks}")  # noqa: S311 - reproducible data, not secrets
    as_of = spec.as_of or timezone.localdate()
    with transaction.atomic():
        if replace:
            wipe()
        people = _fill_people(spec, rng, summary)
        say(
            f"{len(people.departments):,} đơn vị, {spec.users:,} người dùng, "
            f"{len(people.directives):,} văn bản ({time.perf_counter() - started:.1f} s)"
        )
        from .reminders import default_policy

        maker = TaskMaker(rng, people, default_policy(), as_of)
        tasks = Rows(Task, summary)
        assignees = Rows(Task.assignees.through, summary, "chuyên viên được giao")
        coordinations = Rows(TaskCoordination, summary)
        history = History(rng, people, summary)
        for pk, category in _categories(spec, rng):
            row = maker.row(pk, category)
            summary.states[row["state"]] += 1
            if category != "other":
                summary.categories[category] += 1
            tasks.add(**row)
            assignee = None
            staff = people.staff.get(row["lead_department_id"])
            if staff and rng.random() < 0.4:
                assignee = rng.choice(staff)
                assignees.add(task_id=pk, user_id=assignee)
            if rng.random() < 0.3:
                others = [
                    d for d in rng.sample(people.departments, 3) if d != row["lead_department_id"]
                ]
                for department in others[: rng.randint(1, 2)]:
                    coordinations.add(
                        task_id=pk, department_id=department, part="Phối hợp cung cấp số liệu."
                    )
            history.add(row, assignee)
            if pk % 100_000 == 0:
                say(f"{pk:,} nhiệm vụ ({time.perf_counter() - started:.0f} s)")
        writers = [tasks, assignees, coordinations, *history.writers()]
        for writer in writers:
            writer.flush()
        for writer in writers:
            writer.reset_sequence()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum would have done by the time anyone measures: fresh statistics, and
        # the visibility map that lets index-only scans skip the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    summary.seconds = time.perf_counter() - started
    return summary


def _categories(spec: Spec, rng: random.Random) -> Iterator[tuple[int, str]]:
    n_due = round(spec.tasks * spec.due_share)
    stale_share = spec.due_share / 10 if spec.stale_share is None else spec.stale_share
    n_stale = round(spec.tasks * stale_share)
    chosen = rng.sample(range(1, spec.tasks + 1), min(spec.tasks, n_due + n_stale))
    special = dict.fromkeys(chosen[:n_due], "due") | dict.fromkeys(chosen[n_due:], "stale")
    for pk in range(1, spec.tasks + 1):
        yield pk, special.get(pk, "other")
