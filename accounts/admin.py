from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracker.errors import WorkflowError

from . import services
from .models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "head", "email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "head")
    list_select_related = ("parent", "head")
    readonly_fields = ("is_active", "deactivated_at")
    actions = ["deactivate", "reactivate"]
    show_full_result_count = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A department with history is deactivated, never deleted.
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("accounts.change_department"):
            return {}
        return actions

    def _run(self, request: HttpRequest, queryset: QuerySet[Department], service: Any) -> None:
        done = 0
        for department in queryset:
            try:
                service(department=department.pk, actor=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("Đã cập nhật %(count)d đơn vị.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Ngừng hoạt động (sáp nhập, giải thể)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        self._run(request, queryset, services.department_deactivate)

    @admin.action(description=_("Hoạt động trở lại"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Department]) -> None:
        self._run(request, queryset, services.department_reactivate)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "department", "position", "roles", "is_active")
    list_filter = (
        "groups",
        "is_active",
        "is_staff",
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("username", "first_name", "last_name", "email", "department__name")
    autocomplete_fields = ("department",)
    list_select_related = ("department",)
    show_full_result_count = False
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Đơn vị công tác"), {"fields": ("department", "position", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Đơn vị công tác"),
            {"fields": ("first_name", "last_name", "email", "department", "position", "groups")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People who acted on tasks stay on record; lock the account instead (bỏ "đang hoạt động").
        return False

    @admin.display(description=_("Vai trò"))
    def roles(self, obj: User) -> str:
        return ", ".join(group.name for group in obj.groups.all()) or "—"
