"""A real Celery worker consumes a real broker and mails through a real SMTP server.

The worker is a separate process started from the same code, pointed at this test's database;
the test publishes the job as beat would and reads what the SMTP server received.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tracker import workflow
from tracker.celery import app
from tracker.models import DeliveryState, ReminderDelivery, Task

from .conftest import IN_CI, Personas

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    """The URL of the test database, for the worker process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("CI=true: this test needs Redis (set REDIS_URL)")
        pytest.skip("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    return url


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tracker", "worker",
                "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip",
                "--loglevel=INFO",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def worker_env(mail_server, tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=database_url(),
        VAR_DIR=str(tmp_path / "var"),
        CELERY_QUEUE=f"dondoc-test-{uuid.uuid4().hex[:8]}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
        SITE_URL="http://dondoc.test",
        DEBUG="1",
    )
    return env


@pytest.fixture
def chased(people: Personas, task: Task) -> Task:
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, tzinfo=HANOI), tick=False):
        workflow.task_give_to_staff(
            task=task, actor=people.finance_head, staff=[people.finance_staff]
        )
        workflow.task_accept(task=task, actor=people.finance_staff)
    return task


def wait_until_sent(expected: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = list(ReminderDelivery.objects.values_list("state", flat=True))
        if len(states) >= expected and all(s == DeliveryState.SENT for s in states):
            return
        time.sleep(0.2)


def publish_scan(broker_url: str, queue: str, **transport: object) -> None:
    """What beat does at 07:00, for 12/12/2025 (three days before the 15/12/2025 deadline)."""
    with app.connection_for_write(url=broker_url, transport_options=transport) as conn:
        app.send_task(
            "tracker.scan_reminders", kwargs={"as_of": "2025-12-12"}, queue=queue, connection=conn
        )


def run_worker_and_scan_twice(env, tmp_path, mail_server, broker_url, **transport) -> None:
    worker = Worker(env, tmp_path / "worker.log")
    try:
        publish_scan(broker_url, env["CELERY_QUEUE"], **transport)
        publish_scan(broker_url, env["CELERY_QUEUE"], **transport)  # beat ticks twice
        messages = mail_server.inbox.wait_for(3, timeout=90)
        wait_until_sent(3)
        time.sleep(2)  # time for a duplicate to arrive, were there one
        assert len(messages) == 3, worker.output()
    finally:
        worker.stop()


def test_a_worker_on_redis_sends_each_reminder_once(chased, worker_env, tmp_path, mail_server):
    url = redis_url()
    env = {**worker_env, "REDIS_URL": url}
    run_worker_and_scan_twice(env, tmp_path, mail_server, url)
    assert ReminderDelivery.objects.filter(task=chased, state=DeliveryState.SENT).count() == 3
    subjects = mail_server.inbox.subjects()
    assert all("Nhắc trước hạn" in s for s in subjects)
    body = mail_server.inbox.messages[0].get_body(("plain",)).get_content()
    assert f"http://dondoc.test/nhiem-vu/{chased.pk}/" in body


def test_the_embedded_broker_of_make_run_delivers_a_reminder(
    chased, worker_env, tmp_path, mail_server
):
    """No Redis at all: kombu's filesystem transport under VAR_DIR, as `make run` uses."""
    queue_dir = Path(worker_env["VAR_DIR"]) / "celery" / "queue"
    processed = Path(worker_env["VAR_DIR"]) / "celery" / "processed"
    queue_dir.mkdir(parents=True)
    processed.mkdir(parents=True)
    run_worker_and_scan_twice(
        worker_env,
        tmp_path,
        mail_server,
        "filesystem://",
        data_folder_in=str(queue_dir),
        data_folder_out=str(queue_dir),
        processed_folder=str(processed),
        # kombu's default is ./control: the project's folder would get the broker's files.
        control_folder=str(Path(worker_env["VAR_DIR"]) / "celery" / "control"),
        store_processed=False,
    )
    assert ReminderDelivery.objects.filter(task=chased, state=DeliveryState.SENT).count() == 3
