"""HTML input of the meeting pages, turned into clean data for the services.

The forms check only the shape of the input (types, required fields, formats). Every rule (who
may act, votes against those present, a score's range, an attachment's type and size) is the
service's, so a page and the API refuse the same things with the same message.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ
from chibo.meetings.models import (
    Attendance,
    Criterion,
    Evaluation,
    Invitation,
    LessonsSummary,
    Meeting,
    Minutes,
)
from chibo.meetings.services import evaluations, records

SEARCH_MIN_LENGTH = 2
TEXT = {"class": "form-control"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date", **TEXT}, format="%Y-%m-%d")
TIME_FORMAT = "%H:%M"


def _time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", **TEXT}, format=TIME_FORMAT)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **TEXT})


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(LOCAL_TZ) if moment else None


def _at(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=LOCAL_TZ)


# --- The meeting page -----------------------------------------------------------------------


class MeetingScheduleForm(forms.Form):
    """Date, start and end (local time), venue, topic, combined session, papers sent."""

    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts = forms.TimeField(label=_("Starts at"), widget=_time_widget())
    ends = forms.TimeField(label=_("Ends at"), required=False, widget=_time_widget())
    venue = forms.CharField(label=_("Venue"), max_length=255, widget=forms.TextInput(attrs=TEXT))
    topic = forms.CharField(
        label=_("Topic"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    combined = forms.BooleanField(
        label=_("Regular and thematic meeting in one session"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    papers_sent_at = forms.DateTimeField(
        label=_("Papers sent to members at"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", **TEXT}, format="%Y-%m-%dT%H:%M"
        ),
    )

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> "MeetingScheduleForm":
        starts, ends = _local(meeting.starts_at), _local(meeting.ends_at)
        return cls(
            initial={
                "day": starts.date() if starts else None,
                "starts": starts.time() if starts else None,
                "ends": ends.time() if ends else None,
                "venue": meeting.venue,
                "topic": meeting.topic,
                "combined": meeting.combined,
                "papers_sent_at": _local(meeting.papers_sent_at),
            }
        )

    def schedule(self) -> dict[str, Any]:
        """Keyword arguments for services.meeting_update."""
        data = self.cleaned_data
        starts_at = _at(data["day"], data["starts"])
        return {
            "starts_at": starts_at,
            "ends_at": _at(data["day"], data["ends"]),
            "venue": data["venue"],
            "topic": data["topic"],
            "combined": data["combined"],
            "papers_sent_at": data["papers_sent_at"],
        }


class AgendaForm(forms.Form):
    items = forms.CharField(
        label=_("Agenda items, one a line"),
        required=False,
        max_length=20_000,
        widget=_textarea(8),
    )

    def titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        min_length=SEARCH_MIN_LENGTH,
        max_length=100,
        strip=True,
        widget=forms.SearchInput(attrs={**TEXT, "autocomplete": "off"}),
    )


class InviteeAddForm(forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), max_length=255, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class InviteeRemoveForm(forms.Form):
    note = forms.CharField(
        label=_("Why remove them"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )


class LettersIssueForm(forms.Form):
    per = forms.ChoiceField(
        label=_("Letters"),
        choices=[("person", _("One letter per person")), ("group", _("One letter per group"))],
        initial="person",
        widget=forms.RadioSelect,
    )

    def letter_per(self) -> Literal["person", "group"]:
        return "group" if self.cleaned_data["per"] == "group" else "person"


class InvitationRespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.ATTENDING, Invitation.Response.ATTENDING.label),
            (Invitation.Response.DECLINED, Invitation.Response.DECLINED.label),
        ]
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=255, required=False, widget=forms.TextInput(attrs=TEXT)
    )


# --- Attendance -----------------------------------------------------------------------------


class AttendanceMarkForm(forms.Form):
    """One person's mark: what a tap on the attendance screen sends."""

    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Reason"), max_length=255, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def entry(self) -> records.AttendanceEntry:
        data = self.cleaned_data
        return records.AttendanceEntry(data["person"], data["status"], data["note"])


# --- Minutes --------------------------------------------------------------------------------


def proceeding_items(agenda: Sequence[str], minutes: Minutes | None) -> list[dict[str, str]]:
    """The agenda's items with what the minutes already say of each, then any item the
    minutes recorded that is no longer on the agenda."""
    written = {row.get("item", ""): row for row in (minutes.proceedings if minutes else [])}
    items = [
        {"item": title, **{k: written.get(title, {}).get(k, "") for k in ("content", "opinions")}}
        for title in agenda
    ]
    items += [
        {"item": title, "content": row.get("content", ""), "opinions": row.get("opinions", "")}
        for title, row in written.items()
        if title not in agenda
    ]
    return items


@dataclasses.dataclass(frozen=True)
class ProceedingFields:
    title: str
    item: forms.BoundField
    content: forms.BoundField
    opinions: forms.BoundField


class MinutesForm(forms.Form):
    """The structured minutes: time, chair and secretary, proceedings by item, votes."""

    day = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    opened = forms.TimeField(label=_("Opened at"), required=False, widget=_time_widget())
    closed = forms.TimeField(label=_("Closed at"), required=False, widget=_time_widget())
    chair = forms.TypedChoiceField(
        label=_("Chaired by"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    secretary = forms.TypedChoiceField(
        label=_("Minutes secretary"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=_textarea(4))
    resolution = forms.CharField(label=_("Resolution"), required=False, widget=_textarea(4))
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, required=False)

    def __init__(
        self,
        *args: Any,
        members: Sequence[tuple[int, str]],
        items: Sequence[dict[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a member")), *members]
        for name in ("chair", "secretary"):
            field = cast(forms.TypedChoiceField, self.fields[name])  # declared above
            field.choices = choices
        for name in ("votes_for", "votes_against", "votes_abstain"):
            self.fields[name].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
        self.item_count = len(items)
        for index, row in enumerate(items):
            self.fields[f"item_{index}"] = forms.CharField(
                initial=row["item"], max_length=500, widget=forms.HiddenInput
            )
            self.fields[f"content_{index}"] = forms.CharField(
                label=_("What was presented and done"),
                initial=row["content"],
                required=False,
                widget=_textarea(3),
            )
            self.fields[f"opinions_{index}"] = forms.CharField(
                label=_("Opinions"), initial=row["opinions"], required=False, widget=_textarea(2)
            )

    @classmethod
    def initial_of(cls, meeting: Meeting, minutes: Minutes | None) -> dict[str, Any]:
        if minutes is None:
            starts, ends = _local(meeting.starts_at), _local(meeting.ends_at)
            return {
                "day": starts.date() if starts else None,
                "opened": starts.time() if starts else None,
                "closed": ends.time() if ends else None,
            }
        opened, closed = _local(minutes.opened_at), _local(minutes.closed_at)
        return {
            "day": opened.date() if opened else None,
            "opened": opened.time() if opened else None,
            "closed": closed.time() if closed else None,
            "chair": minutes.chair_id,
            "secretary": minutes.secretary_id,
            "conclusion": minutes.conclusion,
            "resolution": minutes.resolution,
            "votes_for": minutes.votes_for,
            "votes_against": minutes.votes_against,
            "votes_abstain": minutes.votes_abstain,
        }

    def proceedings(self) -> list[ProceedingFields]:
        return [
            ProceedingFields(
                title=str(self[f"item_{index}"].value() or ""),
                item=self[f"item_{index}"],
                content=self[f"content_{index}"],
                opinions=self[f"opinions_{index}"],
            )
            for index in range(self.item_count)
        ]

    def minutes_data(self) -> records.MinutesData:
        data = self.cleaned_data
        return records.MinutesData(
            opened_at=_at(data["day"], data["opened"]),
            closed_at=_at(data["day"], data["closed"]),
            chair_id=data["chair"],
            secretary_id=data["secretary"],
            proceedings=[
                {
                    "item": data[f"item_{index}"],
                    "content": data[f"content_{index}"].strip(),
                    "opinions": data[f"opinions_{index}"].strip(),
                }
                for index in range(self.item_count)
            ],
            conclusion=data["conclusion"].strip(),
            resolution=data["resolution"].strip(),
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Signed minutes (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(
            attrs={**TEXT, "accept": "application/pdf,image/jpeg,image/png"}
        ),
    )


# --- Evaluation -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CriterionFields:
    criterion: Criterion
    score: forms.BoundField
    comment: forms.BoundField


class EvaluationForm(forms.Form):
    """A score and a comment for each criterion in use, then strengths, shortcomings, lessons."""

    strengths = forms.CharField(label=_("Strengths"), required=False, widget=_textarea(3))
    shortcomings = forms.CharField(label=_("Shortcomings"), required=False, widget=_textarea(3))
    lessons = forms.CharField(label=_("Lessons learned"), required=False, widget=_textarea(3))

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        evaluation: Evaluation | None,
        **kwargs: Any,
    ) -> None:
        if evaluation is not None:
            kwargs.setdefault("initial", self._initial_of(evaluation))
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=_("Score"),
                min_value=0,
                widget=forms.NumberInput(
                    attrs={**TEXT, "inputmode": "numeric", "max": criterion.max_score}
                ),
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label=_("Comment"), required=False, widget=_textarea(2)
            )

    @staticmethod
    def _initial_of(evaluation: Evaluation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "strengths": evaluation.strengths,
            "shortcomings": evaluation.shortcomings,
            "lessons": evaluation.lessons,
        }
        for score in evaluation.scores.all():
            initial[f"score_{score.criterion.code}"] = score.score
            initial[f"comment_{score.criterion.code}"] = score.comment
        return initial

    def rows(self) -> list[CriterionFields]:
        return [
            CriterionFields(c, self[f"score_{c.code}"], self[f"comment_{c.code}"])
            for c in self.criteria
        ]

    def submission(self) -> dict[str, Any]:
        """Keyword arguments for evaluations.evaluation_submit."""
        data = self.cleaned_data
        return {
            "scores": [
                evaluations.ScoreData(c.code, data[f"score_{c.code}"], data[f"comment_{c.code}"])
                for c in self.criteria
            ],
            "strengths": data["strengths"],
            "shortcomings": data["shortcomings"],
            "lessons": data["lessons"],
        }


# --- Lessons learned ------------------------------------------------------------------------


class LessonsForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the summary"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 24, "class": "form-control small"}),
    )
    final = forms.BooleanField(
        label=_("Final: ready for the Standing Committee"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    @classmethod
    def initial_of(cls, summary: LessonsSummary | None) -> dict[str, Any]:
        if summary is None:
            return {}
        return {"body": summary.body, "final": summary.status == LessonsSummary.Status.FINAL}
