"""Production settings refuse to start with development defaults, and say which variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECK = "import django; django.setup(); print('ok')"


def start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env,named",
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "dondoc.haiphong.gov.vn"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x.vn"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"TIMELINESS_WARNING_DAYS": "ba"}, "TIMELINESS_WARNING_DAYS"),
    ],
)
def test_a_misconfiguration_stops_start_up_naming_the_variable(env, named) -> None:
    result = start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_starts_with_a_real_key_and_hosts() -> None:
    result = start(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="dondoc.haiphong.gov.vn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_development_needs_no_variable_at_all() -> None:
    assert start().returncode == 0
