"""Request types for views that require a logged-in user."""

from django.http import HttpRequest

from chibo.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
