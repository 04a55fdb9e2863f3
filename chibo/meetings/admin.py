from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from chibo.meetings.models import Meeting
from chibo.orgs.scope import Access, scope_for


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("cell", "meeting_type", "is_model", "starts_at", "venue", "status")
    list_filter = ("meeting_type", "is_model", "status")
    raw_id_fields = ("cell", "target")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)  # type: ignore[arg-type]
        return scope.filter(queryset, Access.READ, "cell__path")
