import datetime as dt

import pytest

from chibo.documents import selectors
from chibo.documents.builders import plan as plan_builder
from chibo.documents.builders import registration as registration_builder
from chibo.documents.tests.conftest import Issued
from chibo.documents.tests.helpers import docx_document, docx_lines
from chibo.orgs.models import Position
from chibo.orgs.tests.factories import PersonFactory, give_post
from chibo.plans import selectors as plan_selectors
from chibo.plans.document_text import plan_document_blocks
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


def test_plan_docx_carries_header_number_date_recipients_and_signer(world: World) -> None:
    plan = plan_selectors.plan_get(actor=world.officer, plan_id=make_plan(world).pk)
    lines = docx_lines(plan_builder.plan_docx(plan))
    assert lines[:6] == [
        "ĐẢNG BỘ TỈNH THỬ",
        "HUYỆN ỦY ĐÔNG",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 332-KH/HU",
        "Đông, ngày 20 tháng 01 năm 2025",
    ]
    assert lines[6:9] == ["KẾ HOẠCH", "tổ chức sinh hoạt chi bộ mẫu năm 2025", "-----"]
    closing = lines[-9:]
    assert closing == [
        "Nơi nhận:",
        "- Các chi, đảng bộ cơ sở,",
        "- Lưu.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "",
        "",
        "",
        "Nguyễn Văn Ký",
    ]


def test_plan_docx_is_the_page_text_block_for_block(world: World) -> None:
    plan = plan_selectors.plan_get(actor=world.officer, plan_id=make_plan(world).pk)
    lines = docx_lines(plan_builder.plan_docx(plan))
    for block in plan_document_blocks(plan):
        texts = [block.text] if block.text else [line.text for line in (*block.left, *block.right)]
        for text in texts:
            assert text in lines


def test_plan_docx_metadata_and_filename(world: World) -> None:
    plan = plan_selectors.plan_get(actor=world.officer, plan_id=make_plan(world).pk)
    document = docx_document(plan_builder.plan_docx(plan))
    assert document.core_properties.title.startswith("KẾ HOẠCH số 332-KH/HU")
    assert document.core_properties.author == "Huyện ủy Đông"
    assert plan_builder.plan_filename(plan, "docx") == "ke-hoach-332-KH-HU-2025.docx"


def test_registration_report_from_the_commune_to_the_standing_committee(
    world: World, issued: Issued
) -> None:
    registration = plan_selectors.registration_get(
        actor=world.officer, registration_id=issued.registration.pk
    )
    signer = selectors.committee_signer(
        organization=registration.obligation.organization, on=dt.date(2025, 2, 10)
    )
    content = registration_builder.registration_report_docx(
        registration, signer=signer, day=dt.date(2025, 2, 10), invitees=["Thường trực Huyện ủy"]
    )
    lines = docx_lines(content)
    assert lines[:3] == ["ĐẢNG BỘ HUYỆN ĐÔNG", "ĐẢNG ỦY XÃ AN", "*"]
    assert lines[3] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert lines[4].startswith("Số ")
    assert lines[4].endswith("-BC/ĐU")
    assert lines[5] == "An, ngày 10 tháng 02 năm 2025"
    assert lines[6:9] == ["BÁO CÁO", "danh sách, lịch năm 2025", "-----"]
    assert lines[9] == (
        "Thực hiện Kế hoạch số 332-KH/HU, ngày 20/01/2025 của Ban Thường vụ Huyện ủy về tổ chức "
        "sinh hoạt chi bộ mẫu năm 2025, Đảng ủy xã An báo cáo danh sách, lịch như sau:"
    )
    table = docx_document(content).tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["STT", "Chi bộ", "Hình thức sinh hoạt", "Thời gian", "Địa điểm"],
        [
            "1",
            "Chi bộ bản Một",
            "Sinh hoạt thường kỳ",
            "08 giờ 00, thứ Hai, ngày 03/3/2025",
            "Nhà văn hóa bản Một",
        ],
        [
            "2",
            "Chi bộ Trường Tiểu học An",
            "Sinh hoạt chuyên đề",
            "14 giờ 30, thứ Sáu, ngày 14/3/2025",
            "Hội trường Đảng ủy xã An",
        ],
    ]
    assert "Thành phần mời dự sinh hoạt: Thường trực Huyện ủy." in lines
    assert (
        "Đảng ủy xã An kính báo cáo Ban Thường vụ Huyện ủy (qua Ban Tổ chức Huyện ủy) "
        "theo dõi, chỉ đạo." in lines
    )
    assert lines[-11:] == [
        "Nơi nhận:",
        "- Ban Thường vụ Huyện ủy (b/c),",
        "- Ban Tổ chức Huyện ủy,",
        "- Các chi bộ có tên trên,",
        "- Lưu.",
        "T/M ĐẢNG ỦY",
        "BÍ THƯ",
        "",
        "",
        "",
        world.commune_secretary.person.full_name,
    ]
    assert registration_builder.registration_filename(registration, "docx") == (
        "bao-cao-dang-bo-xa-an-332-KH-HU-2025.docx"
    )


def test_a_deputy_signs_when_there_is_no_secretary(world: World) -> None:
    deputy = PersonFactory(home_cell=world.cell_b, full_name="Lò Văn Phó")
    give_post(deputy, world.commune_b, Position.Role.DEPUTY_SECRETARY)
    signer = selectors.committee_signer(organization=world.commune_b, on=dt.date(2025, 2, 1))
    assert signer == registration_builder.Signer("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Lò Văn Phó")


def test_nobody_in_post_leaves_the_name_blank(world: World) -> None:
    signer = selectors.committee_signer(organization=world.cell_b, on=dt.date(2025, 2, 1))
    assert signer == registration_builder.Signer("T/M CHI BỘ", "BÍ THƯ", "")


def test_a_past_secretary_does_not_sign(world: World) -> None:
    person = PersonFactory(home_cell=world.cell_b, full_name="Quàng Văn Cũ")
    post = give_post(person, world.commune_b, Position.Role.SECRETARY)
    post.end_on = dt.date(2024, 12, 31)
    post.save(update_fields=["end_on"])
    signer = selectors.committee_signer(organization=world.commune_b, on=dt.date(2025, 2, 1))
    assert signer.name == ""


def test_a_registration_without_items_says_so(world: World, issued: Issued) -> None:
    registration = plan_selectors.registration_get(
        actor=world.officer, registration_id=issued.registration.pk
    )
    registration.items.all().delete()
    registration = plan_selectors.registration_get(
        actor=world.officer, registration_id=issued.registration.pk
    )
    signer = registration_builder.Signer("T/M ĐẢNG ỦY", "BÍ THƯ", "")
    lines = docx_lines(
        registration_builder.registration_report_docx(
            registration, signer=signer, day=dt.date(2025, 2, 10)
        )
    )
    assert registration_builder.NO_ITEMS in lines
    assert "- Các chi bộ có tên trên," not in lines
