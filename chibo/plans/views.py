"""Pages of plans."""

import dataclasses
import itertools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from chibo.accounts.http import AuthenticatedRequest
from chibo.orgs.invitees import describe_all
from chibo.plans import document_text, selectors
from chibo.plans.models import LegalBasis, MeetingType, Plan, ReportingDuty, Target


@dataclasses.dataclass(frozen=True)
class TargetRow:
    target: Target
    meeting_types: list[str]
    invitees: list[str]


@dataclasses.dataclass(frozen=True)
class DutyRow:
    duty: ReportingDuty
    target: Target | None


@dataclasses.dataclass(frozen=True)
class BasisRow:
    basis: LegalBasis
    implements: LegalBasis | None


def _target_rows(plan: Plan) -> list[TargetRow]:
    targets = list(plan.targets.all())
    # One call for every target's invitee rules, so the organizations load in one query.
    phrases = iter(describe_all([rule for target in targets for rule in target.invitee_rules]))
    return [
        TargetRow(
            target=target,
            meeting_types=[str(MeetingType(value).label) for value in target.meeting_types],
            invitees=list(itertools.islice(phrases, len(target.invitee_rules))),
        )
        for target in targets
    ]


def _duty_rows(plan: Plan) -> list[DutyRow]:
    targets = {target.pk: target for target in plan.targets.all()}
    duties = plan.reporting_duties.all()
    return [DutyRow(duty=duty, target=targets.get(duty.target_id or 0)) for duty in duties]


def _basis_rows(plan: Plan) -> list[BasisRow]:
    bases = list(plan.legal_bases.all())
    by_pk = {basis.pk: basis for basis in bases}
    return [BasisRow(basis, by_pk.get(basis.implements_id or 0)) for basis in bases]


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    plans = selectors.plan_list(actor=request.user)
    page = Paginator(plans, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/plan_list.html", {"page_obj": page})


@login_required
def plan_detail(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id)
    context = {
        "plan": plan,
        "targets": _target_rows(plan),
        "duties": _duty_rows(plan),
        "bases": _basis_rows(plan),
        "blocks": document_text.plan_document_blocks(plan),
    }
    return render(request, "plans/plan_detail.html", context)
