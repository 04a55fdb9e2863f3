"""Meeting endpoints, and the workflows whose outcome is a meeting (issuing, accepting)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from chibo.core.api import InputSchema, ObjectId, Pagination
from chibo.core.errors import NotFound
from chibo.meetings import selectors, services
from chibo.meetings.models import Invitee, Meeting
from chibo.meetings.services import evaluations, invitations, records
from chibo.orgs.scope import request_actor
from chibo.plans import selectors as plan_selectors
from chibo.plans.api import PlanOut, RegistrationOut
from chibo.plans.models import Registration

plans_router = Router(tags=["plans"])
registrations_router = Router(tags=["registrations"])


class PlanIssueOut(Schema):
    plan: PlanOut
    obligations_created: int


class RegistrationAcceptIn(InputSchema):
    comment: str = ""


@plans_router.post("/{plan_id}/issue", response=PlanIssueOut, summary="Issue a plan")
def plan_issue(request: HttpRequest, plan_id: ObjectId) -> dict[str, object]:
    actor = request_actor(request)
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, with_parts=False)
    result = services.plan_issue(actor=actor, plan=plan)
    return {"plan": result.plan, "obligations_created": result.obligations_created}


@registrations_router.post("/{registration_id}/accept", response=RegistrationOut)
def registration_accept(
    request: HttpRequest, registration_id: ObjectId, payload: RegistrationAcceptIn | None = None
) -> Registration:
    actor = request_actor(request)
    registration = plan_selectors.registration_get(actor=actor, registration_id=registration_id)
    comment = payload.comment if payload else ""
    services.registration_accept(actor=actor, registration=registration, comment=comment)
    return plan_selectors.registration_get(actor=actor, registration_id=registration_id)


# Meetings -------------------------------------------------------------------------------------

router = Router(tags=["meetings"])

MINUTES_NOT_WRITTEN = gettext_lazy("The minutes of this meeting have not been written yet.")


class CellRefOut(Schema):
    id: int
    code: str
    name: str


class MeetingOut(Schema):
    id: int
    cell: CellRefOut
    meeting_type: str
    is_model: bool
    topic: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    venue: str
    status: str
    plan: int | None = Field(None, alias="target.plan_id")
    obligation_org: CellRefOut | None = Field(None, alias="obligation.organization")


class AttendanceSummaryOut(Schema):
    members: int
    called: int
    present: int
    excused: int
    unexcused: int
    not_marked: int
    probationary_present: int
    rate_percent: float
    threshold_percent: int
    low_attendance: bool
    has_unexcused: bool
    resolution_can_pass: bool


class WarningsOut(Schema):
    too_short: bool
    planned_minutes: int | None
    min_minutes: int
    papers_late: bool
    outside_window: bool

    @staticmethod
    def resolve_outside_window(warnings: Any) -> bool:
        return warnings.outside_window is not None


class MeetingDetailOut(MeetingOut):
    agenda: list[str]
    attendance: AttendanceSummaryOut
    warnings: WarningsOut

    @staticmethod
    def resolve_agenda(meeting: Meeting) -> list[str]:
        return [item.title for item in meeting.agenda.all()]

    @staticmethod
    def resolve_attendance(meeting: Meeting) -> Any:
        return selectors.attendance_summary(meeting=meeting)

    @staticmethod
    def resolve_warnings(meeting: Meeting) -> Any:
        return selectors.meeting_warnings(meeting=meeting)


class PersonRefOut(Schema):
    id: int
    code: str
    full_name: str


class ReasonOut(Schema):
    text: str
    rule: dict[str, Any]


class InviteeOut(Schema):
    person: PersonRefOut
    reasons: list[ReasonOut]
    source: str
    note: str
    letter: str | None = None
    response: str | None = None

    @staticmethod
    def resolve_letter(invitee: Invitee) -> str | None:
        invitation = getattr(invitee, "invitation", None)
        return invitation.letter.number_symbol if invitation else None

    @staticmethod
    def resolve_response(invitee: Invitee) -> str | None:
        invitation = getattr(invitee, "invitation", None)
        return invitation.response if invitation else None


class LetterOut(Schema):
    id: int
    number: str = Field(alias="number_symbol")
    addressee: str
    version: int
    issued_at: dt.datetime


class InvitationsIssueIn(InputSchema):
    per: Literal["person", "group"] = "person"


class ScheduleIn(InputSchema):
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    venue: str = Field(max_length=255)
    topic: str = Field("", max_length=255)
    combined: bool = False
    papers_sent_at: dt.datetime | None = None


class HeldIn(InputSchema):
    ends_at: dt.datetime | None = None


class RosterRowOut(Schema):
    person: PersonRefOut
    member: bool
    status: str | None
    note: str


class RosterOut(Schema):
    rows: list[RosterRowOut]
    summary: AttendanceSummaryOut


class InvitationAnswerIn(InputSchema):
    response: Literal["attending", "declined"]
    reason: str = Field("", max_length=255)


class InvitationOut(Schema):
    meeting: int = Field(alias="invitee.meeting_id")
    letter: str = Field(alias="letter.number_symbol")
    response: str
    reason: str = Field(alias="response_reason")
    responded_at: dt.datetime | None


class AttendanceIn(InputSchema):
    person: int
    status: Literal["present", "excused", "absent"]
    note: str = ""


class ProceedingIn(InputSchema):
    item: str
    content: str = ""
    opinions: str = ""


class MinutesIn(InputSchema):
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    chair: int | None = None
    secretary: int | None = None
    proceedings: list[ProceedingIn] = []
    conclusion: str = ""
    resolution: str = ""
    votes_for: int | None = Field(None, ge=0)
    votes_against: int | None = Field(None, ge=0)
    votes_abstain: int | None = Field(None, ge=0)


class MinutesOut(Schema):
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    chair: PersonRefOut | None
    secretary: PersonRefOut | None
    proceedings: list[dict[str, str]]
    conclusion: str
    resolution: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    attendance: AttendanceSummaryOut

    @staticmethod
    def resolve_attendance(minutes: Any) -> Any:
        return selectors.attendance_summary(meeting=minutes.meeting)


class ScoreIn(InputSchema):
    criterion: str
    score: int
    comment: str = ""


class EvaluationIn(InputSchema):
    scores: list[ScoreIn]
    strengths: str = ""
    shortcomings: str = ""
    lessons: str = ""


class ScoreOut(Schema):
    criterion: str = Field(alias="criterion.code")
    criterion_name: str = Field(alias="criterion.name")
    score: int
    comment: str


class EvaluationOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    observer: PersonRefOut
    on_behalf_of: str | None = Field(None, alias="observer_body.name")
    total: int
    rating: str = Field(alias="rating.name")
    strengths: str
    shortcomings: str
    lessons: str
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(evaluation: Any) -> list[Any]:
        return list(evaluation.scores.all())


@router.get("", response=list[MeetingOut], summary="Meetings in scope")
@paginate(Pagination)
def meeting_list(
    request: HttpRequest,
    plan: ObjectId | None = None,
    org: ObjectId | None = None,
    status: str = "",
) -> Any:
    return selectors.meeting_list(
        actor=request_actor(request),
        plan_id=plan,
        org_id=org,
        status=status,
        include_invited=True,
    )


@router.get("/{meeting_id}", response=MeetingDetailOut, summary="One meeting")
def meeting_detail(request: HttpRequest, meeting_id: ObjectId) -> Meeting:
    """In scope, or as a guest holding a letter: time, venue, agenda and the counts, no names."""
    actor = request_actor(request)
    try:
        return selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    except NotFound:
        return selectors.meeting_get_as_invitee(actor=actor, meeting_id=meeting_id)


@router.get("/{meeting_id}/invitees", response=list[InviteeOut], summary="Who is invited, and why")
def meeting_invitees(request: HttpRequest, meeting_id: ObjectId) -> list[Invitee]:
    meeting = selectors.meeting_get(actor=request_actor(request), meeting_id=meeting_id)
    return selectors.invitee_list_or_preview(meeting=meeting)


@router.post("/{meeting_id}/invitations/issue", response=list[LetterOut], summary="Issue letters")
def invitations_issue(
    request: HttpRequest, meeting_id: ObjectId, payload: InvitationsIssueIn | None = None
) -> list[Any]:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    per = payload.per if payload else "person"
    return invitations.invitations_issue(actor=actor, meeting=meeting, per=per)


@router.post("/{meeting_id}/answer", response=InvitationOut, summary="Answer my invitation")
def invitation_answer(
    request: HttpRequest, meeting_id: ObjectId, payload: InvitationAnswerIn
) -> Any:
    """The caller answers their own letter; a guest from outside the tree may too."""
    actor = request_actor(request)
    meeting = selectors.meeting_get_as_invitee(actor=actor, meeting_id=meeting_id)
    invitation = selectors.invitation_of(actor=actor, meeting=meeting)
    if invitation is None:
        raise NotFound()
    return invitations.invitation_respond(
        actor=actor, invitation=invitation, response=payload.response, reason=payload.reason
    )


@router.put("/{meeting_id}/schedule", response=MeetingDetailOut, summary="Set time and place")
def meeting_schedule(request: HttpRequest, meeting_id: ObjectId, payload: ScheduleIn) -> Meeting:
    """A move reissues the letters already sent, and their invitees are told."""
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    fields = payload.model_dump()
    if "papers_sent_at" not in payload.model_fields_set:
        fields["papers_sent_at"] = meeting.papers_sent_at  # left out: left as recorded
    return services.meeting_update(actor=actor, meeting=meeting, **fields)


@router.post("/{meeting_id}/held", response=MeetingDetailOut, summary="Record that it was held")
def meeting_held(
    request: HttpRequest, meeting_id: ObjectId, payload: HeldIn | None = None
) -> Meeting:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    ends_at = payload.ends_at if payload else None
    return services.meeting_record_held(actor=actor, meeting=meeting, ends_at=ends_at)


@router.get("/{meeting_id}/attendance", response=RosterOut, summary="Who is called, and marks")
def attendance_roster(request: HttpRequest, meeting_id: ObjectId) -> dict[str, Any]:
    """The cell's members, then the invited guests, each with their mark (or null)."""
    meeting = selectors.meeting_get(actor=request_actor(request), meeting_id=meeting_id)
    rows = [
        {
            "person": person,
            "member": is_member,
            "status": mark.status if mark else None,
            "note": mark.note if mark else "",
        }
        for person, mark, is_member in selectors.attendance_people(meeting=meeting)
    ]
    return {"rows": rows, "summary": selectors.attendance_summary(meeting=meeting)}


@router.post("/{meeting_id}/attendance", response=AttendanceSummaryOut, summary="Mark attendance")
def attendance_record(
    request: HttpRequest, meeting_id: ObjectId, payload: list[AttendanceIn]
) -> Any:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    entries = [records.AttendanceEntry(row.person, row.status, row.note) for row in payload]
    records.attendance_record(actor=actor, meeting=meeting, entries=entries)
    return selectors.attendance_summary(meeting=meeting)


@router.get("/{meeting_id}/minutes", response=MinutesOut, summary="The minutes")
def minutes_read(request: HttpRequest, meeting_id: ObjectId) -> Any:
    meeting = selectors.meeting_get(actor=request_actor(request), meeting_id=meeting_id)
    minutes = selectors.minutes_get(meeting=meeting)
    if minutes is None:
        raise NotFound(str(MINUTES_NOT_WRITTEN))
    return minutes


@router.put("/{meeting_id}/minutes", response=MinutesOut, summary="Write the minutes")
def minutes_save(request: HttpRequest, meeting_id: ObjectId, payload: MinutesIn) -> Any:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    data = records.MinutesData(
        opened_at=payload.opened_at,
        closed_at=payload.closed_at,
        chair_id=payload.chair,
        secretary_id=payload.secretary,
        proceedings=[item.model_dump() for item in payload.proceedings],
        conclusion=payload.conclusion,
        resolution=payload.resolution,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        votes_abstain=payload.votes_abstain,
    )
    return records.minutes_save(actor=actor, meeting=meeting, data=data)


@router.get("/{meeting_id}/evaluations", response=list[EvaluationOut], summary="Evaluations")
def evaluation_list(request: HttpRequest, meeting_id: ObjectId) -> Any:
    meeting = selectors.meeting_get(actor=request_actor(request), meeting_id=meeting_id)
    return selectors.evaluation_list(meeting=meeting)


@router.post(
    "/{meeting_id}/evaluations", response={201: EvaluationOut}, summary="Evaluate a model meeting"
)
def evaluation_submit(
    request: HttpRequest, meeting_id: ObjectId, payload: EvaluationIn
) -> Status[Any]:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    evaluation = evaluations.evaluation_submit(
        actor=actor,
        meeting=meeting,
        scores=[evaluations.ScoreData(s.criterion, s.score, s.comment) for s in payload.scores],
        strengths=payload.strengths,
        shortcomings=payload.shortcomings,
        lessons=payload.lessons,
    )
    return Status(201, evaluation)


class LessonRatingOut(Schema):
    meeting: int
    cell: str
    meeting_type: str
    observer: str
    total: int
    rating: str


class LessonsOut(Schema):
    plan: int
    status: str
    body: str
    ratings: list[LessonRatingOut]


@plans_router.get("/{plan_id}/lessons", response=LessonsOut, summary="Lessons-learned summary")
def plan_lessons(request: HttpRequest, plan_id: ObjectId) -> dict[str, Any]:
    actor = request_actor(request)
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, with_parts=False)
    summary = selectors.lessons_summary_get(actor=actor, plan=plan)
    ratings = [
        {
            "meeting": e.meeting_id,
            "cell": e.meeting.cell.name,
            "meeting_type": e.meeting.meeting_type,
            "observer": e.observer_body.name if e.observer_body else e.observer.full_name,
            "total": e.total,
            "rating": e.rating.name,
        }
        for e in selectors.plan_evaluations(actor=actor, plan=plan)
    ]
    return {
        "plan": plan.pk,
        "status": summary.status if summary else "missing",
        "body": summary.body if summary else "",
        "ratings": ratings,
    }
