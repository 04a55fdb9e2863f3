"""Documents made in the background: who asked for what, how far it got, and the file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.core.models import TimeStampedModel

# Generated files live under this prefix of the default storage, which is never served as
# such: the only way to a file is the job's download view, for its owner.
PRIVATE_PREFIX = "private/documents"


def job_file_path(job: "DocumentJob", filename: str) -> str:
    return f"{PRIVATE_PREFIX}/jobs/{job.pk or 'new'}/{filename}"


class DocumentJob(TimeStampedModel):
    """A document made in the background for one user (tệp đang tạo), with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    FINISHED = frozenset({Status.DONE, Status.FAILED})

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="document_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("document"), max_length=40)
    subject_id = models.PositiveBigIntegerField(
        _("subject"), help_text=_("The plan or registration the document is about.")
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times the worker started making it.")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="documents_documentjob_progress_at_most_100"
            )
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="documents_job_owner_new")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.subject_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
