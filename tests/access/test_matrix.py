"""The access matrix: every page and every API operation, for each of a fixed cast, each method.

The routes come from the URL conf and the operations from the OpenAPI, so nothing here is listed
by hand but what a route needs: the two tables below, PAGES and OPERATIONS, say of each route what
its id names (SUBJECTS) and, per method, what access it asks (Need). For every row the cast is
derived from the subject: the owner (holds that access), a member of the same committee without
it, a committee beside it (commune B for commune A's things), the read-only Thường trực, an
account with no person, and no one logged in. The expected answers:
- owner: it works (2xx/3xx; a write sent without a proper body may answer 400/409/422);
- member and read-only: it works when reading is all the route asks, otherwise 403 or 404;
- sibling and nobody: 404, the answer for what does not exist;
- anonymous: a redirect to the login page, or 401 from the API.
Writes go out with no body on pages and with the smallest body the OpenAPI schema accepts on the
API, so the access check has to come before any question about the content.

A route or operation without a row fails test_every_route_has_a_row, which says what to add.
"""

import dataclasses
import datetime as dt
import enum
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chibo.accounts import services as account_services
from chibo.accounts.models import User
from chibo.api import api
from chibo.core.dates import LOCAL_TZ
from chibo.documents import kinds
from chibo.documents import services as document_services
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.meetings.services import evaluations, invitations, records
from chibo.meetings.services.evaluations import ScoreData
from chibo.notifications.tests.factories import send
from chibo.orgs.models import Body, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_body, make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from chibo.workbook import services as workbook_services
from chibo.workbook.tests.helpers import workbook_bytes
from conftest import build_world


class Need(enum.Enum):
    PUBLIC = "anyone, logged in or not"
    LOGIN = "any account (a list of its own, empty for an account with no person)"
    READ = "read scope on the subject"
    ACT = "act scope on the subject (its secretaries)"
    MANAGE = "manage scope (the Organization Board above)"
    SUMMARY = "read scope on the plan's issuer itself (the report on every committee)"
    LETTERS = "act scope on the committee whose register numbers the meeting's letters"
    OBSERVE = "an observer of a model meeting"
    INVITED = "holds a letter for the meeting"
    IMPORT = "may import there (a workbook holds personal data)"
    OWN = "the user's own (a job, an upload, a notification)"


PUBLIC, LOGIN, READ, ACT, MANAGE = Need.PUBLIC, Need.LOGIN, Need.READ, Need.ACT, Need.MANAGE
SUMMARY, LETTERS, OBSERVE, INVITED, IMPORT, OWN = (
    Need.SUMMARY,
    Need.LETTERS,
    Need.OBSERVE,
    Need.INVITED,
    Need.IMPORT,
    Need.OWN,
)
Body_ = Callable[[dict[str, int]], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Row:
    """What a route's id names (None: it has none) and what each method it accepts needs."""

    subject: str | None
    methods: dict[str, Need]
    body: Body_ | None = None  # the ids a write carries in its body rather than in its path


def row(subject: str | None, body: Body_ | None = None, **methods: Need) -> Row:
    return Row(subject, methods, body)


# --- The tables: one row per page (URL name) and per API operation (operationId) -------------

PAGES: dict[str, Row] = {
    "home": row(None, GET=LOGIN),
    "healthz": row(None, GET=PUBLIC),
    "ping": row(None, GET=LOGIN),
    "accounts:login": row(None, GET=PUBLIC, POST=PUBLIC),
    "accounts:logout": row(None, POST=PUBLIC),
    "orgs:org_tree": row(None, GET=LOGIN),
    "orgs:org_detail": row("org", GET=READ),
    "plans:plan_list": row(None, GET=LOGIN),
    "plans:plan_detail": row("plan", GET=READ),
    "plans:plan_edit": row("plan", GET=MANAGE, POST=MANAGE),
    "plans:plan_copy": row("plan", POST=MANAGE),
    "plans:registration_edit": row("obligation", GET=READ, POST=ACT),
    "plans:registration_detail": row("registration", GET=READ),
    "plans:registration_submit": row("registration", POST=ACT),
    "plans:registration_return": row("registration", POST=MANAGE),
    "reports:plan_progress": row("plan", GET=READ),
    "reports:plan_progress_xlsx": row("plan", GET=READ),
    "meetings:plan_issue": row("plan", POST=MANAGE),
    "meetings:registration_accept": row("registration", POST=MANAGE),
    "meetings:plan_lessons": row("plan", GET=READ, POST=MANAGE),
    "meetings:plan_lessons_prefill": row("plan", POST=MANAGE),
    "meetings:meeting_list": row(None, GET=LOGIN),
    "meetings:meeting_detail": row("meeting", GET=READ),
    "meetings:meeting_schedule": row("meeting", POST=ACT),
    "meetings:meeting_papers_sent": row("meeting", POST=ACT),
    "meetings:meeting_held": row("meeting", POST=ACT),
    "meetings:agenda_save": row("meeting", POST=ACT),
    "meetings:invitees_refresh": row("meeting", GET=LETTERS, POST=LETTERS),
    "meetings:invitee_search": row("meeting", GET=LETTERS),
    "meetings:invitee_add": row(
        "meeting", body=lambda ids: {"person": ids["person_id"]}, POST=LETTERS
    ),
    "meetings:invitee_remove": row("invitee", POST=LETTERS),
    "meetings:letters_issue": row("meeting", POST=LETTERS),
    "meetings:invitation_respond": row(
        "meeting", body=lambda ids: {"response": "attending"}, POST=INVITED
    ),
    "meetings:attendance": row("meeting", GET=READ),
    "meetings:attendance_mark": row("meeting", POST=ACT),
    "meetings:minutes_edit": row("meeting", GET=READ, POST=ACT),
    "meetings:minutes_attach": row("meeting", POST=ACT),
    "meetings:minutes_file": row("attachment", GET=READ),
    "meetings:evaluation_edit": row("meeting", GET=OBSERVE, POST=OBSERVE),
    "notifications:notification_list": row(None, GET=LOGIN),
    "notifications:notification_open": row("notification", POST=OWN),
    "notifications:notification_read_all": row(None, POST=LOGIN),
    "documents:plan_docx": row("plan", GET=READ),
    "documents:plan_pdf": row("plan", GET=READ),
    "documents:registrations_xlsx": row("plan", GET=READ),
    "documents:progress_xlsx": row("plan", GET=READ),
    "documents:lessons_docx": row("plan", GET=SUMMARY),
    "documents:lessons_pdf": row("plan", GET=SUMMARY),
    "documents:registration_docx": row("registration", GET=READ),
    "documents:registration_pdf": row("registration", GET=READ),
    "documents:letters_docx": row("meeting", GET=READ),
    "documents:letters_zip": row("meeting", GET=READ),
    "documents:letters_pdf": row("meeting", GET=READ),
    "documents:minutes_docx": row("meeting", GET=READ),
    "documents:minutes_pdf": row("meeting", GET=READ),
    "documents:evaluations_docx": row("meeting", GET=READ),
    "documents:invitees_xlsx": row("meeting", GET=READ),
    "documents:job_list": row(None, GET=LOGIN),
    "documents:job_start": row(
        "plan", body=lambda ids: {"kind": "plan_docx", "subject_id": ids["plan_id"]}, POST=READ
    ),
    "documents:job_detail": row("job", GET=OWN),
    "documents:job_download": row("job", GET=OWN),
    "workbook:import_page": row(None, GET=IMPORT),
    "audit:audit_list": row(None, GET=MANAGE),
    "audit:plan_history": row("plan", GET=READ),
    "audit:registration_history": row("registration", GET=READ),
    "audit:meeting_history": row("meeting", GET=READ),
    "audit:org_history": row("org", GET=READ),
    "workbook:template": row(None, GET=LOGIN),  # the empty template: headers only
    "workbook:import_upload": row(None, POST=IMPORT),
    "workbook:import_detail": row("import", GET=OWN),
    "workbook:import_confirm": row("import", POST=OWN),
    "workbook:import_recheck": row("import", POST=OWN),
    "workbook:import_errors": row("import", GET=OWN),
    "workbook:org_export": row("org", GET=IMPORT),
}

OPERATIONS: dict[str, Row] = {
    "chibo_orgs_api_org_list": row(None, GET=LOGIN),
    "chibo_orgs_api_org_detail": row("org", GET=READ),
    "chibo_orgs_api_org_positions": row("org", GET=READ),
    "chibo_workbook_api_org_export": row("org", GET=IMPORT),
    "chibo_workbook_api_import_workbook": row(None, POST=IMPORT),
    "chibo_plans_api_plan_list": row(None, GET=LOGIN),
    "chibo_plans_api_plan_detail": row("plan", GET=READ),
    "chibo_plans_api_plan_update": row("plan", PUT=MANAGE),
    "chibo_plans_api_plan_copy": row("plan", POST=MANAGE),
    "chibo_plans_api_registration_save": row(
        "obligation", body=lambda ids: {"org": ids["org_id"]}, POST=ACT
    ),
    "chibo_reports_api_plan_progress": row("plan", GET=READ),
    "chibo_meetings_api_plan_issue": row("plan", POST=MANAGE),
    "chibo_meetings_api_plan_lessons": row("plan", GET=READ),
    "chibo_plans_api_registration_detail": row("registration", GET=READ),
    "chibo_plans_api_registration_submit": row("registration", POST=ACT),
    "chibo_plans_api_registration_return": row("registration", POST=MANAGE),
    "chibo_meetings_api_registration_accept": row("registration", POST=MANAGE),
    "document_plan_docx": row("plan", GET=READ),
    "document_plan_pdf": row("plan", GET=READ),
    "document_registrations_xlsx": row("plan", GET=READ),
    "document_progress_xlsx": row("plan", GET=READ),
    "document_lessons_docx": row("plan", GET=SUMMARY),
    "document_lessons_pdf": row("plan", GET=SUMMARY),
    "chibo_documents_api_plan_job_start": row(
        "plan", body=lambda ids: {"kind": "plan_docx"}, POST=READ
    ),
    "document_registration_docx": row("registration", GET=READ),
    "document_registration_pdf": row("registration", GET=READ),
    "chibo_documents_api_registration_job_start": row(
        "registration", body=lambda ids: {"kind": "registration_docx"}, POST=READ
    ),
    "chibo_documents_api_job_list": row(None, GET=LOGIN),
    "chibo_documents_api_job_detail": row("job", GET=OWN),
    "chibo_documents_api_job_file": row("job", GET=OWN),
    "chibo_meetings_api_meeting_list": row(None, GET=LOGIN),
    "chibo_meetings_api_meeting_detail": row("meeting", GET=READ),
    "chibo_meetings_api_meeting_invitees": row("meeting", GET=READ),
    "chibo_meetings_api_invitations_issue": row("meeting", POST=LETTERS),
    "chibo_meetings_api_invitation_answer": row("meeting", POST=INVITED),
    "chibo_meetings_api_meeting_schedule": row("meeting", PUT=ACT),
    "chibo_meetings_api_meeting_held": row("meeting", POST=ACT),
    "chibo_meetings_api_attendance_roster": row("meeting", GET=READ),
    "chibo_meetings_api_attendance_record": row("meeting", POST=ACT),
    "chibo_meetings_api_minutes_read": row("meeting", GET=READ),
    "chibo_meetings_api_minutes_save": row("meeting", PUT=ACT),
    "chibo_meetings_api_evaluation_list": row("meeting", GET=READ),
    "chibo_meetings_api_evaluation_submit": row("meeting", POST=OBSERVE),
    "document_letters_docx": row("meeting", GET=READ),
    "document_letters_zip": row("meeting", GET=READ),
    "document_letters_pdf": row("meeting", GET=READ),
    "document_minutes_docx": row("meeting", GET=READ),
    "document_minutes_pdf": row("meeting", GET=READ),
    "document_evaluations_docx": row("meeting", GET=READ),
    "document_invitees_xlsx": row("meeting", GET=READ),
    "chibo_documents_api_meeting_job_start": row(
        "meeting", body=lambda ids: {"kind": "minutes_docx"}, POST=READ
    ),
}


# --- Subjects: the object an id names, and who stands where around it ------------------------


@dataclasses.dataclass(frozen=True)
class Subject:
    """Who owns an object for each need, and who stands beside it (accounts of the Cast)."""

    owners: dict[Need, str]
    member: str  # same committee, less access than the route needs (or, for OWN, not its owner)
    sibling: str  # the committee beside it: sees none of it


SUBJECTS: dict[str | None, Subject] = {
    # The district's plan: everyone under the district reads it once issued; another
    # district's secretary is the one beside it.
    "plan": Subject(
        {READ: "officer", MANAGE: "officer", SUMMARY: "officer"}, "commune_secretary", "outsider"
    ),
    # Commune A's obligation and registration under that plan.
    "obligation": Subject(
        {READ: "commune_secretary", ACT: "commune_secretary", MANAGE: "officer"},
        "commune_a_member",
        "commune_b_secretary",
    ),
    "registration": Subject(
        {READ: "commune_secretary", ACT: "commune_secretary", MANAGE: "officer"},
        "commune_a_member",
        "commune_b_secretary",
    ),
    "org": Subject(
        {READ: "commune_secretary", IMPORT: "commune_secretary"},
        "commune_a_member",
        "commune_b_secretary",
    ),
    # Cell A's model meeting under commune A's registration: commune A numbers its letters,
    # commune A's committee is invited, the Organization Board observes.
    "meeting": Subject(
        {
            READ: "cell_secretary",
            ACT: "cell_secretary",
            LETTERS: "commune_secretary",
            OBSERVE: "officer",
            INVITED: "commune_secretary",
        },
        "cell_a_member",
        "commune_b_secretary",
    ),
    "invitee": Subject({LETTERS: "commune_secretary"}, "cell_a_member", "commune_b_secretary"),
    "attachment": Subject({READ: "cell_secretary"}, "cell_a_member", "commune_b_secretary"),
    # The commune secretary's own things: even the Organization Board above must not see them.
    "job": Subject({OWN: "commune_secretary"}, "officer", "commune_b_secretary"),
    "import": Subject({OWN: "commune_secretary"}, "officer", "commune_b_secretary"),
    "notification": Subject({OWN: "commune_secretary"}, "officer", "commune_b_secretary"),
    # Routes with no id: the Organization Board's officer stands for whoever may use them.
    None: Subject(
        {LOGIN: "officer", PUBLIC: "officer", IMPORT: "officer", MANAGE: "officer"},
        "officer",
        "officer",
    ),
}

ROLES = ("owner", "member", "sibling", "readonly", "nobody", "anonymous")
ROLES_WITHOUT_SUBJECT = ("owner", "nobody", "anonymous")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Expect(enum.Enum):
    OPEN = "2xx/3xx, logged in or not"
    WORKS = "2xx/3xx (or 400/409/422 for a write without a proper body)"
    REFUSED = "403 or 404"
    HIDDEN = "404"
    LOGIN = "the login page (302), or 401 from the API"


def expected(subject: str | None, need: Need, role: str) -> Expect:
    if need is PUBLIC:
        return Expect.OPEN
    if role == "anonymous":
        return Expect.LOGIN
    if role == "owner":
        return Expect.WORKS
    if role == "nobody":
        return Expect.WORKS if need is LOGIN else Expect.HIDDEN
    if role == "sibling":
        return Expect.HIDDEN
    # member and read-only: inside the subject's tree, with read access at most; the read-only
    # Thường trực reads the issuing committee itself, a commune's member does not.
    if subject is not None and need is READ:
        return Expect.WORKS
    if need is SUMMARY and role == "readonly":
        return Expect.WORKS
    return Expect.REFUSED


# --- Enumerating what exists -------------------------------------------------------------------

SKIPPED_NAMESPACES = ("admin", "api")  # Django's admin; the API, enumerated from its OpenAPI


def _walk(
    patterns: list[Any], namespace: str = "", params: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str]]]:
    for pattern in patterns:
        found = params | frozenset(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or pattern.app_name in SKIPPED_NAMESPACES:
                continue
            urlconf = getattr(pattern.urlconf_name, "__name__", pattern.urlconf_name)
            if urlconf == "django.conf.urls.i18n":  # Django's language switch
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, found)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"a page without a URL name: {pattern.pattern}")
            yield f"{namespace}{pattern.name}", found


def page_routes() -> dict[str, frozenset[str]]:
    """Every page's URL name and the parameters of its path."""
    return dict(_walk(get_resolver().url_patterns))


OPENAPI = api.get_openapi_schema()
API_PREFIX = reverse("api:api-root").rstrip("/")


def api_operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every operation's id: its method, its path template and its OpenAPI entry."""
    found = {}
    for path, methods in OPENAPI["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = (method.upper(), path, operation)
    return found


PAGE_ROUTES = page_routes()
API_OPERATIONS = api_operations()


# --- The world: one organization's objects and the cast around them, built once per module ----


@dataclasses.dataclass
class Objects:
    ids: dict[str, dict[str, int]]  # subject -> the path parameters that name it
    users: dict[str, User]
    sessions: dict[str, str]  # account -> its session key (none for the anonymous)
    tokens: dict[str, str]  # account -> a raw API token

    def page_client(self, account: str) -> Client:
        """A client of its own per case: a case that logs out must not log out the next."""
        client = Client()
        if account in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[account]
        return client

    def api_client(self, account: str) -> Client:
        if account not in self.tokens:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[account]}")


def _account(username: str, person: Any) -> User:
    return User.objects.create_user(username=username, password="pw-123456", person=person)


def _build() -> Objects:
    world = build_world()
    commune_b_bch = make_body(world.commune_b, "bch", "Ban Chấp hành Đảng bộ xã Bình")
    commune_b_secretary = PersonFactory(home_cell=world.cell_b)
    give_post(commune_b_secretary, world.commune_b, Position.Role.SECRETARY, commune_b_bch)
    commune_a_member = PersonFactory(home_cell=world.cell_a)
    commune_bch = Body.objects.get(organization=world.commune_a, kind="bch")
    give_post(commune_a_member, world.commune_a, Position.Role.MEMBER, commune_bch)
    cell_a_member = PersonFactory(home_cell=world.cell_a)
    users = {
        "officer": world.officer,
        "readonly": world.overseer,
        "commune_secretary": world.commune_secretary,
        "cell_secretary": world.cell_secretary,
        "outsider": world.outsider,
        "nobody": world.nobody,
        "commune_b_secretary": _account("commune_b_secretary", commune_b_secretary),
        "commune_a_member": _account("commune_a_member", commune_a_member),
        "cell_a_member": _account("cell_a_member", cell_a_member),
    }
    secretary = world.commune_secretary

    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    obligation = Obligation.objects.get(target__plan=plan, organization=world.commune_a)
    starts = dt.datetime(2025, 3, 3, 8, tzinfo=LOCAL_TZ)
    second_cell = make_org(world.commune_a, "CA-2", "Chi bộ Trường An", "chi_bo_truc_thuoc")
    registration = plan_services.registration_save(
        actor=secretary,
        obligation=obligation,
        items=[
            ItemData(world.cell_a.pk, "regular", starts, "Nhà văn hóa bản Một"),
            ItemData(second_cell.pk, "thematic", starts, "Hội trường Đảng ủy xã An"),
        ],
    )
    plan_services.registration_submit(actor=secretary, registration=registration)
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.cell_a)
    invitations.invitees_refresh(actor=secretary, meeting=meeting)
    invitations.invitations_issue(actor=secretary, meeting=meeting)
    invitee = meeting.invitees.filter(removed=False).first()
    assert invitee is not None
    meeting_services.meeting_record_held(actor=world.cell_secretary, meeting=meeting)
    scores = [ScoreData(c.code, c.max_score, "") for c in meeting_selectors.criterion_list()]
    evaluations.evaluation_submit(actor=world.officer, meeting=meeting, scores=scores)
    evaluations.lessons_summary_prefill(actor=world.officer, plan=plan)
    minutes = records.minutes_save(
        actor=world.cell_secretary, meeting=meeting, data=records.MinutesData(conclusion="Tốt.")
    )
    scan = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%fake\n", "application/pdf")
    attachment = records.minutes_attach(actor=world.cell_secretary, minutes=minutes, upload=scan)

    job = document_services.document_job_start(
        actor=secretary, kind="plan_docx", subject=kinds.Subject.PLAN, subject_id=plan.pk
    )
    document_services.document_job_run(job_id=job.pk)
    upload = SimpleUploadedFile("cay.xlsx", workbook_bytes(), "application/octet-stream")
    imported = workbook_services.import_upload(
        actor=secretary, uploaded=upload, filename=upload.name or "cay.xlsx"
    )
    notification = send(secretary)

    plan_ids = {"plan_id": plan.pk, "subject_id": plan.pk}
    # The person an organizer would add to the list: a member of cell A not invited yet.
    meeting_ids = {"meeting_id": meeting.pk, "subject_id": meeting.pk}
    meeting_ids["person_id"] = cell_a_member.pk
    ids = {
        "plan": plan_ids,
        "obligation": {"plan_id": plan.pk, "org_id": world.commune_a.pk},
        "registration": {"registration_id": registration.pk, "subject_id": registration.pk},
        "org": {"org_id": world.commune_a.pk},
        "meeting": meeting_ids,
        "invitee": {**meeting_ids, "invitee_id": invitee.pk},
        "attachment": {**meeting_ids, "attachment_id": attachment.pk},
        "job": {"job_id": job.pk},
        "import": {"record_id": imported.pk},
        "notification": {"notification_id": notification.pk},
    }
    sessions, tokens = {}, {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
        _token, tokens[key] = account_services.token_create(user=user)
    return Objects(ids=ids, users=users, sessions=sessions, tokens=tokens)


FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes a tiny PDF where soffice would.
outdir=""
while [ $# -gt 1 ]; do
  if [ "$1" = "--outdir" ]; then outdir="$2"; fi
  shift
done
mkdir -p "$outdir"
printf '%%PDF-1.4 fake\\n' > "$outdir/$(basename "$1" .docx).pdf"
"""


@pytest.fixture(scope="module")
def objects(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Objects]:
    """The world, built once for the module's ~800 requests inside one transaction that is
    rolled back at the end; each case runs in a savepoint of it (the `db` fixture), so a write
    that works for its owner is undone before the next case."""
    folder = tmp_path_factory.mktemp("matrix")
    fake_bin = folder / "bin"
    fake_bin.mkdir()
    soffice = fake_bin / "soffice"
    soffice.write_text(FAKE_SOFFICE)
    soffice.chmod(0o755)
    # A stand-in for LibreOffice (the outside world): PDFs answer at once.
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(MEDIA_ROOT=str(folder / "media")),
        django_db_blocker.unblock(),
    ):
        patch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ.get('PATH', '')}")
        outer = transaction.atomic()
        # A durable block inside would refuse to nest under anything but a test's own block.
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- Requests --------------------------------------------------------------------------------


def _components(schema: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref")
    if reference:
        return _components(OPENAPI["components"]["schemas"][reference.rsplit("/", 1)[-1]])
    return schema


def sample(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required fields only, each its plainest value."""
    schema = _components(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _components(o).get("type") != "null"]
            return sample(options[0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: sample(properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [sample(schema["items"])] if schema.get("minItems") else []
    if kind == "integer" or kind == "number":
        return schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "binary":
            return UPLOAD
        formats = {"date-time": "2025-03-10T08:00:00+07:00", "date": "2025-03-10"}
        return formats.get(schema.get("format", ""), "x")
    return None


UPLOAD = object()  # where a schema asks for a file


def api_request(
    client: Client, operation_id: str, ids: dict[str, int], body: Body_ | None, *, empty: bool
) -> Any:
    method, template, operation = API_OPERATIONS[operation_id]
    path = API_PREFIX + re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)
    path = path.replace(API_PREFIX + API_PREFIX, API_PREFIX)
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        data: dict[str, Any] = {}
        if not empty:
            form = sample(content["multipart/form-data"]["schema"])
            for name, value in form.items():
                data[name] = SimpleUploadedFile(f"{name}.xlsx", b"?") if value is UPLOAD else value
        return client.generic(method, path, **_multipart(client, data))
    if "application/json" in content and not empty:
        payload = sample(content["application/json"]["schema"])
        if body is not None and isinstance(payload, dict):
            payload.update(body(ids))
        return client.generic(method, path, json.dumps(payload), "application/json")
    return client.generic(method, path)


def _multipart(client: Client, data: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    boundary = "matrix-boundary"
    return {
        "data": encode_multipart(boundary, data),
        "content_type": MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", boundary),
    }


def page_request(
    client: Client, name: str, method: str, ids: dict[str, int], body: Body_ | None
) -> Any:
    missing = PAGE_ROUTES[name] - set(ids)
    assert not missing, f"{name}: its path needs {sorted(missing)}, which its subject lacks"
    kwargs = {param: ids[param] for param in PAGE_ROUTES[name]}
    path = reverse(name, kwargs=kwargs or None)
    if method == "GET":
        return client.get(path)
    return client.generic(
        method,
        path,
        _urlencode(body(ids) if body else {}),
        "application/x-www-form-urlencoded",
    )


def _urlencode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def check(answer: Any, expect: Expect, *, api_call: bool, write: bool) -> str | None:
    """None when the answer is what `expect` means, else what was wrong."""
    status = answer.status_code
    login = resolve_url(settings.LOGIN_URL)
    to_login = status == 302 and answer["Location"].startswith(login)
    if expect is Expect.OPEN:
        ok = 200 <= status < 400
    elif expect is Expect.WORKS:
        ok = (200 <= status < 400 and not to_login) or (write and status in (400, 409, 422))
    elif expect is Expect.REFUSED:
        ok = status in (403, 404)
    elif expect is Expect.HIDDEN:
        ok = status == 404
    elif api_call:
        ok = status == 401
    else:
        ok = to_login
    if ok:
        return None
    where = answer.get("Location", "")
    return f"answered {status} {where}".strip()


def _cases(table: dict[str, Row]) -> list[Any]:
    cases = []
    for name, entry in table.items():
        roles = ROLES if entry.subject is not None else ROLES_WITHOUT_SUBJECT
        for method in entry.methods:
            for role in roles:
                cases.append(pytest.param(name, method, role, id=f"{name}-{method}-{role}"))
    return cases


def _user_key(subject: str | None, need: Need, role: str) -> str:
    if role in ("readonly", "nobody", "anonymous"):
        return role
    cast = SUBJECTS[subject]
    if role == "owner":
        return cast.owners[need]
    return cast.member if role == "member" else cast.sibling


def _ids(objects: Objects, subject: str | None) -> dict[str, int]:
    return objects.ids[subject] if subject is not None else {}


# --- The tests -----------------------------------------------------------------------------


def test_every_route_has_a_row() -> None:
    def missing_message(kind: str, names: set[str], table: str) -> str:
        lines = [f"  {name!r}: row(SUBJECT, GET=READ, POST=ACT)," for name in sorted(names)]
        return (
            f"{kind} without a row in {table} (tests/access/test_matrix.py); add one each, "
            "naming what its id is (one of SUBJECTS, None if it has none) and what each method "
            "needs (Need):\n" + "\n".join(lines)
        )

    pages, operations = set(PAGE_ROUTES), set(API_OPERATIONS)
    if pages - set(PAGES):
        pytest.fail(missing_message("Pages", pages - set(PAGES), "PAGES"), pytrace=False)
    if operations - set(OPERATIONS):
        missing = operations - set(OPERATIONS)
        pytest.fail(missing_message("API operations", missing, "OPERATIONS"), pytrace=False)
    gone = (set(PAGES) - pages) | (set(OPERATIONS) - operations)
    if gone:
        pytest.fail(f"Rows for routes that no longer exist, remove them: {sorted(gone)}")


def test_every_row_names_a_subject_its_methods_and_an_owner() -> None:
    for name, entry in [*PAGES.items(), *OPERATIONS.items()]:
        assert entry.subject in SUBJECTS, f"{name}: unknown subject {entry.subject!r}"
        owners = SUBJECTS[entry.subject].owners
        for need in entry.methods.values():
            assert need in owners, f"{name}: SUBJECTS[{entry.subject!r}] has no owner for {need}"
    for name, entry in OPERATIONS.items():
        method = API_OPERATIONS[name][0] if name in API_OPERATIONS else None
        assert set(entry.methods) == {method}, f"{name} is {method}, its row says otherwise"


@pytest.mark.parametrize(("name", "method", "role"), _cases(PAGES))
def test_page(objects: Objects, db: None, name: str, method: str, role: str) -> None:
    entry = PAGES[name]
    need = entry.methods[method]
    client = objects.page_client(_user_key(entry.subject, need, role))
    answer = page_request(client, name, method, _ids(objects, entry.subject), entry.body)
    expect = expected(entry.subject, need, role)
    problem = check(answer, expect, api_call=False, write=method in WRITES)
    assert problem is None, f"{method} {name} as {role}: expected {expect.value}, {problem}"


@pytest.mark.parametrize(("name", "method", "role"), _cases(OPERATIONS))
def test_operation(objects: Objects, db: None, name: str, method: str, role: str) -> None:
    entry = OPERATIONS[name]
    need = entry.methods[method]
    client = objects.api_client(_user_key(entry.subject, need, role))
    answer = api_request(client, name, _ids(objects, entry.subject), entry.body, empty=False)
    expect = expected(entry.subject, need, role)
    problem = check(answer, expect, api_call=True, write=method in WRITES)
    assert problem is None, f"{method} {name} as {role}: expected {expect.value}, {problem}"


def _unlisted_methods() -> list[Any]:
    return [
        pytest.param(name, method, id=f"{name}-{method}")
        for name, entry in PAGES.items()
        for method in ("GET", "POST")
        if method not in entry.methods
    ]


@pytest.mark.parametrize(("name", "method"), _unlisted_methods())
def test_page_refuses_a_method_its_row_does_not_list(
    objects: Objects, db: None, name: str, method: str
) -> None:
    """A page that reads must not take a post (nor a form page a stray GET): 405 to its owner."""
    entry = PAGES[name]
    need = next(iter(entry.methods.values()))
    client = objects.page_client(_user_key(entry.subject, need, "owner"))
    answer = page_request(client, name, method, _ids(objects, entry.subject), entry.body)
    assert answer.status_code == 405, f"{method} {name} answered {answer.status_code}"


MISSING_ID = 987654


def _writes_with_a_body() -> list[Any]:
    return [
        pytest.param(name, id=name)
        for name, entry in OPERATIONS.items()
        if entry.subject is not None
        and any(method in WRITES for method in entry.methods)
        and "requestBody" in API_OPERATIONS[name][2]
    ]


@pytest.mark.parametrize("name", _writes_with_a_body())
def test_operation_refuses_a_bad_body_alike_outside_scope_and_for_a_missing_id(
    objects: Objects, db: None, name: str
) -> None:
    """The API checks a body's shape before it looks for the object (422): the answer must then
    be the same for an object out of scope as for none at all, or it would tell one from the
    other. With a body of the right shape, the matrix above sees the 404."""
    entry = OPERATIONS[name]
    need = next(iter(entry.methods.values()))
    client = objects.api_client(_user_key(entry.subject, need, "sibling"))
    ids = _ids(objects, entry.subject)
    outside = api_request(client, name, ids, entry.body, empty=True)
    missing = api_request(client, name, dict.fromkeys(ids, MISSING_ID), entry.body, empty=True)
    assert (outside.status_code, outside.json()) == (missing.status_code, missing.json())
