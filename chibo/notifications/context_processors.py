"""The unread count every page's navbar shows."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.models import User
from chibo.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """`unread_notifications` for signed-in users; counted once, and only if a template asks."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.notification_unread_count(actor=user)
        )
    }
