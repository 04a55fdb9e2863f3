"""Plan 332-KH/HU played out to the end of March 2025, through the real services.

Most committees registered on time, two late, one not at all, one was returned and corrected;
most meetings were held, and both district model meetings.
"""

import datetime as dt

from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organization
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
        meeting_services.meeting_record_held(actor=None, meeting=meeting, at=at(3, 31, 20))


THEMATIC_TOPIC = (
    "Nâng cao hiệu quả công tác quản lý, bảo vệ và phát triển rừng phòng hộ gắn với "
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
