"""Whether the navbar shows "Nhập dữ liệu từ Excel": for users who manage some subtree.

Working that out takes a few queries, and the navbar is on every page, so the answer is kept in
the session for the day: worked out at log-in (or on the first page of the day) and read from
the session afterwards. A user given a post in the Organization Board sees the entry the next
day or at their next log-in; the import page itself always checks the scope there and then.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.models import User
from chibo.core.dates import local_today
from chibo.workbook import rules

SESSION_KEY = "chibo_can_import"


def remember_can_import(request: HttpRequest, user: User) -> bool:
    allowed = rules.can_import(user)
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = [local_today().isoformat(), allowed]
    return allowed


def remember_on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Receiver of `user_logged_in`: accounts need not know about imports."""
    if request is not None:
        remember_can_import(request, user)


def can_import(request: HttpRequest) -> dict[str, object]:
    """`can_import` for signed-in users, from the session when it was worked out today."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(stored, list) and len(stored) == 2 and stored[0] == local_today().isoformat():
        return {"can_import": bool(stored[1])}
    return {"can_import": SimpleLazyObject(lambda: remember_can_import(request, user))}
