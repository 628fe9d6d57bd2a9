"""Tasks proposed from a directive's text, through the API (tracker/proposals.py).

POST /api/v1/directives/<pk>/proposals/   the text (JSON or form) or a .docx/.pdf/.txt file
GET  /api/v1/proposals/<pk>/              the reading and its proposed tasks
POST /api/v1/proposals/<pk>/confirm/      the chosen tasks as corrected: all created, or none
POST /api/v1/proposals/<pk>/discard/      nothing created

Each confirmed task is checked by the admin page's form (tracker.forms.ProposalForm), so the
deadline is typed as agencies write it and read by the same parser."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department

from .. import proposals
from ..errors import NotPermitted, WorkflowError
from ..forms import ProposalForm, check_proposal_upload
from ..models import Directive, TaskProposalBatch
from .serializers import ErrorSerializer


class ReadRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, help_text="Nội dung văn bản")
    file = serializers.FileField(required=False, help_text="Tệp .docx, .pdf (có lớp chữ) hoặc .txt")


class CandidateSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()


class MentionSerializer(serializers.Serializer):
    words = serializers.CharField(help_text="Như viết trong văn bản")
    department_id = serializers.IntegerField(allow_null=True, help_text="Đơn vị khớp chắc chắn")
    candidates = CandidateSerializer(many=True)
    group = serializers.CharField(help_text="Loại đơn vị khi giao cho cả nhóm, ví dụ ubnd_cap_xa")


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="date, month, quarter, year, continuous, periodic; rỗng")
    due_date = serializers.DateField(allow_null=True)
    frequency = serializers.CharField()
    event = serializers.CharField(help_text="Thời hạn gắn với sự kiện, chưa có ngày")
    time = serializers.CharField(allow_null=True)


class ProposalSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Số thứ tự đề xuất, từ 0")
    item_number = serializers.CharField()
    group = serializers.CharField()
    content = serializers.CharField()
    source = serializers.CharField(help_text="Câu trong văn bản mà đề xuất được đọc từ đó")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    lead = MentionSerializer(allow_null=True)
    coordinators = MentionSerializer(many=True)
    output_kind = serializers.CharField()
    output_description = serializers.CharField()
    deadline_text = serializers.CharField()
    deadline = DeadlineSerializer(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    flag_codes = serializers.ListField(child=serializers.CharField())
    suggested = serializers.DictField(help_text="Giá trị gợi ý cho bước xác nhận")


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    directive = serializers.IntegerField()
    state = serializers.CharField()
    source_name = serializers.CharField()
    text = serializers.CharField()
    proposals = ProposalSerializer(many=True)
    created_tasks = serializers.ListField(child=serializers.IntegerField())


class DecisionSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0)
    chosen = serializers.BooleanField(default=True)
    item_number = serializers.CharField(required=False, allow_blank=True)
    content = serializers.CharField(required=False, allow_blank=True)
    lead = serializers.CharField(
        required=False, allow_blank=True, help_text="Id đơn vị, hoặc nhom:<loại đơn vị>"
    )
    coordinators = serializers.ListField(child=serializers.CharField(), required=False)
    output_kind = serializers.CharField(required=False, allow_blank=True)
    output_description = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.CharField(
        required=False, allow_blank=True, help_text="15/12/2025, Quý II/2026, Thường xuyên…"
    )


class ConfirmRequestSerializer(serializers.Serializer):
    decisions = DecisionSerializer(many=True, help_text="Đề xuất không nêu là không tạo")


class ConfirmResultSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField(), help_text="Id nhiệm vụ")


def _refused(message: str, code: str, http: int, errors: Any = None) -> Response:
    body: dict[str, Any] = {"detail": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=http)


def _forbidden() -> Response:
    return _refused(
        _("Chỉ văn phòng theo dõi được đọc văn bản để đề xuất nhiệm vụ."),
        "not_permitted",
        status.HTTP_403_FORBIDDEN,
    )


def batch_data(batch: TaskProposalBatch) -> dict[str, Any]:
    items = proposals.proposals_of(batch)
    rows = []
    for index, item in enumerate(items):
        row = item.as_dict()
        row["index"] = index
        row["suggested"] = proposals.initial_values(item)
        rows.append(row)
    return {
        "id": batch.pk,
        "directive": batch.directive_id,
        "state": batch.state,
        "source_name": batch.source_name,
        "text": batch.text,
        "proposals": rows,
        "created_tasks": batch.created_tasks,
    }


def _office_batch(request: Request, pk: int) -> TaskProposalBatch:
    directives = Directive.objects.visible_to(request.user)
    return get_object_or_404(TaskProposalBatch.objects.filter(directive__in=directives), pk=pk)


class DirectiveProposals(APIView):
    """Read a directive's text and propose its tasks; creates no task."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={
            "application/json": ReadRequestSerializer,
            "multipart/form-data": ReadRequestSerializer,
        },
        responses={
            201: BatchSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
        if not request.user.is_office:
            return _forbidden()
        form = ReadRequestSerializer(data=request.data)
        if not form.is_valid():
            return _refused(_("Dữ liệu không hợp lệ."), "invalid", 400, form.errors)
        upload = form.validated_data.get("file")
        text = form.validated_data.get("text") or ""
        if upload is not None:
            try:
                check_proposal_upload(upload)
            except DjangoValidationError as error:
                return _refused(error.messages[0], "invalid", 400, {"file": error.messages})
        try:
            batch = proposals.read(
                directive=directive,
                actor=request.user,
                text=text,
                data=upload.read() if upload is not None else None,
                name=upload.name if upload is not None else "",
            )
        except NotPermitted:
            return _forbidden()
        except WorkflowError as error:
            errors = {error.field: [error.message]} if error.field else None
            return _refused(error.message, error.code, 400, errors)
        return Response(batch_data(batch), status=status.HTTP_201_CREATED)


class ProposalBatchDetail(APIView):
    @extend_schema(responses={200: BatchSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.is_office:
            return _forbidden()
        return Response(batch_data(_office_batch(request, pk)))


class ProposalBatchConfirm(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=ConfirmRequestSerializer,
        responses={
            201: ConfirmResultSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        if not request.user.is_office:
            return _forbidden()
        batch = _office_batch(request, pk)
        payload = ConfirmRequestSerializer(data=request.data)
        if not payload.is_valid():
            return _refused(_("Dữ liệu không hợp lệ."), "invalid", 400, payload.errors)
        departments = list(Department.objects.active().order_by("name"))
        decisions, errors = [], {}
        for row in payload.validated_data["decisions"]:
            data = {k: v for k, v in row.items() if k != "index"}
            data["chosen"] = "on" if row.get("chosen", True) else ""
            form = ProposalForm(data, departments=departments)
            if form.is_valid():
                decisions.append(proposals.decision_from_form(row["index"], form.cleaned_data))
            else:
                errors[str(row["index"])] = form.errors
        if errors:
            return _refused(
                _("Còn lỗi ở một số nhiệm vụ; chưa nhiệm vụ nào được tạo."), "invalid", 400, errors
            )
        try:
            created = proposals.confirm(batch=batch, actor=request.user, decisions=decisions)
        except NotPermitted:
            return _forbidden()
        except WorkflowError as error:
            http = 409 if error.code == "conflict" else 400
            return _refused(error.message, error.code, http)
        return Response({"created": [t.pk for t in created]}, status=status.HTTP_201_CREATED)


class ProposalBatchDiscard(APIView):
    @extend_schema(
        request=None,
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        if not request.user.is_office:
            return _forbidden()
        batch = _office_batch(request, pk)
        try:
            proposals.discard(batch=batch, actor=request.user)
        except WorkflowError as error:
            return _refused(error.message, error.code, 409)
        return Response(status=status.HTTP_204_NO_CONTENT)
