"""The record of every import: who, when, which file, what it did or would do."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.models import TimeStampedModel
from chibo.workbook.format import SHEET_NAMES

# Uploaded workbooks live under this prefix of the default storage, which is never served as
# such: the file is kept between the dry run and the confirmation, reachable only through its
# record, by the person who uploaded it.
PRIVATE_PREFIX = "private/imports"


def import_file_path(record: "ImportRecord", filename: str) -> str:
    return f"{PRIVATE_PREFIX}/{record.sha256[:2]}/{record.sha256}.xlsx"


def stale_before() -> dt.datetime:
    """Running records last touched before this moment are stale: django-q kills a task after
    its timeout, and a killed or crashed worker never says so."""
    timeout = int(getattr(settings, "Q_CLUSTER", {}).get("timeout") or 600)
    return timezone.now() - dt.timedelta(seconds=timeout + 60)


class ImportRecord(TimeStampedModel):
    """One workbook checked (dry run) or imported (nhập dữ liệu từ Excel)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, ready to import")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = frozenset({Status.QUEUED, Status.CHECKING, Status.IMPORTING})

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_records",
        verbose_name=_("imported by"),
        help_text=_("Empty for imports run by the system (the console without --actor)."),
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=300, blank=True)
    dry_run = models.BooleanField(
        _("dry run"), default=True, help_text=_("Checked only: nothing was written.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(
        _("counts"),
        default=dict,
        blank=True,
        help_text=_("Rows created, updated and unchanged, per sheet."),
    )
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times the worker started on it.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        default="vi",
        help_text=_("The uploader's language: the worker writes the messages in it."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="workbook_importrecord_progress_at_most_100"
            )
        ]
        indexes = [models.Index(fields=["actor", "-created_at"], name="workbook_import_actor_new")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """Running, but not touched for longer than the worker lets a task live: its worker
        died (its transaction rolled back, nothing was written). It may be checked again."""
        if self.status not in self.RUNNING or self.updated_at is None:
            return False
        return self.updated_at < stale_before()

    @property
    def count_rows(self) -> list[tuple[str, int, int, int]]:
        """(sheet, created, updated, unchanged) in the workbook's sheet order (PostgreSQL's
        jsonb does not keep the order of keys)."""
        counts = self.counts or {}
        return [
            (
                sheet,
                counts.get("created", {}).get(sheet, 0),
                counts.get("updated", {}).get(sheet, 0),
                counts.get("unchanged", {}).get(sheet, 0),
            )
            for sheet in SHEET_NAMES
        ]

    @property
    def can_confirm(self) -> bool:
        return self.dry_run and self.status == self.Status.CHECKED and bool(self.file)
