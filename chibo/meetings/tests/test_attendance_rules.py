import datetime as dt

import pytest

from chibo.meetings.attendance_rules import MemberAttendance, schedule_warnings, summarize


def members(
    present: int, excused: int = 0, absent: int = 0, unmarked: int = 0
) -> list[MemberAttendance]:
    return (
        [MemberAttendance(True, False, "present")] * present
        + [MemberAttendance(True, False, "excused")] * excused
        + [MemberAttendance(True, False, "absent")] * absent
        + [MemberAttendance(True, False, None)] * unmarked
    )


@pytest.mark.parametrize(
    ("present", "excused", "low"),
    [(18, 2, False), (17, 3, True), (20, 0, False), (10, 10, True)],
)
def test_rate_at_or_below_threshold_is_low(present: int, excused: int, low: bool) -> None:
    summary = summarize(members(present, excused), 85)
    assert summary.low_attendance is low


def test_exactly_85_percent_is_flagged() -> None:
    summary = summarize(members(17, 3), 85)  # 17/20 = 85%
    assert summary.rate_percent == 85.0
    assert summary.low_attendance
    summary = summarize(members(35, 6), 85)  # 85.4%
    assert not summary.low_attendance


def test_unexcused_absence_is_flagged_whatever_the_rate() -> None:
    summary = summarize(members(19, 0, 1), 85)
    assert summary.has_unexcused
    assert not summary.low_attendance
    assert not summary.is_good


def test_exempt_members_who_stay_away_are_not_called() -> None:
    cell = members(8, 1) + [
        MemberAttendance(True, True, "excused"),
        MemberAttendance(True, True, None),
    ]
    summary = summarize(cell, 85)
    assert summary.called == 9
    assert summary.present == 8
    present_exempt = summarize(members(8, 1) + [MemberAttendance(True, True, "present")], 85)
    assert present_exempt.called == 10


def test_probationary_members_attend_but_are_not_called() -> None:
    summary = summarize(members(6, 1) + [MemberAttendance(False, False, "present")], 85)
    assert summary.called == 7
    assert summary.probationary_present == 1


@pytest.mark.parametrize(
    ("present", "called", "passes"), [(5, 10, False), (6, 10, True), (4, 7, True), (3, 7, False)]
)
def test_resolution_needs_more_than_half_present(present: int, called: int, passes: bool) -> None:
    summary = summarize(members(present, called - present), 85)
    assert summary.resolution_can_pass is passes


TZ = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2025, 3, 12, 8, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("minutes", "combined", "short"),
    [(89, False, True), (90, False, False), (119, True, True), (120, True, False)],
)
def test_meeting_length_boundaries(minutes: int, combined: bool, short: bool) -> None:
    warnings = schedule_warnings(
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=minutes),
        combined=combined,
        papers_sent_at=START - dt.timedelta(days=2),
        min_minutes=90,
        min_minutes_combined=120,
        papers_days_ahead=1,
        now=START,
    )
    assert warnings.too_short is short
    assert not warnings.papers_late


@pytest.mark.parametrize(
    ("sent_before", "now_before", "late"),
    [
        (dt.timedelta(days=1), dt.timedelta(0), False),
        (dt.timedelta(hours=23, minutes=59), dt.timedelta(0), True),
        (None, dt.timedelta(0), True),
        # Not sent yet, and there is still time: nothing to flag.
        (None, dt.timedelta(days=90), False),
        (None, dt.timedelta(days=1), False),
        (None, dt.timedelta(hours=23, minutes=59), True),
    ],
)
def test_papers_a_day_ahead(
    sent_before: dt.timedelta | None, now_before: dt.timedelta, late: bool
) -> None:
    warnings = schedule_warnings(
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=120),
        combined=False,
        papers_sent_at=START - sent_before if sent_before else None,
        min_minutes=90,
        min_minutes_combined=120,
        papers_days_ahead=1,
        now=START - now_before,
    )
    assert warnings.papers_late is late


@pytest.mark.parametrize(
    ("day", "outside"),
    [(dt.date(2025, 3, 1), False), (dt.date(2025, 3, 31), False), (dt.date(2025, 4, 1), True)],
)
def test_a_meeting_outside_the_plans_window_is_flagged(day: dt.date, outside: bool) -> None:
    # 07:00 local on 1 April is still 31 March in UTC: the local day is what counts.
    starts_at = dt.datetime.combine(day, dt.time(7, 0), tzinfo=TZ)
    window = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    warnings = schedule_warnings(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=120),
        combined=False,
        papers_sent_at=starts_at - dt.timedelta(days=2),
        min_minutes=90,
        min_minutes_combined=120,
        papers_days_ahead=1,
        now=starts_at,
        window=window,
    )
    assert warnings.outside_window == (window if outside else None)
