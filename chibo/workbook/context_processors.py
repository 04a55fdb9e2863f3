"""Whether the navbar shows "Nhập dữ liệu từ Excel": for users who manage some subtree."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.models import User
from chibo.workbook import rules


def can_import(request: HttpRequest) -> dict[str, object]:
    """`can_import` for signed-in users; worked out once, and only if a template asks."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"can_import": SimpleLazyObject(lambda: rules.can_import(user))}
