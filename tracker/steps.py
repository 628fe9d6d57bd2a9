"""The workflow steps as forms: which form a step takes, and the service it calls.

The admin and the department pages both use these, so a step behaves the same everywhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from accounts.models import User

from . import workflow
from .errors import WorkflowError
from .forms import STEP_FORMS, GiveToStaffForm
from .models import ExtensionRequest, ExtensionStatus, Task
from .permissions import Step


def step_form(step: Step, task: Task, data: Any = None, files: Any = None) -> forms.Form:
    form_class = STEP_FORMS[step]
    if form_class is GiveToStaffForm:
        return GiveToStaffForm(
            data=data,
            files=files,
            department_id=task.lead_department_id,
            initial={"staff": list(task.assignees.all())},
        )
    return form_class(data=data, files=files)


def pending_extension(task: Task) -> ExtensionRequest | None:
    return task.extension_requests.filter(status=ExtensionStatus.PENDING).first()


def take_step(
    step: Step,
    task: Task,
    actor: User,
    data: dict[str, Any],
    pending: ExtensionRequest | None = None,
) -> None:
    """Call the service for ``step`` with a valid form's data. Raises WorkflowError."""
    match step:
        case Step.ACCEPT:
            workflow.task_accept(task=task.pk, actor=actor, note=data["note"])
        case Step.DECLINE:
            workflow.task_decline(task=task.pk, actor=actor, reason=data["reason"])
        case Step.REASSIGN:
            workflow.task_reassign(
                task=task.pk, actor=actor, lead_department=data["lead_department"],
                note=data["note"],
            )  # fmt: skip
        case Step.GIVE_TO_STAFF:
            workflow.task_give_to_staff(task=task.pk, actor=actor, staff=list(data["staff"]))
        case Step.REPORT_PROGRESS:
            workflow.progress_report(
                task=task.pk,
                actor=actor,
                percent=data["percent"],
                results=data["results"],
                difficulties=data["difficulties"],
                proposals=data["proposals"],
                files=data["files"],
            )
        case Step.REQUEST_EXTENSION:
            workflow.extension_request(
                task=task.pk,
                actor=actor,
                requested_due_date=data["requested_due_date"],
                reason=data["reason"],
                files=data["files"],
            )
        case Step.DECIDE_EXTENSION:
            if pending is None:
                raise WorkflowError(_("Nhiệm vụ không có đề nghị gia hạn nào đang chờ."))
            workflow.extension_decide(
                request=pending.pk,
                actor=actor,
                approve=data["decision"] == "approve",
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                approved_due_date=data["approved_due_date"],
                note=data["note"],
            )
        case Step.SUBMIT_RESULT:
            workflow.result_submit(
                task=task.pk,
                actor=actor,
                summary=data["summary"],
                output_document_number=data["output_document_number"],
                output_document_date=data["output_document_date"],
                files=data["files"],
            )
        case Step.ACCEPT_RESULT:
            workflow.result_accept(
                task=task.pk,
                actor=actor,
                quality_grade=data["quality_grade"],
                major_error_count=data["major_error_count"],
                objective_cause_confirmed=data["objective_cause_confirmed"],
                remarks=data["remarks"],
            )
        case Step.RETURN_RESULT:
            workflow.result_return(task=task.pk, actor=actor, reasons=data["reasons"])
        case Step.PAUSE:
            workflow.task_pause(task=task.pk, actor=actor, reason=data["reason"])
        case Step.RESUME:
            workflow.task_resume(task=task.pk, actor=actor, note=data["note"])
        case Step.WITHDRAW:
            workflow.task_withdraw(task=task.pk, actor=actor, reason=data["reason"])
