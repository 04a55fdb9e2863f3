"""History pages, one beside each object's page, and the audit list (mounted at the root)."""

from django.urls import path

from chibo.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("plans/<int:plan_id>/history/", views.plan_history, name="plan_history"),
    path(
        "plans/registrations/<int:registration_id>/history/",
        views.registration_history,
        name="registration_history",
    ),
    path("meetings/<int:meeting_id>/history/", views.meeting_history, name="meeting_history"),
    path("orgs/<int:org_id>/history/", views.org_history, name="org_history"),
]
