"""Spreadsheet tables as officials expect them: a bold frozen header, real dates, fitting widths."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# A text starting with one of these would be read by Excel as a formula ("=HYPERLINK(…)" in a
# name typed by anyone): such cells are written as text, explicitly.
FORMULA_STARTS = ("=", "+", "-", "@")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
MAX_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _cell_text_length(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value)) if value is not None else 0


def table_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    red_rows: Iterable[int] = (),
) -> bytes:
    """One sheet: headers in the first row (frozen), then rows; aware datetimes become local.

    `red_rows` are 0-based indexes of rows to print in red (overdue).
    """
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook has its first sheet
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(header) for header in headers]
    red = set(red_rows)
    for index, row in enumerate(rows):
        values = [_excel_value(value) for value in row]
        sheet.append(values)
        excel_row = sheet.max_row
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=excel_row, column=column)
            if looks_like_formula(value):
                cell.data_type = "s"
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if index in red:
                cell.font = Font(color="C00000")
            widths[column - 1] = max(widths[column - 1], _cell_text_length(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(value: Any) -> Any:
    from chibo.core.dates import LOCAL_TZ

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the local wall-clock time.
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return value


def yes_no(value: bool | None) -> str:
    """A yes/no cell in the reader's language; empty when not known yet."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")
