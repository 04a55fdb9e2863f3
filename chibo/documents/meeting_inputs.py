"""What the meeting documents are made from: a meeting fetched in scope, read into plain data.

Each function takes a meeting (or plan) that a scoped selector already returned and reads only
what hangs off it, so the builders stay free of the database and the scope stays one check.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ, local_today
from chibo.core.errors import NotFound, NotReadyError
from chibo.documents import frame, selectors
from chibo.documents.builders import evaluation as evaluation_builder
from chibo.documents.builders import lessons as lessons_builder
from chibo.documents.builders import letters as letter_builder
from chibo.documents.builders import minutes as minutes_builder
from chibo.documents.builders.registration import MEETING_TYPE_NAMES, moment_text, plan_reference
from chibo.meetings import rules as meeting_rules
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings.models import Attendance, Meeting
from chibo.orgs.models import Organization, Person
from chibo.orgs.scope import Actor
from chibo.plans.document_text import issuer_lines
from chibo.plans.models import Plan


def meeting_content(meeting: Meeting) -> str:
    """What the meeting is about, as a letter says it: its topic, else the plan it carries out,
    else its agenda."""
    if meeting.topic.strip():
        return f"{meeting.topic.strip().rstrip('.')}."
    if meeting.target_id is not None:
        plan = meeting.target.plan  # type: ignore[union-attr]
        return f"Sinh hoạt chi bộ mẫu theo {plan_reference(plan)}."
    titles = [item.title.strip().rstrip(".;") for item in meeting.agenda.all()]
    return "; ".join(titles) + "." if titles else "Sinh hoạt chi bộ định kỳ."


def _inviter(meeting: Meeting, issuer: Organization) -> str:
    """Who "trân trọng kính mời": the body that signs the letters. A plan's issuer inviting to
    a meeting it designated signs as the plan does (Ban Thường vụ …), else the committee."""
    plan = meeting.target.plan if meeting.target_id is not None else None  # type: ignore[union-attr]
    signs_as_plan = plan is not None and plan.issuer_org_id == issuer.pk and plan.signer_name
    body = plan.issuer_body if plan is not None and signs_as_plan else None
    if body is not None and not body.is_advisory:
        return body.name
    return issuer.display_committee


NO_LETTERS = _("No invitation letters have been issued for this meeting yet.")
NO_TIME = _(
    "The meeting's time is not set: set the date and time before making the invitation letters."
)


def letter_batch(
    meeting: Meeting,
) -> tuple[letter_builder.LetterCommon, list[letter_builder.LetterData]]:
    """The meeting's issued letters in register order, with each invited person's title;
    NotReadyError until letters are issued and while the meeting has no time (it was cleared)."""
    letters = list(meeting_selectors.letter_list(meeting=meeting))
    if not letters:
        raise NotReadyError(str(NO_LETTERS))
    if meeting.starts_at is None:
        raise NotReadyError(str(NO_TIME))
    issuer = meeting_rules.letter_issuer(meeting)
    meeting_day = meeting.starts_at.astimezone(LOCAL_TZ).date()
    person_ids = [
        invitation.invitee.person_id
        for letter in letters
        for invitation in letter.invitations.all()
    ]
    titles = selectors.person_titles(person_ids=person_ids, on=meeting_day)
    first_day = letters[0].issued_at.astimezone(LOCAL_TZ).date()
    superior, committee = issuer_lines(issuer)
    common = letter_builder.LetterCommon(
        superior=superior,
        committee=committee,
        place=frame.organization_place(issuer),
        inviter=_inviter(meeting, issuer),
        event=letter_builder.event_text(
            meeting_type=meeting.meeting_type,
            is_model=meeting.is_model,
            cell_name=meeting.cell.name,
        ),
        content=meeting_content(meeting),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        is_model=meeting.is_model,
        signer=selectors.meeting_signer(meeting=meeting, issuer=issuer, on=first_day),
        cell_name=meeting.cell.name,
    )
    batch = []
    for letter in letters:
        people = tuple(
            letter_builder.Invited(
                name=invitation.invitee.person.full_name,
                title=titles.get(invitation.invitee.person_id, ""),
            )
            for invitation in letter.invitations.all()
        )
        dated = letter.reissued_at or letter.issued_at
        batch.append(
            letter_builder.LetterData(
                number_symbol=letter.number_symbol,
                day=dated.astimezone(LOCAL_TZ).date(),
                addressee=letter.addressee,
                people=people,
                is_group=not letter.group_key.startswith("person:"),
                version=letter.version,
            )
        )
    return common, batch


MEMBER = _("Member of the cell")
GUEST = _("Invited guest")
NO_MINUTES = _("The minutes of this meeting have not been written yet.")


def meeting_day(meeting: Meeting) -> dt.date | None:
    return meeting.starts_at.astimezone(LOCAL_TZ).date() if meeting.starts_at else None


def minutes_data(meeting: Meeting) -> minutes_builder.MinutesData:
    """The minutes of a meeting fetched in scope; NotReadyError until they are written."""
    minutes = meeting_selectors.minutes_get(meeting=meeting)
    if minutes is None:
        raise NotReadyError(str(NO_MINUTES))
    summary = meeting_selectors.attendance_summary(meeting=meeting)
    marks = list(selectors.attendance_rows(meeting=meeting))
    day = meeting_day(meeting) or local_today()
    guests = [mark for mark in marks if not mark.is_member and mark.status == "present"]
    people = [mark.person_id for mark in guests]
    if minutes.chair_id is not None:
        people.append(minutes.chair_id)
    titles = selectors.person_titles(person_ids=people, on=day)

    def absent(status: str) -> tuple[minutes_builder.Absent, ...]:
        # The same people the counts take: full members of the cell, not exempted.
        return tuple(
            minutes_builder.Absent(mark.person.full_name, mark.note)
            for mark in marks
            if mark.is_member
            and mark.status == status
            and mark.person.membership == Person.Membership.FULL
            and not mark.person.exempt
        )

    superior, committee = issuer_lines(meeting.cell)
    return minutes_builder.MinutesData(
        superior=superior,
        committee=committee,
        symbol=meeting.cell.symbol or "CB",
        place=frame.organization_place(meeting.cell),
        cell_name=meeting.cell.name,
        meeting_type=meeting.meeting_type,
        is_model=meeting.is_model,
        topic=meeting.topic.strip().rstrip("."),
        opened_at=minutes.opened_at or meeting.starts_at,
        closed_at=minutes.closed_at or meeting.ends_at,
        venue=meeting.venue,
        chair=minutes.chair.full_name if minutes.chair else "",
        chair_title=titles.get(minutes.chair_id, "") if minutes.chair_id else "",
        secretary=minutes.secretary.full_name if minutes.secretary else "",
        members=summary.members,
        called=summary.called,
        present=summary.present,
        excused=absent("excused"),
        unexcused=absent("absent"),
        rate_percent=summary.rate_percent,
        probationary_present=summary.probationary_present,
        guests=tuple(
            f"{mark.person.full_name}, {titles[mark.person_id]}"
            if mark.person_id in titles
            else mark.person.full_name
            for mark in guests
        ),
        proceedings=tuple(
            minutes_builder.Proceeding(
                item=str(step.get("item", "")).strip(),
                content=str(step.get("content", "")),
                opinions=str(step.get("opinions", "")),
            )
            for step in minutes.proceedings
            if isinstance(step, dict) and str(step.get("item", "")).strip()
        ),
        conclusion=minutes.conclusion,
        resolution=minutes.resolution,
        votes_for=minutes.votes_for,
        votes_against=minutes.votes_against,
        votes_abstain=minutes.votes_abstain,
    )


NO_EVALUATIONS = _("Nobody has evaluated this meeting yet.")


def _meeting_text(meeting: Meeting) -> str:
    kind = MEETING_TYPE_NAMES.get(meeting.meeting_type, "Sinh hoạt")
    text = f"{kind}{' mẫu' if meeting.is_model else ''}"
    if meeting.starts_at is not None:
        text += f", {moment_text(meeting.starts_at)}"
    if meeting.venue:
        text += f", tại {meeting.venue}"
    return text


def evaluation_batch(meeting: Meeting) -> list[evaluation_builder.EvaluationData]:
    """Every evaluation of a meeting fetched in scope, each as its scoring sheet; NotReadyError
    before the first."""
    evaluations = list(meeting_selectors.evaluation_list(meeting=meeting))
    if not evaluations:
        raise NotReadyError(str(NO_EVALUATIONS))
    day = meeting_day(meeting) or local_today()
    fallback = meeting_rules.letter_issuer(meeting)
    batch = []
    for evaluation in evaluations:
        body = evaluation.observer_body
        organization = body.organization if body is not None else fallback
        superior, committee = issuer_lines(organization, body)
        scores = tuple(
            evaluation_builder.ScoreLine(
                criterion=score.criterion.name,
                max_score=score.criterion.max_score,
                score=score.score,
                comment=score.comment,
            )
            for score in evaluation.scores.all()
        )
        batch.append(
            evaluation_builder.EvaluationData(
                superior=superior,
                committee=committee,
                place=frame.organization_place(organization),
                day=day,
                cell_name=meeting.cell.name,
                meeting_text=_meeting_text(meeting),
                observer=evaluation.observer.full_name,
                observer_for=body.name if body is not None else "",
                scores=scores,
                total=evaluation.total,
                rating=evaluation.rating.name,
                strengths=evaluation.strengths,
                shortcomings=evaluation.shortcomings,
                lessons=evaluation.lessons,
            )
        )
    return batch


def lessons_data(*, actor: Actor | None, plan: Plan) -> lessons_builder.LessonsData:
    """The lessons report of a plan fetched in scope: the ratings the actor may see, and the
    Board's summary (or the lessons by criterion before it is written).

    The report is the Board's, on every meeting of the plan: whoever may not read its summary
    (a commune secretary) gets NotFound rather than a report with parts cut out.
    """
    if not meeting_selectors.lessons_summary_readable(actor=actor, plan=plan):
        raise NotFound()
    evaluations = list(meeting_selectors.plan_evaluations(actor=actor, plan=plan))
    summary = meeting_selectors.lessons_summary_get(actor=actor, plan=plan)
    issuer = plan.issuer_org
    board = selectors.board_of(organization=issuer)
    superior, committee = issuer_lines(issuer, board)
    day = summary.updated_at.astimezone(LOCAL_TZ).date() if summary is not None else local_today()
    ratings = []
    comments: list[tuple[str, str]] = []
    for evaluation in evaluations:
        meeting = evaluation.meeting
        observer = evaluation.observer.full_name
        if evaluation.observer_body is not None:
            observer += f", {evaluation.observer_body.name}"
        ratings.append(
            lessons_builder.RatingRow(
                cell_name=meeting.cell.name,
                meeting_type=MEETING_TYPE_NAMES.get(meeting.meeting_type, meeting.meeting_type)
                .removeprefix("Sinh hoạt ")
                .capitalize(),
                day=meeting_day(meeting),
                observer=observer,
                total=evaluation.total,
                rating=evaluation.rating.name,
            )
        )
        comments += [
            (score.criterion.name, f"{meeting.cell.name}: {score.comment}")
            for score in evaluation.scores.all()
            if score.comment.strip()
        ]
    criteria = [criterion.name for criterion in meeting_selectors.criterion_list()]
    standing_office = f"Thường trực {issuer.display_committee}"
    return lessons_builder.LessonsData(
        superior=superior,
        committee=committee,
        symbol=(board.symbol if board is not None and board.symbol else issuer.symbol) or "BTC",
        place=plan.place or frame.organization_place(issuer),
        day=day,
        board_name=board.name if board is not None else issuer.display_committee,
        addressee=standing_office,
        plan_reference=plan_reference(plan),
        plan_year=plan.year,
        ratings=tuple(ratings),
        summary=summary.body if summary is not None else "",
        by_criterion=lessons_builder.criterion_lessons(criteria, comments),
        signer=(
            selectors.board_signer(board=board, on=day)
            if board is not None
            else selectors.committee_signer(organization=issuer, on=day)
        ),
    )


def invitee_rows(meeting: Meeting) -> tuple[list[list[object]], list[int]]:
    """One row per person of a meeting fetched in scope (members first, then guests), and the
    indexes of those absent without reason."""
    people = meeting_selectors.attendance_people(meeting=meeting)
    invitees = {row.person_id: row for row in meeting_selectors.invitee_list(meeting=meeting)}
    day = meeting_day(meeting) or local_today()
    titles = selectors.person_titles(person_ids=[person.pk for person, *_rest in people], on=day)
    rows: list[list[object]] = []
    red: list[int] = []
    for number, (person, mark, is_member) in enumerate(people, start=1):
        invitee = invitees.get(person.pk)
        # A reverse one-to-one that is missing raises: getattr with a default is the test.
        invitation = getattr(invitee, "invitation", None) if invitee is not None else None
        letter = invitation.letter if invitation is not None else None
        if mark is not None and mark.status == Attendance.Status.ABSENT:
            red.append(number - 1)
        rows.append(
            [
                number,
                person.full_name,
                titles.get(person.pk, ""),
                str(MEMBER if is_member else GUEST),
                "; ".join(invitee.reason_texts) if invitee is not None else "",
                letter.number_symbol if letter is not None else "",
                letter.issued_at if letter is not None else None,
                invitation.get_response_display() if invitation is not None else "",
                invitation.response_reason if invitation is not None else "",
                mark.get_status_display() if mark is not None else "",
                mark.note if mark is not None else "",
            ]
        )
    return rows, red
