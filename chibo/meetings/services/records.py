"""What happened at a meeting: attendance, minutes with their scanned pages, the agenda."""

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chibo.meetings import selectors
from chibo.meetings.models import (
    AgendaItem,
    AgendaTemplate,
    Attendance,
    Meeting,
    MeetingRules,
    Minutes,
    MinutesAttachment,
)
from chibo.orgs.models import Person
from chibo.orgs.scope import Access, Actor, scope_require

ATTENDANCE_STATUS_UNKNOWN = gettext_lazy("Unknown attendance status: {status}.")
ATTENDANCE_PERSON_UNKNOWN = gettext_lazy(
    "Party member {id} is neither a member of the cell nor invited."
)
ATTENDANCE_MEETING_CANCELLED = gettext_lazy("The meeting was cancelled.")
MINUTES_VOTES_EXCEED = gettext_lazy("More votes than members present ({present}).")
MINUTES_PERSON_UNKNOWN = gettext_lazy(
    "The chair and the secretary must be members of the cell or invited to the meeting."
)
MINUTES_CLOSED_BEFORE_OPENED = gettext_lazy("The meeting cannot close before it opens.")
ATTACHMENT_TYPE = gettext_lazy("Attach a PDF, JPEG or PNG file.")
ATTACHMENT_TOO_BIG = gettext_lazy("The file is larger than {limit} MB.")
ATTACHMENT_EMPTY = gettext_lazy("The file is empty.")

# The first bytes of each accepted type: the name and the browser's claim are not trusted.
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def agenda_from_template(meeting: Meeting) -> list[AgendaItem]:
    """Give a new meeting the default agenda of its type (if it has none yet)."""
    if meeting.agenda.exists():
        return list(meeting.agenda.all())
    template = AgendaTemplate.objects.filter(
        meeting_type=meeting.meeting_type, is_default=True
    ).first()
    if template is None:
        return []
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, title=title)
        for order, title in enumerate(template.items)
    )


@transaction.atomic
def agenda_save(*, actor: Actor | None, meeting: Meeting, titles: list[str]) -> list[AgendaItem]:
    """Replace the meeting's own agenda with these items, in this order."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    meeting.agenda.all().delete()
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, title=title.strip())
        for order, title in enumerate(titles)
        if title.strip()
    )


@dataclasses.dataclass(frozen=True)
class AttendanceEntry:
    person_id: int
    status: str
    note: str = ""


@transaction.atomic
def attendance_record(
    *, actor: Actor | None, meeting: Meeting, entries: list[AttendanceEntry]
) -> list[Attendance]:
    """Mark people present, excused or absent; marking again replaces the earlier mark."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(ATTENDANCE_MEETING_CANCELLED)
    members = set(Person.objects.filter(home_cell=meeting.cell).values_list("pk", flat=True))
    invited = set(meeting.invitees.filter(removed=False).values_list("person_id", flat=True))
    problems: list[str] = []
    for entry in entries:
        if entry.status not in Attendance.Status.values:
            problems.append(str(ATTENDANCE_STATUS_UNKNOWN).format(status=entry.status))
        if entry.person_id not in members and entry.person_id not in invited:
            problems.append(str(ATTENDANCE_PERSON_UNKNOWN).format(id=entry.person_id))
    if problems:
        raise ValidationError({"attendance": problems})
    existing = {row.person_id: row for row in meeting.attendance.all()}
    recorded_by_id = getattr(actor, "pk", None)
    rows: list[Attendance] = []
    for entry in entries:
        row = existing.get(entry.person_id) or Attendance(
            meeting=meeting, person_id=entry.person_id
        )
        row.status = entry.status
        row.note = entry.note.strip()
        row.is_member = entry.person_id in members
        row.recorded_by_id = recorded_by_id
        row.save()
        rows.append(row)
    return rows


@dataclasses.dataclass
class MinutesData:
    opened_at: Any = None
    closed_at: Any = None
    chair_id: int | None = None
    secretary_id: int | None = None
    proceedings: list[dict[str, str]] = dataclasses.field(default_factory=list)
    conclusion: str = ""
    resolution: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None


@transaction.atomic
def minutes_save(*, actor: Actor | None, meeting: Meeting, data: MinutesData) -> Minutes:
    """Write or rewrite the minutes; votes cannot exceed the members present."""
    if actor is not None:
        scope_require(actor, meeting.cell, Access.ACT)
    # Only full members vote: probationary members attend but have no vote (Điều lệ Đảng). The
    # count is the attendance summary's, the number the minutes page shows beside the votes.
    present = selectors.attendance_summary(meeting=meeting).present
    votes = [v for v in (data.votes_for, data.votes_against, data.votes_abstain) if v is not None]
    if votes and present and sum(votes) > present:
        raise ValidationError({"votes_for": str(MINUTES_VOTES_EXCEED).format(present=present)})
    if data.opened_at and data.closed_at and data.closed_at < data.opened_at:
        raise ValidationError({"closed_at": MINUTES_CLOSED_BEFORE_OPENED})
    _require_meeting_people(meeting, {"chair": data.chair_id, "secretary": data.secretary_id})
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    for field in dataclasses.fields(data):
        setattr(minutes, field.name, getattr(data, field.name))
    minutes.written_by_id = getattr(actor, "pk", None)
    minutes.full_clean()
    minutes.save()
    return minutes


def _require_meeting_people(meeting: Meeting, people: dict[str, int | None]) -> None:
    """The chair and the secretary come from the meeting: the cell's members or its invitees.

    Anyone else would be a person the organizer may not even be allowed to see.
    """
    wanted = {field: pk for field, pk in people.items() if pk is not None}
    if not wanted:
        return
    allowed = set(
        Person.objects.filter(pk__in=wanted.values())
        .filter(
            Q(home_cell=meeting.cell)
            | Q(pk__in=meeting.invitees.filter(removed=False).values("person_id"))
        )
        .values_list("pk", flat=True)
    )
    errors = {field: MINUTES_PERSON_UNKNOWN for field, pk in wanted.items() if pk not in allowed}
    if errors:
        raise ValidationError(errors)


def _sniff(upload: UploadedFile) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


@transaction.atomic
def minutes_attach(
    *, actor: Actor | None, minutes: Minutes, upload: UploadedFile
) -> MinutesAttachment:
    """Store a scanned page of the signed minutes, outside the database and out of public reach."""
    if actor is not None:
        scope_require(actor, minutes.meeting.cell, Access.ACT)
    limit_mb = MeetingRules.current().max_attachment_mb
    if not upload.size:
        raise ValidationError({"file": ATTACHMENT_EMPTY})
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError({"file": str(ATTACHMENT_TOO_BIG).format(limit=limit_mb)})
    content_type = _sniff(upload)
    if content_type is None:
        raise ValidationError({"file": ATTACHMENT_TYPE})
    attachment = MinutesAttachment(
        minutes=minutes,
        original_name=(upload.name or "file")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by_id=getattr(actor, "pk", None),
    )
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    attachment.file.save(f"{timezone.now():%Y%m%d%H%M%S}.{extension}", upload, save=False)
    attachment.save()
    return attachment
