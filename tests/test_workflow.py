"""The workflow core: every step through its service, every illegal step refused unchanged."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tracker import workflow
from tracker.errors import NotPermitted, WorkflowError
from tracker.models import (
    Attachment,
    DeadlineKind,
    Evaluation,
    Event,
    EventKind,
    ExtensionStatus,
    Task,
    TaskState,
)

from .conftest import Personas

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int = 12, hour: int = 9, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=HANOI)


def pdf(name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 demo", content_type="application/pdf")


def snapshot(task: Task) -> tuple:
    task.refresh_from_db()
    return (
        task.state,
        task.due_date,
        task.original_due_date,
        task.progress_percent,
        task.submitted_at,
        task.completed_at,
        task.lead_department_id,
        Event.objects.filter(task=task).count(),
        task.extension_requests.count(),
        task.submissions.count(),
        task.reports.count(),
    )


def test_a_task_goes_through_its_whole_workflow(people: Personas, tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(at(1), tick=False):
        task = workflow.task_create(
            directive=_directive(people),
            actor=people.office,
            content="Tham mưu triển khai các nghị quyết của HĐND về tài chính, ngân sách",
            lead_department=people.finance,
            coordinators=[(people.construction, "Nghị quyết về đầu tư xây dựng")],
            due_date=dt.date(2025, 12, 15),
            output_description="Kế hoạch của UBND thành phố",
        )
        workflow.task_give_to_staff(
            task=task, actor=people.finance_head, staff=[people.finance_staff]
        )
    with time_machine.travel(at(2), tick=False):
        workflow.task_accept(task=task, actor=people.finance_staff)
    with time_machine.travel(at(5), tick=False):
        workflow.progress_report(
            task=task, actor=people.finance_staff, percent=40, results="Đã dự thảo kế hoạch",
            difficulties="Chờ ý kiến Sở Tư pháp", proposals="Đề nghị gia hạn", files=[pdf("du-thao.pdf")],
        )  # fmt: skip
        workflow.progress_report(
            task=task, actor=people.construction_staff, percent=70, results="Đã góp ý phần xây dựng"
        )
        request = workflow.extension_request(
            task=task, actor=people.finance_staff, requested_due_date=dt.date(2025, 12, 31),
            reason="Chờ nghị quyết được đăng công báo",
        )  # fmt: skip
    with time_machine.travel(at(8), tick=False):
        workflow.extension_decide(
            request=request, actor=people.leader, approve=True,
            decision_number="1234/UBND-TH", decision_date=dt.date(2025, 12, 8),
        )  # fmt: skip
    task.refresh_from_db()
    assert (task.original_due_date, task.due_date) == (dt.date(2025, 12, 15), dt.date(2025, 12, 31))

    with time_machine.travel(at(20), tick=False):
        workflow.result_submit(
            task=task, actor=people.finance_staff, summary="Đã trình kế hoạch", files=[pdf()]
        )
    with time_machine.travel(at(22), tick=False):
        workflow.result_return(task=task, actor=people.office, reasons="Thiếu phân công cụ thể")
    assert Task.objects.get(pk=task.pk).state == TaskState.RETURNED
    with time_machine.travel(at(24), tick=False):
        workflow.result_submit(
            task=task, actor=people.finance_staff, summary="Đã bổ sung phân công",
            output_document_number="4512/KH-UBND",
        )  # fmt: skip
    with time_machine.travel(at(29), tick=False):
        evaluation = workflow.result_accept(
            task=task, actor=people.office, quality_grade="good", remarks="Đạt yêu cầu"
        )

    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    assert task.progress_percent == 100
    assert task.submitted_at == at(24)  # the accepted submission: the completion date
    assert task.completed_at == at(29)
    assert evaluation.submission.output_document_number == "4512/KH-UBND"
    assert task.coordinations.get().progress_percent == 70
    assert Attachment.objects.filter(task=task).count() == 2
    assert list(task.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.GIVEN_TO_STAFF,
        EventKind.ACCEPTED,
        EventKind.PROGRESS_REPORTED,
        EventKind.PROGRESS_REPORTED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.SUBMITTED,
        EventKind.RESULT_RETURNED,
        EventKind.SUBMITTED,
        EventKind.RESULT_ACCEPTED,
    ]
    approved = task.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert approved.actor == people.leader
    assert approved.changes == {"due_date": ["2025-12-15", "2025-12-31"]}


def _directive(people: Personas):
    from .factories import DirectiveFactory

    return DirectiveFactory()


# Each illegal step: what is tried, in which state the task is, and words of the message.
ILLEGAL: list[tuple[str, Callable[[Personas, Task], object], str]] = [
    ("submit before accepting", lambda p, t: workflow.result_submit(
        task=t, actor=p.finance_staff, summary="x", output_document_number="1/QĐ-UBND"),
     "Mới giao"),
    ("report before accepting", lambda p, t: workflow.progress_report(
        task=t, actor=p.finance_staff, percent=10, results="x"), "Mới giao"),
    ("evaluate a result never submitted", lambda p, t: workflow.result_accept(
        task=t, actor=p.office, quality_grade="good"), "Mới giao"),
    ("return a result never submitted", lambda p, t: workflow.result_return(
        task=t, actor=p.office, reasons="x"), "Mới giao"),
    ("resume a task that is not paused", lambda p, t: workflow.task_resume(
        task=t, actor=p.office), "Mới giao"),
    ("request an extension before accepting", lambda p, t: workflow.extension_request(
        task=t, actor=p.finance_staff, requested_due_date=dt.date(2026, 1, 31), reason="x"),
     "Mới giao"),
]  # fmt: skip


@pytest.mark.parametrize("name,attempt,words", ILLEGAL, ids=[i[0] for i in ILLEGAL])
def test_an_illegal_step_is_refused_and_changes_nothing(people, task, name, attempt, words):
    before = snapshot(task)
    with pytest.raises(WorkflowError) as refused:
        attempt(people, task)
    assert words in refused.value.message
    assert snapshot(task) == before


def test_steps_refused_after_completion_change_nothing(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    workflow.result_submit(
        task=task, actor=people.finance_staff, summary="Xong", output_document_number="9/QĐ-UBND"
    )
    workflow.result_accept(task=task, actor=people.office, quality_grade="meets")
    before = snapshot(task)
    for attempt in (
        lambda: workflow.task_accept(task=task, actor=people.finance_staff),
        lambda: workflow.task_decline(task=task, actor=people.finance_head, reason="Sai"),
        lambda: workflow.task_pause(task=task, actor=people.office, reason="Dừng"),
        lambda: workflow.task_withdraw(task=task, actor=people.office, reason="Rút"),
        lambda: workflow.result_return(task=task, actor=people.office, reasons="Lại"),
        lambda: workflow.progress_report(
            task=task, actor=people.finance_staff, percent=100, results="x"
        ),
        lambda: workflow.task_update(task=task, actor=people.office, content="Nội dung khác"),
    ):
        with pytest.raises(WorkflowError):
            attempt()
    assert snapshot(task) == before


@pytest.mark.parametrize(
    "who,attempt",
    [
        ("health_staff", lambda p, t, u: workflow.task_accept(task=t, actor=u)),
        ("construction_staff", lambda p, t, u: workflow.task_accept(task=t, actor=u)),
        ("finance_staff", lambda p, t, u: workflow.task_decline(task=t, actor=u, reason="Sai")),
        ("inspector", lambda p, t, u: workflow.task_accept(task=t, actor=u)),
        ("leader", lambda p, t, u: workflow.task_accept(task=t, actor=u)),
        ("finance_head", lambda p, t, u: workflow.task_pause(task=t, actor=u, reason="x")),
        ("finance_head", lambda p, t, u: workflow.task_update(task=t, actor=u, content="x")),
        ("inspector", lambda p, t, u: workflow.task_withdraw(task=t, actor=u, reason="x")),
    ],
)
def test_people_without_the_right_are_refused(people, task, who, attempt) -> None:
    before = snapshot(task)
    with pytest.raises(NotPermitted) as refused:
        attempt(people, task, getattr(people, who))
    assert "không có quyền" in refused.value.message
    assert snapshot(task) == before


def test_a_coordinator_reports_its_part_but_cannot_submit_the_result(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    workflow.progress_report(
        task=task, actor=people.construction_staff, percent=50, results="Góp ý"
    )
    task.refresh_from_db()
    assert task.progress_percent == 0
    assert task.coordinations.get().progress_percent == 50
    with pytest.raises(NotPermitted):
        workflow.result_submit(
            task=task, actor=people.construction_staff, summary="x", output_document_number="1/QĐ"
        )


def test_a_result_without_evidence_is_refused(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    before = snapshot(task)
    with pytest.raises(WorkflowError) as refused:
        workflow.result_submit(task=task, actor=people.finance_staff, summary="Đã xong")
    assert refused.value.code == "no_evidence"
    assert "minh chứng" in refused.value.message
    assert snapshot(task) == before


def test_a_file_of_a_forbidden_kind_is_refused(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    before = snapshot(task)
    virus = SimpleUploadedFile("bao-cao.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(WorkflowError, match="không thuộc loại được phép"):
        workflow.progress_report(
            task=task, actor=people.finance_staff, percent=10, results="x", files=[virus]
        )
    assert snapshot(task) == before


def test_a_decline_needs_a_reason_and_stays_on_record_after_reassignment(people, task) -> None:
    with pytest.raises(WorkflowError, match="lý do từ chối"):
        workflow.task_decline(task=task, actor=people.finance_head, reason="  ")
    workflow.task_decline(
        task=task, actor=people.finance_head, reason="Thuộc chức năng Sở Xây dựng"
    )
    workflow.task_reassign(task=task, actor=people.office, lead_department=people.construction)
    task.refresh_from_db()
    assert task.state == TaskState.ASSIGNED
    assert task.lead_department == people.construction
    # The new lead no longer coordinates its own task.
    assert not task.coordinations.exists()
    declined = task.events.get(kind=EventKind.DECLINED)
    assert declined.note == "Thuộc chức năng Sở Xây dựng"
    assert declined.actor == people.finance_head


def test_pause_and_resume_return_to_the_same_state(people, task) -> None:
    workflow.task_accept(task=task, actor=people.finance_staff)
    workflow.task_pause(task=task, actor=people.leader, reason="Chờ chủ trương mới")
    assert Task.objects.get(pk=task.pk).state == TaskState.PAUSED
    workflow.task_resume(task=task, actor=people.office)
    task.refresh_from_db()
    assert (task.state, task.state_before_pause) == (TaskState.IN_PROGRESS, "")


def test_withdrawing_closes_a_pending_extension(people, task) -> None:
    with time_machine.travel(at(1), tick=False):
        workflow.task_accept(task=task, actor=people.finance_staff)
        request = workflow.extension_request(
            task=task, actor=people.finance_staff, requested_due_date=dt.date(2025, 12, 31),
            reason="Cần thêm thời gian",
        )  # fmt: skip
        workflow.task_withdraw(task=task, actor=people.leader, reason="Không còn phù hợp")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REJECTED
    assert Task.objects.get(pk=task.pk).state == TaskState.WITHDRAWN


class TestExtensions:
    @pytest.fixture(autouse=True)
    def _accepted(self, people, task):
        with time_machine.travel(at(1), tick=False):
            workflow.task_accept(task=task, actor=people.finance_staff)

    def request(self, people, task, day=dt.date(2025, 12, 31)):
        with time_machine.travel(at(5), tick=False):
            return workflow.extension_request(
                task=task, actor=people.finance_staff, requested_due_date=day, reason="Chờ số liệu"
            )

    def test_the_new_date_must_be_later_than_the_current_one(self, people, task) -> None:
        before = snapshot(task)
        with pytest.raises(WorkflowError, match="sau hạn hiện tại 15/12/2025"):
            self.request(people, task, dt.date(2025, 12, 10))
        assert snapshot(task) == before

    def test_one_pending_request_at_a_time(self, people, task) -> None:
        self.request(people, task)
        with pytest.raises(WorkflowError, match="đang chờ quyết định"):
            self.request(people, task, dt.date(2026, 1, 15))

    def test_approval_needs_the_decision_document(self, people, task) -> None:
        request = self.request(people, task)
        before = snapshot(task)
        with pytest.raises(WorkflowError, match="số văn bản"):
            workflow.extension_decide(request=request, actor=people.office, approve=True)
        assert snapshot(task) == before

    def test_rejection_keeps_the_due_date_and_needs_reasons(self, people, task) -> None:
        request = self.request(people, task)
        with pytest.raises(WorkflowError, match="lý do"):
            workflow.extension_decide(request=request, actor=people.office, approve=False)
        workflow.extension_decide(
            request=request, actor=people.office, approve=False, note="Không có căn cứ"
        )
        task.refresh_from_db()
        assert task.due_date == dt.date(2025, 12, 15)

    def test_a_decided_request_cannot_be_decided_again(self, people, task) -> None:
        request = self.request(people, task)
        workflow.extension_decide(
            request=request, actor=people.office, approve=False, note="Không có căn cứ"
        )
        with pytest.raises(WorkflowError, match="đã được quyết định"):
            workflow.extension_decide(
                request=request, actor=people.leader, approve=True,
                decision_number="1/UBND", decision_date=dt.date(2025, 12, 9),
            )  # fmt: skip

    def test_a_request_after_the_due_date_is_refused(self, people, task) -> None:
        with time_machine.travel(at(16), tick=False), pytest.raises(WorkflowError) as refused:
            workflow.extension_request(
                task=task, actor=people.finance_staff,
                requested_due_date=dt.date(2025, 12, 31), reason="Muộn",
            )  # fmt: skip
        assert refused.value.code == "too_late"

    def test_a_quarter_deadline_moved_to_a_plain_date_becomes_a_date(self, people, task) -> None:
        Task.objects.filter(pk=task.pk).update(
            deadline_kind=DeadlineKind.QUARTER,
            due_date=dt.date(2025, 12, 31),
            original_due_date=dt.date(2025, 12, 31),
        )
        request = self.request(people, task, dt.date(2026, 1, 20))
        workflow.extension_decide(
            request=request, actor=people.office, approve=True,
            decision_number="15/UBND-TH", decision_date=dt.date(2025, 12, 20),
        )  # fmt: skip
        task.refresh_from_db()
        assert task.deadline_label == "20/01/2026"
        assert task.original_due_date == dt.date(2025, 12, 31)
        assert task.original_deadline_label == "31/12/2025"


def test_the_deadline_cannot_be_edited_once_the_department_accepted(people, task) -> None:
    workflow.task_update(task=task, actor=people.office, due_date=dt.date(2025, 12, 20))
    task.refresh_from_db()
    assert (task.due_date, task.original_due_date) == (dt.date(2025, 12, 20),) * 2
    workflow.task_accept(task=task, actor=people.finance_staff)
    before = snapshot(task)
    with pytest.raises(WorkflowError, match="đề nghị gia hạn"):
        workflow.task_update(task=task, actor=people.office, due_date=dt.date(2026, 1, 20))
    assert snapshot(task) == before


def test_an_edit_records_what_changed_from_what_to_what(people, task) -> None:
    workflow.task_update(
        task=task, actor=people.office, quality_requirement="Đúng hạn, đủ nội dung"
    )
    event = task.events.get(kind=EventKind.EDITED)
    assert event.changes == {
        "quality_requirement": ["Đồng bộ, kịp thời, đúng quy định", "Đúng hạn, đủ nội dung"]
    }
    assert event.actor == people.office


def test_a_quarter_deadline_means_the_last_day_of_the_quarter(people) -> None:
    task = workflow.task_create(
        directive=_directive(people), actor=people.office, content="Kịch bản tăng trưởng 2026",
        lead_department=people.finance, deadline_kind=DeadlineKind.QUARTER,
        due_date=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert task.due_date == dt.date(2026, 6, 30)
    assert task.deadline_label == "Quý II/2026"


def test_the_lead_cannot_also_coordinate(people) -> None:
    with pytest.raises(WorkflowError, match="cơ quan chủ trì"):
        workflow.task_create(
            directive=_directive(people), actor=people.office, content="Việc",
            lead_department=people.finance, coordinators=[(people.finance, "")],
            due_date=dt.date(2026, 1, 1),
        )  # fmt: skip
    assert not Task.objects.exists()


def test_a_second_evaluator_is_told_and_overwrites_nothing(people, task) -> None:
    second_office = type(people.office).objects.create_user("vanphong2", password="x")
    second_office.groups.set(people.office.groups.all())
    workflow.task_accept(task=task, actor=people.finance_staff)
    workflow.result_submit(
        task=task, actor=people.finance_staff, summary="Xong", output_document_number="9/QĐ-UBND"
    )
    workflow.result_accept(task=task, actor=people.office, quality_grade="excellent")
    with pytest.raises(WorkflowError) as refused:
        workflow.result_return(task=task, actor=second_office, reasons="Chưa đạt")
    assert refused.value.code == "already_evaluated"
    assert "Trần Thị Hoa" in refused.value.message
    assert Evaluation.objects.get().quality_grade == "excellent"
    assert Task.objects.get(pk=task.pk).state == TaskState.COMPLETED


@pytest.mark.django_db(transaction=True)
def test_two_evaluators_at_the_same_moment_record_one_evaluation(people, task) -> None:
    # Real concurrency: PostgreSQL's row lock, or SQLite's BEGIN IMMEDIATE on the test file.
    workflow.task_accept(task=task, actor=people.finance_staff)
    workflow.result_submit(
        task=task, actor=people.finance_staff, summary="Xong", output_document_number="9/QĐ-UBND"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def evaluate(step: Callable[[], object]) -> None:
        try:
            barrier.wait()
            step()
            outcomes.append("ok")
        except WorkflowError as error:
            outcomes.append(error.code)
        finally:
            connection.close()  # a thread's own connection: let the test database go

    threads = [
        threading.Thread(target=evaluate, args=(lambda: workflow.result_accept(
            task=task.pk, actor=people.office, quality_grade="good"),)),
        threading.Thread(target=evaluate, args=(lambda: workflow.result_return(
            task=task.pk, actor=people.administrator, reasons="Chưa đạt"),)),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_evaluated", "ok"]
    assert Evaluation.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=task.pk).state in (TaskState.COMPLETED, TaskState.RETURNED)
