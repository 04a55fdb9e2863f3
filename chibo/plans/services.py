"""Writes to plans, with their rules."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ, DeadlineKind, format_date, is_on_time, shift_years
from chibo.core.text import clean_text
from chibo.orgs.invitees import dump_rules, parse_rules
from chibo.orgs.models import Body, Organization, OrgKind, Person
from chibo.orgs.scope import Access, Actor, scope_require
from chibo.plans import notices
from chibo.plans.models import (
    TARGET_QUOTA_NEEDS_KIND,
    TARGET_WINDOW_NOT_INTERVAL,
    LegalBasis,
    MeetingType,
    Obligation,
    Plan,
    PlanSection,
    Recipient,
    Registration,
    RegistrationItem,
    RegistrationVersion,
    ReportingDuty,
    Responsibility,
    Target,
)

PLAN_NUMBER_TAKEN = _("The committee already used this plan number in {year}.")
TARGET_MEETING_TYPES_INVALID = _("Meeting types must be regular or thematic, each at most once.")
TARGET_QUOTA_COUNT = _("The number of cells to choose must be at least 1.")
TARGET_DESIGNATED_NOT_CELL = _("A designated organization must be a cell.")
PLAN_BODY_NOT_ISSUER = _("The issuing body must belong to the issuing committee.")
PLAN_ISSUER_NO_SYMBOL = _("The issuing committee has no document symbol yet.")


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
    signer: Person | None = None
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


def _require_number_free(
    issuer: Organization, document_type: str, year: int, number: int, other_than: Plan | None = None
) -> None:
    """A committee numbers each type of document once a year (the database says so too; this
    says it under the number field, in words)."""
    taken = Plan.objects.filter(
        issuer_org=issuer, document_type=document_type, year=year, number=number
    )
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise ValidationError({"number": str(PLAN_NUMBER_TAKEN).format(year=year)})


@transaction.atomic
def plan_create(*, actor: Actor | None, data: PlanData) -> Plan:
    """Create a plan with its bases, sections, targets, duties, responsibilities, recipients."""
    if actor is not None:
        scope_require(actor, data.issuer_org, Access.MANAGE)
    if not data.issuer_org.symbol:
        raise ValidationError(PLAN_ISSUER_NO_SYMBOL)
    if data.issuer_body is not None and data.issuer_body.organization_id != data.issuer_org.pk:
        raise ValidationError({"issuer_body": PLAN_BODY_NOT_ISSUER})
    _require_number_free(data.issuer_org, data.document_type, data.year, data.number)
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
        signer=data.signer,
        status=data.status,
    )
    plan.full_clean()
    plan.save()
    _create_parts(plan, data)
    return plan


def _create_parts(plan: Plan, data: PlanData) -> None:
    bases = [
        LegalBasis(
            plan=plan,
            order=order,
            document_type=basis.document_type,
            number=basis.number,
            issued_on=basis.issued_on,
            issuer=basis.issuer,
            title=basis.title,
        )
        for order, basis in enumerate(data.bases)
    ]
    for row in bases:
        row.full_clean(exclude=["plan"])
    LegalBasis.objects.bulk_create(bases)
    # The chain is linked once every basis exists, so a basis may name one listed after it.
    for row, basis in zip(bases, data.bases, strict=True):
        if basis.implements_index is not None:
            row.implements = bases[basis.implements_index]
            row.save(update_fields=["implements"])
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


# Issuing and copying ---------------------------------------------------------------------------

PLAN_CLOSED = _("The plan is closed and cannot be issued again.")
PLAN_COPY_YEAR = _("The copy must be for a year other than the original plan's.")


@dataclass
class IssueResult:
    plan: Plan
    obligations_created: int


@transaction.atomic
def plan_issue(*, actor: Actor | None, plan: Plan) -> IssueResult:
    """Issue a plan: every quota target gets one obligation per organization it reaches.

    Safe to repeat after a correction: existing obligations stay, missing ones are added.
    """
    if actor is not None:
        scope_require(actor, plan.issuer_org, Access.MANAGE)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(PLAN_CLOSED)
    created: list[Obligation] = []
    for target in plan.targets.filter(kind=Target.Kind.QUOTA).select_related("organization"):
        duty = target.reporting_duties.order_by("deadline").first()
        reached = Organization.objects.filter(
            path__startswith=target.organization.path,
            kind=target.org_kind,
            valid_to__isnull=True,
        ).exclude(pk=target.organization_id)
        existing = set(target.obligations.values_list("organization_id", flat=True))
        new = [
            Obligation(target=target, organization_id=org_id, duty=duty)
            for org_id in reached.values_list("pk", flat=True)
            if org_id not in existing
        ]
        created += Obligation.objects.bulk_create(new, batch_size=1000)
    if plan.status != Plan.Status.ISSUED:
        plan.status = Plan.Status.ISSUED
        plan.save(update_fields=["status", "updated_at"])
    if actor is not None and created:
        ids = [obligation.pk for obligation in created]
        transaction.on_commit(lambda: notices.plan_issued(_obligations_for_notice(ids)))
    return IssueResult(plan=plan, obligations_created=len(created))


def _obligations_for_notice(ids: list[int]) -> list[Obligation]:
    return list(
        Obligation.objects.filter(pk__in=ids).select_related("organization", "duty", "target__plan")
    )


PLAN_NOT_DRAFT = _("Only a draft can be edited: an issued plan is corrected by a new document.")
PLAN_DATE_OTHER_YEAR = _("The plan is for {year}: its date must fall in that year.")


@dataclass(frozen=True)
class PlanEdit:
    """What the issuer corrects on a draft (a copy for a new year above all): the number and
    date it will carry, its place and title, the signer, and each due window and deadline."""

    number: int
    issued_on: dt.date
    place: str
    title: str
    signer_title: str
    signer_name: str
    windows: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)  # target id
    deadlines: dict[int, dt.date] = field(default_factory=dict)  # reporting duty id


@transaction.atomic
def plan_update(*, actor: Actor | None, plan: Plan, edit: PlanEdit) -> Plan:
    """Correct a draft before it is issued; everything is checked before anything is kept."""
    if actor is not None:
        scope_require(actor, plan.issuer_org, Access.MANAGE)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(PLAN_NOT_DRAFT)
    if edit.issued_on.year != plan.year:
        raise ValidationError({"issued_on": str(PLAN_DATE_OTHER_YEAR).format(year=plan.year)})
    _require_number_free(
        plan.issuer_org, plan.document_type, plan.year, edit.number, other_than=plan
    )
    plan.number = edit.number
    plan.issued_on = edit.issued_on
    plan.place = clean_text(edit.place)
    plan.title = clean_text(edit.title)
    plan.signer_title = clean_text(edit.signer_title)
    plan.signer_name = clean_text(edit.signer_name)
    plan.full_clean()
    plan.save()
    for target in plan.targets.filter(pk__in=edit.windows):
        window = edit.windows[target.pk]
        if window != (target.window_start, target.window_end):
            # "Hoàn thành trong tháng 3/2027" described the old dates: the new ones speak alone.
            target.window_label = ""
        target.window_start, target.window_end = window
        target.full_clean()
        target.save(update_fields=["window_start", "window_end", "window_label"])
    for duty in plan.reporting_duties.filter(pk__in=edit.deadlines):
        duty.deadline = edit.deadlines[duty.pk]
        duty.full_clean()
        duty.save(update_fields=["deadline"])
    return plan


def _replace_year(text: str, old: int, new: int) -> str:
    return text.replace(str(old), str(new))


@transaction.atomic
def plan_copy(*, actor: Actor | None, plan: Plan, year: int) -> Plan:
    """Copy a plan to another year as a draft: every date shifts by the same number of years,
    targets and invitee groups stay, and nothing is owed until the copy is issued."""
    if actor is not None:
        scope_require(actor, plan.issuer_org, Access.MANAGE)
    years = year - plan.year
    if years == 0:
        raise ValidationError({"year": PLAN_COPY_YEAR})
    data = PlanData(
        issuer_org=plan.issuer_org,
        issuer_body=plan.issuer_body,
        document_type=plan.document_type,
        number=plan.number,
        year=year,
        issued_on=shift_years(plan.issued_on, years),
        place=plan.place,
        title=_replace_year(plan.title, plan.year, year),
        preamble=plan.preamble,
        signing_capacity=plan.signing_capacity,
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
        signer=plan.signer,
        status=Plan.Status.DRAFT,
    )
    bases = list(plan.legal_bases.all())
    index = {basis.pk: position for position, basis in enumerate(bases)}
    data.bases = [
        BasisData(
            document_type=basis.document_type,
            number=basis.number,
            issued_on=basis.issued_on,
            issuer=basis.issuer,
            title=basis.title,
            implements_index=index.get(basis.implements_id) if basis.implements_id else None,
        )
        for basis in bases
    ]
    data.sections = [
        (section.part, section.heading, _replace_year(section.body, plan.year, year))
        for section in plan.sections.all()
    ]
    targets = list(plan.targets.select_related("organization__kind", "org_kind"))
    target_index = {target.pk: position for position, target in enumerate(targets)}
    data.targets = [
        TargetData(
            kind=target.kind,
            organization=target.organization,
            meeting_types=list(target.meeting_types),
            window_start=shift_years(target.window_start, years),
            window_end=shift_years(target.window_end, years),
            invitee_rules=list(target.invitee_rules),
            org_kind=target.org_kind,
            count=target.count,
            heading=target.heading,
            window_label=_replace_year(target.window_label, plan.year, year),
            allow_same_cell=target.allow_same_cell,
            note=target.note,
        )
        for target in targets
    ]
    data.duties = [
        DutyData(
            what=duty.what,
            to_body=duty.to_body,
            via_body=duty.via_body,
            deadline=shift_years(duty.deadline, years),
            deadline_kind=duty.deadline_kind,
            target_index=target_index.get(duty.target_id) if duty.target_id else None,
        )
        for duty in plan.reporting_duties.all()
    ]
    data.responsibilities = [
        ResponsibilityData(
            text=_replace_year(item.text, plan.year, year),
            organizations=list(item.organizations.all()),
            bodies=list(item.bodies.all()),
            group=item.group,
        )
        for item in plan.responsibilities.all()
    ]
    data.recipients = [recipient.text for recipient in plan.recipients.all()]
    copy = plan_create(actor=actor, data=data)
    copy.copied_from = plan
    copy.save(update_fields=["copied_from"])
    return copy


# Registrations ---------------------------------------------------------------------------------

REGISTRATION_NOT_EDITABLE = _("Only a registration not yet sent, or returned, can be changed.")
REGISTRATION_NOT_SUBMITTABLE = _("Only a registration not yet sent, or returned, can be sent.")
REGISTRATION_NOT_SUBMITTED = _("Only a sent registration can be reviewed.")
REGISTRATION_PLAN_NOT_ISSUED = _("The plan is not issued, or is closed.")
REGISTRATION_EMPTY = _("The registration has no cells yet.")
REGISTRATION_COUNT = _("Register exactly {count} cells.")
REGISTRATION_TYPES = _("The meeting types must be those the plan asks for: {types}.")
REGISTRATION_CELL_NOT_OWN = _("{cell} is not a cell under {org}.")
REGISTRATION_CELL_CLOSED = _("{cell} has been dissolved.")
REGISTRATION_CELL_TWICE = _("One cell cannot take both meetings ({cell}).")
REGISTRATION_DATE_OUTSIDE = _(
    "The meeting date of {cell} ({day}) is outside the window {start}–{end}."
)
REGISTRATION_VENUE_MISSING = _("The venue of {cell} is missing.")
REGISTRATION_RETURN_NEEDS_COMMENT = _("Returning a registration needs a comment.")
OBLIGATION_NOT_FOUND = _("This organization has nothing to register under the plan.")


REGISTRATION_CELL_BY_ID = _("Cell number {id}")


@dataclass
class ItemData:
    cell_id: int
    meeting_type: str
    starts_at: dt.datetime
    venue: str


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


def registration_items_validate(*, obligation: Obligation, items: list[ItemData]) -> None:
    """Every rule a list and schedule must meet; all problems are reported together."""
    target = obligation.target
    organization = obligation.organization
    problems: list[str] = []
    if not items:
        raise ValidationError({"items": [REGISTRATION_EMPTY]})
    if len(items) != target.count:
        problems.append(str(REGISTRATION_COUNT).format(count=target.count))
    if {item.meeting_type for item in items} != set(target.meeting_types) or not all(
        item.meeting_type in target.meeting_types for item in items
    ):
        labels = ", ".join(str(MeetingType(kind).label).lower() for kind in target.meeting_types)
        problems.append(str(REGISTRATION_TYPES).format(types=labels))
    cells = Organization.objects.filter(
        pk__in=[item.cell_id for item in items], path__startswith=organization.path
    ).select_related("kind")
    own_cells = {cell.pk: cell for cell in cells if cell.kind.is_cell}
    seen: set[int] = set()
    for item in items:
        cell = own_cells.get(item.cell_id)
        # A cell outside the committee is named by its id only: its name is not ours to show.
        label = cell.name if cell else str(REGISTRATION_CELL_BY_ID).format(id=item.cell_id)
        if cell is None:
            problems.append(
                str(REGISTRATION_CELL_NOT_OWN).format(cell=label, org=organization.name)
            )
        elif cell.valid_to is not None:
            problems.append(str(REGISTRATION_CELL_CLOSED).format(cell=label))
        if item.cell_id in seen and not target.allow_same_cell:
            problems.append(str(REGISTRATION_CELL_TWICE).format(cell=label))
        seen.add(item.cell_id)
        day = _local(item.starts_at).date()
        if not target.covers(day):
            problems.append(
                str(REGISTRATION_DATE_OUTSIDE).format(
                    cell=label,
                    day=format_date(day),
                    start=format_date(target.window_start),
                    end=format_date(target.window_end),
                )
            )
        if not item.venue.strip():
            problems.append(str(REGISTRATION_VENUE_MISSING).format(cell=label))
    if problems:
        raise ValidationError({"items": problems})


def _snapshot(registration: Registration) -> list[dict[str, Any]]:
    return [
        {
            "cell": item.cell_id,
            "cell_name": item.cell.name,
            "meeting_type": item.meeting_type,
            "starts_at": item.starts_at.isoformat(),
            "venue": item.venue,
        }
        for item in registration.items.select_related("cell").order_by("starts_at", "pk")
    ]


def _record(
    registration: Registration,
    event: str,
    actor: Actor | None,
    comment: str = "",
    at: dt.datetime | None = None,
) -> None:
    RegistrationVersion.objects.create(
        registration=registration,
        number=registration.version,
        event=event,
        at=at or timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        items=_snapshot(registration),
        comment=comment,
    )


@transaction.atomic
def registration_save(
    *, actor: Actor | None, obligation: Obligation, items: list[ItemData]
) -> Registration:
    """Create or correct a committee's draft list and schedule (not yet sent)."""
    if actor is not None:
        scope_require(actor, obligation.organization, Access.ACT)
    if obligation.target.plan.status != Plan.Status.ISSUED:
        raise ValidationError(REGISTRATION_PLAN_NOT_ISSUED)
    registration, _created = Registration.objects.select_for_update().get_or_create(
        obligation=obligation
    )
    if registration.status not in Registration.EDITABLE_STATUSES:
        raise ValidationError(REGISTRATION_NOT_EDITABLE)
    registration_items_validate(obligation=obligation, items=items)
    registration.items.all().delete()
    RegistrationItem.objects.bulk_create(
        RegistrationItem(
            registration=registration,
            cell_id=item.cell_id,
            meeting_type=item.meeting_type,
            starts_at=_local(item.starts_at),
            venue=clean_text(item.venue),
        )
        for item in items
    )
    registration.save(update_fields=["updated_at"])
    return registration


@transaction.atomic
def registration_submit(
    *, actor: Actor | None, registration: Registration, at: dt.datetime | None = None
) -> Registration:
    """Send the list and schedule up (gửi danh sách, lịch); on time is judged at the first send.

    `at` replays a past submission (the demo, imports of earlier years); it defaults to now.
    """
    obligation = registration.obligation
    if actor is not None:
        scope_require(actor, obligation.organization, Access.ACT)
    if registration.status not in Registration.EDITABLE_STATUSES:
        raise ValidationError(REGISTRATION_NOT_SUBMITTABLE)
    items = [
        ItemData(item.cell_id, item.meeting_type, item.starts_at, item.venue)
        for item in registration.items.all()
    ]
    registration_items_validate(obligation=obligation, items=items)
    now = at or timezone.now()
    if registration.first_submitted_at is None:
        registration.first_submitted_at = now
        duty = obligation.duty
        registration.on_time = (
            is_on_time(now, duty.deadline, DeadlineKind(duty.deadline_kind)) if duty else None
        )
    registration.status = Registration.Status.SUBMITTED
    registration.submitted_at = now
    registration.submitted_by_id = actor.pk if actor is not None else None
    registration.version += 1
    registration.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "on_time",
            "version",
            "updated_at",
        ]
    )
    _record(registration, RegistrationVersion.Event.SUBMITTED, actor, at=now)
    return registration


def _review(
    registration: Registration,
    actor: Actor | None,
    status: str,
    comment: str,
    at: dt.datetime | None,
) -> Registration:
    if actor is not None:
        scope_require(actor, registration.obligation.target.plan.issuer_org, Access.MANAGE)
    if registration.status != Registration.Status.SUBMITTED:
        raise ValidationError(REGISTRATION_NOT_SUBMITTED)
    registration.status = status
    registration.reviewed_at = at or timezone.now()
    registration.reviewed_by_id = actor.pk if actor is not None else None
    registration.review_comment = comment
    registration.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    return registration


@transaction.atomic
def registration_return(
    *,
    actor: Actor | None,
    registration: Registration,
    comment: str,
    at: dt.datetime | None = None,
) -> Registration:
    """Send a registration back for correction, saying why."""
    # Scope before the comment: a reader who may not review hears 404, not "say why".
    if actor is not None:
        scope_require(actor, registration.obligation.target.plan.issuer_org, Access.MANAGE)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": REGISTRATION_RETURN_NEEDS_COMMENT})
    _review(registration, actor, Registration.Status.RETURNED, comment, at)
    _record(registration, RegistrationVersion.Event.RETURNED, actor, comment, at)
    _announce_review(registration, actor, RegistrationVersion.Event.RETURNED)
    return registration


def _announce_review(registration: Registration, actor: Actor | None, event: str) -> None:
    """A person's decision reaches the committee once it is saved (see `notices`)."""
    if actor is not None:
        transaction.on_commit(lambda: notices.registration_reviewed(registration, event))


@transaction.atomic
def registration_accept(
    *,
    actor: Actor | None,
    registration: Registration,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Registration:
    """Accept a registration. Meetings follow from it: see meetings.services."""
    _review(registration, actor, Registration.Status.ACCEPTED, comment.strip(), at)
    _record(registration, RegistrationVersion.Event.ACCEPTED, actor, comment.strip(), at)
    _announce_review(registration, actor, RegistrationVersion.Event.ACCEPTED)
    return registration
