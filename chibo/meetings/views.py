"""Meeting pages, and the page edges of the workflows whose outcome is a meeting (issuing a
plan, accepting a registration: those pages belong to plans; these only act and go back)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.meetings import rules, selectors, services
from chibo.plans import forms as plan_forms
from chibo.plans import selectors as plan_selectors

PLAN_ISSUED = _("Plan issued: {count} committees now owe a list and schedule.")
REGISTRATION_ACCEPTED = _("Registration accepted: its meetings are scheduled.")


@require_POST
@login_required
def plan_issue(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    try:
        result = services.plan_issue(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(PLAN_ISSUED).format(count=result.obligations_created))
    return redirect("plans:plan_detail", plan_id=plan.pk)


@require_POST
@login_required
def registration_accept(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = plan_selectors.registration_get(
        actor=request.user, registration_id=registration_id
    )
    form = plan_forms.ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.registration_accept(actor=request.user, registration=registration, comment=comment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, REGISTRATION_ACCEPTED)
    return redirect("plans:registration_detail", registration_id=registration.pk)


@login_required
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    meetings = selectors.meeting_list(actor=request.user, status=request.GET.get("status", ""))
    page = Paginator(meetings, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page_obj": page})


@login_required
def meeting_detail(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    context = {
        "meeting": meeting,
        "invitees": selectors.invitee_list_or_preview(meeting=meeting),
        "attendance": selectors.attendance_summary(meeting=meeting),
        "warnings": selectors.meeting_warnings(meeting=meeting),
        "evaluations": selectors.evaluation_list(meeting=meeting),
        "can_organize": rules.can_organize(request.user, meeting),
        "can_issue_letters": rules.can_issue_letters(request.user, meeting),
        "can_evaluate": rules.can_evaluate(request.user, meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)
