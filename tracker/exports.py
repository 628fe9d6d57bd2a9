"""Excel files agencies open every day: Vietnamese headers, dates as dates, memory kept flat."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Iterable

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from . import deadlines
from .models import Directive, OutputKind, Task, TaskCoordination, TaskState
from .timeliness import Bucket

DATE_FORMAT = "DD/MM/YYYY"
# XlsxWriter, rows streamed to disk as they are written (constant memory).
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "default_date_format": DATE_FORMAT,
    # A task's content is text as typed: "=…" is no formula, "http…" no link, "007" no number.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
COLUMNS = [
    (_("STT"), 6),
    (_("Văn bản chỉ đạo"), 22),
    (_("Số thứ tự trong văn bản"), 10),
    (_("Nội dung nhiệm vụ"), 60),
    (_("Cơ quan chủ trì"), 28),
    (_("Cơ quan phối hợp"), 28),
    (_("Sản phẩm đầu ra"), 30),
    (_("Thời hạn"), 14),
    (_("Hạn hiện tại"), 12),
    (_("Hạn ban đầu"), 12),
    (_("Trạng thái"), 16),
    (_("Tiến độ thực hiện"), 18),
    (_("Tiến độ (%)"), 9),
    (_("Gửi kết quả lúc"), 12),
]


# A directive as the Excel files name it, read as plain values with each row.
DIRECTIVE_FIELDS = (
    "directive__symbol",
    "directive__kind",
    "directive__issuer",
    "directive__issue_date",
)


def directive_label(symbol: str, kind: str, issuer: str, issued: dt.date) -> str:
    """The number and symbol, or for a meeting's instructions without one, Directive's own
    name for it."""
    return symbol or str(Directive(symbol=symbol, kind=kind, issuer=issuer, issue_date=issued))


# Read as plain values, not models: building 100,000 Task instances was most of an export's time.
_FIELDS = (
    "directive_id",
    *DIRECTIVE_FIELDS,
    "item_number",
    "content",
    "lead_department__name",
    "output_description",
    "output_kind",
    "deadline_kind",
    "due_date",
    "report_frequency",
    "original_due_date",
    "state",
    "progress_percent",
    "submitted_at",
)


def _coordinators(tasks: QuerySet[Task]) -> dict[int, str]:
    """Each listed task's coordinating departments, for the whole list in one query: fetched
    per chunk of tasks they were 100 of the 111 queries of a 100,000-row export."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        TaskCoordination.objects.filter(task__in=tasks.order_by().values("pk"))
        .order_by("department__name")
        .values_list("task_id", "department__name")
    )
    for task_id, name in rows.iterator(chunk_size=5000):
        names[task_id].append(name)
    return {task_id: "; ".join(found) for task_id, found in names.items()}


def _rows(tasks: QuerySet[Task]) -> Iterable[list[object]]:
    """The list's rows, streamed (2 queries: the coordinators, then the tasks)."""
    coordinators = _coordinators(tasks)
    with_timeliness = "timeliness" in tasks.query.annotations
    fields = ("pk", *_FIELDS, *(("timeliness",) if with_timeliness else ()))
    directives: dict[int, str] = {}
    outputs = dict(OutputKind.choices)
    states = dict(TaskState.choices)
    buckets = dict(Bucket.choices)
    zone = timezone.get_current_timezone()
    rows = tasks.values_list(*fields).iterator(chunk_size=2000)
    for number, (pk, directive_id, symbol, kind, issuer, issued, *rest) in enumerate(rows, 1):
        item, content, lead, output, output_kind, deadline_kind, due, frequency = rest[:8]
        original, state, progress, submitted = rest[8:12]
        if directive_id not in directives:
            directives[directive_id] = directive_label(symbol, kind, issuer, issued)
        yield [
            number,
            directives[directive_id],
            item,
            content,
            lead,
            coordinators.get(pk, ""),
            output or str(outputs.get(output_kind, "")),
            deadlines.label(deadline_kind, due, frequency),
            due,
            original,
            str(states[state]),
            str(buckets[rest[12]]) if with_timeliness else "",
            progress,
            submitted.astimezone(zone).date() if submitted else None,
        ]


def write_task_list(tasks: QuerySet[Task], path: str) -> None:
    """Write the list with XlsxWriter in constant-memory mode: each row goes to disk as it is
    made. openpyxl's write-only mode took 28 s for 100,000 rows, most of it building cells;
    the small reports below keep openpyxl, whose styling they use."""
    book = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    sheet = book.add_worksheet(str(_("Nhiệm vụ")))
    for index, (_title, width) in enumerate(COLUMNS):
        sheet.set_column(index, index, width)
    heading = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
    sheet.write_row(0, 0, [str(title) for title, _width in COLUMNS], heading)
    for number, row in enumerate(_rows(tasks), start=1):
        sheet.write_row(number, 0, row)
    book.close()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def task_list_response(tasks: QuerySet[Task], *, filename: str) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as scratch:
        write_task_list(tasks, scratch.name)
        scratch.seek(0)
        while chunk := scratch.read(1024 * 1024):
            handle.write(chunk)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


RANKING_COLUMNS = [
    (_("Thứ hạng"), 9),
    (_("Đơn vị"), 34),
    (_("Thủ trưởng"), 24),
    (_("Tổng số nhiệm vụ"), 10),
    (_("Hoàn thành đúng hạn"), 10),
    (_("Hoàn thành quá hạn"), 10),
    (_("Hoàn thành không hạn"), 10),
    (_("Chưa hoàn thành trong hạn"), 10),
    (_("Quá hạn"), 10),
    (_("Không hạn"), 10),
    (_("Tỷ lệ đúng hạn (%)"), 10),
    (_("Tiêu chí chung"), 10),
    (_("Số lượng"), 10),
    (_("Chất lượng"), 10),
    (_("Tiến độ"), 10),
    (_("Tổng điểm"), 10),
    (_("Xếp loại"), 30),
]


def ranking_response(period, scores) -> FileResponse:
    """The ranking of a period as .xlsx: a row per department, numbers as numbers."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Xếp hạng")))
    for index, (_title, width) in enumerate(RANKING_COLUMNS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    state = _("đã chốt") if period.is_closed else _("tạm tính, chưa chốt")
    heading = _("Kết quả đánh giá, xếp hạng %(period)s (%(state)s)") % {
        "period": period,
        "state": state,
    }
    title = WriteOnlyCell(sheet, value=str(heading))
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    header = []
    for name, _width in RANKING_COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for score in scores:
        table = score.table
        rate = table.on_time_rate_with_deadline
        lowered = _("hạ do giới hạn tỷ lệ xuất sắc")
        grade = score.grade_label + (f" ({lowered})" if score.capped else "")
        sheet.append(
            [
                score.rank,
                score.department.name,
                score.head_name,
                table.total,
                table.done_on_time,
                table.done_late,
                table.done_no_deadline,
                table.open_in_time,
                table.open_overdue,
                table.open_no_deadline,
                float(rate) if rate is not None else None,
                float(score.general),
                float(score.quantity),
                float(score.quality),
                float(score.progress),
                float(score.total),
                grade,
            ]
        )
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"xep-hang-{period.kind}-{period.start:%Y-%m}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
