"""Deadlines as agencies write them, and the due date each one means.

"Quý II/2026" means the last day of that quarter; "Thường xuyên" has no date (DOMAIN.md).

One grammar serves two readers:
- ``parse`` reads a cell or a form field that is exactly a deadline ("15/12/2025",
  "Hằng tháng, đến 31/12/2026", "trước ngày 15/12/2025") and raises ``DeadlineError`` otherwise;
- ``find`` looks for the deadline phrase inside a sentence of a directive ("…, hoàn thành trước
  ngày 15/12/2025.") and skips the dates that belong to cited documents ("Kết luận số 96-KL/TW
  ngày 30/9/2024"). Inside a sentence a month, quarter or year counts only when words such as
  "trước", "trong", "hoàn thành" or "Thời hạn:" introduce it: "Kế hoạch đầu tư công năm 2026"
  names a plan, not a deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.matching import marked_aligned

ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
QUARTER_ROMAN = {v: k for k, v in ROMAN_QUARTERS.items()}


# Dates outside these years are typing mistakes, and date arithmetic near year 1 or 9999 fails.
PLAUSIBLE_YEARS = (1900, 2200)

# tracker.models.ReportFrequency values (models imports this module, so not imported here).
MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY = "monthly", "quarterly", "half_yearly", "yearly"


class DeadlineError(ValueError):
    """A deadline that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Deadline:
    kind: str  # a tracker.models.DeadlineKind value; "" for an event without a date
    due_date: dt.date | None
    frequency: str = ""  # a ReportFrequency value when kind is "periodic"
    event: str = ""  # "trước kỳ họp HĐND thành phố cuối năm 2025": bound to an event, no date
    time: dt.time | None = None  # "trước 14 giờ, ngày 05/12/2017"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def period_end(kind: str, day: dt.date) -> dt.date:
    """The last day of the month, quarter or year that contains ``day``."""
    if kind == "month":
        return month_end(day.year, day.month)
    if kind == "quarter":
        return quarter_end(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return dt.date(day.year, 12, 31)
    return day


def label(kind: str, due_date: dt.date | None, frequency: str = "") -> str:
    if kind == "continuous" or due_date is None:
        return _("Thường xuyên")
    if kind == "month":
        return _("Tháng %(month)02d/%(year)d") % {"month": due_date.month, "year": due_date.year}
    if kind == "quarter":
        quarter = QUARTER_ROMAN[(due_date.month - 1) // 3 + 1]
        return _("Quý %(quarter)s/%(year)d") % {"quarter": quarter, "year": due_date.year}
    if kind == "year":
        return _("Năm %(year)d") % {"year": due_date.year}
    if kind == "periodic":
        from .models import ReportFrequency

        frequency_label = ReportFrequency(frequency).label if frequency else _("Định kỳ")
        return _("%(frequency)s, đến %(date)s") % {
            "frequency": frequency_label,
            "date": due_date.strftime("%d/%m/%Y"),
        }
    return due_date.strftime("%d/%m/%Y")


# --- The grammar -----------------------------------------------------------------------------
# Every pattern runs on ``marked_aligned`` text (lower case, marks kept, "hoà" → "hòa"), which
# has the same length as the text, so a match's span is the span of the words as written.

_S = r"[ \t\n]*"
_NUM_DATE = (
    r"(?P<d>\d{1,2})[ \t]*(?P<sep>[/.\-])[ \t]*(?P<m>\d{1,2})[ \t]*(?P=sep)[ \t]*(?P<y>\d{4})(?!\d)"
)
_WORD_DATE = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s*(?:,\s*)?năm\s+(?P<y2>\d{4})"
_TIME = r"(?:(?P<hh>\d{1,2})\s*(?:giờ|h|g)\s*(?P<mm>\d{2})?(?:\s*phút)?\s*(?:,\s*|\s+)(?:ngày\s+)?)"
# A day and month without the year ("trước ngày 20/12"): read only when the document date gives
# the year.
_SHORT_DATE = r"ngày\s+(?P<d3>\d{1,2})\s*/\s*(?P<m3>\d{1,2})(?![\d/\-]|\.\d)"

_CORES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("date", rf"(?:{_TIME}|ngày\s+)?(?:{_NUM_DATE}|{_WORD_DATE})"),
        ("short_date", _SHORT_DATE),
        ("half", r"(?:6|sáu)\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+(?P<y>\d{4})"),
        ("month", r"(?:cuối\s+)?tháng\s+(?P<m>\d{1,2})\s*(?:[/.\-]|,?\s*năm\s+)\s*(?P<y>\d{4})"),
        (
            "quarter",
            r"(?:cuối\s+)?quý\s+(?P<q>iv|i{1,3}|[1-4])(?!\w)\s*(?:[/.\-]|,?\s*năm\s+)\s*(?P<y>\d{4})",
        ),
        ("range", r"(?:giai\s+đoạn\s+)?(?P<y1>\d{4})\s*[-–—]\s*(?P<y>\d{4})(?!\d)"),
        ("year", r"(?:cuối\s+)?năm\s+(?P<y>\d{4})(?![\d/\-])"),
    )
)

# Words that introduce a deadline, read backwards from the start of a match.
_INTRO = re.compile(
    r"(?:(?:thời\s+hạn|thời\s+gian|tiến\s+độ|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện|xong|nộp|gửi))?"
    r"\s*:\s*(?:(?:hoàn\s+thành|xong)\s+)?(?:trước|chậm\s+nhất|trong|đến\s+hết|đến)?"
    r"|(?:(?:hoàn\s+thành|xong|thực\s+hiện)\s+)?"
    r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+vào)?|muộn\s+nhất|trong|đến\s+hết|hạn\s+chót|không\s+quá)"
    # "trong cao điểm từ ngày 15/12/2026 đến ngày 15/02/2027": the work lasts until the end
    r"|từ\s+(?:ngày\s+)?\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}\s+(?:đến|tới)(?:\s+hết)?"
    r"|(?:hoàn\s+thành|xong|kết\s+thúc)(?:\s+(?:vào|trong))?"
    # "phấn đấu đến ngày 31/12/2026 tổng số nợ thuế không vượt quá …": a target's date
    # "phấn đấu năm 2026 có thêm 15.000 trẻ em biết bơi": a target's year
    r"|phấn\s+đấu(?:\s+(?:đến|tới|trước|trong))?(?:\s+hết)?"
    r"|(?:thời\s+hạn|thời\s+gian)(?:\s+hoàn\s+thành|\s+thực\s+hiện)?(?:\s+(?:là|trước|trong))?)"
    r"[ \t]*,?[ \t]*(?:ngày[ \t]+|vào[ \t]+)?$"
)
_STRONG = re.compile(r"trước|chậm|muộn|hoàn\s+thành|xong|thời\s+hạn|hạn|không\s+quá|thời\s+gian")
# A date that is part of a cited document: "Nghị quyết số 45-NQ/TW ngày ", "7/NQ-CP, ngày ".
_REFERENCE = re.compile(
    r"(?:\d+[\w\-]*/[\w\-/.đ]*[a-zđ][\w\-/.đ]*|số\s+\d+[\w\-/]*)[ \t]*,?[ \t]*"
    r"(?:ban\s+hành\s+|ký\s+)?(?:ngày\s*)?$"
)
# "(…; Quý II/2026)", "Thời hạn: Quý II/2026": a slot holding only the deadline.
_SLOT_BEFORE = re.compile(r"(?:^|[;(]|:)[ \t]*$")
_SLOT_AFTER = re.compile(r"^[ \t]*(?:[);.]|$)")

_PERIODIC = re.compile(
    r"(?:(?:trước\s+)?ngày\s+\d{1,2}\s+)?"
    r"(?:định\s+kỳ\s+)?(?:(?P<every>hằng|hàng|mỗi)\s+(?P<unit>tháng|quý|năm|6\s+tháng)"
    r"|định\s+kỳ\s+(?P<unit2>6\s+tháng|sáu\s+tháng|tháng|quý|năm)"
    r"|(?P<unit3>6|sáu)\s+tháng\s+(?:một|1)\s+lần"
    # "báo cáo 6 tháng, năm", "6 tháng, cả năm", "6 tháng và hằng năm": the half-yearly report
    # (the yearly one is the second half's); "6 tháng, năm 2026" names a period instead.
    r"|(?P<unit4>6|sáu)\s+tháng\s*(?:,|và)\s*(?:hằng\s+|hàng\s+|cả\s+)?năm(?!\s*\d))(?!\w)"
    r"(?:\s*(?:,|và)\s*(?:hằng|hàng)\s+năm)?"
)
_PERIODIC_UNITS = {
    "tháng": MONTHLY,
    "quý": QUARTERLY,
    "năm": YEARLY,
    "6 tháng": HALF_YEARLY,
    "sáu tháng": HALF_YEARLY,
    "6": HALF_YEARLY,
    "sáu": HALF_YEARLY,
}
_UNTIL = re.compile(
    rf"^\s*,?\s*(?:đến|tới|trước|cho\s+đến)\s+(?:hết\s+)?(?:ngày\s+)?(?:{_NUM_DATE})", re.UNICODE
)
_UNTIL_ANYWHERE = re.compile(
    rf"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?:{_NUM_DATE})|(?:đến|tới)\s+(?:hết\s+)?năm\s+(?P<year>\d{{4}})(?!\d)",
    re.UNICODE,
)
_AND_LATER = re.compile(r"[ \t]*,?[ \t]*(?:và|đến|tới|[-–])[ \t]+(?:hết[ \t]+)?$")
_CONTINUOUS = re.compile(r"thường\s+xuyên|liên\s+tục|không\s+thời\s+hạn")
# "kiểm tra thường xuyên …" anywhere in the clause makes the work continuous, but not where the
# words name a thing: "nguồn chi thường xuyên" (recurrent spending), "giáo dục thường xuyên".
_OFTEN_ANYWHERE = re.compile(r"(?<!chi\s)(?<!giáo\sdục\s)thường\s+xuyên(?!\w)")
_MEETING = r"(?:các\s+)?(?:kỳ\s+họp|phiên\s+họp|hội\s+nghị|cuộc\s+họp|đại\s+hội)(?!\w)"
_EVENT = re.compile(
    r"(?:"
    # "trước kỳ họp HĐND thành phố cuối năm 2025", "trình HĐND … tại Kỳ họp thường lệ …"
    rf"(?:trước|trình)\s+(?:[^,;.()\n]{{0,60}}?\s+(?:tại|tới|trước)\s+)?{_MEETING}"
    # "báo cáo … tại phiên họp thường kỳ tháng 12/2017": a meeting still to come (a period or a
    # rank names it), not one already held ("tại Hội nghị ngày 11/12/2025").
    rf"|tại\s+{_MEETING}(?![^,;.()\n]*ngày\s+\d)"
    r"(?=[^,;.()\n]*?(?:tháng|quý|năm|thường\s+kỳ|thường\s+lệ|cuối|giữa|đầu|lần\s+thứ|thứ\s+\d))"
    # "trước Tết Nguyên đán Canh Tý năm 2020", "sau Tết", "trước kỳ nghỉ Tết", "trước Lễ khai mạc"
    r"|(?:trước|sau|ngay\s+sau)\s+(?:dịp\s+|kỳ\s+nghỉ\s+)?(?:tết(?!\w)|lễ\s+(?=\w))"
    # "sau khi kết thúc vụ Đông Xuân", "trước khi kết thúc năm học 2025 - 2026", "đến khi …"
    r"|(?:ngay\s+)?(?:trước|sau|đến|cho\s+đến)\s+khi\s+(?=\w)"
    # "trong vòng 30 ngày kể từ ngày …", "chậm nhất 15 ngày sau khi …"
    r"|(?:trong\s+(?:vòng|thời\s+hạn|thời\s+gian)|chậm\s+nhất|không\s+quá|sau)\s+"
    r"(?:\d+|\w+)\s+(?:ngày|tuần|tháng)(?:\s+làm\s+việc)?\s*,?\s*(?:kể\s+từ|sau\s+khi|từ\s+khi)"
    r")[^,;.()\n]*"
)
# A season or an occasion the work lasts through, written without "trước/sau": "trong dịp
# Tết", "trong suốt mùa du lịch hè", "trong năm học 2026 - 2027", "trong suốt thời gian tổ
# chức", "theo tiến độ dự án được phê duyệt".
_DURING = re.compile(
    r"(?:trong\s+(?:suốt\s+)?(?:dịp|mùa|kỳ\s+nghỉ|năm\s+học)\s+(?=\w)"
    r"|trong\s+(?:suốt\s+)?thời\s+gian\s+(?:tổ\s+chức|nghỉ|diễn\s+ra)(?!\w)"
    r"|theo\s+tiến\s+độ\s+(?:thực\s+hiện\s+)?(?:của\s+)?(?:các\s+)?(?:dự\s+án|đề\s+án|chương\s+trình)"
    r"(?!\w))[^,;.()\n]*"
)
# A condition or an occasion instead of a time: "khi có đề nghị", "ngay khi có khối lượng hoàn
# thành", "Khi có bão mạnh đổ bộ, …", "khi phát hiện hoặc khi được địa phương thông báo", "theo
# lộ trình của Bộ Y tế", "vào dịp kỷ niệm Ngày Quốc tế Người cao tuổi", "trong vòng 24 giờ",
# "triển khai từ Năm học 2026 - 2027". Weaker than a calendar time or "thường xuyên" in the same
# clause.
_CONDITION = re.compile(
    r"(?:(?<!\w)(?:ngay\s+)?khi\s+(?:có\s+(?=\w)|phát\s+hiện"
    r"|được\s+(?=\w)|nhận\s+được|đủ\s+điều\s+kiện|cần\s+thiết)"
    # "Khi xảy ra vụ đuối nước, báo cáo nhanh …" opening the task; inside it ("kỹ năng thoát nạn
    # khi xảy ra cháy") the words belong to what is taught or done.
    r"|^[ \t]*khi\s+xảy\s+ra(?!\w)"
    r"|theo\s+lộ\s+trình(?!\w)"
    r"|(?:vào|nhân)\s+dịp\s+(?=\w)|nhân\s+(?:kỷ\s+niệm|ngày)(?!\w)"
    r"|trong\s+vòng\s+\d+\s+(?:giờ|ngày|tuần)(?!\w)"
    r"|(?:(?:triển\s+khai|thực\s+hiện|áp\s+dụng)\s+)?(?:(?:ngay\s+|bắt\s+đầu\s+)?từ\s+)?"
    r"(?:đầu\s+)?năm\s+học\s+\d{4}\s*[-–]\s*\d{4})[^,;.()\n]*"
)
# "chuẩn bị phương án thu dung … khi có tình huống dịch lây lan": the case a plan is written for,
# not when the work is due.
_PLAN_FOR = re.compile(r"(?<!\w)(?:phương\s+án|kịch\s+bản)(?!\w)")
# "giai đoạn 2026 - 2030" with no word introducing it is when the work is done, unless it is part
# of the name of a plan or programme the work concerns ("Đề án … giai đoạn 2026 - 2030").
_PERIOD = re.compile(r"giai\s+đoạn\s+\d{4}\s*[-–—]\s*\d{4}(?!\d)")
_NAMED_PERIOD = re.compile(
    r"(?:đề\s+án|kế\s+hoạch|chương\s+trình|quy\s+hoạch|chiến\s+lược|danh\s+mục|nghị\s+quyết"
    r"|kết\s+luận|chỉ\s+thị|quyết\s+định|báo\s+cáo)(?!\w)[^,;:()\n]*$"
)
# Words after which a time tells when a thing must not happen or a narrower scope, not when the
# work is due: "tuyệt đối không để xảy ra ngộ độc … sau kỳ nghỉ Tết", "nhất là các mặt hàng …
# tiêu thụ nhiều trong dịp Tết".
_NOT_DUE = re.compile(r"(?<!\w)(?:không\s+để|nhất\s+là|đặc\s+biệt\s+là)(?!\w)")
_AT_MEETING = re.compile(rf"(?:tại|tới|trước)\s+{_MEETING}")


@dataclass(frozen=True)
class _Hit:
    deadline: Deadline
    start: int
    end: int
    introduced: bool
    strong: bool


def _unit(periodic: re.Match[str]) -> str:
    """The period a _PERIODIC match names ("tháng", "quý", "năm", "6 tháng", "6", "sáu")."""
    return next(u for u in (periodic[g] for g in ("unit", "unit2", "unit3", "unit4")) if u)


def _valid_year(year: int) -> bool:
    return PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]


def _core_deadline(name: str, m: re.Match[str], reference: dt.date | None) -> Deadline | None:
    """The deadline one grammar match means, or None for an impossible or implausible one."""
    g = m.groupdict()
    try:
        if name == "date":
            if g.get("d") is not None:
                day, month, year = int(g["d"]), int(g["m"]), int(g["y"])
            else:
                day, month, year = int(g["d2"]), int(g["m2"]), int(g["y2"])
            if not _valid_year(year):
                return None
            at = None
            if g.get("hh") is not None:
                minute = int(g["mm"]) if g.get("mm") else 0
                at = dt.time(int(g["hh"]), minute)
            return Deadline("date", dt.date(year, month, day), time=at)
        if name == "short_date":
            if reference is None:
                return None
            day, month = int(m["d3"]), int(m["m3"])
            due = dt.date(reference.year, month, day)
            if due < reference - dt.timedelta(days=31):  # "20/01" in a December letter
                due = dt.date(reference.year + 1, month, day)
            return Deadline("date", due)
        year = int(m["y"])
        if not _valid_year(year):
            return None
        if name == "half":
            return Deadline(
                "date", dt.date(year, 6, 30) if m["half"] == "đầu" else month_end(year, 12)
            )
        if name == "month":
            return Deadline("month", month_end(year, int(m["m"])))
        if name == "quarter":
            raw = m["q"].upper()
            return Deadline("quarter", quarter_end(year, ROMAN_QUARTERS.get(raw) or int(raw)))
        if name == "range":
            if not (_valid_year(int(m["y1"])) and int(m["y1"]) < year <= int(m["y1"]) + 30):
                return None
            return Deadline("year", dt.date(year, 12, 31))
        if name == "year":
            return Deadline("year", dt.date(year, 12, 31))
    except ValueError:  # 31/02/2026, month 13, hour 25
        return None
    return None


def _hits(key: str, reference: dt.date | None) -> list[_Hit]:
    """Every reading of a date, month, quarter or year in ``key``, longest first at a place."""
    found: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _CORES:
        for m in pattern.finditer(key):
            start, end = m.span()
            if start > 0 and (key[start - 1].isalnum()):
                continue
            if any(s < end and start < e for s, e in taken):
                continue  # "tháng 11/2019" inside "15/11/2019" is already read
            deadline = _core_deadline(name, m, reference)
            taken.append((start, end))
            if deadline is None:
                continue
            before = key[max(0, start - 80) : start]
            if _REFERENCE.search(before):
                continue
            intro = _INTRO.search(before)
            strong = bool(intro and _STRONG.search(intro[0]))
            if intro and intro[0].strip():
                found.append(_Hit(deadline, start - len(intro[0]), end, True, strong))
            elif _SLOT_BEFORE.search(before) and _SLOT_AFTER.match(key[end:]):
                found.append(_Hit(deadline, start, end, True, True))
            else:
                found.append(_Hit(deadline, start, end, False, False))
    return found


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return start, end


def find(
    sentence: str, *, reference: dt.date | None = None, adverbs: bool = True
) -> tuple[Deadline, str, tuple[int, int]] | None:
    """The deadline a sentence sets, the words that set it and their span, or None.

    ``reference`` (the document's date) lets "trước ngày 20/12" take its year. ``adverbs=False``
    leaves out "thường xuyên" inside the clause ("kiểm tra thường xuyên …"), which makes the work
    continuous without being a time written for it.
    """
    key = marked_aligned(sentence)
    if len(key) != len(sentence):  # not NFC: positions would not line up
        return None
    hits = _hits(key, reference)
    introduced = [h for h in hits if h.introduced]
    periodic = _PERIODIC.search(key)
    if periodic:
        unit = _unit(periodic)
        frequency = _PERIODIC_UNITS[re.sub(r"\s+", " ", unit)]
        start, end = periodic.span()
        due = None
        if until := _UNTIL.match(key[end:]):
            date = _core_deadline("date", until, reference)
            if date is not None:
                due = date.due_date
                end += until.end()
        elif (until := _UNTIL_ANYWHERE.search(key, end)) is not None:
            # "Định kỳ hằng tháng báo cáo …, đến 31/12/2026": the last period's due date;
            # "…, đến hết năm 2030": the last day of that year.
            if until["year"] is not None:
                year = int(until["year"])
                due = dt.date(year, 12, 31) if _valid_year(year) else None
            else:
                date = _core_deadline("date", until, reference)
                due = date.due_date if date else None
        start, end = _strip_span(sentence, start, end)
        return Deadline("periodic", due, frequency=frequency), sentence[start:end], (start, end)
    event = _EVENT.search(key) or _DURING.search(key)
    if event and _NOT_DUE.search(key, key.rfind(";", 0, event.start()) + 1, event.start()):
        event = None
    # "trình UBND thành phố trong Quý II/2026 để trình HĐND tại kỳ họp giữa năm": a calendar time
    # written beside the event wins.
    if event is not None:
        start = _event_start(key, event)
        if not any(h.end <= start or h.start >= event.end() for h in introduced):
            return _event(sentence, key, event)
    if introduced:
        # "Trong năm 2026, …, hoàn thành trước 30/6/2026": the firmer words win, then the last.
        strong = [h for h in introduced if h.strong]
        best = (strong or introduced)[-1]
        deadline, end = best.deadline, best.end
        # "trong tháng 12/2023 và tháng 01/2024": the work lasts until the later one.
        for later in hits:
            if later.start >= end and _AND_LATER.match(key, end, later.start):
                due, last = later.deadline.due_date, deadline.due_date
                if due is not None and last is not None and due > last:
                    deadline, end = later.deadline, later.end
        start, end = _strip_span(sentence, best.start, end)
        return deadline, sentence[start:end], (start, end)
    if (continuous := _continuous(sentence, key, adverbs=adverbs)) is not None:
        return continuous
    condition = _CONDITION.search(key)
    if condition is not None and not _PLAN_FOR.search(
        key, key.rfind(";", 0, condition.start()) + 1, condition.start()
    ):
        return _event(sentence, key, condition)
    for period in _PERIOD.finditer(key):
        before = key[max(0, period.start() - 120) : period.start()]
        hit = next((h for h in hits if h.start == period.start()), None)
        if hit is not None and not _NAMED_PERIOD.search(before):
            start, end = _strip_span(sentence, period.start(), period.end())
            return hit.deadline, sentence[start:end], (start, end)
    return None


def _event_start(key: str, event: re.Match[str]) -> int:
    """ "trình HĐND thành phố dự thảo Nghị quyết tại Kỳ họp …": the event is the meeting; what is
    submitted (and when it goes to the city first) stays in the task's content."""
    start = event.start()
    if key.startswith("trình", start) and (at := _AT_MEETING.search(key, start, event.end())):
        start = at.start()
    return start


def _event(sentence: str, key: str, event: re.Match[str]) -> tuple[Deadline, str, tuple[int, int]]:
    start, end = _strip_span(sentence, _event_start(key, event), event.end())
    words = sentence[start:end]
    return Deadline("", None, event=words), words, (start, end)


def _continuous(
    sentence: str, key: str, *, adverbs: bool
) -> tuple[Deadline, str, tuple[int, int]] | None:
    """ "Thời hạn: thường xuyên", "…; thực hiện thường xuyên)", "Thường xuyên rà soát …", "kiểm tra
    thường xuyên …": work with no end."""
    for m in _CONTINUOUS.finditer(key):
        before = key[: m.start()]
        after = key[m.end() :]
        labelled = re.search(r"(?:thời\s+hạn|thời\s+gian|tiến\s+độ)[\w ]{0,20}:\s*$", before)
        # "…; thường xuyên)" or the sentence's last words: the deadline slot.
        slot = _SLOT_BEFORE.search(before) or re.search(r"(?:,|thực\s+hiện)\s*$", before)
        # "thường xuyên rà soát, …" opening the task: the whole work is continuous.
        opening = not before.strip(" \t\n-+•") and re.match(r"\s+\w", after)
        if labelled or opening or (slot and re.match(r"^\s*(?:[).;]|$)", after)):
            start = m.start() - (len(labelled[0]) if labelled else 0)
            start, end = _strip_span(sentence, start, m.end())
            return Deadline("continuous", None), sentence[start:end], (start, end)
    if adverbs and (often := _OFTEN_ANYWHERE.search(key)) is not None:
        start, end = _strip_span(sentence, often.start(), often.end())
        return Deadline("continuous", None), sentence[start:end], (start, end)
    return None


# --- Cells -----------------------------------------------------------------------------------

_CELL_INTRO = re.compile(
    r"^(?:(?:thời\s+hạn|thời\s+gian|hạn)(?:\s+hoàn\s+thành)?\s*:\s*)?"
    r"(?:(?:hoàn\s+thành|xong)\s+)?(?:trước|chậm\s+nhất(?:\s+là)?|muộn\s+nhất|trong|đến\s+hết)?"
    r"\s*(?:ngày\s+(?=\d{1,2}\s*[/.\-]))?"
)


def _error(text: str) -> DeadlineError:
    return DeadlineError(
        _(
            "Không đọc được thời hạn “%(text)s”. Ghi theo một trong các dạng: 15/12/2025 "
            "(hoặc “trước ngày 15/12/2025”), Tháng 12/2025, Quý II/2026, Năm 2026, "
            "giai đoạn 2026 - 2030, Thường xuyên, hoặc định kỳ như “Hằng tháng, đến 31/12/2026”."
        )
        % {"text": text}
    )


def parse(text: str) -> Deadline:
    """Read a cell that is exactly a deadline: "15/12/2025", "trước ngày 15/12/2025", "Tháng
    12/2025", "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026", "giai đoạn 2026 - 2030",
    "Thường xuyên", "Hằng tháng, đến 31/12/2026"."""
    import unicodedata

    raw = unicodedata.normalize("NFC", str(text or ""))
    key = re.sub(r"\s+", " ", marked_aligned(raw)).strip().rstrip(".;").strip()
    if not key:
        raise _error(text)
    if _CONTINUOUS.fullmatch(key):
        return Deadline("continuous", None)
    # "6 tháng" is how ReportFrequency labels the half-yearly report (the task list export).
    half_yearly = re.match(r"6 tháng(?=\s*,|$)", key)
    if (periodic := _PERIODIC.match(key) or half_yearly) is not None:
        rest = key[periodic.end() :]
        unit = "6" if periodic is half_yearly else (_unit(periodic))
        frequency = _PERIODIC_UNITS[re.sub(r"\s+", " ", unit)]
        if not rest.strip():
            return Deadline("periodic", None, frequency=frequency)
        until = _UNTIL.match(rest)
        if until and not rest[until.end() :].strip(" .;"):
            date = _core_deadline("date", until, None)
            if date is not None:
                return Deadline("periodic", date.due_date, frequency=frequency)
        raise _error(text)
    body = key[_CELL_INTRO.match(key).end() :].strip()
    for name, pattern in _CORES:
        if name == "short_date":
            continue
        if m := pattern.fullmatch(body):
            deadline = _core_deadline(name, m, None)
            if deadline is None:
                break
            return deadline
    if _EVENT.search(key):
        raise DeadlineError(
            _(
                "Thời hạn “%(text)s” gắn với một sự kiện, chưa có ngày cụ thể: hãy ghi ngày, "
                "tháng, quý hoặc năm phải hoàn thành (ví dụ 15/12/2025 hoặc Quý II/2026)."
            )
            % {"text": text}
        )
    raise _error(text)
