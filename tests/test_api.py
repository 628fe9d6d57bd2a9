"""The REST API: the same visibility, steps and messages as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tracker.models import Task, TaskState

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


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_callers_get_nothing(task) -> None:
    response = APIClient().get(reverse("api:tasks"))
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("task", [200, 200, 200, 404, 200, 200]),
        ("task_events", [200, 200, 200, 404, 200, 200]),
        ("task_reports", [200, 200, 200, 404, 200, 200]),
        ("task_attachments", [200, 200, 200, 404, 200, 200]),
        ("task_extensions", [200, 200, 200, 404, 200, 200]),
    ],
)
def test_another_departments_task_is_a_404_everywhere(people: Personas, task, name, expected):
    for who, status in zip(PERSONAS, expected, strict=True):
        response = api(getattr(people, who)).get(reverse(f"api:{name}", args=[task.pk]))
        assert response.status_code == status, (who, name)


def test_lists_hold_only_visible_rows(people, task) -> None:
    hidden = TaskFactory(lead_department=people.health)
    for who, sees in [("finance_staff", False), ("health_staff", True), ("inspector", True)]:
        ids = {
            row["id"] for row in api(getattr(people, who)).get(reverse("api:tasks")).data["results"]
        }
        assert (hidden.pk in ids) is sees, who
        directives = api(getattr(people, who)).get(reverse("api:directives")).data["results"]
        assert (hidden.directive_id in {d["id"] for d in directives}) is sees, who
    # A filter on another department returns nothing rather than its rows.
    sneaky = api(people.finance_staff).get(reverse("api:tasks"), {"don_vi": people.health.pk})
    assert sneaky.data["results"] == []


def test_filters_and_their_errors(people, task) -> None:
    client = api(people.construction_staff)
    coordinated = client.get(
        reverse("api:tasks"), {"don_vi": people.construction.pk, "vai_tro": "phoi_hop"}
    )
    assert [row["id"] for row in coordinated.data["results"]] == [task.pk]
    overdue = client.get(reverse("api:tasks"), {"tien_do": "qua_han"})
    assert [row["id"] for row in overdue.data["results"]] == [task.pk]
    assert overdue.data["results"][0]["deadline"] == "15/12/2025"
    bad = client.get(reverse("api:tasks"), {"han_tu": "31/02/2025"})
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.data["han_tu"][0]
    assert client.get(reverse("api:tasks"), {"tien_do": "gan_xong"}).status_code == 400
    # Ids out of any database's range are refused, not sent to it (SQLite overflowed: 500).
    for name, value in (
        ("don_vi", "-19738103367979921047552"),
        ("van_ban", "0"),
        ("van_ban", "-13"),
    ):
        refused = client.get(reverse("api:tasks"), {name: value})
        assert refused.status_code == 400, (name, value)
        assert "không phải là mã hợp lệ" in refused.data[name][0]


def test_the_workflow_through_the_api_with_the_pages_messages(people, task) -> None:
    staff = api(people.finance_staff)
    url = lambda step: reverse("api:task_action", args=[task.pk, step])  # noqa: E731
    accepted = staff.post(url("accept"), {"note": ""}, format="json")
    assert accepted.status_code == 200
    assert accepted.data["state"] == TaskState.IN_PROGRESS
    assert "report_progress" in accepted.data["allowed_actions"]
    again = staff.post(url("accept"), {}, format="json")
    assert again.status_code == 409
    assert "Đang thực hiện" in again.data["detail"]
    coordinator = api(people.construction_staff).post(
        url("submit_result"), {"summary": "x", "output_document_number": "1/QĐ"}, format="json"
    )
    assert coordinator.status_code == 403
    assert "không có quyền" in coordinator.data["detail"]
    no_evidence = staff.post(url("submit_result"), {"summary": "Đã xong"}, format="json")
    assert no_evidence.status_code == 400
    assert "minh chứng" in no_evidence.data["detail"]
    invalid = staff.post(url("report_progress"), {"percent": 140, "results": "x"}, format="json")
    assert invalid.status_code == 400 and "percent" in invalid.data["errors"]
    with_file = staff.post(
        url("report_progress"),
        {"percent": 40, "results": "Đã dự thảo", "files": _pdf()},
        format="multipart",
    )
    assert with_file.status_code == 200
    reports = staff.get(reverse("api:task_reports", args=[task.pk])).data
    assert reports[0]["attachments"][0]["original_name"] == "bao-cao.pdf"
    download = staff.get(reports[0]["attachments"][0]["url"])
    assert download.status_code == 200
    assert api(people.health_staff).get(reports[0]["attachments"][0]["url"]).status_code == 404
    submitted = staff.post(
        url("submit_result"), {"summary": "Xong", "output_document_number": "4512/KH-UBND"},
        format="json",
    )  # fmt: skip
    assert submitted.data["state"] == TaskState.SUBMITTED
    office = api(people.office).post(
        url("accept_result"), {"quality_grade": "good", "major_error_count": 0}, format="json"
    )
    assert office.data["state"] == TaskState.COMPLETED
    assert office.data["timeliness"] == "hoan_thanh_qua_han"  # submitted long after 15/12/2025
    events = staff.get(reverse("api:task_events", args=[task.pk])).data
    assert [e["kind"] for e in events][-1] == "result_accepted"


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 api", content_type="application/pdf")


def test_tokens_authenticate_and_can_be_revoked(people, task) -> None:
    token = Token.objects.create(user=people.finance_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(reverse("api:me")).data["username"] == "stc.chuyenvien"
    token.delete()  # what an administrator does in the admin
    assert client.get(reverse("api:me")).status_code == 401


def test_statistics_and_ranking(people, task) -> None:
    Task.objects.filter(pk=task.pk).update(assigned_at=dt.datetime(2025, 12, 1, 2, tzinfo=dt.UTC))
    rows = (
        api(people.leader)
        .get(reverse("api:statistics"), {"tu": "2025-12-01", "den": "2025-12-31"})
        .data
    )
    finance = next(r for r in rows if r["name"] == "Sở Tài chính")
    assert finance["table"]["total"] == 1 and finance["table"]["open_overdue"] == 1
    assert api(people.leader).get(reverse("api:statistics"), {"tu": "x"}).status_code == 400
    ranking = api(people.leader).get(reverse("api:ranking"), {"ky": "month", "ngay": "2025-12-15"})
    assert ranking.status_code == 200
    assert ranking.data[0]["department"]["code"] == "STC"
    assert (
        api(people.finance_head)
        .get(reverse("api:ranking"), {"ky": "month", "ngay": "2025-12-15"})
        .status_code
        == 404
    )


def test_cursor_pages_and_a_fixed_number_of_queries(people) -> None:
    client = api(people.finance_staff)
    directive = DirectiveFactory()

    def count(n: int) -> int:
        Task.objects.all().delete()
        TaskFactory.create_batch(n, directive=directive, lead_department=people.finance)
        client.get(reverse("api:tasks"), {"page_size": 10})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("api:tasks"), {"page_size": 10})
        assert response.status_code == 200
        return len(captured)

    assert count(20) == count(200)
    first = client.get(reverse("api:tasks"), {"page_size": 10}).data
    second = client.get(first["next"]).data
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_the_schema_and_its_documentation_are_served_without_a_cdn(people) -> None:
    schema = api(people.office).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    docs = api(people.office).get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_a_task_of_another_department_cannot_be_acted_on(people, task) -> None:
    response = api(people.health_staff).post(
        reverse("api:task_action", args=[task.pk, "accept"]), {}, format="json"
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED


def test_the_schema_is_for_signed_in_callers() -> None:
    assert APIClient().get("/api/schema/").status_code in (401, 403)


def test_objects_of_another_department_cannot_be_attached_by_id(people, task) -> None:
    head = api(people.finance_head)
    url = reverse("api:task_action", args=[task.pk, "give_to_staff"])
    refused = head.post(url, {"staff": [people.health_staff.pk]}, format="json")
    assert refused.status_code == 400
    assert not task.assignees.exists()
    office = api(people.office)
    reassign = reverse("api:task_action", args=[task.pk, "reassign"])
    missing = office.post(reassign, {"lead_department": 999999}, format="json")
    assert missing.status_code == 400
    assert Task.objects.get(pk=task.pk).lead_department == people.finance
