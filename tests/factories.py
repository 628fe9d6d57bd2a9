"""Factories for test data. Tasks are made in their first state; tests move them through the
workflow services, as users do."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Department, DepartmentKind, User
from accounts.roles import Role
from tracker.models import DeadlineKind, Directive, DirectiveKind, Task, TaskState

PASSWORD = "Mat-khau-thu-2025"  # noqa: S105 - test accounts only


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    code = factory.Sequence(lambda n: f"S{n}")
    kind = DepartmentKind.SO_BAN_NGANH
    email = factory.LazyAttribute(lambda d: f"{d.code.lower()}@example.gov.vn")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if not create or not extracted:
            return
        self.groups.add(*(Group.objects.get_or_create(name=role.label)[0] for role in extracted))
        # role_names is cached per instance: a fresh read sees the new groups.
        self.__dict__.pop("role_names", None)


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    kind = DirectiveKind.KE_HOACH
    symbol = factory.Sequence(lambda n: f"{n + 1}/KH-UBND")
    issuer = "UBND thành phố Hải Phòng"
    issue_date = dt.date(2025, 12, 1)
    summary = "Kế hoạch triển khai thực hiện các nghị quyết của HĐND thành phố"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    directive = factory.SubFactory(DirectiveFactory)
    item_number = factory.Sequence(lambda n: str(n + 1))
    content = factory.Sequence(lambda n: f"Tham mưu triển khai nghị quyết số {n + 1} của HĐND")
    lead_department = factory.SubFactory(DepartmentFactory)
    deadline_kind = DeadlineKind.DATE
    due_date = dt.date(2025, 12, 15)
    original_due_date = factory.SelfAttribute("due_date")
    state = TaskState.ASSIGNED
    assigned_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyAttribute(
        lambda t: t.last_reported_at or t.accepted_at or t.assigned_at
    )
    accepted_at = None
    last_reported_at = None
