"""The inbox: a user's own notifications, newest first."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.notifications import selectors, services


@require_GET
@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    notifications = selectors.notification_list(actor=request.user)
    page = Paginator(notifications, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@require_POST
@login_required
def notification_open(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(actor=request.user, notification_id=notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(
        notification.url if notification.url and safe else "notifications:notification_list"
    )


@require_POST
@login_required
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    return redirect("notifications:notification_list")
