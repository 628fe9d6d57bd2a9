"""Comparing Vietnamese words the way a clerk reads them.

Offices write the same name several ways: with the tone on the old or the new vowel ("hoà" and
"hòa", "Thuỷ" and "Thủy"), decomposed (NFD, as some PDF and Mac sources give it) or not, with or
without capitals. Two keys are used:

- ``fold``: lower case, no marks at all, đ → d. Robust to every spelling above, and to a typist
  who leaves out marks, but it joins names that differ only by marks ("Cẩm Giang", "Cẩm Giàng").
- ``marked``: lower case with the marks kept and the tone moved to where the new rule puts it.
  Used first, so that two units whose names differ only by a mark are told apart.

The ``*_aligned`` variants keep one character per input character, so a position found in the
key is the same position in the text (the extractor reports offsets in the text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_SPACES = re.compile(r"\s+")
# "oa", "oe", "uy" ending a syllable: the old rule puts the tone on the second vowel (hoà, khoẻ,
# thuỷ), the new one on the first (hòa, khỏe, thủy). "qu" + y is not such a pair: "quý".
_OLD_TONE_MARKED = re.compile(r"(?i)(?<!q)(o[aàáảãạeèéẻẽẹ]|u[yỳýỷỹỵ])(?!\w)")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def _move_tone(match: re.Match[str]) -> str:
    first, second = match[1][0], match[1][1]
    parts = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in parts[1:] if c in _TONES)
    if not tone:
        return match[1]
    rest = "".join(c for c in parts[1:] if c not in _TONES)
    new_first = unicodedata.normalize("NFC", first + tone)
    new_second = unicodedata.normalize("NFC", parts[0] + rest)
    return new_first + new_second


def new_tone_placement(text: str) -> str:
    """NFC text with "hoà/khoẻ/thuỷ" written "hòa/khỏe/thủy"; same length as NFC input."""
    return _OLD_TONE_MARKED.sub(_move_tone, unicodedata.normalize("NFC", text))


def fold_aligned(text: str) -> str:
    """``fold`` without trimming: one output character per character of the NFC text."""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def marked_aligned(text: str) -> str:
    """Lower case, marks kept, new tone placement; one output character per NFC character."""
    placed = new_tone_placement(text)
    lowered = placed.lower()
    if len(lowered) != len(placed):  # a character whose lower case is longer: keep as is
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in placed)
    return lowered


def fold(text: object) -> str:
    """The matching key without marks: lower, no diacritics, đ → d, single spaces."""
    return _SPACES.sub(" ", fold_aligned(str(text or ""))).strip()


def marked(text: object) -> str:
    """The matching key with marks: lower, new tone placement, single spaces."""
    return _SPACES.sub(" ", marked_aligned(str(text or ""))).strip()


def words(text: str) -> str:
    """A name as a key of words only: punctuation dropped ("Văn hóa, Thể thao" → "van hoa the
    thao" once folded). Used on either key."""
    return _SPACES.sub(" ", re.sub(r"[^\w]+", " ", text)).strip()
