"""The tracking office's tool. Every write here calls a service of tracker/workflow.py or
tracker/directives.py; querysets start from what the signed-in person may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import directives, exports, reminders, scoring, steps, timeliness, workflow
from .errors import WorkflowError
from .forms import STEP_FORMS, DayFirstDateInput, add_workflow_error
from .models import (
    Attachment,
    CalendarFeed,
    Directive,
    Evaluation,
    Event,
    ExtensionRequest,
    ExtensionStatus,
    GeneralCriteriaScore,
    Indicator,
    IndicatorValue,
    PeriodResult,
    ProgressReport,
    ReminderDelivery,
    ReminderPolicy,
    ReportingPeriod,
    ResultSubmission,
    ScoringRules,
    Task,
    TaskCoordination,
    TaskState,
)
from .permissions import Step, allowed_steps


class _Remind:
    """The manual reminder, labelled like a workflow step on the bulk-action page."""

    value = "remind"
    label = gettext_lazy("Gửi nhắc việc")


REMIND = _Remind()

# --- Small display helpers -------------------------------------------------------------------


def badge(text: str, colour: str) -> str:
    return format_html('<span class="dd-badge" style="background:{}">{}</span>', colour, text)


def timeliness_badge(value: str | None) -> str:
    if not value:
        return "—"
    bucket = timeliness.Bucket(value)
    return badge(bucket.label, timeliness.COLOURS[bucket])


STATE_COLOURS = {
    TaskState.ASSIGNED: "#2563eb",
    TaskState.IN_PROGRESS: "#0f766e",
    TaskState.SUBMITTED: "#7c3aed",
    TaskState.COMPLETED: "#15803d",
    TaskState.RETURNED: "#b45309",
    TaskState.DECLINED: "#be123c",
    TaskState.PAUSED: "#6b7280",
    TaskState.WITHDRAWN: "#374151",
}


def state_badge(state: str) -> str:
    return badge(TaskState(state).label, STATE_COLOURS[TaskState(state)])


def dmy(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


class ReadOnlyInline(admin.TabularInline):
    """Records that only services write: shown on the parent page, never edited there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields or [])


class NoDeleteMixin:
    """Records of official work are kept: nothing here is deleted from the admin."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


class ServiceWriteMixin:
    """save_model calls a service; a refusal is shown and the whole save is rolled back."""

    def _refuse(self, request: HttpRequest, error: WorkflowError) -> None:
        request._workflow_refused = True  # type: ignore[attr-defined]
        transaction.set_rollback(True)
        self.message_user(request, error.message, level=messages.ERROR)  # type: ignore[attr-defined]

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # Inlines are written by the services (which record the Event), not by formset.save().
        return super().construct_change_message(request, form, [], add)  # type: ignore[misc]

    def response_add(self, request: HttpRequest, obj: Any, *args: Any) -> HttpResponse:
        if getattr(request, "_workflow_refused", False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_add(request, obj, *args)  # type: ignore[misc]

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        if getattr(request, "_workflow_refused", False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)  # type: ignore[misc]


# --- List filters ----------------------------------------------------------------------------


class TimelinessFilter(admin.SimpleListFilter):
    title = gettext_lazy("tiến độ thực hiện")
    parameter_name = "tien_do"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(timeliness.Bucket.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if self.value() in timeliness.Bucket.values:
            return queryset.filter(timeliness=self.value())
        return queryset


class DirectiveFilter(admin.SimpleListFilter):
    """The newest directives and the chosen one; the search box finds the others by number.
    Thousands of directives cannot stand in a sidebar."""

    title = gettext_lazy("văn bản chỉ đạo")
    parameter_name = "directive__id__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        shown = directives.offered_directives(
            Directive.objects.visible_to(request.user), self.value()
        )
        return [(str(d.pk), str(d)) for d in shown]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if (self.value() or "").isdigit():
            return queryset.filter(directive_id=int(self.value()))
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = gettext_lazy("cập nhật tiến độ")
    parameter_name = "chua_cap_nhat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", _("Chưa cập nhật quá hạn quy định"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if self.value() == "1":
            return timeliness.annotate_stale(queryset).filter(is_stale=True)
        return queryset


class DueDateRangeFilter(admin.ListFilter):
    """Due dates from–to, typed as dd/mm/yyyy."""

    title = gettext_lazy("hạn hoàn thành")
    template = "admin/tracker/filters/date_range.html"
    parameters = ("han_tu", "han_den")

    def __init__(self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any):
        super().__init__(request, params, model, model_admin)
        self.values: dict[str, str] = {}
        self.dates: dict[str, dt.date] = {}
        for name in self.parameters:
            if name in params:
                raw = params.pop(name)
                raw = raw[-1] if isinstance(raw, list) else raw
                self.values[name] = raw
                parsed = self._parse(raw)
                if parsed is None:
                    messages.warning(
                        request,
                        _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy; bộ lọc hạn bị bỏ qua.")
                        % {"value": raw},
                    )
                else:
                    self.dates[name] = parsed

    @staticmethod
    def _parse(raw: str) -> dt.date | None:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(raw.strip(), fmt).date()  # noqa: DTZ007
            except ValueError:
                continue
        return None

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        if "han_tu" in self.dates:
            queryset = queryset.filter(due_date__gte=self.dates["han_tu"])
        if "han_den" in self.dates:
            queryset = queryset.filter(due_date__lte=self.dates["han_den"])
        return queryset

    def choices(self, changelist: Any) -> list[dict[str, Any]]:
        keep = {
            k: v for k, v in changelist.get_filters_params().items() if k not in self.parameters
        }
        return [
            {
                "values": self.values,
                "keep": [(k, v[-1] if isinstance(v, list) else v) for k, v in keep.items()],
                "clear_url": changelist.get_query_string(remove=list(self.parameters)),
            }
        ]


# --- Directives ------------------------------------------------------------------------------


class DirectiveTaskInline(ReadOnlyInline):
    model = Task
    fields = ("item", "task_link", "lead_department", "deadline", "state_display", "tien_do")
    verbose_name_plural = gettext_lazy("Nhiệm vụ của văn bản")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return (
            Task.objects.visible_to(request.user)
            .with_timeliness()
            .select_related("lead_department")
            .order_by("item_number", "id")
        )

    @admin.display(description=gettext_lazy("STT"))
    def item(self, obj: Task) -> str:
        return obj.item_number or "—"

    @admin.display(description=gettext_lazy("Nhiệm vụ"))
    def task_link(self, obj: Task) -> str:
        url = reverse("admin:tracker_task_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.content[:160])

    @admin.display(description=gettext_lazy("Thời hạn"))
    def deadline(self, obj: Task) -> str:
        return obj.deadline_label

    @admin.display(description=gettext_lazy("Trạng thái"))
    def state_display(self, obj: Task) -> str:
        return state_badge(obj.state)

    @admin.display(description=gettext_lazy("Tiến độ"))
    def tien_do(self, obj: Task) -> str:
        return timeliness_badge(getattr(obj, "timeliness", None))


@admin.register(Directive)
class DirectiveAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = ("label", "kind", "issuer", "issue_date", "summary_short", "task_count")
    list_display_links = ("label",)
    list_filter = ("kind", "issuer", "issue_date")
    search_fields = ("symbol", "summary", "issuer", "signer")
    autocomplete_fields = ("implements", "leader_in_charge")
    readonly_fields = ("chain", "implemented_by_links", "created_by", "created_at")
    inlines = [DirectiveTaskInline]
    show_full_result_count = False
    change_form_template = "admin/tracker/directive/change_form.html"
    fieldsets = (
        (None, {"fields": ("kind", "symbol", "issuer", "issue_date", "signer")}),
        (gettext_lazy("Nội dung"), {"fields": ("summary", "full_text", "file")}),
        (
            gettext_lazy("Chuỗi văn bản"),
            {"fields": ("implements", "chain", "implemented_by_links", "leader_in_charge")},
        ),
        (gettext_lazy("Theo dõi"), {"fields": ("created_by", "created_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Directive]:
        return (
            Directive.objects.visible_to(request.user)
            .annotate(task_total=Count("tasks"))
            .order_by("-issue_date", "symbol")
        )

    @admin.display(description=gettext_lazy("Văn bản"), ordering="symbol")
    def label(self, obj: Directive) -> str:
        return obj.symbol or _("(không số) ngày %(date)s") % {"date": dmy(obj.issue_date)}

    @admin.display(description=gettext_lazy("Trích yếu"))
    def summary_short(self, obj: Directive) -> str:
        return obj.summary if len(obj.summary) <= 120 else obj.summary[:119] + "…"

    @admin.display(description=gettext_lazy("Số nhiệm vụ"), ordering="task_total")
    def task_count(self, obj: Directive) -> int:
        return obj.task_total

    @admin.display(description=gettext_lazy("Triển khai từ (chuỗi văn bản cấp trên)"))
    def chain(self, obj: Directive) -> str:
        if obj.pk is None:
            return "—"
        links = [
            (reverse("admin:tracker_directive_change", args=[d.pk]), str(d), dmy(d.issue_date))
            for d in directives.directive_chain(obj)
        ]
        if not links:
            return "—"
        return format_html_join(" → ", '<a href="{}">{}</a> ({})', links)

    @admin.display(description=gettext_lazy("Được triển khai bởi"))
    def implemented_by_links(self, obj: Directive) -> str:
        if obj.pk is None:
            return "—"
        rows = [
            (reverse("admin:tracker_directive_change", args=[d.pk]), str(d))
            for d in obj.implemented_by.all()
        ]
        return format_html_join(", ", '<a href="{}">{}</a>', rows) if rows else "—"

    def save_model(self, request: HttpRequest, obj: Directive, form: Any, change: bool) -> None:
        data = {
            f: form.cleaned_data[f] for f in directives.DIRECTIVE_FIELDS if f in form.cleaned_data
        }
        implements = form.cleaned_data.get("implements", [])
        try:
            if change:
                saved = directives.directive_update(
                    directive=obj.pk, actor=request.user, implements=implements, **data
                )
            else:
                saved = directives.directive_create(
                    actor=request.user, implements=implements, **data
                )
        except WorkflowError as error:
            self._refuse(request, error)
            return
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service has written the chain; the task inline is read-only.
        return

    # -- Importing a plan's task table: upload → dry run → confirm --

    def get_urls(self) -> list[Any]:
        custom = [
            path(
                "<path:object_id>/nhap-nhiem-vu/",
                self.admin_site.admin_view(self.import_view),
                name="tracker_directive_import",
            ),
            path(
                "<path:object_id>/de-xuat-nhiem-vu/",
                self.admin_site.admin_view(self.proposals_view),
                name="tracker_directive_proposals",
            ),
            path(
                "<path:object_id>/de-xuat-nhiem-vu/<int:batch_id>/",
                self.admin_site.admin_view(self.proposal_review_view),
                name="tracker_directive_proposal",
            ),
        ]
        return custom + super().get_urls()

    # -- Tasks proposed from the directive's text: read → correct → confirm --

    def _office_directive(self, request: HttpRequest, object_id: str) -> Directive:
        from django.core.exceptions import PermissionDenied

        directive = self.get_object(request, object_id)
        if directive is None:
            raise Http404
        if not request.user.is_office:
            raise PermissionDenied
        return directive

    def proposals_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from . import proposals
        from .forms import ProposalReadForm

        directive = self._office_directive(request, object_id)
        change_url = reverse("admin:tracker_directive_change", args=[directive.pk])
        if request.method == "POST":
            form = ProposalReadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data.get("file")
                try:
                    batch = proposals.read(
                        directive=directive,
                        actor=request.user,
                        text=form.cleaned_data.get("text") or "",
                        data=upload.read() if upload else None,
                        name=upload.name if upload else "",
                    )
                except WorkflowError as error:
                    add_workflow_error(form, error)
                else:
                    return redirect("admin:tracker_directive_proposal", directive.pk, batch.pk)
        else:
            form = ProposalReadForm(initial={"text": directive.full_text})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Đề xuất nhiệm vụ từ văn bản: %(directive)s") % {"directive": directive},
            "opts": self.model._meta,
            "original": directive,
            "directive": directive,
            "change_url": change_url,
            "form": form,
            "batches": directive.proposal_batches.select_related("created_by", "decided_by")[:20],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/tracker/directive/proposals.html", context)

    def proposal_review_view(
        self, request: HttpRequest, object_id: str, batch_id: int
    ) -> HttpResponse:
        from accounts.models import Department

        from . import proposals
        from .forms import ProposalForm
        from .models import ProposalState, TaskProposalBatch

        directive = self._office_directive(request, object_id)
        batch = TaskProposalBatch.objects.filter(pk=batch_id, directive=directive).first()
        if batch is None:
            raise Http404
        change_url = reverse("admin:tracker_directive_change", args=[directive.pk])
        items = proposals.proposals_of(batch)
        departments = list(Department.objects.active().order_by("name"))
        names = {d.pk: d.name for d in departments}
        is_draft = batch.state == ProposalState.DRAFT
        bound = request.method == "POST" and is_draft and "confirm" in request.POST
        forms_ = [
            ProposalForm(
                request.POST if bound else None,
                prefix=f"p{index}",
                initial=proposals.initial_values(item),
                departments=departments,
            )
            for index, item in enumerate(items)
        ]
        if not is_draft:  # a confirmed or discarded reading is shown as it was decided
            for form in forms_:
                for form_field in form.fields.values():
                    form_field.disabled = True
        if request.method == "POST" and is_draft and "discard" in request.POST:
            try:
                proposals.discard(batch=batch, actor=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Đã hủy đề xuất; không nhiệm vụ nào được tạo."))
            return redirect(change_url)
        if bound and all(f.is_valid() for f in forms_):
            decisions = [
                proposals.decision_from_form(index, form.cleaned_data)
                for index, form in enumerate(forms_)
            ]
            try:
                created = proposals.confirm(batch=batch, actor=request.user, decisions=decisions)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Đã tạo %(n)d nhiệm vụ từ văn bản.") % {"n": len(created)},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        elif bound:
            self.message_user(
                request,
                _("Còn lỗi ở các nhiệm vụ được đánh dấu; chưa nhiệm vụ nào được tạo."),
                messages.ERROR,
            )
        rows = [
            {
                "number": index + 1,
                "form": form,
                "proposal": item,
                "lead_candidates": [
                    c.name
                    for c in (item.lead.candidates if item.lead else [])
                    if c.department_id in names
                ],
            }
            for index, (form, item) in enumerate(zip(forms_, items, strict=True))
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Xác nhận nhiệm vụ đề xuất: %(directive)s") % {"directive": directive},
            "opts": self.model._meta,
            "original": directive,
            "directive": directive,
            "batch": batch,
            "is_draft": is_draft,
            "change_url": change_url,
            "proposals_url": reverse("admin:tracker_directive_proposals", args=[directive.pk]),
            "segments": proposals.highlighted(batch.text, items),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/tracker/directive/proposal_review.html", context)

    def import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from django.core.exceptions import PermissionDenied

        from . import imports

        directive = self.get_object(request, object_id)
        if directive is None:
            raise Http404
        if not request.user.is_office:
            raise PermissionDenied
        change_url = reverse("admin:tracker_directive_change", args=[directive.pk])
        stashes = request.session.get("tracker_imports", {})
        plan = None
        token = ""
        form = imports.ImportUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            token = request.POST.get("token", "")
            stored = imports.load_stash(token) if stashes.get(str(directive.pk)) == token else None
            if stored is None:
                self.message_user(
                    request,
                    _("Tệp đã tải lên không còn; vui lòng tải lên lại."),
                    messages.ERROR,
                )
                return redirect(request.path)
            plan = imports.plan_from_file(directive, *stored)
            if plan.is_valid:
                try:
                    created = imports.import_commit(
                        directive=directive, plan=plan, actor=request.user
                    )
                except WorkflowError as error:
                    self.message_user(request, error.message, messages.ERROR)
                else:
                    imports.drop_stash(token)
                    stashes.pop(str(directive.pk), None)
                    request.session["tracker_imports"] = stashes
                    self.message_user(
                        request,
                        _("Đã tạo %(n)d nhiệm vụ từ bảng nhiệm vụ.") % {"n": len(created)},
                        messages.SUCCESS,
                    )
                    return redirect(change_url)
        elif request.method == "POST":
            form = imports.ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"].read()
                name = form.cleaned_data["file"].name
                if old := stashes.get(str(directive.pk)):
                    imports.drop_stash(old)
                token = imports.stash_upload(data, name)
                stashes[str(directive.pk)] = token
                request.session["tracker_imports"] = stashes
                plan = imports.plan_from_file(directive, data, name)
                form = imports.ImportUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập bảng nhiệm vụ: %(directive)s") % {"directive": directive},
            "opts": self.model._meta,
            "original": directive,
            "directive": directive,
            "change_url": change_url,
            "form": form,
            "plan": plan,
            "token": token,
            "create_count": len(plan.to_create) if plan else 0,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/tracker/directive/import.html", context)


# --- Tasks -----------------------------------------------------------------------------------


class CoordinationInline(admin.TabularInline):
    model = TaskCoordination
    extra = 1
    fields = ("department", "part", "progress_percent", "last_reported_at")
    readonly_fields = ("progress_percent", "last_reported_at")
    autocomplete_fields = ("department",)
    verbose_name_plural = gettext_lazy("Cơ quan phối hợp và phần việc")


class ReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = (
        "reported_at",
        "department",
        "author",
        "percent",
        "results",
        "difficulties",
        "proposals",
    )
    verbose_name_plural = gettext_lazy("Báo cáo tiến độ")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgressReport]:
        return super().get_queryset(request).select_related("department", "author")


class ExtensionInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = (
        "requested_at",
        "requested_by",
        "due_date_at_request",
        "requested_due_date",
        "reason",
        "status",
        "decision_number",
        "decision_date",
        "decision_note",
    )
    verbose_name_plural = gettext_lazy("Đề nghị gia hạn")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExtensionRequest]:
        return super().get_queryset(request).select_related("requested_by")


class SubmissionInline(ReadOnlyInline):
    model = ResultSubmission
    fields = ("submitted_at", "submitted_by", "summary", "output_document_number", "verdict")
    verbose_name_plural = gettext_lazy("Kết quả đã gửi và đánh giá")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResultSubmission]:
        return super().get_queryset(request).select_related("submitted_by", "evaluation")

    @admin.display(description=gettext_lazy("Đánh giá"))
    def verdict(self, obj: ResultSubmission) -> str:
        evaluation = getattr(obj, "evaluation", None)
        if evaluation is None:
            return _("Chờ đánh giá")
        grade = f" – {evaluation.get_quality_grade_display()}" if evaluation.quality_grade else ""
        return f"{evaluation.get_outcome_display()}{grade}. {evaluation.remarks}".strip()


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("download", "uploaded_at", "uploaded_by", "size")
    verbose_name_plural = gettext_lazy("Tệp đính kèm")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attachment]:
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=gettext_lazy("Tệp"))
    def download(self, obj: Attachment) -> str:
        url = reverse("files:attachment", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class ReminderInline(ReadOnlyInline):
    model = ReminderDelivery
    fields = ("created_at", "kind", "sequence", "email", "role", "state", "sent_at", "attempts")
    verbose_name_plural = gettext_lazy("Nhắc việc đã gửi")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReminderDelivery]:
        return super().get_queryset(request).order_by("-created_at", "-id")


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("at", "kind", "actor", "transition", "what_changed", "note")
    verbose_name_plural = gettext_lazy("Dòng thời gian")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=gettext_lazy("Trạng thái"))
    def transition(self, obj: Event) -> str:
        if not obj.to_state:
            return ""
        before = TaskState(obj.from_state).label if obj.from_state else "—"
        return f"{before} → {TaskState(obj.to_state).label}"

    @admin.display(description=gettext_lazy("Thay đổi"))
    def what_changed(self, obj: Event) -> str:
        return format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            ((field, _fmt(old), _fmt(new)) for field, (old, new) in obj.changes.items()),
        )


def _fmt(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


class TaskForm(forms.ModelForm):
    """Checks what it can before the service runs, so errors appear beside their fields."""

    class Meta:
        model = Task
        fields = (
            "directive",
            "item_number",
            "group",
            "parent",
            "content",
            "lead_department",
            "leader_in_charge",
            "output_kind",
            "output_description",
            "quality_requirement",
            "deadline_kind",
            "due_date",
            "report_frequency",
            "urgency",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk is None and data.get("lead_department") and data.get("content"):
            try:
                workflow.check_task_input(
                    content=data["content"],
                    lead_department=data["lead_department"],
                    coordinators=(),
                    deadline_kind=data.get("deadline_kind", ""),
                    due_date=data.get("due_date"),
                    report_frequency=data.get("report_frequency", ""),
                )
            except WorkflowError as error:
                add_workflow_error(self, error)
        return data

    def _post_clean(self) -> None:
        # The model's own constraints are checked by the service on the real row; here the
        # original due date is derived from the due date, so skip Django's duplicate check.
        if self.instance.pk is None and "due_date" in self.cleaned_data:
            self.instance.original_due_date = self.cleaned_data["due_date"]
            self.instance.assigned_at = timezone.now()
        super()._post_clean()


@admin.register(Task)
class TaskAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    form = TaskForm
    list_display = (
        "item",
        "content_short",
        "directive_short",
        "lead_department",
        "deadline",
        "state_display",
        "tien_do",
        "progress",
    )
    list_display_links = ("content_short",)
    list_select_related = ("directive", "lead_department")
    list_filter = (
        "state",
        TimelinessFilter,
        StaleFilter,
        # Every department, not "only those with tasks": that took a DISTINCT over every task
        # (1.2 s at a million tasks; bench/README.md, "Performance").
        ("lead_department", admin.RelatedFieldListFilter),
        DirectiveFilter,
        DueDateRangeFilter,
        "urgency",
    )
    search_fields = (
        "content",
        "item_number",
        "output_description",
        "directive__symbol",
        "directive__summary",
        "lead_department__name",
        "lead_department__code",
    )
    autocomplete_fields = ("directive", "lead_department", "leader_in_charge", "parent")
    list_per_page = 50
    show_full_result_count = False
    actions = [
        "remind_selected",
        "accept_selected",
        "pause_selected",
        "resume_selected",
        "withdraw_selected",
    ]
    inlines = [
        CoordinationInline,
        ReportInline,
        ExtensionInline,
        SubmissionInline,
        AttachmentInline,
        ReminderInline,
        EventInline,
    ]
    fieldsets = (
        (
            gettext_lazy("Văn bản chỉ đạo"),
            {"fields": ("directive", "item_number", "group", "parent")},
        ),
        (gettext_lazy("Nội dung"), {"fields": ("content",)}),
        (
            gettext_lazy("Giao việc"),
            {"fields": ("lead_department", "leader_in_charge", "assignee_names")},
        ),
        (
            gettext_lazy("Sản phẩm đầu ra và chất lượng"),
            {"fields": ("output_kind", "output_description", "quality_requirement")},
        ),
        (
            gettext_lazy("Thời hạn"),
            {
                "fields": (
                    "deadline_kind",
                    "due_date",
                    "original_deadline",
                    "report_frequency",
                    "urgency",
                )
            },
        ),
        (
            gettext_lazy("Tình hình thực hiện"),
            {
                "fields": (
                    "state_display",
                    "tien_do_now",
                    "progress_percent",
                    "assigned_at",
                    "accepted_at",
                    "last_reported_at",
                    "submitted_at",
                    "completed_at",
                )
            },
        ),
    )
    always_readonly = (
        "assignee_names",
        "original_deadline",
        "state_display",
        "tien_do_now",
        "progress_percent",
        "assigned_at",
        "accepted_at",
        "last_reported_at",
        "submitted_at",
        "completed_at",
    )

    # -- Reading --

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return Task.objects.visible_to(request.user).with_timeliness()

    def get_readonly_fields(self, request: HttpRequest, obj: Task | None = None) -> tuple[str, ...]:
        if obj is None:
            return self.always_readonly
        if Step.EDIT not in allowed_steps(request.user, obj):
            return self.always_readonly + (
                "directive",
                "item_number",
                "group",
                "parent",
                "content",
                "lead_department",
                "leader_in_charge",
                "output_kind",
                "output_description",
                "quality_requirement",
                "deadline_kind",
                "due_date",
                "report_frequency",
                "urgency",
            )
        # The lead changes by "giao lại"; the directive of an existing task does not change.
        return self.always_readonly + ("directive", "lead_department")

    def get_inlines(self, request: HttpRequest, obj: Task | None) -> list[Any]:
        if obj is None:
            return [CoordinationInline]
        return self.inlines

    def get_inline_instances(self, request: HttpRequest, obj: Task | None = None) -> list[Any]:
        instances = super().get_inline_instances(request, obj)
        if obj is not None and Step.SET_COORDINATORS not in allowed_steps(request.user, obj):
            for inline in instances:
                if isinstance(inline, CoordinationInline):
                    inline.has_add_permission = lambda *a, **k: False  # type: ignore[method-assign]
                    inline.has_change_permission = lambda *a, **k: False  # type: ignore[method-assign]
                    inline.has_delete_permission = lambda *a, **k: False  # type: ignore[method-assign]
        return instances

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("deadline_kind", "date")
        return initial

    @admin.display(description=gettext_lazy("STT"), ordering="item_number")
    def item(self, obj: Task) -> str:
        return obj.item_number or "—"

    @admin.display(description=gettext_lazy("Nội dung nhiệm vụ"))
    def content_short(self, obj: Task) -> str:
        return obj.content if len(obj.content) <= 140 else obj.content[:139] + "…"

    @admin.display(description=gettext_lazy("Văn bản"), ordering="directive__issue_date")
    def directive_short(self, obj: Task) -> str:
        return obj.directive.symbol or _("Ý kiến chỉ đạo %(date)s") % {
            "date": dmy(obj.directive.issue_date)
        }

    @admin.display(description=gettext_lazy("Thời hạn"), ordering="due_date")
    def deadline(self, obj: Task) -> str:
        if obj.is_extended:
            return format_html(
                "{}<br><small>{} {}</small>",
                obj.deadline_label,
                _("hạn ban đầu"),
                obj.original_deadline_label,
            )
        return obj.deadline_label

    @admin.display(description=gettext_lazy("Hạn ban đầu"))
    def original_deadline(self, obj: Task) -> str:
        return obj.original_deadline_label if obj.pk else "—"

    @admin.display(description=gettext_lazy("Trạng thái"), ordering="state")
    def state_display(self, obj: Task) -> str:
        return state_badge(obj.state) if obj.pk else "—"

    @admin.display(description=gettext_lazy("Tiến độ"), ordering="timeliness")
    def tien_do(self, obj: Task) -> str:
        return timeliness_badge(getattr(obj, "timeliness", None))

    @admin.display(description=gettext_lazy("Tiến độ thực hiện hôm nay"))
    def tien_do_now(self, obj: Task) -> str:
        if obj.pk is None:
            return "—"
        current = timeliness.bucket_for(obj)
        original = timeliness.bucket_for(obj, against="original")
        if obj.is_extended and original != current:
            return format_html(
                "{} <small>({}: {})</small>",
                timeliness_badge(current),
                _("so với hạn ban đầu"),
                original.label,
            )
        return timeliness_badge(current)

    @admin.display(description=gettext_lazy("%"), ordering="progress_percent")
    def progress(self, obj: Task) -> str:
        return f"{obj.progress_percent}%"

    @admin.display(description=gettext_lazy("Chuyên viên được giao"))
    def assignee_names(self, obj: Task) -> str:
        if obj.pk is None:
            return "—"
        return ", ".join(u.display_name for u in obj.assignees.all()) or "—"

    # -- Writing through the services --

    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if change:
                fields = workflow.EDITABLE_FIELDS + workflow.DEADLINE_FIELDS
                changes = {f: data[f] for f in form.changed_data if f in fields}
                if changes:
                    workflow.task_update(task=obj.pk, actor=request.user, **changes)
            else:
                created = workflow.task_create(
                    directive=data["directive"],
                    actor=request.user,
                    content=data["content"],
                    lead_department=data["lead_department"],
                    deadline_kind=data["deadline_kind"],
                    due_date=data.get("due_date"),
                    item_number=data.get("item_number", ""),
                    group=data.get("group", ""),
                    leader_in_charge=data.get("leader_in_charge"),
                    output_kind=data["output_kind"],
                    output_description=data.get("output_description", ""),
                    quality_requirement=data.get("quality_requirement", ""),
                    report_frequency=data.get("report_frequency", ""),
                    urgency=data["urgency"],
                    parent=data.get("parent"),
                )
                obj.pk = created.pk
        except WorkflowError as error:
            self._refuse(request, error)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if getattr(request, "_workflow_refused", False):
            return
        if formset.model is not TaskCoordination:
            return
        if not formset.has_changed():
            return
        rows = [
            (f.cleaned_data["department"], f.cleaned_data.get("part", ""))
            for f in formset.forms
            if f.cleaned_data
            and f.cleaned_data.get("department")
            and not f.cleaned_data.get("DELETE")
        ]
        try:
            workflow.task_set_coordinators(
                task=form.instance.pk, actor=request.user, coordinators=rows
            )
        except WorkflowError as error:
            self._refuse(request, error)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Only the coordination formset is written, and only through the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    # -- Workflow steps: a page per step, buttons on the task page --

    def get_urls(self) -> list[Any]:
        urls = super().get_urls()
        custom = [
            path(
                "<path:object_id>/buoc/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="tracker_task_step",
            ),
        ]
        return custom + urls

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = extra_context or {}
        task = self.get_object(request, object_id)
        if task is not None:
            has_pending = steps.pending_extension(task) is not None
            extra_context["workflow_steps"] = [
                (step, reverse("admin:tracker_task_step", args=[task.pk, step.value]))
                for step in allowed_steps(request.user, task)
                if step in STEP_FORMS and (step != Step.DECIDE_EXTENSION or has_pending)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        task = self.get_object(request, object_id)
        if task is None:
            raise Http404
        try:
            step_enum = Step(step)
        except ValueError:
            raise Http404 from None
        if step_enum not in STEP_FORMS:
            raise Http404
        change_url = reverse("admin:tracker_task_change", args=[task.pk])
        pending = task.extension_requests.filter(status=ExtensionStatus.PENDING).first()
        if step_enum not in allowed_steps(request.user, task):
            self.message_user(
                request,
                _("Không thể “%(step)s” với nhiệm vụ này lúc này.") % {"step": step_enum.label},
                level=messages.ERROR,
            )
            return redirect(change_url)
        if step_enum == Step.DECIDE_EXTENSION and pending is None:
            self.message_user(
                request, _("Nhiệm vụ không có đề nghị gia hạn nào đang chờ."), messages.WARNING
            )
            return redirect(change_url)
        if request.method == "POST":
            form = steps.step_form(step_enum, task, request.POST, request.FILES)
            if form.is_valid():
                try:
                    steps.take_step(step_enum, task, request.user, form.cleaned_data, pending)
                except WorkflowError as error:
                    add_workflow_error(form, error)
                else:
                    self.message_user(
                        request,
                        _("Đã thực hiện “%(step)s”.") % {"step": step_enum.label},
                        messages.SUCCESS,
                    )
                    return redirect(change_url)
        else:
            form = steps.step_form(step_enum, task)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{step_enum.label}: {task}",
            "opts": self.model._meta,
            "task": task,
            "step": step_enum,
            "form": form,
            "pending_extension": pending,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/tracker/task/step.html", context)

    # -- Bulk actions: each selected task goes through the service on its own --

    def _bulk(
        self,
        request: HttpRequest,
        queryset: QuerySet[Task],
        step: Step,
        run: Any,
        needs_reason: bool,
    ) -> HttpResponse | None:
        reason = (request.POST.get("reason") or "").strip()
        if needs_reason and not (request.POST.get("confirm") and reason):
            if request.POST.get("confirm"):
                self.message_user(request, _("Cần nêu lý do."), messages.ERROR)
            context = {
                **self.admin_site.each_context(request),
                "title": step.label,
                "reason_label": _("Lời nhắn") if step is REMIND else _("Lý do"),
                "opts": self.model._meta,
                "step": step,
                "tasks": queryset.select_related("lead_department"),
                "action": request.POST.get("action"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/tracker/task/bulk_step.html", context)
        done, refused = 0, []
        for task in queryset.select_related(None).only("pk", "content", "item_number"):
            try:
                run(task.pk, request.user, reason)
            except WorkflowError as error:
                refused.append(f"{task}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("Đã “%(step)s” %(count)d nhiệm vụ.") % {"step": step.label, "count": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)
        return None

    @admin.action(description=gettext_lazy("Gửi nhắc việc (kèm lời nhắn) cho các nhiệm vụ đã chọn"))
    def remind_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        return self._bulk(
            request, queryset, REMIND,
            lambda pk, actor, r: reminders.reminder_send_manual(task=pk, actor=actor, message=r),
            needs_reason=True,
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Tiếp nhận các nhiệm vụ đã chọn"))
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        return self._bulk(
            request, queryset, Step.ACCEPT,
            lambda pk, actor, _r: workflow.task_accept(task=pk, actor=actor), needs_reason=False,
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Tạm dừng các nhiệm vụ đã chọn"))
    def pause_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        return self._bulk(
            request, queryset, Step.PAUSE,
            lambda pk, actor, r: workflow.task_pause(task=pk, actor=actor, reason=r),
            needs_reason=True,
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Tiếp tục các nhiệm vụ đang tạm dừng"))
    def resume_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        return self._bulk(
            request, queryset, Step.RESUME,
            lambda pk, actor, _r: workflow.task_resume(task=pk, actor=actor), needs_reason=False,
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Rút các nhiệm vụ đã chọn"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> Any:
        return self._bulk(
            request, queryset, Step.WITHDRAW,
            lambda pk, actor, r: workflow.task_withdraw(task=pk, actor=actor, reason=r),
            needs_reason=True,
        )  # fmt: skip

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.has_perm("tracker.change_task"):
            return {}
        if not request.user.is_office:
            # Leaders pause, resume, withdraw and remind; accepting is the department's step.
            actions.pop("accept_selected", None)
        return actions


# --- Read-only registers: what the services wrote, filtered by visibility ---------------------


class VisibleThroughTaskAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Rows that belong to a task: visible when the task is, written only by services."""

    list_select_related = ("task", "task__lead_department")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = Task.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(task__in=visible)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Nhiệm vụ"))
    def task_link(self, obj: Any) -> str:
        url = reverse("admin:tracker_task_change", args=[obj.task_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.task))


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(VisibleThroughTaskAdmin):
    list_display = (
        "task_link",
        "lead",
        "due_date_at_request",
        "requested_due_date",
        "status",
        "requested_at",
        "decide",
    )
    list_filter = ("status",)
    search_fields = ("task__content", "reason", "decision_number")
    list_select_related = ("task", "task__lead_department")
    ordering = ("status", "requested_at")

    @admin.display(description=gettext_lazy("Cơ quan chủ trì"))
    def lead(self, obj: ExtensionRequest) -> str:
        return str(obj.task.lead_department)

    @admin.display(description=gettext_lazy("Xử lý"))
    def decide(self, obj: ExtensionRequest) -> str:
        if obj.status != ExtensionStatus.PENDING:
            return "—"
        url = reverse("admin:tracker_task_step", args=[obj.task_id, Step.DECIDE_EXTENSION.value])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Quyết định"))


class AwaitingFilter(admin.SimpleListFilter):
    """The evaluation queue opens on what waits; the history is one click away."""

    title = gettext_lazy("đánh giá")
    parameter_name = "danh_gia"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("cho", _("Chờ đánh giá")), ("da", _("Đã đánh giá")), ("tat-ca", _("Tất cả"))]

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "cho") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or "cho"
        if value == "cho":
            return queryset.filter(evaluation__isnull=True, task__state=TaskState.SUBMITTED)
        if value == "da":
            return queryset.filter(evaluation__isnull=False)
        return queryset


@admin.register(ResultSubmission)
class ResultSubmissionAdmin(VisibleThroughTaskAdmin):
    """Hàng chờ đánh giá: submitted results, oldest first, with the evidence at hand."""

    list_display = (
        "task_link",
        "lead",
        "due",
        "submitted_at",
        "output_document_number",
        "evidence",
        "verdict",
    )
    list_filter = (AwaitingFilter,)
    search_fields = ("task__content", "summary", "output_document_number")
    list_select_related = ("task", "task__lead_department", "evaluation")
    ordering = ("submitted_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResultSubmission]:
        return super().get_queryset(request).prefetch_related("attachments")

    @admin.display(description=gettext_lazy("Cơ quan chủ trì"))
    def lead(self, obj: ResultSubmission) -> str:
        return str(obj.task.lead_department)

    @admin.display(description=gettext_lazy("Thời hạn"))
    def due(self, obj: ResultSubmission) -> str:
        return obj.task.deadline_label

    @admin.display(description=gettext_lazy("Minh chứng"))
    def evidence(self, obj: ResultSubmission) -> str:
        files = [
            (reverse("files:attachment", args=[a.token]), a.original_name)
            for a in obj.attachments.all()
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', files) if files else "—"

    @admin.display(description=gettext_lazy("Đánh giá"))
    def verdict(self, obj: ResultSubmission) -> str:
        evaluation = getattr(obj, "evaluation", None)
        if evaluation is not None:
            return evaluation.get_outcome_display()
        if obj.task.state != TaskState.SUBMITTED:
            return "—"
        accept = reverse("admin:tracker_task_step", args=[obj.task_id, Step.ACCEPT_RESULT.value])
        back = reverse("admin:tracker_task_step", args=[obj.task_id, Step.RETURN_RESULT.value])
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            accept,
            _("Công nhận"),
            back,
            _("Trả lại"),
        )


@admin.register(ProgressReport)
class ProgressReportAdmin(VisibleThroughTaskAdmin):
    list_display = ("task_link", "department", "percent", "reported_at", "author")
    list_filter = (("department", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("task__content", "results", "difficulties", "proposals")
    list_select_related = ("task", "task__lead_department", "department", "author")


@admin.register(Evaluation)
class EvaluationAdmin(VisibleThroughTaskAdmin):
    list_display = ("task_link", "outcome", "quality_grade", "evaluated_by", "evaluated_at")
    list_filter = ("outcome", "quality_grade", "objective_cause_confirmed")
    list_select_related = ("task", "task__lead_department", "evaluated_by")


@admin.register(Attachment)
class AttachmentAdmin(VisibleThroughTaskAdmin):
    list_display = ("download", "task_link", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "task__content")
    list_select_related = ("task", "task__lead_department", "uploaded_by")
    exclude = ("file",)

    @admin.display(description=gettext_lazy("Tệp"))
    def download(self, obj: Attachment) -> str:
        url = reverse("files:attachment", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(Event)
class EventAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "actor", "directive", "task_short", "note_short")
    list_filter = ("kind",)
    search_fields = ("note", "task__content", "directive__symbol")
    list_select_related = ("actor", "directive", "task")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        visible = Directive.objects.visible_to(request.user).values("pk")
        queryset = super().get_queryset(request).filter(directive__in=visible)
        if not request.user.sees_every_department:
            tasks = Task.objects.visible_to(request.user).values("pk")
            queryset = queryset.filter(task__in=tasks)
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Nhiệm vụ"))
    def task_short(self, obj: Event) -> str:
        return str(obj.task) if obj.task_id else "—"

    @admin.display(description=gettext_lazy("Ghi chú"))
    def note_short(self, obj: Event) -> str:
        return obj.note[:120]


# --- Indicators ------------------------------------------------------------------------------


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ("period_start", "period_end", "actual", "met", "note", "reported_by", "reported_at")
    verbose_name_plural = gettext_lazy("Số liệu thực hiện")

    @admin.display(description=gettext_lazy("Đạt chỉ tiêu"), boolean=True)
    def met(self, obj: IndicatorValue) -> bool:
        return obj.meets_target


@admin.register(Indicator)
class IndicatorAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = ("name", "target", "stretch_target", "unit", "department", "directive")
    list_filter = ("period", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    autocomplete_fields = ("directive", "department", "tasks")
    list_select_related = ("department", "directive")
    inlines = [IndicatorValueInline]

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        from . import indicators

        data = {f: v for f, v in form.cleaned_data.items() if f != "tasks"}
        try:
            saved = indicators.indicator_save(
                indicator=obj.pk, actor=request.user, tasks=form.cleaned_data["tasks"], **data
            )
        except WorkflowError as error:
            self._refuse(request, error)
            return
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return


@admin.register(IndicatorValue)
class IndicatorValueAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = ("indicator", "period_start", "period_end", "actual", "met", "reported_at")
    list_filter = (("indicator", admin.RelatedOnlyFieldListFilter),)
    autocomplete_fields = ("indicator",)
    list_select_related = ("indicator",)
    exclude = ("reported_by", "reported_at")

    @admin.display(description=gettext_lazy("Đạt chỉ tiêu"), boolean=True)
    def met(self, obj: IndicatorValue) -> bool:
        return obj.meets_target

    def save_model(
        self, request: HttpRequest, obj: IndicatorValue, form: Any, change: bool
    ) -> None:
        from . import indicators

        try:
            saved = indicators.indicator_value_record(actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            self._refuse(request, error)
            return
        obj.pk = saved.pk


# --- Reminders -------------------------------------------------------------------------------


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "directive",
        "days_before",
        "on_due_date",
        "overdue_every_days",
        "escalate_after",
        "stale_after_days",
    )
    autocomplete_fields = ("directive",)
    list_select_related = ("directive",)

    def save_model(
        self, request: HttpRequest, obj: ReminderPolicy, form: Any, change: bool
    ) -> None:
        try:
            reminders.policy_save(policy=obj, actor=request.user)
        except WorkflowError as error:
            self._refuse(request, error)


class ReminderDateFilter(admin.DateFieldListFilter):
    title = gettext_lazy("ngày lập")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "sequence",
        "task_link",
        "department",
        "email",
        "role",
        "state",
        "attempts",
        "sent_at",
    )
    list_filter = (
        "kind",
        "state",
        "role",
        ("department", admin.RelatedOnlyFieldListFilter),
        ("created_at", ReminderDateFilter),
    )
    search_fields = ("email", "task__content", "message")
    list_select_related = ("task", "department")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReminderDelivery]:
        queryset = super().get_queryset(request)
        if request.user.sees_every_department:
            return queryset
        return queryset.filter(task__in=Task.objects.visible_to(request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Nhiệm vụ"))
    def task_link(self, obj: ReminderDelivery) -> str:
        if obj.task_id is None:
            return "—"
        url = reverse("admin:tracker_task_change", args=[obj.task_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.task))


# --- Scoring and periods ---------------------------------------------------------------------


@admin.register(ScoringRules)
class ScoringRulesAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "is_active",
        "general_points",
        "quantity_points",
        "quality_points",
        "progress_points",
        "delay_penalty",
        "error_penalty",
    )

    def save_model(self, request: HttpRequest, obj: ScoringRules, form: Any, change: bool) -> None:
        try:
            scoring.rules_save(rules=obj, actor=request.user)
        except WorkflowError as error:
            self._refuse(request, error)


class PeriodAddForm(forms.ModelForm):
    day = forms.DateField(
        label=gettext_lazy("Một ngày trong kỳ (dd/mm/yyyy)"), widget=DayFirstDateInput
    )

    class Meta:
        model = ReportingPeriod
        fields = ("kind",)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = ("label", "kind", "start", "end", "closed_at", "closed_by", "links")
    list_filter = ("kind",)
    actions = ["close_selected"]
    readonly_fields = ("kind", "start", "end", "closed_at", "closed_by", "ranking_table")

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = PeriodAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return () if obj is None else self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("kind", "day") if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing the ranking needs no change; the period itself is changed only by closing.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: ReportingPeriod, form: Any, change: bool
    ) -> None:
        try:
            saved = scoring.period_open(
                kind=form.cleaned_data["kind"], day=form.cleaned_data["day"], actor=request.user
            )
        except WorkflowError as error:
            self._refuse(request, error)
            return
        obj.pk, obj.kind, obj.start, obj.end = saved.pk, saved.kind, saved.start, saved.end

    @admin.display(description=gettext_lazy("Kỳ"))
    def label(self, obj: ReportingPeriod) -> str:
        return str(obj)

    @admin.display(description=gettext_lazy("Xếp hạng"))
    def links(self, obj: ReportingPeriod) -> str:
        url = reverse("admin:tracker_reportingperiod_excel", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải Excel"))

    @admin.display(description=gettext_lazy("Kết quả, xếp hạng"))
    def ranking_table(self, obj: ReportingPeriod) -> str:
        scores = scoring.ranking(obj)
        if not scores:
            return _("Không có đơn vị nào có nhiệm vụ trong kỳ.")
        header = format_html(
            "<p>{}</p>",
            _("Đã chốt: số liệu không thay đổi.")
            if obj.is_closed
            else _("Tạm tính theo số liệu hiện tại; chốt kỳ để công bố."),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td><strong>{}</strong></td><td>{}</td></tr>",
            (
                (
                    s.rank,
                    s.department,
                    s.table.total,
                    s.table.done_on_time,
                    s.table.done_late + s.table.open_overdue,
                    s.general if s.general_entered else _("chưa chấm"),
                    s.quantity,
                    s.quality,
                    s.progress,
                    s.total,
                    s.grade_label + (" *" if s.capped else ""),
                )
                for s in scores
            ),
        )
        heads = [
            _("Hạng"), _("Đơn vị"), _("Tổng NV"), _("Đúng hạn"), _("Chậm, quá hạn"),
            _("Tiêu chí chung"), _("Số lượng"), _("Chất lượng"), _("Tiến độ"), _("Tổng"),
            _("Xếp loại"),
        ]  # fmt: skip
        head = format_html_join("", "<th>{}</th>", ((h,) for h in heads))
        note = format_html("<p><small>* {}</small></p>", _("hạ loại do giới hạn tỷ lệ xuất sắc"))
        return format_html("{}<table><tr>{}</tr>{}</table>{}", header, head, rows, note)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/excel/",
                self.admin_site.admin_view(self.excel_view),
                name="tracker_reportingperiod_excel",
            ),
            *super().get_urls(),
        ]

    def excel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        period = self.get_object(request, object_id)
        if period is None:
            raise Http404
        return exports.ranking_response(period, scoring.ranking(period))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.is_office:
            actions.pop("close_selected", None)  # leaders and inspectors read the ranking
        return actions

    @admin.action(description=gettext_lazy("Chốt kỳ (công bố kết quả, không sửa được nữa)"))
    def close_selected(self, request: HttpRequest, queryset: QuerySet[ReportingPeriod]) -> None:
        for period in queryset:
            try:
                scoring.period_close(period=period.pk, actor=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Đã chốt %(p)s.") % {"p": period}, messages.SUCCESS)


@admin.register(GeneralCriteriaScore)
class GeneralCriteriaScoreAdmin(NoDeleteMixin, ServiceWriteMixin, admin.ModelAdmin):
    list_display = ("period", "department", "points", "entered_by", "entered_at")
    list_filter = ("period",)
    autocomplete_fields = ("department",)
    list_select_related = ("period", "department", "entered_by")
    fields = ("period", "department", "points", "note")

    def save_model(
        self, request: HttpRequest, obj: GeneralCriteriaScore, form: Any, change: bool
    ) -> None:
        try:
            saved = scoring.general_score_set(
                period=form.cleaned_data["period"],
                department=form.cleaned_data["department"],
                points=form.cleaned_data["points"],
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except WorkflowError as error:
            self._refuse(request, error)
            return
        obj.pk = saved.pk


@admin.register(PeriodResult)
class PeriodResultAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("period", "rank", "department", "head_name", "total", "grade", "capped")
    list_filter = ("period", "grade")
    list_select_related = ("period", "department")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Secret calendar addresses: an administrator sees who has one and when it was renewed."""

    list_display = ("user", "scope", "created_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("user__username", "user__last_name", "user__first_name")
    list_select_related = ("user",)
    exclude = ("token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
