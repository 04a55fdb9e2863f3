"""What a starting worker does with the jobs a dead one left running: retry once at once, then
give up with a message (the whole path, with real processes, is in test_faults.py)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import OrmQ  # type: ignore[import-untyped]
from django_q.signing import SignedPackage  # type: ignore[import-untyped]

from chibo.documents import services as document_services
from chibo.documents.models import DocumentJob
from chibo.workbook import services as workbook_services
from chibo.workbook.models import ImportRecord
from conftest import World

pytestmark = pytest.mark.django_db


def taken_by_a_worker(func: str, job_id: int) -> OrmQ:
    """A queued task as a worker leaves it when it dies: locked for the retry period."""
    payload = SignedPackage.dumps({"id": f"t{job_id}", "func": func, "args": (job_id,)})
    return OrmQ.objects.create(
        key="chibo", payload=payload, lock=timezone.now() + dt.timedelta(seconds=900)
    )


@pytest.mark.parametrize(("attempts", "retried"), [(1, True), (2, False)])
def test_a_document_job_left_running_is_retried_once_then_failed(
    world: World, attempts: int, retried: bool
) -> None:
    job = DocumentJob.objects.create(
        owner=world.officer,
        kind="letters_docx",
        subject_id=1,
        status=DocumentJob.Status.RUNNING,
        attempts=attempts,
    )
    task = taken_by_a_worker(document_services.JOB_TASK, job.pk)
    other = DocumentJob.objects.create(
        owner=world.officer, kind="letters_docx", subject_id=1, status=DocumentJob.Status.DONE
    )
    done = taken_by_a_worker(document_services.JOB_TASK, other.pk)

    assert document_services.document_jobs_recover() == [job]

    job.refresh_from_db()
    if retried:
        assert job.status == DocumentJob.Status.RUNNING
        assert OrmQ.objects.get(pk=task.pk).lock <= timezone.now()
    else:
        assert job.status == DocumentJob.Status.FAILED
        assert job.error == str(document_services.JOB_WORKER_LOST)
        assert not OrmQ.objects.filter(pk=task.pk).exists()
    # A finished job's task is not touched.
    assert OrmQ.objects.get(pk=done.pk).lock == done.lock


@pytest.mark.parametrize(
    ("status", "attempts", "after"),
    [
        (ImportRecord.Status.CHECKING, 1, ImportRecord.Status.QUEUED),
        (ImportRecord.Status.IMPORTING, 1, ImportRecord.Status.IMPORTING),
        (ImportRecord.Status.IMPORTING, 2, ImportRecord.Status.FAILED),
    ],
)
def test_an_import_left_running_is_retried_once_then_failed(
    world: World, status: str, attempts: int, after: str
) -> None:
    record = ImportRecord.objects.create(
        actor=world.officer, filename="cay.xlsx", sha256="0" * 64, status=status, attempts=attempts
    )
    task_name = (
        workbook_services.CHECK_TASK
        if status == ImportRecord.Status.CHECKING
        else workbook_services.APPLY_TASK
    )
    task = taken_by_a_worker(task_name, record.pk)

    assert workbook_services.import_records_recover() == [record]

    record.refresh_from_db()
    assert record.status == after
    if after == ImportRecord.Status.FAILED:
        assert record.errors[0]["message"] == str(workbook_services.IMPORT_WORKER_LOST)
        assert not OrmQ.objects.filter(pk=task.pk).exists()
    else:
        assert OrmQ.objects.get(pk=task.pk).lock <= timezone.now()
