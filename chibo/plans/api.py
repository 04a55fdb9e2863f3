"""Plan endpoints: /api/v1/plans."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.core.api import Pagination
from chibo.orgs.invitees import describe_all
from chibo.orgs.scope import request_actor
from chibo.plans import selectors
from chibo.plans.models import Plan, ReportingDuty, Target

router = Router(tags=["plans"])


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
def plan_detail(request: HttpRequest, plan_id: int) -> Plan:
    return selectors.plan_get(actor=request_actor(request), plan_id=plan_id)
