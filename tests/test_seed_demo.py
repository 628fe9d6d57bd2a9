"""``manage.py seed_demo``: the demo data loads through the services, covers every workflow state
and every timeliness bucket as of the day it is run, and a second run changes nothing.

The demo is loaded once for the checks that only read it (TestSeeded, inside one outer
transaction that is rolled back at the end), and afresh where the day of loading matters.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory
from django.test.utils import override_settings
from pytest_django import DjangoDbBlocker

from accounts.models import Department, DepartmentKind, User
from accounts.roles import Role
from tracker import demo
from tracker.directives import directive_chain
from tracker.models import (
    Attachment,
    DeadlineKind,
    Directive,
    DirectiveKind,
    Evaluation,
    Event,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ResultSubmission,
    Task,
    TaskCoordination,
    TaskState,
)
from tracker.timeliness import Bucket

HN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=HN)
LATER = dt.datetime(2027, 3, 1, 9, 0, tzinfo=HN)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = (
    Department, User, Directive, Task, TaskCoordination, Event, ProgressReport,
    ExtensionRequest, ResultSubmission, Evaluation, Attachment, Indicator, IndicatorValue,
)  # fmt: skip


def seed(today: dt.date) -> str:
    out = io.StringIO()
    call_command("seed_demo", today=today.isoformat(), stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def buckets(as_of: dt.date) -> set[str]:
    return set(Task.objects.with_timeliness(as_of=as_of).values_list("timeliness", flat=True))


def conference() -> Directive:
    return Directive.objects.get(
        kind=DirectiveKind.Y_KIEN_CHI_DAO,
        issuer="Đảng ủy UBND thành phố Hải Phòng",
        issue_date=dt.date(2025, 12, 11),
    )


@pytest.fixture(scope="class")
def seeded(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The demo as loaded on 22/11/2026 at 09:00, shared by the tests of one class."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER),
        time_machine.travel(NOW, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        output = seed(NOW.date())
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def isolated(settings: Any, tmp_path: Path) -> None:
    """Uploads in a temporary folder; a fast hasher (the demo hashes its password once)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestSeeded:
    def test_every_workflow_state_appears(self) -> None:
        assert set(Task.objects.values_list("state", flat=True)) == set(TaskState.values)

    def test_every_timeliness_bucket_appears_as_of_today(self) -> None:
        assert buckets(NOW.date()) == set(Bucket.values)

    def test_summary_counts_and_logins_are_printed(self, seeded: str) -> None:
        assert "Lần chạy này đã tạo mới: 128 đơn vị, 14 tài khoản" in seeded
        assert f"Nhiệm vụ: {Task.objects.count()}" in seeded
        assert "Tài khoản dùng thử (mật khẩu chung DonDoc@2025):" in seeded
        for account in demo.ACCOUNTS:
            assert account.username in seeded
        assert Role.DEPARTMENT_HEAD.label in seeded

    def test_departments(self) -> None:
        city = Department.objects.filter(kind=DepartmentKind.SO_BAN_NGANH)
        assert set(city.values_list("code", flat=True)) == {
            "VPUBND", "SNV", "STC", "SXD", "SNNMT", "SKHCN", "SCT", "SVHTTDL", "SYT", "SGDDT",
            "STP", "SNGV", "BQLKKT", "TTTP",
        }  # fmt: skip
        assert Department.objects.get(code="STC").email == "stc@demo.haiphong.gov.vn"
        wards = Department.objects.filter(kind=DepartmentKind.UBND_CAP_XA)
        assert wards.count() == 114
        assert Department.objects.get(code="P-THUYNGUYEN").name == "UBND Phường Thuỷ Nguyên"
        assert Department.objects.get(code="X-ANHUNG").name == "UBND Xã An Hưng"
        assert Department.objects.get(code="DK-CATHAI").name == "UBND Đặc khu Cát Hải"
        # Two communes fold to the same ASCII code: the second gets a number.
        assert Department.objects.get(code="X-CAMGIANG").name == "UBND Xã Cẩm Giang"
        assert Department.objects.get(code="X-CAMGIANG2").name == "UBND Xã Cẩm Giàng"

    def test_demo_logins(self) -> None:
        for account in demo.ACCOUNTS:
            user = authenticate(
                RequestFactory().post("/tai-khoan/dang-nhap/"),
                username=account.username,
                password="DonDoc@2025",
            )
            assert user is not None, account.username
            assert account.role.label in user.role_names
            assert user.email == f"{account.username}@demo.haiphong.gov.vn"
            assert user.last_name and user.first_name
            if account.department:
                assert user.department.code == account.department
            if account.role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF):
                assert not user.is_staff
                assert not user.is_superuser
            else:
                assert user.is_staff
        assert User.objects.get(username="quantri").is_superuser
        assert Department.objects.get(code="SYT").head.username == "syt.giamdoc"
        assert User.objects.get(username="lanhdao").position == "Phó Chủ tịch UBND thành phố"

    def test_directive_chain(self) -> None:
        resolution = Directive.objects.get(symbol="7/NQ-CP", issuer="Chính phủ")
        assert [d.symbol for d in directive_chain(resolution)] == ["96-KL/TW", "45-NQ/TW"]
        meeting = conference()
        assert list(meeting.implements.all()) == [resolution]
        assert meeting.signer == "Lê Ngọc Châu"
        assert "hoàn thành trước ngày 15/12/2025" in meeting.full_text
        for symbol in ("35-CT/TW", "71-NQ/TW", "72-NQ/TW", "226/2025/QH15"):
            assert Directive.objects.filter(symbol=symbol).exists(), symbol
        assert Directive.objects.filter(
            kind=DirectiveKind.Y_KIEN_CHI_DAO, issue_date=dt.date(2026, 3, 16)
        ).exists()

    def test_the_45_resolutions_are_due_15_12_2025(self) -> None:
        tasks = Task.objects.filter(
            directive=conference(), original_due_date=dt.date(2025, 12, 15)
        ).select_related("lead_department")
        leads = {t.lead_department.code for t in tasks}
        assert len(tasks) >= 6
        assert {"STC", "SNV", "STP", "SXD"} <= leads
        on_time = tasks.get(lead_department__code="STC")
        assert on_time.submitted_at == dt.datetime(2025, 12, 15, 16, 0, tzinfo=HN)
        assert on_time.completed_at.astimezone(HN).date() == dt.date(2025, 12, 18)
        extended = tasks.get(due_date=dt.date(2025, 12, 31))
        approval = extended.extension_requests.get(status=ExtensionStatus.APPROVED)
        assert approval.decision_number == "1234/UBND-TH"
        assert extended.state == TaskState.COMPLETED
        assert extended.submitted_at.astimezone(HN).date() <= dt.date(2025, 12, 30)
        assert tasks.filter(extension_requests__status=ExtensionStatus.PENDING).exists()
        # The declined task went to the right department, and the refusal stays on record.
        reassigned = tasks.get(events__kind=EventKind.DECLINED)
        assert reassigned.lead_department.code == "SVHTTDL"
        assert reassigned.events.filter(kind=EventKind.REASSIGNED).exists()
        # Returned once, then resubmitted and accepted.
        assert tasks.filter(events__kind=EventKind.RESULT_RETURNED, state="completed").exists()

    def test_deadline_kinds_and_the_indicator(self) -> None:
        kinds = set(Task.objects.values_list("deadline_kind", flat=True))
        assert kinds == set(DeadlineKind.values)
        periodic = Task.objects.get(deadline_kind=DeadlineKind.PERIODIC)
        assert periodic.report_frequency == "monthly"
        indicator = Indicator.objects.get(code="KTXH-01")
        assert (indicator.target, indicator.stretch_target) == (Decimal(13), Decimal(14))
        assert indicator.department.code == "STC"
        assert indicator.directive == conference()
        assert indicator.tasks.filter(content__startswith="Xây dựng Kịch bản tăng trưởng").exists()
        assert not indicator.values.exists()  # 2026 has not ended on 22/11/2026

    def test_every_task_has_a_timeline_and_is_valid(self) -> None:
        for task in Task.objects.all():
            events = list(task.events.order_by("at", "id"))
            assert events[0].kind == EventKind.CREATED, task
            assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False)), task
            assert events[-1].at <= NOW, task
            task.full_clean()
        assert not ProgressReport.objects.filter(reported_at__gt=NOW).exists()
        assert Attachment.objects.filter(content_type="application/pdf").exists()

    def test_second_run_creates_and_changes_nothing(self) -> None:
        # Someone changed their password in the meantime: a rerun must not reset it.
        office = User.objects.get(username="vanphong")
        office.set_password("Mat-khau-moi-2026")
        office.save()
        before = counts()
        snapshot = list(Task.objects.order_by("pk").values())
        with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
            output = seed(NOW.date() + dt.timedelta(days=1))
        assert "Không có gì mới" in output
        assert "Tài khoản dùng thử" in output
        assert counts() == before
        assert list(Task.objects.order_by("pk").values()) == snapshot
        assert (
            authenticate(
                RequestFactory().post("/tai-khoan/dang-nhap/"),
                username="vanphong",
                password="Mat-khau-moi-2026",
            )
            is not None
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated")
def test_relative_dates_follow_today() -> None:
    """Loaded on another day, the demo still shows every bucket as of that day."""
    with time_machine.travel(LATER, tick=False):
        output = seed(LATER.date())
    assert buckets(LATER.date()) == set(Bucket.values)
    assert set(Task.objects.values_list("state", flat=True)) == set(TaskState.values)
    assert "tình hình tính đến ngày 01/03/2027" in output
    # 2026 is over: its GRDP figure is there.
    value = IndicatorValue.objects.get()
    assert value.period_start == dt.date(2026, 1, 1)
    assert value.reported_at <= LATER


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated")
def test_today_must_be_neither_future_nor_before_the_story() -> None:
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(CommandError, match="tương lai"):
            seed(NOW.date() + dt.timedelta(days=1))
        with pytest.raises(CommandError, match="01/06/2026"):
            seed(dt.date(2026, 5, 31))
    assert Department.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated")
def test_a_failure_leaves_nothing_half_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("hỏng giữa chừng")

    # Departments, users, directives and the first task are written before this step fails.
    monkeypatch.setattr(demo.workflow, "result_accept", broken)
    with time_machine.travel(NOW, tick=False), pytest.raises(RuntimeError):
        seed(NOW.date())
    assert all(n == 0 for n in counts().values())
