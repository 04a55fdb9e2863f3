from django.urls import path

from chibo.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_id>/copy/", views.plan_copy, name="plan_copy"),
    path(
        "<int:plan_id>/registrations/<int:org_id>/",
        views.registration_edit,
        name="registration_edit",
    ),
    path(
        "registrations/<int:registration_id>/",
        views.registration_detail,
        name="registration_detail",
    ),
    path(
        "registrations/<int:registration_id>/submit/",
        views.registration_submit,
        name="registration_submit",
    ),
    path(
        "registrations/<int:registration_id>/return/",
        views.registration_return,
        name="registration_return",
    ),
]
