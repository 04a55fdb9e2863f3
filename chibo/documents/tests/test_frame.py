import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pytest_django.fixtures import Settings

from chibo.documents import frame
from chibo.documents.tests.helpers import docx_document, docx_lines
from chibo.orgs.tests.factories import make_org
from chibo.plans.document_text import Block, BlockKind, Line
from conftest import World

DAY = dt.date(2025, 7, 15)
INFO = frame.DocumentInfo(title="Thử", author="Đảng ủy xã An")


def one_page(*items: frame.Item) -> bytes:
    return frame.render_docx([list(items)], info=INFO)


def test_width_of_the_party_name_matches_times_new_roman_bold() -> None:
    # 13,777 units of 1000 per em at 15 pt.
    assert frame.text_width_mm(frame.NATIONAL_NAME, 15, bold=True) == pytest.approx(72.9, abs=0.1)
    assert frame.text_width_mm("Ộ", 14) == frame.text_width_mm("O", 14)
    assert frame.text_width_mm("Ư", 14) > frame.text_width_mm("U", 14)


def test_margins_come_from_settings_at_call_time(settings: Settings) -> None:
    settings.CHIBO_DOC_MARGINS_MM = "25,25,35,15"
    section = docx_document(one_page(Block(BlockKind.PARAGRAPH, text="Một"))).sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 25
    assert round(section.bottom_margin.mm) == 25
    assert round(section.left_margin.mm) == 35
    assert round(section.right_margin.mm) == 15


@pytest.mark.parametrize("value", ["20,20,30", "a,b,c,d", "20,20,30,90"])
def test_bad_margins_fail_loudly(settings: Settings, value: str) -> None:
    settings.CHIBO_DOC_MARGINS_MM = value
    with pytest.raises(ImproperlyConfigured, match="CHIBO_DOC_MARGINS_MM"):
        frame.page_margins()


def test_default_margins_are_20_20_30_15() -> None:
    assert frame.page_margins() == frame.Margins(20, 20, 30, 15)


def test_times_new_roman_in_every_script_slot_and_vietnamese_language() -> None:
    document = docx_document(one_page(Block(BlockKind.PARAGRAPH, text="Một")))
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for fonts in (defaults.find(qn("w:rFonts")), document.styles["Normal"].element.rPr.rFonts):
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert fonts.get(qn(f"w:{slot}")) == "Times New Roman"
        assert not [name for name in fonts.attrib if name.endswith("Theme")]
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert document.styles["Normal"].font.size == Pt(14)
    assert document.core_properties.language == "vi-VN"


def test_header_from_a_province_committee_has_no_superior_line(world: World) -> None:
    block = frame.header_block(
        organization=world.province, number_symbol="15-KH/TU", place="Lai Châu", day=DAY
    )
    assert [line.text for line in block.left] == ["TỈNH ỦY THỬ", "*", "Số 15-KH/TU"]
    assert block.left[0].bold


def test_header_of_a_merged_commune_under_the_province_needs_no_code(world: World) -> None:
    # From 1 July 2025 communes sit directly under the provincial committee.
    commune = make_org(
        world.province, "NEW", "Đảng bộ xã Bản Bo", "dang_bo_co_so", "Đảng ủy xã Bản Bo", "ĐU"
    )
    block = frame.header_block(
        organization=commune, number_symbol="01-KH/ĐU", place="Bản Bo", day=DAY
    )
    assert docx_lines(one_page(block)) == [
        "ĐẢNG BỘ TỈNH THỬ",
        "ĐẢNG ỦY XÃ BẢN BO",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 01-KH/ĐU",
        "Bản Bo, ngày 15 tháng 7 năm 2025",
    ]


def test_header_table_is_borderless_and_the_party_name_is_ruled_not_underlined(
    world: World,
) -> None:
    block = frame.header_block(
        organization=world.district, number_symbol="332-KH/HU", place="Đông", day=DAY
    )
    document = docx_document(one_page(block))
    table = document.tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"nil"}
    name = next(
        paragraph
        for paragraph in table.rows[0].cells[1].paragraphs
        if paragraph.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    )
    run = name.runs[0]
    assert run.bold
    assert run.font.size == Pt(15)
    assert not run.underline
    bottom = name._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single"
    # The rule spans the text: the indents leave the text's width in the column.
    column = table.rows[0].cells[1].width.mm - 2 * frame.CELL_MARGIN_MM
    ruled = column - name.paragraph_format.left_indent.mm - name.paragraph_format.right_indent.mm
    assert ruled == pytest.approx(frame.text_width_mm("ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True), 0.1)
    date = table.rows[1].cells[1].paragraphs[0]
    assert date.text == "Đông, ngày 15 tháng 7 năm 2025"
    assert date.runs[0].italic
    number = table.rows[1].cells[0].paragraphs[0]
    assert number.text == "Số 332-KH/HU"
    committee = table.rows[0].cells[0].paragraphs[1]
    assert committee.text == "HUYỆN ỦY ĐÔNG"
    assert committee.runs[0].bold


def test_body_styles_follow_the_guidance() -> None:
    content = one_page(
        Block(BlockKind.DOCUMENT_TYPE, text="KẾ HOẠCH"),
        Block(BlockKind.TITLE, text="tổ chức sinh hoạt chi bộ mẫu năm 2025"),
        Block(BlockKind.SEPARATOR, text="-----"),
        Block(BlockKind.PART_HEADING, text="I. MỤC ĐÍCH, YÊU CẦU"),
        Block(BlockKind.PARAGRAPH, text="Nội dung."),
    )
    paragraphs = {p.text: p for p in docx_document(content).paragraphs}
    kind = paragraphs["KẾ HOẠCH"]
    assert kind.style.font.bold
    assert kind.style.font.size == Pt(15)
    assert kind.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraphs["tổ chức sinh hoạt chi bộ mẫu năm 2025"].style.font.bold
    assert paragraphs["-----"].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraphs["I. MỤC ĐÍCH, YÊU CẦU"].style.font.bold
    body = paragraphs["Nội dung."].style.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.first_line_indent == Mm(frame.FIRST_LINE_INDENT_MM)


def test_closing_prints_recipients_small_and_the_signature_bold() -> None:
    closing = frame.closing_block(
        recipients=["- Ban Tổ chức Tỉnh ủy,", "Lưu VP"],
        signature=frame.signature_lines(
            capacity="T/M Ban Thường vụ", title="Phó Bí thư", name="Cao Trang Trọng"
        ),
    )
    document = docx_document(one_page(closing))
    left, right = document.tables[0].rows[0].cells
    heading, first, filed = left.paragraphs
    assert heading.text == "Nơi nhận:"
    assert heading.style.font.size == Pt(12)
    assert heading.runs[0].bold
    assert heading.runs[0].italic
    assert first.text == "- Ban Tổ chức Tỉnh ủy,"
    assert first.style.font.size == Pt(11)
    assert filed.text == "- Lưu."
    texts = [paragraph.text for paragraph in right.paragraphs]
    assert texts == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "", "", "", "Cao Trang Trọng"]
    assert all(run.bold for paragraph in right.paragraphs for run in paragraph.runs)


def test_the_signature_takes_the_last_lines_with_it_to_a_new_page() -> None:
    closing = frame.closing_block(
        recipients=["Lưu VP"],
        signature=frame.signature_lines(capacity="", title="Người đánh giá", name="Lý Seo Lử"),
    )
    items = [
        Block(BlockKind.PARAGRAPH, text="Đoạn giữa."),
        Block(BlockKind.PARAGRAPH, text="Đoạn cuối."),
        closing,
    ]
    document = docx_document(one_page(*items))
    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs}
    assert by_text["Đoạn cuối."].paragraph_format.keep_with_next is True
    assert not by_text["Đoạn giữa."].paragraph_format.keep_with_next


def test_text_keeps_every_diacritic_and_drops_bytes_xml_cannot_hold() -> None:
    decomposed = "Đảng ủy xã Nùng Nàng".replace("ủ", "u\u0309")
    content = one_page(Block(BlockKind.PARAGRAPH, text=f"{decomposed}\x0b ơ ư Ữ ỹ"))
    assert docx_lines(content) == ["Đảng ủy xã Nùng Nàng ơ ư Ữ ỹ"]


def test_a_table_has_a_repeated_bold_header_and_centred_columns() -> None:
    table = frame.Table(
        headers=("STT", "Chi bộ"),
        rows=(("1", "Chi bộ bản Một"), ("2", "Chi bộ bản Hai")),
        weights=(1, 5),
        centred=frozenset({0}),
    )
    document = docx_document(one_page(table))
    rendered = document.tables[0]
    assert [cell.text for cell in rendered.rows[0].cells] == ["STT", "Chi bộ"]
    assert rendered.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert rendered.rows[0].cells[0].paragraphs[0].style.font.bold
    assert [cell.text for cell in rendered.rows[2].cells] == ["2", "Chi bộ bản Hai"]
    centred = rendered.rows[1].cells[0].paragraphs[0].style.paragraph_format.alignment
    assert centred == WD_ALIGN_PARAGRAPH.CENTER


def test_page_numbers_from_the_second_page_and_from_1_in_each_document_of_a_batch() -> None:
    letter = [Block(BlockKind.PARAGRAPH, text="Thư mời.")]
    content = frame.render_docx([letter, letter, letter], info=INFO)
    document = docx_document(content)
    assert len(document.sections) == 3
    for section in document.sections:
        assert section.different_first_page_header_footer
        numbering = section._sectPr.find(qn("w:pgNumType"))
        assert numbering.get(qn("w:start")) == "1"
    header = zipfile.ZipFile(io.BytesIO(content)).read("word/header1.xml").decode()
    assert 'w:instr="PAGE"' in header


def test_the_file_is_small_and_carries_only_what_it_uses() -> None:
    content = one_page(Block(BlockKind.PARAGRAPH, text="Một"))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "word/stylesWithEffects.xml" not in names
    assert "docProps/thumbnail.jpeg" not in names
    assert len(content) < 30_000


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Đảng bộ xã Bản Bo", "Bản Bo"),
        ("Đảng bộ thị trấn Tam Đường", "Tam Đường"),
        ("Đảng bộ huyện Tam Đường", "Tam Đường"),
        ("Đảng bộ tỉnh Lai Châu", "Lai Châu"),
        ("Đảng bộ phường 1", "Phường 1"),
    ],
)
def test_place_is_the_proper_name_of_the_unit(world: World, name: str, place: str) -> None:
    organization = make_org(world.province, f"X{len(name)}{place[:2]}", name, "dang_bo_co_so")
    assert frame.organization_place(organization) == place


def test_a_cell_is_dated_where_its_committee_is(world: World) -> None:
    assert frame.organization_place(world.cell_a) == "An"
    assert frame.organization_place(world.district_cell) == "Đông"


def test_capacity_on_behalf_of_the_collective(world: World) -> None:
    assert frame.capacity_on_behalf(world.commune_a) == "T/M ĐẢNG ỦY"
    assert frame.capacity_on_behalf(world.district) == "T/M HUYỆN ỦY"
    assert frame.capacity_on_behalf(world.cell_a) == "T/M CHI BỘ"


def test_short_dates_pad_the_day_and_the_first_two_months() -> None:
    assert frame.short_date(dt.date(2025, 2, 20)) == "20/02/2025"
    assert frame.short_date(dt.date(2018, 3, 22)) == "22/3/2018"
    assert frame.short_date(dt.date(2025, 3, 3)) == "03/3/2025"


def test_lines_marked_ruled_anywhere_get_a_rule() -> None:
    block = Block(
        BlockKind.HEADER,
        left=(Line("A"), Line("Số 1-KH/HU")),
        right=(Line("ĐỘC LẬP", bold=True, ruled=True), Line("Nơi, ngày")),
    )
    document = docx_document(one_page(block))
    paragraph = document.tables[0].rows[0].cells[1].paragraphs[0]
    assert paragraph._p.pPr.find(qn("w:pBdr")) is not None


def test_a_header_name_too_long_for_its_column_breaks_in_two_even_lines() -> None:
    parts = frame.balanced_lines("CHI BỘ PHÒNG KINH TẾ VÀ HẠ TẦNG", 14, bold=True, width_mm=74)
    assert parts == ["CHI BỘ PHÒNG KINH TẾ", "VÀ HẠ TẦNG"]
    assert frame.balanced_lines("HUYỆN ỦY ĐÔNG", 14, bold=True, width_mm=74) == ["HUYỆN ỦY ĐÔNG"]
    # Before the name of a unit rather than inside a compound word.
    assert frame.balanced_lines("CHI BỘ TRƯỜNG MẦM NON XÃ BẢN BO", 14, bold=True, width_mm=74) == [
        "CHI BỘ TRƯỜNG MẦM NON",
        "XÃ BẢN BO",
    ]
    # Where no such word gives two lines that fit, the most even break.
    name = "CHI BỘ BAN QUẢN LÝ RỪNG PHÒNG HỘ"
    first, second = frame.balanced_lines(name, 14, bold=True, width_mm=74)
    assert f"{first} {second}" == name
    widths = [frame.text_width_mm(part, 14, bold=True) for part in (first, second)]
    assert max(widths) <= 74 - 2 * frame.CELL_MARGIN_MM
    assert abs(widths[0] - widths[1]) < 15
