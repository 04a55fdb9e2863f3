import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_vietnamese_whatever_the_browser_says() -> None:
    response = Client().get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_a_chosen_language_is_kept() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_an_unknown_choice_falls_back_to_vietnamese() -> None:
    client = Client()
    client.cookies["django_language"] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "vi"
