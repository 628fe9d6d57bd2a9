"""Scores under Nghị định 335/2025 checked against tables computed by hand (docs/scoring.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tracker import scoring, workflow
from tracker.errors import WorkflowError
from tracker.models import Grade, PeriodKind, PeriodResult, ReportingPeriod, Task

from .conftest import Personas
from .factories import DirectiveFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, tzinfo=HANOI)


def d(day: str) -> dt.date:
    return dt.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


def make(people: Personas, department, content: str, due: str | None = "15/12/2025") -> Task:
    return workflow.task_create(
        directive=DirectiveFactory(),
        actor=people.office,
        content=content,
        lead_department=department,
        deadline_kind="date" if due else "continuous",
        due_date=d(due) if due else None,
        at=at("01/12/2025"),
    )


def finish(
    people, task, *, submitted: str, accepted: str, errors=0, objective=False, returned=None
):
    workflow.task_accept(task=task, actor=people.office, at=at("02/12/2025"))
    if returned:
        workflow.result_submit(
            task=task, actor=people.office, summary="Lần 1", output_document_number="1/KH",
            at=at(returned[0]),
        )  # fmt: skip
        workflow.result_return(task=task, actor=people.office, reasons="Thiếu", at=at(returned[1]))
    workflow.result_submit(
        task=task, actor=people.office, summary="Xong", output_document_number="2/KH",
        at=at(submitted),
    )  # fmt: skip
    workflow.result_accept(
        task=task, actor=people.office, quality_grade="good", major_error_count=errors,
        objective_cause_confirmed=objective, at=at(accepted),
    )  # fmt: skip


@pytest.fixture
def december(people: Personas) -> dict[str, Task]:
    """Sở Tài chính's December 2025, the table of docs/scoring.md."""
    f = people.finance
    tasks = {
        "on_time": make(people, f, "Đúng hạn"),
        "late_objective": make(people, f, "Chậm, có nguyên nhân khách quan"),
        "late": make(people, f, "Chậm, một lỗi lớn"),
        "returned": make(people, f, "Trả lại rồi công nhận"),
        "continuous": make(people, f, "Thường xuyên", due=None),
        "overdue": make(people, f, "Quá hạn, chưa xong"),
        "withdrawn": make(people, f, "Đã rút"),
        "later": make(people, f, "Hạn tháng 1", due="31/01/2026"),
    }
    finish(people, tasks["on_time"], submitted="14/12/2025", accepted="16/12/2025")
    finish(
        people,
        tasks["late_objective"],
        submitted="17/12/2025",
        accepted="18/12/2025",
        objective=True,
    )
    finish(people, tasks["late"], submitted="18/12/2025", accepted="19/12/2025", errors=1)
    finish(people, tasks["returned"], submitted="13/12/2025", accepted="15/12/2025",
           returned=("10/12/2025", "11/12/2025"))  # fmt: skip
    finish(people, tasks["continuous"], submitted="20/12/2025", accepted="22/12/2025")
    workflow.task_accept(task=tasks["overdue"], actor=people.office, at=at("02/12/2025"))
    workflow.task_accept(task=tasks["later"], actor=people.office, at=at("02/12/2025"))
    workflow.task_withdraw(
        task=tasks["withdrawn"], actor=people.office, reason="Trùng", at=at("05/12/2025")
    )
    return tasks


@pytest.fixture
def period(db) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        kind=PeriodKind.MONTH, start=d("01/12/2025"), end=d("31/12/2025")
    )


def finance_score(period) -> scoring.DepartmentScore:
    return next(s for s in scoring.live_scores(period) if s.department.code == "STC")


def test_the_hand_computed_table(people, december, period) -> None:
    scoring.general_score_set(
        period=period, department=people.finance, points=Decimal(27), actor=people.office
    )
    score = finance_score(period)
    # 7 tasks count (the withdrawn one does not); 5 finished.
    assert (score.table.total, score.table.finished) == (7, 5)
    assert score.quantity == Decimal("15.00")  # 21 × 5/7
    assert score.quality == Decimal("19.95")  # 21 × (1 + 1 + 0.75 + 1 + 1)/5
    assert score.progress == Decimal("25.67")  # 28 × (1 + 1 + 0.75 + 1 + 0.75 + 1)/6
    assert score.total == Decimal("87.62")  # 27 + 15 + 19.95 + 25.67
    assert score.grade == Grade.GOOD


def test_a_return_can_count_as_a_major_error(people, december, period) -> None:
    rules = scoring.active_rules()
    rules.count_returns_as_errors = True
    scoring.rules_save(rules=rules, actor=people.office)
    score = finance_score(period)
    assert score.quality == Decimal("18.90")  # 21 × (1 + 1 + 0.75 + 0.75 + 1)/5


def test_the_database_and_python_agree_on_the_facts(december, period) -> None:
    tasks = Task.objects.prefetch_related("evaluations")
    in_database = sorted(scoring.task_facts(tasks, period.start, period.end), key=repr)
    in_python = sorted(scoring.facts_for(list(tasks), period.start, period.end), key=repr)
    assert in_database == in_python


def test_excellent_is_held_to_a_fifth_of_those_rated_good_or_better(people) -> None:
    rules = scoring.active_rules()
    departments = [
        type(people.finance).objects.create(name=f"Đơn vị {n}", code=f"DV{n}") for n in range(6)
    ]
    scores = [
        scoring.DepartmentScore(
            department=dept, table=scoring.Table(), general=Decimal(30), general_entered=True,
            quantity=Decimal(0), quality=Decimal(0), progress=Decimal(0), total=Decimal(total),
        )
        for dept, total in zip(departments, [92, 95, 91, 80, 75, 40], strict=True)
    ]  # fmt: skip
    ranked = scoring.rank(scores, rules)
    assert [(s.total, s.grade, s.capped) for s in ranked] == [
        (Decimal(95), Grade.EXCELLENT, False),
        (Decimal(92), Grade.GOOD, True),
        (Decimal(91), Grade.GOOD, True),
        (Decimal(80), Grade.GOOD, False),
        (Decimal(75), Grade.GOOD, False),
        (Decimal(40), Grade.FAIL, False),
    ]
    assert [s.rank for s in ranked] == [1, 2, 3, 4, 5, 6]


def test_a_closed_period_is_not_changed_by_later_edits(people, december, period) -> None:
    with time_machine.travel(at("05/01/2026"), tick=False):
        scoring.general_score_set(
            period=period, department=people.finance, points=Decimal(27), actor=people.office
        )
        scoring.period_close(period=period, actor=people.office)
        published = [
            (r.department_id, r.total, r.grade, r.rank) for r in PeriodResult.objects.all()
        ]
        # Afterwards a December task is withdrawn, which moves the live December figures,
        # and re-entering the general score is refused.
        workflow.task_withdraw(task=december["later"], actor=people.office, reason="Không cần")
        with pytest.raises(WorkflowError, match="đã chốt"):
            scoring.general_score_set(
                period=period, department=people.finance, points=Decimal(30), actor=people.office
            )
        with pytest.raises(WorkflowError, match="đã được chốt"):
            scoring.period_close(period=period, actor=people.office)
    period.refresh_from_db()
    assert period.closed_by == people.office
    assert period.rules_snapshot["general_points"] == "30.00"
    frozen = [(s.department.pk, s.total, s.grade, s.rank) for s in scoring.ranking(period)]
    assert frozen == published
    live = finance_score(period)
    assert live.total != frozen[0][1]  # the live figure moved; the published one did not


def test_an_unfinished_period_cannot_be_closed(people, period) -> None:
    with (
        time_machine.travel(at("20/12/2025"), tick=False),
        pytest.raises(WorkflowError, match="chưa kết thúc"),
    ):
        scoring.period_close(period=period, actor=people.office)
    assert not ReportingPeriod.objects.get(pk=period.pk).is_closed


def test_only_the_office_scores_and_closes(people, period) -> None:
    for who in (people.leader, people.finance_head, people.inspector):
        with pytest.raises(WorkflowError):
            scoring.general_score_set(
                period=period, department=people.finance, points=Decimal(20), actor=who
            )
        with pytest.raises(WorkflowError):
            scoring.period_close(period=period, actor=who)


def test_general_points_are_bounded(people, period) -> None:
    with pytest.raises(WorkflowError, match="từ 0 đến 30"):
        scoring.general_score_set(
            period=period, department=people.finance, points=Decimal(31), actor=people.office
        )


def test_the_weights_must_add_up_to_100(people) -> None:
    rules = scoring.active_rules()
    rules.progress_points = Decimal(30)
    with pytest.raises(WorkflowError, match="bằng 100"):
        scoring.rules_save(rules=rules, actor=people.office)


def test_period_bounds() -> None:
    assert scoring.period_bounds("quarter", d("15/11/2025")) == (d("01/10/2025"), d("31/12/2025"))
    assert scoring.period_bounds("month", d("15/02/2028")) == (d("01/02/2028"), d("29/02/2028"))
    assert scoring.period_bounds("year", d("15/02/2026")) == (d("01/01/2026"), d("31/12/2026"))


def test_scores_query_count_does_not_grow_with_tasks(
    people, december, period, django_assert_max_num_queries
) -> None:
    scoring.active_rules()
    with django_assert_max_num_queries(5):
        # facts, the table, the general scores, the departments (the rules are cached above)
        scoring.live_scores(period)


def test_the_office_scores_ranks_closes_and_exports_in_the_admin(people, december) -> None:
    import io

    import openpyxl
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(people.office)
    added = client.post(
        reverse("admin:tracker_reportingperiod_add"), {"kind": "month", "day": "15/12/2025"}
    )
    assert added.status_code == 302, added.content.decode()[:1000]
    period = ReportingPeriod.objects.get()
    assert (period.start, period.end) == (d("01/12/2025"), d("31/12/2025"))
    entered = client.post(
        reverse("admin:tracker_generalcriteriascore_add"),
        {"period": period.pk, "department": people.finance.pk, "points": "27", "note": "Tốt"},
    )
    assert entered.status_code == 302
    page = client.get(reverse("admin:tracker_reportingperiod_change", args=[period.pk]))
    body = page.content.decode()
    assert "87.62" in body or "87,62" in body
    assert "Tạm tính" in body
    with time_machine.travel(at("05/01/2026"), tick=False):
        client.post(
            reverse("admin:tracker_reportingperiod_changelist"),
            {"action": "close_selected", "_selected_action": [period.pk]},
        )
    period.refresh_from_db()
    assert period.is_closed
    client.force_login(people.office)  # the session set in January has long expired
    response = client.get(reverse("admin:tracker_reportingperiod_excel", args=[period.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "Tháng 12/2025" in sheet.cell(1, 1).value
    assert "đã chốt" in sheet.cell(1, 1).value
    assert sheet.cell(2, 2).value == "Đơn vị"
    row = [c.value for c in sheet[3]]
    assert row[:4] == [1, "Sở Tài chính", "Nguyễn Văn Hùng", 7]
    assert row[15] == 87.62
    assert row[16] == "Hoàn thành tốt nhiệm vụ"
    # A leader reads the ranking but cannot close or score.
    leader = Client()
    leader.force_login(people.leader)
    assert (
        leader.get(reverse("admin:tracker_reportingperiod_change", args=[period.pk])).status_code
        == 200
    )
    assert leader.get(reverse("admin:tracker_generalcriteriascore_add")).status_code == 403
