"""tracker.extraction: tasks proposed from a directive's own text.

The directory is the demo's (14 city departments, 114 wards), built unsaved, so these tests need
no database except the one that reads the directory from it.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata

import pytest

from accounts.models import Department, DepartmentKind
from bench.extraction_bench import demo_directory, run
from tracker import extraction
from tracker.extraction import Directory, Proposal, fold, normalise, propose

D = dt.date
SXA = DepartmentKind.UBND_CAP_XA
SBN = DepartmentKind.SO_BAN_NGANH


@pytest.fixture(scope="module")
def directory() -> Directory:
    return demo_directory()


def assert_shapes(directory: Directory, text: str, expected: list, document_date: dt.date) -> None:
    """Each proposal as (lead, coordinators, output kind, deadline kind or "event")."""
    proposals = propose(text, directory=directory, document_date=document_date)
    got = [
        (
            name_of(directory, p.lead),
            [name_of(directory, c) for c in p.coordinators],
            p.output_kind,
            p.deadline and ("event" if p.deadline.event else p.deadline.kind),
        )
        for p in proposals
    ]
    assert got == expected, [p.source for p in proposals]


def name_of(directory: Directory, mention) -> str | None:
    if mention is None:
        return None
    if mention.department_id is not None:
        return directory.entries[mention.department_id].name
    if mention.group:
        return "@" + mention.group
    return "?" + mention.words


def one(text: str, directory: Directory, **kwargs) -> Proposal:
    proposals = propose(text, directory=directory, **kwargs)
    assert len(proposals) == 1, [p.source for p in proposals]
    return proposals[0]


# --- Normalising and folding -----------------------------------------------------------------


def test_normalise_keeps_the_words_and_drops_invisible_characters():
    text = "Giao\u00a0Sở Tài\u200b chính\r\nchủ trì  ,"
    assert normalise(text) == "Giao Sở Tài chính\nchủ trì ,"
    assert normalise(unicodedata.normalize("NFD", "Thuỷ Nguyên")) == "Thuỷ Nguyên"


@pytest.mark.parametrize(
    "a,b", [("hoà", "hòa"), ("Thuỷ", "Thủy"), ("hoá", "hóa"), ("KHOẺ", "khỏe"), ("Đà", "da")]
)
def test_fold_treats_spellings_alike(a, b):
    assert fold(a) == fold(b)
    assert fold(unicodedata.normalize("NFD", a)) == fold(a)


# --- Matching departments --------------------------------------------------------------------


@pytest.mark.parametrize(
    "written,name",
    [
        ("Sở Tài chính", "Sở Tài chính"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hóa Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("UBND phường Thuỷ Nguyên", "UBND Phường Thuỷ Nguyên"),
        ("UBND phường Thủy Nguyên", "UBND Phường Thuỷ Nguyên"),
        ("Ủy ban nhân dân phường Hòa Bình", "UBND Phường Hoà Bình"),
        ("Ban Quản lý Khu kinh tế", "Ban Quản lý Khu kinh tế Hải Phòng"),
        ("Văn phòng UBND thành phố", "Văn phòng Ủy ban nhân dân thành phố"),
        ("Thanh tra TP", "Thanh tra thành phố"),
        ("Sở Tài chính (STC)", "Sở Tài chính"),
        ("UBND xã Cẩm Giang", "UBND Xã Cẩm Giang"),
        ("UBND xã Cẩm Giàng", "UBND Xã Cẩm Giàng"),
    ],
)
def test_a_department_is_matched_as_written(directory, written, name):
    mention = directory.resolve(written)
    assert name_of(directory, mention) == name
    assert mention.words == written


def test_a_name_that_folds_to_two_communes_is_not_guessed(directory):
    mention = directory.resolve("UBND xã Cam Giang")
    assert mention.department_id is None
    assert {c.name for c in mention.candidates} == {"UBND Xã Cẩm Giang", "UBND Xã Cẩm Giàng"}


@pytest.mark.parametrize(
    "written", ["Công an thành phố", "Bộ Chỉ huy Quân sự thành phố", "Bộ Tài chính"]
)
def test_an_agency_outside_the_directory_keeps_its_words(directory, written):
    mention = directory.resolve(written)
    assert (mention.words, mention.department_id) == (written, None)


def test_an_unknown_department_gets_the_closest_names(directory):
    mention = directory.resolve("Sở Tài nguyên và Môi trường")
    assert mention.department_id is None
    assert mention.candidates[0].name == "Sở Nông nghiệp và Môi trường"
    assert len(mention.candidates) <= 3
    assert all(0 < c.score <= 1 for c in mention.candidates)


@pytest.mark.django_db
def test_the_directory_is_read_from_the_database():
    finance = Department.objects.create(name="Sở Tài chính", code="STC")
    directory = Directory.from_database()
    assert directory.resolve("Sở Tài chính").department_id == finance.pk


# --- Assignment shapes, one by one -----------------------------------------------------------


@pytest.mark.parametrize(
    "text,lead,coordinators,content",
    [
        (
            "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng và Sở Nội vụ rà soát danh mục dự án.",
            "Sở Tài chính",
            ["Sở Xây dựng", "Sở Nội vụ"],
            "Rà soát danh mục dự án",
        ),
        (
            "Đề nghị Sở Y tế tăng cường kiểm tra an toàn thực phẩm.",
            "Sở Y tế",
            [],
            "Tăng cường kiểm tra an toàn thực phẩm",
        ),
        (
            "Sở Xây dựng chủ trì, phối hợp với các sở, ngành liên quan kiểm tra hiện trường.",
            "Sở Xây dựng",
            ["?các sở, ngành liên quan"],
            "Kiểm tra hiện trường",
        ),
        (
            "Giao UBND các xã, phường, đặc khu rà soát hộ nghèo trên địa bàn.",
            "@" + SXA,
            [],
            "Rà soát hộ nghèo trên địa bàn",
        ),
        (
            "Các sở, ban, ngành, địa phương nghiêm túc thực hiện chế độ báo cáo.",
            f"@{SBN},{SXA}",
            [],
            "Nghiêm túc thực hiện chế độ báo cáo",
        ),
        (
            "Văn phòng UBND thành phố theo dõi, đôn đốc việc thực hiện.",
            "Văn phòng Ủy ban nhân dân thành phố",
            [],
            "Theo dõi, đôn đốc việc thực hiện",
        ),
        (
            "Xây dựng Đề án chính quyền đô thị (Sở Nội vụ chủ trì, Sở Tư pháp phối hợp; hoàn thành trước 30/6/2026).",
            "Sở Nội vụ",
            ["Sở Tư pháp"],
            "Xây dựng Đề án chính quyền đô thị",
        ),
        (
            "Xây dựng quy chế phối hợp; cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Sở Nội vụ, Thanh tra TP.",
            "Sở Tư pháp",
            ["Sở Nội vụ", "Thanh tra thành phố"],
            "Xây dựng quy chế phối hợp",
        ),
        (
            "Giao Sở Công Thương chủ trì, phối hợp với các cơ quan liên quan kiểm tra thị trường.",
            "Sở Công Thương",
            ["?các cơ quan liên quan"],
            "Kiểm tra thị trường",
        ),
        (
            "Đề nghị Công an thành phố bảo đảm an ninh trật tự.",
            "?Công an thành phố",
            [],
            "Bảo đảm an ninh trật tự",
        ),
        (
            "Chủ tịch UBND thành phố đề nghị Sở Ngoại vụ chuẩn bị đón đoàn công tác.",
            "Sở Ngoại vụ",
            [],
            "Chuẩn bị đón đoàn công tác",
        ),
    ],
)
def test_each_assignment_shape(directory, text, lead, coordinators, content):
    proposal = one(text, directory)
    assert name_of(directory, proposal.lead) == lead
    assert [name_of(directory, c) for c in proposal.coordinators] == coordinators
    assert proposal.content == content
    assert proposal.source == text


def test_a_lead_named_in_a_heading_is_inherited_until_another_appears(directory):
    text = (
        "Giao Sở Tài chính:\n"
        "- Tổng hợp danh mục nhiệm vụ quá hạn.\n"
        "- Hướng dẫn quyết toán dự án hoàn thành.\n"
        "2. Sở Y tế:\n"
        "a) Chuẩn bị cơ số thuốc.\n"
        "b) Kiểm tra cơ sở y tế.\n"
    )
    proposals = propose(text, directory=directory)
    assert [(p.item_number, name_of(directory, p.lead)) for p in proposals] == [
        ("", "Sở Tài chính"),
        ("", "Sở Tài chính"),
        ("2.a", "Sở Y tế"),
        ("2.b", "Sở Y tế"),
    ]
    assert proposals[2].content == "Chuẩn bị cơ số thuốc"


def test_points_after_a_lead_and_a_colon_are_separate_tasks(directory):
    proposals = propose(
        "7. Sở Giáo dục và Đào tạo: (a) chỉ đạo các trường xây dựng phương án an toàn; "
        "(b) lồng ghép kiến thức phòng, chống thiên tai.",
        directory=directory,
    )
    assert [p.item_number for p in proposals] == ["7.a", "7.b"]
    assert {name_of(directory, p.lead) for p in proposals} == {"Sở Giáo dục và Đào tạo"}


def test_field_lines_stay_with_their_item(directory):
    text = (
        "II. NHIỆM VỤ\n"
        "1. Về thể chế\n"
        "1.1. Rà soát các cơ chế, chính sách đặc thù.\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n"
        "- Cơ quan phối hợp: Sở Tài chính; UBND các xã, phường, đặc khu.\n"
        "- Sản phẩm: Báo cáo của UBND thành phố.\n"
        "- Thời gian hoàn thành: Quý III/2026.\n"
    )
    proposal = one(text, directory)
    assert proposal.item_number == "II.1.1"
    assert proposal.group == "Về thể chế"
    assert proposal.content == "Rà soát các cơ chế, chính sách đặc thù"
    assert name_of(directory, proposal.lead) == "Sở Tư pháp"
    assert [name_of(directory, c) for c in proposal.coordinators] == ["Sở Tài chính", "@" + SXA]
    assert (proposal.output_kind, proposal.deadline.kind) == ("bao_cao", "quarter")


def test_a_task_table_in_the_text_is_read_by_its_header(directory):
    text = (
        "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời hạn\n"
        "1 | Xây dựng Đề án trung tâm tài chính | Sở Tài chính | Sở Tư pháp; Sở Nội vụ | Đề án | Quý I/2026\n"
    )
    proposal = one(text, directory)
    assert (proposal.item_number, proposal.content) == ("1", "Xây dựng Đề án trung tâm tài chính")
    assert name_of(directory, proposal.lead) == "Sở Tài chính"
    assert len(proposal.coordinators) == 2
    assert (proposal.output_kind, proposal.deadline.due_date) == ("de_an", D(2026, 3, 31))


def test_an_appendix_table_after_the_signature_is_read(directory):
    text = (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n"
        "PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ\n(Kèm theo Kế hoạch số 96/KH-UBND ngày 20/3/2026)\n"
        "TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian hoàn thành\n"
        "1 | Tham mưu sử dụng nguồn dự phòng ngân sách | Sở Tài chính | Sở Y tế | Tờ trình | Khi có thiên tai xảy ra\n"
        "2 | Tổng hợp, báo cáo tổng kết | Sở Nông nghiệp và Môi trường (Chi cục Thuỷ lợi) | "
        "Viễn thông Hải Phòng; Hội đồng đánh giá tiếp cận pháp luật thành phố | | Hằng quý\n"
    )
    first, second = propose(text, directory=directory)
    assert (name_of(directory, first.lead), first.output_kind) == ("Sở Tài chính", "to_trinh")
    assert first.deadline.event == "Khi có thiên tai xảy ra"
    assert name_of(directory, second.lead) == "Sở Nông nghiệp và Môi trường"
    assert [name_of(directory, c) for c in second.coordinators] == [
        "?Viễn thông Hải Phòng",
        "?Hội đồng đánh giá tiếp cận pháp luật thành phố",
    ]
    assert (second.output_kind, second.deadline.frequency) == ("", "quarterly")


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2025, thành phố đạt tốc độ tăng trưởng GRDP 11,2%.",
        "Tổng Bí thư nhấn mạnh vai trò của Hải Phòng trong vùng đồng bằng sông Hồng.",
        "Chủ tịch UBND thành phố biểu dương Sở Xây dựng đã hoàn thành tốt nhiệm vụ.",
        "Sở Tài chính đã báo cáo kết quả giải ngân năm 2025.",
        "Văn phòng UBND thành phố thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "Ngày 16/01/2026, Chủ tịch UBND thành phố chủ trì cuộc họp về đầu tư công.",
        # recipients listed under "Kính gửi:"
        "Kính gửi:\n- Các Sở, ban, ngành thành phố;\n- Ủy ban nhân dân các quận, huyện.",
        # the closing line of a letter
        "Ủy ban nhân dân thành phố yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./.",
        "Chủ tịch UBND thành phố yêu cầu Thủ trưởng các sở, ngành nghiêm túc thực hiện Chỉ thị này.",
        # who attended, and the names listed after "các Sở:"
        "Tham dự cuộc họp có: lãnh đạo các Sở: Tài chính, Xây dựng, Tư pháp; Công an thành phố.",
        "Cùng dự có lãnh đạo các Sở: Xây dựng, Tài chính, Nội vụ; Ban Quản lý Khu kinh tế.",
        # what a leader said earlier, quoted after a colon
        "Như Tổng Bí thư đã nhấn mạnh tại buổi làm việc: Hải Phòng phải phát triển hài hoà.",
        # the grounds of a letter
        "Thực hiện Quy chế làm việc của UBND thành phố, đến nay còn 14 cơ quan chưa gửi báo cáo.",
        # enacting words of a resolution
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ.",
        # an attitude or a responsibility, not a task
        "Yêu cầu các cơ quan, đơn vị xác định giải phóng mặt bằng là nhiệm vụ chính trị trọng tâm.",
        "Các sở, ban, ngành, địa phương quán triệt tinh thần lấy người dân làm trung tâm.",
        "Thủ trưởng các sở, ban, ngành chịu trách nhiệm trước Chủ tịch UBND thành phố về kết quả.",
        # a section that states aims
        "I. MỤC TIÊU\nTổ chức triển khai kịp thời các cơ chế, chính sách đặc thù.",
        # an arrangement, and the closing line of a letter
        "Ban Tổ chức Đại hội sẽ họp định kỳ để nghe báo cáo tiến độ.",
        "Đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện./.",
        # a closing that asks to report difficulties
        "Yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện; trong quá trình triển khai nếu có khó "
        "khăn, vướng mắc, kịp thời báo cáo UBND thành phố./.",
        # an attitude, not work
        "Thủ trưởng các sở, ban, ngành quán triệt, xác định nhiệm vụ thu ngân sách là nhiệm vụ "
        "chính trị trọng tâm.",
        # nothing after the recipients and the signature but an appendix
        "Nơi nhận:\n- Các sở, ban, ngành;\n- Lưu: VT.\nCHỦ TỊCH\nSở Y tế kiểm tra an toàn thực phẩm.",
    ],
)
def test_sentences_that_report_or_praise_are_not_tasks(directory, text):
    assert propose(text, directory=directory) == []


def test_an_instruction_without_an_addressee_is_flagged(directory):
    proposal = one("Tiếp tục đẩy mạnh cải cách hành chính, cải thiện môi trường đầu tư.", directory)
    assert proposal.lead is None
    assert proposal.flag_codes == ["no_lead"]
    assert proposal.flags == ["Chưa xác định được cơ quan chủ trì."]


def test_a_deadline_before_the_document_is_flagged(directory):
    proposal = one(
        "Sở Nội vụ tham mưu ban hành Quyết định sửa đổi quy chế, hoàn thành trước ngày 05/12/2017.",
        directory,
        document_date=D(2025, 12, 11),
    )
    assert proposal.output_kind == "quyet_dinh"
    assert proposal.flags == ["Thời hạn (05/12/2017) sớm hơn ngày ban hành văn bản (11/12/2025)."]


def test_an_event_bound_deadline_is_kept_and_flagged(directory):
    proposal = one(
        "Sở Khoa học và Công nghệ xây dựng dự thảo Nghị quyết của HĐND thành phố, trình HĐND thành "
        "phố trước kỳ họp cuối năm 2025.",
        directory,
    )
    assert proposal.output_kind == "nghi_quyet_hdnd"
    assert proposal.deadline.kind == "" and proposal.deadline.event
    assert proposal.flag_codes == ["event"]


def test_the_content_drops_the_assignment_and_the_deadline(directory):
    proposal = one(
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng tham mưu UBND thành phố ban hành "
        "Kế hoạch triển khai Nghị quyết số 45-NQ/TW ngày 24/01/2019; hoàn thành trước 15/12/2025.",
        directory,
    )
    assert proposal.content == (
        "Tham mưu UBND thành phố ban hành Kế hoạch triển khai Nghị quyết số 45-NQ/TW ngày 24/01/2019"
    )
    assert proposal.deadline_text == "hoàn thành trước 15/12/2025"
    assert proposal.output_kind == "ke_hoach"
    assert proposal.output_description.startswith("Kế hoạch triển khai Nghị quyết số 45-NQ/TW")


def test_offsets_point_into_the_normalised_text(directory):
    text = "Năm 2025 có nhiều kết quả.\r\nGiao Sở Y tế\u00a0rà soát trạm y tế."
    proposal = one(text, directory)
    assert normalise(text)[proposal.start : proposal.end] == proposal.source


def test_a_proposal_round_trips_through_json(directory):
    import json

    proposal = one(
        "Đề nghị Sở VHTTDL phối hợp với UBND xã Cẩm Giang tổ chức lễ hội, trước 14 giờ, ngày "
        "05/12/2026.",
        directory,
    )
    data = json.loads(json.dumps(proposal.as_dict()))
    assert data["deadline"]["due_date"] == "2026-12-05"
    assert Proposal.from_dict(data) == proposal


# --- Shapes met in the 2017–2026 documents (session 3) -----------------------------------------


@pytest.mark.parametrize(
    "text,lead,coordinators",
    [
        # pre-2025 districts: words kept, nothing guessed
        ("UBND các quận, huyện tăng cường kiểm tra nơi công cộng.", "?UBND các quận, huyện", []),
        # a district is not the ward of the same name
        ("UBND huyện Thuỷ Nguyên tập trung nạo vét sông Thải.", "?UBND huyện Thuỷ Nguyên", []),
        ("UBND thị xã Kinh Môn bàn giao mặt bằng cho chủ đầu tư.", "?UBND thị xã Kinh Môn", []),
        # a name with a dash; a name holding "công trình" (not the verb "trình")
        (
            "Sở Lao động - Thương binh và Xã hội hướng dẫn chính sách hỗ trợ người lao động.",
            "?Sở Lao động - Thương binh và Xã hội",
            [],
        ),
        (
            "Các Công ty TNHH MTV Khai thác công trình thuỷ lợi chủ động vận hành các cống.",
            "?Các Công ty TNHH MTV Khai thác công trình thuỷ lợi",
            [],
        ),
        (
            "Thủ trưởng các chủ đầu tư tăng cường kiểm tra hiện trường.",
            "?Thủ trưởng các chủ đầu tư",
            [],
        ),
        # the ministries as a whole
        (
            "Các bộ, cơ quan ngang bộ hoàn thành việc rà soát, ủy quyền cho UBND thành phố.",
            "?Các bộ, cơ quan ngang bộ",
            [],
        ),
        # coordinators written after the work, or after another verb
        (
            "Sở Tư pháp xây dựng dự thảo quy định về hòa giải, phối hợp với Sở Nội vụ.",
            "Sở Tư pháp",
            ["Sở Nội vụ"],
        ),
        (
            "Sở Công Thương chỉ đạo, phối hợp với Công ty Điện lực Hải Phòng bảo đảm cấp điện.",
            "Sở Công Thương",
            ["?Công ty Điện lực Hải Phòng"],
        ),
        # coordinators after "chủ trì;" in brackets; a group narrowed by "có dự án"
        (
            "Rà soát danh mục dự án (Sở Tài chính chủ trì; Sở Y tế, Sở Tư pháp phối hợp).",
            "Sở Tài chính",
            ["Sở Y tế", "Sở Tư pháp"],
        ),
        (
            "Giao Sở Tài chính chủ trì, phối hợp với UBND các xã, phường có dự án thẩm định giá đất.",
            "Sở Tài chính",
            ["?UBND các xã, phường có dự án"],
        ),
        # communes named one by one after "UBND các xã"
        (
            "Lập quy hoạch; cơ quan chủ trì: Sở Xây dựng; cơ quan phối hợp: UBND các xã Kiến Hải, Tiên Lãng.",
            "Sở Xây dựng",
            ["UBND Xã Kiến Hải", "UBND Xã Tiên Lãng"],
        ),
        # the subject after a title and a colon, or after a topic
        (
            "3. Nghị quyết về danh mục thu hồi đất năm 2026: Sở Nông nghiệp và Môi trường thông báo danh mục đến các địa phương.",
            "Sở Nông nghiệp và Môi trường",
            [],
        ),
        (
            "Đối với kiến nghị bổ sung biên chế của các phường, Sở Nội vụ tổng hợp, tham mưu UBND thành phố.",
            "Sở Nội vụ",
            [],
        ),
        # the subject acts; "chỉ đạo" is its work, not an assignment to the next unit
        (
            "UBND các quận, huyện chỉ đạo UBND các xã ra quân làm thuỷ lợi nội đồng.",
            "?UBND các quận, huyện",
            [],
        ),
        # the tax offices outside the directory, in a list of partners
        (
            "Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính, Thuế thành phố Hải "
            "Phòng thường xuyên rà soát giá đất cụ thể.",
            "Sở Nông nghiệp và Môi trường",
            ["Sở Tài chính", "?Thuế thành phố Hải Phòng"],
        ),
        (
            "UBND các xã, phường, đặc khu chủ động phối hợp với Thuế cơ sở rà soát hộ kinh doanh.",
            "@ubnd_cap_xa",
            ["?Thuế cơ sở"],
        ),
        # one unit singled out
        (
            "Riêng UBND đặc khu Cát Hải chủ động bố trí lực lượng trực tại các bến tàu.",
            "UBND Đặc khu Cát Hải",
            [],
        ),
    ],
)
def test_each_shape_of_addressee(directory, text, lead, coordinators):
    proposal = one(text, directory)
    assert name_of(directory, proposal.lead) == lead
    assert [name_of(directory, c) for c in proposal.coordinators] == coordinators


@pytest.mark.parametrize(
    "text,words",
    [
        (
            "Các sở, ban, ngành, UBND các xã, phường, đặc khu xây dựng kế hoạch của đơn vị mình.",
            "Các sở, ban, ngành, UBND các xã, phường, đặc khu",
        ),
        (
            "Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, phường, đặc khu báo cáo kết quả.",
            "Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, phường, đặc khu",
        ),
        ("Các sở, ban, ngành, địa phương báo cáo kết quả.", "Các sở, ban, ngành, địa phương"),
    ],
)
def test_groups_addressed_together_are_one_lead_of_both_kinds(directory, text, words):
    proposal = one(text, directory)
    assert (proposal.lead.words, proposal.lead.department_id, proposal.lead.group) == (
        words,
        None,
        f"{SBN},{SXA}",
    )
    assert proposal.coordinators == []
    assert proposal.flag_codes == []  # a group: no department to pick, nothing to flag


def test_a_group_joined_with_units_of_no_kind_leads_with_its_own_kind(directory):
    # the pre-2025 districts are no DepartmentKind: they stay beside the departments' group
    proposal = one("Các sở, ngành, UBND các quận, huyện báo cáo kết quả thực hiện.", directory)
    assert name_of(directory, proposal.lead) == "@" + SBN
    assert [name_of(directory, c) for c in proposal.coordinators] == ["?UBND các quận, huyện"]


def test_groups_narrowed_together_keep_their_words(directory):
    proposal = one(
        "Các sở, ngành, UBND các quận, huyện chưa gửi báo cáo (danh sách kèm theo) khẩn trương "
        "hoàn thiện báo cáo.",
        directory,
    )
    assert proposal.lead.words == (
        "Các sở, ngành, UBND các quận, huyện chưa gửi báo cáo (danh sách kèm theo)"
    )
    assert (proposal.lead.department_id, proposal.lead.group) == (None, "")
    assert proposal.flag_codes == ["several_leads"]  # the clerk picks


def test_group_named_reads_a_narrowed_group(directory):
    assert extraction.group_named("các sở, ngành liên quan") == SBN
    assert extraction.group_named("UBND các xã, phường có di tích") == SXA
    assert extraction.group_named("Các sở, ban, ngành, địa phương") == f"{SBN},{SXA}"
    assert extraction.group_named("Sở Tài chính") == ""


@pytest.mark.parametrize(
    "text,leads",
    [
        (
            "UBND Xã Vĩnh Hải và UBND Xã Tứ Kỳ tổ chức kiểm điểm, báo cáo trước ngày 25/01/2026.",
            ["UBND Xã Vĩnh Hải", "UBND Xã Tứ Kỳ"],
        ),
        (
            "Đề nghị Bộ Chỉ huy Quân sự thành phố, Công an thành phố xây dựng kế hoạch cứu nạn.",
            ["?Bộ Chỉ huy Quân sự thành phố", "?Công an thành phố"],
        ),
    ],
)
def test_units_named_together_get_one_task_each(directory, text, leads):
    proposals = propose(text, directory=directory)
    assert [name_of(directory, p.lead) for p in proposals] == leads
    assert all(p.coordinators == [] and p.source == text for p in proposals)
    assert all("several_leads" not in p.flag_codes for p in proposals)


def test_a_lead_named_alone_as_a_heading_is_inherited(directory):
    text = (
        "1. Công an thành phố\n"
        "+ Chủ trì, phối hợp với các lực lượng chức năng mở đợt cao điểm tuần tra.\n"
        "+ Xây dựng phương án phân luồng giao thông, hoàn thành trước ngày 20/01/2026.\n"
        "2. Sở Xây dựng\n"
        "+ Chỉ đạo các bến xe xây dựng kế hoạch tăng cường phương tiện.\n"
    )
    proposals = propose(text, directory=directory)
    assert [name_of(directory, p.lead) for p in proposals] == [
        "?Công an thành phố",
        "?Công an thành phố",
        "Sở Xây dựng",
    ]


def test_a_unit_the_inherited_lead_directs_is_not_the_lead(directory):
    proposal = one(
        "Giao Sở Nông nghiệp và Môi trường:\n"
        "b) Chỉ đạo Chi cục Chăn nuôi, Thú y và Thủy sản tăng cường giám sát dịch bệnh.",
        directory,
    )
    assert name_of(directory, proposal.lead) == "Sở Nông nghiệp và Môi trường"


def test_a_second_sentence_opened_by_dong_thoi_is_the_same_subjects_next_task(directory):
    proposals = propose(
        "2. Sở Xây dựng tham mưu ban hành Chỉ thị về trật tự xây dựng, trình trước ngày "
        "15/3/2026. Đồng thời, chủ trì xây dựng dự thảo Quyết định quy phạm pháp luật về cấp "
        "phép, gửi Sở Tư pháp thẩm định trước ngày 10/4/2026.",
        directory=directory,
    )
    assert [
        (name_of(directory, p.lead), p.deadline.due_date, p.output_kind) for p in proposals
    ] == [
        ("Sở Xây dựng", D(2026, 3, 15), "khac"),
        ("Sở Xây dựng", D(2026, 4, 10), "du_thao_qppl"),
    ]


def test_the_points_under_an_intro_share_its_deadline_and_output(directory):
    proposals = propose(
        "1. Đề nghị các cơ quan sau khẩn trương trả lời bằng văn bản, chậm nhất ngày 28/11/2025:\n"
        "- Sở Xây dựng: 14 kiến nghị về chống ngập úng;\n"
        "- Sở Y tế: 6 kiến nghị về bảo hiểm y tế.\n",
        directory=directory,
    )
    assert [
        (name_of(directory, p.lead), p.deadline.due_date, p.output_kind) for p in proposals
    ] == [
        ("Sở Xây dựng", D(2025, 11, 28), "khac"),
        ("Sở Y tế", D(2025, 11, 28), "khac"),
    ]
    # an intro that announces rather than assigns passes nothing on
    proposals = propose(
        "Sau khi nghe Sở Tài chính báo cáo, Chủ tịch UBND thành phố kết luận như sau:\n"
        "1. Sở Y tế tăng cường kiểm tra an toàn thực phẩm.\n",
        directory=directory,
    )
    assert proposals[0].deadline is None


def test_a_numbered_line_over_its_sub_items_is_a_heading(directory):
    proposals = propose(
        "1. Xây dựng cơ chế, chính sách\n"
        "1.1. Sở Y tế xây dựng Quyết định phân cấp quản lý nhà nước về y tế.\n"
        "2. Sơ kết, rút kinh nghiệm công tác tổ chức Đại hội trong tháng 6/2026.\n",
        directory=directory,
    )
    assert [(p.item_number, p.group) for p in proposals] == [
        ("1.1", "Xây dựng cơ chế, chính sách"),
        ("2", ""),
    ]


def test_the_subject_after_a_time_clause(directory):
    proposal = one(
        "Sau khi kết thúc Đại hội, Sở Nội vụ phối hợp với Sở Y tế tham mưu Quyết định khen thưởng.",
        directory,
    )
    assert name_of(directory, proposal.lead) == "Sở Nội vụ"
    assert [name_of(directory, c) for c in proposal.coordinators] == ["Sở Y tế"]
    assert proposal.deadline.event == "Sau khi kết thúc Đại hội"


def test_a_bracket_with_thuc_hien_names_the_lead_and_its_rest_the_output(directory):
    proposal = one(
        "Rà soát 12 vụ việc; đề xuất phương án giải quyết (Thanh tra thành phố chủ trì, Sở Tư "
        "pháp phối hợp; báo cáo UBND thành phố trước 30/4/2026).",
        directory,
    )
    assert (name_of(directory, proposal.lead), proposal.output_kind) == (
        "Thanh tra thành phố",
        "bao_cao",
    )
    proposal = one(
        "Ban hành quyết định giải quyết khiếu nại (UBND Phường Hải An thực hiện; thời hạn hoàn "
        "thành trước ngày 28/02/2026).",
        directory,
    )
    assert name_of(directory, proposal.lead) == "UBND Phường Hải An"


@pytest.mark.parametrize(
    "text,kind",
    [
        (
            "Sở Tư pháp xây dựng dự thảo Quyết định quy phạm pháp luật về bồi thường.",
            "du_thao_qppl",
        ),
        (
            "Bộ Tài chính xây dựng dự thảo Nghị định quy định chi tiết cơ chế tài chính.",
            "du_thao_qppl",
        ),
        ("Sở Y tế chuẩn bị phương án thu dung, điều trị 2.000 giường bệnh.", "khac"),
        ("Ban Quản lý Khu kinh tế xây dựng Quy chế phối hợp quản lý khu thương mại tự do.", "khac"),
        ("Sở Giáo dục và Đào tạo ban hành văn bản hướng dẫn thu học phí.", "khac"),
        ("Ban Quản lý Khu kinh tế nghiên cứu, trả lời bằng văn bản kiến nghị của phường.", "khac"),
        # a report on carrying out a plan: the plan is not the output
        (
            "Sở Kế hoạch và Đầu tư hoàn thiện Báo cáo đánh giá tình hình thực hiện kế hoạch năm 2017.",
            "bao_cao",
        ),
        (
            "Văn phòng UBND thành phố theo dõi việc thực hiện Kế hoạch; định kỳ hằng quý báo cáo kết quả.",
            "bao_cao",
        ),
        # reviewing legal documents is not drafting one
        (
            "Sở Tư pháp rà soát, hệ thống hoá văn bản quy phạm pháp luật; báo cáo kết quả rà soát.",
            "bao_cao",
        ),
        # a plan the lead asks others to write, or approves itself, is not its output
        ("Sở Y tế hướng dẫn các cơ sở y tế xây dựng phương án phòng, chống dịch.", ""),
        # a report when something comes up is not the output
        ("Văn phòng Chính phủ theo dõi; kịp thời báo cáo Thủ tướng những vấn đề phát sinh.", ""),
        # a report named inside the guidance's description; a decision that already exists
        ("Sở Nội vụ ban hành văn bản hướng dẫn đề cương, biểu mẫu báo cáo tổng kết.", "khac"),
        ("UBND Phường Hải An cưỡng chế các công trình đã có quyết định xử phạt.", ""),
        (
            "Sở Khoa học và Công nghệ xây dựng dự thảo Quyết định ban hành Quy định phân công "
            "trách nhiệm (văn bản quy phạm pháp luật).",
            "du_thao_qppl",
        ),
        # a draft resolution of the council, whatever verb writes it
        (
            "Sở Tài chính tham mưu xây dựng dự thảo Nghị quyết của HĐND thành phố quy định mức hỗ "
            "trợ.",
            "nghi_quyet_hdnd",
        ),
        # a programme, and guidance on standards
        (
            "Sở Lao động - Thương binh và Xã hội xây dựng Chương trình giảm nghèo bền vững.",
            "khac",
        ),
        ("Sở Công Thương hướng dẫn tiêu chuẩn an toàn đối với khu vực sạc pin xe điện.", "khac"),
        # a report on carrying out a plan is a report
        (
            "Sở Y tế tổng hợp kết quả triển khai Kế hoạch, báo cáo UBND thành phố.",
            "bao_cao",
        ),
    ],
)
def test_each_output_kind(directory, text, kind):
    assert one(text, directory).output_kind == kind


def test_another_subject_after_a_semicolon_is_another_task(directory):
    proposals = propose(
        "2.5. UBND xã Kiến Hải bàn giao mặt bằng trong tháng 4/2026; UBND xã Tiên Lãng bàn giao "
        "mặt bằng trong tháng 5/2026.",
        directory=directory,
    )
    assert [(name_of(directory, p.lead), p.deadline.due_date) for p in proposals] == [
        ("UBND Xã Kiến Hải", D(2026, 4, 30)),
        ("UBND Xã Tiên Lãng", D(2026, 5, 31)),
    ]
    assert all(p.item_number == "2.5" for p in proposals)


def test_a_part_named_with_trong_do_shares_the_deadline(directory):
    proposals = propose(
        "3. UBND các quận, huyện ra quân làm thuỷ lợi nội đồng, hoàn thành trước Tết Nguyên đán; "
        "trong đó, UBND huyện Thuỷ Nguyên tập trung nạo vét sông Thải.",
        directory=directory,
    )
    assert [p.lead.words for p in proposals] == ["UBND các quận, huyện", "UBND huyện Thuỷ Nguyên"]
    assert proposals[1].deadline == proposals[0].deadline
    assert proposals[1].deadline.event == "trước Tết Nguyên đán"


def test_each_leads_own_deadline_makes_its_own_task(directory):
    proposals = propose(
        "5. Sở Y tế, Sở Giáo dục và Đào tạo hoàn thành việc triển khai sổ sức khỏe điện tử và học bạ "
        "số; trong đó Sở Y tế hoàn thành trước ngày 30/6/2026, Sở Giáo dục và Đào tạo hoàn thành "
        "trước khi kết thúc năm học 2025 - 2026.",
        directory=directory,
    )
    assert [(name_of(directory, p.lead), p.coordinators) for p in proposals] == [
        ("Sở Y tế", []),
        ("Sở Giáo dục và Đào tạo", []),
    ]
    assert {p.content for p in proposals} == {
        "Hoàn thành việc triển khai sổ sức khỏe điện tử và học bạ số"
    }
    assert proposals[0].source.startswith("Sở Y tế, Sở Giáo dục")  # the whole, then its share
    assert (proposals[0].deadline.due_date, proposals[1].deadline.event) == (
        D(2026, 6, 30),
        "trước khi kết thúc năm học 2025 - 2026",
    )


def test_a_second_task_with_its_own_deadline_keeps_the_subject(directory):
    proposals = propose(
        "2. Các sở, ngành xây dựng kế hoạch cải cách hành chính, gửi Sở Nội vụ trước ngày "
        "25/01/2026; định kỳ hằng quý báo cáo kết quả thực hiện.",
        directory=directory,
    )
    assert [(p.lead.group, p.output_kind, p.deadline.kind) for p in proposals] == [
        (SBN, "ke_hoach", "date"),
        (SBN, "bao_cao", "periodic"),
    ]
    # "…; hoàn thành trước …" is the deadline of the clause before, not a second task
    assert (
        len(
            propose(
                "Sở Nội vụ tham mưu sắp xếp bộ máy sau khi kiện toàn; hoàn thành trước ngày 31/3/2026.",
                directory=directory,
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        # "Đề nghị X:" over lettered points, X outside the directory
        (
            "2. Đề nghị Thuế thành phố Hải Phòng:\n"
            "a) Rà soát, nắm chắc nguồn thu trên địa bàn.\n"
            "b) Đẩy mạnh thu hồi nợ đọng thuế, phấn đấu đến ngày 31/12/2026 nợ thuế dưới 8%.",
            [
                ("?Thuế thành phố Hải Phòng", [], "", None),
                ("?Thuế thành phố Hải Phòng", [], "", "date"),
            ],
        ),
        # the lead's standing in brackets before its points
        (
            "1. Sở Y tế (cơ quan thường trực Ban Chỉ đạo liên ngành về an toàn thực phẩm):\n"
            "a) Thành lập các đoàn kiểm tra liên ngành, hoàn thành trước ngày 26/12/2025.\n"
            "b) Tổng hợp kết quả triển khai Kế hoạch, báo cáo UBND thành phố trước ngày "
            "20/3/2026.",
            [("Sở Y tế", [], "", "date"), ("Sở Y tế", [], "bao_cao", "date")],
        ),
        # "…; phối hợp với Y <verb> …": the subject's second task, with a partner; the next one
        # is the subject's again, without it
        (
            "Sở Văn hoá, Thể thao và Du lịch: chỉ đạo Ban tổ chức lễ hội bố trí khu vực ăn uống "
            "riêng; phối hợp với Sở Y tế kiểm tra các cơ sở lưu trú trước khi vào mùa cao điểm; "
            "công bố đường dây "
            "nóng hỗ trợ du khách trong suốt mùa du lịch hè; tổng hợp kết quả, báo cáo UBND "
            "thành phố trước ngày 15/9/2026.",
            [
                ("Sở Văn hóa, Thể thao và Du lịch", [], "", None),
                ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Y tế"], "", "event"),
                ("Sở Văn hóa, Thể thao và Du lịch", [], "", "event"),
                ("Sở Văn hóa, Thể thao và Du lịch", [], "bao_cao", "date"),
            ],
        ),
        # work through a season and the regular report on it: one task
        (
            "Sở Xây dựng tổ chức trực ban nghiêm túc trong mùa mưa bão; định kỳ hằng tháng báo "
            "cáo tình hình về Sở Nông nghiệp và Môi trường.",
            [("Sở Xây dựng", [], "bao_cao", "periodic")],
        ),
        # a short numbered title over an unnumbered paragraph
        (
            "II. NHIỆM VỤ\n1. Tuyên truyền, nâng cao nhận thức\n"
            "Tổ chức chiến dịch truyền thông về rác thải nhựa (Sở Y tế chủ trì; hoàn thành "
            "trong tháng 11/2026).",
            [("Sở Y tế", [], "", "month")],
        ),
        # one field a line under "Nhiệm vụ N"; an empty "Sản phẩm:" takes nothing from the next
        # line, and a product listing the submission and the draft is the draft
        (
            "Nhiệm vụ 1\n"
            "Nội dung: Xây dựng dự thảo Nghị quyết của HĐND thành phố về chính sách hỗ trợ\n"
            "Cơ quan chủ trì: Sở Tài chính\n"
            "Cơ quan phối hợp: Sở Tư pháp\n"
            "Sản phẩm: Tờ trình, dự thảo Nghị quyết HĐND thành phố\n"
            "Thời gian hoàn thành: Quý III/2026\n\n"
            "Nhiệm vụ 2\n"
            "Nội dung: Rà soát, cập nhật hiện trạng sử dụng đất trong khu vực dự án\n"
            "Cơ quan chủ trì: Sở Xây dựng\n"
            "Cơ quan phối hợp: Sở Tư pháp\n"
            "Sản phẩm:\n"
            "Thời gian hoàn thành: Theo tiến độ dự án được phê duyệt",
            [
                ("Sở Tài chính", ["Sở Tư pháp"], "nghi_quyet_hdnd", "quarter"),
                ("Sở Xây dựng", ["Sở Tư pháp"], "", "event"),
            ],
        ),
        # a table's product cell naming a file and the submission in it
        (
            "STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Kết quả, sản phẩm | Thời hạn\n"
            "1 | Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn | Sở Xây dựng | Sở Tư pháp | "
            "Hồ sơ, tờ trình đề nghị công nhận | Trước ngày 15/10/2026",
            [("Sở Xây dựng", ["Sở Tư pháp"], "to_trinh", "date")],
        ),
    ],
)
def test_each_shape_of_the_third_round(directory, text, expected):
    assert_shapes(directory, text, expected, dt.date(2025, 12, 1))


@pytest.mark.parametrize(
    "text,expected",
    [
        # "Sở X: A; B; C <time>": every point is a task, the time the last one's only
        (
            "Sở Khoa học và Công nghệ: tổ chức Chương trình hỗ trợ khởi nghiệp năm 2026; hỗ trợ "
            "50 doanh nghiệp đăng ký bảo hộ quyền sở hữu công nghiệp; tổng kết chương trình, báo "
            "cáo UBND thành phố trong tháng 12/2026.",
            [
                ("Sở Khoa học và Công nghệ", [], "", None),
                ("Sở Khoa học và Công nghệ", [], "", None),
                ("Sở Khoa học và Công nghệ", [], "bao_cao", "month"),
            ],
        ),
        # "A; B <time>" outside a list: B is a task of its own, and A keeps no time …
        (
            "Sở Tài chính cân đối, bố trí kinh phí hỗ trợ tiền điện cho hộ nghèo; cấp phát kịp "
            "thời kinh phí hỗ trợ nhà ở cho các địa phương trong Quý III/2026.",
            [("Sở Tài chính", [], "", None), ("Sở Tài chính", [], "", "quarter")],
        ),
        # … unless B hands in A's result, or is a short closing step
        (
            "Sở Xây dựng rà soát nhu cầu nhà ở của công nhân tại các khu công nghiệp; đề xuất "
            "bổ sung quỹ đất, báo cáo UBND thành phố trong Quý I/2026.",
            [("Sở Xây dựng", [], "bao_cao", "quarter")],
        ),
        (
            "Sở Xây dựng rà soát quỹ đất tại các cụm công nghiệp để bố trí mặt bằng sản xuất; "
            "công bố danh mục trước ngày 30/6/2026.",
            [("Sở Xây dựng", [], "khac", "date")],
        ),
        # "A <time>; B": B is a task with no time
        (
            "Giao Văn phòng UBND thành phố tổng hợp các kiến nghị, trả lời nhà đầu tư bằng văn "
            "bản chậm nhất ngày 20/10/2026; theo dõi, đôn đốc việc thực hiện kết luận này.",
            [
                ("Văn phòng Ủy ban nhân dân thành phố", [], "khac", "date"),
                ("Văn phòng Ủy ban nhân dân thành phố", [], "", None),
            ],
        ),
        # a time that opens the list covers each point
        (
            "Trong Quý II/2026, Sở Xây dựng: rà soát quỹ đất tại các cụm công nghiệp; xây dựng "
            "phương án bố trí mặt bằng cho doanh nghiệp.",
            [("Sở Xây dựng", [], "", "quarter"), ("Sở Xây dựng", [], "khac", "quarter")],
        ),
        # the partners help with the first task; a report, or a task opened by "đồng thời", is
        # the lead's own
        (
            "Giao Sở Nông nghiệp và Môi trường chủ trì, phối hợp với UBND xã An Hưng hoàn thành "
            "thủ tục giao đất trước ngày 31/8/2026; báo cáo Chủ tịch UBND thành phố kết quả trước "
            "10 giờ ngày 12/10/2026.",
            [
                ("Sở Nông nghiệp và Môi trường", ["UBND Xã An Hưng"], "", "date"),
                ("Sở Nông nghiệp và Môi trường", [], "bao_cao", "date"),
            ],
        ),
        (
            "Giao Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Xây dựng kiểm tra, xử lý "
            "hành vi khai thác trái phép; đồng thời rà soát việc tuân thủ giấy phép khai thác "
            "khoáng sản, báo cáo kết quả trong năm 2026.",
            [
                ("Sở Nông nghiệp và Môi trường", ["Sở Xây dựng"], "", None),
                ("Sở Nông nghiệp và Môi trường", [], "bao_cao", "year"),
            ],
        ),
        # "…; đề nghị X …": another addressee, kept as written outside the directory
        (
            "Giao Sở Tài chính chỉ đạo Quỹ Bảo lãnh tín dụng rà soát, sửa đổi Điều lệ của Quỹ; "
            "đề nghị Ngân hàng Nhà nước Chi nhánh Khu vực 4 chỉ đạo các tổ chức tín dụng đẩy "
            "mạnh kết nối ngân hàng - doanh nghiệp.",
            [
                ("Sở Tài chính", [], "khac", None),
                ("?Ngân hàng Nhà nước Chi nhánh Khu vực 4", [], "", None),
            ],
        ),
        # "…; phối hợp với Y <any verb> …": the addressee's second task, with its partner
        (
            "Đề nghị Bảo hiểm xã hội thành phố bảo đảm quyền lợi khám, chữa bệnh cho người cao "
            "tuổi; phối hợp với Sở Y tế cải cách thủ tục thanh toán chi phí khám bệnh.",
            [
                ("?Bảo hiểm xã hội thành phố", [], "", None),
                ("?Bảo hiểm xã hội thành phố", ["Sở Y tế"], "", None),
            ],
        ),
        # agencies outside the directory: customs, an association, the Front with its members,
        # a name with commas in it, the city's name ending a name
        (
            "Đề nghị Hải quan khu vực III phối hợp với Hiệp hội Doanh nghiệp thành phố đẩy mạnh "
            "thủ tục hải quan điện tử.",
            [("?Hải quan khu vực III", ["?Hiệp hội Doanh nghiệp thành phố"], "", None)],
        ),
        (
            "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội "
            "tham gia giám sát việc thực hiện các chính sách hỗ trợ.",
            [
                (
                    "?Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
                    ["?các tổ chức chính trị - xã hội"],
                    "",
                    None,
                )
            ],
        ),
        (
            "Hướng dẫn yêu cầu an toàn phòng cháy đối với công trình; cơ quan chủ trì: Sở Xây "
            "dựng; cơ quan phối hợp: Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an "
            "thành phố; thời gian hoàn thành: Quý IV/2026.",
            [
                (
                    "Sở Xây dựng",
                    ["?Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an thành phố"],
                    "khac",
                    "quarter",
                )
            ],
        ),
        (
            "Bộ Chỉ huy Quân sự thành phố chủ trì, phối hợp với Công an thành phố thu gom, tiêu "
            "huỷ bom mìn còn sót lại khi phát hiện hoặc khi được địa phương thông báo.",
            [("?Bộ Chỉ huy Quân sự thành phố", ["?Công an thành phố"], "", "event")],
        ),
        # the purpose before "… yêu cầu:" gives its points no deadline
        (
            "Để chủ động ứng phó với ngập úng trong mùa mưa năm 2026, Chủ tịch UBND thành phố "
            "yêu cầu:\n1. Các sở, ban, ngành bảo đảm thoát nước tại các công trình đang thi công.",
            [("@so_ban_nganh", [], "", None)],
        ),
        # outputs: amending a legal decision, a plan that takes the work in, a thing made, the
        # council's resolution
        (
            "Sở Công Thương tham mưu UBND thành phố sửa đổi Quyết định số 44/2019/QĐ-UBND về quy "
            "chế phối hợp quản lý vật liệu nổ.",
            [("Sở Công Thương", [], "du_thao_qppl", None)],
        ),
        (
            "Giao Thanh tra thành phố đưa nội dung quản lý vật liệu nổ vào kế hoạch thanh tra năm "
            "2027.",
            [("Thanh tra thành phố", [], "ke_hoach", None)],
        ),
        (
            "Sở Văn hóa, Thể thao và Du lịch lập hồ sơ đề nghị xếp hạng di tích quốc gia.",
            [("Sở Văn hóa, Thể thao và Du lịch", [], "khac", None)],
        ),
        (
            "Sở Công Thương nghiên cứu, đề xuất cơ chế hỗ trợ hộ nghèo lắp đặt điện mặt trời, "
            "trình HĐND thành phố xem xét tại kỳ họp cuối năm 2026.",
            [("Sở Công Thương", [], "nghi_quyet_hdnd", "event")],
        ),
    ],
)
def test_each_shape_of_the_fourth_round(directory, text, expected):
    assert_shapes(directory, text, expected, dt.date(2026, 5, 1))


@pytest.mark.parametrize(
    "text,expected",
    [
        # what units are or have reached is praise, not a task
        (
            "Năm 2025, thành phố đã thu nhận hơn 1,12 triệu hồ sơ định danh điện tử mức độ 2. "
            "Công an thành phố, Sở Y tế và UBND phường Lê Chân là các đơn vị có nhiều cách làm "
            "hay.",
            [],
        ),
        (
            "Theo báo cáo của Sở Tài chính, toàn thành phố giải ngân được 21.345 tỷ đồng. Ban "
            "Quản lý Khu kinh tế Hải Phòng, UBND xã Nam Sách và UBND phường Thủy Nguyên có tỷ lệ "
            "giải ngân trên 85%, cao hơn bình quân chung.",
            [],
        ),
        # an account of a meeting (opening with its date) and who attended it
        (
            "Ngày 08/10/2026, tại trụ sở UBND thành phố, đồng chí Chủ tịch UBND thành phố chủ "
            "trì cuộc họp nghe báo cáo tiến độ giải phóng mặt bằng các dự án: Đường vành đai 2 "
            "(đoạn qua phường An Dương, phường An Hải), Đường trục kết nối Khu kinh tế ven biển "
            "phía Nam với Quốc lộ 10 và Cầu Lai Vu mới. Tham dự cuộc họp có lãnh đạo Văn phòng "
            "UBND thành phố; các Sở: Xây dựng, Tài chính, Nông nghiệp và Môi trường, Tư pháp; "
            "Thanh tra thành phố; Công an thành phố; Ban Quản lý dự án đầu tư xây dựng các công "
            "trình giao thông thành phố; UBND các phường An Dương, An Hải, Hồng An và UBND các "
            "xã Kim Thành, Lai Khê, Tiên Lãng.",
            [],
        ),
        # a sentence summing up the annex (its rows are the tasks)
        (
            "IV. NHIỆM VỤ, GIẢI PHÁP\nTập trung hoàn thiện thể chế, làm sạch dữ liệu, phát triển "
            "các tiện ích phục vụ người dân và doanh nghiệp, bảo đảm an ninh, an toàn thông tin "
            "(chi tiết nhiệm vụ tại Phụ lục kèm theo).",
            [],
        ),
        # a lead named alone with its standing in brackets heads the points under it
        (
            "V. TỔ CHỨC THỰC HIỆN\n1. Công an thành phố (cơ quan thường trực Tổ công tác triển "
            "khai Đề án 06 thành phố)\n- Chủ trì, phối hợp với Văn phòng UBND thành phố hướng "
            "dẫn, kiểm tra, đôn đốc các sở, ngành, địa phương triển khai Kế hoạch này;\n- Tổng "
            "hợp kết quả, báo cáo UBND thành phố và Tổ công tác triển khai Đề án 06 của Chính "
            "phủ định kỳ hằng tháng (trước ngày 20) và đột xuất khi có yêu cầu.\n2. Sở Tài chính "
            "chủ trì tham mưu UBND thành phố bố trí kinh phí thực hiện Kế hoạch theo phân cấp "
            "ngân sách hiện hành.",
            [
                ("?Công an thành phố", ["Văn phòng Ủy ban nhân dân thành phố"], "", None),
                ("?Công an thành phố", [], "bao_cao", "periodic"),
                ("Sở Tài chính", [], "", None),
            ],
        ),
        # a board's name runs through what it builds, up to the city's name
        (
            "2.6. Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố phối hợp "
            "chặt chẽ với UBND xã Lai Khê đẩy nhanh tiến độ xây dựng hạ tầng khu tái định cư Lai "
            "Khê, bảo đảm đủ điều kiện bàn giao đất ở cho các hộ dân trong Quý IV/2026.",
            [
                (
                    "?Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố",
                    ["UBND Xã Lai Khê"],
                    "",
                    "quarter",
                )
            ],
        ),
        (
            "2.1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính và Ban Quản lý dự án đầu "
            "tư xây dựng các công trình giao thông thành phố rà soát toàn bộ khối lượng mặt bằng "
            "còn vướng mắc của từng dự án, lập danh mục cụ thể theo từng địa phương, báo cáo "
            "UBND thành phố trước ngày 25/10/2026.",
            [
                (
                    "Sở Xây dựng",
                    [
                        "Sở Tài chính",
                        "?Ban Quản lý dự án đầu tư xây dựng các công trình giao thông thành phố",
                    ],
                    "bao_cao",
                    "date",
                )
            ],
        ),
        # the power company outside the directory; a condition of its own makes a task
        (
            "7. Đề nghị Điện lực Hải Phòng kiểm tra, gia cố hệ thống lưới điện, bảo đảm cấp điện "
            "ưu tiên cho các trạm bơm tiêu úng và cơ quan chỉ huy phòng, chống thiên tai; khẩn "
            "trương khôi phục cấp điện trong vòng 24 giờ khi xảy ra sự cố do thiên tai.",
            [("?Điện lực Hải Phòng", [], "", None), ("?Điện lực Hải Phòng", [], "", "event")],
        ),
        # "khi có …" of any kind is a condition; "có văn bản đề xuất" is an output
        (
            "1. Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, phường, đặc khu:\na) Rà soát "
            "từng dự án, xác định cụ thể khối lượng, giá trị có khả năng giải ngân đến ngày "
            "31/01/2027 và báo cáo về Sở Tài chính trước 14 giờ, ngày 05/12/2026;\nb) Tập trung "
            "nghiệm thu, thanh toán ngay khi có khối lượng hoàn thành, không để dồn hồ sơ thanh "
            "toán vào những ngày cuối năm;\nc) Đối với các dự án không có khả năng giải ngân hết "
            "kế hoạch vốn, có văn bản đề xuất điều chuyển vốn gửi Sở Tài chính chậm nhất ngày "
            "10/12/2026.\nNgười đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch UBND "
            "thành phố về kết quả giải ngân của đơn vị mình.",
            [
                ("@so_ban_nganh,ubnd_cap_xa", [], "bao_cao", "date"),
                ("@so_ban_nganh,ubnd_cap_xa", [], "", "event"),
                ("@so_ban_nganh,ubnd_cap_xa", [], "khac", "date"),
            ],
        ),
        (
            "2. UBND các xã, phường, đặc khu:\na) Tổ chức kiểm tra, đánh giá hiện trạng đê điều, "
            "công trình thủy lợi, kè biển trên địa bàn trước mùa mưa bão, hoàn thành trước ngày "
            "31/5/2026;\nb) Khi có bão mạnh đổ bộ, tổ chức sơ tán người dân khỏi các khu vực nguy "
            "hiểm, nhà ở không bảo đảm an toàn, lồng bè nuôi trồng thủy sản.",
            [("@ubnd_cap_xa", [], "", "date"), ("@ubnd_cap_xa", [], "", "event")],
        ),
        (
            "7. UBND các quận, huyện:\n- Chỉ đạo bộ phận tiếp nhận và trả kết quả công khai đầy "
            "đủ thủ tục hành chính, không yêu cầu doanh nghiệp bổ sung giấy tờ ngoài quy định;\n- "
            "Hằng năm, tổ chức khảo sát mức độ hài lòng của doanh nghiệp đối với cơ quan hành "
            "chính trên địa bàn;\n- Chủ động tháo gỡ vướng mắc về mặt bằng sản xuất khi có kiến "
            "nghị của doanh nghiệp.",
            [
                ("?UBND các quận, huyện", [], "", None),
                ("?UBND các quận, huyện", [], "", "periodic"),
                ("?UBND các quận, huyện", [], "", "event"),
            ],
        ),
        # a sentence opening with a period of its own is the subject's next task
        (
            "9. Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tham mưu UBND "
            "thành phố sử dụng Quỹ Phòng, chống thiên tai thành phố cho các công trình xử lý "
            "khẩn cấp sạt lở đê, kè. Hằng năm, Sở Tài chính cân đối, tham mưu bố trí dự phòng "
            "ngân sách thành phố cho công tác khắc phục hậu quả thiên tai.",
            [
                ("Sở Tài chính", ["Sở Nông nghiệp và Môi trường"], "", None),
                ("Sở Tài chính", [], "", "periodic"),
            ],
        ),
        (
            "6. UBND các xã, phường, đặc khu thường xuyên tuyên truyền, vận động người dân sử "
            "dụng nước sạch, giữ gìn vệ sinh môi trường. Hằng năm, rà soát, cập nhật danh sách "
            "hộ nghèo, hộ cận nghèo được hỗ trợ đấu nối nước sạch, gửi Sở Tài chính tổng hợp.",
            [("@ubnd_cap_xa", [], "", "continuous"), ("@ubnd_cap_xa", [], "", "periodic")],
        ),
        (
            "1. Trong Quý III/2020, Sở Kế hoạch và Đầu tư chủ trì: tổ chức Hội nghị đối thoại "
            "giữa lãnh đạo thành phố với cộng đồng doanh nghiệp về tháo gỡ khó khăn do tác động "
            "của dịch Covid-19; xây dựng Đề án đánh giá năng lực cạnh tranh cấp sở, ngành và "
            "quận, huyện (DDCI), trình UBND thành phố. Định kỳ hằng quý, Sở Kế hoạch và Đầu tư "
            "tổng hợp tình hình thực hiện các giải pháp cải thiện PCI, báo cáo UBND thành phố.",
            [
                ("?Sở Kế hoạch và Đầu tư", [], "", "quarter"),
                ("?Sở Kế hoạch và Đầu tư", [], "de_an", "quarter"),
                ("?Sở Kế hoạch và Đầu tư", [], "bao_cao", "periodic"),
            ],
        ),
        # "từ ngày A đến ngày B" is due on B
        (
            "2. Sở Công Thương\na) Chủ trì, phối hợp với Sở Tài chính xây dựng kế hoạch bảo đảm "
            "cân đối cung cầu, bình ổn giá cả thị trường dịp cuối năm và Tết Nguyên đán, hoàn "
            "thành trước ngày 20/12/2026.\nb) Chỉ đạo Chi cục Quản lý thị trường tăng cường kiểm "
            "tra, xử lý nghiêm hành vi buôn lậu, gian lận thương mại, kinh doanh hàng giả, hàng "
            "kém chất lượng trong cao điểm từ ngày 15/12/2026 đến ngày 15/02/2027.",
            [
                ("Sở Công Thương", ["Sở Tài chính"], "ke_hoach", "date"),
                ("Sở Công Thương", [], "", "date"),
            ],
        ),
        # "…; các nội dung trên hoàn thành trước …" covers each task of the sentence
        (
            "8. UBND các xã, phường, đặc khu: rà soát, lập danh sách người có công, hộ nghèo, "
            "người có hoàn cảnh khó khăn cần hỗ trợ dịp Tết; kiểm tra, ngăn chặn việc sản xuất, "
            "buôn bán, tàng trữ pháo nổ trái phép trên địa bàn; các nội dung trên hoàn thành "
            "trước ngày 25/01/2027.",
            [("@ubnd_cap_xa", [], "", "date"), ("@ubnd_cap_xa", [], "", "date")],
        ),
        # a list the task makes public or proposes is its output
        (
            "3. UBND các xã, phường, đặc khu rà soát quỹ đất trên địa bàn, công bố công khai "
            "danh mục vị trí đất dành để phát triển nhà ở xã hội, hoàn thành trong tháng 8/2026.",
            [("@ubnd_cap_xa", [], "khac", "month")],
        ),
        (
            "1. Sở Y tế:\na) Chủ trì, phối hợp với Sở Tài chính rà soát hiện trạng cơ sở vật "
            "chất, trang thiết bị của các trạm y tế xã, phường, đặc khu, đề xuất danh mục đầu "
            "tư, sửa chữa trình UBND thành phố trong tháng 10/2026;\nb) Hoàn thành khám sức khoẻ, "
            "lập hồ sơ sức khoẻ điện tử cho 100% người cao tuổi trên địa bàn trong năm 2026;",
            [("Sở Y tế", ["Sở Tài chính"], "khac", "month"), ("Sở Y tế", [], "khac", "year")],
        ),
        # closing lines with a responsibility clause
        (
            "10. Giao Sở Nông nghiệp và Môi trường theo dõi, đôn đốc việc thực hiện Chỉ thị này, "
            "định kỳ 6 tháng tổng hợp kết quả báo cáo UBND thành phố.\nChủ tịch UBND thành phố "
            "yêu cầu Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các xã, phường, đặc khu nghiêm "
            "túc triển khai thực hiện Chỉ thị này; người đứng đầu chịu trách nhiệm nếu để xảy ra "
            "thiệt hại về người do chủ quan, lơ là./.",
            [("Sở Nông nghiệp và Môi trường", [], "bao_cao", "periodic")],
        ),
        (
            "10. Giao Văn phòng UBND thành phố theo dõi, đôn đốc việc thực hiện, tổng hợp kết "
            "quả, báo cáo Chủ tịch UBND thành phố trước ngày 20/12/2020.\nTrong quá trình thực "
            "hiện, Thủ trưởng các sở, ban, ngành, Chủ tịch UBND các quận, huyện chịu trách nhiệm "
            "trước Chủ tịch UBND thành phố nếu chỉ số thành phần thuộc lĩnh vực phụ trách bị "
            "giảm điểm./.",
            [("Văn phòng Ủy ban nhân dân thành phố", [], "bao_cao", "date")],
        ),
        # a sub-unit in brackets after its parent; "Trên cơ sở đó, …" opens the next task
        (
            "3. Sở Nông nghiệp và Môi trường (Chi cục Thuỷ lợi) chủ trì, phối hợp với UBND xã "
            "Kiến Thuỵ, UBND xã Vĩnh Hoà kiểm tra, đánh giá hiệu quả hoạt động của các công "
            "trình cấp nước sạch nông thôn. Trên cơ sở đó, xây dựng phương án chuyển giao các "
            "công trình hoạt động không hiệu quả cho đơn vị có đủ năng lực quản lý, vận hành, "
            "trình UBND thành phố trước ngày 15/10/2026.",
            [
                (
                    "Sở Nông nghiệp và Môi trường",
                    ["UBND Xã Kiến Thuỵ", "UBND Xã Vĩnh Hoà"],
                    "",
                    None,
                ),
                ("Sở Nông nghiệp và Môi trường", [], "khac", "date"),
            ],
        ),
        # "theo dõi …; tổng hợp, báo cáo … 6 tháng, cả năm" stays one task with its report
        (
            "1. Sở Xây dựng là cơ quan thường trực, chủ trì theo dõi, đôn đốc các sở, ngành, địa "
            "phương triển khai Kế hoạch; tổng hợp, báo cáo UBND thành phố và Bộ Xây dựng kết quả "
            "thực hiện 6 tháng, cả năm.",
            [("Sở Xây dựng", [], "bao_cao", "periodic")],
        ),
    ],
)
def test_each_shape_of_the_fifth_round(directory, text, expected):
    assert_shapes(directory, text, expected, dt.date(2026, 5, 1))


def test_praise_is_not_a_task(directory):
    text = "UBND thành phố ghi nhận, biểu dương sự vào cuộc của các cơ quan phụ trách bầu cử."
    assert propose(text, directory=directory) == []


# --- The labelled set ------------------------------------------------------------------------


def test_the_tuning_split_stays_at_the_reached_level():
    """The figures reached on tests/extraction_set (bench/extraction_bench.py): keep them.

    54 documents, 621 labels, nothing missed. Known limits the labels do not show: clauses "A;
    B" with no time and outside a list stay one proposal (the labels' tasks for A and B then
    share it), and whether a clause after ";" is a task of its own or the closing step of the
    one before rests on its length and on whether it hands a result in."""
    score = run(quiet=True, splits=("tuning",))["tuning"]
    assert score.labels >= 621
    assert score.rate("found") >= 1.0, score.misses
    assert score.rate("precision") >= 1.0, score.misses
    assert score.rate("deadline") >= 1.0, score.misses
    assert score.rate("lead") >= 1.0, score.misses
    assert score.rate("coordinators") >= 1.0, score.misses
    assert score.rate("output") >= 1.0, score.misses


def test_a_long_text_is_read_quickly(directory):
    paragraph = (
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng và UBND các xã, phường, đặc khu rà "
        "soát, tham mưu UBND thành phố ban hành Kế hoạch đầu tư công năm 2026; hoàn thành trước "
        "ngày 15/3/2026. Năm 2025, thành phố giải ngân đạt 95,2% kế hoạch vốn được giao. Đề nghị "
        "Công an thành phố bảo đảm an ninh, trật tự tại các dự án trọng điểm.\n"
    )
    text = paragraph * (100_000 // len(paragraph))
    started = time.perf_counter()
    proposals = propose(text, directory=directory)
    elapsed = time.perf_counter() - started
    assert len(proposals) == 2 * (100_000 // len(paragraph))
    assert elapsed < 3.0  # about 0.3 s here; generous for a loaded CI machine


def test_extraction_module_exports_the_interface():
    for name in (
        "Candidate",
        "DepartmentMention",
        "Proposal",
        "Directory",
        "normalise",
        "fold",
        "propose",
    ):
        assert hasattr(extraction, name)
