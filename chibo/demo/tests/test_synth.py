import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from chibo.accounts.models import User
from chibo.demo import synth
from chibo.meetings.models import Meeting
from chibo.orgs import services as org_services
from chibo.orgs.models import Organization, OrgKind, Person, Position
from chibo.orgs.scope import Access, scope_for
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan, Registration

DISTRICT = synth.SCALES["district"]
# A province in miniature: the same levels as the province scale, small enough for a test.
TINY_PROVINCE = synth.Scale(
    name="tiny",
    prefix="SYN-T-",
    root_kind="dang_bo_tinh",
    root_place="tỉnh Nhỏ",
    root_committee="Tỉnh ủy Nhỏ",
    root_symbol="TU",
    upper_committees=2,
    communes=3,
    cells=3,
    grassroots_cells=0,
    members=10,
)


def run_synth(*args: str) -> str:
    out = io.StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def district(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The district scale, built once for this module through the command; its output."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_synth("--scale", "district")
        transaction.set_rollback(True)


def root_of(scale: synth.Scale) -> Organization:
    return Organization.objects.get(code=scale.root_code)


def snapshot() -> tuple[dict[str, int], str]:
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    digest = hashlib.sha256()
    for row in Organization.objects.order_by("code").values_list("code", "name", "path", "pk"):
        digest.update(repr(row).encode())
    for row in Person.objects.order_by("code").values_list("code", "full_name", "home_cell_id"):
        digest.update(repr(row).encode())
    for row in Registration.objects.order_by("pk").values_list("pk", "status", "submitted_at"):
        digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def snapshot_of(scale: synth.Scale) -> list[tuple[Any, ...]]:
    return list(
        Organization.objects.filter(code__startswith=scale.prefix)
        .order_by("path")
        .values_list("pk", "code", "path", "numchild")
    ) + list(
        Person.objects.filter(code__startswith=scale.prefix)
        .order_by("pk")
        .values_list("pk", "code", "home_cell_id")
    )


@pytest.mark.django_db
def test_district_has_the_advertised_shape(district: str) -> None:
    root = root_of(DISTRICT)
    tree = Organization.objects.filter(path__startswith=root.path)
    kinds = Counter(tree.values_list("kind__code", flat=True))
    cells = tree.filter(kind__is_cell=True)
    people = Person.objects.filter(code__startswith="SYN-D-")

    assert (root.kind.code, root.symbol, root.depth) == ("dang_bo_cap_tren_co_so", "HU", 1)
    assert kinds == {
        "dang_bo_cap_tren_co_so": 1,
        "dang_bo_co_so": 15,
        "chi_bo_truc_thuoc": 90,
        "chi_bo_co_so": 5,
    }
    assert all(code.startswith("SYN-D-") for code in tree.values_list("code", flat=True))
    assert people.count() == 1900
    assert set(Counter(people.values_list("home_cell_id", flat=True)).values()) == {20}
    assert set(people.values_list("home_cell_id", flat=True)) == set(
        cells.values_list("pk", flat=True)
    )
    for cell in cells:
        roles = Counter(cell.bodies.get(kind="chi_uy").positions.values_list("role", flat=True))
        assert roles == {"bi_thu": 1, "pho_bi_thu": 1}
    for commune in tree.filter(kind__code="dang_bo_co_so"):
        bch = Counter(commune.bodies.get(kind="bch").positions.values_list("role", flat=True))
        assert bch == {"bi_thu": 1, "pho_bi_thu": 1, "uy_vien": 3}
    positions = Position.objects.filter(organization__path__startswith=root.path)
    assert positions.count() == 95 * 2 + 15 * 7 + 9
    assert not positions.exclude(person__code__startswith="SYN-D-").exists()
    assert "111 tổ chức" in district
    assert "1900 đảng viên" in district


@pytest.mark.django_db
def test_synthetic_tree_is_a_valid_treebeard_tree(district: str) -> None:
    root = root_of(DISTRICT)
    commune = Organization.objects.get(code="SYN-D-001")

    assert Organization.objects.find_problems() == ([], [], [], [], [])
    for organization in Organization.objects.filter(path__startswith=root.path, depth__gt=1):
        assert organization.parent is not None
        assert organization.parent.path == organization.path[: -Organization.steplen]
    assert [child.code for child in Organization.objects.get_children(commune)] == [
        f"SYN-D-001-{number:02d}" for number in range(1, 7)
    ]
    assert Organization.objects.get_children_count(root) == 20
    # treebeard carries on numbering after the synthetic children.
    added = org_services.org_create(
        actor=None,
        parent=commune,
        code="SYN-D-001-07",
        name="Chi bộ thôn Mới",
        kind=OrgKind.objects.get(code="chi_bo_truc_thuoc"),
    )
    assert added.path == f"{commune.path}0007"
    assert Organization.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_organization_board_account_manages_the_whole_synthetic_tree(district: str) -> None:
    root = root_of(DISTRICT)
    user = User.objects.get(username="synth-district-bantochuc")

    scope = scope_for(user)

    assert user.check_password("chibo-demo")
    assert scope.level_for(root) == Access.MANAGE
    tree = Organization.objects.filter(path__startswith=root.path)
    assert all(scope.allows(organization, Access.MANAGE) for organization in tree)
    elsewhere = org_services.org_create(
        actor=None, parent=None, code="ELSEWHERE", name="Đảng bộ khác", kind=root.kind
    )
    assert not scope.allows(elsewhere, Access.READ)


@pytest.mark.django_db
def test_secretary_account_acts_in_one_commune_only(district: str) -> None:
    user = User.objects.get(username="synth-district-bithu")
    assert user.person is not None
    commune = Organization.objects.get(code="SYN-D-001")
    other = Organization.objects.get(code="SYN-D-002")

    scope = scope_for(user)

    assert user.check_password("chibo-demo")
    assert user.person.positions.filter(organization=commune, role="bi_thu").exists()
    assert scope.allows(commune, Access.ACT)
    assert all(
        scope.allows(cell, Access.ACT) for cell in Organization.objects.get_children(commune)
    )
    assert not scope.allows(other, Access.READ)
    assert not scope.allows(root_of(DISTRICT), Access.READ)


@pytest.mark.django_db
def test_plan_is_issued_and_four_in_five_committees_registered(district: str) -> None:
    plan = Plan.objects.get(issuer_org=root_of(DISTRICT))
    target = plan.targets.get()
    obligations = Obligation.objects.filter(target=target).select_related("organization")
    registrations = Registration.objects.filter(obligation__target=target)

    assert district.splitlines()[-1] == f"plan_id={plan.pk}"
    assert plan.status == Plan.Status.ISSUED
    assert (target.kind, target.count, target.meeting_types) == (
        "quota",
        2,
        ["regular", "thematic"],
    )
    assert (target.window_start.month, target.window_end.month) == (3, 3)
    duty = plan.reporting_duties.get()
    assert (duty.deadline.day, duty.deadline.month) == (20, 2)
    assert {o.organization.kind.code for o in obligations} == {"dang_bo_co_so"}
    assert obligations.count() == 15
    assert registrations.count() == 12
    assert not registrations.filter(first_submitted_at__isnull=True).exists()
    statuses = Counter(registrations.values_list("status", flat=True))
    assert statuses == {"accepted": 8, "submitted": 3, "returned": 1}
    assert registrations.filter(on_time=False).exists()
    for registration in registrations.select_related(
        "obligation__target", "obligation__organization"
    ):
        items = [
            plan_services.ItemData(
                cell_id=item.cell_id,
                meeting_type=item.meeting_type,
                starts_at=item.starts_at,
                venue=item.venue,
            )
            for item in registration.items.all()
        ]
        plan_services.registration_items_validate(obligation=registration.obligation, items=items)
        events = list(registration.versions.values_list("event", flat=True))
        expected = (
            ["submitted"]
            if registration.status == "submitted"
            else ["submitted", registration.status]
        )
        assert events == expected
    meetings = Meeting.objects.filter(target=target)
    assert meetings.count() == 2 * statuses["accepted"]
    assert set(meetings.values_list("status", flat=True)) == {"held", "scheduled"}
    accepted = registrations.filter(status="accepted")
    assert set(meetings.values_list("obligation_id", "cell_id", "meeting_type")) == set(
        accepted.values_list("obligation_id", "items__cell_id", "items__meeting_type")
    )


@pytest.mark.django_db
def test_running_again_without_reset_changes_nothing(district: str) -> None:
    before = snapshot()

    out = run_synth("--scale", "district")

    assert snapshot() == before
    assert "đã có; không thay đổi gì" in out
    assert out.splitlines()[-1] == district.splitlines()[-1]


@pytest.mark.django_db
def test_reset_rebuilds_only_its_own_scale(district: str) -> None:
    synth.load_scale(TINY_PROVINCE)
    tiny = snapshot_of(TINY_PROVINCE)
    old_root = root_of(DISTRICT)
    old_plan = Plan.objects.get(issuer_org=old_root)
    counts_before, _digest = snapshot()

    out = run_synth("--scale", "district", "--reset")

    new_plan = Plan.objects.get(issuer_org=root_of(DISTRICT))
    counts_after, _digest = snapshot()
    assert new_plan.pk != old_plan.pk
    assert out.splitlines()[-1] == f"plan_id={new_plan.pk}"
    # The same number of rows of every table, history included, but new rows.
    assert counts_after == counts_before
    assert not Organization.objects.filter(pk=old_root.pk).exists()
    assert snapshot_of(TINY_PROVINCE) == tiny
    assert not Plan.history.filter(id=old_plan.pk).exists()
    assert not Registration.objects.filter(obligation__target__plan=old_plan.pk).exists()
    assert Organization.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_province_shape_in_miniature() -> None:
    summary = synth.load_scale(TINY_PROVINCE)

    root = root_of(TINY_PROVINCE)
    uppers = Organization.objects.get_children(root)
    assert [upper.code for upper in uppers] == ["SYN-T-01", "SYN-T-02"]
    assert {upper.kind.code for upper in uppers} == {"dang_bo_cap_tren_co_so"}
    assert (summary.organizations, summary.people, summary.obligations) == (27, 180, 6)
    assert summary.registrations == 4
    for upper in [root, *uppers]:
        roles = Counter(
            upper.bodies.get(kind="thuong_truc").positions.values_list("role", flat=True)
        )
        assert roles == {"bi_thu": 1, "pho_bi_thu": 1}
    board = scope_for(User.objects.get(username="synth-tiny-bantochuc"))
    assert board.level_for(root) == Access.MANAGE
    assert Organization.objects.find_problems() == ([], [], [], [], [])
