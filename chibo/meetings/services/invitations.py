"""Who is invited to a meeting, the numbered letters, their delivery and the answers."""

import dataclasses
import datetime as dt
import json
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import User
from chibo.core import faults
from chibo.core.dates import LOCAL_TZ, format_date
from chibo.meetings import rules, selectors
from chibo.meetings.models import (
    DocumentRegister,
    Invitation,
    InvitationLetter,
    Invitee,
    Meeting,
)
from chibo.notifications import services as notification_services
from chibo.orgs.invitees import ResolvedInvitee, describe_for_meeting
from chibo.orgs.models import Organization, Person
from chibo.orgs.scope import Access, Actor, scope_require

LETTERS_MEETING_HELD = gettext_lazy("The meeting has already been held: no more letters go out.")
LETTERS_NEED_TIME_AND_VENUE = gettext_lazy(
    "Set the meeting's time and venue before issuing letters."
)
LETTERS_NOBODY_TO_INVITE = gettext_lazy("Everyone on the list already has a letter.")
LETTERS_MEETING_CANCELLED = gettext_lazy("The meeting was cancelled.")
INVITEE_ALREADY_LISTED = gettext_lazy("{person} is already on the list.")
INVITATION_NOT_YOURS = gettext_lazy("Only the person invited can answer this invitation.")
INVITATION_REASON_NEEDED = gettext_lazy("Say why you cannot attend.")
INVITATION_CLOSED = gettext_lazy(
    "The meeting has already been held or was cancelled: the invitation can no longer be answered."
)
LETTER_DOCUMENT_TYPE = "GM"
DOCUMENT_LANGUAGE = "vi"


def _reasons_json(entry: ResolvedInvitee) -> list[dict[str, object]]:
    return [{"rule": reason.rule, "text": reason.text} for reason in entry.reasons]


@dataclasses.dataclass(frozen=True)
class InviteeDiff:
    """What resolving again would change: staff changed since the list was made."""

    to_add: list[ResolvedInvitee]
    to_drop: list[Invitee]

    @property
    def is_empty(self) -> bool:
        return not self.to_add and not self.to_drop


def invitees_diff(meeting: Meeting) -> InviteeDiff:
    resolved = {entry.person.pk: entry for entry in selectors.invitees_resolved(meeting)}
    stored = {row.person_id: row for row in meeting.invitees.select_related("person")}
    to_add = [entry for pk, entry in resolved.items() if pk not in stored]
    to_drop = [
        row
        for pk, row in stored.items()
        if row.source == Invitee.Source.RULES and not row.removed and pk not in resolved
    ]
    return InviteeDiff(to_add=to_add, to_drop=to_drop)


@transaction.atomic
def invitees_refresh(*, actor: Actor | None, meeting: Meeting) -> InviteeDiff:
    """Resolve the rules again and apply the difference; hand-made choices stay."""
    if actor is not None:
        scope_require(actor, rules.letter_issuer(meeting), Access.ACT)
    diff = invitees_diff(meeting)
    Invitee.objects.bulk_create(
        Invitee(
            meeting=meeting,
            person=entry.person,
            reasons=_reasons_json(entry),
            source=Invitee.Source.RULES,
        )
        for entry in diff.to_add
    )
    resolved = {entry.person.pk: entry for entry in selectors.invitees_resolved(meeting)}
    for row in meeting.invitees.filter(source=Invitee.Source.RULES, person_id__in=resolved):
        reasons = _reasons_json(resolved[row.person_id])
        if row.reasons != reasons:
            row.reasons = reasons
            row.save(update_fields=["reasons", "updated_at"])
    # Dropped staff are marked removed, not deleted: an issued letter may point at them.
    for row in diff.to_drop:
        row.removed = True
        row.note = _("No longer in any invitee group")
        row.save(update_fields=["removed", "note", "updated_at"])
    return diff


@transaction.atomic
def invitee_add(*, actor: Actor | None, meeting: Meeting, person: Person, note: str) -> Invitee:
    if actor is not None:
        scope_require(actor, rules.letter_issuer(meeting), Access.ACT)
    row = meeting.invitees.filter(person=person).first()
    if row is not None and not row.removed:
        raise ValidationError(str(INVITEE_ALREADY_LISTED).format(person=person.full_name))
    if row is None:
        row = Invitee(meeting=meeting, person=person, source=Invitee.Source.MANUAL)
    row.removed = False
    row.note = note.strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def invitee_remove(*, actor: Actor | None, invitee: Invitee, note: str) -> Invitee:
    if actor is not None:
        scope_require(actor, rules.letter_issuer(invitee.meeting), Access.ACT)
    invitee.removed = True
    invitee.note = note.strip()
    invitee.save(update_fields=["removed", "note", "updated_at"])
    return invitee


def _term_of(day: dt.date) -> str:
    """Party committee terms run five years from 2020 (2020–2025, 2025–2030 …)."""
    start = 2020 + 5 * ((day.year - 2020) // 5)
    return f"{start}-{start + 5}"


def register_take(organization: Organization, document_type: str, day: dt.date) -> int:
    """The next number in an organization's register for a document type, this term."""
    register, _created = DocumentRegister.objects.select_for_update().get_or_create(
        organization=organization, document_type=document_type, term=_term_of(day)
    )
    DocumentRegister.objects.filter(pk=register.pk).update(last_number=F("last_number") + 1)
    register.refresh_from_db(fields=["last_number"])
    return register.last_number


def _letter_text(meeting: Meeting) -> tuple[str, str]:
    if meeting.starts_at is None:
        # Letters are issued, and cancellations told, only for a meeting with its time.
        raise RuntimeError(f"meeting {meeting.pk} has no time to write in its letters")
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    when = f"{local:%H:%M} {format_date(local.date())}"
    title = _("Invitation: {meeting}, {when}").format(meeting=meeting, when=when)
    body = _("You are invited to the {meeting} at {venue}, {when}.").format(
        meeting=meeting, venue=meeting.venue, when=when
    )
    return title, body


def _users_of(person_ids: list[int]) -> list[User]:
    return list(User.objects.filter(person_id__in=person_ids, is_active=True))


def _notify(meeting: Meeting, person_ids: list[int], key: str, title: str, body: str) -> None:
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    notification_services.notification_send(
        recipients=_users_of(person_ids), key=key, title=title, body=body, url=url
    )


def _letter_key(invitee: Invitee, per: str) -> str:
    """Which letter an invitee goes on: their own, or (per group) the one of the first rule
    that invited them; people added by hand get their own either way."""
    if per == "person" or not invitee.reasons:
        return f"person:{invitee.person_id}"
    return "rule:" + json.dumps(invitee.reasons[0]["rule"], sort_keys=True, ensure_ascii=False)


def _addressee(invitee: Invitee, per: str, relative: dict[str, Organization]) -> str:
    """To whom the letter is addressed: the person, or the group as the plan names it ("Bí
    thư, Phó Bí thư các chi bộ cơ sở thuộc …"), in Vietnamese whatever the organizer reads."""
    if per == "person" or not invitee.reasons:
        return invitee.person.full_name
    with translation.override(DOCUMENT_LANGUAGE):
        return describe_for_meeting(invitee.reasons[0]["rule"], relative)


@transaction.atomic
def invitations_issue(
    *,
    actor: Actor | None,
    meeting: Meeting,
    per: Literal["person", "group"] = "person",
    at: dt.datetime | None = None,
) -> list[InvitationLetter]:
    """Number and send letters to everyone on the list who has none yet.

    One letter per person by default; per group, one letter per invitee group, addressed to
    the group (its members' answers are still recorded one by one). `at` dates letters that
    went out on paper before they were entered (and the demo's replay of March 2025).
    """
    issuer = rules.letter_issuer(meeting)
    if actor is not None:
        scope_require(actor, issuer, Access.ACT)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(LETTERS_MEETING_CANCELLED)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(LETTERS_MEETING_HELD)
    if meeting.starts_at is None or not meeting.venue:
        raise ValidationError(LETTERS_NEED_TIME_AND_VENUE)
    if not meeting.invitees.exists():
        invitees_refresh(actor=actor, meeting=meeting)
    pending = list(
        meeting.invitees.filter(removed=False, invitation__isnull=True)
        .select_related("person")
        .order_by("person__sort_key")
    )
    if not pending:
        raise ValidationError(LETTERS_NOBODY_TO_INVITE)
    now = at or timezone.now()
    symbol = f"{LETTER_DOCUMENT_TYPE}/{issuer.symbol or 'CB'}"
    groups: dict[str, list[Invitee]] = {}
    addressees: dict[str, str] = {}
    relative = selectors.meeting_relative_orgs(meeting)
    for invitee in pending:
        key = _letter_key(invitee, per)
        if key not in groups:  # a group is described once, not once a member
            addressees[key] = _addressee(invitee, per, relative)
        groups.setdefault(key, []).append(invitee)
    letters: list[InvitationLetter] = []
    for key, members in groups.items():
        addressee = addressees[key]
        letter = InvitationLetter.objects.create(
            meeting=meeting,
            issuer=issuer,
            number=register_take(issuer, LETTER_DOCUMENT_TYPE, now.astimezone(LOCAL_TZ).date()),
            symbol=symbol,
            addressee=addressee,
            group_key=key,
            issued_at=now,
        )
        Invitation.objects.bulk_create(
            Invitation(letter=letter, invitee=invitee, delivered_at=now) for invitee in members
        )
        letters.append(letter)
        faults.pause_point("letters")
    title, body = _letter_text(meeting)
    person_ids = [invitee.person_id for invitee in pending]
    transaction.on_commit(
        lambda: _notify(meeting, person_ids, f"invitation:{meeting.pk}:1", title, body)
    )
    return letters


def invitations_cancelled(meeting: Meeting) -> None:
    """Everyone holding a letter for a meeting that was called off is told, once."""
    person_ids = list(
        Invitation.objects.filter(letter__meeting=meeting, invitee__removed=False).values_list(
            "invitee__person_id", flat=True
        )
    )
    if not person_ids or meeting.starts_at is None:
        return
    title, _body = _letter_text(meeting)
    title = _("Cancelled: {title}").format(title=title)
    body = _("The {meeting} will not take place.").format(meeting=meeting)
    transaction.on_commit(
        lambda: _notify(meeting, person_ids, f"invitation:{meeting.pk}:cancelled", title, body)
    )


@transaction.atomic
def invitations_reissue(*, actor: Actor | None, meeting: Meeting) -> int:
    """After a change of time or venue: every letter gets a new version and invitees are told."""
    if actor is not None:
        scope_require(actor, rules.letter_issuer(meeting), Access.ACT)
    letters = meeting.letters.all()
    if not letters.exists():
        return 0
    now = timezone.now()
    letters.update(version=F("version") + 1, reissued_at=now)
    # An answer given for the old time or place says nothing about the new one: ask again.
    current = Invitation.objects.filter(letter__meeting=meeting, invitee__removed=False)
    current.exclude(response=Invitation.Response.PENDING).update(
        response=Invitation.Response.PENDING, response_reason="", responded_at=None
    )
    version = letters.order_by("-version").values_list("version", flat=True).first()
    title, body = _letter_text(meeting)
    title = _("Changed: {title}").format(title=title)
    body = " ".join((body, _("Please answer the invitation again.")))
    person_ids = list(current.values_list("invitee__person_id", flat=True))
    transaction.on_commit(
        lambda: _notify(meeting, person_ids, f"invitation:{meeting.pk}:{version}", title, body)
    )
    return letters.count()


@transaction.atomic
def invitation_respond(
    *,
    actor: Actor | None,
    invitation: Invitation,
    response: str,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Invitation:
    """The invitee answers: will attend, or cannot attend (with a reason). `at` dates an answer
    given by telephone before it was entered (and the demo's replay)."""
    if actor is not None and actor.person_id != invitation.invitee.person_id:
        raise ValidationError(INVITATION_NOT_YOURS)
    if invitation.invitee.meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(INVITATION_CLOSED)
    if response == Invitation.Response.DECLINED and not reason.strip():
        raise ValidationError({"response_reason": INVITATION_REASON_NEEDED})
    invitation.response = response
    invitation.response_reason = reason.strip()
    invitation.responded_at = at or timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["response", "response_reason", "responded_at", "updated_at"])
    return invitation
