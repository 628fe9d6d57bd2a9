"""The admin, the tracking office's tool: pages, workflow steps through services, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import workflow
from tracker.models import Directive, Event, EventKind, Task, TaskState

from .conftest import Personas
from .factories import DirectiveFactory, TaskFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The directive page carries its (read-only) task inline: a real browser posts its management
# form, so the tests do too.
TASK_INLINE = {"tasks-TOTAL_FORMS": "0", "tasks-INITIAL_FORMS": "0"}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


ADMIN_LISTS = [
    "tracker_directive",
    "tracker_task",
    "tracker_extensionrequest",
    "tracker_resultsubmission",
    "tracker_progressreport",
    "tracker_evaluation",
    "tracker_attachment",
    "tracker_event",
    "tracker_indicator",
    "tracker_indicatorvalue",
    "tracker_reminderpolicy",
    "tracker_reminderdelivery",
    "tracker_scoringrules",
    "tracker_reportingperiod",
    "tracker_generalcriteriascore",
    "tracker_periodresult",
    "tracker_calendarfeed",
    "accounts_department",
    "accounts_user",
]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_every_admin_list_opens_for_the_office_and_the_administrator(people, task, model):
    for user in (people.office, people.administrator):
        response = signed_in(user).get(reverse(f"admin:{model}_changelist"))
        assert response.status_code in (200, 403), (user, model)
    assert (
        signed_in(people.administrator).get(reverse(f"admin:{model}_changelist")).status_code == 200
    )


def test_the_admin_speaks_vietnamese_with_day_first_dates(people, task) -> None:
    response = signed_in(people.office).get(reverse("admin:tracker_task_changelist"))
    body = response.content.decode()
    assert "Cơ quan chủ trì" in body
    assert "15/12/2025" in body
    assert "Quá hạn" in body or "Trong hạn" in body or "Sắp đến hạn" in body


def test_department_staff_never_reach_the_admin(people, task) -> None:
    response = signed_in(people.finance_staff).get(reverse("admin:tracker_task_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_inspector_reads_but_cannot_add_or_act(people, task) -> None:
    client = signed_in(people.inspector)
    assert client.get(reverse("admin:tracker_task_changelist")).status_code == 200
    assert client.get(reverse("admin:tracker_task_add")).status_code == 403
    page = client.get(reverse("admin:tracker_task_change", args=[task.pk]))
    assert page.status_code == 200
    assert page.context["workflow_steps"] == []
    response = client.post(
        reverse("admin:tracker_task_step", args=[task.pk, "withdraw"]), {"reason": "x"}
    )
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED
    assert response.status_code in (302, 403)


def _task_rows(count: int, people: Personas) -> None:
    directive = DirectiveFactory()
    TaskFactory.create_batch(count, directive=directive, lead_department=people.finance)


@pytest.mark.parametrize("url_name", ["admin:tracker_task_changelist"])
def test_the_task_list_runs_the_same_queries_for_10_and_200_tasks(people, url_name) -> None:
    client = signed_in(people.office)
    url = reverse(url_name) + "?tien_do=qua_han"

    def queries_for(count: int) -> int:
        Task.objects.all().delete()
        _task_rows(count, people)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    few, many = queries_for(10), queries_for(200)
    # session, user, the user's groups (roles), permissions, the page count, the rows, and one
    # query each for the department and directive filter choices.
    assert few == many
    assert many <= 12


def test_the_directive_list_runs_the_same_queries_for_10_and_200_tasks(people) -> None:
    client = signed_in(people.office)
    url = reverse("admin:tracker_directive_changelist")

    def queries_for(count: int) -> int:
        Task.objects.all().delete()
        Directive.objects.all().delete()
        for _ in range(count // 10):
            _task_rows(10, people)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(10) == queries_for(200)


def test_the_task_page_shows_the_steps_this_person_may_take(people, task) -> None:
    page = signed_in(people.office).get(reverse("admin:tracker_task_change", args=[task.pk]))
    steps = [step.value for step, _url in page.context["workflow_steps"]]
    assert "accept" in steps and "withdraw" in steps
    assert "accept_result" not in steps  # nothing submitted yet
    body = page.content.decode()
    assert "Tham mưu triển khai 45 Nghị quyết" in body
    assert "Sở Xây dựng" in body  # coordinator inline


def test_the_office_moves_a_task_through_the_workflow_in_the_admin(people, task) -> None:
    client = signed_in(people.office)

    def step(name: str, data: dict, **kwargs) -> object:
        return client.post(reverse("admin:tracker_task_step", args=[task.pk, name]), data, **kwargs)

    assert step("accept", {"note": ""}).status_code == 302
    report = step(
        "report_progress",
        {
            "percent": "60",
            "results": "Đã dự thảo",
            "files": SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert report.status_code == 302
    no_evidence = step("submit_result", {"summary": "Đã xong"})
    assert no_evidence.status_code == 200
    assert "minh chứng" in no_evidence.content.decode()
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS
    assert (
        step(
            "submit_result", {"summary": "Đã xong", "output_document_number": "4512/KH-UBND"}
        ).status_code
        == 302
    )
    assert step("return_result", {"reasons": ""}).status_code == 200  # reasons required
    assert Task.objects.get(pk=task.pk).state == TaskState.SUBMITTED
    assert (
        step(
            "accept_result", {"quality_grade": "good", "major_error_count": "0", "remarks": "Tốt"}
        ).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    assert task.progress_percent == 100
    assert set(task.events.values_list("actor__username", flat=True)) == {"vanphong"}


def test_a_step_not_open_now_is_refused_with_a_message(people, task) -> None:
    client = signed_in(people.office)
    response = client.get(
        reverse("admin:tracker_task_step", args=[task.pk, "accept_result"]), follow=True
    )
    assert any("Công nhận hoàn thành" in m for m in messages_of(response))
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED


def test_an_extension_is_requested_and_approved_in_the_admin(people, task) -> None:
    client = signed_in(people.office)
    workflow.task_accept(task=task, actor=people.finance_staff)
    Task.objects.filter(pk=task.pk).update(
        due_date=dt.date(2099, 12, 15), original_due_date=dt.date(2099, 12, 15)
    )
    url = reverse("admin:tracker_task_step", args=[task.pk, "request_extension"])
    wrong = client.post(url, {"requested_due_date": "31-31-2099", "reason": "x"})
    assert wrong.status_code == 200
    assert (
        client.post(url, {"requested_due_date": "31/12/2099", "reason": "Chờ số liệu"}).status_code
        == 302
    )
    decide = reverse("admin:tracker_task_step", args=[task.pk, "decide_extension"])
    missing = client.post(decide, {"decision": "approve"})
    assert "số văn bản" in missing.content.decode()
    assert (
        client.post(
            decide,
            {
                "decision": "approve",
                "decision_number": "1234/UBND-TH",
                "decision_date": "20/12/2099",
            },
        ).status_code
        == 302
    )
    task.refresh_from_db()
    assert (task.original_due_date, task.due_date) == (dt.date(2099, 12, 15), dt.date(2099, 12, 31))


def test_a_task_added_in_the_admin_goes_through_the_service(people) -> None:
    directive = DirectiveFactory()
    client = signed_in(people.office)
    response = client.post(
        reverse("admin:tracker_task_add"),
        {
            "directive": directive.pk,
            "item_number": "3",
            "content": "Xây dựng Kịch bản tăng trưởng kinh tế năm 2026",
            "lead_department": people.finance.pk,
            "output_kind": "ke_hoach",
            "output_description": "Kịch bản tăng trưởng",
            "quality_requirement": "Giao chỉ tiêu cho từng sở, ngành, địa phương",
            "deadline_kind": "quarter",
            "due_date": "01/01/2026",
            "urgency": "khan",
            "coordinations-TOTAL_FORMS": "1",
            "coordinations-INITIAL_FORMS": "0",
            "coordinations-0-department": people.construction.pk,
            "coordinations-0-part": "Số liệu đầu tư xây dựng",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get()
    assert task.deadline_label == "Quý I/2026"
    assert task.original_due_date == dt.date(2026, 3, 31)
    assert task.coordinations.get().department == people.construction
    assert list(task.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.COORDINATORS_CHANGED,
    ]


def test_a_wrong_deadline_in_the_admin_form_is_explained_and_nothing_is_created(people) -> None:
    directive = DirectiveFactory()
    response = signed_in(people.office).post(
        reverse("admin:tracker_task_add"),
        {
            "directive": directive.pk,
            "content": "Việc thường xuyên",
            "lead_department": people.finance.pk,
            "output_kind": "khac",
            "deadline_kind": "continuous",
            "due_date": "15/12/2025",
            "urgency": "thuong",
            "coordinations-TOTAL_FORMS": "0",
            "coordinations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "không có hạn" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "symbol,kind,issue_date,message",
    [
        ("45/NQ/TW/x", "NQ", "24/01/2019", "không đúng thể thức"),
        ("7/KH-CP", "NQ", "10/01/2025", "không khớp loại văn bản"),
        ("44/2018/QĐ-UBND", "QĐ", "12/11/2019", "mang năm 2018"),
        ("", "KH", "10/01/2025", "Chỉ ý kiến chỉ đạo"),
    ],
)
def test_a_wrong_symbol_gets_a_clear_message(people, symbol, kind, issue_date, message) -> None:
    response = signed_in(people.office).post(
        reverse("admin:tracker_directive_add"),
        {
            "kind": kind,
            "symbol": symbol,
            "issuer": "Chính phủ",
            "issue_date": issue_date,
            "summary": "Văn bản thử",
            **TASK_INLINE,
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors)
    assert not Directive.objects.exists()


def test_a_directive_chain_is_saved_and_shown(people) -> None:
    client = signed_in(people.office)
    top = DirectiveFactory(
        kind="NQ", symbol="45-NQ/TW", issuer="Bộ Chính trị", issue_date=dt.date(2019, 1, 24)
    )
    response = client.post(
        reverse("admin:tracker_directive_add"),
        {
            "kind": "KL",
            "symbol": "96 - KL/TW",
            "issuer": "Bộ Chính trị",
            "issue_date": "30/09/2024",
            "summary": "Tiếp tục thực hiện Nghị quyết 45-NQ/TW",
            "implements": [top.pk],
            **TASK_INLINE,
        },
    )
    assert response.status_code == 302
    conclusion = Directive.objects.get(symbol="96-KL/TW")
    assert list(conclusion.implements.all()) == [top]
    assert Event.objects.filter(directive=conclusion, kind=EventKind.DIRECTIVE_CREATED).exists()
    page = client.get(reverse("admin:tracker_directive_change", args=[conclusion.pk]))
    assert "45-NQ/TW" in page.content.decode()
    duplicate = client.post(
        reverse("admin:tracker_directive_add"),
        {
            "kind": "KL",
            "symbol": "96-KL/TW",
            "issuer": "Bộ Chính trị",
            "issue_date": "30/09/2024",
            "summary": "x",
            **TASK_INLINE,
        },
    )
    assert "Đã có văn bản" in duplicate.content.decode()


def test_bulk_accept_goes_task_by_task_and_reports_refusals(people, task) -> None:
    other = TaskFactory(lead_department=people.finance, directive=task.directive)
    workflow.task_accept(task=other, actor=people.finance_staff)
    response = signed_in(people.office).post(
        reverse("admin:tracker_task_changelist"),
        {"action": "accept_selected", "_selected_action": [task.pk, other.pk]},
        follow=True,
    )
    texts = messages_of(response)
    assert any("1 nhiệm vụ" in t for t in texts)
    assert any("Đang thực hiện" in t for t in texts)
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_bulk_withdraw_asks_for_a_reason_first(people, task) -> None:
    client = signed_in(people.office)
    url = reverse("admin:tracker_task_changelist")
    first = client.post(url, {"action": "withdraw_selected", "_selected_action": [task.pk]})
    assert first.status_code == 200
    assert "Lý do" in first.content.decode()
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED
    client.post(
        url,
        {
            "action": "withdraw_selected",
            "_selected_action": [task.pk],
            "confirm": "1",
            "reason": "Trùng nhiệm vụ",
        },
    )
    assert Task.objects.get(pk=task.pk).state == TaskState.WITHDRAWN


def test_filters_by_timeliness_and_due_date_range(people, task) -> None:
    later = TaskFactory(lead_department=people.finance, due_date=dt.date(2099, 1, 31))
    client = signed_in(people.office)
    url = reverse("admin:tracker_task_changelist")
    overdue = client.get(url, {"tien_do": "qua_han"})
    assert list(overdue.context["cl"].result_list) == [task]
    ranged = client.get(url, {"han_tu": "01/01/2099", "han_den": "31/12/2099"})
    assert list(ranged.context["cl"].result_list) == [later]
    bad = client.get(url, {"han_tu": "99/99/2099"})
    assert bad.status_code == 200
    assert any("dd/mm/yyyy" in m for m in messages_of(bad))


def test_attachments_download_only_for_people_who_see_the_task(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    report = workflow.progress_report(
        task=task, actor=people.finance_staff, percent=10, results="Bắt đầu",
        files=[SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 noi dung", content_type="application/pdf")],
    )  # fmt: skip
    token = report.attachments.get().token
    url = reverse("files:attachment", args=[token])
    owner = signed_in(people.finance_staff).get(url)
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content) == b"%PDF-1.4 noi dung"
    assert signed_in(people.construction_staff).get(url).status_code == 200  # coordinator
    assert signed_in(people.health_staff).get(url).status_code == 404


def test_the_evaluation_queue_lists_what_waits_oldest_first_with_its_evidence(people, task):
    from django.core.files.uploadedfile import SimpleUploadedFile

    other = TaskFactory(lead_department=people.finance, directive=task.directive)
    for item in (other, task):
        workflow.task_accept(task=item, actor=people.finance_staff)
    workflow.result_submit(
        task=task, actor=people.finance_staff, summary="Trước",
        files=[SimpleUploadedFile("truoc.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )  # fmt: skip
    workflow.result_submit(
        task=other, actor=people.finance_staff, summary="Sau", output_document_number="5/QĐ"
    )
    page = signed_in(people.office).get(reverse("admin:tracker_resultsubmission_changelist"))
    rows = list(page.context["cl"].result_list)
    assert [r.summary for r in rows] == ["Trước", "Sau"]
    assert "truoc.pdf" in page.content.decode()
    workflow.result_accept(task=task, actor=people.office, quality_grade="good")
    after = signed_in(people.office).get(reverse("admin:tracker_resultsubmission_changelist"))
    assert [r.summary for r in after.context["cl"].result_list] == ["Sau"]
