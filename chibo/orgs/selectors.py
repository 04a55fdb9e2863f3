"""Reads of the organization tree, always through the actor's scope."""

import dataclasses

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from chibo.core.dates import local_today
from chibo.core.errors import NotFound
from chibo.core.search import search_q
from chibo.orgs.models import Body, Organization, OrgKind, Person, Position, active_on
from chibo.orgs.scope import Access, Actor, scope_for


def org_list(
    *,
    actor: Actor | None,
    search: str = "",
    kind: str = "",
    include_closed: bool = True,
    level: Access = Access.READ,
) -> QuerySet[Organization]:
    """Organizations in scope, in Vietnamese alphabetical order within the tree."""
    queryset = scope_for(actor).filter(Organization.objects.all(), level)
    queryset = queryset.filter(search_q(search, phrase=True))
    if kind:
        queryset = queryset.filter(kind__code=kind)
    if not include_closed:
        queryset = queryset.filter(valid_to__isnull=True)
    return queryset.select_related("kind", "parent").order_by("sort_key", "pk")


def org_tree(*, actor: Actor | None, include_closed: bool = True) -> QuerySet[Organization]:
    """Organizations in scope in tree order (depth first), for an indented outline."""
    queryset = scope_for(actor).filter(Organization.objects.all())
    if not include_closed:
        queryset = queryset.filter(valid_to__isnull=True)
    return queryset.select_related("kind").order_by("path")


def org_get(*, actor: Actor | None, org_id: int, level: Access = Access.READ) -> Organization:
    organization: Organization | None = (
        scope_for(actor)
        .filter(Organization.objects.all(), level)
        .select_related("kind", "parent")
        .filter(pk=org_id)
        .first()
    )
    if organization is None:
        raise NotFound()
    return organization


def org_ancestors(*, organization: Organization) -> list[Organization]:
    """The chain from the root down to the organization's parent.

    Names of ancestors are shown as a breadcrumb even outside scope; their pages stay 404.
    """
    steplen = Organization.steplen
    prefixes = [organization.path[:end] for end in range(steplen, len(organization.path), steplen)]
    return list(
        Organization.objects.filter(path__in=prefixes).select_related("kind").order_by("depth")
    )


def org_children(*, actor: Actor | None, organization: Organization) -> QuerySet[Organization]:
    return (
        scope_for(actor)
        .filter(Organization.objects.filter(parent=organization))
        .select_related("kind")
        .order_by("sort_key", "pk")
    )


def org_kind_list() -> QuerySet[OrgKind]:
    return OrgKind.objects.all()


def org_in_scope_q(*, actor: Actor | None, field: str, level: Access = Access.READ) -> Q:
    """A filter for rows of another model whose `field` organization is in scope."""
    return scope_for(actor).q(level, path_field=f"{field}__path")


@dataclasses.dataclass(frozen=True)
class Breadcrumb:
    """An ancestor in a breadcrumb trail; `in_scope` says whether its page may be linked."""

    organization: Organization
    in_scope: bool


def org_breadcrumbs(*, actor: Actor | None, organization: Organization) -> list[Breadcrumb]:
    """The chain from the root to the organization's parent, each flagged for the actor."""
    scope = scope_for(actor)
    return [
        Breadcrumb(organization=ancestor, in_scope=scope.allows(ancestor))
        for ancestor in org_ancestors(organization=organization)
    ]


def org_tree_top_depth(*, actor: Actor | None) -> int:
    """The depth of the shallowest organization in scope: the left margin of the outline."""
    scope = scope_for(actor)
    if scope.unrestricted:
        return 1
    steplen = Organization.steplen
    return min((len(path) // steplen for path in scope.paths(Access.READ)), default=1)


def _rank(field: str, values: list[str]) -> Case:
    """Order rows by the position of `field` in `values` (the order choices are declared in)."""
    whens = [When(**{field: value}, then=Value(index)) for index, value in enumerate(values)]
    return Case(*whens, default=Value(len(values)), output_field=IntegerField())


def org_positions_today(*, actor: Actor | None, organization: Organization) -> QuerySet[Position]:
    """Every post held today in the organization itself or in one of its bodies, in one query:
    the organization's own posts first, then body by body as the page lists them."""
    scope_for(actor).require(organization, Access.READ)
    return (
        Position.objects.filter(active_on(local_today()))
        .filter(Q(organization=organization, body=None) | Q(body__organization=organization))
        .select_related("person", "body")
        .order_by(
            F("body").asc(nulls_first=True),
            _rank("role", Position.Role.values),
            "person__sort_key",
            "pk",
        )
    )


def org_own_posts(*, actor: Actor | None, organization: Organization) -> QuerySet[Position]:
    """Posts held today in the organization itself, outside any of its bodies (a cell's
    secretary recorded without its chi ủy, as an imported workbook may have them)."""
    return org_positions_today(actor=actor, organization=organization).filter(body=None)


def org_bodies_with_posts(*, actor: Actor | None, organization: Organization) -> QuerySet[Body]:
    """Bodies of the organization open today, each with `active_positions` and their persons.

    Two queries: the bodies, then the positions active today with their persons.
    """
    scope_for(actor).require(organization, Access.READ)
    today = local_today()
    positions = (
        Position.objects.filter(active_on(today))
        .select_related("person")
        .order_by(_rank("role", Position.Role.values), "person__sort_key", "pk")
    )
    return (
        Body.objects.filter(active_on(today, "valid_from", "valid_to"), organization=organization)
        .prefetch_related(Prefetch("positions", queryset=positions, to_attr="active_positions"))
        .order_by(_rank("kind", Body.Kind.values), "name", "pk")
    )


def org_members(*, actor: Actor | None, organization: Organization) -> QuerySet[Person]:
    """The members whose home cell is the organization, in Vietnamese name order."""
    scope_for(actor).require(organization, Access.READ)
    return Person.objects.filter(home_cell=organization).order_by("sort_key", "pk")
