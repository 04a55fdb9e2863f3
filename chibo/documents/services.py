"""Documents made in the background: queue one for a user, then make it in the worker."""

import datetime as dt
import functools
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task  # type: ignore[import-untyped]

from chibo.core import faults, queue, schedules
from chibo.core.errors import NotFound, NotReadyError
from chibo.documents import kinds, pdf
from chibo.documents.models import DocumentJob
from chibo.orgs.scope import Actor

logger = logging.getLogger(__name__)

JOB_UNKNOWN_KIND = _("There is no such document.")
JOB_FAILED_UNEXPECTEDLY = _("Something went wrong while making the document. Try again later.")
JOB_WORKER_LOST = _(
    "The background worker stopped while making this document, more than once. Try again later."
)
JOB_TASK = "chibo.documents.tasks.document_job_run"


@transaction.atomic
def document_job_start(
    *, actor: Actor, kind: str, subject: kinds.Subject, subject_id: int
) -> DocumentJob:
    """Queue a document about a plan or a registration the actor can see; the worker makes it.

    A PDF is refused at once when LibreOffice is missing, rather than failing in the queue.
    """
    kinds.subject_check(actor=actor, subject=subject, subject_id=subject_id)
    document_kind = kinds.kind_get(kind)
    if document_kind is None or document_kind.subject != subject:
        raise ValidationError(JOB_UNKNOWN_KIND)
    if document_kind.is_pdf and not pdf.pdf_available():
        raise ValidationError(pdf.unavailable_message())
    job = DocumentJob(
        owner_id=actor.pk,
        kind=kind,
        subject_id=subject_id,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.full_clean()
    job.save()
    job_id = job.pk
    transaction.on_commit(lambda: async_task(JOB_TASK, job_id))
    return job


def _report_progress(job_id: int, percent: int) -> None:
    """Move the bar forward (never back) while the job runs; the page polls this row."""
    percent = max(0, min(99, percent))
    DocumentJob.objects.filter(
        pk=job_id, status=DocumentJob.Status.RUNNING, progress__lt=percent
    ).update(progress=percent, updated_at=timezone.now())


def _fail(job: DocumentJob, message: str) -> DocumentJob:
    job.status = DocumentJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


def document_job_run(*, job_id: int) -> DocumentJob | None:
    """Make a queued job's file as its owner and store it; a finished job is left alone, so
    running twice is safe.

    Not atomic on purpose: each progress step must reach the polling page while the work goes
    on, and a failure is recorded on the job rather than rolled back.
    """
    job = DocumentJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    document_kind = kinds.kind_get(job.kind)
    if document_kind is None:
        return _fail(job, str(JOB_UNKNOWN_KIND))
    job.status = DocumentJob.Status.RUNNING
    job.progress = 5
    job.started_at = timezone.now()
    job.attempts = F("attempts") + 1
    job.save(update_fields=["status", "progress", "started_at", "attempts", "updated_at"])
    job.refresh_from_db(fields=["attempts"])
    order = kinds.Order(
        actor=job.owner,
        subject_id=job.subject_id,
        progress=functools.partial(_report_progress, job.pk),
        pdf_timeout=pdf.JOB_TIMEOUT,
    )
    try:
        with translation.override(job.language):
            output = document_kind.make(order)
    except (NotFound, NotReadyError, pdf.PdfError) as error:
        return _fail(job, str(error))
    except ValidationError as error:
        return _fail(job, str(error.messages[0]) if error.messages else str(JOB_UNKNOWN_KIND))
    except Exception:
        logger.exception("document job %s (%s) failed", job.pk, job.kind)
        return _fail(job, str(JOB_FAILED_UNEXPECTEDLY))
    faults.pause_point("document_job")
    job.file.save(output.filename, ContentFile(output.content), save=False)
    job.filename = output.filename
    job.content_type = output.content_type
    job.status = DocumentJob.Status.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "file",
            "filename",
            "content_type",
            "status",
            "progress",
            "finished_at",
            "updated_at",
        ]
    )
    return job


def document_jobs_recover() -> list[DocumentJob]:
    """Jobs left running by a worker that died: retried now, or failed after MAX_ATTEMPTS.

    Called as the worker process starts (one per database), when no job of its can be running.
    """
    in_flight = queue.tasks_in_flight(JOB_TASK)
    jobs = list(DocumentJob.objects.filter(pk__in=in_flight, status=DocumentJob.Status.RUNNING))
    for job in jobs:
        if job.attempts >= queue.MAX_ATTEMPTS:
            with translation.override(job.language):
                _fail(job, str(JOB_WORKER_LOST))
            queue.task_drop(in_flight[job.pk])
        else:
            logger.warning("document job %s was lost with its worker: retrying it", job.pk)
            queue.task_release(in_flight[job.pk])
    return jobs


PURGE_SCHEDULE_NAME = "chibo: old document files"
PURGE_SCHEDULE_TASK = "chibo.documents.tasks.document_jobs_purge"
PURGE_SCHEDULE_TIME = dt.time(3, 0)


def document_jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Remove background jobs, with their files, made more than CHIBO_DOC_JOB_KEEP_DAYS days
    ago; returns how many. A file is deleted before its row, so none is left without one."""
    keep_days = int(getattr(settings, "CHIBO_DOC_JOB_KEEP_DAYS", 7))
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    removed = 0
    for job in DocumentJob.objects.filter(created_at__lt=cutoff).order_by("pk").iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


def document_jobs_purge_schedule_setup() -> str:
    """Create or correct the nightly removal of old document files (03:00 local time)."""
    schedule, created = schedules.daily_schedule_ensure(
        name=PURGE_SCHEDULE_NAME, func=PURGE_SCHEDULE_TASK, at=PURGE_SCHEDULE_TIME
    )
    return schedules.describe(schedule, created, "the nightly removal of old document files")
