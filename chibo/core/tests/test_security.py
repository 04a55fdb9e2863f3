"""Security headers on every answer, and the deploy check with production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import World

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "chibo").rglob("templates/**/*.html"))
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "chibo.settings.base",
    "CHIBO_DEBUG": "false",
    "CHIBO_SECRET_KEY": "a-long-random-production-key-Zq8vN3xK1mT7pW4rB9cY2hL6dF0sJ5gE",
    "CHIBO_ALLOWED_HOSTS": "chibo.example.org",
    "CHIBO_HTTPS": "true",
}


def _policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_pages_carry_a_policy_that_allows_only_own_scripts_and_styles(world: World) -> None:
    client = Client()
    client.force_login(world.officer)
    policy = _policy(client.get("/plans/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_api_and_login_answers_carry_the_same_policy(world: World) -> None:
    assert _policy(Client().get("/accounts/login/"))["script-src"] == ["'self'"]
    assert _policy(Client().get("/api/v1/plans"))["script-src"] == ["'self'"]


def test_api_docs_are_served_from_chibo_itself() -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_frames_referrer_and_sniffing_are_refused() -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_strict_transport_security_is_sent_over_https_only(settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    secure = Client().get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")


def test_plain_http_is_redirected_to_https_but_health_probes_are_not(
    settings: Settings, db: None
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert Client().get("/healthz").status_code == 200


def test_the_local_demo_sends_no_strict_transport_security() -> None:
    """Without CHIBO_HTTPS a browser must not be told to insist on HTTPS for 127.0.0.1."""
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SECURE_SSL_REDIRECT is False


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_style_element(template: Path) -> None:
    """The policy refuses them: they would silently do nothing in the browser."""
    text = template.read_text(encoding="utf-8")
    assert "<style" not in text
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"


def _deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION_ENV, **overrides}
    env.pop("CHIBO_SECURE_COOKIES", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, refused in deployment
    return subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings() -> None:
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_https() -> None:
    result = _deploy_check(CHIBO_HTTPS="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W012" in result.stderr + result.stdout  # session cookie not secure
