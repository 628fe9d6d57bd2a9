"""Demo data: Hải Phòng's departments, demo accounts, the directives and tasks of the seed articles.

Everything here is data (plain tuples and dataclasses) plus ``load_demo``, which writes it
through the same services people use (tracker/directives.py, tracker/workflow.py), passing
``at=`` so each task gets a believable history. Departments, users, groups and indicators have
no service and are written with the ORM.

The story is told as of ``today``:
- tasks from the 11/12/2025 conference and from 7/NQ-CP have fixed dates (Dec 2025 to May 2026);
- tasks from the 16/03/2026 working session and the ward tasks take their dates relative to
  ``today`` (due in 2 days, due in 45 days, assigned 2 days ago…), so that every timeliness
  bucket shows whatever day the command is run;
- no service is ever called with a moment later than now or than the end of ``today``: a step
  that would be is skipped, with the rest of that task's story.

Running it again creates nothing and changes nothing: departments are matched by code, users
by username, directives by issuer + symbol + date (by kind + issuer + date without a symbol),
tasks by directive + item number, indicators by directive + code.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Department, DepartmentKind, User
from accounts.roles import Role, sync_role_groups

from . import deadlines, workflow
from .directives import directive_create
from .models import (
    DeadlineKind,
    Directive,
    DirectiveKind,
    Indicator,
    IndicatorPeriod,
    IndicatorValue,
    OutputKind,
    QualityGrade,
    ReportFrequency,
    Task,
    TaskState,
    Urgency,
)
from .timeliness import Bucket

HN = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "DonDoc@2025"  # noqa: S105 - shared password of the demo accounts, printed on purpose
MAIL_DOMAIN = "demo.haiphong.gov.vn"
# The fixed part of the story runs to the end of May 2026: an earlier "today" would show it
# half told (and the 16/03/2026 working session would not have happened yet).
EARLIEST_TODAY = dt.date(2026, 6, 1)


class DemoError(ValueError):
    """The demo cannot be loaded as asked; the message is for the person running it."""


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- Departments -----------------------------------------------------------------------------

# (code, name as in haiphong_departments_2025.csv). All are "sở, ban, ngành".
CITY_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("VPUBND", "Văn phòng Ủy ban nhân dân thành phố"),
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SCT", "Sở Công Thương"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("STP", "Sở Tư pháp"),
    ("SNGV", "Sở Ngoại vụ"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế Hải Phòng"),
    ("TTTP", "Thanh tra thành phố"),
)

# The 114 wards, communes and special zones (Nghị định 293/2025/NĐ-CP), spelled as in
# haiphong_wards_communes_2025.csv (Thuỷ, Hoà kept as they are): (kind, name).
WARD_PREFIXES = {"phường": "P", "xã": "X", "đặc khu": "DK"}
WARDS: tuple[tuple[str, str], ...] = (
    ("phường", "Thuỷ Nguyên"),
    ("phường", "Thiên Hương"),
    ("phường", "Hoà Bình"),
    ("phường", "Nam Triệu"),
    ("phường", "Bạch Đằng"),
    ("phường", "Lưu Kiếm"),
    ("phường", "Lê Ích Mộc"),
    ("phường", "Hồng Bàng"),
    ("phường", "Hồng An"),
    ("phường", "Ngô Quyền"),
    ("phường", "Gia Viên"),
    ("phường", "Lê Chân"),
    ("phường", "An Biên"),
    ("phường", "Hải An"),
    ("phường", "Đông Hải"),
    ("phường", "Kiến An"),
    ("phường", "Phù Liễn"),
    ("phường", "Nam Đồ Sơn"),
    ("phường", "Đồ Sơn"),
    ("phường", "Hưng Đạo"),
    ("phường", "Dương Kinh"),
    ("phường", "An Dương"),
    ("phường", "An Hải"),
    ("phường", "An Phong"),
    ("phường", "Hải Dương"),
    ("phường", "Lê Thanh Nghị"),
    ("phường", "Việt Hoà"),
    ("phường", "Thành Đông"),
    ("phường", "Nam Đồng"),
    ("phường", "Tân Hưng"),
    ("phường", "Thạch Khôi"),
    ("phường", "Tứ Minh"),
    ("phường", "Ái Quốc"),
    ("phường", "Chu Văn An"),
    ("phường", "Chí Linh"),
    ("phường", "Trần Hưng Đạo"),
    ("phường", "Nguyễn Trãi"),
    ("phường", "Trần Nhân Tông"),
    ("phường", "Lê Đại Hành"),
    ("phường", "Kinh Môn"),
    ("phường", "Nguyễn Đại Năng"),
    ("phường", "Trần Liễu"),
    ("phường", "Bắc An Phụ"),
    ("phường", "Phạm Sư Mạnh"),
    ("phường", "Nhị Chiểu"),
    ("xã", "An Hưng"),
    ("xã", "An Khánh"),
    ("xã", "An Quang"),
    ("xã", "An Trường"),
    ("xã", "An Lão"),
    ("xã", "Kiến Thuỵ"),
    ("xã", "Kiến Minh"),
    ("xã", "Kiến Hải"),
    ("xã", "Kiến Hưng"),
    ("xã", "Nghi Dương"),
    ("xã", "Quyết Thắng"),
    ("xã", "Tiên Lãng"),
    ("xã", "Tân Minh"),
    ("xã", "Tiên Minh"),
    ("xã", "Chấn Hưng"),
    ("xã", "Hùng Thắng"),
    ("xã", "Vĩnh Bảo"),
    ("xã", "Nguyễn Bỉnh Khiêm"),
    ("xã", "Vĩnh Am"),
    ("xã", "Vĩnh Hải"),
    ("xã", "Vĩnh Hoà"),
    ("xã", "Vĩnh Thuận"),
    ("xã", "Vĩnh Thịnh"),
    ("xã", "Việt Khê"),
    ("xã", "Nam An Phụ"),
    ("xã", "Nam Sách"),
    ("xã", "Thái Tân"),
    ("xã", "Hợp Tiến"),
    ("xã", "Trần Phú"),
    ("xã", "An Phú"),
    ("xã", "Cẩm Giang"),
    ("xã", "Cẩm Giàng"),
    ("xã", "Tuệ Tĩnh"),
    ("xã", "Mao Điền"),
    ("xã", "Kẻ Sặt"),
    ("xã", "Bình Giang"),
    ("xã", "Đường An"),
    ("xã", "Thượng Hồng"),
    ("xã", "Gia Lộc"),
    ("xã", "Yết Kiêu"),
    ("xã", "Gia Phúc"),
    ("xã", "Trường Tân"),
    ("xã", "Tứ Kỳ"),
    ("xã", "Tân Kỳ"),
    ("xã", "Đại Sơn"),
    ("xã", "Chí Minh"),
    ("xã", "Lạc Phượng"),
    ("xã", "Nguyên Giáp"),
    ("xã", "Nguyễn Lương Bằng"),
    ("xã", "Phú Thái"),
    ("xã", "Lai Khê"),
    ("xã", "An Thành"),
    ("xã", "Kim Thành"),
    ("đặc khu", "Cát Hải"),
    ("xã", "Thanh Hà"),
    ("xã", "Hà Tây"),
    ("xã", "Hà Bắc"),
    ("xã", "Hà Nam"),
    ("xã", "Hà Đông"),
    ("xã", "Ninh Giang"),
    ("xã", "Vĩnh Lại"),
    ("xã", "Khúc Thừa Dụ"),
    ("xã", "Tân An"),
    ("xã", "Hồng Châu"),
    ("xã", "Thanh Miện"),
    ("xã", "Bắc Thanh Miện"),
    ("xã", "Nam Thanh Miện"),
    ("xã", "Hải Hưng"),
    ("đặc khu", "Bạch Long Vĩ"),
)


def ascii_fold(text: str) -> str:
    """Drop the marks: "Thuỷ Nguyên" → "Thuy Nguyen"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c) and ord(c) < 128)


def ascii_code(text: str) -> str:
    """ "Thuỷ Nguyên" → "THUYNGUYEN": no marks, no spaces, upper case."""
    return re.sub(r"[^A-Za-z0-9]", "", ascii_fold(text)).upper()


def ward_rows() -> list[tuple[str, str]]:
    """(code, name) of each ward: P-THUYNGUYEN, "UBND Phường Thuỷ Nguyên".

    Two names fold to the same code (Xã Cẩm Giang, Xã Cẩm Giàng): the later one in the list
    gets a number, X-CAMGIANG2, so codes stay unique and stable from run to run.
    """
    rows, seen = [], Counter[str]()
    for kind, name in WARDS:
        base = f"{WARD_PREFIXES[kind]}-{ascii_code(name)}"
        seen[base] += 1
        code = base if seen[base] == 1 else f"{base}{seen[base]}"
        full_name = f"{kind[0].upper()}{kind[1:]} {name}"
        rows.append((code, f"UBND {full_name}"))
    return rows


def mailbox(code: str) -> str:
    return f"{code.lower()}@{MAIL_DOMAIN}"


# --- Demo accounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    last_name: str  # family and middle names
    first_name: str  # given name
    role: Role
    department: str | None  # code
    position: str
    is_staff: bool = False
    is_superuser: bool = False
    heads_department: bool = False


def _department_people(code: str, head: tuple[str, str], staff: tuple[str, str]) -> list:
    prefix = code.lower()
    return [
        DemoAccount(
            f"{prefix}.giamdoc", *head, Role.DEPARTMENT_HEAD, code, "Giám đốc",
            heads_department=True,
        ),
        DemoAccount(f"{prefix}.chuyenvien", *staff, Role.DEPARTMENT_STAFF, code, "Chuyên viên"),
    ]  # fmt: skip


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "quantri", "Trần Minh", "Quân", Role.ADMINISTRATOR, None, "Quản trị hệ thống",
        is_staff=True, is_superuser=True,
    ),
    DemoAccount(
        "vanphong", "Nguyễn Thị Thu", "Hà", Role.TRACKING_OFFICE, "VPUBND",
        "Chuyên viên theo dõi nhiệm vụ", is_staff=True,
    ),
    DemoAccount(
        "lanhdao", "Phạm Văn", "Hùng", Role.LEADER, "VPUBND", "Phó Chủ tịch UBND thành phố",
        is_staff=True,
    ),
    DemoAccount(
        "thanhtra", "Đỗ Quang", "Huy", Role.INSPECTOR, "TTTP", "Thanh tra viên", is_staff=True
    ),
    *_department_people("STC", ("Vũ Đức", "Thắng"), ("Lê Thị Mai", "Anh")),
    *_department_people("SXD", ("Hoàng Văn", "Long"), ("Bùi Thanh", "Tùng")),
    *_department_people("SVHTTDL", ("Đặng Thị Lan", "Hương"), ("Ngô Minh", "Tuấn")),
    *_department_people("SYT", ("Trịnh Quốc", "Bảo"), ("Phan Thị Ngọc", "Ánh")),
    *_department_people("SGDDT", ("Mai Xuân", "Trường"), ("Dương Thị Thanh", "Hoa")),
)  # fmt: skip

OFFICE_USERNAME = "vanphong"
LEADER_USERNAME = "lanhdao"


# --- Directives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDirective:
    key: str
    kind: str
    symbol: str
    issuer: str
    issue_date: dt.date
    summary: str
    signer: str = ""
    full_text: str = ""
    implements: tuple[str, ...] = ()  # keys of directives listed before this one
    leader_in_charge: str = ""  # username


CONFERENCE_TEXT = """\
Ý kiến chỉ đạo của đồng chí Lê Ngọc Châu, Phó Bí thư Thành ủy, Bí thư Đảng ủy, Chủ tịch UBND \
thành phố tại Hội nghị học tập, quán triệt Nghị quyết Đại hội và Chương trình hành động thực \
hiện Nghị quyết Đại hội Đảng bộ UBND thành phố lần thứ I, nhiệm kỳ 2025 – 2030 (chiều 11/12/2025).

Mục tiêu: tăng trưởng GRDP giai đoạn 2026 - 2030 đạt từ 13% trở lên, phấn đấu đạt 14%. Nghị \
quyết Đại hội Đảng bộ UBND thành phố đã xác định 21 chỉ tiêu về kinh tế - xã hội, 13 chỉ tiêu \
về xây dựng tổ chức Đảng.

1. Tiếp tục tổ chức học tập, quán triệt, tuyên truyền sâu rộng Nghị quyết và Chương trình hành \
động trong toàn Đảng bộ, bảo đảm thiết thực, hiệu quả, tạo sự thống nhất cao về nhận thức và \
hành động. Mỗi chương trình, đề án, dự án, nhiệm vụ đều phải được thiết kế kèm theo yêu cầu về \
chất lượng, tiến độ, kết quả đầu ra cụ thể.

2. Kịp thời nhận diện những “điểm nghẽn, nút thắt” trong phát triển kinh tế - xã hội để tập \
trung tháo gỡ, nhất là trong các lĩnh vực quy hoạch, giải phóng mặt bằng, thủ tục đầu tư và đất \
đai; phấn đấu hoàn thành mục tiêu tăng trưởng GRDP từ 13% đến 14%.

3. Siết chặt kỷ luật, kỷ cương trong thực thi công vụ; tăng cường kiểm tra, giám sát, đôn đốc \
thường xuyên; kiên quyết khắc phục triệt để tình trạng “chọn việc để làm; dễ làm khó bỏ; làm \
cho xong; làm để đối phó; đùn đẩy, vô cảm trước khó khăn, vướng mắc của người dân, doanh nghiệp”.

4. Các Sở, ban, ngành khẩn trương tham mưu UBND thành phố tổ chức triển khai thực hiện ngay 45 \
Nghị quyết về các cơ chế chính sách và các vấn đề về kinh tế - xã hội vừa được HĐND thành phố \
thông qua tại Kỳ họp thường lệ cuối năm 2025, bảo đảm kịp thời, đồng bộ và hiệu quả, hoàn thành \
trước ngày 15/12/2025.

5. Tập trung, khẩn trương hoàn thành lập Điều chỉnh quy hoạch thành phố thời kỳ 2021 - 2030, \
tầm nhìn đến năm 2050 và Quy hoạch chung thành phố Hải Phòng đến năm 2050, tầm nhìn đến năm 2075.

6. Tập trung xây dựng Kịch bản tăng trưởng kinh tế năm 2026; Kế hoạch giải ngân vốn đầu tư công \
năm 2026; Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030 và Kế hoạch đầu tư công năm 2026 \
theo hướng trọng tâm, trọng điểm; sát thực tế; giao chỉ tiêu cụ thể cho từng khu vực, từng Sở, \
ngành, từng địa phương (đối với kịch bản tăng trưởng kinh tế); rõ nguồn lực, tiến độ, trách \
nhiệm (đối với kịch bản giải ngân vốn đầu tư công).

7. Xây dựng hoàn thành và triển khai có hiệu quả các đề án: Đề án xây dựng Hải Phòng trở thành \
thành phố Âm nhạc giai đoạn 2026 - 2030, định hướng đến năm 2045; Đề án tổng thể phát triển du \
lịch thành phố Hải Phòng đến năm 2030, định hướng đến năm 2045; Đề án phát triển thể dục, thể \
thao thành phố Hải Phòng đến năm 2030, định hướng đến năm 2045; Đề án phát triển bóng đá thành \
phố Hải Phòng đến năm 2030, tầm nhìn đến năm 2045; Đề án phát triển giáo dục và đào tạo thành \
phố Hải Phòng đến năm 2030, tầm nhìn đến năm 2045 để thực hiện Nghị quyết số 71 của Bộ Chính trị; \
Đề án nâng cao năng lực hệ thống y tế thành phố Hải Phòng để triển khai Nghị quyết số 72 của Bộ \
Chính trị."""

WORKING_SESSION_TEXT = """\
Ý kiến chỉ đạo của Tổng Bí thư Tô Lâm tại buổi làm việc với Ban Chấp hành Đảng bộ thành phố Hải \
Phòng (sáng 16/3/2026).

1. Hải Phòng cần duy trì tốc độ tăng trưởng cao và bền vững, gắn với hiện đại hóa, xanh hóa, số \
hóa và nâng cao chất lượng sống của nhân dân; phát huy lợi thế để trở thành trung tâm công nghiệp \
hiện đại, logistics quốc tế và kinh tế biển tổng hợp của Việt Nam.

2. Đặc biệt quan tâm đến lực lượng lao động, nhất là công nhân trong các khu công nghiệp, công \
nhân cảng biển, người lao động nhập cư và các nhóm yếu thế. Phát triển công nghiệp phải gắn với \
phát triển đồng bộ hạ tầng xã hội cho người lao động. Đẩy mạnh chương trình phát triển nhà ở xã \
hội, khu lưu trú công nhân, đồng thời xây dựng các thiết chế văn hóa, giáo dục, y tế, nhà trẻ và \
dịch vụ công cộng ngay trong hoặc gần các khu công nghiệp để người lao động có điều kiện sinh \
sống ổn định, an toàn và nhân văn.

3. Tiếp tục hoàn thiện công tác quy hoạch; bảo tồn các khu phố cổ, các di tích lịch sử, văn hóa, \
cách mạng."""

DIRECTIVES: tuple[DemoDirective, ...] = (
    DemoDirective(
        "45-NQ/TW", DirectiveKind.NGHI_QUYET, "45-NQ/TW", "Bộ Chính trị", dt.date(2019, 1, 24),
        "Về xây dựng và phát triển thành phố Hải Phòng đến năm 2030, tầm nhìn đến năm 2045",
    ),
    DemoDirective(
        "96-KL/TW", DirectiveKind.KET_LUAN, "96-KL/TW", "Bộ Chính trị", dt.date(2024, 9, 30),
        "Về tiếp tục thực hiện Nghị quyết số 45-NQ/TW ngày 24/01/2019 của Bộ Chính trị khóa XII "
        "về xây dựng và phát triển thành phố Hải Phòng đến năm 2030, tầm nhìn đến năm 2045",
        implements=("45-NQ/TW",),
    ),
    DemoDirective(
        "7/NQ-CP", DirectiveKind.NGHI_QUYET, "7/NQ-CP", "Chính phủ", dt.date(2025, 1, 10),
        "Ban hành Chương trình hành động của Chính phủ thực hiện Kết luận số 96-KL/TW ngày "
        "30/9/2024 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số 45-NQ/TW ngày 24/01/2019 "
        "của Bộ Chính trị khóa XII về xây dựng và phát triển thành phố Hải Phòng đến năm 2030, "
        "tầm nhìn đến năm 2045",
        implements=("96-KL/TW",), leader_in_charge=LEADER_USERNAME,
    ),
    DemoDirective(
        "35-CT/TW", DirectiveKind.CHI_THI, "35-CT/TW", "Bộ Chính trị", dt.date(2024, 6, 14),
        "Về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng "
        "(đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030)",
    ),
    DemoDirective(
        "71-NQ/TW", DirectiveKind.NGHI_QUYET, "71-NQ/TW", "Bộ Chính trị", dt.date(2025, 8, 22),
        "Về đột phá phát triển giáo dục và đào tạo",
    ),
    DemoDirective(
        "72-NQ/TW", DirectiveKind.NGHI_QUYET, "72-NQ/TW", "Bộ Chính trị", dt.date(2025, 9, 9),
        "Về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân",
    ),
    DemoDirective(
        "226/2025/QH15", DirectiveKind.NGHI_QUYET, "226/2025/QH15", "Quốc hội",
        dt.date(2025, 6, 27),
        "Về thí điểm bổ sung một số cơ chế, chính sách đặc thù phát triển thành phố Hải Phòng",
    ),
    DemoDirective(
        "HN-11/12/2025", DirectiveKind.Y_KIEN_CHI_DAO, "", "Đảng ủy UBND thành phố Hải Phòng",
        dt.date(2025, 12, 11),
        "Ý kiến chỉ đạo của Bí thư Đảng ủy, Chủ tịch UBND thành phố Lê Ngọc Châu tại Hội nghị "
        "học tập, quán triệt Nghị quyết Đại hội và Chương trình hành động thực hiện Nghị quyết "
        "Đại hội Đảng bộ UBND thành phố lần thứ I, nhiệm kỳ 2025–2030",
        signer="Lê Ngọc Châu", full_text=CONFERENCE_TEXT, implements=("7/NQ-CP",),
        leader_in_charge=LEADER_USERNAME,
    ),
    DemoDirective(
        "TBT-16/03/2026", DirectiveKind.Y_KIEN_CHI_DAO, "", "Tổng Bí thư Tô Lâm",
        dt.date(2026, 3, 16),
        "Ý kiến chỉ đạo của Tổng Bí thư Tô Lâm tại buổi làm việc với Ban Thường vụ Thành ủy, "
        "Ban Chấp hành Đảng bộ thành phố Hải Phòng",
        signer="Tô Lâm", full_text=WORKING_SESSION_TEXT, implements=("45-NQ/TW",),
        leader_in_charge=LEADER_USERNAME,
    ),
)  # fmt: skip


# --- Moments and deadlines -------------------------------------------------------------------


def on(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A fixed moment, Hà Nội time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=HN)


@dataclass(frozen=True)
class Ago:
    """A moment ``days`` before ``today`` at hh:mm, Hà Nội time."""

    days: int
    hour: int = 8
    minute: int = 0

    def moment(self, today: dt.date) -> dt.datetime:
        day = today - dt.timedelta(days=self.days)
        return dt.datetime.combine(day, dt.time(self.hour, self.minute), tzinfo=HN)


Moment = dt.datetime | Ago


@dataclass(frozen=True)
class DueIn:
    """A deadline ``days`` after ``today``; for a month or quarter, the end of the period that
    contains that day."""

    days: int
    kind: str = DeadlineKind.DATE

    def resolve(self, today: dt.date) -> tuple[str, dt.date]:
        day = today + dt.timedelta(days=self.days)
        return self.kind, deadlines.period_end(self.kind, day)


@dataclass(frozen=True)
class Periodic:
    """A periodic report: each period has its own due date; the task runs until ``until``."""

    frequency: str
    until: dt.date

    def resolve(self, today: dt.date) -> tuple[str, dt.date]:
        return DeadlineKind.PERIODIC, self.until


Deadline = str | DueIn | Periodic  # str: as agencies write it, read by tracker.deadlines.parse


def resolve_deadline(deadline: Deadline, today: dt.date) -> tuple[str, dt.date | None]:
    if isinstance(deadline, str):
        parsed = deadlines.parse(deadline)
        return parsed.kind, parsed.due_date
    return deadline.resolve(today)


# --- Task histories --------------------------------------------------------------------------

# Who takes a step: "office" (vanphong), "leader" (lanhdao), "head" / "staff" of the current lead
# department, or "coord:CODE" (staff of a coordinating department). A department without demo
# accounts is acted for by the office, which records what arrived on paper.


@dataclass(frozen=True)
class Step:
    action: str
    at: Moment
    by: str
    args: Mapping[str, Any] = field(default_factory=dict)


def accept(at: Moment, *, by: str = "head", note: str = "") -> Step:
    return Step("accept", at, by, {"note": note})


def give(at: Moment, *, by: str = "head") -> Step:
    """The head gives the task to the department's demo chuyên viên."""
    return Step("give", at, by)


def report(
    at: Moment,
    percent: int,
    results: str,
    *,
    difficulties: str = "",
    proposals: str = "",
    by: str = "staff",
) -> Step:
    args = {"percent": percent, "results": results}
    return Step("report", at, by, {**args, "difficulties": difficulties, "proposals": proposals})


def ask_extension(at: Moment, to: dt.date, reason: str, *, by: str = "head") -> Step:
    return Step("extend", at, by, {"requested_due_date": to, "reason": reason})


def approve_extension(
    at: Moment, number: str, date: dt.date, *, note: str = "", by: str = "leader"
) -> Step:
    return Step("approve", at, by, {"decision_number": number, "decision_date": date, "note": note})


def submit(
    at: Moment,
    summary: str,
    *,
    number: str = "",
    date: dt.date | None = None,
    pdf: str = "",
    by: str = "staff",
) -> Step:
    return Step(
        "submit",
        at,
        by,
        {"summary": summary, "number": number, "date": date, "pdf": pdf},
    )


def complete(
    at: Moment, grade: str = QualityGrade.GOOD, remarks: str = "", *, by: str = "office"
) -> Step:
    return Step("complete", at, by, {"quality_grade": grade, "remarks": remarks})


def send_back(at: Moment, reasons: str, *, by: str = "office") -> Step:
    return Step("return", at, by, {"reasons": reasons})


def decline(at: Moment, reason: str, *, by: str = "head") -> Step:
    return Step("decline", at, by, {"reason": reason})


def reassign(at: Moment, to: str, note: str = "", *, by: str = "office") -> Step:
    return Step("reassign", at, by, {"to": to, "note": note})


def pause(at: Moment, reason: str, *, by: str = "leader") -> Step:
    return Step("pause", at, by, {"reason": reason})


def withdraw(at: Moment, reason: str, *, by: str = "leader") -> Step:
    return Step("withdraw", at, by, {"reason": reason})


@dataclass(frozen=True)
class DemoTask:
    directive: str  # DemoDirective.key
    item: str  # item number, unique within the directive: how a rerun recognises the task
    group: str
    content: str
    lead: str  # department code
    deadline: Deadline
    created: Moment
    output_kind: str
    output_description: str
    quality_requirement: str = ""
    coordinators: tuple[tuple[str, str], ...] = ()  # (department code, its part)
    urgency: str = Urgency.THUONG
    steps: tuple[Step, ...] = ()
    # Steps that depend on "today" (a monthly report for each month gone by).
    more_steps: Callable[[dt.date], tuple[Step, ...]] | None = None


G_NQ_HDND = "Triển khai 45 Nghị quyết HĐND thành phố (Kỳ họp thường lệ cuối năm 2025)"
G_QUY_HOACH = "Quy hoạch"
G_TANG_TRUONG = "Kịch bản tăng trưởng, đầu tư công năm 2026"
G_DE_AN = "Đề án lĩnh vực văn hóa, thể thao, du lịch, giáo dục, y tế"
G_KY_CUONG = "Kỷ luật, kỷ cương; chế độ báo cáo"
G_DIA_PHUONG = "Nhiệm vụ của UBND cấp xã"
G_CTHD = "Chương trình hành động thực hiện Kết luận số 96-KL/TW"
G_NGUOI_LAO_DONG = "Hạ tầng xã hội cho người lao động"

_HN = "HN-11/12/2025"
_TBT = "TBT-16/03/2026"
_NQ7 = "7/NQ-CP"
_DONE_15_12 = "Hoàn thành đúng hạn, đúng yêu cầu."
_DEMO_FIGURES = "(số liệu minh họa)"


def _monthly_grdp_reports(today: dt.date) -> tuple[Step, ...]:
    """One report by the 5th of each month for the month before, from January 2026."""
    growth = ["9,8", "10,4", "11,2", "11,6", "12,1", "12,4", "12,6", "12,9", "13,0", "13,1"]
    steps: list[Step] = []
    month = dt.date(2026, 1, 1)
    count = 0
    while True:
        due = deadlines.month_end(month.year, month.month) + dt.timedelta(days=5)
        if due >= today:
            break
        count += 1
        figure = growth[min(count - 1, len(growth) - 1)]
        steps.append(
            report(
                on(due.year, due.month, due.day, 9, 0),
                min(100, round(count * 100 / 60)),
                f"Báo cáo tháng {month:%m/%Y}: tăng trưởng GRDP ước lũy kế đạt {figure}% so với "
                f"cùng kỳ {_DEMO_FIGURES}; đã cập nhật tiến độ thực hiện chỉ tiêu của các sở, "
                "ngành, địa phương theo Kịch bản tăng trưởng năm 2026.",
                difficulties=(
                    "Một số xã, phường mới sắp xếp chưa có số liệu thống kê đầy đủ."
                    if count <= 3
                    else ""
                ),
            )
        )
        month = due.replace(day=1)
    return tuple(steps)


TASKS: tuple[DemoTask, ...] = (
    # --- 11/12/2025: the 45 resolutions of the city council, all due 15/12/2025 --------------
    DemoTask(
        _HN, "4.1", G_NQ_HDND,
        "Tham mưu UBND thành phố tổ chức triển khai ngay các Nghị quyết HĐND thành phố thuộc lĩnh "
        "vực tài chính, ngân sách: dự toán thu, chi và phân bổ ngân sách năm 2026; phân cấp nguồn "
        "thu, nhiệm vụ chi giữa các cấp ngân sách; phí, lệ phí trên địa bàn thành phố.",
        "STC", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.QUYET_DINH,
        "Quyết định của UBND thành phố giao dự toán ngân sách năm 2026 và các văn bản hướng dẫn "
        "thực hiện Nghị quyết HĐND thuộc lĩnh vực tài chính",
        "Kịp thời, đồng bộ, hiệu quả; ban hành trước ngày 15/12/2025.",
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 14, 0)),
            give(on(2025, 12, 12, 14, 5)),
            report(
                on(2025, 12, 13, 16, 30), 60,
                "Đã dự thảo Quyết định giao dự toán thu, chi ngân sách năm 2026 cho các sở, ngành "
                "và 114 xã, phường, đặc khu; đang lấy ý kiến thẩm định của Sở Tư pháp.",
            ),
            submit(
                on(2025, 12, 15, 16, 0),
                "UBND thành phố đã ban hành Quyết định giao dự toán ngân sách năm 2026 và văn bản "
                "hướng dẫn thực hiện các Nghị quyết HĐND về phân cấp nguồn thu, phí, lệ phí.",
                number="4512/QĐ-UBND", date=dt.date(2025, 12, 15), pdf="qd-giao-du-toan-2026.pdf",
            ),
            complete(on(2025, 12, 18, 10, 0), QualityGrade.GOOD, _DONE_15_12),
        ),
    ),
    DemoTask(
        _HN, "4.2", G_NQ_HDND,
        "Tham mưu triển khai các Nghị quyết HĐND thành phố về tổ chức bộ máy, biên chế và chế độ, "
        "chính sách đối với cán bộ, công chức, viên chức sau hợp nhất đơn vị hành chính.",
        "SNV", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.KE_HOACH,
        "Kế hoạch của UBND thành phố triển khai các Nghị quyết HĐND thuộc lĩnh vực nội vụ",
        "Kịp thời, đồng bộ, hiệu quả; hoàn thành trước ngày 15/12/2025.",
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 15, 0), note="Sở Nội vụ tiếp nhận (văn bản giấy)."),
            report(
                on(2025, 12, 15, 17, 0), 85,
                "Đã hoàn thiện dự thảo Kế hoạch; còn chờ ý kiến của Sở Tài chính về kinh phí "
                "thực hiện chính sách.",
                difficulties="Kinh phí thực hiện chế độ, chính sách đối với người nghỉ việc sau "
                "sắp xếp chưa được bố trí đủ.",
            ),
            submit(
                on(2025, 12, 17, 10, 30),
                "UBND thành phố đã ban hành Kế hoạch triển khai các Nghị quyết HĐND về tổ chức bộ "
                "máy, biên chế và chế độ, chính sách.",
                number="318/KH-UBND", date=dt.date(2025, 12, 17),
            ),
            complete(
                on(2025, 12, 19, 9, 0), QualityGrade.MEETS,
                "Đạt yêu cầu; hoàn thành chậm 02 ngày so với thời hạn 15/12/2025.",
            ),
        ),
    ),
    DemoTask(
        _HN, "4.3", G_NQ_HDND,
        "Rà soát tính hợp hiến, hợp pháp; lập danh mục văn bản quy định chi tiết và phân công cơ "
        "quan chủ trì soạn thảo để triển khai 45 Nghị quyết của HĐND thành phố; đăng Công báo "
        "thành phố theo quy định.",
        "STP", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo kết quả rà soát và Danh mục văn bản quy định chi tiết 45 Nghị quyết",
        "Đầy đủ, đúng thẩm quyền; rõ cơ quan chủ trì soạn thảo và thời hạn trình.",
        coordinators=(("VPUBND", "Đăng Công báo, Cổng Thông tin điện tử thành phố"),),
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 9, 30)),
            submit(
                on(2025, 12, 15, 10, 0),
                "Báo cáo kết quả rà soát và Danh mục văn bản quy định chi tiết 45 Nghị quyết.",
                number="285/BC-STP", date=dt.date(2025, 12, 15),
            ),
            send_back(
                on(2025, 12, 16, 15, 0),
                "Danh mục chưa phân công cơ quan chủ trì soạn thảo và thời hạn trình đối với 06 "
                "Nghị quyết về cơ chế đặc thù theo Nghị quyết số 226/2025/QH15; đề nghị bổ sung.",
            ),
            report(
                on(2025, 12, 18, 16, 0), 90,
                "Đã bổ sung phân công cơ quan soạn thảo cho 06 Nghị quyết; đang xin ý kiến các sở.",
            ),
            submit(
                on(2025, 12, 22, 9, 0),
                "Báo cáo bổ sung và Danh mục văn bản quy định chi tiết đã hoàn thiện theo ý kiến "
                "của Văn phòng UBND thành phố.",
                number="297/BC-STP", date=dt.date(2025, 12, 22),
                pdf="danh-muc-van-ban-quy-dinh-chi-tiet.pdf",
            ),
            complete(
                on(2025, 12, 24, 14, 0), QualityGrade.MEETS,
                "Đạt yêu cầu sau khi bổ sung; hoàn thành chậm so với thời hạn 15/12/2025.",
            ),
        ),
    ),
    DemoTask(
        _HN, "4.4", G_NQ_HDND,
        "Tham mưu triển khai các Nghị quyết HĐND thành phố thuộc lĩnh vực xây dựng, đô thị và "
        "nhà ở: hỗ trợ phát triển nhà ở xã hội; giá dịch vụ nhà chung cư; phân cấp quản lý hạ "
        "tầng kỹ thuật đô thị.",
        "SXD", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.QUYET_DINH,
        "05 Quyết định của UBND thành phố quy định chi tiết các Nghị quyết HĐND lĩnh vực xây dựng",
        "Kịp thời, đồng bộ, hiệu quả; hoàn thành trước ngày 15/12/2025.",
        coordinators=(("STC", "Hướng dẫn, bố trí nguồn kinh phí hỗ trợ phát triển nhà ở xã hội"),),
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 10, 0)),
            give(on(2025, 12, 12, 10, 5)),
            report(
                on(2025, 12, 14, 16, 0), 50,
                "Đã xây dựng dự thảo 03/05 Quyết định quy định chi tiết; đang lấy ý kiến các sở, "
                "ngành.",
                difficulties="Một số nội dung về giá dịch vụ nhà chung cư phải chờ hướng dẫn của "
                "Bộ Xây dựng.",
            ),
            report(
                on(2025, 12, 15, 11, 0), 100,
                "Sở Tài chính đã có ý kiến về nguồn kinh phí hỗ trợ phát triển nhà ở xã hội năm "
                "2026.",
                by="coord:STC",
            ),
            report(
                on(2025, 12, 26, 16, 0), 80,
                "Đã trình UBND thành phố 03 Quyết định; 02 dự thảo đang chờ thẩm định của Sở Tư "
                "pháp.",
                proposals="Đề nghị UBND thành phố cho phép ban hành 02 Quyết định còn lại trong "
                "tháng 01/2026.",
            ),
            report(
                on(2026, 1, 20, 15, 0), 90,
                "Đã ban hành 04/05 Quyết định; Quyết định về giá dịch vụ nhà chung cư đang hoàn "
                "thiện theo ý kiến của Bộ Xây dựng.",
                difficulties="Chưa có hướng dẫn của Bộ Xây dựng về khung giá dịch vụ nhà chung cư "
                "áp dụng thống nhất sau hợp nhất.",
            ),
        ),
    ),
    DemoTask(
        _HN, "4.5", G_NQ_HDND,
        "Tham mưu triển khai các Nghị quyết HĐND thành phố về chính sách thu hút, đãi ngộ nhân "
        "lực y tế và hỗ trợ mua thẻ bảo hiểm y tế cho một số đối tượng trên địa bàn thành phố.",
        "SYT", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.QUYET_DINH,
        "Quyết định của UBND thành phố hướng dẫn thực hiện chính sách",
        "Kịp thời, đúng đối tượng, đúng quy định.",
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 9, 0)),
            give(on(2025, 12, 12, 9, 10)),
            ask_extension(
                on(2025, 12, 13, 10, 0), dt.date(2025, 12, 31),
                "Chờ ý kiến của Bộ Y tế và Bảo hiểm xã hội Việt Nam về đối tượng, mức hỗ trợ mua "
                "thẻ bảo hiểm y tế.",
            ),
            approve_extension(
                on(2025, 12, 14, 16, 0), "1234/UBND-TH", dt.date(2025, 12, 14),
                note="Đồng ý gia hạn đến ngày 31/12/2025.",
            ),
            report(
                on(2025, 12, 22, 16, 0), 70,
                "Đã nhận ý kiến của Bộ Y tế; đang hoàn thiện dự thảo Quyết định.",
            ),
            submit(
                on(2025, 12, 30, 15, 30),
                "UBND thành phố đã ban hành Quyết định hướng dẫn thực hiện chính sách thu hút "
                "nhân lực y tế và hỗ trợ mua thẻ bảo hiểm y tế.",
                number="4698/QĐ-UBND", date=dt.date(2025, 12, 30),
                pdf="qd-chinh-sach-nhan-luc-y-te.pdf",
            ),
            complete(
                on(2026, 1, 5, 9, 30), QualityGrade.GOOD,
                "Hoàn thành trong thời hạn được gia hạn (Văn bản số 1234/UBND-TH).",
            ),
        ),
    ),
    DemoTask(
        _HN, "4.6", G_NQ_HDND,
        "Tham mưu triển khai các Nghị quyết HĐND thành phố về mức thu học phí năm học "
        "2025–2026 và chính sách hỗ trợ giáo viên, học sinh sau hợp nhất.",
        "SGDDT", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.QUYET_DINH,
        "Quyết định của UBND thành phố hướng dẫn thực hiện mức thu học phí và chính sách hỗ trợ",
        "Thống nhất trên toàn thành phố; đúng quy định.",
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 11, 0)),
            give(on(2025, 12, 12, 11, 5)),
            report(
                on(2025, 12, 15, 9, 0), 60,
                "Đã xây dựng dự thảo Quyết định hướng dẫn mức thu học phí; đang tổng hợp ý kiến "
                "của UBND cấp xã.",
                difficulties="Mức thu học phí giữa khu vực Hải Phòng cũ và Hải Dương cũ còn chênh "
                "lệch, cần thời gian lấy ý kiến rộng rãi.",
            ),
            ask_extension(
                on(2025, 12, 15, 9, 30), dt.date(2026, 1, 15),
                "Cần lấy ý kiến của 114 UBND xã, phường, đặc khu về mức thu học phí thống nhất "
                "sau hợp nhất.",
            ),
        ),
    ),
    DemoTask(
        _HN, "4.7", G_NQ_HDND,
        "Tham mưu triển khai Nghị quyết HĐND thành phố về chính sách kích cầu, hỗ trợ phát triển "
        "du lịch năm 2026.",
        "SCT", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.KE_HOACH,
        "Kế hoạch kích cầu du lịch năm 2026 ban hành kèm Quyết định của UBND thành phố",
        "Kịp thời, đồng bộ, hiệu quả; hoàn thành trước ngày 15/12/2025.",
        urgency=Urgency.KHAN,
        steps=(
            decline(
                on(2025, 12, 12, 16, 0),
                "Sở Công Thương đề nghị: nội dung kích cầu, hỗ trợ phát triển du lịch thuộc chức "
                "năng tham mưu của Sở Văn hóa, Thể thao và Du lịch.",
            ),
            reassign(
                on(2025, 12, 13, 8, 30), "SVHTTDL",
                "Giao lại Sở Văn hóa, Thể thao và Du lịch chủ trì theo chức năng.",
            ),
            accept(on(2025, 12, 13, 10, 0)),
            give(on(2025, 12, 13, 10, 5)),
            submit(
                on(2025, 12, 15, 15, 0),
                "UBND thành phố đã ban hành Quyết định phê duyệt Kế hoạch kích cầu du lịch năm "
                "2026.",
                number="4518/QĐ-UBND", date=dt.date(2025, 12, 15),
                pdf="ke-hoach-kich-cau-du-lich-2026.pdf",
            ),
            complete(on(2025, 12, 17, 9, 0), QualityGrade.GOOD, _DONE_15_12),
        ),
    ),
    DemoTask(
        _HN, "4.8", G_NQ_HDND,
        "Tham mưu triển khai các Nghị quyết HĐND thành phố về bảng giá đất điều chỉnh và chính "
        "sách hỗ trợ phát triển nông nghiệp, nông thôn năm 2026.",
        "SNNMT", "15/12/2025", on(2025, 12, 12, 8, 30),
        OutputKind.QUYET_DINH,
        "Quyết định của UBND thành phố quy định chi tiết các Nghị quyết HĐND lĩnh vực nông "
        "nghiệp và môi trường",
        "Kịp thời, đồng bộ, hiệu quả; hoàn thành trước ngày 15/12/2025.",
        coordinators=(("STC", "Thẩm định kinh phí hỗ trợ phát triển nông nghiệp"),),
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 9, 15)),
            report(
                on(2025, 12, 14, 16, 0), 80,
                "Đã trình UBND thành phố dự thảo Quyết định điều chỉnh bảng giá đất.",
            ),
            submit(
                on(2025, 12, 15, 11, 0),
                "UBND thành phố đã ban hành Quyết định điều chỉnh bảng giá đất và hướng dẫn chính "
                "sách hỗ trợ phát triển nông nghiệp, nông thôn năm 2026.",
                number="4509/QĐ-UBND", date=dt.date(2025, 12, 15),
            ),
            complete(on(2025, 12, 16, 15, 0), QualityGrade.GOOD, _DONE_15_12),
        ),
    ),
    # --- 11/12/2025: planning ----------------------------------------------------------------
    DemoTask(
        _HN, "5.1", G_QUY_HOACH,
        "Tập trung, khẩn trương hoàn thành lập Điều chỉnh quy hoạch thành phố thời kỳ 2021–2030, "
        "tầm nhìn đến năm 2050, bảo đảm đồng bộ, thống nhất giữa các quy hoạch cấp quốc gia, quy "
        "hoạch vùng và quy hoạch thành phố; kịp thời cập nhật các định hướng phát triển mới sau "
        "hợp nhất đơn vị hành chính.",
        "STC", "Quý I/2026", on(2025, 12, 12, 9, 0),
        OutputKind.TO_TRINH,
        "Hồ sơ Điều chỉnh quy hoạch thành phố trình Thủ tướng Chính phủ phê duyệt",
        "Có tầm nhìn chiến lược, dài hạn; thống nhất với quy hoạch cấp quốc gia, quy hoạch vùng.",
        coordinators=(
            ("SXD", "Phương án phát triển hệ thống đô thị, nông thôn và hạ tầng kỹ thuật sau "
             "hợp nhất"),
            ("SNNMT", "Phương án phân bổ, khoanh vùng đất đai; bảo vệ môi trường, tài nguyên "
             "biển"),
        ),
        steps=(
            accept(on(2025, 12, 15, 8, 30)),
            give(on(2025, 12, 15, 8, 40)),
            report(
                on(2026, 1, 20, 16, 0), 100,
                "Đã gửi Sở Tài chính phương án phát triển hệ thống đô thị và hạ tầng kỹ thuật cập "
                "nhật sau hợp nhất.",
                by="coord:SXD",
            ),
            report(
                on(2026, 1, 30, 16, 0), 55,
                "Đã hoàn thành dự thảo báo cáo thuyết minh; đang tích hợp phương án của các sở, "
                "ngành.",
                difficulties="Phương án khoanh vùng đất đai còn chờ số liệu kiểm kê đất đai năm "
                "2025.",
            ),
            report(
                on(2026, 2, 27, 16, 0), 80,
                "Đã tổ chức hội thảo lấy ý kiến chuyên gia; đang hoàn thiện hồ sơ trình Hội đồng "
                "thẩm định.",
            ),
            submit(
                on(2026, 3, 27, 16, 0),
                "UBND thành phố đã có Tờ trình đề nghị Thủ tướng Chính phủ phê duyệt Điều chỉnh "
                "quy hoạch thành phố thời kỳ 2021–2030, tầm nhìn đến năm 2050.",
                number="1520/TTr-UBND", date=dt.date(2026, 3, 27),
                pdf="to-trinh-dieu-chinh-quy-hoach.pdf",
            ),
            complete(
                on(2026, 4, 3, 10, 0), QualityGrade.EXCELLENT,
                "Hồ sơ đầy đủ, chất lượng; hoàn thành đúng thời hạn Quý I/2026.",
            ),
        ),
    ),
    DemoTask(
        _HN, "5.2", G_QUY_HOACH,
        "Hoàn thành lập Quy hoạch chung thành phố Hải Phòng đến năm 2050, tầm nhìn đến năm 2075, "
        "thống nhất với Điều chỉnh quy hoạch thành phố thời kỳ 2021–2030, tầm nhìn đến năm 2050.",
        "SXD", "Năm 2026", on(2025, 12, 12, 9, 0),
        OutputKind.TO_TRINH,
        "Hồ sơ đồ án Quy hoạch chung thành phố trình Thủ tướng Chính phủ phê duyệt",
        "Đô thị hiện đại, không gian xanh rộng mở hướng biển; lấy ý kiến rộng rãi và công khai.",
        coordinators=(
            ("STC", "Bảo đảm thống nhất với Điều chỉnh quy hoạch thành phố"),
            ("SNNMT", "Số liệu hiện trạng sử dụng đất; định hướng không gian xanh, ven biển"),
        ),
        steps=(
            accept(on(2025, 12, 15, 10, 0)),
            give(on(2025, 12, 15, 10, 10)),
            report(
                on(2026, 2, 27, 16, 0), 30,
                "Đã lựa chọn đơn vị tư vấn; hoàn thành khảo sát hiện trạng.",
            ),
            report(
                on(2026, 5, 29, 16, 0), 55,
                "Đã báo cáo UBND thành phố phương án cấu trúc không gian đô thị hướng biển; đang "
                "lấy ý kiến các bộ, ngành.",
                difficulties="Cần thống nhất ranh giới các khu vực lấn biển với quy hoạch không "
                "gian biển quốc gia.",
                proposals="Đề nghị UBND thành phố làm việc với Bộ Xây dựng về phạm vi lập quy "
                "hoạch các khu vực lấn biển.",
            ),
        ),
    ),
    # --- 11/12/2025: growth scenario and public investment -----------------------------------
    DemoTask(
        _HN, "6.1", G_TANG_TRUONG,
        "Xây dựng Kịch bản tăng trưởng kinh tế năm 2026 theo hướng trọng tâm, trọng điểm, sát "
        "thực tế; giao chỉ tiêu cụ thể cho từng khu vực, từng Sở, ngành, từng địa phương; phấn "
        "đấu tăng trưởng GRDP từ 13% đến 14%.",
        "STC", "31/12/2025", on(2025, 12, 12, 9, 0),
        OutputKind.KE_HOACH,
        "Kịch bản tăng trưởng kinh tế năm 2026 ban hành kèm Quyết định của UBND thành phố",
        "Giao chỉ tiêu cụ thể cho từng khu vực, từng Sở, ngành, từng địa phương; bảo đảm tính khả "
        "thi.",
        coordinators=(
            ("SCT", "Chỉ tiêu khu vực công nghiệp, thương mại"),
            ("SNNMT", "Chỉ tiêu khu vực nông, lâm nghiệp và thủy sản"),
            ("BQLKKT", "Chỉ tiêu thu hút đầu tư vào các khu công nghiệp, khu kinh tế"),
        ),
        urgency=Urgency.KHAN,
        steps=(
            accept(on(2025, 12, 12, 14, 30)),
            give(on(2025, 12, 12, 14, 35)),
            report(
                on(2025, 12, 19, 16, 0), 60,
                "Đã xây dựng dự thảo 02 kịch bản (13% và 14%); đang phân bổ chỉ tiêu cho các sở, "
                "ngành và 114 xã, phường, đặc khu.",
            ),
            submit(
                on(2025, 12, 26, 17, 0),
                "UBND thành phố đã ban hành Quyết định phê duyệt Kịch bản tăng trưởng kinh tế năm "
                "2026, giao chỉ tiêu cho từng khu vực, sở, ngành, địa phương.",
                number="4620/QĐ-UBND", date=dt.date(2025, 12, 26),
                pdf="kich-ban-tang-truong-2026.pdf",
            ),
            complete(
                on(2025, 12, 29, 9, 0), QualityGrade.EXCELLENT,
                "Kịch bản giao chỉ tiêu đến từng sở, ngành, địa phương; bám sát mục tiêu 13–14%.",
            ),
        ),
    ),
    DemoTask(
        _HN, "6.2", G_TANG_TRUONG,
        "Xây dựng Kế hoạch giải ngân vốn đầu tư công năm 2026, rõ nguồn lực, tiến độ, trách "
        "nhiệm của từng chủ đầu tư.",
        "STC", "Tháng 01/2026", on(2025, 12, 12, 9, 0),
        OutputKind.KE_HOACH,
        "Kế hoạch giải ngân vốn đầu tư công năm 2026 của UBND thành phố",
        "Rõ nguồn lực, tiến độ, trách nhiệm; phân kỳ giải ngân theo từng quý.",
        steps=(
            accept(on(2025, 12, 15, 9, 0)),
            give(on(2025, 12, 15, 9, 5)),
            report(
                on(2026, 1, 20, 16, 0), 70,
                f"Đã tổng hợp kế hoạch giải ngân của 86 chủ đầu tư; còn 12 chủ đầu tư chưa gửi "
                f"{_DEMO_FIGURES}.",
                difficulties="Một số chủ đầu tư cấp xã mới thành lập chưa nắm được quy trình lập "
                "kế hoạch giải ngân.",
            ),
            submit(
                on(2026, 2, 4, 16, 30),
                "UBND thành phố đã ban hành Kế hoạch giải ngân vốn đầu tư công năm 2026.",
                number="36/KH-UBND", date=dt.date(2026, 2, 4),
            ),
            complete(
                on(2026, 2, 9, 10, 0), QualityGrade.GOOD,
                "Đạt yêu cầu; hoàn thành chậm so với thời hạn tháng 01/2026.",
            ),
        ),
    ),
    DemoTask(
        _HN, "6.3", G_TANG_TRUONG,
        "Xây dựng Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 theo hướng trọng tâm, trọng "
        "điểm, bảo đảm tính khả thi.",
        "STC", "Quý I/2026", on(2025, 12, 12, 9, 0),
        OutputKind.KE_HOACH,
        "Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 trình HĐND thành phố",
        "Trọng tâm, trọng điểm; không dàn trải; rõ nguồn vốn.",
        coordinators=(
            ("SXD", "Danh mục dự án hạ tầng giao thông, đô thị"),
            ("SNNMT", "Danh mục dự án thủy lợi, đê điều, môi trường"),
        ),
        steps=(
            accept(on(2025, 12, 15, 9, 30)),
            give(on(2025, 12, 15, 9, 35)),
            report(
                on(2026, 2, 27, 16, 0), 50,
                "Đã tổng hợp danh mục dự án dự kiến của các sở, ngành, địa phương.",
            ),
            pause(
                on(2026, 3, 20, 15, 0),
                "Tạm dừng chờ Trung ương thông báo dự kiến kế hoạch đầu tư công trung hạn vốn "
                "ngân sách trung ương giai đoạn 2026–2030.",
            ),
        ),
    ),
    DemoTask(
        _HN, "6.4", G_TANG_TRUONG,
        "Xây dựng Kế hoạch đầu tư công năm 2026 theo hướng trọng tâm, trọng điểm, sát thực tế.",
        "STC", "Quý IV/2025", on(2025, 12, 12, 9, 0),
        OutputKind.KE_HOACH,
        "Kế hoạch đầu tư công năm 2026 của thành phố",
        "Sát thực tế; ưu tiên dự án trọng điểm, dự án chuyển tiếp.",
        steps=(
            accept(on(2025, 12, 12, 15, 0)),
            give(on(2025, 12, 12, 15, 5)),
            submit(
                on(2025, 12, 18, 10, 0),
                "UBND thành phố đã ban hành Quyết định giao Kế hoạch đầu tư công năm 2026.",
                number="4590/QĐ-UBND", date=dt.date(2025, 12, 18),
            ),
            complete(on(2025, 12, 22, 9, 0), QualityGrade.GOOD, "Hoàn thành đúng hạn."),
        ),
    ),
    # --- 11/12/2025: the six đề án -------------------------------------------------------------
    DemoTask(
        _HN, "7.1", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án xây dựng Hải Phòng trở thành thành phố Âm nhạc "
        "giai đoạn 2026–2030, định hướng đến năm 2045.",
        "SVHTTDL", "Quý I/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Có mục tiêu, lộ trình, nguồn lực và sản phẩm đầu ra cụ thể.",
        coordinators=(("STC", "Cân đối nguồn lực thực hiện Đề án"),),
        steps=(
            accept(on(2025, 12, 15, 14, 0)),
            give(on(2025, 12, 15, 14, 5)),
            report(
                on(2026, 1, 30, 16, 0), 40,
                "Đã xây dựng đề cương Đề án; khảo sát hiện trạng các thiết chế biểu diễn.",
            ),
            report(
                on(2026, 2, 27, 16, 0), 75,
                "Đã hoàn thành dự thảo Đề án; tổ chức tọa đàm với các nghệ sĩ, chuyên gia.",
            ),
            submit(
                on(2026, 3, 24, 16, 0),
                "Gửi dự thảo Đề án xây dựng Hải Phòng trở thành thành phố Âm nhạc.",
                pdf="du-thao-de-an-thanh-pho-am-nhac.pdf",
            ),
            send_back(
                on(2026, 3, 31, 10, 0),
                "Dự thảo chưa xác định nguồn lực và lộ trình đầu tư các thiết chế biểu diễn; chưa "
                "có ý kiến của Sở Tài chính. Đề nghị hoàn thiện, gửi lại.",
            ),
            report(
                on(2026, 4, 20, 16, 0), 85,
                "Đang bổ sung phương án nguồn lực; đã gửi xin ý kiến Sở Tài chính.",
                difficulties="Sở Tài chính chưa có ý kiến về khả năng cân đối vốn cho các thiết "
                "chế biểu diễn.",
            ),
        ),
    ),
    DemoTask(
        _HN, "7.2", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án tổng thể phát triển du lịch thành phố Hải "
        "Phòng đến năm 2030, định hướng đến năm 2045.",
        "SVHTTDL", "Quý II/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Có mục tiêu, lộ trình, nguồn lực và sản phẩm đầu ra cụ thể.",
        steps=(
            accept(on(2025, 12, 15, 14, 10)),
            give(on(2025, 12, 15, 14, 15)),
            report(
                on(2026, 3, 31, 16, 0), 60,
                "Đã hoàn thành dự thảo Đề án; đang lấy ý kiến các sở, ngành và địa phương ven "
                "biển.",
            ),
            submit(
                on(2026, 5, 28, 15, 0),
                "UBND thành phố đã ban hành Quyết định phê duyệt Đề án tổng thể phát triển du "
                "lịch.",
                number="1985/QĐ-UBND", date=dt.date(2026, 5, 28), pdf="de-an-du-lich.pdf",
            ),
            complete(on(2026, 5, 29, 16, 0), QualityGrade.GOOD, "Hoàn thành đúng hạn."),
        ),
    ),
    DemoTask(
        _HN, "7.3", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án phát triển thể dục, thể thao thành phố Hải "
        "Phòng đến năm 2030, định hướng đến năm 2045.",
        "SVHTTDL", "Quý IV/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Có mục tiêu, lộ trình, nguồn lực và sản phẩm đầu ra cụ thể.",
        steps=(
            accept(on(2025, 12, 15, 14, 20)),
            give(on(2025, 12, 15, 14, 25)),
            report(
                on(2026, 5, 29, 16, 0), 40,
                "Đã hoàn thành khảo sát hệ thống thiết chế thể thao; xây dựng đề cương Đề án, bổ "
                "sung nội dung phát triển bóng đá.",
            ),
        ),
    ),
    DemoTask(
        _HN, "7.4", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án phát triển bóng đá thành phố Hải Phòng đến năm "
        "2030, tầm nhìn đến năm 2045.",
        "SVHTTDL", "Quý II/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Có mục tiêu, lộ trình, nguồn lực và sản phẩm đầu ra cụ thể.",
        steps=(
            accept(on(2025, 12, 15, 14, 30)),
            report(
                on(2026, 2, 27, 16, 0), 20,
                "Đã làm việc với Câu lạc bộ bóng đá Hải Phòng về hệ thống đào tạo trẻ.",
            ),
            withdraw(
                on(2026, 4, 10, 9, 0),
                "Nội dung phát triển bóng đá được lồng ghép vào Đề án phát triển thể dục, thể "
                "thao thành phố Hải Phòng đến năm 2030, định hướng đến năm 2045.",
            ),
        ),
    ),
    DemoTask(
        _HN, "7.5", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án phát triển giáo dục và đào tạo thành phố Hải "
        "Phòng đến năm 2030, tầm nhìn đến năm 2045 để thực hiện Nghị quyết số 71-NQ/TW ngày "
        "22/8/2025 của Bộ Chính trị về đột phá phát triển giáo dục và đào tạo.",
        "SGDDT", "Quý II/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Bám sát Nghị quyết số 71-NQ/TW; có mục tiêu, lộ trình, nguồn lực cụ thể.",
        coordinators=(
            ("STC", "Cân đối nguồn lực thực hiện Đề án"),
            ("SNV", "Biên chế, tuyển dụng giáo viên"),
        ),
        steps=(
            accept(on(2025, 12, 15, 15, 0)),
            give(on(2025, 12, 15, 15, 5)),
            report(
                on(2026, 4, 30, 16, 0), 45,
                "Đã xây dựng đề cương Đề án; khảo sát mạng lưới trường lớp sau hợp nhất.",
            ),
            report(
                on(2026, 5, 29, 16, 0), 65,
                "Đã hoàn thành dự thảo Đề án; đang lấy ý kiến các sở, ngành.",
                difficulties="Thiếu giáo viên ở một số cấp học; chưa thống nhất nguồn kinh phí "
                "đầu tư trường chuẩn quốc gia.",
                proposals="Đề nghị Sở Tài chính sớm có ý kiến về nguồn lực thực hiện Đề án.",
            ),
        ),
    ),
    DemoTask(
        _HN, "7.6", G_DE_AN,
        "Xây dựng, hoàn thành và triển khai Đề án nâng cao năng lực hệ thống y tế thành phố Hải "
        "Phòng để triển khai Nghị quyết số 72-NQ/TW ngày 09/9/2025 của Bộ Chính trị về một số "
        "giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân.",
        "SYT", "Quý I/2026", on(2025, 12, 12, 9, 30),
        OutputKind.DE_AN,
        "Đề án trình UBND thành phố phê duyệt",
        "Bám sát Nghị quyết số 72-NQ/TW; có mục tiêu, lộ trình, nguồn lực cụ thể.",
        steps=(
            accept(on(2025, 12, 15, 15, 30)),
            give(on(2025, 12, 15, 15, 35)),
            report(
                on(2026, 2, 27, 16, 0), 70,
                "Đã hoàn thành dự thảo Đề án; đang lấy ý kiến Bộ Y tế.",
            ),
            submit(
                on(2026, 3, 25, 10, 0),
                "UBND thành phố đã ban hành Quyết định phê duyệt Đề án nâng cao năng lực hệ thống "
                "y tế.",
                number="1105/QĐ-UBND", date=dt.date(2026, 3, 25), pdf="de-an-y-te.pdf",
            ),
            complete(on(2026, 3, 30, 14, 0), QualityGrade.GOOD, "Hoàn thành đúng hạn."),
        ),
    ),
    # --- 11/12/2025: continuous and periodic ---------------------------------------------------
    DemoTask(
        _HN, "3", G_KY_CUONG,
        "Siết chặt kỷ luật, kỷ cương trong thực thi công vụ; tăng cường kiểm tra, giám sát, đôn "
        "đốc thường xuyên; kiên quyết khắc phục tình trạng “chọn việc để làm; dễ làm khó bỏ; làm "
        "cho xong; làm để đối phó; đùn đẩy, vô cảm” trước khó khăn, vướng mắc của người dân, "
        "doanh nghiệp.",
        "SNV", "Thường xuyên", on(2025, 12, 12, 10, 0),
        OutputKind.BAO_CAO,
        "Báo cáo kết quả kiểm tra công vụ hằng quý",
        "Kiểm tra đột xuất; xử lý nghiêm, công khai các trường hợp vi phạm.",
        coordinators=(("TTTP", "Thanh tra công vụ, trách nhiệm người đứng đầu"),),
        steps=(
            accept(on(2025, 12, 15, 8, 0)),
            report(
                on(2026, 3, 31, 16, 0), 25,
                f"Quý I/2026: kiểm tra công vụ đột xuất tại 12 sở, ngành và 20 UBND xã, phường; "
                f"nhắc nhở 9 tập thể, 23 cá nhân {_DEMO_FIGURES}.",
            ),
            report(
                on(2026, 6, 30, 16, 0), 50,
                f"Quý II/2026: kiểm tra công vụ tại 8 sở, ngành và 26 UBND xã, phường; phê bình "
                f"2 tập thể {_DEMO_FIGURES}.",
            ),
        ),
    ),
    DemoTask(
        _HN, "6.5", G_KY_CUONG,
        "Báo cáo UBND thành phố tình hình, kết quả tăng trưởng GRDP hằng tháng so với Kịch bản "
        "tăng trưởng năm 2026; đề xuất giải pháp đối với các ngành, lĩnh vực, địa phương không "
        "đạt chỉ tiêu được giao.",
        "STC", Periodic(ReportFrequency.MONTHLY, dt.date(2030, 12, 31)), on(2025, 12, 12, 10, 0),
        OutputKind.BAO_CAO,
        "Báo cáo tình hình tăng trưởng kinh tế hằng tháng, gửi trước ngày 05 tháng sau",
        "Số liệu cập nhật, so sánh với kịch bản; nêu rõ ngành, địa phương không đạt chỉ tiêu.",
        steps=(accept(on(2025, 12, 15, 10, 0)), give(on(2025, 12, 15, 10, 5))),
        more_steps=_monthly_grdp_reports,
    ),
    # --- 11/12/2025: a ward (dates relative to today) -----------------------------------------
    DemoTask(
        _HN, "2.1", G_DIA_PHUONG,
        "Phối hợp Ban Quản lý Khu kinh tế Hải Phòng rà soát, thống kê hiện trạng sử dụng đất, "
        "đẩy nhanh giải phóng mặt bằng khu vực dự án Cảng Nam Đồ Sơn.",
        "P-DOSON", DueIn(25), Ago(12, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo rà soát hiện trạng sử dụng đất và tiến độ giải phóng mặt bằng",
        "Số liệu đến từng thửa đất, từng hộ dân; rõ vướng mắc và đề xuất tháo gỡ.",
        coordinators=(("BQLKKT", "Cung cấp ranh giới, hồ sơ dự án"),),
        steps=(
            decline(
                Ago(10, 15, 0),
                "Sau sắp xếp đơn vị hành chính, khu vực dự án thuộc địa bàn phường Nam Đồ Sơn; "
                "đề nghị giao UBND phường Nam Đồ Sơn chủ trì.",
            ),
        ),
    ),
    # --- 16/03/2026: the working session (dates relative to today) ----------------------------
    DemoTask(
        _TBT, "2.1", G_NGUOI_LAO_DONG,
        "Đẩy mạnh chương trình phát triển nhà ở xã hội, khu lưu trú công nhân tại các khu công "
        "nghiệp; rà soát quỹ đất, đề xuất danh mục dự án và cơ chế hỗ trợ.",
        "SXD", DueIn(45, DeadlineKind.QUARTER), Ago(60, 8, 30),
        OutputKind.KE_HOACH,
        "Kế hoạch phát triển nhà ở xã hội, khu lưu trú công nhân của UBND thành phố",
        "Rõ danh mục dự án, quỹ đất, nguồn vốn, tiến độ; ưu tiên khu vực gần các khu công nghiệp.",
        coordinators=(
            ("SNNMT", "Rà soát, bố trí quỹ đất"),
            ("BQLKKT", "Quỹ đất khu lưu trú công nhân trong và gần các khu công nghiệp"),
            ("STC", "Nguồn vốn hỗ trợ, ưu đãi"),
        ),
        steps=(
            accept(Ago(59, 9, 0)),
            give(Ago(59, 9, 10)),
            report(
                Ago(30, 16, 0), 35,
                f"Đã rà soát 24 khu vực có khả năng bố trí nhà ở xã hội, khu lưu trú công nhân "
                f"{_DEMO_FIGURES}.",
            ),
            report(
                Ago(7, 16, 0), 60,
                "Đã hoàn thành dự thảo Kế hoạch; đang lấy ý kiến các sở, ngành và UBND cấp xã có "
                "khu công nghiệp.",
                difficulties="Quỹ đất sạch gần các khu công nghiệp còn hạn chế; chi phí giải phóng "
                "mặt bằng cao.",
                proposals="Đề nghị cho phép sử dụng quỹ đất 20% trong các dự án nhà ở thương mại "
                "để xây dựng nhà ở xã hội tập trung.",
            ),
        ),
    ),
    DemoTask(
        _TBT, "2.2", G_NGUOI_LAO_DONG,
        "Xây dựng các thiết chế văn hóa, giáo dục, y tế, nhà trẻ và dịch vụ công cộng ngay trong "
        "hoặc gần các khu công nghiệp để người lao động có điều kiện sinh sống ổn định, an toàn "
        "và nhân văn.",
        "BQLKKT", DueIn(2), Ago(40, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo rà soát và danh mục thiết chế cần đầu tư tại các khu công nghiệp",
        "Rõ nhu cầu của người lao động, địa điểm, nguồn vốn và cơ quan thực hiện.",
        coordinators=(
            ("SVHTTDL", "Thiết chế văn hóa, thể thao cho công nhân"),
            ("SYT", "Trạm y tế, phòng khám phục vụ người lao động"),
            ("SGDDT", "Nhà trẻ, trường mẫu giáo cho con công nhân"),
        ),
        urgency=Urgency.KHAN,
        steps=(
            accept(Ago(39, 9, 0)),
            report(
                Ago(20, 15, 0), 80,
                f"Đã rà soát nhu cầu khám chữa bệnh của người lao động tại 8 khu công nghiệp; đề "
                f"xuất 3 phòng khám vệ tinh {_DEMO_FIGURES}.",
                by="coord:SYT",
            ),
            report(
                Ago(15, 15, 0), 60,
                f"Đã khảo sát nhu cầu gửi trẻ của công nhân; đề xuất 5 điểm trường mầm non gần "
                f"khu công nghiệp {_DEMO_FIGURES}.",
                by="coord:SGDDT",
            ),
            report(
                Ago(6, 16, 0), 70,
                "Đã tổng hợp danh mục thiết chế y tế, giáo dục; còn chờ phần phối hợp về thiết "
                "chế văn hóa, thể thao.",
                difficulties="Sở Văn hóa, Thể thao và Du lịch chưa gửi phần phối hợp.",
            ),
        ),
    ),
    DemoTask(
        _TBT, "2.3", G_NGUOI_LAO_DONG,
        "Rà soát, đề xuất quỹ đất bố trí nhà ở xã hội, khu lưu trú công nhân trên địa bàn xã An "
        "Lão, gửi Sở Xây dựng tổng hợp.",
        "X-ANLAO", DueIn(30, DeadlineKind.MONTH), Ago(2, 14, 0),
        OutputKind.BAO_CAO,
        "Báo cáo đề xuất quỹ đất gửi Sở Xây dựng",
        "Rõ vị trí, diện tích, hiện trạng sử dụng đất.",
    ),
    DemoTask(
        _TBT, "3.1", G_DIA_PHUONG,
        "Rà soát, lập danh mục các khu phố cổ, di tích lịch sử, văn hóa, cách mạng trên địa bàn "
        "phường cần bảo tồn; đề xuất giải pháp bảo tồn gắn với chỉnh trang đô thị.",
        "P-HONGBANG", DueIn(10), Ago(40, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo và danh mục công trình, tuyến phố cần bảo tồn",
        "Đầy đủ, có hồ sơ từng công trình; thống nhất với Sở Văn hóa, Thể thao và Du lịch.",
        coordinators=(("SVHTTDL", "Hướng dẫn chuyên môn về bảo tồn di tích"),),
        steps=(
            accept(Ago(38, 9, 0)),
            report(
                Ago(20, 16, 0), 50,
                "Đã khảo sát các tuyến phố cổ khu vực trung tâm; lập hồ sơ sơ bộ các công trình.",
            ),
            submit(
                Ago(3, 16, 0),
                f"Báo cáo danh mục 18 công trình, tuyến phố cần bảo tồn và giải pháp bảo tồn gắn "
                f"với chỉnh trang đô thị {_DEMO_FIGURES}.",
                number="215/BC-UBND", pdf="danh-muc-bao-ton-pho-co.pdf",
            ),
        ),
    ),
    # --- 7/NQ-CP: the Government's action programme -----------------------------------------
    DemoTask(
        _NQ7, "I.1", G_CTHD,
        "Chủ động phối hợp với các cơ quan báo chí tuyên truyền, quán triệt Kết luận số "
        "96-KL/TW và Chương trình hành động của Chính phủ đến cán bộ, đảng viên và Nhân dân; "
        "quảng bá hình ảnh thành phố.",
        "SVHTTDL", "Thường xuyên", on(2025, 2, 14, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo kết quả công tác tuyên truyền",
        "Lan tỏa tới đội ngũ cán bộ, đảng viên và toàn thể Nhân dân.",
        steps=(
            accept(on(2025, 2, 17, 9, 0)),
            give(on(2025, 2, 17, 9, 10)),
            report(
                on(2025, 6, 30, 16, 0), 50,
                f"Đã phối hợp với các cơ quan báo chí thực hiện 120 tin, bài và 2 chuyên mục "
                f"tuyên truyền {_DEMO_FIGURES}.",
            ),
            submit(
                on(2025, 12, 20, 10, 0),
                "Báo cáo tổng kết công tác tuyên truyền Kết luận số 96-KL/TW và Chương trình hành "
                "động của Chính phủ năm 2025.",
                number="412/BC-SVHTTDL", date=dt.date(2025, 12, 20),
            ),
            complete(
                on(2025, 12, 24, 9, 0), QualityGrade.GOOD,
                "Ghi nhận hoàn thành; công tác tuyên truyền năm 2026 thực hiện theo kế hoạch "
                "riêng.",
            ),
        ),
    ),
    DemoTask(
        _NQ7, "II.1", G_CTHD,
        "Rà soát, đánh giá các cơ chế, chính sách hiện hành; tổ chức thực hiện hiệu quả các đề "
        "án về mô hình chính quyền đô thị tại thành phố Hải Phòng.",
        "SNV", "Quý IV/2025", on(2025, 2, 14, 8, 30),
        OutputKind.BAO_CAO,
        "Báo cáo đánh giá mô hình chính quyền đô thị và kiến nghị hoàn thiện",
        "Đồng bộ, hiện đại, phù hợp với yêu cầu phát triển của thành phố.",
        coordinators=(("STP", "Rà soát văn bản quy phạm pháp luật liên quan"),),
        steps=(
            accept(on(2025, 2, 18, 9, 0)),
            report(
                on(2025, 9, 30, 16, 0), 60,
                "Đã rà soát các quy định về chính quyền đô thị; tổng hợp ý kiến của các phường.",
            ),
            submit(
                on(2026, 1, 8, 10, 0),
                "Báo cáo đánh giá mô hình chính quyền đô thị tại thành phố Hải Phòng.",
                number="25/BC-SNV", date=dt.date(2026, 1, 8),
            ),
            complete(
                on(2026, 1, 14, 9, 0), QualityGrade.MEETS,
                "Đạt yêu cầu; hoàn thành chậm so với thời hạn Quý IV/2025.",
            ),
        ),
    ),
    DemoTask(
        _NQ7, "III.1", G_CTHD,
        "Tập trung nguồn lực hoàn thiện hạ tầng giao thông liên vùng và hạ tầng logistics kết "
        "nối quốc tế (cảng biển, hàng không, đường sắt, đường bộ), phát huy vai trò trung tâm "
        "logistics hiện đại.",
        "SXD", "Năm 2026", on(2025, 2, 14, 8, 30),
        OutputKind.KE_HOACH,
        "Kế hoạch phát triển hạ tầng logistics giai đoạn 2026–2030",
        "Kết nối đồng bộ các loại hình giao thông; rõ danh mục dự án, nguồn vốn.",
        coordinators=(
            ("BQLKKT", "Trung tâm logistics trong các khu kinh tế, khu công nghiệp"),
            ("SCT", "Phát triển dịch vụ logistics"),
        ),
        steps=(
            accept(on(2025, 2, 18, 10, 0)),
            give(on(2025, 2, 18, 10, 10)),
            report(
                on(2025, 10, 15, 16, 0), 30,
                "Đã rà soát hiện trạng hạ tầng cảng biển, đường sắt, đường bộ kết nối.",
            ),
            report(
                on(2026, 4, 28, 16, 0), 55,
                "Đã xây dựng dự thảo Kế hoạch; đề xuất danh mục dự án hạ tầng logistics ưu tiên.",
                difficulties="Tiến độ dự án đường sắt tốc độ cao Lào Cai - Hà Nội - Hải Phòng "
                "ảnh hưởng đến phương án kết nối.",
            ),
        ),
    ),
    DemoTask(
        _NQ7, "III.2", G_CTHD,
        "Phát triển nông nghiệp ứng dụng công nghệ cao, nông nghiệp sinh thái và các vùng chuyên "
        "canh hàng hóa lớn.",
        "SNNMT", "Quý IV/2025", on(2025, 2, 14, 8, 30),
        OutputKind.DE_AN,
        "Đề án phát triển nông nghiệp ứng dụng công nghệ cao",
        "Rõ vùng chuyên canh, sản phẩm chủ lực và cơ chế hỗ trợ.",
        steps=(
            accept(on(2025, 2, 19, 9, 0)),
            report(
                on(2025, 8, 29, 16, 0), 60,
                "Đã xác định 6 vùng chuyên canh hàng hóa lớn; xây dựng dự thảo Đề án "
                f"{_DEMO_FIGURES}.",
            ),
            submit(
                on(2025, 12, 29, 15, 0),
                "UBND thành phố đã ban hành Quyết định phê duyệt Đề án phát triển nông nghiệp ứng "
                "dụng công nghệ cao.",
                number="4710/QĐ-UBND", date=dt.date(2025, 12, 29),
            ),
            complete(on(2026, 1, 6, 10, 0), QualityGrade.GOOD, "Hoàn thành đúng hạn."),
        ),
    ),
    DemoTask(
        _NQ7, "III.3", G_CTHD,
        "Nghiên cứu, áp dụng trí tuệ nhân tạo và các công nghệ tiên tiến, đẩy mạnh chuyển đổi "
        "số để phát triển các ngành kinh tế mũi nhọn.",
        "SKHCN", "Quý II/2026", on(2025, 2, 14, 8, 30),
        OutputKind.DE_AN,
        "Đề án ứng dụng trí tuệ nhân tạo trong phát triển kinh tế - xã hội thành phố",
        "Rõ lĩnh vực ưu tiên, hạ tầng dữ liệu và nguồn nhân lực.",
        steps=(
            accept(on(2025, 2, 19, 14, 0)),
            report(
                on(2025, 11, 28, 16, 0), 40,
                "Đã khảo sát nhu cầu ứng dụng trí tuệ nhân tạo tại các sở, ngành và doanh nghiệp.",
            ),
            report(
                on(2026, 5, 27, 16, 0), 70,
                "Đã hoàn thành dự thảo Đề án; đang lấy ý kiến chuyên gia.",
                difficulties="Thiếu nhân lực chuyên sâu về trí tuệ nhân tạo; hạ tầng dữ liệu "
                "dùng chung chưa hoàn thiện.",
            ),
        ),
    ),
)  # fmt: skip


# --- Indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoIndicator:
    directive: str
    code: str
    name: str
    unit: str
    target: Decimal
    stretch_target: Decimal | None
    period: str
    start_date: dt.date
    end_date: dt.date
    department: str
    tasks: tuple[tuple[str, str], ...]  # (directive key, item number)
    # (period start, period end, actual, note, reported at); loaded once the period has ended.
    values: tuple[tuple[dt.date, dt.date, Decimal, str, dt.datetime], ...] = ()


INDICATORS: tuple[DemoIndicator, ...] = (
    DemoIndicator(
        _HN, "KTXH-01",
        "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) hằng năm giai đoạn 2026–2030",
        "%", Decimal("13"), Decimal("14"), IndicatorPeriod.YEAR,
        dt.date(2026, 1, 1), dt.date(2030, 12, 31), "STC",
        tasks=((_HN, "6.1"), (_HN, "6.5")),
        values=(
            (
                dt.date(2026, 1, 1), dt.date(2026, 12, 31), Decimal("13.2"),
                "Số liệu minh họa cho bản dùng thử, không phải số liệu thống kê chính thức.",
                on(2027, 1, 6, 9, 0),
            ),
        ),
    ),
)  # fmt: skip


# --- The summary -----------------------------------------------------------------------------


@dataclass
class DemoSummary:
    today: dt.date
    created: Counter[str]
    updated: Counter[str]
    skipped_steps: int
    departments: int
    departments_by_kind: dict[str, int]
    users: int
    directives: int
    tasks: int
    tasks_by_state: dict[str, int]
    tasks_by_bucket: dict[str, int]
    logins: list[tuple[str, str, str, str]]  # username, password, role, department

    @property
    def nothing_new(self) -> bool:
        return not any(self.created.values()) and not any(self.updated.values())

    def render(self) -> str:
        lines = [f"Dữ liệu mẫu Đôn Đốc, tình hình tính đến ngày {self.today:%d/%m/%Y}."]
        if self.nothing_new:
            lines.append(
                "Không có gì mới: dữ liệu mẫu đã có đầy đủ, lần chạy này không tạo thêm và không "
                "thay đổi gì."
            )
        else:
            made = ", ".join(f"{self.created[key]} {label}" for key, label in _CREATED_LABELS)
            lines.append(f"Lần chạy này đã tạo mới: {made}.")
            changed = [f"{n} {dict(_CREATED_LABELS)[k]}" for k, n in self.updated.items() if n]
            if changed:
                lines.append(f"Đã cập nhật: {', '.join(changed)}.")
        if self.skipped_steps:
            lines.append(
                f"Bỏ qua {self.skipped_steps} bước có thời điểm sau ngày "
                f"{self.today:%d/%m/%Y} (chưa xảy ra)."
            )
        kinds = "; ".join(
            f"{n} {DepartmentKind(kind).label}"
            for kind, n in sorted(self.departments_by_kind.items())
        )
        lines += [
            "",
            f"Đơn vị: {self.departments} ({kinds})",
            f"Người dùng: {self.users}",
            f"Văn bản chỉ đạo: {self.directives}",
            f"Nhiệm vụ: {self.tasks}",
            "  Theo trạng thái:",
            *(
                f"    {state.label:<32}{self.tasks_by_state.get(state.value, 0):>5}"
                for state in TaskState
            ),
            f"  Theo tiến độ (tính đến {self.today:%d/%m/%Y}):",
            *(
                f"    {bucket.label:<32}{self.tasks_by_bucket.get(bucket.value, 0):>5}"
                for bucket in Bucket
            ),
            "",
            f"Tài khoản dùng thử (mật khẩu chung {DEMO_PASSWORD}):",
        ]
        header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
        rows = [header, *self.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            lines.append(
                "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
                + "  " + row[3]
            )  # fmt: skip
        return "\n".join(lines) + "\n"


_CREATED_LABELS = (
    ("departments", "đơn vị"),
    ("users", "tài khoản"),
    ("directives", "văn bản chỉ đạo"),
    ("tasks", "nhiệm vụ"),
    ("indicators", "chỉ tiêu"),
    ("indicator_values", "số liệu chỉ tiêu"),
    ("closed_periods", "kỳ đánh giá đã chốt"),
)
_KEYS = {key for key, _label in _CREATED_LABELS}


# --- The loader ------------------------------------------------------------------------------


def _demo_pdf(*paragraphs: str) -> bytes:
    """A small valid one-page PDF with the given text (folded to ASCII: the PDF base fonts have
    no Vietnamese marks)."""
    lines = ["Tai lieu minh hoa - ban dung thu Don Doc", ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(ascii_fold(paragraph), 80) or [""]
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    stream = (
        "BT /F1 11 Tf 14 TL 60 780 Td " + " ".join(f"({line}) '" for line in escaped) + " ET"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class _Loader:
    def __init__(self, *, today: dt.date, cutoff: dt.datetime) -> None:
        self.today = today
        self.cutoff = cutoff
        self.created: Counter[str] = Counter(dict.fromkeys(_KEYS, 0))
        self.updated: Counter[str] = Counter()
        self.skipped_steps = 0
        self.departments: dict[str, Department] = {}
        self.new_departments: set[str] = set()
        self.users: dict[str, User] = {}
        self.directives: dict[str, Directive] = {}
        self.tasks: dict[tuple[str, str], Task] = {}
        self._password_hash: str | None = None

    # Departments ---------------------------------------------------------------------------

    def load_departments(self) -> None:
        wanted = [(code, name, DepartmentKind.SO_BAN_NGANH) for code, name in CITY_DEPARTMENTS]
        wanted += [(code, name, DepartmentKind.UBND_CAP_XA) for code, name in ward_rows()]
        existing = {d.code: d for d in Department.objects.filter(code__in=[w[0] for w in wanted])}
        for code, name, kind in wanted:
            values = {"name": name, "kind": kind, "email": mailbox(code)}
            department = existing.get(code)
            if department is None:
                department = Department.objects.create(code=code, **values)
                self.created["departments"] += 1
                self.new_departments.add(code)
            else:
                changed = [f for f, v in values.items() if getattr(department, f) != v]
                if changed:
                    for f in changed:
                        setattr(department, f, values[f])
                    department.save(update_fields=changed)
                    self.updated["departments"] += 1
            self.departments[code] = department

    # Users ---------------------------------------------------------------------------------

    def _hashed_password(self) -> str:
        # One hash for all: the accounts share a printed demo password, and hashing once keeps
        # the load fast.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def load_users(self) -> None:
        sync_role_groups()
        groups = {g.name: g for g in Group.objects.filter(name__in=[r.label for r in Role])}
        for account in ACCOUNTS:
            department = self.departments[account.department] if account.department else None
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User.objects.create(
                    username=account.username,
                    password=self._hashed_password(),
                    last_name=account.last_name,
                    first_name=account.first_name,
                    email=f"{account.username}@{MAIL_DOMAIN}",
                    department=department,
                    position=account.position,
                    is_staff=account.is_staff,
                    is_superuser=account.is_superuser,
                )
                self.created["users"] += 1
                is_new = True
            else:
                is_new = False
            group = groups[account.role.label]
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
                if not is_new:
                    self.updated["users"] += 1
            if account.heads_department and department is not None and department.head_id is None:
                department.head = user
                department.save(update_fields=["head"])
                if department.code not in self.new_departments:
                    self.updated["departments"] += 1
            self.users[account.username] = user
        # Fresh instances: role_names is cached per instance and the groups just changed.
        fresh = User.objects.in_bulk([u.pk for u in self.users.values()])
        self.users = {name: fresh[u.pk] for name, u in self.users.items()}

    # Directives ----------------------------------------------------------------------------

    def load_directives(self) -> None:
        office = self.users[OFFICE_USERNAME]
        for item in DIRECTIVES:
            lookup = {"issuer": item.issuer, "issue_date": item.issue_date}
            if item.symbol:
                lookup["symbol"] = item.symbol
            else:
                lookup.update(kind=item.kind, symbol="")
            directive = Directive.objects.filter(**lookup).order_by("pk").first()
            if directive is None:
                directive = directive_create(
                    actor=office,
                    # Entered the afternoon it was issued, so its event opens the timeline.
                    at=dt.datetime.combine(item.issue_date, dt.time(16, 0), tzinfo=HN),
                    implements=[self.directives[key] for key in item.implements],
                    kind=item.kind,
                    symbol=item.symbol,
                    issuer=item.issuer,
                    issue_date=item.issue_date,
                    signer=item.signer,
                    summary=item.summary,
                    full_text=item.full_text,
                    leader_in_charge=(
                        self.users[item.leader_in_charge] if item.leader_in_charge else None
                    ),
                )
                self.created["directives"] += 1
            self.directives[item.key] = directive

    # Tasks ---------------------------------------------------------------------------------

    def _moment(self, when: Moment) -> dt.datetime:
        return when.moment(self.today) if isinstance(when, Ago) else when

    def _member(self, department_id: int, suffix: str) -> User | None:
        code = next(c for c, d in self.departments.items() if d.pk == department_id)
        return self.users.get(f"{code.lower()}.{suffix}")

    def _actor(self, by: str, task: Task) -> User:
        office = self.users[OFFICE_USERNAME]
        if by == "office":
            return office
        if by == "leader":
            return self.users[LEADER_USERNAME]
        if by.startswith("coord:"):
            department_id = self.departments[by.removeprefix("coord:")].pk
            person = self._member(department_id, "chuyenvien") or self._member(
                department_id, "giamdoc"
            )
            if person is None:
                raise DemoError(f"{by}: đơn vị phối hợp không có tài khoản dùng thử")
            return person
        lead_id = task.lead_department_id
        head = self._member(lead_id, "giamdoc")
        if by == "head":
            return head or office
        if by == "staff":
            return self._member(lead_id, "chuyenvien") or head or office
        raise ValueError(f"unknown actor {by!r}")

    def load_tasks(self) -> None:
        office = self.users[OFFICE_USERNAME]
        for item in TASKS:
            directive = self.directives[item.directive]
            existing = Task.objects.filter(directive=directive, item_number=item.item).first()
            if existing is not None:
                self.tasks[(item.directive, item.item)] = existing
                continue
            # Relative dates never fall before the directive existed.
            floor = dt.datetime.combine(
                directive.issue_date + dt.timedelta(days=1), dt.time(8, 0), tzinfo=HN
            )
            created = max(self._moment(item.created), floor)
            steps = item.steps + (item.more_steps(self.today) if item.more_steps else ())
            if created > self.cutoff:
                self.skipped_steps += len(steps) + 1
                continue
            kind, due = resolve_deadline(item.deadline, self.today)
            task = workflow.task_create(
                directive=directive,
                actor=office,
                content=item.content,
                lead_department=self.departments[item.lead],
                deadline_kind=kind,
                due_date=due,
                item_number=item.item,
                group=item.group,
                coordinators=[(self.departments[c], part) for c, part in item.coordinators],
                output_kind=item.output_kind,
                output_description=item.output_description,
                quality_requirement=item.quality_requirement,
                report_frequency=(
                    item.deadline.frequency if isinstance(item.deadline, Periodic) else ""
                ),
                urgency=item.urgency,
                at=created,
            )
            self.created["tasks"] += 1
            last = created
            context: dict[str, Any] = {}
            for index, step in enumerate(steps):
                at = max(self._moment(step.at), floor, last + dt.timedelta(minutes=1))
                if at > self.cutoff:
                    # Not happened yet as of today: this step and the rest of the story wait.
                    self.skipped_steps += len(steps) - index
                    break
                task = Task.objects.get(pk=task.pk)
                self._run(step, task, at, context)
                last = at
            self.tasks[(item.directive, item.item)] = Task.objects.get(pk=task.pk)

    def _run(self, step: Step, task: Task, at: dt.datetime, context: dict[str, Any]) -> None:
        actor = self._actor(step.by, task)
        args = step.args
        match step.action:
            case "accept":
                workflow.task_accept(task=task.pk, actor=actor, note=args["note"], at=at)
            case "give":
                staff = self._member(task.lead_department_id, "chuyenvien")
                if staff is not None:
                    workflow.task_give_to_staff(task=task.pk, actor=actor, staff=[staff], at=at)
            case "report":
                workflow.progress_report(
                    task=task.pk,
                    actor=actor,
                    percent=args["percent"],
                    results=args["results"],
                    difficulties=args["difficulties"],
                    proposals=args["proposals"],
                    at=at,
                )
            case "extend":
                context["extension"] = workflow.extension_request(
                    task=task.pk,
                    actor=actor,
                    requested_due_date=args["requested_due_date"],
                    reason=args["reason"],
                    at=at,
                )
            case "approve":
                workflow.extension_decide(
                    request=context.pop("extension"),
                    actor=actor,
                    approve=True,
                    decision_number=args["decision_number"],
                    decision_date=args["decision_date"],
                    note=args["note"],
                    at=at,
                )
            case "submit":
                files = []
                if args["pdf"]:
                    files.append(
                        SimpleUploadedFile(
                            args["pdf"],
                            _demo_pdf(
                                task.output_description,
                                args["number"] or "Du thao",
                                args["summary"],
                            ),
                            content_type="application/pdf",
                        )
                    )
                workflow.result_submit(
                    task=task.pk,
                    actor=actor,
                    summary=args["summary"],
                    output_document_number=args["number"],
                    output_document_date=args["date"] or (at.date() if args["number"] else None),
                    files=files,
                    at=at,
                )
            case "complete":
                workflow.result_accept(
                    task=task.pk,
                    actor=actor,
                    quality_grade=args["quality_grade"],
                    remarks=args["remarks"],
                    at=at,
                )
            case "return":
                workflow.result_return(task=task.pk, actor=actor, reasons=args["reasons"], at=at)
            case "decline":
                workflow.task_decline(task=task.pk, actor=actor, reason=args["reason"], at=at)
            case "reassign":
                workflow.task_reassign(
                    task=task.pk,
                    actor=actor,
                    lead_department=self.departments[args["to"]],
                    note=args["note"],
                    at=at,
                )
            case "pause":
                workflow.task_pause(task=task.pk, actor=actor, reason=args["reason"], at=at)
            case "withdraw":
                workflow.task_withdraw(task=task.pk, actor=actor, reason=args["reason"], at=at)
            case _:
                raise ValueError(f"unknown step {step.action!r}")

    # Indicators ----------------------------------------------------------------------------

    def load_indicators(self) -> None:
        office = self.users[OFFICE_USERNAME]
        for item in INDICATORS:
            directive = self.directives[item.directive]
            indicator = Indicator.objects.filter(directive=directive, code=item.code).first()
            if indicator is None:
                indicator = Indicator.objects.create(
                    directive=directive,
                    code=item.code,
                    name=item.name,
                    unit=item.unit,
                    target=item.target,
                    stretch_target=item.stretch_target,
                    period=item.period,
                    start_date=item.start_date,
                    end_date=item.end_date,
                    department=self.departments[item.department],
                )
                self.created["indicators"] += 1
                indicator.tasks.set([t for key in item.tasks if (t := self.tasks.get(key))])
            for start, end, actual, note, reported_at in item.values:
                if end >= self.today:  # the period has not ended yet
                    continue
                if indicator.values.filter(period_start=start).exists():
                    continue
                IndicatorValue.objects.create(
                    indicator=indicator,
                    period_start=start,
                    period_end=end,
                    actual=actual,
                    note=note,
                    reported_by=office,
                    reported_at=min(reported_at, self.cutoff),
                )
                self.created["indicator_values"] += 1


# December 2025, the month of the 15/12/2025 deadline, is rated and closed (chốt kỳ) so that
# the published ranking can be read; the office's general criteria are illustrative.
RATED_MONTH = dt.date(2025, 12, 1)
GENERAL_POINTS = {"STC": "27.5", "SXD": "28", "SVHTTDL": "26.5", "SYT": "28.5", "SGDDT": "27"}
DEFAULT_GENERAL_POINTS = "27"


def load_scoring(loader: _Loader) -> None:
    from decimal import Decimal

    from . import scoring

    office = loader.users[OFFICE_USERNAME]
    period = scoring.period_open(kind="month", day=RATED_MONTH, actor=office)
    if period.is_closed:
        return
    rated = (
        scoring.statistics.in_period(Task.objects.all(), period.start, period.end)
        .values_list("lead_department__code", "lead_department_id")
        .distinct()
    )
    for code, department_id in rated:
        scoring.general_score_set(
            period=period,
            department=Department.objects.get(pk=department_id),
            points=Decimal(GENERAL_POINTS.get(code, DEFAULT_GENERAL_POINTS)),
            note="Điểm minh họa của dữ liệu mẫu.",
            actor=office,
        )
    scoring.period_close(period=period, actor=office)
    loader.created["closed_periods"] += 1


def _summarize(loader: _Loader, today: dt.date) -> DemoSummary:
    by_kind = dict(
        Department.objects.order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    by_state = dict(
        Task.objects.order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    by_bucket = dict(
        Task.objects.with_timeliness(as_of=today)
        .order_by()
        .values_list("timeliness")
        .annotate(n=Count("id"))
        .values_list("timeliness", "n")
    )
    logins = []
    for account in ACCOUNTS:
        department = loader.departments[account.department].name if account.department else "—"
        logins.append((account.username, DEMO_PASSWORD, account.role.label, department))
    return DemoSummary(
        today=today,
        created=loader.created,
        updated=loader.updated,
        skipped_steps=loader.skipped_steps,
        departments=sum(by_kind.values()),
        departments_by_kind=by_kind,
        users=User.objects.count(),
        directives=Directive.objects.count(),
        tasks=sum(by_state.values()),
        tasks_by_state=by_state,
        tasks_by_bucket=by_bucket,
        logins=logins,
    )


def load_demo(*, today: dt.date, stdout: Writer) -> DemoSummary:
    """Load the demo data as of ``today`` (all in one transaction) and print the summary."""
    now = timezone.now()
    if today > timezone.localdate(now):
        raise DemoError(
            f"Ngày {today:%d/%m/%Y} còn ở tương lai: dữ liệu mẫu chỉ ghi những việc đã xảy ra."
        )
    if today < EARLIEST_TODAY:
        raise DemoError(
            f"Dữ liệu mẫu kể diễn biến đến hết tháng 5/2026: hãy chọn ngày từ "
            f"{EARLIEST_TODAY:%d/%m/%Y} trở đi."
        )
    end_of_today = dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=HN)
    loader = _Loader(today=today, cutoff=min(now, end_of_today))
    with transaction.atomic():
        loader.load_departments()
        loader.load_users()
        loader.load_directives()
        loader.load_tasks()
        loader.load_indicators()
        load_scoring(loader)
    summary = _summarize(loader, today)
    stdout.write(summary.render())
    return summary
