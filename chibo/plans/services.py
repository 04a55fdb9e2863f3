"""Writes to plans, with their rules."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import DeadlineKind
from chibo.core.text import clean_text
from chibo.orgs.invitees import dump_rules, parse_rules
from chibo.orgs.models import Body, Organization, OrgKind
from chibo.orgs.scope import Access, Actor, scope_require
from chibo.plans.models import (
    TARGET_QUOTA_NEEDS_KIND,
    TARGET_WINDOW_NOT_INTERVAL,
    LegalBasis,
    MeetingType,
    Plan,
    PlanSection,
    Recipient,
    ReportingDuty,
    Responsibility,
    Target,
)

PLAN_NUMBER_TAKEN = _("Số kế hoạch này đã được cấp ủy dùng trong năm {year}.")
TARGET_MEETING_TYPES_INVALID = _(
    "Hình thức sinh hoạt phải là thường kỳ hoặc chuyên đề, không lặp lại."
)
TARGET_QUOTA_COUNT = _("Số chi bộ phải lựa chọn phải từ 1 trở lên.")
TARGET_DESIGNATED_NOT_CELL = _("Tổ chức được chỉ định phải là một chi bộ.")
PLAN_BODY_NOT_ISSUER = _("Cơ quan ban hành phải thuộc cấp ủy ban hành.")
PLAN_ISSUER_NO_SYMBOL = _("Cấp ủy ban hành chưa có ký hiệu văn bản.")


@dataclass
class TargetData:
    kind: str
    organization: Organization
    meeting_types: list[str]
    window_start: dt.date
    window_end: dt.date
    invitee_rules: list[dict[str, Any]] = field(default_factory=list)
    org_kind: OrgKind | None = None
    count: int = 1
    heading: str = ""
    window_label: str = ""
    allow_same_cell: bool = False
    note: str = ""


@dataclass
class DutyData:
    what: str
    to_body: Body
    deadline: dt.date
    deadline_kind: str = DeadlineKind.BEFORE.value
    via_body: Body | None = None
    target_index: int | None = None


@dataclass
class BasisData:
    document_type: str
    number: str
    issued_on: dt.date
    issuer: str
    title: str = ""
    implements_index: int | None = None


@dataclass
class ResponsibilityData:
    text: str
    organizations: list[Organization] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    group: str = ""


@dataclass
class PlanData:
    issuer_org: Organization
    number: int
    year: int
    issued_on: dt.date
    place: str
    title: str
    issuer_body: Body | None = None
    document_type: str = "KH"
    preamble: str = ""
    signing_capacity: str = ""
    signer_title: str = ""
    signer_name: str = ""
    bases: list[BasisData] = field(default_factory=list)
    sections: list[tuple[str, str, str]] = field(default_factory=list)  # (part, heading, body)
    targets: list[TargetData] = field(default_factory=list)
    duties: list[DutyData] = field(default_factory=list)
    responsibilities: list[ResponsibilityData] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    status: str = Plan.Status.DRAFT


def target_validate(data: TargetData) -> None:
    """The rules a target must meet, whichever edge it arrives through."""
    errors: dict[str, Any] = {}
    if data.window_end < data.window_start:
        errors["window_end"] = TARGET_WINDOW_NOT_INTERVAL
    valid_types = set(MeetingType.values)
    types = data.meeting_types
    if not types or len(set(types)) != len(types) or not set(types) <= valid_types:
        errors["meeting_types"] = TARGET_MEETING_TYPES_INVALID
    if data.kind == Target.Kind.QUOTA:
        if data.org_kind is None:
            errors["org_kind"] = TARGET_QUOTA_NEEDS_KIND
        if data.count < 1:
            errors["count"] = TARGET_QUOTA_COUNT
    elif not data.organization.kind.is_cell:
        errors["organization"] = TARGET_DESIGNATED_NOT_CELL
    if errors:
        raise ValidationError(errors)
    parse_rules(data.invitee_rules)


@transaction.atomic
def plan_create(*, actor: Actor | None, data: PlanData) -> Plan:
    """Create a plan with its bases, sections, targets, duties, responsibilities, recipients."""
    if actor is not None:
        scope_require(actor, data.issuer_org, Access.MANAGE)
    if not data.issuer_org.symbol:
        raise ValidationError(PLAN_ISSUER_NO_SYMBOL)
    if data.issuer_body is not None and data.issuer_body.organization_id != data.issuer_org.pk:
        raise ValidationError({"issuer_body": PLAN_BODY_NOT_ISSUER})
    taken = Plan.objects.filter(
        issuer_org=data.issuer_org,
        document_type=data.document_type,
        year=data.year,
        number=data.number,
    ).exists()
    if taken:
        raise ValidationError({"number": str(PLAN_NUMBER_TAKEN).format(year=data.year)})
    for target in data.targets:
        target_validate(target)
    plan = Plan(
        issuer_org=data.issuer_org,
        issuer_body=data.issuer_body,
        document_type=data.document_type,
        number=data.number,
        issuer_symbol=data.issuer_org.symbol,
        year=data.year,
        issued_on=data.issued_on,
        place=clean_text(data.place),
        title=clean_text(data.title),
        preamble=data.preamble.strip(),
        signing_capacity=clean_text(data.signing_capacity),
        signer_title=clean_text(data.signer_title),
        signer_name=clean_text(data.signer_name),
        status=data.status,
    )
    plan.full_clean()
    plan.save()
    _create_parts(plan, data)
    return plan


def _create_parts(plan: Plan, data: PlanData) -> None:
    bases: list[LegalBasis] = []
    for order, basis in enumerate(data.bases):
        implements = bases[basis.implements_index] if basis.implements_index is not None else None
        row = LegalBasis(
            plan=plan,
            order=order,
            document_type=basis.document_type,
            number=basis.number,
            issued_on=basis.issued_on,
            issuer=basis.issuer,
            title=basis.title,
            implements=implements,
        )
        row.full_clean()
        row.save()
        bases.append(row)
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, part=part, order=order, heading=heading, body=body)
        for order, (part, heading, body) in enumerate(data.sections)
    )
    targets: list[Target] = []
    for order, target_data in enumerate(data.targets):
        target = Target(
            plan=plan,
            order=order,
            kind=target_data.kind,
            heading=target_data.heading,
            organization=target_data.organization,
            org_kind=target_data.org_kind,
            count=target_data.count,
            meeting_types=target_data.meeting_types,
            allow_same_cell=target_data.allow_same_cell,
            window_start=target_data.window_start,
            window_end=target_data.window_end,
            window_label=target_data.window_label,
            invitee_rules=dump_rules(parse_rules(target_data.invitee_rules)),
            note=target_data.note,
        )
        target.full_clean()
        target.save()
        targets.append(target)
    for order, duty in enumerate(data.duties):
        row_duty = ReportingDuty(
            plan=plan,
            order=order,
            target=targets[duty.target_index] if duty.target_index is not None else None,
            what=duty.what,
            to_body=duty.to_body,
            via_body=duty.via_body,
            deadline=duty.deadline,
            deadline_kind=duty.deadline_kind,
        )
        row_duty.full_clean()
        row_duty.save()
    for order, item in enumerate(data.responsibilities):
        responsibility = Responsibility.objects.create(
            plan=plan, order=order, text=item.text, group=item.group
        )
        responsibility.organizations.set(item.organizations)
        responsibility.bodies.set(item.bodies)
    Recipient.objects.bulk_create(
        Recipient(plan=plan, order=order, text=text) for order, text in enumerate(data.recipients)
    )
