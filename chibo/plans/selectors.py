"""Reads of plans, scoped: a plan is visible to its issuer's subtree, and, once issued, to
every organization below the issuer (they are the ones it asks things of)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from chibo.accounts.models import User
from chibo.core.errors import NotFound
from chibo.orgs.models import Organization, Position, active_on
from chibo.orgs.scope import SECRETARY_ROLES, Access, Actor, Scope, scope_for
from chibo.plans.models import Obligation, Plan, Registration, Target


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


def plan_get_to_manage(*, actor: Actor | None, plan_id: int, with_parts: bool = True) -> Plan:
    """A plan the actor manages (its issuer's Organization Board), else NotFound as for any
    other: the fetch before a manager's form is read, so a reader's post is refused first."""
    plan = plan_get(actor=actor, plan_id=plan_id, with_parts=with_parts)
    if not plan_can_manage(actor=actor, plan=plan):
        raise NotFound()
    return plan


def obligation_get(
    *, actor: Actor | None, plan: Plan, org_id: int, level: Access = Access.READ
) -> Obligation:
    """The obligation an organization in scope has under a plan (one per quota target);
    `level` ACT for a write, so that a reader's post is refused before it is read."""
    scope = scope_for(actor)
    obligation = (
        Obligation.objects.filter(
            scope.q(level, path_field="organization__path"),
            target__plan=plan,
            organization_id=org_id,
        )
        .select_related("organization", "target__plan", "duty")
        .order_by("target__order")
        .first()
    )
    if obligation is None:
        raise NotFound()
    return obligation


def obligation_list(*, actor: Actor | None, plan: Plan) -> QuerySet[Obligation]:
    """The plan's obligations the actor can act on (a secretary: their own committee's)."""
    scope = scope_for(actor)
    return (
        Obligation.objects.filter(
            scope.q(Access.ACT, path_field="organization__path"), target__plan=plan
        )
        .select_related("organization", "target__plan", "duty", "registration")
        .order_by("organization__sort_key", "target__order")
    )


def registration_get(*, actor: Actor | None, registration_id: int) -> Registration:
    scope = scope_for(actor)
    registration = (
        Registration.objects.filter(
            scope.q(Access.READ, path_field="obligation__organization__path"), pk=registration_id
        )
        .select_related(
            "obligation__organization",
            "obligation__target__plan__issuer_org",
            "obligation__duty",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("items__cell", "versions__actor")
        .first()
    )
    if registration is None:
        raise NotFound()
    return registration


def registration_can_review(*, actor: Actor | None, registration: Registration) -> bool:
    issuer = registration.obligation.target.plan.issuer_org
    return scope_for(actor).allows(issuer, Access.MANAGE)


def registration_can_edit(*, actor: Actor | None, registration: Registration) -> bool:
    return scope_for(actor).allows(registration.obligation.organization, Access.ACT)


def cell_choices(*, actor: Actor | None, obligation: Obligation) -> QuerySet[Organization]:
    """Open cells under the obligated committee, for the registration form."""
    scope = scope_for(actor)
    return (
        scope.filter(Organization.objects.all())
        .filter(
            path__startswith=obligation.organization.path,
            kind__is_cell=True,
            valid_to__isnull=True,
        )
        .exclude(pk=obligation.organization_id)
        .order_by("sort_key")
    )


def committee_secretary_users(
    organization_ids: Iterable[int], today: dt.date
) -> dict[int, list[User]]:
    """Active accounts of each organization's secretary and deputies on `today` (two queries):
    who is told when their committee must act or was answered."""
    ids = sorted(set(organization_ids))
    rows = (
        Position.objects.filter(active_on(today), role__in=SECRETARY_ROLES)
        .filter(Q(organization_id__in=ids) | Q(body__organization_id__in=ids))
        .filter(person__user__isnull=False, person__user__is_active=True)
        .values_list("organization_id", "body__organization_id", "person__user")
    )
    user_ids_by_org: dict[int, set[int]] = defaultdict(set)
    for organization_id, body_organization_id, user_id in rows:
        user_ids_by_org[organization_id].add(user_id)
        if body_organization_id is not None:
            user_ids_by_org[body_organization_id].add(user_id)
    wanted = {user_id for user_ids in user_ids_by_org.values() for user_id in user_ids}
    users = list(
        User.objects.filter(pk__in=sorted(wanted))
        .select_related("person")
        .order_by("person__sort_key", "username")
    )
    return {
        organization_id: [user for user in users if user.pk in user_ids_by_org[organization_id]]
        for organization_id in ids
    }
