"""Services that write departments. A department with history is deactivated, never deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.errors import WorkflowError

from .models import Department, User


def _check_admin(actor: User) -> None:
    if not actor.is_office:
        raise WorkflowError(_("Bạn không có quyền quản lý đơn vị."), code="not_permitted")


def department_deactivate(*, department: Department | int, actor: User) -> Department:
    """Ngừng hoạt động (merged, dissolved): kept with its history, offered for no new task."""
    _check_admin(actor)
    pk = department if isinstance(department, int) else department.pk
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=pk)
        if not department.is_active:
            return department
        open_count = department.led_tasks.filter(
            state__in=["assigned", "in_progress", "submitted", "returned", "declined", "paused"]
        ).count()
        if open_count:
            raise WorkflowError(
                _(
                    "%(dept)s còn %(count)d nhiệm vụ chủ trì chưa kết thúc; hãy giao lại trước "
                    "khi ngừng hoạt động."
                )
                % {"dept": department, "count": open_count},
                code="has_open_tasks",
            )
        department.is_active = False
        department.deactivated_at = timezone.now()
        department.save(update_fields=["is_active", "deactivated_at"])
    return department


def department_reactivate(*, department: Department | int, actor: User) -> Department:
    _check_admin(actor)
    pk = department if isinstance(department, int) else department.pk
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=pk)
        department.is_active = True
        department.deactivated_at = None
        department.save(update_fields=["is_active", "deactivated_at"])
    return department
