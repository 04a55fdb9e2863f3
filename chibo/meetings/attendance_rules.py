"""Attendance counts and the flags DOMAIN.md describes. No Django here: plain data in, out.

- Full members called: every full member of the cell, except those exempted from meetings who
  stay away (Quy định 24-QĐ/TW, 9.3.2).
- A resolution can pass only if more than half of those called are present (it needs more than
  half of them approving). Probationary members attend but do not vote.
- A good meeting has attendance above the threshold (85%) and no unexcused absence.
"""

import dataclasses
import datetime as dt

from chibo.core.dates import LOCAL_TZ


@dataclasses.dataclass(frozen=True)
class MemberAttendance:
    full_member: bool
    exempt: bool
    status: str | None  # "present", "excused", "absent" or None (not marked yet)


@dataclasses.dataclass(frozen=True)
class AttendanceSummary:
    members: int
    called: int
    present: int
    excused: int
    unexcused: int
    not_marked: int
    probationary_present: int
    rate_percent: float
    threshold_percent: int

    @property
    def low_attendance(self) -> bool:
        return self.called > 0 and self.rate_percent <= self.threshold_percent

    @property
    def has_unexcused(self) -> bool:
        return self.unexcused > 0

    @property
    def resolution_can_pass(self) -> bool:
        return self.present * 2 > self.called

    @property
    def is_good(self) -> bool:
        return not self.low_attendance and not self.has_unexcused and self.not_marked == 0


def summarize(members: list[MemberAttendance], threshold_percent: int) -> AttendanceSummary:
    called = present = excused = unexcused = not_marked = probationary_present = 0
    for member in members:
        if not member.full_member:
            probationary_present += member.status == "present"
            continue
        if member.exempt and member.status != "present":
            continue
        called += 1
        if member.status == "present":
            present += 1
        elif member.status == "excused":
            excused += 1
        elif member.status == "absent":
            unexcused += 1
        else:
            not_marked += 1
    rate = round(100 * present / called, 1) if called else 0.0
    return AttendanceSummary(
        members=len(members),
        called=called,
        present=present,
        excused=excused,
        unexcused=unexcused,
        not_marked=not_marked,
        probationary_present=probationary_present,
        rate_percent=rate,
        threshold_percent=threshold_percent,
    )


@dataclasses.dataclass(frozen=True)
class ScheduleWarnings:
    too_short: bool
    planned_minutes: int | None
    min_minutes: int
    papers_late: bool
    # The plan's window for the meeting, when the meeting falls outside it (a move past the
    # end of March is allowed, but the committee above must see it).
    outside_window: tuple[dt.date, dt.date] | None = None


def schedule_warnings(
    *,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    combined: bool,
    papers_sent_at: dt.datetime | None,
    min_minutes: int,
    min_minutes_combined: int,
    papers_days_ahead: int,
    now: dt.datetime,
    window: tuple[dt.date, dt.date] | None = None,
) -> ScheduleWarnings:
    """Rules of 2025: 90 minutes (120 combined), papers to members a day ahead.

    Papers are late once the day-ahead moment has passed without them, or when they went out
    after it; a meeting months away is not flagged for papers nobody could send yet.
    """
    needed = min_minutes_combined if combined else min_minutes
    planned = int((ends_at - starts_at).total_seconds() // 60) if starts_at and ends_at else None
    too_short = planned is not None and planned < needed
    papers_late = False
    if starts_at is not None:
        papers_due = starts_at - dt.timedelta(days=papers_days_ahead)
        sent_late = papers_sent_at is not None and papers_sent_at > papers_due
        papers_late = sent_late or (papers_sent_at is None and now > papers_due)
    outside = None
    if window is not None and starts_at is not None:
        day = starts_at.astimezone(LOCAL_TZ).date()
        if not window[0] <= day <= window[1]:
            outside = window
    return ScheduleWarnings(
        too_short=too_short,
        planned_minutes=planned,
        min_minutes=needed,
        papers_late=papers_late,
        outside_window=outside,
    )
