"""Downloads of documents, and documents made in the background with a progress bar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.core.errors import NotFound, NotReadyError
from chibo.documents import forms, kinds, pdf, selectors, services
from chibo.documents.models import DocumentJob

# Where a subject's page is, to go back to from a document that cannot be made yet.
_SUBJECT_PAGES = {
    kinds.Subject.PLAN: "plans:plan_detail",
    kinds.Subject.REGISTRATION: "plans:registration_detail",
    kinds.Subject.MEETING: "meetings:meeting_detail",
}


@require_GET
@login_required
def document_download(request: AuthenticatedRequest, kind: str, subject_id: int) -> HttpResponse:
    document_kind = kinds.kind_get(kind)
    if document_kind is None:
        raise NotFound()
    try:
        output = document_kind.make(kinds.Order(actor=request.user, subject_id=subject_id))
    except NotReadyError as error:
        # The subject is there but the file cannot be made yet: say why, with the way back.
        subject = document_kind.subject
        context = {
            "message": error.message,
            "kind": document_kind,
            "back_url": reverse(_SUBJECT_PAGES[subject], args=[subject_id]),
        }
        return render(request, "documents/not_ready.html", context, status=409)
    except pdf.PdfError as error:
        context = {
            "message": str(error),
            "kind": document_kind,
            "subject_id": subject_id,
            "docx_url": reverse(
                f"documents:{document_kind.docx_kind}", kwargs={"subject_id": subject_id}
            ),
            "can_queue": pdf.pdf_available(),
        }
        return render(request, "documents/pdf_error.html", context, status=503)
    return kinds.file_response(output)


@require_GET
@login_required
def job_list(request: AuthenticatedRequest) -> HttpResponse:
    jobs = selectors.job_list(actor=request.user)
    return render(request, "documents/job_list.html", {"jobs": jobs})


@require_POST
@login_required
def job_start(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.JobStartForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    kind = form.document_kind()
    subject_id = form.cleaned_data["subject_id"]
    try:
        job = services.document_job_start(
            actor=request.user, kind=kind.code, subject=kind.subject, subject_id=subject_id
        )
    except ValidationError as error:
        if request.htmx:
            context = {"message": error.messages[0], "kind": kind}
            return render(request, "documents/partials/job_refused.html", context)
        messages.error(request, error.messages[0])
        return redirect("documents:job_list")
    # The worker may have finished already (it runs inline in tests): show the job as it is.
    job = selectors.job_get(actor=request.user, job_id=job.pk)
    if request.htmx:
        return render(request, "documents/partials/job_status.html", {"job": job})
    return redirect("documents:job_detail", job_id=job.pk)


@require_GET
@login_required
def job_detail(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = selectors.job_get(actor=request.user, job_id=job_id)
    if request.htmx:
        return render(request, "documents/partials/job_status.html", {"job": job})
    return render(request, "documents/job_detail.html", {"job": job})


@require_GET
@login_required
def job_download(request: AuthenticatedRequest, job_id: int) -> FileResponse:
    job = selectors.job_get(actor=request.user, job_id=job_id)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise NotFound()
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
