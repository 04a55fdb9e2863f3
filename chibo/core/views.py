from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
@login_required
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest authenticated page: the floor that benchmarks compare pages against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("plans:plan_list")
