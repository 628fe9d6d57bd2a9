"""Tasks proposed from a directive's text: read, correct, confirm all or none (admin and API)."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Department, DepartmentKind
from tests.factories import DepartmentFactory, DirectiveFactory
from tracker import proposals
from tracker.errors import NotPermitted, WorkflowError
from tracker.models import (
    DeadlineKind,
    Event,
    EventKind,
    OutputKind,
    ProposalState,
    Task,
    TaskProposalBatch,
)

TEXT = """THÔNG BÁO KẾT LUẬN
Năm 2025, thành phố đạt tốc độ tăng trưởng GRDP 11,2%.
Chủ tịch UBND thành phố kết luận, giao nhiệm vụ như sau:
1. Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng xây dựng Kế hoạch phân bổ vốn đầu tư \
công năm 2026, hoàn thành trước ngày 15/12/2025.
2. Sở Y tế báo cáo kết quả triển khai tiêm chủng mở rộng, trong Quý I/2026.
3. Giao UBND các xã, phường, đặc khu rà soát quỹ đất công, hoàn thành trong tháng 01/2026.
4. Đề nghị Công an thành phố bảo đảm an ninh trật tự dịp Tết, thường xuyên.
"""


@pytest.fixture
def directive(people):
    DepartmentFactory(name="UBND Phường Thuỷ Nguyên", code="P-TN", kind=DepartmentKind.UBND_CAP_XA)
    DepartmentFactory(name="UBND Xã An Lão", code="X-AL", kind=DepartmentKind.UBND_CAP_XA)
    return DirectiveFactory(issue_date=dt.date(2025, 12, 11))


def read(people, directive, text=TEXT):
    return proposals.read(directive=directive, actor=people.office, text=text)


def test_reading_proposes_and_creates_nothing(people, directive):
    batch = read(people, directive)
    items = proposals.proposals_of(batch)
    assert [p.item_number for p in items] == ["1", "2", "3", "4"]
    assert items[0].lead.department_id == people.finance.pk
    assert [c.department_id for c in items[0].coordinators] == [people.construction.pk]
    assert items[0].deadline.due_date == dt.date(2025, 12, 15)
    assert items[0].output_kind == OutputKind.KE_HOACH
    assert items[2].lead.group == DepartmentKind.UBND_CAP_XA
    assert items[3].lead.department_id is None and items[3].lead.words == "Công an thành phố"
    # The source sentence is the stretch of the kept text the proposal points at.
    assert batch.text[items[1].start : items[1].end] == items[1].source
    assert Task.objects.count() == 0
    assert Event.objects.filter(kind=EventKind.TASKS_PROPOSED, directive=directive).count() == 1


def test_only_the_office_reads(people, directive):
    with pytest.raises(NotPermitted):
        proposals.read(directive=directive, actor=people.finance_head, text=TEXT)
    assert TaskProposalBatch.objects.count() == 0


def test_empty_text_is_refused_clearly(people, directive):
    with pytest.raises(WorkflowError, match="Chưa có nội dung"):
        read(people, directive, text=" \n\u200b ")


def decisions_as_proposed(batch) -> list[proposals.Decision]:
    from tracker.forms import ProposalForm

    departments = list(Department.objects.active().order_by("name"))
    result = []
    for index, item in enumerate(proposals.proposals_of(batch)):
        initial = proposals.initial_values(item)
        data = {**initial, "chosen": "on"}
        form = ProposalForm(data, departments=departments)
        if index == 3:  # the police are not in the directory: the clerk picks the office
            data["lead"] = str(Department.objects.get(code="VPUBND").pk)
            form = ProposalForm(data, departments=departments)
        assert form.is_valid(), form.errors
        result.append(proposals.decision_from_form(index, form.cleaned_data))
    return result


def test_confirm_creates_every_chosen_task_and_keeps_corrections(people, directive):
    batch = read(people, directive)
    decisions = decisions_as_proposed(batch)
    decisions[1].due_date = dt.date(2026, 3, 31)
    decisions[1].content = "Báo cáo kết quả tiêm chủng mở rộng năm 2025"
    created = proposals.confirm(batch=batch, actor=people.office, decisions=decisions)
    # One for Sở Tài chính, one for Sở Y tế, one per ward (2), one for the office.
    assert len(created) == 5
    first = Task.objects.get(lead_department=people.finance)
    assert first.due_date == dt.date(2025, 12, 15)
    assert list(first.coordinating_departments.all()) == [people.construction]
    assert first.output_kind == OutputKind.KE_HOACH
    wards = Task.objects.filter(lead_department__kind=DepartmentKind.UBND_CAP_XA)
    assert wards.count() == 2 and {t.deadline_kind for t in wards} == {DeadlineKind.MONTH}
    continuous = Task.objects.get(lead_department__code="VPUBND")
    assert continuous.deadline_kind == DeadlineKind.CONTINUOUS and continuous.due_date is None
    assert Event.objects.filter(kind=EventKind.CREATED).count() == 5
    batch.refresh_from_db()
    assert batch.state == ProposalState.CONFIRMED
    assert sorted(batch.created_tasks) == sorted(t.pk for t in created)
    changed = {row["index"]: row["changed"] for row in batch.corrections}
    assert set(changed[1]) == {"content"}
    assert changed[3]["lead"][0] is None
    assert changed[0] == {}
    summary = proposals.correction_summary([batch])
    assert summary["proposed"] == 4 and summary["kept"] == 4
    assert summary["corrected"] == {"content": 1, "lead": 1}


def test_one_bad_task_means_none_is_created(people, directive):
    batch = read(people, directive)
    decisions = decisions_as_proposed(batch)
    people.construction.is_active = False
    people.construction.deactivated_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    people.construction.save()
    with pytest.raises(WorkflowError, match="Nhiệm vụ đề xuất số 1: .*ngừng hoạt động"):
        proposals.confirm(batch=batch, actor=people.office, decisions=decisions)
    assert Task.objects.count() == 0
    batch.refresh_from_db()
    assert batch.state == ProposalState.DRAFT


def test_a_batch_is_confirmed_once(people, directive):
    batch = read(people, directive)
    decisions = decisions_as_proposed(batch)
    proposals.confirm(batch=batch, actor=people.office, decisions=decisions)
    with pytest.raises(WorkflowError) as refused:
        proposals.confirm(batch=batch, actor=people.office, decisions=decisions)
    assert refused.value.code == "conflict"
    assert Task.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_clerks_confirming_at_once_create_the_tasks_once(people, directive):
    batch = read(people, directive)
    decisions = decisions_as_proposed(batch)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def clerk() -> None:
        try:
            start.wait()
            proposals.confirm(batch=batch.pk, actor=people.office, decisions=decisions)
            outcomes.append("created")
        except WorkflowError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "created"]
    assert Task.objects.count() == 5


# --- The admin pages ------------------------------------------------------------------------


def test_admin_read_review_and_confirm(people, directive, client):
    client.force_login(people.office)
    change = reverse("admin:tracker_directive_change", args=[directive.pk])
    assert "Đề xuất nhiệm vụ từ văn bản" in client.get(change).content.decode()
    url = reverse("admin:tracker_directive_proposals", args=[directive.pk])
    response = client.post(url, {"text": TEXT})
    batch = TaskProposalBatch.objects.get()
    review = reverse("admin:tracker_directive_proposal", args=[directive.pk, batch.pk])
    assert response.status_code == 302 and response["Location"] == review
    page = client.get(review).content.decode()
    assert page.count("<mark") == 4
    assert "“Công an thành phố”" in page and "gần nhất: Văn phòng Ủy ban nhân dân thành phố" in page

    data = {}
    for index, item in enumerate(proposals.proposals_of(batch)):
        for name, value in proposals.initial_values(item).items():
            key = f"p{index}-{name}"
            if name == "chosen":
                data[key] = "on"
            else:
                data[key] = value
    data["p3-chosen"] = ""  # not a task for the city: left out
    data["p1-deadline"] = "Quý II/2026"  # corrected
    data["confirm"] = "1"
    response = client.post(review, data)
    assert response.status_code == 302 and response["Location"] == change
    assert Task.objects.count() == 4  # Sở Tài chính, Sở Y tế, two wards
    assert Task.objects.get(lead_department=people.health).due_date == dt.date(2026, 6, 30)
    batch.refresh_from_db()
    assert batch.state == ProposalState.CONFIRMED
    assert batch.corrections[3] == {"index": 3, "chosen": False, "changed": {}}


def test_admin_errors_are_shown_and_nothing_is_created(people, directive, client):
    client.force_login(people.office)
    batch = read(people, directive)
    review = reverse("admin:tracker_directive_proposal", args=[directive.pk, batch.pk])
    data = {f"p{i}-chosen": "on" for i in range(4)}
    for index, item in enumerate(proposals.proposals_of(batch)):
        for name, value in proposals.initial_values(item).items():
            if name != "chosen":
                data[f"p{index}-{name}"] = value
    data["p0-deadline"] = "cuối năm nay"
    data["confirm"] = "1"
    response = client.post(review, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không đọc được thời hạn" in page
    assert "Chọn cơ quan chủ trì." in page  # proposal 4: the police are not in the directory
    assert Task.objects.count() == 0


def test_department_staff_cannot_open_the_pages(people, directive, client):
    batch = read(people, directive)
    client.force_login(people.finance_head)
    for url in (
        reverse("admin:tracker_directive_proposals", args=[directive.pk]),
        reverse("admin:tracker_directive_proposal", args=[directive.pk, batch.pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404)


def test_admin_reads_an_uploaded_docx(people, directive, client):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "ket-luan.docx"
    client.force_login(people.office)
    url = reverse("admin:tracker_directive_proposals", args=[directive.pk])
    response = client.post(url, {"text": "", "file": buffer})
    assert response.status_code == 302
    batch = TaskProposalBatch.objects.get()
    assert batch.source_name == "ket-luan.docx" and len(batch.proposals) == 4


# --- The API --------------------------------------------------------------------------------


def test_api_read_then_confirm(people, directive, client):
    client.force_login(people.office)
    response = client.post(
        f"/api/v1/directives/{directive.pk}/proposals/",
        {"text": TEXT},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["suggested"]["deadline"] for p in body["proposals"]] == [
        "15/12/2025",
        "Quý I/2026",
        "Tháng 01/2026",
        "Thường xuyên",
    ]
    decisions = [{"index": p["index"], **p["suggested"]} for p in body["proposals"]]
    decisions[3]["chosen"] = False
    decisions[0]["deadline"] = "hôm nào đó"
    url = f"/api/v1/proposals/{body['id']}/confirm/"
    refused = client.post(url, {"decisions": decisions}, content_type="application/json")
    assert refused.status_code == 400
    assert "deadline" in refused.json()["errors"]["0"]
    assert Task.objects.count() == 0
    decisions[0]["deadline"] = "trước ngày 20/12/2025"
    done = client.post(url, {"decisions": decisions}, content_type="application/json")
    assert done.status_code == 201, done.content
    assert len(done.json()["created"]) == 4
    assert Task.objects.get(lead_department=people.finance).due_date == dt.date(2025, 12, 20)
    again = client.post(url, {"decisions": decisions}, content_type="application/json")
    assert again.status_code == 409


def test_api_refuses_department_staff(people, directive, client):
    client.force_login(people.finance_head)
    response = client.post(
        f"/api/v1/directives/{directive.pk}/proposals/",
        {"text": TEXT},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert TaskProposalBatch.objects.count() == 0


def test_a_task_for_every_department_and_ward(people, directive):
    """ "Các sở, ban, ngành, địa phương …": one task per department of both kinds."""
    batch = read(people, directive)
    decisions = decisions_as_proposed(batch)
    for decision in decisions:
        decision.chosen = decision.index == 2
    decisions[2].lead_group = "so_ban_nganh,ubnd_cap_xa"
    created = proposals.confirm(batch=batch, actor=people.office, decisions=decisions)
    expected = Department.objects.filter(
        is_active=True, kind__in=[DepartmentKind.SO_BAN_NGANH, DepartmentKind.UBND_CAP_XA]
    )
    assert {t.lead_department_id for t in created} == set(expected.values_list("pk", flat=True))
    assert len(created) == expected.count()


def test_the_form_offers_both_groups_together(people, directive):
    from tracker.forms import ProposalForm

    departments = list(Department.objects.active().order_by("name"))
    form = ProposalForm(departments=departments)
    groups = dict(form.fields["lead"].choices[1][1])
    assert "nhom:so_ban_nganh,ubnd_cap_xa" in groups
    assert "và" in str(groups["nhom:so_ban_nganh,ubnd_cap_xa"])
