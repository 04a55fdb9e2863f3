"""Roll-up endpoints: /api/v1/plans/{id}/progress."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from chibo.core.api import PAGE_MAX, ObjectId
from chibo.orgs.scope import request_actor
from chibo.plans import selectors as plan_selectors
from chibo.plans.models import Obligation
from chibo.reports import selectors

router = Router(tags=["reports"])


class ProgressQuery(Schema):
    status: str = Field("", description="missing, draft, submitted, returned or accepted")
    area: ObjectId | None = Field(None, description="id of the parent organization")
    overdue: bool = False
    search: str = ""
    sort: str = Field("name", description="name, area, status, submitted, held; '-' reverses")
    page: int = Field(1, ge=1, le=PAGE_MAX)
    page_size: int = Field(50, ge=1, le=500)


class OrgRef(Schema):
    id: int
    code: str
    name: str


class ProgressRowOut(Schema):
    org: OrgRef = Field(alias="organization")
    area: OrgRef | None = Field(alias="organization.parent")
    registration: str = Field(alias="registration_state")
    registration_id: int | None
    on_time: bool | None
    submitted_at: dt.datetime | None
    meetings_expected: int = Field(alias="target.count")
    meetings_scheduled: int
    meetings_held: int
    meetings_evaluated: int
    meetings_with_lessons: int
    overdue: bool = Field(alias="is_overdue")

    @staticmethod
    def resolve_registration_id(row: Obligation) -> int | None:
        registration = getattr(row, "registration", None)
        return registration.pk if registration else None

    @staticmethod
    def resolve_on_time(row: Obligation) -> bool | None:
        registration = getattr(row, "registration", None)
        return registration.on_time if registration else None

    @staticmethod
    def resolve_submitted_at(row: Obligation) -> dt.datetime | None:
        registration = getattr(row, "registration", None)
        return registration.first_submitted_at if registration else None


class TotalsOut(Schema):
    obligations: int
    by_state: dict[str, int]
    on_time: int
    late: int
    overdue: int
    meetings_expected: int
    meetings_scheduled: int
    meetings_held: int
    meetings_evaluated: int
    meetings_with_lessons: int
    sent_percent: int
    accepted_percent: int
    held_percent: int


class DesignatedOut(Schema):
    meeting: int = Field(alias="pk")
    cell: OrgRef
    meeting_type: str
    starts_at: dt.datetime | None
    status: str
    evaluations: int = Field(alias="evaluations_count")
    with_lessons: int = Field(alias="lessons_count")


class ProgressOut(Schema):
    plan: int
    totals: TotalsOut
    designated: list[DesignatedOut]
    rows: list[ProgressRowOut]
    count: int
    page: int
    page_size: int
    pages: int


@router.get("/{plan_id}/progress", response=ProgressOut, summary="Who has done what")
def plan_progress(
    request: HttpRequest, plan_id: ObjectId, query: Query[ProgressQuery]
) -> dict[str, Any]:
    actor = request_actor(request)
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, with_parts=False)
    filters = selectors.ProgressFilters(
        status=query.status,
        area=query.area,
        overdue=query.overdue,
        search=query.search,
        sort=query.sort,
    )
    rows = selectors.progress_rows(actor=actor, plan=plan, filters=filters)
    ids = rows.values_list("pk", flat=True)
    count = ids.count()
    start = (query.page - 1) * query.page_size
    return {
        "plan": plan.pk,
        "totals": selectors.progress_totals(actor=actor, plan=plan),
        "designated": list(selectors.designated_meetings(actor=actor, plan=plan)),
        "rows": selectors.progress_page_rows(rows, ids[start : start + query.page_size]),
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, -(-count // query.page_size)),
    }
