"""The department pages: what staff, heads, leaders and inspectors work from every day.

Every queryset starts from ``visible_to(request.user)``: a task of another department is a 404
here, in its files and in the Excel rows alike. Every action calls the step dispatcher of
tracker/steps.py, which calls the same services as the admin.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Department, User
from accounts.roles import Role

from . import exports, notifications, statistics, steps, timeliness
from .directives import directive_chain, search_directives
from .errors import WorkflowError
from .forms import STEP_FORMS, TaskFilterForm, add_workflow_error
from .models import (
    Directive,
    Event,
    ExtensionRequest,
    Notification,
    ProgressReport,
    ResultSubmission,
    Task,
    TaskCoordination,
    TaskState,
)
from .permissions import Step, allowed_steps
from .timeliness import Bucket

# --- The task lists ---------------------------------------------------------------------------

SCOPES: dict[str, Any] = {
    "tat-ca": gettext_lazy("Tất cả"),
    "chu-tri": gettext_lazy("Đơn vị chủ trì"),
    "phoi-hop": gettext_lazy("Đơn vị phối hợp"),
    "cua-toi": gettext_lazy("Giao cho tôi"),
    "tra-lai": gettext_lazy("Bị trả lại"),
    "cho-danh-gia": gettext_lazy("Chờ đánh giá"),
}
DEPARTMENT_SCOPES = ("chu-tri", "phoi-hop", "cua-toi")
SORTS = {
    "han": ("due_date", "id"),
    "-han": ("-due_date", "-id"),
    "-cap-nhat": ("-updated_at", "-id"),
    "tien-do": ("progress_percent", "due_date", "id"),
}


def scopes_for(user: User) -> dict[str, Any]:
    if user.sees_every_department:
        return {k: v for k, v in SCOPES.items() if k not in DEPARTMENT_SCOPES}
    return SCOPES


def scoped_tasks(user: User, scope: str) -> QuerySet[Task]:
    tasks = Task.objects.visible_to(user)
    match scope:
        case "chu-tri":
            return tasks.filter(lead_department_id=user.department_id)
        case "phoi-hop":
            return tasks.filter(coordinations__department_id=user.department_id)
        case "cua-toi":
            return tasks.filter(assignees=user)
        case "tra-lai":
            return tasks.filter(state=TaskState.RETURNED)
        case "cho-danh-gia":
            return tasks.filter(state=TaskState.SUBMITTED)
    return tasks


def filter_tasks(tasks: QuerySet[Task], form: TaskFilterForm) -> QuerySet[Task]:
    """Apply the valid filters; an invalid one is shown as an error and left out."""
    data = form.cleaned_data if form.is_bound else {}
    if query := (data.get("q") or "").strip():
        tasks = tasks.filter(
            Q(content__icontains=query)
            | Q(output_description__icontains=query)
            | Q(directive__symbol__icontains=query)
            | Q(item_number=query)
        )
    if data.get("van_ban"):
        tasks = tasks.filter(directive=data["van_ban"])
    if data.get("trang_thai"):
        tasks = tasks.filter(state=data["trang_thai"])
    if data.get("don_vi"):
        tasks = tasks.filter(lead_department=data["don_vi"])
    if data.get("nguoi"):
        tasks = tasks.filter(assignees=data["nguoi"])
    if data.get("han_tu"):
        tasks = tasks.filter(due_date__gte=data["han_tu"])
    if data.get("han_den"):
        tasks = tasks.filter(due_date__lte=data["han_den"])
    if data.get("tien_do"):
        tasks = tasks.filter(timeliness__in=data["tien_do"])
    if data.get("chi_tieu"):
        tasks = tasks.filter(indicators=data["chi_tieu"])
    return tasks.order_by(*SORTS.get(data.get("sap_xep") or "han", SORTS["han"]))


def _list_state(request: HttpRequest) -> tuple[str, TaskFilterForm, QuerySet[Task]]:
    user = request.user
    allowed = scopes_for(user)
    scope = request.GET.get("pham_vi", "tat-ca")
    if scope not in allowed:
        scope = "tat-ca"
    form = TaskFilterForm(request.GET or None, user=user)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
    data = form.cleaned_data if form.is_bound else {}
    tasks, as_of = scoped_tasks(user, scope), None
    if data.get("ky_tu") and data.get("ky_den"):
        # A figure of the dashboard: that period's tasks, as they stood at its end.
        tasks = statistics.in_period(tasks, data["ky_tu"], data["ky_den"])
        as_of = data["ky_den"]
    against = "original" if data.get("theo_han") == "ban_dau" else "current"
    return scope, form, tasks.with_timeliness(as_of=as_of, against=against)


def department_parts(user: User, scope: str, tasks: QuerySet[Task]) -> list[QuerySet[Task]]:
    """A department's whole list as two disjoint parts: the tasks it leads, and those it only
    coordinates. Asked as one "leads OR coordinates", the database reads every task of the
    city (450 ms at a million tasks); each part alone is read by index, the first from the
    index alone (task_lead_list_idx; bench/README.md, "Performance")."""
    if user.sees_every_department or user.department_id is None or scope != "tat-ca":
        return [tasks]
    department = user.department_id
    coordinated = TaskCoordination.objects.filter(department_id=department).values("task_id")
    return [
        tasks.filter(lead_department_id=department),
        tasks.filter(pk__in=coordinated).exclude(lead_department_id=department),
    ]


class _MergedList:
    """The parts' rows in the list's order, a page at a time: the page's ids from a UNION ALL
    of the parts, then those tasks with their directive and department (2 queries)."""

    def __init__(self, parts: list[QuerySet[Task]], listed: QuerySet[Task], order: tuple) -> None:
        self.parts = parts
        self.listed = listed
        self.order = order

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Task]:
        fields = ["pk", *(name.lstrip("-") for name in self.order if name.lstrip("-") != "id")]
        first, *others = (part.order_by().values_list(*fields) for part in self.parts)
        ids = [row[0] for row in first.union(*others, all=True).order_by(*self.order)[window]]
        found = self.listed.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def _counts(parts: list[QuerySet[Task]]) -> list[dict[str, Any]]:
    """Counts per timeliness bucket, in one query (a UNION ALL of the parts' counts)."""
    first, *others = (
        part.order_by().values_list("timeliness").annotate(n=Count("id")) for part in parts
    )
    found: dict[str, int] = {}
    for bucket, n in first.union(*others, all=True) if others else first:
        found[bucket] = found.get(bucket, 0) + n
    return [
        {
            "bucket": b,
            "label": b.label,
            "count": found.get(b.value, 0),
            "colour": timeliness.COLOURS[b],
        }
        for b in Bucket
    ]


# Filters that narrow the list below the bucket counts; without them the counts give the total.
NARROWING_FILTERS = (
    "q",
    "van_ban",
    "trang_thai",
    "don_vi",
    "nguoi",
    "han_tu",
    "han_den",
    "chi_tieu",
)


class _CountedPaginator(Paginator):
    """A paginator told its count: a COUNT over a department's tens of thousands of tasks
    costs as much as the page itself (bench/README.md, "Performance")."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property's slot


def _paginator(listed: Any, form: TaskFilterForm, counts: list[dict]) -> Paginator:
    data = form.cleaned_data if form.is_bound else {}
    if any(data.get(name) for name in NARROWING_FILTERS) or (form.is_bound and form.errors):
        return Paginator(listed, settings.PORTAL_PAGE_SIZE)
    buckets = set(data.get("tien_do") or [c["bucket"] for c in counts])
    total = sum(c["count"] for c in counts if c["bucket"] in buckets)
    return _CountedPaginator(listed, settings.PORTAL_PAGE_SIZE, total)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Việc của đơn vị: counts per bucket and the lists a person works from."""
    scope, form, tasks = _list_state(request)
    counts = _counts(department_parts(request.user, scope, tasks))
    filtered = filter_tasks(tasks, form)
    listed = filtered.select_related("directive", "lead_department").prefetch_related("assignees")
    parts = department_parts(request.user, scope, filtered)
    if len(parts) > 1:
        data = form.cleaned_data if form.is_bound else {}
        order = SORTS.get(data.get("sap_xep") or "han", SORTS["han"])
        listed = _MergedList(parts, listed, order)
    page = _paginator(listed, form, counts).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    count_query = query.copy()
    count_query.pop("tien_do", None)
    count_query.pop("pham_vi", None)
    context = {
        "count_query": count_query.urlencode(),
        "scope": scope,
        "scopes": scopes_for(request.user),
        "form": form,
        "counts": counts,
        "page": page,
        "query": query.urlencode(),
        "export_url": reverse("portal:export") + (f"?{query.urlencode()}" if query else ""),
    }
    template = "portal/_task_list.html" if request.headers.get("HX-Request") else "portal/home.html"
    return render(request, template, context)


@login_required
@require_GET
def export_tasks(request: HttpRequest) -> HttpResponse:
    """The Excel file of exactly the filtered list."""
    scope, form, tasks = _list_state(request)
    listed = filter_tasks(tasks, form).select_related("directive", "lead_department")
    return exports.task_list_response(listed, filename=f"nhiem-vu-{scope}.xlsx")


# --- The task page ----------------------------------------------------------------------------


def _task_for(user: User, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user).select_related(
            "directive", "lead_department", "leader_in_charge", "parent"
        ),
        pk=pk,
    )


def _task_context(
    request: HttpRequest, task: Task, *, bound: tuple[Step, Any] | None = None
) -> dict[str, Any]:
    user = request.user
    open_steps = [s for s in allowed_steps(user, task) if s in STEP_FORMS]
    pending = steps.pending_extension(task)
    if pending is None and Step.DECIDE_EXTENSION in open_steps:
        open_steps.remove(Step.DECIDE_EXTENSION)
    forms = []
    for step in open_steps:
        form = bound[1] if bound and bound[0] == step else steps.step_form(step, task)
        # Several step forms share one page and field names ("files", "reason"): ids per step
        # keep each label (and error, help text) tied to its own field.
        form.auto_id = f"id_{step.value}_%s"
        forms.append({"step": step, "form": form, "open": bool(bound and bound[0] == step)})
    return {
        "htmx": bool(request.headers.get("HX-Request")),
        "task": task,
        "chain": directive_chain(task.directive),
        "bucket": timeliness.bucket_for(task),
        "original_bucket": timeliness.bucket_for(task, against="original"),
        "stale": timeliness.is_stale(task),
        "coordinations": TaskCoordination.objects.filter(task=task).select_related("department"),
        "assignees": task.assignees.all(),
        "reports": ProgressReport.objects.filter(task=task)
        .select_related("department", "author")
        .prefetch_related("attachments"),
        "extensions": ExtensionRequest.objects.filter(task=task).select_related(
            "requested_by", "decided_by"
        ),
        "submissions": ResultSubmission.objects.filter(task=task)
        .select_related("submitted_by", "evaluation__evaluated_by")
        .prefetch_related("attachments"),
        "events": Event.objects.filter(task=task).select_related("actor").order_by("-at", "-id"),
        "step_forms": forms,
        "pending_extension": pending,
        "subtasks": Task.objects.visible_to(user).filter(parent=task),
    }


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request.user, pk)
    return render(request, "portal/task_detail.html", _task_context(request, task))


@login_required
def task_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One workflow step. With htmx the task panel is swapped in place; without JavaScript
    the form posts here and the browser is sent back to the task page."""
    task = _task_for(request.user, pk)
    try:
        chosen = Step(step)
    except ValueError:
        raise Http404 from None
    if chosen not in STEP_FORMS:
        raise Http404
    task_url = reverse("portal:task", args=[task.pk])
    if request.method != "POST":
        return redirect(f"{task_url}#buoc-{chosen.value}")
    htmx = bool(request.headers.get("HX-Request"))
    if chosen not in allowed_steps(request.user, task):
        messages.error(
            request,
            _("Không thể “%(step)s” với nhiệm vụ này lúc này (trạng thái: %(state)s).")
            % {"step": chosen.label, "state": TaskState(task.state).label},
        )
        if htmx:
            return render(request, "portal/_task_main.html", _task_context(request, task))
        return redirect(task_url)
    form = steps.step_form(chosen, task, request.POST, request.FILES)
    if form.is_valid():
        try:
            steps.take_step(
                chosen, task, request.user, form.cleaned_data, steps.pending_extension(task)
            )
        except WorkflowError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("Đã thực hiện “%(step)s”.") % {"step": chosen.label})
            if not htmx:
                return redirect(task_url)
            task = _task_for(request.user, pk)
            return render(request, "portal/_task_main.html", _task_context(request, task))
    context = _task_context(request, task, bound=(chosen, form))
    template = "portal/_task_main.html" if htmx else "portal/task_detail.html"
    return render(request, template, context)


# --- Directives -------------------------------------------------------------------------------


@login_required
@require_GET
def directive_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a directive filter for what was typed in its search box (htmx)."""
    found, more = search_directives(
        Directive.objects.visible_to(request.user), request.GET.get("tim", "")[:200]
    )
    context = {"directive_options": found, "directive_options_more": more}
    return render(request, "portal/_directive_options.html", context)


@login_required
@require_GET
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(directive=directive)
        .with_timeliness()
        .select_related("lead_department")
        .order_by("item_number", "id")
    )
    rows = list(tasks)
    counts: dict[str, int] = {}
    for task in rows:
        counts[task.timeliness] = counts.get(task.timeliness, 0) + 1
    in_rates = [t for t in rows if t.timeliness != Bucket.OUT_OF_RATES]
    finished = sum(1 for t in in_rates if t.timeliness in timeliness.FINISHED)
    context = {
        "directive": directive,
        "chain": directive_chain(directive),
        "implemented_by": Directive.objects.visible_to(request.user).filter(implements=directive),
        "tasks": rows,
        "counts": [
            {"label": b.label, "count": counts.get(b.value, 0), "colour": timeliness.COLOURS[b]}
            for b in Bucket
        ],
        "finished": finished,
        "total": len(in_rates),
        "average_progress": round(sum(t.progress_percent for t in in_rates) / len(in_rates))
        if in_rates
        else 0,
    }
    return render(request, "portal/directive_detail.html", context)


# --- The department overview for heads --------------------------------------------------------


@login_required
@require_GET
def department_overview(request: HttpRequest) -> HttpResponse:
    """All the department's tasks by staff member and bucket."""
    user = request.user
    if user.sees_every_department:
        departments = Department.objects.active().order_by("name")
        department = departments.filter(pk=request.GET.get("don_vi") or 0).first()
        department = department or departments.filter(pk=user.department_id).first()
    elif user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        departments = None
        department = user.department
    else:
        raise Http404
    rows: list[dict[str, Any]] = []
    if department is not None:
        tasks = Task.objects.visible_to(user).filter(lead_department=department).with_timeliness()
        cells = (
            tasks.order_by()
            .values_list("assignees", "timeliness")
            .annotate(n=Count("id", distinct=True))
        )
        table: dict[int | None, dict[str, int]] = {}
        for person_id, bucket, n in cells:
            table.setdefault(person_id, {})[bucket] = n
        staff = list(
            User.objects.filter(department=department, is_active=True).order_by(
                "last_name", "first_name"
            )
        )
        for person in [*staff, None]:
            figures = table.get(person.pk if person else None, {})
            if person is None and not figures:
                continue
            rows.append(
                {
                    "person": person,
                    "cells": [(b.value, figures.get(b.value, 0)) for b in Bucket],
                    "total": sum(figures.values()),
                }
            )
    context = {
        "department": department,
        "departments": departments,
        "buckets": list(Bucket),
        "colours": [timeliness.COLOURS[b] for b in Bucket],
        "rows": rows,
    }
    return render(request, "portal/department_overview.html", context)


# --- Notifications ----------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user).select_related("task")
    page = Paginator(items, 30).get_page(request.GET.get("trang"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opened = notifications.notification_open(notification=pk, user=request.user)
    except Notification.DoesNotExist:
        raise Http404 from None
    if opened.task_id and Task.objects.visible_to(request.user).filter(pk=opened.task_id).exists():
        return redirect("portal:task", pk=opened.task_id)
    return redirect("portal:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("portal:notifications")
