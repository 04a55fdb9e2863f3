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

TARGET_WINDOW_NOT_INTERVAL = _("The due window must not end before it starts.")
TARGET_QUOTA_NEEDS_KIND = _("A quota target must name the kind of organization that chooses.")
PLAN_NUMBER_TAKEN_CONSTRAINT = _("The committee already used this plan number this year.")


class MeetingType(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    THEMATIC = "thematic", _("Thematic meeting")


class Plan(TimeStampedModel):
    """A plan a committee issues (kế hoạch), as structured data."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        CLOSED = "closed", _("Closed")

    issuer_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("issuing committee"),
    )
    issuer_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("issuing body"),
    )
    document_type = models.CharField(_("document type"), max_length=8, default="KH")
    number = models.PositiveIntegerField(_("number"))
    issuer_symbol = models.CharField(
        _("issuer symbol"),
        max_length=20,
        help_text=_("Kept as issued, even if the committee is renamed or dissolved."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issued_on = models.DateField(_("issued on"))
    place = models.CharField(_("place"), max_length=120)
    title = models.CharField(_("title"), max_length=500)
    preamble = models.TextField(_("preamble"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    signing_capacity = models.CharField(_("signing capacity"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer name"), max_length=120, blank=True)
    signer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_plans",
        verbose_name=_("signing member"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plan")
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
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    document_type = models.CharField(_("document type"), max_length=40)
    number = models.CharField(_("number and symbol"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuing body"), max_length=255)
    title = models.CharField(_("title"), max_length=500, blank=True)
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("implements"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")

    def __str__(self) -> str:
        return f"{self.document_type} số {self.number}"


class PlanSection(models.Model):
    """A text section of the plan: purposes and requirements, content, implementation."""

    class Part(models.TextChoices):
        PURPOSE = "purpose", _("Purposes and requirements")
        CONTENT = "content", _("Content")
        IMPLEMENTATION = "implementation", _("Implementation")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    part = models.CharField(_("part"), max_length=16, choices=Part.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=255, blank=True)
    body = models.TextField(_("content"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("section")

    def __str__(self) -> str:
        return self.heading or self.body[:60]


class Target(models.Model):
    """What the plan asks to be held: a designated cell's meeting, or a quota to choose.

    designated: `organization` holds a meeting of each type in `meeting_types`.
    quota: every open organization of `org_kind` under `organization` chooses `count` of its
    subordinate cells, to hold the meetings in `meeting_types`.
    """

    class Kind(models.TextChoices):
        DESIGNATED = "designated", _("Designated")
        QUOTA = "quota", _("Quota")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    heading = models.CharField(_("heading"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("organization"),
        help_text=_(
            "The designated cell, or the committee whose subordinate organizations must choose."
        ),
    )
    org_kind = models.ForeignKey(
        OrgKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("kind of organization that chooses"),
    )
    count = models.PositiveSmallIntegerField(_("number of cells"), default=1)
    meeting_types = models.JSONField(_("meeting types"), default=list)
    allow_same_cell = models.BooleanField(_("one cell may hold both meetings"), default=False)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    window_label = models.CharField(
        _("due window label"),
        max_length=120,
        blank=True,
        help_text=_("For example: trong tháng 3/2025."),
    )
    invitee_rules = models.JSONField(_("invitee groups"), default=list)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("target")
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
        verbose_name=_("target"),
        help_text=_("The organizations under this target must report."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    what = models.CharField(_("what is reported"), max_length=500)
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent to")
    )
    via_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("via"),
    )
    deadline = models.DateField(_("deadline"))
    deadline_kind = models.CharField(
        _("deadline kind"),
        max_length=8,
        choices=[
            (DeadlineKind.BEFORE.value, _("before the day")),
            (DeadlineKind.BY_END.value, _("by the end of the day")),
        ],
        default=DeadlineKind.BEFORE.value,
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("reporting duty")
        verbose_name_plural = _("reporting duty")

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
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("content"))
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("implementing organizations")
    )
    bodies: "models.ManyToManyField[Body, Any]" = models.ManyToManyField(
        Body, blank=True, related_name="+", verbose_name=_("body")
    )
    group = models.CharField(
        _("responsible group"),
        max_length=255,
        blank=True,
        help_text=_(
            "When a group is responsible: for example the executive committee members in "
            "charge of grassroots organizations."
        ),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibility")

    def __str__(self) -> str:
        return self.text[:80]


class Recipient(models.Model):
    """A line of "Nơi nhận"."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recipients")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("recipient"), max_length=255)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipient")

    def __str__(self) -> str:
        return self.text


class Obligation(TimeStampedModel):
    """What one organization owes under a quota target: choose cells and report them."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="obligations")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("implementing organizations"),
    )
    duty = models.ForeignKey(
        ReportingDuty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("reporting duty"),
    )

    @property
    def registration_or_none(self) -> "Registration | None":
        """Its registration, or None while the committee has not registered."""
        try:
            return self.registration
        except Registration.DoesNotExist:
            return None

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligation")
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
        DRAFT = "draft", _("Not sent yet")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    # Not sent yet, or sent back: the committee may still change it.
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    obligation = models.OneToOneField(
        Obligation, on_delete=models.CASCADE, related_name="registration"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    first_submitted_at = models.DateTimeField(_("first sent at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    @property
    def is_open_for_changes(self) -> bool:
        """The committee may change and send it: not sent yet or returned, under an issued plan."""
        return (
            self.status in self.EDITABLE_STATUSES
            and self.obligation.target.plan.status == Plan.Status.ISSUED
        )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registration")

    def __str__(self) -> str:
        return f"{self.obligation.organization}: {self.get_status_display()}"


class RegistrationItem(models.Model):
    """One chosen cell, its meeting type and the proposed time and venue."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="items")
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    meeting_type = models.CharField(_("meeting type"), max_length=16, choices=MeetingType.choices)
    starts_at = models.DateTimeField(_("time"))
    venue = models.CharField(_("venue"), max_length=255)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("registration item")
        verbose_name_plural = _("registration item")

    def __str__(self) -> str:
        return f"{self.cell}: {self.get_meeting_type_display()}"


class RegistrationVersion(models.Model):
    """What was sent and decided each time: every submission, return and acceptance is kept."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted by the board")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    items = models.JSONField(_("items"), default=list)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("registration history")
        verbose_name_plural = _("registration history")

    def __str__(self) -> str:
        return f"{self.registration} #{self.number} {self.event}"
