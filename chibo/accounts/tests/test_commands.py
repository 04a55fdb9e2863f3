import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import World

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_working_token(world: World) -> None:
    out = io.StringIO()
    call_command("token", "create", "officer", stdout=out)
    raw = out.getvalue().strip()
    response = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_token_for_unknown_user_fails(world: World) -> None:
    with pytest.raises(CommandError, match="No active user named 'ghost'"):
        call_command("token", "create", "ghost")


def test_revoked_token_is_refused(world: World) -> None:
    from chibo.accounts.services import token_create, token_revoke

    token, raw = token_create(user=world.officer)
    token_revoke(token=token)
    response = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
