"""Progress of a plan, for whoever can see it: one row per obligated organization.

Everything is counted in SQL, so a page costs the same few queries for 10 obligations as for
10,000. Rows and totals are limited to the actor's scope: a commune secretary sees their own row.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ, DeadlineKind, local_today
from chibo.core.search import search_q
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organization
from chibo.orgs.scope import Access, Actor, scope_for
from chibo.plans.models import Obligation, Plan, Registration

MISSING = "missing"
STATES = [
    (MISSING, _("Not registered")),
    (Registration.Status.DRAFT, _("Not sent yet")),
    (Registration.Status.SUBMITTED, _("Submitted")),
    (Registration.Status.RETURNED, _("Returned")),
    (Registration.Status.ACCEPTED, _("Accepted")),
]
NOT_SENT = [MISSING, Registration.Status.DRAFT, Registration.Status.RETURNED]
SORTS = {
    "name": ("organization__sort_key",),
    "-name": ("-organization__sort_key",),
    "area": ("organization__parent__sort_key", "organization__sort_key"),
    "-area": ("-organization__parent__sort_key", "organization__sort_key"),
    "status": ("registration_state", "organization__sort_key"),
    "-status": ("-registration_state", "organization__sort_key"),
    "submitted": ("registration__first_submitted_at", "organization__sort_key"),
    "-submitted": ("-registration__first_submitted_at", "organization__sort_key"),
    "held": ("meetings_held", "organization__sort_key"),
    "-held": ("-meetings_held", "organization__sort_key"),
}


@dataclasses.dataclass(frozen=True)
class ProgressFilters:
    status: str = ""
    area: int | None = None
    overdue: bool = False
    search: str = ""
    sort: str = "name"


@dataclasses.dataclass(frozen=True)
class ProgressTotals:
    obligations: int
    by_state: dict[str, int]
    on_time: int
    late: int
    overdue: int
    meetings_expected: int
    meetings_scheduled: int
    meetings_held: int
    meetings_evaluated: int
    meetings_with_lessons: int

    def percent(self, part: int, whole: int | None = None) -> int:
        base = self.obligations if whole is None else whole
        return round(100 * part / base) if base else 0

    @property
    def sent(self) -> int:
        states = self.by_state
        return sum(
            states.get(s, 0) for s in (Registration.Status.SUBMITTED, Registration.Status.ACCEPTED)
        )

    @property
    def sent_percent(self) -> int:
        return self.percent(self.sent)

    @property
    def accepted_percent(self) -> int:
        return self.percent(self.by_state.get(Registration.Status.ACCEPTED, 0))

    @property
    def held_percent(self) -> int:
        return self.percent(self.meetings_held, self.meetings_expected)


def _deadline_passed(today: dt.date) -> Q:
    """Obligations whose reporting deadline has passed, judged on local dates."""
    before = Q(duty__deadline_kind=DeadlineKind.BEFORE.value, duty__deadline__lte=today)
    by_end = Q(duty__deadline_kind=DeadlineKind.BY_END.value, duty__deadline__lt=today)
    return before | by_end


def _held_count() -> Any:
    """A correlated count of held meetings, used only where the filter or the sort needs it."""
    held = (
        Meeting.objects.filter(obligation=OuterRef("pk"), status=Meeting.Status.HELD)
        .order_by()
        .values("obligation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


def _overdue(today: dt.date, held: str) -> Q:
    """The one rule for red rows, in SQL: the list is owed and late, or the window is over with
    fewer meetings held than asked. `held` names an annotation with `_held_count()`; the rows a
    page shows apply the same rule in Python, in `progress_attach_counts`."""
    not_sent = Q(registration__isnull=True) | Q(registration__status__in=NOT_SENT)
    meetings_late = Q(target__window_end__lt=today) & Q(**{f"{held}__lt": F("target__count")})
    return (not_sent & _deadline_passed(today)) | meetings_late


def _annotated(queryset: QuerySet[Obligation], today: dt.date) -> QuerySet[Any]:
    """The cheap per-row values: no join to meetings, so paging stays proportional to a page."""
    state = Coalesce(F("registration__status"), Value(MISSING))
    return queryset.annotate(registration_state=state).annotate(
        registration_overdue=ExpressionWrapper(
            Q(registration_state__in=NOT_SENT) & _deadline_passed(today),
            output_field=BooleanField(),
        ),
        window_over=ExpressionWrapper(Q(target__window_end__lt=today), output_field=BooleanField()),
    )


def progress_base(*, actor: Actor | None, plan: Plan) -> QuerySet[Obligation]:
    """The plan's obligations inside the actor's scope."""
    scope = scope_for(actor)
    return Obligation.objects.filter(target__plan=plan).filter(
        scope.q(Access.READ, path_field="organization__path")
    )


def progress_rows(
    *,
    actor: Actor | None,
    plan: Plan,
    filters: ProgressFilters = ProgressFilters(),  # noqa: B008 (frozen, so safe to share)
    today: dt.date | None = None,
) -> QuerySet[Any]:
    """Obligations annotated with registration_state, registration_overdue and window_over.

    Meeting counts come with `progress_attach_counts`, for the rows actually shown. Typed Any:
    mypy cannot see annotations.
    """
    today = today or local_today()
    queryset = _annotated(progress_base(actor=actor, plan=plan), today)
    if filters.status:
        queryset = queryset.filter(registration_state=filters.status)
    if filters.area:
        queryset = queryset.filter(organization__parent_id=filters.area)
    if filters.overdue:
        queryset = queryset.annotate(held_for_filter=_held_count()).filter(
            _overdue(today, "held_for_filter")
        )
    queryset = queryset.filter(search_q(filters.search, "organization__search_text", phrase=True))
    order = SORTS.get(filters.sort, SORTS["name"])
    if "held" in filters.sort:
        queryset = queryset.annotate(meetings_held_sort=_held_count())
        order = tuple(key.replace("meetings_held", "meetings_held_sort") for key in order)
    return queryset.select_related(
        "organization__parent", "registration", "duty", "target"
    ).order_by(*order, "pk")


def progress_page_rows(rows: QuerySet[Any], page_ids: Iterable[int]) -> list[Any]:
    """The full rows of one page, given its obligation ids in order (with meeting counts).

    Pages are cut on ids first (`rows.values_list("pk", flat=True)[start:stop]`), so the
    sort runs over narrow rows and only the page's rows are joined to everything they show:
    on PostgreSQL, sorting every wide joined row of a province before the LIMIT cost more than
    the rest of the page.
    """
    ids = list(page_ids)
    by_id = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
    return progress_attach_counts([by_id[pk] for pk in ids if pk in by_id])


def _meeting_counts() -> dict[str, Count]:
    """Meetings scheduled, held, evaluated (by at least one observer) and with lessons written.

    Distinct, because counting evaluations joins one row per evaluation.
    """
    return {
        "scheduled": Count(
            "pk",
            filter=Q(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD]),
            distinct=True,
        ),
        "held": Count("pk", filter=Q(status=Meeting.Status.HELD), distinct=True),
        "evaluated": Count("pk", filter=Q(evaluations__isnull=False), distinct=True),
        "with_lessons": Count("pk", filter=Q(evaluations__lessons__gt=""), distinct=True),
    }


def progress_attach_counts(rows: Iterable[Any]) -> list[Any]:
    """Give each row its meeting counts and is_overdue, in one query."""
    rows = list(rows)
    counts = {
        row["obligation_id"]: row
        for row in Meeting.objects.filter(obligation_id__in=[row.pk for row in rows])
        .values("obligation_id")
        .annotate(**_meeting_counts())
        .order_by()
    }
    for row in rows:
        found = counts.get(row.pk, {})
        row.meetings_scheduled = found.get("scheduled", 0)
        row.meetings_held = found.get("held", 0)
        row.meetings_evaluated = found.get("evaluated", 0)
        row.meetings_with_lessons = found.get("with_lessons", 0)
        meetings_late = row.window_over and row.meetings_held < row.target.count
        row.is_overdue = bool(row.registration_overdue or meetings_late)
    return rows


def progress_totals(
    *, actor: Actor | None, plan: Plan, today: dt.date | None = None
) -> ProgressTotals:
    """Counts over every obligation in scope (filters do not change the totals on top).

    Overdue is what the rows show in red: a list not sent after its deadline, or meetings not
    all held once their window is over.
    """
    today = today or local_today()
    base = progress_base(actor=actor, plan=plan)
    per_state = {
        f"state_{code}": Count(
            "pk",
            filter=Q(registration__isnull=True)
            if code == MISSING
            else Q(registration__status=code),
        )
        for code, _label in STATES
    }
    counts: dict[str, Any] = base.annotate(held_now=_held_count()).aggregate(
        **per_state,
        obligations=Count("pk"),
        on_time=Count("pk", filter=Q(registration__on_time=True)),
        late=Count("pk", filter=Q(registration__on_time=False)),
        overdue=Count("pk", filter=_overdue(today, "held_now")),
        expected=Sum("target__count"),
    )
    meetings = Meeting.objects.filter(obligation__in=base.values("pk")).aggregate(
        **_meeting_counts()
    )
    return ProgressTotals(
        obligations=counts["obligations"],
        by_state={code: counts[f"state_{code}"] for code, _label in STATES},
        on_time=counts["on_time"],
        late=counts["late"],
        overdue=counts["overdue"],
        meetings_expected=counts["expected"] or 0,
        meetings_scheduled=meetings["scheduled"],
        meetings_held=meetings["held"],
        meetings_evaluated=meetings["evaluated"],
        meetings_with_lessons=meetings["with_lessons"],
    )


@dataclasses.dataclass(frozen=True)
class ChartSpan:
    start: dt.date
    end: dt.date
    deadline: dt.date | None


def progress_chart_span(*, plan: Plan, today: dt.date | None = None) -> ChartSpan:
    """From the plan's issue to the end of its window (or its last deadline), cut at today
    while the plan is under way; the first deadline is marked."""
    today = today or local_today()
    duty = plan.reporting_duties.order_by("deadline").first()
    window_end = plan.targets.order_by("-window_end").values_list("window_end", flat=True).first()
    deadline = duty.deadline if duty else None
    last = max(day for day in (window_end, deadline, plan.issued_on) if day)
    end = min(max(today, plan.issued_on), last)
    if end <= plan.issued_on:
        end = last
    return ChartSpan(start=plan.issued_on, end=end, deadline=deadline)


def progress_series(*, actor: Actor | None, plan: Plan) -> list[tuple[dt.date, int]]:
    """Cumulative first submissions per local day: the progress-over-time chart."""
    per_day = (
        Registration.objects.filter(
            obligation__in=progress_base(actor=actor, plan=plan).values("pk"),
            first_submitted_at__isnull=False,
        )
        .annotate(day=TruncDate("first_submitted_at", tzinfo=LOCAL_TZ))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    total = 0
    series: list[tuple[dt.date, int]] = []
    for day, count in per_day:
        total += count
        series.append((day, total))
    return series


def progress_areas(*, actor: Actor | None, plan: Plan) -> QuerySet[Organization]:
    """The parents of obligated organizations, to filter the dashboard by area."""
    parents = progress_base(actor=actor, plan=plan).values("organization__parent_id")
    return Organization.objects.filter(pk__in=parents).order_by("sort_key")


def designated_meetings(*, actor: Actor | None, plan: Plan) -> QuerySet[Meeting]:
    """The model meetings the plan itself designates (no obligation behind them: the issuing
    committee's own cells), in scope, with how many observers evaluated each and how many wrote
    lessons. Few by nature (the seed has two), so listed whole beside the obligations."""
    scope = scope_for(actor)
    return (
        Meeting.objects.filter(target__plan=plan, obligation__isnull=True)
        .filter(scope.q(Access.READ, path_field="cell__path"))
        .select_related("cell")
        .annotate(
            evaluations_count=Count("evaluations", distinct=True),
            lessons_count=Count(
                "evaluations", filter=Q(evaluations__lessons__gt=""), distinct=True
            ),
        )
        .order_by("starts_at", "cell__sort_key", "pk")
    )
