"""Mounted under plans/, beside the plans app's own pages, as the API mounts them."""

from django.urls import path

from chibo.meetings import views

app_name = "meetings"

urlpatterns = [
    path("<int:plan_id>/issue/", views.plan_issue, name="plan_issue"),
    path(
        "registrations/<int:registration_id>/accept/",
        views.registration_accept,
        name="registration_accept",
    ),
]
