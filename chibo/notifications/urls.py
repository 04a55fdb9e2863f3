from django.urls import path

from chibo.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
]
