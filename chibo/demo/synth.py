"""Synthetic trees and plans at district and province scale, for benchmarks (`chibo synth`).

Everything is invented and regular: each commune has the same number of cells and each cell the
same number of members, so the cost of a page can be compared between scales. Rows go in with
bulk_create and tree paths computed here, not node by node through treebeard, which keeps a
province (11,011 organizations, 200,000 people) within a few minutes. Codes start with "SYN-D-"
or "SYN-P-", so both scales live beside the demo and beside each other.
"""

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ, DeadlineKind, local_today, month_window
from chibo.demo.names import STOCKS
from chibo.demo.tamduong import (
    DEMO_PASSWORD,
    DUTY_WHAT,
    INVITEES_QUOTA,
    KIND_GRASSROOTS,
    KIND_GRASSROOTS_CELL,
    KIND_PROVINCE,
    KIND_SUBORDINATE_CELL,
    KIND_UPPER,
    TERM_START,
)
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.orgs import services as org_services
from chibo.orgs.models import Assignment, Body, Organization, OrgKind, Person, Position
from chibo.plans import services as plan_services
from chibo.plans.models import (
    MeetingType,
    Obligation,
    Plan,
    Registration,
    RegistrationItem,
    RegistrationVersion,
    Target,
)

BATCH = 2000
PEOPLE_CHUNK = 20_000  # people held in memory between inserts
SEED = 2025
KEPT_MEMBERS = 8  # ids remembered per cell: enough for every post a cell's members hold
FIRST_FREE_MEMBER = 2  # members 0 and 1 are the cell's secretary and deputy

ALREADY_THERE = "Quy mô {scale} đã có; không thay đổi gì (dùng --reset để tạo lại)."


@dataclasses.dataclass(frozen=True)
class Scale:
    """The shape of a synthetic tree: how many of each level, and the root's names."""

    name: str
    prefix: str  # every organization and person code of the scale starts with it
    root_kind: str
    root_place: str
    root_committee: str
    root_symbol: str
    upper_committees: int  # under the root; 0 when the root is itself the upper level
    communes: int  # grassroots committees (đảng bộ cơ sở) per upper-level committee
    cells: int  # subordinate cells per commune
    grassroots_cells: int  # chi bộ cơ sở directly under each upper-level committee
    members: int = 20  # people per cell

    @property
    def root_code(self) -> str:
        return f"{self.prefix}ROOT"

    @property
    def bantochuc(self) -> str:
        return f"synth-{self.name}-bantochuc"

    @property
    def bithu(self) -> str:
        return f"synth-{self.name}-bithu"

    @property
    def usernames(self) -> tuple[str, str]:
        return (self.bantochuc, self.bithu)


SCALES: dict[str, Scale] = {
    "district": Scale(
        name="district",
        prefix="SYN-D-",
        root_kind=KIND_UPPER,
        root_place="huyện Tổng Hợp",
        root_committee="Huyện ủy Tổng Hợp",
        root_symbol="HU",
        upper_committees=0,
        communes=15,
        cells=6,
        grassroots_cells=5,
    ),
    "province": Scale(
        name="province",
        prefix="SYN-P-",
        root_kind=KIND_PROVINCE,
        root_place="tỉnh Tổng Hợp",
        root_committee="Tỉnh ủy Tổng Hợp",
        root_symbol="TU",
        upper_committees=10,
        communes=100,
        cells=10,
        grassroots_cells=0,
    ),
}

# Invented place names: FIRST[i % 32] + SECOND[(i // 32 + i) % 32] is a different pair for
# every i below 1,024.
FIRST_SYLLABLES = (
    "An", "Bình", "Cẩm", "Diễn", "Đông", "Gia", "Hòa", "Hưng", "Kim", "Lạc", "Long", "Minh",
    "Mỹ", "Nam", "Nghĩa", "Ninh", "Phú", "Phúc", "Quang", "Quảng", "Sơn", "Tân", "Thạch",
    "Thanh", "Thuận", "Tiên", "Trung", "Vĩnh", "Văn", "Xuân", "Yên", "Đức",
)  # fmt: skip
SECOND_SYLLABLES = (
    "An", "Bình", "Châu", "Cường", "Điền", "Đồng", "Giang", "Hà", "Hải", "Hòa", "Hưng",
    "Khánh", "Lâm", "Lộc", "Lợi", "Long", "Lương", "Mỹ", "Nghĩa", "Phong", "Phú", "Phước",
    "Sơn", "Tân", "Thái", "Thành", "Thịnh", "Thủy", "Tiến", "Trạch", "Trường", "Xuyên",
)  # fmt: skip
UPPER_PLACE_OFFSET = 1000  # upper-level committees take place names the communes never use
VILLAGES = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Chợ", "Bến", "Đồi", "Mới", "Cầu",
)  # fmt: skip
OFFICES = (
    "phòng Tài chính – Kế hoạch",
    "phòng Nội vụ",
    "phòng Giáo dục và Đào tạo",
    "Trung tâm Y tế",
    "Ban quản lý dự án",
)
BodyNames = tuple[tuple[str, str], ...]  # (body kind, name with {name} and {committee})
COMMITTEE_BODIES: BodyNames = (
    (Body.Kind.EXECUTIVE_COMMITTEE, "Ban Chấp hành {name}"),
    (Body.Kind.STANDING_COMMITTEE, "Ban Thường vụ {committee}"),
    (Body.Kind.STANDING_OFFICE, "Thường trực {committee}"),
    (Body.Kind.ORGANIZATION_BOARD, "Ban Tổ chức {committee}"),
)
COMMUNE_BODIES: BodyNames = (
    (Body.Kind.EXECUTIVE_COMMITTEE, "Ban Chấp hành {name}"),
    (Body.Kind.STANDING_OFFICE, "Thường trực {committee}"),
)
CELL_BODIES: BodyNames = ((Body.Kind.CELL_COMMITTEE, "Chi ủy {name}"),)


def _place(index: int) -> str:
    first = FIRST_SYLLABLES[index % len(FIRST_SYLLABLES)]
    second = SECOND_SYLLABLES[(index // len(FIRST_SYLLABLES) + index) % len(SECOND_SYLLABLES)]
    return f"{first} {second}"


def _numbered(names: Sequence[str], number: int) -> str:
    """The number-th name of a list, with a number added once the list runs out."""
    name = names[(number - 1) % len(names)]
    return name if number <= len(names) else f"{name} {number}"


def _step(number: int) -> str:
    """One level of a treebeard materialized path: `number` in the tree's alphabet, padded."""
    alphabet: str = Organization.alphabet
    steplen: int = Organization.steplen
    digits = ""
    while number:
        number, digit = divmod(number, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(steplen, alphabet[0])


# --- Registrations ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """Where a registration stands; `meetings` are the statuses of its two meetings."""

    status: str
    on_time: bool
    meetings: tuple[str, str] | None = None


_HELD = Meeting.Status.HELD.value
_SCHEDULED = Meeting.Status.SCHEDULED.value
# Registered committees cycle through these: half accepted (with meetings scheduled or held),
# some still waiting for review, one in eight sent back. Late ones are judged at the first send.
OUTCOMES = (
    _Outcome(Registration.Status.ACCEPTED, True, (_HELD, _HELD)),
    _Outcome(Registration.Status.ACCEPTED, True, (_SCHEDULED, _SCHEDULED)),
    _Outcome(Registration.Status.ACCEPTED, True, (_HELD, _SCHEDULED)),
    _Outcome(Registration.Status.ACCEPTED, False, (_SCHEDULED, _SCHEDULED)),
    _Outcome(Registration.Status.SUBMITTED, True),
    _Outcome(Registration.Status.SUBMITTED, True),
    _Outcome(Registration.Status.SUBMITTED, False),
    _Outcome(Registration.Status.RETURNED, True),
)
RETURN_COMMENT = "Đề nghị bổ sung địa điểm và thành phần mời của từng buổi sinh hoạt."
THEMATIC_TOPIC = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def is_registered(index: int) -> bool:
    """Four obligations in five are registered, spread evenly over the tree."""
    return ((index + 1) * 4) // 5 > (index * 4) // 5


# --- Building --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SynthSummary:
    scale: str
    created: bool
    seconds: float
    organizations: int
    bodies: int
    people: int
    positions: int
    obligations: int
    registrations: int
    meetings: int
    plan_id: int


class _Synth:
    """Builds one scale: tree, bodies, people, posts, accounts, the plan and registrations."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.kinds = {kind.code: kind for kind in OrgKind.objects.all()}
        self.random = random.Random(SEED)
        self.stocks = [stock for stock, _weight in STOCKS]
        self.weights = [weight for _stock, weight in STOCKS]
        self.members: dict[int, list[int]] = {}  # cell id -> the first member ids
        self.taken: dict[int, int] = {}  # cell id -> the next member without a post
        self.body_ids: dict[tuple[int, str], int] = {}  # (organization id, kind) -> body id
        self.positions: list[Position] = []

    def build(self) -> Plan:
        scale = self.scale
        root = org_services.org_create(
            actor=None,
            parent=None,
            code=scale.root_code,
            name=f"Đảng bộ {scale.root_place}",
            kind=self.kinds[scale.root_kind],
            committee_name=scale.root_committee,
            symbol=scale.root_symbol,
        )
        # A district's root is itself the upper-level committee.
        uppers = [root]
        if scale.upper_committees:
            uppers = self._add_children([(root, self._uppers())])
        second = self._add_children(
            [
                (upper, self._communes_and_offices(index, upper))
                for index, upper in enumerate(uppers)
            ]
        )
        communes = [org for org in second if org.kind.code == KIND_GRASSROOTS]
        offices = [org for org in second if org.kind.code == KIND_GRASSROOTS_CELL]
        village_cells = self._add_children(
            [(commune, self._villages(commune)) for commune in communes]
        )
        cells = [*offices, *village_cells]
        self._people(cells)

        cells_of: dict[int, list[int]] = {}
        for cell in village_cells:
            assert cell.parent_id is not None
            cells_of.setdefault(cell.parent_id, []).append(cell.pk)
        committees = [root] if scale.upper_committees == 0 else [root, *uppers]
        self._bodies(
            [(committees, COMMITTEE_BODIES), (communes, COMMUNE_BODIES), (cells, CELL_BODIES)]
        )
        for cell in cells:
            self._cell_posts(cell)
        commune_secretaries = [
            self._commune_posts(commune, cells_of[commune.pk]) for commune in communes
        ]
        # Upper-level leaders belong to the cells of their first commune, the root's to those
        # of the first commune in the tree.
        for index, upper in enumerate(uppers):
            if upper is not root:
                first_commune = communes[index * scale.communes]
                self._committee_posts(upper, cells_of[first_commune.pk])
        board_staff = self._committee_posts(root, cells_of[communes[0].pk])
        Position.objects.bulk_create(self.positions, batch_size=BATCH)

        reviewer = self._accounts(board_staff, commune_secretaries[0])
        plan = self._plan(root)
        self._registrations(plan, cells_of, reviewer)
        return plan

    # The tree ------------------------------------------------------------------------------

    def _organization(
        self, code: str, name: str, kind: str, committee_name: str = "", short_name: str = ""
    ) -> Organization:
        symbol = {KIND_UPPER: "HU", KIND_GRASSROOTS: "ĐU"}.get(kind, "CB")
        return Organization(
            code=code,
            name=name,
            kind=self.kinds[kind],
            committee_name=committee_name,
            short_name=short_name,
            symbol=symbol,
        )

    def _uppers(self) -> list[Organization]:
        prefix = self.scale.prefix
        places = [_place(UPPER_PLACE_OFFSET + n) for n in range(self.scale.upper_committees)]
        return [
            self._organization(
                f"{prefix}{number:02d}",
                f"Đảng bộ huyện {place}",
                KIND_UPPER,
                committee_name=f"Huyện ủy {place}",
            )
            for number, place in enumerate(places, start=1)
        ]

    def _communes_and_offices(self, index: int, upper: Organization) -> list[Organization]:
        scale = self.scale
        base = scale.prefix if upper.code == scale.root_code else f"{upper.code}-"
        communes = []
        for number in range(1, scale.communes + 1):
            place = _place(index * scale.communes + number - 1)
            communes.append(
                self._organization(
                    f"{base}{number:03d}",
                    f"Đảng bộ xã {place}",
                    KIND_GRASSROOTS,
                    committee_name=f"Đảng ủy xã {place}",
                    short_name=f"Xã {place}",
                )
            )
        offices = [
            self._organization(
                f"{base}CB{number:02d}",
                f"Chi bộ {_numbered(OFFICES, number)}",
                KIND_GRASSROOTS_CELL,
            )
            for number in range(1, scale.grassroots_cells + 1)
        ]
        return [*communes, *offices]

    def _villages(self, commune: Organization) -> list[Organization]:
        return [
            self._organization(
                f"{commune.code}-{number:02d}",
                f"Chi bộ thôn {_numbered(VILLAGES, number)}",
                KIND_SUBORDINATE_CELL,
            )
            for number in range(1, self.scale.cells + 1)
        ]

    def _add_children(
        self, families: list[tuple[Organization, list[Organization]]]
    ) -> list[Organization]:
        """Insert the children of saved, childless parents, with the paths treebeard would give.

        treebeard numbers a parent's children 1, 2, … in its alphabet; depth is the number of
        steps, numchild the number of children.
        """
        children: list[Organization] = []
        for parent, family in families:
            for number, child in enumerate(family, start=1):
                child.parent = parent
                child.path = parent.path + _step(number)
                child.depth = parent.depth + 1
                child.numchild = 0
                child.refresh_derived()
                children.append(child)
            parent.numchild = len(family)
        Organization.objects.bulk_create(children, batch_size=BATCH)
        parents = [parent for parent, _family in families]
        Organization.objects.bulk_update(parents, ["numchild"], batch_size=BATCH)
        return children

    # People and posts ----------------------------------------------------------------------

    def _people(self, cells: list[Organization]) -> None:
        """`members` people in every cell; the first ids of each cell are kept for its posts."""
        people: list[Person] = []
        number = 0
        for cell in cells:
            for _index in range(self.scale.members):
                number += 1
                people.append(self._person(cell, number))
            if len(people) >= PEOPLE_CHUNK:
                self._save_people(people)
                people = []
        self._save_people(people)

    def _person(self, cell: Organization, number: int) -> Person:
        draw = self.random
        stock = draw.choices(self.stocks, weights=self.weights)[0]
        male = draw.random() < 0.6
        middle = draw.choice(stock.male_middles if male else stock.female_middles)
        given = draw.choice(stock.male_givens if male else stock.female_givens)
        roll = draw.random()
        probationary = roll < 0.05
        exempt = roll > 0.98
        if probationary:
            birth_year = draw.randint(1995, 2003)
        elif exempt:
            birth_year = draw.randint(1944, 1954)
        else:
            birth_year = draw.randint(1960, 1998)
        person = Person(
            code=f"{self.scale.prefix}DV-{number:06d}",
            full_name=f"{draw.choice(stock.families)} {middle} {given}",
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            birth_year=birth_year,
            home_cell_id=cell.pk,
            membership=Person.Membership.PROBATIONARY if probationary else Person.Membership.FULL,
            exempt=exempt,
        )
        person.refresh_derived()
        return person

    def _save_people(self, people: list[Person]) -> None:
        Person.objects.bulk_create(people, batch_size=BATCH)
        for person in people:
            assert person.home_cell_id is not None
            kept = self.members.setdefault(person.home_cell_id, [])
            if len(kept) < KEPT_MEMBERS:
                kept.append(person.pk)

    def _bodies(self, groups: list[tuple[list[Organization], BodyNames]]) -> None:
        """The bodies each group of organizations has, named after the organization."""
        bodies = [
            Body(
                organization=organization,
                kind=kind,
                name=template.format(name=organization.name, committee=organization.committee_name),
                symbol=f"BTC{organization.symbol}" if kind == Body.Kind.ORGANIZATION_BOARD else "",
            )
            for organizations, names in groups
            for organization in organizations
            for kind, template in names
        ]
        Body.objects.bulk_create(bodies, batch_size=BATCH)
        self.body_ids = {(body.organization_id, body.kind): body.pk for body in bodies}

    def _take(self, cell_ids: list[int], index: int) -> int:
        """A member of the index-th cell (round the list) who holds no post yet."""
        cell_id = cell_ids[index % len(cell_ids)]
        position = self.taken.get(cell_id, FIRST_FREE_MEMBER)
        self.taken[cell_id] = position + 1
        return self.members[cell_id][position]

    def _post(self, person_id: int, organization: Organization, body_kind: str, role: str) -> None:
        self.positions.append(
            Position(
                person_id=person_id,
                organization_id=organization.pk,
                body_id=self.body_ids[(organization.pk, body_kind)],
                role=role,
                start_on=TERM_START,
            )
        )

    def _cell_posts(self, cell: Organization) -> None:
        secretary, deputy = self.members[cell.pk][:2]
        self._post(secretary, cell, Body.Kind.CELL_COMMITTEE, Position.Role.SECRETARY)
        self._post(deputy, cell, Body.Kind.CELL_COMMITTEE, Position.Role.DEPUTY_SECRETARY)

    def _commune_posts(self, commune: Organization, cell_ids: list[int]) -> int:
        """Secretary and deputy in BCH and Thường trực, three more BCH members; the secretary."""
        role = Position.Role
        secretary, deputy, *members = (self._take(cell_ids, index) for index in range(5))
        for body_kind in (Body.Kind.EXECUTIVE_COMMITTEE, Body.Kind.STANDING_OFFICE):
            self._post(secretary, commune, body_kind, role.SECRETARY)
            self._post(deputy, commune, body_kind, role.DEPUTY_SECRETARY)
        for member in members:
            self._post(member, commune, Body.Kind.EXECUTIVE_COMMITTEE, role.MEMBER)
        return secretary

    def _committee_posts(self, committee: Organization, cell_ids: list[int]) -> int:
        """Leaders of an upper-level committee and its Organization Board; the board's clerk."""
        kind = Body.Kind
        role = Position.Role
        secretary, deputy, head, clerk = (self._take(cell_ids, index) for index in range(4))
        for body_kind in (kind.EXECUTIVE_COMMITTEE, kind.STANDING_COMMITTEE, kind.STANDING_OFFICE):
            self._post(secretary, committee, body_kind, role.SECRETARY)
            self._post(deputy, committee, body_kind, role.DEPUTY_SECRETARY)
        self._post(head, committee, kind.ORGANIZATION_BOARD, role.HEAD)
        self._post(head, committee, kind.EXECUTIVE_COMMITTEE, role.MEMBER)
        self._post(clerk, committee, kind.ORGANIZATION_BOARD, role.STAFF)
        return clerk

    def _accounts(self, board_staff: int, commune_secretary: int) -> User:
        """The scale's two logins; returns the Organization Board's, who reviews registrations."""
        password = make_password(DEMO_PASSWORD)
        people = Person.objects.in_bulk([board_staff, commune_secretary])
        users = []
        for username, person_id in (
            (self.scale.bantochuc, board_staff),
            (self.scale.bithu, commune_secretary),
        ):
            person = people[person_id]
            family_and_middle, _space, given = person.full_name.rpartition(" ")
            users.append(
                User.objects.create(
                    username=username,
                    password=password,
                    first_name=family_and_middle,
                    last_name=given,
                    person=person,
                )
            )
        return users[0]

    # The plan ------------------------------------------------------------------------------

    def _plan(self, root: Organization) -> Plan:
        """A plan of the root's Standing Committee: every commune picks two cells in March."""
        year = local_today().year
        window_start, window_end = month_window(year, 3)
        bodies = {body.kind: body for body in Body.objects.filter(organization=root)}
        standing = bodies[Body.Kind.STANDING_COMMITTEE]
        data = plan_services.PlanData(
            issuer_org=root,
            issuer_body=standing,
            number=1,
            year=year,
            issued_on=dt.date(year, 1, 20),
            place="Tổng Hợp",
            title=f"tổ chức sinh hoạt chi bộ mẫu năm {year} (dữ liệu tổng hợp)",
            signing_capacity="T/M BAN THƯỜNG VỤ",
            signer_title="BÍ THƯ",
            targets=[
                plan_services.TargetData(
                    kind=Target.Kind.QUOTA,
                    heading=(
                        "Các Đảng ủy cơ sở lựa chọn 02 chi bộ trực thuộc tổ chức sinh hoạt chi "
                        "bộ thường kỳ, sinh hoạt chuyên đề"
                    ),
                    organization=root,
                    org_kind=self.kinds[KIND_GRASSROOTS],
                    count=2,
                    meeting_types=[MeetingType.REGULAR.value, MeetingType.THEMATIC.value],
                    window_start=window_start,
                    window_end=window_end,
                    window_label=f"Hoàn thành trong tháng 3/{year}",
                    invitee_rules=INVITEES_QUOTA,
                )
            ],
            duties=[
                plan_services.DutyData(
                    what=DUTY_WHAT,
                    to_body=standing,
                    via_body=bodies[Body.Kind.ORGANIZATION_BOARD],
                    deadline=dt.date(year, 2, 20),
                    deadline_kind=DeadlineKind.BEFORE.value,
                    target_index=0,
                )
            ],
            recipients=["Các đảng ủy cơ sở", "Lưu Văn phòng"],
        )
        plan = plan_services.plan_create(actor=None, data=data)
        meeting_services.plan_issue(actor=None, plan=plan)
        return plan

    def _registrations(self, plan: Plan, cells_of: dict[int, list[int]], reviewer: User) -> None:
        """Registrations of four committees in five, written directly: the services would take
        minutes at province scale, one registration at a time."""
        target = plan.targets.get()
        year = plan.year
        obligations = list(
            Obligation.objects.filter(target=target)
            .order_by("organization__path")
            .values_list("pk", "organization_id")
        )
        chosen = [row for index, row in enumerate(obligations) if is_registered(index)]
        cell_ids = {cell for _pk, org_id in chosen for cell in cells_of[org_id][:2]}
        names = dict(Organization.objects.filter(pk__in=cell_ids).values_list("pk", "name"))
        registrations: list[Registration] = []
        schedules: list[list[tuple[int, str, dt.datetime]]] = []
        for rank, (obligation_id, organization_id) in enumerate(chosen):
            outcome = OUTCOMES[rank % len(OUTCOMES)]
            if outcome.on_time:
                sent = dt.datetime(year, 2, 5 + rank % 14, 8, 30, tzinfo=LOCAL_TZ)
            else:
                sent = dt.datetime(year, 2, 20 + rank % 6, 15, 0, tzinfo=LOCAL_TZ)
            sent += dt.timedelta(minutes=rank % 240)
            reviewed = outcome.status != Registration.Status.SUBMITTED
            registrations.append(
                Registration(
                    obligation_id=obligation_id,
                    status=outcome.status,
                    version=1,
                    first_submitted_at=sent,
                    submitted_at=sent,
                    on_time=outcome.on_time,
                    reviewed_at=sent + dt.timedelta(days=2) if reviewed else None,
                    reviewed_by=reviewer if reviewed else None,
                    review_comment=(
                        RETURN_COMMENT if outcome.status == Registration.Status.RETURNED else ""
                    ),
                )
            )
            regular_cell, thematic_cell = cells_of[organization_id][:2]
            day = 2 + rank % 25
            schedules.append(
                [
                    (
                        regular_cell,
                        MeetingType.REGULAR.value,
                        dt.datetime(year, 3, day, 8, 0, tzinfo=LOCAL_TZ),
                    ),
                    (
                        thematic_cell,
                        MeetingType.THEMATIC.value,
                        dt.datetime(year, 3, day + 1, 14, 0, tzinfo=LOCAL_TZ),
                    ),
                ]
            )
        Registration.objects.bulk_create(registrations, batch_size=BATCH)

        items: list[RegistrationItem] = []
        versions: list[RegistrationVersion] = []
        meetings: list[Meeting] = []
        for rank, (registration, schedule) in enumerate(zip(registrations, schedules, strict=True)):
            outcome = OUTCOMES[rank % len(OUTCOMES)]
            snapshot: list[dict[str, Any]] = []
            for cell_id, meeting_type, starts_at in schedule:
                venue = f"Nhà văn hóa {names[cell_id].removeprefix('Chi bộ ')}"
                items.append(
                    RegistrationItem(
                        registration=registration,
                        cell_id=cell_id,
                        meeting_type=meeting_type,
                        starts_at=starts_at,
                        venue=venue,
                    )
                )
                snapshot.append(
                    {
                        "cell": cell_id,
                        "cell_name": names[cell_id],
                        "meeting_type": meeting_type,
                        "starts_at": starts_at.astimezone(dt.UTC).isoformat(),
                        "venue": venue,
                    }
                )
            assert registration.submitted_at is not None
            versions.append(
                RegistrationVersion(
                    registration=registration,
                    number=1,
                    event=RegistrationVersion.Event.SUBMITTED,
                    at=registration.submitted_at,
                    items=snapshot,
                )
            )
            if registration.reviewed_at is not None:
                versions.append(
                    RegistrationVersion(
                        registration=registration,
                        number=1,
                        event=registration.status,
                        at=registration.reviewed_at,
                        actor=reviewer,
                        items=snapshot,
                        comment=registration.review_comment,
                    )
                )
            if outcome.meetings is None:
                continue
            for (cell_id, meeting_type, starts_at), status in zip(
                schedule, outcome.meetings, strict=True
            ):
                meetings.append(
                    Meeting(
                        cell_id=cell_id,
                        meeting_type=meeting_type,
                        is_model=True,
                        topic=THEMATIC_TOPIC if meeting_type == MeetingType.THEMATIC else "",
                        starts_at=starts_at,
                        ends_at=starts_at + dt.timedelta(hours=3),
                        venue=f"Nhà văn hóa {names[cell_id].removeprefix('Chi bộ ')}",
                        status=status,
                        target=target,
                        obligation_id=registration.obligation_id,
                    )
                )
        RegistrationItem.objects.bulk_create(items, batch_size=BATCH)
        RegistrationVersion.objects.bulk_create(versions, batch_size=BATCH)
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)


# --- Reset -----------------------------------------------------------------------------------


def _raw_delete(queryset: QuerySet[Any]) -> None:
    """Delete rows and their history rows in one statement each, without per-row signals.

    The collector of QuerySet.delete() would load every row and write a history row for each:
    minutes for 200,000 people. Rows that still point here make the transaction fail instead.
    """
    history = getattr(queryset.model, "history", None)
    if history is not None:
        rows = history.model.objects.filter(id__in=queryset.values("pk"))
        rows._raw_delete(rows.db)
    queryset._raw_delete(queryset.db)


def _delete_scale(scale: Scale) -> None:
    """Delete one scale's rows, dependents first; the demo and the other scale stay."""
    User.objects.filter(username__in=scale.usernames).delete()
    root = Organization.objects.filter(code=scale.root_code).first()
    if root is None:
        return
    tree = root.path
    people = Person.objects.filter(code__startswith=scale.prefix)
    User.objects.filter(person__in=people).update(person=None)
    # Meetings and plans are few, and other apps hang rows on them with cascades that the
    # ORM follows; their history rows (the ORM writes one per deleted row) go after them.
    meetings = Meeting.objects.filter(cell__path__startswith=tree)
    plans = Plan.objects.filter(issuer_org__path__startswith=tree)
    registrations = Registration.objects.filter(obligation__target__plan__in=plans)
    meeting_ids = list(meetings.values_list("pk", flat=True))
    plan_ids = list(plans.values_list("pk", flat=True))
    registration_ids = list(registrations.values_list("pk", flat=True))
    meetings.delete()
    plans.delete()
    Meeting.history.filter(id__in=meeting_ids).delete()
    Plan.history.filter(id__in=plan_ids).delete()
    Registration.history.filter(id__in=registration_ids).delete()
    in_tree = Q(organization__path__startswith=tree)
    _raw_delete(Assignment.objects.filter(in_tree | Q(person__code__startswith=scale.prefix)))
    _raw_delete(Position.objects.filter(in_tree | Q(person__code__startswith=scale.prefix)))
    _raw_delete(Body.objects.filter(in_tree))
    _raw_delete(people)
    _raw_delete(Organization.objects.filter(path__startswith=tree))


# --- Entry points ----------------------------------------------------------------------------


def synth_summary(scale: Scale, *, created: bool, seconds: float) -> SynthSummary:
    root = Organization.objects.get(code=scale.root_code)
    plan = Plan.objects.filter(issuer_org=root).order_by("pk").first()
    assert plan is not None
    in_tree = Q(organization__path__startswith=root.path)
    return SynthSummary(
        scale=scale.name,
        created=created,
        seconds=seconds,
        organizations=Organization.objects.filter(path__startswith=root.path).count(),
        bodies=Body.objects.filter(in_tree).count(),
        people=Person.objects.filter(code__startswith=scale.prefix).count(),
        positions=Position.objects.filter(in_tree).count(),
        obligations=Obligation.objects.filter(target__plan=plan).count(),
        registrations=Registration.objects.filter(obligation__target__plan=plan).count(),
        meetings=Meeting.objects.filter(target__plan=plan).count(),
        plan_id=plan.pk,
    )


SYNTH_TABLES = (
    Organization,
    Body,
    Person,
    Position,
    User,
    Obligation,
    Registration,
    RegistrationItem,
    RegistrationVersion,
    Meeting,
)


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows just loaded, as autovacuum would a little later.

    Until then it plans a subtree of 11,000 rows as if it held a handful, and a benchmark run
    right after loading measures that. SQLite keeps no statistics unless asked, and chibo never
    asks, so there is nothing to refresh.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in SYNTH_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def load_scale(scale: Scale, *, reset: bool = False) -> SynthSummary:
    """Build a synthetic scale in one transaction; an existing one stays unless `reset`."""
    started = time.monotonic()
    exists = Organization.objects.filter(code=scale.root_code).exists()
    if exists and not reset:
        return synth_summary(scale, created=False, seconds=time.monotonic() - started)
    _delete_scale(scale)
    _Synth(scale).build()
    _refresh_statistics()
    return synth_summary(scale, created=True, seconds=time.monotonic() - started)
