"""An observer's evaluation of a meeting (phiếu đánh giá chất lượng sinh hoạt chi bộ).

Each criterion with its score and comment in a table, the total and the rating, then the
strengths, the shortcomings and the lessons, signed by the observer. A meeting's evaluations go
in one file, each from a new page.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.utils.text import slugify
from unidecode import unidecode

from chibo.documents import frame
from chibo.plans.document_text import (
    SEPARATOR,
    SIGNATURE_SPACE_LINES,
    Block,
    BlockKind,
    Line,
    header_of,
)

SHEET_TYPE = "PHIẾU ĐÁNH GIÁ"
SHEET_TITLE = "Chất lượng buổi sinh hoạt chi bộ"
TABLE_HEADERS = ("STT", "Tiêu chí", "Điểm tối đa", "Điểm", "Nhận xét")
TABLE_WEIGHTS = (1.2, 4.6, 1.8, 1.4, 6.0)
TOTAL_LABEL = "Tổng cộng"
NOTHING = "Không có."


@dataclasses.dataclass(frozen=True)
class ScoreLine:
    criterion: str
    max_score: int
    score: int
    comment: str = ""


@dataclasses.dataclass(frozen=True)
class EvaluationData:
    superior: str  # the header: the observer's body under its committee
    committee: str
    place: str
    day: dt.date
    cell_name: str
    meeting_text: str  # "Sinh hoạt thường kỳ mẫu, 08 giờ 00, thứ Tư, ngày 12/3/2025, tại …"
    observer: str
    observer_for: str  # the body they observed for, or ""
    scores: tuple[ScoreLine, ...]
    total: int
    rating: str
    strengths: str
    shortcomings: str
    lessons: str


def _texts(text: str) -> list[Block]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Block(BlockKind.PARAGRAPH, text=line) for line in lines] or [
        Block(BlockKind.PARAGRAPH, text=NOTHING)
    ]


def evaluation_items(data: EvaluationData) -> list[frame.Item]:
    observer = data.observer + (f", {data.observer_for}" if data.observer_for else "")
    rows = [
        (str(number), line.criterion, str(line.max_score), str(line.score), line.comment)
        for number, line in enumerate(data.scores, start=1)
    ]
    top = sum(line.max_score for line in data.scores)
    rows.append(("", TOTAL_LABEL, str(top), str(data.total), f"Xếp loại: {data.rating}"))
    return [
        header_of(
            superior=data.superior,
            committee=data.committee,
            number_symbol="",
            place=data.place,
            day=data.day,
        ),
        Block(BlockKind.DOCUMENT_TYPE, text=SHEET_TYPE),
        Block(BlockKind.TITLE, text=SHEET_TITLE),
        Block(BlockKind.SEPARATOR, text=SEPARATOR),
        Block(BlockKind.PARAGRAPH, text=f"Chi bộ được đánh giá: {data.cell_name}."),
        Block(BlockKind.PARAGRAPH, text=f"Buổi sinh hoạt: {data.meeting_text}."),
        Block(BlockKind.PARAGRAPH, text=f"Người đánh giá: đồng chí {observer}."),
        Block(BlockKind.PART_HEADING, text="I. ĐIỂM THEO TIÊU CHÍ"),
        frame.Table(
            headers=TABLE_HEADERS,
            rows=tuple(rows),
            weights=TABLE_WEIGHTS,
            centred=frozenset({0, 2, 3}),
        ),
        Block(
            BlockKind.PARAGRAPH,
            text=f"Tổng điểm: {data.total}/{top}. Xếp loại chung: {data.rating}.",
        ),
        Block(BlockKind.PART_HEADING, text="II. ƯU ĐIỂM"),
        *_texts(data.strengths),
        Block(BlockKind.PART_HEADING, text="III. HẠN CHẾ"),
        *_texts(data.shortcomings),
        Block(BlockKind.PART_HEADING, text="IV. BÀI HỌC KINH NGHIỆM"),
        *_texts(data.lessons),
        Block(
            BlockKind.CLOSING,
            left=(),
            right=(
                Line("NGƯỜI ĐÁNH GIÁ", bold=True),
                *[Line("")] * SIGNATURE_SPACE_LINES,
                Line(data.observer, bold=True),
            ),
        ),
    ]


def evaluations_docx(evaluations: Sequence[EvaluationData]) -> bytes:
    """The meeting's evaluations in one file, each from a new page."""
    first = evaluations[0]
    info = frame.DocumentInfo(
        title=f"Phiếu đánh giá sinh hoạt chi bộ: {first.cell_name}", author=first.committee
    )
    return frame.render_docx([evaluation_items(data) for data in evaluations], info=info)


def evaluations_filename(cell_name: str, day: dt.date, extension: str) -> str:
    """ "danh-gia-chi-bo-phong-kinh-te-va-ha-tang-2025-03-12.docx"."""
    return f"danh-gia-{slugify(unidecode(cell_name))}-{day:%Y-%m-%d}.{extension}"
