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
        PLANNED = "planned", _("Dự kiến")
        SCHEDULED = "scheduled", _("Đã lên lịch")
        HELD = "held", _("Đã tổ chức")
        CANCELLED = "cancelled", _("Đã hủy")

    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("chi bộ")
    )
    meeting_type = models.CharField(_("hình thức"), max_length=16, choices=MeetingType.choices)
    is_model = models.BooleanField(_("sinh hoạt mẫu"), default=False)
    topic = models.CharField(_("chủ đề"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    ends_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("chỉ tiêu"),
    )

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("nghĩa vụ"),
        help_text=_("Buổi sinh hoạt do tổ chức này đăng ký theo chỉ tiêu."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
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
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()}: {self.cell}"
