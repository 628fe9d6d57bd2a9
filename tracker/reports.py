"""The monthly report (báo cáo tháng) as Excel: the standard table per department, and the list
of overdue tasks, for the dashboard's period and filters (tracker/dashboard.py).

Written with openpyxl's write-only mode, so memory stays flat however many tasks are overdue:
the overdue rows are read from the database in chunks and streamed to the file. Only tasks the
person may see are counted (``Task.objects.visible_to``). Queries: 2 (the table per department
against the current and the original due date) plus 1 for the overdue tasks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from accounts.models import Department, User

from . import statistics
from .exports import DATE_FORMAT
from .models import Task, TaskState
from .statistics import Table
from .timeliness import Bucket

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .dashboard import Scope

RATE_FORMAT = "0.0"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SUMMARY_COLUMNS = [
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Đơn vị chủ trì"), 42),
    (gettext_lazy("Tổng số nhiệm vụ"), 11),
    (gettext_lazy("Hoàn thành đúng hạn"), 12),
    (gettext_lazy("Hoàn thành quá hạn"), 12),
    (gettext_lazy("Hoàn thành không hạn"), 12),
    (gettext_lazy("Chưa hoàn thành trong hạn"), 13),
    (gettext_lazy("Chưa hoàn thành quá hạn"), 13),
    (gettext_lazy("Chưa hoàn thành không hạn"), 13),
    (gettext_lazy("Tỷ lệ hoàn thành (%)"), 12),
    (gettext_lazy("Tỷ lệ đúng hạn trên tổng số (%)"), 14),
    (gettext_lazy("Tỷ lệ đúng hạn trên nhiệm vụ có hạn (%)"), 15),
    (gettext_lazy("Tỷ lệ đúng hạn theo hạn ban đầu (%)"), 15),
]
COUNTS = (
    "total",
    "done_on_time",
    "done_late",
    "done_no_deadline",
    "open_in_time",
    "open_overdue",
    "open_no_deadline",
)
OVERDUE_COLUMNS = [
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Văn bản chỉ đạo"), 24),
    (gettext_lazy("Số thứ tự trong văn bản"), 10),
    (gettext_lazy("Nội dung nhiệm vụ"), 60),
    (gettext_lazy("Cơ quan chủ trì"), 32),
    (gettext_lazy("Hạn hiện tại"), 12),
    (gettext_lazy("Hạn ban đầu"), 12),
    (gettext_lazy("Số ngày quá hạn"), 10),
    (gettext_lazy("Trạng thái"), 18),
    (gettext_lazy("Tiến độ (%)"), 9),
]
HEADER_ROW = 4  # title, subtitle, a blank row, then the headers

_THIN = Side(style="thin", color="9CA3AF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E5E7EB")


def title(scope: Scope) -> str:
    return _("Báo cáo tình hình thực hiện nhiệm vụ %(period)s") % {"period": scope.period.name}


def subtitle(scope: Scope) -> str:
    parts = [
        _("Số liệu tính đến hết ngày %(day)s; tiến độ tính theo hạn hiện tại")
        % {"day": scope.end.strftime("%d/%m/%Y")}
    ]
    if scope.directive is not None:
        parts.append(_("văn bản: %(directive)s") % {"directive": scope.directive})
    if scope.department is not None:
        parts.append(_("đơn vị: %(department)s") % {"department": scope.department})
    return "; ".join(parts) + "."


def filename(scope: Scope) -> str:
    period = scope.period
    if period.kind == "nam":
        return f"bao-cao-nam-{period.year}.xlsx"
    kind = "thang" if period.kind == "thang" else "quy"
    return f"bao-cao-{kind}-{period.number:02d}-{period.year}.xlsx"


def total_of(tables: Iterable[Table]) -> Table:
    """The sum of department rows: each task has exactly one lead department."""
    result = Table()
    for table in tables:
        for name in statistics.COLUMNS:
            setattr(result, name, getattr(result, name) + getattr(table, name))
    return result


# --- Writing ---------------------------------------------------------------------------------


def _cell(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _start(sheet: WriteOnlyWorksheet, columns: list[tuple[Any, int]], scope: Scope) -> None:
    """Widths, the title and subtitle across the table, and the header row; set before any
    row is written, as write-only sheets require."""
    for index, (_name, size) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = size
    last = get_column_letter(len(columns))
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    centred = Alignment(horizontal="center", vertical="center")
    sheet.append([_cell(sheet, title(scope), font=Font(bold=True, size=14), alignment=centred)])
    sheet.append([_cell(sheet, subtitle(scope), font=Font(italic=True), alignment=centred)])
    sheet.append([])
    sheet.append(
        [
            _cell(
                sheet,
                str(name),
                font=Font(bold=True),
                fill=_HEADER_FILL,
                border=_BORDER,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
            for name, _size in columns
        ]
    )


def _rates(table: Table, original: Table) -> list[Decimal | None]:
    return [
        table.completion_rate,
        table.on_time_rate,
        table.on_time_rate_with_deadline,
        original.on_time_rate_with_deadline,
    ]


def _summary_row(
    sheet: WriteOnlyWorksheet, number: int | None, name: str, table: Table, original: Table
) -> list[WriteOnlyCell]:
    bold = Font(bold=number is None)
    cells = [
        _cell(sheet, number, border=_BORDER, font=bold),
        _cell(sheet, name, border=_BORDER, font=bold, alignment=Alignment(wrap_text=True)),
    ]
    cells += [_cell(sheet, getattr(table, c), border=_BORDER, font=bold) for c in COUNTS]
    cells += [
        _cell(
            sheet,
            float(rate) if rate is not None else None,
            border=_BORDER,
            font=bold,
            number_format=RATE_FORMAT,
        )
        for rate in _rates(table, original)
    ]
    return cells


def write_summary(
    sheet: WriteOnlyWorksheet,
    tasks: QuerySet[Task],
    scope: Scope,
    departments: list[Department],
) -> None:
    """Sheet 1: a row per department with tasks in the period, by name, and the totals."""
    current = statistics.table_by(tasks, scope.start, scope.end)  # 1 query
    original = statistics.table_by(tasks, scope.start, scope.end, against="original")  # 1 query
    _start(sheet, SUMMARY_COLUMNS, scope)
    number = 0
    for department in departments:
        table = current.get(department.pk)
        if table is None:
            continue
        number += 1
        against_original = original.get(department.pk, Table())
        sheet.append(_summary_row(sheet, number, department.name, table, against_original))
    sheet.append(
        _summary_row(
            sheet,
            None,
            _("Tổng cộng"),
            total_of(current.values()),
            total_of(original.values()),
        )
    )


def overdue_tasks(tasks: QuerySet[Task], scope: Scope) -> Iterator[Task]:
    """The period's tasks overdue as of its end, most overdue first, in chunks (1 query)."""
    rows = (
        statistics.task_rows(tasks, scope.start, scope.end)
        .filter(_bucket=Bucket.OVERDUE)
        .select_related("directive", "lead_department")
        .order_by("due_date", "id")
    )
    return rows.iterator(chunk_size=2000)


def write_overdue(sheet: WriteOnlyWorksheet, tasks: QuerySet[Task], scope: Scope) -> None:
    """Sheet 2: every task overdue as of the period's end, with its days overdue."""
    _start(sheet, OVERDUE_COLUMNS, scope)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for number, task in enumerate(overdue_tasks(tasks, scope), start=1):
        values: list[tuple[Any, dict[str, Any]]] = [
            (number, {}),
            (task.directive.symbol or str(task.directive), {"alignment": wrap}),
            (task.item_number, {}),
            (task.content, {"alignment": wrap}),
            (task.lead_department.name, {"alignment": wrap}),
            (task.due_date, {"number_format": DATE_FORMAT}),
            (task.original_due_date, {"number_format": DATE_FORMAT}),
            (statistics.days_overdue(task, scope.end), {}),
            (str(TaskState(task.state).label), {}),
            (task.progress_percent, {}),
        ]
        sheet.append(
            [
                _cell(sheet, value, border=_BORDER, **{"alignment": top, **style})
                for value, style in values
            ]
        )


def write_report(path: Any, user: User, scope: Scope, departments: list[Department]) -> None:
    """Write the report to ``path`` (a file name or a binary file object)."""
    tasks = scope.filter(Task.objects.visible_to(user))
    book = Workbook(write_only=True)
    write_summary(book.create_sheet(_("Tổng hợp")), tasks, scope, departments)
    write_overdue(book.create_sheet(_("Nhiệm vụ quá hạn")), tasks, scope)
    book.save(path)


def monthly_report_response(
    user: User, scope: Scope, departments: list[Department]
) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_report(handle, user, scope, departments)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename(scope), content_type=CONTENT_TYPE
    )
