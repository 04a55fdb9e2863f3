"""What a check of a workbook produces, shared by the checks and the writing: the ImportPlan,
what chibo already holds as the checks see it, and chunked lookups."""

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from chibo.orgs.models import Organization
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError
from chibo.workbook.parsing import MemberRow, OrgRow, PositionRow

CHUNK = 900  # ids or codes in one IN (…) list: under every database's parameter limit
STEP = Organization.steplen

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclasses.dataclass(slots=True)
class ExistingOrg:
    id: int
    code: str
    path: str
    depth: int
    kind_id: int
    is_cell: bool
    name: str
    committee_name: str
    symbol: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def parent_path(self) -> str:
        return self.path[:-STEP]


ORG_FIELDS = ("name", "kind_id", "committee_name", "symbol", "valid_from", "valid_to")
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_year",
    "phone",
    "email",
    "home_cell_id",
    "membership",
    "exempt",
)


@dataclasses.dataclass(slots=True)
class ExistingPerson:
    id: int
    values: tuple[Any, ...]  # PERSON_FIELDS, in order
    home_cell_path: str | None


# Where a position goes: an existing body (its id), a body to create ((org code, kind)), or none.
BodyRef = int | tuple[str, str] | None


@dataclasses.dataclass
class ImportPlan:
    errors: list[RowError]
    rows: int
    existing_orgs: dict[str, ExistingOrg]
    org_creates: list[OrgRow] = dataclasses.field(default_factory=list)
    org_updates: list[tuple[int, OrgRow]] = dataclasses.field(default_factory=list)
    org_moves: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    final_depth: dict[str, int] = dataclasses.field(default_factory=dict)
    member_creates: list[MemberRow] = dataclasses.field(default_factory=list)
    member_updates: list[tuple[int, MemberRow]] = dataclasses.field(default_factory=list)
    person_ids: dict[str, int] = dataclasses.field(default_factory=dict)
    body_creates: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    position_creates: list[tuple[PositionRow, BodyRef]] = dataclasses.field(default_factory=list)
    position_updates: list[tuple[int, dt.date | None]] = dataclasses.field(default_factory=list)
    counts: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def empty_counts() -> dict[str, dict[str, int]]:
    return {
        outcome: dict.fromkeys(fmt.SHEET_NAMES, 0)
        for outcome in ("created", "updated", "unchanged")
    }
