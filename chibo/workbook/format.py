"""The one workbook format: sheets, headers and fixed vocabularies, for template, export and import.

The sheet names, headers and vocabulary words are part of the file format that committees fill
in, so they are Vietnamese constants here and never go through the translation catalogue: a
workbook made today must still import after a translator changes a word on screen.
No Django models here, so the format can be read and tested on its own.
"""

import dataclasses
import unicodedata
from typing import Generic, TypeVar

from chibo.orgs.models import Body, Person, Position

T = TypeVar("T")

SHEET_ORGS = "Tổ chức"
SHEET_MEMBERS = "Đảng viên"
SHEET_POSITIONS = "Chức vụ"
SHEET_INSTRUCTIONS = "Hướng dẫn"


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str
    headers: tuple[str, ...]
    date_columns: tuple[str, ...] = ()
    widths: tuple[int, ...] = ()

    def index(self, header: str) -> int:
        return self.headers.index(header)


ORG_CODE = "Mã"
ORG_PARENT = "Mã cấp trên"
ORG_NAME = "Tên"
ORG_KIND = "Loại"
ORG_COMMITTEE = "Tên cấp ủy"
ORG_SYMBOL = "Ký hiệu"
ORG_FROM = "Ngày thành lập"
ORG_TO = "Ngày giải thể"

MEMBER_CODE = "Số thẻ"
MEMBER_NAME = "Họ và tên"
MEMBER_GENDER = "Giới tính"
MEMBER_BIRTH_YEAR = "Năm sinh"
MEMBER_PHONE = "Điện thoại"
MEMBER_EMAIL = "Email"
MEMBER_CELL = "Mã chi bộ"
MEMBER_MEMBERSHIP = "Loại đảng viên"
MEMBER_EXEMPT = "Miễn sinh hoạt"

POSITION_PERSON = "Số thẻ"
POSITION_ORG = "Mã tổ chức"
POSITION_BODY = "Cơ quan"
POSITION_ROLE = "Chức vụ"
POSITION_FROM = "Từ ngày"
POSITION_TO = "Đến ngày"

ORGS = Sheet(
    SHEET_ORGS,
    (ORG_CODE, ORG_PARENT, ORG_NAME, ORG_KIND, ORG_COMMITTEE, ORG_SYMBOL, ORG_FROM, ORG_TO),
    date_columns=(ORG_FROM, ORG_TO),
    widths=(16, 16, 40, 24, 30, 10, 16, 16),
)
MEMBERS = Sheet(
    SHEET_MEMBERS,
    (
        MEMBER_CODE,
        MEMBER_NAME,
        MEMBER_GENDER,
        MEMBER_BIRTH_YEAR,
        MEMBER_PHONE,
        MEMBER_EMAIL,
        MEMBER_CELL,
        MEMBER_MEMBERSHIP,
        MEMBER_EXEMPT,
    ),
    widths=(18, 30, 10, 10, 14, 28, 16, 16, 15),
)
POSITIONS = Sheet(
    SHEET_POSITIONS,
    (POSITION_PERSON, POSITION_ORG, POSITION_BODY, POSITION_ROLE, POSITION_FROM, POSITION_TO),
    date_columns=(POSITION_FROM, POSITION_TO),
    widths=(18, 16, 24, 20, 14, 14),
)
SHEETS = (ORGS, MEMBERS, POSITIONS)
SHEET_NAMES = tuple(sheet.name for sheet in SHEETS)

# Tone marks, which old and new spelling put on different vowels ("uỷ" / "ủy", "hoà" / "hòa").
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def vocabulary_key(text: str) -> str:
    """The form two spellings of one word share: NFC or NFD, any case, any spacing, and the tone
    mark on either vowel of a syllable (Excel users type both "Uỷ viên" and "Ủy viên")."""
    words = []
    for word in unicodedata.normalize("NFD", text).casefold().split():
        tones = "".join(char for char in word if char in _TONES)
        bare = "".join(char for char in word if char not in _TONES)
        words.append(bare + tones)
    return " ".join(words)


class Vocabulary(Generic[T]):
    """Workbook words and the values they stand for; export writes the first word of a value."""

    def __init__(self, words: dict[str, T]) -> None:
        self.words = words
        self._by_key = {vocabulary_key(word): value for word, value in words.items()}

    def get(self, text: str) -> T | None:
        """The value a word stands for, however it is spelled; None when the word is unknown."""
        return self._by_key.get(vocabulary_key(text))

    def word_for(self, value: T) -> str:
        for word, stored in self.words.items():
            if stored == value:
                return word
        return ""

    def choices(self) -> str:
        return ", ".join(self.words)


# Fixed vocabularies: the word in the workbook → the value chibo stores. Export writes the first
# word given for a value.
GENDERS: Vocabulary[str] = Vocabulary({"Nam": Person.Gender.MALE, "Nữ": Person.Gender.FEMALE})
MEMBERSHIPS: Vocabulary[str] = Vocabulary(
    {
        "chính thức": Person.Membership.FULL,
        "dự bị": Person.Membership.PROBATIONARY,
    }
)
YES_NO: Vocabulary[bool] = Vocabulary({"có": True, "không": False})
BODY_KINDS: Vocabulary[str] = Vocabulary(
    {
        "Ban Chấp hành": Body.Kind.EXECUTIVE_COMMITTEE,
        "Ban Thường vụ": Body.Kind.STANDING_COMMITTEE,
        "Thường trực": Body.Kind.STANDING_OFFICE,
        "Chi ủy": Body.Kind.CELL_COMMITTEE,
        "Ban Tổ chức": Body.Kind.ORGANIZATION_BOARD,
        "Ban Tuyên giáo và Dân vận": Body.Kind.PROPAGANDA_BOARD,
        "Ủy ban Kiểm tra": Body.Kind.INSPECTION_COMMISSION,
        "Văn phòng": Body.Kind.OFFICE,
        "Cơ quan tham mưu khác": Body.Kind.OTHER_ADVISORY,
        "Tổ công tác": Body.Kind.TEAM,
    }
)
ROLES: Vocabulary[str] = Vocabulary(
    {
        "Bí thư": Position.Role.SECRETARY,
        "Phó Bí thư": Position.Role.DEPUTY_SECRETARY,
        "Ủy viên": Position.Role.MEMBER,
        "Trưởng ban": Position.Role.HEAD,
        "Phó Trưởng ban": Position.Role.DEPUTY_HEAD,
        "Chánh Văn phòng": Position.Role.CHIEF_OF_OFFICE,
        "Phó Chánh Văn phòng": Position.Role.DEPUTY_CHIEF_OF_OFFICE,
        "Chủ nhiệm": Position.Role.CHAIR,
        "Phó Chủ nhiệm": Position.Role.DEPUTY_CHAIR,
        "Công chức": Position.Role.STAFF,
        "Tổ trưởng": Position.Role.TEAM_LEADER,
        "Thành viên": Position.Role.TEAM_MEMBER,
    }
)
