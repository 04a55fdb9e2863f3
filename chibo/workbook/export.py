"""Writing workbooks in the import format: the empty template, a subtree, an error report.

Written in openpyxl's write-only mode, row by row from database iterators, so a province's
workbook never sits in memory as cell objects. What export writes, import reads back unchanged:
export → edit in Excel → import changes only what was edited.
"""

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.xlsx import DATE_FORMAT, HEADER_FILL, looks_like_formula
from chibo.orgs.models import Body, Organization, OrgKind, Person, Position
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError

ERROR_HEADER = "Lỗi"
ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
ROWS_PER_ITERATION = 5000

INSTRUCTIONS = (
    ("Nhập dữ liệu tổ chức, đảng viên và chức vụ vào chibo", True),
    ("", False),
    ("Sổ tính có ba trang, giữ nguyên tên trang và dòng tiêu đề:", True),
    ("• Tổ chức: mỗi dòng một tổ chức đảng. Mã là mã riêng của tổ chức (không trùng). Mã cấp "
     "trên là mã của tổ chức cấp trên, ở trang này hoặc đã có trong chibo. Loại là một trong "
     "các loại tổ chức chibo biết: {kinds}.", False),
    ("• Đảng viên: mỗi dòng một đảng viên, Số thẻ là số thẻ đảng viên (không trùng). Giới tính: "
     "Nam hoặc Nữ. Mã chi bộ là mã của chi bộ đảng viên sinh hoạt. Loại đảng viên: chính thức "
     "hoặc dự bị. Miễn sinh hoạt: có hoặc không.", False),
    ("• Chức vụ: mỗi dòng một chức vụ. Số thẻ của đảng viên, Mã tổ chức, Cơ quan (để trống nếu "
     "là chức vụ của chính tổ chức): {bodies}, hoặc tên đầy đủ của một cơ quan đã có. Chức vụ: "
     "{roles}.", False),
    ("", False),
    ("Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/02/2025) hoặc là ô ngày của Excel.", False),
    ("Dòng có mã đã có trong chibo sẽ được cập nhật; dòng có mã mới sẽ được thêm; những gì không "
     "có trong sổ tính giữ nguyên.", False),
    ("Trước khi nhập, chibo kiểm tra toàn bộ sổ tính và liệt kê mọi lỗi (trang, dòng, cột). Có "
     "lỗi thì không ghi gì; không có lỗi thì ghi toàn bộ một lần.", False),
    ("Chỉ nhập được vào phần cây tổ chức mà người dùng quản lý.", False),
)  # fmt: skip


def _header_cells(sheet: Worksheet, headers: Sequence[str], extra: Sequence[str] = ()) -> list[Any]:
    cells = []
    for header in [*headers, *extra]:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cell.fill = ERROR_FILL if header == ERROR_HEADER else HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _add_sheet(workbook: Workbook, sheet: fmt.Sheet, extra: Sequence[str] = ()) -> Worksheet:
    worksheet: Worksheet = workbook.create_sheet(sheet.name)
    for column, width in enumerate([*sheet.widths, *(60 for _header in extra)], start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.append(_header_cells(worksheet, sheet.headers, extra))
    return worksheet


def _row(worksheet: Worksheet, values: Iterable[Any]) -> list[Any]:
    cells = []
    for value in values:
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(worksheet, value=cast(Any, value))
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        elif looks_like_formula(value):
            # Text, never a formula: a name or a note may start with "=" or "+".
            cell = WriteOnlyCell(worksheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The empty workbook to fill in, with its instructions sheet and drop-down lists."""
    workbook = Workbook()
    instructions = cast(Worksheet, workbook.active)  # a new workbook has its first sheet
    instructions.title = fmt.SHEET_INSTRUCTIONS
    instructions.column_dimensions["A"].width = 120
    kinds = ", ".join(OrgKind.objects.order_by("order", "name").values_list("name", flat=True))
    for line, bold in INSTRUCTIONS:
        text = line.format(kinds=kinds, bodies=fmt.BODY_KINDS.choices(), roles=fmt.ROLES.choices())
        instructions.append([text])
        cell = instructions.cell(row=instructions.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold)
    lists = {
        (fmt.SHEET_ORGS, fmt.ORG_KIND): kinds,
        (fmt.SHEET_MEMBERS, fmt.MEMBER_GENDER): fmt.GENDERS.choices(),
        (fmt.SHEET_MEMBERS, fmt.MEMBER_MEMBERSHIP): fmt.MEMBERSHIPS.choices(),
        (fmt.SHEET_MEMBERS, fmt.MEMBER_EXEMPT): fmt.YES_NO.choices(),
        (fmt.SHEET_POSITIONS, fmt.POSITION_BODY): fmt.BODY_KINDS.choices(),
        (fmt.SHEET_POSITIONS, fmt.POSITION_ROLE): fmt.ROLES.choices(),
    }
    for sheet in fmt.SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(sheet.headers)
        for column, (cell, width) in enumerate(zip(worksheet[1], sheet.widths, strict=True), 1):
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            worksheet.column_dimensions[get_column_letter(column)].width = width
        worksheet.freeze_panes = "A2"
        for header in sheet.headers:
            letter = get_column_letter(sheet.index(header) + 1)
            if header in sheet.date_columns:
                for row in range(2, 1001):
                    worksheet[f"{letter}{row}"].number_format = DATE_FORMAT
            choices = lists.get((sheet.name, header))
            if choices and len(choices) < 250:
                # A drop-down that suggests; a body's full name is allowed too, so no error box.
                validation = DataValidation(
                    type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=False
                )
                validation.add(f"{letter}2:{letter}5000")
                worksheet.add_data_validation(validation)
    return _save(workbook)


# --- A subtree ---------------------------------------------------------------------------------


def _org_rows(root: Organization) -> Iterator[tuple[Any, ...]]:
    parent_code = root.parent.code if root.parent_id and root.parent else ""
    kinds = dict(OrgKind.objects.values_list("pk", "name"))
    rows = (
        Organization.objects.filter(path__startswith=root.path)
        .order_by("path")
        .values_list(
            "code",
            "parent__code",
            "name",
            "kind_id",
            "committee_name",
            "symbol",
            "valid_from",
            "valid_to",
        )
    )
    for code, parent, name, kind_id, committee, symbol, start, end in rows.iterator(
        chunk_size=ROWS_PER_ITERATION
    ):
        yield (
            code,
            parent_code if code == root.code else (parent or ""),
            name,
            kinds[kind_id],
            committee,
            symbol,
            start,
            end,
        )


def _member_rows(root: Organization) -> Iterator[tuple[Any, ...]]:
    rows = (
        Person.objects.filter(home_cell__path__startswith=root.path)
        .order_by("home_cell__path", "sort_key", "code")
        .values_list(
            "code",
            "full_name",
            "gender",
            "birth_year",
            "phone",
            "email",
            "home_cell__code",
            "membership",
            "exempt",
        )
    )
    for code, name, gender, year, phone, email, cell, membership, exempt in rows.iterator(
        chunk_size=ROWS_PER_ITERATION
    ):
        yield (
            code,
            name,
            fmt.GENDERS.word_for(gender),
            year,
            phone,
            email,
            cell,
            fmt.MEMBERSHIPS.word_for(membership),
            fmt.YES_NO.word_for(exempt),
        )


def _body_words(root: Organization) -> dict[int, str]:
    """How each body of the subtree is written: its kind's word when it is the only body of that
    kind in its organization, else its full name (which import matches first)."""
    bodies = list(
        Body.objects.filter(organization__path__startswith=root.path).values_list(
            "pk", "organization_id", "kind", "name"
        )
    )
    per_kind: dict[tuple[int, str], int] = {}
    for _pk, org_id, kind, _name in bodies:
        per_kind[(org_id, kind)] = per_kind.get((org_id, kind), 0) + 1
    return {
        pk: fmt.BODY_KINDS.word_for(kind) if per_kind[(org_id, kind)] == 1 else name
        for pk, org_id, kind, name in bodies
    }


def _position_rows(root: Organization) -> Iterator[tuple[Any, ...]]:
    words = _body_words(root)
    rows = (
        Position.objects.filter(organization__path__startswith=root.path)
        .order_by("organization__path", "body__name", "role", "person__code", "start_on", "pk")
        .values_list("person__code", "organization__code", "body_id", "role", "start_on", "end_on")
    )
    for person, org, body_id, role, start, end in rows.iterator(chunk_size=ROWS_PER_ITERATION):
        body = words.get(body_id, "") if body_id else ""
        yield (person, org, body, fmt.ROLES.word_for(role), start, end)


def subtree_xlsx(root: Organization) -> bytes:
    """The organizations, members and positions of `root`'s subtree (the caller checked scope)."""
    return _trees_xlsx([root])


def forest_xlsx() -> bytes:
    """Every tree chibo holds, for the console (which acts as the system)."""
    return _trees_xlsx(list(Organization.objects.filter(depth=1).order_by("path")))


def _trees_xlsx(roots: Sequence[Organization]) -> bytes:
    workbook = Workbook(write_only=True)
    sources = (
        (fmt.ORGS, _org_rows),
        (fmt.MEMBERS, _member_rows),
        (fmt.POSITIONS, _position_rows),
    )
    for sheet, rows_of in sources:
        worksheet = _add_sheet(workbook, sheet)
        for root in roots:
            for values in rows_of(root):
                worksheet.append(_row(worksheet, values))
    return _save(workbook)


# --- The error report --------------------------------------------------------------------------


def errors_xlsx(stream: IO[bytes] | None, found: Sequence[RowError]) -> bytes:
    """The uploaded workbook with a "Lỗi" column giving each row's errors; rows without an error
    are kept, so the report can be corrected and imported again (import ignores the column).
    Errors of the file itself go on one sheet of their own."""
    workbook = Workbook(write_only=True)
    by_row: dict[tuple[str, int], list[str]] = {}
    for error in found:
        if error.row is not None:
            text = f"{error.column}: {error.message}"
            by_row.setdefault((error.sheet, error.row), []).append(text)
    source = None
    if stream is not None and by_row:
        stream.seek(0)
        source = load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in fmt.SHEETS:
            if source is None:
                break
            names = {fmt.vocabulary_key(name): name for name in source.sheetnames}
            original = source[names[fmt.vocabulary_key(sheet.name)]]
            rows = original.iter_rows(values_only=True)
            order, extra = _report_columns(next(rows, ()), sheet)
            worksheet = _add_sheet(workbook, sheet, extra=(*extra, ERROR_HEADER))
            for number, values in enumerate(rows, start=2):
                cells: list[Any] = [
                    values[index] if index is not None and index < len(values) else None
                    for index in order
                ]
                messages = by_row.get((sheet.name, number))
                if messages:
                    note = WriteOnlyCell(worksheet, value="\n".join(messages))
                    note.fill = ERROR_FILL
                    cells.append(note)
                worksheet.append(_row(worksheet, cells))
    finally:
        if source is not None:
            source.close()
    file_errors = [error for error in found if error.row is None]
    if file_errors or source is None:
        worksheet = workbook.create_sheet(ERROR_HEADER)
        worksheet.append([_("Sheet"), _("Row"), _("Column"), _("Value"), ERROR_HEADER])
        for error in found:
            worksheet.append([error.sheet, error.row, error.column, error.value, error.message])
    return _save(workbook)


def _report_columns(
    header_row: Sequence[Any], sheet: fmt.Sheet
) -> tuple[list[int | None], list[str]]:
    """Where each column of the report comes from in the uploaded sheet, found by header as
    import finds them: the format's columns first, then the uploaded sheet's other columns
    (a note, a "STT"), the error column last. Returns (source indexes, extra headers)."""
    keys = [fmt.vocabulary_key(str(value)) if value is not None else "" for value in header_row]
    found = {key: index for index, key in enumerate(keys) if key}  # as parsing finds them
    order: list[int | None] = [found.get(fmt.vocabulary_key(h)) for h in sheet.headers]
    known = {index for index in order if index is not None}
    extra_headers: list[str] = []
    for index, value in enumerate(header_row):
        if index in known or value is None or keys[index] == fmt.vocabulary_key(ERROR_HEADER):
            continue
        order.append(index)
        extra_headers.append(str(value))
    return order, extra_headers


def export_filename(root: Organization) -> str:
    """An ASCII file name for a subtree's workbook: to-chuc-<code>.xlsx."""
    safe = "".join(char if char.isascii() and char.isalnum() else "-" for char in root.code)
    return f"to-chuc-{safe.strip('-') or root.pk}.xlsx"
