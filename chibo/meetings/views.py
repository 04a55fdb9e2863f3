"""Meeting pages, and the page edges of the workflows whose outcome is a meeting (issuing a
plan, accepting a registration: those pages belong to plans; these only act and go back)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.accounts.models import User
from chibo.core.errors import NotFound
from chibo.core.forms import apply_errors
from chibo.meetings import forms, rules, selectors, services
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    InvitationLetter,
    LessonsSummary,
    Meeting,
)
from chibo.meetings.services import evaluations, invitations, records
from chibo.orgs import selectors as org_selectors
from chibo.plans import forms as plan_forms
from chibo.plans import selectors as plan_selectors

PLAN_ISSUED = _("Plan issued: {count} committees now owe a list and schedule.")
REGISTRATION_ACCEPTED = _("Registration accepted: its meetings are scheduled.")
MEETING_SCHEDULED = _("Time and venue saved. Letters already sent go out again if they changed.")
PAPERS_SENT = _("Recorded: the papers reached the members.")
MEETING_HELD = _("Recorded: the meeting was held.")
AGENDA_SAVED = _("Agenda saved.")
INVITEES_REFRESHED = _("List updated: {added} added, {dropped} dropped.")
INVITEE_ADDED = _("{person} added to the list.")
INVITEE_REMOVED = _("{person} removed from the list.")
OPEN_FOR_LETTERS = (Meeting.Status.PLANNED, Meeting.Status.SCHEDULED)
LETTERS_ISSUED = _("Letters issued: {numbers}.")
INVITATION_ANSWERED = _("Your answer was sent.")
ATTENDANCE_SAVED = _("Attendance saved.")
MINUTES_SAVED = _("Minutes saved.")
MINUTES_FIRST = _("Save the minutes before attaching the signed pages.")
ATTACHMENT_SAVED = _("File attached: {name}.")
EVALUATION_SAVED = _("Evaluation saved: {total} points, {rating}.")
LESSONS_PREFILLED = _("The summary was written again from every evaluation.")
LESSONS_FINAL_KEPT = _("The summary is final: it was not rewritten.")
LESSONS_SAVED = _("Summary saved.")


@require_POST
@login_required
def plan_issue(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    try:
        result = services.plan_issue(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(PLAN_ISSUED).format(count=result.obligations_created))
    return redirect("plans:plan_detail", plan_id=plan.pk)


@require_POST
@login_required
def registration_accept(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = plan_selectors.registration_get(
        actor=request.user, registration_id=registration_id
    )
    form = plan_forms.ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.registration_accept(actor=request.user, registration=registration, comment=comment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, REGISTRATION_ACCEPTED)
    return redirect("plans:registration_detail", registration_id=registration.pk)


@require_GET
@login_required
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    meetings = selectors.meeting_list(
        actor=request.user, status=request.GET.get("status", ""), include_invited=True
    )
    page = Paginator(meetings, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page_obj": page})


# --- Helpers: the response for a page, or a message and back --------------------------------


def _detail_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _report(request: AuthenticatedRequest, error: ValidationError | None, success: str) -> None:
    """A service's refusal, or the success message."""
    if error is not None:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)


def _form_error(form: Any) -> ValidationError:
    """A form's first problem, as the message a redirect carries."""
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else None
    return ValidationError(f"{label}: {errors[0]}" if label else errors[0])


def _invitee_rows(meeting: Meeting) -> dict[str, Any]:
    """The stored list (with removals and their notes), or what the rules would give."""
    rows = list(selectors.invitee_list(meeting=meeting, include_removed=True))
    if not rows:
        preview = selectors.invitee_list_or_preview(meeting=meeting)
        return {"invitees": preview, "removed_invitees": [], "invitees_stored": False}
    active = [row for row in rows if not row.removed]
    return {
        "invitees": active,
        "removed_invitees": [row for row in rows if row.removed],
        "invitees_stored": True,
        # A reverse one-to-one that is missing raises an AttributeError: hasattr is the test.
        "without_letter": sum(1 for row in active if not hasattr(row, "invitation")),
    }


def _answers(letters: list[InvitationLetter]) -> dict[str, int]:
    """How many invitees answered each way, over every letter."""
    counts = dict.fromkeys(Invitation.Response.values, 0)
    for letter in letters:
        for invitation in letter.invitations.all():
            counts[invitation.response] += 1
    return counts


def _detail_forms(meeting: Meeting, agenda: list[AgendaItem], bound: dict[str, Any]) -> Any:
    """The page's forms: empty, or the one sent back with its errors."""
    return {
        "schedule_form": bound.get("schedule_form")
        or forms.MeetingScheduleForm.for_meeting(meeting),
        "agenda_form": bound.get("agenda_form")
        or forms.AgendaForm(initial={"items": "\n".join(item.title for item in agenda)}),
        "issue_form": forms.LettersIssueForm(),
    }


def _invitation_part(user: User, meeting: Meeting) -> dict[str, Any]:
    """Who is invited, the letters and their answers, and whether letters can go out now."""
    can_issue = rules.can_issue_letters(user, meeting)
    invitees = _invitee_rows(meeting)
    letters = list(selectors.letter_list(meeting=meeting))
    unlettered = not invitees["invitees_stored"] or invitees.get("without_letter", 0) > 0
    return {
        **invitees,
        "letters": letters,
        "answers": _answers(letters),
        "conflicts": selectors.invitee_conflicts(meeting=meeting) if can_issue else [],
        "my_invitation": selectors.invitation_of(actor=user, meeting=meeting),
        "can_issue_letters": can_issue,
        "offer_letters": can_issue and meeting.status in OPEN_FOR_LETTERS and unlettered,
    }


def _detail_page(request: AuthenticatedRequest, meeting_id: int, **bound: Any) -> HttpResponse:
    """The meeting page; `bound` carries a form sent back with its errors."""
    user = request.user
    try:
        meeting = selectors.meeting_get(actor=user, meeting_id=meeting_id)
    except NotFound:
        return _guest_page(request, meeting_id)
    can_organize = rules.can_organize(user, meeting)
    agenda = list(meeting.agenda.all())
    started = meeting.starts_at is not None and meeting.starts_at <= timezone.now()
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": agenda,
        **_invitation_part(user, meeting),
        **_detail_forms(meeting, agenda, bound),
        "attendance": selectors.attendance_summary(meeting=meeting),
        "warnings": selectors.meeting_warnings(meeting=meeting),
        "evaluations": list(selectors.evaluation_list(meeting=meeting)),
        "has_minutes": selectors.minutes_exist(meeting=meeting),
        "can_organize": can_organize,
        "can_evaluate": rules.can_evaluate(user, meeting),
        "can_record_held": can_organize and started and meeting.status == Meeting.Status.SCHEDULED,
    }
    return render(request, "meetings/meeting_detail.html", context)


def _guest_page(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    """What an invitee from outside the meeting's part of the tree sees: their letter only."""
    meeting = selectors.meeting_get_as_invitee(actor=request.user, meeting_id=meeting_id)
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "my_invitation": selectors.invitation_of(actor=request.user, meeting=meeting),
    }
    return render(request, "meetings/meeting_guest.html", context)


# --- The meeting page and what organizers do on it ----------------------------------------


@require_GET
@login_required
def meeting_detail(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    return _detail_page(request, meeting_id)


@require_POST
@login_required
def meeting_schedule(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    form = forms.MeetingScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.schedule())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, MEETING_SCHEDULED)
            return redirect(_detail_url(meeting))
    # The failed write may have changed the object in memory: the page loads it again.
    return _detail_page(request, meeting_id, schedule_form=form)


@require_POST
@login_required
def meeting_papers_sent(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    try:
        services.meeting_papers_sent(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, PAPERS_SENT)
    return redirect(_detail_url(meeting))


@require_POST
@login_required
def meeting_held(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    try:
        services.meeting_record_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, MEETING_HELD)
    return redirect(_detail_url(meeting))


@require_POST
@login_required
def agenda_save(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    form = forms.AgendaForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, meeting_id, agenda_form=form)
    records.agenda_save(actor=request.user, meeting=meeting, titles=form.titles())
    messages.success(request, AGENDA_SAVED)
    return redirect(_detail_url(meeting, "agenda"))


# --- Invitees and letters -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def invitees_refresh(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_invite(actor=request.user, meeting_id=meeting_id)
    if request.method == "POST":
        diff = invitations.invitees_refresh(actor=request.user, meeting=meeting)
        added, dropped = len(diff.to_add), len(diff.to_drop)
        messages.success(request, str(INVITEES_REFRESHED).format(added=added, dropped=dropped))
        return redirect(_detail_url(meeting, "invitees"))
    context = {"meeting": meeting, "diff": invitations.invitees_diff(meeting)}
    return render(request, "meetings/invitees_refresh.html", context)


@require_GET
@login_required
def invitee_search(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_invite(actor=request.user, meeting_id=meeting_id)
    form = forms.PersonSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = (
        selectors.invitee_candidates(actor=request.user, meeting=meeting, query=query)
        if query
        else []
    )
    context = {"meeting": meeting, "form": form, "query": query, "people": people}
    # Typing in the box swaps only the results; without JavaScript the search is a page.
    partial = "meetings/partials/invitee_results.html"
    return render(request, partial if request.htmx else "meetings/invitee_search.html", context)


@require_POST
@login_required
def invitee_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_invite(actor=request.user, meeting_id=meeting_id)
    form = forms.InviteeAddForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    person = selectors.invitee_candidate_get(
        actor=request.user, person_id=form.cleaned_data["person"]
    )
    try:
        invitations.invitee_add(
            actor=request.user, meeting=meeting, person=person, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(INVITEE_ADDED).format(person=person.full_name))
    return redirect(_detail_url(meeting, "invitees"))


@require_POST
@login_required
def invitee_remove(request: AuthenticatedRequest, meeting_id: int, invitee_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_invite(actor=request.user, meeting_id=meeting_id)
    invitee = selectors.invitee_get(meeting=meeting, invitee_id=invitee_id)
    form = forms.InviteeRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form).messages[0])
        return redirect(_detail_url(meeting, "invitees"))
    invitations.invitee_remove(actor=request.user, invitee=invitee, note=form.cleaned_data["note"])
    messages.success(request, str(INVITEE_REMOVED).format(person=invitee.person.full_name))
    return redirect(_detail_url(meeting, "invitees"))


def _number_range(letters: list[Any]) -> str:
    """ "12-GM/HU" for one letter, "12–66-GM/HU (55)" for a run: one line, however many."""
    if len(letters) == 1:
        return str(letters[0].number_symbol)
    first, last = letters[0], letters[-1]
    return f"{first.number:02d}–{last.number:02d}-{last.symbol} ({len(letters)})"


@require_POST
@login_required
def letters_issue(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    form = forms.LettersIssueForm(request.POST)
    per = form.letter_per() if form.is_valid() else "person"
    try:
        letters = invitations.invitations_issue(actor=request.user, meeting=meeting, per=per)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(LETTERS_ISSUED).format(numbers=_number_range(letters)))
    return redirect(_detail_url(meeting, "letters"))


@require_POST
@login_required
def invitation_respond(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_as_invitee(actor=request.user, meeting_id=meeting_id)
    invitation = selectors.invitation_of(actor=request.user, meeting=meeting)
    form = forms.InvitationRespondForm(request.POST)
    if invitation is None or not form.is_valid():
        raise NotFound()
    data = form.cleaned_data
    try:
        invitations.invitation_respond(
            actor=request.user,
            invitation=invitation,
            response=data["response"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(INVITATION_ANSWERED))
    return redirect(_detail_url(meeting, "my-invitation"))


# --- Attendance -----------------------------------------------------------------------------


def _attendance_context(request: AuthenticatedRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "attendance": selectors.attendance_summary(meeting=meeting),
        "warnings": selectors.meeting_warnings(meeting=meeting),
        "can_organize": rules.can_organize(request.user, meeting),
        "statuses": Attendance.Status.choices,
    }


@require_GET
@login_required
def attendance(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    people = selectors.attendance_people(meeting=meeting)
    context = {
        **_attendance_context(request, meeting),
        "members": [row for row in people if row[2]],
        "guests": [row for row in people if not row[2]],
    }
    return render(request, "meetings/attendance.html", context)


@require_POST
@login_required
def attendance_mark(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    form = forms.AttendanceMarkForm(request.POST)
    error = None if form.is_valid() else _form_error(form)
    if error is None:
        try:
            records.attendance_record(actor=request.user, meeting=meeting, entries=[form.entry()])
        except ValidationError as refused:
            error = refused
    if request.htmx:
        return _attendance_row(request, meeting, request.POST.get("person", ""), error)
    _report(request, error, str(ATTENDANCE_SAVED))
    anchor = f"#attendance-{request.POST.get('person', '')}"
    return redirect(reverse("meetings:attendance", args=[meeting.pk]) + anchor)


def _attendance_row(
    request: AuthenticatedRequest, meeting: Meeting, person_id: str, error: ValidationError | None
) -> HttpResponse:
    """The tapped row and, out of band, the counts: what htmx swaps after a tap."""
    people = selectors.attendance_people(meeting=meeting)
    row = next((row for row in people if str(row[0].pk) == person_id), None)
    if row is None:
        raise NotFound()
    context = {
        **_attendance_context(request, meeting),
        "row": row,
        "error": error.messages[0] if error else "",
    }
    return render(request, "meetings/partials/attendance_update.html", context)


# --- Minutes ----------------------------------------------------------------------------------


def _sent(request: AuthenticatedRequest) -> Any:
    """The posted data, or None on GET: an unbound form then shows what is stored."""
    return request.POST if request.method == "POST" else None


def _minutes_context(request: AuthenticatedRequest, meeting: Meeting) -> dict[str, Any]:
    minutes = selectors.minutes_get(meeting=meeting)
    members = org_selectors.org_members(actor=request.user, organization=meeting.cell)
    items = forms.proceeding_items([item.title for item in meeting.agenda.all()], minutes)
    form = forms.MinutesForm(
        _sent(request),
        initial=forms.MinutesForm.initial_of(meeting, minutes),
        members=[(person.pk, person.full_name) for person in members],
        items=items,
    )
    return {
        "meeting": meeting,
        "minutes": minutes,
        "form": form,
        "attach_form": forms.AttachmentForm(),
        "attendance": selectors.attendance_summary(meeting=meeting),
        "can_organize": rules.can_organize(request.user, meeting),
    }


@require_http_methods(["GET", "POST"])
@login_required
def minutes_edit(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    # Readers see the minutes; a post asks the organizer's right before the form is read.
    fetch = selectors.meeting_get_to_organize if request.method == "POST" else selectors.meeting_get
    meeting = fetch(actor=request.user, meeting_id=meeting_id)
    context = _minutes_context(request, meeting)
    form: forms.MinutesForm = context["form"]
    if request.method == "POST" and form.is_valid():
        try:
            records.minutes_save(actor=request.user, meeting=meeting, data=form.minutes_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, MINUTES_SAVED)
            return redirect("meetings:minutes_edit", meeting_id=meeting.pk)
    return render(request, "meetings/minutes.html", context)


@require_POST
@login_required
def minutes_attach(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_to_organize(actor=request.user, meeting_id=meeting_id)
    minutes = selectors.minutes_get(meeting=meeting)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if minutes is None:
        messages.error(request, MINUTES_FIRST)
    elif not form.is_valid():
        messages.error(request, _form_error(form).messages[0])
    else:
        upload = form.cleaned_data["file"]
        try:
            saved = records.minutes_attach(actor=request.user, minutes=minutes, upload=upload)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, str(ATTACHMENT_SAVED).format(name=saved.original_name))
    return redirect(reverse("meetings:minutes_edit", args=[meeting.pk]) + "#attachments")


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def minutes_file(
    request: AuthenticatedRequest, meeting_id: int, attachment_id: int
) -> FileResponse:
    # The meeting comes through the scoped selector first: out of scope is a 404, never a file.
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    attachment = selectors.attachment_get(meeting=meeting, attachment_id=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- Evaluation and lessons learned ---------------------------------------------------------


def _evaluation_context(request: AuthenticatedRequest, meeting: Meeting) -> dict[str, Any]:
    """The evaluation page of an observer; anyone else gets a 404."""
    if not rules.can_evaluate(request.user, meeting):
        raise NotFound()
    mine = selectors.evaluation_of(actor=request.user, meeting=meeting)
    criteria = list(selectors.criterion_list())
    return {
        "meeting": meeting,
        "evaluation": mine,
        "form": forms.EvaluationForm(_sent(request), criteria=criteria, evaluation=mine),
        "max_total": sum(criterion.max_score for criterion in criteria),
    }


@require_http_methods(["GET", "POST"])
@login_required
def evaluation_edit(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, meeting_id=meeting_id)
    context = _evaluation_context(request, meeting)
    form: forms.EvaluationForm = context["form"]
    if request.method == "POST" and form.is_valid():
        try:
            saved = evaluations.evaluation_submit(
                actor=request.user, meeting=meeting, **form.submission()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            rating = saved.rating.name
            messages.success(
                request, str(EVALUATION_SAVED).format(total=saved.total, rating=rating)
            )
            return redirect("meetings:evaluation_edit", meeting_id=meeting.pk)
    return render(request, "meetings/evaluation.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_lessons(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    # Readers see the summary; a post asks the manager's right before the form is read.
    post = request.method == "POST"
    fetch = plan_selectors.plan_get_to_manage if post else plan_selectors.plan_get
    plan = fetch(actor=request.user, plan_id=plan_id, with_parts=False)
    summary = selectors.lessons_summary_get(actor=request.user, plan=plan)
    form = forms.LessonsForm(_sent(request), initial=forms.LessonsForm.initial_of(summary))
    if request.method == "POST":
        if summary is None:  # nothing to save before the first draft
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            evaluations.lessons_summary_save(
                actor=request.user, summary=summary, body=data["body"], final=data["final"]
            )
            messages.success(request, LESSONS_SAVED)
            return redirect("meetings:plan_lessons", plan_id=plan.pk)
    ratings = selectors.plan_evaluations(actor=request.user, plan=plan)
    can_manage = plan_selectors.plan_can_manage(actor=request.user, plan=plan)
    context = {
        "plan": plan,
        "summary": summary,
        "summary_readable": selectors.lessons_summary_readable(actor=request.user, plan=plan),
        "form": form,
        "ratings": ratings,
    }
    return render(request, "meetings/plan_lessons.html", {**context, "can_manage": can_manage})


@require_POST
@login_required
def plan_lessons_prefill(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    summary = evaluations.lessons_summary_prefill(actor=request.user, plan=plan)
    if summary.status == LessonsSummary.Status.FINAL:
        messages.warning(request, LESSONS_FINAL_KEPT)
    else:
        messages.success(request, LESSONS_PREFILLED)
    return redirect("meetings:plan_lessons", plan_id=plan.pk)
