"""Reads of meetings, always through the actor's scope."""

import dataclasses
import datetime as dt
from typing import cast

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from chibo.core.dates import LOCAL_TZ
from chibo.core.errors import NotFound
from chibo.core.search import search_q
from chibo.meetings import rules
from chibo.meetings.attendance_rules import (
    AttendanceSummary,
    MemberAttendance,
    ScheduleWarnings,
    schedule_warnings,
    summarize,
)
from chibo.meetings.models import (
    Attendance,
    Criterion,
    Evaluation,
    Invitation,
    InvitationLetter,
    Invitee,
    LessonsSummary,
    Meeting,
    MeetingRules,
    Minutes,
    MinutesAttachment,
)
from chibo.orgs.invitees import ResolvedInvitee, resolve
from chibo.orgs.models import Organization, Person
from chibo.orgs.scope import Access, Actor, scope_for
from chibo.plans.models import Plan


def meeting_list(
    *,
    actor: Actor | None,
    plan_id: int | None = None,
    org_id: int | None = None,
    status: str = "",
    include_invited: bool = False,
) -> QuerySet[Meeting]:
    """Meetings of cells in scope; `org_id` keeps those of one organization's subtree.

    `include_invited` adds the meetings elsewhere in the tree the actor holds a letter for.
    """
    scope = scope_for(actor)
    visible = scope.q(Access.READ, "cell__path")
    person_id = getattr(actor, "person_id", None)
    # An unrestricted scope is an empty Q: OR-ing it with anything would narrow it.
    if include_invited and person_id is not None and not scope.unrestricted:
        invited = Meeting.objects.filter(
            invitees__person_id=person_id,
            invitees__removed=False,
            invitees__invitation__isnull=False,
        )
        visible |= Q(pk__in=invited.values("pk"))
    queryset = Meeting.objects.filter(visible)
    if plan_id is not None:
        queryset = queryset.filter(target__plan_id=plan_id)
    if org_id is not None:
        organization = scope_for(actor).filter(Organization.objects.filter(pk=org_id)).first()
        if organization is None:
            return Meeting.objects.none()
        queryset = queryset.filter(cell__path__startswith=organization.path)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(
        "cell__parent", "target__plan", "obligation__organization"
    ).order_by("starts_at", "pk")


def meeting_get(*, actor: Actor | None, meeting_id: int) -> Meeting:
    meeting: Meeting | None = (
        scope_for(actor)
        .filter(Meeting.objects.all(), Access.READ, "cell__path")
        .select_related("cell__parent", "target__plan__issuer_org", "obligation__organization")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_get_to_organize(*, actor: Actor | None, meeting_id: int) -> Meeting:
    """A meeting the actor organizes (act scope on its cell), else NotFound as for any other:
    the fetch before an organizer's form is read, so a reader's post is refused first."""
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    if not rules.can_organize(actor, meeting):
        raise NotFound()
    return meeting


def meeting_get_to_invite(*, actor: Actor | None, meeting_id: int) -> Meeting:
    """A meeting whose invitees and letters the actor keeps (act scope on the committee whose
    register numbers its letters), else NotFound as for any other."""
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    if not rules.can_issue_letters(actor, meeting):
        raise NotFound()
    return meeting


def meeting_get_as_invitee(*, actor: Actor | None, meeting_id: int) -> Meeting:
    """A meeting the actor holds a letter for, wherever it lies in the tree.

    A guest from outside the organizer's subtree (a speaker from another commune, a provincial
    observer) must be able to open the meeting they are invited to and answer; they see only
    what the letter tells them, so callers show them the guest view, never the records.
    """
    person_id = getattr(actor, "person_id", None)
    meeting: Meeting | None = None
    if person_id is not None:
        meeting = (
            Meeting.objects.filter(
                pk=meeting_id,
                invitees__person_id=person_id,
                invitees__removed=False,
                invitees__invitation__isnull=False,
            )
            .select_related("cell__parent", "target__plan__issuer_org", "obligation__organization")
            .first()
        )
    if meeting is None:
        raise NotFound()
    return meeting


def invitee_list(*, meeting: Meeting, include_removed: bool = False) -> QuerySet[Invitee]:
    queryset = meeting.invitees.select_related("person__home_cell", "invitation__letter").order_by(
        "person__sort_key", "pk"
    )
    if not include_removed:
        queryset = queryset.filter(removed=False)
    return queryset


def meeting_relative_orgs(meeting: Meeting) -> dict[str, Organization]:
    relative = {"@cell": meeting.cell}
    if meeting.obligation_id is not None:
        relative["@obligated"] = meeting.obligation.organization  # type: ignore[union-attr]
    return relative


def invitees_resolved(meeting: Meeting) -> list[ResolvedInvitee]:
    """The people the meeting's rules name on its day (the list is not written)."""
    moment = meeting.starts_at or timezone.now()
    day = moment.astimezone(LOCAL_TZ).date()
    return resolve(meeting.invitee_rules, relative=meeting_relative_orgs(meeting), on=day)


def invitee_list_or_preview(*, meeting: Meeting) -> list[Invitee]:
    """The stored list, or before one exists, what the rules would give (rows not saved)."""
    if meeting.invitees.exists():
        return list(invitee_list(meeting=meeting))
    return [
        Invitee(
            meeting=meeting,
            person=entry.person,
            reasons=[{"rule": reason.rule, "text": reason.text} for reason in entry.reasons],
            source=Invitee.Source.RULES,
        )
        for entry in invitees_resolved(meeting)
    ]


def attendance_people(*, meeting: Meeting) -> list[tuple[Person, Attendance | None, bool]]:
    """Members of the cell, then invited guests, each with their mark (or None) and whether
    they are a member: the list the secretary taps through on the day."""
    marks = {row.person_id: row for row in meeting.attendance.all()}
    members = list(Person.objects.filter(home_cell=meeting.cell).order_by("sort_key", "pk"))
    member_ids = {person.pk for person in members}
    guests = [
        invitee.person
        for invitee in invitee_list(meeting=meeting)
        if invitee.person_id not in member_ids
    ]
    return [(p, marks.get(p.pk), True) for p in members] + [
        (p, marks.get(p.pk), False) for p in guests
    ]


def attendance_summary(*, meeting: Meeting) -> AttendanceSummary:
    marks = dict(meeting.attendance.values_list("person_id", "status"))
    members = Person.objects.filter(home_cell=meeting.cell).values_list(
        "pk", "membership", "exempt"
    )
    rows = [
        MemberAttendance(
            full_member=membership == Person.Membership.FULL,
            exempt=exempt,
            status=marks.get(pk),
        )
        for pk, membership, exempt in members
    ]
    return summarize(rows, MeetingRules.current().attendance_good_percent)


def meeting_warnings(*, meeting: Meeting) -> ScheduleWarnings:
    rules = MeetingRules.current()
    return schedule_warnings(
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        combined=meeting.combined,
        papers_sent_at=meeting.papers_sent_at,
        min_minutes=rules.min_minutes,
        min_minutes_combined=rules.min_minutes_combined,
        papers_days_ahead=rules.papers_days_ahead,
        now=timezone.now(),
        window=(meeting.target.window_start, meeting.target.window_end) if meeting.target else None,
    )


@dataclasses.dataclass(frozen=True)
class Conflict:
    person: Person
    other: Meeting


def invitee_conflicts(*, meeting: Meeting) -> list[Conflict]:
    """Invitees of this meeting invited to another meeting that overlaps it in time.

    A meeting with no end is taken to last the shortest allowed time.
    """
    if meeting.starts_at is None:
        return []
    rules = MeetingRules.current()
    default_length = dt.timedelta(minutes=rules.min_minutes)
    ends_at = meeting.ends_at or meeting.starts_at + default_length
    people = meeting.invitees.filter(removed=False).values("person_id")
    others = (
        Invitee.objects.filter(person_id__in=people, removed=False)
        .exclude(meeting=meeting)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .filter(
            meeting__starts_at__lt=ends_at,
            meeting__starts_at__gt=meeting.starts_at - dt.timedelta(hours=12),
        )
        .select_related("person", "meeting__cell")
    )
    conflicts = []
    for row in others:
        other = row.meeting
        other_start = cast(dt.datetime, other.starts_at)  # the filter is on it
        other_end = other.ends_at or other_start + default_length
        if other_start < ends_at and meeting.starts_at < other_end:
            conflicts.append(Conflict(person=row.person, other=other))
    return conflicts


def evaluation_list(*, meeting: Meeting) -> QuerySet[Evaluation]:
    # The body's organization and its parent head each evaluation sheet (issuer_lines).
    return meeting.evaluations.select_related(
        "observer", "observer_body__organization__parent", "rating"
    ).prefetch_related("scores__criterion")


def plan_evaluations(*, actor: Actor | None, plan: Plan) -> QuerySet[Evaluation]:
    """Evaluations of the plan's meetings that lie in the actor's scope."""
    return (
        scope_for(actor)
        .filter(
            Evaluation.objects.filter(meeting__target__plan=plan),
            Access.READ,
            "meeting__cell__path",
        )
        .select_related("meeting__cell", "rating", "observer", "observer_body")
        .prefetch_related("scores__criterion")
        .order_by("meeting__starts_at", "pk")
    )


def lessons_summary_readable(*, actor: Actor | None, plan: Plan) -> bool:
    """The Board's summary speaks of every meeting of the plan: only those who read the
    issuing committee itself see it. A commune secretary reads the plan and the ratings of
    their own meetings, not the report on everyone's."""
    return scope_for(actor).allows(plan.issuer_org, Access.READ)


def lessons_summary_get(*, actor: Actor | None, plan: Plan) -> LessonsSummary | None:
    """The plan's summary, or None when there is none yet or the actor may not read it."""
    if not lessons_summary_readable(actor=actor, plan=plan):
        return None
    return LessonsSummary.objects.filter(plan=plan).first()


# --- Reads behind the meeting pages (the meeting itself comes from meeting_get) ---------------


def invitee_get(*, meeting: Meeting, invitee_id: int) -> Invitee:
    invitee = meeting.invitees.select_related("person").filter(pk=invitee_id).first()
    if invitee is None:
        raise NotFound()
    return invitee


# A search box shows a page of names, not a district's roll.
CANDIDATES_SHOWN = 20


def invitee_candidates(*, actor: Actor | None, meeting: Meeting, query: str) -> QuerySet[Person]:
    """Party members in the actor's scope matching a name (diacritics optional), not yet listed."""
    listed = meeting.invitees.filter(removed=False).values("person_id")
    return (
        scope_for(actor)
        .filter(Person.objects.filter(search_q(query)), Access.READ, "home_cell__path")
        .exclude(pk__in=listed)
        .select_related("home_cell")
        .order_by("sort_key", "pk")[:CANDIDATES_SHOWN]
    )


def invitee_candidate_get(*, actor: Actor | None, person_id: int) -> Person:
    person: Person | None = (
        scope_for(actor)
        .filter(Person.objects.filter(pk=person_id), Access.READ, "home_cell__path")
        .first()
    )
    if person is None:
        raise NotFound()
    return person


def letter_list(*, meeting: Meeting) -> QuerySet[InvitationLetter]:
    """The meeting's letters in register order, with each invitee's answer.

    A letter stands for the invitees still on the list: someone removed after it went out is
    no longer invited, and a letter left with nobody is not counted, printed or sent again.
    """
    invitations = (
        Invitation.objects.filter(invitee__removed=False)
        .select_related("invitee__person")
        .order_by("invitee__person__sort_key", "pk")
    )
    with_answers = Prefetch("invitations", queryset=invitations)
    return (
        meeting.letters.filter(pk__in=invitations.values("letter_id"))
        .prefetch_related(with_answers)
        .order_by("number", "pk")
    )


def invitation_of(*, actor: Actor | None, meeting: Meeting) -> Invitation | None:
    """The actor's own invitation to the meeting, if they were sent one."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return None
    return (
        Invitation.objects.filter(
            invitee__meeting=meeting, invitee__person_id=person_id, invitee__removed=False
        )
        .select_related("letter")
        .first()
    )


def minutes_exist(*, meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting).exists()


def minutes_get(*, meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "secretary")
        .prefetch_related("attachments")
        .first()
    )


def attachment_get(*, meeting: Meeting, attachment_id: int) -> MinutesAttachment:
    """A scanned page of the minutes of a meeting the caller already fetched in scope."""
    attachment = MinutesAttachment.objects.filter(
        minutes__meeting=meeting, pk=attachment_id
    ).first()
    if attachment is None:
        raise NotFound()
    return attachment


def criterion_list() -> QuerySet[Criterion]:
    return Criterion.objects.filter(active=True).order_by("order", "pk")


def evaluation_of(*, actor: Actor | None, meeting: Meeting) -> Evaluation | None:
    """The actor's own evaluation of the meeting, with its scores."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return None
    return (
        meeting.evaluations.filter(observer_id=person_id)
        .select_related("rating")
        .prefetch_related("scores__criterion")
        .first()
    )
