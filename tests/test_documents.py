"""tracker.documents: the text of an uploaded directive (.txt, .docx, text-layer .pdf)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from tracker.documents import DocumentError, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
TEXT = "Giao Sở Tài chính chủ trì, hoàn thành trước ngày 15/12/2025."
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Windows programs wrote it: letter, then the tone mark."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),  # with its byte order mark
        cp1258(TEXT),
    ],
)
def test_a_text_file_is_read_in_its_encoding(data):
    assert unicodedata.normalize("NFC", read_document(data, "ket-luan.txt")) == TEXT


def test_a_docx_is_read_paragraphs_and_tables_in_order():
    from docx import Document

    document = Document()
    document.add_paragraph("THÔNG BÁO KẾT LUẬN")
    document.add_paragraph("1. Giao Sở Tài chính rà soát, hoàn thành trước ngày 15/12/2025.")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["Nội dung", "Cơ quan chủ trì", "Thời hạn"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["Xây dựng Đề án", "Sở Nội vụ", "Quý II/2026"], strict=True
    ):
        cell.text = text
    document.add_paragraph("2. Văn phòng UBND thành phố theo dõi, đôn đốc.")
    buffer = io.BytesIO()
    document.save(buffer)

    lines = read_document(buffer.getvalue(), "thong-bao.docx").splitlines()

    assert lines == [
        "THÔNG BÁO KẾT LUẬN",
        "1. Giao Sở Tài chính rà soát, hoàn thành trước ngày 15/12/2025.",
        "Nội dung | Cơ quan chủ trì | Thời hạn",
        "Xây dựng Đề án | Sở Nội vụ | Quý II/2026",
        "2. Văn phòng UBND thành phố theo dõi, đôn đốc.",
    ]


def test_a_pdf_with_a_text_layer_is_read_with_its_vietnamese_letters():
    text = read_document((FIXTURES / "thong_bao_ket_luan.pdf").read_bytes(), "tb.pdf")
    assert "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng" in text
    assert "UBND phường Thuỷ Nguyên" in text


def test_a_scanned_pdf_gets_a_clear_message():
    data = (FIXTURES / "ban_quet_khong_lop_chu.pdf").read_bytes()
    with pytest.raises(DocumentError, match="Tệp PDF không có lớp chữ"):
        read_document(data, "ban-quet.PDF")


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"PK\x03\x04rubbish", "hong.docx", "Không đọc được tệp Word"),
        (b"%PDF-1.7 rubbish", "hong.pdf", "Không đọc được tệp PDF"),
        (b"\xd0\xcf\x11\xe0", "cu.doc", ".doc"),
        (b"abc", "bang.xlsx", "Chỉ nhận tệp .docx, .pdf"),
        (b"", "rong.txt", "Tệp rỗng"),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(data, name, message):
    with pytest.raises(DocumentError, match=message):
        read_document(data, name)


def test_the_pdf_fixtures_stay_small():
    assert (FIXTURES / "thong_bao_ket_luan.pdf").stat().st_size < 50_000
