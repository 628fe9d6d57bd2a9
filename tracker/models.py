"""Directives, the tasks they are split into, and everything recorded about a task.

Rows here are written only by the services in tracker/directives.py and tracker/workflow.py,
which lock the task, check the step is allowed and record an Event. The constraints below say
in the database what those services promise, so that no other path can break it either.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .symbols import parse_symbol, validate_symbol

# --- Choices ---------------------------------------------------------------------------------


class DirectiveKind(models.TextChoices):
    NGHI_QUYET = "NQ", _("Nghị quyết")
    KET_LUAN = "KL", _("Kết luận")
    CHI_THI = "CT", _("Chỉ thị")
    CHUONG_TRINH = "CTr", _("Chương trình")
    KE_HOACH = "KH", _("Kế hoạch")
    QUYET_DINH = "QĐ", _("Quyết định")
    THONG_BAO_KET_LUAN = "TB", _("Thông báo kết luận")
    QUY_CHE = "QC", _("Quy chế")
    HUONG_DAN = "HD", _("Hướng dẫn")
    CONG_VAN = "CV", _("Công văn")
    Y_KIEN_CHI_DAO = "YKCĐ", _("Ý kiến chỉ đạo tại cuộc họp")


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("Mới giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Chờ đánh giá")
    COMPLETED = "completed", _("Đã hoàn thành")
    RETURNED = "returned", _("Trả lại, thực hiện lại")
    DECLINED = "declined", _("Từ chối")
    PAUSED = "paused", _("Tạm dừng")
    WITHDRAWN = "withdrawn", _("Đã rút")


# Paused and withdrawn tasks are left out of every rate (DOMAIN.md).
STATES_OUT_OF_RATES = (TaskState.PAUSED, TaskState.WITHDRAWN)
# The department still owes work (a declined task waits for the office to give it again).
OPEN_STATES = (
    TaskState.ASSIGNED,
    TaskState.IN_PROGRESS,
    TaskState.RETURNED,
    TaskState.DECLINED,
)
# Reminders chase these; a declined task is the office's to reassign, not the decliner's.
CHASED_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED)


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    MONTH = "month", _("Trong tháng")
    QUARTER = "quarter", _("Trong quý")
    YEAR = "year", _("Trong năm")
    CONTINUOUS = "continuous", _("Thường xuyên (không hạn)")
    PERIODIC = "periodic", _("Định kỳ")


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


class OutputKind(models.TextChoices):
    DE_AN = "de_an", _("Đề án")
    KE_HOACH = "ke_hoach", _("Kế hoạch")
    BAO_CAO = "bao_cao", _("Báo cáo")
    QUYET_DINH = "quyet_dinh", _("Quyết định")
    TO_TRINH = "to_trinh", _("Tờ trình")
    DU_THAO_QPPL = "du_thao_qppl", _("Dự thảo văn bản quy phạm pháp luật")
    NGHI_QUYET_HDND = "nghi_quyet_hdnd", _("Nghị quyết HĐND")
    KHAC = "khac", _("Khác")


class Urgency(models.TextChoices):
    THUONG = "thuong", _("Thường")
    KHAN = "khan", _("Khẩn")
    HOA_TOC = "hoa_toc", _("Hỏa tốc")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đã đồng ý")
    REJECTED = "rejected", _("Không đồng ý")


class EvaluationOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đạt, công nhận hoàn thành")
    RETURNED = "returned", _("Trả lại để thực hiện lại")


class QualityGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    MEETS = "meets", _("Đạt yêu cầu")


class EventKind(models.TextChoices):
    DIRECTIVE_CREATED = "directive_created", _("Tạo văn bản chỉ đạo")
    DIRECTIVE_EDITED = "directive_edited", _("Sửa văn bản chỉ đạo")
    CREATED = "created", _("Giao nhiệm vụ")
    EDITED = "edited", _("Sửa nhiệm vụ")
    REASSIGNED = "reassigned", _("Giao lại cơ quan chủ trì")
    COORDINATORS_CHANGED = "coordinators_changed", _("Thay đổi cơ quan phối hợp")
    GIVEN_TO_STAFF = "given_to_staff", _("Phân công chuyên viên")
    ACCEPTED = "accepted", _("Tiếp nhận")
    DECLINED = "declined", _("Từ chối")
    PROGRESS_REPORTED = "progress_reported", _("Báo cáo tiến độ")
    EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
    EXTENSION_APPROVED = "extension_approved", _("Đồng ý gia hạn")
    EXTENSION_REJECTED = "extension_rejected", _("Không đồng ý gia hạn")
    SUBMITTED = "submitted", _("Gửi kết quả")
    RESULT_ACCEPTED = "result_accepted", _("Công nhận hoàn thành")
    RESULT_RETURNED = "result_returned", _("Trả lại kết quả")
    PAUSED = "paused", _("Tạm dừng")
    RESUMED = "resumed", _("Tiếp tục")
    WITHDRAWN = "withdrawn", _("Rút nhiệm vụ")
    ATTACHMENT_ADDED = "attachment_added", _("Đính kèm tệp")
    REMINDER_SENT = "reminder_sent", _("Nhắc việc, đôn đốc")
    TASKS_PROPOSED = "tasks_proposed", _("Đọc văn bản, đề xuất nhiệm vụ")
    PROPOSALS_CONFIRMED = "proposals_confirmed", _("Xác nhận nhiệm vụ đề xuất")
    PROPOSALS_DISCARDED = "proposals_discarded", _("Hủy đề xuất nhiệm vụ")


# --- Directives ------------------------------------------------------------------------------


class DirectiveQuerySet(models.QuerySet["Directive"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> DirectiveQuerySet:
        """Directives a person may open: all for city-wide roles, otherwise those with a task
        their department leads or coordinates."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_department:
            return self
        if user.department_id is None:
            return self.none()
        # Two IN lists, not EXISTS per directive: with thousands of directives the EXISTS ran
        # once per directive (1.1 s at a million tasks); the lead's list is an index-only scan
        # of task_lead_directive_idx (bench/README.md, "Performance").
        led = Task.objects.filter(lead_department_id=user.department_id).values("directive_id")
        coordinated = TaskCoordination.objects.filter(department_id=user.department_id).values(
            "task__directive_id"
        )
        return self.filter(Q(pk__in=led) | Q(pk__in=coordinated))


class Directive(models.Model):
    """A văn bản chỉ đạo: a resolution, conclusion, plan or a meeting's instructions."""

    kind = models.CharField(_("loại văn bản"), max_length=8, choices=DirectiveKind)
    symbol = models.CharField(
        _("số, ký hiệu"),
        max_length=64,
        blank=True,
        validators=[validate_symbol],
        help_text=_(
            "Theo thể thức nhà nước (7/NQ-CP, 44/2019/QĐ-UBND) hoặc của Đảng (45-NQ/TW). "
            "Để trống với ý kiến chỉ đạo tại cuộc họp không có số."
        ),
    )
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issue_date = models.DateField(_("ngày ban hành"))
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    summary = models.TextField(_("trích yếu"))
    full_text = models.TextField(_("toàn văn"), blank=True)
    file = models.FileField(_("tệp văn bản"), upload_to="directives/%Y/", blank=True)
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("triển khai văn bản"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
        help_text=_("Các văn bản cấp trên mà văn bản này triển khai thực hiện."),
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directives_in_charge",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issue_date", "symbol"]
        constraints = [
            # A symbol restarts every year (State) or term (Party): only issuer + symbol + date
            # identify a document. Meeting instructions without a number are not constrained.
            models.UniqueConstraint(
                fields=["issuer", "symbol", "issue_date"],
                condition=~Q(symbol=""),
                name="directive_unique_issuer_symbol_date",
                violation_error_message=_(
                    "Đã có văn bản cùng cơ quan ban hành, số ký hiệu và ngày ban hành."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(symbol="") | Q(kind="YKCĐ"),
                name="directive_symbol_required_unless_meeting",
                violation_error_message=_(
                    "Chỉ ý kiến chỉ đạo tại cuộc họp mới được để trống số, ký hiệu."
                ),
            ),
        ]
        indexes = [
            # The directive changelist and the portal list newest first.
            models.Index(fields=["-issue_date"], name="directive_issue_date_idx"),
        ]

    def __str__(self) -> str:
        if self.symbol:
            return f"{self.get_kind_display()} {self.symbol}"
        return gettext("%(kind)s %(issuer)s ngày %(date)s") % {
            "kind": self.get_kind_display(),
            "issuer": self.issuer,
            "date": f"{self.issue_date:%d/%m/%Y}",
        }

    def clean(self) -> None:
        super().clean()
        if not self.symbol:
            if self.kind and self.kind != DirectiveKind.Y_KIEN_CHI_DAO:
                raise ValidationError(
                    {"symbol": _("Chỉ ý kiến chỉ đạo tại cuộc họp mới được để trống số, ký hiệu.")}
                )
            return
        try:
            parsed = parse_symbol(self.symbol)
        except ValidationError as error:
            raise ValidationError({"symbol": error.messages}) from None
        self.symbol = parsed.text
        if parsed.kind_code and self.kind and parsed.kind_code != self.kind:
            kind_label = DirectiveKind(parsed.kind_code).label
            raise ValidationError(
                {
                    "kind": _(
                        "Số, ký hiệu %(symbol)s là của một %(kind)s, không khớp loại văn bản "
                        "đã chọn."
                    )
                    % {"symbol": parsed.text, "kind": kind_label.lower()}
                }
            )
        if parsed.year and self.issue_date and parsed.year != self.issue_date.year:
            raise ValidationError(
                {
                    "issue_date": _(
                        "Số, ký hiệu %(symbol)s mang năm %(year)d nhưng ngày ban hành là %(date)s."
                    )
                    % {
                        "symbol": parsed.text,
                        "year": parsed.year,
                        "date": self.issue_date.strftime("%d/%m/%Y"),
                    }
                }
            )


# --- Tasks -----------------------------------------------------------------------------------


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> TaskQuerySet:
        """Authorisation starts here: a person receives only the tasks they may see."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_department:
            return self
        if user.department_id is None:
            return self.none()
        coordinates = TaskCoordination.objects.filter(
            task_id=OuterRef("pk"), department_id=user.department_id
        )
        return self.filter(Q(lead_department_id=user.department_id) | Exists(coordinates))

    def in_rates(self) -> TaskQuerySet:
        return self.exclude(state__in=STATES_OUT_OF_RATES)

    def with_timeliness(
        self, *, as_of: dt.date | None = None, against: str = "current"
    ) -> TaskQuerySet:
        from .timeliness import annotate_timeliness

        return annotate_timeliness(self, as_of=as_of, against=against)


class Task(models.Model):
    """A nhiệm vụ: one lead department, a concrete output and a deadline ("5 rõ")."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("văn bản chỉ đạo"), on_delete=models.PROTECT, related_name="tasks"
    )
    item_number = models.CharField(
        _("số thứ tự"), max_length=32, blank=True, help_text=_("Vị trí trong văn bản: 1, 2.a, II.3")
    )
    group = models.CharField(_("nhóm nhiệm vụ"), max_length=255, blank=True)
    content = models.TextField(_("nội dung nhiệm vụ"))
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("cơ quan phối hợp"),
        through="TaskCoordination",
        related_name="coordinated_tasks",
        blank=True,
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_in_charge",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên được giao"),
        blank=True,
        related_name="assigned_tasks",
    )
    output_kind = models.CharField(
        _("loại sản phẩm đầu ra"), max_length=32, choices=OutputKind, default=OutputKind.KHAC
    )
    output_description = models.TextField(_("sản phẩm đầu ra"), blank=True)
    quality_requirement = models.TextField(_("yêu cầu chất lượng"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=16, choices=DeadlineKind, default=DeadlineKind.DATE
    )
    original_due_date = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    due_date = models.DateField(
        _("hạn hiện tại"),
        null=True,
        blank=True,
        help_text=_("Thay đổi khi được gia hạn; hạn ban đầu được giữ nguyên."),
    )
    report_frequency = models.CharField(
        _("kỳ báo cáo"), max_length=16, choices=ReportFrequency, blank=True
    )
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=Urgency, default=Urgency.THUONG)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("nhiệm vụ cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=TaskState, default=TaskState.ASSIGNED
    )
    state_before_pause = models.CharField(
        _("trạng thái trước khi tạm dừng"), max_length=16, choices=TaskState, blank=True
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    assigned_at = models.DateTimeField(_("giao lúc"))
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("báo cáo gần nhất"), null=True, blank=True)
    last_activity_at = models.DateTimeField(
        _("hoạt động gần nhất"),
        help_text=_("Giao, tiếp nhận hoặc báo cáo tiến độ gần nhất: căn cứ nhắc cập nhật."),
    )
    submitted_at = models.DateTimeField(
        _("gửi kết quả lúc"),
        null=True,
        blank=True,
        help_text=_(
            "Thời điểm gửi kết quả gần nhất: là ngày hoàn thành khi kết quả được công nhận."
        ),
    )
    completed_at = models.DateTimeField(_("công nhận hoàn thành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__gte=0) & Q(progress_percent__lte=100),
                name="task_progress_between_0_and_100",
            ),
            # Continuous tasks have no date; every other kind has both dates.
            models.CheckConstraint(
                condition=(
                    Q(
                        deadline_kind="continuous",
                        due_date__isnull=True,
                        original_due_date__isnull=True,
                    )
                    | (
                        ~Q(deadline_kind="continuous")
                        & Q(due_date__isnull=False, original_due_date__isnull=False)
                    )
                ),
                name="task_due_dates_match_deadline_kind",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="periodic") | ~Q(report_frequency=""),
                name="task_periodic_has_frequency",
            ),
            # Accepted means a result was submitted first: its time is the completion date.
            models.CheckConstraint(
                condition=~Q(state="completed")
                | Q(submitted_at__isnull=False, completed_at__isnull=False),
                name="task_completed_has_submission",
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted") | Q(submitted_at__isnull=False),
                name="task_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(state="completed"),
                name="task_completed_at_only_when_completed",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="task_content_not_blank"),
            # Resuming returns to where the task was: it must be known while paused.
            models.CheckConstraint(
                condition=~Q(state="paused") | ~Q(state_before_pause=""),
                name="task_paused_remembers_state",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")), name="task_not_own_parent"
            ),
        ]
        indexes = [
            # A department's lists: WHERE lead_department_id = ? AND state IN (…) ORDER BY due_date.
            models.Index(
                fields=["lead_department", "state", "due_date"], name="task_lead_state_due_idx"
            ),
            # The reminder scan: open tasks by due date, WHERE state IN (open) AND due_date <= ?.
            models.Index(
                fields=["due_date"],
                name="task_chased_due_idx",
                condition=Q(state__in=["assigned", "in_progress", "returned"]),
            ),
            # A department's directives: SELECT directive_id WHERE lead_department_id = ?,
            # answered from the index alone.
            models.Index(fields=["lead_department", "directive"], name="task_lead_directive_idx"),
            # The directive page and its inline: WHERE directive_id = ? ORDER BY item_number.
            models.Index(fields=["directive", "item_number"], name="task_directive_item_idx"),
            # The evaluation queue: WHERE state = 'submitted' ORDER BY submitted_at.
            models.Index(
                fields=["submitted_at"],
                name="task_waiting_evaluation_idx",
                condition=Q(state="submitted"),
            ),
            # The "chưa cập nhật" nudge: open tasks WHERE last_activity_at in one day's range.
            models.Index(
                fields=["last_activity_at"],
                name="task_chased_activity_idx",
                condition=Q(state__in=["assigned", "in_progress", "returned"]),
            ),
            # The admin changelist and the API in their default order, a page at a time: walking
            # this index instead of sorting every task (1.8 s at a million tasks).
            models.Index(fields=["due_date", "id"], name="task_due_order_idx"),
            # The admin changelist filtered by state, newest deadline first.
            models.Index(fields=["state", "due_date"], name="task_state_due_idx"),
        ]

    def __str__(self) -> str:
        head = f"{self.item_number}. " if self.item_number else ""
        text = self.content if len(self.content) <= 90 else self.content[:89] + "…"
        return f"{head}{text}"

    @property
    def deadline_label(self) -> str:
        """The deadline as the agencies write it: 15/12/2025, Quý IV/2025, Thường xuyên."""
        return deadlines.label(self.deadline_kind, self.due_date, self.report_frequency)

    @property
    def original_deadline_label(self) -> str:
        return deadlines.label(self.deadline_kind, self.original_due_date, self.report_frequency)

    @property
    def is_extended(self) -> bool:
        return self.due_date != self.original_due_date


class TaskCoordination(models.Model):
    """A coordinating department (cơ quan phối hợp) with its own part and progress."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="coordinations"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("cơ quan phối hợp"),
        on_delete=models.PROTECT,
        related_name="coordinations",
    )
    part = models.TextField(_("phần việc phối hợp"), blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("tiến độ phần phối hợp (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    last_reported_at = models.DateTimeField(_("báo cáo gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan phối hợp")
        verbose_name_plural = _("cơ quan phối hợp")
        ordering = ["department__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="coordination_unique"),
            models.CheckConstraint(
                condition=Q(progress_percent__gte=0) & Q(progress_percent__lte=100),
                name="coordination_progress_between_0_and_100",
            ),
        ]
        indexes = [
            # Visibility: EXISTS(… WHERE task_id = ? AND department_id = ?) and "tasks we
            # coordinate": WHERE department_id = ?.
            models.Index(fields=["department", "task"], name="coordination_department_idx"),
        ]

    def __str__(self) -> str:
        return str(self.department)


class ProgressReport(models.Model):
    """A báo cáo tiến độ by the lead department or, for its part, a coordinating one."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="reports"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người báo cáo"), on_delete=models.PROTECT
    )
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    results = models.TextField(_("kết quả thực hiện"))
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"))

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="report_percent_between_0_and_100",
            ),
        ]
        indexes = [
            # The task page's reports: WHERE task_id = ? ORDER BY reported_at DESC.
            models.Index(fields=["task", "-reported_at"], name="report_task_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.department} – {self.percent}% – {self.reported_at:%d/%m/%Y}"


class ExtensionRequest(models.Model):
    """A đề nghị gia hạn. Approval moves the task's current due date, never the original."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    due_date_at_request = models.DateField(_("hạn tại thời điểm đề nghị"))
    requested_due_date = models.DateField(_("đề nghị gia hạn đến"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ExtensionStatus, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    approved_due_date = models.DateField(_("hạn được chấp thuận"), null=True, blank=True)
    decision_number = models.CharField(_("số văn bản quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày văn bản quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến, lý do"), blank=True)

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request at a time: a second one would race the first decision.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_task",
                violation_error_message=_(
                    "Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định."
                ),
            ),
            models.CheckConstraint(
                condition=Q(requested_due_date__gt=F("due_date_at_request")),
                name="extension_moves_deadline_later",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="extension_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(approved_due_date__isnull=False, decision_date__isnull=False)
                    & ~Q(decision_number="")
                ),
                name="extension_approval_has_decision_document",
            ),
        ]
        indexes = [
            # The office's extension queue: WHERE status = 'pending' ORDER BY requested_at.
            models.Index(
                fields=["requested_at"],
                name="extension_pending_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.task_id}: đến {self.requested_due_date:%d/%m/%Y} ({self.get_status_display()})"
        )


class ResultSubmission(models.Model):
    """A result sent for evaluation, with evidence of the output."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("gửi lúc"))
    summary = models.TextField(_("tóm tắt kết quả"))
    output_document_number = models.CharField(
        _("số văn bản sản phẩm"),
        max_length=64,
        blank=True,
        help_text=_("Số, ký hiệu văn bản đã ban hành là sản phẩm đầu ra, nếu có."),
    )
    output_document_date = models.DateField(_("ngày văn bản sản phẩm"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả gửi đánh giá")
        verbose_name_plural = _("kết quả gửi đánh giá")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["task", "-submitted_at"], name="submission_task_time_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.submitted_at:%d/%m/%Y %H:%M}"


class Evaluation(models.Model):
    """The office's verdict on one submission. One per submission, so two evaluators cannot
    both record one."""

    submission = models.OneToOneField(
        ResultSubmission,
        verbose_name=_("kết quả được đánh giá"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="evaluations"
    )
    outcome = models.CharField(_("kết luận"), max_length=16, choices=EvaluationOutcome)
    quality_grade = models.CharField(
        _("chất lượng"), max_length=16, choices=QualityGrade, blank=True
    )
    major_error_count = models.PositiveSmallIntegerField(_("số lỗi lớn về chất lượng"), default=0)
    objective_cause_confirmed = models.BooleanField(
        _("chậm do nguyên nhân khách quan đã được xác nhận"), default=False
    )
    remarks = models.TextField(_("nhận xét, lý do"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đánh giá"), on_delete=models.PROTECT
    )
    evaluated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá kết quả")
        verbose_name_plural = _("đánh giá kết quả")
        ordering = ["-evaluated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="accepted") | ~Q(quality_grade=""),
                name="evaluation_accepted_has_grade",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="returned") | ~Q(remarks=""),
                name="evaluation_returned_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.get_outcome_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Keep the user's name for display but not in the path: it may hold anything.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.task_id}/{instance.token}{suffix}"


class Attachment(models.Model):
    """A file attached to a task, its report, extension request or result submission."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo tiến độ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    submission = models.ForeignKey(
        ResultSubmission,
        verbose_name=_("kết quả"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    extension_request = models.ForeignKey(
        ExtensionRequest,
        verbose_name=_("đề nghị gia hạn"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=127, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["task", "uploaded_at"], name="attachment_task_idx")]

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """The timeline: every transition and edit, who did it, when, and what changed."""

    directive = models.ForeignKey(
        Directive,
        verbose_name=_("văn bản chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("sự kiện"), max_length=32, choices=EventKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"))
    from_state = models.CharField(_("từ trạng thái"), max_length=16, choices=TaskState, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=16, choices=TaskState, blank=True)
    changes = models.JSONField(
        _("thay đổi"), default=dict, blank=True, help_text=_("{trường: [giá trị cũ, giá trị mới]}")
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("dòng thời gian")
        ordering = ["at", "id"]
        indexes = [
            # The task timeline: WHERE task_id = ? ORDER BY at.
            models.Index(fields=["task", "at"], name="event_task_time_idx"),
            # The directive timeline: WHERE directive_id = ? ORDER BY at.
            models.Index(fields=["directive", "at"], name="event_directive_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"


# --- Indicators ------------------------------------------------------------------------------


class IndicatorPeriod(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class Indicator(models.Model):
    """A chỉ tiêu: GRDP growth of at least 13% a year, aiming for 14%."""

    directive = models.ForeignKey(
        Directive,
        verbose_name=_("văn bản chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=32, blank=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    unit = models.CharField(_("đơn vị tính"), max_length=64)
    target = models.DecimalField(_("chỉ tiêu phải đạt"), max_digits=18, decimal_places=4)
    stretch_target = models.DecimalField(
        _("phấn đấu đạt"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    period = models.CharField(
        _("kỳ đánh giá"), max_length=16, choices=IndicatorPeriod, default=IndicatorPeriod.YEAR
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("đơn vị chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    tasks = models.ManyToManyField(
        Task, verbose_name=_("nhiệm vụ phục vụ"), blank=True, related_name="indicators"
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["directive", "code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="indicator_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(stretch_target__isnull=True)
                | Q(higher_is_better=True, stretch_target__gte=F("target"))
                | Q(higher_is_better=False, stretch_target__lte=F("target")),
                name="indicator_stretch_beyond_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """The actual value of an indicator for one period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values"
    )
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    actual = models.DecimalField(_("thực hiện"), max_digits=18, decimal_places=4)
    note = models.TextField(_("ghi chú"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"), on_delete=models.PROTECT
    )
    reported_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="indicator_value_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="indicator_value_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual} ({self.period_start:%d/%m/%Y})"

    @property
    def meets_target(self) -> bool:
        if self.indicator.higher_is_better:
            return self.actual >= self.indicator.target
        return self.actual <= self.indicator.target


# --- Reminders (nhắc việc, đôn đốc) -----------------------------------------------------------


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Nhắc trước hạn")
    DUE_TODAY = "due_today", _("Nhắc đúng ngày đến hạn")
    OVERDUE = "overdue", _("Đôn đốc nhiệm vụ quá hạn")
    ESCALATION = "escalation", _("Báo cáo lãnh đạo nhiệm vụ quá hạn kéo dài")
    STALE = "stale", _("Nhắc cập nhật tiến độ")
    PERIODIC = "periodic", _("Nhắc báo cáo định kỳ")
    MANUAL = "manual", _("Nhắc việc của văn phòng")
    WEEKLY_DIGEST = "weekly_digest", _("Tổng hợp hằng tuần")
    MONTHLY_SUMMARY = "monthly_summary", _("Tổng hợp hằng tháng")


class RecipientRole(models.TextChoices):
    ASSIGNEE = "assignee", _("Chuyên viên được giao")
    HEAD = "head", _("Thủ trưởng cơ quan chủ trì")
    MAILBOX = "mailbox", _("Hộp thư chung của đơn vị")
    COORDINATOR = "coordinator", _("Cơ quan phối hợp")
    OFFICE = "office", _("Văn phòng theo dõi")
    LEADER = "leader", _("Lãnh đạo phụ trách")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    RETRYING = "retrying", _("Gửi lỗi, sẽ gửi lại")
    CANCELLED = "cancelled", _("Hủy (hạn đã thay đổi hoặc nhiệm vụ kết thúc)")


def _default_days_before() -> list[int]:
    return [7, 3, 1]


class ReminderPolicy(models.Model):
    """When to remind. One default for everything; a directive may have its own (urgent: daily)."""

    name = models.CharField(_("tên"), max_length=255)
    directive = models.OneToOneField(
        Directive,
        verbose_name=_("áp dụng riêng cho văn bản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        help_text=_(
            "Để trống: chính sách mặc định, áp dụng cho mọi văn bản không có chính sách riêng."
        ),
    )
    days_before = models.JSONField(
        _("nhắc trước hạn (ngày)"),
        default=_default_days_before,
        help_text=_("Danh sách số ngày trước hạn, ví dụ [7, 3, 1]."),
    )
    on_due_date = models.BooleanField(_("nhắc đúng ngày đến hạn"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("đôn đốc quá hạn mỗi (ngày)"), default=7, validators=[MinValueValidator(1)]
    )
    overdue_max_reminders = models.PositiveSmallIntegerField(
        _("số lần đôn đốc quá hạn tối đa"), default=52, validators=[MinValueValidator(1)]
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("báo cáo lãnh đạo sau (lần đôn đốc quá hạn)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Sau mỗi chừng ấy lần đôn đốc, văn phòng và lãnh đạo phụ trách được báo."),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("nhắc cập nhật khi không báo cáo (ngày)"), default=30, validators=[MinValueValidator(1)]
    )
    periodic_days_before = models.PositiveSmallIntegerField(
        _("nhắc báo cáo định kỳ trước (ngày)"), default=3
    )
    inform_coordinators = models.BooleanField(_("báo cơ quan phối hợp"), default=True)
    weekly_digest = models.BooleanField(_("gửi tổng hợp hằng tuần cho thủ trưởng"), default=True)
    monthly_summary = models.BooleanField(_("gửi tổng hợp hằng tháng cho lãnh đạo"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("chính sách nhắc việc")
        verbose_name_plural = _("chính sách nhắc việc")
        ordering = ["directive__issue_date", "name"]
        constraints = [
            # Exactly one default policy.
            models.UniqueConstraint(
                fields=["directive"],
                condition=Q(directive__isnull=True),
                name="reminder_policy_one_default",
                violation_error_message=_("Đã có chính sách nhắc việc mặc định."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(directive__isnull=True),
                name="reminder_policy_default_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        days = self.days_before
        if not isinstance(days, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 365 for d in days
        ):
            raise ValidationError(
                {"days_before": _("Nhập danh sách số ngày nguyên từ 1 đến 365, ví dụ [7, 3, 1].")}
            )
        self.days_before = sorted(set(days), reverse=True)


class ReminderDelivery(models.Model):
    """One reminder to one address. The unique key makes each reminder reach each recipient
    once, whatever beat, workers, retries or restarts do."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị nhận nhắc việc (để lọc và thống kê)."),
    )
    kind = models.CharField(_("loại nhắc việc"), max_length=32, choices=ReminderKind)
    sequence = models.PositiveIntegerField(
        _("lần"),
        default=0,
        help_text=_("Số ngày trước hạn, lần đôn đốc quá hạn thứ mấy, hoặc mã lần nhắc thủ công."),
    )
    computed_for = models.DateField(
        _("tính cho ngày"),
        help_text=_("Hạn (hoặc kỳ, tuần, tháng) mà lần nhắc này được tính theo."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminder_deliveries",
    )
    email = models.EmailField(_("địa chỉ nhận"))
    role = models.CharField(_("vai trò người nhận"), max_length=16, choices=RecipientRole)
    message = models.TextField(_("lời nhắn"), blank=True)
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=DeliveryState, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("lập lúc"))
    next_attempt_at = models.DateTimeField(
        _("gửi lúc"), help_text=_("Không gửi trước thời điểm này.")
    )
    claimed_at = models.DateTimeField(_("nhận xử lý lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    batch = models.UUIDField(
        _("lần quét"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Lần quét đã lập lượt nhắc này: chỉ lần đó ghi thông báo và dòng thời gian."),
    )

    class Meta:
        verbose_name = _("lượt nhắc việc")
        verbose_name_plural = _("lượt nhắc việc")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind", "sequence", "computed_for", "email"],
                condition=Q(task__isnull=False),
                name="reminder_delivery_once",
            ),
            # Digests have no task; NULLs never collide in a unique index, so they get their own.
            models.UniqueConstraint(
                fields=["kind", "sequence", "computed_for", "email"],
                condition=Q(task__isnull=True),
                name="reminder_digest_once",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # The sender: WHERE state IN ('pending','retrying') AND next_attempt_at <= now.
            models.Index(
                fields=["next_attempt_at"],
                name="reminder_due_to_send_idx",
                condition=Q(state__in=["pending", "retrying"]),
            ),
            # The task page and the moved-deadline cancel: WHERE task_id = ? AND state = ….
            models.Index(fields=["task", "state"], name="reminder_task_state_idx"),
            # record(): the rows this scan inserted, WHERE batch = ?.
            models.Index(fields=["batch"], name="reminder_batch_idx"),
            # Reclaiming a crashed worker's batch: WHERE state = 'sending' AND claimed_at < ?.
            models.Index(
                fields=["claimed_at"],
                name="reminder_stuck_idx",
                condition=Q(state="sending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email} ({self.get_state_display()})"


class Notification(models.Model):
    """The in-app copy of what concerns a person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    delivery = models.OneToOneField(
        ReminderDelivery,
        verbose_name=_("lượt nhắc việc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification",
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField(_("lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The notification list and its unread count: WHERE user_id = ? ORDER BY created_at.
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
        ]

    def __str__(self) -> str:
        return self.title


# --- Scoring and rankings (Nghị định 335/2025/NĐ-CP) -----------------------------------------


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class Grade(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "tot", _("Hoàn thành tốt nhiệm vụ")
    PASS = "hoan_thanh", _("Hoàn thành nhiệm vụ")
    FAIL = "khong_hoan_thanh", _("Không hoàn thành nhiệm vụ")


class ScoringRules(models.Model):
    """The weights of the score. Defaults from Nghị định 335/2025; a province may adjust them."""

    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    general_points = models.DecimalField(
        _("điểm tiêu chí chung"), max_digits=5, decimal_places=2, default=30
    )
    quantity_points = models.DecimalField(
        _("điểm số lượng nhiệm vụ"), max_digits=5, decimal_places=2, default=21
    )
    quality_points = models.DecimalField(
        _("điểm chất lượng"), max_digits=5, decimal_places=2, default=21
    )
    progress_points = models.DecimalField(
        _("điểm tiến độ"), max_digits=5, decimal_places=2, default=28
    )
    delay_penalty = models.DecimalField(
        _("mỗi lần chậm trừ (tỷ lệ điểm tiến độ của nhiệm vụ)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.25"),
    )
    error_penalty = models.DecimalField(
        _("mỗi lỗi lớn trừ (tỷ lệ điểm chất lượng của nhiệm vụ)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.25"),
    )
    count_returns_as_errors = models.BooleanField(
        _("mỗi lần bị trả lại tính là một lỗi lớn"), default=False
    )
    excellent_from = models.DecimalField(
        _("xuất sắc từ (điểm)"), max_digits=5, decimal_places=2, default=90
    )
    good_from = models.DecimalField(_("tốt từ (điểm)"), max_digits=5, decimal_places=2, default=70)
    pass_from = models.DecimalField(
        _("hoàn thành từ (điểm)"), max_digits=5, decimal_places=2, default=50
    )
    excellent_cap = models.DecimalField(
        _("tỷ lệ xuất sắc tối đa trong số đạt tốt trở lên"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.20"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ tiêu chí chấm điểm")
        verbose_name_plural = _("bộ tiêu chí chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="scoring_one_active"
            ),
            models.CheckConstraint(
                condition=Q(pass_from__lte=F("good_from"), good_from__lte=F("excellent_from")),
                name="scoring_grades_ordered",
            ),
            models.CheckConstraint(
                condition=Q(delay_penalty__gte=0, delay_penalty__lte=1)
                & Q(error_penalty__gte=0, error_penalty__lte=1)
                & Q(excellent_cap__gte=0, excellent_cap__lte=1),
                name="scoring_shares_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def task_points(self) -> Decimal:
        return self.quantity_points + self.quality_points + self.progress_points

    def clean(self) -> None:
        super().clean()
        total = self.general_points + self.task_points
        if total != 100:
            raise ValidationError(
                _("Tổng điểm các tiêu chí phải bằng 100 (hiện là %(total)s).") % {"total": total}
            )


class ReportingPeriod(models.Model):
    """A month, quarter or year of rating. Closing it (chốt kỳ) freezes its results."""

    kind = models.CharField(_("loại kỳ"), max_length=16, choices=PeriodKind)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    closed_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chốt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rules_snapshot = models.JSONField(_("bộ tiêu chí khi chốt"), default=dict, blank=True)

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_ordered"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_by__isnull=False),
                name="period_closed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return gettext("Tháng %(m)02d/%(y)d") % {"m": self.start.month, "y": self.start.year}
        if self.kind == PeriodKind.QUARTER:
            quarter = deadlines.QUARTER_ROMAN[(self.start.month - 1) // 3 + 1]
            return gettext("Quý %(q)s/%(y)d") % {"q": quarter, "y": self.start.year}
        return gettext("Năm %(y)d") % {"y": self.start.year}

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class GeneralCriteriaScore(models.Model):
    """The 30 points of general criteria, entered by the office for a department and period."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ"), on_delete=models.CASCADE, related_name="general"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)
    note = models.TextField(_("nhận xét"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chấm"), on_delete=models.PROTECT
    )
    entered_at = models.DateTimeField(_("chấm lúc"))

    class Meta:
        verbose_name = _("điểm tiêu chí chung")
        verbose_name_plural = _("điểm tiêu chí chung")
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="general_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="general_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.points}"


class PeriodResult(models.Model):
    """A department's published figures and score for a closed period; never recomputed."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="results"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    head_name = models.CharField(_("thủ trưởng"), max_length=255, blank=True)
    figures = models.JSONField(_("số liệu"), default=dict)
    general_points = models.DecimalField(_("tiêu chí chung"), max_digits=6, decimal_places=2)
    quantity_points = models.DecimalField(_("số lượng"), max_digits=6, decimal_places=2)
    quality_points = models.DecimalField(_("chất lượng"), max_digits=6, decimal_places=2)
    progress_points = models.DecimalField(_("tiến độ"), max_digits=6, decimal_places=2)
    total = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("xếp loại"), max_length=32, choices=Grade)
    capped = models.BooleanField(_("hạ loại do giới hạn tỷ lệ xuất sắc"), default=False)
    rank = models.PositiveIntegerField(_("thứ hạng"))

    class Meta:
        verbose_name = _("kết quả kỳ đánh giá")
        verbose_name_plural = _("kết quả kỳ đánh giá")
        ordering = ["period", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="period_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} – {self.department}: {self.total}"


# --- Calendar feeds (lịch hạn nhiệm vụ) -------------------------------------------------------


class CalendarScope(models.TextChoices):
    PERSONAL = "personal", _("Của tôi")
    DEPARTMENT = "department", _("Của đơn vị")


class CalendarFeed(models.Model):
    """A secret iCalendar address of the deadlines a person is concerned with. Whoever holds
    the token reads the feed without signing in: renewing it revokes the old address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    scope = models.CharField(_("phạm vi"), max_length=16, choices=CalendarScope)
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch hạn nhiệm vụ")
        verbose_name_plural = _("lịch hạn nhiệm vụ")
        ordering = ["user", "scope", "-created_at"]
        constraints = [
            # One live address per person and scope; revoked ones stay as a record.
            models.UniqueConstraint(
                fields=["user", "scope"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_scope_display()}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


# --- Tasks proposed from a directive's text --------------------------------------------------


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận, đã tạo nhiệm vụ")
    DISCARDED = "discarded", _("Đã hủy")


class TaskProposalBatch(models.Model):
    """The tasks read from a directive's text (tracker/extraction.py), kept until the office
    confirms them. The clerk's corrections are kept beside the proposals so the reading can
    be measured against what people actually assigned."""

    directive = models.ForeignKey(
        Directive,
        verbose_name=_("văn bản chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="proposal_batches",
    )
    source_name = models.CharField(
        _("tệp nguồn"), max_length=255, blank=True, help_text=_("Để trống khi dán văn bản.")
    )
    text = models.TextField(_("nội dung văn bản đã đọc"))
    proposals = models.JSONField(_("nhiệm vụ đề xuất"), default=list)
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=ProposalState, default=ProposalState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đọc"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("đọc lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    corrections = models.JSONField(
        _("chỉnh sửa của người xác nhận"),
        default=list,
        blank=True,
        help_text=_(
            "Mỗi đề xuất: có được chọn không, các trường đã sửa từ giá trị nào sang giá trị nào."
        ),
    )
    created_tasks = models.JSONField(_("nhiệm vụ đã tạo"), default=list, blank=True)

    class Meta:
        verbose_name = _("đề xuất nhiệm vụ từ văn bản")
        verbose_name_plural = _("đề xuất nhiệm vụ từ văn bản")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft", decided_at__isnull=True)
                | (~Q(state="draft") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="proposal_decision_recorded",
            ),
        ]

    def __str__(self) -> str:
        return _("%(directive)s – %(n)d đề xuất") % {
            "directive": self.directive,
            "n": len(self.proposals),
        }


class FigureSnapshot(models.Model):
    """Số liệu tổng hợp đã tính: a city-wide aggregate kept for its next readers.

    At a million tasks the dashboard's and the ranking's figures take the database seconds
    (bench/README.md, "Performance"); computed once, they are served from here for
    FIGURES_KEEP_SECONDS while the worker computes them again (tracker/figures.py)."""

    key = models.CharField(_("khoá"), max_length=255, unique=True)
    kind = models.CharField(_("loại số liệu"), max_length=32)
    params = models.JSONField(_("tham số"), default=dict)
    value = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("tính lúc"))
    took_ms = models.PositiveIntegerField(_("thời gian tính (ms)"))
    read_at = models.DateTimeField(_("đọc lần cuối"))

    class Meta:
        verbose_name = _("số liệu tổng hợp đã tính")
        verbose_name_plural = _("số liệu tổng hợp đã tính")
        indexes = [models.Index(fields=["read_at"], name="figure_read_idx")]

    def __str__(self) -> str:
        return self.key
