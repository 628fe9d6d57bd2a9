"""Document numbers and symbols (số, ký hiệu) in the two forms agencies use.

State form (Nghị định 30/2020/NĐ-CP): number/symbol, legal documents with the year between:
``7/NQ-CP``, ``44/2019/QĐ-UBND``, ``226/2025/QH15``, ``9061/VPCP-CN``.
Party form (Hướng dẫn 36-HD/VPTW): number-kind/issuer: ``45-NQ/TW``, ``113-CTr/TU``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CODE = r"[A-ZĐ][A-ZĐa-zđ0-9]*(?:-[A-ZĐ0-9][A-ZĐa-zđ0-9]*)*"
_STATE = re.compile(rf"^(?P<number>\d{{1,6}})(?:/(?P<year>(?:19|20)\d\d))?/(?P<code>{_CODE})$")
_PARTY = re.compile(rf"^(?P<number>\d{{1,6}})-(?P<kind>[A-ZĐ][A-Za-zĐđ]*)/(?P<issuer>{_CODE})$")

# Kind abbreviations as they appear in symbols, matching tracker.models.DirectiveKind values.
KIND_CODES = {"NQ", "KL", "CT", "CTr", "KH", "QĐ", "TB", "QC", "HD"}


@dataclass(frozen=True)
class Symbol:
    form: str  # "state" or "party"
    number: int
    year: int | None
    kind_code: str | None
    issuer_code: str

    @property
    def text(self) -> str:
        if self.form == "party":
            return f"{self.number}-{self.kind_code}/{self.issuer_code}"
        middle = f"/{self.year}" if self.year else ""
        kind = f"{self.kind_code}-" if self.kind_code else ""
        return f"{self.number}{middle}/{kind}{self.issuer_code}"


def normalize_symbol(value: str) -> str:
    """Tidy what people type: NFC, no spaces around separators, Icelandic Ð typed for Đ."""
    text = unicodedata.normalize("NFC", value).strip()
    text = text.replace("Ð", "Đ").replace("ð", "đ").replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*([/-])\s*", r"\1", text)
    return re.sub(r"^(số|so)\s*", "", text, flags=re.IGNORECASE)


def parse_symbol(value: str) -> Symbol:
    text = normalize_symbol(value)
    if match := _PARTY.match(text):
        number = int(match["number"])
        if number > 0:
            return Symbol("party", number, None, match["kind"], match["issuer"])
    if match := _STATE.match(text):
        number = int(match["number"])
        code = match["code"]
        head, _sep, rest = code.partition("-")
        kind, issuer = (head, rest) if head in KIND_CODES and rest else (None, code)
        if number > 0:
            year = int(match["year"]) if match["year"] else None
            return Symbol("state", number, year, kind, issuer)
    raise ValidationError(
        _(
            "Số, ký hiệu “%(value)s” không đúng thể thức. Văn bản của Nhà nước ghi số/ký hiệu, "
            "ví dụ 7/NQ-CP hoặc 44/2019/QĐ-UBND; văn bản của Đảng ghi số-loại/cơ quan, "
            "ví dụ 45-NQ/TW."
        ),
        code="invalid_symbol",
        params={"value": value},
    )


def validate_symbol(value: str) -> None:
    if value:
        parse_symbol(value)
