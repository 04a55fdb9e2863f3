"""Reading a workbook into plain rows, with every error of a single cell collected on the way.

The file is read in openpyxl's read-only mode, row by row, so that a province's workbook
(hundreds of thousands of rows) never sits in memory as cell objects. Codes and names come out
NFC-normalized and trimmed; dates may be real Excel dates or dd/mm/yyyy text; the fixed words
(kinds, bodies, positions, chính thức / dự bị, có / không) match whatever their spelling.
"""

import dataclasses
import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from chibo.core.dates import format_date, local_today
from chibo.core.text import clean_text
from chibo.orgs.models import (
    ORG_CLOSE_BEFORE_OPEN,
    TERM_END_BEFORE_START,
    Organization,
    Person,
)
from chibo.workbook import errors
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError, WorkbookFileError

# An OLE compound file: an old .xls, or an .xlsx that Excel encrypted with a password (Excel
# wraps the encrypted package in an OLE file with an "EncryptionInfo" stream).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
ZIP_SIGNATURE = b"PK\x03\x04"

DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Excel's serial day numbers that are plausible dates (1900 to 2199), for cells left unformatted.
EXCEL_SERIAL_RANGE = (1, 109_574)
EARLIEST_BIRTH_YEAR = 1900


@dataclasses.dataclass(slots=True)
class OrgRow:
    row: int
    code: str
    parent_code: str
    name: str
    kind_id: int | None
    committee_name: str
    symbol: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclasses.dataclass(slots=True)
class MemberRow:
    row: int
    code: str
    full_name: str
    gender: str
    birth_year: int | None
    phone: str
    email: str
    cell_code: str
    membership: str
    exempt: bool


@dataclasses.dataclass(slots=True)
class PositionRow:
    row: int
    person_code: str
    org_code: str
    body_text: str
    role: str
    start_on: dt.date | None
    end_on: dt.date | None


@dataclasses.dataclass
class ParsedWorkbook:
    orgs: list[OrgRow]
    members: list[MemberRow]
    positions: list[PositionRow]
    errors: list[RowError]

    @property
    def row_count(self) -> int:
        return len(self.orgs) + len(self.members) + len(self.positions)


def _max_length(model: Any, field: str) -> int:
    length: int = model._meta.get_field(field).max_length
    return length


LIMITS = {
    fmt.ORG_CODE: _max_length(Organization, "code"),
    fmt.ORG_PARENT: _max_length(Organization, "code"),
    fmt.ORG_NAME: _max_length(Organization, "name"),
    fmt.ORG_COMMITTEE: _max_length(Organization, "committee_name"),
    fmt.ORG_SYMBOL: _max_length(Organization, "symbol"),
    fmt.MEMBER_CODE: _max_length(Person, "code"),
    fmt.MEMBER_NAME: _max_length(Person, "full_name"),
    fmt.MEMBER_PHONE: _max_length(Person, "phone"),
    fmt.MEMBER_EMAIL: _max_length(Person, "email"),
    fmt.MEMBER_CELL: _max_length(Organization, "code"),
    fmt.POSITION_ORG: _max_length(Organization, "code"),
}


def check_size(size: int) -> None:
    """Refuse, with one message, a file over CHIBO_IMPORT_MAX_MB."""
    limit_mb: int = settings.CHIBO_IMPORT_MAX_MB
    if size > limit_mb * 1024 * 1024:
        raise WorkbookFileError(str(errors.FILE_TOO_BIG).format(limit=limit_mb))


def check_file(stream: IO[bytes], size: int) -> None:
    """Refuse, with one message, a file that is too big, encrypted, or not an XLSX at all."""
    check_size(size)
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(OLE_SIGNATURE):
        stream.seek(0)
        # The stream directory sits in the first sectors; a few hundred kB is plenty to find it.
        if ENCRYPTION_STREAM in stream.read(512 * 1024):
            raise WorkbookFileError(str(errors.FILE_ENCRYPTED))
        raise WorkbookFileError(str(errors.FILE_NOT_XLSX))
    if not head.startswith(ZIP_SIGNATURE):
        raise WorkbookFileError(str(errors.FILE_NOT_XLSX))
    stream.seek(0)


def _cell_text(value: Any) -> str:
    """A cell as the text an official sees: numbers without a trailing .0, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return clean_text(value)
    return clean_text(str(value))


def _parse_date(value: Any) -> dt.date:
    """A real Excel date, a serial day number, or dd/mm/yyyy text; ValueError when it is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = EXCEL_SERIAL_RANGE
        if low <= value <= high:
            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
        raise ValueError(value)
    text = _cell_text(value)
    found = DATE_TEXT.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return dt.date(year, month, day)
    found = ISO_DATE_TEXT.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
        return dt.date(year, month, day)
    raise ValueError(value)


class _RowReader:
    """One data row of one sheet: typed values out, errors into the shared list."""

    def __init__(self, sheet: str, row: int, values: dict[str, Any], sink: list[RowError]) -> None:
        self.sheet = sheet
        self.row = row
        self.values = values
        self.sink = sink

    def error(self, column: str, message: str) -> None:
        self.sink.append(
            RowError(self.sheet, self.row, column, _cell_text(self.values.get(column)), message)
        )

    def text(self, column: str, *, required: bool = False) -> str:
        text = _cell_text(self.values.get(column))
        if required and not text:
            self.error(column, str(errors.CELL_REQUIRED))
        limit = LIMITS.get(column)
        if limit is not None and len(text) > limit:
            self.error(column, str(errors.CELL_TOO_LONG).format(limit=limit))
            return text[:limit]
        return text

    def date(self, column: str) -> dt.date | None:
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return _parse_date(value)
        except (ValueError, OverflowError):
            self.error(column, str(errors.CELL_BAD_DATE))
            return None

    def word(
        self, column: str, vocabulary: fmt.Vocabulary[Any], message: Any, *, required: bool
    ) -> Any:
        text = self.text(column, required=required)
        if not text:
            return None
        value = vocabulary.get(text)
        if value is None:
            self.error(column, str(message).format(choices=vocabulary.choices()))
        return value

    def year(self, column: str) -> int | None:
        value = self.values.get(column)
        text = _cell_text(value)
        if not text:
            return None
        if text.isdigit() and EARLIEST_BIRTH_YEAR <= int(text) <= local_today().year:
            return int(text)
        self.error(column, str(errors.CELL_BAD_YEAR))
        return None

    def email(self, column: str) -> str:
        text = self.text(column)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                self.error(column, str(errors.CELL_BAD_EMAIL))
        return text


def _data_rows(
    worksheet: ReadOnlyWorksheet, sheet: fmt.Sheet
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows under the header as {header: value}, with their Excel row numbers.

    Columns are found by header, so an extra column (the error column of a report, a note) is
    ignored. Fully empty rows are skipped.
    """
    rows = cast(Any, worksheet).iter_rows(values_only=True)
    header_row = next(rows, ())
    found = {fmt.vocabulary_key(_cell_text(value)): index for index, value in enumerate(header_row)}
    positions = [(header, found[fmt.vocabulary_key(header)]) for header in sheet.headers]
    for number, row in enumerate(rows, start=2):
        values = {header: row[index] if index < len(row) else None for header, index in positions}
        if all(
            value is None or (isinstance(value, str) and not value.strip())
            for value in values.values()
        ):
            continue
        yield number, values


def _missing_headers(worksheet: ReadOnlyWorksheet, sheet: fmt.Sheet) -> list[str]:
    header_row = next(cast(Any, worksheet).iter_rows(min_row=1, max_row=1, values_only=True), ())
    present = {fmt.vocabulary_key(_cell_text(value)) for value in header_row}
    return [header for header in sheet.headers if fmt.vocabulary_key(header) not in present]


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def parse_workbook(
    stream: IO[bytes],
    *,
    size: int,
    kinds: fmt.Vocabulary[int],
    progress: Callable[[int], None] | None = None,
) -> ParsedWorkbook:
    """Read the three sheets; raise WorkbookFileError when the file itself is wrong.

    `kinds` maps the organization kinds' names to their ids (they are data, not code);
    `progress` hears a percentage after each sheet (members are most of a workbook).
    """
    report = progress or (lambda _percent: None)
    check_file(stream, size)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookFileError(str(errors.FILE_NOT_XLSX)) from error
    try:
        by_key = {fmt.vocabulary_key(name): name for name in workbook.sheetnames}
        missing = [name for name in fmt.SHEET_NAMES if fmt.vocabulary_key(name) not in by_key]
        if missing:
            raise WorkbookFileError(str(errors.FILE_MISSING_SHEETS).format(sheets=_quoted(missing)))
        sheets: dict[str, ReadOnlyWorksheet] = {}
        for sheet in fmt.SHEETS:
            worksheet = workbook[by_key[fmt.vocabulary_key(sheet.name)]]
            if not isinstance(worksheet, ReadOnlyWorksheet):
                # A chart sheet under the name: the user's file, so a message, not a crash.
                raise WorkbookFileError(str(errors.FILE_SHEET_NOT_TABLE).format(sheet=sheet.name))
            lacking = _missing_headers(worksheet, sheet)
            if lacking:
                message = str(errors.FILE_MISSING_HEADERS).format(
                    sheet=sheet.name, headers=_quoted(lacking)
                )
                raise WorkbookFileError(message)
            sheets[sheet.name] = worksheet
        found: list[RowError] = []
        orgs = list(_org_rows(sheets[fmt.SHEET_ORGS], kinds, found))
        report(15)
        members = list(_member_rows(sheets[fmt.SHEET_MEMBERS], found))
        report(75)
        positions = list(_position_rows(sheets[fmt.SHEET_POSITIONS], found))
        report(85)
        parsed = ParsedWorkbook(orgs=orgs, members=members, positions=positions, errors=found)
    finally:
        workbook.close()
    if parsed.row_count == 0 and not parsed.errors:
        raise WorkbookFileError(str(errors.FILE_EMPTY))
    return parsed


def _org_rows(
    worksheet: ReadOnlyWorksheet, kinds: fmt.Vocabulary[int], sink: list[RowError]
) -> Iterator[OrgRow]:
    for number, values in _data_rows(worksheet, fmt.ORGS):
        cells = _RowReader(fmt.SHEET_ORGS, number, values, sink)
        row = OrgRow(
            row=number,
            code=cells.text(fmt.ORG_CODE, required=True),
            parent_code=cells.text(fmt.ORG_PARENT),
            name=cells.text(fmt.ORG_NAME, required=True),
            kind_id=cells.word(fmt.ORG_KIND, kinds, errors.CELL_UNKNOWN_KIND, required=True),
            committee_name=cells.text(fmt.ORG_COMMITTEE),
            symbol=cells.text(fmt.ORG_SYMBOL),
            valid_from=cells.date(fmt.ORG_FROM),
            valid_to=cells.date(fmt.ORG_TO),
        )
        if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
            cells.error(fmt.ORG_TO, str(ORG_CLOSE_BEFORE_OPEN))
        yield row


def _member_rows(worksheet: ReadOnlyWorksheet, sink: list[RowError]) -> Iterator[MemberRow]:
    for number, values in _data_rows(worksheet, fmt.MEMBERS):
        cells = _RowReader(fmt.SHEET_MEMBERS, number, values, sink)
        word = errors.CELL_UNKNOWN_WORD
        yield MemberRow(
            row=number,
            code=cells.text(fmt.MEMBER_CODE, required=True),
            full_name=cells.text(fmt.MEMBER_NAME, required=True),
            gender=cells.word(fmt.MEMBER_GENDER, fmt.GENDERS, word, required=False) or "",
            birth_year=cells.year(fmt.MEMBER_BIRTH_YEAR),
            phone=cells.text(fmt.MEMBER_PHONE),
            email=cells.email(fmt.MEMBER_EMAIL),
            cell_code=cells.text(fmt.MEMBER_CELL, required=True),
            membership=cells.word(fmt.MEMBER_MEMBERSHIP, fmt.MEMBERSHIPS, word, required=False)
            or Person.Membership.FULL,
            exempt=bool(cells.word(fmt.MEMBER_EXEMPT, fmt.YES_NO, word, required=False)),
        )


def _position_rows(worksheet: ReadOnlyWorksheet, sink: list[RowError]) -> Iterator[PositionRow]:
    for number, values in _data_rows(worksheet, fmt.POSITIONS):
        cells = _RowReader(fmt.SHEET_POSITIONS, number, values, sink)
        row = PositionRow(
            row=number,
            person_code=cells.text(fmt.POSITION_PERSON, required=True),
            org_code=cells.text(fmt.POSITION_ORG, required=True),
            body_text=cells.text(fmt.POSITION_BODY),
            role=cells.word(fmt.POSITION_ROLE, fmt.ROLES, errors.CELL_UNKNOWN_ROLE, required=True)
            or "",
            start_on=cells.date(fmt.POSITION_FROM),
            end_on=cells.date(fmt.POSITION_TO),
        )
        if row.start_on and row.end_on and row.end_on < row.start_on:
            cells.error(fmt.POSITION_TO, str(TERM_END_BEFORE_START))
        yield row
