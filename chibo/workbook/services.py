"""Importing a workbook: check it (dry run), import it in one transaction, record every run.

Three ways in, one path through: the console and the API hand a file to `workbook_import`;
the page uploads it (`import_upload`), shows the dry run, and confirms (`import_confirm`), the
checking and the writing running in the background worker when the file is big.
"""

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task  # type: ignore[import-untyped]

from chibo.core import faults, queue, schedules
from chibo.orgs import services as org_services
from chibo.orgs.scope import Actor
from chibo.workbook import rules
from chibo.workbook.applying import apply_plan
from chibo.workbook.errors import RowError, WorkbookFileError
from chibo.workbook.models import ImportRecord, stale_before
from chibo.workbook.parsing import check_size, parse_workbook
from chibo.workbook.plan import ImportPlan, empty_counts
from chibo.workbook.validation import kind_vocabulary, plan_import

logger = logging.getLogger(__name__)

IMPORT_CANNOT_CONFIRM = _("This workbook cannot be imported: check it again.")
IMPORT_FAILED_UNEXPECTEDLY = _("Something went wrong while importing. Nothing was changed.")
IMPORT_CANNOT_RECHECK = _("This workbook is still being processed, or is no longer kept.")
IMPORT_WORKER_LOST = _(
    "The background worker stopped while processing this workbook, more than once. Nothing was "
    "changed: upload it again."
)
CHECK_TASK = "chibo.workbook.tasks.import_check_run"
APPLY_TASK = "chibo.workbook.tasks.import_apply_run"
IMPORT_COLLIDED = _(
    "The organization tree was changed by someone else while this workbook was being imported. "
    "Nothing was changed: check the workbook again and import it."
)

Progress = Callable[[int], None]


@dataclasses.dataclass
class ImportOutcome:
    """What a run found or did: counts per sheet, and every error."""

    counts: dict[str, dict[str, int]]
    errors: list[RowError]
    rows: int
    imported: bool

    @property
    def is_valid(self) -> bool:
        return not self.errors


def file_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(functools.partial(stream.read, 1024 * 1024), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _stream_size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _check(
    actor: Actor | None, stream: IO[bytes], size: int, progress: Progress | None = None
) -> tuple[ImportPlan | None, ImportOutcome]:
    scope = rules.import_scope(actor)
    try:
        parsed = parse_workbook(stream, size=size, kinds=kind_vocabulary(), progress=progress)
    except WorkbookFileError as error:
        return None, ImportOutcome(empty_counts(), [error.as_error()], 0, imported=False)
    plan = plan_import(
        parsed=parsed,
        scope=scope,
        manage=rules.manage_scope(actor),
        read=rules.read_scope(actor),
    )
    return plan, ImportOutcome(plan.counts, plan.errors, plan.rows, imported=False)


def workbook_import(
    *,
    actor: Actor | None,
    stream: IO[bytes],
    filename: str,
    dry_run: bool,
    progress: Progress | None = None,
) -> tuple[ImportRecord, ImportOutcome]:
    """Check a workbook and, unless it is a dry run or has an error, import it whole.

    The check that decides what to write, the writes and the record of them share one
    transaction, under the tree's write lock: a process killed halfway leaves the database as it
    was, and no other writer moves the tree between the check and the writes.
    """
    rules.import_require(actor)
    size = _stream_size(stream)
    record = ImportRecord(
        actor_id=getattr(actor, "pk", None),
        filename=filename[:255],
        sha256=file_sha256(stream),
        size=size,
        dry_run=True,
    )
    if dry_run:
        _plan, outcome = _check(actor, stream, size)
        _finish(record, outcome, ImportRecord.Status.CHECKED)
        record.save()
        return record, outcome
    done = _import_locked(lambda _stack: (record, actor, stream), progress)
    if done is None:
        raise RuntimeError("an import given its record came back without it")
    return done


Claim = Callable[[ExitStack], tuple[ImportRecord, Actor | None, IO[bytes]] | None]


def _import_locked(
    claim: Claim, progress: Progress | None
) -> tuple[ImportRecord, ImportOutcome] | None:
    """Check a workbook and write it when the check passed, in one transaction under the tree's
    write lock (taken once, before anything is read), and save its record with the outcome.

    `claim` runs under the lock and gives the record, its importer and the open workbook (None:
    nothing to do). A write the database refuses because another writer got there first rolls
    everything back and fails the record with IMPORT_COLLIDED; any other error propagates.
    """
    claimed = None
    try:
        with transaction.atomic(), ExitStack() as stack:
            org_services.tree_write_lock()
            claimed = claim(stack)
            if claimed is None:
                return None
            record, actor, stream = claimed
            outcome = _check_and_apply(record, actor, stream, progress)
            record.save()
    except DatabaseError as error:
        if claimed is None or not _collision(error):
            raise
        record = claimed[0]
        logger.exception("import of %s refused by the database", record.filename)
        _fail_record(record, IMPORT_COLLIDED)
        return record, _collided()
    return record, outcome


def _check_and_apply(
    record: ImportRecord, actor: Actor | None, stream: IO[bytes], progress: Progress | None
) -> ImportOutcome:
    """Under the tree's write lock: check, and write when the check passed."""
    plan, outcome = _check(actor, stream, record.size)
    if plan is None or not outcome.is_valid:
        _finish(record, outcome, ImportRecord.Status.CHECKED)
        return outcome
    apply_plan(plan, progress, actor=actor, reason=_history_reason(record))
    faults.pause_point("import")
    outcome.imported = True
    record.dry_run = False
    _finish(record, outcome, ImportRecord.Status.IMPORTED)
    return outcome


def _history_reason(record: ImportRecord) -> str:
    """The change reason of every history row an import writes: which workbook did it."""
    reason = gettext("Imported from Excel: {filename} ({digest})")
    return reason.format(filename=record.filename, digest=record.sha256[:12])[:100]


def _collision(error: DatabaseError) -> bool:
    """A write refused because another writer got there first: a unique path or code taken,
    or (SQLite) the database locked by the other writer. Anything else is a real failure."""
    if isinstance(error, IntegrityError):
        return True
    return isinstance(error, OperationalError) and "locked" in str(error)


def _collided() -> ImportOutcome:
    """A write refused by the database (another writer got there first): nothing was written."""
    failure = RowError("", None, "", "", str(IMPORT_COLLIDED))
    return ImportOutcome(empty_counts(), [failure], 0, imported=False)


def _finish(record: ImportRecord, outcome: ImportOutcome, success: str) -> None:
    record.status = success if outcome.is_valid else ImportRecord.Status.INVALID
    record.counts = outcome.counts
    record.errors = [error.as_dict() for error in outcome.errors]
    record.error_count = len(outcome.errors)
    record.rows = outcome.rows
    record.progress = 100
    record.finished_at = timezone.now()


# --- The page: upload, dry run, confirm ---------------------------------------------------------


def _in_background(record: ImportRecord) -> bool:
    limit: int = settings.CHIBO_IMPORT_BACKGROUND_KB
    return record.size > limit * 1024


def import_upload(*, actor: Actor, uploaded: UploadedFile, filename: str) -> ImportRecord:
    """Keep the file in private storage and check it: at once when small, else in the worker."""
    rules.import_require(actor)
    size = _stream_size(uploaded)
    try:
        check_size(size)
    except WorkbookFileError as error:
        record = ImportRecord(actor_id=actor.pk, filename=filename[:255], sha256="", size=size)
        outcome = ImportOutcome(empty_counts(), [error.as_error()], 0, imported=False)
        _finish(record, outcome, ImportRecord.Status.CHECKED)
        record.save()
        return record
    record = ImportRecord(
        actor_id=actor.pk,
        filename=filename[:255],
        sha256=file_sha256(uploaded),
        size=size,
        status=ImportRecord.Status.QUEUED,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    record.file.save(filename, uploaded, save=False)
    record.save()
    _run(record, CHECK_TASK, import_check_run)
    record.refresh_from_db()
    return record


def _run(record: ImportRecord, task: str, inline: Callable[..., object]) -> None:
    record_id = record.pk
    if _in_background(record):
        transaction.on_commit(lambda: async_task(task, record_id))
    else:
        inline(record_id=record_id)


def _report_progress(record_id: int, percent: int) -> None:
    """Move the bar forward (never back); the page polls the record."""
    percent = max(0, min(99, percent))
    ImportRecord.objects.filter(pk=record_id, progress__lt=percent).update(
        progress=percent, updated_at=timezone.now()
    )


def _start(record_id: int, status: str, expected: frozenset[str]) -> ImportRecord | None:
    """Claim a queued record for one run; None when it is gone or another run took it."""
    claimed = ImportRecord.objects.filter(pk=record_id, status__in=expected).update(
        status=status, progress=1, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    return ImportRecord.objects.select_related("actor").get(pk=record_id)


def import_check_run(*, record_id: int) -> ImportRecord | None:
    """The dry run of an uploaded workbook; safe to run twice."""
    record = _start(
        record_id, ImportRecord.Status.CHECKING, frozenset({ImportRecord.Status.QUEUED})
    )
    if record is None:
        return None
    try:
        with translation.override(record.language), record.file.open("rb") as stream:
            progress = functools.partial(_report_progress, record.pk)
            _plan, outcome = _check(record.actor, stream, record.size, progress)
    except Exception:
        logger.exception("import check %s failed", record_id)
        return _fail(record.pk)
    _finish(record, outcome, ImportRecord.Status.CHECKED)
    record.save()
    return record


@transaction.atomic
def import_confirm(*, actor: Actor, record: ImportRecord) -> ImportRecord:
    """Import a checked workbook: at once when small, else in the worker. The file is checked
    again first, since the tree may have changed since the dry run.

    The record is claimed by one conditional update: of two confirmations (a double click, two
    tabs), one wins and the other is told the workbook cannot be imported.
    """
    rules.import_require(actor)
    claimed = (
        ImportRecord.objects.filter(
            pk=record.pk, actor_id=actor.pk, status=ImportRecord.Status.CHECKED, dry_run=True
        )
        .exclude(file="")
        .update(
            status=ImportRecord.Status.IMPORTING,
            progress=0,
            attempts=0,
            updated_at=timezone.now(),
        )
    )
    if not claimed:
        raise ValidationError(IMPORT_CANNOT_CONFIRM)
    _run(record, APPLY_TASK, import_apply_run)
    record.refresh_from_db()
    return record


def import_recheck(*, actor: Actor, record: ImportRecord) -> ImportRecord:
    """Check again a workbook whose run was lost with its worker (a stale record)."""
    rules.import_require(actor)
    claimed = (
        ImportRecord.objects.filter(
            pk=record.pk,
            actor_id=actor.pk,
            status__in=ImportRecord.RUNNING,
            updated_at__lt=stale_before(),
        )
        .exclude(file="")
        .update(
            status=ImportRecord.Status.QUEUED,
            progress=0,
            dry_run=True,
            attempts=0,
            updated_at=timezone.now(),
        )
    )
    if not claimed:
        raise ValidationError(IMPORT_CANNOT_RECHECK)
    _run(record, CHECK_TASK, import_check_run)
    record.refresh_from_db()
    return record


def import_apply_run(*, record_id: int) -> ImportRecord | None:
    """Check the kept file again and import it in one transaction; safe to run twice: the run
    claims its record (locked until it ends) and does nothing when it is not waiting."""

    def claim(stack: ExitStack) -> tuple[ImportRecord, Actor | None, IO[bytes]] | None:
        record = (
            ImportRecord.objects.select_for_update(of=("self",))
            .select_related("actor")
            .filter(pk=record_id, status=ImportRecord.Status.IMPORTING, dry_run=True)
            .first()
        )
        if record is None:
            return None
        stack.enter_context(translation.override(record.language))
        return record, record.actor, stack.enter_context(record.file.open("rb"))

    # Counted outside the import's transaction, which a dead worker's rollback undoes.
    ImportRecord.objects.filter(
        pk=record_id, status=ImportRecord.Status.IMPORTING, dry_run=True
    ).update(attempts=F("attempts") + 1)
    try:
        done = _import_locked(claim, functools.partial(_report_progress, record_id))
    except Exception:
        logger.exception("import %s failed", record_id)
        return _fail(record_id, IMPORT_FAILED_UNEXPECTEDLY)
    if done is None:
        return ImportRecord.objects.filter(pk=record_id).first()
    record, _outcome = done
    if record.status == ImportRecord.Status.IMPORTED:
        _drop_file(record)
    return record


def _fail(record_id: int, message: Any = IMPORT_FAILED_UNEXPECTEDLY) -> ImportRecord | None:
    """Mark a run failed (its transaction rolled back: nothing was written) and let its file go."""
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is None:
        return None
    _fail_record(record, message)
    return record


def _fail_record(record: ImportRecord, message: Any) -> None:
    if record.pk is not None:
        # What the rolled-back run set in memory never reached the database.
        record.refresh_from_db()
    else:
        record.counts, record.rows, record.dry_run = empty_counts(), 0, True
    record.status = ImportRecord.Status.FAILED
    failure = RowError("", None, "", "", str(message))
    record.errors = [failure.as_dict()]
    record.error_count = 1
    record.progress = 100
    record.finished_at = timezone.now()
    record.save()
    _drop_file(record)


def _drop_file(record: ImportRecord) -> None:
    """An imported or failed workbook is not kept: its data is in chibo, or it must be fixed
    and uploaded again. (A checked one waits for its confirmation, an invalid one serves its
    error report; the nightly purge removes both after CHIBO_IMPORT_KEEP_DAYS.)"""
    if record.file:
        record.file.delete(save=False)
        ImportRecord.objects.filter(pk=record.pk).update(file="")


def import_records_recover() -> list[ImportRecord]:
    """Checks and imports left running by a worker that died (its transaction rolled back,
    nothing was written): retried now, or failed after MAX_ATTEMPTS starts.

    Called as the worker process starts (one per database), when no run of its can be going on.
    """
    lost: list[ImportRecord] = []
    for task, running in (
        (CHECK_TASK, ImportRecord.Status.CHECKING),
        (APPLY_TASK, ImportRecord.Status.IMPORTING),
    ):
        in_flight = queue.tasks_in_flight(task)
        records = ImportRecord.objects.filter(pk__in=in_flight, status=running)
        for record in records:
            lost.append(record)
            if record.attempts >= queue.MAX_ATTEMPTS:
                with translation.override(record.language):
                    _fail_record(record, IMPORT_WORKER_LOST)
                queue.task_drop(in_flight[record.pk])
                continue
            logger.warning("import %s was lost with its worker: retrying it", record.pk)
            if running == ImportRecord.Status.CHECKING:
                # The check claims only a queued record.
                ImportRecord.objects.filter(pk=record.pk).update(
                    status=ImportRecord.Status.QUEUED, progress=0, updated_at=timezone.now()
                )
            queue.task_release(in_flight[record.pk])
    return lost


# --- Nightly: uploaded files are not kept -------------------------------------------------------

PURGE_SCHEDULE_NAME = "chibo: old uploaded workbooks"
PURGE_SCHEDULE_TASK = "chibo.workbook.tasks.import_files_purge"
PURGE_SCHEDULE_TIME = dt.time(3, 15)


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files of workbooks checked (or found invalid) but not imported more than
    CHIBO_IMPORT_KEEP_DAYS days ago, and of any finished run that still has one; the records
    stay, with their counts and errors. Returns how many files went."""
    keep_days = int(getattr(settings, "CHIBO_IMPORT_KEEP_DAYS", 7))
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    finished = {ImportRecord.Status.IMPORTED, ImportRecord.Status.FAILED}
    waiting = {ImportRecord.Status.CHECKED, ImportRecord.Status.INVALID}
    old = ImportRecord.objects.exclude(file="").filter(
        Q(status__in=finished) | Q(status__in=waiting, updated_at__lt=cutoff)
    )
    removed = 0
    for record in old.order_by("pk").iterator():
        _drop_file(record)
        removed += 1
    return removed


def import_files_purge_schedule_setup() -> str:
    """Create or correct the nightly removal of old uploaded workbooks (03:15 local time)."""
    schedule, created = schedules.daily_schedule_ensure(
        name=PURGE_SCHEDULE_NAME, func=PURGE_SCHEDULE_TASK, at=PURGE_SCHEDULE_TIME
    )
    return schedules.describe(schedule, created, "the nightly removal of old uploaded workbooks")
