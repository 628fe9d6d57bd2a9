"""Importing a plan's task table: headers as agencies write them, a dry run that shows every
row, a commit that creates all rows or none, and an exported list that reads back."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from tracker import exports, imports, workflow
from tracker.errors import WorkflowError
from tracker.models import DeadlineKind, Event, EventKind, OutputKind, Task

from .factories import DepartmentFactory, DirectiveFactory

HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn"]


def xlsx(rows: list[list[object]], *, before: list[list[object]] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [*before, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], *, bom: bool, delimiter: str = ",") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def plan_of(directive, data: bytes, name: str = "bang.xlsx") -> imports.ImportPlan:
    return imports.plan_from_file(directive, data, name)


@pytest.fixture
def directive(people):
    return DirectiveFactory()


# --- Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        HEADER,
        [
            "TT",
            "Nội dung",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Sản phẩm đầu ra",
            "Thời gian hoàn thành",
        ],
        ["Số thứ tự", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Kết quả", "Thời hạn hoàn thành"],
        [
            "stt",
            "TÊN NHIỆM VỤ",
            "co quan chu tri",
            "CƠ QUAN PHỐI HỢP",
            "san pham",
            "Hạn hoàn thành",
        ],
    ],
)
def test_header_variants_are_recognised_below_a_title(people, directive, header):
    # Decomposed Unicode (as some Windows tools write it) matches once NFC-normalised.
    header = [__import__("unicodedata").normalize("NFD", h) for h in header]
    data = xlsx(
        [header, [1, "Xây dựng kế hoạch", "Sở Tài chính", "Sở Xây dựng", "Kế hoạch", "15/12/2025"]],
        before=[["PHỤ LỤC"], ["Danh mục nhiệm vụ"], []],
    )
    plan = plan_of(directive, data)
    assert plan.is_valid, plan.as_dict()
    [row] = plan.rows
    assert row.line == 5
    assert row.item_number == "1"
    assert row.content == "Xây dựng kế hoạch"
    assert row.lead_department == people.finance
    assert row.coordinators == [people.construction]
    assert row.output_kind == OutputKind.KE_HOACH
    assert (row.deadline_kind, row.due_date) == (DeadlineKind.DATE, dt.date(2025, 12, 15))


def test_no_header_row_is_a_clear_file_error(people, directive):
    plan = plan_of(directive, xlsx([["a", "b"], ["c", "d"]]))
    assert not plan.is_valid
    assert "Không tìm thấy dòng tiêu đề" in plan.errors[0]


def test_other_file_kinds_are_refused(people, directive):
    plan = imports.plan_from_file(directive, b"\xd0\xcf\x11\xe0", "cu.xls")
    assert "xlsx" in plan.errors[0]
    plan = imports.plan_from_file(directive, b"PK\x03\x04rubbish", "hong.xlsx")
    assert "Không đọc được tệp Excel" in plan.errors[0]


@pytest.mark.parametrize(
    "text,kind,due",
    [
        ("15/12/2025", DeadlineKind.DATE, dt.date(2025, 12, 15)),
        ("Tháng 12/2025", DeadlineKind.MONTH, dt.date(2025, 12, 31)),
        ("Quý II/2026", DeadlineKind.QUARTER, dt.date(2026, 6, 30)),
        ("Năm 2026", DeadlineKind.YEAR, dt.date(2026, 12, 31)),
        ("Thường xuyên", DeadlineKind.CONTINUOUS, None),
        # A real date cell: Excel dates have no time zone.
        (dt.datetime(2026, 3, 31), DeadlineKind.DATE, dt.date(2026, 3, 31)),  # noqa: DTZ001
    ],
)
def test_each_deadline_form(people, directive, text, kind, due):
    plan = plan_of(directive, xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", text]]))
    assert plan.is_valid, plan.as_dict()
    assert (plan.rows[0].deadline_kind, plan.rows[0].due_date) == (kind, due)


def test_an_unreadable_deadline_gets_a_clear_message(people, directive):
    plan = plan_of(
        directive, xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", "sớm nhất có thể"]])
    )
    assert not plan.is_valid
    [error] = plan.rows[0].errors
    assert "Không đọc được thời hạn “sớm nhất có thể”" in error
    assert "Quý II/2026" in error


def test_an_unknown_department_gets_the_closest_names(people, directive):
    DepartmentFactory(name="Sở Tài nguyên và Môi trường", code="STNMT")
    plan = plan_of(directive, xlsx([HEADER, [1, "Việc", "Sở Tài chánh", "", "", "Năm 2026"]]))
    assert not plan.is_valid
    [error] = plan.rows[0].errors
    assert "Không tìm thấy đơn vị “Sở Tài chánh”" in error
    assert "Sở Tài chính" in error
    assert plan.rows[0].status == imports.RowStatus.INVALID


def test_departments_match_by_code_and_without_prefix_or_diacritics(people, directive):
    culture = DepartmentFactory(name="Sở Văn hóa, Thể thao và Du lịch", code="SVHTTDL")
    ward = DepartmentFactory(name="UBND phường Lê Chân", code="PLC")
    rows = [
        HEADER,
        [1, "Việc một", "STC", "Sở Xây dựng; Sở Văn hóa, Thể thao và Du lịch", "", "Năm 2026"],
        [2, "Việc hai", "tai  chinh", "SXD, phường Lê Chân\nSở Y tế", "", "Năm 2026"],
        [3, "Việc ba", "Sở Tài chính", "Sở Xây dựng, Sở Không Có", "", "Năm 2026"],
    ]
    plan = plan_of(directive, xlsx(rows))
    one, two, three = plan.rows
    assert one.lead_department == people.finance and not one.errors
    assert one.coordinators == [people.construction, culture]
    assert two.lead_department == people.finance and not two.errors
    assert two.coordinators == [people.construction, ward, people.health]
    assert three.coordinators == [people.construction]
    assert any("Sở Không Có" in e for e in three.errors)


def test_task_input_checks_apply_to_each_row(people, directive):
    plan = plan_of(
        directive,
        xlsx(
            [
                HEADER,
                [1, "Việc", "Sở Tài chính", "Sở Tài chính", "", "Năm 2026"],
                [2, "", "Sở Y tế", "", "", "Năm 2026"],
            ]
        ),
    )
    first, second = plan.rows
    assert "không thể đồng thời là cơ quan phối hợp" in first.errors[0]
    assert second.errors == ["Thiếu nội dung nhiệm vụ."]


def test_blank_rows_numbering_rows_and_group_headings(people, directive):
    rows = [
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["I", "Lĩnh vực kinh tế", None, None, None, None],
        [1, "Việc một", "Sở Tài chính", "", "", "Năm 2026"],
        [None, None, None, None, None, None],
        ["", "  ", "", "", "", ""],
        [2, "Việc hai", "Sở Y tế", "", "", "Quý I/2026"],
    ]
    plan = plan_of(directive, xlsx(rows))
    assert plan.is_valid
    assert [r.status for r in plan.rows] == ["group", "new", "new"]
    assert [r.line for r in plan.rows] == [3, 4, 7]
    assert plan.rows[1].group == "Lĩnh vực kinh tế"


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_and_without_bom(people, directive, bom, delimiter):
    data = csv_bytes(
        [
            HEADER,
            ["1", "Việc một", "Sở Tài chính", "Sở Xây dựng, Sở Y tế", "Báo cáo", "Tháng 12/2025"],
        ],
        bom=bom,
        delimiter=delimiter,
    )
    plan = plan_of(directive, data, "bang.csv")
    assert plan.is_valid, plan.as_dict()
    [row] = plan.rows
    assert row.item_number == "1"
    assert row.coordinators == [people.construction, people.health]
    assert row.output_kind == OutputKind.BAO_CAO
    assert row.due_date == dt.date(2025, 12, 31)


def test_csv_not_in_utf8_is_refused_clearly(people, directive):
    data = "STT,Nhiệm vụ\n".encode("utf-16")
    plan = plan_of(directive, data, "bang.csv")
    assert "UTF-8" in plan.errors[0]


# --- Committing --------------------------------------------------------------------------------


def test_commit_creates_every_row_with_events(people, directive):
    rows = [
        HEADER,
        [1, "Việc một", "Sở Tài chính", "Sở Xây dựng", "Kế hoạch", "Quý II/2026"],
        [2, "Việc hai", "Sở Y tế", "", "", "Thường xuyên"],
    ]
    plan = plan_of(directive, xlsx(rows))
    created = imports.import_commit(directive=directive, plan=plan, actor=people.office)
    assert [t.content for t in created] == ["Việc một", "Việc hai"]
    first = created[0]
    assert first.lead_department == people.finance
    assert list(first.coordinating_departments.all()) == [people.construction]
    assert first.due_date == first.original_due_date == dt.date(2026, 6, 30)
    assert created[1].deadline_kind == DeadlineKind.CONTINUOUS and created[1].due_date is None
    assert Event.objects.filter(task__in=created, kind=EventKind.CREATED).count() == 2


def test_one_bad_row_means_nothing_is_created(people, directive):
    rows = [
        HEADER,
        [1, "Việc một", "Sở Tài chính", "", "", "Năm 2026"],
        [2, "Việc hai", "Sở Không Có", "", "", "Năm 2026"],
    ]
    plan = plan_of(directive, xlsx(rows))
    assert not plan.is_valid
    with pytest.raises(WorkflowError, match="còn 1 lỗi"):
        imports.import_commit(directive=directive, plan=plan, actor=people.office)
    assert not Task.objects.filter(directive=directive).exists()


def test_a_failure_inside_task_create_rolls_everything_back(people, directive):
    rows = [HEADER, *([n, f"Việc {n}", "Sở Tài chính", "", "", "Năm 2026"] for n in (1, 2, 3))]
    plan = plan_of(directive, xlsx(rows))
    real = workflow.task_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["item_number"])
        if len(calls) == 3:
            raise WorkflowError("Lỗi giả lập")
        return real(**kwargs)

    with (
        mock.patch.object(workflow, "task_create", failing),
        pytest.raises(WorkflowError, match="Dòng 4: Lỗi giả lập"),
    ):
        imports.import_commit(directive=directive, plan=plan, actor=people.office)
    assert calls == ["1", "2", "3"]
    assert not Task.objects.filter(directive=directive).exists()
    assert not Event.objects.filter(directive=directive).exists()


def test_only_the_office_may_commit(people, directive):
    plan = plan_of(directive, xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", "Năm 2026"]]))
    with pytest.raises(WorkflowError):
        imports.import_commit(directive=directive, plan=plan, actor=people.finance_head)
    assert not Task.objects.filter(directive=directive).exists()


def test_duplicate_rows_in_one_file_are_an_error(people, directive):
    row = [1, "Việc", "Sở Tài chính", "", "", "Năm 2026"]
    plan = plan_of(directive, xlsx([HEADER, row, row]))
    assert "Trùng với dòng 2" in plan.rows[1].errors[0]


# --- The admin ---------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_upload_dry_run_then_confirm(people, directive):
    client = signed_in(people.office)
    change = client.get(reverse("admin:tracker_directive_change", args=[directive.pk]))
    url = reverse("admin:tracker_directive_import", args=[directive.pk])
    assert url in change.content.decode()
    assert "Nhập bảng nhiệm vụ (Excel/CSV)" in change.content.decode()
    assert client.get(url).status_code == 200
    data = xlsx(
        [
            HEADER,
            [1, "Việc một", "Sở Tài chính", "Sở Xây dựng", "Kế hoạch", "Quý II/2026"],
            [2, "Việc hai", "Sở Y tế", "", "", "15/12/2025"],
        ]
    )
    response = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Việc một" in page and "Việc hai" in page and "Quý II/2026" in page
    assert "Xác nhận tạo 2 nhiệm vụ" in page
    assert not Task.objects.filter(directive=directive).exists()
    token = response.context["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    tasks = Task.objects.filter(directive=directive).order_by("item_number")
    assert [t.content for t in tasks] == ["Việc một", "Việc hai"]
    assert (
        Event.objects.filter(task__in=tasks, kind=EventKind.CREATED, actor=people.office).count()
        == 2
    )
    # The stash is gone: confirming twice creates nothing more.
    client.post(url, {"confirm": "1", "token": token})
    assert Task.objects.filter(directive=directive).count() == 2


def test_admin_dry_run_shows_errors_and_no_confirm_button(people, directive):
    client = signed_in(people.office)
    url = reverse("admin:tracker_directive_import", args=[directive.pk])
    data = xlsx([HEADER, [1, "Việc", "Sở Tài chánh", "", "", "sớm nhất có thể"]])
    page = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", data)}).content.decode()
    assert "Không tìm thấy đơn vị" in page and "Không đọc được thời hạn" in page
    assert "Xác nhận tạo" not in page


def test_admin_refuses_another_users_token_and_non_office(people, directive):
    url = reverse("admin:tracker_directive_import", args=[directive.pk])
    data = xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", "Năm 2026"]])
    response = signed_in(people.office).post(url, {"file": SimpleUploadedFile("bang.xlsx", data)})
    token = response.context["token"]
    signed_in(people.administrator).post(url, {"confirm": "1", "token": token})
    assert not Task.objects.filter(directive=directive).exists()
    assert signed_in(people.leader).get(url).status_code == 403


# --- The API -----------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_dry_run_then_commit(people, directive):
    url = reverse("api:directive_import", args=[directive.pk])
    data = xlsx([HEADER, [1, "Việc một", "Sở Tài chính", "Sở Xây dựng", "", "Năm 2026"]])
    response = api(people.office).post(
        url, {"file": SimpleUploadedFile("b.xlsx", data)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["valid"] is True and body["summary"]["new"] == 1
    assert body["rows"][0]["lead_department"]["id"] == people.finance.pk
    assert body["rows"][0]["due_date"] == "2026-12-31"
    assert not Task.objects.filter(directive=directive).exists()
    response = api(people.office).post(
        url, {"file": SimpleUploadedFile("b.xlsx", data), "dry_run": "false"}, format="multipart"
    )
    assert response.status_code == 201
    ids = response.json()["created"]
    assert list(Task.objects.filter(directive=directive).values_list("pk", flat=True)) == ids


def test_api_invalid_plan_is_400_with_the_rows(people, directive):
    url = reverse("api:directive_import", args=[directive.pk])
    data = xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", "sớm nhất có thể"]])
    response = api(people.office).post(
        url, {"file": SimpleUploadedFile("b.xlsx", data), "dry_run": "false"}, format="multipart"
    )
    assert response.status_code == 400
    assert "Không đọc được thời hạn" in response.json()["rows"][0]["errors"][0]
    assert not Task.objects.filter(directive=directive).exists()


def test_api_permissions(people, task):
    url = reverse("api:directive_import", args=[task.directive_id])
    data = xlsx([HEADER, [1, "Việc", "Sở Tài chính", "", "", "Năm 2026"]])
    for who, expected in [
        ("finance_staff", 403),
        ("leader", 403),
        ("health_staff", 404),
        ("office", 200),
    ]:
        response = api(getattr(people, who)).post(
            url, {"file": SimpleUploadedFile("b.xlsx", data)}, format="multipart"
        )
        assert response.status_code == expected, who
    assert APIClient().post(url).status_code in (401, 403)


# --- Round trip --------------------------------------------------------------------------------


def test_an_exported_list_imports_back(people, directive, tmp_path):
    culture = DepartmentFactory(name="Sở Văn hóa, Thể thao và Du lịch", code="SVHTTDL")
    made = [
        workflow.task_create(
            directive=directive, actor=people.office, item_number="1", content="Lập đề án",
            lead_department=people.finance, coordinators=[(people.construction, ""), (culture, "")],
            output_kind=OutputKind.DE_AN, deadline_kind=DeadlineKind.QUARTER, due_date=dt.date(2026, 6, 1),
        ),
        workflow.task_create(
            directive=directive, actor=people.office, item_number="2", content="Báo cáo định kỳ",
            lead_department=people.health, output_description="Báo cáo kết quả hằng tháng",
            deadline_kind=DeadlineKind.PERIODIC, report_frequency="monthly", due_date=dt.date(2026, 12, 31),
        ),
        workflow.task_create(
            directive=directive, actor=people.office, item_number="3", content="Theo dõi thường xuyên",
            lead_department=people.construction, deadline_kind=DeadlineKind.CONTINUOUS,
        ),
        workflow.task_create(
            directive=directive, actor=people.office, item_number="4", content="Xong trong tháng",
            lead_department=people.finance, deadline_kind=DeadlineKind.MONTH, due_date=dt.date(2025, 12, 1),
        ),
        workflow.task_create(
            directive=directive, actor=people.office, item_number="5", content="Trình đúng ngày",
            lead_department=people.finance, deadline_kind=DeadlineKind.DATE, due_date=dt.date(2025, 12, 15),
        ),
    ]  # fmt: skip
    path = tmp_path / "danh-sach.xlsx"
    exports.write_task_list(Task.objects.filter(directive=directive).with_timeliness(), str(path))
    data = path.read_bytes()

    again = plan_of(directive, data)
    assert again.is_valid, again.as_dict()
    assert [r.status for r in again.rows] == ["existing"] * 5
    assert imports.import_commit(directive=directive, plan=again, actor=people.office) == []
    assert Task.objects.filter(directive=directive).count() == 5

    other = DirectiveFactory()
    plan = plan_of(other, data)
    assert plan.is_valid, plan.as_dict()
    created = imports.import_commit(directive=other, plan=plan, actor=people.office)

    def shape(task):
        return (
            task.item_number, task.content, task.lead_department_id,
            sorted(task.coordinating_departments.values_list("pk", flat=True)),
            task.deadline_kind, task.due_date, task.original_due_date, task.report_frequency,
            task.output_description,
        )  # fmt: skip

    by_item = {t.item_number: t for t in created}
    assert [shape(by_item[t.item_number]) for t in made] == [shape(t) for t in made]
    # The export writes the output kind only when there is no description.
    assert by_item["1"].output_kind == OutputKind.DE_AN
