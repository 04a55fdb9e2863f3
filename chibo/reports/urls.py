from django.urls import path

from chibo.reports import views

app_name = "reports"

urlpatterns = [
    path("<int:plan_id>/progress/", views.plan_progress, name="plan_progress"),
    path("<int:plan_id>/progress.xlsx", views.plan_progress_xlsx, name="plan_progress_xlsx"),
]
