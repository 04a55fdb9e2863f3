"""Notifications in the admin: to look at, not to write (sending goes through the services)."""

from django.contrib import admin
from django.http import HttpRequest

from chibo.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "recipient", "created_at", "read_at", "emailed_at")
    list_filter = ("created_at", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("title", "key", "recipient__username")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
