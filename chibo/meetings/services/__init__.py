"""Writes to meetings, and the workflows whose outcome is a meeting."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.meetings.services import invitations, records
from chibo.orgs.scope import Access, Actor, scope_require
from chibo.plans import services as plan_services
from chibo.plans.models import Plan, Registration, Target


def _model_meetings_for_designated(plan: Plan) -> None:
    """One planned model meeting per designated cell and meeting type; never twice."""
    for target in plan.targets.filter(kind=Target.Kind.DESIGNATED):
        for meeting_type in target.meeting_types:
            meeting, was_created = Meeting.objects.get_or_create(
                target=target,
                cell=target.organization,
                meeting_type=meeting_type,
                defaults={
                    "is_model": True,
                    "status": Meeting.Status.PLANNED,
                    "invitee_rules": target.invitee_rules,
                },
            )
            if was_created:
                records.agenda_from_template(meeting)


@transaction.atomic
def plan_issue(*, actor: Actor | None, plan: Plan) -> plan_services.IssueResult:
    """Issue a plan: obligations for its quotas and the designated cells' model meetings."""
    result = plan_services.plan_issue(actor=actor, plan=plan)
    _model_meetings_for_designated(plan)
    return result


@transaction.atomic
def registration_accept(
    *,
    actor: Actor | None,
    registration: Registration,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Registration:
    """Accept a registration and schedule its meetings (or move them, after a correction).

    Meetings of cells no longer on the list are cancelled unless already held.
    """
    plan_services.registration_accept(
        actor=actor, registration=registration, comment=comment, at=at
    )
    target = registration.obligation.target
    kept: list[int] = []
    for item in registration.items.select_related("cell"):
        meeting = Meeting.objects.filter(
            target=target, cell=item.cell, meeting_type=item.meeting_type
        ).first()
        if meeting is None:
            meeting = Meeting.objects.create(
                target=target,
                cell=item.cell,
                meeting_type=item.meeting_type,
                is_model=True,
                obligation=registration.obligation,
                starts_at=item.starts_at,
                venue=item.venue,
                invitee_rules=target.invitee_rules,
                status=Meeting.Status.SCHEDULED,
            )
        elif meeting.status != Meeting.Status.HELD:
            # A corrected list moves the meeting the way the organizer's form does: letters
            # already sent go out again and their invitees are asked anew.
            if meeting.status == Meeting.Status.CANCELLED:
                meeting.status = Meeting.Status.SCHEDULED
            meeting.obligation = registration.obligation
            meeting_schedule(
                actor=None,
                meeting=meeting,
                starts_at=item.starts_at,
                ends_at=_same_length(meeting, item.starts_at),
                venue=item.venue,
            )
        records.agenda_from_template(meeting)
        kept.append(meeting.pk)
    organization = registration.obligation.organization
    dropped = Meeting.objects.filter(
        Q(target=target) & Q(cell__path__startswith=organization.path),
        status__in=[Meeting.Status.PLANNED, Meeting.Status.SCHEDULED],
    ).exclude(pk__in=kept)
    for meeting in dropped:
        meeting_cancel(actor=None, meeting=meeting)
    return registration


def _same_length(meeting: Meeting, starts_at: dt.datetime) -> dt.datetime | None:
    """The end of a moved meeting: as long as it was planned to last."""
    if meeting.starts_at is None or meeting.ends_at is None:
        return None
    return starts_at + (meeting.ends_at - meeting.starts_at)


@transaction.atomic
def meeting_cancel(*, actor: Actor | None, meeting: Meeting) -> Meeting:
    """Call a meeting off; whoever holds a letter for it is told."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(MEETING_ALREADY_HELD)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    invitations.invitations_cancelled(meeting)
    return meeting


MEETING_CANCELLED = _("The meeting was cancelled.")
MEETING_NOT_STARTED = _("The meeting has not taken place yet.")
MEETING_ALREADY_HELD = _("The meeting has already been held.")


@transaction.atomic
def meeting_record_held(
    *,
    actor: Actor | None,
    meeting: Meeting,
    ends_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Meeting:
    """Record that a meeting took place (attendance and minutes come with it later)."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(MEETING_CANCELLED)
    now = at or timezone.now()
    if meeting.starts_at is None or meeting.starts_at > now:
        raise ValidationError(MEETING_NOT_STARTED)
    meeting.status = Meeting.Status.HELD
    if ends_at is not None:
        meeting.ends_at = ends_at
    meeting.full_clean()
    meeting.save(update_fields=["status", "ends_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor | None,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    venue: str,
    topic: str | None = None,
) -> Meeting:
    """Set a meeting's time and place (a designated model meeting, or a move); `topic` None
    keeps the one it has."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(MEETING_CANCELLED)
    moved = (meeting.starts_at, meeting.venue) != (starts_at, venue.strip())
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.venue = venue.strip()
    if topic is not None:
        meeting.topic = topic.strip()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.SCHEDULED
    meeting.full_clean()
    # Whatever else the caller set on the row (meeting_update's fields) is kept in one save.
    meeting.save()
    if moved:
        # Letters already sent carry the old time or place: new versions go out.
        invitations.invitations_reissue(actor=None, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_papers_sent(
    *, actor: Actor | None, meeting: Meeting, at: dt.datetime | None = None
) -> Meeting:
    """Record when the papers reached the members (a day ahead, by the rules of 2025)."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(MEETING_CANCELLED)
    meeting.papers_sent_at = at or timezone.now()
    meeting.save(update_fields=["papers_sent_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor | None,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    venue: str,
    topic: str = "",
    combined: bool = False,
    papers_sent_at: dt.datetime | None = None,
) -> Meeting:
    """The organizer's schedule form: time and place (a move reissues the letters), topic,
    whether regular and thematic share one session, and when the papers reached the members."""
    meeting.combined = combined
    meeting.papers_sent_at = papers_sent_at
    return meeting_schedule(
        actor=actor,
        meeting=meeting,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        topic=topic,
    )
