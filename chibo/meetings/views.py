"""The page edges of the workflows whose outcome is a meeting: issuing a plan, accepting a
registration. Their pages belong to plans; these only act and send the user back there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.meetings import services
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
