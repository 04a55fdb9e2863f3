"""Pages chibo does not template itself still run under its Content-Security-Policy: the phone
fixture fails a test on any refusal Chromium reports."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_policy(live_server: LiveServer, phone: Page) -> None:
    phone.goto(live_server.url + "/api/v1/docs")
    # Swagger UI is a large bundle: on a busy machine it takes a while to draw.
    expect(phone.locator(".swagger-ui .info .title")).to_contain_text("chibo API", timeout=30_000)
    expect(phone.locator(".opblock").first).to_be_visible()


def test_admin_login_renders_under_the_policy(live_server: LiveServer, phone: Page) -> None:
    phone.goto(live_server.url + "/admin/login/")
    expect(phone.locator("#id_username")).to_be_visible()
