"""The REST API under /api/v1/: what a department or the office does on the pages, for other
systems. Querysets start from ``visible_to(user)`` (another department's task is a 404) and the
workflow steps go through tracker/steps.py, the same forms and services as the pages, so the
same Vietnamese messages come back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department, User

from .. import deadlines, scoring, statistics, steps
from ..directives import directive_chain
from ..errors import NotPermitted, WorkflowError
from ..forms import STEP_FORMS
from ..models import (
    Attachment,
    Directive,
    Event,
    ExtensionRequest,
    PeriodKind,
    ProgressReport,
    Task,
    TaskCoordination,
    TaskState,
)
from ..permissions import Step, check
from ..timeliness import Bucket
from . import serializers as s


class Pages(CursorPagination):
    """Cursor pages: as fast on page 1,000 as on page 1, and stable while rows are added."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-id",)


def _date(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
        if deadlines.PLAUSIBLE_YEARS[0] <= day.year <= deadlines.PLAUSIBLE_YEARS[1]:
            return day
        break
    raise ValidationError({name: [f"Ngày “{raw}” không hợp lệ: dùng YYYY-MM-DD hoặc dd/mm/yyyy."]})


def _integer(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"“{raw}” không phải là số."]}) from None
    # An id is a positive 64-bit integer; a larger number would overflow the database's.
    if not 1 <= value <= 2**63 - 1:
        raise ValidationError({name: [f"“{raw}” không phải là mã hợp lệ."]})
    return value


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.MeSerializer(request.user).data)


class DepartmentList(generics.ListAPIView):
    serializer_class = s.DepartmentSerializer
    pagination_class = Pages
    # Department names and codes are public within the city: every account may read them.
    queryset = Department.objects.all()


class DirectiveList(generics.ListAPIView):
    serializer_class = s.DirectiveSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Directive]:
        return Directive.objects.visible_to(self.request.user)


class DirectiveDetail(generics.RetrieveAPIView):
    serializer_class = s.DirectiveDetailSerializer

    def get_queryset(self) -> QuerySet[Directive]:
        return Directive.objects.visible_to(self.request.user)

    def get_object(self) -> Directive:
        directive = super().get_object()
        visible = set(Directive.objects.visible_to(self.request.user).values_list("pk", flat=True))
        # The chain above is public law; the documents below show only where visible.
        directive.chain = directive_chain(directive)
        directive.visible_implemented_by = [
            d for d in directive.implemented_by.all() if d.pk in visible
        ]
        return directive


TASK_FILTERS = [
    OpenApiParameter("van_ban", int, description="Văn bản chỉ đạo (id)"),
    OpenApiParameter("don_vi", int, description="Đơn vị (id), cùng vai_tro"),
    OpenApiParameter(
        "vai_tro", str, enum=["chu_tri", "phoi_hop"], description="Vai trò của đơn vị"
    ),
    OpenApiParameter("trang_thai", str, enum=TaskState.values),
    OpenApiParameter("tien_do", str, enum=Bucket.values),
    OpenApiParameter("han_tu", OpenApiTypes.DATE),
    OpenApiParameter("han_den", OpenApiTypes.DATE),
    OpenApiParameter("q", str, description="Tìm trong nội dung, sản phẩm, số ký hiệu"),
]


class TaskList(generics.ListAPIView):
    serializer_class = s.TaskSerializer
    pagination_class = Pages

    @extend_schema(parameters=TASK_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Task]:
        request = self.request
        tasks = Task.objects.visible_to(request.user).with_timeliness()
        params = request.query_params
        if (directive := _integer(request, "van_ban")) is not None:
            tasks = tasks.filter(directive_id=directive)
        if (department := _integer(request, "don_vi")) is not None:
            role = params.get("vai_tro", "chu_tri")
            if role == "chu_tri":
                tasks = tasks.filter(lead_department_id=department)
            elif role == "phoi_hop":
                tasks = tasks.filter(coordinations__department_id=department)
            else:
                raise ValidationError({"vai_tro": ["Chọn chu_tri hoặc phoi_hop."]})
        if state := params.get("trang_thai"):
            if state not in TaskState.values:
                raise ValidationError({"trang_thai": [f"Trạng thái “{state}” không có."]})
            tasks = tasks.filter(state=state)
        if bucket := params.get("tien_do"):
            if bucket not in Bucket.values:
                raise ValidationError({"tien_do": [f"Tiến độ “{bucket}” không có."]})
            tasks = tasks.filter(timeliness=bucket)
        if start := _date(request, "han_tu"):
            tasks = tasks.filter(due_date__gte=start)
        if end := _date(request, "han_den"):
            tasks = tasks.filter(due_date__lte=end)
        if query := params.get("q", "").strip():
            tasks = tasks.filter(
                Q(content__icontains=query)
                | Q(output_description__icontains=query)
                | Q(directive__symbol__icontains=query)
            )
        return tasks.select_related("directive", "lead_department")


def _visible_task(request: Request, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user)
        .with_timeliness()
        .select_related("directive", "lead_department")
        .prefetch_related(
            Prefetch(
                "coordinations", queryset=TaskCoordination.objects.select_related("department")
            ),
            "assignees",
        ),
        pk=pk,
    )


class TaskDetail(APIView):
    @extend_schema(responses={200: s.TaskDetailSerializer, 404: s.ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        task = _visible_task(request, pk)
        return Response(s.TaskDetailSerializer(task, context={"request": request}).data)


class TaskEvents(generics.ListAPIView):
    serializer_class = s.EventSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Event]:
        task = _visible_task(self.request, self.kwargs["pk"])
        return Event.objects.filter(task=task).select_related("actor").order_by("at", "id")


class TaskReports(generics.ListAPIView):
    serializer_class = s.ReportSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[ProgressReport]:
        task = _visible_task(self.request, self.kwargs["pk"])
        return (
            ProgressReport.objects.filter(task=task)
            .select_related("department", "author")
            .prefetch_related("attachments")
        )


class TaskExtensions(generics.ListAPIView):
    serializer_class = s.ExtensionSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        task = _visible_task(self.request, self.kwargs["pk"])
        return ExtensionRequest.objects.filter(task=task)


class TaskAttachments(generics.ListAPIView):
    serializer_class = s.AttachmentSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        task = _visible_task(self.request, self.kwargs["pk"])
        return task.attachments.all()


ACTION_ERRORS = {
    400: OpenApiResponse(
        s.ErrorSerializer, description="Dữ liệu không hợp lệ; không có gì thay đổi."
    ),
    403: OpenApiResponse(s.ErrorSerializer, description="Không có quyền thực hiện bước này."),
    404: OpenApiResponse(
        s.ErrorSerializer, description="Không có nhiệm vụ này (hoặc không được xem)."
    ),
    409: OpenApiResponse(s.ErrorSerializer, description="Bước này không mở ở trạng thái hiện tại."),
}


class TaskAction(APIView):
    """A workflow step: the same form fields as the task page, the same service behind it."""

    @extend_schema(
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": OpenApiTypes.OBJECT,
        },
        parameters=[
            OpenApiParameter("step", str, OpenApiParameter.PATH, enum=[s.value for s in STEP_FORMS])
        ],
        responses={200: s.TaskDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        task = _visible_task(request, pk)
        try:
            chosen = Step(step)
        except ValueError:
            raise NotFound(f"Không có bước “{step}”.") from None
        if chosen not in STEP_FORMS:
            raise NotFound(f"Không có bước “{step}”.")
        try:
            check(request.user, task, chosen)
        except NotPermitted as error:
            return Response({"detail": error.message, "code": error.code}, status=403)
        except WorkflowError as error:
            return Response({"detail": error.message, "code": error.code}, status=409)
        data = request.data
        form = steps.step_form(chosen, task, data, request.FILES)
        if not form.is_valid():
            return Response(
                {"detail": "Dữ liệu không hợp lệ.", "code": "invalid", "errors": form.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            steps.take_step(
                chosen, task, request.user, form.cleaned_data, steps.pending_extension(task)
            )
        except NotPermitted as error:
            return Response(
                {"detail": error.message, "code": error.code}, status=status.HTTP_403_FORBIDDEN
            )
        except WorkflowError as error:
            body: dict[str, Any] = {"detail": error.message, "code": error.code}
            if error.field:
                body["errors"] = {error.field: [error.message]}
            conflict = error.code in {
                "wrong_state",
                "already_evaluated",
                "already_decided",
                "duplicate",
            }
            return Response(
                body, status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
            )
        task = _visible_task(request, pk)
        return Response(s.TaskDetailSerializer(task, context={"request": request}).data)


PERIOD_PARAMS = [
    OpenApiParameter("tu", OpenApiTypes.DATE, required=True, description="Đầu kỳ"),
    OpenApiParameter("den", OpenApiTypes.DATE, required=True, description="Cuối kỳ"),
    OpenApiParameter("theo", str, enum=["don_vi", "van_ban"], description="Nhóm theo"),
    OpenApiParameter("han", str, enum=["hien_tai", "ban_dau"], description="So với hạn nào"),
]


class Statistics(APIView):
    """The standard table for a period, per lead department or per directive."""

    @extend_schema(parameters=PERIOD_PARAMS, responses=s.StatisticsRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        start, end = _date(request, "tu"), _date(request, "den")
        if start is None or end is None or start > end:
            raise ValidationError({"tu": ["Cần đầu kỳ và cuối kỳ, đầu kỳ không sau cuối kỳ."]})
        group = {"don_vi": "lead_department", "van_ban": "directive"}.get(
            request.query_params.get("theo", "don_vi")
        )
        if group is None:
            raise ValidationError({"theo": ["Chọn don_vi hoặc van_ban."]})
        against = "original" if request.query_params.get("han") == "ban_dau" else "current"
        tables = statistics.table_by(
            Task.objects.visible_to(request.user), start, end, group=group, against=against
        )
        model = Department if group == "lead_department" else Directive
        names = {o.pk: str(o) for o in model.objects.filter(pk__in=tables)}
        rows = [
            {"id": pk, "name": names.get(pk, ""), "table": s.table_data(table)}
            for pk, table in sorted(tables.items(), key=lambda item: names.get(item[0], ""))
        ]
        return Response(s.StatisticsRowSerializer(rows, many=True).data)


class Ranking(APIView):
    """The Nghị định 335 ranking of a period: published if closed, live otherwise."""

    @extend_schema(
        parameters=[
            OpenApiParameter("ky", str, enum=PeriodKind.values, required=True),
            OpenApiParameter(
                "ngay", OpenApiTypes.DATE, required=True, description="Một ngày trong kỳ"
            ),
        ],
        responses={200: s.RankingRowSerializer(many=True), 404: s.ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        user: User = request.user
        if not user.sees_every_department:
            raise Http404
        kind = request.query_params.get("ky", "")
        day = _date(request, "ngay")
        if kind not in PeriodKind.values or day is None:
            raise ValidationError({"ky": ["Cần ky (month, quarter, year) và ngay."]})
        start, _end = scoring.period_bounds(kind, day)
        rows = [
            {
                "rank": score.rank,
                "department": score.department,
                "head_name": score.head_name,
                "table": s.table_data(score.table),
                "general": score.general,
                "quantity": score.quantity,
                "quality": score.quality,
                "progress": score.progress,
                "total": score.total,
                "grade": score.grade,
                "capped": score.capped,
            }
            for score in scoring.ranking(scoring.period_for(kind, start))
        ]
        return Response(s.RankingRowSerializer(rows, many=True).data)


class AttachmentDownload(APIView):
    """A file, after the same visibility check as its task (for token callers too)."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: s.ErrorSerializer}
    )
    def get(self, request: Request, token: str) -> FileResponse:
        attachment = (
            Attachment.objects.filter(
                token=token, task__in=Task.objects.visible_to(request.user).values("pk")
            )
            .only("file", "original_name", "content_type")
            .first()
        )
        if attachment is None:
            raise NotFound("Không có tệp này.")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise NotFound("Tệp không còn trên máy chủ.") from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type or "application/octet-stream",
        )
