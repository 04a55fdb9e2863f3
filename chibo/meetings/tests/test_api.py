import datetime as dt
from typing import Any

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services
from chibo.meetings.models import Meeting
from chibo.orgs.models import Person
from chibo.plans.models import Plan
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 12, 8, 0, tzinfo=LOCAL_TZ)


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.fixture
def meeting(world: World) -> Meeting:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=world.officer, plan=plan)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=80),
        venue="Hội trường",
    )
    return meeting


def test_meeting_list_and_detail(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    listed = client.get("/api/v1/meetings", {"plan": meeting.target.plan_id}).json()
    assert [row["id"] for row in listed["items"]] == [meeting.pk]
    detail = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert detail["warnings"]["too_short"] is True
    assert detail["warnings"]["planned_minutes"] == 80
    assert len(detail["agenda"]) == 5


def test_invitees_come_with_their_reasons(world: World, meeting: Meeting) -> None:
    body = client_for(world.officer).get(f"/api/v1/meetings/{meeting.pk}/invitees").json()
    assert [row["person"]["id"] for row in body] == [world.overseer.person.pk]
    assert body[0]["reasons"][0]["text"] == "Thường trực Huyện ủy Đông"
    assert body[0]["reasons"][0]["rule"]["body"] == "thuong_truc"


def test_attendance_through_the_api(world: World, meeting: Meeting) -> None:
    members = [
        Person.objects.create(
            code=f"M{n}", full_name=f"Đảng viên {n}", home_cell=world.district_cell
        )
        for n in range(4)
    ]
    payload = [{"person": p.pk, "status": "present", "note": ""} for p in members[:3]]
    payload.append({"person": members[3].pk, "status": "excused", "note": "Ốm"})
    response = send(
        client_for(world.officer), "post", f"/api/v1/meetings/{meeting.pk}/attendance", payload
    )
    assert response.status_code == 200, response.content
    summary = response.json()
    assert (summary["present"], summary["excused"], summary["unexcused"]) == (3, 1, 0)


def test_bad_attendance_status_is_422_with_the_allowed_values(
    world: World, meeting: Meeting
) -> None:
    payload = [{"person": world.officer.person.pk, "status": "late"}]
    response = send(
        client_for(world.officer), "post", f"/api/v1/meetings/{meeting.pk}/attendance", payload
    )
    assert response.status_code == 422
    assert response.json()["fields"]["0.status"] == [
        "Phải là một trong các giá trị: 'present', 'excused' or 'absent'."
    ]


def test_minutes_and_evaluation_and_lessons(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    minutes = send(
        client,
        "put",
        f"/api/v1/meetings/{meeting.pk}/minutes",
        {"resolution": "Nghị quyết tháng 3", "proceedings": [{"item": "Khai mạc", "content": "…"}]},
    )
    assert minutes.status_code == 200, minutes.content
    assert minutes.json()["resolution"] == "Nghị quyết tháng 3"
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=2)
    )
    scores = [
        {"criterion": code, "score": 17, "comment": "Tốt"}
        for code in ["attendance", "preparation", "conduct", "principles", "follow_up"]
    ]
    created = send(client, "post", f"/api/v1/meetings/{meeting.pk}/evaluations", {"scores": scores})
    assert created.status_code == 201, created.content
    assert (created.json()["total"], created.json()["rating"]) == (85, "Khá")
    lessons = client.get(f"/api/v1/plans/{meeting.target.plan_id}/lessons").json()
    assert [row["rating"] for row in lessons["ratings"]] == ["Khá"]


def test_observer_only_evaluates(world: World, meeting: Meeting) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=2)
    )
    response = send(
        client_for(world.overseer),
        "post",
        f"/api/v1/meetings/{meeting.pk}/evaluations",
        {"scores": []},
    )
    assert response.status_code == 404


def test_outsider_gets_404(world: World, meeting: Meeting) -> None:
    client = client_for(world.outsider)
    assert client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.pk}/invitees").status_code == 404
    marks = [{"person": world.outsider.person.pk, "status": "present"}]
    assert (
        send(client, "post", f"/api/v1/meetings/{meeting.pk}/attendance", marks).status_code == 404
    )
    assert client.get("/api/v1/meetings").json()["count"] == 0


def test_a_guest_from_another_district_answers_through_the_api(
    world: World, meeting: Meeting
) -> None:
    services.invitations.invitee_add(
        actor=world.officer, meeting=meeting, person=world.outsider.person, note="Báo cáo viên"
    )
    services.invitations.invitations_issue(actor=world.officer, meeting=meeting)
    guest = client_for(world.outsider)
    url = f"/api/v1/meetings/{meeting.pk}/answer"
    refused = send(guest, "post", url, {"response": "declined"})
    assert refused.status_code == 422
    answered = send(guest, "post", url, {"response": "declined", "reason": "Họp tỉnh"})
    assert answered.status_code == 200
    assert answered.json()["response"] == "declined"
    assert answered.json()["reason"] == "Họp tỉnh"
    # The letter opens the meeting and the answer, not the meeting's records.
    assert [row["id"] for row in guest.get("/api/v1/meetings").json()["items"]] == [meeting.pk]
    assert guest.get(f"/api/v1/meetings/{meeting.pk}").json()["venue"] == "Hội trường"
    assert guest.get(f"/api/v1/meetings/{meeting.pk}/invitees").status_code == 404
    assert guest.get(f"/api/v1/meetings/{meeting.pk}/attendance").status_code == 404


def test_someone_without_a_letter_cannot_answer(world: World, meeting: Meeting) -> None:
    services.invitations.invitations_issue(actor=world.officer, meeting=meeting)
    body = {"response": "attending"}
    for user in (world.outsider, world.officer):
        response = send(client_for(user), "post", f"/api/v1/meetings/{meeting.pk}/answer", body)
        assert response.status_code == 404


def test_a_commune_reads_its_ratings_but_not_the_districts_summary(
    world: World, meeting: Meeting
) -> None:
    services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    services.evaluations.lessons_summary_prefill(actor=world.officer, plan=meeting.target.plan)
    url = f"/api/v1/plans/{meeting.target.plan_id}/lessons"
    district = client_for(world.overseer).get(url).json()
    assert district["status"] == "draft"
    assert district["body"]
    commune = client_for(world.commune_secretary).get(url).json()
    assert (commune["status"], commune["body"]) == ("missing", "")


def test_the_whole_meeting_through_the_api_alone(world: World, meeting: Meeting) -> None:
    """Schedule, hold, read the roster, mark, write and read the minutes, evaluate and read."""
    client = client_for(world.officer)
    base = f"/api/v1/meetings/{meeting.pk}"
    moved = send(
        client,
        "put",
        f"{base}/schedule",
        {
            "starts_at": "2025-03-13T08:00:00+07:00",
            "ends_at": "2025-03-13T10:00:00+07:00",
            "venue": "Phòng họp số 2",
            "papers_sent_at": "2025-03-11T16:00:00+07:00",
        },
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["venue"] == "Phòng họp số 2"
    assert moved.json()["warnings"] == {
        "too_short": False,
        "planned_minutes": 120,
        "min_minutes": 90,
        "papers_late": False,
        "outside_window": False,
    }
    held = send(client, "post", f"{base}/held", {"ends_at": "2025-03-13T10:30:00+07:00"})
    assert held.status_code == 200, held.content
    assert held.json()["status"] == "held"
    roster = client.get(f"{base}/attendance").json()
    members = [row for row in roster["rows"] if row["member"]]
    assert {row["person"]["id"] for row in members} == {world.officer.person.pk} | {
        p.pk for p in Person.objects.filter(home_cell=meeting.cell)
    }
    assert all(row["status"] is None for row in roster["rows"])
    marks = [{"person": row["person"]["id"], "status": "present"} for row in members]
    summary = send(client, "post", f"{base}/attendance", marks).json()
    assert summary["present"] == len(members)
    assert client.get(f"{base}/minutes").status_code == 404
    send(client, "put", f"{base}/minutes", {"resolution": "Nghị quyết tháng 3"})
    minutes = client.get(f"{base}/minutes").json()
    assert minutes["resolution"] == "Nghị quyết tháng 3"
    assert minutes["attendance"]["present"] == len(members)
    scores = [
        {"criterion": code, "score": 16, "comment": ""}
        for code in ["attendance", "preparation", "conduct", "principles", "follow_up"]
    ]
    send(client, "post", f"{base}/evaluations", {"scores": scores, "lessons": "Chuẩn bị kỹ"})
    (evaluation,) = client.get(f"{base}/evaluations").json()
    assert (evaluation["total"], evaluation["lessons"]) == (80, "Chuẩn bị kỹ")


def test_holding_a_meeting_that_has_not_started_is_refused(world: World, meeting: Meeting) -> None:
    client = client_for(world.officer)
    send(
        client,
        "put",
        f"/api/v1/meetings/{meeting.pk}/schedule",
        {"starts_at": "2099-03-13T08:00:00+07:00", "venue": "Hội trường"},
    )
    # Moved out of March: allowed, but flagged for the committee above.
    assert client.get(f"/api/v1/meetings/{meeting.pk}").json()["warnings"]["outside_window"]
    response = send(client, "post", f"/api/v1/meetings/{meeting.pk}/held")
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    outsider = client_for(world.outsider)
    assert outsider.get(f"/api/v1/meetings/{meeting.pk}/attendance").status_code == 404
    assert outsider.get(f"/api/v1/meetings/{meeting.pk}/evaluations").status_code == 404


def test_moving_through_the_api_keeps_the_papers_record_it_does_not_mention(
    world: World, meeting: Meeting
) -> None:
    sent = START - dt.timedelta(days=2)
    services.meeting_papers_sent(actor=world.officer, meeting=meeting, at=sent)
    body = {"starts_at": "2025-03-12T09:00:00+07:00", "venue": "Hội trường"}
    response = send(
        client_for(world.officer), "put", f"/api/v1/meetings/{meeting.pk}/schedule", body
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.papers_sent_at == sent
