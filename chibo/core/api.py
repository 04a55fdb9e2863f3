"""API building blocks with no domain knowledge: pagination and the base input schema."""

from typing import Any

from django.conf import settings
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


NUL_MESSAGE = "Text must not contain NUL characters."


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
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
