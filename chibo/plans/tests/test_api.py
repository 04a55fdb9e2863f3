from typing import Any

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_plan_detail_is_structured(world: World) -> None:
    plan = make_plan(world)
    body = client_for(world.officer).get(f"/api/v1/plans/{plan.pk}").json()
    assert body["number"] == "332-KH/HU"
    assert body["issued_on"] == "2025-01-20"
    assert [t["kind"] for t in body["targets"]] == ["designated", "quota"]
    quota = body["targets"][1]
    assert quota["count"] == 2
    assert quota["org_kind"] == "dang_bo_co_so"
    assert quota["meeting_types"] == ["regular", "thematic"]
    assert quota["window"] == {"start": "2025-03-01", "end": "2025-03-31", "label": ""}
    assert quota["invitee_rules"][0]["rule"]["group"] == "body"
    assert quota["invitee_rules"][0]["description"]
    report = next(d for d in body["deadlines"] if d["kind"] == "report")
    assert report["date"] == "2025-02-20"
    assert report["deadline_kind"] == "before"
    assert report["last_day"] == "2025-02-19"
    assert [b["number"] for b in body["legal_bases"]] == ["10-CT/TW", "18-KL/TW"]
    assert body["signer"]["capacity"] == "T/M BAN THƯỜNG VỤ"


def test_plan_list_for_commune_secretary(world: World) -> None:
    plan = make_plan(world)
    body = client_for(world.commune_secretary).get("/api/v1/plans").json()
    assert [row["id"] for row in body["items"]] == [plan.pk]
    assert body["count"] == 1


def test_outsider_gets_404_for_plan(world: World) -> None:
    plan = make_plan(world)
    client = client_for(world.outsider)
    assert client.get(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert client.get("/api/v1/plans").json()["count"] == 0


def test_session_login_reaches_the_api(world: World) -> None:
    plan = make_plan(world)
    client = Client()
    client.force_login(world.officer)
    assert client.get(f"/api/v1/plans/{plan.pk}").status_code == 200


def test_plan_queries_do_not_grow(world: World, django_assert_max_num_queries: Any) -> None:
    make_plan(world)
    client = client_for(world.officer)
    client.get("/api/v1/plans")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/plans")
    for number in range(1, 30):
        make_plan(world, number=number)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/plans")
    assert response.json()["count"] == 30


def test_openapi_document_is_served(world: World) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/plans/{plan_id}" in paths
    assert "/api/v1/orgs" in paths


def test_healthz(db: None) -> None:
    response = Client().get("/healthz")
    assert response.json() == {"status": "ok"}
