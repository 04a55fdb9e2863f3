"""Scope: which organization subtrees a user may read, act in or manage.

Every selector filters by a Scope and every service requires one, so access is decided here and
nowhere else. A grant covers an organization and everything under it.

Where grants come from (active on the day asked):
- a post in the Organization Board (Ban Tổ chức) of X: MANAGE X;
- secretary or deputy of a grassroots committee or a cell X: ACT in X (they do its own work);
- any other post in X or in one of X's bodies (Thường trực, BTV, BCH, boards, upper-level
  secretaries who oversee rather than file): READ X;
- an assignment to X (member in charge), or membership of a team assigned to follow X: READ X;
- membership of a cell: READ that cell.
Superusers manage everything.
"""

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from chibo.core.dates import local_today
from chibo.core.errors import NotFound
from chibo.orgs.models import Assignment, Body, Organization, Person, Position, active_on


class Access(enum.IntEnum):
    READ = 1
    ACT = 2
    MANAGE = 3


class Actor(Protocol):
    """What scope needs to know of a user; accounts.User satisfies it."""

    pk: Any
    is_superuser: bool
    is_active: bool
    person_id: int | None


SECRETARY_ROLES = frozenset({Position.Role.SECRETARY, Position.Role.DEPUTY_SECRETARY})


@dataclasses.dataclass(frozen=True)
class Grant:
    path: str
    level: Access


@dataclasses.dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...]
    unrestricted: bool = False

    def paths(self, level: Access) -> list[str]:
        """The minimal set of subtree paths granted at `level` or above."""
        chosen = sorted(grant.path for grant in self.grants if grant.level >= level)
        minimal: list[str] = []
        for path in chosen:
            # Sorted order puts an ancestor right before its descendants.
            if minimal and path.startswith(minimal[-1]):
                continue
            minimal.append(path)
        return minimal

    def q(self, level: Access = Access.READ, path_field: str = "path") -> Q:
        """A filter keeping rows whose organization path lies inside the scope."""
        if self.unrestricted:
            return Q()
        paths = self.paths(level)
        if not paths:
            # Deny by default: a condition no row meets.
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def allows(self, organization: Organization, level: Access = Access.READ) -> bool:
        return self.allows_path(organization.path, level)

    def allows_path(self, path: str, level: Access = Access.READ) -> bool:
        """Whether the organization at tree path `path` is inside the scope at `level`."""
        if self.unrestricted:
            return True
        return any(path.startswith(granted) for granted in self.paths(level))

    def level_for(self, organization: Organization) -> Access | None:
        if self.unrestricted:
            return Access.MANAGE
        levels = [g.level for g in self.grants if organization.path.startswith(g.path)]
        return max(levels) if levels else None

    def require(self, organization: Organization, level: Access) -> None:
        """Raise NotFound unless the organization is inside the scope at `level`.

        Outside read scope and outside act scope answer alike, so a write never confirms that
        something exists where the user cannot look.
        """
        if not self.allows(organization, level):
            raise NotFound()

    def filter(
        self, queryset: QuerySet[Any], level: Access = Access.READ, path_field: str = "path"
    ) -> QuerySet[Any]:
        return queryset.filter(self.q(level, path_field))

    @property
    def is_empty(self) -> bool:
        return not self.unrestricted and not self.grants


EMPTY_SCOPE = Scope(grants=())


def post_level(*, body_kind: str | None, role: str, does_own_work: bool) -> Access:
    """What a post gives in its own organization: MANAGE for a seat in the Organization Board,
    ACT for the secretary or deputy of an organization that does its own work (a grassroots
    committee or a cell), READ for any other."""
    if body_kind == Body.Kind.ORGANIZATION_BOARD:
        return Access.MANAGE
    if role in SECRETARY_ROLES and does_own_work:
        return Access.ACT
    return Access.READ


def body_follows_assignments(body_kind: str | None) -> bool:
    """Whether a seat in this body reads what the body is assigned to follow (a team)."""
    return body_kind == Body.Kind.TEAM


def body_grants_scope(body_kind: str | None) -> bool:
    """Whether any seat in a body of this kind, whatever the role, gives more than a look at its
    organization: the Organization Board manages its tree, a team reads what it follows."""
    return body_kind == Body.Kind.ORGANIZATION_BOARD or body_follows_assignments(body_kind)


def post_grants_scope(*, body_kind: str | None, role: str, does_own_work: bool) -> bool:
    """Whether a post gives more than a look at its own organization: what `scope_for_person`
    grants beyond READ, or what it reads elsewhere through a team."""
    level = post_level(body_kind=body_kind, role=role, does_own_work=does_own_work)
    return level > Access.READ or body_follows_assignments(body_kind)


def _position_level(position: Position) -> Access:
    kind = position.organization.kind
    return post_level(
        body_kind=position.body.kind if position.body else None,
        role=position.role,
        does_own_work=kind.is_grassroots or kind.is_cell,
    )


def scope_for_person(person_id: int, on: dt.date | None = None) -> Scope:
    day = on or local_today()
    grants: list[Grant] = []
    positions = Position.objects.filter(active_on(day), person_id=person_id).select_related(
        "organization__kind", "body"
    )
    for position in positions:
        grants.append(Grant(position.organization.path, _position_level(position)))
    team_ids = [p.body_id for p in positions if p.body and body_follows_assignments(p.body.kind)]
    assignments = Assignment.objects.filter(active_on(day)).filter(
        Q(person_id=person_id) | Q(team_id__in=team_ids)
    )
    for path in assignments.values_list("organization__path", flat=True):
        grants.append(Grant(path, Access.READ))
    cell_path = (
        Person.objects.filter(pk=person_id, home_cell__isnull=False)
        .values_list("home_cell__path", flat=True)
        .first()
    )
    if cell_path:
        grants.append(Grant(cell_path, Access.READ))
    return Scope(grants=tuple(_strongest(grants)))


def _strongest(grants: Iterable[Grant]) -> list[Grant]:
    best: dict[str, Access] = {}
    for grant in grants:
        best[grant.path] = max(best.get(grant.path, grant.level), grant.level)
    return [Grant(path, level) for path, level in sorted(best.items())]


def scope_for(actor: Actor | None, on: dt.date | None = None) -> Scope:
    """The scope of a user; cached on the user object for the length of a request."""
    if actor is None or not actor.is_active:
        return EMPTY_SCOPE
    if actor.is_superuser:
        return Scope(grants=(), unrestricted=True)
    if on is None:
        cached = getattr(actor, "_chibo_scope", None)
        if isinstance(cached, Scope):
            return cached
    scope = scope_for_person(actor.person_id, on) if actor.person_id else EMPTY_SCOPE
    if on is None:
        actor._chibo_scope = scope  # type: ignore[attr-defined]
    return scope


def scope_require(actor: Actor | None, organization: Organization, level: Access) -> None:
    scope_for(actor).require(organization, level)


def request_actor(request: HttpRequest) -> Actor | None:
    """The acting user of a page or API request (the API's authenticator sets request.auth)."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return cast(Actor, user)
