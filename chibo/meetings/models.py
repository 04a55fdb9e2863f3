"""Cell meetings (buổi sinh hoạt chi bộ)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.models import TimeStampedModel
from chibo.orgs.models import Organization
from chibo.plans.models import MeetingType, Obligation, Target


class Meeting(TimeStampedModel):
    """One meeting of a cell: regular or thematic, perhaps a model meeting under a plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cell")
    )
    meeting_type = models.CharField(_("meeting type"), max_length=16, choices=MeetingType.choices)
    is_model = models.BooleanField(_("model meeting"), default=False)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("target"),
    )

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("obligation"),
        help_text=_("The meeting this organization registered under the target."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meeting")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "cell", "meeting_type"],
                condition=Q(target__isnull=False),
                name="meetings_meeting_once_per_target_cell_type",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meetings_meeting_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()}: {self.cell}"
