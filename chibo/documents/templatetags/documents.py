"""Download menus: which documents a page offers, as (label, url, icon) for the menu partial."""

import dataclasses

from django import template
from django.urls import reverse

from chibo.documents import kinds, pdf
from chibo.meetings.models import Meeting
from chibo.plans.models import Plan, Registration

register = template.Library()

# Per subject, the kinds the menu offers as links, then those it offers as background jobs.
PLAN_LINKS = ("plan_docx", "plan_pdf", "registrations_xlsx", "progress_xlsx")
PLAN_JOBS = ("plan_pdf", "registrations_xlsx")
ISSUED_ONLY = frozenset({"registrations_xlsx", "progress_xlsx"})
REGISTRATION_LINKS = ("registration_docx", "registration_pdf")
REGISTRATION_JOBS = ("registration_pdf",)
LESSONS_LINKS = ("lessons_docx", "lessons_pdf")
LESSONS_JOBS = ("lessons_pdf",)
# Above this many letters the PDF of them all is offered in the background only: converting
# them could outlast a page's wait for LibreOffice.
LETTERS_PDF_INLINE_LIMIT = 50


@dataclasses.dataclass(frozen=True)
class DownloadMenu:
    items: list[tuple[str, str, str]]
    jobs: list[tuple[str, str, int, str]]
    pdf_missing: bool


def _menu(codes: tuple[str, ...], job_codes: tuple[str, ...], subject_id: int) -> DownloadMenu:
    has_pdf = pdf.pdf_available()
    items: list[tuple[str, str, str]] = []
    jobs: list[tuple[str, str, int, str]] = []
    for code in codes:
        kind = kinds.KINDS[code]
        if kind.is_pdf and not has_pdf:
            continue
        url = reverse(f"documents:{code}", kwargs={"subject_id": subject_id})
        items.append((str(kind.label), url, kind.icon))
    for code in job_codes:
        kind = kinds.KINDS[code]
        if kind.is_pdf and not has_pdf:
            continue
        jobs.append((str(kind.label), code, subject_id, kind.icon))
    return DownloadMenu(items=items, jobs=jobs, pdf_missing=not has_pdf)


@register.simple_tag
def plan_download_menu(plan: Plan) -> DownloadMenu:
    """{% plan_download_menu plan as menu %}: the plan's document, and once it is issued the
    registrations and progress tables."""
    issued = plan.status != Plan.Status.DRAFT
    links = tuple(code for code in PLAN_LINKS if issued or code not in ISSUED_ONLY)
    jobs = tuple(code for code in PLAN_JOBS if issued or code not in ISSUED_ONLY)
    return _menu(links, jobs, plan.pk)


@register.simple_tag
def registration_download_menu(registration: Registration) -> DownloadMenu:
    """{% registration_download_menu registration as menu %}: the committee's report."""
    return _menu(REGISTRATION_LINKS, REGISTRATION_JOBS, registration.pk)


@register.simple_tag
def meeting_download_menu(
    meeting: Meeting, letter_count: int, has_minutes: bool, evaluated: bool
) -> DownloadMenu:
    """{% meeting_download_menu meeting letter_count has_minutes evaluated as menu %}: the
    letters once issued, the minutes once written, the evaluations once made, and the list of
    invitees with their attendance. The page passes what it already knows: no query here."""
    links: list[str] = []
    jobs: list[str] = []
    if letter_count:
        links += ["letters_docx", "letters_zip"]
        if letter_count <= LETTERS_PDF_INLINE_LIMIT:
            links.append("letters_pdf")
        jobs += ["letters_pdf", "letters_zip"]
    if has_minutes:
        links += ["minutes_docx", "minutes_pdf"]
        jobs.append("minutes_pdf")
    if evaluated:
        links.append("evaluations_docx")
    links.append("invitees_xlsx")
    return _menu(tuple(links), tuple(jobs), meeting.pk)


@register.simple_tag
def lessons_download_menu(plan: Plan) -> DownloadMenu:
    """{% lessons_download_menu plan as menu %}: the lessons-learned report of the plan."""
    return _menu(LESSONS_LINKS, LESSONS_JOBS, plan.pk)


@register.filter
def document_label(code: str) -> str:
    kind = kinds.kind_get(code)
    return str(kind.label) if kind else code
