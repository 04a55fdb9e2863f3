"""The lessons-learned report of a plan (báo cáo rút kinh nghiệm tổ chức sinh hoạt chi bộ mẫu).

The Organization Board reports to the Standing Office: the ratings of every evaluated model
meeting as a table, then the summary the Board wrote (pre-filled from the evaluations and
edited), or, before there is one, every lesson grouped by criterion.
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from chibo.documents import frame
from chibo.documents.builders.registration import BLANK_NUMBER, FOR_INFORMATION, Signer
from chibo.plans.document_text import Block, BlockKind, header_of

REPORT_TYPE = "BC"
TABLE_HEADERS = ("STT", "Chi bộ", "Hình thức", "Ngày", "Người đánh giá", "Điểm", "Xếp loại")
TABLE_WEIGHTS = (1.4, 3.9, 2.9, 2.5, 3.7, 1.7, 2.2)
NO_RATINGS = "(Chưa có buổi sinh hoạt nào được đánh giá.)"
# A line of the summary that is a part heading: "I. …", "II. …" in capitals.
_PART = re.compile(r"^(?:[IVX]+)\.\s+\S")


@dataclasses.dataclass(frozen=True)
class RatingRow:
    cell_name: str
    meeting_type: str  # "Sinh hoạt thường kỳ"
    day: dt.date | None
    observer: str
    total: int
    rating: str


@dataclasses.dataclass(frozen=True)
class CriterionLessons:
    criterion: str
    comments: tuple[str, ...]  # "Chi bộ …: comment"


@dataclasses.dataclass(frozen=True)
class LessonsData:
    superior: str
    committee: str  # the board, in capitals: "BAN TỔ CHỨC HUYỆN ỦY"
    symbol: str  # the board's document symbol: "BTCHU"
    place: str
    day: dt.date
    board_name: str  # "Ban Tổ chức Huyện ủy"
    addressee: str  # "Thường trực Huyện ủy Tam Đường"
    plan_reference: str
    plan_year: int
    ratings: tuple[RatingRow, ...]
    summary: str  # the Board's text; "" when not written yet
    by_criterion: tuple[CriterionLessons, ...]
    signer: Signer


# A line of the pre-filled ratings list: "1. Chi bộ … (…, 12/03/2025): 91/100 – Tốt (…)".
_RATING_LINE = re.compile(r"^\d+\.\s.*:\s*\d+/\d+\s")


def _parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each part of the Board's text; text before any heading has none."""
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in lines:
        if _PART.match(line) and line.upper() == line:
            parts.append((line, []))
        else:
            parts[-1][1].append(line)
    return [part for part in parts if part[0] or part[1]]


def _summary_blocks(text: str) -> list[Block]:
    """The Board's text as sections of part II: its title line left out (the report has its
    own), a part that only lists the ratings left out (the table shows them), its "I." parts
    numbered 1, 2 … under part II."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].upper() == lines[0] and not _PART.match(lines[0]):
        lines = lines[1:]
    blocks: list[Block] = []
    number = 0
    for heading, body in _parts(lines):
        if heading and body and all(_RATING_LINE.match(line) for line in body):
            continue
        if heading:
            number += 1
            words = heading.split(".", 1)[1].strip()
            blocks.append(Block(BlockKind.SECTION_HEADING, text=f"{number}. {words.capitalize()}"))
        blocks += [Block(BlockKind.PARAGRAPH, text=line) for line in body]
    return blocks


def lessons_items(data: LessonsData) -> list[frame.Item]:
    title = f"rút kinh nghiệm tổ chức sinh hoạt chi bộ mẫu năm {data.plan_year}"
    body: list[frame.Item] = [
        header_of(
            superior=data.superior,
            committee=data.committee,
            number_symbol=f"{BLANK_NUMBER}-{REPORT_TYPE}/{data.symbol}",
            place=data.place,
            day=data.day,
        ),
        *frame.title_blocks(REPORT_TYPE, title),
        Block(
            BlockKind.PARAGRAPH,
            text=f"Thực hiện {data.plan_reference}, {data.board_name} báo cáo kết quả đánh giá "
            "và rút kinh nghiệm các buổi sinh hoạt chi bộ mẫu như sau:",
        ),
        Block(BlockKind.PART_HEADING, text="I. KẾT QUẢ ĐÁNH GIÁ CÁC BUỔI SINH HOẠT CHI BỘ MẪU"),
    ]
    if data.ratings:
        rows = tuple(
            (
                str(number),
                row.cell_name,
                row.meeting_type,
                frame.short_date(row.day) if row.day else "",
                row.observer,
                str(row.total),
                row.rating,
            )
            for number, row in enumerate(data.ratings, start=1)
        )
        body.append(
            frame.Table(
                headers=TABLE_HEADERS,
                rows=rows,
                weights=TABLE_WEIGHTS,
                centred=frozenset({0, 3, 5, 6}),
            )
        )
    else:
        body.append(Block(BlockKind.PARAGRAPH, text=NO_RATINGS))
    body.append(Block(BlockKind.PART_HEADING, text="II. NỘI DUNG RÚT KINH NGHIỆM"))
    if data.summary.strip():
        body += _summary_blocks(data.summary)
    else:
        for number, group in enumerate(data.by_criterion, start=1):
            body.append(Block(BlockKind.SECTION_HEADING, text=f"{number}. {group.criterion}"))
            body += [Block(BlockKind.PARAGRAPH, text=f"- {text}") for text in group.comments]
    body.append(
        Block(
            BlockKind.PARAGRAPH,
            text=f"Trên đây là báo cáo rút kinh nghiệm tổ chức sinh hoạt chi bộ mẫu năm "
            f"{data.plan_year}, {data.board_name} kính báo cáo {data.addressee} xem xét, "
            "chỉ đạo./.",
        )
    )
    signature = frame.signature_lines(
        capacity=data.signer.capacity, title=data.signer.title, name=data.signer.name
    )
    recipients = [f"{data.addressee} {FOR_INFORMATION}"]
    body.append(frame.closing_block(recipients=recipients, signature=signature))
    return body


def lessons_docx(data: LessonsData) -> bytes:
    info = frame.DocumentInfo(
        title=f"Báo cáo rút kinh nghiệm sinh hoạt chi bộ mẫu năm {data.plan_year}",
        author=data.board_name,
    )
    return frame.render_docx([lessons_items(data)], info=info)


def lessons_filename(plan_symbol: str, year: int, extension: str) -> str:
    """ "rut-kinh-nghiem-332-KH-HU-2025.docx"."""
    return f"rut-kinh-nghiem-{plan_symbol}-{year}.{extension}"


def criterion_lessons(
    criteria: Sequence[str], comments: Sequence[tuple[str, str]]
) -> tuple[CriterionLessons, ...]:
    """Group (criterion, "cell: comment") pairs under the criteria, in the criteria's order;
    a comment two observers both wrote about the same cell is listed once."""
    return tuple(
        CriterionLessons(
            criterion=name,
            comments=tuple(dict.fromkeys(text for key, text in comments if key == name)),
        )
        for name in criteria
    )
