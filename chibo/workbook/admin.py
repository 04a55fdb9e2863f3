"""Imports in the admin: a read-only log of who imported which file, when, with what result."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chibo.workbook.models import ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "actor", "filename", "dry_run", "status", "rows", "error_count"]
    list_filter = ["status", "dry_run"]
    search_fields = ["filename", "sha256", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
