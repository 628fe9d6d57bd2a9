"""Tasks proposed from a directive's own text (issue 8).

The clerk pastes a conclusion, a plan or an official letter, or uploads it (tracker/documents.py
reads the file); ``propose`` lays out the tasks it assigns: content, lead and coordinating
departments, output, deadline, each with the sentence it came from so the clerk can check it.
Nothing here touches the database except ``Directory.from_database``; the clerk confirms every
proposal before a task is created (through workflow.task_create, elsewhere).

How a text is read, in order:
1. ``normalise``: NFC, one kind of line end, no zero-width characters or non-breaking spaces.
   Offsets in a Proposal are offsets in this text.
2. Lines become items: "I.", "1.", "1.2.", "a)", "(1)", "-", "+" open a level; a heading
   ("II. NHIỆM VỤ TRỌNG TÂM", "1. Về phát triển kinh tế") names the group of what follows; a
   lead named alone ("Giao Sở Tài chính:", "3. UBND các xã, phường, đặc khu:") is inherited by
   the items under it. Lines of a task table (cells joined by " | ", as documents.py writes a
   .docx table) are read by their header row, like an imported appendix.
3. Items are cut into sentences, and at "…: a) …; b) …" or "…, gồm: Đề án A. Đề án B." into
   points. Field lines ("- Cơ quan chủ trì: …", "- Thời gian hoàn thành: …") stay with their item.
   A sentence is also cut where another subject takes over ("…; UBND xã B hoàn thành …"), where
   "trong đó" names a part ("…; trong đó Sở Y tế hoàn thành trước …"), or where the same subject
   starts a second task with its own deadline.
4. Each piece is read for an assignment: "Giao/Đề nghị/Yêu cầu X …", "X chủ trì, phối hợp với Y
   …", "(X chủ trì, Y phối hợp; …)", "cơ quan chủ trì: X; cơ quan phối hợp: Y", or a sentence
   starting with a department. A piece with no addressee is still a task when it opens with a
   verb of obligation ("Tiếp tục đẩy mạnh…"); it is flagged. Sentences that report, praise or
   explain ("Năm 2025, thành phố đạt…") are not tasks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from accounts import matching
from accounts.models import DepartmentKind

from . import deadlines

fold = matching.fold

MAX_CANDIDATES = 3
CANDIDATE_CUTOFF = 0.6

# --- Normalising -----------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\t\f\v"), " ")


def normalise(text: str) -> str:
    """NFC, "\\n" line ends, no zero-width characters, non-breaking spaces as spaces, single
    spaces, no blank at a line's ends. The words stay as written."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.translate(_ZERO_WIDTH).translate(_SPACE_LIKE)
    text = re.sub(r" {2,}", " ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


# --- The result ------------------------------------------------------------------------------


@dataclass
class Candidate:
    department_id: int
    name: str
    score: float  # 0..1, best first


@dataclass
class DepartmentMention:
    words: str  # as written in the text
    department_id: int | None  # set only when sure
    candidates: list[Candidate] = field(default_factory=list)  # closest entries, best first
    # "" or a DepartmentKind value: "every active department of that kind" ("các sở, ban, ngành")
    group: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DepartmentMention:
        return cls(
            words=data["words"],
            department_id=data.get("department_id"),
            candidates=[Candidate(**c) for c in data.get("candidates", [])],
            group=data.get("group", ""),
        )


@dataclass
class Proposal:
    item_number: str  # numbering as written ("1", "2.a", "II.3") or ""
    group: str  # the heading it sits under, or ""
    content: str  # as a clerk would type it: no assignment words, no deadline phrase
    source: str  # the sentence or item it came from, verbatim from normalise(text)
    start: int
    end: int
    lead: DepartmentMention | None
    coordinators: list[DepartmentMention]
    output_kind: str  # a tracker.models.OutputKind value when the text names one, else ""
    output_description: str
    deadline_text: str  # the deadline words as written, "" if none
    deadline: deadlines.Deadline | None
    flags: list[str]  # for the clerk, in Vietnamese
    flag_codes: list[str] = field(default_factory=list)  # the same flags, for programs

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if self.deadline is not None:
            deadline = data["deadline"]
            deadline["due_date"] = (
                self.deadline.due_date.isoformat() if self.deadline.due_date else None
            )
            deadline["time"] = self.deadline.time.strftime("%H:%M") if self.deadline.time else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Proposal:
        values = dict(data)
        if values.get("lead") is not None:
            values["lead"] = DepartmentMention.from_dict(values["lead"])
        values["coordinators"] = [
            DepartmentMention.from_dict(c) for c in values.get("coordinators", [])
        ]
        if (deadline := values.get("deadline")) is not None:
            due = deadline.get("due_date")
            at = deadline.get("time")
            values["deadline"] = deadlines.Deadline(
                kind=deadline["kind"],
                due_date=dt.date.fromisoformat(due) if due else None,
                frequency=deadline.get("frequency", ""),
                event=deadline.get("event", ""),
                time=dt.time.fromisoformat(at) if at else None,
            )
        values.setdefault("flag_codes", [])
        return cls(**values)


# --- The department directory ----------------------------------------------------------------

_WORD = re.compile(r"\w+")
# Written forms of the same words, both ways: "Ủy ban nhân dân" / "UBND", "thành phố" / "TP".
_SYNONYMS = (
    ("ủy ban nhân dân", "ubnd"),
    ("thành phố", "tp"),
    ("văn phòng", "vp"),
)


def _acronym_aliases(name: str) -> set[str]:
    """ "Sở Văn hóa, Thể thao và Du lịch" → "sở vhttdl", "sở vh tt dl", "sở vhtt dl" (as in
    "Sở VH,TT&DL"); "Sở Giáo dục và Đào tạo" → "sở gdđt", "sở gd đt" ("Sở GD&ĐT")."""
    m = re.match(r"(?i)^sở\s+(.+)$", name)
    if not m:
        return set()
    parts = [p for p in re.split(r"\s*(?:,|\bvà\b)\s*", m[1]) if p]
    if len(parts) == 1 and len(m[1].split()) < 2:
        return set()
    initials = ["".join(w[0] for w in p.split()) for p in parts]
    by_and = ["".join(w[0] for w in p.split()) for p in re.split(r"\s+\bvà\b\s+", m[1]) if p]
    return {
        "sở " + "".join(initials),
        "sở " + " ".join(initials),
        "sở " + " ".join(by_and),
    }


def _aliases(name: str) -> set[str]:
    """The ways a department's name is written, as marked keys of words."""
    base = matching.words(matching.marked(name))
    found = {base}
    for long, short in _SYNONYMS:
        for alias in list(found):
            found.add(re.sub(rf"\b{long}\b", short, alias))
            found.add(re.sub(rf"\b{short}\b", long, alias))
    # A ward or commune: "UBND Phường Thuỷ Nguyên" is also written "phường Thuỷ Nguyên".
    for alias in list(found):
        if m := re.match(r"^(?:ubnd|ủy ban nhân dân) ((?:phường|xã|đặc khu|thị trấn) .+)$", alias):
            found.add(m[1])
    found |= {matching.words(matching.marked(a)) for a in _acronym_aliases(name)}
    # "Ban Quản lý Khu kinh tế Hải Phòng" is written without the city's name.
    name_words = name.split()
    tail = 0
    while tail < len(name_words) and name_words[-1 - tail][:1].isupper():
        tail += 1
    if 0 < tail < len(name_words) and len(name_words) - tail >= 4:
        found.add(matching.words(matching.marked(" ".join(name_words[:-tail]))))
    return {a for a in found if a}


@dataclass(frozen=True)
class _Entry:
    department_id: int
    name: str
    kind: str
    is_active: bool


class Directory:
    """The departments the matcher knows, indexed once (build one per request)."""

    def __init__(self, departments: Iterable[Any]) -> None:
        self.entries: dict[int, _Entry] = {}
        # first folded word → [(folded words, marked words, department id)], longest first
        self._index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int]]] = {}
        for department in departments:
            entry = _Entry(department.pk, department.name, department.kind, department.is_active)
            self.entries[entry.department_id] = entry
            for alias in _aliases(department.name):
                marked_words = tuple(alias.split())
                folded_words = tuple(matching.fold(w) for w in marked_words)
                self._index.setdefault(folded_words[0], []).append(
                    (folded_words, marked_words, entry.department_id)
                )
        for rows in self._index.values():
            rows.sort(key=lambda row: -len(row[0]))
        self._folded_names = {
            e.department_id: matching.fold(e.name) for e in self.entries.values() if e.is_active
        }
        # The same unknown name recurs through a text ("Công an thành phố"): score it once.
        self._candidates: dict[tuple[str, tuple[int, ...] | None], list[Candidate]] = {}

    @classmethod
    def from_database(cls) -> Directory:
        from accounts.models import Department

        return cls(Department.objects.only("pk", "name", "code", "kind", "is_active"))

    def starts(self, folded_word: str) -> bool:
        return folded_word in self._index

    def match(
        self, folded: list[str], marked: list[str], at: int
    ) -> tuple[int, list[int], bool] | None:
        """The longest name starting at word ``at``: (length, department ids, sure)."""
        rows = self._index.get(folded[at])
        if not rows:
            return None
        best = 0
        hits: list[tuple[tuple[str, ...], int]] = []
        for folded_words, marked_words, department_id in rows:
            n = len(folded_words)
            if n < best:
                break
            if tuple(folded[at : at + n]) == folded_words:
                best = n
                hits.append((marked_words, department_id))
        if not hits:
            return None
        ids = list(dict.fromkeys(d for _words, d in hits))
        if len(ids) == 1:
            return best, ids, True
        # "Xã Cẩm Giang" and "Xã Cẩm Giàng" fold alike: the marks as written decide.
        written = tuple(marked[at : at + best])
        exact = list(dict.fromkeys(d for words, d in hits if words == written))
        if len(exact) == 1:
            return best, exact, True
        active = [d for d in (exact or ids) if self.entries[d].is_active]
        if len(active) == 1:
            return best, active, True
        return best, exact or ids, False

    def candidates(self, words: str, among: list[int] | None = None) -> list[Candidate]:
        """The closest active names, best first."""
        key = matching.fold(words)
        cache_key = (key, tuple(among) if among is not None else None)
        if (cached := self._candidates.get(cache_key)) is not None:
            return list(cached)
        pool = among if among is not None else list(self._folded_names)
        scored = []
        matcher = difflib.SequenceMatcher(None, "", key)  # caches the analysis of ``key``
        for department_id in pool:
            name = self._folded_names.get(department_id) or matching.fold(
                self.entries[department_id].name
            )
            matcher.set_seq1(name)
            if among is None and matcher.real_quick_ratio() < CANDIDATE_CUTOFF:
                continue
            if among is None and matcher.quick_ratio() < CANDIDATE_CUTOFF:
                continue
            score = matcher.ratio()
            if among is not None or score >= CANDIDATE_CUTOFF:
                scored.append((score, department_id))
        scored.sort(key=lambda pair: (-pair[0], self.entries[pair[1]].name))
        found = [
            Candidate(d, self.entries[d].name, round(score, 3))
            for score, d in scored[:MAX_CANDIDATES]
        ]
        self._candidates[cache_key] = found
        return list(found)

    def resolve(self, words: str) -> DepartmentMention:
        """A mention for a whole name as written ("Sở Tài chính", "Công an thành phố")."""
        text = _Text(words)
        found = _mention_at(text, 0, self)
        rest = words[found[1] :].strip(" .;,") if found is not None else words
        # "Sở Nông nghiệp và Môi trường (Chi cục Thuỷ lợi)": a sub-unit answers through its parent.
        if found is not None and (not rest or re.fullmatch(r"\([^()]+\)", rest)):
            mention = found[0]
            mention.words = words.strip(" .;,")
            return mention
        return DepartmentMention(words.strip(), None, self.candidates(words))

    def cell(self, words: str) -> list[DepartmentMention]:
        """The units a table cell names ("Sở Nội vụ; Văn phòng UBND thành phố", "Thanh tra TP,
        Sở Tư pháp", "Viễn thông Hải Phòng; Viettel Hải Phòng"): in a cell every part is a unit,
        known or not."""
        found: list[DepartmentMention] = []
        for part in re.split(r"\s*[;\n]\s*", normalise(words)):
            part = part.strip(" .,-+•")
            if not part:
                continue
            text = _Text(part)
            mentions, end = _mention_list(text, 0, self, stop_at_semicolon=False)
            rest = part[end:].strip(" .,")
            if mentions and (not rest or re.fullmatch(r"\([^()]+\)", rest)):
                found.extend(mentions)
            elif mentions and not rest.startswith("("):
                found.extend(mentions)
                found.append(self.resolve(rest.lstrip(" ,&-").removeprefix("và ")))
            else:
                found.append(self.resolve(part))
        return found


# --- Scanning a piece of text ----------------------------------------------------------------


class _Text:
    """A piece of the normalised text with its keys and words, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.marked = matching.marked_aligned(text)
        if len(self.marked) != len(text):  # cannot happen on normalised text; stay safe
            self.marked = text.lower()
        self.spans = [m.span() for m in _WORD.finditer(text)]
        folded = matching.fold_aligned(text)
        if len(folded) != len(text):
            folded = text.lower()
        self.folded_words = [folded[s:e] for s, e in self.spans]
        self.marked_words = [self.marked[s:e] for s, e in self.spans]
        self.word_at = {s: i for i, (s, _e) in enumerate(self.spans)}


_GAP = re.compile(r"^(?:[ ,&\-]|\.(?= ))*$")
_GROUP_PATTERNS = (
    (
        DepartmentKind.UBND_CAP_XA,
        re.compile(
            r"(?:chủ tịch\s+)?(?:ubnd|ủy ban nhân dân)\s+(?:các\s+|tất cả các\s+)?"
            r"(?:cấp\s+xã|(?:xã|phường|đặc\s+khu|thị\s+trấn)"
            r"(?:\s*(?:,|và)\s*(?:xã|phường|đặc\s+khu|thị\s+trấn))*)(?!\s+[A-ZĐ\w]*[A-Z])"
        ),
    ),
    (
        DepartmentKind.UBND_CAP_XA,
        re.compile(
            r"(?:các|tất cả các)\s+(?:(?:xã|phường|đặc\s+khu)(?:\s*(?:,|và)\s*"
            r"(?:xã|phường|đặc\s+khu|thị\s+trấn))+|địa\s+phương)"
        ),
    ),
    (
        DepartmentKind.SO_BAN_NGANH,
        re.compile(
            r"(?:các|tất cả các)\s+sở\s*,\s*(?:ban\s*,\s*)?ngành"
            r"(?:\s*,\s*(?:đoàn\s+thể|hội\s+đoàn\s+thể|cơ\s+quan|đơn\s+vị))*"
            r"(?:\s*(?:,|và)\s*(?:các\s+)?(?:địa\s+phương|đơn\s+vị|cơ\s+quan))*"
            r"(?:\s+(?:thành\s+phố|tp))?"
        ),
    ),
)
# "Thủ trưởng các sở, ban, ngành", "Chánh Văn phòng UBND thành phố": the unit answers.
_HEAD_OF = re.compile(r"(?:thủ\s+trưởng|người\s+đứng\s+đầu|giám\s+đốc|lãnh\s+đạo|chánh)\s+(?=\w)")
# Words after a group that narrow it to some of its members: "các sở, ngành liên quan", "UBND
# các xã, phường có dự án", "các sở, ngành chưa gửi báo cáo (danh sách kèm theo)".
_RELATED = re.compile(
    r"(?:\s+(?:có\s+)?liên\s+quan"
    r"|\s+có\s+(?:dự\s+án|công\s+trình|đê|rừng|biển|cảng|khu\s+công\s+nghiệp|cửa\s+khẩu)"
    r"|\s+chưa\s+(?:gửi|nộp|hoàn\s+thành|thực\s+hiện)(?:\s+báo\s+cáo)?)(?!\w)"
    r"(?:\s*\(danh\s+sách\s+kèm\s+theo\))?"
)
# Collectives with no DepartmentKind: the pre-2025 districts ("UBND các quận, huyện"), the
# ministries ("các bộ, cơ quan ngang bộ"), the political-social organisations. Their words are
# kept; no department is guessed (the districts are gone, and "huyện Thuỷ Nguyên" is not "phường
# Thuỷ Nguyên").
_COLLECTIVE = re.compile(
    r"(?:chủ\s+tịch\s+)?(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+(?:các\s+|tất\s+cả\s+các\s+)"
    r"(?:quận|huyện|thị\s+xã)(?:\s*(?:,|và)\s*(?:quận|huyện|thị\s+xã|thành\s+phố|thị\s+trấn))*"
    r"|(?:các|tất\s+cả\s+các)\s+(?:quận|huyện|thị\s+xã)"
    r"(?:\s*(?:,|và)\s*(?:quận|huyện|thị\s+xã|thành\s+phố|thị\s+trấn))+"
    # the Front's member organisations: "các tổ chức chính trị - xã hội (thành phố)"
    r"|(?:các|tất\s+cả\s+các)\s+tổ\s+chức\s+chính\s+trị\s*[-–]\s*xã\s+hội(?:\s+thành\s+phố)?"
    r"|(?:các|tất\s+cả\s+các)\s+bộ\s*,\s*(?:cơ\s+quan\s+ngang\s+bộ|ngành)"
    r"(?:\s*,\s*cơ\s+quan\s+thuộc\s+chính\s+phủ)?(?!\s+(?:có\s+)?liên\s+quan)"
)
# The Fatherland Front's committee, which leads its member organisations when named with them.
_FRONT = re.compile(r"ủy\s+ban\s+mặt\s+trận\s+tổ\s+quốc(?!\w)")
# "Thủ trưởng các chủ đầu tư": investors answer through their heads; alone ("phối hợp với các
# chủ đầu tư") they are not departments.
_HEADED = re.compile(r"(?:các|những)\s+(?:chủ\s+đầu\s+tư|nhà\s+đầu\s+tư|doanh\s+nghiệp)(?!\w)")
# "UBND các xã Kiến Hải, Tiên Lãng": one mention per unit named ("UBND xã Kiến Hải", …).
_DISTRIBUTIVE = re.compile(
    r"(?:chủ\s+tịch\s+)?(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+(?:các|hai|ba|bốn|năm)\s+"
    r"(?P<kind>xã|phường|đặc\s+khu|thị\s+trấn|quận|huyện)[ \t]*:?[ \t]+"
)
# A whole group written with the groups joined: "Các sở, ban, ngành, UBND các xã, phường, đặc
# khu", "Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, …".
_PLURAL = re.compile(
    r"^(?:(?:thủ\s+trưởng|chủ\s+tịch|giám\s+đốc|lãnh\s+đạo|người\s+đứng\s+đầu)\s+)?"
    r"(?:(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+)?(?:các|tất\s+cả\s+các)\s"
)
_GENERIC = re.compile(
    r"(?:các|những|cơ\s+quan|đơn\s+vị)\s*(?:cơ\s+quan|đơn\s+vị|sở|ban|ngành|địa\s+phương|bộ|"
    r"tổ\s+chức|doanh\s+nghiệp|cấp\s+ủy)?(?:\s*(?:,|và)\s*(?:các\s+)?(?:cơ\s+quan|đơn\s+vị|sở|ban|"
    r"ngành|địa\s+phương|bộ|tổ\s+chức|doanh\s+nghiệp|đoàn\s+thể|cấp\s+ủy|chính\s+quyền))*"
    r"(?:\s+(?:có\s+)?liên\s+quan)"
)
_AGENCY_HEAD = re.compile(
    r"(?:sở|ban|bộ\s+chỉ\s+huy|bộ\s+đội|bộ|công\s+an|cục|chi\s+cục|tổng\s+cục|kho\s+bạc|"
    r"ngân\s+hàng|bảo\s+hiểm\s+xã\s+hội|liên\s+đoàn|liên\s+minh|hội|mặt\s+trận|thành\s+đoàn|"
    r"trung\s+tâm|đài|báo|trường|bệnh\s+viện|viện|hội\s+đồng|ủy\s+ban|ubnd|văn\s+phòng|"
    r"đảng\s+ủy|thành\s+ủy|tòa\s+án|cảng\s+vụ|tổng\s+công\s+ty|công\s+ty|thanh\s+tra|quỹ|"
    r"cảnh\s+sát|học\s+viện|chi\s+nhánh|bưu\s+điện|hiệp\s+hội|hải\s+quan|điện\s+lực"
    # "Thuế thành phố Hải Phòng", "Thuế cơ sở": the tax offices since 2025
    r"|thuế(?=\s+(?:thành\s+phố|tỉnh|cơ\s+sở)(?!\w)))(?!\w)"
)
# Agencies whose names hold commas, which elsewhere end a name: "Cảnh sát phòng cháy, chữa cháy
# và cứu nạn, cứu hộ Công an thành phố".
_COMMA_NAME = re.compile(
    r"(?:phòng\s+)?cảnh\s+sát\s+phòng\s+cháy\s*,\s*chữa\s+cháy(?:\s+và\s+cứu\s+nạn\s*,\s*cứu\s+hộ)?"
    r"(?:\s+công\s+an\s+(?:thành\s+phố|tp|tỉnh)(?:\s+hải\s+phòng)?)?(?!\w)"
)
# Lower-case words that belong inside an agency's name ("Công an thành phố", "Kho bạc Nhà nước
# khu vực III", "Bộ Chỉ huy Quân sự thành phố").
_NAME_WORDS = {
    "thành",
    "phố",
    "tp",
    "tỉnh",
    "nhân",
    "dân",
    "nhà",
    "nước",
    "khu",
    "vực",
    "chi",
    "nhánh",
    "quân",
    "sự",
    "cấp",
    "huyện",
    "quận",
    "đặc",
    "kinh",
    "tế",
    "trung",
    "ương",
    "chỉ",
    "huy",
    "biên",
    "phòng",
    "xã",
    "hội",
    "phường",
    "thị",
    "trấn",
    "cơ",
    "sở",
}


# Where an agency's name written in full ends: a verb, a role or a function word ("Cảng vụ Hàng
# hải Hải Phòng phối hợp", "Công an thành phố chủ trì", "Bộ Tài chính hướng dẫn").
_NAME_STOP = re.compile(
    r"(?:chủ\s+trì|phối\s+hợp|có|là|để|về|theo|trong|tại|trên|của|đã|đang|được|với|cùng|"
    r"thì|nhằm|khi|cho|từ|đến|và|các|những|kịp|ngay|cần|phải|sẽ|vẫn|chưa|không|tích\s+cực|"
    r"nghiêm|làm|đầu\s+mối|chịu|tiếp|thường\s+xuyên|liên\s+tục)(?!\w)"
)


_BRANCH = re.compile(r"chi\s+nhánh(?!\w)")
_BUILT_WORKS = re.compile(r"xây\s+dựng\s+(?:các\s+)?công\s+trình(?!\w)")
_LOCAL_LEVELS = {"xã", "phường", "huyện", "quận", "thị", "đặc", "tỉnh"}
# Second syllables that are also verbs of obligation: "công trình" is not "trình" (submit).
_COMPOUNDS = {
    ("công", "trình"),
    ("chương", "trình"),
    ("quy", "trình"),
    ("thành", "lập"),
    ("độc", "lập"),
    ("bàn", "giao"),
}


def _skip_code(text: _Text, end: int) -> int:
    """ "Sở Tài chính (STC)": the code in brackets belongs to the name."""
    m = re.match(r" ?\((?:[A-ZĐ][A-ZĐ0-9&\-]{1,15})\)", text.text[end:])
    return end + m.end() if m else end


def _group_at(
    text: _Text, pos: int, *, narrowed: bool = True
) -> tuple[DepartmentMention, int] | None:
    """ "các sở, ban, ngành", "UBND các xã, phường, đặc khu": every department of a kind. "Các sở,
    ban, ngành, địa phương" names both kinds ("so_ban_nganh,ubnd_cap_xa"); "các sở, ngành liên
    quan" only some of them: no group, the words are kept (``group_named`` still tells the kind).
    """
    key = text.marked
    for kind, pattern in _GROUP_PATTERNS:
        if m := pattern.match(key, pos):
            end = m.end()
            after = text.text[end:].lstrip(" ")
            if after[:1].isupper() and not re.match(r"[,;:(]", text.text[end:].lstrip(" ")):
                continue  # "UBND phường Thuỷ Nguyên": one ward, not every ward
            kinds = str(kind)
            if kind == DepartmentKind.SO_BAN_NGANH and re.search(r"địa\s+phương", m[0]):
                kinds = f"{DepartmentKind.SO_BAN_NGANH},{DepartmentKind.UBND_CAP_XA}"
            related = _RELATED.match(key, end) if narrowed else None
            if related:  # "các sở, ngành liên quan": some of them, not all
                end = related.end()
            return DepartmentMention(text.text[pos:end], None, [], "" if related else kinds), end
    return None


def group_named(words: str) -> str:
    """The DepartmentKind values (comma-separated) a group's words name, narrowed or not: "các
    sở, ngành liên quan" → "so_ban_nganh"; "" when the words are not a group."""
    found = _group_at(_Text(normalise(words)), 0, narrowed=False)
    return found[0].group if found else ""


def _mention_at(
    text: _Text, pos: int, directory: Directory
) -> tuple[DepartmentMention, int] | None:
    """The department, group or agency named at ``pos`` and where its name ends, or None."""
    while pos < len(text.text) and text.text[pos] == " ":
        pos += 1
    index = text.word_at.get(pos)
    if index is None:
        return None
    key = text.marked
    if (head := _HEAD_OF.match(key, pos)) is not None:
        # "Thủ trưởng các sở, ban, ngành", "Giám đốc Sở Y tế": the department answers.
        found = _mention_at(text, head.end(), directory)
        if found is None and (headed := _HEADED.match(key, head.end())) is not None:
            found = (DepartmentMention("", None, []), headed.end())
        if found is not None:
            mention, end = found
            mention.words = text.text[pos:end]
            return mention, end
    if found := _group_at(text, pos):
        return found
    if m := _COLLECTIVE.match(key, pos):
        end = m.end()
        if related := _RELATED.match(key, end):
            end = related.end()
        return DepartmentMention(text.text[pos:end], None, []), end
    if m := _GENERIC.match(key, pos):
        return DepartmentMention(text.text[pos : m.end()], None, []), m.end()
    folded = text.folded_words
    if directory.starts(folded[index]):
        found = directory.match(folded, text.marked_words, index)
        if found is not None:
            length, ids, sure = found
            last = index + length - 1
            gaps_ok = all(
                _GAP.match(text.text[text.spans[i][1] : text.spans[i + 1][0]])
                for i in range(index, last)
            )
            if gaps_ok:
                end = text.spans[last][1]
                # "Sở Tài chính thành phố": the city's name adds nothing.
                if m := re.match(r" (?:thành phố|tp\.?)(?!\w)", key[end:]):
                    end += m.end()
                end = _skip_code(text, end)
                words = text.text[pos:end]
                if sure:
                    return DepartmentMention(words, ids[0], []), end
                return DepartmentMention(words, None, directory.candidates(words, ids)), end
    if m := _COMMA_NAME.match(key, pos):
        words = text.text[pos : m.end()]
        return DepartmentMention(words, None, directory.candidates(words)), m.end()
    plural = re.compile(r"(?:các|những)\s+(?=\w)").match(key, pos)
    head_at = plural.end() if plural else pos
    if m := _AGENCY_HEAD.match(key, head_at):
        # An agency not in the directory: its name is capitalised ("Công an thành phố",
        # "Bộ Tài chính", "Các Công ty TNHH MTV Khai thác công trình thuỷ lợi"); "ban hành",
        # "báo cáo", "hội nghị" are not names.
        if not text.text[head_at].isupper():
            return None
        i = text.word_at[head_at] + len(_WORD.findall(m[0]))
        if i >= len(text.spans):
            return None

        def name_word(j: int) -> bool:
            word = text.text[text.spans[j][0] : text.spans[j][1]]
            return word[:1].isupper() or word.isdigit() or text.marked_words[j] in _NAME_WORDS

        if not name_word(i) or text.text[text.spans[i - 1][1] : text.spans[i][0]] != " ":
            return None
        last = i
        j = i + 1
        # "UBND huyện An Lão trồng …": a local unit's name is proper nouns only.
        local = m[0] in ("ubnd", "ủy ban nhân dân") and text.marked_words[i] in _LOCAL_LEVELS
        # Up to 16 words: "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố".
        while j < len(text.spans) and j - index < 16:
            gap = text.text[text.spans[j - 1][1] : text.spans[j][0]]
            # "Sở Lao động - Thương binh và Xã hội": a dash between capitalised parts.
            dash = gap in (" - ", " – ") and text.text[text.spans[j][0]].isupper()
            if gap != " " and not dash:
                break
            if local and j > i + 1 and not name_word(j):
                break
            # "Công an thành phố thu gom …": the city's name closes an agency's name.
            if text.marked_words[j - 1] in ("phố", "tp") and not name_word(j):
                break
            if text.marked_words[j] == "và" and j + 1 < len(text.spans):
                nxt = text.text[text.spans[j + 1][0] : text.spans[j + 1][1]]
                if nxt[:1].isupper() and not _AGENCY_HEAD.match(key, text.spans[j + 1][0]):
                    j += 1
                    continue
                break
            at = text.spans[j][0]
            if (works := _BUILT_WORKS.match(key, at)) and "dự án" in key[pos:at]:
                # "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố": what
                # the board builds is part of its name, not a verb and its object.
                while j < len(text.spans) and text.spans[j][1] <= works.end():
                    last, j = j, j + 1
                continue
            compound = (text.marked_words[j - 1], text.marked_words[j]) in _COMPOUNDS
            if (
                _NAME_STOP.match(key, at)
                or (_OBLIGATION.match(key, at) and not compound)
                or (
                    _AGENCY_HEAD.match(key, at)
                    and text.text[at].isupper()
                    # "Ngân hàng Nhà nước Chi nhánh Khu vực 4": the branch of the agency named;
                    # "Công ty TNHH MTV Điện lực Hải Phòng": the company's trade
                    and not _BRANCH.match(key, at)
                    and not key.startswith("điện lực", at)
                )
            ):
                break
            last = j
            j += 1
        end = _skip_code(text, text.spans[last][1])
        words = text.text[pos:end]
        return DepartmentMention(words, None, directory.candidates(words)), end
    return None


def _distributive(
    text: _Text, pos: int, directory: Directory
) -> tuple[list[DepartmentMention], int] | None:
    """ "UBND các xã Kiến Hải, Tiên Lãng": "UBND xã Kiến Hải", "UBND xã Tiên Lãng"."""
    m = _DISTRIBUTIVE.match(text.marked, pos)
    if m is None or m.end() >= len(text.text) or not text.text[m.end()].isupper():
        return None
    kind = text.text[m.start("kind") : m.end("kind")]
    index = text.word_at.get(m.end())
    found: list[DepartmentMention] = []
    end = pos
    while index is not None and index < len(text.spans):
        last = index
        while (
            last + 1 < len(text.spans)
            and text.text[text.spans[last][1] : text.spans[last + 1][0]] == " "
            and text.text[text.spans[last + 1][0]].isupper()
        ):
            last += 1
        name = text.text[text.spans[index][0] : text.spans[last][1]]
        words = f"UBND {kind} {name}"
        named = _mention_at(_Text(words), 0, directory)
        if named is not None and named[0].department_id is not None and named[1] == len(words):
            found.append(DepartmentMention(words, named[0].department_id, []))
        else:
            found.append(DepartmentMention(words, None, directory.candidates(words)))
        end = text.spans[last][1]
        nxt = last + 1
        if nxt >= len(text.spans):
            break
        gap = text.text[end : text.spans[nxt][0]]
        if (
            not re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", gap)
            or not text.text[text.spans[nxt][0]].isupper()
        ):
            break
        if _mention_at(text, text.spans[nxt][0], directory) is not None:
            break  # "UBND các xã A, B, Sở Y": the list of names ends
        index = nxt
    return (found, end) if found else None


# "Sở Y tế (cơ quan thường trực Ban Chỉ đạo …)": the unit's standing, part of its mention; so is
# the sub-unit that does the work ("Sở Nông nghiệp và Môi trường (Chi cục Thuỷ lợi)").
_ROLE_NOTE = re.compile(
    r"[ \t]*\((?:(?:là\s+)?(?:cơ\s+quan|đơn\s+vị)\s+(?:thường\s+trực|đầu\s+mối)"
    r"|(?:chi\s+cục|cục|phòng|trung\s+tâm|văn\s+phòng)\s+(?=\w))[^()\n]*\)"
)
_LIST_GLUE = re.compile(r"[ \t]*(?:,|;)?[ \t]*(?:và|cùng|với)?[ \t]*")


def _mention_list(
    text: _Text, pos: int, directory: Directory, *, stop_at_semicolon: bool = True
) -> tuple[list[DepartmentMention], int]:
    """ "Sở Xây dựng, Sở Nội vụ và các cơ quan liên quan": the mentions and where they end."""
    found: list[DepartmentMention] = []
    end = pos
    while True:
        glue = _LIST_GLUE.match(text.marked, end)
        at = glue.end() if found and glue else end
        if found and stop_at_semicolon and ";" in text.text[end:at]:
            break
        if (several := _distributive(text, at, directory)) is not None:
            found.extend(several[0])
            end = several[1]
            continue
        mention = _mention_at(text, at, directory)
        if mention is None:
            break
        found.append(mention[0])
        end = mention[1]
        if note := _ROLE_NOTE.match(text.marked, end):
            end = note.end()
    return found, end


# --- Reading one piece -----------------------------------------------------------------------

_CONNECTOR = re.compile(
    r"^(?:(?:đồng\s+thời|cùng\s+với\s+đó|bên\s+cạnh\s+đó|ngoài\s+ra|trong\s+đó|mặt\s+khác|"
    r"trước\s+mắt|cuối\s+cùng|trước\s+hết|theo\s+đó|tiếp\s+theo|sau\s+đó|một\s+là|hai\s+là|"
    r"ba\s+là|bốn\s+là|năm\s+là|thứ\s+(?:nhất|hai|ba|tư|năm))\s*,?\s*)+"
)
# Verbs that open an instruction ("Tiếp tục…", "Khẩn trương…"). Not "phát triển", "đạt",
# "là": sentences opening with those describe rather than instruct.
_OBLIGATION = re.compile(
    r"(?:tiếp\s+tục|tập\s+trung|khẩn\s+trương|chủ\s+động|đẩy\s+mạnh|đẩy\s+nhanh|tăng\s+cường|"
    r"triển\s+khai|tổ\s+chức|xây\s+dựng|hoàn\s+thiện|hoàn\s+thành|rà\s+soát|nghiên\s+cứu|"
    r"đề\s+xuất|tham\s+mưu|kiểm\s+tra|thực\s+hiện|chỉ\s+đạo|quyết\s+tâm|siết\s+chặt|nâng\s+cao|"
    r"bảo\s+đảm|đảm\s+bảo|đôn\s+đốc|theo\s+dõi|ban\s+hành|sửa\s+đổi|lập|khắc\s+phục|xử\s+lý|"
    r"giải\s+quyết|thúc\s+đẩy|huy\s+động|ưu\s+tiên|quán\s+triệt|tuyên\s+truyền|phổ\s+biến|"
    r"chuẩn\s+bị|cập\s+nhật|tổng\s+hợp|kiện\s+toàn|sắp\s+xếp|hướng\s+dẫn|rà\s+soát|duy\s+trì|"
    r"kiên\s+quyết|nghiêm\s+túc|chấn\s+chỉnh|công\s+khai|bố\s+trí|phối\s+hợp|"
    r"giao(?!\s+thông)|yêu\s+cầu|đề\s+nghị|tuyệt\s+đối|khẩn\s+cấp|sớm|rà|tập\s+huấn|điều\s+chỉnh|thẩm\s+định|"
    r"phê\s+duyệt|trình|báo\s+cáo|gửi|cung\s+cấp|tăng|giảm|phấn\s+đấu|quản\s+lý\s+chặt|"
    r"sơ\s+kết|tổng\s+kết|định\s+kỳ|công\s+bố|hằng\s+(?:tháng|quý|năm)|hàng\s+(?:tháng|quý|năm))(?!\w)"
)
_TRIGGER = re.compile(
    r"(?<!\w)(?:giao\s+nhiệm\s+vụ\s+cho|giao\s+cho|giao|đề\s+nghị|yêu\s+cầu|phân\s+công|"
    r"chỉ\s+đạo|ủy\s+quyền\s+cho|ủy\s+quyền)(?!\w)\s*:?\s*"
)
# Who speaks before "giao/đề nghị": dropped from the content with the assignment words.
_SPEAKER = re.compile(
    r"(?:chủ\s+tịch|bí\s+thư|ubnd|ủy\s+ban|thành\s+ủy|lãnh\s+đạo|đồng\s+chí|ông|bà|chính\s+phủ|"
    r"thủ\s+tướng|hội\s+nghị|kết\s+luận|văn\s+phòng)"
)
# Who gives instructions rather than takes them: "Chủ tịch UBND thành phố chỉ đạo Sở X …".
_ISSUER = re.compile(
    r"(?:(?:phó\s+)?chủ\s+tịch|bí\s+thư|thủ\s+tướng|lãnh\s+đạo|đồng\s+chí|"
    r"(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+(?:thành\s+phố|tỉnh)$)"
)
_LEAD_ROLE = re.compile(r"\s*(?:là\s+cơ\s+quan\s+|làm\s+)?chủ\s+trì(?!\w)\s*,?\s*")
_BRACKET_ROLE = re.compile(r"\s*(?:chủ\s+trì|thực\s+hiện)(?!\w)\s*,?\s*")
_COORD_ROLE = re.compile(
    r"\s*,?\s*(?:và\s+)?(?:(?:phối\s+hợp|phối\s+hợp\s+chặt\s+chẽ)\s+(?:với\s+)?|"
    r"(?:với|có)\s+sự\s+phối\s+hợp\s+(?:của\s+)?)"
)
_FIELD = re.compile(
    r"(?:(?:cơ\s+quan|đơn\s+vị|cơ\s+quan,\s*đơn\s+vị)\s+)?(?P<role>chủ\s+trì|phối\s+hợp|thực\s+hiện)"
    r"(?:\s+(?:thực\s+hiện|tham\s+mưu))?\s*:\s*"
)
_FIELD_START = re.compile(
    r"^(?:[-+•]\s*)?(?:(?:cơ\s+quan|đơn\s+vị)[^:\n]{0,20}(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)|"
    r"chủ\s+trì|phối\s+hợp|sản\s+phẩm|kết\s+quả\s+đầu\s+ra|thời\s+hạn|thời\s+gian|tiến\s+độ)"
    r"[^:\n]{0,25}:"
)
_PRODUCT_FIELD = re.compile(
    # "Sản phẩm:" left empty ends at its line: the next line is the next field.
    r"(?:sản\s+phẩm(?:\s+đầu\s+ra)?|kết\s+quả\s+đầu\s+ra|hình\s+thức\s+văn\s+bản)[ \t]*:[ \t]*"
)
# "Sở X đã …", "Ban Tổ chức sẽ họp …": a report or an arrangement, not an instruction; "các sở,
# ngành được giao chủ trì nhiệm vụ …" names which of them.
_PAST = re.compile(
    r"\s*(?:đã|vừa|cũng\s+đã|đang|sẽ|được(?!\s+giao\s+(?:chủ\s+trì|nhiệm\s+vụ)))(?!\w)"
)
_THIS_DOCUMENT = (
    r"(?:chỉ\s+thị|công\s+văn|công\s+điện|kế\s+hoạch|thông\s+báo|quyết\s+định|văn\s+bản|"
    r"kết\s+luận|nghị\s+quyết|chương\s+trình)\s+này"
)
# Lines that close or enact a document rather than assign work: "Văn phòng UBND thành phố thông
# báo để các cơ quan biết, …", "… yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./.", "Ban hành
# kèm theo Nghị quyết này …", "Nghị quyết này có hiệu lực …".
_BOILERPLATE = re.compile(
    r"(?:thông\s+báo|sao\s+gửi|gửi)\s+(?:để|cho)\s[^.]*\bbiết"
    r"|(?:nghiêm\s+túc|khẩn\s+trương)\s+(?:triển\s+khai\s+)?(?:tổ\s+chức\s+)?thực\s+hiện"
    rf"(?:\s+{_THIS_DOCUMENT}|\s+(?:các\s+)?nội\s+dung\s+(?:nêu\s+)?trên)?"
    # "…; trong quá trình triển khai nếu có khó khăn, vướng mắc, báo cáo …", "…; người đứng đầu
    # chịu trách nhiệm nếu …": the closing too
    r"\s*(?:[./]*\s*$|;\s*(?:trong\s+quá\s+trình|quá\s+trình|nếu\s+có|[^;.]*chịu\s+trách\s+nhiệm))"
    r"|^ban\s+hành\s+kèm\s+theo|có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ"
    r"|chịu\s+trách\s+nhiệm\s+thi\s+hành"
)
# Work that is an attitude or a responsibility, not a task: "… xác định công tác giải phóng mặt
# bằng là nhiệm vụ chính trị trọng tâm", "… quán triệt tinh thần …", "… chịu trách nhiệm trước
# Chủ tịch UBND thành phố …", praise. Read on the content, after the addressee is removed.
_EXHORTATION = re.compile(
    r"(?:(?:yêu\s+cầu|đề\s+nghị)\s[^;.]{0,60}?\s|trong\s+quá\s+trình\s[^,;.]{0,40},\s*)?"
    # "quán triệt, xác định nhiệm vụ thu ngân sách là nhiệm vụ chính trị trọng tâm"
    r"(?:(?:quán\s+triệt\s*,\s*)?xác\s+định\s[^;.]{0,100}?\slà\s(?:nhiệm\s+vụ|một\s+trong|trách\s+nhiệm)"
    r"|quán\s+triệt\s+(?:sâu\s+sắc\s+|đầy\s+đủ\s+)?(?:tinh\s+thần|mục\s+tiêu|quan\s+điểm|tư\s+tưởng)"
    r"|chịu\s+trách\s+nhiệm\s+trước"
    # praise or criticism: "UBND thành phố ghi nhận, biểu dương sự vào cuộc …"
    r"|(?:ghi\s+nhận|biểu\s+dương|hoan\s+nghênh|đánh\s+giá\s+cao|khen\s+ngợi|phê\s+bình)(?!\w)"
    # what units are or have reached: "… là các đơn vị có nhiều cách làm hay", "… có tỷ lệ giải
    # ngân trên 85%" ("… là địa phương có nhiều lễ hội, có trách nhiệm kiểm tra …" still assigns)
    r"|là\s+(?:các\s+|những\s+)?(?:đơn\s+vị|địa\s+phương)(?!\w)(?![^;.]*có\s+trách\s+nhiệm)"
    r"|(?:có|đạt)\s+(?:tỷ\s+lệ|nhiều\s+(?:cách\s+làm|mô\s+hình|kết\s+quả))(?!\w))"
)
# "Tập trung hoàn thiện thể chế, … (chi tiết nhiệm vụ tại Phụ lục kèm theo)": a summary of the
# annex, whose rows are the tasks.
_ANNEX_POINTER = re.compile(r"\(\s*(?:chi\s+tiết|cụ\s+thể)[^()]{0,40}(?:tại|theo)\s+phụ\s+lục")
# "Thực hiện Quy chế làm việc …, đến nay …": the grounds of a letter, not its tasks.
_PREAMBLE = re.compile(
    r"(?:thực\s+hiện|căn\s+cứ|theo|triển\s+khai\s+thực\s+hiện)\s+(?:ý\s+kiến|chỉ\s+đạo|quy\s+chế|"
    r"nghị\s+quyết|kết\s+luận|chỉ\s+thị|công\s+văn|công\s+điện|thông\s+báo|quyết\s+định|"
    r"kế\s+hoạch|chương\s+trình|văn\s+bản|nghị\s+định|thông\s+tư|luật)(?!\w)"
)
# A sentence that opens with the day something happened: "Ngày 08/10/2026, tại trụ sở …".
_ACCOUNT = re.compile(r"^ngày\s+\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}\s*,")
# Who attended a meeting: "Tham dự cuộc họp có: lãnh đạo các Sở: Tài chính, …".
_ATTENDANCE = re.compile(
    r"^(?:tham\s+dự|dự\s+họp|cùng\s+dự|cùng\s+tham\s+dự|thành\s+phần|có\s+mặt)(?!\w)"
)


# What is left of "trong đó Sở Y tế hoàn thành trước ngày 30/6/2026" without its lead and
# deadline: the clause only gives that lead's deadline for the whole's work.
_SHARE_ONLY = re.compile(r"(?:(?:hoàn\s+thành|thực\s+hiện|xong|triển\s+khai)(?:\s+việc)?)?")
# Words that open a clause of its own after ";": "…; đồng thời, Sở Y tế chuẩn bị …".
_CLAUSE_CONNECTOR = re.compile(
    r"(?:trong\s+đó|đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|riêng)\s*,?\s*"
)
# "Hằng năm, Sở Tài chính cân đối …", "Định kỳ hằng quý, Sở X tổng hợp …": a period opening the
# sentence, before its subject.
_EVERY = r"(?:(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)|định\s+kỳ\s+(?:6|sáu)\s+tháng)"
# "Đối với kiến nghị bổ sung biên chế của các phường, Sở Nội vụ …": a topic, then the subject.
# "Sau khi kết thúc Đại hội, Sở Nội vụ …": a time or condition first, too.
_TOPIC = re.compile(
    r"(?:(?:đối\s+với|về|riêng|sau\s+khi|trước\s+khi|khi|trong)\s+[^,;:\n]{1,100}"
    rf"|{_EVERY}),\s*"
)
# "Để chủ động ứng phó …, Chủ tịch UBND thành phố yêu cầu:": why the work is asked for.
_PURPOSE = re.compile(r"(?:^|[,.]\s*)(?:nhằm|để)\s")
# The clause after ";" that names another addressee: "…; đề nghị Ngân hàng Nhà nước … chỉ đạo …".
_ADDRESSING = re.compile(r"(?:giao(?:\s+cho)?|đề\s+nghị|yêu\s+cầu)\s+(?=\w)")
# Verbs that open a clause of work after ";" besides those of _OBLIGATION, which also open tasks
# with no addressee: "…; cấp phát kịp thời kinh phí …", "…; quan trắc, công bố chất lượng …".
_WORK_VERB = re.compile(
    r"(?:hỗ\s+trợ|cấp\s+phát|quan\s+trắc|vận\s+hành|vận\s+động|lắp\s+đặt|cắm|thu\s+gom|"
    r"nạo\s+vét|giải\s+ngân|tiếp\s+nhận|cải\s+tạo|cải\s+cách|khảo\s+sát|thống\s+kê|đưa|"
    r"thành\s+lập|kết\s+nối|tổng\s+kết|phân\s+công|trả\s+lời|thẩm\s+định)(?!\w)"
)
# "…; phấn đấu năm 2026 có thêm 15.000 trẻ em biết bơi": the aim of the work before.
_TARGET = re.compile(r"phấn\s+đấu(?!\w)")
# "…; tổng hợp, báo cáo UBND thành phố …", "…; định kỳ hằng quý báo cáo …": the report on the
# work before.
_REPORTING = re.compile(
    r"(?:(?:tổng\s+hợp|(?:định\s+kỳ\s+)?(?:(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm|tuần)|định\s+kỳ))"
    r"\s*,?\s*)?báo\s+cáo(?!\w)"
)
_CALENDAR = {"date", "month", "quarter", "year"}
# A closing step this short, in syllables ("công bố danh mục", "ban hành văn bản hướng dẫn"),
# finishes the work of the clause before it rather than starting a task.
_CLOSING_WORDS = 6
# A clause that hands the work's result in: "…, báo cáo UBND thành phố", "trình UBND thành phố Đề
# án …", "gửi Sở Y tế", "công khai kết quả …". Not "quy trình", "công trình", "chương trình".
_DELIVERY = re.compile(
    r"^\s*(?:công\s+khai|công\s+bố)(?!\w)"
    r"|(?<!\w)(?:báo\s+cáo|gửi|(?<!quy\s)(?<!công\s)(?<!chương\s)trình)(?!\w)"
)
# "thường xuyên" opening a task's work, before its verb.
_OFTEN = re.compile(r"(?:chủ\s+động\s+)?(?:thường\s+xuyên|liên\s+tục)\s+(?=\w)")
# "Nghị quyết thông qua danh mục …: Sở Nông nghiệp và Môi trường thông báo …": a title, then the
# subject.
_TITLE = re.compile(r"[^:;.\n]{3,200}?:\s+")
_COORD_ANYWHERE = re.compile(
    r"(?<!\w)(?:,\s*)?(?:và\s+)?phối\s+hợp(?:\s+chặt\s+chẽ)?\s+với\s+(?=\w)"
)


def _connector_end(key: str) -> int:
    m = _CONNECTOR.match(key)
    return m.end() if m else 0


@dataclass
class _Reading:
    lead: DepartmentMention | None = None
    leads: list[DepartmentMention] = field(default_factory=list)  # every one named as lead
    coordinators: list[DepartmentMention] = field(default_factory=list)
    removed: list[tuple[int, int]] = field(default_factory=list)
    product: str = ""  # the "Sản phẩm:" field, as written
    past: bool = False  # "Sở X đã …": a report, not an instruction
    bracket: str = ""  # the rest of "(X chủ trì; báo cáo … trước …)", for the output
    trigger: str = ""  # the words that named the lead ("giao", "đề nghị", "chỉ đạo")


def _field_end(text: _Text, pos: int) -> int:
    m = re.compile(r"[;\n]|\.(?:\s|$)").search(text.text, pos)
    return m.start() if m else len(text.text)


def _joined_groups(text: _Text, mentions: list[DepartmentMention]) -> list[DepartmentMention]:
    """ "Các sở, ban, ngành, UBND các xã, phường, đặc khu" addressed together: one lead.

    Each part is a group or a plural ("UBND các quận, huyện"); together they are one addressee,
    not a lead and coordinators. The joined mention's group names every kind of its parts
    ("so_ban_nganh,ubnd_cap_xa"); a part with no kind (the pre-2025 districts) stays a mention
    of its own, after it. Narrowed as a whole ("…, UBND các quận, huyện chưa gửi báo cáo"), the
    joined words are kept with no group: the clerk picks (several_leads names the parts)."""
    plural = [bool(m.group or _PLURAL.match(matching.marked(m.words))) for m in mentions]
    count = 0
    while count < len(mentions) and plural[count]:
        count += 1
    if count < 2:
        return mentions
    parts, rest = mentions[:count], mentions[count:]
    first, last = parts[0], parts[-1]
    start = text.text.find(first.words)
    end = text.text.find(last.words, start + len(first.words)) if start >= 0 else -1
    if start < 0 or end < 0:
        return mentions
    if not last.group and group_named(last.words) or _RELATED.search(matching.marked(last.words)):
        return [DepartmentMention(text.text[start : end + len(last.words)], None, []), *rest]
    kinds = list(dict.fromkeys(k for m in parts for k in m.group.split(",") if k))
    kinded = [m for m in parts if m.group]
    if not kinds:
        return [DepartmentMention(text.text[start : end + len(last.words)], None, []), *rest]
    tail = text.text.find(kinded[-1].words, start)
    words = text.text[start : tail + len(kinded[-1].words)] if tail >= 0 else first.words
    joined = DepartmentMention(words, None, [], ",".join(kinds))
    if len(kinded) == 1 and len(kinds) == 1:
        joined = kinded[0]
    return [joined, *[m for m in parts if not m.group], *rest]


def _read_assignment(text: _Text, directory: Directory) -> _Reading:
    reading = _Reading()
    key = text.marked

    def set_lead(mentions: list[DepartmentMention]) -> None:
        if not mentions:
            return
        parts = mentions
        mentions = _joined_groups(text, mentions)
        if reading.lead is None:
            reading.lead = mentions[0]
            if mentions is parts and _FRONT.match(matching.marked(mentions[0].words)):
                # "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố, Hội Người cao tuổi thành
                # phố …": the Front leads its member organisations.
                reading.leads = [mentions[0]]
            elif mentions is parts:
                reading.leads = list(mentions)  # "UBND xã A và UBND xã B …": one task each
            elif mentions[0].group or mentions[0] in parts:
                reading.leads = [mentions[0]]
            else:  # joined words with no group: the parts, for the several_leads flag
                reading.leads = parts[: len(parts) - len(mentions) + 1]
            rest = mentions[1:]
        else:
            rest = mentions
        for mention in rest:
            reading.coordinators.append(mention)

    def read_coordinators(pos: int) -> int:
        if m := _COORD_ROLE.match(key, pos):
            mentions, end = _mention_list(text, m.end(), directory)
            if mentions:
                reading.coordinators.extend(mentions)
                return end
        return pos

    # "Cơ quan chủ trì: Sở Tài chính; Cơ quan phối hợp: Sở Xây dựng."
    for m in _FIELD.finditer(key):
        start = m.start()
        line_start = key.rfind("\n", 0, start) + 1
        before = key[line_start:start]
        if before.strip(" -+•;.(") and not re.search(r"[;(]\s*$", before):
            continue
        # In a field, ";" separates names ("Cơ quan phối hợp: Sở Nội vụ; UBND các xã, …").
        mentions, end = _mention_list(text, m.end(), directory, stop_at_semicolon=False)
        if not mentions:
            continue
        if m["role"].startswith("phối"):
            reading.coordinators.extend(mentions)
        else:
            set_lead(mentions)
        reading.removed.append((start, max(end, _field_end(text, end))))
    if m := _PRODUCT_FIELD.search(key):
        end = _field_end(text, m.end())
        reading.product = text.text[m.end() : end].strip()
        reading.removed.append((m.start(), end))

    # "(Sở Nội vụ chủ trì, Sở Tài chính phối hợp; hoàn thành trước 30/6/2026)", "(UBND Phường
    # Hải An thực hiện; thời hạn …)". What else the bracket says ("báo cáo UBND thành phố trước
    # 30/4/2026") still tells the output.
    for m in re.finditer(r"\(([^()]*?(?:chủ\s+trì|thực\s+hiện)[^()]*)\)", key):
        inner = m.start(1)
        leads, end = _mention_list(text, inner, directory)
        role = _BRACKET_ROLE.match(key, end)
        if not leads or not role:
            continue
        set_lead(leads)
        pos = role.end()
        if gap := re.match(r"\s*;\s*", key[pos:]):  # "(Sở X chủ trì; Sở Y, Sở Z phối hợp)"
            pos += gap.end()
        coordinators, end = _mention_list(text, pos, directory)
        if coordinators and (role_end := re.match(r"\s*phối\s+hợp", key[end:])):
            reading.coordinators.extend(coordinators)
            end += role_end.end()
        else:
            end = read_coordinators(role.end())
        reading.bracket = text.text[end : m.end(1)].strip(" ;,")
        reading.removed.append(m.span())

    if reading.lead is None:
        # "Giao Sở Tài chính chủ trì, phối hợp với …", "Chủ tịch UBND thành phố đề nghị …"
        subject, subject_end = _mention_list(text, _connector_end(key), directory)
        for m in _TRIGGER.finditer(key):
            if subject and m.start() >= subject_end:
                between = key[subject_end : m.start()].strip(" ,")
                if _OBLIGATION.match(between) or (
                    not between
                    and m[0].startswith("chỉ")
                    and not _ISSUER.match(matching.marked(subject[0].words))
                ):
                    # "Các bộ … hoàn thành việc …, ủy quyền cho UBND …", "UBND các quận,
                    # huyện chỉ đạo UBND các xã …": the subject leads, the rest is its work.
                    break
            leads, end = _mention_list(text, m.end(), directory)
            if not leads:
                continue
            set_lead(leads)
            reading.trigger = m[0].strip(" :")
            start = m.start()
            before = key[:start]
            if not before.strip() or (
                _SPEAKER.search(before) and not _OBLIGATION.match(_CONNECTOR.sub("", before))
            ):
                start = 0
            if role := _LEAD_ROLE.match(key, end):
                end = role.end()
            end = read_coordinators(end)
            reading.removed.append((start, end))
            break
    if reading.lead is None:
        # "Sở Tài chính chủ trì, phối hợp với …", "Văn phòng UBND thành phố theo dõi, …"; after
        # a topic ("Đối với kiến nghị …, Sở Nội vụ tổng hợp …") or a title ("Nghị quyết …: Sở
        # Tài chính tham mưu …") the subject comes later, and the topic or title stays.
        connector = _CONNECTOR.match(key)
        pos = connector.end() if connector else 0
        starts = [(pos, 0)]
        if only := re.compile(r"riêng\s+(?=\w)").match(key, pos):
            # "Riêng UBND đặc khu Cát Hải chủ động bố trí …": one unit singled out.
            starts.append((only.end(), 0))
        if topic := _TOPIC.match(key, pos):
            starts.append((topic.end(), topic.end()))
        if (title := _TITLE.match(key, pos)) is not None:
            starts.append((title.end(), title.end()))
        for at, cut in starts:
            leads, end = _mention_list(text, at, directory)
            if not leads:
                continue
            role = _LEAD_ROLE.match(key, end)
            after = key[end:]
            if not (role or re.match(r"\s*(?::|\w)", after)):
                continue
            reading.past = bool(_PAST.match(after))
            set_lead(leads)
            if role:
                end = role.end()
            end = read_coordinators(end)
            if m := re.match(r"\s*:\s*", key[end:]):
                end += m.end()
            reading.removed.append((cut, end))
            break
    opening = _connector_end(key)
    # "Chủ trì, phối hợp với Sở Công Thương xây dựng …" under "Giao Ban Quản lý …:".
    if (
        reading.lead is None
        and key.startswith("chủ", opening)
        and (role := _LEAD_ROLE.match(key, opening))
    ):
        reading.removed.append((opening, read_coordinators(role.end())))
    if reading.lead is None:
        # "…, Sở Tài chính chủ trì, hoàn thành …": a lead named after the work.
        for m in re.finditer(
            r"(?<!\w)chủ\s+trì(?!\w)(?!\s+(?:cuộc\s+họp|hội\s+nghị|buổi|phiên))", key
        ):
            for start in sorted(text.word_at, reverse=True):
                if start >= m.start():
                    continue
                found = _mention_at(text, start, directory)
                if found and key[found[1] : m.start()].strip() == "":
                    set_lead([found[0]])
                    role = _LEAD_ROLE.match(key, found[1])
                    end = read_coordinators(role.end() if role else m.end())
                    reading.removed.append((start, end))
                    break
                if m.start() - start > 80:
                    break
            if reading.lead is not None:
                break
    if not reading.coordinators:
        # "Sở Công Thương chỉ đạo, phối hợp với Công ty Điện lực …", "…, phối hợp với Sở Y tế."
        for m in _COORD_ANYWHERE.finditer(key):
            if any(s <= m.start() < e for s, e in reading.removed):
                continue
            mentions, end = _mention_list(text, m.end(), directory)
            if mentions:
                reading.coordinators.extend(mentions)
                reading.removed.append((m.start(), end))
                break
    if reading.lead is not None and not reading.coordinators:
        # "…; Sở Y, Sở Z phối hợp."
        for m in re.finditer(r"(?<!\w)phối\s+hợp(?!\w)(?!\s+(?:chặt\s+chẽ\s+)?với)", key):
            for start in sorted(text.word_at):
                if start >= m.start() or m.start() - start > 200:
                    continue
                if any(s <= start < e for s, e in reading.removed):
                    continue
                mentions, end = _mention_list(text, start, directory)
                if mentions and key[end : m.start()].strip() == "":
                    reading.coordinators.extend(mentions)
                    reading.removed.append((start, m.end()))
                    break
    return reading


# --- Outputs ---------------------------------------------------------------------------------

_OUTPUT_NOUNS = (
    (
        "du_thao_qppl",
        r"(?:dự\s+thảo\s+)?văn\s+bản\s+quy\s+phạm\s+pháp\s+luật|(?:văn\s+bản\s+)?qppl"
        # "dự thảo Nghị định", "dự thảo Thông tư": legal documents by their kind
        r"|dự\s+thảo\s+(?:nghị\s+định|thông\s+tư|luật|pháp\s+lệnh)(?!\w)"
        # "dự thảo Quyết định quy phạm pháp luật", "Quyết định (QPPL)"
        r"|(?:dự\s+thảo\s+)?quyết\s+định[\s(]*(?:quy\s+phạm\s+pháp\s+luật|qppl)",
    ),
    (
        "nghi_quyet_hdnd",
        r"(?:dự\s+thảo\s+)?nghị\s+quyết(?=[^.;]{0,40}(?:hđnd|hội\s+đồng\s+nhân\s+dân))"
        r"|dự\s+thảo\s+nghị\s+quyết",
    ),
    ("de_an", r"đề\s+án"),
    ("ke_hoach", r"kế\s+hoạch(?!\s+vốn)"),
    ("quyet_dinh", r"(?:dự\s+thảo\s+)?quyết\s+định"),
    ("to_trinh", r"tờ\s+trình"),
    ("bao_cao", r"báo\s+cáo"),
    (
        "khac",
        r"phương\s+án|quy\s+chế|điều\s+lệ|chỉ\s+thị"
        r"|văn\s+bản\s+(?:hướng\s+dẫn|trả\s+lời|đề\s+xuất|đề\s+nghị)"
        # "trả lời nhà đầu tư bằng văn bản"
        r"|(?:trả\s+lời|có\s+ý\s+kiến)(?:\s+[^,;.]{1,40}?)?\s+bằng\s+văn\s+bản"
        # "xây dựng Chương trình giảm nghèo …": a programme written like a plan
        r"|chương\s+trình(?!\w)"
        # "hướng dẫn tiêu chuẩn an toàn …": the guidance itself is a document
        r"|hướng\s+dẫn\s+(?=(?:tiêu\s+chuẩn|quy\s+chuẩn|quy\s+trình|định\s+mức|thủ\s+tục|yêu\s+cầu)"
        r"(?!\w))",
    ),
    # Things made rather than written, an output only when the task makes them ("lập hồ sơ đề
    # nghị xếp hạng", "xây dựng danh mục di tích", "xây dựng, vận hành bản đồ cảnh báo", "xây dựng
    # các tour du lịch"), not when it completes, hands over or updates them.
    ("made", r"hồ\s+sơ|danh\s+mục|bản\s+đồ|cơ\s+sở\s+dữ\s+liệu|tour(?!\w)"),
)
_LEGAL = re.compile(r"\((?:văn\s+bản\s+)?(?:quy\s+phạm\s+pháp\s+luật|qppl)\)")
_OUTPUT = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _OUTPUT_NOUNS))
_PRODUCING = re.compile(
    r"(?:xây\s+dựng|ban\s+hành|lập|trình|hoàn\s+thiện|hoàn\s+thành|tham\s+mưu|dự\s+thảo|"
    r"soạn\s+thảo|đề\s+xuất|sửa\s+đổi|thay\s+thế|phê\s+duyệt|có|gửi|nghiên\s+cứu|"
    r"tổng\s+hợp|chuẩn\s+bị|thông\s+qua|ký|cập\s+nhật|điều\s+chỉnh|trả\s+lời)(?!\w)"
)
# Verbs that act on a document rather than write it: "rà soát văn bản quy phạm pháp luật", "theo
# dõi việc thực hiện Kế hoạch", "báo cáo kết quả thực hiện Kế hoạch". When one of them is nearer
# to the noun than any verb of _PRODUCING, the noun is not the output.
_USING = re.compile(
    r"(?:rà\s+soát|hệ\s+thống\s+hóa|thực\s+hiện|theo\s+dõi|đôn\s+đốc|kiểm\s+tra|đánh\s+giá|"
    r"tuyên\s+truyền|quán\s+triệt|căn\s+cứ|triển\s+khai|(?:không|chưa)\s+hoàn\s+thành)(?!\w)"
)
# The verb right before a thing the task makes: "lập hồ sơ …", "xây dựng, vận hành bản đồ …",
# "công bố danh mục".
_MAKES = re.compile(
    r"(?:xây\s+dựng|lập|công\s+bố(?:\s+công\s+khai)?|đề\s+xuất)(?:\s*,\s*\w+(?:\s+\w+)?)?\s+"
    r"(?:các\s+)?$"
)
# "sửa đổi, bổ sung Quyết định số 44/2019/QĐ-UBND": amending a legal document (its number holds
# its year) is drafting one.
_AMENDING = re.compile(r"(?:sửa\s+đổi|bổ\s+sung|thay\s+thế|bãi\s+bỏ)(?:\s*,\s*\w+(?:\s+\w+)?)?\s+$")
_LEGAL_NUMBER = re.compile(r"\s*(?:số\s+)?\d+/\d{4}/qđ-")
# "đưa nội dung … vào kế hoạch thanh tra năm 2027": the plan that takes the work in.
_INTO_PLAN = re.compile(r"(?<!\w)(?:đưa|lồng\s+ghép)\s[^;.]{0,80}\svào\s+$")
_TO_COUNCIL = re.compile(r"(?<!\w)trình\s+(?:hđnd|hội\s+đồng\s+nhân\s+dân)(?!\w)")
# "Hướng dẫn các cơ sở y tế xây dựng phương án …": others write it; the lead guides.
_DELEGATED = re.compile(
    r"(?:hướng\s+dẫn|chỉ\s+đạo|yêu\s+cầu|đôn\s+đốc)\s+(?:cho\s+)?(?:các|những|\d+\s*%)\s"
    r"[^,;:.]{0,60}?(?:xây\s+dựng|lập|chuẩn\s+bị)\s+$"
)
# "kịp thời báo cáo … những vấn đề phát sinh": a report when needed, not the task's output.
_AD_HOC_REPORT = re.compile(r"kịp\s+thời\s+$")
# "Kế hoạch số 12/KH-UBND", "Quyết định 1234/QĐ-UBND": a document cited, not one to write.
_CITED = re.compile(r"\s*(?:số\s+)?\d+[\w\-]*/|\s+(?:này|nêu\s+trên|đã\s+ban\s+hành)")


_DESCRIPTION_END = re.compile(r";|\.(?:\s|$)|,\s+(?:bảo\s+đảm|đảm\s+bảo|báo\s+cáo|trình)")


def _description_end(key: str, start: int) -> int:
    m = _DESCRIPTION_END.search(key, start)
    return m.start() if m else len(key)


# What a "Sản phẩm" cell lists goes in this order: the document itself, then the letter that
# submits it, then a report, then anything else.
_PRODUCT_RANK = {"to_trinh": 1, "bao_cao": 2, "khac": 3}


def _product_kind(product: str) -> str:
    """The output kind a product cell names: "Tờ trình, dự thảo Nghị quyết HĐND thành phố" is the
    resolution; "Hồ sơ, tờ trình đề nghị công nhận" the submission; "" when no item names one."""
    key = matching.marked_aligned(product)
    kinds = []
    for item in re.finditer(r"[^,;]+", key):
        at = len(item[0]) - len(item[0].lstrip(" \t\n-+•"))
        if m := _OUTPUT.match(key, item.start() + at):
            kinds.append("khac" if m.lastgroup == "made" else m.lastgroup or "")
    if not kinds:
        return ""
    return min(kinds, key=lambda kind: _PRODUCT_RANK.get(kind, 0))


def _output(content: str, product: str) -> tuple[str, str]:
    """(OutputKind value, description) from the "Sản phẩm:" field or the content."""
    if product:
        return _product_kind(product) or "khac", product.rstrip(" .;")
    key = matching.marked_aligned(content)
    found: list[tuple[str, int]] = []
    for m in _OUTPUT.finditer(key):
        if m.start() > 0 and key[m.start() - 1].isalnum():
            continue
        kind = m.lastgroup or ""
        if kind == "made":
            if _MAKES.search(key, 0, m.start()):
                found.append(("khac", m.start()))
            continue
        if _CITED.match(key, m.end()):
            if not (
                kind == "quyet_dinh"
                and _AMENDING.search(key, max(0, m.start() - 40), m.start())
                and _LEGAL_NUMBER.match(key, m.end())
            ):
                continue
            kind = "du_thao_qppl"
        window = key[max(0, m.start() - 60) : m.start()]
        if re.search(r"(?<!\w)đã\s+(?:có|được|ban\s+hành)?\s*$", window):
            continue  # "các công trình đã có quyết định xử phạt": a document that exists
        if kind == "quyet_dinh" and _LEGAL.search(key, m.end()):
            kind = "du_thao_qppl"  # "dự thảo Quyết định … (văn bản quy phạm pháp luật)"
        if kind in ("ke_hoach", "de_an") and _INTO_PLAN.search(key, 0, m.start()):
            found.append((kind, m.start()))
            continue
        if kind == "bao_cao":
            if not _AD_HOC_REPORT.search(window):
                found.append((kind, m.start()))
            continue
        producing = [v.end() for v in _PRODUCING.finditer(window)]
        using = [v.end() for v in _USING.finditer(window)]
        if using and (not producing or using[-1] >= producing[-1]):
            continue
        if _DELEGATED.search(key[max(0, m.start() - 120) : m.start()]):
            continue
        if kind == "khac" and producing and window.endswith("phê duyệt ", 0, producing[-1] + 1):
            # "Xây dựng, phê duyệt phương án ứng phó thiên tai": a plan the unit approves itself
            # is its own act, not a product it hands in.
            continue
        # "trả lời bằng văn bản" is itself the act that hands the output in.
        if m.start() == 0 or producing or re.match(r"trả\s+lời|có\s+ý\s+kiến", m[0]):
            found.append((kind, m.start()))
    if not any(kind not in ("bao_cao", "khac") for kind, _start in found) and (
        council := _TO_COUNCIL.search(key)
    ):
        # "đề xuất cơ chế hỗ trợ …, trình HĐND thành phố xem xét": what the council passes is
        # its resolution.
        found.append(("nghi_quyet_hdnd", council.start()))
    if not found:
        return "", ""
    # Báo cáo goes with almost every task ("báo cáo UBND thành phố kết quả"): it is the output
    # only when no document is; a plan of action or rules ("phương án", "quy chế": kind "khac")
    # rank below a report, which is what the office receives.
    rank = {"bao_cao": 1, "khac": 2}
    ends = {start: _description_end(key, start) for _kind, start in found}
    # "văn bản hướng dẫn đề cương, biểu mẫu báo cáo tổng kết": a report named inside another
    # output's description is part of that output.
    found = [
        (kind, start)
        for kind, start in found
        if kind != "bao_cao" or not any(k != "bao_cao" and s < start < ends[s] for k, s in found)
    ]
    kind, start = min(found, key=lambda pair: rank.get(pair[0], 0))
    end_match = _DESCRIPTION_END.search(key, start)
    description = content[start : end_match.start() if end_match else len(content)].strip()
    description = description[:1].upper() + description[1:]
    return kind, description[:255]


# --- Segmenting ------------------------------------------------------------------------------

_MARKER = re.compile(
    r"^(?:(?P<roman>[IVX]{1,5})[.)]|(?P<arabic>\d{1,2}(?:\.\d{1,2}){0,3})[.)]"
    r"|(?P<dotted>\d{1,2}(?:\.\d{1,2}){1,3})(?= )|(?P<letter>[a-zđ])[.)]"
    r"|\((?P<paren>\d{1,2}|[a-zđ])\)|(?P<bullet>[-+•–*])(?= ))\s*"
)
_SENTENCE_END = re.compile(r"[.!?…]+[”\"']?\s+")
_ABBREVIATIONS = {"tp", "tt", "ts", "ths", "pgs", "gs", "bs", "st", "đ", "v.v", "vv", "ks"}
_INLINE_POINT = re.compile(
    r"(?:(?<=[:;])|(?<=[:;] ))\s*(?:(?P<letter>[a-zđ])\)|\((?P<n>\d{1,2}|[a-zđ])\))\s+"
)
_NAME_LIST = re.compile(
    r"(?:các|một\s+số)\s+(?:sở|ban|ngành|bộ|phường|xã|đặc\s+khu|quận|huyện|đơn\s+vị|cơ\s+quan)$"
)
_HEADER_WORDS = re.compile(
    r"nhiệm\s+vụ|nội\s+dung|công\s+việc|việc|yêu\s+cầu|giải\s+pháp|sau|như\s+sau|cụ\s+thể"
)
_DOCUMENT_KIND = re.compile(
    r"^(?:KẾ HOẠCH|THÔNG BÁO|CHỈ THỊ|QUYẾT ĐỊNH|CÔNG VĂN|NGHỊ QUYẾT|CHƯƠNG TRÌNH|KẾT LUẬN|"
    r"BÁO CÁO|TỜ TRÌNH|HƯỚNG DẪN)(?: [A-ZĐ ]+)?$|^V/v\b"
)
# Sections that explain rather than assign: "I. MỤC ĐÍCH, YÊU CẦU", "I. ĐÁNH GIÁ CHUNG".
_NOT_TASK_SECTION = re.compile(
    r"^(?:mục\s+đích|căn\s+cứ|đánh\s+giá|"
    r"tình\s+hình|sự\s+cần\s+thiết|quan\s+điểm|"
    # "II. TỒN TẠI, HẠN CHẾ", not "1. Hạn chế sử dụng túi ni lông"
    r"tồn\s+tại|hạn\s+chế(?:\s*[,:]|\s*$|\s+và\s+(?:tồn\s+tại|nguyên\s+nhân))|"
    # "II. KẾT QUẢ NĂM 2025" reports; "II. THỜI GIAN, PHẠM VI" says when and where the plan runs.
    r"kết\s+quả(?!\s+đầu\s+ra)|thời\s+gian\s*,\s*phạm\s+vi|phạm\s+vi|"
    # "I. MỤC TIÊU" states aims; "I. MỤC TIÊU, NHIỆM VỤ" also assigns.
    r"mục\s+tiêu(?![^\n]*(?:nhiệm\s+vụ|giải\s+pháp)))"
)
# The recipients and the signature close a letter: nothing after them is a task.
_STOP = re.compile(r"^(?:nơi\s+nhận|kt\.|tm\.|tl\.)", re.IGNORECASE)
# "…; các nội dung trên hoàn thành trước …": the time closing a sentence is each of its tasks'.
_ALL_ABOVE = re.compile(
    r";\s*(?:các|những|toàn\s+bộ)\s+(?:nội\s+dung|nhiệm\s+vụ|công\s+việc|việc)\s+(?:nêu\s+)?trên(?!\w)"
)
# A sentence that opens the same subject's next task: "Đồng thời, …", "Trên cơ sở đó, xây dựng
# phương án …", "Hằng năm, rà soát …" (a period of its own).
_ALSO = re.compile(rf"(?:đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|trên\s+cơ\s+sở\s+đó|{_EVERY})\s*,")
_ANNEX = re.compile(r"^(?:phụ\s+lục|\(?\s*(?:ban\s+hành\s+)?kèm\s+theo)(?!\w)", re.IGNORECASE)
_SKIP_LINE = re.compile(r"^(?:kính\s+gửi|số\s*:|v/v\b)", re.IGNORECASE)


@dataclass
class _Context:
    lead: DepartmentMention | None = None
    coordinators: list[DepartmentMention] = field(default_factory=list)
    # "… đề nghị các cơ quan sau trả lời bằng văn bản, chậm nhất ngày 28/11/2025:": the deadline
    # and output the intro sets for every point under it
    deadline: tuple[deadlines.Deadline, str] | None = None
    output: tuple[str, str] = ("", "")


@dataclass
class _Level:
    kind: str
    number: str
    heading: str = ""
    context: _Context | None = None


@dataclass
class _Piece:
    start: int
    end: int
    item_number: str
    group: str
    inherited: _Context | None
    in_list: bool = False  # a point of a list whose intro named the work ("gồm: …")
    intro: bool = False  # the words before such a list's first point
    table: dict[str, str] | None = None  # a task table row: its cells by field
    numbered: bool = False  # the first piece of a numbered or bulleted item
    # A clause cut from the sentence before: "next" (its own subject: "…; Sở Y tế chuẩn bị …"),
    # "sub" (a part of it: "…; trong đó, UBND huyện X …") or "same" (the same subject's second
    # task with its own deadline: "…, gửi trước ngày 25/01/2026; định kỳ hằng quý báo cáo …").
    clause: str = ""


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end): at ". " before a capital, not after "TP."."""
    spans = []
    cut = start
    for m in _SENTENCE_END.finditer(text, start, end):
        nxt = m.end()
        if nxt >= end:
            break
        if not (text[nxt].isupper() or text[nxt] in '“"('):
            continue
        word = re.search(r"(\w+)\W*$", text[cut : m.start() + 1])
        if word and word[1].lower() in _ABBREVIATIONS:
            continue
        spans.append((cut, m.start() + len(m[0].rstrip())))
        cut = nxt
    spans.append((cut, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_heading(body: str, has_marker: bool, has_children: bool = False) -> bool:
    """ "II. NHIỆM VỤ, GIẢI PHÁP", "1. Về phát triển kinh tế", "Về văn hóa - xã hội:"; a
    numbered line whose next numbered line is its own sub-item ("1. Xây dựng cơ chế, chính sách"
    over "1.1. …")."""
    stripped = body.strip().rstrip(":").strip()
    if not stripped or len(stripped) > 160 or stripped.endswith((".", ";")):
        return False
    if has_children:
        return True
    key = matching.marked(stripped)
    if key.startswith("về ") or key.startswith("đối với "):
        return True
    letters = [c for c in stripped if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return True
    # "5. Tổ chức thực hiện": a short numbered line, even if it opens with a verb.
    return has_marker and (
        len(stripped.split()) <= 4 or (len(stripped.split()) <= 12 and not _OBLIGATION.match(key))
    )


def _strip_marker_text(body: str) -> str:
    return body.strip().rstrip(":").strip()


# --- Proposing -------------------------------------------------------------------------------


def _content(text: str, removed: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    at = 0
    for start, end in sorted(removed):
        if start > at:
            pieces.append(text[at:start])
        at = max(at, end)
    pieces.append(text[at:])
    content = " ".join(p.strip() for p in pieces if p.strip())
    content = re.sub(r"\s+", " ", content)
    content = re.sub(r"\s+([,;.:)])", r"\1", content)
    content = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", content)
    content = re.sub(r"\(\s*\)", "", content)
    content = content.strip(" ,;:.-–+•/")
    if connector := _CONNECTOR.match(matching.marked_aligned(content)):
        content = content[connector.end() :]
    content = re.sub(r"^(?:(?:và|để|thì|cần|phải)\s+)+", "", content, flags=re.IGNORECASE)
    content = re.sub(r"[\s,;:]+(?:và|để)$", "", content)
    return content[:1].upper() + content[1:]


def _flag(proposal: Proposal, code: str, message: str) -> None:
    proposal.flag_codes.append(code)
    proposal.flags.append(message)


class _Proposer:
    def __init__(self, text: str, directory: Directory, document_date: dt.date | None):
        self.text = text
        self.directory = directory
        self.document_date = document_date
        # id(proposal) → the units it names together as its subject (see each_lead)
        self.several: dict[int, list[DepartmentMention]] = {}

    # Building pieces -------------------------------------------------------------------------

    def pieces(self) -> list[_Piece]:
        text = self.text
        out: list[_Piece] = []
        stack: list[_Level] = []
        offset = 0
        table: list[tuple[int, int]] = []
        subject = False
        recipients = False
        stopped = False
        lines = text.split("\n") + [""]
        for index, raw in enumerate(lines):
            line_start, line_end = offset, offset + len(raw)
            offset = line_end + 1
            if len(re.findall(r"(?:^| )\|(?: |$)", raw)) >= 2:
                table.append((line_start, line_end))
                continue
            if table:
                out.extend(self.table_pieces(table, stack))
                table = []
            if not raw.strip():
                subject = recipients = False
                continue
            if stopped:
                # After the recipients and the signature, only an appendix is read on ("PHỤ LỤC",
                # "(Ban hành kèm theo Quyết định số …)", a task table).
                if _ANNEX.match(raw):
                    stopped = subject = False
                    stack = []
                continue
            if _STOP.match(raw):
                stopped = True
                continue
            if _SKIP_LINE.match(raw):
                # "Kính gửi:" and the recipients listed on the lines under it.
                recipients = bool(re.match(r"(?i)kính\s+gửi", raw))
                continue
            if recipients and re.match(r"[-+•–]\s", raw):
                continue
            recipients = False
            if _DOCUMENT_KIND.match(raw):
                subject = True  # the next lines are the document's subject, not its tasks
                continue
            if subject and not _MARKER.match(raw):
                continue
            subject = False
            m = _MARKER.match(raw)
            body_start = line_start + (m.end() if m else 0)
            body = text[body_start:line_end]
            if _FIELD_START.match(matching.marked(body)) and out and not (m and m["roman"]):
                # "- Cơ quan chủ trì: …" belongs to the item above.
                out[-1].end = line_end
                continue
            if m:
                kind, number = self.marker_kind(m)
                for i, level in enumerate(stack):
                    if level.kind == kind:
                        del stack[i:]
                        break
                stack.append(_Level(kind, number))
            else:
                while stack and stack[-1].kind in {"bullet", "letter", "paren", "para"}:
                    stack.pop()
                stack.append(_Level("para", ""))
            children = bool(
                m
                and m["arabic"]
                and (
                    self.has_children(m["arabic"], lines, index)
                    or self.has_body(body, lines, index)
                )
            )
            # "1. Công an thành phố (cơ quan thường trực Tổ công tác …)" over its points: a lead
            # named alone heads them however long its standing makes the line.
            heading = _is_heading(body, bool(m), children) or (
                m is not None and self.named_alone(body) is not None
            )
            if heading and not self.is_assignment(body):
                stack[-1].heading = _strip_marker_text(body)
                # "1. Công an thành phố" over its items: the lead named alone, as "Giao Sở X:".
                stack[-1].context = self.named_alone(body)
                continue
            if any(_NOT_TASK_SECTION.match(matching.marked(level.heading)) for level in stack):
                continue
            out.extend(self.line_pieces(body_start, line_end, stack, bool(m)))
        return out

    @staticmethod
    def has_body(body: str, lines: list[str], index: int) -> bool:
        """ "1. Tuyên truyền, nâng cao nhận thức" over an unnumbered paragraph: a short title
        without a stop, whose work the paragraph under it says."""
        following = lines[index + 1] if index + 1 < len(lines) else ""
        stripped = body.strip()
        return (
            bool(following.strip())
            and not _MARKER.match(following)
            and not _FIELD_START.match(matching.marked(following.strip()))
            and not stripped.endswith((".", ";", ":", ","))
            and len(stripped.split()) <= 8
        )

    @staticmethod
    def has_children(number: str, lines: list[str], index: int) -> bool:
        """Whether the next numbered line is a sub-item of ``number`` ("1." then "1.1.")."""
        for raw in lines[index + 1 :]:
            if m := _MARKER.match(raw):
                return bool(m["arabic"] or m["dotted"]) and (m["arabic"] or m["dotted"]).startswith(
                    number.rstrip(".") + "."
                )
        return False

    @staticmethod
    def marker_kind(m: re.Match[str]) -> tuple[str, str]:
        if m["roman"]:
            return "roman", m["roman"]
        if m["arabic"]:
            depth = m["arabic"].count(".") + 1
            return f"arabic{depth}", m["arabic"]
        if m["dotted"]:
            return f"arabic{m['dotted'].count('.') + 1}", m["dotted"]
        if m["letter"]:
            return "letter", m["letter"]
        if m["paren"]:
            return "paren", m["paren"]
        return "bullet" + (m["bullet"] if m["bullet"] in "+-" else "-"), ""

    @staticmethod
    def numbering(stack: list[_Level]) -> str:
        parts: list[str] = []
        for level in stack:
            if not level.number:
                continue
            if level.kind.startswith("arabic") and "." in level.number:
                while parts and parts[-1][:1].isdigit():  # "1.2" already holds "1"
                    parts.pop()
            parts.append(level.number)
        return ".".join(parts)

    @staticmethod
    def group_of(stack: list[_Level]) -> str:
        for level in reversed(stack):
            if level.heading:
                return level.heading
        return ""

    @staticmethod
    def inherited(stack: list[_Level], upto: int) -> _Context | None:
        for level in reversed(stack[:upto]):
            if level.context is not None:
                return level.context
        return None

    def named_alone(self, body: str) -> _Context | None:
        """The lead a heading is made of, nothing else ("2. Sở Xây dựng", "UBND các xã:")."""
        text = _Text(_strip_marker_text(body))
        mentions, end = _mention_list(text, 0, self.directory)
        if not mentions or text.text[end:].strip(" .:"):
            return None
        mentions = _joined_groups(text, mentions)
        return _Context(mentions[0], mentions[1:])

    def is_assignment(self, body: str) -> bool:
        piece = _Text(body)
        reading = _read_assignment(piece, self.directory)
        return reading.lead is not None

    def line_pieces(
        self, start: int, end: int, stack: list[_Level], numbered: bool
    ) -> list[_Piece]:
        text = self.text
        item = self.numbering(stack)
        group = self.group_of(stack)
        inherited = self.inherited(stack, len(stack) - 1)
        pieces: list[_Piece] = []
        list_word = ""
        for s_start, s_end in _sentences(text, start, end):
            # "…: a) …; b) …" and "… gồm: Đề án A" become points of a list.
            cuts: list[tuple[int, str]] = []
            for m in _INLINE_POINT.finditer(text, s_start, s_end):
                cuts.append((m.start(), m["letter"] or m["n"]))
            if not cuts:
                colon = self.list_colon(s_start, s_end)
                if colon is not None:
                    cuts.append((colon, ""))
            bounds = [(s_start, "")] + cuts
            intro_piece: _Piece | None = None
            for index, (p_start, letter) in enumerate(bounds):
                p_end = bounds[index + 1][0] if index + 1 < len(bounds) else s_end
                body_start = p_start
                if letter:
                    marker = _INLINE_POINT.match(text, p_start)
                    body_start = marker.end() if marker else p_start
                while body_start < p_end and text[body_start] in " :":
                    body_start += 1
                if body_start >= p_end:
                    continue
                piece = _Piece(
                    body_start,
                    p_end,
                    f"{item}.{letter}" if item and letter else (letter or item),
                    group,
                    inherited,
                    numbered=numbered and not pieces,
                )
                if index > 0:
                    piece.in_list = True
                    if intro_piece is not None:
                        piece.inherited = self.header_context(intro_piece) or inherited
                    first = matching.marked(text[body_start:p_end]).split(" ")[:2]
                    list_word = " ".join(first)
                elif list_word and matching.marked(text[body_start:p_end]).startswith(list_word):
                    # "gồm: Đề án A. Đề án B.": the next sentences continue the list.
                    piece.in_list = True
                    piece.inherited = pieces[-1].inherited if pieces else inherited
                else:
                    list_word = ""
                if index == 0:
                    intro_piece = piece
                    piece.intro = len(bounds) > 1
                pieces.append(piece)
        pieces = [part for piece in pieces for part in self.clauses(piece)]
        # A line that ends by naming a lead alone ("Giao Sở Tài chính:") passes it on, and the
        # deadline and output its work has.
        if pieces and text[start:end].rstrip().endswith(":"):
            context = self.header_context(pieces[-1]) or _Context()
            intro = text[pieces[-1].start : pieces[-1].end]
            reading = _read_assignment(_Text(intro), self.directory)
            key = matching.marked(intro)
            scope = self.purpose_end(key)
            found = deadlines.find(intro[scope:], reference=self.document_date)
            if found is not None:
                found = (found[0], found[1], (found[2][0] + scope, found[2][1] + scope))
            removed = [*reading.removed, *([found[2]] if found else [])]
            # Only an intro that assigns the work ("đề nghị các cơ quan sau trả lời …:"), not
            # one that reports or announces ("Sau khi nghe …, kết luận như sau:").
            if (_TRIGGER.search(key) or context.lead is not None) and not (
                _PREAMBLE.match(key) or re.search(r"(?:như\s+)?sau\s*:\s*$", key)
            ):
                context.deadline = (found[0], found[1]) if found else None
                context.output = _output(_content(intro, removed), reading.product)
            if context.lead is not None or context.deadline or context.output[0]:
                stack[-1].context = context
        return pieces

    def opening_time(self, piece: _Piece) -> tuple[deadlines.Deadline, str] | None:
        """ "Trong Quý II/2026, Sở X: A; B": a time that opens the sentence covers each of its
        tasks."""
        source = self.text[piece.start : piece.end]
        found = deadlines.find(source, reference=self.document_date, adverbs=False)
        if (
            found is None
            or source[: found[2][0]].strip()
            or not source[found[2][1] :].startswith(",")
        ):
            return None
        return found[0], found[1]

    def alone(self, part: _Piece) -> bool:
        """Whether the lead's next task leaves out the partners of the one before: "X chủ trì,
        phối hợp với Y kiểm tra …; đồng thời rà soát …", "…; báo cáo Chủ tịch UBND thành phố …"
        (a report is the lead's own), "…; phối hợp với gia đình quản lý học sinh …" (its own)."""
        key = matching.marked_aligned(self.text[part.start : part.end])
        return bool(
            _CLAUSE_CONNECTOR.match(key) or _REPORTING.match(key) or _COORD_ANYWHERE.search(key)
        )

    @staticmethod
    def purpose_end(key: str) -> int:
        """Where the purpose before an intro's assignment ends: "Để chủ động ứng phó … trong mùa
        mưa năm 2026, hạn chế …, Chủ tịch UBND thành phố yêu cầu:" says why, and its times are
        not the work's deadline. 0 when there is none."""
        trigger = _TRIGGER.search(key)
        if trigger is None:
            return 0
        clause = key.rfind(",", 0, trigger.start()) + 1
        return clause if _PURPOSE.search(key, 0, clause) else 0

    def clauses(self, piece: _Piece) -> list[_Piece]:
        """A piece cut where another subject takes over ("…; UBND xã Tiên Lãng hoàn thành …",
        "…; trong đó Sở Y tế hoàn thành trước …, Sở Giáo dục và Đào tạo hoàn thành …") or where
        the same subject starts a second task with its own deadline."""
        text = self.text
        if _ATTENDANCE.match(matching.marked(text[piece.start : piece.end])):
            return [piece]  # "Tham dự cuộc họp có …; Công an thành phố; …" lists who came
        cuts: list[tuple[int, int, str]] = []  # (separator, clause start, kind)
        depth = 0
        sub = False
        last = piece.start
        # "Sở X: tổ chức A; hỗ trợ B; tổng kết …": the points of a list, each a task.
        listed = piece.in_list or self.lead_colon(piece)
        for i in range(piece.start, piece.end):
            char = text[i]
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            if depth or char not in ";," or (char == "," and not sub):
                continue
            begin = i + 1
            while begin < piece.end and text[begin] == " ":
                begin += 1
            if piece.end - begin < 8 or len(text[last:i].split()) < 3:
                continue
            kind = self.clause_kind(last, i, begin, piece.end, char, listed=listed)
            if kind:
                cuts.append((i, begin, kind))
                sub = kind == "sub" or (sub and char == ",")
                last = begin
        if not cuts:
            return [piece]
        parts = []
        covering = self.covering_time(piece)
        opening = self.opening_time(piece) or covering
        bounds = [(piece.start, "")] + [(begin, kind) for _i, begin, kind in cuts]
        ends = [i for i, _begin, _kind in cuts] + [piece.end]
        for (start, kind), end in zip(bounds, ends, strict=True):
            part = dataclasses.replace(piece, start=start, end=end, clause=kind)
            if kind:
                part.numbered = False
                part.intro = False
                if kind == "same":
                    before = _Text(text[parts[-1].start : parts[-1].end])
                    reading = _read_assignment(before, self.directory)
                    if reading.lead is not None:
                        part.inherited = _Context(
                            reading.lead, [] if self.alone(part) else reading.coordinators
                        )
                    elif parts[-1].inherited is not None:
                        # "X: a; phối hợp với Y b; c": c is X's too, without Y.
                        part.inherited = _Context(parts[-1].inherited.lead, [])
                    if part.inherited is not None and opening is not None:
                        part.inherited.deadline = opening
            elif covering is not None:
                part.inherited = dataclasses.replace(
                    part.inherited or _Context(), deadline=covering
                )
            parts.append(part)
        return parts

    def covering_time(self, piece: _Piece) -> tuple[deadlines.Deadline, str] | None:
        """ "Sở X: A; B; các nội dung trên hoàn thành trước ngày 25/01/2027": a time said to cover
        every task of the sentence."""
        source = self.text[piece.start : piece.end]
        if (every := _ALL_ABOVE.search(matching.marked_aligned(source))) is None:
            return None
        found = deadlines.find(source[every.end() :], reference=self.document_date, adverbs=False)
        return (found[0], found[1]) if found else None

    def lead_colon(self, piece: _Piece) -> bool:
        """Whether the piece opens with a lead named alone before a colon ("Sở Ngoại vụ: …")."""
        text = _Text(self.text[piece.start : piece.end])
        mentions, end = _mention_list(text, 0, self.directory)
        return bool(mentions) and re.match(r"\s*:", text.text[end:]) is not None

    def clause_kind(
        self, last: int, at: int, begin: int, end: int, separator: str, *, listed: bool = False
    ) -> str:
        """How the words from ``begin`` relate to the clause before (see _Piece.clause), or "" when
        they continue it. ``listed``: the piece is a point of a list ("Sở X: A; B; C")."""
        rest = _Text(self.text[begin:end])
        key = rest.marked
        pos = 0
        connector = _CLAUSE_CONNECTOR.match(key)
        if connector:
            pos = connector.end()
        if topic := _TOPIC.match(key, pos):
            pos = topic.end()
        mentions, mention_end = _mention_list(rest, pos, self.directory)
        if mentions:
            after = key[mention_end:].lstrip(" ")
            # A verb follows the subject ("UBND huyện An Lão trồng …"); not "phối hợp" (a list of
            # coordinators) nor a function word ("Sở X của …").
            acts = (
                _LEAD_ROLE.match(key, mention_end)
                or (_OBLIGATION.match(after) and not after.startswith("phối"))
                or (after[:1].isalpha() and not _NAME_STOP.match(after))
            )
            if acts and not _PAST.match(key, mention_end):
                sub = connector is not None and connector[0].startswith("trong")
                return "sub" if sub or separator == "," else "next"
            return ""
        if separator != ";":
            return ""
        if (trigger := _ADDRESSING.match(key, pos)) and _mention_at(
            rest, trigger.end(), self.directory
        ):
            # "…; đề nghị Ngân hàng Nhà nước … chỉ đạo …": work for another addressee.
            return "next"
        if not (_OBLIGATION.match(key, pos) or _WORK_VERB.match(key, pos)):
            return ""
        if key.startswith("phối", pos) and (coord := _COORD_ROLE.match(key, pos)):
            # "X chỉ đạo …; phối hợp với Sở Y tế kiểm tra …": X's second task, with a partner.
            partners, after = _mention_list(rest, coord.end(), self.directory)
            verb = key[after:].lstrip()
            if partners and verb[:1].isalpha() and not _NAME_STOP.match(verb):
                return "same"
        stop = key.find(";")
        right = rest.text[: stop if stop >= 0 else len(key)]
        left = self.text[last:at]
        # "đôn đốc thường xuyên" inside a clause makes its work continuous, but does not end it.
        found = deadlines.find(right, reference=self.document_date, adverbs=False)
        before = deadlines.find(left, reference=self.document_date, adverbs=False)
        # Outside a list ("Sở X: A; B; C", where every point is a task) clauses with no time
        # of their own stay one task; "…; phấn đấu năm 2026 có thêm …" is the aim of the work
        # before, not a task.
        if found is None and before is None and not listed or _TARGET.match(key, pos):
            return ""
        dated = before is not None and before[0].kind in _CALENDAR
        if _REPORTING.match(key, pos) and (found is None or not dated):
            # "rà soát …; báo cáo kết quả trước ngày 15/7/2026", "theo dõi …; tổng hợp, báo cáo
            # … 6 tháng, cả năm", "trực ban trong mùa mưa bão; định kỳ hằng tháng báo cáo …": the
            # report on the work before, one task with it.
            return ""
        # "…; hoàn thành trước ngày 31/3/2026" is the deadline of the clause before, not a task.
        work = matching.marked(_content(right, [found[2]] if found else []))
        if _SHARE_ONLY.fullmatch(work) or len(work.split()) < 3:
            return ""
        also = connector is not None and not connector[0].startswith("trong")
        # "rà soát quỹ đất …; công bố danh mục trước ngày 30/6/2026", "rà soát …; đề xuất giải
        # pháp, gửi Sở … trước ngày 10/12/2017": a short closing step, or one that hands in the
        # result, finishes the work before it. In a list ("Sở X: tổ chức A; hỗ trợ B; tổng kết,
        # báo cáo … trong tháng 12/2026") every point is a task, and so is one opened by "đồng
        # thời".
        delivers = _DELIVERY.search(matching.marked(right))
        # "…; khẩn trương khôi phục cấp điện trong vòng 24 giờ khi xảy ra sự cố": work done on a
        # condition of its own does not close the work before it.
        conditional = found is not None and bool(found[0].event) and not delivers
        closing = (len(work.split()) <= _CLOSING_WORDS and not conditional) or delivers
        if found is not None and not dated and not listed and not also and closing:
            return ""
        # "A; B trong tháng 12/2026": the time belongs to B only; "A, hoàn thành trước …;
        # theo dõi, đôn đốc …": B has none.
        return "same"

    def list_colon(self, start: int, end: int) -> int | None:
        """Where "…, gồm: Đề án A…" or "Giao Sở X: rà soát…" opens a list, or None."""
        text = self.text

        def line_start(at: int) -> int:
            return text.rfind("\n", 0, at) + 1

        for m in re.finditer(r":\s+", text[start:end]):
            at = start + m.start()
            before = matching.marked(text[start:at])
            after = text[start + m.end() : end]
            if not after or len(before.split()) < 2:
                continue
            if re.search(
                r"(?:chủ\s+trì|phối\s+hợp|thời\s+hạn|thời\s+gian[\w ]*|sản\s+phẩm|kính\s+gửi|"
                r"số|ngày|tiến\s+độ|thực\s+hiện|hoàn\s+thành)$",
                before,
            ):
                continue
            # "lãnh đạo các Sở: Tài chính, Xây dựng, …" lists names; "như Tổng Bí thư đã nhấn
            # mạnh: …" quotes what was said; "Tham dự có: …" lists who came; "Ngày 08/10/2026, …
            # chủ trì cuộc họp nghe báo cáo … các dự án: …" tells what a meeting heard.
            if (
                _NAME_LIST.search(before)
                or re.search(r"(?<!\w)(?:đã|vừa)\s", before)
                or _ACCOUNT.match(matching.marked(text[line_start(start) : at]))
                or _ATTENDANCE.match(matching.marked(text[line_start(start) : at]))
            ):
                continue
            piece = _Text(after)
            if _mention_at(piece, 0, self.directory) is not None:
                continue
            intro = _Text(text[start:at])
            reading = _read_assignment(intro, self.directory)
            lead_only = reading.lead is not None and not _content(intro.text, reading.removed)
            if after[:1].isupper() or lead_only:
                return at
        return None

    def header_context(self, piece: _Piece) -> _Context | None:
        """The lead a list's intro names for its points ("Giao Sở Tài chính chủ trì: …")."""
        text = _Text(self.text[piece.start : piece.end])
        reading = _read_assignment(text, self.directory)
        if reading.lead is None:
            return None
        content = _content(text.text, reading.removed)
        words = content.split()
        generic = len(words) <= 15 and _HEADER_WORDS.search(matching.marked(content))
        if content and not generic and not text.text.rstrip().endswith(":"):
            return None
        return _Context(reading.lead, reading.coordinators)

    def table_pieces(self, rows: list[tuple[int, int]], stack: list[_Level]) -> list[_Piece]:
        """Task table rows ("1 | Nội dung | Sở X | Sở Y | Kế hoạch | Quý II/2026")."""
        from .imports import find_header

        cells = [re.split(r" ?\| ?", self.text[s:e]) for s, e in rows]
        found = find_header(cells)
        if found is None:
            return []
        header, columns = found
        out = []
        for (start, end), row in zip(rows[header + 1 :], cells[header + 1 :], strict=True):
            piece = _Piece(start, end, "", self.group_of(stack), None)
            piece.table = {key: row[i].strip() for key, i in columns.items() if i < len(row)}
            out.append(piece)
        return out

    # Reading pieces --------------------------------------------------------------------------

    def propose(self) -> list[Proposal]:
        proposals: list[Proposal] = []
        previous: _Piece | None = None
        parent: Proposal | None = None  # the last proposal that is not a "sub" clause
        shares: list[tuple[Proposal, Proposal]] = []  # (parent, its share by one of its leads)
        for piece in self.pieces():
            if piece.table is not None:
                proposal = self.table_proposal(piece, piece.table)
                if proposal is not None:
                    proposals.append(proposal)
                continue
            if (
                previous is not None
                and proposals
                and not piece.clause
                and _ALSO.match(matching.marked(self.text[piece.start : piece.end]))
                and previous.item_number == piece.item_number
                and self.same_item(previous, piece)
                and not self.own_lead(piece)
            ):
                # "Sở Tài chính khẩn trương …. Đồng thời, cân đối, bố trí kinh phí …": the same
                # subject's next task.
                also = dataclasses.replace(piece, inherited=_Context(proposals[-1].lead))
                proposal = self.read(also, force=True)
                if proposal is not None:
                    proposals.append(proposal)
                    parent, previous = proposal, also
                    continue
            if piece.clause == "sub" and parent is not None:
                proposal = self.share(piece, parent)
                if proposal is not None:
                    shares.append((parent, proposal))
                    proposals.append(proposal)
                    previous = piece
                    continue
            proposal = self.read(piece)
            if proposal is not None and piece.clause == "sub" and parent is not None:
                if proposal.deadline is None and parent.deadline is not None:
                    # "…, hoàn thành trước Tết; trong đó, UBND huyện X tập trung …": the part
                    # shares the whole's deadline.
                    proposal.deadline = parent.deadline
                    proposal.deadline_text = parent.deadline_text
                    if parent.deadline.event:
                        proposal.flags, proposal.flag_codes = [], []
                        self.add_flags(proposal, _Reading(lead=proposal.lead))
                proposals.append(proposal)
                previous = piece
                continue
            if proposal is None:
                if (
                    previous is not None
                    and proposals
                    and self.continues(previous, piece, proposals[-1])
                ):
                    merged = dataclasses.replace(previous, end=piece.end)
                    again = self.read(merged, force=True)
                    if again is not None:
                        proposals[-1] = again
                        previous = merged
                continue
            if (
                previous is not None
                and proposals
                and not piece.clause
                and not piece.numbered
                and not piece.in_list
                and previous.item_number == piece.item_number
                and piece.item_number
                and self.same_item(previous, piece)
                and not self.own_lead(piece)
            ):
                # A second sentence of a numbered item, with no lead of its own: same task.
                merged = dataclasses.replace(previous, end=piece.end)
                again = self.read(merged, force=True)
                if again is not None:
                    proposals[-1] = again
                    previous = merged
                    continue
            proposals.append(proposal)
            parent = proposal
            previous = piece
        return self.each_lead(self.without_shared(proposals, shares))

    def share(self, piece: _Piece, parent: Proposal) -> Proposal | None:
        """ "…; trong đó Sở Y tế hoàn thành trước ngày 30/6/2026": the whole's work, done by one
        of its leads by its own deadline. None when the clause names work of its own."""
        source = self.text[piece.start : piece.end]
        text = _Text(source)
        reading = _read_assignment(text, self.directory)
        found = deadlines.find(source, reference=self.document_date)
        if reading.lead is None or found is None:
            return None
        content = _content(source, [*reading.removed, found[2]])
        if not _SHARE_ONLY.fullmatch(matching.marked(content)):
            return None
        proposal = dataclasses.replace(
            parent,
            item_number=piece.item_number,
            source=source,
            start=piece.start,
            end=piece.end,
            lead=reading.lead,
            coordinators=[],
            deadline=found[0],
            deadline_text=found[1],
            flags=[],
            flag_codes=[],
        )
        self.add_flags(proposal, reading)
        return proposal

    def without_shared(
        self, proposals: list[Proposal], shares: list[tuple[Proposal, Proposal]]
    ) -> list[Proposal]:
        """A whole whose every lead has its share ("Sở Y tế, Sở GD&ĐT hoàn thành …; trong đó
        Sở Y tế …, Sở GD&ĐT …") is dropped: its shares are the tasks, the first one's source
        reaching back to the whole's start."""
        drop: list[Proposal] = []
        for whole in {id(w): w for w, _share in shares}.values():
            parts = [share for w, share in shares if w is whole]
            leads = [m for m in [whole.lead, *whole.coordinators] if m is not None]
            covered = {self.key_of(s.lead) for s in parts if s.lead is not None}
            if leads and all(self.key_of(m) in covered for m in leads):
                first = parts[0]
                first.start = whole.start
                first.source = self.text[whole.start : first.end]
                drop.append(whole)
        return [p for p in proposals if not any(p is d for d in drop)]

    @staticmethod
    def key_of(mention: DepartmentMention) -> Any:
        return mention.department_id or matching.fold(mention.words)

    def same_item(self, previous: _Piece, piece: _Piece) -> bool:
        """Both pieces on one line (or the later one on a continuation line of the item)."""
        between = self.text[previous.end : piece.start]
        return "\n" not in between

    def own_lead(self, piece: _Piece) -> bool:
        text = _Text(self.text[piece.start : piece.end])
        return _read_assignment(text, self.directory).lead is not None

    def continues(self, previous: _Piece, piece: _Piece, proposal: Proposal) -> bool:
        """ "Thời hạn hoàn thành: …", "Báo cáo kết quả trước …": the sentence before's deadline."""
        if "\n" in self.text[previous.end : piece.start]:
            return False
        key = matching.marked(self.text[piece.start : piece.end])
        found = deadlines.find(self.text[piece.start : piece.end], reference=self.document_date)
        return bool(
            found
            and proposal.deadline is None
            and re.match(r"(?:thời\s+hạn|thời\s+gian|hoàn\s+thành|báo\s+cáo|trình|gửi)", key)
        )

    def read(self, piece: _Piece, *, force: bool = False) -> Proposal | None:
        source = self.text[piece.start : piece.end]
        text = _Text(source)
        reading = _read_assignment(text, self.directory)
        if piece.inherited is not None and reading.trigger.startswith("chỉ"):
            # "Giao Sở X: … b) Chỉ đạo Chi cục Y tăng cường …": Sở X directs Y; Sở X answers.
            reading = _Reading(product=reading.product)
        if reading.past or _BOILERPLATE.search(text.marked) or _ATTENDANCE.match(text.marked):
            return None
        found = deadlines.find(source, reference=self.document_date)
        removed = list(reading.removed)
        if found is not None:
            removed.append(found[2])
        content = _content(source, removed)
        if not content or len(content) < 8:
            return None
        content_key = matching.marked(content)
        if _EXHORTATION.match(content_key) or _ANNEX_POINTER.search(content_key):
            return None
        if (
            reading.lead is None
            and piece.inherited is None
            and not piece.numbered
            and _PREAMBLE.match(content_key)
        ):
            return None
        stripped = source.rstrip()
        if (stripped.endswith(":") or piece.intro) and (
            reading.lead is None or self.header_context(piece) is not None
        ):
            return None  # a list's intro: its points are the tasks
        lead = reading.lead
        coordinators = reading.coordinators
        inherited = piece.inherited
        if lead is None and inherited is not None:
            lead = inherited.lead
            if not coordinators:
                coordinators = list(inherited.coordinators)
        if not force and reading.lead is None and not piece.in_list:
            opens = any(
                _OBLIGATION.match(_CONNECTOR.sub("", matching.marked(words)))
                for words in (source, content)
            )
            # An item under "Giao Sở Tài chính:" is the lead's task whatever its first word, and
            # so is the same subject's next clause ("…; cấp phát kịp thời kinh phí …").
            numbered = piece.numbered or piece.clause == "same"
            if not opens and (inherited is None or inherited.lead is None or not numbered):
                return None
        said = f"{content}; {reading.bracket}" if reading.bracket else content
        kind, description = _output(said, reading.product)
        deadline, deadline_text = (found[0], found[1]) if found else (None, "")
        if found is None and (often := _OFTEN.match(content_key)):
            # "… thường xuyên rà soát, đẩy nhanh …": the work has no end.
            deadline = deadlines.Deadline("continuous", None)
            deadline_text = content[: often.end()].strip()
        if inherited is not None and not found and inherited.deadline:
            deadline, deadline_text = inherited.deadline
        if inherited is not None and not kind:
            kind, description = inherited.output
        proposal = Proposal(
            item_number=piece.item_number,
            group=piece.group,
            content=content,
            source=source,
            start=piece.start,
            end=piece.end,
            lead=lead,
            coordinators=self.unique(coordinators, lead),
            output_kind=kind,
            output_description=description,
            deadline_text=deadline_text,
            deadline=deadline,
            flags=[],
        )
        self.add_flags(proposal, reading)
        if len(reading.leads) > 1 and any(lead is m for m in reading.leads):
            self.several[id(proposal)] = reading.leads
        return proposal

    def each_lead(self, proposals: list[Proposal]) -> list[Proposal]:
        """ "UBND Xã Vĩnh Hải và UBND Xã Tứ Kỳ tổ chức kiểm điểm …": one task per unit named,
        each answering for the whole work (the source is the same sentence)."""
        out: list[Proposal] = []
        for proposal in proposals:
            leads = self.several.get(id(proposal))
            if leads is None:
                out.append(proposal)
                continue
            keys = {self.key_of(m) for m in leads}
            coordinators = [c for c in proposal.coordinators if self.key_of(c) not in keys]
            for lead in leads:
                copy = dataclasses.replace(
                    proposal, lead=lead, coordinators=list(coordinators), flags=[], flag_codes=[]
                )
                self.add_flags(copy, _Reading(lead=lead, leads=[lead]))
                out.append(copy)
        return out

    @staticmethod
    def unique(
        mentions: list[DepartmentMention], lead: DepartmentMention | None
    ) -> list[DepartmentMention]:
        seen: set[Any] = set()
        if lead is not None:
            seen.add(lead.department_id or matching.fold(lead.words))
        out = []
        for mention in mentions:
            key = mention.department_id or matching.fold(mention.words)
            if key in seen:
                continue
            seen.add(key)
            out.append(mention)
        return out

    def table_proposal(self, piece: _Piece, cells: dict[str, str]) -> Proposal | None:
        from .imports import read_output

        content = cells.get("content", "").strip()
        if not content:
            return None
        lead_text = cells.get("lead", "").strip()
        if not lead_text and not any(cells.get(k) for k in ("deadline", "coordinators")):
            return None  # a group row
        leads = self.directory.cell(lead_text) if lead_text else []
        lead = leads[0] if leads else None
        coordinators = leads[1:] + self.directory.cell(cells.get("coordinators", ""))
        deadline_text = cells.get("deadline", "").strip(" .;")
        deadline = None
        if deadline_text and deadline_text not in "-–":
            try:
                deadline = deadlines.parse(deadline_text)
            except deadlines.DeadlineError:
                found = deadlines.find(deadline_text, reference=self.document_date)
                # "Khi có thiên tai xảy ra", "Năm học 2025 - 2026": a cell that holds no date is
                # the event the work waits for.
                deadline = found[0] if found else deadlines.Deadline("", None, event=deadline_text)
        kind, description = ("", "")
        if cells.get("output"):
            kind, description = read_output(cells["output"])
            if kind == "khac" or kind == "to_trinh":
                kind = _product_kind(cells["output"]) or kind
        elif "output" not in cells:
            kind, description = _output(content, "")
        proposal = Proposal(
            item_number=cells.get("item_number") or cells.get("number", ""),
            group=piece.group,
            content=content,
            source=self.text[piece.start : piece.end],
            start=piece.start,
            end=piece.end,
            lead=lead,
            coordinators=self.unique(coordinators, lead),
            output_kind=str(kind),
            output_description=description,
            deadline_text=deadline_text if deadline else "",
            deadline=deadline,
            flags=[],
        )
        self.add_flags(proposal, _Reading(lead=lead, leads=[lead] if lead else []))
        return proposal

    def add_flags(self, proposal: Proposal, reading: _Reading) -> None:
        lead = proposal.lead
        # A lead joined from several groups is not one of reading.leads: several_leads says it.
        joined = reading.lead is lead and bool(reading.leads) and lead not in reading.leads
        if lead is None:
            _flag(proposal, "no_lead", _("Chưa xác định được cơ quan chủ trì."))
        elif lead.department_id is None and not lead.group and not joined:
            if lead.candidates:
                _flag(
                    proposal,
                    "unknown_lead",
                    _("Cơ quan chủ trì “%(words)s” chưa khớp danh mục; gần nhất: %(names)s.")
                    % {"words": lead.words, "names": "; ".join(c.name for c in lead.candidates)},
                )
            else:
                _flag(
                    proposal,
                    "unknown_lead",
                    _("Cơ quan chủ trì “%(words)s” không có trong danh mục đơn vị.")
                    % {"words": lead.words},
                )
        if len(reading.leads) > 1:
            _flag(
                proposal,
                "several_leads",
                _("Văn bản giao cho nhiều cơ quan (%(names)s): chọn một cơ quan chủ trì.")
                % {"names": "; ".join(m.words for m in reading.leads)},
            )
        deadline = proposal.deadline
        if deadline is not None and deadline.event:
            _flag(
                proposal,
                "event",
                _("Thời hạn gắn với sự kiện, chưa có ngày: %(words)s.") % {"words": deadline.event},
            )
        if (
            deadline is not None
            and deadline.due_date is not None
            and self.document_date is not None
            and deadline.due_date < self.document_date
        ):
            _flag(
                proposal,
                "before_document",
                _("Thời hạn (%(due)s) sớm hơn ngày ban hành văn bản (%(date)s).")
                % {
                    "due": deadline.due_date.strftime("%d/%m/%Y"),
                    "date": self.document_date.strftime("%d/%m/%Y"),
                },
            )


def propose(
    text: str, *, directory: Directory, document_date: dt.date | None = None
) -> list[Proposal]:
    """The tasks a directive's text assigns, in the order written."""
    return _Proposer(normalise(text), directory, document_date).propose()
