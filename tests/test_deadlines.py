"""tracker.deadlines: one grammar for deadline cells (parse) and deadlines inside sentences (find)."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker import deadlines
from tracker.deadlines import Deadline, DeadlineError
from tracker.models import ReportFrequency

D = dt.date


@pytest.mark.parametrize(
    "text,expected",
    [
        ("15/12/2025", Deadline("date", D(2025, 12, 15))),
        ("Tháng 12/2025", Deadline("month", D(2025, 12, 31))),
        ("Quý II/2026", Deadline("quarter", D(2026, 6, 30))),
        ("Năm 2026", Deadline("year", D(2026, 12, 31))),
        ("Thường xuyên", Deadline("continuous", None)),
        ("trước ngày 15/12/2025", Deadline("date", D(2025, 12, 15))),
        ("chậm nhất ngày 20/12/2023", Deadline("date", D(2023, 12, 20))),
        ("hoàn thành trước 30/6/2026", Deadline("date", D(2026, 6, 30))),
        ("trước 14 giờ, ngày 05/12/2017", Deadline("date", D(2017, 12, 5), time=dt.time(14))),
        ("15-7-2021", Deadline("date", D(2021, 7, 15))),
        ("15.7.2021", Deadline("date", D(2021, 7, 15))),
        ("ngày 15 tháng 7 năm 2021", Deadline("date", D(2021, 7, 15))),
        ("trong tháng 11/2019", Deadline("month", D(2019, 11, 30))),
        ("tháng 11 năm 2019", Deadline("month", D(2019, 11, 30))),
        ("quý 2 năm 2026", Deadline("quarter", D(2026, 6, 30))),
        ("6 tháng đầu năm 2026", Deadline("date", D(2026, 6, 30))),
        ("năm 2026", Deadline("year", D(2026, 12, 31))),
        ("trong năm 2026", Deadline("year", D(2026, 12, 31))),
        ("giai đoạn 2026 - 2030", Deadline("year", D(2030, 12, 31))),
        ("2026-2030", Deadline("year", D(2030, 12, 31))),
        ("hằng năm", Deadline("periodic", None, frequency="yearly")),
        ("Hàng năm", Deadline("periodic", None, frequency="yearly")),
        ("hằng quý", Deadline("periodic", None, frequency="quarterly")),
        ("hằng tháng", Deadline("periodic", None, frequency="monthly")),
        ("định kỳ 6 tháng", Deadline("periodic", None, frequency="half_yearly")),
        ("Hằng tháng, đến 31/12/2026", Deadline("periodic", D(2026, 12, 31), frequency="monthly")),
        ("6 tháng, đến 31/12/2026", Deadline("periodic", D(2026, 12, 31), frequency="half_yearly")),
        ("Thời hạn: Quý II/2026", Deadline("quarter", D(2026, 6, 30))),
    ],
)
def test_parse_reads_each_written_form(text, expected):
    assert deadlines.parse(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "15/12/1800", "sớm nhất có thể", "", "Quý V/2026"])
def test_parse_refuses_impossible_or_unknown_deadlines_and_lists_the_forms(text):
    with pytest.raises(DeadlineError) as error:
        deadlines.parse(text)
    assert "Quý II/2026" in str(error.value)


@pytest.mark.parametrize(
    "text", ["trình phiên họp Chính phủ tháng 11", "trước kỳ họp HĐND thành phố cuối năm 2025"]
)
def test_an_event_bound_deadline_is_not_a_cell_value(text):
    with pytest.raises(DeadlineError, match="gắn với một sự kiện"):
        deadlines.parse(text)


def test_the_frequencies_are_report_frequency_values():
    values = {deadlines.MONTHLY, deadlines.QUARTERLY, deadlines.HALF_YEARLY, deadlines.YEARLY}
    assert values == set(ReportFrequency.values)


def test_deadline_stays_positional_compatible():
    assert Deadline("date", D(2026, 1, 1)) == Deadline(kind="date", due_date=D(2026, 1, 1))
    assert Deadline("date", None).event == "" and Deadline("date", None).time is None


@pytest.mark.parametrize(
    "sentence,kind,due,words",
    [
        (
            "Các sở, ban, ngành khẩn trương tham mưu, bảo đảm kịp thời, hoàn thành trước ngày 15/12/2025.",
            "date",
            D(2025, 12, 15),
            "hoàn thành trước ngày 15/12/2025",
        ),
        (
            "Xây dựng Kế hoạch triển khai Nghị quyết số 45-NQ/TW ngày 24/01/2019; hoàn thành trong Quý II/2026.",
            "quarter",
            D(2026, 6, 30),
            "hoàn thành trong Quý II/2026",
        ),
        (
            "Giao Sở Tài chính xây dựng Kế hoạch đầu tư công năm 2026, trình trước 14 giờ, ngày 05/12/2025.",
            "date",
            D(2025, 12, 5),
            "trước 14 giờ, ngày 05/12/2025",
        ),
        (
            "Xây dựng Đề án X (Sở Nội vụ chủ trì; Quý III/2026).",
            "quarter",
            D(2026, 9, 30),
            "Quý III/2026",
        ),
        (
            "Thời hạn hoàn thành: thường xuyên.",
            "continuous",
            None,
            "Thời hạn hoàn thành: thường xuyên",
        ),
        ("Trong năm 2026, tổ chức thí điểm mô hình.", "year", D(2026, 12, 31), "Trong năm 2026"),
        ("Báo cáo trước ngày 20 hằng tháng.", "periodic", None, "trước ngày 20 hằng tháng"),
        (
            "Thời gian thực hiện: giai đoạn 2026 - 2030.",
            "year",
            D(2030, 12, 31),
            "Thời gian thực hiện: giai đoạn 2026 - 2030",
        ),
        # a target's date
        (
            "Đẩy mạnh thu hồi nợ đọng thuế, phấn đấu đến ngày 31/12/2026 nợ thuế dưới 8%.",
            "date",
            D(2026, 12, 31),
            "phấn đấu đến ngày 31/12/2026",
        ),
        # "thường xuyên" opening the work: continuous
        (
            "Thường xuyên rà soát, đẩy nhanh công tác xác định giá đất cụ thể.",
            "continuous",
            None,
            "Thường xuyên",
        ),
        # … and anywhere else in the clause
        (
            "Tăng cường kiểm tra, giám sát, đôn đốc thường xuyên; kiên quyết khắc phục hạn chế.",
            "continuous",
            None,
            "thường xuyên",
        ),
        # a target's year
        (
            "Triển khai dạy bơi; phấn đấu năm 2026 có thêm 15.000 trẻ em biết bơi.",
            "year",
            D(2026, 12, 31),
            "phấn đấu năm 2026",
        ),
        # a period with no word introducing it says when the work is done …
        (
            "Bố trí kinh phí lắp đặt từ nguồn vốn đầu tư công giai đoạn 2026 - 2030.",
            "year",
            D(2030, 12, 31),
            "giai đoạn 2026 - 2030",
        ),
        # … and a calendar time beside a meeting wins over it
        (
            "Trình UBND thành phố trong Quý II/2026 để trình HĐND thành phố tại kỳ họp giữa năm.",
            "quarter",
            D(2026, 6, 30),
            "trong Quý II/2026",
        ),
    ],
)
def test_find_picks_the_deadline_phrase_in_a_sentence(sentence, kind, due, words):
    deadline, found, (start, end) = deadlines.find(sentence)
    assert (deadline.kind, deadline.due_date, found) == (kind, due, words)
    assert sentence[start:end] == found


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Kết luận số 96-KL/TW, ngày 30/9/2024 của Bộ Chính trị.",
        "Theo Nghị quyết số 45-NQ/TW ngày 24/01/2019, thành phố phát triển kinh tế biển.",
        "Tập trung xây dựng Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030.",
        "Hoàn thành trước 31/02/2026.",
        # "chi thường xuyên" is recurrent spending, not continuous work
        "Bố trí kinh phí từ nguồn chi thường xuyên cho các trụ sở.",
        "Quy hoạch thành phố tầm nhìn đến năm 2050.",
    ],
)
def test_find_ignores_cited_documents_names_and_impossible_dates(sentence):
    assert deadlines.find(sentence) is None


def test_a_date_range_is_due_on_its_last_day():
    deadline, words, _span = deadlines.find(
        "Tăng cường kiểm tra trong cao điểm từ ngày 15/12/2026 đến ngày 15/02/2027."
    )
    assert (deadline.kind, deadline.due_date) == ("date", D(2027, 2, 15))
    assert words == "từ ngày 15/12/2026 đến ngày 15/02/2027"


def test_find_reads_a_periodic_report_with_its_last_date():
    deadline, words, _span = deadlines.find(
        "Định kỳ hằng tháng báo cáo UBND thành phố kết quả thực hiện, đến 31/12/2026."
    )
    assert deadline == Deadline("periodic", D(2026, 12, 31), frequency="monthly")
    assert words == "Định kỳ hằng tháng"


def test_find_returns_an_event_without_a_date():
    deadline, words, _span = deadlines.find(
        "Báo cáo kết quả trước kỳ họp HĐND thành phố cuối năm 2025."
    )
    assert deadline.kind == "" and deadline.due_date is None
    assert deadline.event == words == "trước kỳ họp HĐND thành phố cuối năm 2025"


def test_find_takes_the_year_of_a_short_date_from_the_document():
    deadline, _words, _span = deadlines.find(
        "Báo cáo UBND thành phố trước ngày 20/12.", reference=D(2025, 12, 11)
    )
    assert deadline.due_date == D(2025, 12, 20)
    assert deadlines.find("Báo cáo UBND thành phố trước ngày 20/12.") is None


@pytest.mark.parametrize(
    "sentence,event",
    [
        (
            "Nạo vét kênh mương, hoàn thành trước Tết Nguyên đán Canh Tý năm 2020.",
            "trước Tết Nguyên đán Canh Tý năm 2020",
        ),
        (
            "Báo cáo UBND thành phố kết quả sau khi kết thúc vụ Đông Xuân./.",
            "sau khi kết thúc vụ Đông Xuân",
        ),
        (
            "Hoàn thành trước khi kết thúc năm học 2025 - 2026.",
            "trước khi kết thúc năm học 2025 - 2026",
        ),
        (
            "Trình UBND thành phố trong vòng 30 ngày kể từ ngày Thủ tướng ban hành Quyết định.",
            "trong vòng 30 ngày kể từ ngày Thủ tướng ban hành Quyết định",
        ),
        (
            "Báo cáo để xem xét tại phiên họp thường kỳ UBND thành phố tháng 12/2017.",
            "tại phiên họp thường kỳ UBND thành phố tháng 12/2017",
        ),
        (
            "Tham mưu trình HĐND thành phố dự thảo Nghị quyết tại Kỳ họp thường lệ giữa năm 2026.",
            "tại Kỳ họp thường lệ giữa năm 2026",
        ),
        # a season or an occasion the work lasts through, with no "trước/sau"
        (
            "Tổ chức tuyên truyền về thực phẩm an toàn trong dịp Tết.",
            "trong dịp Tết",
        ),
        (
            "Bố trí lực lượng cứu hộ tại các bãi tắm trong suốt mùa du lịch hè.",
            "trong suốt mùa du lịch hè",
        ),
        (
            "Kiểm tra an toàn thực phẩm tại các điểm lễ hội trong suốt thời gian tổ chức.",
            "trong suốt thời gian tổ chức",
        ),
        (
            "Đưa nội dung kỹ năng thoát nạn vào hoạt động ngoại khóa trong năm học 2026 - 2027.",
            "trong năm học 2026 - 2027",
        ),
        (
            "Thời gian hoàn thành: Theo tiến độ dự án được phê duyệt",
            "Theo tiến độ dự án được phê duyệt",
        ),
        # a condition or an occasion instead of a time
        ("Hỗ trợ pháp lý cho các cơ quan khi có đề nghị.", "khi có đề nghị"),
        (
            "Thu gom vật liệu nổ khi phát hiện hoặc khi được địa phương thông báo.",
            "khi phát hiện hoặc khi được địa phương thông báo",
        ),
        (
            "Ưu tiên tiêm vắc xin cho người cao tuổi theo lộ trình của Bộ Y tế.",
            "theo lộ trình của Bộ Y tế",
        ),
        (
            "Tổ chức Hội thi, dự kiến vào dịp kỷ niệm Ngày Quốc tế Người cao tuổi 01/10.",
            "vào dịp kỷ niệm Ngày Quốc tế Người cao tuổi 01/10",
        ),
        ("Khi xảy ra vụ đuối nước, báo cáo nhanh.", "Khi xảy ra vụ đuối nước"),
        ("Báo cáo nhanh về UBND thành phố trong vòng 24 giờ.", "trong vòng 24 giờ"),
        # "khi có …" whatever follows, "ngay" kept, opening the sentence too
        (
            "Tập trung nghiệm thu, thanh toán ngay khi có khối lượng hoàn thành, không để dồn.",
            "ngay khi có khối lượng hoàn thành",
        ),
        ("Khi có bão mạnh đổ bộ, tổ chức sơ tán người dân.", "Khi có bão mạnh đổ bộ"),
        (
            "Chủ động tháo gỡ vướng mắc về mặt bằng khi có kiến nghị của doanh nghiệp.",
            "khi có kiến nghị của doanh nghiệp",
        ),
        (
            "Đưa nội dung giáo dục di sản vào hoạt động trải nghiệm; triển khai từ Năm học 2026 - 2027.",
            "triển khai từ Năm học 2026 - 2027",
        ),
    ],
)
def test_find_reads_each_event_bound_deadline(sentence, event):
    deadline, words, (start, end) = deadlines.find(sentence)
    assert (deadline.kind, deadline.due_date, deadline.event) == ("", None, event)
    assert sentence[start:end] == words == event


@pytest.mark.parametrize(
    "sentence",
    [
        # the time of what must not happen, or of a narrower scope, is no deadline
        "Chỉ đạo các trường kiểm tra nguồn gốc thực phẩm; không để xảy ra ngộ độc sau kỳ nghỉ Tết.",
        "Kiểm soát thị trường, nhất là các mặt hàng bánh kẹo tiêu thụ nhiều trong dịp Tết.",
    ],
)
def test_a_time_after_khong_de_or_nhat_la_is_not_a_deadline(sentence):
    assert deadlines.find(sentence) is None


def test_a_meeting_already_held_is_not_an_event_deadline():
    assert deadlines.find("Thực hiện ý kiến chỉ đạo tại Hội nghị ngày 11/12/2025, tổ chức.") is None


@pytest.mark.parametrize(
    "sentence,expected,words",
    [
        (
            "Tổng hợp báo cáo cải cách hành chính 6 tháng, năm gửi Bộ Nội vụ.",
            Deadline("periodic", None, frequency="half_yearly"),
            "6 tháng, năm",
        ),
        (
            "Định kỳ 6 tháng và hằng năm báo cáo Bộ Nội vụ.",
            Deadline("periodic", None, frequency="half_yearly"),
            "Định kỳ 6 tháng và hằng năm",
        ),
        (
            "Hằng năm, trước ngày 15 tháng 12, báo cáo Thủ tướng Chính phủ, đến hết năm 2030.",
            Deadline("periodic", D(2030, 12, 31), frequency="yearly"),
            "Hằng năm",
        ),
        (
            "Bố trí cán bộ làm việc trong tháng 12/2023 và tháng 01/2024, kịp thời thanh toán.",
            Deadline("month", D(2024, 1, 31)),
            "trong tháng 12/2023 và tháng 01/2024",
        ),
    ],
)
def test_find_reads_periodic_reports_and_spans(sentence, expected, words):
    deadline, found, _span = deadlines.find(sentence)
    assert (deadline, found) == (expected, words)


def test_a_half_year_and_whole_year_report_is_half_yearly():
    deadline, words, _span = deadlines.find(
        "Tổng hợp, báo cáo UBND thành phố kết quả thực hiện 6 tháng, cả năm."
    )
    assert deadline == Deadline("periodic", None, frequency="half_yearly")
    assert words == "6 tháng, cả năm"


@pytest.mark.parametrize(
    "sentence",
    [
        # the period names the plan or programme the work concerns
        "Xây dựng Đề án chống ngập úng khu vực đô thị trung tâm giai đoạn 2026 - 2030.",
        # the condition belongs to what is taught, not to the work
        "Tuyên truyền, phổ biến kỹ năng thoát nạn khi xảy ra cháy tại nhà cao tầng.",
        # … or is the case a plan is written for
        "Chuẩn bị phương án thu dung, điều trị 2.000 giường bệnh khi có tình huống dịch lây lan.",
    ],
)
def test_a_named_period_or_a_condition_inside_the_work_is_not_a_deadline(sentence):
    assert deadlines.find(sentence) is None


def test_a_condition_is_weaker_than_a_calendar_time_or_continuous_work():
    deadline, _words, _span = deadlines.find(
        "Xây dựng phương án khi cần thiết; báo cáo UBND thành phố trước ngày 12/7/2021."
    )
    assert (deadline.kind, deadline.due_date) == ("date", D(2021, 7, 12))
    deadline, _words, _span = deadlines.find(
        "Kiểm tra thường xuyên các kho, xử lý khi phát hiện vi phạm."
    )
    assert deadline.kind == "continuous"


def test_an_adverb_of_continuity_can_be_left_out():
    sentence = "Tăng cường kiểm tra, giám sát, đôn đốc thường xuyên việc thực hiện."
    assert deadlines.find(sentence, adverbs=False) is None


def test_six_months_of_a_year_is_not_a_periodic_report():
    assert deadlines.find("Báo cáo kết quả 6 tháng, năm 2026 của thành phố.") is None


@pytest.mark.parametrize(
    "sentence,event",
    [
        ("tổ chức ký cam kết với phụ huynh trước kỳ nghỉ Tết.", "trước kỳ nghỉ Tết"),
        ("hoàn thành trước Lễ khai mạc 10 ngày.", "trước Lễ khai mạc 10 ngày"),
        ("triển khai từ tháng 6/2026 đến khi kết thúc Đại hội.", "đến khi kết thúc Đại hội"),
    ],
)
def test_a_deadline_bound_to_a_holiday_a_ceremony_or_an_end(sentence, event):
    found = deadlines.find(sentence)
    assert found is not None and found[0].event == event
