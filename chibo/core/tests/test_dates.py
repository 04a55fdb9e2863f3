import datetime as dt

import pytest

from chibo.core.dates import (
    LOCAL_TZ,
    DeadlineKind,
    deadline_cutoff,
    is_on_time,
    last_day_allowed,
    month_window,
    shift_years,
)

FEB_20 = dt.date(2025, 2, 20)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "kind", "on_time"),
    [
        (local(2025, 2, 19, 23, 59, 59), DeadlineKind.BEFORE, True),
        (local(2025, 2, 20, 0, 0), DeadlineKind.BEFORE, False),
        (local(2025, 2, 20, 23, 59, 59), DeadlineKind.BY_END, True),
        (local(2025, 2, 21, 0, 0), DeadlineKind.BY_END, False),
    ],
)
def test_deadline_boundaries_in_local_time(
    moment: dt.datetime, kind: DeadlineKind, on_time: bool
) -> None:
    assert is_on_time(moment, FEB_20, kind) is on_time


def test_utc_moment_is_judged_in_local_time() -> None:
    # 17:30 UTC on 19/02 is 00:30 on 20/02 in Hanoi: late for "trước ngày 20/02".
    moment = dt.datetime(2025, 2, 19, 17, 30, tzinfo=dt.UTC)
    assert not is_on_time(moment, FEB_20, DeadlineKind.BEFORE)


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_on_time(dt.datetime(2025, 2, 19), FEB_20, DeadlineKind.BEFORE)  # noqa: DTZ001


def test_cutoff_and_last_day() -> None:
    assert deadline_cutoff(FEB_20, DeadlineKind.BEFORE) == local(2025, 2, 20)
    assert last_day_allowed(FEB_20, DeadlineKind.BEFORE) == dt.date(2025, 2, 19)
    assert last_day_allowed(FEB_20, DeadlineKind.BY_END) == FEB_20


def test_month_window() -> None:
    assert month_window(2025, 3) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert month_window(2028, 2) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


def test_shift_years_handles_leap_day() -> None:
    assert shift_years(dt.date(2025, 2, 20), 2) == dt.date(2027, 2, 20)
    assert shift_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
