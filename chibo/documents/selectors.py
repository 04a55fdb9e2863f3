"""Reads for documents: the rows of the registrations table, the signer, the user's jobs."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from chibo.core.errors import NotFound
from chibo.documents.builders.registration import Signer
from chibo.documents.frame import capacity_on_behalf
from chibo.documents.models import DocumentJob
from chibo.meetings.models import Attendance, Meeting
from chibo.orgs.models import Body, Organization, Position, active_on
from chibo.orgs.scope import Actor
from chibo.plans.models import Plan, RegistrationItem
from chibo.reports import selectors as report_selectors

SIGNER_TITLES = {Position.Role.SECRETARY: "BÍ THƯ", Position.Role.DEPUTY_SECRETARY: "PHÓ BÍ THƯ"}


def registration_rows(*, actor: Actor | None, plan: Plan) -> list[Any]:
    """The plan's obligations in scope, as the progress dashboard has them (state, counts,
    overdue), each with its registration's items and their cells loaded."""
    items = RegistrationItem.objects.select_related("cell").order_by("starts_at", "pk")
    rows = report_selectors.progress_rows(actor=actor, plan=plan).prefetch_related(
        Prefetch("registration__items", queryset=items)
    )
    return report_selectors.progress_attach_counts(rows)


def committee_signer(*, organization: Organization, on: dt.date) -> Signer:
    """Who signs for the committee on a day: its secretary, else a deputy, else a blank name.

    `organization` must come from a scoped selector: this only reads who holds its posts.
    """
    positions = Position.objects.filter(
        active_on(on),
        organization=organization,
        role__in=list(SIGNER_TITLES),
    ).select_related("person")
    ranked = sorted(
        positions,
        key=lambda position: (
            position.role != Position.Role.SECRETARY,
            position.person.sort_key,
        ),
    )
    capacity = capacity_on_behalf(organization)
    if not ranked:
        return Signer(capacity=capacity, title=SIGNER_TITLES[Position.Role.SECRETARY], name="")
    first = ranked[0]
    return Signer(
        capacity=capacity,
        title=SIGNER_TITLES[Position.Role(first.role)],
        name=first.person.full_name,
    )


def job_get(*, actor: Actor | None, job_id: int) -> DocumentJob:
    """One of the actor's own jobs: a job is nobody else's business, not even an admin's."""
    if actor is None or actor.pk is None:
        raise NotFound()
    job = DocumentJob.objects.filter(owner_id=actor.pk, pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


def job_list(*, actor: Actor | None, limit: int = 20) -> QuerySet[DocumentJob]:
    """The actor's most recent jobs."""
    if actor is None or actor.pk is None:
        return DocumentJob.objects.none()
    return DocumentJob.objects.filter(owner_id=actor.pk).order_by("-created_at", "-pk")[:limit]


# --- Meetings: who is named in the letters, the minutes and the reports -------------------

# A person's title as documents print it: the role, then where they hold it. The most senior
# post comes first (a deputy secretary who also heads a board is named as deputy secretary).
ROLE_WORDS = {
    Position.Role.SECRETARY: "Bí thư",
    Position.Role.DEPUTY_SECRETARY: "Phó Bí thư",
    Position.Role.MEMBER: "Ủy viên",
    Position.Role.HEAD: "Trưởng",
    Position.Role.DEPUTY_HEAD: "Phó Trưởng",
    Position.Role.CHIEF_OF_OFFICE: "Chánh",
    Position.Role.DEPUTY_CHIEF_OF_OFFICE: "Phó Chánh",
    Position.Role.CHAIR: "Chủ nhiệm",
    Position.Role.DEPUTY_CHAIR: "Phó Chủ nhiệm",
    Position.Role.STAFF: "Cán bộ",
    Position.Role.TEAM_LEADER: "Tổ trưởng",
    Position.Role.TEAM_MEMBER: "Thành viên",
}
ROLE_RANK: dict[str, int] = {str(role): rank for rank, role in enumerate(ROLE_WORDS)}
# Bodies whose secretary is the committee's: "Bí thư Huyện ủy", not "Bí thư Thường trực …".
COMMITTEE_BODIES = frozenset(
    {Body.Kind.STANDING_OFFICE, Body.Kind.STANDING_COMMITTEE, Body.Kind.EXECUTIVE_COMMITTEE}
)


def position_title(position: Position) -> str:
    """ "Phó Bí thư Huyện ủy Tam Đường", "Ủy viên Ban Chấp hành Đảng bộ huyện Tam Đường",
    "Trưởng Ban Tổ chức Huyện ủy", "Bí thư Chi bộ bản Một"."""
    role = Position.Role(position.role)
    words = ROLE_WORDS.get(role, str(role.label))
    organization = position.organization
    body = position.body
    where = organization.name if organization.kind.is_cell else organization.display_committee
    if role in (Position.Role.SECRETARY, Position.Role.DEPUTY_SECRETARY):
        if body is None or body.kind in COMMITTEE_BODIES or body.kind == Body.Kind.CELL_COMMITTEE:
            return f"{words} {where}"
        return f"{words} {body.name}"
    if body is None:
        return f"{words} {where}"
    if role == Position.Role.MEMBER and body.kind == Body.Kind.EXECUTIVE_COMMITTEE:
        return f"{words} Ban Chấp hành {organization.name}"
    if role == Position.Role.MEMBER and body.kind == Body.Kind.STANDING_COMMITTEE:
        return f"{words} Ban Thường vụ {organization.display_committee}"
    if role == Position.Role.MEMBER and body.kind == Body.Kind.CELL_COMMITTEE:
        return f"Chi ủy viên {organization.name}"
    return f"{words} {body.name}"


def person_titles(*, person_ids: Iterable[int], on: dt.date) -> dict[int, str]:
    """Each person's most senior title on a day; people without a post are left out.

    The people come from a meeting already fetched in scope: this only reads their posts.
    """
    positions = Position.objects.filter(active_on(on), person_id__in=list(person_ids))
    best: dict[int, Position] = {}
    for position in positions.select_related("organization__kind", "body"):
        current = best.get(position.person_id)
        rank = (ROLE_RANK.get(position.role, 99), position.organization.depth)
        if current is None or rank < (
            ROLE_RANK.get(current.role, 99),
            current.organization.depth,
        ):
            best[position.person_id] = position
    return {person_id: position_title(position) for person_id, position in best.items()}


def meeting_signer(*, meeting: Meeting, issuer: Organization, on: dt.date) -> Signer:
    """Who signs a meeting's letters: the plan's signer when the plan's issuer invites to a
    meeting it designated ("Có giấy mời cụ thể sau"), else the issuer's secretary."""
    plan = meeting.target.plan if meeting.target_id is not None else None  # type: ignore[union-attr]
    if plan is not None and plan.issuer_org_id == issuer.pk and plan.signer_name:
        return Signer(
            capacity=plan.signing_capacity, title=plan.signer_title, name=plan.signer_name
        )
    return committee_signer(organization=issuer, on=on)


def attendance_rows(*, meeting: Meeting) -> QuerySet[Attendance]:
    """The marks of a meeting fetched in scope, with their people, in name order."""
    return meeting.attendance.select_related("person").order_by("person__sort_key", "pk")


def board_of(*, organization: Organization) -> Body | None:
    """The organization board (Ban Tổ chức) of a committee: it writes the lessons report."""
    return (
        Body.objects.filter(organization=organization, kind=Body.Kind.ORGANIZATION_BOARD)
        .order_by("pk")
        .first()
    )


def board_signer(*, board: Body, on: dt.date) -> Signer:
    """The head of a board signs its reports; a deputy signs "K/T TRƯỞNG BAN" for them."""
    positions = Position.objects.filter(
        active_on(on), body=board, role__in=[Position.Role.HEAD, Position.Role.DEPUTY_HEAD]
    ).select_related("person")
    ranked = sorted(
        positions,
        key=lambda position: (position.role != Position.Role.HEAD, position.person.sort_key),
    )
    if not ranked:
        return Signer(capacity="", title="TRƯỞNG BAN", name="")
    first = ranked[0]
    if first.role == Position.Role.HEAD:
        return Signer(capacity="", title="TRƯỞNG BAN", name=first.person.full_name)
    return Signer(capacity="K/T TRƯỞNG BAN", title="PHÓ TRƯỞNG BAN", name=first.person.full_name)
