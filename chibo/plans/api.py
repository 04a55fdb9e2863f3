"""Plan endpoints: /api/v1/plans."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from chibo.core.api import InputSchema, ObjectId, Pagination
from chibo.orgs.invitees import describe_all
from chibo.orgs.scope import request_actor
from chibo.plans import selectors, services
from chibo.plans.models import Plan, Registration, ReportingDuty, Target

router = Router(tags=["plans"])
registrations_router = Router(tags=["registrations"])


class IssuerOut(Schema):
    id: int
    code: str
    name: str
    committee_name: str


class PlanOut(Schema):
    id: int
    number: str = Field(alias="number_symbol", description='number and symbol, e.g. "332-KH/HU"')
    title: str
    issued_on: dt.date
    year: int
    place: str
    status: str
    issuer: IssuerOut = Field(alias="issuer_org")


class LegalBasisOut(Schema):
    id: int
    document_type: str
    number: str
    issued_on: dt.date
    issuer: str
    title: str
    implements: int | None = Field(alias="implements_id")


class OrgRefOut(Schema):
    id: int
    code: str
    name: str


class WindowOut(Schema):
    start: dt.date
    end: dt.date
    label: str


class InviteeRuleOut(Schema):
    rule: dict[str, Any]
    description: str


class TargetOut(Schema):
    id: int
    kind: str
    heading: str
    organization: OrgRefOut | None
    org_kind: str | None
    count: int
    meeting_types: list[str]
    allow_same_cell: bool
    window: WindowOut
    invitee_rules: list[InviteeRuleOut]

    @staticmethod
    def resolve_org_kind(target: Target) -> str | None:
        return target.org_kind.code if target.org_kind else None

    @staticmethod
    def resolve_window(target: Target) -> dict[str, Any]:
        return {
            "start": target.window_start,
            "end": target.window_end,
            "label": target.window_label,
        }

    @staticmethod
    def resolve_invitee_rules(target: Target) -> list[dict[str, Any]]:
        descriptions = describe_all(target.invitee_rules)
        return [
            {"rule": rule, "description": text}
            for rule, text in zip(target.invitee_rules, descriptions, strict=True)
        ]


class DeadlineOut(Schema):
    kind: str = Field(description='"report": something is sent up; "window_end": meetings end')
    what: str
    date: dt.date = Field(description="the date as written in the plan")
    deadline_kind: str = Field(description='"before" (trước ngày) or "by_end" (chậm nhất ngày)')
    last_day: dt.date = Field(description="the last local day that is still on time")
    to: str | None = None
    via: str | None = None
    target: int | None = None


class SectionOut(Schema):
    part: str
    heading: str
    body: str


class ResponsibilityOut(Schema):
    text: str
    group: str
    organizations: list[OrgRefOut]


class SignerOut(Schema):
    capacity: str
    title: str
    name: str


class PlanDetailOut(PlanOut):
    preamble: str
    issuer_body: str | None
    legal_bases: list[LegalBasisOut]
    sections: list[SectionOut]
    targets: list[TargetOut]
    deadlines: list[DeadlineOut]
    responsibilities: list[ResponsibilityOut]
    recipients: list[str]
    signer: SignerOut

    @staticmethod
    def resolve_issuer_body(plan: Plan) -> str | None:
        return plan.issuer_body.name if plan.issuer_body else None

    @staticmethod
    def resolve_legal_bases(plan: Plan) -> list[Any]:
        return list(plan.legal_bases.all())

    @staticmethod
    def resolve_sections(plan: Plan) -> list[Any]:
        return list(plan.sections.all())

    @staticmethod
    def resolve_targets(plan: Plan) -> list[Any]:
        return list(plan.targets.all())

    @staticmethod
    def resolve_deadlines(plan: Plan) -> list[dict[str, Any]]:
        return plan_deadlines(plan)

    @staticmethod
    def resolve_responsibilities(plan: Plan) -> list[dict[str, Any]]:
        return [
            {
                "text": item.text,
                "group": item.group,
                "organizations": list(item.organizations.all()),
            }
            for item in plan.responsibilities.all()
        ]

    @staticmethod
    def resolve_recipients(plan: Plan) -> list[str]:
        return [recipient.text for recipient in plan.recipients.all()]

    @staticmethod
    def resolve_signer(plan: Plan) -> dict[str, str]:
        return {
            "capacity": plan.signing_capacity,
            "title": plan.signer_title,
            "name": plan.signer_name,
        }


def _duty_deadline(duty: ReportingDuty) -> dict[str, Any]:
    return {
        "kind": "report",
        "what": duty.what,
        "date": duty.deadline,
        "deadline_kind": duty.deadline_kind,
        "last_day": duty.last_day,
        "to": duty.to_body.name,
        "via": duty.via_body.name if duty.via_body else None,
        "target": duty.target_id,
    }


def plan_deadlines(plan: Plan) -> list[dict[str, Any]]:
    """Every date the plan holds someone to, earliest first."""
    rows = [_duty_deadline(duty) for duty in plan.reporting_duties.all()]
    for target in plan.targets.all():
        rows.append(
            {
                "kind": "window_end",
                "what": target.heading or target.window_label,
                "date": target.window_end,
                "deadline_kind": "by_end",
                "last_day": target.window_end,
                "target": target.pk,
            }
        )
    return sorted(rows, key=lambda row: (row["last_day"], row["kind"]))


@router.get("", response=list[PlanOut], summary="Plans the user can see")
@paginate(Pagination)
def plan_list(request: HttpRequest, year: int | None = None) -> QuerySet[Plan]:
    return selectors.plan_list(actor=request_actor(request), year=year)


@router.get("/{plan_id}", response=PlanDetailOut, summary="One plan as structured data")
def plan_detail(request: HttpRequest, plan_id: ObjectId) -> Plan:
    return selectors.plan_get(actor=request_actor(request), plan_id=plan_id)


class WindowIn(InputSchema):
    target: int
    start: dt.date
    end: dt.date


class DeadlineIn(InputSchema):
    duty: int
    deadline: dt.date


class PlanEditIn(InputSchema):
    number: int = Field(ge=1)
    issued_on: dt.date
    place: str = Field(max_length=120)
    title: str = Field(max_length=500)
    signer_title: str = Field("", max_length=120)
    signer_name: str = Field("", max_length=120)
    windows: list[WindowIn] = []
    deadlines: list[DeadlineIn] = []


@router.put("/{plan_id}", response=PlanDetailOut, summary="Correct a draft before it is issued")
def plan_update(request: HttpRequest, plan_id: ObjectId, payload: PlanEditIn) -> Plan:
    """Windows and deadlines not listed stay as they are."""
    actor = request_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id)
    edit = services.PlanEdit(
        number=payload.number,
        issued_on=payload.issued_on,
        place=payload.place,
        title=payload.title,
        signer_title=payload.signer_title,
        signer_name=payload.signer_name,
        windows={row.target: (row.start, row.end) for row in payload.windows},
        deadlines={row.duty: row.deadline for row in payload.deadlines},
    )
    services.plan_update(actor=actor, plan=plan, edit=edit)
    return selectors.plan_get(actor=actor, plan_id=plan.pk)


class PlanCopyIn(InputSchema):
    year: int = Field(ge=2000, le=2100)


@router.post("/{plan_id}/copy", response={201: PlanDetailOut}, summary="Copy a plan to a year")
def plan_copy(request: HttpRequest, plan_id: ObjectId, payload: PlanCopyIn) -> Status[Plan]:
    actor = request_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id)
    copy = services.plan_copy(actor=actor, plan=plan, year=payload.year)
    return Status(201, selectors.plan_get(actor=actor, plan_id=copy.pk))


class RegistrationItemIn(InputSchema):
    cell: int
    meeting_type: str
    starts_at: dt.datetime
    venue: str = Field(max_length=255)


class RegistrationSaveIn(InputSchema):
    org: int
    items: list[RegistrationItemIn]


class RegistrationReviewIn(InputSchema):
    comment: str = ""


class RegistrationItemOut(Schema):
    cell: OrgRefOut
    meeting_type: str
    starts_at: dt.datetime
    venue: str


class RegistrationVersionOut(Schema):
    number: int
    event: str
    at: dt.datetime
    actor: str | None
    items: list[dict[str, Any]]
    comment: str

    @staticmethod
    def resolve_actor(version: Any) -> str | None:
        return version.actor.username if version.actor else None


class RegistrationOut(Schema):
    id: int
    plan: int = Field(alias="obligation.target.plan_id")
    org: OrgRefOut = Field(alias="obligation.organization")
    status: str
    version: int
    on_time: bool | None
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    review_comment: str
    items: list[RegistrationItemOut]
    versions: list[RegistrationVersionOut]

    @staticmethod
    def resolve_items(registration: Registration) -> list[Any]:
        return list(registration.items.all())

    @staticmethod
    def resolve_versions(registration: Registration) -> list[Any]:
        return list(registration.versions.all())


@router.post(
    "/{plan_id}/registrations",
    response={201: RegistrationOut},
    summary="Create or correct a committee's draft list and schedule",
)
def registration_save(
    request: HttpRequest, plan_id: ObjectId, payload: RegistrationSaveIn
) -> Status[Registration]:
    actor = request_actor(request)
    plan = selectors.plan_get(actor=actor, plan_id=plan_id, with_parts=False)
    obligation = selectors.obligation_get(actor=actor, plan=plan, org_id=payload.org)
    items = [
        services.ItemData(item.cell, item.meeting_type, item.starts_at, item.venue)
        for item in payload.items
    ]
    registration = services.registration_save(actor=actor, obligation=obligation, items=items)
    return Status(201, selectors.registration_get(actor=actor, registration_id=registration.pk))


@registrations_router.get("/{registration_id}", response=RegistrationOut)
def registration_detail(request: HttpRequest, registration_id: ObjectId) -> Registration:
    return selectors.registration_get(actor=request_actor(request), registration_id=registration_id)


@registrations_router.post("/{registration_id}/submit", response=RegistrationOut)
def registration_submit(request: HttpRequest, registration_id: ObjectId) -> Registration:
    actor = request_actor(request)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    services.registration_submit(actor=actor, registration=registration)
    return selectors.registration_get(actor=actor, registration_id=registration_id)


@registrations_router.post("/{registration_id}/return", response=RegistrationOut)
def registration_return(
    request: HttpRequest, registration_id: ObjectId, payload: RegistrationReviewIn
) -> Registration:
    actor = request_actor(request)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    services.registration_return(actor=actor, registration=registration, comment=payload.comment)
    return selectors.registration_get(actor=actor, registration_id=registration_id)
