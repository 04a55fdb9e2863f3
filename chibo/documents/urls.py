from django.urls import path

from chibo.documents import views

app_name = "documents"

# Each download is named after its document kind (chibo.documents.kinds), so that menus can
# link any kind by its code.
urlpatterns = [
    path(
        "plans/<int:subject_id>/document.docx",
        views.document_download,
        {"kind": "plan_docx"},
        name="plan_docx",
    ),
    path(
        "plans/<int:subject_id>/document.pdf",
        views.document_download,
        {"kind": "plan_pdf"},
        name="plan_pdf",
    ),
    path(
        "plans/<int:subject_id>/registrations.xlsx",
        views.document_download,
        {"kind": "registrations_xlsx"},
        name="registrations_xlsx",
    ),
    path(
        "plans/<int:subject_id>/progress.xlsx",
        views.document_download,
        {"kind": "progress_xlsx"},
        name="progress_xlsx",
    ),
    path(
        "registrations/<int:subject_id>/document.docx",
        views.document_download,
        {"kind": "registration_docx"},
        name="registration_docx",
    ),
    path(
        "registrations/<int:subject_id>/document.pdf",
        views.document_download,
        {"kind": "registration_pdf"},
        name="registration_pdf",
    ),
    *[
        path(
            f"meetings/<int:subject_id>/{address}",
            views.document_download,
            {"kind": kind},
            name=kind,
        )
        for address, kind in (
            ("invitations.docx", "letters_docx"),
            ("invitations.zip", "letters_zip"),
            ("invitations.pdf", "letters_pdf"),
            ("minutes.docx", "minutes_docx"),
            ("minutes.pdf", "minutes_pdf"),
            ("evaluations.docx", "evaluations_docx"),
            ("invitees.xlsx", "invitees_xlsx"),
        )
    ],
    path(
        "plans/<int:subject_id>/lessons-report.docx",
        views.document_download,
        {"kind": "lessons_docx"},
        name="lessons_docx",
    ),
    path(
        "plans/<int:subject_id>/lessons-report.pdf",
        views.document_download,
        {"kind": "lessons_pdf"},
        name="lessons_pdf",
    ),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/start/", views.job_start, name="job_start"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/download", views.job_download, name="job_download"),
]
