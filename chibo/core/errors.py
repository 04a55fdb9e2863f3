"""Errors shared by every app."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

NOT_FOUND_MESSAGE = _("Not found, or you are not allowed to see it.")


class NotFound(Http404):
    """Missing or out of scope: the same answer for both, so scope never leaks existence."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(NOT_FOUND_MESSAGE))


class NotReadyError(Exception):
    """The object is there and the user may see it, but what was asked of it cannot be made yet
    (invitation letters before the meeting's time is set, minutes not written): the API answers
    409 with the reason, a page shows it; never a server error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
