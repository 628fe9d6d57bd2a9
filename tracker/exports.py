"""Excel files agencies open every day: Vietnamese headers, dates as dates, memory kept flat."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import Task, TaskState
from .timeliness import Bucket

DATE_FORMAT = "DD/MM/YYYY"
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


def _rows(tasks: QuerySet[Task]) -> Iterable[list[object]]:
    from django.utils import timezone

    for number, task in enumerate(
        tasks.prefetch_related("coordinations__department").iterator(chunk_size=2000), start=1
    ):
        submitted = timezone.localtime(task.submitted_at).date() if task.submitted_at else None
        yield [
            number,
            task.directive.symbol or str(task.directive),
            task.item_number,
            task.content,
            task.lead_department.name,
            "; ".join(c.department.name for c in task.coordinations.all()),
            task.output_description or task.get_output_kind_display(),
            task.deadline_label,
            task.due_date,
            task.original_due_date,
            str(TaskState(task.state).label),
            str(Bucket(task.timeliness).label) if hasattr(task, "timeliness") else "",
            task.progress_percent,
            submitted,
        ]


def write_task_list(tasks: QuerySet[Task], path: str) -> None:
    """Write the list with openpyxl's write-only mode: rows go to disk as they are made."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Nhiệm vụ")))
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    header = []
    for title, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in _rows(tasks):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if hasattr(value, "year") and hasattr(value, "day"):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


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
