"""Reads of plans, scoped: a plan is visible to its issuer's subtree, and, once issued, to
every organization below the issuer (they are the ones it asks things of)."""

from django.db.models import Prefetch, Q, QuerySet

from chibo.core.errors import NotFound
from chibo.orgs.models import Organization
from chibo.orgs.scope import Access, Actor, Scope, scope_for
from chibo.plans.models import Plan, Target


def _plan_scope_q(scope: Scope) -> Q:
    if scope.unrestricted:
        return Q()
    own = scope.q(Access.READ, path_field="issuer_org__path")
    steplen = Organization.steplen
    above = {
        path[:end]
        for path in scope.paths(Access.READ)
        for end in range(steplen, len(path), steplen)
    }
    from_above = Q(issuer_org__path__in=sorted(above)) & ~Q(status=Plan.Status.DRAFT)
    return own | from_above


def plan_list(*, actor: Actor | None, year: int | None = None) -> QuerySet[Plan]:
    scope = scope_for(actor)
    if scope.is_empty:
        return Plan.objects.none()
    queryset = Plan.objects.filter(_plan_scope_q(scope))
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.select_related("issuer_org", "issuer_body").order_by("-issued_on", "-number")


def plan_get(*, actor: Actor | None, plan_id: int, with_parts: bool = True) -> Plan:
    """One plan in scope; `with_parts` also loads its bases, targets, duties and recipients."""
    scope = scope_for(actor)
    if scope.is_empty:
        raise NotFound()
    queryset = Plan.objects.filter(_plan_scope_q(scope), pk=plan_id).select_related(
        "issuer_org__parent", "issuer_body"
    )
    if with_parts:
        queryset = queryset.prefetch_related(
            "legal_bases",
            "sections",
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("organization__kind", "org_kind"),
            ),
            "reporting_duties__to_body__organization",
            "reporting_duties__via_body__organization",
            "responsibilities__organizations",
            "responsibilities__bodies",
            "recipients",
        )
    plan = queryset.first()
    if plan is None:
        raise NotFound()
    return plan


def plan_can_manage(*, actor: Actor | None, plan: Plan) -> bool:
    return scope_for(actor).allows(plan.issuer_org, Access.MANAGE)
