import datetime as dt
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.demo import tamduong
from chibo.demo.names import RESERVED_NAMES, NameGenerator
from chibo.orgs.invitees import parse_rules
from chibo.orgs.models import Assignment, Body, Organization, Person, Position
from chibo.orgs.scope import Access, scope_for
from chibo.plans.models import Plan, PlanSection, Target

COMMUNE_NAMES = [
    "Đảng bộ thị trấn Tam Đường",
    *(
        f"Đảng bộ xã {place}"
        for place in (
            "Bản Bo",
            "Bản Giang",
            "Bản Hon",
            "Bình Lư",
            "Giang Ma",
            "Hồ Thầu",
            "Khun Há",
            "Nà Tăm",
            "Nùng Nàng",
            "Sơn Bình",
            "Tả Lèng",
            "Thèn Sin",
        )
    ),
]
BITHU_USERNAMES = [
    "bithu-thi-tran-tam-duong",
    "bithu-ban-bo",
    "bithu-ban-giang",
    "bithu-ban-hon",
    "bithu-binh-lu",
    "bithu-giang-ma",
    "bithu-ho-thau",
    "bithu-khun-ha",
    "bithu-na-tam",
    "bithu-nung-nang",
    "bithu-son-binh",
    "bithu-ta-leng",
    "bithu-then-sin",
]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[tamduong.DemoSummary]:
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = tamduong.load_demo()
        yield summary
        transaction.set_rollback(True)


def snapshot() -> tuple[dict[str, int], str]:
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    digest = hashlib.sha256()
    for row in Organization.objects.order_by("code").values_list("code", "name", "path"):
        digest.update(repr(row).encode())
    for row in Body.objects.order_by("organization__code", "name").values_list(
        "organization__code", "name", "kind"
    ):
        digest.update(repr(row).encode())
    for row in Person.objects.order_by("code").values_list("code", "full_name", "home_cell__code"):
        digest.update(repr(row).encode())
    for row in User.objects.order_by("username").values_list("username", "person__code"):
        digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def person_of(username: str) -> Person:
    person = User.objects.get(username=username).person
    assert person is not None
    return person


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo: tamduong.DemoSummary) -> None:
    assert demo.created
    before = snapshot()

    again = tamduong.load_demo()
    out = io.StringIO()
    call_command("demo", stdout=out)

    assert not again.created
    assert snapshot() == before
    assert tamduong.ALREADY_LOADED in out.getvalue()
    for username in ["admin", "bantochuc", "thuongtruc", *BITHU_USERNAMES]:
        assert username in out.getvalue()


@pytest.mark.django_db
def test_tree_is_tam_duong_in_january_2025(demo: tamduong.DemoSummary) -> None:
    root = Organization.objects.get(code="LAICHAU")
    district = Organization.objects.get(code="TAMDUONG")

    assert (root.name, root.kind.code, root.committee_name, root.symbol) == (
        "Đảng bộ tỉnh Lai Châu",
        "dang_bo_tinh",
        "Tỉnh ủy Lai Châu",
        "TU",
    )
    assert root.bodies.filter(kind="ban_to_chuc", name="Ban Tổ chức Tỉnh ủy").exists()
    assert (district.name, district.kind.code, district.committee_name, district.symbol) == (
        "Đảng bộ huyện Tam Đường",
        "dang_bo_cap_tren_co_so",
        "Huyện ủy Tam Đường",
        "HU",
    )
    assert district.parent == root
    assert dict(district.bodies.exclude(kind="to").values_list("kind", "name")) == {
        "bch": "Ban Chấp hành Đảng bộ huyện",
        "btv": "Ban Thường vụ Huyện ủy",
        "thuong_truc": "Thường trực Huyện ủy",
        "ban_to_chuc": "Ban Tổ chức Huyện ủy",
        "ban_tuyen_giao": "Ban Tuyên giáo và Dân vận Huyện ủy",
        "uy_ban_kiem_tra": "Ủy ban Kiểm tra Huyện ủy",
        "van_phong": "Văn phòng Huyện ủy",
    }
    assert district.bodies.get(kind="ban_to_chuc").symbol == "BTCHU"

    communes = list(district.children.filter(kind__code="dang_bo_co_so").order_by("code"))
    assert sorted(commune.name for commune in communes) == sorted(COMMUNE_NAMES)
    for commune in communes:
        assert commune.symbol == "ĐU"
        assert commune.committee_name == commune.name.replace("Đảng bộ", "Đảng ủy")
        assert re.fullmatch(r"TD-[A-Z]+", commune.code)
        assert {"bch", "btv", "thuong_truc"} <= set(commune.bodies.values_list("kind", flat=True))
        cells = commune.children.all()
        assert 3 <= len(cells) <= 5
        assert {cell.kind.code for cell in cells} == {"chi_bo_truc_thuoc"}

    office_cells = set(
        district.children.filter(kind__code="chi_bo_co_so").values_list("name", flat=True)
    )
    assert {
        "Chi bộ phòng Kinh tế và Hạ tầng",
        "Chi bộ Ban quản lý rừng phòng hộ",
        "Chi bộ phòng Tài chính – Kế hoạch",
        "Chi bộ phòng Giáo dục và Đào tạo",
        "Chi bộ phòng Nội vụ",
        "Chi bộ phòng Nông nghiệp và Phát triển nông thôn",
    } <= office_cells


@pytest.mark.django_db
def test_every_cell_has_secretary_deputy_and_members(demo: tamduong.DemoSummary) -> None:
    cells = Organization.objects.filter(kind__is_cell=True)
    assert cells.count() > 50
    for cell in cells:
        assert cell.symbol == "CB"
        committee = cell.bodies.get(kind="chi_uy")
        roles = Counter(committee.positions.values_list("role", flat=True))
        assert roles == {"bi_thu": 1, "pho_bi_thu": 1}
        leaders = set(committee.positions.values_list("person_id", flat=True))
        assert leaders <= set(cell.members.values_list("pk", flat=True))
        assert cell.members.exclude(pk__in=leaders).count() >= 4


@pytest.mark.django_db
def test_commune_leadership_teams_and_members_in_charge(demo: tamduong.DemoSummary) -> None:
    district = Organization.objects.get(code="TAMDUONG")
    district_bch = district.bodies.get(kind="bch")
    communes = district.children.filter(kind__code="dang_bo_co_so")

    for commune in communes:
        bch_roles = Counter(commune.bodies.get(kind="bch").positions.values_list("role", flat=True))
        assert bch_roles["bi_thu"] == 1
        assert bch_roles["pho_bi_thu"] >= 1
        assert bch_roles["uy_vien"] >= 6
        standing = commune.bodies.get(kind="thuong_truc").positions.values_list("role", flat=True)
        assert {"bi_thu", "pho_bi_thu"} <= set(standing)
        follows = Assignment.objects.filter(organization=commune, kind="follows")
        assert follows.count() == 1
        assert follows.get().team is not None
        in_charge = Assignment.objects.get(organization=commune, kind="in_charge")
        assert district_bch.positions.filter(person=in_charge.person).exists()

    teams = district.bodies.filter(kind="to")
    assert sorted(teams.values_list("name", flat=True)) == [
        f"Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ số {number}" for number in (1, 2, 3)
    ]
    for team in teams:
        assert 4 <= team.assignments.count() <= 5
        roles = Counter(team.positions.values_list("role", flat=True))
        assert roles["to_truong"] == 1
        assert roles["thanh_vien"] >= 2

    assert district_bch.positions.values("person").distinct().count() == 25
    standing_office = district.bodies.get(kind="thuong_truc")
    assert Counter(standing_office.positions.values_list("role", flat=True)) == {
        "bi_thu": 1,
        "pho_bi_thu": 2,
    }
    signer = Person.objects.get(full_name="Cao Trang Trọng")
    assert set(signer.positions.values_list("body__kind", "role")) == {
        ("thuong_truc", "pho_bi_thu"),
        ("btv", "pho_bi_thu"),
        ("bch", "pho_bi_thu"),
    }
    for kind, head_role in [
        ("ban_to_chuc", "truong_ban"),
        ("ban_tuyen_giao", "truong_ban"),
        ("uy_ban_kiem_tra", "chu_nhiem"),
        ("van_phong", "chanh_van_phong"),
    ]:
        roles = set(district.bodies.get(kind=kind).positions.values_list("role", flat=True))
        assert head_role in roles
        assert "cong_chuc" in roles


@pytest.mark.django_db
def test_people_and_positions_are_consistent(demo: tamduong.DemoSummary) -> None:
    people = Person.objects.select_related("home_cell__kind")
    codes = [person.code for person in people]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"DV-\d{6}", code) for code in codes)
    assert all(person.home_cell is not None and person.home_cell.kind.is_cell for person in people)
    names = [person.full_name for person in people]
    assert len(names) == len(set(names))
    assert people.filter(membership="probationary").exists()
    assert people.filter(exempt=True).exists()
    assert people.filter(membership="full", exempt=False).count() > 0.85 * len(names)
    for position in Position.objects.select_related("body"):
        assert position.body is not None
        assert position.organization_id == position.body.organization_id
        assert (position.start_on, position.end_on) == (dt.date(2020, 10, 1), None)


@pytest.mark.django_db
def test_seed_plan_is_fully_structured(demo: tamduong.DemoSummary) -> None:
    plan = Plan.objects.get()
    district = Organization.objects.get(code="TAMDUONG")

    assert plan.number_symbol == "332-KH/HU"
    assert plan.status == "issued"
    assert plan.issuer_org == district
    assert plan.issuer_body is not None
    assert plan.issuer_body.kind == "btv"
    assert (plan.issued_on, plan.place, plan.year) == (dt.date(2025, 1, 20), "Tam Đường", 2025)
    assert plan.title == "tổ chức sinh hoạt chi bộ mẫu năm 2025"
    assert plan.preamble.startswith("Thực hiện Kế hoạch số 113-KH/HU, ngày 22/3/2018")
    assert plan.preamble.endswith("tổ chức sinh hoạt chi bộ mẫu năm 2025 như sau:")
    assert (plan.signing_capacity, plan.signer_title, plan.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Cao Trang Trọng",
    )
    assert plan.signer is not None
    assert plan.signer.full_name == "Cao Trang Trọng"

    kh113, kl18, ct10 = plan.legal_bases.all()
    assert (kh113.number, kh113.issued_on, kh113.issuer) == (
        "113-KH/HU",
        dt.date(2018, 3, 22),
        "Ban Thường vụ Huyện ủy",
    )
    assert (kl18.number, kl18.issued_on, kl18.issuer) == (
        "18-KL/TW",
        dt.date(2017, 9, 22),
        "Ban Bí thư",
    )
    assert (ct10.number, ct10.issued_on, ct10.issuer) == (
        "10-CT/TW",
        dt.date(2007, 3, 30),
        "Ban Bí thư khóa X",
    )
    assert (kh113.implements, kl18.implements, ct10.implements) == (kl18, ct10, None)
    assert kh113.title.startswith("về thực hiện Kết luận số 18-KL/TW")
    assert kl18.title.startswith("về tiếp tục đẩy mạnh thực hiện Chỉ thị số 10-CT/TW")
    assert ct10.title == "Về nâng cao chất lượng sinh hoạt chi bộ"

    sections = Counter(plan.sections.values_list("part", flat=True))
    assert sections == {"purpose": 3, "content": 2, "implementation": 4}
    headings = list(
        plan.sections.filter(part=PlanSection.Part.CONTENT)
        .order_by("order")
        .values_list("heading", flat=True)
    )
    assert headings == ["1. Đối với các chi bộ cơ sở", "2. Đối với các đảng ủy cơ sở"]

    kt_ht, forest, quota = plan.targets.all()
    for target, name, types in [
        (kt_ht, "Chi bộ phòng Kinh tế và Hạ tầng", ["regular"]),
        (forest, "Chi bộ Ban quản lý rừng phòng hộ", ["thematic"]),
    ]:
        assert target.kind == Target.Kind.DESIGNATED
        assert target.organization.name == name
        assert target.meeting_types == types
        assert target.window_label == "Hoàn thành trong tháng 3/2025"
        assert target.note == "Có giấy mời cụ thể sau"
        assert [rule["group"] for rule in target.invitee_rules] == [
            "body",
            "body",
            "secretaries",
            "advisory",
        ]
        assert target.invitee_rules[0]["label"] == "Thường trực Huyện ủy"
    assert quota.kind == Target.Kind.QUOTA
    assert quota.organization == district
    assert quota.org_kind is not None
    assert quota.org_kind.code == "dang_bo_co_so"
    assert (quota.count, quota.meeting_types) == (2, ["regular", "thematic"])
    assert [rule["group"] for rule in quota.invitee_rules] == [
        "body",
        "secretaries",
        "team_following",
    ]
    assert {rule["of"] for rule in quota.invitee_rules if "of" in rule} == {"@obligated"}
    for target in (kt_ht, forest, quota):
        assert (target.window_start, target.window_end) == (
            dt.date(2025, 3, 1),
            dt.date(2025, 3, 31),
        )
        parse_rules(target.invitee_rules)

    duty = plan.reporting_duties.get()
    assert duty.what.startswith("danh sách, lịch tổ chức sinh hoạt chi bộ thường kỳ mẫu")
    assert (duty.deadline, duty.deadline_kind) == (dt.date(2025, 2, 20), "before")
    assert duty.last_day == dt.date(2025, 2, 19)
    assert duty.to_body.name == "Ban Thường vụ Huyện ủy"
    assert duty.via_body is not None
    assert duty.via_body.name == "Ban Tổ chức Huyện ủy"
    assert duty.target == quota

    first, cells, board, in_charge = plan.responsibilities.all()
    assert first.text.startswith("Căn cứ Kế hoạch này")
    assert set(cells.organizations.values_list("name", flat=True)) == {
        "Chi bộ phòng Kinh tế và Hạ tầng",
        "Chi bộ Ban quản lý rừng phòng hộ",
    }
    assert list(board.bodies.values_list("name", flat=True)) == ["Ban Tổ chức Huyện ủy"]
    assert in_charge.group == (
        "Các đồng chí Ủy viên BCH Đảng bộ huyện được phân công phụ trách Đảng bộ cơ sở"
    )

    assert list(plan.recipients.values_list("text", flat=True)) == [
        "Ban Tổ chức Tỉnh ủy",
        "Các chi, đảng bộ cơ sở",
        "Các cơ quan tham mưu, giúp việc Huyện ủy",
        "Các đ/c Ủy viên BCH Đảng bộ huyện",
    ]


@pytest.mark.django_db
def test_every_demo_account_logs_in(demo: tamduong.DemoSummary) -> None:
    request = RequestFactory().post("/")
    usernames = [account.username for account in tamduong.DEMO_ACCOUNTS]
    assert usernames == ["admin", "bantochuc", "thuongtruc", *BITHU_USERNAMES]
    for username in usernames:
        user = authenticate(request, username=username, password="chibo-demo")
        assert user is not None, username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(username__in=usernames[1:], person__isnull=False).count() == 15


@pytest.mark.django_db
def test_commune_secretary_acts_in_own_commune_only(demo: tamduong.DemoSummary) -> None:
    ban_bo = Organization.objects.get(name="Đảng bộ xã Bản Bo")
    binh_lu = Organization.objects.get(name="Đảng bộ xã Bình Lư")
    district = Organization.objects.get(code="TAMDUONG")
    user = User.objects.get(username="bithu-ban-bo")

    scope = scope_for(user)

    assert user.person is not None
    assert user.person.positions.filter(organization=ban_bo, role="bi_thu").exists()
    assert scope.allows(ban_bo, Access.ACT)
    for cell in ban_bo.children.all():
        assert scope.allows(cell, Access.ACT)
    assert not scope.allows(binh_lu, Access.READ)
    for cell in binh_lu.children.all():
        assert not scope.allows(cell, Access.READ)
    assert not scope.allows(district, Access.READ)


@pytest.mark.django_db
def test_each_commune_secretary_account_acts_in_its_commune(demo: tamduong.DemoSummary) -> None:
    district = Organization.objects.get(code="TAMDUONG")
    communes = district.children.filter(kind__code="dang_bo_co_so")
    for account in tamduong.DEMO_ACCOUNTS[3:]:
        user = User.objects.get(username=account.username)
        scope = scope_for(user)
        acting = [commune.name for commune in communes if scope.allows(commune, Access.ACT)]
        assert acting == [account.scope.removeprefix("Thao tác: ")]
        assert not scope.allows(district, Access.READ)


@pytest.mark.django_db
def test_organization_board_staff_manages_district(demo: tamduong.DemoSummary) -> None:
    district = Organization.objects.get(code="TAMDUONG")
    person = person_of("bantochuc")

    scope = scope_for(User.objects.get(username="bantochuc"))

    assert person.positions.filter(body__kind="ban_to_chuc", role="cong_chuc").exists()
    assert scope.level_for(district) == Access.MANAGE
    assert scope.allows(Organization.objects.get(name="Chi bộ bản Nà Đon"), Access.MANAGE)
    assert not scope.allows(Organization.objects.get(code="LAICHAU"), Access.READ)


@pytest.mark.django_db
def test_standing_office_reads_district_but_cannot_act(demo: tamduong.DemoSummary) -> None:
    district = Organization.objects.get(code="TAMDUONG")
    person = person_of("thuongtruc")

    scope = scope_for(User.objects.get(username="thuongtruc"))

    assert set(person.positions.values_list("body__kind", flat=True)) == {
        "thuong_truc",
        "btv",
        "bch",
    }
    assert set(person.positions.values_list("role", flat=True)) == {"bi_thu"}
    assert scope.level_for(district) == Access.READ
    assert scope.allows(district, Access.READ)
    assert not scope.allows(district, Access.ACT)
    assert scope.allows(Organization.objects.get(name="Đảng bộ xã Thèn Sin"), Access.READ)


def test_name_generator_is_deterministic_and_never_reuses_a_name() -> None:
    first = [NameGenerator(2025).next() for _ in range(1)]
    generator = NameGenerator(2025)
    names = [generator.next() for _ in range(800)]
    again = NameGenerator(2025)

    assert [again.next() for _ in range(800)] == names
    assert first == names[:1]
    full_names = [name.full_name for name in names]
    assert len(set(full_names)) == len(full_names)
    assert not set(full_names) & RESERVED_NAMES
    assert all(len(name.split()) >= 3 for name in full_names)
    assert {name.gender for name in names} == {"male", "female"}
    assert all(" Thị " not in f" {name.full_name} " for name in names if name.gender == "male")


@pytest.mark.django_db
def test_plan_332_stands_as_at_the_end_of_march_2025(demo: tamduong.DemoSummary) -> None:
    from chibo.meetings.models import Meeting
    from chibo.plans.models import RegistrationVersion
    from chibo.reports import selectors as report_selectors

    plan = Plan.objects.get(number=332, year=2025)
    officer = User.objects.get(username="bantochuc")
    totals = report_selectors.progress_totals(actor=officer, plan=plan, today=dt.date(2025, 3, 31))
    assert totals.obligations == 13
    assert totals.by_state["missing"] == 1
    assert totals.by_state["accepted"] == 12
    assert (totals.on_time, totals.late, totals.overdue) == (10, 2, 1)
    assert totals.meetings_held == 22
    returned = RegistrationVersion.objects.filter(event="returned").get()
    assert returned.registration.obligation.organization.name == "Đảng bộ xã Bình Lư"
    designated = Meeting.objects.filter(target__plan=plan, target__kind="designated")
    assert sorted(designated.values_list("cell__name", "meeting_type", "status")) == [
        ("Chi bộ Ban quản lý rừng phòng hộ", "thematic", "held"),
        ("Chi bộ phòng Kinh tế và Hạ tầng", "regular", "held"),
    ]


@pytest.mark.django_db
def test_district_model_meetings_have_their_records(demo: tamduong.DemoSummary) -> None:
    from chibo.meetings.models import Evaluation, LessonsSummary, Meeting, Minutes

    plan = Plan.objects.get(number=332, year=2025)
    meetings = Meeting.objects.filter(target__plan=plan, target__kind="designated")
    for meeting in meetings:
        assert meeting.invitees.filter(removed=False).count() > 20
        assert meeting.letters.count() == meeting.invitees.filter(removed=False).count()
        # Letters went out a week before the meeting, in March 2025, numbered in 2025's register.
        assert meeting.starts_at is not None
        week_ahead = (meeting.starts_at - dt.timedelta(days=7)).astimezone(LOCAL_TZ).date()
        issued = {letter.issued_at.astimezone(LOCAL_TZ).date() for letter in meeting.letters.all()}
        assert issued == {week_ahead}
        assert meeting.attendance.filter(status="present").exists()
        # Papers went out ahead; every invitee answered, and those present had said they'd come.
        assert meeting.papers_sent_at is not None
        assert meeting.papers_sent_at < meeting.starts_at - dt.timedelta(days=1)
        present = set(meeting.attendance.filter(status="present").values_list("person", flat=True))
        answers = dict(meeting.invitees.values_list("person", "invitation__response"))
        assert "pending" not in answers.values()
        assert all(answers[p] == "attending" for p in present if p in answers)
        assert Minutes.objects.get(meeting=meeting).resolution
        assert Evaluation.objects.filter(meeting=meeting).count() == 2
    summary = LessonsSummary.objects.get(plan=plan)
    assert summary.status == "draft"
    assert summary.body.count("/100") == 4


@pytest.mark.django_db
def test_demo_documents_download_through_the_api(demo: tamduong.DemoSummary) -> None:
    from django.test import Client
    from openpyxl import load_workbook

    from chibo.accounts.services import token_create
    from chibo.documents.tests.helpers import docx_text
    from chibo.meetings.models import Meeting

    _, raw = token_create(user=User.objects.get(username="bantochuc"))
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    plan = Plan.objects.get(number=332, year=2025)
    meeting = Meeting.objects.get(
        target__plan=plan, cell__name="Chi bộ phòng Kinh tế và Hạ tầng", meeting_type="regular"
    )

    letters = client.get(f"/api/v1/meetings/{meeting.pk}/invitations.docx")
    assert letters.status_code == 200
    text = docx_text(letters.content)
    # Sent a week ahead of the meeting of 12/03/2025, signed as the plan is.
    assert "Tam Đường, ngày 05 tháng 3 năm 2025" in text
    assert "Cao Trang Trọng" in text
    for invitee in meeting.invitees.filter(removed=False).select_related("person"):
        assert f"Đồng chí: {invitee.person.full_name}" in text
    minutes = docx_text(client.get(f"/api/v1/meetings/{meeting.pk}/minutes.docx").content)
    assert "BIÊN BẢN" in minutes
    assert "Các đảng viên thảo luận, phê bình và tự phê bình." in minutes
    report = docx_text(client.get(f"/api/v1/plans/{plan.pk}/lessons-report.docx").content)
    assert "Chi bộ Ban quản lý rừng phòng hộ" in report
    listed = client.get(f"/api/v1/meetings/{meeting.pk}/invitees.xlsx")
    sheet = load_workbook(io.BytesIO(listed.content)).active
    assert sheet is not None
    assert sheet.max_row > 20
