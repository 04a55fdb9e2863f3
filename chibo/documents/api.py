"""Document endpoints: every file of the registry (chibo.documents.kinds) at its address,
GET /api/v1/{plans|registrations|meetings}/{id}/{address}, the same files as the pages; POST
…/jobs queues one for the background, and /jobs/{id} tells how far it got."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import Field, Router, Schema, Status

from chibo.core.api import InputSchema, ObjectId
from chibo.core.errors import NotFound
from chibo.documents import kinds, selectors, services
from chibo.documents.models import DocumentJob
from chibo.orgs.scope import request_actor

plans_router = Router(tags=["documents"])
registrations_router = Router(tags=["documents"])
meetings_router = Router(tags=["documents"])
jobs_router = Router(tags=["documents"])


def _binary(content_types: list[str], description: str) -> dict[str, Any]:
    """OpenAPI for a file answer (ninja describes JSON only)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": description,
                "content": dict.fromkeys(content_types, binary),
            },
            404: {"description": "Not found, or outside the user's scope"},
            409: {"description": "Not ready: the reason (no letters issued, no minutes yet)"},
            503: {"description": "PDF only: LibreOffice is missing or busy"},
        }
    }


def _download(code: str) -> Callable[[HttpRequest, int], HttpResponse]:
    def download(request: HttpRequest, subject_id: ObjectId) -> HttpResponse:
        order = kinds.Order(actor=request_actor(request), subject_id=subject_id)
        return kinds.file_response(kinds.KINDS[code].make(order))

    return download


_ROUTERS = {
    kinds.Subject.PLAN: plans_router,
    kinds.Subject.REGISTRATION: registrations_router,
    kinds.Subject.MEETING: meetings_router,
}
# Every registered document, at the same address as its page (documents/urls.py): one route
# each, so that a new kind needs no new endpoint. English in the schema, as the rest of it.
with translation.override("en"):
    for _kind in kinds.KINDS.values():
        _ROUTERS[_kind.subject].add_api_operation(
            f"/{{subject_id}}/{_kind.address}",
            ["GET"],
            _download(_kind.code),
            operation_id=f"document_{_kind.code}",
            summary=str(_kind.label),
            openapi_extra=_binary([_kind.content_type], f"{_kind.label}; 409 when not ready"),
        )


class JobStartIn(InputSchema):
    kind: str = Field(description=", ".join(kinds.KINDS), max_length=40)


class JobOut(Schema):
    id: int
    kind: str
    status: str = Field(description="queued, running, done or failed")
    progress: int = Field(description="0 to 100")
    error: str
    filename: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download: str | None = Field(description="where the file is, once done")

    @staticmethod
    def resolve_download(job: DocumentJob) -> str | None:
        if job.status != DocumentJob.Status.DONE:
            return None
        return reverse("api:document_job_file", kwargs={"job_id": job.pk})


def _start(
    request: HttpRequest, kind: str, subject: kinds.Subject, subject_id: ObjectId
) -> Status[DocumentJob]:
    actor = request_actor(request)
    if actor is None:
        raise NotFound()
    job = services.document_job_start(
        actor=actor, kind=kind, subject=subject, subject_id=subject_id
    )
    return Status(202, selectors.job_get(actor=actor, job_id=job.pk))


@plans_router.post(
    "/{plan_id}/jobs", response={202: JobOut}, summary="Make a plan's document in the background"
)
def plan_job_start(
    request: HttpRequest, plan_id: ObjectId, payload: JobStartIn
) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.PLAN, plan_id)


@registrations_router.post(
    "/{registration_id}/jobs",
    response={202: JobOut},
    summary="Make a registration's document in the background",
)
def registration_job_start(
    request: HttpRequest, registration_id: ObjectId, payload: JobStartIn
) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.REGISTRATION, registration_id)


@meetings_router.post(
    "/{meeting_id}/jobs",
    response={202: JobOut},
    summary="Make a meeting's document in the background (all letters as PDF, say)",
)
def meeting_job_start(
    request: HttpRequest, meeting_id: ObjectId, payload: JobStartIn
) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.MEETING, meeting_id)


@jobs_router.get("", response=list[JobOut], summary="The user's recent background documents")
def job_list(request: HttpRequest) -> list[DocumentJob]:
    return list(selectors.job_list(actor=request_actor(request)))


@jobs_router.get("/{job_id}", response=JobOut, summary="How far a background document got")
def job_detail(request: HttpRequest, job_id: ObjectId) -> DocumentJob:
    return selectors.job_get(actor=request_actor(request), job_id=job_id)


@jobs_router.get(
    "/{job_id}/file",
    url_name="document_job_file",
    summary="The file of a finished background document",
    openapi_extra=_binary(
        sorted({kind.content_type for kind in kinds.KINDS.values()}),
        "The file, with its own content type",
    ),
)
def job_file(request: HttpRequest, job_id: ObjectId) -> FileResponse:
    job = selectors.job_get(actor=request_actor(request), job_id=job_id)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise NotFound()
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
