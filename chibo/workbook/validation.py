"""Checking parsed rows against each other, against chibo and against the importer's scope.

The result is an ImportPlan: every error found (all of them, not the first), and for each sheet
what would be created, updated or left unchanged. Nothing here writes; `applying` does that.
Lookups of what chibo holds are done in chunks of codes or ids, so that the cost follows the
workbook's size and not the database's.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from chibo.orgs.models import Body, Organization, OrgKind, Person, Position
from chibo.orgs.scope import Access, Scope
from chibo.workbook import errors
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError
from chibo.workbook.parsing import MemberRow, OrgRow, ParsedWorkbook, PositionRow

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
    path_codes: dict[str, str]
    kind_names: dict[int, str]
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


def kind_vocabulary() -> fmt.Vocabulary[int]:
    """Organization kinds by their Vietnamese name; administrators add kinds, so ask the table."""
    return fmt.Vocabulary(dict(OrgKind.objects.order_by("order", "name").values_list("name", "pk")))


class _Checker:
    def __init__(self, parsed: ParsedWorkbook, scope: Scope) -> None:
        self.parsed = parsed
        self.scope = scope
        self.errors = list(parsed.errors)
        self.counts = empty_counts()
        self.kinds = dict(OrgKind.objects.values_list("pk", "is_cell"))
        self.kind_names = dict(OrgKind.objects.values_list("pk", "name"))
        self.scope_paths = scope.paths(Access.MANAGE)
        self.org_rows: dict[str, OrgRow] = {}
        self.existing: dict[str, ExistingOrg] = {}
        self.path_codes: dict[str, str] = {}
        self.allowed_memo: dict[str, bool] = {}
        self.in_cycle: set[str] = set()

    def error(self, sheet: str, row: int, column: str, value: str, message: Any) -> None:
        self.errors.append(RowError(sheet, row, column, value, str(message)))

    # --- What chibo holds ------------------------------------------------------------------

    def load_orgs(self, codes: Iterable[str]) -> None:
        """Existing organizations with these codes, and all their ancestors (for paths)."""
        wanted = sorted({code for code in codes if code and code not in self.existing})
        for chunk in chunks(wanted):
            self._remember(Organization.objects.filter(code__in=chunk))
        ancestors = {
            org.path[:end]
            for org in list(self.existing.values())
            for end in range(STEP, len(org.path), STEP)
        } - set(self.path_codes)
        for chunk in chunks(sorted(ancestors)):
            self._remember(Organization.objects.filter(path__in=chunk))

    def _remember(self, queryset: Any) -> None:
        rows = queryset.values_list(
            "pk",
            "code",
            "path",
            "depth",
            "kind_id",
            "name",
            "committee_name",
            "symbol",
            "valid_from",
            "valid_to",
        )
        for pk, code, path, depth, kind_id, name, committee, symbol, start, end in rows:
            self.existing[code] = ExistingOrg(
                pk, code, path, depth, kind_id, self.kinds[kind_id], name, committee, symbol,
                start, end,
            )  # fmt: skip
            self.path_codes[path] = code

    # --- The tree after the import ---------------------------------------------------------

    def final_parent(self, code: str) -> str | None:
        row = self.org_rows.get(code)
        if row is not None:
            return row.parent_code or None
        existing = self.existing.get(code)
        if existing is None or existing.depth == 1:
            return None
        return self.path_codes.get(existing.parent_path)

    def known(self, code: str) -> bool:
        return code in self.org_rows or code in self.existing

    def path_allowed(self, path: str) -> bool:
        return self.scope.unrestricted or any(path.startswith(p) for p in self.scope_paths)

    def allowed(self, code: str) -> bool:
        """Whether the importer may write in (or under) the organization `code` as it will be."""
        if self.scope.unrestricted:
            return True
        if code in self.allowed_memo:
            return self.allowed_memo[code]
        self.allowed_memo[code] = False  # a cycle reaching back here is not allowed
        existing = self.existing.get(code)
        row = self.org_rows.get(code)
        if existing is not None:
            result = self.path_allowed(existing.path)
            parent = self.final_parent(code)
            if result and row is not None and parent != self._current_parent(existing):
                # Moving it: the new place must be allowed too.
                result = parent is not None and self.known(parent) and self.allowed(parent)
        else:
            parent = self.final_parent(code)
            result = parent is not None and self.known(parent) and self.allowed(parent)
        self.allowed_memo[code] = result
        return result

    def _current_parent(self, existing: ExistingOrg) -> str | None:
        if existing.depth == 1:
            return None
        return self.path_codes.get(existing.parent_path)

    def find_cycles(self) -> None:
        done: set[str] = set()
        for start in self.org_rows:
            if start in done:
                continue
            walk: list[str] = []
            on_walk: dict[str, int] = {}
            code: str | None = start
            while code is not None and code not in done and self.known(code):
                if code in on_walk:
                    self.in_cycle.update(walk[on_walk[code] :])
                    break
                on_walk[code] = len(walk)
                walk.append(code)
                code = self.final_parent(code)
            done.update(walk)

    def depth_of(self, code: str) -> int:
        depth = 0
        current: str | None = code
        while current is not None:
            depth += 1
            current = self.final_parent(current)
        return depth

    # --- Sheets ----------------------------------------------------------------------------

    def check_orgs(self, plan: ImportPlan) -> None:
        sheet = fmt.SHEET_ORGS
        first_row: dict[str, int] = {}
        for row in self.parsed.orgs:
            if not row.code:
                continue
            if row.code in first_row:
                message = str(errors.DUPLICATE_CODE).format(row=first_row[row.code])
                self.error(sheet, row.row, fmt.ORG_CODE, row.code, message)
                continue
            first_row[row.code] = row.row
            self.org_rows[row.code] = row
        self.find_cycles()
        for row in self.org_rows.values():
            self._check_org(plan, row)

    def _check_org(self, plan: ImportPlan, row: OrgRow) -> None:
        sheet = fmt.SHEET_ORGS
        existing = self.existing.get(row.code)
        if row.parent_code and not self.known(row.parent_code):
            self.error(sheet, row.row, fmt.ORG_PARENT, row.parent_code, errors.ORG_MISSING)
            return
        if row.code in self.in_cycle:
            self.error(sheet, row.row, fmt.ORG_PARENT, row.parent_code, errors.ORG_CYCLE)
            return
        moves = existing is not None and (row.parent_code or None) != self._current_parent(existing)
        if not row.parent_code and (existing is None or moves) and not self.scope.unrestricted:
            self.error(sheet, row.row, fmt.ORG_PARENT, "", errors.ROOT_NEEDS_SUPERUSER)
            return
        if existing is not None and not self.path_allowed(existing.path):
            self.error(sheet, row.row, fmt.ORG_CODE, row.code, errors.OUT_OF_SCOPE)
            return
        if not self.allowed(row.code):
            self.error(sheet, row.row, fmt.ORG_PARENT, row.parent_code, errors.OUT_OF_SCOPE)
            return
        if existing is None:
            plan.org_creates.append(row)
            self.counts["created"][sheet] += 1
            return
        if moves:
            plan.org_moves.append((existing.id, row.parent_code))
        current = (
            existing.name,
            existing.kind_id,
            existing.committee_name,
            existing.symbol,
            existing.valid_from,
            existing.valid_to,
        )
        wanted = (
            row.name,
            row.kind_id,
            row.committee_name,
            row.symbol,
            row.valid_from,
            row.valid_to,
        )
        if current != wanted:
            plan.org_updates.append((existing.id, row))
        outcome = "updated" if moves or current != wanted else "unchanged"
        self.counts[outcome][sheet] += 1

    def is_cell(self, code: str) -> bool:
        row = self.org_rows.get(code)
        if row is not None:
            return row.kind_id is not None and self.kinds.get(row.kind_id, False)
        return self.existing[code].is_cell

    def check_members(self, plan: ImportPlan) -> None:
        sheet = fmt.SHEET_MEMBERS
        rows = self.parsed.members
        persons = self.load_persons([row.code for row in rows])
        first_row: dict[str, int] = {}
        for row in rows:
            if not row.code:
                continue
            if row.code in first_row:
                message = str(errors.DUPLICATE_CODE).format(row=first_row[row.code])
                self.error(sheet, row.row, fmt.MEMBER_CODE, row.code, message)
                continue
            first_row[row.code] = row.row
            existing = persons.get(row.code)
            if existing is not None:
                plan.person_ids[row.code] = existing.id
            if not row.cell_code:
                continue
            if not self.known(row.cell_code):
                self.error(sheet, row.row, fmt.MEMBER_CELL, row.cell_code, errors.ORG_MISSING)
                continue
            if not self.is_cell(row.cell_code):
                self.error(sheet, row.row, fmt.MEMBER_CELL, row.cell_code, errors.NOT_A_CELL)
                continue
            if existing is not None and not self.scope.unrestricted:
                home = existing.home_cell_path
                if home is None or not self.path_allowed(home):
                    self.error(sheet, row.row, fmt.MEMBER_CODE, row.code, errors.OUT_OF_SCOPE)
                    continue
            if not self.allowed(row.cell_code):
                self.error(sheet, row.row, fmt.MEMBER_CELL, row.cell_code, errors.OUT_OF_SCOPE)
                continue
            if existing is None:
                plan.member_creates.append(row)
                self.counts["created"][sheet] += 1
                continue
            cell = self.existing.get(row.cell_code)
            wanted = (
                row.full_name,
                row.gender,
                row.birth_year,
                row.phone,
                row.email,
                cell.id if cell is not None else None,
                row.membership,
                row.exempt,
            )
            if cell is None:
                # A cell created by this import: the member certainly moves there.
                plan.member_updates.append((existing.id, row))
                self.counts["updated"][sheet] += 1
            elif wanted != existing.values:
                plan.member_updates.append((existing.id, row))
                self.counts["updated"][sheet] += 1
            else:
                self.counts["unchanged"][sheet] += 1

    def load_persons(self, codes: Sequence[str]) -> dict[str, ExistingPerson]:
        found: dict[str, ExistingPerson] = {}
        wanted = sorted({code for code in codes if code})
        for chunk in chunks(wanted):
            rows = Person.objects.filter(code__in=chunk).values_list(
                "pk", "code", *PERSON_FIELDS, "home_cell__path"
            )
            for pk, code, *values, home_path in rows:
                found[code] = ExistingPerson(pk, tuple(values), home_path)
        return found

    def check_positions(self, plan: ImportPlan) -> None:
        sheet = fmt.SHEET_POSITIONS
        rows = self.parsed.positions
        member_codes = {row.code for row in self.parsed.members}
        others = [row.person_code for row in rows if row.person_code not in member_codes]
        for code, person in self.load_persons(others).items():
            plan.person_ids[code] = person.id
        org_ids = sorted(
            {self.existing[row.org_code].id for row in rows if row.org_code in self.existing}
        )
        bodies = self._bodies(org_ids)
        held = self._positions(org_ids)
        first_row: dict[tuple[Any, ...], int] = {}
        for row in rows:
            if not row.person_code or not row.org_code:
                continue
            if row.person_code not in member_codes and row.person_code not in plan.person_ids:
                self.error(
                    sheet, row.row, fmt.POSITION_PERSON, row.person_code, errors.PERSON_MISSING
                )
            if not self.known(row.org_code):
                self.error(sheet, row.row, fmt.POSITION_ORG, row.org_code, errors.ORG_MISSING)
                continue
            if not self.allowed(row.org_code):
                self.error(sheet, row.row, fmt.POSITION_ORG, row.org_code, errors.OUT_OF_SCOPE)
                continue
            body = self._body_for(row, bodies)
            if body is False:
                continue
            key = (row.person_code, row.org_code, body, row.role, row.start_on)
            if key in first_row:
                message = str(errors.DUPLICATE_POSITION).format(row=first_row[key])
                role = fmt.ROLES.word_for(row.role)
                self.error(sheet, row.row, fmt.POSITION_ROLE, role, message)
                continue
            first_row[key] = row.row
            existing = self._held(row, body, plan, held)
            if existing is None:
                plan.position_creates.append((row, body))
                self.counts["created"][sheet] += 1
            elif existing[1] != row.end_on:
                plan.position_updates.append((existing[0], row.end_on))
                self.counts["updated"][sheet] += 1
            else:
                self.counts["unchanged"][sheet] += 1
        plan.body_creates = {
            body for _row, body in plan.position_creates if isinstance(body, tuple)
        }

    def _bodies(self, org_ids: Sequence[int]) -> dict[int, list[tuple[int, str, str]]]:
        """The bodies of existing organizations: org id → [(body id, kind, name key)]."""
        found: dict[int, list[tuple[int, str, str]]] = {}
        for chunk in chunks(org_ids):
            rows = Body.objects.filter(organization_id__in=chunk).values_list(
                "pk", "organization_id", "kind", "name"
            )
            for pk, org_id, kind, name in rows:
                found.setdefault(org_id, []).append((pk, kind, fmt.vocabulary_key(name)))
        return found

    def _positions(
        self, org_ids: Sequence[int]
    ) -> dict[tuple[Any, ...], tuple[int, dt.date | None]]:
        """Positions held in existing organizations, by (person, org, body, role, start)."""
        found: dict[tuple[Any, ...], tuple[int, dt.date | None]] = {}
        for chunk in chunks(org_ids):
            rows = Position.objects.filter(organization_id__in=chunk).values_list(
                "pk", "person_id", "organization_id", "body_id", "role", "start_on", "end_on"
            )
            for pk, person_id, org_id, body_id, role, start_on, end_on in rows:
                found.setdefault((person_id, org_id, body_id, role, start_on), (pk, end_on))
        return found

    def _body_for(
        self, row: PositionRow, bodies: dict[int, list[tuple[int, str, str]]]
    ) -> BodyRef | bool:
        """The body a position row names; False (with the error recorded) when it names none."""
        if not row.body_text:
            return None
        sheet = fmt.SHEET_POSITIONS
        kind = fmt.BODY_KINDS.get(row.body_text)
        existing = self.existing.get(row.org_code)
        if existing is not None:
            own = bodies.get(existing.id, [])
            key = fmt.vocabulary_key(row.body_text)
            named = [pk for pk, _kind, name in own if name == key]
            if named:
                return named[0]
            if kind is not None:
                of_kind = [pk for pk, body_kind, _name in own if body_kind == kind]
                if len(of_kind) == 1:
                    return of_kind[0]
                if len(of_kind) > 1:
                    self.error(
                        sheet, row.row, fmt.POSITION_BODY, row.body_text,
                        errors.CELL_AMBIGUOUS_BODY,
                    )  # fmt: skip
                    return False
        if kind is None:
            message = str(errors.CELL_UNKNOWN_BODY).format(choices=fmt.BODY_KINDS.choices())
            self.error(sheet, row.row, fmt.POSITION_BODY, row.body_text, message)
            return False
        return (row.org_code, kind)

    def _held(
        self,
        row: PositionRow,
        body: BodyRef,
        plan: ImportPlan,
        held: dict[tuple[Any, ...], tuple[int, dt.date | None]],
    ) -> tuple[int, dt.date | None] | None:
        person_id = plan.person_ids.get(row.person_code)
        existing = self.existing.get(row.org_code)
        if person_id is None or existing is None:
            return None
        return held.get((person_id, existing.id, body, row.role, row.start_on))


def plan_import(*, parsed: ParsedWorkbook, scope: Scope) -> ImportPlan:
    """Every error of the workbook, and what importing it would do."""
    checker = _Checker(parsed, scope)
    codes = [row.code for row in parsed.orgs]
    codes += [row.parent_code for row in parsed.orgs]
    codes += [row.cell_code for row in parsed.members]
    codes += [row.org_code for row in parsed.positions]
    checker.load_orgs(codes)
    plan = ImportPlan(
        errors=checker.errors,
        rows=parsed.row_count,
        existing_orgs=checker.existing,
        path_codes=checker.path_codes,
        kind_names=checker.kind_names,
    )
    checker.check_orgs(plan)
    checker.check_members(plan)
    checker.check_positions(plan)
    plan.counts = checker.counts
    plan.errors.sort(key=lambda error: (fmt.SHEET_NAMES.index(error.sheet), error.row or 0))
    if plan.is_valid:
        # Depth in the tree as it will be: new organizations are created, and existing ones
        # moved, shallowest first, so that every parent is in place before its children.
        codes_by_id = {org.id: code for code, org in checker.existing.items()}
        placed = [row.code for row in plan.org_creates]
        placed += [codes_by_id[org_id] for org_id, _parent in plan.org_moves]
        plan.final_depth = {code: checker.depth_of(code) for code in placed}
    return plan
