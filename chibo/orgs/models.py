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
TERM_END_BEFORE_START = _("Ngày kết thúc phải sau ngày bắt đầu.")
ORG_CLOSE_BEFORE_OPEN = _("Ngày giải thể phải sau ngày thành lập.")
ASSIGNMENT_PERSON_OR_TEAM = _("Phân công phải cho đúng một người hoặc một tổ.")
BODY_NAME_TAKEN = _("Tổ chức này đã có một cơ quan cùng tên.")


class OrgKind(models.Model):
    """A kind of party organization (Đảng bộ tỉnh, Đảng bộ cơ sở, Chi bộ trực thuộc …).

    Kinds are data, not code: the 2025 reform removed a level, and administrators add kinds.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120, unique=True)
    is_cell = models.BooleanField(
        _("là chi bộ"), default=False, help_text=_("Chi bộ: nơi đảng viên sinh hoạt.")
    )
    is_grassroots = models.BooleanField(
        _("là tổ chức cơ sở đảng"),
        default=False,
        help_text=_("Đảng bộ cơ sở hoặc chi bộ cơ sở."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("loại tổ chức")
        verbose_name_plural = _("loại tổ chức")

    def __str__(self) -> str:
        return self.name


class Organization(MP_Node, TimeStampedModel):
    """A party organization in the tree (tổ chức đảng: đảng bộ, chi bộ, tổ đảng).

    The materialized path gives subtrees by prefix. `parent` repeats the path's parent so that
    lists can show it without a query per row; services keep both in step.
    """

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, verbose_name=_("loại"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cấp trên"),
    )
    committee_name = models.CharField(
        _("tên cấp ủy"), max_length=255, blank=True, help_text=_("Ví dụ: Huyện ủy Tam Đường.")
    )
    symbol = models.CharField(
        _("ký hiệu văn bản"), max_length=20, blank=True, help_text=_("Ví dụ: HU, ĐU, CB.")
    )
    valid_from = models.DateField(_("ngày thành lập"), null=True, blank=True)
    valid_to = models.DateField(_("ngày giải thể"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=1024, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "sort_key"])

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
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
        EXECUTIVE_COMMITTEE = "bch", _("Ban Chấp hành")
        STANDING_COMMITTEE = "btv", _("Ban Thường vụ")
        STANDING_OFFICE = "thuong_truc", _("Thường trực")
        CELL_COMMITTEE = "chi_uy", _("Chi ủy")
        ORGANIZATION_BOARD = "ban_to_chuc", _("Ban Tổ chức")
        PROPAGANDA_BOARD = "ban_tuyen_giao", _("Ban Tuyên giáo và Dân vận")
        INSPECTION_COMMISSION = "uy_ban_kiem_tra", _("Ủy ban Kiểm tra")
        OFFICE = "van_phong", _("Văn phòng")
        OTHER_ADVISORY = "co_quan_tham_muu", _("Cơ quan tham mưu khác")
        TEAM = "to", _("Tổ công tác")

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
        Organization, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("tổ chức")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    symbol = models.CharField(
        _("ký hiệu văn bản"), max_length=20, blank=True, help_text=_("Ví dụ: BTCHU.")
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
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
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class Membership(models.TextChoices):
        FULL = "full", _("Chính thức")
        PROBATIONARY = "probationary", _("Dự bị")

    code = models.CharField(_("số thẻ đảng viên"), max_length=40, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    given_name = models.CharField(_("tên"), max_length=80, editable=False, default="")
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    home_cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("chi bộ sinh hoạt"),
    )
    membership = models.CharField(
        _("loại đảng viên"), max_length=16, choices=Membership.choices, default=Membership.FULL
    )
    exempt = models.BooleanField(_("miễn sinh hoạt"), default=False)
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=1024, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["sort_key", "search_text"])

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")

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
        SECRETARY = "bi_thu", _("Bí thư")
        DEPUTY_SECRETARY = "pho_bi_thu", _("Phó Bí thư")
        MEMBER = "uy_vien", _("Ủy viên")
        HEAD = "truong_ban", _("Trưởng ban")
        DEPUTY_HEAD = "pho_truong_ban", _("Phó Trưởng ban")
        CHIEF_OF_OFFICE = "chanh_van_phong", _("Chánh Văn phòng")
        DEPUTY_CHIEF_OF_OFFICE = "pho_chanh_van_phong", _("Phó Chánh Văn phòng")
        CHAIR = "chu_nhiem", _("Chủ nhiệm")
        DEPUTY_CHAIR = "pho_chu_nhiem", _("Phó Chủ nhiệm")
        STAFF = "cong_chuc", _("Công chức")
        TEAM_LEADER = "to_truong", _("Tổ trưởng")
        TEAM_MEMBER = "thanh_vien", _("Thành viên")

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
        Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions", verbose_name=_("tổ chức")
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("cơ quan"),
    )
    role = models.CharField(_("chức vụ"), max_length=24, choices=Role.choices)
    start_on = models.DateField(_("từ ngày"), null=True, blank=True)
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
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
        IN_CHARGE = "in_charge", _("Phụ trách")
        FOLLOWS = "follows", _("Theo dõi, hướng dẫn")

    kind = models.CharField(_("loại phân công"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("đảng viên"),
    )
    team = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("tổ"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("tổ chức được phân công"),
    )
    start_on = models.DateField(_("từ ngày"), null=True, blank=True)
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
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
