"""Organization endpoints: /api/v1/orgs."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.core.api import ObjectId, Pagination
from chibo.orgs import selectors
from chibo.orgs.models import Organization, Position
from chibo.orgs.scope import request_actor

router = Router(tags=["orgs"])


class OrgRefOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(alias="kind.code")


class OrgOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str = Field(alias="kind.code")
    kind_name: str = Field(alias="kind.name")
    parent: int | None = Field(alias="parent_id")
    committee_name: str
    symbol: str
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None


class OrgDetailOut(OrgOut):
    ancestors: list[OrgRefOut]
    children: list[OrgRefOut]

    @staticmethod
    def resolve_ancestors(organization: Organization) -> list[Organization]:
        return selectors.org_ancestors(organization=organization)

    @staticmethod
    def resolve_children(organization: Organization, context: dict[str, Any]) -> list[Organization]:
        actor = request_actor(context["request"])
        return list(selectors.org_children(actor=actor, organization=organization))


@router.get("", response=list[OrgOut], summary="Organizations in scope")
@paginate(Pagination)
def org_list(
    request: HttpRequest, search: str = "", kind: str = "", include_closed: bool = True
) -> QuerySet[Organization]:
    return selectors.org_list(
        actor=request_actor(request),
        search=search,
        kind=kind,
        include_closed=include_closed,
    )


@router.get("/{org_id}", response=OrgDetailOut, summary="One organization in the tree")
def org_detail(request: HttpRequest, org_id: ObjectId) -> Organization:
    return selectors.org_get(actor=request_actor(request), org_id=org_id)


class PersonRefOut(Schema):
    id: int
    code: str
    full_name: str


class BodyRefOut(Schema):
    id: int
    name: str
    kind: str


class PositionOut(Schema):
    person: PersonRefOut
    body: BodyRefOut | None
    role: str
    role_name: str
    start_on: dt.date | None
    end_on: dt.date | None

    @staticmethod
    def resolve_role_name(position: Position) -> str:
        return str(position.get_role_display())


@router.get(
    "/{org_id}/positions", response=list[PositionOut], summary="Who holds which post there today"
)
def org_positions(request: HttpRequest, org_id: ObjectId) -> list[Position]:
    """Posts held today in the organization and in its bodies (Thường trực, BCH, chi ủy, …)."""
    actor = request_actor(request)
    organization = selectors.org_get(actor=actor, org_id=org_id)
    return list(selectors.org_positions_today(actor=actor, organization=organization))
