"""What can be wrong with a workbook: the messages, a row's error, and a file's error.

Each message is a module constant, so tests assert the exact text an official reads.
"""

import dataclasses
from typing import Any

from django.utils.translation import gettext_lazy as _

# The file as a whole: one clear message, nothing else is read.
FILE_NOT_XLSX = _("This file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")
FILE_ENCRYPTED = _(
    "This workbook is protected by a password. Remove the password in Excel, save, and try again."
)
FILE_TOO_BIG = _("This file is too big: a workbook may have at most {limit} MB.")
FILE_MISSING_SHEETS = _("The workbook has no sheet named {sheets}. Start from the template.")
FILE_SHEET_NOT_TABLE = _("The sheet “{sheet}” is a chart, not a table. Start from the template.")
FILE_MISSING_HEADERS = _(
    "The first row of the sheet “{sheet}” lacks the headers {headers}. Start from the template."
)
FILE_EMPTY = _("The workbook has no rows to import.")

# One cell of one row.
CELL_REQUIRED = _("This cell must not be empty.")
CELL_TOO_LONG = _("Too long: at most {limit} characters.")
CELL_BAD_DATE = _("This date does not exist or is not written as dd/mm/yyyy.")
CELL_BAD_YEAR = _("The birth year must be a year such as 1975.")
CELL_BAD_EMAIL = _("This is not an email address.")
CELL_UNKNOWN_KIND = _("Unknown organization kind. Use one of: {choices}.")
CELL_UNKNOWN_BODY = _(
    "Unknown body. Use one of: {choices}, or the full name of one of the organization’s bodies."
)
CELL_AMBIGUOUS_BODY = _(
    "This organization has several bodies of this kind: write the body’s full name."
)
CELL_UNKNOWN_ROLE = _("Unknown position. Use one of: {choices}.")
CELL_UNKNOWN_WORD = _("Unknown value. Use one of: {choices}.")

# Rows against each other and against what chibo holds.
DUPLICATE_CODE = _("This code is already on row {row} of this sheet.")
DUPLICATE_POSITION = _("The same position is already on row {row} of this sheet.")
ORG_MISSING = _("No organization has this code, in this workbook or in chibo.")
PERSON_MISSING = _("No party member has this card number, in this workbook or in chibo.")
ORG_CYCLE = _("The parent codes go round in a circle: an organization cannot be under itself.")
NOT_A_CELL = _("This organization is not a cell: a party member belongs to a cell.")
OUT_OF_SCOPE = _("This organization is outside the part of the tree you manage.")
CODE_UNAVAILABLE = _("This code cannot be used: choose another.")
CARD_UNAVAILABLE = _("This card number cannot be used here.")
POSITION_GRANTS_SCOPE = _(
    "Only the Organization Board above you can record this post: it gives rights over the tree "
    "(Organization Board, teams, the secretaries of the organization you act for)."
)
GRANT_ROOT_LOCKED = _(
    "Only the Organization Board above you can change the organization you act for "
    "(its name, kind, dates or parent)."
)
KIND_CELL_HAS_MEMBERS = _(
    "This cell still has party members: move them to another cell before changing its kind."
)
KIND_HAS_CELLS = _("This organization has cells under it: a cell cannot have cells under it.")
ERROR_WHERE = _("{sheet}, row {row}, column {column}")


@dataclasses.dataclass(frozen=True, slots=True)
class RowError:
    """One problem: where it is (sheet, Excel row number, column header), the value, and why."""

    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def as_line(self) -> str:
        """The error on one line, for the console."""
        where = self.sheet
        if self.row is not None:
            where = str(ERROR_WHERE).format(sheet=self.sheet, row=self.row, column=self.column)
        value = f" «{self.value}»" if self.value else ""
        return f"{where}{value}: {self.message}" if where else self.message


class WorkbookFileError(Exception):
    """The file cannot be read as a workbook of this format; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_error(self) -> RowError:
        return RowError(sheet="", row=None, column="", value="", message=self.message)
