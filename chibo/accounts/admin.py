from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chibo.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("chibo", {"fields": ("person",)}))
    raw_id_fields = ("person",)
    list_display = ("username", "first_name", "last_name", "person", "is_staff")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "last_used_at")
