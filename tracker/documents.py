"""The text of an uploaded directive: .txt, .docx or a .pdf with a text layer.

tracker/extraction.py reads plain text; this module turns an upload into that text, or raises
``DocumentError`` with a message for the clerk. A .docx is read in document order, paragraphs
and tables alike; a table row becomes one line of cells joined by " | ", which the extractor
reads like an imported task table. A scanned PDF has no text to read: the clerk is told so
rather than shown an empty result.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
# A PDF page with fewer readable characters than this is taken as an image (a scan).
MIN_TEXT_CHARS = 20


class DocumentError(ValueError):
    """The file cannot be read as a directive's text; the message is for the user."""


def read_document(data: bytes, name: str) -> str:
    """The text of a .txt, .docx or text-layer .pdf file."""
    suffix = PurePath(name or "").suffix.lower()
    if not data:
        raise DocumentError(_("Tệp rỗng."))
    if len(data) > DOCUMENT_MAX_BYTES:
        raise DocumentError(
            _("Tệp lớn hơn mức cho phép %(limit)d MB.")
            % {"limit": DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    if suffix == ".txt":
        return _text(data)
    if suffix == ".docx":
        return _docx(data)
    if suffix == ".pdf":
        return _pdf(data)
    if suffix == ".doc":
        raise DocumentError(
            _("Tệp .doc (Word 97–2003) chưa được hỗ trợ: hãy lưu lại dưới dạng .docx hoặc PDF.")
        )
    raise DocumentError(_("Chỉ nhận tệp .docx, .pdf (có lớp chữ) hoặc .txt."))


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Old Vietnamese Windows files (TCVN3 is not handled: its letters are not in cp1258).
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise DocumentError(
            _("Không đọc được tệp văn bản: hãy lưu tệp với mã UTF-8 rồi tải lên lại.")
        ) from None


def _docx(data: bytes) -> str:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocumentError(
            _("Không đọc được tệp Word; tệp có thể bị hỏng hoặc không phải định dạng .docx.")
        ) from error
    except Exception as error:  # python-docx raises its own errors for a broken package
        raise DocumentError(
            _("Không đọc được tệp Word; tệp có thể bị hỏng hoặc không phải định dạng .docx.")
        ) from error
    lines: list[str] = []

    def table_lines(table: Table) -> None:
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per grid column
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            if any(cells):
                lines.append(" | ".join(c.replace("|", "/") for c in cells))

    # Paragraphs and tables in the order they appear in the body.
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            table_lines(Table(child, document))
    return "\n".join(lines)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(_("Tệp PDF có mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."))
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentError(
            _("Không đọc được tệp PDF; tệp có thể bị hỏng hoặc không phải định dạng PDF.")
        ) from error
    text = "\n".join(pages)
    if len(re.sub(r"\s+", "", text)) < MIN_TEXT_CHARS:
        raise DocumentError(
            _(
                "Tệp PDF không có lớp chữ (bản quét): không đọc được nội dung. Hãy tải lên bản "
                ".docx hoặc PDF xuất từ Word, hoặc dán nội dung văn bản."
            )
        )
    return _reflow(text)


def _reflow(text: str) -> str:
    """Join the lines a PDF breaks mid-sentence: a line that does not end a sentence, followed
    by one that starts in lower case, is the same paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if (
            out
            and line
            and out[-1]
            and line[:1].islower()
            and not out[-1].endswith((".", ":", ";", "!", "?"))
        ):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)
