"""Golden: plan 332-KH/HU regenerated from the demo's structured data holds the whole seed text.

SEED_LINES are the lines of the seed document (ke-hoach-332-KH-HU.md), markdown removed; each
must be one paragraph of the DOCX, word for word.
"""

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.demo import tamduong
from chibo.documents import kinds
from chibo.documents.tests.helpers import docx_lines, first_page_ink, pdf_page_count, pdf_text
from chibo.plans.models import Plan, Registration

SEED_LINES = (
    "Tam Đường, ngày 20 tháng 01 năm 2025",
    "Số 332-KH/HU",
    "KẾ HOẠCH",
    "tổ chức sinh hoạt chi bộ mẫu năm 2025",
    "-----",
    "Thực hiện Kế hoạch số 113-KH/HU, ngày 22/3/2018 của Ban Thường vụ Huyện ủy về thực hiện "
    "Kết luận số 18-KL/TW, ngày 22/9/2017 của Ban Bí thư về tiếp tục đẩy mạnh thực hiện Chỉ thị "
    'số 10-CT/TW, ngày 30/3/2007 của Ban Bí thư khóa X "Về nâng cao chất lượng sinh hoạt chi bộ" '
    "trong tình hình mới, Ban Thường vụ Huyện ủy ban hành Kế hoạch tổ chức sinh hoạt chi bộ mẫu "
    "năm 2025 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Nhằm nâng cao nhận thức của các cấp ủy, tổ chức đảng và đảng viên về vai trò, vị trí của "
    "chi bộ và tầm quan trọng của việc nâng cao chất lượng sinh hoạt chi bộ; nâng cao trách nhiệm "
    "của các cấp ủy, tổ chức đảng trong việc lãnh đạo, chỉ đạo, thực hiện nâng cao chất lượng "
    "sinh hoạt chi bộ.",
    "2. Thông qua các buổi sinh hoạt chi bộ mẫu giúp các cấp ủy, tổ chức đảng học tập, trao đổi, "
    "kịp thời rút kinh nghiệm trong công tác chỉ đạo, chuẩn bị, tổ chức sinh hoạt chi bộ thường "
    "kỳ, sinh hoạt chuyên đề, góp phần nâng cao chất lượng sinh hoạt chi bộ.",
    "3. Các chi bộ, đảng bộ cơ sở bám sát các văn bản chỉ đạo, hướng dẫn của cấp trên về nâng cao "
    "chất lượng sinh hoạt chi bộ và nội dung Kế hoạch này, chỉ đạo, chuẩn bị, tổ chức sinh hoạt "
    "chi bộ mẫu đảm bảo thời gian, chất lượng.",
    "II. NỘI DUNG",
    "1. Đối với các chi bộ cơ sở",
    "- Chọn Chi bộ phòng Kinh tế và Hạ tầng tổ chức sinh hoạt chi bộ thường kỳ, Chi bộ Ban quản "
    "lý rừng phòng hộ tổ chức sinh hoạt chuyên đề.",
    "- Thành phần mời dự sinh hoạt: Thường trực Huyện ủy; các đồng chí Ủy viên Ban Chấp hành Đảng "
    "bộ huyện; Bí thư, phó Bí thư các chi bộ cơ sở; lãnh đạo, công chức các cơ quan tham mưu, giúp "
    "việc Huyện ủy.",
    "- Thời gian thực hiện: Hoàn thành trong tháng 3/2025 (Có giấy mời cụ thể sau).",
    "2. Đối với các đảng ủy cơ sở",
    "- Các Đảng ủy cơ sở lựa chọn 02 chi bộ trực thuộc tổ chức sinh hoạt chi bộ thường kỳ, sinh "
    "hoạt chuyên đề, để rút kinh nghiệm, triển khai thực hiện.",
    "- Thời gian thực hiện: Hoàn thành trong tháng 3/2025.",
    "- Thành phần mời dự sinh hoạt: Các đồng chí Ủy viên Ban Chấp hành Đảng bộ cơ sở; bí thư, phó "
    "bí thư các chi bộ trực thuộc; Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ của huyện được "
    "phân công theo dõi xã.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Căn cứ Kế hoạch này, các chi bộ, đảng bộ cơ sở nghiêm túc triển khai thực hiện. Các đảng "
    "ủy cơ sở gửi danh sách, lịch tổ chức sinh hoạt chi bộ thường kỳ mẫu, sinh hoạt chuyên đề mẫu "
    "về Ban Thường vụ Huyện ủy (qua Ban Tổ chức Huyện ủy) trước ngày 20/02/2025",
    "2. Chi bộ Phòng Kinh tế và Hạ tầng, Chi bộ Ban quản lý rừng phòng hộ chuẩn bị nội dung, tổ "
    "chức sinh hoạt chi bộ mẫu đảm bảo thời gian, chất lượng.",
    "3. Giao Ban Tổ chức Huyện ủy phối hợp, hướng dẫn Chi bộ Phòng Kinh tế và Hạ tầng, Chi bộ Ban "
    "quản lý rừng phòng hộ chuẩn bị, tổ chức sinh hoạt chi bộ mẫu theo quy định; tham mưu cho "
    "Thường trực Huyện ủy nội dung rút kinh nghiệm sau buổi sinh hoạt mẫu.",
    "4. Các đồng chí Ủy viên Ban Chấp hành Đảng bộ huyện được phân công phụ trách Đảng bộ cơ sở "
    "chỉ đạo Đảng ủy cơ sở lựa chọn, tổ chức sinh hoạt chi bộ mẫu năm 2025 đảm bảo Kế hoạch.",
    "Nơi nhận:",
    "- Ban Tổ chức Tỉnh ủy,",
    "- Các chi, đảng bộ cơ sở,",
    "- Các cơ quan tham mưu, giúp việc Huyện ủy,",
    "- Các đ/c Ủy viên BCH Đảng bộ huyện,",
    "- Lưu.",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ",
    "Cao Trang Trọng",
)

# Each fact of the plan, by name, with the phrase of the seed that states it.
FACTS = {
    "number": "Số 332-KH/HU",
    "date and place": "Tam Đường, ngày 20 tháng 01 năm 2025",
    "issuer": "HUYỆN ỦY TAM ĐƯỜNG",
    "superior": "ĐẢNG BỘ TỈNH LAI CHÂU",
    "basis 113": "Kế hoạch số 113-KH/HU, ngày 22/3/2018 của Ban Thường vụ Huyện ủy",
    "basis 18": "Kết luận số 18-KL/TW, ngày 22/9/2017 của Ban Bí thư",
    "basis 10": 'Chỉ thị số 10-CT/TW, ngày 30/3/2007 của Ban Bí thư khóa X "Về nâng cao chất',
    "designated regular": "Chi bộ phòng Kinh tế và Hạ tầng tổ chức sinh hoạt chi bộ thường kỳ",
    "designated thematic": "Chi bộ Ban quản lý rừng phòng hộ tổ chức sinh hoạt chuyên đề",
    "quota": "Các Đảng ủy cơ sở lựa chọn 02 chi bộ trực thuộc tổ chức sinh hoạt chi bộ thường kỳ",
    "invitees of the district meetings": "Thường trực Huyện ủy; các đồng chí Ủy viên Ban Chấp hành",
    "invitees of the commune meetings": "Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ của huyện",
    "window": "Hoàn thành trong tháng 3/2025 (Có giấy mời cụ thể sau)",
    "report deadline": "(qua Ban Tổ chức Huyện ủy) trước ngày 20/02/2025",
    "responsibility of the board": "tham mưu cho Thường trực Huyện ủy nội dung rút kinh nghiệm",
    "members in charge": "được phân công phụ trách Đảng bộ cơ sở chỉ đạo Đảng ủy cơ sở lựa chọn",
    "recipient": "- Ban Tổ chức Tỉnh ủy,",
    "filed copy": "- Lưu.",
    "capacity": "T/M BAN THƯỜNG VỤ",
    "title": "PHÓ BÍ THƯ",
    "signer": "Cao Trang Trọng",
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Plan]:
    """The Tam Đường demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        tamduong.load_demo()
        yield Plan.objects.get(number=332, year=2025)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def plan_lines(demo: Plan, django_db_blocker: Any) -> list[str]:
    with django_db_blocker.unblock():
        officer = User.objects.get(username="bantochuc")
        output = kinds.KINDS["plan_docx"].make(kinds.Order(actor=officer, subject_id=demo.pk))
    assert output.filename == "ke-hoach-332-KH-HU-2025.docx"
    return docx_lines(output.content)


@pytest.mark.django_db
@pytest.mark.parametrize("line", SEED_LINES, ids=lambda line: line[:40])
def test_every_line_of_the_seed_is_a_paragraph_of_the_docx(
    plan_lines: list[str], line: str
) -> None:
    assert line in plan_lines


@pytest.mark.django_db
@pytest.mark.parametrize(("fact", "phrase"), FACTS.items(), ids=list(FACTS))
def test_every_fact_of_the_plan_is_stated(plan_lines: list[str], fact: str, phrase: str) -> None:
    assert phrase in "\n".join(plan_lines), fact


@pytest.mark.django_db
def test_the_seed_order_is_kept(plan_lines: list[str]) -> None:
    positions = [plan_lines.index(line) for line in SEED_LINES if line not in {"Số 332-KH/HU"}]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_demo_commune_reports_its_schedule(demo: Plan) -> None:
    secretary = User.objects.get(username="bithu-ban-bo")
    registration = Registration.objects.get(obligation__organization__name="Đảng bộ xã Bản Bo")
    output = kinds.KINDS["registration_docx"].make(
        kinds.Order(actor=secretary, subject_id=registration.pk)
    )
    lines = docx_lines(output.content)
    assert lines[:3] == ["ĐẢNG BỘ HUYỆN TAM ĐƯỜNG", "ĐẢNG ỦY XÃ BẢN BO", "*"]
    assert re.fullmatch(r"Số \s+-BC/ĐU", lines[4])
    sent = registration.submitted_at
    assert sent is not None
    assert lines[5] == f"Bản Bo, ngày {sent.day:02d} tháng 02 năm 2025"
    assert lines[6:8] == [
        "BÁO CÁO",
        "danh sách, lịch tổ chức sinh hoạt chi bộ thường kỳ mẫu, sinh hoạt chuyên đề mẫu năm 2025",
    ]
    assert "Sinh hoạt thường kỳ" in lines
    assert "Sinh hoạt chuyên đề" in lines
    assert lines[-1] == secretary.person.full_name
    assert "T/M ĐẢNG ỦY" in lines


@pytest.mark.django_db
def test_the_demo_registrations_table(demo: Plan) -> None:
    officer = User.objects.get(username="bantochuc")
    output = kinds.KINDS["registrations_xlsx"].make(kinds.Order(actor=officer, subject_id=demo.pk))
    sheet = load_workbook(io.BytesIO(output.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # Twelve committees registered two cells each; Thèn Sin registered nothing.
    assert len(rows) == 12 * 2 + 1
    assert [row[0] for row in rows if row[2] == "Chưa đăng ký"] == ["Đảng bộ xã Thèn Sin"]
    assert all(isinstance(row[7], dt.datetime) for row in rows if row[5])


@pytest.mark.django_db
@pytest.mark.libreoffice
def test_the_demo_plan_as_pdf(demo: Plan) -> None:
    officer = User.objects.get(username="bantochuc")
    output = kinds.KINDS["plan_pdf"].make(kinds.Order(actor=officer, subject_id=demo.pk))
    text = " ".join(re.sub(r"\f\s*\d+\s*\n", " ", pdf_text(output.content)).split())
    for line in SEED_LINES:
        assert line in text, line
    assert pdf_page_count(output.content) == 2
    assert first_page_ink(output.content) > 0.01
