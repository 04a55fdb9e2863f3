"""Plan 332-KH/HU played out to the end of March 2025, through the real services.

Most committees registered on time, two late, one not at all, one was returned and corrected;
most meetings were held, and both district model meetings.
"""

import datetime as dt

from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.meetings.services import evaluations, invitations, records
from chibo.orgs.models import Body, Organization, Person, Position
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan

NEVER_REGISTERED = "Thèn Sin"
LATE = {"Hồ Thầu": 21, "Nùng Nàng": 24}  # day of February 2025 they sent it
RETURNED = "Bình Lư"
RETURN_COMMENT = (
    "Đề nghị lùi buổi sinh hoạt chuyên đề sang tuần thứ ba của tháng 3 để Tổ theo dõi của huyện dự."
)
NOT_HELD = {"Bản Hon", "Nùng Nàng"}  # their thematic meeting had not taken place by 31/03


def at(month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=LOCAL_TZ)


def _cells(commune: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(parent=commune, kind__is_cell=True).order_by("sort_key")[:2]
    )


def _items(
    commune: Organization, index: int, shift_thematic: int = 0
) -> list[plan_services.ItemData]:
    regular_cell, thematic_cell = _cells(commune)
    regular_day = 3 + index % 10
    thematic_day = 12 + index % 12 + shift_thematic
    return [
        plan_services.ItemData(
            regular_cell.pk,
            "regular",
            at(3, regular_day, 8),
            f"Nhà văn hóa {regular_cell.name.removeprefix('Chi bộ ').strip()}",
        ),
        plan_services.ItemData(
            thematic_cell.pk,
            "thematic",
            at(3, min(thematic_day, 28), 14),
            f"Hội trường {commune.committee_name}",
        ),
    ]


def play_plan_332(plan: Plan) -> None:
    """Issue the plan and replay the committees' answers and the meetings up to 31/03/2025."""
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    meeting_services.plan_issue(actor=None, plan=plan)
    obligations = list(
        Obligation.objects.filter(target__plan=plan)
        .select_related("organization")
        .order_by("organization__sort_key")
    )
    for index, obligation in enumerate(obligations):
        commune = obligation.organization
        place = commune.name.removeprefix("Đảng bộ ").removeprefix("xã ").removeprefix("thị trấn ")
        if place == NEVER_REGISTERED:
            continue
        registration = plan_services.registration_save(
            actor=None, obligation=obligation, items=_items(commune, index)
        )
        sent_day = LATE.get(place, 5 + index)
        plan_services.registration_submit(
            actor=None, registration=registration, at=at(2, sent_day, 9, 30)
        )
        if place == RETURNED:
            plan_services.registration_return(
                actor=None, registration=registration, comment=RETURN_COMMENT, at=at(2, 16, 10)
            )
            plan_services.registration_save(
                actor=None, obligation=obligation, items=_items(commune, index, shift_thematic=4)
            )
            plan_services.registration_submit(
                actor=None, registration=registration, at=at(2, 18, 15)
            )
        meeting_services.registration_accept(
            actor=None, registration=registration, at=at(2, max(sent_day, 18) + 1, 16)
        )
        _hold_meetings(obligation, skip_thematic=place in NOT_HELD)
    _hold_district_model_meetings(plan)


def _hold_meetings(obligation: Obligation, *, skip_thematic: bool) -> None:
    for meeting in Meeting.objects.filter(obligation=obligation):
        if skip_thematic and meeting.meeting_type == "thematic":
            continue
        assert meeting.starts_at is not None
        meeting_services.meeting_record_held(
            actor=None,
            meeting=meeting,
            ends_at=meeting.starts_at + dt.timedelta(minutes=120),
            at=at(3, 31, 20),
        )


def _hold_district_model_meetings(plan: Plan) -> None:
    schedule = {"regular": (at(3, 12, 8), "Hội trường Huyện ủy"), "thematic": (at(3, 19, 14), "")}
    for meeting in Meeting.objects.filter(target__plan=plan, target__kind="designated"):
        starts_at, venue = schedule[meeting.meeting_type]
        meeting_services.meeting_schedule(
            actor=None,
            meeting=meeting,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=150),
            venue=venue or f"Phòng họp {meeting.cell.name.removeprefix('Chi bộ ')}",
            topic="" if meeting.meeting_type == "regular" else THEMATIC_TOPIC,
        )
        # Letters go out a week ahead ("Có giấy mời cụ thể sau").
        _record_model_meeting(meeting, letters_at=starts_at - dt.timedelta(days=7))
        meeting_services.meeting_record_held(actor=None, meeting=meeting, at=at(3, 31, 20))
        _evaluate(meeting)
    evaluations.lessons_summary_prefill(actor=None, plan=plan)


def _record_model_meeting(meeting: Meeting, letters_at: dt.datetime) -> None:
    """Letters, attendance and minutes of a district model meeting, as they were kept."""
    invitations.invitees_refresh(actor=None, meeting=meeting)
    invitations.invitations_issue(actor=None, meeting=meeting, at=letters_at)
    assert meeting.starts_at is not None
    # The papers reached the members two days ahead, as the rules of 2025 ask.
    meeting_services.meeting_papers_sent(
        actor=None, meeting=meeting, at=meeting.starts_at - dt.timedelta(days=2)
    )
    members = list(Person.objects.filter(home_cell=meeting.cell).order_by("sort_key"))
    entries = []
    for index, member in enumerate(members):
        status = "excused" if index == len(members) - 1 else "present"
        note = "Đi công tác theo quyết định của cơ quan" if status == "excused" else ""
        entries.append(records.AttendanceEntry(member.pk, status, note))
    guests = meeting.invitees.filter(removed=False).exclude(person__home_cell=meeting.cell)
    entries += [records.AttendanceEntry(guest.person_id, "present") for guest in guests[:12]]
    # Answers came back within two days of the letters: those who came had said so, the
    # others had other duties that day.
    present_ids = {entry.person_id for entry in entries if entry.status == "present"}
    answered_at = letters_at + dt.timedelta(days=2)
    for invitee in meeting.invitees.filter(removed=False).select_related("invitation"):
        coming = invitee.person_id in present_ids
        invitations.invitation_respond(
            actor=None,
            invitation=invitee.invitation,
            response="attending" if coming else "declined",
            reason="" if coming else "Trùng lịch công tác",
            at=answered_at,
        )
    records.attendance_record(actor=None, meeting=meeting, entries=entries)
    secretaries = {
        p.role: p.person
        for p in Position.objects.filter(
            organization=meeting.cell, role__in=["bi_thu", "pho_bi_thu"]
        )
    }
    # Votes come from the full members present; probationary members do not vote.
    present = sum(
        1
        for member, entry in zip(members, entries, strict=False)
        if entry.status == "present" and member.membership == Person.Membership.FULL
    )
    agenda = list(meeting.agenda.values_list("title", flat=True))
    records.minutes_save(
        actor=None,
        meeting=meeting,
        data=records.MinutesData(
            opened_at=meeting.starts_at,
            closed_at=meeting.ends_at,
            chair_id=secretaries["bi_thu"].pk if "bi_thu" in secretaries else None,
            secretary_id=secretaries["pho_bi_thu"].pk if "pho_bi_thu" in secretaries else None,
            proceedings=[
                {"item": title, "content": content, "opinions": opinions}
                for title, (content, opinions) in zip(
                    agenda, MINUTES_PROCEEDINGS[meeting.meeting_type], strict=False
                )
            ],
            conclusion=MINUTES_CONCLUSION[meeting.meeting_type],
            resolution=MINUTES_RESOLUTION[meeting.meeting_type],
            votes_for=present,
            votes_against=0,
            votes_abstain=0,
        ),
    )


EVALUATIONS = {
    # (scores by criterion, strengths, shortcomings, lessons) of the two Board observers.
    "regular": [
        (
            [19, 18, 17, 19, 18],
            "Chi ủy chuẩn bị chu đáo, có dự thảo nghị quyết.",
            "Ít đảng viên trẻ phát biểu.",
            "Phân công trước đảng viên chuẩn bị ý kiến.",
        ),
        (
            [18, 18, 16, 18, 17],
            "Đúng trình tự Hướng dẫn 12.",
            "Phần kiểm điểm nghị quyết tháng trước còn chung chung.",
            "Gắn nhiệm vụ với từng người.",
        ),
    ],
    "thematic": [
        (
            [18, 17, 18, 18, 16],
            "Chuyên đề gắn với nhiệm vụ bảo vệ rừng.",
            "Tài liệu gửi đảng viên muộn.",
            "Gửi dự thảo chuyên đề ít nhất một ngày trước.",
        ),
        (
            [17, 16, 17, 18, 15],
            "Nhiều đảng viên phát biểu.",
            "Thời gian thảo luận còn ngắn.",
            "Dành nhiều thời gian hơn cho thảo luận.",
        ),
    ],
}
CRITERIA = ["attendance", "preparation", "conduct", "principles", "follow_up"]
CRITERION_NOTES = {
    "regular": {
        "attendance": "Một đảng viên vắng có lý do; không ai vắng không lý do.",
        "preparation": "Chi ủy họp trước hai ngày, có dự thảo nghị quyết.",
        "conduct": "Sinh hoạt 150 phút, đúng trình tự; biên bản ghi đầy đủ.",
        "principles": "Bảo đảm nguyên tắc tập trung dân chủ.",
        "follow_up": "Nghị quyết tháng 2 được kiểm điểm, còn hai việc chậm.",
    },
    "thematic": {
        "attendance": "Đủ số đảng viên, một đồng chí vắng có lý do.",
        "preparation": "Dự thảo chuyên đề gửi đảng viên chưa đủ một ngày trước.",
        "conduct": "Đủ thời gian; thảo luận sôi nổi nhưng chưa sâu.",
        "principles": "Đúng nguyên tắc sinh hoạt đảng.",
        "follow_up": "Kết luận chuyên đề có phân công người thực hiện.",
    },
}
# What the minutes say under each item of the default agenda: (content, opinions).
MINUTES_PROCEEDINGS = {
    "regular": [
        (
            "Đồng chí Bí thư nêu lý do, giới thiệu đại biểu dự; chi bộ cử thư ký; thông báo số "
            "đảng viên có mặt, vắng mặt; chi bộ thông qua chương trình.",
            "",
        ),
        (
            "Đồng chí Bí thư trình bày kết quả thực hiện nhiệm vụ tháng 3, các văn bản mới của cấp "
            "trên và dự kiến nhiệm vụ tháng 4.",
            "",
        ),
        (
            "Các đảng viên thảo luận, phê bình và tự phê bình.",
            "Bảy ý kiến phát biểu; đề nghị đẩy nhanh tiến độ giải ngân vốn đầu tư công, tăng "
            "cường kiểm tra chất lượng công trình.",
        ),
        ("Đồng chí Bí thư tiếp thu, giải đáp các ý kiến và định hướng nhiệm vụ.", ""),
        (
            "Chi bộ thông qua kết luận, phân công nhiệm vụ; đánh giá chất lượng buổi sinh hoạt; "
            "thư ký đọc biên bản.",
            "",
        ),
    ],
    "thematic": [
        ("Đồng chí Bí thư nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề.", ""),
        ("Đồng chí được phân công trình bày dự thảo chuyên đề.", ""),
        (
            "Các đảng viên thảo luận.",
            "Sáu ý kiến phát biểu; đề nghị bổ sung giải pháp phòng cháy, chữa cháy rừng mùa khô.",
        ),
        ("Chi bộ tiếp thu, hoàn thiện chuyên đề để gửi đến đảng viên.", ""),
        ("Chi bộ thống nhất kết luận và phân công thực hiện.", ""),
    ],
}
MINUTES_CONCLUSION = {
    "regular": "Chi bộ thống nhất đánh giá kết quả tháng 3 và nhiệm vụ tháng 4.",
    "thematic": "Chi bộ thống nhất nội dung chuyên đề và giải pháp thực hiện.",
}
MINUTES_RESOLUTION = {
    "regular": "Nghị quyết chi bộ tháng 3 năm 2025.",
    "thematic": "Nghị quyết chuyên đề về quản lý, bảo vệ và phát triển rừng phòng hộ.",
}


def _evaluate(meeting: Meeting) -> None:
    issuer = meeting.target.plan.issuer_org  # type: ignore[union-attr]
    board = Body.objects.get(organization=issuer, kind=Body.Kind.ORGANIZATION_BOARD)
    observers = [
        position.person
        for position in Position.objects.filter(
            body=board, role__in=["truong_ban", "pho_truong_ban"]
        )
        .select_related("person")
        .order_by("role", "person__sort_key")[:2]
    ]
    for observer, (scores, strengths, shortcomings, lessons) in zip(
        observers, EVALUATIONS[meeting.meeting_type], strict=False
    ):
        evaluations.evaluation_submit(
            actor=None,
            meeting=meeting,
            scores=[
                evaluations.ScoreData(code, score, CRITERION_NOTES[meeting.meeting_type][code])
                for code, score in zip(CRITERIA, scores, strict=True)
            ],
            strengths=strengths,
            shortcomings=shortcomings,
            lessons=lessons,
            observer=observer,
            observer_body=board,
        )


THEMATIC_TOPIC = (
    "Nâng cao hiệu quả công tác quản lý, bảo vệ và phát triển rừng phòng hộ gắn với "
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
