"""Guards for the project/deployment files (compose, Makefile, CI script, pyproject).

Plain pytest tests: no database, no Django, no network. They parse the files the way the
tools do, so they fail when a file regresses (a service disappears, an env var drifts apart
between containers, a dependency is left unpinned, …).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
MAKEFILE = ROOT / "Makefile"
CI_RUN = ROOT / ".ci" / "run"
PYPROJECT = ROOT / "pyproject.toml"
GITIGNORE = ROOT / ".gitignore"

APP_SERVICES = ("web", "worker", "beat")
MAIL_CATCHER_IMAGES = ("mailpit", "mailhog", "smtp4dev", "maildev", "mailcatcher")
FALSY = {"0", "false", "no", "off"}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
_INTERPOLATION = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)


def _compose_default(value: object) -> str | None:
    """Value a compose variable takes when the caller's environment sets nothing."""
    if value is None:
        return None
    text = str(value)

    def replace(match: re.Match[str]) -> str:
        op = match.group("op") or ""
        if op.endswith("-"):
            return match.group("arg")
        if op.endswith("?"):
            return f"<required:{match.group('name')}>"
        return ""

    return _INTERPOLATION.sub(replace, text)


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    assert isinstance(data.get("services"), dict), "docker-compose.yml has no services mapping"
    return data


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def _environment(service: dict) -> dict[str, str | None]:
    """Normalise both compose environment forms (mapping or list of KEY=VALUE)."""
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return {str(k): (None if v is None else str(v)) for k, v in env.items()}
    result: dict[str, str | None] = {}
    for item in env:
        key, sep, value = str(item).partition("=")
        result[key] = value if sep else None
    return result


def _depends_on(service: dict) -> list[str]:
    deps = service.get("depends_on") or []
    if isinstance(deps, dict):
        return list(deps)
    return [str(d) for d in deps]


def _mail_catchers(services: dict) -> list[str]:
    return [
        name
        for name, svc in services.items()
        if any(img in str((svc or {}).get("image", "")).lower() for img in MAIL_CATCHER_IMAGES)
    ]


def _command_text(service: dict) -> str:
    command = service.get("command") or ""
    if isinstance(command, list):
        return " ".join(str(part) for part in command)
    return str(command)


# --------------------------------------------------------------------------- compose


def test_compose_has_required_services(services: dict) -> None:
    for name in ("db", "redis", *APP_SERVICES):
        assert name in services, f"service {name!r} missing from docker-compose.yml"
    assert _mail_catchers(services), "no mail catcher service (e.g. axllent/mailpit) in compose"


def test_compose_backing_service_images(services: dict) -> None:
    assert str(services["db"].get("image", "")).startswith("postgres:16")
    assert str(services["redis"].get("image", "")).startswith("redis:7")
    for name in ("db", "redis"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} needs a healthcheck"


def test_app_services_share_database_and_redis(services: dict) -> None:
    envs = {name: _environment(services[name]) for name in APP_SERVICES}
    for key in ("DATABASE_URL", "REDIS_URL"):
        values = {name: env.get(key) for name, env in envs.items()}
        assert all(values.values()), f"{key} must be set in every app service: {values}"
        assert len(set(values.values())) == 1, f"{key} differs between services: {values}"

    database_url = urlsplit(_compose_default(envs["web"]["DATABASE_URL"]))
    assert database_url.scheme.startswith("postgres"), database_url
    assert database_url.hostname in services, f"DATABASE_URL host {database_url.hostname!r}"
    assert str(services[database_url.hostname].get("image", "")).startswith("postgres")

    redis_url = urlsplit(_compose_default(envs["web"]["REDIS_URL"]))
    assert redis_url.scheme == "redis", redis_url
    assert redis_url.hostname in services, f"REDIS_URL host {redis_url.hostname!r}"
    assert str(services[redis_url.hostname].get("image", "")).startswith("redis")


def test_app_services_share_secret_key(services: dict) -> None:
    keys = {name: _environment(services[name]).get("SECRET_KEY") for name in APP_SERVICES}
    assert len(set(keys.values())) == 1, f"SECRET_KEY differs between services: {keys}"
    # Must come from the operator's environment and be required, never hard-coded.
    assert re.fullmatch(r"\$\{SECRET_KEY:?\?[^}]*\}", keys["web"] or ""), keys["web"]


def test_debug_is_off_in_web(services: dict) -> None:
    debug = _compose_default(_environment(services["web"]).get("DEBUG"))
    assert debug is not None, "web must set DEBUG explicitly"
    assert debug.strip().lower() in FALSY, f"DEBUG must be off in web, got {debug!r}"


def test_app_mail_goes_to_mail_catcher_by_default(services: dict) -> None:
    env = _environment(services["web"])
    assert _compose_default(env.get("EMAIL_HOST")) in _mail_catchers(services)
    assert _compose_default(env.get("EMAIL_PORT")) == "1025"


def test_every_depends_on_names_an_existing_service(services: dict) -> None:
    for name, svc in services.items():
        for dep in _depends_on(svc or {}):
            assert dep in services, f"{name} depends on unknown service {dep!r}"
            assert dep != name, f"{name} depends on itself"


def test_web_waits_for_healthy_db_and_redis(services: dict) -> None:
    deps = services["web"].get("depends_on")
    assert isinstance(deps, dict), "web.depends_on must use the long form with conditions"
    for backing in ("db", "redis"):
        assert deps.get(backing, {}).get("condition") == "service_healthy", backing


def test_migrations_run_before_web(services: dict) -> None:
    web_command = _command_text(services["web"])
    if "migrate" in web_command:
        return
    migrate_services = [
        name for name, svc in services.items() if "manage.py migrate" in _command_text(svc or {})
    ]
    assert migrate_services, "nothing runs `manage.py migrate` (web command or one-shot service)"
    deps = services["web"].get("depends_on") or {}
    assert any(
        isinstance(deps, dict)
        and deps.get(name, {}).get("condition") == "service_completed_successfully"
        for name in migrate_services
    ), "web must wait for the migrate service to complete successfully"


def test_app_service_commands(services: dict) -> None:
    assert "tracker.wsgi:application" in _command_text(services["web"]) or (
        not services["web"].get("command")
    )
    assert re.search(r"celery\s+-A\s+tracker\s+worker\b", _command_text(services["worker"]))
    assert re.search(r"celery\s+-A\s+tracker\s+beat\b", _command_text(services["beat"]))


def test_media_and_database_are_on_named_volumes(compose: dict, services: dict) -> None:
    declared = set((compose.get("volumes") or {}).keys())

    def named_sources(svc: dict) -> set[str]:
        sources = set()
        for vol in svc.get("volumes") or []:
            source = vol.get("source") if isinstance(vol, dict) else str(vol).split(":", 1)[0]
            if source in declared:
                sources.add(source)
        return sources

    assert named_sources(services["db"]), "postgres data must live on a named volume"
    assert named_sources(services["web"]), "web must mount a named volume for media"


# --------------------------------------------------------------------------- .ci/run


def test_ci_run_is_executable_bash_script() -> None:
    assert CI_RUN.is_file(), ".ci/run is missing"
    mode = CI_RUN.stat().st_mode
    assert mode & stat.S_IXUSR, ".ci/run is not executable"
    assert os.access(CI_RUN, os.X_OK)
    text = CI_RUN.read_text(encoding="utf-8")
    first_line = text.splitlines()[0]
    assert first_line.startswith("#!"), "first line of .ci/run must be a shebang"
    assert "bash" in first_line
    assert re.search(r"^set -euo pipefail$", text, re.MULTILINE)


def test_ci_run_tests_sqlite_and_postgres() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    assert len(re.findall(r"^\s*(?:env [^\n]*)?make test\b", text, re.MULTILINE)) >= 2
    assert "postgres" in text and "127.0.0.1" in text and "REDIS_URL" in text


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_ci_run_parses() -> None:
    result = subprocess.run(
        ["bash", "-n", str(CI_RUN)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- Makefile


def _make_targets() -> set[str]:
    targets = set()
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-/ ]+?)\s*::?(?![=])", line)
        if match and not line.startswith("\t"):
            targets.update(match.group(1).split())
    return targets


def test_makefile_has_run_and_test_targets() -> None:
    targets = _make_targets()
    for target in ("install", "run", "test", "lint", "fmt", "clean", "help"):
        assert target in targets, f"Makefile has no {target!r} target"


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make not installed")
def test_makefile_dry_run() -> None:
    """`make -n` catches syntax errors (e.g. spaces instead of tabs) and checks the recipes."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}

    def dry_run(target: str) -> str:
        result = subprocess.run(
            ["make", "--no-print-directory", "-n", "-C", str(ROOT), target],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert result.returncode == 0, f"make -n {target} failed:\n{result.stderr}"
        return result.stdout

    run = dry_run("run")
    assert "manage.py migrate --noinput" in run
    assert "manage.py seed_demo" in run
    assert "celery -A tracker worker" in run
    assert "runserver 127.0.0.1:8000" in run
    assert "trap" in run, "make run must stop the background worker on exit"

    test = dry_run("test")
    for fragment in (
        "ruff check .",
        "ruff format --check .",
        "makemigrations --check --dry-run",
        "pytest",
    ):
        assert fragment in test, f"make test does not run {fragment!r}"


# --------------------------------------------------------------------------- pyproject


PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*(\[[A-Za-z0-9_,\- ]+\])?==[0-9][^\s,;<>=!~]*$")


def _requirement_name(requirement: str) -> str:
    name = re.split(r"[\[=<>!~;\s]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


def test_pyproject_pins_every_dependency(pyproject: dict) -> None:
    project = pyproject["project"]
    dependencies = list(project.get("dependencies", []))
    dev = list(project.get("optional-dependencies", {}).get("dev", []))
    assert dependencies, "no runtime dependencies declared"
    assert dev, "no dev extras declared"
    for requirement in dependencies + dev:
        assert PINNED.match(requirement.strip()), f"dependency not pinned with ==: {requirement!r}"

    names = {_requirement_name(r) for r in dependencies}
    for required in (
        "django",
        "djangorestframework",
        "celery",
        "kombu",
        "redis",
        "psycopg",
        "dj-database-url",
        "django-axes",
        "openpyxl",
        "whitenoise",
        "gunicorn",
        "pyyaml",
    ):
        assert required in names, f"{required} missing from [project].dependencies"
    dev_names = {_requirement_name(r) for r in dev}
    for required in ("pytest", "pytest-django", "factory-boy", "time-machine", "ruff"):
        assert required in dev_names, f"{required} missing from dev extras"


def test_pyproject_tool_config(pyproject: dict) -> None:
    assert pyproject["project"]["requires-python"] == ">=3.11"
    pytest_cfg = pyproject["tool"]["pytest"]["ini_options"]
    assert pytest_cfg["DJANGO_SETTINGS_MODULE"] == "tracker.settings"
    assert pytest_cfg["testpaths"] == ["tests"]
    assert "--strict-markers" in pytest_cfg["addopts"]
    markers = {m.split(":", 1)[0].strip() for m in pytest_cfg["markers"]}
    assert {"postgres", "services"} <= markers
    packages = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert set(packages) == {"tracker*", "accounts*"}


# --------------------------------------------------------------------------- .gitignore


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
def test_gitignore_rules() -> None:
    def ignored(path: str) -> bool:
        result = subprocess.run(
            ["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path],
            capture_output=True,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr
        return result.returncode == 0

    for path in (
        "var/db.sqlite3",
        "var/mail/message.eml",
        ".venv/bin/python",
        "tracker/__pycache__/models.cpython-311.pyc",
        "staticfiles/admin/css/base.css",
    ):
        assert ignored(path), f"{path} should be git-ignored"
    for path in (
        "tracker/locale/vi/LC_MESSAGES/django.mo",
        "accounts/locale/vi/LC_MESSAGES/django.mo",
        "tracker/settings.py",
        ".ci/run",
    ):
        assert not ignored(path), f"{path} must not be git-ignored"
