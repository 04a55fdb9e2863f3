import datetime as dt
import html as html_lib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings import views
from chibo.meetings.models import Evaluation, LessonsSummary, Meeting, Minutes, MinutesAttachment
from chibo.meetings.services import evaluations, invitations, records
from chibo.meetings.views import PLAN_ISSUED, REGISTRATION_ACCEPTED
from chibo.orgs.models import Organization, Person
from chibo.orgs.tests.factories import make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan, Registration
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def draft(world: World) -> Plan:
    return make_plan(world, status=Plan.Status.DRAFT)


@pytest.fixture
def second_cell(world: World) -> Organization:
    return make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")


@pytest.fixture
def submitted(world: World, draft: Plan, second_cell: Organization) -> Registration:
    meeting_services.plan_issue(actor=None, plan=draft)
    obligation = Obligation.objects.get(target__plan=draft, organization=world.commune_a)
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=obligation,
        items=[
            ItemData(world.cell_a.pk, "regular", at(2025, 3, 10, 8, 0), "Nhà văn hóa bản Một"),
            ItemData(second_cell.pk, "thematic", at(2025, 3, 20, 14, 0), "Nhà văn hóa bản Hai"),
        ],
    )
    return plan_services.registration_submit(
        actor=world.commune_secretary, registration=registration, at=at(2025, 2, 10, 9, 0)
    )


def issue_url(plan: Plan) -> str:
    return reverse("meetings:plan_issue", args=[plan.pk])


def accept_url(registration: Registration) -> str:
    return reverse("meetings:registration_accept", args=[registration.pk])


# --- Issuing ------------------------------------------------------------------------------------


def test_issue_anonymous_is_sent_to_login(draft: Plan) -> None:
    response = Client().post(issue_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_issue_refuses_get(world: World, draft: Plan) -> None:
    assert client_for(world.officer).get(issue_url(draft)).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "commune_secretary", "overseer", "nobody"])
def test_issue_by_anyone_but_the_issuer_managers_gets_404(
    world: World, draft: Plan, who: str
) -> None:
    response = client_for(getattr(world, who)).post(issue_url(draft))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert Obligation.objects.count() == 0


def test_issue_creates_obligations_and_returns_to_the_plan(world: World, draft: Plan) -> None:
    response = client_for(world.officer).post(issue_url(draft), follow=True)
    assert response.redirect_chain == [(reverse("plans:plan_detail", args=[draft.pk]), 302)]
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ISSUED
    assert Obligation.objects.filter(target__plan=draft).count() == 2
    assert Meeting.objects.filter(target__plan=draft, is_model=True).count() == 1
    assert str(PLAN_ISSUED).format(count=2) in text_of(response)


def test_issuing_a_closed_plan_is_refused_with_the_message(world: World, draft: Plan) -> None:
    draft.status = Plan.Status.CLOSED
    draft.save(update_fields=["status"])
    response = client_for(world.officer).post(issue_url(draft), follow=True)
    assert str(plan_services.PLAN_CLOSED) in text_of(response)
    assert Obligation.objects.count() == 0


# --- Accepting ----------------------------------------------------------------------------------


def test_accept_anonymous_is_sent_to_login(submitted: Registration) -> None:
    response = Client().post(accept_url(submitted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_accept_refuses_get(world: World, submitted: Registration) -> None:
    assert client_for(world.officer).get(accept_url(submitted)).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "commune_secretary", "cell_secretary", "overseer"])
def test_accept_by_anyone_but_the_board_gets_404(
    world: World, submitted: Registration, who: str
) -> None:
    response = client_for(getattr(world, who)).post(accept_url(submitted))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.SUBMITTED
    assert not Meeting.objects.filter(obligation__isnull=False).exists()


def test_accept_schedules_the_meetings(world: World, submitted: Registration) -> None:
    response = client_for(world.officer).post(
        accept_url(submitted), {"comment": "Đồng ý."}, follow=True
    )
    detail = reverse("plans:registration_detail", args=[submitted.pk])
    assert response.redirect_chain == [(detail, 302)]
    assert str(REGISTRATION_ACCEPTED) in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.ACCEPTED
    assert submitted.review_comment == "Đồng ý."
    meetings = Meeting.objects.filter(obligation=submitted.obligation).order_by("starts_at")
    assert [(m.cell_id, m.meeting_type, m.status) for m in meetings] == [
        (world.cell_a.pk, "regular", Meeting.Status.SCHEDULED),
        (meetings[1].cell_id, "thematic", Meeting.Status.SCHEDULED),
    ]
    assert meetings[0].starts_at == at(2025, 3, 10, 8, 0)


def test_accepting_a_draft_is_refused_with_the_message(
    world: World, submitted: Registration
) -> None:
    plan_services.registration_return(actor=None, registration=submitted, comment="Sửa.")
    response = client_for(world.officer).post(accept_url(submitted), follow=True)
    assert str(plan_services.REGISTRATION_NOT_SUBMITTED) in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.RETURNED
    assert not Meeting.objects.filter(obligation__isnull=False).exists()


# --- The whole way, through the pages -----------------------------------------------------------


@time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=LOCAL_TZ), tick=False)
def test_copy_issue_register_send_and_accept_through_the_pages(
    world: World, draft: Plan, second_cell: Organization
) -> None:
    officer = client_for(world.officer)
    secretary = client_for(world.commune_secretary)

    officer.post(reverse("plans:plan_copy", args=[draft.pk]), {"year": 2027})
    copy = Plan.objects.get(year=2027)
    assert copy.status == Plan.Status.DRAFT
    officer.post(issue_url(copy))
    copy.refresh_from_db()
    assert copy.status == Plan.Status.ISSUED

    rows = {
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 2,
        "items-0-cell": world.cell_a.pk,
        "items-0-meeting_type": "regular",
        "items-0-day": "2027-03-09",
        "items-0-time": "08:00",
        "items-0-venue": "Nhà văn hóa bản Một",
        "items-1-cell": second_cell.pk,
        "items-1-meeting_type": "thematic",
        "items-1-day": "2027-03-23",
        "items-1-time": "14:00",
        "items-1-venue": "Hội trường Đảng ủy xã An",
    }
    edit = reverse("plans:registration_edit", args=[copy.pk, world.commune_a.pk])
    assert secretary.post(edit, rows).status_code == 302
    registration = Registration.objects.get(obligation__target__plan=copy)
    secretary.post(reverse("plans:registration_submit", args=[registration.pk]))
    officer.post(accept_url(registration))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.on_time is True
    starts = sorted(
        Meeting.objects.filter(obligation=registration.obligation).values_list(
            "starts_at", flat=True
        )
    )
    assert starts == [at(2027, 3, 9, 8, 0), at(2027, 3, 23, 14, 0)]


# --- Meeting pages ------------------------------------------------------------------------------

START = at(2025, 3, 12, 8, 0)
CRITERIA = ["attendance", "preparation", "conduct", "principles", "follow_up"]


@pytest.fixture
def meeting(world: World) -> Meeting:
    """The district's model meeting, scheduled: the Board organizes it, Thường trực is invited."""
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    return meeting_services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=120),
        venue="Hội trường Huyện ủy",
    )


@pytest.fixture
def held(world: World, meeting: Meeting) -> Meeting:
    return meeting_services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )


def members(world: World, count: int) -> list[Person]:
    return [
        Person.objects.create(
            code=f"M-{n}", full_name=f"Đảng viên Số {n}", home_cell=world.district_cell
        )
        for n in range(count)
    ]


def url(name: str, meeting: Meeting, *args: int) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def pdf_upload(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%signed minutes\n", content_type="application/pdf")


def attached(world: World, meeting: Meeting) -> MinutesAttachment:
    minutes = records.minutes_save(actor=world.officer, meeting=meeting, data=records.MinutesData())
    return records.minutes_attach(actor=world.officer, minutes=minutes, upload=pdf_upload())


PAGES = ["meeting_detail", "attendance", "minutes_edit", "evaluation_edit", "invitees_refresh"]
ACTIONS = [
    "meeting_schedule",
    "meeting_papers_sent",
    "meeting_held",
    "agenda_save",
    "invitees_refresh",
    "invitee_add",
    "letters_issue",
    "invitation_respond",
    "attendance_mark",
    "minutes_edit",
    "minutes_attach",
    "evaluation_edit",
]


@pytest.mark.parametrize("name", PAGES)
def test_meeting_pages_send_anonymous_to_login(meeting: Meeting, name: str) -> None:
    response = Client().get(url(name, meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ACTIONS)
def test_meeting_actions_send_anonymous_to_login(meeting: Meeting, name: str) -> None:
    response = Client().post(url(name, meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [*PAGES, "invitee_search"])
def test_outsider_gets_404_on_every_meeting_page(world: World, meeting: Meeting, name: str) -> None:
    assert client_for(world.outsider).get(url(name, meeting), {"q": "Văn"}).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "commune_secretary", "overseer"])
@pytest.mark.parametrize("name", ACTIONS)
def test_actions_by_those_who_cannot_organize_get_404(
    world: World, meeting: Meeting, who: str, name: str
) -> None:
    person = members(world, 1)[0]
    minutes = records.minutes_save(actor=world.officer, meeting=meeting, data=records.MinutesData())
    data = {
        "day": "2025-03-13",
        "starts": "08:00",
        "ends": "10:00",
        "venue": "Nơi khác",
        "items": "Một",
        "person": person.pk,
        "status": "present",
        "note": "Ghi chú",
        "per": "person",
        "response": "attending",
        "votes_for": 1,
        "file": pdf_upload(),
        **{f"item_{index}": item.title for index, item in enumerate(meeting.agenda.all())},
        **{f"score_{code}": 10 for code in CRITERIA},
    }
    before = Meeting.objects.get(pk=meeting.pk)
    response = client_for(getattr(world, who)).post(url(name, meeting), data)
    assert response.status_code == 404
    after = Meeting.objects.get(pk=meeting.pk)
    assert (after.starts_at, after.venue, after.status) == (
        before.starts_at,
        before.venue,
        before.status,
    )
    assert not meeting.attendance.exists()
    assert not meeting.invitees.exists()
    minutes.refresh_from_db()
    assert minutes.votes_for is None
    assert not MinutesAttachment.objects.exists()


def test_meeting_page_shows_time_venue_reasons_and_warnings(world: World, meeting: Meeting) -> None:
    text = text_of(client_for(world.officer).get(url("meeting_detail", meeting)))
    assert "08:00 12/03/2025–10:00" in text
    assert "Hội trường Huyện ủy" in text
    assert world.overseer.person.full_name in text
    assert "Thường trực Huyện ủy Đông" in text
    assert 'data-testid="meeting-warnings"' in text  # papers not sent a day ahead
    assert 'data-testid="schedule-form"' in text
    assert 'data-testid="issue-form"' in text


def test_reader_sees_the_meeting_without_the_organizer_forms(
    world: World, meeting: Meeting
) -> None:
    text = text_of(client_for(world.overseer).get(url("meeting_detail", meeting)))
    assert "Hội trường Huyện ủy" in text
    assert 'data-testid="schedule-form"' not in text
    assert 'data-testid="issue-form"' not in text
    assert 'data-testid="agenda-form"' not in text


# --- Schedule, papers, agenda -------------------------------------------------------------------


def test_schedule_form_moves_the_meeting_and_marks_a_combined_session(
    world: World, meeting: Meeting
) -> None:
    data = {
        "day": "2025-03-14",
        "starts": "14:00",
        "ends": "15:00",
        "venue": "Phòng họp số 2",
        "topic": "Chuyên đề rừng",
        "combined": "on",
        "papers_sent_at": "2025-03-12T09:30",
    }
    response = client_for(world.officer).post(url("meeting_schedule", meeting), data, follow=True)
    assert str(views.MEETING_SCHEDULED) in text_of(response)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (at(2025, 3, 14, 14, 0), at(2025, 3, 14, 15, 0))
    assert (meeting.venue, meeting.topic, meeting.combined) == (
        "Phòng họp số 2",
        "Chuyên đề rừng",
        True,
    )
    assert meeting.papers_sent_at == at(2025, 3, 12, 9, 30)
    # 60 minutes of a combined session: the page warns it must last 120.
    assert "120" in text_of(response).split('data-testid="meeting-warnings"')[1][:400]


def test_schedule_ending_before_it_starts_is_refused_and_nothing_changes(
    world: World, meeting: Meeting
) -> None:
    data = {"day": "2025-03-14", "starts": "14:00", "ends": "13:00", "venue": "Phòng họp số 2"}
    response = client_for(world.officer).post(url("meeting_schedule", meeting), data)
    assert response.status_code == 200
    assert gettext("The end time must be after the start time.") in text_of(response)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.venue) == (START, "Hội trường Huyện ủy")


def test_mark_papers_sent_now_clears_the_warning(world: World, meeting: Meeting) -> None:
    with time_machine.travel(at(2025, 3, 10, 16, 0), tick=False):
        response = client_for(world.officer).post(url("meeting_papers_sent", meeting), follow=True)
    meeting.refresh_from_db()
    assert meeting.papers_sent_at == at(2025, 3, 10, 16, 0)
    assert 'data-testid="meeting-warnings"' not in text_of(response)


def test_agenda_is_saved_one_item_a_line(world: World, meeting: Meeting) -> None:
    client_for(world.officer).post(
        url("agenda_save", meeting), {"items": "Khai mạc\n\n Thảo luận \n"}
    )
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Khai mạc", "Thảo luận"]


# --- Invitees, letters, answers -----------------------------------------------------------------


def test_preview_then_save_the_list(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    assert 'data-testid="save-list"' in text_of(client.get(url("meeting_detail", meeting)))
    assert not meeting.invitees.exists()
    client.post(url("invitees_refresh", meeting))
    assert list(meeting.invitees.values_list("person", flat=True)) == [world.overseer.person_id]


def test_refresh_shows_the_difference_before_applying(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    newcomer = Person.objects.create(code="N-1", full_name="Giàng A Mới", home_cell=world.cell_a)
    newcomer.positions.create(
        organization=world.district, body=world.standing_office, role="pho_bi_thu"
    )
    client = client_for(world.officer)
    preview = text_of(client.get(url("invitees_refresh", meeting)))
    assert "Giàng A Mới" in preview.split('data-testid="diff-add"')[1]
    assert not meeting.invitees.filter(person=newcomer).exists()
    client.post(url("invitees_refresh", meeting))
    assert meeting.invitees.filter(person=newcomer, removed=False).exists()


def test_search_finds_a_member_without_accents_and_adds_them_with_a_note(
    world: World, meeting: Meeting
) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    guest = Person.objects.create(code="G-1", full_name="Lò Thị Khách", home_cell=world.cell_b)
    client = client_for(world.officer)
    found = client.get(url("invitee_search", meeting), {"q": "lo thi kh"}, HTTP_HX_REQUEST="true")
    assert "Lò Thị Khách" in text_of(found)
    assert "<html" not in text_of(found)
    client.post(url("invitee_add", meeting), {"person": guest.pk, "note": "Báo cáo viên"})
    row = meeting.invitees.get(person=guest)
    assert (row.source, row.note) == ("manual", "Báo cáo viên")


def test_search_keeps_to_the_organizers_scope(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    stranger = world.outsider.person
    client = client_for(world.officer)
    found = client.get(url("invitee_search", meeting), {"q": stranger.full_name})
    assert stranger.full_name not in text_of(found).split('data-testid="invitee-candidates"')[1]
    response = client.post(url("invitee_add", meeting), {"person": stranger.pk, "note": ""})
    assert response.status_code == 404
    assert not meeting.invitees.filter(person=stranger).exists()


def test_remove_keeps_the_row_with_its_note(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    row = meeting.invitees.get()
    response = client_for(world.officer).post(
        url("invitee_remove", meeting, row.pk), {"note": "Đi công tác"}, follow=True
    )
    row.refresh_from_db()
    assert (row.removed, row.note) == (True, "Đi công tác")
    assert "Đi công tác" in text_of(response).split('data-testid="removed-invitees"')[1]


def test_readers_cannot_open_the_organizer_pages(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    client = client_for(world.overseer)
    assert client.get(url("invitees_refresh", meeting)).status_code == 404
    assert client.get(url("invitee_search", meeting), {"q": "van"}).status_code == 404
    row = meeting.invitees.get()
    response = client.post(url("invitee_remove", meeting, row.pk), {"note": "Bỏ"})
    assert response.status_code == 404
    row.refresh_from_db()
    assert not row.removed


def test_removing_without_a_note_is_refused(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    row = meeting.invitees.get()
    response = client_for(world.officer).post(
        url("invitee_remove", meeting, row.pk), {"note": " "}, follow=True
    )
    assert 'data-testid="removed-invitees"' not in text_of(response)
    row.refresh_from_db()
    assert not row.removed


def test_issue_letters_lists_the_numbered_letter(world: World, meeting: Meeting) -> None:
    response = client_for(world.officer).post(
        url("letters_issue", meeting), {"per": "person"}, follow=True
    )
    text = text_of(response)
    assert str(views.LETTERS_ISSUED).format(numbers="01-GM/HU") in text
    letters = text.split('data-testid="letters"')[1]
    assert "01-GM/HU" in letters
    assert world.overseer.person.full_name in letters


def test_many_letters_are_announced_as_one_range(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    for person in members(world, 3):
        invitations.invitee_add(actor=world.officer, meeting=meeting, person=person, note="")
    response = client_for(world.officer).post(url("letters_issue", meeting), follow=True)
    assert str(views.LETTERS_ISSUED).format(numbers="01–04-GM/HU (4)") in text_of(response)


def test_issue_form_goes_once_everyone_has_a_letter(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    text = text_of(client_for(world.officer).get(url("meeting_detail", meeting)))
    assert 'data-testid="issue-form"' not in text
    assert 'data-testid="letter-row"' in text


def test_issuing_with_nobody_new_shows_the_service_message(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    client.post(url("letters_issue", meeting))
    response = client.post(url("letters_issue", meeting), follow=True)
    assert str(invitations.LETTERS_NOBODY_TO_INVITE) in text_of(response)
    assert meeting.letters.count() == 1


def test_both_organizers_see_a_conflict_before_issuing(world: World, meeting: Meeting) -> None:
    other = Meeting.objects.create(
        cell=world.cell_a,
        meeting_type="regular",
        starts_at=START + dt.timedelta(minutes=60),
        venue="Nhà văn hóa",
        status=Meeting.Status.SCHEDULED,
    )
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    invitations.invitee_add(
        actor=world.officer, meeting=other, person=world.overseer.person, note="Dự"
    )
    overseer = world.overseer.person.full_name
    mine = text_of(client_for(world.officer).get(url("meeting_detail", meeting)))
    assert overseer in mine.split('data-testid="conflicts"')[1].split("</div>")[1]
    assert "Chi bộ bản Một" in mine.split('data-testid="conflicts"')[1]
    theirs = text_of(client_for(world.cell_secretary).get(url("meeting_detail", other)))
    assert "Chi bộ phòng Kinh tế" in theirs.split('data-testid="conflicts"')[1]


def test_invitee_answers_from_the_meeting_page(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    client = client_for(world.overseer)
    page = text_of(client.get(url("meeting_detail", meeting)))
    assert 'data-testid="my-invitation"' in page
    response = client.post(
        url("invitation_respond", meeting), {"response": "declined"}, follow=True
    )
    assert str(invitations.INVITATION_REASON_NEEDED) in text_of(response)
    client.post(url("invitation_respond", meeting), {"response": "declined", "reason": "Họp tỉnh"})
    invitation = meeting.invitees.get().invitation
    assert (invitation.response, invitation.response_reason) == ("declined", "Họp tỉnh")


def test_someone_not_invited_cannot_answer(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    response = client_for(world.officer).post(
        url("invitation_respond", meeting), {"response": "attending"}
    )
    assert response.status_code == 404
    assert meeting.invitees.get().invitation.response == "pending"


def test_a_guest_from_another_district_sees_the_letter_and_answers(
    world: World, meeting: Meeting
) -> None:
    invitations.invitee_add(
        actor=world.officer, meeting=meeting, person=world.outsider.person, note="Báo cáo viên"
    )
    client = client_for(world.outsider)
    assert client.get(url("meeting_detail", meeting)).status_code == 404  # no letter yet
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    page = text_of(client.get(url("meeting_detail", meeting)))
    assert 'data-testid="guest-view"' in page
    assert 'data-testid="my-invitation"' in page
    assert "Hội trường Huyện ủy" in page
    # The guest view carries the letter, not the meeting's records or the other invitees.
    assert world.overseer.person.full_name not in page
    assert 'data-testid="attendance-link"' not in page
    assert client.get(url("attendance", meeting)).status_code == 404
    assert client.get(url("minutes_edit", meeting)).status_code == 404
    listed = text_of(client.get(reverse("meetings:meeting_list")))
    assert url("meeting_detail", meeting) in listed
    client.post(url("invitation_respond", meeting), {"response": "attending"})
    invitation = meeting.invitees.get(person=world.outsider.person).invitation
    assert invitation.response == "attending"


def test_a_held_meeting_takes_no_more_answers(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    meeting_services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    response = client_for(world.overseer).post(
        url("invitation_respond", meeting), {"response": "attending"}, follow=True
    )
    assert str(invitations.INVITATION_CLOSED) in text_of(response)
    assert meeting.invitees.get().invitation.response == "pending"


# --- Attendance ---------------------------------------------------------------------------------


def test_attendance_screen_lists_members_first_then_guests(world: World, meeting: Meeting) -> None:
    people = members(world, 2)
    guest = Person.objects.create(code="G-1", full_name="Lò Thị Khách", home_cell=world.cell_b)
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    invitations.invitee_add(actor=world.officer, meeting=meeting, person=guest, note="Khách")
    text = text_of(client_for(world.officer).get(url("attendance", meeting)))
    member_part, guest_part = text.split('data-testid="attendance-guests"')
    names = [world.officer.person.full_name, world.overseer.person.full_name]
    assert all(name in member_part for name in names + [p.full_name for p in people])
    assert "Lò Thị Khách" in guest_part
    assert "Lò Thị Khách" not in member_part
    # Two members of the world's cell, two made here, one guest.
    assert text.count('data-testid="attendance-row"') == 5
    assert text.count('type="radio"') == 5 * 3


def test_a_tap_saves_one_mark_and_returns_the_row_and_counts(
    world: World, meeting: Meeting
) -> None:
    people = members(world, 3)
    client = client_for(world.officer)
    response = client.post(
        url("attendance_mark", meeting),
        {"person": people[0].pk, "status": "present"},
        HTTP_HX_REQUEST="true",
    )
    text = text_of(response)
    assert f'id="attendance-{people[0].pk}"' in text
    assert 'hx-swap-oob="true"' in text
    assert "<html" not in text
    summary = meeting.attendance.get()
    assert (summary.person_id, summary.status) == (people[0].pk, "present")
    counts = text.split('id="attendance-counts"')[1]
    called = 2 + 3  # the officer and the overseer live in the cell too
    assert "Có mặt: 1" in counts
    assert f"{round(100 / called)}%" in counts


def test_a_tap_without_a_status_returns_the_row_with_the_problem(
    world: World, meeting: Meeting
) -> None:
    person = members(world, 1)[0]
    response = client_for(world.officer).post(
        url("attendance_mark", meeting), {"person": person.pk, "note": "Ốm"}, HTTP_HX_REQUEST="true"
    )
    text = text_of(response)
    assert f'id="attendance-{person.pk}"' in text
    assert 'role="alert"' in text
    assert not meeting.attendance.exists()


def test_marks_change_the_counts_and_flags(world: World, meeting: Meeting) -> None:
    people = members(world, 2)
    client = client_for(world.officer)
    for person, status in zip(people, ["present", "absent"], strict=True):
        client.post(url("attendance_mark", meeting), {"person": person.pk, "status": status})
    response = client.post(
        url("attendance_mark", meeting),
        {"person": world.officer.person_id, "status": "excused", "note": "Ốm"},
        follow=True,
    )
    assert str(views.ATTENDANCE_SAVED) in text_of(response)
    counts = text_of(response).split('id="attendance-counts"')[1].split("</section>")[0]
    assert "Có mặt: 1" in counts
    assert "Vắng có lý do: 1" in counts
    assert "Vắng không lý do: 1" in counts
    assert "Không đủ số có mặt để thông qua nghị quyết" in counts
    assert meeting.attendance.get(person=world.officer.person).note == "Ốm"


def test_marking_a_stranger_is_refused_with_the_message(world: World, meeting: Meeting) -> None:
    stranger = world.outsider.person
    response = client_for(world.officer).post(
        url("attendance_mark", meeting), {"person": stranger.pk, "status": "present"}, follow=True
    )
    assert str(records.ATTENDANCE_PERSON_UNKNOWN).format(id=stranger.pk) in text_of(response)
    assert not meeting.attendance.exists()


# --- Minutes and attachments --------------------------------------------------------------------


def minutes_data(meeting: Meeting, **values: object) -> dict[str, object]:
    data: dict[str, object] = {
        f"item_{index}": item.title for index, item in enumerate(meeting.agenda.all())
    }
    data.update({"day": "2025-03-12", "opened": "08:00", "closed": "10:15"})
    data.update(values)
    return data


def test_minutes_are_saved_with_proceedings_by_item(world: World, meeting: Meeting) -> None:
    people = members(world, 3)
    records.attendance_record(
        actor=world.officer,
        meeting=meeting,
        entries=[records.AttendanceEntry(p.pk, "present") for p in people],
    )
    data = minutes_data(
        meeting,
        chair=people[0].pk,
        secretary=people[1].pk,
        content_0="Đồng chí Bí thư khai mạc.",
        opinions_1="Ba ý kiến.",
        resolution="Nghị quyết tháng 3.",
        votes_for=3,
        votes_against=0,
    )
    response = client_for(world.officer).post(url("minutes_edit", meeting), data, follow=True)
    assert str(views.MINUTES_SAVED) in text_of(response)
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.chair, minutes.secretary, minutes.votes_for) == (people[0], people[1], 3)
    assert minutes.opened_at == at(2025, 3, 12, 8, 0)
    assert minutes.proceedings[0]["content"] == "Đồng chí Bí thư khai mạc."
    assert minutes.proceedings[1]["opinions"] == "Ba ý kiến."
    assert "Đồng chí Bí thư khai mạc." in text_of(response)


def test_more_votes_than_present_is_refused_and_saves_nothing(
    world: World, meeting: Meeting
) -> None:
    people = members(world, 2)
    records.attendance_record(
        actor=world.officer,
        meeting=meeting,
        entries=[records.AttendanceEntry(p.pk, "present") for p in people],
    )
    response = client_for(world.officer).post(
        url("minutes_edit", meeting), minutes_data(meeting, votes_for=2, votes_against=1)
    )
    assert response.status_code == 200
    assert str(records.MINUTES_VOTES_EXCEED).format(present=2) in text_of(response)
    assert not Minutes.objects.exists()


def test_readers_see_the_minutes_without_the_form(world: World, meeting: Meeting) -> None:
    records.minutes_save(
        actor=world.officer, meeting=meeting, data=records.MinutesData(conclusion="Thống nhất.")
    )
    text = text_of(client_for(world.overseer).get(url("minutes_edit", meeting)))
    assert "Thống nhất." in text
    assert 'data-testid="minutes-form"' not in text
    assert 'data-testid="attach-form"' not in text


def test_attachment_of_the_wrong_type_is_refused_with_the_message(
    world: World, meeting: Meeting
) -> None:
    records.minutes_save(actor=world.officer, meeting=meeting, data=records.MinutesData())
    fake = SimpleUploadedFile(
        "bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client_for(world.officer).post(
        url("minutes_attach", meeting), {"file": fake}, follow=True
    )
    assert str(records.ATTACHMENT_TYPE) in text_of(response)
    assert not MinutesAttachment.objects.exists()


def test_attachment_before_the_minutes_is_refused(world: World, meeting: Meeting) -> None:
    response = client_for(world.officer).post(
        url("minutes_attach", meeting), {"file": pdf_upload()}, follow=True
    )
    assert str(views.MINUTES_FIRST) in text_of(response)
    assert not MinutesAttachment.objects.exists()


def test_pdf_is_attached_and_listed(world: World, meeting: Meeting) -> None:
    records.minutes_save(actor=world.officer, meeting=meeting, data=records.MinutesData())
    response = client_for(world.officer).post(
        url("minutes_attach", meeting), {"file": pdf_upload("ky-ten.pdf")}, follow=True
    )
    attachment = MinutesAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    text = text_of(response)
    assert str(views.ATTACHMENT_SAVED).format(name="ky-ten.pdf") in text
    assert url("minutes_file", meeting, attachment.pk) in text
    assert "/private/" not in text


def test_attachment_is_served_only_in_scope(world: World, meeting: Meeting) -> None:
    attachment = attached(world, meeting)
    file_url = url("minutes_file", meeting, attachment.pk)
    assert client_for(world.outsider).get(file_url).status_code == 404
    assert client_for(world.commune_secretary).get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 302
    response = client_for(world.officer).get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%signed minutes\n"  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


def test_attachment_of_another_meeting_is_not_found(world: World, meeting: Meeting) -> None:
    attachment = attached(world, meeting)
    other = Meeting.objects.create(cell=world.district_cell, meeting_type="thematic")
    response = client_for(world.officer).get(url("minutes_file", other, attachment.pk))
    assert response.status_code == 404


# --- Evaluation and lessons ---------------------------------------------------------------------


def scores(value: int) -> dict[str, object]:
    data: dict[str, object] = {f"score_{code}": value for code in CRITERIA}
    data.update({f"comment_{code}": f"Nhận xét {code}" for code in CRITERIA})
    return data


@pytest.mark.parametrize("who", ["overseer", "commune_secretary", "outsider", "cell_secretary"])
def test_evaluation_by_a_non_observer_is_404(world: World, held: Meeting, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(url("evaluation_edit", held)).status_code == 404
    assert client.post(url("evaluation_edit", held), scores(18)).status_code == 404
    assert not Evaluation.objects.exists()


def test_board_evaluates_and_sees_the_rating(world: World, held: Meeting) -> None:
    client = client_for(world.officer)
    page = text_of(client.get(url("evaluation_edit", held)))
    assert page.count('data-testid="criterion"') == 5
    data = {**scores(18), "lessons": "Chuẩn bị kỹ", "strengths": "Đúng giờ"}
    response = client.post(url("evaluation_edit", held), data, follow=True)
    text = text_of(response)
    assert str(views.EVALUATION_SAVED).format(total=90, rating="Tốt") in text
    assert "90/100" in text.split('data-testid="evaluation-result"')[1]
    evaluation = Evaluation.objects.get()
    assert (evaluation.total, evaluation.rating.name, evaluation.lessons) == (
        90,
        "Tốt",
        "Chuẩn bị kỹ",
    )
    # The form comes back filled with what was saved.
    assert 'value="18"' in text
    assert "Chuẩn bị kỹ</textarea>" in text
    listed = text_of(client.get(url("meeting_detail", held))).split('data-testid="evaluations"')[1]
    assert "Tốt" in listed


def test_score_out_of_range_shows_the_service_message(world: World, held: Meeting) -> None:
    response = client_for(world.officer).post(url("evaluation_edit", held), scores(25))
    assert response.status_code == 200
    assert str(evaluations.EVALUATION_SCORE_RANGE).format(criterion="", max=20)[-10:] in text_of(
        response
    )
    assert not Evaluation.objects.exists()


def test_evaluation_before_the_meeting_is_held_is_refused(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    form_page = text_of(client.get(url("evaluation_edit", meeting)))
    assert 'data-testid="evaluation-form"' not in form_page
    page = text_of(client.post(url("evaluation_edit", meeting), scores(18)))
    # Said once, as a notice, and no form to fill in for nothing.
    assert page.count(gettext("A meeting is evaluated once it has been held.")) == 1
    assert not Evaluation.objects.exists()


def lessons_url(meeting: Meeting, suffix: str = "") -> str:
    return reverse(f"meetings:plan_lessons{suffix}", args=[meeting.target.plan_id])  # type: ignore[union-attr]


def test_lessons_prefill_then_save_as_final(world: World, held: Meeting) -> None:
    evaluations.evaluation_submit(
        actor=world.officer,
        meeting=held,
        scores=[evaluations.ScoreData(code, 15, f"Ý {code}") for code in CRITERIA],
        lessons="Bài học A",
    )
    client = client_for(world.officer)
    page = text_of(client.get(lessons_url(held)))
    assert "75" in page.split('data-testid="ratings"')[1]
    response = client.post(lessons_url(held, "_prefill"), follow=True)
    text = text_of(response)
    assert str(views.LESSONS_PREFILLED) in text
    assert "Bài học A" in text.split('data-testid="summary-form"')[1]
    client.post(lessons_url(held), {"body": "Bản tổng hợp đã sửa.", "final": "on"})
    summary = LessonsSummary.objects.get()
    assert (summary.body, summary.status) == ("Bản tổng hợp đã sửa.", "final")
    response = client.post(lessons_url(held, "_prefill"), follow=True)
    assert str(views.LESSONS_FINAL_KEPT) in text_of(response)
    summary.refresh_from_db()
    assert summary.body == "Bản tổng hợp đã sửa."


def test_lessons_are_read_only_for_readers_of_the_plan(world: World, held: Meeting) -> None:
    evaluations.lessons_summary_prefill(actor=world.officer, plan=held.target.plan)  # type: ignore[union-attr]
    for who in ("overseer", "commune_secretary"):
        client = client_for(getattr(world, who))
        text = text_of(client.get(lessons_url(held)))
        # The summary speaks of every meeting: the district reads it, a commune does not.
        assert ('data-testid="summary-text"' in text) is (who == "overseer")
        assert 'data-testid="summary-form"' not in text
        assert 'data-testid="prefill"' not in text
        assert client.post(lessons_url(held), {"body": "Sửa"}).status_code == 404
        assert client.post(lessons_url(held, "_prefill")).status_code == 404
    assert LessonsSummary.objects.get().body != "Sửa"


def test_lessons_of_someone_elses_plan_are_404(world: World, held: Meeting) -> None:
    client = client_for(world.outsider)
    assert client.get(lessons_url(held)).status_code == 404
    assert client.post(lessons_url(held, "_prefill")).status_code == 404
    assert Client().get(lessons_url(held)).status_code == 302
    assert not LessonsSummary.objects.exists()


def test_plan_page_links_managers_to_the_lessons(world: World, meeting: Meeting) -> None:
    plan_url = reverse("plans:plan_detail", args=[meeting.target.plan_id])  # type: ignore[union-attr]
    assert lessons_url(meeting) in text_of(client_for(world.officer).get(plan_url))
    assert lessons_url(meeting) not in text_of(client_for(world.overseer).get(plan_url))


# --- Query counts -------------------------------------------------------------------------------

DETAIL_PAGE_MAX_QUERIES = 26
ATTENDANCE_PAGE_MAX_QUERIES = 16


@pytest.mark.parametrize("count", [1, 25])
def test_meeting_page_query_count_does_not_grow(
    world: World, meeting: Meeting, count: int, django_assert_max_num_queries: Any
) -> None:
    people = members(world, count)
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    for person in people:
        invitations.invitee_add(actor=world.officer, meeting=meeting, person=person, note="Khách")
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    client = client_for(world.officer)
    with django_assert_max_num_queries(DETAIL_PAGE_MAX_QUERIES):
        response = client.get(url("meeting_detail", meeting))
    assert text_of(response).count('data-testid="invitee-row"') == count + 1


@pytest.mark.parametrize("count", [1, 25])
def test_attendance_page_query_count_does_not_grow(
    world: World, meeting: Meeting, count: int, django_assert_max_num_queries: Any
) -> None:
    people = members(world, count)
    records.attendance_record(
        actor=world.officer,
        meeting=meeting,
        entries=[records.AttendanceEntry(p.pk, "present") for p in people],
    )
    client = client_for(world.officer)
    with django_assert_max_num_queries(ATTENDANCE_PAGE_MAX_QUERIES):
        response = client.get(url("attendance", meeting))
    assert text_of(response).count('data-testid="attendance-row"') == count + 2
