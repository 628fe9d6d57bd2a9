"""What people do in a real browser: the department pages with and without JavaScript, the
office's admin, sign-in lockout, a phone screen, and the screenshots of the documentation."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from tracker import workflow
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Notification, Task, TaskState

from ..conftest import Personas
from ..factories import PASSWORD
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def step_panel(page: Any, step: str) -> Any:
    """Open the <details> of a workflow step on the task page and return it."""
    panel = page.locator(f"#buoc-{step}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return panel


def office_step(page: Any, live_server: Any, task: Task, label: str) -> None:
    """From the admin's task page, follow the office's button for a step."""
    page.goto(f"{live_server.url}/admin/tracker/task/{task.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/tracker/task/{task.pk}/buoc/"))


def test_staff_works_an_overdue_task_to_completion(
    people: Personas, task: Task, live_server: Any, page: Any, new_context: Any, tmp_path: Path
) -> None:
    workflow.task_accept(task=task, actor=people.finance_head)
    workflow.task_give_to_staff(task=task, actor=people.finance_head, staff=[people.finance_staff])
    today = timezone.localdate()
    assert today > task.due_date  # due 15/12/2025: overdue from then on

    # The home page counts the overdue task; the count opens the list of overdue tasks.
    sign_in(page, live_server, "stc.chuyenvien")
    overdue = page.locator(".counts li").filter(
        has=page.locator(".label", has_text=re.compile("^Quá hạn$"))
    )
    assert overdue.locator(".n").inner_text() == "1"
    overdue.get_by_role("link").click()
    page.wait_for_url(re.compile(r"tien_do=qua_han"))
    page.locator("#task-list").get_by_role(
        "link", name=re.compile("Tham mưu triển khai 45")
    ).click()
    task_url = f"{live_server.url}/nhiem-vu/{task.pk}/"
    page.wait_for_url(task_url)
    main = page.locator("#task-main")
    assert main.locator(".badge").first.inner_text() == "Quá hạn"
    assert main.locator(".state").inner_text() == "Đang thực hiện"

    # Progress with a PDF: the panel is swapped in place (htmx), the URL stays.
    report = tmp_path / "bao-cao-tien-do.pdf"
    report.write_bytes(PDF)
    panel = step_panel(page, "report_progress")
    panel.get_by_label("Tiến độ (%)").fill("60")
    panel.get_by_label("Kết quả thực hiện").fill("Đã dự thảo kế hoạch, đang lấy ý kiến các sở")
    panel.get_by_label("Khó khăn, vướng mắc").fill("Chờ số liệu của Sở Xây dựng")
    panel.get_by_label("Tệp đính kèm").set_input_files(report)
    with page.expect_response(re.compile(r"/buoc/report_progress/")) as answer:
        panel.get_by_role("button", name="Báo cáo tiến độ").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    messages = page.locator("#messages")
    messages.get_by_text("Đã thực hiện “Báo cáo tiến độ”.").wait_for()
    assert page.url == task_url
    reports = page.locator("section[aria-labelledby=reports-title]")
    assert "Đã dự thảo kế hoạch, đang lấy ý kiến các sở" in reports.inner_text()
    assert reports.get_by_role("link", name=re.compile("bao-cao-tien-do.pdf")).is_visible()
    assert "Tiến độ báo cáo: 60%" in main.inner_text()

    # Too late to ask for more time: the service's reason is shown in place, nothing changes.
    later = today + dt.timedelta(days=60)
    panel = step_panel(page, "request_extension")
    panel.get_by_label("Đề nghị gia hạn đến ngày").fill(dmy(later))
    panel.get_by_label("Lý do").fill("Chờ ý kiến thẩm định của Sở Tư pháp")
    panel.get_by_role("button", name="Đề nghị gia hạn").click()
    refused = page.locator("#buoc-request_extension .error")
    refused.get_by_text("Đã quá thời điểm được đề nghị gia hạn").wait_for()
    assert page.url == task_url
    assert not task.extension_requests.exists()
    assert Task.objects.get(pk=task.pk).due_date == dt.date(2025, 12, 15)

    # With a due date still ahead, the same request goes through.
    ahead = today + dt.timedelta(days=20)
    Task.objects.filter(pk=task.pk).update(due_date=ahead, original_due_date=ahead)
    panel = step_panel(page, "request_extension")
    panel.get_by_label("Đề nghị gia hạn đến ngày").fill(dmy(later))
    panel.get_by_label("Lý do").fill("Chờ ý kiến thẩm định của Sở Tư pháp")
    panel.get_by_role("button", name="Đề nghị gia hạn").click()
    messages.get_by_text("Đã thực hiện “Đề nghị gia hạn”.").wait_for()
    assert page.url == task_url
    main.get_by_text(f"Đang có đề nghị gia hạn đến {dmy(later)} chờ quyết định.").wait_for()

    # The office, in its own browser, approves the extension in the admin.
    office = new_context().new_page()
    sign_in(office, live_server, "vanphong")
    office_step(office, live_server, task, "Quyết định gia hạn")
    office.get_by_role("radio", name="Đồng ý gia hạn").check()
    office.get_by_label("Số văn bản đồng ý gia hạn").fill("1234/UBND-TH")
    office.get_by_label("Ngày văn bản").fill(dmy(today))
    office.get_by_role("button", name="Quyết định gia hạn").click()
    office.wait_for_url(re.compile(rf"/admin/tracker/task/{task.pk}/change/"))
    office.get_by_text("Đã thực hiện “Quyết định gia hạn”.").wait_for()
    assert Task.objects.get(pk=task.pk).due_date == later

    # The staff submits the result with the number of the issued document.
    page.reload()
    assert dmy(later) in main.locator("dl.facts").inner_text()
    panel = step_panel(page, "submit_result")
    panel.get_by_label("Tóm tắt kết quả").fill("UBND thành phố đã ban hành kế hoạch triển khai")
    panel.get_by_label("Số, ký hiệu văn bản sản phẩm").fill("4512/KH-UBND")
    panel.get_by_label("Ngày văn bản sản phẩm").fill(dmy(today))
    panel.get_by_role("button", name="Gửi kết quả").click()
    messages.get_by_text("Đã thực hiện “Gửi kết quả”.").wait_for()
    assert main.locator(".state").inner_text() == "Chờ đánh giá"
    assert "4512/KH-UBND" in main.locator("section[aria-labelledby=sub-title]").inner_text()

    # The office accepts it with a quality grade.
    office_step(office, live_server, task, "Công nhận hoàn thành")
    office.get_by_role("combobox", name="Chất lượng").select_option(label="Tốt")
    office.get_by_label("Số lỗi lớn về chất lượng").fill("0")
    office.get_by_label("Nhận xét").fill("Đúng yêu cầu, kịp thời")
    office.get_by_role("button", name="Công nhận hoàn thành").click()
    office.get_by_text("Đã thực hiện “Công nhận hoàn thành”.").wait_for()

    # The staff sees it done, and is told so in the notifications.
    page.reload()
    assert main.locator(".state").inner_text() == "Đã hoàn thành"
    verdict = main.locator(".verdict")
    assert "công nhận hoàn thành – Tốt" in verdict.inner_text()
    assert "Công nhận hoàn thành" in main.locator(".timeline li").first.inner_text()
    assert "#buoc-" not in main.inner_html()  # nothing left to do
    header = page.locator("header.site")
    # The unread count is read out as such, not as a bare number.
    header.get_by_role("link", name=re.compile(r"^Thông báo \d+ chưa đọc$")).click()
    page.wait_for_url(f"{live_server.url}/thong-bao/")
    listed = page.locator("ul.notifications")
    listed.get_by_role("link", name=re.compile("Công nhận hoàn thành: ")).wait_for()
    listed.get_by_role("link", name=re.compile("Đồng ý gia hạn: ")).wait_for()
    assert Notification.objects.filter(
        user=people.finance_staff, title__startswith="Công nhận hoàn thành"
    ).exists()


def test_the_head_declines_with_a_reason(
    people: Personas, task: Task, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "stc.giamdoc")
    task_url = f"{live_server.url}/nhiem-vu/{task.pk}/"
    page.goto(task_url)
    main = page.locator("#task-main")
    assert main.locator(".state").inner_text() == "Mới giao"
    panel = step_panel(page, "decline")
    reason = panel.get_by_label("Lý do")
    button = panel.get_by_role("button", name="Từ chối")

    # Empty: the browser itself refuses (the field is required) and nothing is sent.
    button.click()
    assert reason.evaluate("el => el.validity.valueMissing") is True
    assert reason.evaluate("el => el.validationMessage") != ""
    # Only spaces pass the browser but not the server: the error is shown beside the field.
    reason.fill("   ")
    button.click()
    error = page.locator("#buoc-decline .field.has-error .error")
    error.wait_for()
    assert error.inner_text().strip() != ""
    assert Task.objects.get(pk=task.pk).state == TaskState.ASSIGNED
    assert main.locator(".state").inner_text() == "Mới giao"

    page.locator("#buoc-decline").get_by_label("Lý do").fill(
        "Nội dung thuộc lĩnh vực của Sở Xây dựng, đề nghị giao lại"
    )
    page.locator("#buoc-decline").get_by_role("button", name="Từ chối").click()
    page.locator("#messages").get_by_text("Đã thực hiện “Từ chối”.").wait_for()
    assert page.url == task_url
    assert main.locator(".state").inner_text() == "Từ chối"
    assert "Nội dung thuộc lĩnh vực của Sở Xây dựng" in main.locator(".timeline").inner_text()
    assert Task.objects.get(pk=task.pk).state == TaskState.DECLINED


def test_a_step_works_without_javascript(
    people: Personas, task: Task, live_server: Any, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "stc.chuyenvien")
    task_url = f"{live_server.url}/nhiem-vu/{task.pk}/"
    page.goto(task_url)
    panel = step_panel(page, "accept")  # <details> opens without JavaScript
    panel.get_by_label("Ghi chú").fill("Đã nhận, giao phòng Ngân sách")
    with page.expect_navigation():
        panel.get_by_role("button", name="Tiếp nhận").click()
    assert page.url == task_url  # posted, then sent back to the task page
    assert page.locator("#task-main .state").inner_text() == "Đang thực hiện"
    assert page.locator("#messages").inner_text() == "Đã thực hiện “Tiếp nhận”."
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_wrong_passwords_lock_the_sign_in(people: Personas, live_server: Any, page: Any) -> None:
    login_url = f"{live_server.url}/tai-khoan/dang-nhap/"
    page.goto(login_url)
    statuses = []
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Tên đăng nhập").fill("stc.chuyenvien")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        with page.expect_navigation() as sent:
            page.locator("main").get_by_role("button", name="Đăng nhập").click()
        statuses.append(sent.value.status)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert "tạm thời bị khóa" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Tạm khóa đăng nhập"

    # Locked: even the right password is refused now.
    page.goto(login_url)
    page.get_by_label("Tên đăng nhập").fill("stc.chuyenvien")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation() as sent:
        page.locator("main").get_by_role("button", name="Đăng nhập").click()
    assert sent.value.status == 429
    assert "tạm thời bị khóa" in page.locator("main").inner_text()


def test_the_home_page_fits_a_phone(
    people: Personas, task: Task, live_server: Any, new_context: Any
) -> None:
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(page, live_server, "stc.chuyenvien")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert inner == 390
    assert width <= inner + 1, f"the page scrolls sideways: {width}px wide on a {inner}px screen"
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= inner + 1, f"the task page scrolls sideways: {width}px on {inner}px"


def test_screenshots_of_the_demo(live_server: Any, page: Any) -> None:
    """docs/screenshots/home.png and task.png, from the demo data as stc.chuyenvien sees it.

    Written when missing or when SAVE_SCREENSHOTS=1; otherwise taken but not saved, so that an
    ordinary run leaves the working tree as it was."""
    today = timezone.localdate()  # TIME_ZONE is Asia/Ho_Chi_Minh
    load_demo(today=today, stdout=io.StringIO())
    home, task_png = SCREENSHOTS / "home.png", SCREENSHOTS / "task.png"
    save = os.environ.get("SAVE_SCREENSHOTS") == "1"
    sign_in(page, live_server, "stc.chuyenvien", DEMO_PASSWORD)
    assert int(page.locator(".counts li").first.locator(".n").inner_text()) >= 0
    assert page.locator("table.tasks tbody tr").count() > 0

    shot = page.screenshot(full_page=True)
    if save or not home.exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        home.write_bytes(shot)

    # The task shown: an overdue one the person still works on, with the most on record.
    staff = User.objects.get(username="stc.chuyenvien")
    chosen = (
        Task.objects.visible_to(staff)
        .with_timeliness()
        .filter(timeliness="qua_han", state__in=[TaskState.IN_PROGRESS, TaskState.RETURNED])
        .annotate(files=Count("attachments", distinct=True), notes=Count("reports", distinct=True))
        .order_by("-files", "-notes", "id")
        .first()
    )
    assert chosen is not None
    page.goto(f"{live_server.url}/nhiem-vu/{chosen.pk}/")
    page.locator("#task-main h1").wait_for()
    step_panel(page, "report_progress")  # the form a person fills most often, shown open
    shot = page.screenshot(full_page=True)
    if save or not task_png.exists():
        task_png.write_bytes(shot)
