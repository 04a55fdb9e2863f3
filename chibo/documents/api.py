"""Document endpoints: the files of plans, registrations and meetings, and background jobs.

GET /api/v1/plans/{id}/document.docx|.pdf, /plans/{id}/progress.xlsx, /plans/{id}/registrations
.xlsx, /plans/{id}/lessons-report.docx|.pdf, /registrations/{id}/document.docx|.pdf,
/meetings/{id}/invitations.docx|.zip|.pdf, /meetings/{id}/minutes.docx|.pdf,
/meetings/{id}/evaluations.docx, /meetings/{id}/invitees.xlsx answer the same files as the
pages; POST …/jobs queues one for the background, and /jobs/{id} tells how far it got.
"""

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from chibo.core.api import InputSchema
from chibo.core.errors import NotFound
from chibo.core.xlsx import XLSX_TYPE
from chibo.documents import kinds, pdf, selectors, services
from chibo.documents.frame import DOCX_TYPE
from chibo.documents.models import DocumentJob
from chibo.orgs.scope import request_actor

plans_router = Router(tags=["documents"])
registrations_router = Router(tags=["documents"])
meetings_router = Router(tags=["documents"])
jobs_router = Router(tags=["documents"])


def _binary(content_type: str, description: str) -> dict[str, Any]:
    """OpenAPI for a file answer (ninja describes JSON only)."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            },
            404: {"description": "Not found, or outside the user's scope"},
            503: {"description": "PDF only: LibreOffice is missing or busy"},
        }
    }


def _file(request: HttpRequest, code: str, subject_id: int) -> HttpResponse:
    order = kinds.Order(actor=request_actor(request), subject_id=subject_id)
    return kinds.file_response(kinds.KINDS[code].make(order))


@plans_router.get(
    "/{plan_id}/document.docx",
    summary="The plan as the Party's document (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Kế hoạch … as DOCX"),
)
def plan_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "plan_docx", plan_id)


@plans_router.get(
    "/{plan_id}/document.pdf",
    summary="The plan as PDF (LibreOffice on the server)",
    openapi_extra=_binary(pdf.PDF_TYPE, "Kế hoạch … as PDF"),
)
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "plan_pdf", plan_id)


@plans_router.get(
    "/{plan_id}/progress.xlsx",
    summary="The progress table (XLSX)",
    openapi_extra=_binary(XLSX_TYPE, "One row per obligated committee"),
)
def plan_progress_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "progress_xlsx", plan_id)


@plans_router.get(
    "/{plan_id}/registrations.xlsx",
    summary="The registrations (XLSX)",
    openapi_extra=_binary(XLSX_TYPE, "One row per registered cell"),
)
def plan_registrations_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "registrations_xlsx", plan_id)


@plans_router.get(
    "/{plan_id}/lessons-report.docx",
    summary="The lessons-learned report of the plan's model meetings (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Báo cáo rút kinh nghiệm … as DOCX"),
)
def plan_lessons_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "lessons_docx", plan_id)


@plans_router.get(
    "/{plan_id}/lessons-report.pdf",
    summary="The lessons-learned report as PDF",
    openapi_extra=_binary(pdf.PDF_TYPE, "Báo cáo rút kinh nghiệm … as PDF"),
)
def plan_lessons_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _file(request, "lessons_pdf", plan_id)


@registrations_router.get(
    "/{registration_id}/document.docx",
    summary="The committee's report of its list and schedule (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Báo cáo … -BC/ĐU as DOCX"),
)
def registration_docx(request: HttpRequest, registration_id: int) -> HttpResponse:
    return _file(request, "registration_docx", registration_id)


@registrations_router.get(
    "/{registration_id}/document.pdf",
    summary="The committee's report as PDF",
    openapi_extra=_binary(pdf.PDF_TYPE, "Báo cáo … as PDF"),
)
def registration_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    return _file(request, "registration_pdf", registration_id)


@meetings_router.get(
    "/{meeting_id}/invitations.docx",
    summary="All the meeting's invitation letters in one file, a page each (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Giấy mời … as DOCX; 404 before letters are issued"),
)
def meeting_letters_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "letters_docx", meeting_id)


@meetings_router.get(
    "/{meeting_id}/invitations.zip",
    summary="The meeting's invitation letters, one DOCX each (ZIP)",
    openapi_extra=_binary(kinds.ZIP_TYPE, "One DOCX per letter; 404 before letters are issued"),
)
def meeting_letters_zip(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "letters_zip", meeting_id)


@meetings_router.get(
    "/{meeting_id}/invitations.pdf",
    summary="The meeting's invitation letters as PDF",
    openapi_extra=_binary(pdf.PDF_TYPE, "Giấy mời … as PDF"),
)
def meeting_letters_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "letters_pdf", meeting_id)


@meetings_router.get(
    "/{meeting_id}/minutes.docx",
    summary="The minutes of the meeting and its resolution (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Biên bản … as DOCX; 404 before the minutes are written"),
)
def meeting_minutes_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "minutes_docx", meeting_id)


@meetings_router.get(
    "/{meeting_id}/minutes.pdf",
    summary="The minutes as PDF",
    openapi_extra=_binary(pdf.PDF_TYPE, "Biên bản … as PDF"),
)
def meeting_minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "minutes_pdf", meeting_id)


@meetings_router.get(
    "/{meeting_id}/evaluations.docx",
    summary="The observers' evaluations of the meeting, a scoring sheet each (DOCX)",
    openapi_extra=_binary(DOCX_TYPE, "Phiếu đánh giá … as DOCX; 404 before any evaluation"),
)
def meeting_evaluations_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "evaluations_docx", meeting_id)


@meetings_router.get(
    "/{meeting_id}/invitees.xlsx",
    summary="The members and invitees with their letters, answers and attendance (XLSX)",
    openapi_extra=_binary(XLSX_TYPE, "One row per person"),
)
def meeting_invitees_xlsx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _file(request, "invitees_xlsx", meeting_id)


class JobStartIn(InputSchema):
    kind: str = Field(
        description="plan_pdf, plan_docx, registrations_xlsx, progress_xlsx, lessons_docx, "
        "lessons_pdf (plans); registration_pdf, registration_docx (registrations); "
        "letters_docx, letters_zip, letters_pdf, minutes_docx, minutes_pdf, evaluations_docx, "
        "invitees_xlsx (meetings)",
        max_length=40,
    )


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
    request: HttpRequest, kind: str, subject: kinds.Subject, subject_id: int
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
def plan_job_start(request: HttpRequest, plan_id: int, payload: JobStartIn) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.PLAN, plan_id)


@registrations_router.post(
    "/{registration_id}/jobs",
    response={202: JobOut},
    summary="Make a registration's document in the background",
)
def registration_job_start(
    request: HttpRequest, registration_id: int, payload: JobStartIn
) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.REGISTRATION, registration_id)


@meetings_router.post(
    "/{meeting_id}/jobs",
    response={202: JobOut},
    summary="Make a meeting's document in the background (all letters as PDF, say)",
)
def meeting_job_start(
    request: HttpRequest, meeting_id: int, payload: JobStartIn
) -> Status[DocumentJob]:
    return _start(request, payload.kind, kinds.Subject.MEETING, meeting_id)


@jobs_router.get("", response=list[JobOut], summary="The user's recent background documents")
def job_list(request: HttpRequest) -> list[DocumentJob]:
    return list(selectors.job_list(actor=request_actor(request)))


@jobs_router.get("/{job_id}", response=JobOut, summary="How far a background document got")
def job_detail(request: HttpRequest, job_id: int) -> DocumentJob:
    return selectors.job_get(actor=request_actor(request), job_id=job_id)


@jobs_router.get(
    "/{job_id}/file",
    url_name="document_job_file",
    summary="The file of a finished background document",
    openapi_extra=_binary("application/octet-stream", "The file, with its own content type"),
)
def job_file(request: HttpRequest, job_id: int) -> FileResponse:
    job = selectors.job_get(actor=request_actor(request), job_id=job_id)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise NotFound()
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
