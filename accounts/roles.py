"""Roles are Django groups; each group's permissions are kept in step after every migrate."""

from __future__ import annotations

from typing import Any

from django.db import models


class Role(models.TextChoices):
    # The labels are the group names stored in the database: they are not translated.
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    TRACKING_OFFICE = "tracking_office", "Chuyên viên theo dõi (Văn phòng)"
    LEADER = "leader", "Lãnh đạo"
    INSPECTOR = "inspector", "Kiểm tra, giám sát"
    DEPARTMENT_HEAD = "department_head", "Thủ trưởng đơn vị"
    DEPARTMENT_STAFF = "department_staff", "Chuyên viên đơn vị"


# Roles that look across every department; the others are confined to their own department.
CITY_WIDE_ROLES = (Role.ADMINISTRATOR, Role.TRACKING_OFFICE, Role.LEADER, Role.INSPECTOR)

_TRACKER_MODELS = (
    "directive",
    "task",
    "taskcoordination",
    "progressreport",
    "extensionrequest",
    "resultsubmission",
    "evaluation",
    "attachment",
    "event",
    "indicator",
    "indicatorvalue",
    "reminderpolicy",
    "reminderdelivery",
    "scoringrules",
    "reportingperiod",
    "generalcriteriascore",
    "periodresult",
)
_VIEW_ALL = [f"tracker.view_{m}" for m in _TRACKER_MODELS] + [
    "accounts.view_department",
    "accounts.view_user",
]

# Nobody but an administrator deletes: records of official work are kept, and the admin's
# writes go through the workflow services, which record an event for each change.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: ["*"],
    Role.TRACKING_OFFICE: [
        *_VIEW_ALL,
        "tracker.add_directive",
        "tracker.change_directive",
        "tracker.add_task",
        "tracker.change_task",
        # The coordinators' inline on the task page; the service writes the rows.
        "tracker.add_taskcoordination",
        "tracker.change_taskcoordination",
        "tracker.delete_taskcoordination",
        "tracker.change_extensionrequest",
        "tracker.change_resultsubmission",
        "tracker.add_indicator",
        "tracker.change_indicator",
        "tracker.add_indicatorvalue",
        "tracker.change_indicatorvalue",
        "tracker.add_reminderpolicy",
        "tracker.change_reminderpolicy",
        "tracker.change_scoringrules",
        "tracker.add_reportingperiod",
        "tracker.change_reportingperiod",
        "tracker.add_generalcriteriascore",
        "tracker.change_generalcriteriascore",
    ],
    Role.LEADER: [*_VIEW_ALL, "tracker.change_extensionrequest", "tracker.change_task"],
    Role.INSPECTOR: list(_VIEW_ALL),
    Role.DEPARTMENT_HEAD: [],
    Role.DEPARTMENT_STAFF: [],
}


def sync_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups and give each exactly its permissions. Safe to run repeatedly."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    if sender is not None and getattr(sender, "name", None) != "tracker":
        return
    using = kwargs.get("using", "default")
    # Our handler may run before auth's own for these apps: make sure their permissions exist.
    for label in ("accounts", "tracker"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        if codes == ["*"]:
            perms = Permission.objects.using(using).filter(
                content_type__app_label__in=["tracker", "accounts"]
            )
        else:
            wanted = {tuple(code.split(".", 1)) for code in codes}
            perms = [
                p
                for p in Permission.objects.using(using)
                .filter(content_type__app_label__in=["tracker", "accounts"])
                .select_related("content_type")
                if (p.content_type.app_label, p.codename) in wanted
            ]
        group.permissions.set(perms)
