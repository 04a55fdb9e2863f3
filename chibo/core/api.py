"""API building blocks with no domain knowledge: pagination and the base input schema."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import field_validator


class Pagination(PageNumberPagination):
    """The one pagination every list endpoint uses: ?page=&page_size=."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows in all pages")
        page: int
        page_size: int
        pages: int

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: Any = None, **params: Any
    ) -> dict[str, Any]:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count = self._items_count(queryset)
        return {
            "items": queryset[offset : offset + page_size],
            "count": count,
            "page": pagination.page,
            "page_size": page_size,
            "pages": max(1, -(-count // page_size)),
        }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", settings.NINJA_PAGINATION_PER_PAGE)
        super().__init__(**kwargs)


NUL_MESSAGE = gettext_lazy("Text must not contain NUL characters.")


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(str(NUL_MESSAGE))
    if isinstance(value, list):
        for item in value:
            _reject_nul(item)
    if isinstance(value, dict):
        for item in value.values():
            _reject_nul(item)
    return value


class InputSchema(Schema):
    """Base of every input schema: PostgreSQL refuses NUL bytes, so they never get that far."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        return _reject_nul(value)


# What a request that does not fit its schema is told, by pydantic's error type: in the user's
# language and in the same {"message", "fields"} shape as every other refusal.
SCHEMA_INVALID = gettext_lazy("The request is not valid: check the fields listed.")
SCHEMA_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "literal_error": gettext_lazy("Must be one of: {expected}."),
    "enum": gettext_lazy("Must be one of: {expected}."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_type": gettext_lazy("Must be a whole number."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "bool_type": gettext_lazy("Must be true or false."),
    "string_type": gettext_lazy("Must be text."),
    "list_type": gettext_lazy("Must be a list."),
    "dict_type": gettext_lazy("Must be an object."),
    "model_type": gettext_lazy("Must be an object."),
    "datetime_parsing": gettext_lazy("Must be a date and time (ISO 8601, e.g. 2025-03-12T08:00)."),
    "datetime_type": gettext_lazy("Must be a date and time (ISO 8601, e.g. 2025-03-12T08:00)."),
    "datetime_from_date_parsing": gettext_lazy(
        "Must be a date and time (ISO 8601, e.g. 2025-03-12T08:00)."
    ),
    "date_parsing": gettext_lazy("Must be a date (ISO 8601, e.g. 2025-03-12)."),
    "date_from_datetime_parsing": gettext_lazy("Must be a date (ISO 8601, e.g. 2025-03-12)."),
    "string_too_long": gettext_lazy("At most {max_length} characters."),
    "string_too_short": gettext_lazy("At least {min_length} characters."),
    "greater_than_equal": gettext_lazy("Must be at least {ge}."),
    "greater_than": gettext_lazy("Must be more than {gt}."),
    "less_than_equal": gettext_lazy("Must be at most {le}."),
    "less_than": gettext_lazy("Must be less than {lt}."),
}
SCHEMA_OTHER = gettext_lazy("This value is not valid.")


def schema_error_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """pydantic's errors as {"items.0.cell": ["…"]}: the location without body/query/path."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in {"body", "query", "path", "form", "file"}:
            location = location[1:]
        if location and location[0] in {"payload", "query", "data"}:
            # django-ninja names the whole body after the view's argument.
            location = location[1:]
        context = error.get("ctx") or {}
        kind = error.get("type", "")
        if kind == "value_error" and "error" in context:
            text = str(context["error"])
        else:
            template = SCHEMA_MESSAGES.get(kind, SCHEMA_OTHER)
            try:
                text = str(template).format(**context)
            except (KeyError, IndexError):
                text = str(SCHEMA_OTHER)
        fields.setdefault(".".join(location) or "__all__", []).append(text)
    return fields
