"""Reads of the change history, always through the actor's scope.

An object's history page shows the rows of the object and of the records its page shows (a
meeting's minutes, an organization's bodies, posts and members); the object itself comes from
its app's scoped selector, so the history answers 404 exactly where the page does. The audit
list shows, to those who manage a subtree, every change to what lies in it.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import User
from chibo.audit.changes import Part, Source, history_page, person_name
from chibo.core.dates import LOCAL_TZ
from chibo.core.text import sort_key
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings.models import LessonsSummary, Meeting, Minutes
from chibo.orgs.models import Assignment, Body, Organization, Person, Position
from chibo.orgs.scope import Access, Actor, scope_for
from chibo.plans.models import Plan, Registration

PLAN = Source(
    kind="plan",
    kind_label=_("plan"),
    model=Plan,
    label="title",
    link_view="audit:plan_history",
    link_field="id",
)
# Readers below the issuer see a plan once it is issued: its drafts are not theirs to read.
PLAN_ISSUED = dataclasses.replace(PLAN, hidden=Q(status=Plan.Status.DRAFT))
LESSONS = Source(
    kind="lessons",
    kind_label=_("lessons-learned summary"),
    model=LessonsSummary,
    label="plan__title",
    link_view="audit:plan_history",
    link_field="plan_id",
)
REGISTRATION = Source(
    kind="registration",
    kind_label=_("registration"),
    model=Registration,
    label="obligation__organization__name",
    link_view="audit:registration_history",
    link_field="id",
)
MEETING = Source(
    kind="meeting",
    kind_label=_("meeting"),
    model=Meeting,
    label="cell__name",
    link_view="audit:meeting_history",
    link_field="id",
)
MINUTES = Source(
    kind="minutes",
    kind_label=_("minutes"),
    model=Minutes,
    label="meeting__cell__name",
    link_view="audit:meeting_history",
    link_field="meeting_id",
)
ORGANIZATION = Source(
    kind="organization",
    kind_label=_("party organization"),
    model=Organization,
    label="name",
    link_view="audit:org_history",
    link_field="id",
)
BODY = Source(
    kind="body",
    kind_label=_("body"),
    model=Body,
    label="name",
    link_view="audit:org_history",
    link_field="organization_id",
)
POSITION = Source(
    kind="position",
    kind_label=_("position"),
    model=Position,
    label="person__full_name",
    link_view="audit:org_history",
    link_field="organization_id",
)
ASSIGNMENT = Source(
    kind="assignment",
    kind_label=_("assignment"),
    model=Assignment,
    label="organization__name",
    link_view="audit:org_history",
    link_field="organization_id",
)
# What an organization's page shows of its members; their card number, contact details and
# birth year are for those who manage the organization.
PERSON_PUBLIC_FIELDS = ("full_name", "home_cell", "membership", "exempt")
PERSON = Source(
    kind="person",
    kind_label=_("party member"),
    model=Person,
    label="full_name",
    link_view="audit:org_history",
    link_field="home_cell_id",
)

# Structural links that never change after creation and name a whole other record; the
# history names the object in its heading instead.
_STRUCTURAL: dict[type[Model], tuple[str, ...]] = {
    Registration: ("obligation",),
    Meeting: ("target", "obligation"),
    Minutes: ("meeting",),
    LessonsSummary: ("plan",),
}


def _without_structural(source: Source) -> Source:
    skip = _STRUCTURAL.get(source.model)
    if not skip:
        return source
    names = [field.name for field in source.model._meta.concrete_fields if field.name not in skip]
    only = names if source.only is None else [name for name in source.only if name in names]
    return dataclasses.replace(source, only=only)


PLAN, PLAN_ISSUED, LESSONS, REGISTRATION, MEETING, MINUTES = (
    _without_structural(source)
    for source in (PLAN, PLAN_ISSUED, LESSONS, REGISTRATION, MEETING, MINUTES)
)

# The audit list: each kind of object with the path of the organization it belongs to.
AUDIT_SOURCES: dict[str, tuple[Source, str]] = {
    "plan": (PLAN, "issuer_org__path"),
    "lessons": (LESSONS, "plan__issuer_org__path"),
    "registration": (REGISTRATION, "obligation__organization__path"),
    "meeting": (MEETING, "cell__path"),
    "minutes": (MINUTES, "meeting__cell__path"),
    "organization": (ORGANIZATION, ""),
    "body": (BODY, "organization__path"),
    "position": (POSITION, "organization__path"),
    "assignment": (ASSIGNMENT, "organization__path"),
    "person": (PERSON, "home_cell__path"),
}


def _page(parts: list[Part], page: Any) -> Page[Any]:
    return history_page(parts, page, settings.CHIBO_PAGE_SIZE)


def plan_history(*, actor: Actor | None, plan: Plan, page: Any = None) -> Page[Any]:
    """The changes to a plan (taken from plans' scoped `plan_get`) and to its lessons summary."""
    scope = scope_for(actor)
    reads_issuer = scope.allows(plan.issuer_org, Access.READ)
    source = PLAN if reads_issuer else PLAN_ISSUED
    parts = [Part(source, source.history().filter(id=plan.pk))]
    if meeting_selectors.lessons_summary_readable(actor=actor, plan=plan):
        parts.append(Part(LESSONS, LESSONS.history().filter(plan_id=plan.pk)))
    return _page(parts, page)


def registration_history(
    *, actor: Actor | None, registration: Registration, page: Any = None
) -> Page[Any]:
    """The changes to a registration (taken from plans' scoped `registration_get`)."""
    return _page([Part(REGISTRATION, REGISTRATION.history().filter(id=registration.pk))], page)


def meeting_history(*, actor: Actor | None, meeting: Meeting, page: Any = None) -> Page[Any]:
    """The changes to a meeting (taken from meetings' scoped `meeting_get`) and its minutes."""
    parts = [
        Part(MEETING, MEETING.history().filter(id=meeting.pk)),
        Part(MINUTES, MINUTES.history().filter(meeting_id=meeting.pk)),
    ]
    return _page(parts, page)


def org_history(*, actor: Actor | None, organization: Organization, page: Any = None) -> Page[Any]:
    """The changes to an organization (taken from orgs' scoped `org_get`), to its bodies, the
    posts in it, the assignments to it and the members whose home cell it is."""
    manages = scope_for(actor).allows(organization, Access.MANAGE)
    person = PERSON if manages else dataclasses.replace(PERSON, only=PERSON_PUBLIC_FIELDS)
    parts = [
        Part(ORGANIZATION, ORGANIZATION.history().filter(id=organization.pk)),
        Part(BODY, BODY.history().filter(organization_id=organization.pk)),
        Part(POSITION, POSITION.history().filter(organization_id=organization.pk)),
        Part(ASSIGNMENT, ASSIGNMENT.history().filter(organization_id=organization.pk)),
        Part(person, person.history().filter(home_cell_id=organization.pk)),
    ]
    return _page(parts, page)


# --- The audit list --------------------------------------------------------------------------


def audit_allowed(*, actor: Actor | None) -> bool:
    """Whether the actor manages some subtree, and so may read its audit list."""
    scope = scope_for(actor)
    return scope.unrestricted or bool(scope.paths(Access.MANAGE))


@dataclasses.dataclass(frozen=True)
class AuditFilter:
    """What the audit list is narrowed to; empty values keep everything."""

    user_id: int | None = None
    kind: str = ""
    search: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _audit_rows(actor: Actor | None, kind: str, filters: AuditFilter) -> QuerySet[Any]:
    source, path_field = AUDIT_SOURCES[kind]
    scope = scope_for(actor)
    rows = source.history()
    if path_field:
        rows = rows.filter(scope.q(Access.MANAGE, path_field=path_field))
    else:
        # Organization history rows keep no tree path: match them to the live rows in scope.
        managed = scope.filter(Organization.objects.all(), Access.MANAGE).values("pk")
        rows = rows.filter(id__in=managed)
    if filters.user_id is not None:
        rows = rows.filter(history_user_id=filters.user_id)
    if filters.search:
        rows = rows.filter(**{f"{source.label}__icontains": filters.search})
    if filters.date_from is not None:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=LOCAL_TZ)
        rows = rows.filter(history_date__gte=start)
    if filters.date_to is not None:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, LOCAL_TZ)
        rows = rows.filter(history_date__lt=end)
    return rows


def _audit_parts(actor: Actor | None, filters: AuditFilter) -> list[Part]:
    if not audit_allowed(actor=actor):
        return []
    kinds = [filters.kind] if filters.kind in AUDIT_SOURCES else list(AUDIT_SOURCES)
    return [Part(AUDIT_SOURCES[kind][0], _audit_rows(actor, kind, filters)) for kind in kinds]


def audit_list(*, actor: Actor | None, filters: AuditFilter, page: Any = None) -> Page[Any]:
    """The changes to everything in the subtrees the actor manages, newest first."""
    return _page(_audit_parts(actor, filters), page)


def audit_people(*, actor: Actor | None) -> list[tuple[int, str]]:
    """Everyone who changed something in the actor's managed subtrees, by name: the choices of
    the list's person filter (two queries, whatever the size of the tree)."""
    parts = _audit_parts(actor, AuditFilter())
    if not parts:
        return []
    selects = [
        part.rows.filter(history_user_id__isnull=False).order_by().values("history_user_id")
        for part in parts
    ]
    first, *rest = selects
    ids = {row["history_user_id"] for row in first.union(*rest)}
    users = User.objects.filter(pk__in=ids).select_related("person")
    return sorted(
        ((user.pk, person_name(user)) for user in users), key=lambda pair: sort_key(pair[1])
    )


def audit_kinds() -> list[tuple[str, str]]:
    return [(kind, str(source.kind_label)) for kind, (source, _path) in AUDIT_SOURCES.items()]
