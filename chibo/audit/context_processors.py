"""Whether the navbar shows "Nhật ký thay đổi": for users who manage some subtree.

Worked out only when a page renders the navbar; it reads the scope cached on the user for the
request (chibo.orgs.scope.scope_for), which the navbar's import entry reads already.
"""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.models import User
from chibo.audit import selectors


def can_audit(request: HttpRequest) -> dict[str, object]:
    """`can_audit` for signed-in users, worked out when a template first asks."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"can_audit": SimpleLazyObject(lambda: selectors.audit_allowed(actor=user))}
