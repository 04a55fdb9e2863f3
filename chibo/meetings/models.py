"""Cell meetings (buổi sinh hoạt chi bộ)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.models import TimeStampedModel
from chibo.orgs.models import Body, Organization, Person
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

    invitee_rules = models.JSONField(
        _("invitee groups"),
        default=list,
        blank=True,
        help_text=_("Copied from the plan's target when the meeting is created; editable."),
    )
    combined = models.BooleanField(
        _("regular and thematic in one session"),
        default=False,
        help_text=_("Such a session must last at least 120 minutes instead of 90."),
    )
    papers_sent_at = models.DateTimeField(_("papers sent to members at"), null=True, blank=True)
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


class MeetingRules(models.Model):
    """Thresholds an administrator may change; one row (pk=1) holds them.

    Defaults: attendance above 85% with no unexcused absence marks a good meeting (Hướng dẫn
    12-HD/BTCTW); at least 90 minutes, 120 for a combined session, papers a day ahead
    (Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW).
    """

    attendance_good_percent = models.PositiveSmallIntegerField(
        _("attendance must be above (%)"), default=85
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest meeting (minutes)"), default=90)
    min_minutes_combined = models.PositiveSmallIntegerField(
        _("shortest combined session (minutes)"), default=120
    )
    papers_days_ahead = models.PositiveSmallIntegerField(
        _("papers reach members this many days ahead"), default=1
    )
    max_attachment_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=20)

    class Meta:
        verbose_name = _("meeting rules")
        verbose_name_plural = _("meeting rules")

    def __str__(self) -> str:
        return str(_("Meeting rules"))

    @classmethod
    def current(cls) -> "MeetingRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class Invitee(TimeStampedModel):
    """A person on a meeting's invitation list, with every reason they are on it.

    Rows resolved from the invitee rules carry `reasons`; manual additions and removals are
    kept with a note, so that resolving again never undoes a decision of the organizer.
    """

    class Source(models.TextChoices):
        RULES = "rules", _("Invitee groups")
        MANUAL = "manual", _("Added by hand")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("party member")
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    removed = models.BooleanField(_("removed by hand"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="meetings_invitee_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.meeting}"

    @property
    def reason_texts(self) -> list[str]:
        return [reason["text"] for reason in self.reasons]


class DocumentRegister(models.Model):
    """The running numbers one organization gives one type of document (sổ đăng ký văn bản).

    Numbers run from 1 for each document type within one committee term (nhiệm kỳ).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(_("document type"), max_length=8)
    term = models.CharField(_("term"), max_length=20)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "document_type", "term"],
                name="meetings_documentregister_one_per_type_and_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.document_type} {self.term}: {self.last_number}"


class InvitationLetter(TimeStampedModel):
    """A numbered invitation letter (giấy mời): to one person, or to one group."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="letters")
    issuer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=20, help_text=_("For example: GM/HU."))
    addressee = models.CharField(_("addressee"), max_length=500)
    group_key = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    issued_at = models.DateTimeField(_("issued at"))
    reissued_at = models.DateTimeField(_("reissued at"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("invitation letter")
        verbose_name_plural = _("invitation letters")

    def __str__(self) -> str:
        return f"{self.number_symbol}: {self.addressee}"

    @property
    def number_symbol(self) -> str:
        return f"{self.number:02d}-{self.symbol}"


class Invitation(TimeStampedModel):
    """One invitee's letter, its delivery and their answer."""

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ATTENDING = "attending", _("Will attend")
        DECLINED = "declined", _("Cannot attend")

    letter = models.ForeignKey(
        InvitationLetter, on_delete=models.CASCADE, related_name="invitations"
    )
    invitee = models.OneToOneField(Invitee, on_delete=models.CASCADE, related_name="invitation")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response = models.CharField(
        _("answer"), max_length=12, choices=Response.choices, default=Response.PENDING
    )
    response_reason = models.CharField(_("reason"), max_length=255, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.invitee.person}: {self.get_response_display()}"


class AgendaTemplate(models.Model):
    """The default sequence of a meeting of one type (Hướng dẫn 12-HD/BTCTW), editable."""

    meeting_type = models.CharField(_("meeting type"), max_length=16, choices=MeetingType.choices)
    name = models.CharField(_("name"), max_length=255)
    items = models.JSONField(_("items"), default=list)
    is_default = models.BooleanField(_("default for this type"), default=True)

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One item of a meeting's own agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Attendance(TimeStampedModel):
    """Whether one person came: a member of the cell, or an invited guest."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Absent with reason")
        ABSENT = "absent", _("Absent without reason")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_member = models.BooleanField(_("member of the cell"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="meetings_attendance_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Minutes(TimeStampedModel):
    """The minutes of a meeting (biên bản) and the resolution it adopted."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    chair = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes secretary"),
    )
    proceedings = models.JSONField(
        _("proceedings"),
        default=list,
        blank=True,
        help_text=_("By agenda item: what was said, opinions."),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)


def _attachment_path(instance: "MinutesAttachment", filename: str) -> str:
    # Private storage, never under a public URL: files are served only through a scoped view.
    return f"private/minutes/{instance.minutes_id}/{filename}"


class MinutesAttachment(TimeStampedModel):
    """A scanned signed page of the minutes (PDF or image)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Criterion(models.Model):
    """A criterion a model meeting is scored on; the default set follows Hướng dẫn 12."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class RatingLevel(models.Model):
    """A quality level reached from a total score: tốt ≥ 90, khá ≥ 70, trung bình ≥ 50, kém."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    min_score = models.PositiveSmallIntegerField(_("lowest total"))

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")

    def __str__(self) -> str:
        return self.name


class Evaluation(TimeStampedModel):
    """An observer's evaluation of a meeting: a score and comment per criterion, and lessons."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    observer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("observer")
    )
    observer_body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    total = models.PositiveSmallIntegerField(_("total"))
    rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("rating")
    )
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "observer"], name="meetings_evaluation_one_per_observer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.rating}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="meetings_evaluationscore_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class LessonsSummary(TimeStampedModel):
    """The Organization Board's lessons-learned summary of a plan for the Standing Committee."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="lessons_summary"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lessons-learned summary")
        verbose_name_plural = _("lessons-learned summaries")

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_status_display()}"
