"""axe-core on the pages staff work from: no serious or critical violation.

axe-core 4.14.1 (MPL-2.0) is vendored in vendor/axe.min.js: the tests fetch nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Task, TaskState

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# WCAG 2.1 A and AA, as public-sector sites are held to, plus axe's best practices.
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    return result["violations"]


def describe(where: str, violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])}×) {v['nodes'][0]['target']}"
        f" — {v['help']}"
        for v in violations
    ]


def duplicate_ids(page: Any) -> list[str]:
    return page.evaluate(
        """() => {
            const seen = {};
            document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
            return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )


def test_the_department_pages_have_no_serious_accessibility_violation(
    live_server: Any, page: Any, new_context: Any
) -> None:
    load_demo(today=timezone.localdate(), stdout=io.StringIO())
    staff_tasks = Task.objects.filter(assignees__username="stc.chuyenvien")
    task = (
        staff_tasks.filter(state=TaskState.IN_PROGRESS, reports__isnull=False).first()
        or staff_tasks.filter(state=TaskState.IN_PROGRESS).first()
    )
    assert task is not None
    staff = page
    sign_in(staff, live_server, "stc.chuyenvien", DEMO_PASSWORD)
    head = new_context().new_page()
    sign_in(head, live_server, "stc.giamdoc", DEMO_PASSWORD)

    pages = [
        ("trang chủ", staff, "/"),
        ("nhiệm vụ", staff, f"/nhiem-vu/{task.pk}/"),
        ("văn bản chỉ đạo", staff, f"/van-ban/{task.directive_id}/"),
        ("thông báo", staff, "/thong-bao/"),
        # The head also has the form to give the task to staff (a group of checkboxes).
        ("nhiệm vụ, giám đốc sở", head, f"/nhiem-vu/{task.pk}/"),
    ]
    found: list[str] = []
    blocking: list[str] = []
    for where, browser_page, path in pages:
        browser_page.goto(f"{live_server.url}{path}")
        if path.startswith("/nhiem-vu/"):
            # The step forms are in closed <details>: open them so that axe checks them too.
            assert browser_page.locator("details").count() > 1
            browser_page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
        # Several forms on one page: a repeated id would tie a label to another form's field.
        assert duplicate_ids(browser_page) == [], f"{where}: ids used twice"
        violations = axe_violations(browser_page)
        found += describe(where, violations)
        blocking += describe(where, [v for v in violations if v["impact"] in BLOCKING])

    # An error shown in place (htmx swap): tied to its field, and the panel still passes.
    staff.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    panel = staff.locator("#buoc-report_progress")
    panel.locator("summary").click()
    percent = panel.get_by_label(re.compile("^Tiến độ"))
    percent.fill("150")
    percent.evaluate("el => el.removeAttribute('max')")  # let the server say it
    panel.get_by_label("Kết quả thực hiện").fill("Đang tổng hợp số liệu")
    panel.get_by_role("button", name="Báo cáo tiến độ").click()
    staff.locator("#buoc-report_progress .error").wait_for()
    assert percent.get_attribute("aria-invalid") == "true"
    described_by = percent.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' ')"
    )
    assert "100" in described_by  # the error is read out with the field
    assert duplicate_ids(staff) == []
    violations = axe_violations(staff)
    found += describe("lỗi biểu mẫu", violations)
    blocking += describe("lỗi biểu mẫu", [v for v in violations if v["impact"] in BLOCKING])

    print("\n".join(["axe-core:", *found] if found else ["axe-core: no violation"]))
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(blocking)
