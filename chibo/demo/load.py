"""Accounts for the load test (`chibo load_accounts`): one per virtual user, each a real person
with a real post, so that the test's sessions and scopes are those of real users.

Three kinds of people are chosen under a plan's issuer:
- board: a seat in an Organization Board (manages its tree); reads the plan's progress;
- registrar: the secretary or deputy of a committee whose registration is still open (none yet,
  a draft, or sent back); saves its list and schedule;
- marker: the secretary or deputy of a cell with a meeting of the plan; marks attendance.

Each account comes with what its virtual user needs to act (ids, the form it posts), so that the
load generator never needs Django. People are chosen evenly through the tree in path order, so a
second run with the same data and count chooses the same people and creates no account.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from chibo.accounts.models import User
from chibo.core.dates import local_today
from chibo.demo.tamduong import DEMO_PASSWORD
from chibo.meetings.models import Meeting
from chibo.orgs.models import Body, Organization, Person, Position, active_on
from chibo.orgs.scope import SECRETARY_ROLES
from chibo.plans.models import Obligation, Plan, Registration

USERNAME_PREFIX = "load-"
# Of the accounts asked for: one in ten reads the dashboards, three save registrations, the rest
# mark attendance. A kind with too few people leaves its share to the others.
SHARES = (("board", 0.1), ("registrar", 0.3), ("marker", 0.6))
FILL_ORDER = ("marker", "registrar", "board")
MARKED_PEOPLE = 10  # members of the cell whose attendance a marker taps
BOARD_MEETINGS = 5  # meetings a board member opens

NOT_ENOUGH = "Chỉ có {found} người phù hợp trong kế hoạch {plan}, cần {count}."


@dataclasses.dataclass(frozen=True)
class _Candidate:
    person_id: int
    role: str
    details: dict[str, Any]


def _spread(items: Sequence[_Candidate], count: int) -> list[_Candidate]:
    """`count` items taken evenly through `items`, in order."""
    if count >= len(items):
        return list(items)
    return [items[(index * len(items)) // count] for index in range(count)]


def _people_free(person_ids: set[int]) -> set[int]:
    """Those of `person_ids` without an account, or with one made by this module."""
    taken = User.objects.filter(person_id__in=person_ids).exclude(
        username__startswith=USERNAME_PREFIX
    )
    return person_ids - set(taken.values_list("person_id", flat=True))


def _secretaries(organization_ids: Sequence[int], day: dt.date) -> dict[int, list[int]]:
    """Organization id -> its secretary and deputies' person ids, in a stable order."""
    rows = (
        Position.objects.filter(
            active_on(day), organization_id__in=organization_ids, role__in=SECRETARY_ROLES
        )
        .order_by("role", "person_id")
        .values_list("organization_id", "person_id")
    )
    found: dict[int, list[int]] = {}
    for organization_id, person_id in rows:
        people = found.setdefault(organization_id, [])
        if person_id not in people:
            people.append(person_id)
    return found


def _board(plan: Plan, day: dt.date) -> list[_Candidate]:
    root = plan.issuer_org
    seats = (
        Position.objects.filter(
            active_on(day),
            body__kind=Body.Kind.ORGANIZATION_BOARD,
            organization__path__startswith=root.path,
        )
        .order_by("organization__path", "person_id")
        .values_list("person_id", "organization__path")
    )
    meetings = list(
        Meeting.objects.filter(target__plan=plan)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("cell__path", "pk")
        .values_list("pk", "cell__path")
    )
    candidates: list[_Candidate] = []
    for person_id, path in seats:
        inside = [pk for pk, cell_path in meetings if cell_path.startswith(path)]
        details = {"plan": plan.pk, "meetings": inside[:BOARD_MEETINGS]}
        candidates.append(_Candidate(person_id, "board", details))
    return candidates


def registration_form(obligation: Obligation, cells: Sequence[Organization]) -> dict[str, str]:
    """The registration page's form filled as a secretary would: the first cells, the quota's
    types in turn, a day each from the window's start."""
    target = obligation.target
    form = {
        "items-TOTAL_FORMS": str(target.count),
        "items-INITIAL_FORMS": str(target.count),
        "items-MIN_NUM_FORMS": str(target.count),
        "items-MAX_NUM_FORMS": str(target.count),
    }
    for index, cell in enumerate(cells):
        day = min(target.window_start + dt.timedelta(days=index), target.window_end)
        form |= {
            f"items-{index}-cell": str(cell.pk),
            f"items-{index}-meeting_type": target.meeting_types[index % len(target.meeting_types)],
            f"items-{index}-day": day.isoformat(),
            f"items-{index}-time": "08:00",
            f"items-{index}-venue": f"Nhà văn hóa {cell.name}",
        }
    return form


def _registrars(plan: Plan, day: dt.date) -> list[_Candidate]:
    obligations = (
        Obligation.objects.filter(target__plan=plan)
        .select_related("target", "organization")
        .order_by("organization__path")
    )
    open_obligations = []
    for obligation in obligations:
        registration = obligation.registration_or_none
        if registration is None or registration.status in Registration.EDITABLE_STATUSES:
            open_obligations.append(obligation)
    secretaries = _secretaries([o.organization_id for o in open_obligations], day)
    candidates: list[_Candidate] = []
    for obligation in open_obligations:
        target = obligation.target
        cells = list(
            Organization.objects.filter(
                path__startswith=obligation.organization.path,
                kind__is_cell=True,
                valid_to__isnull=True,
            ).order_by("path")[: target.count]
        )
        # A list this module could not fill right is left out rather than sent wrong.
        if len(cells) < target.count or target.count < len(target.meeting_types):
            continue
        details = {
            "plan": plan.pk,
            "org": obligation.organization_id,
            "registration_form": registration_form(obligation, cells),
        }
        for person_id in secretaries.get(obligation.organization_id, []):
            candidates.append(_Candidate(person_id, "registrar", details))
    return candidates


def _markers(plan: Plan, day: dt.date) -> list[_Candidate]:
    meetings = list(
        Meeting.objects.filter(target__plan=plan)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("cell__path", "pk")
    )
    first_meeting: dict[int, Meeting] = {}
    for meeting in meetings:
        first_meeting.setdefault(meeting.cell_id, meeting)
    secretaries = _secretaries(list(first_meeting), day)
    members: dict[int, list[int]] = {}
    for cell_id, person_id in (
        Person.objects.filter(home_cell_id__in=list(first_meeting))
        .order_by("home_cell_id", "pk")
        .values_list("home_cell_id", "pk")
    ):
        members.setdefault(cell_id, []).append(person_id)
    candidates: list[_Candidate] = []
    for cell_id, meeting in first_meeting.items():
        people = members.get(cell_id, [])[:MARKED_PEOPLE]
        if not people:
            continue
        details = {"plan": plan.pk, "meeting": meeting.pk, "people": people}
        for person_id in secretaries.get(cell_id, []):
            candidates.append(_Candidate(person_id, "marker", details))
    return candidates


def _choose(by_role: dict[str, list[_Candidate]], count: int) -> list[_Candidate]:
    """`count` people by SHARES, each person once; a short kind's share goes to the others."""
    wanted = {role: round(count * share) for role, share in SHARES}
    wanted[FILL_ORDER[0]] += count - sum(wanted.values())
    chosen: dict[str, list[_Candidate]] = {role: [] for role, _share in SHARES}
    for role, _share in SHARES:
        chosen[role] = _spread(by_role[role], wanted[role])
    missing = count - sum(len(people) for people in chosen.values())
    for role in FILL_ORDER:
        if missing <= 0:
            break
        spare = [c for c in by_role[role] if c not in chosen[role]][:missing]
        chosen[role] += spare
        missing -= len(spare)
    return [candidate for role, _share in SHARES for candidate in chosen[role]]


@transaction.atomic
def load_accounts(*, plan: Plan, count: int) -> list[dict[str, Any]]:
    """Make (or find) `count` accounts for people under the plan's issuer; what each one does.

    Raises ValueError when the plan's tree has fewer suitable people than `count`.
    """
    day = local_today()
    by_role = {"board": _board(plan, day), "registrar": _registrars(plan, day)}
    by_role["marker"] = _markers(plan, day)
    free = _people_free({c.person_id for candidates in by_role.values() for c in candidates})
    seen: set[int] = set()
    for role, candidates in by_role.items():
        kept = []
        for candidate in candidates:
            if candidate.person_id in free and candidate.person_id not in seen:
                seen.add(candidate.person_id)
                kept.append(candidate)
        by_role[role] = kept
    chosen = _choose(by_role, count)
    if len(chosen) < count:
        raise ValueError(NOT_ENOUGH.format(found=len(chosen), plan=plan.pk, count=count))
    people = Person.objects.in_bulk([candidate.person_id for candidate in chosen])
    existing = {user.person_id: user for user in User.objects.filter(person_id__in=list(people))}
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    accounts: list[dict[str, Any]] = []
    for candidate in chosen:
        person = people[candidate.person_id]
        user = existing.get(person.pk)
        if user is None:
            family_and_middle, _space, given = person.full_name.rpartition(" ")
            user = User.objects.create(
                username=f"{USERNAME_PREFIX}{person.code.lower()}",
                password=password,
                first_name=family_and_middle,
                last_name=given,
                person=person,
            )
        accounts.append({"username": user.username, "role": candidate.role, **candidate.details})
    return accounts
