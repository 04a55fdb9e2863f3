import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.core.errors import NotFound
from chibo.meetings import selectors, services
from chibo.meetings.models import (
    Evaluation,
    Invitation,
    InvitationLetter,
    Invitee,
    Meeting,
    Minutes,
    MinutesAttachment,
    RatingLevel,
)
from chibo.meetings.services import evaluations, invitations, records
from chibo.notifications.models import Notification
from chibo.orgs.models import Organization, Person, Position
from chibo.orgs.tests.factories import make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan, Registration
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 12, 8, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def meeting(world: World, django_capture_on_commit_callbacks: object) -> Meeting:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=world.officer, plan=plan)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=120),
        venue="Hội trường Huyện ủy",
    )
    return meeting


def test_new_model_meeting_takes_rules_and_default_agenda(meeting: Meeting) -> None:
    assert meeting.invitee_rules[0]["body"] == "thuong_truc"
    assert meeting.agenda.count() == 5
    assert meeting.agenda.first().title.startswith("Khai mạc")


def test_issue_letters_numbers_them_and_notifies(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        letters = invitations.invitations_issue(actor=world.officer, meeting=meeting)
    assert [letter.number_symbol for letter in letters] == ["01-GM/HU"]
    assert letters[0].addressee == world.overseer.person.full_name
    invitee = Invitee.objects.get(meeting=meeting)
    assert invitee.reason_texts == ["Thường trực Huyện ủy Đông"]
    assert Notification.objects.filter(recipient=world.overseer).count() == 1


def test_numbers_run_on_in_the_register(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    extra = Person.objects.create(code="X-1", full_name="Lò Văn Khách", home_cell=world.cell_b)
    invitations.invitee_add(actor=world.officer, meeting=meeting, person=extra, note="Khách mời")
    letters = invitations.invitations_issue(actor=world.officer, meeting=meeting)
    assert [letter.number for letter in letters] == [2]


def test_issuing_twice_with_nobody_new_is_refused(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    with pytest.raises(ValidationError) as raised:
        invitations.invitations_issue(actor=world.officer, meeting=meeting)
    assert raised.value.messages == [str(invitations.LETTERS_NOBODY_TO_INVITE)]


def test_only_the_issuer_issues_letters(world: World, meeting: Meeting) -> None:
    with pytest.raises(NotFound):
        invitations.invitations_issue(actor=world.commune_secretary, meeting=meeting)
    assert not InvitationLetter.objects.exists()


def test_moving_the_meeting_reissues_letters(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitations.invitations_issue(actor=world.officer, meeting=meeting)
        invitation = Invitee.objects.get(meeting=meeting).invitation
        invitations.invitation_respond(
            actor=world.overseer, invitation=invitation, response="attending"
        )
        services.meeting_schedule(
            actor=world.officer,
            meeting=meeting,
            starts_at=START + dt.timedelta(days=1),
            ends_at=START + dt.timedelta(days=1, minutes=120),
            venue="Hội trường Huyện ủy",
        )
    assert InvitationLetter.objects.get(meeting=meeting).version == 2
    assert Notification.objects.filter(recipient=world.overseer).count() == 2
    # "Will attend" was said of the old day: the invitee is asked again.
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == ("pending", None)


def test_no_letters_for_a_meeting_already_held(world: World, meeting: Meeting) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    with pytest.raises(ValidationError) as raised:
        invitations.invitations_issue(actor=world.officer, meeting=meeting)
    assert raised.value.messages == [str(invitations.LETTERS_MEETING_HELD)]
    assert not InvitationLetter.objects.exists()


def test_someone_removed_after_the_letters_is_neither_counted_nor_told_of_a_move(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: object
) -> None:
    guest = Person.objects.create(code="G-9", full_name="Lò Văn Khách", home_cell=world.cell_b)
    guest_user = User.objects.create_user("khach", password="khach", person=guest)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitations.invitees_refresh(actor=world.officer, meeting=meeting)
        invitations.invitee_add(actor=world.officer, meeting=meeting, person=guest, note="Khách")
        invitations.invitations_issue(actor=world.officer, meeting=meeting)
        removed = Invitee.objects.get(meeting=meeting, person=guest)
        invitations.invitation_respond(
            actor=None, invitation=removed.invitation, response="attending"
        )
        invitations.invitee_remove(actor=world.officer, invitee=removed, note="Đổi người")
        services.meeting_schedule(
            actor=world.officer,
            meeting=meeting,
            starts_at=START + dt.timedelta(days=1),
            ends_at=START + dt.timedelta(days=1, minutes=120),
            venue="Hội trường Huyện ủy",
        )
    letters = list(selectors.letter_list(meeting=meeting))
    assert [i.invitee.person for letter in letters for i in letter.invitations.all()] == [
        world.overseer.person
    ]
    removed.invitation.refresh_from_db()
    assert removed.invitation.response == "attending"  # left as it was: no longer asked
    # Told of the letter once, never of the move they are no longer invited to.
    assert Notification.objects.filter(recipient=guest_user).count() == 1
    assert Notification.objects.filter(recipient=world.overseer).count() == 2


def test_manual_removal_survives_a_refresh(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    row = Invitee.objects.get(meeting=meeting)
    invitations.invitee_remove(actor=world.officer, invitee=row, note="Đi công tác")
    diff = invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    assert diff.is_empty
    row.refresh_from_db()
    assert row.removed
    assert row.note == "Đi công tác"


def test_staff_change_shows_as_a_difference(world: World, meeting: Meeting) -> None:
    invitations.invitees_refresh(actor=world.officer, meeting=meeting)
    newcomer = Person.objects.create(code="N-1", full_name="Giàng A Mới", home_cell=world.cell_a)
    newcomer.positions.create(
        organization=world.district, body=world.standing_office, role="pho_bi_thu"
    )
    diff = invitations.invitees_diff(meeting)
    assert [entry.person for entry in diff.to_add] == [newcomer]


def test_answer_needs_a_reason_to_decline(world: World, meeting: Meeting) -> None:
    invitations.invitations_issue(actor=world.officer, meeting=meeting)
    invitation = Invitee.objects.get(meeting=meeting).invitation
    with pytest.raises(ValidationError):
        invitations.invitation_respond(
            actor=world.overseer, invitation=invitation, response="declined"
        )
    with pytest.raises(ValidationError):
        invitations.invitation_respond(
            actor=world.officer, invitation=invitation, response="attending"
        )
    invitations.invitation_respond(
        actor=world.overseer, invitation=invitation, response="attending"
    )
    assert invitation.response == "attending"


def _members(world: World, count: int) -> list[Person]:
    return [
        Person.objects.create(
            code=f"M-{n}", full_name=f"Đảng viên Số {n}", home_cell=world.district_cell
        )
        for n in range(count)
    ]


def test_attendance_counts_and_flags(world: World, meeting: Meeting) -> None:
    people = list(Person.objects.filter(home_cell=world.district_cell)) + _members(world, 8)
    entries = [records.AttendanceEntry(p.pk, "present") for p in people[:-1]]
    entries.append(records.AttendanceEntry(people[-1].pk, "absent"))
    records.attendance_record(actor=world.officer, meeting=meeting, entries=entries)
    summary = selectors.attendance_summary(meeting=meeting)
    assert (summary.called, summary.present, summary.unexcused) == (len(people), len(people) - 1, 1)
    assert summary.has_unexcused
    assert summary.resolution_can_pass


def test_attendance_of_a_stranger_is_refused(world: World, meeting: Meeting) -> None:
    stranger = world.outsider.person
    with pytest.raises(ValidationError):
        records.attendance_record(
            actor=world.officer,
            meeting=meeting,
            entries=[records.AttendanceEntry(stranger.pk, "present")],
        )
    assert not meeting.attendance.exists()


def test_minutes_refuse_more_votes_than_present(world: World, meeting: Meeting) -> None:
    people = _members(world, 3)
    records.attendance_record(
        actor=world.officer,
        meeting=meeting,
        entries=[records.AttendanceEntry(p.pk, "present") for p in people],
    )
    with pytest.raises(ValidationError) as raised:
        records.minutes_save(
            actor=world.officer, meeting=meeting, data=records.MinutesData(votes_for=4)
        )
    assert raised.value.message_dict["votes_for"] == [
        str(records.MINUTES_VOTES_EXCEED).format(present=3)
    ]
    minutes = records.minutes_save(
        actor=world.officer, meeting=meeting, data=records.MinutesData(votes_for=3, resolution="…")
    )
    assert minutes.votes_for == 3


def test_minutes_chair_and_secretary_come_from_the_meeting(world: World, meeting: Meeting) -> None:
    member = _members(world, 1)[0]
    stranger = world.outsider.person  # another district: the organizer cannot even see them
    data = records.MinutesData(chair_id=member.pk, secretary_id=stranger.pk, resolution="…")
    with pytest.raises(ValidationError) as raised:
        records.minutes_save(actor=world.officer, meeting=meeting, data=data)
    assert raised.value.message_dict == {"secretary": [str(records.MINUTES_PERSON_UNKNOWN)]}
    assert not Minutes.objects.filter(meeting=meeting).exists()
    # An invited guest may take the minutes.
    records_of_guest = records.MinutesData(chair_id=member.pk, secretary_id=stranger.pk)
    invitations.invitee_add(actor=world.officer, meeting=meeting, person=stranger, note="Thư ký")
    minutes = records.minutes_save(actor=world.officer, meeting=meeting, data=records_of_guest)
    assert (minutes.chair, minutes.secretary) == (member, stranger)


def test_minutes_cannot_close_before_they_open(world: World, meeting: Meeting) -> None:
    data = records.MinutesData(opened_at=START + dt.timedelta(hours=1), closed_at=START)
    with pytest.raises(ValidationError) as raised:
        records.minutes_save(actor=world.officer, meeting=meeting, data=data)
    assert raised.value.message_dict == {"closed_at": [str(records.MINUTES_CLOSED_BEFORE_OPENED)]}
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_attachments_are_checked_by_content(world: World, meeting: Meeting) -> None:
    minutes = records.minutes_save(actor=world.officer, meeting=meeting, data=records.MinutesData())
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    attachment = records.minutes_attach(actor=world.officer, minutes=minutes, upload=pdf)
    assert attachment.content_type == "application/pdf"
    fake = SimpleUploadedFile(
        "bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as raised:
        records.minutes_attach(actor=world.officer, minutes=minutes, upload=fake)
    assert raised.value.message_dict["file"] == [str(records.ATTACHMENT_TYPE)]
    assert MinutesAttachment.objects.count() == 1


def _scores(value: int) -> list[evaluations.ScoreData]:
    codes = ["attendance", "preparation", "conduct", "principles", "follow_up"]
    return [evaluations.ScoreData(code, value, f"Nhận xét {code}") for code in codes]


def test_evaluation_by_the_board_after_the_meeting(world: World, meeting: Meeting) -> None:
    with pytest.raises(ValidationError):
        evaluations.evaluation_submit(actor=world.officer, meeting=meeting, scores=_scores(18))
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    evaluation = evaluations.evaluation_submit(
        actor=world.officer, meeting=meeting, scores=_scores(18), lessons="Chuẩn bị kỹ"
    )
    assert (evaluation.total, evaluation.rating.name) == (90, "Tốt")
    assert evaluation.observer_body == world.org_board
    with pytest.raises(NotFound):
        evaluations.evaluation_submit(
            actor=world.commune_secretary, meeting=meeting, scores=_scores(10)
        )


def test_evaluation_without_any_rating_level_is_refused_with_the_reason(
    world: World, meeting: Meeting
) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    RatingLevel.objects.all().delete()
    with pytest.raises(ValidationError) as raised:
        evaluations.evaluation_submit(actor=world.officer, meeting=meeting, scores=_scores(18))
    assert raised.value.messages == [str(evaluations.NO_RATING_LEVELS)]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("score", "rating"), [(18, "Tốt"), (17, "Khá"), (14, "Khá"), (10, "Trung bình"), (9, "Kém")]
)
def test_rating_levels_at_their_boundaries(
    world: World, meeting: Meeting, score: int, rating: str
) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    evaluation = evaluations.evaluation_submit(
        actor=world.officer, meeting=meeting, scores=_scores(score)
    )
    assert evaluation.rating.name == rating


def test_missing_criterion_is_refused(world: World, meeting: Meeting) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    with pytest.raises(ValidationError):
        evaluations.evaluation_submit(actor=world.officer, meeting=meeting, scores=_scores(18)[:4])
    assert not Evaluation.objects.exists()


def test_lessons_summary_lists_every_rating(world: World, meeting: Meeting) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    evaluations.evaluation_submit(
        actor=world.officer, meeting=meeting, scores=_scores(15), lessons="Bài học A"
    )
    summary = evaluations.lessons_summary_prefill(actor=world.officer, plan=meeting.target.plan)
    assert "Chi bộ phòng Kinh tế" in summary.body
    assert "75/100" in summary.body
    assert "Bài học A" in summary.body
    with pytest.raises(NotFound):
        evaluations.lessons_summary_prefill(actor=world.commune_secretary, plan=meeting.target.plan)


def test_a_comment_two_observers_both_wrote_is_listed_once(world: World, meeting: Meeting) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    for observer in (world.officer.person, world.overseer.person):
        evaluations.evaluation_submit(
            actor=None, meeting=meeting, scores=_scores(15), observer=observer
        )
    body = evaluations.lessons_summary_prefill(actor=None, plan=meeting.target.plan).body
    assert body.count("- Chi bộ phòng Kinh tế: Nhận xét attendance") == 1
    assert body.count("75/100") == 2  # both ratings stay


def test_probationary_members_present_do_not_count_as_votes(world: World, meeting: Meeting) -> None:
    full = _members(world, 2)
    probationary = Person.objects.create(
        code="P-1",
        full_name="Lò Thị Dự Bị",
        home_cell=world.district_cell,
        membership=Person.Membership.PROBATIONARY,
    )
    records.attendance_record(
        actor=world.officer,
        meeting=meeting,
        entries=[records.AttendanceEntry(p.pk, "present") for p in [*full, probationary]],
    )
    with pytest.raises(ValidationError) as raised:
        records.minutes_save(
            actor=world.officer, meeting=meeting, data=records.MinutesData(votes_for=3)
        )
    assert raised.value.message_dict["votes_for"] == [
        str(records.MINUTES_VOTES_EXCEED).format(present=2)
    ]


def test_letters_per_group_go_one_to_each_rule_and_name_its_organization(world: World) -> None:
    """A commune meeting invites the commune's BCH: per group, one letter for all its members,
    addressed to the BCH of that very commune; someone added by hand gets their own."""
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=None, plan=plan)
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(target__plan=plan, organization=world.commune_a),
        items=[
            plan_services.ItemData(world.cell_a.pk, "regular", START, "Nhà văn hóa"),
            plan_services.ItemData(second.pk, "thematic", START, "Nhà văn hóa"),
        ],
    )
    plan_services.registration_submit(actor=world.commune_secretary, registration=registration)
    services.registration_accept(actor=None, registration=registration)
    meeting = Meeting.objects.get(obligation__organization=world.commune_a, cell=world.cell_a)
    deputy = Person.objects.create(code="BCH-2", full_name="Lò Văn Phó", home_cell=second)
    deputy.positions.create(
        organization=world.commune_a,
        body=world.commune_secretary.person.positions.get().body,
        role=Position.Role.DEPUTY_SECRETARY,
    )
    guest = Person.objects.create(code="G-7", full_name="Hà Thị Khách", home_cell=world.cell_b)
    invitations.invitees_refresh(actor=None, meeting=meeting)
    invitations.invitee_add(actor=None, meeting=meeting, person=guest, note="Báo cáo viên")
    letters = invitations.invitations_issue(actor=None, meeting=meeting, per="group")
    by_addressee = {letter.addressee: letter for letter in letters}
    bch = by_addressee["Ban Chấp hành Đảng ủy xã An"]
    assert {i.invitee.person_id for i in bch.invitations.all()} == {
        world.commune_secretary.person_id,
        deputy.pk,
    }
    assert "Hà Thị Khách" in by_addressee


def _accepted_commune_meetings(world: World) -> tuple[Plan, Organization, Registration]:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=None, plan=plan)
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(target__plan=plan, organization=world.commune_a),
        items=[
            plan_services.ItemData(world.cell_a.pk, "regular", START, "Nhà văn hóa"),
            plan_services.ItemData(second.pk, "thematic", START, "Nhà văn hóa"),
        ],
    )
    plan_services.registration_submit(actor=world.commune_secretary, registration=registration)
    services.registration_accept(actor=None, registration=registration)
    return plan, second, registration


def test_a_corrected_list_moves_meetings_as_the_form_does_and_tells_who_was_invited(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    plan, second, registration = _accepted_commune_meetings(world)
    moved = Meeting.objects.get(target__plan=plan, cell=world.cell_a)
    dropped = Meeting.objects.get(target__plan=plan, cell=second)
    for meeting in (moved, dropped):
        invitations.invitations_issue(actor=None, meeting=meeting)
    (invitation,) = Invitation.objects.filter(letter__meeting=moved)
    invitations.invitation_respond(actor=None, invitation=invitation, response="attending")
    third = make_org(world.commune_a, "CA-3", "Chi bộ bản Ba An", "chi_bo_truc_thuoc")
    registration.status = Registration.Status.RETURNED
    registration.save(update_fields=["status"])
    later = START + dt.timedelta(days=2)
    plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=registration.obligation,
        items=[
            plan_services.ItemData(world.cell_a.pk, "regular", later, "Hội trường xã"),
            plan_services.ItemData(third.pk, "thematic", START, "Nhà văn hóa"),
        ],
    )
    plan_services.registration_submit(actor=world.commune_secretary, registration=registration)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.registration_accept(actor=None, registration=registration)
    moved.refresh_from_db()
    assert (moved.starts_at, moved.venue) == (later, "Hội trường xã")
    assert moved.letters.get().version == 2
    invitation.refresh_from_db()
    assert invitation.response == "pending"
    dropped.refresh_from_db()
    assert dropped.status == Meeting.Status.CANCELLED
    told = Notification.objects.filter(key=f"invitation:{dropped.pk}:cancelled")
    assert told.exists()


def test_the_schedule_form_can_clear_the_topic(world: World, meeting: Meeting) -> None:
    meeting.topic = "Chuyên đề cũ"
    meeting.save()
    services.meeting_update(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=120),
        venue="Hội trường",
        topic="",
    )
    meeting.refresh_from_db()
    assert meeting.topic == ""
