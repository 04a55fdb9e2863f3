"""Observers' evaluations of model meetings, and the plan's lessons-learned summary."""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.dates import LOCAL_TZ, format_date
from chibo.core.errors import NotFound
from chibo.meetings import rules
from chibo.meetings.models import (
    Criterion,
    Evaluation,
    EvaluationScore,
    LessonsSummary,
    Meeting,
    RatingLevel,
)
from chibo.orgs.models import Body, Person
from chibo.orgs.scope import Access, Actor, scope_require
from chibo.plans.models import MeetingType, Plan

EVALUATION_NOT_HELD = gettext_lazy("A meeting is evaluated once it has been held.")
EVALUATION_CRITERIA = gettext_lazy("Score every criterion: {missing}.")
EVALUATION_SCORE_RANGE = gettext_lazy("The score of “{criterion}” must be between 0 and {max}.")
EVALUATION_NEEDS_PERSON = gettext_lazy("Only an account linked to a party member can evaluate.")
NO_RATING_LEVELS = gettext_lazy(
    "No rating levels are set up: an administrator must add them before meetings are evaluated."
)


@dataclasses.dataclass(frozen=True)
class ScoreData:
    criterion_code: str
    score: int
    comment: str = ""


def rating_for(total: int) -> RatingLevel:
    level = RatingLevel.objects.filter(min_score__lte=total).order_by("-min_score").first()
    if level is None:  # an administrator removed the lowest level
        level = RatingLevel.objects.order_by("min_score").first()
    if level is None:  # none left at all
        raise ValidationError(NO_RATING_LEVELS)
    return level


@transaction.atomic
def evaluation_submit(
    *,
    actor: Actor | None,
    meeting: Meeting,
    scores: list[ScoreData],
    strengths: str = "",
    shortcomings: str = "",
    lessons: str = "",
    observer: Person | None = None,
    observer_body: Body | None = None,
) -> Evaluation:
    """An observer scores each criterion with a comment; the rating follows from the total.

    Submitting again replaces the same observer's evaluation. System jobs (no actor, such as
    the demo) name the observer and the body they observed for.
    """
    if actor is None:
        body: Body | bool | None = observer_body
        person_id = observer.pk if observer else None
    else:
        body = rules.observer_body(actor, meeting)
        if body is False:
            raise NotFound()
        person_id = actor.person_id
    if person_id is None:
        raise ValidationError(EVALUATION_NEEDS_PERSON)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(EVALUATION_NOT_HELD)
    criteria = {criterion.code: criterion for criterion in Criterion.objects.filter(active=True)}
    given = {score.criterion_code: score for score in scores}
    missing = [criterion.name for code, criterion in criteria.items() if code not in given]
    if missing:
        raise ValidationError(
            {"scores": str(EVALUATION_CRITERIA).format(missing=", ".join(missing))}
        )
    problems = [
        str(EVALUATION_SCORE_RANGE).format(
            criterion=criteria[code].name, max=criteria[code].max_score
        )
        for code, score in given.items()
        if code in criteria and not 0 <= score.score <= criteria[code].max_score
    ]
    if problems:
        raise ValidationError({"scores": problems})
    total = sum(given[code].score for code in criteria)
    evaluation, _created = Evaluation.objects.update_or_create(
        meeting=meeting,
        observer_id=person_id,
        defaults={
            "observer_body": body if not isinstance(body, bool) else None,
            "total": total,
            "rating": rating_for(total),
            "strengths": strengths.strip(),
            "shortcomings": shortcomings.strip(),
            "lessons": lessons.strip(),
            "written_by_id": getattr(actor, "pk", None),
        },
    )
    evaluation.scores.all().delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=evaluation,
            criterion=criteria[code],
            score=given[code].score,
            comment=given[code].comment.strip(),
        )
        for code in criteria
    )
    return evaluation


def _lessons_text(plan: Plan) -> str:
    """The summary's first draft: the ratings table, then every lesson by criterion."""
    evaluations = list(
        Evaluation.objects.filter(meeting__target__plan=plan)
        .select_related("meeting__cell", "rating", "observer", "observer_body")
        .prefetch_related("scores__criterion")
        .order_by("meeting__starts_at", "meeting__cell__sort_key", "pk")
    )
    lines = [
        _("LESSONS LEARNED FROM THE MODEL MEETINGS OF PLAN {number}").format(
            number=plan.number_symbol
        ),
        "",
        _("I. RATINGS"),
    ]
    for index, evaluation in enumerate(evaluations, start=1):
        meeting = evaluation.meeting
        day = (
            format_date(meeting.starts_at.astimezone(LOCAL_TZ).date()) if meeting.starts_at else ""
        )
        observer = evaluation.observer.full_name
        if evaluation.observer_body:
            observer = f"{observer}, {evaluation.observer_body.name}"
        kind = MeetingType(meeting.meeting_type).label.lower()
        lines.append(
            f"{index}. {meeting.cell.name} ({kind}, {day}): "
            f"{evaluation.total}/100 – {evaluation.rating.name} ({observer})"
        )
    lines += ["", _("II. LESSONS BY CRITERION")]
    for criterion in Criterion.objects.filter(active=True):
        lines.append(criterion.name)
        # Two observers who saw the same thing wrote it twice: the Standing Committee reads it once.
        comments = dict.fromkeys(
            f"- {evaluation.meeting.cell.name}: {score.comment.strip()}"
            for evaluation in evaluations
            for score in evaluation.scores.all()
            if score.criterion_id == criterion.pk and score.comment.strip()
        )
        lines += comments
    lines += ["", _("III. STRENGTHS, SHORTCOMINGS AND LESSONS")]
    for evaluation in evaluations:
        for label, text in (
            (_("Strengths"), evaluation.strengths),
            (_("Shortcomings"), evaluation.shortcomings),
            (_("Lessons"), evaluation.lessons),
        ):
            if text:
                lines.append(f"- {evaluation.meeting.cell.name} – {label}: {text}")
    return "\n".join(lines)


@transaction.atomic
def lessons_summary_prefill(*, actor: Actor | None, plan: Plan) -> LessonsSummary:
    """Start (or restart, while still a draft) the summary from every evaluation."""
    if actor is not None:
        scope_require(actor, plan.issuer_org, Access.MANAGE)
    summary, created = LessonsSummary.objects.get_or_create(
        plan=plan,
        defaults={"body": _lessons_text(plan), "written_by_id": getattr(actor, "pk", None)},
    )
    if not created and summary.status == LessonsSummary.Status.DRAFT:
        summary.body = _lessons_text(plan)
        summary.save(update_fields=["body", "updated_at"])
    return summary


@transaction.atomic
def lessons_summary_save(
    *, actor: Actor | None, summary: LessonsSummary, body: str, final: bool = False
) -> LessonsSummary:
    if actor is not None:
        scope_require(actor, summary.plan.issuer_org, Access.MANAGE)
    summary.body = body.strip()
    summary.status = LessonsSummary.Status.FINAL if final else LessonsSummary.Status.DRAFT
    summary.written_by_id = getattr(actor, "pk", None)
    summary.full_clean()
    summary.save()
    return summary
