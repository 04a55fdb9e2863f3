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
    path("plans/<int:plan_id>/lessons/", views.plan_lessons, name="plan_lessons"),
    path(
        "plans/<int:plan_id>/lessons/prefill/",
        views.plan_lessons_prefill,
        name="plan_lessons_prefill",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path(
        "meetings/<int:meeting_id>/papers-sent/",
        views.meeting_papers_sent,
        name="meeting_papers_sent",
    ),
    path("meetings/<int:meeting_id>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:meeting_id>/agenda/", views.agenda_save, name="agenda_save"),
    path(
        "meetings/<int:meeting_id>/invitees/refresh/",
        views.invitees_refresh,
        name="invitees_refresh",
    ),
    path("meetings/<int:meeting_id>/invitees/search/", views.invitee_search, name="invitee_search"),
    path("meetings/<int:meeting_id>/invitees/add/", views.invitee_add, name="invitee_add"),
    path(
        "meetings/<int:meeting_id>/invitees/<int:invitee_id>/remove/",
        views.invitee_remove,
        name="invitee_remove",
    ),
    path("meetings/<int:meeting_id>/letters/issue/", views.letters_issue, name="letters_issue"),
    path(
        "meetings/<int:meeting_id>/invitation/answer/",
        views.invitation_respond,
        name="invitation_respond",
    ),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path(
        "meetings/<int:meeting_id>/attendance/mark/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:meeting_id>/minutes/attach/", views.minutes_attach, name="minutes_attach"),
    path(
        "meetings/<int:meeting_id>/minutes/files/<int:attachment_id>/",
        views.minutes_file,
        name="minutes_file",
    ),
    path("meetings/<int:meeting_id>/evaluate/", views.evaluation_edit, name="evaluation_edit"),
]
