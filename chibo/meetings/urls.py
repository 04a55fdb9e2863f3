"""Meeting pages, and the page edges of the workflows whose outcome is a meeting (mounted at
the root: the workflow edges sit under plans/, beside the plans app's pages, as in the API)."""

from django.urls import path

from chibo.meetings import views

app_name = "meetings"

urlpatterns = [
    path("plans/<int:plan_id>/issue/", views.plan_issue, name="plan_issue"),
    path(
        "plans/registrations/<int:registration_id>/accept/",
        views.registration_accept,
        name="registration_accept",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
]
