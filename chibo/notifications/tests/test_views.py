import html as html_lib
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from chibo.accounts.models import User
from chibo.notifications import services
from chibo.notifications.models import Notification
from chibo.notifications.tests.factories import send, send_many
from conftest import World

pytestmark = pytest.mark.django_db

# Session, user, the paginator's count, the page of notifications, the unread count, and the
# navbar's import entry (scope: positions, assignments, home cell; the committees acted for).
INBOX_MAX_QUERIES = 9


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inbox_url() -> str:
    return reverse("notifications:notification_list")


def open_url(notification: Notification) -> str:
    return reverse("notifications:notification_open", args=[notification.pk])


def titles(client: Client) -> list[str]:
    response = client.get(inbox_url())
    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    return re.findall(r'data-testid="notification-title">([^<]*)<', page)


@pytest.mark.parametrize("url", ["inbox", "open", "read_all"])
def test_anonymous_is_sent_to_login(world: World, url: str) -> None:
    notification = send(world.commune_secretary)
    address = {
        "inbox": inbox_url(),
        "open": open_url(notification),
        "read_all": reverse("notifications:notification_read_all"),
    }[url]
    response = Client().post(address) if url != "inbox" else Client().get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_inbox_lists_only_own_notifications_newest_first(world: World) -> None:
    send(world.commune_secretary, key="a", title="Thứ nhất")
    send(world.outsider, key="a", title="Của người khác")
    send(world.commune_secretary, key="b", title="Thứ hai")
    assert titles(client_for(world.commune_secretary)) == ["Thứ hai", "Thứ nhất"]


def test_unread_notifications_are_highlighted(world: World) -> None:
    read = send(world.commune_secretary, key="a", title="Đã đọc")
    send(world.commune_secretary, key="b", title="Chưa đọc")
    client = client_for(world.commune_secretary)
    client.post(open_url(read))
    page = client.get(inbox_url()).content.decode()
    assert page.count('data-unread="true"') == 1
    assert page.count("list-group-item-primary") == 1


def test_empty_inbox_says_so(world: World) -> None:
    response = client_for(world.commune_secretary).get(inbox_url())
    assert 'data-testid="empty-state"' in response.content.decode()


def test_opening_marks_read_and_goes_to_the_link(world: World) -> None:
    notification = send(world.commune_secretary, url="/plans/5/")
    response = client_for(world.commune_secretary).post(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/plans/5/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_one_without_link_returns_to_the_inbox(world: World) -> None:
    notification = send(world.commune_secretary)
    response = client_for(world.commune_secretary).post(open_url(notification))
    assert response["Location"] == inbox_url()


def test_link_to_another_site_is_not_followed(world: World) -> None:
    notification = send(world.commune_secretary, url="https://elsewhere.example/")
    response = client_for(world.commune_secretary).post(open_url(notification))
    assert response["Location"] == inbox_url()


def test_opening_needs_post(world: World) -> None:
    notification = send(world.commune_secretary)
    response = client_for(world.commune_secretary).get(open_url(notification))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_outsider_gets_404_for_another_persons_notification(world: World) -> None:
    notification = send(world.commune_secretary)
    response = client_for(world.outsider).post(open_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(world: World) -> None:
    send_many(world.commune_secretary, 3)
    other = send(world.outsider)
    client = client_for(world.commune_secretary)
    response = client.post(reverse("notifications:notification_read_all"))
    assert response["Location"] == inbox_url()
    assert Notification.objects.filter(read_at__isnull=True).get() == other
    assert 'data-unread="true"' not in client.get(inbox_url()).content.decode()


def test_unread_count_reaches_the_templates(world: World) -> None:
    notifications = send_many(world.commune_secretary, 3)
    send(world.outsider)
    client = client_for(world.commune_secretary)
    client.post(open_url(notifications[0]))
    response = client.get(inbox_url())
    assert response.context["unread_notifications"] == 2


def test_unread_badge_shows_the_count(world: World) -> None:
    send_many(world.commune_secretary, 3)
    response = client_for(world.commune_secretary).get(inbox_url())
    page = response.content.decode()
    assert re.search(r'data-testid="unread-badge">3<', page)
    assert 'class="bi bi-bell' in page


def render_badge(user: User | AnonymousUser) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("notifications/partials/navbar_badge.html", request=request)


@pytest.mark.parametrize(("count", "shown"), [(2, "2"), (100, "99+")])
def test_navbar_badge_counts_unread(world: World, count: int, shown: str) -> None:
    services.notification_send_many(
        messages=[
            services.NotificationMessage((world.commune_secretary,), f"news:{number}", "Tin", "")
            for number in range(count)
        ]
    )
    badge = render_badge(world.commune_secretary)
    assert 'class="bi bi-bell-fill' in badge
    assert re.search(rf'data-testid="unread-badge">{re.escape(shown)}<', badge)


def test_navbar_badge_for_anonymous_is_empty(world: World) -> None:
    assert render_badge(AnonymousUser()).strip() == ""


def test_no_badge_without_unread(world: World) -> None:
    response = client_for(world.commune_secretary).get(inbox_url())
    assert 'data-testid="unread-badge"' not in response.content.decode()


def test_anonymous_pages_count_nothing(world: World) -> None:
    response = Client().get(reverse("accounts:login"))
    assert "unread_notifications" not in response.context


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_queries_do_not_grow(
    world: World, count: int, django_assert_max_num_queries: Any
) -> None:
    send_many(world.commune_secretary, count)
    client = client_for(world.commune_secretary)
    with django_assert_max_num_queries(INBOX_MAX_QUERIES):
        response = client.get(inbox_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="notification"') == count
