"""Whether the navbar shows "Nhập dữ liệu từ Excel": for users who may import somewhere.

Worked out only when a page renders the navbar, once per request: the import scope is cached on
the user object for the request, as its scope is (chibo.orgs.scope.scope_for), so a page whose
selectors already read the scope pays little for it, and a post that ends takes the entry away
on the next page.
"""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.accounts.models import User
from chibo.workbook import rules


def can_import(request: HttpRequest) -> dict[str, object]:
    """`can_import` for signed-in users, worked out when a template first asks."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"can_import": SimpleLazyObject(lambda: rules.can_import(user))}
