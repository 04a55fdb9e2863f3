"""Pages of the organization tree."""

import dataclasses
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from chibo.accounts.http import AuthenticatedRequest
from chibo.orgs import forms, selectors
from chibo.orgs.models import Organization

RESULTS_TARGET = "org-results"
_Row = TypeVar("_Row", bound=Model)


@dataclasses.dataclass(frozen=True)
class OutlineRow:
    """An organization in the outline, `level` steps in from the shallowest one in scope."""

    organization: Organization
    level: int


def _page(request: HttpRequest, rows: QuerySet[_Row]) -> Page[_Row]:
    return Paginator(rows, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))


def _wants_results(request: HttpRequest) -> bool:
    """An htmx request that swaps only the results (typing in the search box, page links)."""
    is_htmx = request.headers.get("HX-Request") == "true"
    return is_htmx and request.headers.get("HX-Target") == RESULTS_TARGET


def _outline(request: AuthenticatedRequest, page: Page[Organization]) -> dict[str, Any]:
    """Indentation for one page of the tree, and the trail leading to its first row."""
    top = selectors.org_tree_top_depth(actor=request.user)
    rows = [OutlineRow(organization, organization.depth - top) for organization in page]
    trail: list[selectors.Breadcrumb] = []
    if page.number > 1 and rows and rows[0].level > 0:
        crumbs = selectors.org_breadcrumbs(actor=request.user, organization=rows[0].organization)
        trail = [crumb for crumb in crumbs if crumb.in_scope]
    return {"rows": rows, "trail": trail}


@require_GET
@login_required
@vary_on_headers("HX-Request", "HX-Target")
def org_tree(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.OrgSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context: dict[str, Any] = {"form": form, "query": query}
    if query:
        context["page_obj"] = _page(request, selectors.org_list(actor=request.user, search=query))
    else:
        context["page_obj"] = page = _page(request, selectors.org_tree(actor=request.user))
        context.update(_outline(request, page))
    partial = _wants_results(request)
    template = "orgs/partials/org_results.html" if partial else "orgs/org_tree.html"
    return render(request, template, context)


@require_GET
@login_required
def org_detail(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    actor = request.user
    organization = selectors.org_get(actor=actor, org_id=org_id)
    members = selectors.org_members(actor=actor, organization=organization)
    context = {
        "organization": organization,
        "breadcrumbs": selectors.org_breadcrumbs(actor=actor, organization=organization),
        "children": selectors.org_children(actor=actor, organization=organization),
        "bodies": selectors.org_bodies_with_posts(actor=actor, organization=organization),
        "own_posts": selectors.org_own_posts(actor=actor, organization=organization),
        "page_obj": _page(request, members),
    }
    return render(request, "orgs/org_detail.html", context)
