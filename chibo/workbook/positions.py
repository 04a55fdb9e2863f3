"""Checking the sheet Chức vụ: who holds which post where, in which body.

A mixin of the workbook's checker (validation._Checker), which knows the organizations as they
will be, the importer's scopes and the members; here: the bodies a row names, the posts already
held, and the posts an importer may not record because they grant scope themselves.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from chibo.orgs.models import Body, Position
from chibo.orgs.scope import body_grants_scope, post_grants_scope
from chibo.workbook import errors
from chibo.workbook import format as fmt
from chibo.workbook.parsing import ParsedWorkbook, PositionRow
from chibo.workbook.plan import BodyRef, ExistingOrg, ExistingPerson, ImportPlan, chunks


class PositionChecks:
    parsed: ParsedWorkbook
    existing: dict[str, ExistingOrg]
    counts: dict[str, dict[str, int]]

    def error(self, sheet: str, row: int, column: str, value: str, message: Any) -> None:
        raise NotImplementedError

    def known(self, code: str) -> bool:
        raise NotImplementedError

    def allowed(self, code: str) -> bool:
        raise NotImplementedError

    def manages(self, code: str) -> bool:
        raise NotImplementedError

    def is_grant_root(self, code: str) -> bool:
        raise NotImplementedError

    def path_allowed(self, path: str) -> bool:
        raise NotImplementedError

    def load_persons(self, codes: Sequence[str]) -> dict[str, ExistingPerson]:
        raise NotImplementedError

    def check_positions(self, plan: ImportPlan) -> None:
        sheet = fmt.SHEET_POSITIONS
        rows = self.parsed.positions
        member_codes = {row.code for row in self.parsed.members}
        others = [row.person_code for row in rows if row.person_code not in member_codes]
        for code, person in self.load_persons(others).items():
            # A post only for someone the importer may write for: anyone else is "missing".
            home = person.home_cell_path
            if home is not None and self.path_allowed(home):
                plan.person_ids[code] = person.id
        org_ids = sorted(
            {self.existing[row.org_code].id for row in rows if row.org_code in self.existing}
        )
        bodies = self._bodies(org_ids)
        body_kinds = {pk: kind for own in bodies.values() for pk, kind, _name in own}
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
            if body is False or not self._may_record(row, body, body_kinds):
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

    def _may_record(self, row: PositionRow, body: BodyRef, body_kinds: dict[int, str]) -> bool:
        """Whether the importer may record this post: one that grants scope (a seat in the
        Organization Board or a team, a secretary of the organization the importer acts for)
        needs an importer who truly manages there. False (with the error recorded) otherwise."""
        if self.manages(row.org_code):
            return True
        sheet = fmt.SHEET_POSITIONS
        if isinstance(body, tuple):
            kind: str | None = body[1]
        elif body is None:
            kind = None
        else:
            kind = body_kinds.get(body)
        # A secretary's post grants scope where an import grant hangs: under it, a cell's
        # secretary acts in a smaller part of the importer's own tree.
        at_root = self.is_grant_root(row.org_code)
        if not post_grants_scope(body_kind=kind, role=row.role, does_own_work=at_root):
            return True
        if body_grants_scope(kind):
            self.error(
                sheet, row.row, fmt.POSITION_BODY, row.body_text, errors.POSITION_GRANTS_SCOPE
            )
        else:
            role = fmt.ROLES.word_for(row.role)
            self.error(sheet, row.row, fmt.POSITION_ROLE, role, errors.POSITION_GRANTS_SCOPE)
        return False

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
