"""Admin pages for the tree; every write goes through the services, every list is scoped."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from chibo.orgs import services
from chibo.orgs.models import Assignment, Body, Organization, OrgKind, Person, Position
from chibo.orgs.scope import Access, scope_for


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff who are not superusers see only their own subtrees."""

    scope_path_field = "organization__path"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return scope_for(request.user).filter(queryset, Access.READ, self.scope_path_field)  # type: ignore[arg-type]


@admin.register(OrgKind)
class OrgKindAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "is_cell", "is_grassroots", "order")
    prepopulated_fields = {"code": ("name",)}


class OrganizationAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "committee_name",
            "symbol",
            "valid_from",
            "valid_to",
        ]

    def clean_parent(self) -> Organization | None:
        parent: Organization | None = self.cleaned_data.get("parent")
        instance = self.instance
        if parent is not None and instance.pk and parent.path.startswith(instance.path):
            raise forms.ValidationError(services.ORG_MOVE_INTO_ITSELF)
        return parent


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    form = OrganizationAdminForm
    scope_path_field = "path"
    list_display = ("name", "code", "kind", "parent", "committee_name", "symbol", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("search_text", "code")
    raw_id_fields = ("parent",)
    ordering = ("path",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        from chibo.core.text import normalize_query

        return super().get_search_results(request, queryset, normalize_query(search_term))

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actor = request.user
        if not change:
            created = services.org_create(
                actor=actor,  # type: ignore[arg-type]
                parent=data["parent"],
                **{k: data[k] for k in ("code", "name", "kind", "committee_name", "symbol")},
                short_name=data["short_name"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
            obj.pk = created.pk
            return
        changes = {name: data[name] for name in services.ORG_EDITABLE_FIELDS}
        original = Organization.objects.get(pk=obj.pk)
        services.org_update(actor=actor, organization=original, **changes)  # type: ignore[arg-type]
        if data["parent"] is not None and data["parent"].pk != original.parent_id:
            services.org_move(actor=actor, organization=original, new_parent=data["parent"])  # type: ignore[arg-type]


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ("name", "kind", "organization", "symbol")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    scope_path_field = "home_cell__path"
    list_display = ("full_name", "code", "home_cell", "membership", "exempt")
    list_filter = ("membership", "exempt", "gender")
    search_fields = ("search_text", "code")
    raw_id_fields = ("home_cell",)


@admin.register(Position)
class PositionAdmin(ScopedAdmin):
    list_display = ("person", "role", "body", "organization", "start_on", "end_on")
    list_filter = ("role",)
    raw_id_fields = ("person", "organization", "body")


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    list_display = ("kind", "person", "team", "organization", "start_on", "end_on")
    list_filter = ("kind",)
    raw_id_fields = ("person", "team", "organization")
