"""History pages ("Lịch sử") and the audit list ("Nhật ký thay đổi")."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from chibo.accounts.http import AuthenticatedRequest
from chibo.audit import forms, selectors
from chibo.core.errors import NotFound
from chibo.meetings import selectors as meeting_selectors
from chibo.orgs import selectors as org_selectors
from chibo.plans import selectors as plan_selectors


def _history(
    request: AuthenticatedRequest, page: object, title: str, back_url: str, kind: str
) -> HttpResponse:
    context = {"page_obj": page, "title": title, "back_url": back_url, "main_kind": kind}
    return render(request, "audit/object_history.html", context)


@require_GET
@login_required
def plan_history(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    page = selectors.plan_history(actor=request.user, plan=plan, page=request.GET.get("page"))
    back = reverse("plans:plan_detail", args=[plan.pk])
    return _history(request, page, str(plan), back, "plan")


@require_GET
@login_required
def registration_history(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = plan_selectors.registration_get(
        actor=request.user, registration_id=registration_id
    )
    page = selectors.registration_history(
        actor=request.user, registration=registration, page=request.GET.get("page")
    )
    back = reverse("plans:registration_detail", args=[registration.pk])
    return _history(request, page, str(registration.obligation.organization), back, "registration")


@require_GET
@login_required
def meeting_history(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    page = selectors.meeting_history(
        actor=request.user, meeting=meeting, page=request.GET.get("page")
    )
    back = reverse("meetings:meeting_detail", args=[meeting.pk])
    return _history(request, page, str(meeting), back, "meeting")


@require_GET
@login_required
def org_history(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    organization = org_selectors.org_get(actor=request.user, org_id=org_id)
    page = selectors.org_history(
        actor=request.user, organization=organization, page=request.GET.get("page")
    )
    back = reverse("orgs:org_detail", args=[organization.pk])
    return _history(request, page, organization.name, back, "organization")


@require_GET
@login_required
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.audit_allowed(actor=request.user):
        raise NotFound()
    form = forms.AuditFilterForm(
        request.GET or None,
        people=selectors.audit_people(actor=request.user),
        kinds=selectors.audit_kinds(),
    )
    form.is_valid()
    filters = form.to_filter()
    page = selectors.audit_list(actor=request.user, filters=filters, page=request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"form": form, "page_obj": page})
