"""History rows (django-simple-history) turned into what a person reads: who, when, what kind of
change, why, and each changed field as label: old → new.

Knows only Django and simple-history, no domain: which rows and which fields a user may see is
decided by the selectors that call it. Cost is a fixed number of queries per model and per
related model on a page, never one per row.
"""

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ

SYSTEM = _("System")
YES = _("yes")
NO = _("no")
EMPTY = "—"
GONE = _("(deleted)")

TYPE_LABELS = {
    "+": _("created"),
    "~": _("changed"),
    "-": _("deleted"),
}
# Bookkeeping fields: they change on every save and say nothing to a reader.
SKIPPED = frozenset({"id", "created_at", "updated_at"})


@dataclasses.dataclass(frozen=True)
class FieldChange:
    """One field of a change; `old` is None on a creation. `values_shown` is False for data too
    large or structured to print (the proceedings of minutes): the change is named, not shown."""

    label: str
    old: str | None
    new: str
    values_shown: bool = True


@dataclasses.dataclass
class Entry:
    """One history row as read on a page."""

    record: Any
    kind: str
    kind_label: str
    object_label: str
    who: str
    at: dt.datetime
    change_type: str
    change_label: str
    reason: str
    changes: list[FieldChange]
    link: tuple[str, int] | None = None


def tracked_fields(model: type[models.Model], only: Collection[str] | None = None) -> list[Any]:
    """The fields of `model` a history shows, in declaration order; `only` narrows them."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED or not field.editable:
            continue
        if only is not None and field.name not in only:
            continue
        fields.append(field)
    return fields


def with_previous(history: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Annotate each history row with the id of the row before it for the same object.

    Rows follow each other in the order they were written (their history id): an import stamps
    all its rows with one date, and a replay of past events may carry any date.
    """
    manager = history.model._default_manager
    earlier = manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    previous = earlier.order_by("-history_id").values("history_id")[:1]
    annotated: models.QuerySet[Any] = history.annotate(previous_id=Subquery(previous))
    return annotated


def load_previous(records: Sequence[Any]) -> dict[tuple[type[Any], int], Any]:
    """The rows before `records` (annotated by `with_previous`), keyed by (model, history id);
    one query per history model."""
    wanted: dict[type[Any], set[int]] = defaultdict(set)
    for record in records:
        if record.previous_id is not None:
            wanted[type(record)].add(record.previous_id)
    found: dict[tuple[type[Any], int], Any] = {}
    for model, ids in wanted.items():
        for row in model._default_manager.filter(history_id__in=ids):
            found[(model, row.history_id)] = row
    return found


def _foreign_names(
    pairs: Iterable[tuple[Any, Any]], fields_of: dict[type[models.Model], list[Any]]
) -> dict[tuple[type[models.Model], Any], str]:
    """Names of every object a foreign key in the rows points to: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for record, previous in pairs:
        for field in fields_of[type(record)]:
            if not field.is_relation:
                continue
            related = field.related_model
            for row in (record, previous):
                if row is not None and getattr(row, field.attname) is not None:
                    wanted[related].add(getattr(row, field.attname))
    names: dict[tuple[type[models.Model], Any], str] = {}
    for related, ids in wanted.items():
        queryset = related._default_manager.filter(pk__in=ids)
        if related is User:
            queryset = queryset.select_related("person")
        for obj in queryset:
            names[(related, obj.pk)] = person_name(cast(User, obj)) if related is User else str(obj)
    return names


def person_name(user: User | None) -> str:
    """A user as people know them: their party member's name, else the account's name."""
    if user is None:
        return str(SYSTEM)
    if user.person_id is not None and user.person is not None:
        return user.person.full_name
    return str(user)


def _display(field: Any, value: Any, names: dict[tuple[type[models.Model], Any], str]) -> str:
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.get((field.related_model, value), str(GONE))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(YES if value else NO)
    if isinstance(field, models.DateTimeField):
        return str(timezone.localtime(value, LOCAL_TZ).strftime("%d/%m/%Y %H:%M"))
    if isinstance(field, models.DateField):
        return str(value.strftime("%d/%m/%Y"))
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return ", ".join(str(item) for item in value) or EMPTY
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_changes(
    record: Any, previous: Any | None, fields: list[Any], names: dict[Any, str]
) -> list[tuple[FieldChange, Any]]:
    """Each changed field with its FieldChange; on a creation, each field filled in."""
    changes: list[tuple[FieldChange, Any]] = []
    for field in fields:
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, "", [], {}):
            # A creation lists what was filled in, not every empty field.
            continue
        structured = isinstance(new, dict) or (
            isinstance(new, list) and not all(isinstance(item, str | int) for item in new)
        )
        change = FieldChange(
            label=str(field.verbose_name),
            old=None if previous is None else _display(field, old, names),
            new=_display(field, new, names),
            values_shown=not structured,
        )
        changes.append((change, field))
    return changes


@dataclasses.dataclass(frozen=True)
class Source:
    """How to read the history of one model.

    `label` is the path of the field naming the object in a list of changes; `link_view` and
    `link_field` the history page a row leads to. `hidden` keeps out rows a reader may not see;
    their values are never shown, not even as the old side of the next change, where only the
    `revealed` fields (what the next row made public) are listed.
    """

    kind: str
    kind_label: Any
    model: type[models.Model]
    label: str
    link_view: str
    link_field: str
    only: Collection[str] | None = None
    hidden: Q | None = None
    revealed: Collection[str] = ("status",)

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model  # type: ignore[attr-defined,no-any-return]

    def history(self) -> models.QuerySet[Any]:
        queryset = self.history_model._default_manager.all()
        if self.hidden is not None:
            queryset = queryset.exclude(self.hidden)
        return queryset

    def is_hidden(self, record: Any) -> bool:
        if self.hidden is None:
            return False
        return _matches(record, self.hidden)


def _matches(record: Any, condition: Q) -> bool:
    """Whether a loaded row meets a Q of plain `field=value` terms (all that `hidden` uses)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_matches(record, child))
        else:
            name, value = cast(tuple[str, Any], child)
            results.append(getattr(record, name) == value)
    met = all(results) if condition.connector == Q.AND else any(results)
    return not met if condition.negated else met


@dataclasses.dataclass(frozen=True)
class Part:
    """The rows of one source that a page lists (already scoped and filtered)."""

    source: Source
    rows: models.QuerySet[Any]


def _union(parts: Sequence[Part]) -> models.QuerySet[Any]:
    """One ordered, countable list of (source number, history id, date) over every part."""
    selects = [
        # History models are ordered newest first; a compound query's parts may not be.
        part.rows.order_by()
        .annotate(
            a_source=Value(number, output_field=models.IntegerField()),
            a_id=F("history_id"),
            a_at=F("history_date"),
        )
        .values("a_source", "a_id", "a_at")
        for number, part in enumerate(parts)
    ]
    first, *rest = selects
    union = first.union(*rest, all=True) if rest else first
    ordered: models.QuerySet[Any] = union.order_by("-a_at", "-a_id")
    return ordered


def history_page(parts: Sequence[Part], number: Any, per_page: int) -> Page[Any]:
    """One page of the changes in `parts`, newest first, each made into an Entry.

    Queries: the count and the page of the union, then per source on the page its rows and the
    rows before them, the names of what their foreign keys point to, and the users.
    """
    if not parts:
        return Paginator([], per_page).get_page(number)
    page = Paginator(_union(parts), per_page).get_page(number)
    wanted: dict[int, list[int]] = defaultdict(list)
    for row in page.object_list:
        wanted[row["a_source"]].append(row["a_id"])
    loaded: dict[tuple[int, int], Any] = {}
    for index, ids in wanted.items():
        source = parts[index].source
        rows = with_previous(source.history_model._default_manager.filter(history_id__in=ids))
        rows = rows.annotate(a_label=F(source.label), a_link=F(source.link_field))
        for record in rows:
            loaded[(index, record.history_id)] = record
    records = [loaded[(row["a_source"], row["a_id"])] for row in page.object_list]
    sources = {part.source.history_model: part.source for part in parts}
    page.object_list = entries(records, sources)
    return page


def entries(records: Sequence[Any], sources: dict[type[models.Model], Source]) -> list[Entry]:
    """Entries for `records` (history rows annotated by `with_previous`, with `a_label` and
    `a_link`), in the given order."""
    previous_rows = load_previous(records)
    fields_of = {
        history_model: [
            field
            for field in tracked_fields(source.model, source.only)
            if _kept(history_model, field.attname)
        ]
        for history_model, source in sources.items()
    }
    pairs: list[tuple[Any, Any, bool]] = []
    for record in records:
        previous = previous_rows.get((type(record), record.previous_id))
        hidden = previous is not None and sources[type(record)].is_hidden(previous)
        pairs.append((record, None if hidden else previous, hidden))
    names = _foreign_names(((record, previous) for record, previous, _ in pairs), fields_of)
    users = _users(records)
    result = []
    for record, previous, hidden in pairs:
        source = sources[type(record)]
        changed = _field_changes(record, previous, fields_of[type(record)], names)
        if hidden:
            changes = [change for change, field in changed if field.name in source.revealed]
        else:
            changes = [change for change, _field in changed]
        link = None
        if record.a_link is not None:
            link = (source.link_view, record.a_link)
        result.append(
            Entry(
                record=record,
                kind=source.kind,
                kind_label=str(source.kind_label),
                object_label=str(record.a_label or source.kind_label),
                who=person_name(users.get(record.history_user_id)),
                at=record.history_date,
                change_type=record.history_type,
                change_label=str(TYPE_LABELS.get(record.history_type, "")),
                reason=record.history_change_reason or "",
                changes=changes,
                link=link,
            )
        )
    return result


def _kept(history_model: type[models.Model], attname: str) -> bool:
    """Whether the history table keeps a field (a model may leave some out of its history)."""
    return any(field.attname == attname for field in history_model._meta.concrete_fields)


def _users(records: Iterable[Any]) -> dict[int, User]:
    ids = {record.history_user_id for record in records if record.history_user_id is not None}
    if not ids:
        return {}
    return {user.pk: user for user in User.objects.filter(pk__in=ids).select_related("person")}
