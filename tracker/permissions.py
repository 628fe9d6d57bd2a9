"""Who may take which workflow step on a task, and in which states the step exists.

The services call ``check``; pages and the admin call ``allowed_steps`` to offer only the
actions a person can take now. Both read the same two tables below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role

from .errors import NotPermitted, WorkflowError
from .models import TaskState

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Task


class Step(models.TextChoices):
    EDIT = "edit", gettext_lazy("Sửa nhiệm vụ")
    REASSIGN = "reassign", gettext_lazy("Giao lại cơ quan chủ trì")
    SET_COORDINATORS = "set_coordinators", gettext_lazy("Cập nhật cơ quan phối hợp")
    GIVE_TO_STAFF = "give_to_staff", gettext_lazy("Phân công chuyên viên")
    ACCEPT = "accept", gettext_lazy("Tiếp nhận")
    DECLINE = "decline", gettext_lazy("Từ chối")
    REPORT_PROGRESS = "report_progress", gettext_lazy("Báo cáo tiến độ")
    REQUEST_EXTENSION = "request_extension", gettext_lazy("Đề nghị gia hạn")
    DECIDE_EXTENSION = "decide_extension", gettext_lazy("Quyết định gia hạn")
    SUBMIT_RESULT = "submit_result", gettext_lazy("Gửi kết quả")
    ACCEPT_RESULT = "accept_result", gettext_lazy("Công nhận hoàn thành")
    RETURN_RESULT = "return_result", gettext_lazy("Trả lại kết quả")
    PAUSE = "pause", gettext_lazy("Tạm dừng")
    RESUME = "resume", gettext_lazy("Tiếp tục thực hiện")
    WITHDRAW = "withdraw", gettext_lazy("Rút nhiệm vụ")


S = TaskState
_WORKING = {S.IN_PROGRESS, S.RETURNED}
_NOT_FINAL = {S.ASSIGNED, S.IN_PROGRESS, S.SUBMITTED, S.RETURNED, S.DECLINED, S.PAUSED}

# The states in which each step exists at all.
STEP_STATES: dict[Step, set[str]] = {
    Step.EDIT: _NOT_FINAL,
    Step.REASSIGN: {S.ASSIGNED, S.DECLINED},
    Step.SET_COORDINATORS: _NOT_FINAL,
    Step.GIVE_TO_STAFF: {S.ASSIGNED, S.IN_PROGRESS, S.RETURNED},
    Step.ACCEPT: {S.ASSIGNED},
    Step.DECLINE: {S.ASSIGNED},
    Step.REPORT_PROGRESS: _WORKING,
    Step.REQUEST_EXTENSION: _WORKING,
    Step.DECIDE_EXTENSION: _WORKING | {S.ASSIGNED, S.PAUSED, S.SUBMITTED},
    Step.SUBMIT_RESULT: _WORKING,
    Step.ACCEPT_RESULT: {S.SUBMITTED},
    Step.RETURN_RESULT: {S.SUBMITTED},
    Step.PAUSE: {S.ASSIGNED, S.IN_PROGRESS, S.RETURNED, S.DECLINED, S.SUBMITTED},
    Step.RESUME: {S.PAUSED},
    Step.WITHDRAW: _NOT_FINAL,
}

OFFICE = (Role.ADMINISTRATOR, Role.TRACKING_OFFICE)
# The office may also act for a department, to record what arrived on paper.
_ON_BEHALF = OFFICE

# Who may take each step: city roles by role; department people by their relation to the task.
CITY_ROLES: dict[Step, tuple[Role, ...]] = {
    Step.EDIT: OFFICE,
    Step.REASSIGN: OFFICE,
    Step.SET_COORDINATORS: OFFICE,
    Step.GIVE_TO_STAFF: _ON_BEHALF,
    Step.ACCEPT: _ON_BEHALF,
    Step.DECLINE: _ON_BEHALF,
    Step.REPORT_PROGRESS: _ON_BEHALF,
    Step.REQUEST_EXTENSION: _ON_BEHALF,
    Step.DECIDE_EXTENSION: (*OFFICE, Role.LEADER),
    Step.SUBMIT_RESULT: _ON_BEHALF,
    Step.ACCEPT_RESULT: OFFICE,
    Step.RETURN_RESULT: OFFICE,
    Step.PAUSE: (*OFFICE, Role.LEADER),
    Step.RESUME: (*OFFICE, Role.LEADER),
    Step.WITHDRAW: (*OFFICE, Role.LEADER),
}
LEAD_HEAD_STEPS = {
    Step.GIVE_TO_STAFF,
    Step.ACCEPT,
    Step.DECLINE,
    Step.REPORT_PROGRESS,
    Step.REQUEST_EXTENSION,
    Step.SUBMIT_RESULT,
}
# Declining speaks for the department, and so does choosing who does the work: the head's call.
LEAD_STAFF_STEPS = LEAD_HEAD_STEPS - {Step.DECLINE, Step.GIVE_TO_STAFF}
COORDINATOR_STEPS = {Step.REPORT_PROGRESS}


def is_department_head(user: User) -> bool:
    return user.has_role(Role.DEPARTMENT_HEAD)


def is_department_member(user: User, department_id: int | None) -> bool:
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF)
    )


def coordinates(user: User, task: Task) -> bool:
    if user.department_id is None:
        return False
    return any(c.department_id == user.department_id for c in task.coordinations.all())


def may(user: User, task: Task, step: Step) -> bool:
    """Whether the person's role and department allow the step, whatever the task's state."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_role(*CITY_ROLES[step]):
        return True
    if is_department_member(user, task.lead_department_id):
        steps = LEAD_HEAD_STEPS if is_department_head(user) else LEAD_STAFF_STEPS
        return step in steps
    if step in COORDINATOR_STEPS and user.has_role(Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF):
        return coordinates(user, task)
    return False


def allowed_steps(user: User, task: Task) -> list[Step]:
    return [step for step in Step if task.state in STEP_STATES[step] and may(user, task, step)]


def check(user: User, task: Task, step: Step) -> None:
    """Raise the one domain error if the step is not open to this person on this task now."""
    if not may(user, task, step):
        raise NotPermitted(
            _("Bạn không có quyền “%(step)s” đối với nhiệm vụ này.") % {"step": step.label}
        )
    if task.state not in STEP_STATES[step]:
        raise WorkflowError(
            _("Không thể “%(step)s” khi nhiệm vụ đang ở trạng thái “%(state)s”.")
            % {"step": step.label, "state": TaskState(task.state).label},
            code="wrong_state",
        )
