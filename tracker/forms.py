"""Forms for the workflow steps, shared by the admin, the department pages and the API.

Each form only collects input; the step itself is taken by the service in tracker/workflow.py,
whose WorkflowError is shown beside the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User

from . import deadlines
from .errors import WorkflowError
from .models import QualityGrade
from .permissions import Step


class DayFirstDateInput(forms.DateInput):
    """Dates as agencies type them: 15/12/2025."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def add_workflow_error(form: forms.Form, error: WorkflowError) -> None:
    """Show the service's message beside the field it concerns, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class ResumeForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(forms.Form):
    lead_department = forms.ModelChoiceField(
        label=_("Cơ quan chủ trì mới"), queryset=Department.objects.active()
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GiveToStaffForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=_("Chuyên viên thực hiện"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, department_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            department_id=department_id, is_active=True
        ).order_by("last_name", "first_name")


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    results = forms.CharField(
        label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4})
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Tệp đính kèm"))


class ExtensionRequestForm(forms.Form):
    requested_due_date = forms.DateField(
        label=_("Đề nghị gia hạn đến ngày (dd/mm/yyyy)"), widget=DayFirstDateInput
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Tệp đính kèm"))


class ExtensionDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Đồng ý gia hạn")), ("reject", _("Không đồng ý"))]
    decision = forms.ChoiceField(label=_("Quyết định"), choices=DECISIONS, widget=forms.RadioSelect)
    approved_due_date = forms.DateField(
        label=_("Gia hạn đến ngày"),
        required=False,
        widget=DayFirstDateInput,
        help_text=_("Để trống để chấp thuận đúng ngày đơn vị đề nghị."),
    )
    decision_number = forms.CharField(label=_("Số văn bản đồng ý gia hạn"), required=False)
    decision_date = forms.DateField(
        label=_("Ngày văn bản"), required=False, widget=DayFirstDateInput
    )
    note = forms.CharField(
        label=_("Ý kiến, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubmitResultForm(forms.Form):
    summary = forms.CharField(label=_("Tóm tắt kết quả"), widget=forms.Textarea(attrs={"rows": 4}))
    output_document_number = forms.CharField(
        label=_("Số, ký hiệu văn bản sản phẩm"), required=False
    )
    output_document_date = forms.DateField(
        label=_("Ngày văn bản sản phẩm"), required=False, widget=DayFirstDateInput
    )
    files = MultipleFileField(label=_("Tệp sản phẩm, minh chứng"))


class AcceptResultForm(forms.Form):
    quality_grade = forms.ChoiceField(label=_("Chất lượng"), choices=QualityGrade.choices)
    major_error_count = forms.IntegerField(
        label=_("Số lỗi lớn về chất lượng"), min_value=0, initial=0
    )
    objective_cause_confirmed = forms.BooleanField(
        label=_("Chậm do nguyên nhân khách quan đã được xác nhận"), required=False
    )
    remarks = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnResultForm(forms.Form):
    reasons = forms.CharField(
        label=_("Lý do trả lại, yêu cầu hoàn thiện"), widget=forms.Textarea(attrs={"rows": 4})
    )


STEP_FORMS: dict[Step, type[forms.Form]] = {
    Step.ACCEPT: AcceptForm,
    Step.DECLINE: ReasonForm,
    Step.REASSIGN: ReassignForm,
    Step.GIVE_TO_STAFF: GiveToStaffForm,
    Step.REPORT_PROGRESS: ProgressForm,
    Step.REQUEST_EXTENSION: ExtensionRequestForm,
    Step.DECIDE_EXTENSION: ExtensionDecisionForm,
    Step.SUBMIT_RESULT: SubmitResultForm,
    Step.ACCEPT_RESULT: AcceptResultForm,
    Step.RETURN_RESULT: ReturnResultForm,
    Step.PAUSE: ReasonForm,
    Step.RESUME: ResumeForm,
    Step.WITHDRAW: ReasonForm,
}


# --- The department pages' task list ----------------------------------------------------------


class OneOrMoreSelect(forms.Select):
    """A plain select for people; links may still repeat the parameter (a dashboard figure
    "trong hạn" covers both "trong hạn" and "sắp đến hạn")."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return [v for v in values if v] if isinstance(values, list) else values


class DirectiveSelect(forms.Select):
    """The newest directives and the chosen one, with a search box for the others."""

    template_name = "portal/widgets/directive_select.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from .directives import offered_directives

        chosen = str(value[0] if isinstance(value, list | tuple) and value else value or "")
        shown = offered_directives(self.choices.queryset, chosen)
        self.choices = [("", self.choices.field.empty_label), *((d.pk, str(d)) for d in shown)]
        return super().get_context(name, value, attrs)


class TaskFilterForm(forms.Form):
    """Filters of the task lists. Invalid values are reported and left out, never guessed."""

    SORTS = [
        ("han", _("Hạn gần nhất trước")),
        ("-han", _("Hạn xa nhất trước")),
        ("-cap-nhat", _("Mới cập nhật")),
        ("tien-do", _("Tiến độ thấp trước")),
    ]
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    van_ban = forms.ModelChoiceField(
        label=_("Văn bản chỉ đạo"),
        queryset=None,
        required=False,
        empty_label=_("Tất cả văn bản"),
        widget=DirectiveSelect,
    )
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False)
    tien_do = forms.MultipleChoiceField(
        label=_("Tiến độ thực hiện"), required=False, widget=OneOrMoreSelect
    )
    han_tu = forms.DateField(label=_("Hạn từ ngày"), required=False, widget=DayFirstDateInput)
    han_den = forms.DateField(label=_("Hạn đến ngày"), required=False, widget=DayFirstDateInput)
    don_vi = forms.ModelChoiceField(
        label=_("Cơ quan chủ trì"), queryset=None, required=False, empty_label=_("Tất cả đơn vị")
    )
    nguoi = forms.ModelChoiceField(
        label=_("Chuyên viên"), queryset=None, required=False, empty_label=_("Tất cả")
    )
    sap_xep = forms.ChoiceField(label=_("Sắp xếp"), choices=SORTS, required=False)
    # From the dashboard: the tasks of a period, their buckets as of its last day.
    ky_tu = forms.DateField(required=False, widget=forms.HiddenInput)
    ky_den = forms.DateField(required=False, widget=forms.HiddenInput)
    theo_han = forms.ChoiceField(
        required=False, choices=[("", ""), ("ban_dau", "")], widget=forms.HiddenInput
    )
    chi_tieu = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        from .models import Directive, TaskState
        from .timeliness import Bucket

        super().__init__(*args, **kwargs)
        self.fields["van_ban"].queryset = Directive.objects.visible_to(user).order_by("-issue_date")
        self.fields["trang_thai"].choices = [("", _("Tất cả trạng thái")), *TaskState.choices]
        self.fields["tien_do"].choices = [("", _("Tất cả")), *Bucket.choices]
        if user.sees_every_department:
            self.fields["don_vi"].queryset = Department.objects.order_by("name")
            self.fields["nguoi"].queryset = User.objects.filter(department__isnull=False)
        else:
            del self.fields["don_vi"]
            self.fields["nguoi"].queryset = User.objects.filter(
                department_id=user.department_id
            ).order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = deadlines.PLAUSIBLE_YEARS
        for name in ("han_tu", "han_den", "ky_tu", "ky_den"):
            if data.get(name) and not low <= data[name].year <= high:
                self.add_error(
                    name, _("Năm phải từ %(low)d đến %(high)d.") % {"low": low, "high": high}
                )
        start, end = data.get("han_tu"), data.get("han_den")
        if start and end and start > end:
            self.add_error("han_den", _("Ngày cuối phải sau ngày đầu."))
        period_start, period_end = data.get("ky_tu"), data.get("ky_den")
        if bool(period_start) != bool(period_end) or (
            period_start and period_end and period_start > period_end
        ):
            self.add_error(None, _("Kỳ báo cáo không hợp lệ; danh sách hiển thị mọi kỳ."))
            data.pop("ky_tu", None)
            data.pop("ky_den", None)
        return data


# --- Tasks proposed from a directive's text (tracker/proposals.py) ---------------------------

PROPOSAL_SUFFIXES = (".docx", ".pdf", ".txt")
PROPOSAL_MAX_BYTES = 20 * 1024 * 1024
GROUP_PREFIX = "nhom:"


def check_proposal_upload(upload: Any) -> None:
    """A directive's file as the admin and the API accept it; ValidationError otherwise."""
    from pathlib import PurePath

    if PurePath(upload.name or "").suffix.lower() not in PROPOSAL_SUFFIXES:
        raise forms.ValidationError(_("Chỉ nhận tệp .docx, .pdf hoặc .txt."))
    if upload.size > PROPOSAL_MAX_BYTES:
        raise forms.ValidationError(
            _("Tệp lớn hơn mức cho phép %(limit)d MB.")
            % {"limit": PROPOSAL_MAX_BYTES // (1024 * 1024)}
        )


class ProposalReadForm(forms.Form):
    """The directive's text, pasted or as a file."""

    text = forms.CharField(
        label=_("Nội dung văn bản"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=_("Dán toàn văn hoặc phần giao nhiệm vụ của văn bản."),
    )
    file = forms.FileField(
        label=_("Hoặc tải lên tệp văn bản"),
        required=False,
        help_text=_("Tệp .docx, .pdf (có lớp chữ, không phải bản quét) hoặc .txt."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            check_proposal_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError(
                _("Dán nội dung văn bản hoặc chọn tệp văn bản để đọc."), code="required"
            )
        return data


# The groups a task may be given to, one task per active department of the kinds named: the
# values of DepartmentMention.group ("so_ban_nganh,ubnd_cap_xa" for "các sở, ban, ngành, địa
# phương").
LEAD_GROUPS = ("so_ban_nganh", "ubnd_cap_xa", "so_ban_nganh,ubnd_cap_xa")


def _lead_choices(departments: list[Department]) -> list[tuple[str, Any]]:
    from accounts.models import DepartmentKind

    counts: dict[str, int] = {}
    for department in departments:
        counts[department.kind] = counts.get(department.kind, 0) + 1
    groups = []
    for group in LEAD_GROUPS:
        kinds = group.split(",")
        if all(counts.get(kind) for kind in kinds):
            label = _(" và ").join(str(DepartmentKind(kind).label) for kind in kinds)
            total = sum(counts[kind] for kind in kinds)
            groups.append(
                (
                    f"{GROUP_PREFIX}{group}",
                    _("Tất cả: %(group)s (%(n)d đơn vị)") % {"group": label, "n": total},
                )
            )
    units = [(str(d.pk), d.name) for d in departments]
    return [("", "—"), (_("Giao cho từng đơn vị trong nhóm"), groups), (_("Đơn vị"), units)]


class ProposalForm(forms.Form):
    """One proposed task as the clerk confirms it: the deadline is typed as agencies write it
    and read by tracker.deadlines.parse, the parser of the import and of the extractor."""

    chosen = forms.BooleanField(label=_("Tạo"), required=False)
    item_number = forms.CharField(label=_("Số thứ tự"), max_length=32, required=False)
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead = forms.ChoiceField(label=_("Cơ quan chủ trì"), required=False)
    coordinators = forms.MultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    output_kind = forms.ChoiceField(label=_("Loại sản phẩm"), required=False)
    output_description = forms.CharField(label=_("Sản phẩm đầu ra"), required=False)
    deadline = forms.CharField(
        label=_("Thời hạn"),
        required=False,
        help_text=_(
            "15/12/2025, Tháng 12/2025, Quý II/2026, Năm 2026, Thường xuyên, "
            "Hằng năm, đến 31/12/2030"
        ),
    )

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        from .models import OutputKind

        super().__init__(*args, **kwargs)
        self.departments = {str(d.pk): d for d in departments}
        self.fields["lead"].choices = _lead_choices(departments)
        self.fields["coordinators"].choices = [(str(d.pk), d.name) for d in departments]
        self.fields["output_kind"].choices = list(OutputKind.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("chosen"):
            return data
        if not (data.get("content") or "").strip():
            self.add_error("content", _("Cần nhập nội dung nhiệm vụ."))
        lead = data.get("lead") or ""
        data["lead_department"] = None
        data["lead_group"] = ""
        if lead.startswith(GROUP_PREFIX):
            data["lead_group"] = lead.removeprefix(GROUP_PREFIX)
        elif lead in self.departments:
            data["lead_department"] = self.departments[lead]
        else:
            self.add_error("lead", _("Chọn cơ quan chủ trì."))
        data["coordinator_departments"] = [
            self.departments[pk] for pk in data.get("coordinators", []) if pk in self.departments
        ]
        text = (data.get("deadline") or "").strip()
        try:
            parsed = deadlines.parse(text)
        except deadlines.DeadlineError as error:
            self.add_error("deadline", str(error))
        else:
            if parsed.kind == "periodic" and parsed.due_date is None:
                self.add_error(
                    "deadline",
                    _("Nhiệm vụ định kỳ cần thời điểm kết thúc, ví dụ “Hằng năm, đến 31/12/2030”."),
                )
            data["parsed_deadline"] = parsed
        return data
