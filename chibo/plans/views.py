"""Pages of plans, and of the registrations committees send under them."""

import dataclasses
import datetime as dt
import itertools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.accounts.models import User
from chibo.core.dates import local_now, local_today
from chibo.core.forms import apply_errors
from chibo.orgs.invitees import describe_all
from chibo.orgs.scope import Access
from chibo.plans import document_text, forms, selectors, services
from chibo.plans.models import (
    LegalBasis,
    MeetingType,
    Obligation,
    Plan,
    Registration,
    RegistrationVersion,
    ReportingDuty,
    Target,
)

PLAN_SAVED = _("Plan saved. Check it, then issue it.")
PLAN_COPIED = _("Copied to {year} as a new draft. Check it, then issue it.")
REGISTRATION_SAVED = _("Draft saved. Check it, then send it.")
REGISTRATION_SENT = _("List and schedule sent.")
REGISTRATION_RETURNED = _("Returned to {org} with your comment.")
ROWS_INCOMPLETE = _("Some rows are incomplete: see the fields marked below.")


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


@dataclasses.dataclass(frozen=True)
class ObligationRow:
    obligation: Obligation
    registration: Registration | None


@dataclasses.dataclass(frozen=True)
class PlanActions:
    """What the user may do from the plan page; the template only reads these flags."""

    can_issue: bool
    can_copy: bool
    show_progress: bool
    copy_form: forms.PlanCopyForm | None
    obligations: list[ObligationRow]


@dataclasses.dataclass(frozen=True)
class SnapshotItem:
    cell_name: str
    meeting_type: str
    starts_at: dt.datetime | None
    venue: str


@dataclasses.dataclass(frozen=True)
class VersionRow:
    version: RegistrationVersion
    items: list[SnapshotItem]


def _copy_year(plan: Plan) -> int:
    """Next year, or the year after the plan's when the plan is for next year already."""
    return max(plan.year + 1, local_today().year + 1)


def _plan_actions(user: User, plan: Plan) -> PlanActions:
    can_manage = selectors.plan_can_manage(actor=user, plan=plan)
    is_draft = plan.status == Plan.Status.DRAFT
    # The issuer's managers follow every committee on the dashboard, not one by one here.
    obligations = [] if can_manage or is_draft else selectors.obligation_list(actor=user, plan=plan)
    return PlanActions(
        can_issue=can_manage and is_draft,
        can_copy=can_manage,
        show_progress=not is_draft,
        copy_form=forms.PlanCopyForm(initial={"year": _copy_year(plan)}) if can_manage else None,
        obligations=[ObligationRow(row, row.registration_or_none) for row in obligations],
    )


def _version_rows(registration: Registration) -> list[VersionRow]:
    rows = []
    for version in registration.versions.all():
        items = [
            SnapshotItem(
                cell_name=str(entry.get("cell_name", "")),
                meeting_type=_meeting_type_label(str(entry.get("meeting_type", ""))),
                starts_at=_parse_moment(entry.get("starts_at")),
                venue=str(entry.get("venue", "")),
            )
            for entry in version.items
        ]
        rows.append(VersionRow(version, items))
    return rows


def _meeting_type_label(value: str) -> str:
    return str(MeetingType(value).label) if value in MeetingType.values else value


def _parse_moment(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _registration_for(user: User, obligation: Obligation) -> Registration | None:
    """The obligation's registration with its items, versions and people loaded, if any."""
    registration = obligation.registration_or_none
    if registration is None:
        return None
    return selectors.registration_get(actor=user, registration_id=registration.pk)


def _edit_url(registration: Registration) -> str:
    obligation = registration.obligation
    return reverse(
        "plans:registration_edit",
        kwargs={"plan_id": obligation.target.plan_id, "org_id": obligation.organization_id},
    )


def _form_problems(formset: forms.RegistrationFormSet) -> list[str]:
    if not formset.is_bound or formset.is_valid():
        return []
    return [str(ROWS_INCOMPLETE), *formset.non_form_errors()]


def _registration_page(
    request: AuthenticatedRequest,
    obligation: Obligation,
    registration: Registration | None,
    formset: forms.RegistrationFormSet,
    problems: list[str],
) -> HttpResponse:
    # An unsaved registration asks the same question of a committee that has not registered yet.
    subject = registration or Registration(obligation=obligation)
    can_act = selectors.registration_can_edit(actor=request.user, registration=subject)
    editable = can_act and subject.is_open_for_changes
    duty = obligation.duty
    target = obligation.target
    context: dict[str, Any] = {
        "plan": target.plan,
        "obligation": obligation,
        "target": target,
        "duty": duty,
        "registration": registration,
        "formset": formset,
        "problems": problems,
        "editable": editable,
        "meeting_types": [_meeting_type_label(value).lower() for value in target.meeting_types],
        # After a refused save the form shows unsaved values: sending then would mislead.
        "can_send": editable and registration is not None and not problems,
        "late_if_sent_now": bool(
            duty and subject.first_submitted_at is None and local_now() >= duty.cutoff
        ),
    }
    return render(request, "plans/registration_edit.html", context)


@require_GET
@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    plans = selectors.plan_list(actor=request.user)
    page = Paginator(plans, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/plan_list.html", {"page_obj": page})


@require_GET
@login_required
def plan_detail(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id)
    context = {
        "plan": plan,
        "targets": _target_rows(plan),
        "duties": _duty_rows(plan),
        "bases": _basis_rows(plan),
        "blocks": document_text.plan_document_blocks(plan),
        "actions": _plan_actions(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """The issuer's managers correct a draft (a copy's number, dates and windows) before issue."""
    plan = selectors.plan_get_to_manage(actor=request.user, plan_id=plan_id)
    form = forms.PlanEditForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, edit=form.edit())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, PLAN_SAVED)
            return redirect("plans:plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form})


@require_POST
@login_required
def plan_copy(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_to_manage(actor=request.user, plan_id=plan_id)
    form = forms.PlanCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["year"][0]))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    try:
        copy = services.plan_copy(actor=request.user, plan=plan, year=form.cleaned_data["year"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:plan_detail", plan_id=plan.pk)
    messages.success(request, str(PLAN_COPIED).format(year=copy.year))
    return redirect("plans:plan_detail", plan_id=copy.pk)


@require_http_methods(["GET", "POST"])
@login_required
def registration_edit(request: AuthenticatedRequest, plan_id: int, org_id: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    # A post asks the right to act first: a reader's rows are not checked, let alone shown.
    level = Access.ACT if request.method == "POST" else Access.READ
    obligation = selectors.obligation_get(actor=request.user, plan=plan, org_id=org_id, level=level)
    registration = _registration_for(request.user, obligation)
    formset = forms.RegistrationFormSet(
        request.POST if request.method == "POST" else None,
        target=obligation.target,
        cells=selectors.cell_choices(actor=request.user, obligation=obligation),
        items=registration.items.all() if registration else (),
    )
    problems = _form_problems(formset)
    if formset.is_bound and not problems:
        try:
            services.registration_save(
                actor=request.user, obligation=obligation, items=formset.items()
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, REGISTRATION_SAVED)
            return redirect(request.path)
    return _registration_page(request, obligation, registration, formset, problems)


@require_GET
@login_required
def registration_detail(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_get(actor=request.user, registration_id=registration_id)
    status = registration.status
    context = {
        "registration": registration,
        "plan": registration.obligation.target.plan,
        "versions": _version_rows(registration),
        "can_review": status == Registration.Status.SUBMITTED
        and selectors.registration_can_review(actor=request.user, registration=registration),
        "can_edit": registration.is_open_for_changes
        and selectors.registration_can_edit(actor=request.user, registration=registration),
        "edit_url": _edit_url(registration),
        "review_form": forms.ReviewForm(),
    }
    return render(request, "plans/registration_detail.html", context)


@require_POST
@login_required
def registration_submit(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_get(actor=request.user, registration_id=registration_id)
    try:
        services.registration_submit(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, REGISTRATION_SENT)
    return redirect(_edit_url(registration))


@require_POST
@login_required
def registration_return(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_get(actor=request.user, registration_id=registration_id)
    form = forms.ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.registration_return(actor=request.user, registration=registration, comment=comment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        org = registration.obligation.organization.name
        messages.success(request, str(REGISTRATION_RETURNED).format(org=org))
    return redirect("plans:registration_detail", registration_id=registration.pk)
