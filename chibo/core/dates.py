"""Local dates, deadlines and due windows in Asia/Ho_Chi_Minh. No Django models here."""

import calendar
import datetime as dt
import enum
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class DeadlineKind(enum.StrEnum):
    """How a written deadline reads.

    "trước ngày D" ends when D begins; "chậm nhất ngày D" / "đến ngày D" end when D ends.
    """

    BEFORE = "before"
    BY_END = "by_end"


def local_now() -> dt.datetime:
    return dt.datetime.now(tz=LOCAL_TZ)


def local_today() -> dt.date:
    return local_now().date()


def deadline_cutoff(day: dt.date, kind: DeadlineKind) -> dt.datetime:
    """The first local instant that is late."""
    start = day if kind == DeadlineKind.BEFORE else day + dt.timedelta(days=1)
    return dt.datetime.combine(start, dt.time.min, tzinfo=LOCAL_TZ)


def last_day_allowed(day: dt.date, kind: DeadlineKind) -> dt.date:
    """The last local date on which something still arrives on time."""
    return day - dt.timedelta(days=1) if kind == DeadlineKind.BEFORE else day


def is_on_time(moment: dt.datetime, day: dt.date, kind: DeadlineKind) -> bool:
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment < deadline_cutoff(day, kind)


def month_window(year: int, month: int) -> tuple[dt.date, dt.date]:
    """A due window "trong tháng M/Y": the first to the last day of that month."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same day some years later; 29/02 becomes 28/02 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
