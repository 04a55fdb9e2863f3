"""A document asked of a subject that is not ready for it: a reason, never a server error.

Each kind is asked of bare subjects (a plan just issued, a registration sent, a meeting
with no time, no letters, no minutes, no evaluation): the API answers the file or 409
with the reason, the page the file or the reason with the way back, a background job fails with
the reason.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from chibo.core.dates import LOCAL_TZ
from chibo.documents import kinds, meeting_inputs
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Held, Issued
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.meetings.services import invitations
from conftest import World

pytestmark = pytest.mark.django_db

# What each kind needs that a bare subject does not have yet, in Vietnamese.
NOT_READY = {
    "letters_docx": meeting_inputs.NO_LETTERS,
    "letters_zip": meeting_inputs.NO_LETTERS,
    "letters_pdf": meeting_inputs.NO_LETTERS,
    "minutes_docx": meeting_inputs.NO_MINUTES,
    "minutes_pdf": meeting_inputs.NO_MINUTES,
    "evaluations_docx": meeting_inputs.NO_EVALUATIONS,
}


def vietnamese(message: object) -> str:
    with translation.override("vi"):
        return str(message)


@pytest.fixture
def bare(world: World, issued: Issued) -> dict[kinds.Subject, int]:
    """Plan 332 issued, commune A's registration sent; the district cell's meeting of the plan
    with no time set, so nothing has been done to it."""
    meeting = Meeting.objects.get(target__plan=issued.plan, cell=world.district_cell)
    assert meeting.starts_at is None
    return {
        kinds.Subject.PLAN: issued.plan.pk,
        kinds.Subject.REGISTRATION: issued.registration.pk,
        kinds.Subject.MEETING: meeting.pk,
    }


def api_url(kind: kinds.DocumentKind, subject_id: int) -> str:
    return f"/api/v1/{kind.subject.collection}/{subject_id}/{kind.address}"


def page_url(kind: kinds.DocumentKind, subject_id: int) -> str:
    return f"/documents/{kind.subject.collection}/{subject_id}/{kind.address}"


@pytest.mark.parametrize("code", sorted(kinds.KINDS))
def test_every_kind_of_a_bare_subject_is_the_file_or_409_with_the_reason(
    world: World, bare: dict[kinds.Subject, int], fake_soffice: Path, code: str
) -> None:
    kind = kinds.KINDS[code]
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.officer)
    response = client.get(api_url(kind, bare[kind.subject]))
    if code in NOT_READY:
        assert response.status_code == 409
        assert response.json() == {"message": vietnamese(NOT_READY[code])}
    else:
        assert response.status_code == 200
        assert response["Content-Type"] == kind.content_type


@pytest.mark.parametrize("code", sorted(NOT_READY))
def test_the_page_of_a_document_not_ready_says_why_and_links_back(
    world: World, bare: dict[kinds.Subject, int], code: str
) -> None:
    kind = kinds.KINDS[code]
    meeting_id = bare[kinds.Subject.MEETING]
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.officer)
    response = client.get(page_url(kind, meeting_id))
    assert response.status_code == 409
    assert response.templates[0].name == "documents/not_ready.html"
    assert response.context["message"] == vietnamese(NOT_READY[code])
    assert response.context["back_url"] == f"/meetings/{meeting_id}/"


def test_letters_of_a_meeting_whose_time_was_cleared_say_the_time_is_missing(
    world: World, held: Held
) -> None:
    # Letters are issued once the time is set; should the time be cleared afterwards, the
    # letters cannot say when to come.
    Meeting.objects.filter(pk=held.meeting.pk).update(starts_at=None, ends_at=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.officer)
    for address in ("invitations.docx", "invitations.zip"):
        response = client.get(f"/api/v1/meetings/{held.meeting.pk}/{address}")
        assert response.status_code == 409
        assert response.json() == {"message": vietnamese(meeting_inputs.NO_TIME)}
    response = client.get(f"/documents/meetings/{held.meeting.pk}/invitations.docx")
    assert response.status_code == 409
    assert vietnamese(meeting_inputs.NO_TIME) in response.content.decode()


def test_letters_are_made_once_issued_for_a_meeting_with_its_time(
    world: World, bare: dict[kinds.Subject, int]
) -> None:
    meeting = Meeting.objects.get(pk=bare[kinds.Subject.MEETING])
    start = dt.datetime(2025, 3, 12, 8, tzinfo=LOCAL_TZ)
    meeting_services.meeting_schedule(
        actor=world.officer, meeting=meeting, starts_at=start, ends_at=None, venue="Hội trường"
    )
    client = Client()
    client.force_login(world.officer)
    url = f"/api/v1/meetings/{meeting.pk}/invitations.docx"
    assert client.get(url).status_code == 409  # the time alone is not the letters
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    assert client.get(url).status_code == 200


def test_a_background_job_of_a_document_not_ready_fails_with_the_reason(
    world: World,
    bare: dict[kinds.Subject, int],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting_id = bare[kinds.Subject.MEETING]
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/meetings/{meeting_id}/jobs",
            {"kind": "letters_docx"},
            content_type="application/json",
        )
    assert response.status_code == 202
    job = DocumentJob.objects.get(pk=response.json()["id"])
    assert job.status == DocumentJob.Status.FAILED
    assert job.error == vietnamese(meeting_inputs.NO_LETTERS)


def test_outside_the_scope_a_document_not_ready_is_still_404(
    world: World, bare: dict[kinds.Subject, int]
) -> None:
    client = Client()
    client.force_login(world.outsider)
    response = client.get(f"/api/v1/meetings/{bare[kinds.Subject.MEETING]}/invitations.docx")
    assert response.status_code == 404
