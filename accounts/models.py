"""Departments (cơ quan, đơn vị) and the people who work in them."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import CITY_WIDE_ROLES, Role


class DepartmentKind(models.TextChoices):
    SO_BAN_NGANH = "so_ban_nganh", _("Sở, ban, ngành")
    UBND_CAP_XA = "ubnd_cap_xa", _("UBND phường, xã, đặc khu")
    DON_VI_SU_NGHIEP = "don_vi_su_nghiep", _("Đơn vị sự nghiệp")
    KHAC = "khac", _("Khác")


class DepartmentQuerySet(models.QuerySet["Department"]):
    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)


class Department(models.Model):
    """A unit that can lead or coordinate tasks. One with history is deactivated, never deleted."""

    name = models.CharField(_("tên đơn vị"), max_length=255, unique=True)
    code = models.CharField(
        _("mã viết tắt"),
        max_length=32,
        unique=True,
        help_text=_("Mã ngắn dùng trong danh sách và báo cáo, ví dụ STC cho Sở Tài chính."),
    )
    kind = models.CharField(
        _("loại đơn vị"), max_length=32, choices=DepartmentKind, default=DepartmentKind.SO_BAN_NGANH
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(
        _("hộp thư chung"),
        blank=True,
        help_text=_("Nhận nhắc việc khi nhiệm vụ chưa giao cho cá nhân nào."),
    )
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("thủ trưởng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_("Đơn vị đã sáp nhập hoặc giải thể được ngừng hoạt động, không xóa."),
    )
    deactivated_at = models.DateTimeField(_("ngừng hoạt động lúc"), null=True, blank=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(deactivated_at__isnull=False),
                name="department_inactive_has_date",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="department_code_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person. What they may do follows from their role groups and their department."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Vietnamese names read family name first: "Nguyễn Văn An".
        full = " ".join(part for part in (self.last_name, self.first_name) if part)
        return full or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        if self.is_superuser and Role.ADMINISTRATOR in roles:
            return True
        return any(role.label in self.role_names for role in roles)

    @property
    def is_office(self) -> bool:
        """The tracking office and administrators: they enter, assign, evaluate and score."""
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR, Role.TRACKING_OFFICE)

    @property
    def sees_every_department(self) -> bool:
        """The office, leaders, inspectors and administrators work across all departments."""
        return self.is_superuser or self.has_role(*CITY_WIDE_ROLES)
