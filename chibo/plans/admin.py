"""Admin pages for plans; the target form runs the same rules as the service."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from chibo.orgs.scope import Access, scope_for
from chibo.plans import services
from chibo.plans.models import (
    LegalBasis,
    Plan,
    PlanSection,
    Recipient,
    ReportingDuty,
    Responsibility,
    Target,
)


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Target
        fields = [
            "order",
            "kind",
            "heading",
            "organization",
            "org_kind",
            "count",
            "meeting_types",
            "allow_same_cell",
            "window_start",
            "window_end",
            "window_label",
            "invitee_rules",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        needed = ("kind", "organization", "meeting_types", "window_start", "window_end")
        if self.errors or any(cleaned.get(name) is None for name in needed):
            return cleaned
        data = services.TargetData(
            kind=cleaned["kind"],
            organization=cleaned["organization"],
            meeting_types=list(cleaned["meeting_types"] or []),
            window_start=cleaned["window_start"],
            window_end=cleaned["window_end"],
            invitee_rules=list(cleaned.get("invitee_rules") or []),
            org_kind=cleaned.get("org_kind"),
            count=cleaned.get("count") or 0,
        )
        try:
            services.target_validate(data)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return cleaned


class LegalBasisInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LegalBasis
    fk_name = "plan"
    extra = 0
    raw_id_fields = ("implements",)


class SectionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = PlanSection
    extra = 0


class TargetInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Target
    form = TargetForm
    extra = 0
    raw_id_fields = ("organization",)


class DutyInline(admin.StackedInline):  # type: ignore[type-arg]
    model = ReportingDuty
    extra = 0
    raw_id_fields = ("to_body", "via_body")


class ResponsibilityInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Responsibility
    extra = 0
    raw_id_fields = ("organizations", "bodies")


class RecipientInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Recipient
    extra = 0
    raw_id_fields = ("organization", "body")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "issuer_org", "issued_on", "status")
    list_filter = ("status", "year")
    search_fields = ("title",)
    raw_id_fields = ("issuer_org", "issuer_body", "signer", "copied_from")
    inlines = [
        LegalBasisInline,
        SectionInline,
        TargetInline,
        DutyInline,
        ResponsibilityInline,
        RecipientInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)  # type: ignore[arg-type]
        return scope.filter(queryset, Access.MANAGE, "issuer_org__path")
