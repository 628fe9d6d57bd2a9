"""Tổng hợp tình hình thực hiện: who opens it, figures counted by hand, the links behind every
figure, a fixed number of queries, and the monthly report in Excel read back cell by cell."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker.dashboard import Period, read_period
from tracker.models import Indicator, IndicatorValue, Task, TaskState

from .conftest import Personas
from .factories import DepartmentFactory, DirectiveFactory, TaskFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# "Today" for these tests: December 2025 is over, January 2026 is running.
NOW = dt.datetime(2026, 1, 10, 9, 0, tzinfo=HANOI)
DECEMBER = {"ky": "thang", "nam": "2025", "so": "12"}


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, tzinfo=HANOI)


def d(day: str) -> dt.date:
    return dt.datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def december(people: Personas) -> dict[str, Task]:
    """Tasks around December 2025 with every bucket, in three departments and two directives.

    As of 31/12/2025 (December), then as of 30/11/2025 (November):
      f1 Sở Tài chính  submitted 15/12 23:00, accepted 18/12      đúng hạn     | trong hạn
      f2 Sở Tài chính  submitted 16/12 00:30, accepted 18/12      quá hạn (HT) | trong hạn
      f3 Sở Tài chính  in progress, due 15/12                    quá hạn 16 d | trong hạn
      f4 Sở Tài chính  extended 15/12 → 31/12, submitted 30/12   đúng hạn (late against the
                                                                  original)    | trong hạn
      f0 Sở Tài chính  due 30/11, submitted 25/11, accepted 28/11 (not Dec.)   | đúng hạn
      c1 Sở Xây dựng   submitted 10/12, accepted 11/12            đúng hạn     | trong hạn
      c2 Sở Xây dựng   in progress, due 31/03/2026                trong hạn    | trong hạn
      c3 Sở Xây dựng   assigned 01/10, due 15/10, in progress     quá hạn 77 d | quá hạn
      h1 Sở Y tế       continuous, in progress                    không hạn    | không hạn
      h2 Sở Y tế       continuous, submitted 05/12, accepted 06/12 HT không hạn | không hạn
      h3 Sở Y tế       paused: out of the rates; h4 assigned in January: not in December.
    """
    plan = DirectiveFactory(symbol="318/KH-UBND", summary="Kế hoạch triển khai 45 nghị quyết")
    meeting = DirectiveFactory(symbol="12/TB-UBND", summary="Thông báo kết luận cuộc họp")

    def task(key: str, department, directive=plan, **fields) -> Task:
        fields.setdefault("assigned_at", at("20/11/2025"))
        due = fields.pop("due", "15/12/2025")
        fields.setdefault("due_date", d(due) if due else None)
        fields.setdefault("original_due_date", fields["due_date"])
        if fields["due_date"] is None:
            fields["deadline_kind"] = "continuous"
        return TaskFactory(
            content=f"Nhiệm vụ {key}", lead_department=department, directive=directive, **fields
        )

    done = {"state": TaskState.COMPLETED}
    fin, con, hea = people.finance, people.construction, people.health
    tasks = {
        "f1": task("f1", fin, **done, submitted_at=at("15/12/2025", 23), completed_at=at("18/12/2025")),
        "f2": task("f2", fin, **done, submitted_at=at("16/12/2025", 0), completed_at=at("18/12/2025")),
        "f3": task("f3", fin, state=TaskState.IN_PROGRESS),
        "f4": task("f4", fin, **done, due="31/12/2025", original_due_date=d("15/12/2025"),
                   submitted_at=at("30/12/2025"), completed_at=at("31/12/2025")),
        "f0": task("f0", fin, **done, due="30/11/2025", submitted_at=at("25/11/2025"),
                   completed_at=at("28/11/2025")),
        "c1": task("c1", con, **done, submitted_at=at("10/12/2025"), completed_at=at("11/12/2025")),
        "c2": task("c2", con, state=TaskState.IN_PROGRESS, due="31/03/2026"),
        "c3": task("c3", con, state=TaskState.IN_PROGRESS, due="15/10/2025",
                   assigned_at=at("01/10/2025")),
        "h1": task("h1", hea, meeting, state=TaskState.IN_PROGRESS, due=None),
        "h2": task("h2", hea, meeting, **done, due=None, submitted_at=at("05/12/2025"),
                   completed_at=at("06/12/2025")),
        "h3": task("h3", hea, meeting, state=TaskState.PAUSED, state_before_pause="in_progress"),
        "h4": task("h4", hea, meeting, assigned_at=at("05/01/2026"), due="31/01/2026"),
    }  # fmt: skip
    grdp = Indicator.objects.create(
        directive=plan, code="KTXH-01", name="Tốc độ tăng trưởng GRDP", unit="%",
        target=Decimal("13"), stretch_target=Decimal("14"), period="year",
        start_date=d("01/01/2025"), end_date=d("31/12/2030"), department=fin,
    )  # fmt: skip
    grdp.tasks.set([tasks["f1"], tasks["f3"]])
    for start, end, actual in (("01/01/2025", "31/12/2025", "13.2"), ("01/01/2026", "31/12/2026", "14.5")):  # fmt: skip
        IndicatorValue.objects.create(
            indicator=grdp, period_start=d(start), period_end=d(end), actual=Decimal(actual),
            reported_by=people.office, reported_at=timezone.now(),
        )  # fmt: skip
    return tasks


def dashboard(user, **params):
    return as_user(user).get(reverse("portal:dashboard"), params)


# --- Who opens it ----------------------------------------------------------------------------

STATUS = {
    "office": 200,
    "leader": 200,
    "inspector": 200,
    "administrator": 200,
    "finance_staff": 404,
    "finance_head": 404,
    "construction_staff": 404,
    "health_staff": 404,
}


@pytest.mark.parametrize("name", ["portal:dashboard", "portal:monthly_report"])
def test_only_city_wide_roles_open_it(people: Personas, name) -> None:
    for who, expected in STATUS.items():
        response = as_user(getattr(people, who)).get(reverse(name), DECEMBER)
        assert response.status_code == expected, (who, name)
    anonymous = as_user(None).get(reverse(name))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_the_nav_link_is_shown_to_city_wide_roles_only(people: Personas) -> None:
    url = reverse("portal:dashboard")
    assert f'href="{url}"' in as_user(people.leader).get(reverse("portal:home")).content.decode()
    staff_page = as_user(people.finance_head).get(reverse("portal:home")).content.decode()
    assert f'href="{url}"' not in staff_page


# --- The period ------------------------------------------------------------------------------


def test_periods() -> None:
    december = Period("thang", 2025, 12)
    assert (december.start, december.end) == (d("01/12/2025"), d("31/12/2025"))
    assert december.shifted(1) == Period("thang", 2026, 1)
    assert Period("thang", 2026, 1).shifted(-1) == december
    assert Period("quy", 2026, 1).shifted(-1) == Period("quy", 2025, 4)
    assert (Period("quy", 2025, 4).start, Period("quy", 2025, 4).end) == (
        d("01/10/2025"),
        d("31/12/2025"),
    )
    assert Period("nam", 2025).shifted(-1).end == d("31/12/2024")
    assert december.name == "tháng 12/2025"
    assert Period("quy", 2025, 4).name == "quý IV/2025"
    assert Period("nam", 2025).name == "năm 2025"


def test_the_default_period_is_the_current_month_in_hanoi() -> None:
    from django.http import QueryDict

    # 31/12/2025 18:00 UTC is already 01/01/2026 in Hà Nội.
    with time_machine.travel(dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC), tick=False):
        assert read_period(QueryDict(""), timezone.localdate()) == (Period("thang", 2026, 1), [])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ky": "tuan"}, "Loại kỳ “tuan” không hợp lệ"),
        ({"ky": "thang", "nam": "2025", "so": "13"}, "Tháng “13” không hợp lệ"),
        ({"ky": "quy", "nam": "2025", "so": "5"}, "Quý “5” không hợp lệ"),
        ({"ky": "thang", "nam": "hai nghìn", "so": "1"}, "Năm “hai nghìn” không hợp lệ"),
        ({"ky": "thang", "nam": "²⁰²⁵", "so": "1"}, "không hợp lệ"),
        ({"ky": "nam", "nam": "2031"}, "nhập năm từ 2000 đến 2026"),
        ({"ky": "thang", "nam": "2026", "so": "5"}, "Kỳ tháng 05/2026 chưa bắt đầu"),
        ({"ky": "thang", "nam": "99999999999999999999", "so": "1"}, "không hợp lệ"),
    ],
)
def test_a_bad_period_is_explained_and_the_current_month_shown(people, params, message) -> None:
    response = dashboard(people.leader, **params)
    assert response.status_code == 200
    assert response.context["period"] == Period("thang", 2026, 1)
    errors = " ".join(response.context["errors"])
    assert message in errors
    assert "Đang hiển thị tháng 01/2026" in errors
    assert message in html.unescape(response.content.decode())


def test_an_unknown_filter_is_explained_and_left_out(people, december) -> None:
    response = dashboard(people.leader, **DECEMBER, van_ban="999999", don_vi="x")
    assert response.status_code == 200
    assert response.context["period"] == Period("thang", 2025, 12)
    assert response.context["scope"].directive is None
    assert response.context["summary"].current.total == 9
    assert len(response.context["errors"]) == 2


# --- The figures, by hand --------------------------------------------------------------------


def test_december_by_hand(people, december) -> None:
    response = dashboard(people.leader, **DECEMBER)
    assert response.status_code == 200
    context = response.context
    summary = context["summary"]
    assert summary.current.as_dict() == {
        "total": 9,  # not f0 (done in November), h3 (paused), h4 (assigned in January)
        "due_in_period": 5,  # f1–f4, c1
        "done_on_time": 3,  # f1, f4, c1
        "done_late": 1,  # f2
        "done_no_deadline": 1,  # h2
        "open_in_time": 1,  # c2
        "open_overdue": 2,  # f3, c3
        "open_no_deadline": 1,  # h1
    }
    current, original = summary.rates
    assert (current["rate"], current["rate_with_deadline"]) == (Decimal("33.3"), Decimal("42.9"))
    # Against the original due date f4 (extended to 31/12, submitted 30/12) is late.
    assert (original["done_on_time"], original["with_deadline"]) == (2, 7)
    assert original["rate_with_deadline"] == Decimal("28.6")

    ranking = [
        (row["department"].code, row["rank"], row["rate"], row["table"].total)
        for row in context["ranking"]
    ]
    assert ranking == [
        ("STC", 1, Decimal("50.0"), 4),  # f1, f4 on time of f1–f4
        ("SXD", 2, Decimal("33.3"), 3),  # c1 of c1–c3
        ("SYT", None, None, 2),  # only undated tasks: listed, not ranked
    ]
    assert [dept.code for dept in context["idle"]] == ["VPUBND"]

    # Overdue as of 31/12/2025: f3 by 16 days, c3 by 77 days.
    assert [age["count"] for age in context["ages"]] == [1, 0, 1, 0]

    progress = {
        row["directive"].symbol: (
            row["table"].finished,
            row["table"].total,
            row["table"].on_time_rate_with_deadline,
            row["table"].open_overdue,
        )
        for row in context["progress"]
    }
    assert progress == {
        "318/KH-UBND": (4, 7, Decimal("42.9"), 2),
        "12/TB-UBND": (1, 2, None, 0),
    }

    (grdp,) = context["indicators"]
    assert (grdp["sign"], grdp["target"], grdp["stretch"]) == ("≥", Decimal("13"), Decimal("14"))
    assert [(v["actual"], v["verdict"]) for v in grdp["values"]] == [
        (Decimal("13.2"), "Đạt chỉ tiêu")  # the 2026 value is not December's
    ]
    page = html.unescape(response.content.decode())
    assert "Tháng 12/2025" in page
    assert "13,2 %" in page  # Vietnamese decimals
    assert "42,9%" in page
    assert "1 đơn vị không có nhiệm vụ trong kỳ" in page


def test_the_change_from_the_previous_period(people, december) -> None:
    response = dashboard(people.leader, **DECEMBER)
    # November, as of 30/11: f0 on time; f1–f4, c1, c2 in time; c3 overdue; h1, h2 undated.
    assert response.context["summary"].previous.as_dict() | {"due_in_period": 0} == {
        "total": 10,
        "due_in_period": 0,
        "done_on_time": 1,
        "done_late": 0,
        "done_no_deadline": 0,
        "open_in_time": 6,
        "open_overdue": 1,
        "open_no_deadline": 2,
    }
    changes = [bar["change"] for bar in response.context["summary"].bars]
    assert changes == [
        "+2 so với tháng trước",  # on time 3 vs 1
        "+1 so với tháng trước",  # late
        "+1 so với tháng trước",  # done, no deadline
        "−5 so với tháng trước",  # in time 1 vs 6
        "+1 so với tháng trước",  # overdue 2 vs 1
        "−1 so với tháng trước",  # open, no deadline
    ]
    assert response.context["total_change"] == "−1 so với tháng trước"
    # November's on-time rate over tasks with a deadline: 1 of 8.
    assert response.context["summary"].rates[0]["change"] == "+30,4 điểm % so với tháng trước"

    quarter = dashboard(people.leader, ky="quy", nam="2025", so="IV")
    assert quarter.context["period"] == Period("quy", 2025, 4)
    assert quarter.context["summary"].current.total == 10  # f0 too: finished in the quarter
    assert quarter.context["total_change"] == "+10 so với quý trước"  # nothing in Q3


def test_a_filter_narrows_every_figure(people, december) -> None:
    construction = people.construction
    response = dashboard(people.leader, **DECEMBER, don_vi=str(construction.pk))
    context = response.context
    assert context["summary"].current.total == 3
    assert [row["department"] for row in context["ranking"]] == [construction]
    assert context["idle"] == []
    assert [age["count"] for age in context["ages"]] == [0, 0, 1, 0]
    assert context["indicators"] == []  # the GRDP indicator is Sở Tài chính's
    assert f"don_vi={construction.pk}" in context["report_url"]


def test_a_running_period_counts_as_of_today(people, december) -> None:
    response = dashboard(people.leader)  # January 2026, today 10/01/2026
    scope = response.context["scope"]
    assert (scope.start, scope.end, scope.running) == (d("01/01/2026"), d("10/01/2026"), True)
    # h4 (due 31/01) is in time today, though it would be overdue "as of 31/01".
    assert response.context["summary"].current.open_in_time == 2  # c2, h4
    assert "ky_den=10/01/2026" in response.context["total_url"]


# --- Every figure links to the tasks behind it -----------------------------------------------


def tasks_behind(url: str, user) -> list[Task]:
    """What the department pages' list shows when the link is followed: every row, all pages."""
    from django.test import Client

    parts = urlsplit(url)
    assert parts.path == reverse("portal:home")
    client = Client()
    client.force_login(user)
    rows: list[Task] = []
    number = 1
    while True:
        response = client.get(f"{url}&trang={number}")
        assert response.status_code == 200
        assert not response.context["form"].errors, response.context["form"].errors
        page = response.context["page"]
        rows.extend(page.object_list)
        if not page.has_next():
            return rows
        number += 1


def test_a_figure_links_to_its_filtered_list(people, december) -> None:
    response = dashboard(people.leader, **DECEMBER)
    finance = people.finance
    (row,) = [r for r in response.context["ranking"] if r["department"] == finance]
    overdue = next(c for c in row["cells"] if c["column"] == "open_overdue")
    expected = f"/?ky_tu=01/12/2025&ky_den=31/12/2025&don_vi={finance.pk}&tien_do=qua_han"
    assert overdue["url"] == expected
    assert f'href="{html.escape(expected)}"' in response.content.decode()
    assert tasks_behind(expected, people.leader) == [december["f3"]]
    in_time = response.context["summary"].bars[3]["url"]
    assert in_time.endswith("&tien_do=trong_han&tien_do=sap_den_han")
    original = response.context["summary"].rates[1]["done_on_time_url"]
    assert original.endswith("&tien_do=hoan_thanh_dung_han&theo_han=ban_dau")
    assert {t.content for t in tasks_behind(original, people.leader)} == {
        "Nhiệm vụ f1",
        "Nhiệm vụ c1",
    }


@pytest.mark.parametrize(
    "params", [DECEMBER, {"ky": "quy", "nam": "2025", "so": "4"}, {"ky": "nam", "nam": "2025"}]
)
def test_every_number_that_links_counts_the_tasks_it_links_to(people, december, params) -> None:
    page = dashboard(people.leader, **params).content.decode()
    links = re.findall(r'<a href="(/\?ky_tu=[^"]+)"[^>]*>(\d+)</a>', page)
    assert len(links) > 25
    for url, shown in links:
        url = html.unescape(url)
        assert len(tasks_behind(url, people.leader)) == int(shown), url


# --- A fixed number of queries ---------------------------------------------------------------

QUERIES = 26  # listed, one by one, in tracker/dashboard.py's docstring
REPORT_QUERIES = 11


def _make_tasks(n: int, departments, directives) -> None:
    patterns = [
        {"state": TaskState.IN_PROGRESS},
        {"state": TaskState.IN_PROGRESS, "due_date": None, "deadline_kind": "continuous"},
        {"state": TaskState.SUBMITTED, "submitted_at": at("10/12/2025")},
        {
            "state": TaskState.COMPLETED,
            "submitted_at": at("20/12/2025"),
            "completed_at": at("22/12/2025"),
        },
        {"state": TaskState.COMPLETED, "submitted_at": at("01/12/2025"), "completed_at": at("02/12/2025")},
    ]  # fmt: skip
    made = []
    for i in range(n):
        fields = {"due_date": d("15/12/2025"), **patterns[i % len(patterns)]}
        fields["original_due_date"] = fields["due_date"]
        made.append(
            TaskFactory.build(
                directive=directives[i % len(directives)],
                lead_department=departments[i % len(departments)],
                assigned_at=at("20/11/2025"),
                last_activity_at=at("20/11/2025"),
                **fields,
            )
        )
    Task.objects.bulk_create(made)


def _make_indicators(people, departments, directives) -> None:
    for number, directive in enumerate(directives[:2]):
        indicator = Indicator.objects.create(
            directive=directive, code=f"CT-{number}", name=f"Chỉ tiêu {number}", unit="%",
            target=Decimal("10"), period="year", start_date=d("01/01/2025"),
            end_date=d("31/12/2030"), department=departments[number],
        )  # fmt: skip
        IndicatorValue.objects.create(
            indicator=indicator, period_start=d("01/01/2025"), period_end=d("31/12/2025"),
            actual=Decimal("9.5"), reported_by=people.office, reported_at=timezone.now(),
        )  # fmt: skip


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def test_the_same_queries_for_50_and_1000_tasks(people) -> None:
    departments = [DepartmentFactory() for _ in range(12)]
    directives = [DirectiveFactory() for _ in range(5)]
    client = as_user(people.leader)
    query = "?ky=thang&nam=2025&so=12"
    counts = {}
    for n in (50, 1000):
        Task.objects.all().delete()
        _make_tasks(n, departments, directives)
        if n == 1000:  # and indicators with values: their queries run all the same
            _make_indicators(people, departments, directives)
        counts[n] = (
            _count(client, reverse("portal:dashboard") + query),
            _count(client, reverse("portal:monthly_report") + query),
        )
    assert counts[50] == counts[1000], counts
    page, report = counts[1000]
    assert page == QUERIES, counts
    assert report == REPORT_QUERIES, counts


# --- The monthly report in Excel -------------------------------------------------------------


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def test_the_monthly_report_cell_by_cell(people, december) -> None:
    page = dashboard(people.office, **DECEMBER)
    assert "Xuất báo cáo kỳ (Excel)" in page.content.decode()
    response = as_user(people.office).get(page.context["report_url"])
    assert 'filename="bao-cao-thang-12-2025.xlsx"' in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["Tổng hợp", "Nhiệm vụ quá hạn"]

    summary = book["Tổng hợp"]
    assert summary["A1"].value == "Báo cáo tình hình thực hiện nhiệm vụ tháng 12/2025"
    assert "A1:M1" in {str(r) for r in summary.merged_cells.ranges}
    assert summary["A2"].value.startswith("Số liệu tính đến hết ngày 31/12/2025")
    assert values(summary, 4) == [
        "STT", "Đơn vị chủ trì", "Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
        "Hoàn thành không hạn", "Chưa hoàn thành trong hạn", "Chưa hoàn thành quá hạn",
        "Chưa hoàn thành không hạn", "Tỷ lệ hoàn thành (%)", "Tỷ lệ đúng hạn trên tổng số (%)",
        "Tỷ lệ đúng hạn trên nhiệm vụ có hạn (%)", "Tỷ lệ đúng hạn theo hạn ban đầu (%)",
    ]  # fmt: skip
    assert values(summary, 5) == [1, "Sở Tài chính", 4, 2, 1, 0, 0, 1, 0, 75.0, 50.0, 50.0, 25.0]
    assert values(summary, 6) == [2, "Sở Xây dựng", 3, 1, 0, 0, 1, 1, 0, 33.3, 33.3, 33.3, 33.3]
    assert values(summary, 7) == [3, "Sở Y tế", 2, 0, 0, 1, 0, 0, 1, 50.0, 0.0, None, None]
    assert values(summary, 8) == [
        None, "Tổng cộng", 9, 3, 1, 1, 1, 2, 1, 55.6, 33.3, 42.9, 28.6,
    ]  # fmt: skip
    assert summary.max_row == 8
    assert summary["J5"].number_format == "0.0"
    assert 42 <= summary.column_dimensions["B"].width < 43  # 42 characters and Excel's padding
    assert summary.freeze_panes == "A5"

    overdue = book["Nhiệm vụ quá hạn"]
    assert overdue["A1"].value == "Báo cáo tình hình thực hiện nhiệm vụ tháng 12/2025"
    assert values(overdue, 4) == [
        "STT", "Văn bản chỉ đạo", "Số thứ tự trong văn bản", "Nội dung nhiệm vụ",
        "Cơ quan chủ trì", "Hạn hiện tại", "Hạn ban đầu", "Số ngày quá hạn", "Trạng thái",
        "Tiến độ (%)",
    ]  # fmt: skip
    first, second = values(overdue, 5), values(overdue, 6)
    assert first[:5] == [1, "318/KH-UBND", december["c3"].item_number, "Nhiệm vụ c3", "Sở Xây dựng"]
    assert first[5].date() == d("15/10/2025")  # a real date cell, not text
    assert overdue["F5"].number_format == "DD/MM/YYYY"
    assert overdue["G5"].number_format == "DD/MM/YYYY"
    assert first[7:9] == [77, "Đang thực hiện"]
    assert second[3] == "Nhiệm vụ f3" and second[7] == 16
    assert overdue.max_row == 6
    assert 60 <= overdue.column_dimensions["D"].width < 61


def test_the_report_follows_the_period_and_filters(people, december) -> None:
    client = as_user(people.inspector)
    url = reverse("portal:monthly_report")
    quarter = workbook(client.get(url, {"ky": "quy", "nam": "2025", "so": "4"}))
    assert quarter["Tổng hợp"]["A1"].value == "Báo cáo tình hình thực hiện nhiệm vụ quý IV/2025"
    filtered = workbook(client.get(url, {**DECEMBER, "don_vi": people.finance.pk}))
    sheet = filtered["Tổng hợp"]
    assert [values(sheet, r)[1] for r in (5, 6)] == ["Sở Tài chính", "Tổng cộng"]
    assert "đơn vị: Sở Tài chính" in sheet["A2"].value
    assert [c.value for c in filtered["Nhiệm vụ quá hạn"]["D"]][4:] == ["Nhiệm vụ f3"]


def test_a_bad_period_for_the_report_goes_back_to_the_page(people) -> None:
    response = as_user(people.leader).get(reverse("portal:monthly_report"), {"so": "13"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard") + "?so=13"


def test_the_scores_of_decree_335_stand_beside_the_ranking(people, december) -> None:
    from decimal import Decimal

    from tracker import scoring
    from tracker.models import ReportingPeriod

    live = dashboard(people.leader, **DECEMBER)
    rows = live.context["scores"]["rows"]
    assert rows and not live.context["scores"]["period"].is_closed
    assert "Tạm tính" in live.content.decode()
    period = ReportingPeriod.objects.create(
        kind="month", start=d("01/12/2025"), end=d("31/12/2025")
    )
    scoring.general_score_set(
        period=period, department=people.finance, points=Decimal(28), actor=people.office
    )
    scoring.period_close(period=period, actor=people.office)
    closed = dashboard(people.leader, **DECEMBER)
    assert closed.context["scores"]["period"].is_closed
    finance = next(
        r for r in closed.context["scores"]["rows"] if r["score"].department == people.finance
    )
    assert finance["score"].general == Decimal(28)
    assert len(tasks_behind(finance["total_url"], people.leader)) == finance["score"].table.total


def test_the_scores_links_ignore_the_directive_filter(people, december) -> None:
    directive = Task.objects.filter(lead_department=people.finance).first().directive
    response = dashboard(people.leader, **DECEMBER, van_ban=str(directive.pk))
    for row in response.context["scores"]["rows"]:
        assert "van_ban" not in row["total_url"]
        assert len(tasks_behind(row["total_url"], people.leader)) == row["score"].table.total
