"""Who may do what to a meeting. Each answer is also enforced by the service that acts."""

from chibo.core.dates import local_today
from chibo.meetings.models import Meeting
from chibo.orgs.models import Assignment, Body, Organization, Position, active_on
from chibo.orgs.scope import Access, Actor, scope_for


def letter_issuer(meeting: Meeting) -> Organization:
    """The committee whose register numbers the meeting's letters.

    A commune's model meeting: the commune's committee; a designated cell's: the plan's issuer
    ("Có giấy mời cụ thể sau"); any other meeting: the cell itself.
    """
    if meeting.obligation_id is not None:
        return meeting.obligation.organization  # type: ignore[union-attr]
    if meeting.target_id is not None:
        return meeting.target.plan.issuer_org  # type: ignore[union-attr]
    return meeting.cell


def can_organize(actor: Actor | None, meeting: Meeting) -> bool:
    """The cell's secretary, its committee's secretaries, the Organization Board above it."""
    return scope_for(actor).allows(meeting.cell, Access.ACT)


def can_issue_letters(actor: Actor | None, meeting: Meeting) -> bool:
    return scope_for(actor).allows(letter_issuer(meeting), Access.ACT)


def observer_body(actor: Actor | None, meeting: Meeting) -> Body | None | bool:
    """The body an actor evaluates a model meeting for, True for the member in charge, or
    False when they may not evaluate it.

    Observers: the team assigned to follow the committee, the Organization Board of the plan's
    issuer, and the executive committee member in charge of the committee.
    """
    if actor is None or not meeting.is_model:
        return False
    person_id = actor.person_id
    today = local_today()
    followed = meeting.obligation.organization if meeting.obligation_id else meeting.cell  # type: ignore[union-attr]
    ancestors = [followed.path[:end] for end in range(4, len(followed.path) + 1, 4)]
    if person_id is not None:
        team = (
            Body.objects.filter(
                kind=Body.Kind.TEAM,
                assignments__organization__path__in=ancestors,
                assignments__kind=Assignment.Kind.FOLLOWS,
                positions__person_id=person_id,
            )
            .filter(active_on(today, "positions__start_on", "positions__end_on"))
            .first()
        )
        if team is not None:
            return team
        in_charge = Assignment.objects.filter(
            active_on(today),
            kind=Assignment.Kind.IN_CHARGE,
            person_id=person_id,
            organization__path__in=ancestors,
        ).exists()
        if in_charge:
            return True
    if meeting.target_id is not None:
        issuer = meeting.target.plan.issuer_org  # type: ignore[union-attr]
        if scope_for(actor).allows(issuer, Access.MANAGE):
            board = Body.objects.filter(
                organization=issuer, kind=Body.Kind.ORGANIZATION_BOARD
            ).first()
            if person_id is not None:
                posted = Position.objects.filter(
                    active_on(today), person_id=person_id, body__kind=Body.Kind.ORGANIZATION_BOARD
                ).first()
                if posted is not None:
                    return posted.body
            return board
    return False


def can_evaluate(actor: Actor | None, meeting: Meeting) -> bool:
    return (
        observer_body(actor, meeting) is not False and getattr(actor, "person_id", None) is not None
    )
