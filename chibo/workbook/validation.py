"""Checking parsed rows against each other, against chibo and against the importer's scope.

The result is an ImportPlan: every error found (all of them, not the first), and for each sheet
what would be created, updated or left unchanged. Nothing here writes; `applying` does that.
Lookups of what chibo holds are done in chunks of codes or ids, so that the cost follows the
workbook's size and not the database's.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from chibo.orgs import services as org_services
from chibo.orgs.models import Organization, OrgKind, Person
from chibo.orgs.scope import Access, Scope
from chibo.workbook import errors
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError
from chibo.workbook.parsing import OrgRow, ParsedWorkbook
from chibo.workbook.plan import (
    ORG_FIELDS,
    PERSON_FIELDS,
    STEP,
    ExistingOrg,
    ExistingPerson,
    ImportPlan,
    chunks,
    empty_counts,
)
from chibo.workbook.positions import PositionChecks


def kind_vocabulary() -> fmt.Vocabulary[int]:
    """Organization kinds by their Vietnamese name; administrators add kinds, so ask the table."""
    return fmt.Vocabulary(dict(OrgKind.objects.order_by("order", "name").values_list("name", "pk")))


class _Checker(PositionChecks):
    def __init__(self, parsed: ParsedWorkbook, scope: Scope, manage: Scope, read: Scope) -> None:
        self.parsed = parsed
        self.scope = scope
        self.errors = list(parsed.errors)
        self.counts = empty_counts()
        kinds = list(OrgKind.objects.values_list("pk", "is_cell", "name"))
        self.kinds = {pk: is_cell for pk, is_cell, _name in kinds}
        self.kind_names = {pk: name for pk, _is_cell, name in kinds}
        # Where the importer truly manages (an Organization Board post): only there may an
        # import fill the posts that grant scope. The other import grants (a committee's
        # secretary) are roots the import must leave alone.
        self.manage = Scope(grants=(), unrestricted=True) if scope.unrestricted else manage
        self.grant_roots = {
            path
            for path in scope.paths(Access.MANAGE)
            if not self.manage.allows_path(path, Access.MANAGE)
        }
        # What the importer may see: anything else answers as if it did not exist.
        self.read = Scope(grants=(), unrestricted=True) if scope.unrestricted else read
        self.read_paths = self.read.paths(Access.READ)
        self.org_rows: dict[str, OrgRow] = {}
        self.existing: dict[str, ExistingOrg] = {}
        self.path_codes: dict[str, str] = {}
        self.allowed_memo: dict[str, bool] = {}
        self.manage_memo: dict[str, bool] = {}
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
        """Whether `code` names an organization of the workbook or one the importer can see."""
        return code in self.org_rows or (code in self.existing and not self.hidden(code))

    def path_allowed(self, path: str) -> bool:
        return self.scope.allows_path(path, Access.MANAGE)

    def path_visible(self, path: str | None) -> bool:
        """Inside what the importer reads, or above it: the committees over their own are named
        on every page they see (breadcrumbs), so refusing them as "outside" reveals nothing."""
        if self.read.unrestricted:
            return True
        if path is None:
            return False
        above = any(read.startswith(path) for read in self.read_paths)
        return above or self.read.allows_path(path, Access.READ) or self.path_allowed(path)

    def hidden(self, code: str) -> bool:
        """An existing organization outside what the importer can see: it answers as missing."""
        existing = self.existing.get(code)
        return existing is not None and not self.path_visible(existing.path)

    def allowed(self, code: str) -> bool:
        """Whether the importer may write in (or under) the organization `code` as it will be."""
        if self.scope.unrestricted:
            return True
        return self._reaches(code, self.scope, self.allowed_memo)

    def manages(self, code: str) -> bool:
        """Whether the importer truly manages the organization `code` as it will be."""
        if self.manage.unrestricted:
            return True
        return self._reaches(code, self.manage, self.manage_memo)

    def _reaches(self, code: str, scope: Scope, memo: dict[str, bool]) -> bool:
        if code in memo:
            return memo[code]
        memo[code] = False  # a cycle reaching back here is not allowed
        existing = self.existing.get(code)
        row = self.org_rows.get(code)
        if existing is not None:
            result = scope.allows_path(existing.path, Access.MANAGE)
            parent = self.final_parent(code)
            if result and row is not None and parent != self._current_parent(existing):
                # Moving it: the new place must be allowed too.
                result = (
                    parent is not None and self.known(parent) and self._reaches(parent, scope, memo)
                )
        else:
            parent = self.final_parent(code)
            result = (
                parent is not None and self.known(parent) and self._reaches(parent, scope, memo)
            )
        memo[code] = result
        return result

    def is_grant_root(self, code: str) -> bool:
        """The organization an import grant hangs on, when the importer does not manage it."""
        existing = self.existing.get(code)
        return existing is not None and existing.path in self.grant_roots

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
        self._load_kind_changes()
        for row in self.org_rows.values():
            self._check_org(plan, row)

    def _load_kind_changes(self) -> None:
        """For every organization the workbook turns into or out of a cell, in a few queries:
        the members of a cell (by card number), the cells under anything else (by code)."""
        self.cell_of = {member.code: member.cell_code for member in self.parsed.members}
        self.cell_members: dict[int, list[str]] = {}
        self.child_cells: dict[int, list[str]] = {}
        cells: list[int] = []
        others: list[int] = []
        for row in self.org_rows.values():
            existing = self.existing.get(row.code)
            if existing is None or row.kind_id is None:
                continue
            if self.kinds[row.kind_id] != existing.is_cell:
                (cells if existing.is_cell else others).append(existing.id)
        for chunk in chunks(sorted(cells)):
            members = Person.objects.filter(home_cell_id__in=chunk)
            for cell_id, code in members.values_list("home_cell_id", "code"):
                self.cell_members.setdefault(cell_id, []).append(code)
        for chunk in chunks(sorted(others)):
            children = Organization.objects.filter(parent_id__in=chunk, kind__is_cell=True)
            for parent_id, code in children.values_list("parent_id", "code"):
                self.child_cells.setdefault(parent_id, []).append(code)

    def _check_org(self, plan: ImportPlan, row: OrgRow) -> None:
        sheet = fmt.SHEET_ORGS
        existing = self.existing.get(row.code)
        if existing is not None and self.hidden(row.code):
            # Taken outside what the importer can see: say no more than that.
            self.error(sheet, row.row, fmt.ORG_CODE, row.code, errors.CODE_UNAVAILABLE)
            return
        stays = existing is not None and row.parent_code == self._current_parent(existing)
        if row.parent_code and not stays and not self.known(row.parent_code):
            # (An exported subtree names its root's parent, which its importer may not see.)
            self.error(sheet, row.row, fmt.ORG_PARENT, row.parent_code, errors.ORG_MISSING)
            return
        if row.code in self.in_cycle:
            self.error(sheet, row.row, fmt.ORG_PARENT, row.parent_code, errors.ORG_CYCLE)
            return
        moves = existing is not None and (row.parent_code or None) != self._current_parent(existing)
        if not row.parent_code and (existing is None or moves) and not self.scope.unrestricted:
            self.error(sheet, row.row, fmt.ORG_PARENT, "", org_services.ORG_ROOT_NEEDS_SUPERUSER)
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
        current = tuple(getattr(existing, field) for field in ORG_FIELDS)
        wanted = tuple(getattr(row, field) for field in ORG_FIELDS)
        if (moves or current != wanted) and self.is_grant_root(row.code):
            self.error(sheet, row.row, fmt.ORG_CODE, row.code, errors.GRANT_ROOT_LOCKED)
            return
        if row.kind_id is not None and not self._kind_change_fits(row, row.kind_id, existing):
            return
        if moves:
            plan.org_moves.append((existing.id, row.parent_code))
        if current != wanted:
            plan.org_updates.append((existing.id, row))
        outcome = "updated" if moves or current != wanted else "unchanged"
        self.counts[outcome][sheet] += 1

    def _kind_change_fits(self, row: OrgRow, kind_id: int, existing: ExistingOrg) -> bool:
        """A cell that becomes something else must have no members left; an organization that
        becomes a cell must have no cells under it. False (with the error recorded) otherwise."""
        becomes_cell = self.kinds[kind_id]
        if becomes_cell == existing.is_cell:
            return True
        kind = self.kind_names[kind_id]
        if existing.is_cell:
            members = self.cell_members.get(existing.id, [])
            if any(self.cell_of.get(code, row.code) == row.code for code in members):
                self.error(
                    fmt.SHEET_ORGS, row.row, fmt.ORG_KIND, kind, errors.KIND_CELL_HAS_MEMBERS
                )
                return False
            return True
        for code in self.child_cells.get(existing.id, []):
            child = self.org_rows.get(code)
            if child is None or (
                child.parent_code == row.code
                and child.kind_id is not None
                and self.kinds[child.kind_id]
            ):
                self.error(fmt.SHEET_ORGS, row.row, fmt.ORG_KIND, kind, errors.KIND_HAS_CELLS)
                return False
        return True

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
                    # A member the importer cannot see: no more than that the number is taken.
                    visible = self.path_visible(home)
                    message = str(errors.OUT_OF_SCOPE if visible else errors.CARD_UNAVAILABLE)
                    self.error(sheet, row.row, fmt.MEMBER_CODE, row.code, message)
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


def plan_import(
    *,
    parsed: ParsedWorkbook,
    scope: Scope,
    manage: Scope | None = None,
    read: Scope | None = None,
) -> ImportPlan:
    """Every error of the workbook, and what importing it would do.

    `scope` is where the importer may write; `manage` where they truly manage (fill the posts
    that grant scope; by default `scope`); `read` what they may see (by default `scope`).
    """
    checker = _Checker(parsed, scope, manage or scope, read or scope)
    codes = [row.code for row in parsed.orgs]
    codes += [row.parent_code for row in parsed.orgs]
    codes += [row.cell_code for row in parsed.members]
    codes += [row.org_code for row in parsed.positions]
    checker.load_orgs(codes)
    plan = ImportPlan(
        errors=checker.errors,
        rows=parsed.row_count,
        existing_orgs=checker.existing,
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
