"""Fixtures shared by every suite: the small `world` every scope test is written against."""

import dataclasses
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.utils import translation

from chibo.accounts.models import User
from chibo.orgs.models import Body, Organization, Person, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_body, make_org


@dataclasses.dataclass
class World:
    province: Organization
    district: Organization
    commune_a: Organization
    commune_b: Organization
    cell_a: Organization
    cell_b: Organization
    district_cell: Organization
    other_district: Organization
    other_cell: Organization
    org_board: Body
    standing_office: Body
    officer: User  # Ban Tổ chức of the district: manages the district
    overseer: User  # Thường trực of the district: reads the district
    commune_secretary: User  # Bí thư of commune A: acts in commune A
    cell_secretary: User  # Bí thư of cell A: acts in cell A
    outsider: User  # a secretary from another district: sees none of this one
    nobody: User  # an account linked to no one: sees nothing


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's language: a request in another test must not leak."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _user(username: str, person: Person | None) -> User:
    return User.objects.create_user(username=username, password="pw-123456", person=person)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The cast and its tree, as plain code: the access matrix builds it once per module, the
    fault tests in a database of their own."""
    province = make_org(None, "P", "Đảng bộ tỉnh Thử", "dang_bo_tinh", "Tỉnh ủy Thử", "TU")
    district = make_org(
        province, "D", "Đảng bộ huyện Đông", "dang_bo_cap_tren_co_so", "Huyện ủy Đông", "HU"
    )
    commune_a = make_org(district, "CA", "Đảng bộ xã An", "dang_bo_co_so", "Đảng ủy xã An", "ĐU")
    commune_b = make_org(
        district, "CB", "Đảng bộ xã Bình", "dang_bo_co_so", "Đảng ủy xã Bình", "ĐU"
    )
    cell_a = make_org(commune_a, "CA-1", "Chi bộ bản Một", "chi_bo_truc_thuoc", symbol="CB")
    cell_b = make_org(commune_b, "CB-1", "Chi bộ bản Hai", "chi_bo_truc_thuoc", symbol="CB")
    district_cell = make_org(district, "D-KT", "Chi bộ phòng Kinh tế", "chi_bo_co_so", symbol="CB")
    other_district = make_org(
        province, "E", "Đảng bộ huyện Tây", "dang_bo_cap_tren_co_so", "Huyện ủy Tây", "HU"
    )
    other_commune = make_org(other_district, "EA", "Đảng bộ xã Ếch", "dang_bo_co_so", symbol="ĐU")
    other_cell = make_org(other_commune, "EA-1", "Chi bộ bản Ba", "chi_bo_truc_thuoc", symbol="CB")

    org_board = make_body(district, "ban_to_chuc", "Ban Tổ chức Huyện ủy")
    standing_office = make_body(district, "thuong_truc", "Thường trực Huyện ủy")
    commune_bch = make_body(commune_a, "bch", "Ban Chấp hành Đảng bộ xã An")
    cell_committee = make_body(cell_a, "chi_uy", "Chi ủy Chi bộ bản Một")
    other_bch = make_body(other_commune, "bch", "Ban Chấp hành Đảng bộ xã Ếch")

    officer = PersonFactory(home_cell=district_cell)
    give_post(officer, district, Position.Role.STAFF, org_board)
    overseer = PersonFactory(home_cell=district_cell)
    give_post(overseer, district, Position.Role.SECRETARY, standing_office)
    commune_secretary = PersonFactory(home_cell=cell_a)
    give_post(commune_secretary, commune_a, Position.Role.SECRETARY, commune_bch)
    cell_secretary = PersonFactory(home_cell=cell_a)
    give_post(cell_secretary, cell_a, Position.Role.SECRETARY, cell_committee)
    outsider = PersonFactory(home_cell=other_cell)
    give_post(outsider, other_commune, Position.Role.SECRETARY, other_bch)

    return World(
        province=province,
        district=district,
        commune_a=commune_a,
        commune_b=commune_b,
        cell_a=cell_a,
        cell_b=cell_b,
        district_cell=district_cell,
        other_district=other_district,
        other_cell=other_cell,
        org_board=org_board,
        standing_office=standing_office,
        officer=_user("officer", officer),
        overseer=_user("overseer", overseer),
        commune_secretary=_user("commune_secretary", commune_secretary),
        cell_secretary=_user("cell_secretary", cell_secretary),
        outsider=_user("outsider", outsider),
        nobody=_user("nobody", None),
    )


def replay_data_migrations() -> None:
    """Put back what the data migrations wrote (org kinds, default criteria) after a
    transactional test flushed it. Data migrations are safe to rerun (see the style guide).

    The schema editor is only handed to the data functions, never entered: entering it inside a
    test's transaction is refused on SQLite, and the data functions change no schema."""
    loader = MigrationLoader(connection)
    editor = connection.schema_editor(atomic=False)
    for key, migration in sorted(loader.disk_migrations.items()):
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(loader.project_state(key, at_end=False).apps, editor)
