from typing import Any

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.orgs.models import OrgKind, Person, Position
from chibo.orgs.tests.factories import make_org
from conftest import World

pytestmark = pytest.mark.django_db


def api_get(user: User, url: str, **params: Any) -> Any:
    _, raw = token_create(user=user)
    return Client().get(url, params, headers={"Authorization": f"Bearer {raw}"})


def test_anonymous_is_refused(world: World) -> None:
    response = Client().get("/api/v1/orgs")
    assert response.status_code == 401


def test_bad_token_is_refused(world: World) -> None:
    response = Client().get("/api/v1/orgs", headers={"Authorization": "Bearer chibo_wrong"})
    assert response.status_code == 401


def test_list_is_scoped_and_paginated(world: World) -> None:
    response = api_get(world.commune_secretary, "/api/v1/orgs")
    assert response.status_code == 200
    body = response.json()
    assert {row["code"] for row in body["items"]} == {"CA", "CA-1"}
    assert body["count"] == 2
    assert body["page"] == 1
    assert body["pages"] == 1
    row = next(row for row in body["items"] if row["code"] == "CA-1")
    assert row["kind"] == "chi_bo_truc_thuoc"
    assert row["parent"] == world.commune_a.pk


def test_search_ignores_diacritics(world: World) -> None:
    response = api_get(world.officer, "/api/v1/orgs", search="dong")
    assert [row["name"] for row in response.json()["items"]] == ["Đảng bộ huyện Đông"]


def test_a_name_is_searched_as_a_phrase(world: World) -> None:
    """ "xa an" finds Đảng bộ xã An only, though "an" also starts a word elsewhere; the words
    in another order are not the name."""
    make_org(world.district, "CX", "Đảng bộ xã Bản An", "dang_bo_co_so")
    codes = [
        row["code"]
        for row in api_get(world.officer, "/api/v1/orgs", search="Xa An").json()["items"]
    ]
    assert codes == ["CA"]
    both = api_get(world.officer, "/api/v1/orgs", search="an").json()["items"]
    assert {"CA", "CX"} <= {row["code"] for row in both}
    assert api_get(world.officer, "/api/v1/orgs", search="an xa").json()["count"] == 0


def test_filter_by_kind(world: World) -> None:
    response = api_get(world.officer, "/api/v1/orgs", kind="chi_bo_truc_thuoc")
    assert {row["code"] for row in response.json()["items"]} == {"CA-1", "CB-1"}


def test_list_sorts_in_vietnamese_order(world: World) -> None:
    kind = OrgKind.objects.get(code="chi_bo_truc_thuoc")
    for code, name in [("X1", "Chi bộ Đồng"), ("X2", "Chi bộ Dương"), ("X3", "Chi bộ Ân")]:
        make_org(world.commune_a, code, name, kind.code)
    response = api_get(world.commune_secretary, "/api/v1/orgs", kind="chi_bo_truc_thuoc")
    names = [row["name"] for row in response.json()["items"]]
    assert names == ["Chi bộ Ân", "Chi bộ bản Một", "Chi bộ Dương", "Chi bộ Đồng"]


def test_detail_has_ancestors_and_children(world: World) -> None:
    response = api_get(world.commune_secretary, f"/api/v1/orgs/{world.commune_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [a["code"] for a in body["ancestors"]] == ["P", "D"]
    assert [c["code"] for c in body["children"]] == ["CA-1"]
    assert body["kind"] == "dang_bo_co_so"


def test_outsider_gets_404(world: World) -> None:
    response = api_get(world.outsider, f"/api/v1/orgs/{world.commune_a.pk}")
    assert response.status_code == 404
    missing = api_get(world.outsider, "/api/v1/orgs/999999")
    assert missing.json() == response.json()


def test_list_query_count_does_not_grow(world: World, django_assert_max_num_queries: Any) -> None:
    _, raw = token_create(user=world.officer)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.get("/api/v1/orgs")  # token "last used" write happens on first use
    with django_assert_max_num_queries(6):
        client.get("/api/v1/orgs")
    for number in range(40):
        make_org(world.commune_b, f"N{number}", f"Chi bộ số {number}", "chi_bo_truc_thuoc")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/orgs")
    assert response.json()["count"] == 46


def test_search_with_nul_byte_is_harmless(world: World) -> None:
    response = api_get(world.officer, "/api/v1/orgs", search="xã\x00Bình")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["items"]] == ["CB"]


def test_positions_of_an_organization_today(
    world: World, django_assert_max_num_queries: Any
) -> None:
    holder = Person.objects.create(code="OWN-1", full_name="Phàn Thị Dung", home_cell=world.cell_a)
    Position.objects.create(
        person=holder, organization=world.cell_a, body=None, role=Position.Role.SECRETARY
    )
    # Token and scope, the organization, its own posts, its bodies with theirs: no query a post.
    with django_assert_max_num_queries(14):
        response = api_get(world.officer, f"/api/v1/orgs/{world.district.pk}/positions")
    assert response.status_code == 200
    by_person = {row["person"]["id"]: row for row in response.json()}
    overseer = by_person[world.overseer.person.pk]
    assert overseer["body"]["kind"] == "thuong_truc"
    cell = api_get(world.officer, f"/api/v1/orgs/{world.cell_a.pk}/positions").json()
    own = next(row for row in cell if row["person"]["code"] == "OWN-1")
    assert (own["body"], own["role"], own["role_name"]) == (None, "bi_thu", "Bí thư")
    assert api_get(world.outsider, f"/api/v1/orgs/{world.cell_a.pk}/positions").status_code == 404
