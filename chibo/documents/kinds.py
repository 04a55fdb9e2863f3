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
from unidecode import unidecode

from chibo.core.dates import LOCAL_TZ, local_today
from chibo.core.xlsx import XLSX_TYPE
from chibo.documents import meeting_inputs, pdf, selectors, xlsx
from chibo.documents.builders import evaluation as evaluation_builder
from chibo.documents.builders import lessons as lessons_builder
from chibo.documents.builders import letters as letter_builder
from chibo.documents.builders import minutes as minutes_builder
from chibo.documents.builders import plan as plan_builder
from chibo.documents.builders import registration as registration_builder
from chibo.documents.frame import DOCX_TYPE
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings.models import Meeting
from chibo.orgs.invitees import describe_all
from chibo.orgs.scope import Actor
from chibo.plans import selectors as plan_selectors
from chibo.plans.models import Plan
from chibo.reports import exports as report_exports
from chibo.reports import selectors as report_selectors

ZIP_TYPE = "application/zip"
# Document text is Vietnamese whatever the user's language; phrases that come from the
# message catalogue (invitee groups without a label) are rendered in it too.
DOCUMENT_LANGUAGE = "vi"


class Subject(enum.StrEnum):
    PLAN = "plan"
    REGISTRATION = "registration"
    MEETING = "meeting"

    @property
    def collection(self) -> str:
        """The first part of a file's address: plans/{id}/…, meetings/{id}/…"""
        return f"{self.value}s"


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
    # Where the file is, after its subject's address: pages and API serve
    # …/plans/{id}/document.docx alike, both routed from this registry.
    address: str
    subject: Subject
    label: str | Promise
    icon: str
    make: Callable[[Order], Output]
    # For a PDF: the kind of the DOCX it is converted from, offered when no PDF can be made.
    docx_kind: str = ""

    @property
    def is_pdf(self) -> bool:
        return bool(self.docx_kind)

    @property
    def content_type(self) -> str:
        """What the file is, from its address: for the API's description of it."""
        extension = self.address.rsplit(".", 1)[-1]
        types = {"docx": DOCX_TYPE, "pdf": pdf.PDF_TYPE, "xlsx": XLSX_TYPE, "zip": ZIP_TYPE}
        return types[extension]


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.code in KINDS:
        raise ValueError(f"document kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_get(code: str) -> DocumentKind | None:
    return KINDS.get(code)


def subject_check(*, actor: Actor | None, subject: Subject, subject_id: int) -> None:
    """Raise NotFound unless the actor can see the subject: the check before queueing a job."""
    if subject == Subject.PLAN:
        plan_selectors.plan_get(actor=actor, plan_id=subject_id, with_parts=False)
    elif subject == Subject.MEETING:
        meeting_selectors.meeting_get(actor=actor, meeting_id=subject_id)
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


register(
    DocumentKind(
        "plan_docx",
        "document.docx",
        Subject.PLAN,
        _("Plan (DOCX)"),
        "bi-file-earmark-word",
        _plan_docx,
    )
)
register(
    DocumentKind(
        "plan_pdf",
        "document.pdf",
        Subject.PLAN,
        _("Plan (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_plan_docx),
        docx_kind="plan_docx",
    )
)
register(
    DocumentKind(
        "registrations_xlsx",
        "registrations.xlsx",
        Subject.PLAN,
        _("Registrations (XLSX)"),
        "bi-file-earmark-spreadsheet",
        _plan_registrations_xlsx,
    )
)
register(
    DocumentKind(
        "progress_xlsx",
        "progress.xlsx",
        Subject.PLAN,
        _("Progress table (XLSX)"),
        "bi-file-earmark-spreadsheet",
        _plan_progress_xlsx,
    )
)
register(
    DocumentKind(
        "registration_docx",
        "document.docx",
        Subject.REGISTRATION,
        _("Report to the higher committee (DOCX)"),
        "bi-file-earmark-word",
        _registration_docx,
    )
)
register(
    DocumentKind(
        "registration_pdf",
        "document.pdf",
        Subject.REGISTRATION,
        _("Report to the higher committee (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_registration_docx),
        docx_kind="registration_docx",
    )
)


# --- Meetings ----------------------------------------------------------------------------


def _meeting(order: Order) -> Meeting:
    return meeting_selectors.meeting_get(actor=order.actor, meeting_id=order.subject_id)


def _letters(
    order: Order,
) -> tuple[Meeting, letter_builder.LetterCommon, list[letter_builder.LetterData]]:
    meeting = _meeting(order)
    common, letters = meeting_inputs.letter_batch(meeting)
    order.progress(20)
    return meeting, common, letters


def _letters_docx(order: Order) -> Output:
    meeting, common, letters = _letters(order)
    content = letter_builder.letters_docx(common, letters)
    order.progress(90)
    filename = letter_builder.letters_filename(
        meeting.cell.name, meeting_inputs.meeting_day(meeting), "docx"
    )
    return Output(content, filename, DOCX_TYPE)


def _letters_zip(order: Order) -> Output:
    meeting, common, letters = _letters(order)
    content = letter_builder.letters_zip(common, letters)
    order.progress(90)
    filename = letter_builder.letters_filename(
        meeting.cell.name, meeting_inputs.meeting_day(meeting), "zip"
    )
    return Output(content, filename, ZIP_TYPE)


register(
    DocumentKind(
        "letters_docx",
        "invitations.docx",
        Subject.MEETING,
        _("Invitation letters, one file (DOCX)"),
        "bi-file-earmark-word",
        _letters_docx,
    )
)
register(
    DocumentKind(
        "letters_zip",
        "invitations.zip",
        Subject.MEETING,
        _("Invitation letters, one file each (ZIP)"),
        "bi-file-earmark-zip",
        _letters_zip,
    )
)
register(
    DocumentKind(
        "letters_pdf",
        "invitations.pdf",
        Subject.MEETING,
        _("Invitation letters (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_letters_docx),
        docx_kind="letters_docx",
    )
)


def _minutes_docx(order: Order) -> Output:
    meeting = _meeting(order)
    data = meeting_inputs.minutes_data(meeting)
    order.progress(40)
    day = meeting_inputs.meeting_day(meeting) or local_today()
    content = minutes_builder.minutes_docx(data, day=day)
    order.progress(90)
    filename = minutes_builder.minutes_filename(meeting.cell.name, day, "docx")
    return Output(content, filename, DOCX_TYPE)


register(
    DocumentKind(
        "minutes_docx",
        "minutes.docx",
        Subject.MEETING,
        _("Minutes (DOCX)"),
        "bi-file-earmark-word",
        _minutes_docx,
    )
)
register(
    DocumentKind(
        "minutes_pdf",
        "minutes.pdf",
        Subject.MEETING,
        _("Minutes (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_minutes_docx),
        docx_kind="minutes_docx",
    )
)


def _evaluations_docx(order: Order) -> Output:
    meeting = _meeting(order)
    batch = meeting_inputs.evaluation_batch(meeting)
    order.progress(40)
    content = evaluation_builder.evaluations_docx(batch)
    order.progress(90)
    day = meeting_inputs.meeting_day(meeting) or local_today()
    filename = evaluation_builder.evaluations_filename(meeting.cell.name, day, "docx")
    return Output(content, filename, DOCX_TYPE)


def _invitees_xlsx(order: Order) -> Output:
    meeting = _meeting(order)
    with translation.override(DOCUMENT_LANGUAGE):
        rows, red = meeting_inputs.invitee_rows(meeting)
        order.progress(40)
        content = xlsx.invitees_xlsx(rows, red_rows=red)
    order.progress(90)
    filename = xlsx.invitees_filename(meeting.cell.name, meeting_inputs.meeting_day(meeting))
    return Output(content, filename, XLSX_TYPE)


register(
    DocumentKind(
        "evaluations_docx",
        "evaluations.docx",
        Subject.MEETING,
        _("Evaluations (DOCX)"),
        "bi-file-earmark-word",
        _evaluations_docx,
    )
)
register(
    DocumentKind(
        "invitees_xlsx",
        "invitees.xlsx",
        Subject.MEETING,
        _("Invitees and attendance (XLSX)"),
        "bi-file-earmark-spreadsheet",
        _invitees_xlsx,
    )
)


# --- The lessons-learned report of a plan ---------------------------------------------------


def _lessons_docx(order: Order) -> Output:
    plan = _plan(order, with_parts=False)
    data = meeting_inputs.lessons_data(actor=order.actor, plan=plan)
    order.progress(40)
    content = lessons_builder.lessons_docx(data)
    order.progress(90)
    symbol = unidecode(plan.number_symbol).replace("/", "-")
    return Output(content, lessons_builder.lessons_filename(symbol, plan.year, "docx"), DOCX_TYPE)


register(
    DocumentKind(
        "lessons_docx",
        "lessons-report.docx",
        Subject.PLAN,
        _("Lessons-learned report (DOCX)"),
        "bi-file-earmark-word",
        _lessons_docx,
    )
)
register(
    DocumentKind(
        "lessons_pdf",
        "lessons-report.pdf",
        Subject.PLAN,
        _("Lessons-learned report (PDF)"),
        "bi-file-earmark-pdf",
        as_pdf(_lessons_docx),
        docx_kind="lessons_docx",
    )
)
