"""Writing a checked ImportPlan: create what is new, update what changed, touch nothing else.

The caller holds the transaction (the whole workbook goes in at once or not at all) and the
tree's write lock. Rows go in with bulk operations in batches, each with its history rows (who,
which workbook) as `save()` would leave them; tree paths, depths and child counts are computed
here the way treebeard numbers children (after the parent's last child), and every sort key and
search text is recomputed through the models' own `refresh_derived`, as `save()` would.
"""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import F, Max, Model
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
)

from chibo.orgs import services as org_services
from chibo.orgs.models import Body, Organization, Person, Position
from chibo.workbook import format as fmt
from chibo.workbook.parsing import MemberRow, OrgRow
from chibo.workbook.plan import CHUNK, STEP, ImportPlan, chunks

BATCH = 2000
BODY_NAME_MAX: int = Body._meta.get_field("name").max_length  # type: ignore[assignment]
Progress = Callable[[int], None]


def _step(number: int) -> str:
    """One level of a treebeard path: `number` in the tree's alphabet, padded to the step length."""
    alphabet: str = Organization.alphabet
    digits = ""
    while number:
        number, digit = divmod(number, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(STEP, alphabet[0])


def _step_number(step: str) -> int:
    alphabet: str = Organization.alphabet
    number = 0
    for char in step:
        number = number * len(alphabet) + alphabet.index(char)
    return number


@dataclasses.dataclass(frozen=True)
class History:
    """Who and why, for the history rows of one import; one timestamp for all its rows."""

    user: Any
    reason: str
    now: dt.datetime

    def create(self, model: type[Model], objs: Sequence[Model]) -> None:
        bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH,
            default_user=self.user,
            default_change_reason=self.reason,
            default_date=self.now,
        )

    def update(self, model: type[Model], objs: Sequence[Any], fields: list[str]) -> None:
        for obj in objs:
            obj.updated_at = self.now
        bulk_update_with_history(
            objs,
            model,
            [*fields, "updated_at"],
            batch_size=BATCH,
            default_user=self.user,
            default_change_reason=self.reason,
            default_date=self.now,
        )


def apply_plan(
    plan: ImportPlan,
    progress: Progress | None = None,
    *,
    actor: Any = None,
    reason: str = "",
) -> None:
    report = progress or (lambda _percent: None)
    history = History(user=actor, reason=reason, now=timezone.now())
    org_ids = {code: org.id for code, org in plan.existing_orgs.items()}
    _update_orgs(plan, history)
    report(10)
    _create_orgs(plan, org_ids, history)
    report(25)
    _move_orgs(plan, org_ids, history)
    _save_people(plan, org_ids, report, history)
    report(85)
    body_ids = _create_bodies(plan, org_ids, history)
    _save_positions(plan, org_ids, body_ids, history)
    report(99)


def _set_org_fields(organization: Organization, row: OrgRow) -> None:
    organization.name = row.name
    if row.kind_id is None:
        # A row without a known kind is an error of the check, and a plan with errors is not
        # applied.
        raise RuntimeError(f"organization {row.code} reached the import without its kind")
    organization.kind_id = row.kind_id
    organization.committee_name = row.committee_name
    organization.symbol = row.symbol
    organization.valid_from = row.valid_from
    organization.valid_to = row.valid_to
    organization.refresh_derived()


def _update_orgs(plan: ImportPlan, history: History) -> None:
    rows = dict(plan.org_updates)
    for chunk in chunks(sorted(rows)):
        organizations = list(Organization.objects.filter(pk__in=chunk))
        for organization in organizations:
            _set_org_fields(organization, rows[organization.pk])
        fields = ["name", "kind", "committee_name", "symbol", "valid_from", "valid_to"]
        history.update(Organization, organizations, [*fields, "search_text", "sort_key"])


def _last_steps(parent_ids: list[int]) -> dict[int, int]:
    """The number of the last child of each existing parent (0 when it has none)."""
    last: dict[int, int] = {}
    for chunk in chunks(parent_ids):
        rows = (
            Organization.objects.filter(parent_id__in=chunk)
            .values("parent_id")
            .annotate(last_path=Max("path"))
            .values_list("parent_id", "last_path")
        )
        for parent_id, last_path in rows:
            last[parent_id] = _step_number(last_path[-STEP:])
    return last


def _create_orgs(plan: ImportPlan, org_ids: dict[str, int], history: History) -> None:
    """New organizations level by level, so that every parent exists before its children."""
    if not plan.org_creates:
        return
    paths = {code: org.path for code, org in plan.existing_orgs.items()}
    new_children = Counter(row.parent_code for row in plan.org_creates if row.parent_code)
    existing_parents = sorted(
        plan.existing_orgs[code].id for code in new_children if code in plan.existing_orgs
    )
    last_step = _last_steps(existing_parents)
    roots = Organization.objects.filter(depth=1).aggregate(last=Max("path"))["last"]
    last_root = _step_number(roots) if roots else 0
    by_depth = sorted(plan.org_creates, key=lambda row: plan.final_depth[row.code])
    level: list[Organization] = []
    level_depth = 0
    for row in by_depth:
        depth = plan.final_depth[row.code]
        if level and depth != level_depth:
            _insert(level, org_ids, history)
            level = []
        level_depth = depth
        organization = Organization(code=row.code, numchild=new_children.get(row.code, 0))
        _set_org_fields(organization, row)
        if row.parent_code:
            parent_id = org_ids[row.parent_code]
            number = last_step.get(parent_id, 0) + 1
            last_step[parent_id] = number
            organization.parent_id = parent_id
            organization.path = paths[row.parent_code] + _step(number)
        else:
            last_root += 1
            organization.path = _step(last_root)
        organization.depth = len(organization.path) // STEP
        paths[row.code] = organization.path
        level.append(organization)
    _insert(level, org_ids, history)
    for parent_code, count in new_children.items():
        parent = plan.existing_orgs.get(parent_code)
        if parent is not None:
            Organization.objects.filter(pk=parent.id).update(numchild=F("numchild") + count)


def _insert(organizations: list[Organization], org_ids: dict[str, int], history: History) -> None:
    history.create(Organization, organizations)
    for organization in organizations:
        org_ids[organization.code] = organization.pk


def _move_orgs(plan: ImportPlan, org_ids: dict[str, int], history: History) -> None:
    """Existing organizations under a new parent, shallowest first: each lands where it will stay,
    so no move ever goes under its own subtree."""
    codes = {org.id: code for code, org in plan.existing_orgs.items()}
    moves = sorted(plan.org_moves, key=lambda move: plan.final_depth[codes[move[0]]])
    for org_id, parent_code in moves:
        organization = Organization.objects.get(pk=org_id)
        new_parent = Organization.objects.get(pk=org_ids[parent_code])
        # org_move saves the new parent: its history row names the importer and the workbook.
        organization._history_user = history.user
        organization._change_reason = history.reason
        org_services.org_move(actor=None, organization=organization, new_parent=new_parent)


def _person(person: Person, row: MemberRow, org_ids: dict[str, int]) -> Person:
    person.full_name = row.full_name
    person.gender = row.gender
    person.birth_year = row.birth_year
    person.phone = row.phone
    person.email = row.email
    person.home_cell_id = org_ids[row.cell_code]
    person.membership = row.membership
    person.exempt = row.exempt
    person.refresh_derived()
    return person


PERSON_UPDATE_FIELDS = [
    "full_name",
    "given_name",
    "gender",
    "birth_year",
    "phone",
    "email",
    "home_cell",
    "membership",
    "exempt",
    "search_text",
    "sort_key",
]


def _save_people(
    plan: ImportPlan, org_ids: dict[str, int], report: Progress, history: History
) -> None:
    total = max(1, len(plan.member_creates))
    for start in range(0, len(plan.member_creates), BATCH * 5):
        batch = plan.member_creates[start : start + BATCH * 5]
        people = [_person(Person(code=row.code), row, org_ids) for row in batch]
        history.create(Person, people)
        for person in people:
            plan.person_ids[person.code] = person.pk
        report(25 + 55 * (start + len(batch)) // total)
    rows = dict(plan.member_updates)
    for chunk in chunks(sorted(rows), CHUNK):
        people = [
            _person(person, rows[person.pk], org_ids)
            for person in Person.objects.filter(pk__in=chunk)
        ]
        history.update(Person, people, PERSON_UPDATE_FIELDS)


def _create_bodies(
    plan: ImportPlan, org_ids: dict[str, int], history: History
) -> dict[tuple[str, str], int]:
    """The bodies positions name by kind where the organization has none of that kind yet,
    named after the kind and the organization ("Ban Chấp hành Đảng bộ xã Cát")."""
    names = _org_names(plan)
    existing_ids = sorted(
        plan.existing_orgs[code].id
        for code, _kind in plan.body_creates
        if code in plan.existing_orgs
    )
    taken: set[tuple[int, str]] = set()
    for chunk in chunks(existing_ids):
        taken.update(
            Body.objects.filter(organization_id__in=chunk).values_list("organization_id", "name")
        )
    bodies = []
    for org_code, kind in sorted(plan.body_creates):
        org_id = org_ids[org_code]
        # An organization's name may use all its 255 characters: the body's name must fit too.
        name = base = f"{fmt.BODY_KINDS.word_for(kind)} {names[org_code]}"[:BODY_NAME_MAX]
        number = 1
        while (org_id, name) in taken:
            # A body of another kind already has the name (names are unique in an organization).
            number += 1
            suffix = f" ({number})"
            name = f"{base[: BODY_NAME_MAX - len(suffix)]}{suffix}"
        taken.add((org_id, name))
        bodies.append(Body(organization_id=org_id, kind=kind, name=name))
    history.create(Body, bodies)
    codes = {org_id: code for code, org_id in org_ids.items()}
    return {(codes[body.organization_id], body.kind): body.pk for body in bodies}


def _org_names(plan: ImportPlan) -> dict[str, str]:
    names = {code: org.name for code, org in plan.existing_orgs.items()}
    names.update({row.code: row.name for row in plan.org_creates})
    names.update({row.code: row.name for _id, row in plan.org_updates})
    return names


def _save_positions(
    plan: ImportPlan,
    org_ids: dict[str, int],
    body_ids: dict[tuple[str, str], int],
    history: History,
) -> None:
    for start in range(0, len(plan.position_creates), BATCH * 5):
        positions = []
        for row, body in plan.position_creates[start : start + BATCH * 5]:
            body_id = body_ids[body] if isinstance(body, tuple) else body
            positions.append(
                Position(
                    person_id=plan.person_ids[row.person_code],
                    organization_id=org_ids[row.org_code],
                    body_id=body_id,
                    role=row.role,
                    start_on=row.start_on,
                    end_on=row.end_on,
                )
            )
        history.create(Position, positions)
    ends = dict(plan.position_updates)
    for chunk in chunks(sorted(ends)):
        positions = list(Position.objects.filter(pk__in=chunk))
        for position in positions:
            position.end_on = ends[position.pk]
        history.update(Position, positions, ["end_on"])
