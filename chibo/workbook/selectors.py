"""Reads for imports and exports: the user's own import records, the subtree to export."""

from typing import Any

from django.db.models import QuerySet

from chibo.accounts.models import User
from chibo.core.errors import NotFound
from chibo.orgs import selectors as org_selectors
from chibo.orgs.models import Organization
from chibo.orgs.scope import Actor
from chibo.workbook import rules
from chibo.workbook.models import ImportRecord

RECENT_IMPORTS = 10


def import_record_get(*, actor: Actor | None, record_id: int) -> ImportRecord:
    """One of the actor's own imports: an upload is nobody else's business."""
    if actor is None or actor.pk is None:
        raise NotFound()
    record = ImportRecord.objects.filter(pk=record_id, actor_id=actor.pk).defer("errors").first()
    if record is None:
        raise NotFound()
    return record


def import_record_errors(*, record: ImportRecord, limit: int | None = None) -> list[Any]:
    """A record's errors (the first `limit`), read only when it has some: the page polls
    running records every second, and a province's error list is large."""
    if not record.error_count:
        return []
    found: list[Any] = (
        ImportRecord.objects.filter(pk=record.pk).values_list("errors", flat=True).get() or []
    )
    return found[:limit] if limit is not None else found


def import_record_list(*, actor: Actor | None) -> QuerySet[ImportRecord]:
    """The actor's latest imports, newest first; NotFound for whoever may import nowhere (the
    list is the import page's, and the page is not theirs)."""
    rules.import_require(actor)
    if actor is None or actor.pk is None:
        return ImportRecord.objects.none()
    # A list shows counts, not errors: a province's error list is not read for it.
    return ImportRecord.objects.filter(actor_id=actor.pk).defer("errors")[:RECENT_IMPORTS]


def export_root_get(*, actor: Actor | None, org_id: int) -> Organization:
    """An organization whose subtree the actor may export. A workbook holds personal data, so
    export asks the right to import there; anything less is a 404, as for what one cannot see."""
    organization = org_selectors.org_get(actor=actor, org_id=org_id)
    if not rules.can_export(actor, organization):
        raise NotFound()
    return organization


def user_by_username(username: str) -> User | None:
    """The account a console import acts as (the console is trusted: no scope to read users)."""
    return User.objects.filter(username=username, is_active=True).first()


def org_by_code(code: str) -> Organization | None:
    """An organization by its code, for the console, which acts as the system."""
    return Organization.objects.filter(code=code).select_related("parent").first()
