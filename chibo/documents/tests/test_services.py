import datetime as dt
import fcntl
import io
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone, translation
from django_q.models import Schedule

from chibo.core.dates import LOCAL_TZ
from chibo.core.errors import NOT_FOUND_MESSAGE, NotFound
from chibo.documents import kinds, pdf, services
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Issued
from conftest import World

pytestmark = pytest.mark.django_db


def queued(world: World, issued: Issued, kind: str = "plan_docx") -> DocumentJob:
    return DocumentJob.objects.create(
        owner=world.officer, kind=kind, subject_id=issued.plan.pk, language="vi"
    )


def test_start_queues_the_task_after_commit(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.document_job_start(
            actor=world.officer,
            kind="plan_docx",
            subject=kinds.Subject.PLAN,
            subject_id=issued.plan.pk,
        )
    assert job.status == DocumentJob.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE
    assert job.progress == 100
    assert job.finished_at is not None
    assert job.file.name.startswith(f"private/documents/jobs/{job.pk}/ke-hoach-332-KH-HU-2025")


def test_progress_moves_forward_while_the_document_is_made(
    world: World, issued: Issued, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []

    def make(order: kinds.Order) -> kinds.Output:
        for percent in (30, 20, 70):
            order.progress(percent)
            row = DocumentJob.objects.get()
            seen.append((row.status, row.progress))
        return kinds.Output(b"text", "a.txt", "text/plain")

    probe = kinds.DocumentKind("probe", "probe.docx", kinds.Subject.PLAN, "Probe", "bi-x", make)
    monkeypatch.setitem(kinds.KINDS, "probe", probe)
    job = services.document_job_run(job_id=queued(world, issued, "probe").pk)
    assert seen == [("running", 30), ("running", 30), ("running", 70)]
    assert job is not None
    assert job.status == DocumentJob.Status.DONE
    assert job.file.read() == b"text"


def test_running_twice_changes_nothing(world: World, issued: Issued, media: Path) -> None:
    job = queued(world, issued)
    first = services.document_job_run(job_id=job.pk)
    assert first is not None
    name, finished = first.file.name, first.finished_at
    second = services.document_job_run(job_id=job.pk)
    assert second is not None
    assert (second.file.name, second.finished_at) == (name, finished)
    assert services.document_job_run(job_id=0) is None


def test_a_job_whose_owner_lost_the_plan_fails_with_not_found(
    world: World, issued: Issued, media: Path
) -> None:
    # Queued while the owner could see the plan; by the time it runs, they no longer can.
    job = DocumentJob.objects.create(
        owner=world.outsider, kind="plan_docx", subject_id=issued.plan.pk
    )
    result = services.document_job_run(job_id=job.pk)
    assert result is not None
    assert result.status == DocumentJob.Status.FAILED
    assert result.error == str(NOT_FOUND_MESSAGE)
    assert not result.file


def test_an_unknown_kind_in_the_queue_fails(world: World, issued: Issued) -> None:
    result = services.document_job_run(job_id=queued(world, issued, "gone").pk)
    assert result is not None
    assert result.status == DocumentJob.Status.FAILED
    assert result.error == str(services.JOB_UNKNOWN_KIND)


def test_an_unexpected_error_is_recorded_not_raised(
    world: World, issued: Issued, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(order: kinds.Order) -> kinds.Output:
        raise RuntimeError("disk full")

    broken = kinds.DocumentKind("broken", "broken.docx", kinds.Subject.PLAN, "Broken", "bi-x", make)
    monkeypatch.setitem(kinds.KINDS, "broken", broken)
    result = services.document_job_run(job_id=queued(world, issued, "broken").pk)
    assert result is not None
    assert result.status == DocumentJob.Status.FAILED
    assert result.error == str(services.JOB_FAILED_UNEXPECTEDLY)


def test_pdf_job_is_refused_without_libreoffice(
    world: World, issued: Issued, no_soffice: None
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.document_job_start(
            actor=world.officer,
            kind="plan_pdf",
            subject=kinds.Subject.PLAN,
            subject_id=issued.plan.pk,
        )
    assert caught.value.messages == [pdf.unavailable_message()]
    assert not DocumentJob.objects.exists()


def test_pdf_job_fails_when_libreoffice_went_away(
    world: World, issued: Issued, no_soffice: None
) -> None:
    result = services.document_job_run(job_id=queued(world, issued, "plan_pdf").pk)
    assert result is not None
    assert result.status == DocumentJob.Status.FAILED
    assert result.error == pdf.unavailable_message()


def test_start_checks_scope_before_anything(world: World, issued: Issued) -> None:
    with pytest.raises(NotFound):
        services.document_job_start(
            actor=world.outsider,
            kind="unknown",
            subject=kinds.Subject.PLAN,
            subject_id=issued.plan.pk,
        )
    with pytest.raises(ValidationError) as caught:
        services.document_job_start(
            actor=world.officer,
            kind="unknown",
            subject=kinds.Subject.PLAN,
            subject_id=issued.plan.pk,
        )
    assert caught.value.messages == [str(services.JOB_UNKNOWN_KIND)]


def test_conversion_uses_its_own_profile_and_returns_the_pdf(fake_soffice: Path) -> None:
    assert pdf.docx_to_pdf(b"PK fake docx", timeout=10).startswith(b"%PDF-1.4")


def test_conversion_that_hangs_is_stopped(
    fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_SLEEP", "30")
    started = time.monotonic()
    with translation.override("en"), pytest.raises(pdf.PdfError, match="longer than 1 seconds"):
        pdf.docx_to_pdf(b"PK fake docx", timeout=1)
    assert time.monotonic() - started < 5


def test_one_conversion_at_a_time(fake_soffice: Path) -> None:
    lock = Path(tempfile.gettempdir()) / pdf.LOCK_NAME
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            with pytest.raises(pdf.PdfBusyError):
                pdf.docx_to_pdf(b"PK fake docx", timeout=0.3)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    assert pdf.docx_to_pdf(b"PK fake docx", timeout=10).startswith(b"%PDF")


def test_missing_soffice_says_what_to_install(no_soffice: None) -> None:
    with pytest.raises(pdf.PdfUnavailableError) as caught:
        pdf.docx_to_pdf(b"PK")
    assert "apt-get install libreoffice-writer-nogui" in str(caught.value)


def test_purge_removes_old_jobs_and_their_files_only(
    world: World, issued: Issued, media: Path, settings: Any
) -> None:
    settings.CHIBO_DOC_JOB_KEEP_DAYS = 7
    old = services.document_job_start(
        actor=world.officer, kind="plan_docx", subject=kinds.Subject.PLAN, subject_id=issued.plan.pk
    )
    services.document_job_run(job_id=old.pk)
    recent = services.document_job_start(
        actor=world.officer, kind="plan_docx", subject=kinds.Subject.PLAN, subject_id=issued.plan.pk
    )
    services.document_job_run(job_id=recent.pk)
    old.refresh_from_db()
    old_file = old.file.name
    assert default_storage.exists(old_file)
    DocumentJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))

    assert services.document_jobs_purge() == 1

    assert list(DocumentJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old_file)
    recent.refresh_from_db()
    assert default_storage.exists(recent.file.name)


def test_schedule_setup_schedules_the_purge_every_night_once(world: World) -> None:
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2025, 2, 12, 10, tzinfo=LOCAL_TZ), tick=False):
        call_command("schedule_setup", stdout=out)
        call_command("schedule_setup", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Scheduled the nightly removal of old document files; next run 13/02/2025 03:00." in (
        lines
    )
    assert "Kept the nightly removal of old document files; next run 13/02/2025 03:00." in lines
    schedule = Schedule.objects.get(name=services.PURGE_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type) == (
        "chibo.documents.tasks.document_jobs_purge",
        Schedule.DAILY,
    )
