"""The demo: Tam Đường district (Lai Châu) as it stood when Kế hoạch 332-KH/HU was issued.

The tree, the bodies and the plan follow the real document; every person is invented except the
signer the seed prints. `load_demo` writes it all in one transaction, through the services, and
does nothing when the demo is already there.
"""

import dataclasses
import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from unidecode import unidecode

from chibo.accounts.models import User
from chibo.core.dates import DeadlineKind, month_window
from chibo.demo.names import DEFAULT_SEED, NameGenerator
from chibo.demo.progress import play_plan_332
from chibo.orgs import services as org_services
from chibo.orgs.models import Assignment, Body, Organization, OrgKind, Person, Position
from chibo.plans import services as plan_services
from chibo.plans.models import MeetingType, Plan, PlanSection, Recipient, Target

DEMO_PASSWORD = "chibo-demo"
ALREADY_LOADED = "Dữ liệu mẫu đã có; không thay đổi gì."

ROOT_CODE = "LAICHAU"
DISTRICT_CODE = "TAMDUONG"
TERM_START = dt.date(2020, 10, 1)

SIGNER_NAME = "Cao Trang Trọng"

# Org kind codes, as the default kinds migration creates them.
KIND_PROVINCE = "dang_bo_tinh"
KIND_UPPER = "dang_bo_cap_tren_co_so"
KIND_GRASSROOTS = "dang_bo_co_so"
KIND_GRASSROOTS_CELL = "chi_bo_co_so"
KIND_SUBORDINATE_CELL = "chi_bo_truc_thuoc"


# --- The tree ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Commune:
    """A grassroots committee of the district: the town or a commune, with its cells."""

    place: str
    cells: tuple[str, ...]
    is_town: bool = False

    @property
    def unit(self) -> str:
        """The local unit: xã Bản Bo, thị trấn Tam Đường."""
        return f"{'thị trấn' if self.is_town else 'xã'} {self.place}"

    @property
    def name(self) -> str:
        return f"Đảng bộ {self.unit}"

    @property
    def committee_name(self) -> str:
        return f"Đảng ủy {self.unit}"

    @property
    def code(self) -> str:
        ascii_place = unidecode(self.place).upper().replace(" ", "")
        return f"TD-{'TT' if self.is_town else ''}{ascii_place}"

    @property
    def slug(self) -> str:
        return slugify(unidecode(self.unit if self.is_town else self.place))

    @property
    def username(self) -> str:
        return f"bithu-{self.slug}"


# Village and school cells are plausible invented names, not a register of the real ones.
COMMUNES: tuple[Commune, ...] = (
    Commune(
        "Tam Đường",
        (
            "Chi bộ Tổ dân phố số 1",
            "Chi bộ Tổ dân phố số 2",
            "Chi bộ Tổ dân phố số 3",
            "Chi bộ Trường Tiểu học thị trấn Tam Đường",
            "Chi bộ Trường Mầm non thị trấn Tam Đường",
        ),
        is_town=True,
    ),
    Commune(
        "Bản Bo",
        (
            "Chi bộ bản Nà Đon",
            "Chi bộ bản Nà Bỏ",
            "Chi bộ bản Phiêng Phát",
            "Chi bộ Trường Tiểu học Bản Bo",
        ),
    ),
    Commune(
        "Bản Giang",
        ("Chi bộ bản Hợp 1", "Chi bộ bản Nà Luồng", "Chi bộ Trường Tiểu học Bản Giang"),
    ),
    Commune(
        "Bản Hon",
        (
            "Chi bộ bản Đông Pao",
            "Chi bộ bản Nà Khương",
            "Chi bộ bản Tẩn Phìn",
            "Chi bộ Trường Trung học cơ sở Bản Hon",
        ),
    ),
    Commune(
        "Bình Lư",
        (
            "Chi bộ bản Nà Hiểm",
            "Chi bộ bản Nà Khum",
            "Chi bộ bản Phiêng Pẳng",
            "Chi bộ bản Nà Pa",
            "Chi bộ Trường Trung học cơ sở Bình Lư",
        ),
    ),
    Commune(
        "Giang Ma",
        ("Chi bộ bản Giang Ma", "Chi bộ bản Sáy San", "Chi bộ Trường Tiểu học Giang Ma"),
    ),
    Commune(
        "Hồ Thầu",
        (
            "Chi bộ bản Hồ Thầu",
            "Chi bộ bản Tả Chải",
            "Chi bộ bản Phìn Hồ",
            "Chi bộ Trường Tiểu học Hồ Thầu",
        ),
    ),
    Commune(
        "Khun Há",
        (
            "Chi bộ bản Khun Há",
            "Chi bộ bản Can Hồ",
            "Chi bộ bản Sùng Chô",
            "Chi bộ Trường Trung học cơ sở Khun Há",
        ),
    ),
    Commune(
        "Nà Tăm",
        ("Chi bộ bản Nà Tăm", "Chi bộ bản Hoi", "Chi bộ Trường Tiểu học Nà Tăm"),
    ),
    Commune(
        "Nùng Nàng",
        (
            "Chi bộ bản Nùng Nàng",
            "Chi bộ bản Cò Ký",
            "Chi bộ bản Phan Lìn",
            "Chi bộ Trường Tiểu học Nùng Nàng",
        ),
    ),
    Commune(
        "Sơn Bình",
        (
            "Chi bộ bản Sơn Bình",
            "Chi bộ bản Hợp Nhất",
            "Chi bộ bản Thẩm Phé",
            "Chi bộ Trường Trung học cơ sở Sơn Bình",
        ),
    ),
    Commune(
        "Tả Lèng",
        (
            "Chi bộ bản Tả Lèng",
            "Chi bộ bản Lùng Thàng",
            "Chi bộ bản Sin Chải",
            "Chi bộ Trường Tiểu học Tả Lèng",
        ),
    ),
    Commune(
        "Thèn Sin",
        ("Chi bộ bản Thèn Sin", "Chi bộ bản Sin Câu", "Chi bộ Trường Tiểu học Thèn Sin"),
    ),
)

# Cells of the district offices (chi bộ cơ sở), by code. The last one is where the staff of
# Huyện ủy's own bodies belong: every member needs a cell.
KTHT_CODE = "TD-KTHT"
BQLR_CODE = "TD-BQLRPH"
OFFICE_CELLS: tuple[tuple[str, str], ...] = (
    (KTHT_CODE, "Chi bộ phòng Kinh tế và Hạ tầng"),
    (BQLR_CODE, "Chi bộ Ban quản lý rừng phòng hộ"),
    ("TD-TCKH", "Chi bộ phòng Tài chính – Kế hoạch"),
    ("TD-GDDT", "Chi bộ phòng Giáo dục và Đào tạo"),
    ("TD-NOIVU", "Chi bộ phòng Nội vụ"),
    ("TD-NNPTNT", "Chi bộ phòng Nông nghiệp và Phát triển nông thôn"),
    ("TD-CQHU", "Chi bộ Cơ quan Huyện ủy"),
)
HUYEN_UY_CELL_CODE = "TD-CQHU"

TEAM_NAME = "Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ số {number}"
# Which communes each monitoring team follows (by place); every commune has exactly one team.
TEAM_COMMUNES: tuple[tuple[str, ...], ...] = (
    ("Tam Đường", "Bản Bo", "Bình Lư", "Sơn Bình", "Nà Tăm"),
    ("Bản Giang", "Bản Hon", "Hồ Thầu", "Thèn Sin"),
    ("Giang Ma", "Khun Há", "Nùng Nàng", "Tả Lèng"),
)

BCH_SIZE = 25
OTHER_BTV_MEMBERS = 3  # BTV members beyond Thường trực and the heads of the boards
COMMUNE_BCH_MEMBERS = 7  # besides the secretary and the deputy
CELL_MEMBERS = (4, 8)


# --- The accounts --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DemoAccount:
    """A demo login: its username, whom it stands for, and what it may see and do."""

    username: str
    who: str
    scope: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Quản trị hệ thống", "Toàn bộ (quản trị Django)"),
    DemoAccount("bantochuc", "Công chức Ban Tổ chức Huyện ủy", "Quản lý: Đảng bộ huyện Tam Đường"),
    DemoAccount(
        "thuongtruc", "Bí thư Huyện ủy (Thường trực Huyện ủy)", "Xem: Đảng bộ huyện Tam Đường"
    ),
    *(
        DemoAccount(
            commune.username, f"Bí thư {commune.committee_name}", f"Thao tác: {commune.name}"
        )
        for commune in COMMUNES
    ),
)


def demo_account_rows() -> list[tuple[str, str, str]]:
    """(username, who with the person's name when loaded, scope) for every demo account."""
    names = dict(
        User.objects.filter(
            username__in=[account.username for account in DEMO_ACCOUNTS], person__isnull=False
        ).values_list("username", "person__full_name")
    )
    rows = []
    for account in DEMO_ACCOUNTS:
        name = names.get(account.username)
        who = f"{account.who}: {name}" if name else account.who
        rows.append((account.username, who, account.scope))
    return rows


@dataclasses.dataclass(frozen=True)
class DemoSummary:
    created: bool
    organizations: int
    bodies: int
    people: int
    positions: int
    assignments: int
    plans: int
    users: int


def demo_summary(*, created: bool) -> DemoSummary:
    return DemoSummary(
        created=created,
        organizations=Organization.objects.count(),
        bodies=Body.objects.count(),
        people=Person.objects.count(),
        positions=Position.objects.count(),
        assignments=Assignment.objects.count(),
        plans=Plan.objects.count(),
        users=User.objects.count(),
    )


# --- The plan's own words ------------------------------------------------------------------

PLAN_TITLE = "tổ chức sinh hoạt chi bộ mẫu năm 2025"
PLAN_PREAMBLE = (
    "Thực hiện Kế hoạch số 113-KH/HU, ngày 22/3/2018 của Ban Thường vụ Huyện ủy về thực hiện "
    "Kết luận số 18-KL/TW, ngày 22/9/2017 của Ban Bí thư về tiếp tục đẩy mạnh thực hiện Chỉ thị "
    'số 10-CT/TW, ngày 30/3/2007 của Ban Bí thư khóa X "Về nâng cao chất lượng sinh hoạt chi bộ" '
    "trong tình hình mới, Ban Thường vụ Huyện ủy ban hành Kế hoạch tổ chức sinh hoạt chi bộ mẫu "
    "năm 2025 như sau:"
)
CT10_TITLE = "Về nâng cao chất lượng sinh hoạt chi bộ"
KL18_TITLE = (
    "về tiếp tục đẩy mạnh thực hiện Chỉ thị số 10-CT/TW, ngày 30/3/2007 của Ban Bí thư khóa X "
    f'"{CT10_TITLE}" trong tình hình mới'
)
KH113_TITLE = f"về thực hiện Kết luận số 18-KL/TW, ngày 22/9/2017 của Ban Bí thư {KL18_TITLE}"

PURPOSES = (
    "1. Nhằm nâng cao nhận thức của các cấp ủy, tổ chức đảng và đảng viên về vai trò, vị trí của "
    "chi bộ và tầm quan trọng của việc nâng cao chất lượng sinh hoạt chi bộ; nâng cao trách "
    "nhiệm của các cấp ủy, tổ chức đảng trong việc lãnh đạo, chỉ đạo, thực hiện nâng cao chất "
    "lượng sinh hoạt chi bộ.",
    "2. Thông qua các buổi sinh hoạt chi bộ mẫu giúp các cấp ủy, tổ chức đảng học tập, trao đổi, "
    "kịp thời rút kinh nghiệm trong công tác chỉ đạo, chuẩn bị, tổ chức sinh hoạt chi bộ thường "
    "kỳ, sinh hoạt chuyên đề, góp phần nâng cao chất lượng sinh hoạt chi bộ.",
    "3. Các chi bộ, đảng bộ cơ sở bám sát các văn bản chỉ đạo, hướng dẫn của cấp trên về nâng cao "
    "chất lượng sinh hoạt chi bộ và nội dung Kế hoạch này, chỉ đạo, chuẩn bị, tổ chức sinh hoạt "
    "chi bộ mẫu đảm bảo thời gian, chất lượng.",
)
CONTENT_CELLS_HEADING = "1. Đối với các chi bộ cơ sở"
CONTENT_CELLS = (
    "- Chọn Chi bộ phòng Kinh tế và Hạ tầng tổ chức sinh hoạt chi bộ thường kỳ, Chi bộ Ban quản "
    "lý rừng phòng hộ tổ chức sinh hoạt chuyên đề.\n"
    "- Thành phần mời dự sinh hoạt: Thường trực Huyện ủy; các đồng chí Ủy viên Ban Chấp hành Đảng "
    "bộ huyện; Bí thư, phó Bí thư các chi bộ cơ sở; lãnh đạo, công chức các cơ quan tham mưu, "
    "giúp việc Huyện ủy.\n"
    "- Thời gian thực hiện: Hoàn thành trong tháng 3/2025 (Có giấy mời cụ thể sau)."
)
CONTENT_COMMITTEES_HEADING = "2. Đối với các đảng ủy cơ sở"
CONTENT_COMMITTEES = (
    "- Các Đảng ủy cơ sở lựa chọn 02 chi bộ trực thuộc tổ chức sinh hoạt chi bộ thường kỳ, sinh "
    "hoạt chuyên đề, để rút kinh nghiệm, triển khai thực hiện.\n"
    "- Thời gian thực hiện: Hoàn thành trong tháng 3/2025.\n"
    "- Thành phần mời dự sinh hoạt: Các đồng chí Ủy viên Ban Chấp hành Đảng bộ cơ sở; bí thư, phó "
    "bí thư các chi bộ trực thuộc; Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ của huyện được "
    "phân công theo dõi xã."
)
# III.1–III.4 without their numbers; the sections below carry the numbered text.
IMPLEMENTATION = (
    "Căn cứ Kế hoạch này, các chi bộ, đảng bộ cơ sở nghiêm túc triển khai thực hiện. Các đảng "
    "ủy cơ sở gửi danh sách, lịch tổ chức sinh hoạt chi bộ thường kỳ mẫu, sinh hoạt chuyên đề "
    "mẫu về Ban Thường vụ Huyện ủy (qua Ban Tổ chức Huyện ủy) trước ngày 20/02/2025",
    "Chi bộ Phòng Kinh tế và Hạ tầng, Chi bộ Ban quản lý rừng phòng hộ chuẩn bị nội dung, tổ "
    "chức sinh hoạt chi bộ mẫu đảm bảo thời gian, chất lượng.",
    "Giao Ban Tổ chức Huyện ủy phối hợp, hướng dẫn Chi bộ Phòng Kinh tế và Hạ tầng, Chi bộ Ban "
    "quản lý rừng phòng hộ chuẩn bị, tổ chức sinh hoạt chi bộ mẫu theo quy định; tham mưu cho "
    "Thường trực Huyện ủy nội dung rút kinh nghiệm sau buổi sinh hoạt mẫu.",
    "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ huyện được phân công phụ trách Đảng bộ cơ sở chỉ "
    "đạo Đảng ủy cơ sở lựa chọn, tổ chức sinh hoạt chi bộ mẫu năm 2025 đảm bảo Kế hoạch.",
)
IN_CHARGE_GROUP = "Các đồng chí Ủy viên BCH Đảng bộ huyện được phân công phụ trách Đảng bộ cơ sở"
RECIPIENTS = (
    "Ban Tổ chức Tỉnh ủy",
    "Các chi, đảng bộ cơ sở",
    "Các cơ quan tham mưu, giúp việc Huyện ủy",
    "Các đ/c Ủy viên BCH Đảng bộ huyện",
)
WINDOW_LABEL = "Hoàn thành trong tháng 3/2025"
INVITATION_NOTE = "Có giấy mời cụ thể sau"
DUTY_WHAT = "danh sách, lịch tổ chức sinh hoạt chi bộ thường kỳ mẫu, sinh hoạt chuyên đề mẫu"

INVITEES_DESIGNATED: list[dict[str, str]] = [
    {"group": "body", "body": "thuong_truc", "of": DISTRICT_CODE, "label": "Thường trực Huyện ủy"},
    {
        "group": "body",
        "body": "bch",
        "of": DISTRICT_CODE,
        "label": "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ huyện",
    },
    {
        "group": "secretaries",
        "of_kind": KIND_GRASSROOTS_CELL,
        "under": DISTRICT_CODE,
        "label": "Bí thư, phó Bí thư các chi bộ cơ sở",
    },
    {
        "group": "advisory",
        "of": DISTRICT_CODE,
        "label": "Lãnh đạo, công chức các cơ quan tham mưu, giúp việc Huyện ủy",
    },
]
INVITEES_QUOTA: list[dict[str, str]] = [
    {
        "group": "body",
        "body": "bch",
        "of": "@obligated",
        "label": "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ cơ sở",
    },
    {
        "group": "secretaries",
        "of_kind": KIND_SUBORDINATE_CELL,
        "under": "@obligated",
        "label": "Bí thư, phó bí thư các chi bộ trực thuộc",
    },
    {
        "group": "team_following",
        "of": "@obligated",
        "label": "Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ của huyện được phân công theo dõi xã",
    },
]


# --- The loader ----------------------------------------------------------------------------


@dataclasses.dataclass
class _District:
    """What the plan and the accounts need to find again once the tree is built."""

    root: Organization
    district: Organization
    province_board: Body
    bodies: dict[str, Body]  # district bodies by kind, except teams
    teams: list[Body]
    office_cells: dict[str, Organization]  # by code
    communes: dict[str, Organization]  # by place
    commune_secretaries: dict[str, Person]  # by place
    district_secretary: Person
    signer: Person
    organization_board_staff: Person


class _Builder:
    """Makes the demo's organizations, people and posts in a fixed order."""

    def __init__(self) -> None:
        self.names = NameGenerator(DEFAULT_SEED)
        self.random = random.Random(DEFAULT_SEED)
        self.kinds = {kind.code: kind for kind in OrgKind.objects.all()}
        self.card_number = 0

    def organization(
        self,
        parent: Organization | None,
        *,
        code: str,
        name: str,
        kind: str,
        committee_name: str = "",
        symbol: str = "",
        short_name: str = "",
    ) -> Organization:
        return org_services.org_create(
            actor=None,
            parent=parent,
            code=code,
            name=name,
            kind=self.kinds[kind],
            committee_name=committee_name,
            symbol=symbol,
            short_name=short_name,
        )

    def body(self, organization: Organization, kind: str, name: str, symbol: str = "") -> Body:
        return org_services.body_create(
            actor=None, organization=organization, kind=kind, name=name, symbol=symbol
        )

    def person(
        self,
        home_cell: Organization,
        *,
        leader: bool = False,
        gender: str | None = None,
        membership: str = Person.Membership.FULL,
        exempt: bool = False,
    ) -> Person:
        invented = self.names.next(gender)
        if exempt:
            birth_year = self.random.randint(1944, 1954)
        elif membership == Person.Membership.PROBATIONARY:
            birth_year = self.random.randint(1995, 2003)
        elif leader:
            birth_year = self.random.randint(1966, 1984)
        else:
            birth_year = self.random.randint(1960, 1998)
        return self._person(
            invented.full_name,
            home_cell,
            gender=invented.gender,
            birth_year=birth_year,
            membership=membership,
            exempt=exempt,
        )

    def real_person(self, full_name: str, home_cell: Organization) -> Person:
        """A real person the seed names: only the name is known, nothing else is made up."""
        return self._person(full_name, home_cell)

    def _person(
        self,
        full_name: str,
        home_cell: Organization,
        *,
        gender: str = "",
        birth_year: int | None = None,
        membership: str = Person.Membership.FULL,
        exempt: bool = False,
    ) -> Person:
        self.card_number += 1
        return org_services.person_create(
            actor=None,
            code=f"DV-{self.card_number:06d}",
            full_name=full_name,
            home_cell=home_cell,
            gender=gender,
            birth_year=birth_year,
            membership=membership,
            exempt=exempt,
        )

    def post(self, person: Person, body: Body, role: str) -> Position:
        return org_services.position_create(
            actor=None,
            person=person,
            organization=body.organization,
            body=body,
            role=role,
            start_on=TERM_START,
        )

    def cell(self, parent: Organization, *, code: str, name: str, kind: str) -> Organization:
        """A cell with its cell committee, secretary, deputy and ordinary members."""
        cell = self.organization(parent, code=code, name=name, kind=kind, symbol="CB")
        committee = self.body(cell, Body.Kind.CELL_COMMITTEE, f"Chi ủy {name}")
        self.post(self.person(cell, leader=True), committee, Position.Role.SECRETARY)
        self.post(self.person(cell, leader=True), committee, Position.Role.DEPUTY_SECRETARY)
        for index in range(self.random.randint(*CELL_MEMBERS)):
            roll = self.random.random()
            # The two model cells always show a probationary and an exempt member.
            forced_probationary = index == 0 and code == KTHT_CODE
            forced_exempt = index == 1 and code in {KTHT_CODE, BQLR_CODE}
            if forced_probationary or (not forced_exempt and roll < 0.05):
                self.person(cell, membership=Person.Membership.PROBATIONARY)
            elif forced_exempt or roll > 0.97:
                self.person(cell, exempt=True)
            else:
                self.person(cell)
        return cell

    def build(self) -> _District:
        root = self.organization(
            None,
            code=ROOT_CODE,
            name="Đảng bộ tỉnh Lai Châu",
            kind=KIND_PROVINCE,
            committee_name="Tỉnh ủy Lai Châu",
            symbol="TU",
        )
        province_board = self.body(
            root, Body.Kind.ORGANIZATION_BOARD, "Ban Tổ chức Tỉnh ủy", symbol="BTCTU"
        )
        district = self.organization(
            root,
            code=DISTRICT_CODE,
            name="Đảng bộ huyện Tam Đường",
            kind=KIND_UPPER,
            committee_name="Huyện ủy Tam Đường",
            symbol="HU",
        )
        bodies: dict[str, Body] = {
            kind: self.body(district, kind, name, symbol)
            for kind, name, symbol in (
                (Body.Kind.EXECUTIVE_COMMITTEE, "Ban Chấp hành Đảng bộ huyện", ""),
                (Body.Kind.STANDING_COMMITTEE, "Ban Thường vụ Huyện ủy", ""),
                (Body.Kind.STANDING_OFFICE, "Thường trực Huyện ủy", ""),
                (Body.Kind.ORGANIZATION_BOARD, "Ban Tổ chức Huyện ủy", "BTCHU"),
                (Body.Kind.PROPAGANDA_BOARD, "Ban Tuyên giáo và Dân vận Huyện ủy", ""),
                (Body.Kind.INSPECTION_COMMISSION, "Ủy ban Kiểm tra Huyện ủy", "UBKTHU"),
                (Body.Kind.OFFICE, "Văn phòng Huyện ủy", "VPHU"),
            )
        }
        teams = [
            self.body(district, Body.Kind.TEAM, TEAM_NAME.format(number=number))
            for number in range(1, len(TEAM_COMMUNES) + 1)
        ]
        office_cells = {
            code: self.cell(district, code=code, name=name, kind=KIND_GRASSROOTS_CELL)
            for code, name in OFFICE_CELLS
        }
        district_people = self._district_people(bodies, teams, office_cells)
        communes: dict[str, Organization] = {}
        secretaries: dict[str, Person] = {}
        for commune in COMMUNES:
            communes[commune.place], secretaries[commune.place] = self._commune(district, commune)
        for team, places in zip(teams, TEAM_COMMUNES, strict=True):
            for place in places:
                org_services.assignment_create(
                    actor=None,
                    organization=communes[place],
                    kind=Assignment.Kind.FOLLOWS,
                    team=team,
                    start_on=TERM_START,
                )
        for commune, member in zip(COMMUNES, district_people.in_charge, strict=True):
            org_services.assignment_create(
                actor=None,
                organization=communes[commune.place],
                kind=Assignment.Kind.IN_CHARGE,
                person=member,
                start_on=TERM_START,
            )
        return _District(
            root=root,
            district=district,
            province_board=province_board,
            bodies=bodies,
            teams=teams,
            office_cells=office_cells,
            communes=communes,
            commune_secretaries=secretaries,
            district_secretary=district_people.secretary,
            signer=district_people.signer,
            organization_board_staff=district_people.organization_board_staff,
        )

    def _district_people(
        self, bodies: dict[str, Body], teams: list[Body], office_cells: dict[str, Organization]
    ) -> "_DistrictPeople":
        kind = Body.Kind
        role = Position.Role
        home = office_cells[HUYEN_UY_CELL_CODE]
        office_homes = [cell for code, cell in office_cells.items() if code != HUYEN_UY_CELL_CODE]
        standing = (kind.STANDING_OFFICE, kind.STANDING_COMMITTEE, kind.EXECUTIVE_COMMITTEE)

        secretary = self.person(home, leader=True)
        deputy = self.person(home, leader=True)
        signer = self.real_person(SIGNER_NAME, home)
        for person, person_role in (
            (secretary, role.SECRETARY),
            (deputy, role.DEPUTY_SECRETARY),
            (signer, role.DEPUTY_SECRETARY),
        ):
            for body_kind in standing:
                self.post(person, bodies[body_kind], person_role)

        # Heads of the advisory bodies: the three boards' heads sit in BTV, the office's in BCH.
        heads: dict[str, Person] = {}
        for body_kind, head_role in (
            (kind.ORGANIZATION_BOARD, role.HEAD),
            (kind.INSPECTION_COMMISSION, role.CHAIR),
            (kind.PROPAGANDA_BOARD, role.HEAD),
            (kind.OFFICE, role.CHIEF_OF_OFFICE),
        ):
            head = self.person(home, leader=True)
            self.post(head, bodies[body_kind], head_role)
            if body_kind != kind.OFFICE:
                self.post(head, bodies[kind.STANDING_COMMITTEE], role.MEMBER)
            self.post(head, bodies[kind.EXECUTIVE_COMMITTEE], role.MEMBER)
            heads[body_kind] = head
        other_btv = []
        for index in range(OTHER_BTV_MEMBERS):
            member = self.person(office_homes[index % len(office_homes)], leader=True)
            self.post(member, bodies[kind.STANDING_COMMITTEE], role.MEMBER)
            self.post(member, bodies[kind.EXECUTIVE_COMMITTEE], role.MEMBER)
            other_btv.append(member)
        other_bch = []
        for index in range(BCH_SIZE - 3 - len(heads) - OTHER_BTV_MEMBERS):
            member = self.person(office_homes[index % len(office_homes)], leader=True)
            self.post(member, bodies[kind.EXECUTIVE_COMMITTEE], role.MEMBER)
            other_bch.append(member)

        # Deputies and staff of the advisory bodies.
        staff: list[Person] = []
        organization_board_staff: Person | None = None
        for body_kind, deputy_role, deputies, clerks in (
            (kind.ORGANIZATION_BOARD, role.DEPUTY_HEAD, 2, 3),
            (kind.PROPAGANDA_BOARD, role.DEPUTY_HEAD, 1, 3),
            (kind.INSPECTION_COMMISSION, role.DEPUTY_CHAIR, 1, 2),
            (kind.OFFICE, role.DEPUTY_CHIEF_OF_OFFICE, 1, 3),
        ):
            for _index in range(deputies):
                person = self.person(home, leader=True)
                self.post(person, bodies[body_kind], deputy_role)
                staff.append(person)
            for _index in range(clerks):
                person = self.person(home)
                self.post(person, bodies[body_kind], role.STAFF)
                if body_kind == kind.ORGANIZATION_BOARD and organization_board_staff is None:
                    organization_board_staff = person
                else:
                    staff.append(person)
        assert organization_board_staff is not None

        # Monitoring teams: a board head leads each, three advisory staff follow with them.
        leaders = [
            heads[kind.ORGANIZATION_BOARD],
            heads[kind.PROPAGANDA_BOARD],
            heads[kind.INSPECTION_COMMISSION],
        ]
        for number, (team, leader) in enumerate(zip(teams, leaders, strict=True)):
            self.post(leader, team, role.TEAM_LEADER)
            for member in staff[number :: len(teams)][:3]:
                self.post(member, team, role.TEAM_MEMBER)

        in_charge = [
            heads[kind.ORGANIZATION_BOARD],
            heads[kind.INSPECTION_COMMISSION],
            heads[kind.PROPAGANDA_BOARD],
            *other_btv,
            heads[kind.OFFICE],
            *other_bch,
        ]
        return _DistrictPeople(
            secretary=secretary,
            signer=signer,
            organization_board_staff=organization_board_staff,
            in_charge=in_charge[: len(COMMUNES)],
        )

    def _commune(self, district: Organization, commune: Commune) -> tuple[Organization, Person]:
        """A grassroots committee, its bodies, its leaders and its cells; returns its secretary."""
        organization = self.organization(
            district,
            code=commune.code,
            name=commune.name,
            kind=KIND_GRASSROOTS,
            committee_name=commune.committee_name,
            symbol="ĐU",
            short_name=commune.unit[:1].upper() + commune.unit[1:],
        )
        bch = self.body(
            organization, Body.Kind.EXECUTIVE_COMMITTEE, f"Ban Chấp hành {commune.name}"
        )
        btv = self.body(
            organization, Body.Kind.STANDING_COMMITTEE, f"Ban Thường vụ {commune.committee_name}"
        )
        standing = self.body(
            organization, Body.Kind.STANDING_OFFICE, f"Thường trực {commune.committee_name}"
        )
        cells = [
            self.cell(
                organization,
                code=f"{commune.code}-{number:02d}",
                name=name,
                kind=KIND_SUBORDINATE_CELL,
            )
            for number, name in enumerate(commune.cells, start=1)
        ]
        # Commune leaders belong to the cells of villages and streets, not of schools.
        homes = [cell for cell in cells if "Trường" not in cell.name] or cells
        secretary = self.person(homes[0], leader=True)
        deputy = self.person(homes[1 % len(homes)], leader=True)
        for person, role in (
            (secretary, Position.Role.SECRETARY),
            (deputy, Position.Role.DEPUTY_SECRETARY),
        ):
            for body in (bch, btv, standing):
                self.post(person, body, role)
        for index in range(COMMUNE_BCH_MEMBERS):
            member = self.person(homes[index % len(homes)], leader=True)
            self.post(member, bch, Position.Role.MEMBER)
            if index == 0:
                self.post(member, btv, Position.Role.MEMBER)
        return organization, secretary


@dataclasses.dataclass
class _DistrictPeople:
    secretary: Person
    signer: Person
    organization_board_staff: Person
    in_charge: list[Person]


def _create_plan(world: _District) -> Plan:
    """Kế hoạch 332-KH/HU, as structured data."""
    bodies = world.bodies
    kt_ht = world.office_cells[KTHT_CODE]
    forest = world.office_cells[BQLR_CODE]
    window_start, window_end = month_window(2025, 3)
    both_types = [MeetingType.REGULAR.value, MeetingType.THEMATIC.value]
    data = plan_services.PlanData(
        issuer_org=world.district,
        issuer_body=bodies[Body.Kind.STANDING_COMMITTEE],
        number=332,
        document_type="KH",
        year=2025,
        issued_on=dt.date(2025, 1, 20),
        place="Tam Đường",
        title=PLAN_TITLE,
        preamble=PLAN_PREAMBLE,
        signing_capacity="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ",
        signer_name=SIGNER_NAME,
        status=Plan.Status.ISSUED,
        signer=world.signer,
        # In the document's order: each basis implements the one after it.
        bases=[
            plan_services.BasisData(
                document_type="Kế hoạch",
                number="113-KH/HU",
                issued_on=dt.date(2018, 3, 22),
                issuer="Ban Thường vụ Huyện ủy",
                title=KH113_TITLE,
                implements_index=1,
            ),
            plan_services.BasisData(
                document_type="Kết luận",
                number="18-KL/TW",
                issued_on=dt.date(2017, 9, 22),
                issuer="Ban Bí thư",
                title=KL18_TITLE,
                implements_index=2,
            ),
            plan_services.BasisData(
                document_type="Chỉ thị",
                number="10-CT/TW",
                issued_on=dt.date(2007, 3, 30),
                issuer="Ban Bí thư khóa X",
                title=CT10_TITLE,
            ),
        ],
        sections=[
            *((PlanSection.Part.PURPOSE.value, "", text) for text in PURPOSES),
            (PlanSection.Part.CONTENT.value, CONTENT_CELLS_HEADING, CONTENT_CELLS),
            (PlanSection.Part.CONTENT.value, CONTENT_COMMITTEES_HEADING, CONTENT_COMMITTEES),
            *(
                (PlanSection.Part.IMPLEMENTATION.value, "", f"{number}. {text}")
                for number, text in enumerate(IMPLEMENTATION, start=1)
            ),
        ],
        targets=[
            plan_services.TargetData(
                kind=Target.Kind.DESIGNATED,
                heading=f"{kt_ht.name} tổ chức sinh hoạt chi bộ thường kỳ",
                organization=kt_ht,
                meeting_types=[MeetingType.REGULAR.value],
                window_start=window_start,
                window_end=window_end,
                window_label=WINDOW_LABEL,
                note=INVITATION_NOTE,
                invitee_rules=INVITEES_DESIGNATED,
            ),
            plan_services.TargetData(
                kind=Target.Kind.DESIGNATED,
                heading=f"{forest.name} tổ chức sinh hoạt chuyên đề",
                organization=forest,
                meeting_types=[MeetingType.THEMATIC.value],
                window_start=window_start,
                window_end=window_end,
                window_label=WINDOW_LABEL,
                note=INVITATION_NOTE,
                invitee_rules=INVITEES_DESIGNATED,
            ),
            plan_services.TargetData(
                kind=Target.Kind.QUOTA,
                heading=(
                    "Các Đảng ủy cơ sở lựa chọn 02 chi bộ trực thuộc tổ chức sinh hoạt chi bộ "
                    "thường kỳ, sinh hoạt chuyên đề"
                ),
                organization=world.district,
                org_kind=OrgKind.objects.get(code=KIND_GRASSROOTS),
                count=2,
                meeting_types=both_types,
                window_start=window_start,
                window_end=window_end,
                window_label=WINDOW_LABEL,
                invitee_rules=INVITEES_QUOTA,
            ),
        ],
        duties=[
            plan_services.DutyData(
                what=DUTY_WHAT,
                to_body=bodies[Body.Kind.STANDING_COMMITTEE],
                via_body=bodies[Body.Kind.ORGANIZATION_BOARD],
                deadline=dt.date(2025, 2, 20),
                deadline_kind=DeadlineKind.BEFORE.value,
                target_index=2,
            )
        ],
        responsibilities=[
            plan_services.ResponsibilityData(
                text=IMPLEMENTATION[0], group="Các chi bộ, đảng bộ cơ sở"
            ),
            plan_services.ResponsibilityData(text=IMPLEMENTATION[1], organizations=[kt_ht, forest]),
            plan_services.ResponsibilityData(
                text=IMPLEMENTATION[2], bodies=[bodies[Body.Kind.ORGANIZATION_BOARD]]
            ),
            plan_services.ResponsibilityData(text=IMPLEMENTATION[3], group=IN_CHARGE_GROUP),
        ],
        recipients=list(RECIPIENTS),
    )
    plan = plan_services.plan_create(actor=None, data=data)
    _complete_plan(plan, world)
    return plan


def _complete_plan(plan: Plan, world: _District) -> None:
    """Link the recipients that name one body (PlanData carries recipients as text)."""
    links = {
        RECIPIENTS[0]: (world.root, world.province_board),
        RECIPIENTS[3]: (world.district, world.bodies[Body.Kind.EXECUTIVE_COMMITTEE]),
    }
    recipients = list(plan.recipients.filter(text__in=links))
    for recipient in recipients:
        recipient.organization, recipient.body = links[recipient.text]
    Recipient.objects.bulk_update(recipients, ["organization", "body"])


def _create_accounts(world: _District) -> None:
    # One hash for all: hashing is deliberately slow, and every demo account shares the password.
    password = make_password(DEMO_PASSWORD)
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser(username="admin", email="", password=None)
        admin.password = password
        admin.save(update_fields=["password"])
    people = {
        "bantochuc": world.organization_board_staff,
        "thuongtruc": world.district_secretary,
        **{commune.username: world.commune_secretaries[commune.place] for commune in COMMUNES},
    }
    for username, person in people.items():
        family_and_middle, _space, given = person.full_name.rpartition(" ")
        user = User.objects.create_user(
            username=username,
            password=None,
            first_name=family_and_middle,
            last_name=given,
            person=person,
        )
        user.password = password
        user.save(update_fields=["password"])


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load the Tam Đường demo; when its root organization exists, change nothing."""
    if Organization.objects.filter(code=ROOT_CODE).exists():
        return demo_summary(created=False)
    world = _Builder().build()
    plan = _create_plan(world)
    _create_accounts(world)
    play_plan_332(plan)
    return demo_summary(created=True)
