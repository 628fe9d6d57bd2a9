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
