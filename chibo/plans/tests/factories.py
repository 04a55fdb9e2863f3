import datetime as dt

from chibo.orgs.models import Body, OrgKind
from chibo.orgs.tests.factories import make_body
from chibo.plans import services
from chibo.plans.models import Plan, Target
from chibo.plans.services import BasisData, DutyData, PlanData, TargetData
from conftest import World

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def designated(world: World, meeting_type: str = "regular") -> TargetData:
    return TargetData(
        kind=Target.Kind.DESIGNATED,
        organization=world.district_cell,
        meeting_types=[meeting_type],
        window_start=MARCH[0],
        window_end=MARCH[1],
        invitee_rules=[{"group": "body", "body": "thuong_truc", "of": world.district.code}],
    )


def quota(world: World, count: int = 2) -> TargetData:
    return TargetData(
        kind=Target.Kind.QUOTA,
        organization=world.district,
        org_kind=OrgKind.objects.get(code="dang_bo_co_so"),
        count=count,
        meeting_types=["regular", "thematic"],
        window_start=MARCH[0],
        window_end=MARCH[1],
        invitee_rules=[
            {"group": "body", "body": "bch", "of": "@obligated"},
            {"group": "team_following", "of": "@obligated"},
        ],
    )


def plan_data(world: World, number: int = 332, **overrides: object) -> PlanData:
    standing = Body.objects.filter(organization=world.district, kind="btv").first() or make_body(
        world.district, "btv", "Ban Thường vụ Huyện ủy"
    )
    data = PlanData(
        issuer_org=world.district,
        issuer_body=standing,
        number=number,
        year=2025,
        issued_on=dt.date(2025, 1, 20),
        place="Đông",
        title="tổ chức sinh hoạt chi bộ mẫu năm 2025",
        signing_capacity="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ",
        signer_name="Nguyễn Văn Ký",
        bases=[
            BasisData("Chỉ thị", "10-CT/TW", dt.date(2007, 3, 30), "Ban Bí thư"),
            BasisData("Kết luận", "18-KL/TW", dt.date(2017, 9, 22), "Ban Bí thư", "", 0),
        ],
        targets=[designated(world), quota(world)],
        duties=[
            DutyData(
                what="danh sách, lịch",
                to_body=standing,
                via_body=world.org_board,
                deadline=dt.date(2025, 2, 20),
                target_index=1,
            )
        ],
        recipients=["Các chi, đảng bộ cơ sở"],
        status=Plan.Status.ISSUED,
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def make_plan(world: World, number: int = 332, **overrides: object) -> Plan:
    return services.plan_create(actor=None, data=plan_data(world, number, **overrides))
