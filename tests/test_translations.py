"""The English catalogue: complete, faithful to its placeholders, compiled, and really used.

The msgids are Vietnamese, so Vietnamese needs no catalogue; English lives in
locale/en/LC_MESSAGES/django.po and its compiled django.mo (both committed, because a fresh
machine may lack GNU gettext). `make messages` regenerates them.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tracker.models import TaskState
from tracker.timeliness import Bucket

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

HEADER_EN = "Đôn Đốc – Task tracking"
HEADER_VI = "Đôn Đốc – Theo dõi nhiệm vụ"


# --- A tiny .po reader (standard library only) ----------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(quoted: str) -> str:
    body = quoted.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a PO string: {quoted!r}"
    body = body[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], "\\" + m[1]), body)


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):  # obsolete entry: ignored by msgfmt and by Django
            continue
        if line.startswith("#"):
            if entry is not None and target is not None and target[0] == "msgstr":
                finish()  # comments start the next entry
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match[1], match[2], match[3]
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            if entry is None:
                entry = Entry(flags=pending_flags, line=number)
                pending_flags = set()
            value = _unquote(quoted)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                position = int(index) if index is not None else 0
                entry.msgstr[position], target = value, ("msgstr", position)
            continue
        assert line.startswith('"') and entry is not None and target is not None, (
            f"django.po:{number}: cannot read {raw!r}"
        )
        value = _unquote(line)
        kind, position = target
        if kind == "msgstr":
            entry.msgstr[position] += value
        elif kind == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif kind == "msgid":
            entry.msgid += value
        else:
            entry.msgid_plural = (entry.msgid_plural or "") + value
    finish()
    return entries


_PLACEHOLDER = re.compile(r"%\((?P<name>[^)]*)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in _PLACEHOLDER.finditer(text)}


def tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


@pytest.fixture(autouse=True)
def _leave_no_language_behind():
    # LocaleMiddleware activates the request's language in this thread and never resets it:
    # without this, tests running after an English request would see English messages.
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run `make messages`"
    parsed = parse_po(PO_PATH)
    assert parsed and parsed[0].is_header, "django.po must start with its header entry"
    return parsed


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    found = [e for e in entries if not e.is_header]
    assert len(found) > 100, "the catalogue looks truncated"
    return found


# --- (a) the catalogue is complete and keeps its placeholders -------------------------------


def test_parser_reads_multiline_strings_and_flags(tmp_path: Path) -> None:
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid ""\n"Một %(a)s "\n"hai"\nmsgstr "One %(a)s \\"two\\""\n\n'
        'msgctxt "ctx"\nmsgid "Tệp"\nmsgstr "File"\n\n'
        '#~ msgid "Cũ"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, first, second = parse_po(sample)
    assert header.is_header and header.msgstr[0] == "Language: en\n"
    assert first.msgid == "Một %(a)s hai" and first.msgstr[0] == 'One %(a)s "two"'
    assert first.flags == {"fuzzy", "python-format"}
    assert (second.msgctxt, second.msgid, second.msgstr[0]) == ("ctx", "Tệp", "File")


def test_header_declares_english_utf8_and_is_not_fuzzy(entries: list[Entry]) -> None:
    header = entries[0]
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_no_entry_is_empty_or_fuzzy(messages: list[Entry]) -> None:
    empty = [str(e) for e in messages if not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)
    assert not fuzzy, "fuzzy entries (check the translation, then drop the flag):\n" + "\n".join(
        fuzzy
    )


def test_placeholders_and_markup_survive_translation(messages: list[Entry]) -> None:
    broken = []
    for entry in messages:
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 else (entry.msgid_plural or entry.msgid)
            if placeholders(source) != placeholders(text):
                broken.append(f"{entry}: {placeholders(source)} ≠ {placeholders(text)}")
            if tags(source) != tags(text):
                broken.append(f"{entry}: HTML {tags(source)} ≠ {tags(text)}")
    assert not broken, "\n".join(broken)


def test_placeholder_regex_sees_named_conversions() -> None:
    assert placeholders("Quý %(quarter)s/%(year)d, 100%") == {"%(quarter)s", "%(year)d"}


# --- (b) the committed .mo is the compiled .po ----------------------------------------------


def test_mo_matches_po(messages: list[Entry]) -> None:
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run `make messages`"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if entry.msgid_plural is not None:
            for n, expected in ((1, entry.msgstr.get(0)), (2, entry.msgstr.get(1))):
                if entry.msgctxt is None:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if got != expected:
                    stale.append(f"{entry} (n={n}): .mo has {got!r}, .po has {expected!r}")
            continue
        if entry.msgctxt is None:
            got = compiled.gettext(entry.msgid)
        else:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
        if got != entry.msgstr[0]:
            stale.append(f"{entry}: .mo has {got!r}, .po has {entry.msgstr[0]!r}")
    assert not stale, "django.mo is out of date, run `make messages`:\n" + "\n".join(stale)


# --- (c) Django picks the catalogue up --------------------------------------------------------


def test_labels_in_english() -> None:
    with translation.override("en"):
        assert str(TaskState.ASSIGNED.label) == "Assigned"
        assert str(Bucket.OVERDUE.label) == "Overdue"


def test_labels_stay_vietnamese_by_default() -> None:
    assert settings.LANGUAGE_CODE == "vi"
    translation.deactivate()  # nothing active: Django falls back to LANGUAGE_CODE
    assert str(TaskState.ASSIGNED.label) == "Mới giao"
    with translation.override(settings.LANGUAGE_CODE):
        assert str(TaskState.ASSIGNED.label) == "Mới giao"
        assert str(Bucket.OVERDUE.label) == "Quá hạn"


# --- (d) the admin follows the visitor's language -------------------------------------------


@pytest.fixture
def client(client, people):
    client.force_login(people.office)
    return client


@pytest.mark.django_db
def test_the_admin_in_english_with_language_cookie(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en"' in html
    assert HEADER_EN in html
    assert HEADER_VI not in html


@pytest.mark.django_db
def test_the_admin_in_vietnamese_by_default(client) -> None:
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert HEADER_VI in html
    assert HEADER_EN not in html


@pytest.mark.django_db
def test_language_switcher_sets_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert HEADER_EN in client.get("/admin/").content.decode()
