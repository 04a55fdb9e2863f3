"""Request types for views that require a logged-in user."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from chibo.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
