# ruff: noqa: E501  (rows of a workbook and the exact Vietnamese messages read best one a line)
"""Workbooks for tests, written the way Excel users fill them in, and a snapshot of the tree."""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from chibo.orgs.models import Body, Organization, Person, Position
from chibo.workbook import format as fmt

Rows = Sequence[Sequence[Any]]


def workbook_bytes(
    orgs: Rows = (),
    members: Rows = (),
    positions: Rows = (),
    *,
    sheets: Sequence[fmt.Sheet] = fmt.SHEETS,
    headers: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """A workbook with the three sheets (or those given) and these rows under the headers."""
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    rows_of = {fmt.SHEET_ORGS: orgs, fmt.SHEET_MEMBERS: members, fmt.SHEET_POSITIONS: positions}
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list((headers or {}).get(sheet.name, sheet.headers)))
        for row in rows_of[sheet.name]:
            worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tree_state() -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import may write, row by row, to prove that nothing changed."""
    return {
        "orgs": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "code", "path", "depth", "numchild", "parent_id", "name", "kind_id",
                "committee_name", "symbol", "valid_from", "valid_to", "sort_key", "search_text",
                "updated_at",
            )
        ),
        "people": list(
            Person.objects.order_by("pk").values_list(
                "pk", "code", "full_name", "gender", "birth_year", "phone", "email",
                "home_cell_id", "membership", "exempt", "sort_key", "updated_at",
            )
        ),
        "bodies": list(Body.objects.order_by("pk").values_list("pk", "organization_id", "kind", "name")),
        "positions": list(
            Position.objects.order_by("pk").values_list(
                "pk", "person_id", "organization_id", "body_id", "role", "start_on", "end_on",
                "updated_at",
            )
        ),
    }  # fmt: skip


def xlsx_rows(content: bytes, sheet: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    # Empty cells at the end of a row are not stored: pad to the header's width.
    width = len(rows[0]) if rows else 0
    return [row + (None,) * (width - len(row)) for row in rows]
