"""API building blocks with no domain knowledge: pagination and the base input schema."""

import datetime as dt
from typing import Annotated, Any, get_args

from django.conf import settings
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, field_validator, model_validator

# Ids are 64-bit in the database: a larger number names no row, and would overflow the query
# (SQLite and PostgreSQL both refuse it), so the schema refuses it first.
ID_MAX = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=ID_MAX)]
# Far past any page there is, yet small enough that the offset fits a 64-bit integer.
PAGE_MAX = 10**9


class Pagination(PageNumberPagination):
    """The one pagination every list endpoint uses: ?page=&page_size=."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1)

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
NUMBER_TOO_LARGE = gettext_lazy("This number is too large.")
# Date arithmetic (deadlines, papers two days ahead) overflows near the years 1 and 9999, and no
# date chibo is sent lies outside these years.
DATE_YEARS = (1900, 2100)
DATE_OUT_OF_RANGE = gettext_lazy("Dates must lie between the years {first} and {last}.")
DATETIME_NOT_NUMBER = gettext_lazy("Must be a date and time (ISO 8601, e.g. 2025-03-12T08:00).")


def _reject_unstorable(value: Any) -> Any:
    """NUL bytes (PostgreSQL refuses them) and integers past 64 bits (no column holds them),
    anywhere in a value."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(str(NUL_MESSAGE))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > ID_MAX:
        raise ValueError(str(NUMBER_TOO_LARGE))
    if isinstance(value, list):
        for item in value:
            _reject_unstorable(item)
    if isinstance(value, dict):
        for item in value.values():
            _reject_unstorable(item)
    return value


def _is_datetime(annotation: Any) -> bool:
    return annotation is dt.datetime or dt.datetime in get_args(annotation)


class InputSchema(Schema):
    """Base of every input schema: what no database column can hold never gets that far."""

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data: Any) -> Any:
        # ninja's Schema reads attributes off anything, so a list or a number would pass as an
        # input whose fields all have defaults: a body is a JSON object.
        received = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(received, dict):
            raise ValueError(str(SCHEMA_MESSAGES["dict_type"]))
        return data

    @field_validator("*", mode="before")
    @classmethod
    def storable(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic would read a number as seconds since 1970: a client sending one meant
        # something else, and the schema says a date and time is a string.
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _is_datetime(field.annotation) and isinstance(value, int | float):
            raise ValueError(str(DATETIME_NOT_NUMBER))
        return _reject_unstorable(value)

    @field_validator("*", mode="after")
    @classmethod
    def dates_in_range(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
            first, last = DATE_YEARS
            raise ValueError(str(DATE_OUT_OF_RANGE).format(first=first, last=last))
        return value


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
