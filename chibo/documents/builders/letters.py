"""Invitation letters (giấy mời) of a meeting: one per invitee, or one per invitee group.

Every letter of a meeting shares its issuer, the event, the time, the place and the signer
(`LetterCommon`); each has its own number, date and addressee (`LetterData`). The words are
decided once per meeting and each letter only fills in its own lines, so a batch of 200 letters
is one pass of the frame over 200 short documents in one file (or one file each, in a ZIP).
"""

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from django.utils.text import slugify
from unidecode import unidecode

from chibo.core.dates import LOCAL_TZ
from chibo.documents import frame
from chibo.documents.builders.registration import MEETING_TYPE_NAMES, Signer, moment_text
from chibo.plans.document_text import SEPARATOR, Block, BlockKind, document_type_name, header_of

LETTER_TYPE = "GM"
TITLE_MODEL = "Dự buổi sinh hoạt chi bộ mẫu"
TITLE_REGULAR = "Dự buổi sinh hoạt chi bộ"
AS_ADDRESSED = "Như trên"
PREPARE = "Đề nghị {you} nghiên cứu tài liệu được gửi trước và chuẩn bị ý kiến tham gia."
REPLACES = (
    "Giấy mời này thay giấy mời cùng số đã gửi trước đó, do thay đổi thời gian hoặc địa điểm."
)
CLOSING_WISH = "Rất mong {you} đến dự đúng giờ./."
ONE_PERSON = "đồng chí"
SEVERAL_PEOPLE = "các đồng chí"


@dataclasses.dataclass(frozen=True)
class Invited:
    """One person a letter names, with the title printed after their name."""

    name: str
    title: str = ""


@dataclasses.dataclass(frozen=True)
class LetterCommon:
    """What every letter of one meeting says alike."""

    superior: str  # the issuer's lines of the header, in capitals
    committee: str
    place: str  # where the letters are dated
    inviter: str  # "Huyện ủy Tam Đường", who "trân trọng kính mời"
    event: str  # "buổi sinh hoạt thường kỳ mẫu của Chi bộ …"
    content: str  # the topic, or the plan the meeting carries out
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    is_model: bool
    signer: Signer
    cell_name: str


@dataclasses.dataclass(frozen=True)
class LetterData:
    """One numbered letter: to one person, or to a group (then `people` lists its members)."""

    number_symbol: str
    day: dt.date
    addressee: str
    people: tuple[Invited, ...]
    is_group: bool = False
    version: int = 1


def event_text(*, meeting_type: str, is_model: bool, cell_name: str) -> str:
    """ "buổi sinh hoạt chuyên đề mẫu của Chi bộ Ban quản lý rừng phòng hộ"."""
    kind = MEETING_TYPE_NAMES.get(meeting_type, "Sinh hoạt").lower()
    model = " mẫu" if is_model else ""
    return f"buổi {kind}{model} của {cell_name}"


def when_text(starts_at: dt.datetime, ends_at: dt.datetime | None) -> str:
    """ "08 giờ 00, thứ Tư, ngày 12/3/2025 (dự kiến kết thúc lúc 10 giờ 30)"."""
    text = moment_text(starts_at)
    if ends_at is not None:
        local = ends_at.astimezone(LOCAL_TZ)
        text += f" (dự kiến kết thúc lúc {local:%H} giờ {local:%M})"
    return text


def _people_text(people: Sequence[Invited]) -> str:
    return "; ".join(
        f"{person.name} ({person.title})" if person.title else person.name for person in people
    )


def letter_items(common: LetterCommon, letter: LetterData) -> list[frame.Item]:
    """One letter, top to bottom, for the frame."""
    you = SEVERAL_PEOPLE if letter.is_group and len(letter.people) != 1 else ONE_PERSON
    body: list[frame.Item] = [
        header_of(
            superior=common.superior,
            committee=common.committee,
            number_symbol=letter.number_symbol,
            place=common.place,
            day=letter.day,
        ),
        Block(BlockKind.DOCUMENT_TYPE, text=document_type_name(LETTER_TYPE)),
        Block(BlockKind.TITLE, text=TITLE_MODEL if common.is_model else TITLE_REGULAR),
        Block(BlockKind.SEPARATOR, text=SEPARATOR),
        Block(BlockKind.PARAGRAPH, text=f"{common.inviter} trân trọng kính mời:"),
    ]
    if letter.is_group:
        body.append(Block(BlockKind.SECTION_HEADING, text=f"Các đồng chí: {letter.addressee}"))
        if letter.people:
            body.append(
                Block(BlockKind.PARAGRAPH, text=f"Gồm các đồng chí: {_people_text(letter.people)}.")
            )
    else:
        person = letter.people[0] if letter.people else Invited(letter.addressee)
        body.append(Block(BlockKind.SECTION_HEADING, text=f"Đồng chí: {person.name}"))
        if person.title:
            body.append(Block(BlockKind.PARAGRAPH, text=f"Chức vụ: {person.title}."))
    body += [
        Block(BlockKind.PARAGRAPH, text=f"Tới dự: {common.event}."),
        Block(BlockKind.PARAGRAPH, text=f"Nội dung: {common.content}"),
        Block(
            BlockKind.PARAGRAPH, text=f"Thời gian: {when_text(common.starts_at, common.ends_at)}."
        ),
        Block(BlockKind.PARAGRAPH, text=f"Địa điểm: {common.venue}."),
        Block(BlockKind.PARAGRAPH, text=PREPARE.format(you=you)),
    ]
    if letter.version > 1:
        body.append(Block(BlockKind.PARAGRAPH, text=REPLACES))
    body.append(Block(BlockKind.PARAGRAPH, text=CLOSING_WISH.format(you=you)))
    signature = frame.signature_lines(
        capacity=common.signer.capacity, title=common.signer.title, name=common.signer.name
    )
    body.append(frame.closing_block(recipients=[AS_ADDRESSED], signature=signature))
    return body


def _info(common: LetterCommon) -> frame.DocumentInfo:
    return frame.DocumentInfo(title=f"Giấy mời dự {common.event}", author=common.inviter)


def letters_docx(common: LetterCommon, letters: Sequence[LetterData]) -> bytes:
    """All the letters in one file, each from a new page with its own page numbers."""
    return frame.render_docx(
        [letter_items(common, letter) for letter in letters], info=_info(common)
    )


def letters_zip(common: LetterCommon, letters: Sequence[LetterData]) -> bytes:
    """A ZIP of one DOCX per letter, named by number and addressee."""
    buffer = io.BytesIO()
    info = _info(common)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            content = frame.render_docx([letter_items(common, letter)], info=info)
            archive.writestr(letter_filename(letter), content)
    return buffer.getvalue()


def letter_filename(letter: LetterData) -> str:
    """ "giay-moi-05-GM-HU-nguyen-van-an.docx"."""
    number = unidecode(letter.number_symbol).replace("/", "-")
    addressee = slugify(unidecode(letter.addressee))[:60].strip("-")
    return f"giay-moi-{number}-{addressee}.docx"


def letters_filename(cell_name: str, day: dt.date | None, extension: str) -> str:
    """ "giay-moi-chi-bo-phong-kinh-te-va-ha-tang-2025-03-12.docx"."""
    when = f"-{day:%Y-%m-%d}" if day else ""
    return f"giay-moi-{slugify(unidecode(cell_name))}{when}.{extension}"
