"""Reads of the organization tree, always through the actor's scope."""

from django.db.models import Q, QuerySet

from chibo.core.errors import NotFound
from chibo.core.text import normalize_query
from chibo.orgs.models import Organization, OrgKind
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
    query = normalize_query(search)
    if query:
        for word in query.split():
            queryset = queryset.filter(search_text__contains=word)
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
    organization = (
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
    return list(Organization.objects.filter(path__in=prefixes).select_related("kind").order_by("depth"))


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
