"""Writes to the organization tree, people, positions and assignments."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from chibo.core.text import clean_text
from chibo.orgs.models import (
    ASSIGNMENT_PERSON_OR_TEAM,
    ORG_CLOSE_BEFORE_OPEN,
    TERM_END_BEFORE_START,
    Assignment,
    Body,
    Organization,
    OrgKind,
    Person,
    Position,
)
from chibo.orgs.scope import Access, Actor, scope_require

ORG_MOVE_INTO_ITSELF = _("An organization cannot be moved under itself or one of its descendants.")
ORG_CODE_TAKEN = _("This organization code is already in use.")
ORG_ROOT_NEEDS_SUPERUSER = _("Only a system administrator can create a top-level organization.")
BODY_NOT_IN_ORGANIZATION = _("This body does not belong to the chosen organization.")
ASSIGNMENT_TEAM_NOT_TEAM = _("Only a team can be assigned to follow an organization.")


# One key for every writer of the tree's paths (PostgreSQL advisory locks are per database).
TREE_LOCK_KEY = 0x0C1B0_7EE


def tree_write_lock() -> None:
    """Serialize writers of the tree's paths until the current transaction ends.

    Paths are computed from what the writer read (the last child of a parent, the parent's own
    path), so two writers must not interleave. PostgreSQL: a transaction-level advisory lock.
    SQLite: a write statement (matching no row) takes the database's write lock now, before
    anything is read, so what is read next is not overtaken by another writer.
    Call it first thing inside `transaction.atomic()`.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("tree_write_lock() needs a transaction")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])
        else:
            table = connection.ops.quote_name(Organization._meta.db_table)
            cursor.execute(f"UPDATE {table} SET numchild = numchild WHERE 1 = 0")  # noqa: S608


def _check_dates(start: dt.date | None, end: dt.date | None, message: Any) -> None:
    if start and end and end < start:
        raise ValidationError(message)


@transaction.atomic
def org_create(
    *,
    actor: Actor | None,
    parent: Organization | None,
    code: str,
    name: str,
    kind: OrgKind,
    committee_name: str = "",
    symbol: str = "",
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Organization:
    """Add an organization under `parent` (or as a root, for system jobs and superusers)."""
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise ValidationError(ORG_ROOT_NEEDS_SUPERUSER)
    elif actor is not None:
        scope_require(actor, parent, Access.MANAGE)
    tree_write_lock()
    if parent is not None:
        parent.refresh_from_db()  # its path and child count as they are now, under the lock
    code = clean_text(code)
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": ORG_CODE_TAKEN})
    _check_dates(valid_from, valid_to, ORG_CLOSE_BEFORE_OPEN)
    organization = Organization(
        code=code,
        name=clean_text(name),
        short_name=clean_text(short_name),
        kind=kind,
        parent=parent,
        committee_name=clean_text(committee_name),
        symbol=clean_text(symbol),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    organization.refresh_derived()
    organization.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        created: Organization = Organization.objects.add_root(instance=organization)
    else:
        created = Organization.objects.add_child(parent, instance=organization)
    return created


ORG_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "committee_name",
    "symbol",
    "valid_from",
    "valid_to",
)


@transaction.atomic
def org_update(*, actor: Actor | None, organization: Organization, **changes: Any) -> Organization:
    """Change an organization's own fields (not its place in the tree: see org_move)."""
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
    unknown = set(changes) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(organization, name, clean_text(value) if isinstance(value, str) else value)
    _check_dates(organization.valid_from, organization.valid_to, ORG_CLOSE_BEFORE_OPEN)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save(update_fields=list(changes))
    return organization


@transaction.atomic
def org_move(*, actor: Actor | None, organization: Organization, new_parent: Organization) -> None:
    """Put an organization (with its subtree) under another parent."""
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
        scope_require(actor, new_parent, Access.MANAGE)
    tree_write_lock()
    organization.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(organization.path):
        raise ValidationError({"parent": ORG_MOVE_INTO_ITSELF})
    Organization.objects.move(organization, new_parent, "last-child")
    organization.refresh_from_db()
    organization.parent = new_parent
    organization.save(update_fields=["parent"])


@transaction.atomic
def org_close(*, actor: Actor | None, organization: Organization, on: dt.date) -> Organization:
    """Close an organization that merged or dissolved; it stays, with its history."""
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
    _check_dates(organization.valid_from, on, ORG_CLOSE_BEFORE_OPEN)
    organization.valid_to = on
    organization.save(update_fields=["valid_to"])
    return organization


@transaction.atomic
def body_create(
    *,
    actor: Actor | None,
    organization: Organization,
    kind: str,
    name: str,
    symbol: str = "",
) -> Body:
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
    body = Body(organization=organization, kind=kind, name=clean_text(name), symbol=symbol)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def person_create(
    *,
    actor: Actor | None,
    code: str,
    full_name: str,
    home_cell: Organization | None = None,
    **fields: Any,
) -> Person:
    if actor is not None and home_cell is not None:
        scope_require(actor, home_cell, Access.MANAGE)
    person = Person(code=clean_text(code), full_name=clean_text(full_name), home_cell=home_cell)
    for name, value in fields.items():
        setattr(person, name, value)
    person.refresh_derived()
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def position_create(
    *,
    actor: Actor | None,
    person: Person,
    organization: Organization,
    role: str,
    body: Body | None = None,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
) -> Position:
    """Record that a person holds a post, in an organization or in one of its bodies."""
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
    if body is not None and body.organization_id != organization.pk:
        raise ValidationError({"body": BODY_NOT_IN_ORGANIZATION})
    _check_dates(start_on, end_on, {"end_on": TERM_END_BEFORE_START})
    position = Position(
        person=person,
        organization=organization,
        body=body,
        role=role,
        start_on=start_on,
        end_on=end_on,
    )
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def assignment_create(
    *,
    actor: Actor | None,
    organization: Organization,
    kind: str,
    person: Person | None = None,
    team: Body | None = None,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
) -> Assignment:
    """Assign a member (in charge) or a team (following) to an organization."""
    if actor is not None:
        scope_require(actor, organization, Access.MANAGE)
    if (person is None) == (team is None):
        raise ValidationError(ASSIGNMENT_PERSON_OR_TEAM)
    if team is not None and team.kind != Body.Kind.TEAM:
        raise ValidationError({"team": ASSIGNMENT_TEAM_NOT_TEAM})
    _check_dates(start_on, end_on, {"end_on": TERM_END_BEFORE_START})
    assignment = Assignment(
        organization=organization,
        kind=kind,
        person=person,
        team=team,
        start_on=start_on,
        end_on=end_on,
    )
    assignment.full_clean()
    assignment.save()
    return assignment
