"""Reads for documents: the rows of the registrations table, the signer, the user's jobs."""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from chibo.core.errors import NotFound
from chibo.documents.builders.registration import Signer
from chibo.documents.frame import capacity_on_behalf
from chibo.documents.models import DocumentJob
from chibo.orgs.models import Organization, Position, active_on
from chibo.orgs.scope import Actor
from chibo.plans.models import Plan, RegistrationItem
from chibo.reports import selectors as report_selectors

SIGNER_TITLES = {Position.Role.SECRETARY: "BÍ THƯ", Position.Role.DEPUTY_SECRETARY: "PHÓ BÍ THƯ"}


def registration_rows(*, actor: Actor | None, plan: Plan) -> list[Any]:
    """The plan's obligations in scope, as the progress dashboard has them (state, counts,
    overdue), each with its registration's items and their cells loaded."""
    items = RegistrationItem.objects.select_related("cell").order_by("starts_at", "pk")
    rows = report_selectors.progress_rows(actor=actor, plan=plan).prefetch_related(
        Prefetch("registration__items", queryset=items)
    )
    return report_selectors.progress_attach_counts(rows)


def committee_signer(*, organization: Organization, on: dt.date) -> Signer:
    """Who signs for the committee on a day: its secretary, else a deputy, else a blank name.

    `organization` must come from a scoped selector: this only reads who holds its posts.
    """
    positions = Position.objects.filter(
        active_on(on),
        organization=organization,
        role__in=list(SIGNER_TITLES),
    ).select_related("person")
    ranked = sorted(
        positions,
        key=lambda position: (
            position.role != Position.Role.SECRETARY,
            position.person.sort_key,
        ),
    )
    capacity = capacity_on_behalf(organization)
    if not ranked:
        return Signer(capacity=capacity, title=SIGNER_TITLES[Position.Role.SECRETARY], name="")
    first = ranked[0]
    return Signer(
        capacity=capacity,
        title=SIGNER_TITLES[Position.Role(first.role)],
        name=first.person.full_name,
    )


def job_get(*, actor: Actor | None, job_id: int) -> DocumentJob:
    """One of the actor's own jobs: a job is nobody else's business, not even an admin's."""
    if actor is None or actor.pk is None:
        raise NotFound()
    job = DocumentJob.objects.filter(owner_id=actor.pk, pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


def job_list(*, actor: Actor | None, limit: int = 20) -> QuerySet[DocumentJob]:
    """The actor's most recent jobs."""
    if actor is None or actor.pk is None:
        return DocumentJob.objects.none()
    return DocumentJob.objects.filter(owner_id=actor.pk).order_by("-created_at", "-pk")[:limit]
