"""Small inline SVG charts computed in Python: no chart library, nothing from a CDN."""

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: str  # the SVG polyline "x,y x,y …"
    first_day: dt.date | None
    last_day: dt.date | None
    total: int
    deadline_x: float | None

    @property
    def deadline_percent(self) -> float | None:
        """Where the deadline falls along the axis, for its label under the chart."""
        if self.deadline_x is None:
            return None
        return round(self.deadline_x / self.width * 100, 1)


def cumulative_chart(
    series: list[tuple[dt.date, int]],
    *,
    total: int,
    start: dt.date,
    end: dt.date,
    deadline: dt.date | None = None,
    width: int = 320,
    height: int = 80,
) -> LineChart:
    """A step line of a cumulative count between two days, scaled to `total`."""
    span = max(1, (end - start).days)
    top = max(1, total)

    def x_of(day: dt.date) -> float:
        return round(min(max((day - start).days, 0), span) / span * width, 1)

    def y_of(count: int) -> float:
        return round(height - count / top * height, 1)

    points = [f"0,{height}"]
    previous = 0
    for day, count in series:
        x = x_of(day)
        points.append(f"{x},{y_of(previous)}")
        points.append(f"{x},{y_of(count)}")
        previous = count
    points.append(f"{width},{y_of(previous)}")
    return LineChart(
        width=width,
        height=height,
        points=" ".join(points),
        first_day=start,
        last_day=end,
        total=previous,
        deadline_x=x_of(deadline) if deadline else None,
    )
