"""The Party's document format (Hướng dẫn 36-HD/VPTW) as DOCX: the one renderer of chibo.

A document is a list of items: the blocks of `plans.document_text` (header, type, title, body,
closing) and the frame's own `Table`. Builders decide the words; this module alone decides the
page, fonts, sizes, spacing and the two borderless tables of the header and the closing. Several
documents (one letter per invitee, say) render into one file, each starting a new page with its
own page numbers.

The header comes from the organization's data (`header_block`), so a province or a commune
merged in 2025 needs no change here.
"""

import dataclasses
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from chibo.orgs.models import Body, Organization
from chibo.plans.document_text import (
    FILED_COPY,
    NATIONAL_NAME,
    RECIPIENTS_HEADING,
    SEPARATOR,
    SIGNATURE_SPACE_LINES,
    Block,
    BlockKind,
    Line,
    document_type_name,
    header_of,
    issuer_lines,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_MM = (210, 297)
DEFAULT_MARGINS_MM = "20,20,30,15"

BODY_PT = 14
NATIONAL_NAME_PT = 15
DOCUMENT_TYPE_PT = 15
RECIPIENTS_HEADING_PT = 12
RECIPIENTS_PT = 11
TABLE_PT = 13
FIRST_LINE_INDENT_MM = 12.7
PARAGRAPH_AFTER_PT = 6
# Share of the text width taken by the left column of the header and of the closing.
HEADER_LEFT_SHARE = 0.43
CLOSING_LEFT_SHARE = 0.5
CELL_MARGIN_MM = 1.5

# Units per 1000 em of Times New Roman (and the metric-compatible Liberation Serif) for the
# printable ASCII characters, then a few Vietnamese base letters. Only used to draw the rule
# under a line exactly as long as the line.
_ASCII_WIDTHS = {
    False: (
        "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 "
        "500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 "
        "611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 "
        "500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 "
        "500 500 444 480 200 480 541"
    ),
    True: (
        "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 "
        "500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 "
        "667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 "
        "556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 "
        "500 500 444 394 220 394 520"
    ),
}
_EXTRA_WIDTHS = {
    False: {"Đ": 722, "đ": 500, "Ơ": 722, "ơ": 529, "Ư": 776, "ư": 542},
    True: {"Đ": 722, "đ": 556, "Ơ": 778, "ơ": 554, "Ư": 796, "ư": 600},
}
_HORN = "\u031b"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.cache
def _widths(bold: bool) -> dict[str, int]:
    numbers = [int(width) for width in _ASCII_WIDTHS[bold].split()]
    table = {chr(32 + index): width for index, width in enumerate(numbers)}
    return table | _EXTRA_WIDTHS[bold]


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of one line of text in Times New Roman, in millimetres."""
    widths = _widths(bold)
    units = 0
    for char in unicodedata.normalize("NFC", text):
        if char in widths:
            units += widths[char]
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        if _HORN in decomposed:
            base = {"O": "Ơ", "o": "ơ", "U": "Ư", "u": "ư"}.get(base, base)
        units += widths.get(base, 500)
    return units / 1000 * size_pt * 25.4 / 72


@dataclasses.dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float

    @property
    def text_width(self) -> float:
        return PAGE_MM[0] - self.left - self.right


def page_margins() -> Margins:
    """The margins in millimetres from CHIBO_DOC_MARGINS_MM, read each time a page is made."""
    raw = str(getattr(settings, "CHIBO_DOC_MARGINS_MM", DEFAULT_MARGINS_MM) or DEFAULT_MARGINS_MM)
    try:
        values = [float(part) for part in raw.split(",")]
    except ValueError as error:
        raise ImproperlyConfigured(_margins_message(raw)) from error
    if len(values) != 4 or not all(0 <= value <= 60 for value in values):
        raise ImproperlyConfigured(_margins_message(raw))
    return Margins(*values)


def _margins_message(raw: str) -> str:
    return (
        "CHIBO_DOC_MARGINS_MM must be four numbers of millimetres between 0 and 60, "
        f"top,bottom,left,right (for example 20,20,30,15), not {raw!r}"
    )


@dataclasses.dataclass(frozen=True)
class Table:
    """A bordered table in the body: a header row, then rows of text.

    `weights` share the text width between the columns; `centred` names the columns whose
    cells are centred (a number, a date).
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]
    centred: frozenset[int] = frozenset()


Item = Block | Table


@dataclasses.dataclass(frozen=True)
class DocumentInfo:
    """What the file says of itself (File > Properties)."""

    title: str
    author: str


# --- Building the words of the header and the closing ------------------------------------

PARTY_PREFIXES = ("Đảng bộ", "Chi bộ", "Đảng ủy", "Đảng uỷ")
UNIT_WORDS = (
    "thị trấn",
    "thị xã",
    "thành phố",
    "đặc khu",
    "phường",
    "xã",
    "huyện",
    "quận",
    "tỉnh",
)


def header_block(
    *,
    organization: Organization,
    number_symbol: str,
    place: str,
    day: dt.date,
    body: Body | None = None,
) -> Block:
    """The header of any document the organization issues: the same layout as a plan's."""
    superior, committee = issuer_lines(organization, body)
    return header_of(
        superior=superior, committee=committee, number_symbol=number_symbol, place=place, day=day
    )


def title_blocks(document_type: str, title: str) -> list[Block]:
    """ "BÁO CÁO", its subject in bold, then "-----"."""
    return [
        Block(BlockKind.DOCUMENT_TYPE, text=document_type_name(document_type)),
        Block(BlockKind.TITLE, text=title),
        Block(BlockKind.SEPARATOR, text=SEPARATOR),
    ]


def recipient_lines(texts: Iterable[str]) -> list[Line]:
    """ "Nơi nhận:", one recipient a line ending in a comma, and "- Lưu." last."""
    cleaned = [text.strip().lstrip("-").strip().rstrip(",;.").strip() for text in texts]
    others = [text for text in cleaned if text and not text.lower().startswith("lưu")]
    lines = [Line(RECIPIENTS_HEADING, bold=True, italic=True)]
    return lines + [Line(f"- {text},") for text in others] + [Line(f"- {FILED_COPY}")]


def signature_lines(*, capacity: str, title: str, name: str) -> list[Line]:
    """ "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", room for the signature and the seal, the name."""
    lines = [Line(text.upper(), bold=True) for text in (capacity, title) if text]
    return [*lines, *[Line("")] * SIGNATURE_SPACE_LINES, Line(name, bold=True)]


def closing_block(*, recipients: Iterable[str], signature: Sequence[Line]) -> Block:
    return Block(BlockKind.CLOSING, left=tuple(recipient_lines(recipients)), right=tuple(signature))


def capacity_on_behalf(organization: Organization) -> str:
    """ "T/M ĐẢNG ỦY", "T/M HUYỆN ỦY", "T/M CHI BỘ": signing for the collective leadership."""
    if organization.kind.is_cell:
        return "T/M CHI BỘ"
    words = organization.display_committee.split()
    for index, word in enumerate(words):
        if word.lower() in {"ủy", "uỷ"}:
            return "T/M " + " ".join(words[: index + 1]).upper()
    return "T/M " + organization.display_committee.upper()


def organization_place(organization: Organization) -> str:
    """The place a document of the organization is dated at: its commune, district, province.

    Hướng dẫn 36 writes the proper name of the administrative unit ("Tam Đường", "Bản Bo"),
    and the unit word only where the name is a number ("Phường 1"). An organization not named
    after a unit (an agency's, a cell) is dated where the organization above it is.
    """
    current: Organization | None = organization
    while current is not None:
        place = _unit_place(current.name)
        if place:
            return place
        if current.parent is None:
            break
        current = current.parent
    return _strip_party_prefix(organization.name)


def _strip_party_prefix(name: str) -> str:
    for prefix in PARTY_PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            return name[len(prefix) + 1 :].strip()
    return name.strip()


def _unit_place(name: str) -> str:
    rest = _strip_party_prefix(name)
    for unit in UNIT_WORDS:
        if rest.lower().startswith(unit + " "):
            proper = rest[len(unit) + 1 :].strip()
            if proper.isdigit():
                return f"{unit.capitalize()} {proper}"
            return proper
    return ""


def short_date(day: dt.date) -> str:
    """ "20/02/2025", "22/3/2018": as the Party's documents write dates in running text."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


# --- Rendering ---------------------------------------------------------------------------


def render_docx(documents: Sequence[Sequence[Item]], *, info: DocumentInfo) -> bytes:
    """One DOCX holding the documents in order, each from a new page; returns the file."""
    margins = page_margins()
    document = Document(io.BytesIO(_base_template(margins)))
    for index, items in enumerate(documents):
        if index:
            document.add_section(WD_SECTION.NEW_PAGE)
        _render_items(document, items, margins)
    properties = document.core_properties
    properties.title = _text(info.title)
    properties.author = _text(info.author)
    properties.last_modified_by = _text(info.author)
    properties.language = LANGUAGE
    properties.comments = "chibo"
    now = timezone.now()
    properties.created = now
    properties.modified = now
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _render_items(document: Any, items: Sequence[Item], margins: Margins) -> None:
    width = margins.text_width
    for index, item in enumerate(items):
        if isinstance(item, Table):
            _table(document, item, width)
        elif item.kind == BlockKind.HEADER:
            _header(document, item, width)
        elif item.kind == BlockKind.CLOSING:
            _closing(document, item, width)
        else:
            paragraph = _paragraph(document, item.text, _STYLE_BY_KIND.get(item.kind, "Body"))
            following = items[index + 1] if index + 1 < len(items) else None
            if isinstance(following, Block) and following.kind == BlockKind.CLOSING:
                # A signature never stands alone on a page: the last lines go over with it.
                paragraph.paragraph_format.keep_with_next = True


_STYLE_BY_KIND = {
    BlockKind.DOCUMENT_TYPE: "Document Type",
    BlockKind.TITLE: "Document Title",
    BlockKind.SEPARATOR: "Separator",
    BlockKind.PARAGRAPH: "Body",
    BlockKind.PART_HEADING: "Part Heading",
    BlockKind.SECTION_HEADING: "Section Heading",
}


def _style_id(name: str) -> str:
    """The style's id in styles.xml: its name without spaces (as python-docx makes it)."""
    return name.replace(" ", "")


def _paragraph(container: Any, text: str, style: str) -> Any:
    """A paragraph with its style set by id: looking styles up by name is python-docx's
    slowest step, and a batch of letters makes thousands of paragraphs."""
    paragraph = container.add_paragraph()
    paragraph._p.style = _style_id(style)
    if text:
        paragraph.add_run(_text(text))
    return paragraph


def _text(text: str) -> str:
    """NFC (precomposed letters keep every diacritic in any font) with no XML-invalid bytes."""
    return _NOT_XML.sub("", unicodedata.normalize("NFC", text))


def _borderless_table(document: Any, widths: Sequence[float], rows: int = 1) -> Any:
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_borders(table, "nil")
    _set_cell_margins(table, CELL_MARGIN_MM)
    _set_widths(table, widths)
    return table


def _set_widths(table: Any, widths: Sequence[float]) -> None:
    grid = table._tbl.tblGrid  # python-docx has no API for the grid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(width / 25.4 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _set_table_borders(table: Any, value: str) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    _insert_in_order(table._tbl.tblPr, borders, _TBLPR_ORDER)


def _set_cell_margins(table: Any, millimetres: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(millimetres / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_in_order(table._tbl.tblPr, margins, _TBLPR_ORDER)


def _keep_row_together(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _cell_lines(
    cell: Any, lines: Sequence[Line], style: str, column_mm: float, space_before: float = 0
) -> None:
    """Write lines into a cell, one paragraph each, the first reusing the cell's own."""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph._p.style = _style_id(style)
        if index == 0 and space_before:
            paragraph.paragraph_format.space_before = Pt(space_before)
        if line.text:
            size = NATIONAL_NAME_PT if line.text == NATIONAL_NAME else BODY_PT
            parts = [line.text]
            if style == "Header Line" and not line.ruled:
                parts = balanced_lines(line.text, size, bold=line.bold, width_mm=column_mm)
            for part_index, part in enumerate(parts):
                run = paragraph.add_run(_text(part))
                run.bold = line.bold or None
                run.italic = line.italic or None
                if line.text == NATIONAL_NAME:
                    run.font.size = Pt(NATIONAL_NAME_PT)
                if part_index < len(parts) - 1:
                    run.add_break()
        if line.ruled:
            _rule_under(paragraph, line, column_mm)


# Words a long name reads well broken before: a conjunction first, then the word that starts
# the name of a unit ("… / PHÒNG …", "… / XÃ …"); a break elsewhere may split a compound word.
_BREAK_BEFORE = (
    frozenset({"VÀ", "-", "–"}),
    frozenset({"BAN", "XÃ", "THỊ", "HUYỆN", "TỈNH", "TRƯỜNG", "PHƯỜNG", "THÀNH"}),
)


def _break_tier(word: str) -> int:
    for tier, words in enumerate(_BREAK_BEFORE):
        if word.upper() in words:
            return tier
    return len(_BREAK_BEFORE)


def balanced_lines(text: str, size_pt: float, *, bold: bool, width_mm: float) -> list[str]:
    """A header name too long for its column, broken in two lines rather than wherever the
    column ends: before "VÀ" or a unit's name where both lines fit, else where they come out
    most even ("CHI BỘ PHÒNG KINH TẾ / VÀ HẠ TẦNG")."""
    usable = width_mm - 2 * CELL_MARGIN_MM
    if text_width_mm(text, size_pt, bold=bold) <= usable:
        return [text]
    words = text.split()
    best: tuple[int, float, int] | None = None
    for split in range(1, len(words)):
        first = text_width_mm(" ".join(words[:split]), size_pt, bold=bold)
        second = text_width_mm(" ".join(words[split:]), size_pt, bold=bold)
        if max(first, second) > usable:
            continue
        candidate = (_break_tier(words[split]), max(first, second), split)
        if best is None or candidate < best:
            best = candidate
    if best is None:  # even two lines are too long: leave the wrapping to the word processor
        return [text]
    split = best[2]
    return [" ".join(words[:split]), " ".join(words[split:])]


def _rule_under(paragraph: Any, line: Line, column_mm: float) -> None:
    """A line under the text, as long as the text: a bottom border between equal indents."""
    size = NATIONAL_NAME_PT if line.text == NATIONAL_NAME else BODY_PT
    usable = column_mm - 2 * CELL_MARGIN_MM
    indent = max(0.0, (usable - text_width_mm(line.text, size, bold=line.bold)) / 2)
    paragraph.paragraph_format.left_indent = Mm(indent)
    paragraph.paragraph_format.right_indent = Mm(indent)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    _insert_paragraph_property(paragraph, borders)


# Children of w:pPr in schema order: Word rejects a file whose order differs.
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
)


def _insert_paragraph_property(paragraph: Any, element: Any) -> None:
    _insert_in_order(paragraph._p.get_or_add_pPr(), element, _PPR_ORDER)


def _insert_in_order(parent: Any, element: Any, order: Sequence[str]) -> None:
    """Insert a property element where the schema's sequence puts it."""
    position = order.index(element.tag.split("}")[1])
    for index, child in enumerate(parent):
        name = child.tag.split("}")[1]
        if name in order and order.index(name) > position:
            parent.insert(index, element)
            return
    parent.append(element)


def _line_width(line: Line) -> float:
    size = NATIONAL_NAME_PT if line.text == NATIONAL_NAME else BODY_PT
    return text_width_mm(line.text, size, bold=line.bold)


def _header_columns(block: Block, width: float) -> tuple[float, float]:
    """Each column as wide as its longest line needs, the rest shared: "ĐẢNG BỘ HUYỆN TAM
    ĐƯỜNG" and "Tam Đường, ngày 20 tháng 01 năm 2025" then stay on one line each."""
    slack = 2 * CELL_MARGIN_MM + 1
    left = max((_line_width(line) for line in block.left), default=0) + slack
    right = max((_line_width(line) for line in block.right), default=0) + slack
    if left + right > width:
        # The right column keeps what its lines need (the Party's name, the place and date on
        # one line each); a long committee name wraps on the left instead.
        right = min(right, width * (1 - HEADER_LEFT_SHARE))
        return width - right, right
    spare = (width - left - right) / 2
    return left + spare, right + spare


def _header(document: Any, block: Block, width: float) -> None:
    """Two rows: the names, then the number (left) level with the place and date (right)."""
    columns = _header_columns(block, width)
    table = _borderless_table(document, columns, rows=2)
    left, right = list(block.left), list(block.right)
    top, bottom = table.rows[0].cells, table.rows[1].cells
    _cell_lines(top[0], left[:-1], "Header Line", columns[0])
    _cell_lines(top[1], right[:-1], "Header Line", columns[1])
    _cell_lines(bottom[0], left[-1:], "Header Line", columns[0], space_before=4)
    _cell_lines(bottom[1], right[-1:], "Header Line", columns[1], space_before=4)


def _closing(document: Any, block: Block, width: float) -> None:
    """Recipients (small, left) beside the signature (right); a second signature on the left
    when the document has no recipients (minutes are signed by the chair and the secretary)."""
    columns = (width * CLOSING_LEFT_SHARE, width * (1 - CLOSING_LEFT_SHARE))
    table = _borderless_table(document, columns)
    _keep_row_together(table.rows[0])
    left_cell, right_cell = table.rows[0].cells
    left = list(block.left)
    if left and left[0].text == RECIPIENTS_HEADING:
        _cell_lines(left_cell, left[:1], "Recipients Heading", columns[0], space_before=12)
        for line in left[1:]:
            _paragraph(left_cell, line.text, "Recipient")
    else:
        _cell_lines(left_cell, left, "Signature", columns[0], space_before=12)
    _cell_lines(right_cell, list(block.right), "Signature", columns[1], space_before=12)


def _table(document: Any, item: Table, width: float) -> None:
    total = sum(item.weights)
    widths = [width * weight / total for weight in item.weights]
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_borders(table, "single")
    _set_cell_margins(table, CELL_MARGIN_MM)
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    header._tr.get_or_add_trPr().append(repeat)  # repeated on every page
    for cell, text in zip(header.cells, item.headers, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph._p.style = _style_id("Table Heading")
        paragraph.add_run(_text(text))
    for values in item.rows:
        cells = table.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            style = "Table Cell Centred" if column in item.centred else "Table Cell"
            paragraph = cell.paragraphs[0]
            paragraph._p.style = _style_id(style)
            paragraph.add_run(_text(text))
    _set_widths(table, widths)
    # Room after the table before the text goes on.
    _paragraph(document, "", "Table Gap")


# --- The template: page, styles, page numbers --------------------------------------------


@functools.lru_cache(maxsize=8)
def _base_template(margins: Margins) -> bytes:
    """An empty document with the page, the styles and the page numbers set, made once."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_MM[0])
    section.page_height = Mm(PAGE_MM[1])
    section.top_margin = Mm(margins.top)
    section.bottom_margin = Mm(margins.bottom)
    section.left_margin = Mm(margins.left)
    section.right_margin = Mm(margins.right)
    section.header_distance = Mm(min(10.0, margins.top / 2))
    section.footer_distance = Mm(min(10.0, margins.bottom / 2))
    _restart_page_numbers(section)
    _define_styles(document)
    _page_numbers(section)
    _prune(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Styles the template keeps besides chibo's own: what Word needs and what tables use.
_KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "TableGrid", "NoList"}
# Parts of python-docx's template that a generated document never uses; without them each
# document opens and saves in a fraction of the time.
_DROPPED_PARTS = ("/stylesWithEffects", "/customXml", "/webSettings", "/thumbnail")


def _prune(document: Any) -> None:
    styles = document.styles.element
    kept = _KEPT_STYLES | {_style_id(name) for name in _STYLE_SPECS}
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in kept:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for part in (document.part, document.part.package):
        for rel_id, relationship in list(part.rels.items()):
            if relationship.reltype.endswith(_DROPPED_PARTS):
                del part.rels[rel_id]


def _restart_page_numbers(section: Any) -> None:
    """Each document of a batch counts its pages from 1 (sections copy this on)."""
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    properties = section._sectPr
    columns = properties.find(qn("w:cols"))
    if columns is not None:
        columns.addprevious(numbering)
    else:
        properties.append(numbering)


def _page_numbers(section: Any) -> None:
    """The page number at the top centre from the second page on (none on the first)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph._p.style = _style_id("Header Line")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_fonts(element: Any) -> None:
    """Times New Roman for every script slot, so no theme font slips in."""
    properties = element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for name in list(fonts.attrib):
        if name.endswith("Theme"):
            del fonts.attrib[name]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)


_CENTRE = WD_ALIGN_PARAGRAPH.CENTER
_JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
_LEFT = WD_ALIGN_PARAGRAPH.LEFT
_INDENT = FIRST_LINE_INDENT_MM
_AFTER = PARAGRAPH_AFTER_PT
# Paragraph styles: (size, bold, italic, alignment, first-line indent mm, space before pt,
# space after pt, keep with next). Users who edit the DOCX find them by these names.
_STYLE_SPECS: dict[str, tuple[float, bool, bool, Any, float, float, float, bool]] = {
    "Header Line": (BODY_PT, False, False, _CENTRE, 0, 0, 0, False),
    "Document Type": (DOCUMENT_TYPE_PT, True, False, _CENTRE, 0, 18, 0, True),
    "Document Title": (BODY_PT, True, False, _CENTRE, 0, 0, 0, True),
    "Separator": (BODY_PT, False, False, _CENTRE, 0, 0, 12, True),
    "Body": (BODY_PT, False, False, _JUSTIFY, _INDENT, 0, _AFTER, False),
    "Part Heading": (BODY_PT, True, False, _JUSTIFY, _INDENT, 6, 6, True),
    "Section Heading": (BODY_PT, True, False, _JUSTIFY, _INDENT, 0, 6, True),
    "Recipients Heading": (RECIPIENTS_HEADING_PT, True, True, _LEFT, 0, 0, 0, True),
    "Recipient": (RECIPIENTS_PT, False, False, _LEFT, 0, 0, 0, True),
    "Signature": (BODY_PT, True, False, _CENTRE, 0, 0, 0, True),
    "Table Heading": (TABLE_PT, True, False, _CENTRE, 0, 2, 2, False),
    "Table Cell": (TABLE_PT, False, False, _LEFT, 0, 2, 2, False),
    "Table Cell Centred": (TABLE_PT, False, False, _CENTRE, 0, 2, 2, False),
    "Table Gap": (BODY_PT, False, False, _LEFT, 0, 0, 6, False),
}


def _define_styles(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_defaults.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), LANGUAGE)

    normal = styles["Normal"]
    _set_fonts(normal.element)
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    paragraph = normal.paragraph_format
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing = 1.0
    paragraph.widow_control = True
    for name, (size, bold, italic, alignment, indent, before, after, keep) in _STYLE_SPECS.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        format_ = style.paragraph_format
        format_.alignment = alignment
        format_.first_line_indent = Mm(indent) if indent else None
        format_.space_before = Pt(before)
        format_.space_after = Pt(after)
        format_.keep_with_next = keep
    # A wrapped recipient lines up under the text, not under the dash.
    recipient = styles["Recipient"].paragraph_format
    recipient.left_indent = Mm(2.5)
    recipient.first_line_indent = Mm(-2.5)
