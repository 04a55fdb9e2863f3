"""A plan as the Party's document reads, as a list of blocks (Hướng dẫn 36-HD/VPTW layout).

The page and the DOCX builder both render these blocks, so the words and their order are decided
here once. The words are the document's own and stay Vietnamese whatever the user's language.
The plan should come from `plans.selectors.plan_get`, which prefetches what is read here.
"""

import dataclasses
import datetime as dt
import enum

from chibo.orgs.models import Body, Organization
from chibo.plans.models import Plan, PlanSection

NATIONAL_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_HEADING = "Nơi nhận:"
FILED_COPY = "Lưu."
SEPARATOR = "-----"
SIGNATURE_SPACE_LINES = 3

DOCUMENT_TYPE_NAMES = {
    "KH": "KẾ HOẠCH",
    "HD": "HƯỚNG DẪN",
    "TB": "THÔNG BÁO",
    "BC": "BÁO CÁO",
    "GM": "GIẤY MỜI",
    "BB": "BIÊN BẢN",
    "NQ": "NGHỊ QUYẾT",
    "QĐ": "QUYẾT ĐỊNH",
    "CT": "CHỈ THỊ",
    "KL": "KẾT LUẬN",
    "QĐi": "QUY ĐỊNH",
    "CTr": "CHƯƠNG TRÌNH",
    "TTr": "TỜ TRÌNH",
}

# The parts in the order the document prints them, with their headings.
PART_HEADINGS = {
    PlanSection.Part.PURPOSE: "MỤC ĐÍCH, YÊU CẦU",
    PlanSection.Part.CONTENT: "NỘI DUNG",
    PlanSection.Part.IMPLEMENTATION: "TỔ CHỨC THỰC HIỆN",
}

ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class BlockKind(enum.StrEnum):
    HEADER = "header"  # two columns: the issuer (left), the Party's name, place and date (right)
    DOCUMENT_TYPE = "document_type"  # "KẾ HOẠCH", bold capitals, centred
    TITLE = "title"  # the subject, bold, centred
    SEPARATOR = "separator"  # "-----", centred
    PARAGRAPH = "paragraph"  # body text, justified, first line indented
    PART_HEADING = "part_heading"  # "I. MỤC ĐÍCH, YÊU CẦU", bold
    SECTION_HEADING = "section_heading"  # "1. Đối với các chi bộ cơ sở", bold
    CLOSING = "closing"  # two columns: recipients (left, small), signature (right)


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of a two-column block. An empty text is a blank line (room for a signature)."""

    text: str
    bold: bool = False
    italic: bool = False
    # A horizontal rule under the line, as long as the line: not underlined text.
    ruled: bool = False


@dataclasses.dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    left: tuple[Line, ...] = ()
    right: tuple[Line, ...] = ()


def document_date(place: str, day: dt.date) -> str:
    """ "Tam Đường, ngày 20 tháng 01 năm 2025": days below 10 and months 1 and 2 take a zero."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def document_type_name(code: str) -> str:
    return DOCUMENT_TYPE_NAMES.get(code, code.upper())


def issuer_lines(organization: Organization, body: Body | None = None) -> tuple[str, str]:
    """(superior organization, issuing committee) in capitals; no superior above a root.

    An advisory body (Ban Tổ chức …) issues under its committee's name; a committee or its
    standing committee issues as the committee, under the organization above it. Every
    document's header takes its issuer lines from here.
    """
    if body is not None and body.is_advisory:
        return organization.display_committee.upper(), body.name.upper()
    superior = organization.parent.name.upper() if organization.parent else ""
    return superior, organization.display_committee.upper()


def _header(plan: Plan) -> Block:
    superior, committee = issuer_lines(plan.issuer_org, plan.issuer_body)
    return header_of(
        superior=superior,
        committee=committee,
        number_symbol=plan.number_symbol,
        place=plan.place,
        day=plan.issued_on,
    )


def header_of(
    *, superior: str, committee: str, number_symbol: str, place: str, day: dt.date
) -> Block:
    """The header from the issuer's two lines; no number (a scoring sheet) leaves its line
    blank, so the place and date stay level with where it would be."""
    left = [Line(superior)] if superior else []
    number = Line(f"Số {number_symbol}") if number_symbol else Line("")
    left += [Line(committee, bold=True), Line("*"), number]
    right = [
        Line(NATIONAL_NAME, bold=True, ruled=True),
        Line(document_date(place, day), italic=True),
    ]
    return Block(BlockKind.HEADER, left=tuple(left), right=tuple(right))


def _paragraphs(text: str) -> list[Block]:
    return [
        Block(BlockKind.PARAGRAPH, text=line.strip()) for line in text.splitlines() if line.strip()
    ]


def _sections(plan: Plan) -> list[Block]:
    by_part: dict[str, list[PlanSection]] = {}
    for section in plan.sections.all():
        by_part.setdefault(section.part, []).append(section)
    blocks: list[Block] = []
    numerals = iter(ROMAN_NUMERALS)
    for part, heading in PART_HEADINGS.items():
        sections = sorted(by_part.get(part, []), key=lambda section: (section.order, section.pk))
        if not sections:
            continue
        blocks.append(Block(BlockKind.PART_HEADING, text=f"{next(numerals)}. {heading}"))
        for section in sections:
            if section.heading.strip():
                blocks.append(Block(BlockKind.SECTION_HEADING, text=section.heading.strip()))
            blocks += _paragraphs(section.body)
    return blocks


def _recipient_lines(plan: Plan) -> list[Line]:
    """One recipient a line, each ending in a comma, and the filed copy last ("- Lưu.")."""
    texts = [recipient.text.strip().lstrip("-").strip() for recipient in plan.recipients.all()]
    texts = [text.rstrip(",;.").strip() for text in texts if text]
    filed = [text for text in texts if text.lower().startswith("lưu")]
    others = [text for text in texts if not text.lower().startswith("lưu")]
    last = f"{filed[-1]}." if filed else FILED_COPY
    return [Line(f"- {text},") for text in others] + [Line(f"- {last}")]


def _signature_lines(plan: Plan) -> list[Line]:
    lines: list[Line] = []
    if plan.signing_capacity:
        lines.append(Line(plan.signing_capacity.upper(), bold=True))
    if plan.signer_title:
        lines.append(Line(plan.signer_title.upper(), bold=True))
    lines += [Line("")] * SIGNATURE_SPACE_LINES
    if plan.signer_name:
        lines.append(Line(plan.signer_name, bold=True))
    return lines


def _closing(plan: Plan) -> Block:
    left = [Line(RECIPIENTS_HEADING, bold=True, italic=True), *_recipient_lines(plan)]
    return Block(BlockKind.CLOSING, left=tuple(left), right=tuple(_signature_lines(plan)))


def plan_document_blocks(plan: Plan) -> list[Block]:
    """The plan's document, top to bottom: header, type and title, body, recipients, signature."""
    return [
        _header(plan),
        Block(BlockKind.DOCUMENT_TYPE, text=document_type_name(plan.document_type)),
        Block(BlockKind.TITLE, text=plan.title),
        Block(BlockKind.SEPARATOR, text=SEPARATOR),
        *_paragraphs(plan.preamble),
        *_sections(plan),
        _closing(plan),
    ]
