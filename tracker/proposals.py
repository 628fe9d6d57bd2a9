"""Tasks proposed from a directive's own text: read, correct, confirm all or none.

The office pastes the text of a directive (or uploads its .docx or .pdf); ``read`` keeps what
tracker/extraction.py proposes in a ``TaskProposalBatch``. Nothing is created until ``confirm``:
then every chosen proposal, as the clerk corrected it, goes through ``workflow.task_create`` in
one transaction, and what the clerk changed is stored beside the proposals, so that the
extractor can be measured on real use (``correction_summary``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, DepartmentKind, User

from . import workflow
from .errors import NotPermitted, WorkflowError
from .extraction import Directory, Proposal, normalise, propose
from .models import (
    Directive,
    Event,
    EventKind,
    ProposalState,
    Task,
    TaskProposalBatch,
)

MAX_TEXT_CHARACTERS = 400_000  # about 150 pages: more is not one directive


@dataclass
class Decision:
    """One proposal as the clerk confirms it."""

    index: int
    chosen: bool
    content: str = ""
    item_number: str = ""
    group: str = ""
    lead: Department | None = None
    # A DepartmentKind value: one task for every active department of that kind
    # ("Giao UBND các xã, phường, đặc khu …").
    lead_group: str = ""
    coordinators: list[Department] = field(default_factory=list)
    output_kind: str = ""
    output_description: str = ""
    deadline_kind: str = ""
    due_date: dt.date | None = None
    report_frequency: str = ""


def _check_office(actor: User) -> None:
    if not actor.is_office:
        raise NotPermitted(_("Chỉ văn phòng theo dõi được đọc văn bản để đề xuất nhiệm vụ."))


def read(
    *,
    directive: Directive,
    actor: User,
    text: str = "",
    data: bytes | None = None,
    name: str = "",
    at: dt.datetime | None = None,
) -> TaskProposalBatch:
    """Read the text (or the file) and keep the proposed tasks; creates no task."""
    from .documents import DocumentError, read_document

    _check_office(actor)
    if data is not None:
        try:
            text = read_document(data, name)
        except DocumentError as error:
            raise WorkflowError(str(error), field="file") from None
    text = normalise(text)
    if not text:
        raise WorkflowError(
            _("Chưa có nội dung văn bản: dán văn bản hoặc tải lên tệp .docx, .pdf, .txt."),
            field="text",
        )
    if len(text) > MAX_TEXT_CHARACTERS:
        raise WorkflowError(
            _("Văn bản dài quá %(n)s ký tự; hãy dán riêng phần giao nhiệm vụ.")
            % {"n": f"{MAX_TEXT_CHARACTERS:,}".replace(",", ".")},
            field="text",
        )
    proposals = propose(
        text, directory=Directory.from_database(), document_date=directive.issue_date
    )
    at = at or timezone.now()
    with transaction.atomic():
        batch = TaskProposalBatch.objects.create(
            directive=directive,
            source_name=name[:255],
            text=text,
            proposals=[p.as_dict() for p in proposals],
            created_by=actor,
            created_at=at,
        )
        Event.objects.create(
            directive=directive,
            kind=EventKind.TASKS_PROPOSED,
            actor=actor,
            at=at,
            changes={"proposals": [None, len(proposals)]},
            note=name,
        )
    return batch


def proposals_of(batch: TaskProposalBatch) -> list[Proposal]:
    return [Proposal.from_dict(p) for p in batch.proposals]


def _locked_draft(batch: TaskProposalBatch | int) -> TaskProposalBatch:
    pk = batch.pk if isinstance(batch, TaskProposalBatch) else batch
    locked = TaskProposalBatch.objects.select_for_update().select_related("directive").get(pk=pk)
    if locked.state != ProposalState.DRAFT:
        raise WorkflowError(
            _("Đề xuất này đã được xử lý (%(state)s); hãy đọc lại văn bản nếu cần.")
            % {"state": locked.get_state_display()},
            code="conflict",
        )
    return locked


def _leads(decision: Decision) -> list[Department]:
    if decision.lead_group:
        kinds = decision.lead_group.split(",")  # "so_ban_nganh,ubnd_cap_xa": both groups
        departments = list(
            Department.objects.active().filter(kind__in=kinds).order_by("kind", "name")
        )
        if not departments:
            raise WorkflowError(
                _("Không có đơn vị nào thuộc nhóm “%(group)s”.")
                % {"group": ", ".join(str(DepartmentKind(kind).label) for kind in kinds)},
                field="lead",
            )
        return departments
    if decision.lead is None:
        raise WorkflowError(_("Chọn cơ quan chủ trì."), field="lead")
    return [decision.lead]


def _fresh(decision: Decision) -> Decision:
    """The departments as they are now: one may have been closed since the form was shown."""
    wanted = [d.pk for d in decision.coordinators]
    if decision.lead is not None:
        wanted.append(decision.lead.pk)
    current = Department.objects.in_bulk(wanted)
    return dataclasses.replace(
        decision,
        lead=current.get(decision.lead.pk) if decision.lead is not None else None,
        coordinators=[current[d.pk] for d in decision.coordinators if d.pk in current],
    )


def confirm(
    *,
    batch: TaskProposalBatch | int,
    actor: User,
    decisions: Sequence[Decision],
    at: dt.datetime | None = None,
) -> list[Task]:
    """Create the chosen tasks, all or none, and keep the clerk's corrections."""
    _check_office(actor)
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_draft(batch)
        proposals = proposals_of(locked)
        by_index = {d.index: d for d in decisions}
        unknown = set(by_index) - set(range(len(proposals)))
        if unknown:
            raise WorkflowError(_("Đề xuất số %(n)d không có.") % {"n": min(unknown) + 1})
        chosen = [_fresh(d) for d in decisions if d.chosen]
        if not chosen:
            raise WorkflowError(_("Chưa chọn nhiệm vụ nào để tạo."), code="invalid")
        created: list[Task] = []
        for decision in sorted(chosen, key=lambda d: d.index):
            try:
                for lead in _leads(decision):
                    created.append(
                        workflow.task_create(
                            directive=locked.directive,
                            actor=actor,
                            content=decision.content,
                            lead_department=lead,
                            deadline_kind=decision.deadline_kind,
                            due_date=decision.due_date,
                            item_number=decision.item_number,
                            group=decision.group,
                            coordinators=[(d, "") for d in decision.coordinators if d != lead],
                            output_kind=decision.output_kind or "khac",
                            output_description=decision.output_description,
                            report_frequency=decision.report_frequency,
                            at=at,
                        )
                    )
            except WorkflowError as error:
                raise WorkflowError(
                    _("Nhiệm vụ đề xuất số %(n)d: %(message)s")
                    % {"n": decision.index + 1, "message": error.message},
                    code=error.code,
                    field=error.field,
                ) from None
        locked.state = ProposalState.CONFIRMED
        locked.decided_by = actor
        locked.decided_at = at
        locked.corrections = corrections(proposals, decisions)
        locked.created_tasks = [t.pk for t in created]
        locked.save(
            update_fields=["state", "decided_by", "decided_at", "corrections", "created_tasks"]
        )
        Event.objects.create(
            directive=locked.directive,
            kind=EventKind.PROPOSALS_CONFIRMED,
            actor=actor,
            at=at,
            changes={"tasks": [None, len(created)]},
        )
    return created


def discard(*, batch: TaskProposalBatch | int, actor: User, at: dt.datetime | None = None) -> None:
    _check_office(actor)
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_draft(batch)
        locked.state = ProposalState.DISCARDED
        locked.decided_by = actor
        locked.decided_at = at
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        Event.objects.create(
            directive=locked.directive, kind=EventKind.PROPOSALS_DISCARDED, actor=actor, at=at
        )


# --- Corrections: what the clerk changed ------------------------------------------------------


def proposed_values(proposal: Proposal) -> dict[str, Any]:
    """The fields of a proposal as the confirmation compares them."""
    deadline = proposal.deadline
    lead = proposal.lead
    return {
        "content": proposal.content,
        "lead": (
            f"nhom:{lead.group}"
            if lead is not None and lead.group
            else (lead.department_id if lead is not None else None)
        ),
        "coordinators": sorted(c.department_id for c in proposal.coordinators if c.department_id),
        "output_kind": proposal.output_kind or "khac",  # none named: the form's default
        "deadline": (
            [
                deadline.kind,
                deadline.due_date.isoformat() if deadline.due_date else None,
                deadline.frequency,
            ]
            if deadline is not None and deadline.kind
            else None
        ),
    }


def decided_values(decision: Decision) -> dict[str, Any]:
    return {
        "content": decision.content,
        "lead": f"nhom:{decision.lead_group}"
        if decision.lead_group
        else (decision.lead.pk if decision.lead else None),
        "coordinators": sorted(d.pk for d in decision.coordinators),
        "output_kind": decision.output_kind or "khac",
        "deadline": [
            decision.deadline_kind,
            decision.due_date.isoformat() if decision.due_date else None,
            decision.report_frequency,
        ],
    }


def corrections(proposals: Sequence[Proposal], decisions: Sequence[Decision]) -> list[dict]:
    """Per proposal: chosen or not, and each field changed as [proposed, confirmed]."""
    by_index = {d.index: d for d in decisions}
    rows = []
    for index, proposal in enumerate(proposals):
        decision = by_index.get(index)
        if decision is None or not decision.chosen:
            rows.append({"index": index, "chosen": False, "changed": {}})
            continue
        before, after = proposed_values(proposal), decided_values(decision)
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        rows.append({"index": index, "chosen": True, "changed": changed})
    return rows


def correction_summary(batches: Sequence[TaskProposalBatch]) -> dict[str, Any]:
    """Over confirmed batches: proposals kept, and how often each field was corrected."""
    proposed = kept = 0
    fields: Counter[str] = Counter()
    for batch in batches:
        for row in batch.corrections:
            proposed += 1
            if row["chosen"]:
                kept += 1
                fields.update(row["changed"].keys())
    return {
        "proposed": proposed,
        "kept": kept,
        "kept_share": kept / proposed if proposed else None,
        "corrected": dict(fields),
    }


# --- For the review page and the API --------------------------------------------------------


def deadline_text(proposal: Proposal) -> str:
    """The proposal's deadline as the form shows it, in words the parser reads back."""
    from . import deadlines
    from .models import ReportFrequency

    deadline = proposal.deadline
    if deadline is None or not deadline.kind:
        return ""  # none, or bound to an event: the clerk types the date
    if deadline.kind == "periodic" and deadline.due_date is None:
        return str(ReportFrequency(deadline.frequency).label) if deadline.frequency else ""
    return deadlines.label(deadline.kind, deadline.due_date, deadline.frequency)


def initial_values(proposal: Proposal) -> dict[str, Any]:
    from .forms import GROUP_PREFIX

    lead = proposal.lead
    if lead is not None and lead.group:
        lead_value = f"{GROUP_PREFIX}{lead.group}"
    elif lead is not None and lead.department_id is not None:
        lead_value = str(lead.department_id)
    else:
        lead_value = ""
    return {
        "chosen": True,
        "item_number": proposal.item_number,
        "content": proposal.content,
        "lead": lead_value,
        "coordinators": [str(c.department_id) for c in proposal.coordinators if c.department_id],
        "output_kind": proposal.output_kind or "khac",
        "output_description": proposal.output_description,
        "deadline": deadline_text(proposal),
    }


def decision_from_form(index: int, data: dict[str, Any]) -> Decision:
    """A ProposalForm's cleaned data as a Decision."""
    if not data.get("chosen"):
        return Decision(index=index, chosen=False)
    deadline = data["parsed_deadline"]
    return Decision(
        index=index,
        chosen=True,
        content=data["content"],
        item_number=data.get("item_number") or "",
        lead=data.get("lead_department"),
        lead_group=data.get("lead_group") or "",
        coordinators=data.get("coordinator_departments") or [],
        output_kind=data.get("output_kind") or "khac",
        output_description=data.get("output_description") or "",
        deadline_kind=deadline.kind,
        due_date=deadline.due_date,
        report_frequency=deadline.frequency,
    )


@dataclass
class Segment:
    text: str
    number: int | None = None  # the proposal this stretch of text became


def highlighted(text: str, items: Sequence[Proposal]) -> list[Segment]:
    """The text cut into stretches, each proposal's source sentence marked with its number."""
    segments: list[Segment] = []
    position = 0
    spans = sorted((p.start, p.end, n) for n, p in enumerate(items, start=1))
    for start, end, number in spans:
        if start < position or end <= start or end > len(text):
            continue  # overlapping or out of range: the text is shown once, unmarked
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], number))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
