"""Plans, what they reference, what they ask (targets, reporting duties) and of whom."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.dates import DeadlineKind, deadline_cutoff, last_day_allowed
from chibo.core.models import TimeStampedModel
from chibo.orgs.models import Body, Organization, OrgKind, Person

TARGET_WINDOW_NOT_INTERVAL = _(
    "Thời gian thực hiện phải có ngày kết thúc không trước ngày bắt đầu."
)
TARGET_QUOTA_NEEDS_KIND = _("Chỉ tiêu lựa chọn phải nêu loại tổ chức phải lựa chọn.")
PLAN_NUMBER_TAKEN_CONSTRAINT = _("Số kế hoạch này đã được cấp ủy dùng trong năm này.")


class MeetingType(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")


class Plan(TimeStampedModel):
    """A plan a committee issues (kế hoạch), as structured data."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    issuer_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("cấp ủy ban hành"),
    )
    issuer_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("cơ quan ban hành"),
    )
    document_type = models.CharField(_("loại văn bản"), max_length=8, default="KH")
    number = models.PositiveIntegerField(_("số"))
    issuer_symbol = models.CharField(
        _("ký hiệu cấp ủy"),
        max_length=20,
        help_text=_("Giữ nguyên như lúc ban hành, kể cả khi cấp ủy đổi tên hay giải thể."),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    issued_on = models.DateField(_("ngày ban hành"))
    place = models.CharField(_("địa danh"), max_length=120)
    title = models.CharField(_("trích yếu"), max_length=500)
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    signing_capacity = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_plans",
        verbose_name=_("đảng viên ký"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("sao chép từ"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_org", "document_type", "year", "number"],
                name="plans_plan_number_unique_per_issuer_year",
                violation_error_message=PLAN_NUMBER_TAKEN_CONSTRAINT,
            )
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol}: {self.title}"

    @property
    def number_symbol(self) -> str:
        """The document's number and symbol as printed: "332-KH/HU"."""
        return f"{self.number}-{self.document_type}/{self.issuer_symbol}"


class LegalBasis(models.Model):
    """A document the plan implements (căn cứ): number/symbol, date, issuer, title.

    `implements` links the chain "Kế hoạch 113 … thực hiện Kết luận 18 … thực hiện Chỉ thị 10".
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    document_type = models.CharField(_("loại văn bản"), max_length=40)
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("thực hiện văn bản"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")

    def __str__(self) -> str:
        return f"{self.document_type} số {self.number}"


class PlanSection(models.Model):
    """A text section of the plan: purposes and requirements, content, implementation."""

    class Part(models.TextChoices):
        PURPOSE = "purpose", _("Mục đích, yêu cầu")
        CONTENT = "content", _("Nội dung")
        IMPLEMENTATION = "implementation", _("Tổ chức thực hiện")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    part = models.CharField(_("phần"), max_length=16, choices=Part.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    heading = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mục")
        verbose_name_plural = _("mục")

    def __str__(self) -> str:
        return self.heading or self.body[:60]


class Target(models.Model):
    """What the plan asks to be held: a designated cell's meeting, or a quota to choose.

    designated: `organization` holds a meeting of each type in `meeting_types`.
    quota: every open organization of `org_kind` under `organization` chooses `count` of its
    subordinate cells, to hold the meetings in `meeting_types`.
    """

    class Kind(models.TextChoices):
        DESIGNATED = "designated", _("Chỉ định")
        QUOTA = "quota", _("Chỉ tiêu lựa chọn")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    heading = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("tổ chức"),
        help_text=_("Chi bộ được chỉ định, hoặc cấp ủy mà các tổ chức bên dưới phải lựa chọn."),
    )
    org_kind = models.ForeignKey(
        OrgKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("loại tổ chức phải lựa chọn"),
    )
    count = models.PositiveSmallIntegerField(_("số chi bộ"), default=1)
    meeting_types = models.JSONField(_("hình thức sinh hoạt"), default=list)
    allow_same_cell = models.BooleanField(
        _("một chi bộ được tổ chức cả hai hình thức"), default=False
    )
    window_start = models.DateField(_("từ ngày"))
    window_end = models.DateField(_("đến ngày"))
    window_label = models.CharField(
        _("thời gian thực hiện"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: trong tháng 3/2025."),
    )
    invitee_rules = models.JSONField(_("thành phần mời"), default=list)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")),
                name="plans_target_window_is_interval",
                violation_error_message=TARGET_WINDOW_NOT_INTERVAL,
            ),
            models.CheckConstraint(
                condition=Q(kind="designated") | Q(org_kind__isnull=False),
                name="plans_target_quota_has_org_kind",
                violation_error_message=TARGET_QUOTA_NEEDS_KIND,
            ),
        ]

    def __str__(self) -> str:
        return self.heading or f"{self.get_kind_display()}: {self.organization}"

    def covers(self, day: dt.date) -> bool:
        return self.window_start <= day <= self.window_end


class ReportingDuty(models.Model):
    """Something the plan asks to be sent up by a date (gửi danh sách, lịch … trước ngày …)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_duties")
    target = models.ForeignKey(
        Target,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reporting_duties",
        verbose_name=_("chỉ tiêu"),
        help_text=_("Các tổ chức thuộc chỉ tiêu này phải báo cáo."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    what = models.CharField(_("nội dung báo cáo"), max_length=500)
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi về")
    )
    via_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("qua"),
    )
    deadline = models.DateField(_("hạn"))
    deadline_kind = models.CharField(
        _("cách tính hạn"),
        max_length=8,
        choices=[
            (DeadlineKind.BEFORE.value, _("trước ngày")),
            (DeadlineKind.BY_END.value, _("chậm nhất ngày")),
        ],
        default=DeadlineKind.BEFORE.value,
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")

    def __str__(self) -> str:
        return self.what

    @property
    def cutoff(self) -> dt.datetime:
        return deadline_cutoff(self.deadline, DeadlineKind(self.deadline_kind))

    @property
    def last_day(self) -> dt.date:
        return last_day_allowed(self.deadline, DeadlineKind(self.deadline_kind))


class Responsibility(models.Model):
    """Who is to do what under the plan (Tổ chức thực hiện)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung"))
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("tổ chức thực hiện")
    )
    bodies: "models.ManyToManyField[Body, Any]" = models.ManyToManyField(
        Body, blank=True, related_name="+", verbose_name=_("cơ quan")
    )
    group = models.CharField(
        _("nhóm thực hiện"),
        max_length=255,
        blank=True,
        help_text=_("Khi người thực hiện là một nhóm: ví dụ các ủy viên BCH phụ trách cơ sở."),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return self.text[:80]


class Recipient(models.Model):
    """A line of "Nơi nhận"."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recipients")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.CharField(_("nơi nhận"), max_length=255)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")

    def __str__(self) -> str:
        return self.text


class Obligation(TimeStampedModel):
    """What one organization owes under a quota target: choose cells and report them."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="obligations")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("tổ chức thực hiện"),
    )
    duty = models.ForeignKey(
        ReportingDuty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("yêu cầu báo cáo"),
    )

    class Meta:
        verbose_name = _("nghĩa vụ")
        verbose_name_plural = _("nghĩa vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "organization"], name="plans_obligation_once_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.target}"


class Registration(TimeStampedModel):
    """A committee's list and schedule for one obligation (danh sách, lịch đăng ký)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã chấp nhận")

    obligation = models.OneToOneField(
        Obligation, on_delete=models.CASCADE, related_name="registration"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("lần gửi"), default=0)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xem xét"),
    )
    review_comment = models.TextField(_("ý kiến"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký")
        verbose_name_plural = _("đăng ký")

    def __str__(self) -> str:
        return f"{self.obligation.organization}: {self.get_status_display()}"


class RegistrationItem(models.Model):
    """One chosen cell, its meeting type and the proposed time and venue."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="items")
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    meeting_type = models.CharField(_("hình thức"), max_length=16, choices=MeetingType.choices)
    starts_at = models.DateTimeField(_("thời gian"))
    venue = models.CharField(_("địa điểm"), max_length=255)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("dòng đăng ký")
        verbose_name_plural = _("dòng đăng ký")

    def __str__(self) -> str:
        return f"{self.cell}: {self.get_meeting_type_display()}"


class RegistrationVersion(models.Model):
    """What was sent and decided each time: every submission, return and acceptance is kept."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi")
        RETURNED = "returned", _("Trả lại")
        ACCEPTED = "accepted", _("Chấp nhận")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("lần"))
    event = models.CharField(_("sự kiện"), max_length=16, choices=Event.choices)
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    items = models.JSONField(_("danh sách"), default=list)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử đăng ký")
        verbose_name_plural = _("lịch sử đăng ký")

    def __str__(self) -> str:
        return f"{self.registration} #{self.number} {self.event}"
