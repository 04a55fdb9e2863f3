"""Every file chibo can hand out, by code: what it is about, how it is made, what it is called.

Pages, the API and background jobs all go through this registry, so a document is made the
same way whichever edge asks for it, and always through the scoped selectors: a kind loads its
plan or registration as the asking user, and answers NotFound outside their scope.

A new document (invitation letters, minutes) is one `register(DocumentKind(...))` here and a
builder in `builders/`.
"""

import dataclasses
import enum
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ, local_today
from chibo.documents import pdf, selectors, xlsx
from chibo.documents.builders import plan as plan_builder
from chibo.documents.builders import registration as registration_builder
from chibo.documents.frame import DOCX_TYPE
from chibo.orgs.invitees import describe_all
from chibo.orgs.scope import Actor
from chibo.plans import selectors as plan_selectors
from chibo.plans.models import Plan
from chibo.reports import exports as report_exports
from chibo.reports import selectors as report_selectors

XLSX_TYPE = report_exports.XLSX_TYPE
# Document text is Vietnamese whatever the user's language; phrases that come from the
# message catalogue (invitee groups without a label) are rendered in it too.
DOCUMENT_LANGUAGE = "vi"


class Subject(enum.StrEnum):
    PLAN = "plan"
    REGISTRATION = "registration"


@dataclasses.dataclass(frozen=True)
class Output:
    content: bytes
    filename: str
    content_type: str


def file_response(output: Output) -> HttpResponse:
    """The file as an attachment, under its ASCII name."""
    response = HttpResponse(output.content, content_type=output.content_type)
    disposition = content_disposition_header(True, output.filename)
    response["Content-Disposition"] = disposition or "attachment"
    return response


Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    return None


@dataclasses.dataclass(frozen=True)
class Order:
    """One request for a file: for whom, about what, and where to report progress (0–100)."""

    actor: Actor | None
    subject_id: int
    progress: Progress = _no_progress
    pdf_timeout: float = pdf.SYNC_TIMEOUT


@dataclasses.dataclass(frozen=True)
class DocumentKind:
    code: str
    subject: Subject
    label: str | Promise
    icon: str
    make: Callable[[Order], Output]
    # For a PDF: the kind of the DOCX it is converted from, offered when no PDF can be made.
    docx_kind: str = ""

    @property
    def is_pdf(self) -> bool:
        return bool(self.docx_kind)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.code in KINDS:
        raise ValueError(f"document kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_get(code: str) -> DocumentKind | None:
    return KINDS.get(code)


def kinds_for(subject: Subject) -> list[DocumentKind]:
    return [kind for kind in KINDS.values() if kind.subject == subject]


def subject_check(*, actor: Actor | None, subject: Subject, subject_id: int) -> None:
    """Raise NotFound unless the actor can see the subject: the check before queueing a job."""
    if subject == Subject.PLAN:
        plan_selectors.plan_get(actor=actor, plan_id=subject_id, with_parts=False)
    else:
        plan_selectors.registration_get(actor=actor, registration_id=subject_id)


def as_pdf(make_docx: Callable[[Order], Output]) -> Callable[[Order], Output]:
    """The PDF of what `make_docx` makes: the DOCX is most of the way, the conversion the rest."""

    def make(order: Order) -> Output:
        docx = make_docx(dataclasses.replace(order, progress=lambda p: order.progress(p // 3)))
        order.progress(40)
        content = pdf.docx_to_pdf(docx.content, timeout=order.pdf_timeout)
        order.progress(95)
        filename = docx.filename.rsplit(".", 1)[0] + ".pdf"
        return Output(content, filename, pdf.PDF_TYPE)

    return make


# --- Plans -------------------------------------------------------------------------------


def _plan(order: Order, *, with_parts: bool = True) -> Plan:
    return plan_selectors.plan_get(
        actor=order.actor, plan_id=order.subject_id, with_parts=with_parts
    )


def _plan_docx(order: Order) -> Output:
    plan = _plan(order)
    order.progress(30)
    content = plan_builder.plan_docx(plan)
    order.progress(90)
    return Output(content, plan_builder.plan_filename(plan, "docx"), DOCX_TYPE)


def _plan_registrations_xlsx(order: Order) -> Output:
    plan = _plan(order, with_parts=False)
    order.progress(20)
    content = xlsx.registrations_xlsx(selectors.registration_rows(actor=order.actor, plan=plan))
    order.progress(90)
    return Output(content, xlsx.registrations_filename(plan), XLSX_TYPE)


def _plan_progress_xlsx(order: Order) -> Output:
    plan = _plan(order, with_parts=False)
    order.progress(20)
    content = report_exports.progress_xlsx(
        report_selectors.progress_rows(actor=order.actor, plan=plan)
    )
    order.progress(90)
    return Output(content, xlsx.progress_filename(plan), XLSX_TYPE)


# --- Registrations -----------------------------------------------------------------------


def _registration_docx(order: Order) -> Output:
    registration = plan_selectors.registration_get(
        actor=order.actor, registration_id=order.subject_id
    )
    order.progress(20)
    organization = registration.obligation.organization
    sent = registration.submitted_at
    day = sent.astimezone(LOCAL_TZ).date() if sent else local_today()
    signer = selectors.committee_signer(organization=organization, on=day)
    with translation.override(DOCUMENT_LANGUAGE):
        invitees = describe_all(registration.obligation.target.invitee_rules)
    order.progress(40)
    content = registration_builder.registration_report_docx(
        registration, signer=signer, day=day, invitees=invitees
    )
    order.progress(90)
    filename = registration_builder.registration_filename(registration, "docx")
    return Output(content, filename, DOCX_TYPE)


PLAN_DOCX = register(
    DocumentKind("plan_docx", Subject.PLAN, _("Plan (DOCX)"), "bi-file-earmark-word", _plan_docx)
)
PLAN_PDF = register(
    DocumentKind(
        "plan_pdf",
        Subject.PLAN,
        _("Plan (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_plan_docx),
        docx_kind="plan_docx",
    )
)
PLAN_REGISTRATIONS_XLSX = register(
    DocumentKind(
        "registrations_xlsx",
        Subject.PLAN,
        _("Registrations (XLSX)"),
        "bi-file-earmark-spreadsheet",
        _plan_registrations_xlsx,
    )
)
PLAN_PROGRESS_XLSX = register(
    DocumentKind(
        "progress_xlsx",
        Subject.PLAN,
        _("Progress table (XLSX)"),
        "bi-file-earmark-spreadsheet",
        _plan_progress_xlsx,
    )
)
REGISTRATION_DOCX = register(
    DocumentKind(
        "registration_docx",
        Subject.REGISTRATION,
        _("Report to the higher committee (DOCX)"),
        "bi-file-earmark-word",
        _registration_docx,
    )
)
REGISTRATION_PDF = register(
    DocumentKind(
        "registration_pdf",
        Subject.REGISTRATION,
        _("Report to the higher committee (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_registration_docx),
        docx_kind="registration_docx",
    )
)
