"""POST /api/v1/directives/<pk>/import/: a plan's task table, read as a dry run or committed.

The same reading and the same all-or-none commit as the admin page (tracker/imports.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import imports
from ..errors import NotPermitted, WorkflowError
from ..models import Directive
from .serializers import ErrorSerializer


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Bảng nhiệm vụ .xlsx hoặc .csv (UTF-8), tối đa 5 MB")
    dry_run = serializers.BooleanField(
        default=True, help_text="Mặc định chỉ đọc thử; false để tạo nhiệm vụ"
    )


class ImportDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Số dòng trong tệp")
    status = serializers.ChoiceField(
        choices=["new", "existing", "group", "invalid"],
        help_text="new: sẽ tạo; existing: đã có; group: dòng nhóm; invalid: có lỗi",
    )
    cells = serializers.DictField(child=serializers.CharField(), help_text="Các ô như đã đọc")
    errors = serializers.ListField(child=serializers.CharField())
    item_number = serializers.CharField()
    group = serializers.CharField()
    content = serializers.CharField()
    lead_department = ImportDepartmentSerializer(allow_null=True)
    coordinators = ImportDepartmentSerializer(many=True)
    output_kind = serializers.CharField()
    output_description = serializers.CharField()
    deadline_kind = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    deadline_label = serializers.CharField()
    report_frequency = serializers.CharField()


class ImportSummarySerializer(serializers.Serializer):
    new = serializers.IntegerField()
    existing = serializers.IntegerField()
    groups = serializers.IntegerField()
    invalid = serializers.IntegerField()


class ImportPlanSerializer(serializers.Serializer):
    directive = serializers.IntegerField()
    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField(), help_text="Lỗi của cả tệp")
    summary = ImportSummarySerializer()
    rows = ImportRowSerializer(many=True)
    detail = serializers.CharField(required=False)


class ImportResultSerializer(ImportPlanSerializer):
    created = serializers.ListField(child=serializers.IntegerField(), help_text="Id nhiệm vụ")


class DirectiveImport(APIView):
    """Read a task table into a directive: a dry run by default, all rows or none on commit."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportPlanSerializer,
            201: ImportResultSerializer,
            400: ImportPlanSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
        if not request.user.is_office:
            return Response(
                {
                    "detail": _("Chỉ văn phòng theo dõi được nhập bảng nhiệm vụ."),
                    "code": "not_permitted",
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        form = ImportRequestSerializer(data=request.data)
        if not form.is_valid():
            return Response(
                {"detail": _("Dữ liệu không hợp lệ."), "code": "invalid", "errors": form.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        upload = form.validated_data["file"]
        if upload.size > imports.IMPORT_MAX_BYTES:
            message = _("Tệp lớn hơn mức cho phép %(limit)d MB.") % {
                "limit": imports.IMPORT_MAX_BYTES // (1024 * 1024)
            }
            return Response(
                {"detail": message, "code": "invalid", "errors": {"file": [message]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        plan = imports.plan_from_file(directive, upload.read(), upload.name or "")
        body = plan.as_dict()
        if not plan.is_valid:
            body["detail"] = _("Bảng nhiệm vụ có lỗi; chưa nhiệm vụ nào được tạo.")
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if form.validated_data["dry_run"]:
            return Response(body)
        try:
            created = imports.import_commit(directive=directive, plan=plan, actor=request.user)
        except NotPermitted as error:
            return Response(
                {"detail": error.message, "code": error.code}, status=status.HTTP_403_FORBIDDEN
            )
        except WorkflowError as error:
            body["detail"] = error.message
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body["created"] = [task.pk for task in created]
        return Response(body, status=status.HTTP_201_CREATED)
