"""What the fuzzer found, pinned: input no database column or date arithmetic can take is
refused with 422 (or 400 for a body that is not JSON) in the shape of every refusal, never 500."""

import pytest
from django.test import Client
from django.utils import translation

from chibo.api import BODY_UNREADABLE
from chibo.core.api import (
    DATE_OUT_OF_RANGE,
    DATETIME_NOT_NUMBER,
    ID_MAX,
    NUMBER_TOO_LARGE,
    SCHEMA_MESSAGES,
)
from chibo.documents.tests.conftest import Held, held  # noqa: F401
from chibo.meetings.models import Meeting
from conftest import World

pytestmark = pytest.mark.django_db


def vietnamese(message: object, **values: object) -> str:
    with translation.override("vi"):
        return str(message).format(**values)


@pytest.fixture
def client(world: World) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.officer)
    return client


def schedule(client: Client, meeting: Meeting, **body: object) -> tuple[int, dict[str, object]]:
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/schedule",
        {"venue": "Hội trường", **body},
        content_type="application/json",
    )
    return response.status_code, response.json()


def test_a_meeting_in_the_year_9999_is_refused_and_nothing_changes(
    client: Client,
    held: Held,  # noqa: F811
) -> None:
    before = Meeting.objects.get(pk=held.meeting.pk).starts_at
    status, body = schedule(client, held.meeting, starts_at="9999-12-31T23:00:00+07:00")
    assert status == 422
    message = vietnamese(DATE_OUT_OF_RANGE, first=1900, last=2100)
    assert body["fields"] == {"starts_at": [message]}
    assert Meeting.objects.get(pk=held.meeting.pk).starts_at == before


def test_a_number_for_a_date_and_time_is_refused(client: Client, held: Held) -> None:  # noqa: F811
    status, body = schedule(
        client, held.meeting, starts_at="2025-03-12T08:00:00+07:00", papers_sent_at=100791
    )
    assert status == 422
    assert body["fields"] == {"papers_sent_at": [vietnamese(DATETIME_NOT_NUMBER)]}


def test_an_integer_past_64_bits_in_a_body_is_refused(client: Client, held: Held) -> None:  # noqa: F811
    response = client.post(
        f"/api/v1/plans/{held.plan.pk}/registrations",
        {"org": ID_MAX + 1, "items": []},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"]["org"] == [vietnamese(NUMBER_TOO_LARGE)]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/plans/{ID_MAX + 1}",
        f"/api/v1/meetings/{ID_MAX + 1}/invitations.docx",
        "/api/v1/plans/0",
        f"/api/v1/plans?page={10**12}",
        f"/api/v1/meetings?org={ID_MAX + 1}",
    ],
)
def test_ids_and_pages_no_row_can_have_are_422(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert set(response.json()) == {"message", "fields"}


def test_a_body_that_is_not_json_is_400_with_a_message(client: Client, held: Held) -> None:  # noqa: F811
    response = client.put(
        f"/api/v1/meetings/{held.meeting.pk}/schedule",
        b"\xff\xfe{",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"message": vietnamese(BODY_UNREADABLE)}


@pytest.mark.parametrize("body", ["[]", '"x"', "5"])
def test_a_body_that_is_not_an_object_is_422_even_where_every_field_is_optional(
    client: Client,
    held: Held,  # noqa: F811
    body: str,
) -> None:
    Meeting.objects.filter(pk=held.meeting.pk).update(status=Meeting.Status.SCHEDULED)
    response = client.post(
        f"/api/v1/meetings/{held.meeting.pk}/held", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"__all__": [vietnamese(SCHEMA_MESSAGES["dict_type"])]}
    assert Meeting.objects.get(pk=held.meeting.pk).status == Meeting.Status.SCHEDULED
