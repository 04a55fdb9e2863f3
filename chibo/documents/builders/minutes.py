"""The minutes (biên bản) of a meeting and the resolution it adopted.

Time and place; chair and minutes secretary; members in all, full members called, present,
absent with and without reason, the attendance rate; guests; the proceedings by agenda item
with the opinions; the conclusion; the resolution with its vote; the chair's and the
secretary's signatures (DOMAIN.md, "Minutes").
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.utils.text import slugify
from unidecode import unidecode

from chibo.core.dates import LOCAL_TZ
from chibo.documents import frame
from chibo.documents.builders.registration import BLANK_NUMBER, MEETING_TYPE_NAMES, moment_text
from chibo.plans.document_text import SIGNATURE_SPACE_LINES, Block, BlockKind, Line, header_of

MINUTES_TYPE = "BB"
NOT_RECORDED = "(chưa ghi)"
NONE = "không"


@dataclasses.dataclass(frozen=True)
class Absent:
    name: str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Proceeding:
    item: str
    content: str = ""
    opinions: str = ""


@dataclasses.dataclass(frozen=True)
class MinutesData:
    """Everything the minutes print, read from a meeting fetched in scope."""

    superior: str
    committee: str
    symbol: str
    place: str
    cell_name: str
    meeting_type: str
    is_model: bool
    topic: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    venue: str
    chair: str
    chair_title: str
    secretary: str
    members: int
    called: int
    present: int
    excused: tuple[Absent, ...]
    unexcused: tuple[Absent, ...]
    rate_percent: float
    probationary_present: int
    guests: tuple[str, ...]
    proceedings: tuple[Proceeding, ...]
    conclusion: str
    resolution: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None


def _percent(value: float) -> str:
    """ "91,7%": Vietnamese writes a decimal comma."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _names(people: Sequence[Absent]) -> str:
    if not people:
        return ""
    return ": " + "; ".join(
        f"{person.name} ({person.note})" if person.note else person.name for person in people
    )


def _time_only(moment: dt.datetime) -> str:
    local = moment.astimezone(LOCAL_TZ)
    return f"{local:%H} giờ {local:%M}"


def _paragraphs(text: str, prefix: str = "") -> list[Block]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    first = [Block(BlockKind.PARAGRAPH, text=f"{prefix}{lines[0]}")]
    return first + [Block(BlockKind.PARAGRAPH, text=line) for line in lines[1:]]


def title_of(data: MinutesData) -> str:
    """ "Sinh hoạt chi bộ thường kỳ tháng 3 năm 2025" (mẫu, where it is a model meeting)."""
    kind = MEETING_TYPE_NAMES.get(data.meeting_type, "Sinh hoạt").lower()
    kind = kind.replace("sinh hoạt", "sinh hoạt chi bộ", 1)
    model = " mẫu" if data.is_model else ""
    when = ""
    if data.opened_at is not None:
        local = data.opened_at.astimezone(LOCAL_TZ)
        when = f" tháng {local.month} năm {local.year}"
    return f"{kind}{model}{when}".capitalize()


def minutes_items(data: MinutesData, *, day: dt.date) -> list[frame.Item]:
    """The minutes, top to bottom, for the frame; `day` is the date they are dated."""
    body: list[frame.Item] = [
        header_of(
            superior=data.superior,
            committee=data.committee,
            number_symbol=f"{BLANK_NUMBER}-{MINUTES_TYPE}/{data.symbol}",
            place=data.place,
            day=day,
        ),
        *frame.title_blocks(MINUTES_TYPE, title_of(data)),
    ]
    opened = moment_text(data.opened_at) if data.opened_at else NOT_RECORDED
    kind = MEETING_TYPE_NAMES.get(data.meeting_type, "Sinh hoạt").lower()
    model = " mẫu" if data.is_model else ""
    venue = data.venue or NOT_RECORDED
    body.append(
        Block(
            BlockKind.PARAGRAPH,
            text=f"Vào lúc {opened}, tại {venue}, {data.cell_name} tiến hành {kind}{model}.",
        )
    )
    if data.topic:
        body.append(Block(BlockKind.PARAGRAPH, text=f"Chuyên đề: {data.topic}."))

    body.append(Block(BlockKind.PART_HEADING, text="I. THÀNH PHẦN"))
    chair = data.chair or NOT_RECORDED
    if data.chair and data.chair_title:
        chair = f"{data.chair}, {data.chair_title}"
    body += [
        Block(BlockKind.PARAGRAPH, text=f"- Chủ trì: đồng chí {chair}."),
        Block(
            BlockKind.PARAGRAPH,
            text=f"- Thư ký: đồng chí {data.secretary or NOT_RECORDED}.",
        ),
        Block(
            BlockKind.PARAGRAPH, text=f"- Tổng số đảng viên của chi bộ: {data.members} đồng chí."
        ),
        Block(
            BlockKind.PARAGRAPH,
            text=f"- Số đảng viên chính thức được triệu tập: {data.called} đồng chí.",
        ),
        Block(
            BlockKind.PARAGRAPH,
            text=f"- Có mặt: {data.present} đồng chí, đạt tỷ lệ {_percent(data.rate_percent)}.",
        ),
        Block(
            BlockKind.PARAGRAPH,
            text=f"- Vắng có lý do: {len(data.excused)} đồng chí{_names(data.excused)}.",
        ),
        Block(
            BlockKind.PARAGRAPH,
            text=f"- Vắng không lý do: {len(data.unexcused)} đồng chí{_names(data.unexcused)}.",
        ),
    ]
    if data.probationary_present:
        body.append(
            Block(
                BlockKind.PARAGRAPH,
                text=f"- Đảng viên dự bị có mặt: {data.probationary_present} đồng chí.",
            )
        )
    guests = f"{len(data.guests)} đồng chí: " + "; ".join(data.guests) if data.guests else NONE
    body.append(Block(BlockKind.PARAGRAPH, text=f"- Khách mời dự: {guests}."))

    body.append(Block(BlockKind.PART_HEADING, text="II. NỘI DUNG"))
    if not data.proceedings:
        body.append(Block(BlockKind.PARAGRAPH, text=NOT_RECORDED))
    for number, step in enumerate(data.proceedings, start=1):
        body.append(Block(BlockKind.SECTION_HEADING, text=f"{number}. {step.item}"))
        body += _paragraphs(step.content)
        body += _paragraphs(step.opinions, prefix="Ý kiến thảo luận: ")

    body.append(Block(BlockKind.PART_HEADING, text="III. KẾT LUẬN"))
    body += _paragraphs(data.conclusion) or [Block(BlockKind.PARAGRAPH, text=NOT_RECORDED)]

    body.append(Block(BlockKind.PART_HEADING, text="IV. NGHỊ QUYẾT VÀ BIỂU QUYẾT"))
    body += _paragraphs(data.resolution) or [Block(BlockKind.PARAGRAPH, text=NOT_RECORDED)]
    body.append(Block(BlockKind.PARAGRAPH, text=vote_text(data)))

    closed = (
        f"Buổi sinh hoạt kết thúc vào lúc {_time_only(data.closed_at)} cùng ngày"
        if (data.closed_at)
        else "Buổi sinh hoạt kết thúc cùng ngày"
    )
    body.append(
        Block(
            BlockKind.PARAGRAPH,
            text=f"{closed}. Biên bản đã được đọc lại trước chi bộ và được chi bộ thông qua./.",
        )
    )
    body.append(
        Block(
            BlockKind.CLOSING,
            left=tuple(_signature("THƯ KÝ", data.secretary)),
            right=tuple(_signature("CHỦ TRÌ", data.chair)),
        )
    )
    return body


def _signature(role: str, name: str) -> list[Line]:
    return [Line(role, bold=True), *[Line("")] * SIGNATURE_SPACE_LINES, Line(name, bold=True)]


def vote_text(data: MinutesData) -> str:
    """ "Biểu quyết: 11/12 đồng chí tán thành (91,7% số đảng viên chính thức được triệu tập) …"."""
    if data.votes_for is None:
        return "Biểu quyết: không biểu quyết."
    share = _percent(100 * data.votes_for / data.called) if data.called else "—"
    return (
        f"Biểu quyết: {data.votes_for}/{data.called} đồng chí tán thành ({share} số đảng viên "
        f"chính thức được triệu tập); {data.votes_against or 0} không tán thành; "
        f"{data.votes_abstain or 0} không biểu quyết."
    )


def minutes_docx(data: MinutesData, *, day: dt.date) -> bytes:
    info = frame.DocumentInfo(title=f"Biên bản {title_of(data)}", author=data.cell_name)
    return frame.render_docx([minutes_items(data, day=day)], info=info)


def minutes_filename(cell_name: str, day: dt.date, extension: str) -> str:
    """ "bien-ban-chi-bo-phong-kinh-te-va-ha-tang-2025-03-12.docx"."""
    return f"bien-ban-{slugify(unidecode(cell_name))}-{day:%Y-%m-%d}.{extension}"
