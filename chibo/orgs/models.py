"""The organization tree, its bodies, people, their positions and assignments."""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from chibo.core.models import TimeStampedModel
from chibo.core.text import person_sort_key, search_text, sort_key

# Messages the database constraints raise through full_clean (forms, admin, services alike).
TERM_END_BEFORE_START = _("The end date must be after the start date.")
ORG_CLOSE_BEFORE_OPEN = _("The dissolution date must be after the founding date.")
ASSIGNMENT_PERSON_OR_TEAM = _("An assignment is for exactly one person or one team.")
BODY_NAME_TAKEN = _("This organization already has a body with that name.")


class OrgKind(models.Model):
    """A kind of party organization (Đảng bộ tỉnh, Đảng bộ cơ sở, Chi bộ trực thuộc …).

    Kinds are data, not code: the 2025 reform removed a level, and administrators add kinds.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_cell = models.BooleanField(
        _("is a cell"),
        default=False,
        help_text=_("A cell: where party members hold their meetings."),
    )
    is_grassroots = models.BooleanField(
        _("is a grassroots organization"),
        default=False,
        help_text=_("A grassroots party organization or a grassroots cell."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("organization kind")
        verbose_name_plural = _("organization kind")

    def __str__(self) -> str:
        return self.name


class Organization(MP_Node, TimeStampedModel):
    """A party organization in the tree (tổ chức đảng: đảng bộ, chi bộ, tổ đảng).

    The materialized path gives subtrees by prefix. `parent` repeats the path's parent so that
    lists can show it without a query per row; services keep both in step.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    committee_name = models.CharField(
        _("committee name"),
        max_length=255,
        blank=True,
        help_text=_("For example: Huyện ủy Tam Đường."),
    )
    symbol = models.CharField(
        _("document symbol"), max_length=20, blank=True, help_text=_("For example: HU, ĐU, CB.")
    )
    valid_from = models.DateField(_("founded on"), null=True, blank=True)
    valid_to = models.DateField(_("dissolved on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=1024, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "sort_key"])

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organization")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgs_organization_valid_to_after_valid_from",
                violation_error_message=ORG_CLOSE_BEFORE_OPEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_derived(self) -> None:
        """Recompute the search and sort columns from the name fields."""
        self.search_text = search_text(self.name, self.short_name, self.committee_name, self.code)
        self.sort_key = sort_key(self.name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "sort_key"}
        super().save(*args, **kwargs)

    def is_open_on(self, day: dt.date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        not_ended = self.valid_to is None or self.valid_to >= day
        return started and not_ended

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    @property
    def display_committee(self) -> str:
        return self.committee_name or self.name


class Body(TimeStampedModel):
    """A body inside an organization: BCH, Ban Thường vụ, Thường trực, a board, a team."""

    class Kind(models.TextChoices):
        EXECUTIVE_COMMITTEE = "bch", _("Executive committee")
        STANDING_COMMITTEE = "btv", _("Standing committee")
        STANDING_OFFICE = "thuong_truc", _("Standing office")
        CELL_COMMITTEE = "chi_uy", _("Cell committee")
        ORGANIZATION_BOARD = "ban_to_chuc", _("Organization board")
        PROPAGANDA_BOARD = "ban_tuyen_giao", _("Propaganda and mass mobilization board")
        INSPECTION_COMMISSION = "uy_ban_kiem_tra", _("Inspection commission")
        OFFICE = "van_phong", _("Office")
        OTHER_ADVISORY = "co_quan_tham_muu", _("Other advisory body")
        TEAM = "to", _("Team")

    ADVISORY_KINDS = frozenset(
        {
            Kind.ORGANIZATION_BOARD,
            Kind.PROPAGANDA_BOARD,
            Kind.INSPECTION_COMMISSION,
            Kind.OFFICE,
            Kind.OTHER_ADVISORY,
        }
    )

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    symbol = models.CharField(
        _("document symbol"), max_length=20, blank=True, help_text=_("For example: BTCHU.")
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("body")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="orgs_body_unique_name_in_organization",
                violation_error_message=BODY_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_advisory(self) -> bool:
        return self.kind in self.ADVISORY_KINDS


class Person(TimeStampedModel):
    """A party member (đảng viên), identified by the party card number."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Membership(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    code = models.CharField(_("party card number"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    given_name = models.CharField(_("name"), max_length=80, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    home_cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("home cell"),
    )
    membership = models.CharField(
        _("membership"), max_length=16, choices=Membership.choices, default=Membership.FULL
    )
    exempt = models.BooleanField(_("exempt from meetings"), default=False)
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=1024, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["sort_key", "search_text"])

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party member")

    def __str__(self) -> str:
        return self.full_name

    def refresh_derived(self) -> None:
        words = self.full_name.split()
        self.given_name = words[-1] if words else ""
        self.search_text = search_text(self.full_name, self.code)
        self.sort_key = person_sort_key(self.full_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "given_name",
                "search_text",
                "sort_key",
            }
        super().save(*args, **kwargs)


class Position(TimeStampedModel):
    """A post a person holds in an organization or one of its bodies, for a term (chức vụ)."""

    class Role(models.TextChoices):
        SECRETARY = "bi_thu", _("Secretary")
        DEPUTY_SECRETARY = "pho_bi_thu", _("Deputy secretary")
        MEMBER = "uy_vien", _("Member")
        HEAD = "truong_ban", _("Head")
        DEPUTY_HEAD = "pho_truong_ban", _("Deputy head")
        CHIEF_OF_OFFICE = "chanh_van_phong", _("Chief of office")
        DEPUTY_CHIEF_OF_OFFICE = "pho_chanh_van_phong", _("Deputy chief of office")
        CHAIR = "chu_nhiem", _("Chair")
        DEPUTY_CHAIR = "pho_chu_nhiem", _("Deputy chair")
        STAFF = "cong_chuc", _("Staff")
        TEAM_LEADER = "to_truong", _("Team leader")
        TEAM_MEMBER = "thanh_vien", _("Team member")

    LEADER_ROLES = frozenset(
        {
            Role.SECRETARY,
            Role.DEPUTY_SECRETARY,
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.CHIEF_OF_OFFICE,
            Role.DEPUTY_CHIEF_OF_OFFICE,
            Role.CHAIR,
            Role.DEPUTY_CHAIR,
            Role.TEAM_LEADER,
        }
    )

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("party member")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organization"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("body"),
    )
    role = models.CharField(_("position"), max_length=24, choices=Role.choices)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("position")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="orgs_position_end_after_start",
                violation_error_message=TERM_END_BEFORE_START,
            )
        ]

    def __str__(self) -> str:
        where = self.body.name if self.body else self.organization.name
        return f"{self.get_role_display()} {where}: {self.person.full_name}"


class Assignment(TimeStampedModel):
    """A person or a team assigned to an organization (phân công phụ trách / theo dõi)."""

    class Kind(models.TextChoices):
        IN_CHARGE = "in_charge", _("In charge")
        FOLLOWS = "follows", _("Follows")

    kind = models.CharField(_("assignment kind"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("party member"),
    )
    team = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("team"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assigned organization"),
    )
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignment")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(team__isnull=True))
                | (Q(person__isnull=True) & Q(team__isnull=False)),
                name="orgs_assignment_person_xor_team",
                violation_error_message=ASSIGNMENT_PERSON_OR_TEAM,
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="orgs_assignment_end_after_start",
                violation_error_message=TERM_END_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person else (self.team.name if self.team else "")
        return f"{who} → {self.organization.name}"


def active_on(day: dt.date, start_field: str = "start_on", end_field: str = "end_on") -> Q:
    """Rows whose term covers `day` (open ends count as covering)."""
    return (Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": day})) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": day})
    )
