"""Importing a plan's task table: the appendix an agency already has, as .xlsx or .csv.

Appendices are laid out alike (STT, Nhiệm vụ, Cơ quan chủ trì, Cơ quan phối hợp, Sản phẩm,
Thời hạn) but every office words its headers a little differently, so the header row is found
among the first rows by matching names without case or diacritics. Each row becomes a proposed
task or a list of errors (``build_plan``); nothing is written until ``import_commit``, which
creates every proposed task through ``workflow.task_create`` in one transaction, or none.

The task list from tracker/exports.py reads back: a row that repeats a task the directive
already has (same item number and content) is reported as "đã có" and not created again.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import matching
from accounts.models import Department, User

from . import deadlines, workflow
from .errors import WorkflowError
from .models import DeadlineKind, Directive, OutputKind, Task

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_SUFFIXES = (".xlsx", ".csv")
HEADER_SEARCH_ROWS = 10
SUGGESTIONS = 3


# --- Text folding ----------------------------------------------------------------------------


# Headers and names are compared by accounts.matching.fold: lower case, no diacritics (đ → d),
# single spaces, old and new tone placement alike. Re-exported here for the callers of this module.
fold = matching.fold


def _clean(value: Any) -> str:
    """A cell as text: NFC, trimmed; whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


def _content_key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


# --- Headers ---------------------------------------------------------------------------------

# Field → the header names it accepts, folded. The task list export's own headers are here too.
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "tt", "so tt"),
    "item_number": (
        "so thu tu",
        "so thu tu trong van ban",
        "muc",
        "so hieu",
    ),
    "content": (
        "nhiem vu",
        "noi dung",
        "noi dung nhiem vu",
        "ten nhiem vu",
        "nhiem vu cu the",
        "nhiem vu, giai phap",
        "noi dung cong viec",
    ),
    "lead": (
        "co quan chu tri",
        "don vi chu tri",
        "chu tri",
        "co quan, don vi chu tri",
        "co quan chu tri thuc hien",
        "don vi chu tri thuc hien",
        "co quan thuc hien",
        "don vi thuc hien",
    ),
    "coordinators": (
        "co quan phoi hop",
        "don vi phoi hop",
        "phoi hop",
        "co quan, don vi phoi hop",
    ),
    "output": (
        "san pham",
        "san pham dau ra",
        "ket qua",
        "ket qua, san pham",
        "san pham hoan thanh",
        "hinh thuc van ban",
    ),
    "deadline": (
        "thoi han",
        "thoi gian hoan thanh",
        "thoi han hoan thanh",
        "han hoan thanh",
        "thoi gian thuc hien",
        "tien do hoan thanh",
    ),
    "due_date": ("han hien tai",),
    "group": ("nhom nhiem vu", "nhom", "linh vuc"),
    "quality": ("yeu cau chat luong",),
}
_HEADER_INDEX = {name: key for key, names in HEADERS.items() for name in names}
# Keywords for headers worded otherwise ("Cơ quan chủ trì tham mưu"), tried in this order.
_HEADER_KEYWORDS = (
    ("lead", "chu tri"),
    ("coordinators", "phoi hop"),
    ("output", "san pham"),
    ("deadline", "thoi han"),
    ("deadline", "hoan thanh"),
    ("content", "noi dung"),
    ("content", "nhiem vu"),
)
# The export's other columns, and the usual extras: read past, never guessed at.
_IGNORED_HEADERS = {
    "van ban chi dao",
    "han ban dau",
    "trang thai",
    "tien do thuc hien",
    "tien do (%)",
    "gui ket qua luc",
    "ghi chu",
}
REQUIRED = ("content", "lead")

FIELD_LABELS = {
    "item_number": gettext_lazy("STT"),
    "content": gettext_lazy("Nhiệm vụ"),
    "lead": gettext_lazy("Cơ quan chủ trì"),
    "coordinators": gettext_lazy("Cơ quan phối hợp"),
    "output": gettext_lazy("Sản phẩm"),
    "deadline": gettext_lazy("Thời hạn"),
}


def _header_key(cell: Any) -> str | None:
    folded = fold(cell).rstrip(":").strip()
    folded = re.sub(r"\s*\(\*\)$", "", folded)
    if not folded or folded in _IGNORED_HEADERS:
        return None
    if folded in _HEADER_INDEX:
        return _HEADER_INDEX[folded]
    for key, word in _HEADER_KEYWORDS:
        if word in folded:
            return key
    return None


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The first of the rows whose cells name at least the content and lead columns."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = _header_key(cell)
            if key and key not in columns:
                columns[key] = position
        if all(key in columns for key in REQUIRED):
            return index, columns
    return None


# --- Reading files ---------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("Không đọc được tệp Excel; tệp có thể bị hỏng hoặc không phải định dạng .xlsx.")
        ) from error
    try:
        sheets = book.worksheets
        # The first sheet that holds a header row: a cover sheet before the table is common.
        for sheet in sheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if find_header(rows) is not None or sheet is sheets[-1]:
                yield from rows
                return
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Tệp CSV phải được lưu với mã UTF-8 (trong Excel: CSV UTF-8).")
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def read_rows(data: bytes, name: str) -> list[list[Any]]:
    suffix = PurePath(name or "").suffix.lower()
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("Tệp lớn hơn mức cho phép %(limit)d MB.")
            % {"limit": IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    if suffix == ".xlsx":
        return list(_xlsx_rows(data))
    if suffix == ".csv":
        return list(_csv_rows(data))
    if suffix == ".xls":
        raise ImportFileError(
            _("Tệp .xls (Excel 97–2003) chưa được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc CSV.")
        )
    raise ImportFileError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


# --- Departments -----------------------------------------------------------------------------

_PREFIXES = re.compile(r"^(so|ubnd|uy ban nhan dan|u\.b\.n\.d)\s+")


def _department_key(text: str) -> str:
    key = re.sub(r"[^\w\s]", " ", fold(text))
    key = re.sub(r"\s+", " ", key).strip()
    return _PREFIXES.sub("", key)


class Departments:
    """Every department once, matched by exact name, code, or name without "Sở"/"UBND"."""

    def __init__(self) -> None:
        self.all = list(Department.objects.all())
        self.by_name = {d.name.strip(): d for d in self.all}
        self.by_code = {d.code.strip().casefold(): d for d in self.all}
        self.by_key: dict[str, list[Department]] = {}
        for department in self.all:
            self.by_key.setdefault(_department_key(department.name), []).append(department)
        self.active_names = [d.name for d in self.all if d.is_active]

    def find(self, text: str) -> Department | None:
        text = unicodedata.normalize("NFC", text).strip()
        if text in self.by_name:
            return self.by_name[text]
        if text.casefold() in self.by_code:
            return self.by_code[text.casefold()]
        matches = self.by_key.get(_department_key(text), [])
        active = [d for d in matches if d.is_active]
        if len(matches) == 1:
            return matches[0]
        if len(active) == 1:
            return active[0]
        return None

    def suggest(self, text: str) -> list[str]:
        folded = {fold(name): name for name in self.active_names}
        close = difflib.get_close_matches(fold(text), list(folded), n=SUGGESTIONS, cutoff=0.4)
        if not close:  # "Tài chính" is close to "Sở Tài chính" only once "Sở" is dropped.
            keyed = {_department_key(name): name for name in self.active_names}
            close_keys = difflib.get_close_matches(
                _department_key(text), list(keyed), n=SUGGESTIONS, cutoff=0.4
            )
            return [keyed[k] for k in close_keys]
        return [folded[k] for k in close]

    def unknown(self, text: str) -> str:
        suggestions = self.suggest(text)
        if suggestions:
            return _("Không tìm thấy đơn vị “%(name)s”. Có phải: %(suggestions)s?") % {
                "name": text,
                "suggestions": "; ".join(suggestions),
            }
        return _("Không tìm thấy đơn vị “%(name)s” trong danh mục đơn vị.") % {"name": text}

    def split(self, text: str) -> tuple[list[Department], list[str]]:
        """Coordinators separated by ";", "," or new lines. Names with a comma in them ("Sở Văn
        hóa, Thể thao và Du lịch") are kept whole when the whole name is a department."""
        found: list[Department] = []
        errors: list[str] = []
        for piece in re.split(r"[;\n\r]+", text):
            piece = piece.strip(" .-+\t")
            if not piece:
                continue
            if (department := self.find(piece)) is not None:
                found.append(department)
                continue
            parts = [p.strip(" .-+\t") for p in piece.split(",")]
            start = 0
            while start < len(parts):
                for end in range(len(parts), start, -1):
                    candidate = ", ".join(p for p in parts[start:end] if p)
                    if candidate and (department := self.find(candidate)) is not None:
                        found.append(department)
                        start = end
                        break
                else:
                    if parts[start]:
                        errors.append(self.unknown(parts[start]))
                    start += 1
        return found, errors


# --- Deadlines and outputs -------------------------------------------------------------------


def read_deadline(value: Any) -> tuple[deadlines.Deadline, str]:
    """A deadline cell → (Deadline, report frequency). Raises DeadlineError.

    The export writes a periodic task as "Hằng tháng, đến 31/12/2026"; tracker.deadlines.parse
    reads that and every other written form.
    """
    if isinstance(value, dt.datetime):
        return deadlines.Deadline(DeadlineKind.DATE, value.date()), ""
    if isinstance(value, dt.date):
        return deadlines.Deadline(DeadlineKind.DATE, value), ""
    text = _clean(value)
    if not text:
        raise deadlines.DeadlineError(
            _(
                "Thiếu thời hạn. Ghi theo một trong các dạng: 15/12/2025, Tháng 12/2025, "
                "Quý II/2026, Năm 2026 hoặc Thường xuyên."
            )
        )
    deadline = deadlines.parse(text)
    return deadline, deadline.frequency


def read_output(text: str) -> tuple[str, str]:
    """(output kind, description): "Kế hoạch" alone is the kind; "Kế hoạch của …" both."""
    folded = fold(text)
    if not folded:
        return OutputKind.KHAC, ""
    labels = sorted(((fold(k.label), k.value) for k in OutputKind), key=lambda p: -len(p[0]))
    for label, value in labels:
        if folded == label:
            return value, ""
    for label, value in labels:
        if value != OutputKind.KHAC and folded.startswith(label):
            return value, text
    return OutputKind.KHAC, text


# --- The plan --------------------------------------------------------------------------------


class RowStatus:
    NEW = "new"
    EXISTING = "existing"
    GROUP = "group"
    INVALID = "invalid"


STATUS_LABELS = {
    RowStatus.NEW: gettext_lazy("Sẽ tạo"),
    RowStatus.EXISTING: gettext_lazy("Đã có"),
    RowStatus.GROUP: gettext_lazy("Nhóm nhiệm vụ"),
    RowStatus.INVALID: gettext_lazy("Có lỗi"),
}


@dataclass
class ImportRow:
    line: int  # the row number in the sheet, as the user sees it
    cells: dict[str, str]  # each field as read
    status: str = RowStatus.NEW
    errors: list[str] = field(default_factory=list)
    item_number: str = ""
    group: str = ""
    content: str = ""
    lead_department: Department | None = None
    coordinators: list[Department] = field(default_factory=list)
    output_kind: str = OutputKind.KHAC
    output_description: str = ""
    quality_requirement: str = ""
    deadline_kind: str = ""
    due_date: dt.date | None = None
    report_frequency: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def deadline_label(self) -> str:
        """The deadline as understood, or as written when it could not be read."""
        if not self.deadline_kind:
            return self.cells.get("deadline") or self.cells.get("due_date", "")
        return deadlines.label(self.deadline_kind, self.due_date, self.report_frequency)

    @property
    def lead_text(self) -> str:
        return self.cells.get("lead", "")

    @property
    def coordinators_text(self) -> str:
        return self.cells.get("coordinators", "")

    @property
    def output_kind_label(self) -> str:
        if not self.output_description and self.output_kind == OutputKind.KHAC:
            return ""
        return str(OutputKind(self.output_kind).label)

    def as_dict(self) -> dict[str, Any]:
        def department(d: Department | None) -> dict[str, Any] | None:
            return None if d is None else {"id": d.pk, "name": d.name, "code": d.code}

        return {
            "line": self.line,
            "status": self.status,
            "cells": self.cells,
            "errors": self.errors,
            "item_number": self.item_number,
            "group": self.group,
            "content": self.content,
            "lead_department": department(self.lead_department),
            "coordinators": [department(d) for d in self.coordinators],
            "output_kind": self.output_kind,
            "output_description": self.output_description,
            "deadline_kind": self.deadline_kind,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "deadline_label": self.deadline_label if self.deadline_kind else "",
            "report_frequency": self.report_frequency,
        }


@dataclass
class ImportPlan:
    directive: Directive
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def to_create(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == RowStatus.NEW]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(1 for row in self.rows if row.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "directive": self.directive.pk,
            "valid": self.is_valid,
            "errors": self.errors,
            "summary": {
                "new": self.count(RowStatus.NEW),
                "existing": self.count(RowStatus.EXISTING),
                "groups": self.count(RowStatus.GROUP),
                "invalid": self.count(RowStatus.INVALID),
            },
            "rows": [row.as_dict() for row in self.rows],
        }


_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def _is_numbering_row(cells: dict[str, str]) -> bool:
    """The "(1) (2) (3)" line many appendices put under the header."""
    return bool(cells.get("content")) and all(_NUMBERING.match(v) for v in cells.values() if v)


def build_plan(directive: Directive, rows: Iterable[list[Any]]) -> ImportPlan:
    """Read the table into proposed tasks; write nothing."""
    plan = ImportPlan(directive=directive)
    rows = list(rows)
    found = find_header(rows)
    if found is None:
        plan.errors.append(
            _(
                "Không tìm thấy dòng tiêu đề trong %(n)d dòng đầu: cần ít nhất các cột “Nhiệm vụ” "
                "(hoặc “Nội dung”) và “Cơ quan chủ trì”."
            )
            % {"n": HEADER_SEARCH_ROWS}
        )
        return plan
    header_index, columns = found
    plan.columns = columns
    if "deadline" not in columns and "due_date" not in columns:
        plan.errors.append(_("Không tìm thấy cột “Thời hạn” (hoặc “Thời gian hoàn thành”)."))
        return plan
    departments = Departments()
    existing = {
        (item.strip(), _content_key(content))
        for item, content in Task.objects.filter(directive=directive).values_list(
            "item_number", "content"
        )
    }
    seen: dict[tuple[str, str], int] = {}
    group = ""
    for offset, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {key: (raw[i] if i < len(raw) else None) for key, i in columns.items()}
        cells = {key: _clean(value) for key, value in values.items()}
        if not any(cells.values()):
            continue
        if offset == header_index + 2 and _is_numbering_row(cells):
            continue
        row = ImportRow(line=offset, cells=cells)
        plan.rows.append(row)
        row.item_number = cells.get("item_number") or cells.get("number", "")
        row.content = cells.get("content", "")
        task_cells = ("lead", "coordinators", "output", "deadline", "due_date")
        if row.content and not any(cells.get(k) for k in task_cells):
            # "I. Lĩnh vực kinh tế": a heading, whose tasks follow.
            row.status = RowStatus.GROUP
            group = row.content[:255]
            continue
        row.group = cells.get("group") or group
        _read_row(row, values, cells, departments)
        key = (row.item_number.strip(), _content_key(row.content))
        if row.content and key in existing:
            row.status = RowStatus.EXISTING
            row.errors = []
            continue
        if row.content and key in seen:
            row.errors.append(
                _("Trùng với dòng %(line)d (cùng số thứ tự và nội dung).") % {"line": seen[key]}
            )
        seen.setdefault(key, row.line)
        if row.errors:
            row.status = RowStatus.INVALID
    if not plan.rows and not plan.errors:
        plan.errors.append(_("Bảng không có dòng nhiệm vụ nào dưới dòng tiêu đề."))
    return plan


def _read_row(
    row: ImportRow, values: dict[str, Any], cells: dict[str, str], departments: Departments
) -> None:
    errors = row.errors
    if not row.content:
        errors.append(_("Thiếu nội dung nhiệm vụ."))
    if len(row.item_number) > 32:
        errors.append(_("Số thứ tự dài quá 32 ký tự."))
    lead_text = cells.get("lead", "")
    if not lead_text:
        errors.append(_("Thiếu cơ quan chủ trì."))
    else:
        row.lead_department = departments.find(lead_text)
        if row.lead_department is None:
            leads, _errors = departments.split(lead_text)
            if len(leads) > 1:
                errors.append(
                    _("Mỗi nhiệm vụ chỉ có một cơ quan chủ trì; “%(text)s” ghi %(n)d đơn vị.")
                    % {"text": lead_text, "n": len(leads)}
                )
            else:
                errors.append(departments.unknown(lead_text))
    row.coordinators, coordinator_errors = departments.split(cells.get("coordinators", ""))
    errors.extend(coordinator_errors)
    row.output_kind, row.output_description = read_output(cells.get("output", ""))
    row.quality_requirement = cells.get("quality", "")
    deadline_value = values.get("deadline")
    if _clean(deadline_value) == "" and values.get("due_date") not in (None, ""):
        deadline_value = values.get("due_date")
    try:
        deadline, row.report_frequency = read_deadline(deadline_value)
    except deadlines.DeadlineError as error:
        errors.append(str(error))
    else:
        row.deadline_kind = deadline.kind
        row.due_date = deadline.due_date
    if row.lead_department is not None and row.content and row.deadline_kind:
        # The same checks task_create makes: inactive units, lead also coordinating, twice.
        coordinators = [(d, "") for d in row.coordinators]
        try:
            _content, row.due_date = workflow.check_task_input(
                content=row.content,
                lead_department=row.lead_department,
                coordinators=coordinators,
                deadline_kind=row.deadline_kind,
                due_date=row.due_date,
                report_frequency=row.report_frequency,
            )
        except WorkflowError as error:
            errors.append(error.message)


def plan_from_file(directive: Directive, data: bytes, name: str) -> ImportPlan:
    try:
        rows = read_rows(data, name)
    except ImportFileError as error:
        return ImportPlan(directive=directive, errors=[str(error)])
    return build_plan(directive, rows)


# --- Committing ------------------------------------------------------------------------------


def import_commit(*, directive: Directive, plan: ImportPlan, actor: User) -> list[Task]:
    """Create every proposed task, or none: one transaction, each task through task_create."""
    if plan.directive.pk != directive.pk:
        raise WorkflowError(_("Bảng nhiệm vụ được đọc cho một văn bản khác."))
    if not plan.is_valid:
        raise WorkflowError(
            _("Bảng còn %(n)d lỗi; sửa tệp rồi tải lên lại, chưa nhiệm vụ nào được tạo.")
            % {"n": plan.error_count},
            code="invalid",
        )
    created: list[Task] = []
    with transaction.atomic():
        # One import at a time per directive: the second sees the first one's tasks.
        Directive.objects.select_for_update().filter(pk=directive.pk).first()
        existing = {
            (item.strip(), _content_key(content))
            for item, content in Task.objects.filter(directive=directive).values_list(
                "item_number", "content"
            )
        }
        for row in plan.to_create:
            if (row.item_number.strip(), _content_key(row.content)) in existing:
                continue
            try:
                task = workflow.task_create(
                    directive=directive,
                    actor=actor,
                    content=row.content,
                    lead_department=row.lead_department,
                    deadline_kind=row.deadline_kind,
                    due_date=row.due_date,
                    item_number=row.item_number,
                    group=row.group,
                    coordinators=[(d, "") for d in row.coordinators],
                    output_kind=row.output_kind,
                    output_description=row.output_description,
                    quality_requirement=row.quality_requirement,
                    report_frequency=row.report_frequency,
                )
            except WorkflowError as error:
                error.message = _("Dòng %(line)d: %(message)s") % {
                    "line": row.line,
                    "message": error.message,
                }
                error.args = (error.message,)
                raise
            created.append(task)
    return created


# --- Uploads kept between the dry run and the confirmation -----------------------------------

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
STASH_HOURS = 6


def _stash_dir() -> Path:
    base = getattr(settings, "IMPORT_STASH_DIR", None) or Path(settings.VAR_DIR) / "imports"
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(data: bytes, name: str) -> str:
    """Keep the uploaded bytes in a private temporary file; return the token naming it."""
    directory = _stash_dir()
    cutoff = time.time() - STASH_HOURS * 3600
    for old in directory.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    suffix = PurePath(name or "").suffix.lower()
    (directory / f"{token}.upload").write_bytes(data)
    (directory / f"{token}.name").write_text(suffix if suffix in IMPORT_SUFFIXES else "")
    return token


def load_stash(token: str) -> tuple[bytes, str] | None:
    if not _TOKEN.match(token or ""):
        return None
    directory = _stash_dir()
    try:
        data = (directory / f"{token}.upload").read_bytes()
        suffix = (directory / f"{token}.name").read_text()
    except OSError:
        return None
    return data, f"tep{suffix}"


def drop_stash(token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    for suffix in (".upload", ".name"):
        (_stash_dir() / f"{token}{suffix}").unlink(missing_ok=True)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp bảng nhiệm vụ (.xlsx hoặc .csv)"),
        help_text=gettext_lazy(
            "Các cột: STT, Nhiệm vụ (Nội dung), Cơ quan chủ trì, Cơ quan phối hợp, Sản phẩm, "
            "Thời hạn. Tối đa 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn mức cho phép %(limit)d MB.")
                % {"limit": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
