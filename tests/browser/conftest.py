"""Browser tests: a real Chromium drives the pages through pytest-django's ``live_server``.

The Debian package's Chromium is used (``/usr/bin/chromium``): Playwright's own browser
downloads are not available where these tests run. Without it the tests are skipped, except
under CI=true, where a missing browser fails them.

Every test here needs ``@pytest.mark.django_db(transaction=True)``: the live server answers
from another thread, which sees only committed data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "vi-VN"
# Long enough for a slow CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 10_000

# Playwright's sync API keeps an asyncio event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop. The tests call the ORM between browser steps on
# purpose (fixtures, checks), never from a coroutine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Any) -> Iterator[Any]:
    launched = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    """Make browser contexts (separate cookie jars: one per person) closed after the test."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(
            **{"viewport": VIEWPORT, "locale": LOCALE, "timezone_id": "Asia/Ho_Chi_Minh", **options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    """A page in a fresh context: 1280×900, Vietnamese."""
    return new_context().new_page()


def sign_in(page: Any, live_server: Any, username: str, password: str | None = None) -> None:
    """Sign in on the sign-in page as a person would, and land on the home page."""
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password or PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
