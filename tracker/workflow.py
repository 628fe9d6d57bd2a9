"""The workflow core: every write to a task passes through one of these services.

Each service runs inside ``transaction.atomic()`` with the task row locked
(``select_for_update``), checks the step against tracker.permissions, changes the rows and
records an Event. An illegal step raises WorkflowError before anything is written, so the
caller shows its message and nothing has changed. Views, admin actions, API views, Celery
tasks and management commands call these and never write tasks themselves.

``at`` exists for loading history (demo data, an agency's past records): the interfaces never
pass it, so a department cannot backdate its own submission.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User

from . import deadlines
from .errors import NotPermitted, WorkflowError
from .models import (
    Attachment,
    DeadlineKind,
    Directive,
    Evaluation,
    EvaluationOutcome,
    Event,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    OutputKind,
    ProgressReport,
    QualityGrade,
    ResultSubmission,
    Task,
    TaskCoordination,
    TaskState,
    Urgency,
)
from .notifications import notify_event
from .permissions import Step, check, may

# What each allowed kind of file begins with. Files are checked by content, not by name: a
# renamed executable is refused whatever it is called.
_PDF = (b"%PDF-",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls (Office 97–2003)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # .docx, .xlsx, .odt, .ods, .zip
UPLOAD_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": _PDF,
    ".doc": _OLE,
    ".xls": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".zip": _ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_UPLOAD_SUFFIXES = frozenset(UPLOAD_SIGNATURES)

Coordinator = tuple[Department, str]


# --- Helpers shared by the services ----------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    if at is not None and timezone.is_naive(at):
        raise ValueError("at must be timezone-aware")
    return at or timezone.now()


def _locked(task: Task | int) -> Task:
    """Fetch the task again with its row locked: the state we decide on is the state we write.

    Two people acting at once queue here; the second sees the first one's result and gets
    a clear message if its step no longer applies.
    """
    task_id = task if isinstance(task, int) else task.pk
    try:
        return (
            Task.objects.select_for_update()
            .select_related("directive", "lead_department")
            .get(pk=task_id)
        )
    except Task.DoesNotExist:
        raise WorkflowError(_("Nhiệm vụ không tồn tại hoặc đã bị xóa."), code="not_found") from None


def _record(
    task: Task,
    kind: EventKind,
    actor: User | None,
    at: dt.datetime,
    *,
    from_state: str = "",
    to_state: str = "",
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> Event:
    event = Event.objects.create(
        directive_id=task.directive_id,
        task=task,
        kind=kind,
        actor=actor,
        at=at,
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        note=note,
    )
    notify_event(event, task)
    return event


def _transition(
    task: Task,
    to_state: TaskState,
    kind: EventKind,
    actor: User,
    at: dt.datetime,
    *,
    note: str = "",
    changes: dict[str, list[Any]] | None = None,
    fields: Iterable[str] = (),
) -> Event:
    from_state = task.state
    task.state = to_state
    task.save(update_fields=["state", "updated_at", *fields])
    return _record(
        task, kind, actor, at, from_state=from_state, to_state=to_state, changes=changes, note=note
    )


def _required(text: str, message: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message, code="required", field=field)
    return text


def _as_json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def _check_percent(percent: int) -> int:
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        raise WorkflowError(
            _("Tiến độ phải là số nguyên từ 0 đến 100."), code="invalid", field="percent"
        )
    return percent


def _validate_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_SUFFIXES:
        raise WorkflowError(
            _("Tệp “%(name)s” không thuộc loại được phép (%(kinds)s).")
            % {"name": name, "kinds": ", ".join(sorted(ALLOWED_UPLOAD_SUFFIXES))},
            field="files",
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise WorkflowError(
            _("Tệp “%(name)s” lớn hơn mức cho phép %(limit)d MB.")
            % {"name": name, "limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="files",
        )
    if upload.size == 0:
        raise WorkflowError(_("Tệp “%(name)s” rỗng.") % {"name": name}, field="files")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(UPLOAD_SIGNATURES[suffix]):
        raise WorkflowError(
            _(
                "Nội dung tệp “%(name)s” không đúng định dạng %(kind)s; tệp có thể bị hỏng hoặc đổi tên."
            )
            % {"name": name, "kind": suffix.lstrip(".").upper()},
            field="files",
        )


def _attach(
    task: Task,
    uploads: Sequence[UploadedFile],
    actor: User,
    at: dt.datetime,
    **owner: Any,
) -> list[Attachment]:
    saved = []
    for upload in uploads:
        attachment = Attachment(
            task=task,
            token=secrets.token_hex(16),
            original_name=PurePath(upload.name or "tep").name[:255],
            content_type=(
                getattr(upload, "content_type", "")
                or mimetypes.guess_type(upload.name or "")[0]
                or ""
            )[:127],
            size=upload.size,
            uploaded_by=actor,
            uploaded_at=at,
            **owner,
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _check_due_date(kind: str, due_date: dt.date | None, frequency: str) -> dt.date | None:
    if kind == DeadlineKind.CONTINUOUS:
        if due_date is not None:
            raise WorkflowError(
                _("Nhiệm vụ thường xuyên không có hạn; để trống hạn hoàn thành."), field="due_date"
            )
        return None
    if due_date is None:
        raise WorkflowError(
            _("Cần nhập hạn hoàn thành cho loại thời hạn “%(kind)s”.")
            % {"kind": DeadlineKind(kind).label},
            field="due_date",
        )
    if kind == DeadlineKind.PERIODIC and not frequency:
        raise WorkflowError(_("Nhiệm vụ định kỳ cần chọn kỳ báo cáo."), field="report_frequency")
    # "Quý II/2026" means the last day of that quarter, whatever day was typed.
    return deadlines.period_end(kind, due_date)


def _check_office(actor: User, step: Step) -> None:
    if not actor.is_office:
        raise NotPermitted(_("Bạn không có quyền “%(step)s”.") % {"step": step.label})


def _check_coordinators(lead: Department, coordinators: Sequence[Coordinator]) -> None:
    seen: set[int] = set()
    for department, _part in coordinators:
        if department.pk == lead.pk:
            raise WorkflowError(
                _("%(dept)s là cơ quan chủ trì, không thể đồng thời là cơ quan phối hợp.")
                % {"dept": department},
                field="coordinators",
            )
        if department.pk in seen:
            raise WorkflowError(
                _("%(dept)s được chọn phối hợp hai lần.") % {"dept": department},
                field="coordinators",
            )
        if not department.is_active:
            raise WorkflowError(
                _("%(dept)s đã ngừng hoạt động, không thể giao phối hợp.") % {"dept": department},
                field="coordinators",
            )
        seen.add(department.pk)


# --- Creating and editing tasks --------------------------------------------------------------


def check_task_input(
    *,
    content: str,
    lead_department: Department,
    coordinators: Sequence[Coordinator],
    deadline_kind: str,
    due_date: dt.date | None,
    report_frequency: str,
) -> tuple[str, dt.date | None]:
    """Validate what a new task is given; forms call it to show errors beside their fields.

    Returns the cleaned content and the due date the deadline means.
    """
    content = _required(content, _("Cần nhập nội dung nhiệm vụ."), "content")
    if not lead_department.is_active:
        raise WorkflowError(
            _("%(dept)s đã ngừng hoạt động, không thể giao nhiệm vụ.") % {"dept": lead_department},
            field="lead_department",
        )
    _check_coordinators(lead_department, coordinators)
    return content, _check_due_date(deadline_kind, due_date, report_frequency)


def task_create(
    *,
    directive: Directive,
    actor: User,
    content: str,
    lead_department: Department,
    deadline_kind: str = DeadlineKind.DATE,
    due_date: dt.date | None = None,
    item_number: str = "",
    group: str = "",
    coordinators: Sequence[Coordinator] = (),
    leader_in_charge: User | None = None,
    output_kind: str = OutputKind.KHAC,
    output_description: str = "",
    quality_requirement: str = "",
    report_frequency: str = "",
    urgency: str = Urgency.THUONG,
    parent: Task | None = None,
    at: dt.datetime | None = None,
) -> Task:
    """Giao nhiệm vụ: a task of a directive, given to one lead department."""
    _check_office(actor, Step.EDIT)
    at = _now(at)
    content, due = check_task_input(
        content=content,
        lead_department=lead_department,
        coordinators=coordinators,
        deadline_kind=deadline_kind,
        due_date=due_date,
        report_frequency=report_frequency,
    )
    if parent is not None and parent.directive_id != directive.pk:
        raise WorkflowError(_("Nhiệm vụ cha phải thuộc cùng văn bản chỉ đạo."), field="parent")
    with transaction.atomic():
        task = Task(
            directive=directive,
            item_number=item_number.strip(),
            group=group.strip(),
            content=content,
            lead_department=lead_department,
            leader_in_charge=leader_in_charge or directive.leader_in_charge,
            output_kind=output_kind,
            output_description=output_description.strip(),
            quality_requirement=quality_requirement.strip(),
            deadline_kind=deadline_kind,
            original_due_date=due,
            due_date=due,
            report_frequency=report_frequency,
            urgency=urgency,
            parent=parent,
            state=TaskState.ASSIGNED,
            assigned_at=at,
            last_activity_at=at,
            created_by=actor,
        )
        try:
            task.full_clean(exclude=["directive", "lead_department", "created_by", "parent"])
        except ValidationError as error:
            raise WorkflowError("; ".join(error.messages)) from None
        task.save()
        TaskCoordination.objects.bulk_create(
            TaskCoordination(task=task, department=dept, part=part.strip())
            for dept, part in coordinators
        )
        _record(
            task,
            EventKind.CREATED,
            actor,
            at,
            to_state=TaskState.ASSIGNED,
            changes={
                "lead_department": [None, str(lead_department)],
                "due_date": [None, _as_json(due)],
                "coordinators": [None, [str(d) for d, _p in coordinators]],
            },
        )
    return task


# Fields the office may correct with task_update. Deadlines only before the department has
# accepted: after that the due date moves only through an approved extension.
EDITABLE_FIELDS = (
    "item_number",
    "group",
    "content",
    "leader_in_charge",
    "output_kind",
    "output_description",
    "quality_requirement",
    "urgency",
    "report_frequency",
    "parent",
)
DEADLINE_FIELDS = ("deadline_kind", "due_date")


def task_update(*, task: Task | int, actor: User, **changes: Any) -> Task:
    """Sửa nhiệm vụ: correct descriptive fields, recording each change from what to what."""
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(DEADLINE_FIELDS)
    if unknown:
        raise ValueError(f"task_update cannot change {sorted(unknown)}")
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.EDIT)
        at = _now(None)
        diff: dict[str, list[Any]] = {}
        if any(f in changes for f in DEADLINE_FIELDS):
            kind = changes.get("deadline_kind", task.deadline_kind)
            due = _check_due_date(
                kind,
                changes.get("due_date", task.due_date),
                changes.get("report_frequency", task.report_frequency),
            )
            if (kind, due) != (task.deadline_kind, task.due_date):
                if task.state != TaskState.ASSIGNED:
                    raise WorkflowError(
                        _(
                            "Đơn vị đã tiếp nhận nhiệm vụ: hạn hoàn thành chỉ thay đổi qua đề "
                            "nghị gia hạn được chấp thuận."
                        ),
                        field="due_date",
                    )
                diff["deadline_kind"] = [task.deadline_kind, kind]
                diff["due_date"] = [_as_json(task.due_date), _as_json(due)]
                task.deadline_kind, task.due_date, task.original_due_date = kind, due, due
        for field in EDITABLE_FIELDS:
            if field not in changes:
                continue
            value = changes[field]
            if isinstance(value, str):
                value = value.strip()
            if field == "content":
                value = _required(value, _("Cần nhập nội dung nhiệm vụ."), "content")
            old = getattr(task, field)
            if old != value:
                diff[field] = [_as_json(old), _as_json(value)]
                setattr(task, field, value)
        if not diff:
            return task
        try:
            task.full_clean(exclude=["directive", "lead_department", "created_by", "parent"])
        except ValidationError as error:
            raise WorkflowError("; ".join(error.messages)) from None
        task.save()
        _record(task, EventKind.EDITED, actor, at, changes=diff)
    return task


def task_reassign(
    *,
    task: Task | int,
    actor: User,
    lead_department: Department,
    note: str = "",
    at: dt.datetime | None = None,
) -> Task:
    """Giao lại: the office gives a declined (or not yet accepted) task to another department.

    The refusal stays on record in the timeline, which is how passing work around shows.
    """
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.REASSIGN)
        if lead_department.pk == task.lead_department_id:
            raise WorkflowError(
                _("Nhiệm vụ đang giao cho %(dept)s; hãy chọn đơn vị khác.")
                % {"dept": lead_department},
                field="lead_department",
            )
        if not lead_department.is_active:
            raise WorkflowError(
                _("%(dept)s đã ngừng hoạt động, không thể giao nhiệm vụ.")
                % {"dept": lead_department},
                field="lead_department",
            )
        at = _now(at)
        old = task.lead_department
        # The new lead cannot also coordinate, and the old lead's staff no longer hold it.
        TaskCoordination.objects.filter(task=task, department=lead_department).delete()
        task.assignees.clear()
        task.lead_department = lead_department
        task.assigned_at = at
        task.last_activity_at = at
        _transition(
            task,
            TaskState.ASSIGNED,
            EventKind.REASSIGNED,
            actor,
            at,
            changes={"lead_department": [str(old), str(lead_department)]},
            note=note.strip(),
            fields=["lead_department", "assigned_at", "last_activity_at"],
        )
    return task


def task_set_coordinators(
    *, task: Task | int, actor: User, coordinators: Sequence[Coordinator]
) -> Task:
    """Replace the coordinating departments and their parts; progress already reported stays."""
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.SET_COORDINATORS)
        _check_coordinators(task.lead_department, coordinators)
        existing = {c.department_id: c for c in task.coordinations.select_related("department")}
        wanted = {dept.pk: (dept, part.strip()) for dept, part in coordinators}
        removed = [c for pk, c in existing.items() if pk not in wanted]
        added, changed = [], []
        for pk, (dept, part) in wanted.items():
            if pk not in existing:
                added.append(TaskCoordination(task=task, department=dept, part=part))
            elif existing[pk].part != part:
                existing[pk].part = part
                changed.append(existing[pk])
        if not (removed or added or changed):
            return task
        if (
            removed
            and task.reports.filter(department_id__in=[c.department_id for c in removed]).exists()
        ):
            names = ", ".join(str(c.department) for c in removed)
            raise WorkflowError(
                _("Không thể bỏ %(names)s: đơn vị đã báo cáo phần phối hợp.") % {"names": names},
                field="coordinators",
            )
        TaskCoordination.objects.filter(pk__in=[c.pk for c in removed]).delete()
        TaskCoordination.objects.bulk_create(added)
        TaskCoordination.objects.bulk_update(changed, ["part"])
        _record(
            task,
            EventKind.COORDINATORS_CHANGED,
            actor,
            _now(None),
            changes={
                "coordinators": [
                    sorted(str(c.department) for c in existing.values()),
                    sorted(str(d) for d, _p in wanted.values()),
                ]
            },
        )
    return task


def task_give_to_staff(
    *, task: Task | int, actor: User, staff: Sequence[User], at: dt.datetime | None = None
) -> Task:
    """The head gives the task to one or more staff of the lead department."""
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.GIVE_TO_STAFF)
        strangers = [u for u in staff if u.department_id != task.lead_department_id]
        if strangers:
            raise WorkflowError(
                _("%(names)s không thuộc %(dept)s.")
                % {
                    "names": ", ".join(u.display_name for u in strangers),
                    "dept": task.lead_department,
                },
                field="staff",
            )
        inactive = [u for u in staff if not u.is_active]
        if inactive:
            raise WorkflowError(
                _("Tài khoản %(names)s đã bị khóa.")
                % {"names": ", ".join(u.display_name for u in inactive)},
                field="staff",
            )
        before = sorted(u.display_name for u in task.assignees.all())
        task.assignees.set(staff)
        after = sorted(u.display_name for u in staff)
        if before != after:
            _record(
                task,
                EventKind.GIVEN_TO_STAFF,
                actor,
                _now(at),
                changes={"assignees": [before, after]},
            )
    return task


# --- The department's steps ------------------------------------------------------------------


def task_accept(
    *, task: Task | int, actor: User, note: str = "", at: dt.datetime | None = None
) -> Task:
    """Tiếp nhận: the lead department takes the task on."""
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.ACCEPT)
        at = _now(at)
        task.accepted_at = at
        task.last_activity_at = at
        _transition(
            task, TaskState.IN_PROGRESS, EventKind.ACCEPTED, actor, at,
            note=note.strip(), fields=["accepted_at", "last_activity_at"],
        )  # fmt: skip
    return task


def task_decline(
    *, task: Task | int, actor: User, reason: str, at: dt.datetime | None = None
) -> Task:
    """Từ chối: wrong addressee. The office then reassigns; the refusal stays on record."""
    reason = _required(reason, _("Cần nêu lý do từ chối."), "reason")
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.DECLINE)
        _transition(task, TaskState.DECLINED, EventKind.DECLINED, actor, _now(at), note=reason)
    return task


def progress_report(
    *,
    task: Task | int,
    actor: User,
    percent: int,
    results: str,
    difficulties: str = "",
    proposals: str = "",
    files: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> ProgressReport:
    """Báo cáo tiến độ, by the lead department or, for its own part, a coordinating one."""
    percent = _check_percent(percent)
    results = _required(results, _("Cần nêu kết quả thực hiện."), "results")
    for upload in files:
        _validate_upload(upload)
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.REPORT_PROGRESS)
        at = _now(at)
        # The office reporting on paper's behalf reports for the lead department.
        acting_for_lead = actor.department_id == task.lead_department_id or may(
            actor, task, Step.ACCEPT_RESULT
        )
        department_id = task.lead_department_id if acting_for_lead else actor.department_id
        report = ProgressReport.objects.create(
            task=task,
            department_id=department_id,
            author=actor,
            percent=percent,
            results=results,
            difficulties=difficulties.strip(),
            proposals=proposals.strip(),
            reported_at=at,
        )
        _attach(task, files, actor, at, report=report)
        if acting_for_lead:
            changes = {"progress_percent": [task.progress_percent, percent]}
            task.progress_percent = percent
            task.last_reported_at = at
            task.last_activity_at = at
            task.save(
                update_fields=[
                    "progress_percent",
                    "last_reported_at",
                    "last_activity_at",
                    "updated_at",
                ]
            )
        else:
            coordination = TaskCoordination.objects.select_for_update().get(
                task=task, department_id=department_id
            )
            changes = {"coordination_progress": [coordination.progress_percent, percent]}
            coordination.progress_percent = percent
            coordination.last_reported_at = at
            coordination.save(update_fields=["progress_percent", "last_reported_at"])
        _record(
            task,
            EventKind.PROGRESS_REPORTED,
            actor,
            at,
            changes={**changes, "files": [None, [f.name for f in files]]} if files else changes,
            note=results,
        )
    return report


def extension_request(
    *,
    task: Task | int,
    actor: User,
    requested_due_date: dt.date,
    reason: str,
    files: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> ExtensionRequest:
    """Đề nghị gia hạn: a new date and the reason; the office or a leader decides."""
    reason = _required(reason, _("Cần nêu lý do đề nghị gia hạn."), "reason")
    for upload in files:
        _validate_upload(upload)
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.REQUEST_EXTENSION)
        at = _now(at)
        if task.due_date is None:
            raise WorkflowError(
                _("Nhiệm vụ thường xuyên không có hạn để gia hạn."), field="requested_due_date"
            )
        if requested_due_date <= task.due_date:
            raise WorkflowError(
                _("Hạn đề nghị phải sau hạn hiện tại %(due)s.")
                % {"due": task.due_date.strftime("%d/%m/%Y")},
                field="requested_due_date",
            )
        today = timezone.localtime(at).date()
        last_day = task.due_date - dt.timedelta(days=settings.EXTENSION_REQUEST_LEAD_DAYS)
        if today > last_day:
            raise WorkflowError(
                _(
                    "Đã quá thời điểm được đề nghị gia hạn (chậm nhất ngày %(day)s). "
                    "Hãy báo cáo tiến độ và nêu khó khăn để văn phòng xem xét."
                )
                % {"day": last_day.strftime("%d/%m/%Y")},
                code="too_late",
                field="requested_due_date",
            )
        if task.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise WorkflowError(
                _("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định."), code="duplicate"
            )
        request = ExtensionRequest.objects.create(
            task=task,
            requested_by=actor,
            requested_at=at,
            due_date_at_request=task.due_date,
            requested_due_date=requested_due_date,
            reason=reason,
        )
        _attach(task, files, actor, at, extension_request=request)
        _record(
            task,
            EventKind.EXTENSION_REQUESTED,
            actor,
            at,
            changes={"due_date": [_as_json(task.due_date), _as_json(requested_due_date)]},
            note=reason,
        )
    return request


def extension_decide(
    *,
    request: ExtensionRequest | int,
    actor: User,
    approve: bool,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    approved_due_date: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> ExtensionRequest:
    """Approve (moving the current due date, keeping the original) or reject a request."""
    request_id = request if isinstance(request, int) else request.pk
    if approve:
        decision_number = _required(
            decision_number,
            _("Cần nhập số văn bản đồng ý gia hạn."),
            "decision_number",
        )
        if decision_date is None:
            raise WorkflowError(
                _("Cần nhập ngày của văn bản đồng ý gia hạn."), field="decision_date"
            )
    else:
        note = _required(note, _("Cần nêu lý do không đồng ý gia hạn."), "note")
    with transaction.atomic():
        task_id = (
            ExtensionRequest.objects.filter(pk=request_id).values_list("task_id", flat=True).first()
        )
        if task_id is None:
            raise WorkflowError(_("Đề nghị gia hạn không tồn tại."), code="not_found")
        task = _locked(task_id)
        request = ExtensionRequest.objects.select_for_update().get(pk=request_id)
        check(actor, task, Step.DECIDE_EXTENSION)
        if request.status != ExtensionStatus.PENDING:
            raise WorkflowError(
                _("Đề nghị này đã được quyết định (%(status)s) bởi %(who)s lúc %(when)s.")
                % {
                    "status": request.get_status_display(),
                    "who": request.decided_by.display_name if request.decided_by else "—",
                    "when": timezone.localtime(request.decided_at).strftime("%H:%M %d/%m/%Y"),
                },
                code="already_decided",
            )
        at = _now(at)
        request.decided_by = actor
        request.decided_at = at
        request.decision_note = note.strip()
        if approve:
            new_due = approved_due_date or request.requested_due_date
            if task.due_date is None or new_due <= task.due_date:
                raise WorkflowError(
                    _("Hạn được gia hạn phải sau hạn hiện tại %(due)s.")
                    % {"due": task.due_date.strftime("%d/%m/%Y") if task.due_date else "—"},
                    field="approved_due_date",
                )
            request.status = ExtensionStatus.APPROVED
            request.approved_due_date = new_due
            request.decision_number = decision_number
            request.decision_date = decision_date
            request.save()
            old_due = task.due_date
            task.due_date = new_due
            fields = ["due_date", "updated_at"]
            # "Quý IV/2025" moved to 20/01/2026 is no longer a quarter deadline.
            if deadlines.period_end(task.deadline_kind, new_due) != new_due:
                task.deadline_kind = DeadlineKind.DATE
                fields.append("deadline_kind")
            task.save(update_fields=fields)
            _record(
                task,
                EventKind.EXTENSION_APPROVED,
                actor,
                at,
                changes={"due_date": [_as_json(old_due), _as_json(new_due)]},
                note=_("Văn bản %(number)s ngày %(date)s. %(note)s")
                % {
                    "number": decision_number,
                    "date": decision_date.strftime("%d/%m/%Y"),
                    "note": note.strip(),
                },
            )
        else:
            request.status = ExtensionStatus.REJECTED
            request.save()
            _record(task, EventKind.EXTENSION_REJECTED, actor, at, note=note)
    return request


def result_submit(
    *,
    task: Task | int,
    actor: User,
    summary: str,
    output_document_number: str = "",
    output_document_date: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> ResultSubmission:
    """Gửi kết quả: refused without evidence of the output (a file or the issued document)."""
    summary = _required(summary, _("Cần tóm tắt kết quả thực hiện."), "summary")
    output_document_number = (output_document_number or "").strip()
    if not files and not output_document_number:
        raise WorkflowError(
            _(
                "Cần kèm minh chứng sản phẩm đầu ra: tệp sản phẩm hoặc số, ký hiệu văn bản "
                "đã ban hành."
            ),
            code="no_evidence",
            field="files",
        )
    for upload in files:
        _validate_upload(upload)
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.SUBMIT_RESULT)
        at = _now(at)
        submission = ResultSubmission.objects.create(
            task=task,
            submitted_by=actor,
            submitted_at=at,
            summary=summary,
            output_document_number=output_document_number,
            output_document_date=output_document_date,
        )
        _attach(task, files, actor, at, submission=submission)
        task.submitted_at = at
        _transition(
            task,
            TaskState.SUBMITTED,
            EventKind.SUBMITTED,
            actor,
            at,
            note=summary,
            changes={"output_document_number": [None, output_document_number]}
            if output_document_number
            else None,
            fields=["submitted_at"],
        )
    return submission


# --- The office's evaluation -----------------------------------------------------------------


def _latest_submission(task: Task) -> ResultSubmission:
    submission = task.submissions.select_for_update().order_by("-submitted_at", "-id").first()
    if submission is None:  # The constraints make this unreachable; say so plainly if not.
        raise WorkflowError(_("Nhiệm vụ chưa có kết quả nào để đánh giá."))
    return submission


def _already_evaluated(task: Task) -> WorkflowError:
    last = task.evaluations.select_related("evaluated_by").order_by("-evaluated_at").first()
    if last is None:
        return WorkflowError(_("Kết quả này không còn chờ đánh giá."), code="already_evaluated")
    return WorkflowError(
        _("Kết quả này đã được %(who)s đánh giá (%(outcome)s) lúc %(when)s; không ghi đè.")
        % {
            "who": last.evaluated_by.display_name,
            "outcome": last.get_outcome_display().lower(),
            "when": timezone.localtime(last.evaluated_at).strftime("%H:%M %d/%m/%Y"),
        },
        code="already_evaluated",
    )


def _close_pending_extension(task: Task, actor: User, at: dt.datetime, why: str) -> None:
    for request in task.extension_requests.select_for_update().filter(
        status=ExtensionStatus.PENDING
    ):
        request.status = ExtensionStatus.REJECTED
        request.decided_by = actor
        request.decided_at = at
        request.decision_note = why
        request.save()
        _record(task, EventKind.EXTENSION_REJECTED, actor, at, note=why)


def result_accept(
    *,
    task: Task | int,
    actor: User,
    quality_grade: str,
    remarks: str = "",
    major_error_count: int = 0,
    objective_cause_confirmed: bool = False,
    at: dt.datetime | None = None,
) -> Evaluation:
    """Công nhận hoàn thành, with a quality grade. Completion counts from the submission."""
    if quality_grade not in QualityGrade.values:
        raise WorkflowError(_("Cần chọn mức chất lượng."), field="quality_grade")
    if major_error_count < 0:
        raise WorkflowError(_("Số lỗi lớn không thể âm."), field="major_error_count")
    return _evaluate(
        task=task,
        actor=actor,
        step=Step.ACCEPT_RESULT,
        outcome=EvaluationOutcome.ACCEPTED,
        quality_grade=quality_grade,
        remarks=(remarks or "").strip(),
        major_error_count=major_error_count,
        objective_cause_confirmed=objective_cause_confirmed,
        at=at,
    )


def result_return(
    *, task: Task | int, actor: User, reasons: str, at: dt.datetime | None = None
) -> Evaluation:
    """Trả lại: the result goes back to the department with the reasons; work continues."""
    reasons = _required(reasons, _("Cần nêu lý do trả lại kết quả."), "reasons")
    return _evaluate(
        task=task,
        actor=actor,
        step=Step.RETURN_RESULT,
        outcome=EvaluationOutcome.RETURNED,
        quality_grade="",
        remarks=reasons,
        major_error_count=0,
        objective_cause_confirmed=False,
        at=at,
    )


def _evaluate(
    *,
    task: Task | int,
    actor: User,
    step: Step,
    outcome: EvaluationOutcome,
    quality_grade: str,
    remarks: str,
    major_error_count: int,
    objective_cause_confirmed: bool,
    at: dt.datetime | None,
) -> Evaluation:
    with transaction.atomic():
        task = _locked(task)
        if not may(actor, task, step):
            check(actor, task, step)
        if task.state in (TaskState.COMPLETED, TaskState.RETURNED):
            # The usual cause: a colleague evaluated the same result a moment earlier.
            raise _already_evaluated(task)
        check(actor, task, step)
        at = _now(at)
        submission = _latest_submission(task)
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    submission=submission,
                    task=task,
                    outcome=outcome,
                    quality_grade=quality_grade,
                    major_error_count=major_error_count,
                    objective_cause_confirmed=objective_cause_confirmed,
                    remarks=remarks,
                    evaluated_by=actor,
                    evaluated_at=at,
                )
        except IntegrityError:
            raise _already_evaluated(task) from None
        if outcome == EvaluationOutcome.ACCEPTED:
            task.completed_at = at
            task.progress_percent = 100
            _transition(
                task,
                TaskState.COMPLETED,
                EventKind.RESULT_ACCEPTED,
                actor,
                at,
                note=remarks,
                changes={"quality_grade": [None, str(QualityGrade(quality_grade).label)]},
                fields=["completed_at", "progress_percent"],
            )
            _close_pending_extension(
                task, actor, at, _("Nhiệm vụ đã hoàn thành, không cần gia hạn.")
            )
        else:
            _transition(
                task, TaskState.RETURNED, EventKind.RESULT_RETURNED, actor, at, note=remarks
            )
    return evaluation


# --- Pause, resume, withdraw -----------------------------------------------------------------


def task_pause(
    *, task: Task | int, actor: User, reason: str, at: dt.datetime | None = None
) -> Task:
    """Tạm dừng: out of the rates until resumed."""
    reason = _required(reason, _("Cần nêu lý do tạm dừng."), "reason")
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.PAUSE)
        task.state_before_pause = task.state
        _transition(
            task, TaskState.PAUSED, EventKind.PAUSED, actor, _now(at),
            note=reason, fields=["state_before_pause"],
        )  # fmt: skip
    return task


def task_resume(
    *, task: Task | int, actor: User, note: str = "", at: dt.datetime | None = None
) -> Task:
    """Tiếp tục: back to the state the task was paused in."""
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.RESUME)
        at = _now(at)
        previous = TaskState(task.state_before_pause or TaskState.IN_PROGRESS)
        task.state_before_pause = ""
        task.last_activity_at = at
        _transition(
            task, previous, EventKind.RESUMED, actor, at,
            note=note.strip(), fields=["state_before_pause", "last_activity_at"],
        )  # fmt: skip
    return task


def task_withdraw(
    *, task: Task | int, actor: User, reason: str, at: dt.datetime | None = None
) -> Task:
    """Rút nhiệm vụ / hủy: out of the rates for good; the record stays."""
    reason = _required(reason, _("Cần nêu lý do rút nhiệm vụ."), "reason")
    with transaction.atomic():
        task = _locked(task)
        check(actor, task, Step.WITHDRAW)
        at = _now(at)
        task.state_before_pause = ""
        _transition(
            task, TaskState.WITHDRAWN, EventKind.WITHDRAWN, actor, at,
            note=reason, fields=["state_before_pause"],
        )  # fmt: skip
        _close_pending_extension(task, actor, at, _("Nhiệm vụ đã bị rút."))
    return task
