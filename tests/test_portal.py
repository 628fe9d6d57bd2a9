"""The department pages: who sees what, every action through the services, fixed queries."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import workflow
from tracker.models import Notification, Task, TaskCoordination, TaskState

from .conftest import Personas
from .factories import DirectiveFactory, TaskFactory

PERSONAS = [
    "finance_staff",
    "finance_head",
    "construction_staff",
    "health_staff",
    "leader",
    "inspector",
]


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 noi dung", content_type="application/pdf")


# --- Who sees what ---------------------------------------------------------------------------

PAGE_MATRIX = {
    # page: expected status per persona, in PERSONAS order
    "task": [200, 200, 200, 404, 200, 200],
    "directive": [200, 200, 200, 404, 200, 200],
    "department": [404, 200, 404, 404, 200, 200],
    "home": [200] * 6,
    "notifications": [200] * 6,
}


def page_url(name: str, task: Task) -> str:
    if name == "task":
        return reverse("portal:task", args=[task.pk])
    if name == "directive":
        return reverse("portal:directive", args=[task.directive_id])
    return reverse(f"portal:{name}")


@pytest.mark.parametrize("page", list(PAGE_MATRIX))
def test_each_persona_sees_only_what_concerns_them(people: Personas, task, page) -> None:
    for who, expected in zip(PERSONAS, PAGE_MATRIX[page], strict=True):
        response = as_user(getattr(people, who)).get(page_url(page, task))
        assert response.status_code == expected, (who, page)
    anonymous = as_user(None).get(page_url(page, task))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_lists_and_exports_hold_only_visible_rows(people, task) -> None:
    hidden = TaskFactory(lead_department=people.health, content="Đề án nâng cao năng lực y tế")
    for who, sees_hidden in [("finance_staff", False), ("health_staff", True), ("leader", True)]:
        client = as_user(getattr(people, who))
        listed = client.get(reverse("portal:home"))
        rows = list(listed.context["page"].object_list)
        assert (hidden in rows) is sees_hidden, who
        workbook = openpyxl.load_workbook(
            io.BytesIO(b"".join(client.get(reverse("portal:export")).streaming_content))
        )
        contents = [row[3] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
        assert ("Đề án nâng cao năng lực y tế" in contents) is sees_hidden, who


def test_the_export_is_exactly_the_filtered_list_with_real_dates(people, task) -> None:
    TaskFactory(lead_department=people.finance, due_date=dt.date(2099, 3, 31))
    client = as_user(people.finance_staff)
    response = client.get(reverse("portal:export"), {"han_tu": "01/01/2099"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert sheet.cell(1, 4).value == "Nội dung nhiệm vụ"
    due = sheet.cell(2, 9)
    assert due.value.date() == dt.date(2099, 3, 31)
    assert due.number_format == "DD/MM/YYYY"


def _export(user, **params) -> openpyxl.Workbook:
    response = as_user(user).get(reverse("portal:export"), params)
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_export_keeps_text_as_text_and_names_the_coordinators(people, task) -> None:
    typed = '=HYPERLINK("http://example.com","Bấm vào đây")'
    exported = TaskFactory(
        lead_department=people.finance, due_date=dt.date(2099, 3, 31), content=typed
    )
    for department in (people.health, people.construction):
        TaskCoordination.objects.create(task=exported, department=department)
    sheet = _export(people.finance_staff, han_tu="01/01/2099")
    content, coordinators = sheet.cell(2, 4), sheet.cell(2, 6)
    assert (content.value, content.data_type) == (typed, "s")
    assert coordinators.value == "Sở Xây dựng; Sở Y tế"  # by name, as on the task page


def test_the_export_runs_the_same_queries_for_3_and_30_tasks(people, task) -> None:
    client = as_user(people.finance_staff)
    counts = []
    for n in (3, 27):
        for _ in range(n):
            made = TaskFactory(lead_department=people.finance, due_date=dt.date(2099, 3, 31))
            TaskCoordination.objects.create(task=made, department=people.health)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("portal:export"), {"han_tu": "01/01/2099"})
            b"".join(response.streaming_content)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_bad_filter_is_explained_and_left_out(people, task) -> None:
    response = as_user(people.finance_staff).get(reverse("portal:home"), {"han_tu": "31/02/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["han_tu"]
    assert list(response.context["page"].object_list) == [task]


# --- Actions -------------------------------------------------------------------------------


def post_step(user, task: Task, step: str, data: dict, **headers):
    return as_user(user).post(reverse("portal:task_step", args=[task.pk, step]), data, **headers)


# step, data, who may, who may not (a persona of another department gets a 404)
ACTION_MATRIX = [
    ("accept", {"note": ""}, ["finance_staff", "finance_head"], ["construction_staff", "leader", "inspector"]),
    ("decline", {"reason": "Không thuộc chức năng"}, ["finance_head"], ["finance_staff", "construction_staff", "inspector"]),
]  # fmt: skip
WORKING_MATRIX = [
    ("report_progress", {"percent": "30", "results": "Đã dự thảo"}, ["finance_staff", "construction_staff"], ["leader", "inspector"]),
    ("request_extension", {"requested_due_date": "31/12/2099", "reason": "Chờ số liệu"}, ["finance_head"], ["construction_staff", "inspector"]),
    ("submit_result", {"summary": "Xong", "output_document_number": "1/QĐ-UBND"}, ["finance_staff"], ["construction_staff", "leader", "inspector"]),
]  # fmt: skip


def _check_action(people, task, step, data, allowed, refused) -> None:
    for who in refused:
        before = Task.objects.get(pk=task.pk).state
        response = post_step(getattr(people, who), task, step, data)
        assert response.status_code == 302, who
        assert Task.objects.get(pk=task.pk).state == before, (who, step)
    assert post_step(people.health_staff, task, step, data).status_code == 404
    response = post_step(getattr(people, allowed[0]), task, step, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("portal:task", args=[task.pk])


@pytest.mark.parametrize("step,data,allowed,refused", ACTION_MATRIX)
def test_new_task_actions_by_persona(people, task, step, data, allowed, refused) -> None:
    _check_action(people, task, step, data, allowed, refused)
    task.refresh_from_db()
    assert task.state in (TaskState.IN_PROGRESS, TaskState.DECLINED)


@pytest.mark.parametrize("step,data,allowed,refused", WORKING_MATRIX)
def test_working_task_actions_by_persona(people, task, step, data, allowed, refused) -> None:
    Task.objects.filter(pk=task.pk).update(
        due_date=dt.date(2099, 12, 1), original_due_date=dt.date(2099, 12, 1)
    )
    workflow.task_accept(task=task, actor=people.finance_staff)
    _check_action(people, task, step, data, allowed, refused)
    task.refresh_from_db()
    expected = {"report_progress": TaskState.IN_PROGRESS, "request_extension": TaskState.IN_PROGRESS,
                "submit_result": TaskState.SUBMITTED}[step]  # fmt: skip
    assert task.state == expected


def test_the_head_gives_the_task_to_staff(people, task) -> None:
    response = post_step(
        people.finance_head, task, "give_to_staff", {"staff": [people.finance_staff.pk]}
    )
    assert response.status_code == 302
    assert list(task.assignees.all()) == [people.finance_staff]
    assert Notification.objects.filter(user=people.finance_staff, task=task).exists()
    refused = post_step(
        people.finance_head, task, "give_to_staff", {"staff": [people.health_staff.pk]}
    )
    assert refused.status_code == 200
    assert list(task.assignees.all()) == [people.finance_staff]


def test_an_action_updates_the_page_in_place_with_htmx(people, task) -> None:
    response = post_step(people.finance_staff, task, "accept", {"note": ""}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="task-main"' in body
    assert "Đã thực hiện “Tiếp nhận”" in body
    assert 'hx-swap-oob="true"' in body
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_a_refused_form_keeps_the_input_and_says_why(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    without_evidence = post_step(
        people.finance_staff, task, "submit_result", {"summary": "Đã xong"}
    )
    assert without_evidence.status_code == 200
    body = without_evidence.content.decode()
    assert "minh chứng" in body
    assert "Đã xong" in body  # what was typed is still there
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS
    with_htmx = post_step(
        people.finance_staff, task, "submit_result", {"summary": "Đã xong"}, HTTP_HX_REQUEST="true"
    )
    assert "minh chứng" in with_htmx.content.decode()
    assert "<html" not in with_htmx.content.decode()


def test_files_are_checked_by_content_not_by_name(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    disguised = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 executable", content_type="application/pdf"
    )
    response = post_step(
        people.finance_staff, task, "report_progress",
        {"percent": "20", "results": "Đính kèm", "files": disguised},
    )  # fmt: skip
    assert response.status_code == 200
    assert "không đúng định dạng PDF" in response.content.decode()
    assert not task.reports.exists()
    good = post_step(
        people.finance_staff, task, "report_progress",
        {"percent": "20", "results": "Đính kèm", "files": pdf()},
    )  # fmt: skip
    assert good.status_code == 302
    attachment = task.attachments.get()
    download = as_user(people.finance_staff).get(
        reverse("files:attachment", args=[attachment.token])
    )
    assert download.status_code == 200
    assert (
        as_user(people.health_staff)
        .get(reverse("files:attachment", args=[attachment.token]))
        .status_code
        == 404
    )


def test_notifications_are_marked_read_when_opened(people, task) -> None:
    workflow.task_give_to_staff(task=task, actor=people.finance_head, staff=[people.finance_staff])
    note = Notification.objects.get(user=people.finance_staff)
    client = as_user(people.finance_staff)
    assert "Phân công chuyên viên" in client.get(reverse("portal:notifications")).content.decode()
    opened = client.get(reverse("portal:notification", args=[note.pk]))
    assert opened["Location"] == reverse("portal:task", args=[task.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        as_user(people.health_staff).get(reverse("portal:notification", args=[note.pk])).status_code
        == 404
    )


# --- Fixed query counts --------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["home", "directive", "department", "notifications"])
def test_each_list_runs_the_same_queries_for_20_and_500_tasks(people, page) -> None:
    directive = DirectiveFactory()
    client = as_user(people.finance_head)

    def count(n: int) -> int:
        Task.objects.all().delete()
        made = TaskFactory.create_batch(n, directive=directive, lead_department=people.finance)
        for item in made[:5]:
            item.assignees.add(people.finance_staff)
        Notification.objects.bulk_create(
            Notification(user=people.finance_head, task=t, title=str(t), created_at=t.assigned_at)
            for t in made
        )
        url = page_url(page, made[0])
        return _queries(client, url)

    few, many = count(20), count(500)
    assert few == many, (page, few, many)
    assert many <= 14, (page, many)


# --- Signing in ----------------------------------------------------------------------------


def test_repeated_failed_sign_ins_lock_the_account_with_a_message(people, settings) -> None:
    client = Client()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(url, {"username": "stc.chuyenvien", "password": "sai"})
        assert "không đúng" in wrong.content.decode()
    last = client.post(url, {"username": "stc.chuyenvien", "password": "sai"})
    assert last.status_code == 429
    # Even the right password is refused while the lock lasts.
    locked = client.post(url, {"username": "stc.chuyenvien", "password": "Mat-khau-thu-2025"})
    assert locked.status_code == 429
    assert "tạm thời bị khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_then_out(people) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "stc.chuyenvien", "password": "Mat-khau-thu-2025"}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_session_ends_after_inactivity(people, settings) -> None:
    client = Client()
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(
            reverse("login"), {"username": "stc.chuyenvien", "password": "Mat-khau-thu-2025"}
        )
        assert client.get(reverse("portal:home")).status_code == 200
    with time_machine.travel(
        start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60), tick=False
    ):
        assert client.get(reverse("portal:home")).status_code == 200  # activity pushes it on
    later = start + dt.timedelta(seconds=2 * settings.SESSION_COOKIE_AGE)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("portal:home")).status_code == 302


def test_a_password_reset_link_works_once_and_expires(people, settings) -> None:
    client = Client()
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(reverse("password_reset"), {"email": people.finance_staff.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    late = start + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(late, tick=False):
        expired = client.get(link, follow=True)
        assert "không còn hiệu lực" in expired.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        form_page = client.get(link, follow=True)
        new = {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"}
        done = client.post(form_page.redirect_chain[-1][0], new, follow=True)
        assert "Đã đặt lại mật khẩu" in done.content.decode()
    people.finance_staff.refresh_from_db()
    assert people.finance_staff.check_password("Mat-khau-moi-2026!")
