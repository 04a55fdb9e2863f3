"""The progress dashboard of a plan, and its spreadsheet."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from chibo.accounts.http import AuthenticatedRequest
from chibo.core.xlsx import XLSX_TYPE
from chibo.plans import selectors as plan_selectors
from chibo.plans.models import Plan
from chibo.reports import charts, exports, selectors
from chibo.reports.forms import ProgressFilterForm


def _filter_form(request: AuthenticatedRequest, plan: Plan) -> ProgressFilterForm:
    areas = selectors.progress_areas(actor=request.user, plan=plan)
    return ProgressFilterForm(request.GET, areas=[(area.pk, area.name) for area in areas])


def _chart(request: AuthenticatedRequest, plan: Plan, total: int) -> charts.LineChart:
    span = selectors.progress_chart_span(plan=plan)
    return charts.cumulative_chart(
        selectors.progress_series(actor=request.user, plan=plan),
        total=total,
        start=span.start,
        end=span.end,
        deadline=span.deadline,
    )


@require_GET
@login_required
def plan_progress(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    form = _filter_form(request, plan)
    rows = selectors.progress_rows(actor=request.user, plan=plan, filters=form.filters())
    ids = rows.values_list("pk", flat=True)
    page = Paginator(ids, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.progress_page_rows(rows, page.object_list)
    totals = selectors.progress_totals(actor=request.user, plan=plan)
    context = {
        "plan": plan,
        "form": form,
        "page_obj": page,
        "totals": totals,
        "states": selectors.STATES,
        "chart": _chart(request, plan, totals.obligations),
        "designated": selectors.designated_meetings(actor=request.user, plan=plan),
        "sort": form.filters().sort,
    }
    template = (
        "reports/partials/progress_table.html" if request.htmx else "reports/plan_progress.html"
    )
    return render(request, template, context)


@require_GET
@login_required
def plan_progress_xlsx(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_get(actor=request.user, plan_id=plan_id, with_parts=False)
    filters = _filter_form(request, plan).filters()
    rows = selectors.progress_rows(actor=request.user, plan=plan, filters=filters)
    response = HttpResponse(exports.progress_xlsx(rows), content_type=XLSX_TYPE)
    disposition = content_disposition_header(True, exports.progress_filename(plan))
    response["Content-Disposition"] = disposition or "attachment"
    return response
