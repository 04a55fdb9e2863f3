from django.contrib import admin
from django.urls import include, path

from chibo.api import api
from chibo.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("accounts/", include("chibo.accounts.urls")),
    path("orgs/", include("chibo.orgs.urls")),
    path("plans/", include("chibo.plans.urls")),
    path("plans/", include("chibo.reports.urls")),
    path("", include("chibo.meetings.urls")),
    path("", include("chibo.audit.urls")),
    path("notifications/", include("chibo.notifications.urls")),
    path("documents/", include("chibo.documents.urls")),
    path("imports/", include("chibo.workbook.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
