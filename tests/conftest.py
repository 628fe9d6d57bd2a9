"""Personas, as in the seed documents: the city's tracking office, a leader, an inspector,
Sở Tài chính leading a task, Sở Xây dựng coordinating it, and Sở Y tế, an outsider."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from accounts.models import Department, User
from accounts.roles import Role
from tracker.models import Task, TaskCoordination

from .factories import DepartmentFactory, DirectiveFactory, TaskFactory, UserFactory
from .smtp import mail_server  # noqa: F401 - a fixture for every test module

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2's deliberate slowness protects real accounts; tests make dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Personas:
    office: User
    leader: User
    inspector: User
    administrator: User
    finance: Department
    finance_head: User
    finance_staff: User
    construction: Department
    construction_staff: User
    health: Department
    health_staff: User


@pytest.fixture
def people(db: None) -> Personas:
    office_dept = DepartmentFactory(name="Văn phòng Ủy ban nhân dân thành phố", code="VPUBND")
    finance = DepartmentFactory(name="Sở Tài chính", code="STC")
    construction = DepartmentFactory(name="Sở Xây dựng", code="SXD")
    health = DepartmentFactory(name="Sở Y tế", code="SYT")
    personas = Personas(
        office=UserFactory(
            username="vanphong", department=office_dept, is_staff=True,
            roles=[Role.TRACKING_OFFICE], last_name="Trần Thị", first_name="Hoa",
        ),
        leader=UserFactory(
            username="lanhdao", department=office_dept, is_staff=True, roles=[Role.LEADER],
            last_name="Lê Văn", first_name="Minh",
        ),
        inspector=UserFactory(
            username="thanhtra", is_staff=True, roles=[Role.INSPECTOR],
            last_name="Phạm Văn", first_name="Tâm",
        ),
        administrator=UserFactory(
            username="quantri", is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR]
        ),
        finance=finance,
        finance_head=UserFactory(
            username="stc.giamdoc", department=finance, roles=[Role.DEPARTMENT_HEAD],
            last_name="Nguyễn Văn", first_name="Hùng",
        ),
        finance_staff=UserFactory(
            username="stc.chuyenvien", department=finance, roles=[Role.DEPARTMENT_STAFF],
            last_name="Đỗ Thị", first_name="Lan",
        ),
        construction=construction,
        construction_staff=UserFactory(
            username="sxd.chuyenvien", department=construction, roles=[Role.DEPARTMENT_STAFF],
            last_name="Vũ Văn", first_name="Nam",
        ),
        health=health,
        health_staff=UserFactory(
            username="syt.chuyenvien", department=health, roles=[Role.DEPARTMENT_STAFF],
            last_name="Hoàng Thị", first_name="Mai",
        ),
    )  # fmt: skip
    finance.head = personas.finance_head
    finance.save(update_fields=["head"])
    return personas


@pytest.fixture
def task(people: Personas) -> Task:
    """A task Sở Tài chính leads and Sở Xây dựng coordinates, due 15/12/2025."""
    made = TaskFactory(
        directive=DirectiveFactory(),
        lead_department=people.finance,
        content="Tham mưu triển khai 45 Nghị quyết của HĐND thành phố về cơ chế, chính sách",
        output_description="Kế hoạch triển khai của UBND thành phố",
        quality_requirement="Đồng bộ, kịp thời, đúng quy định",
    )
    TaskCoordination.objects.create(
        task=made, department=people.construction, part="Các nghị quyết về xây dựng, đô thị"
    )
    return made
