"""Schemathesis against the whole API, in process, as three roles: no 5xx, and every answer is
one the OpenAPI describes (status code, content type, body).

Each role gets the same world with data in it (a plan issued with its meetings, a model
meeting held with letters, attendance, minutes and an evaluation, a registration sent, a draft
plan, a finished background document), and about half of the draws for an operation with an id
in its path use the id of one of those objects, so the fuzzer reaches real handlers and not
only 404s. Both positive data (fits the schema) and negative data (does not, must be refused
with a 4xx) are sent.

The run is seeded (derandomized), so `make test` repeats it exactly: CHIBO_FUZZ_EXAMPLES draws
per operation, mode and role (few by default; `make fuzz` asks for many more).
"""

import collections
import dataclasses
import datetime as dt
import logging
import os
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.dates import LOCAL_TZ
from chibo.documents import kinds
from chibo.documents import services as document_services
from chibo.documents.tests.conftest import FAKE_SOFFICE, Held, held  # noqa: F401
from chibo.meetings.models import Meeting
from chibo.orgs.tests.factories import make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from chibo.wsgi import application
from conftest import World

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclasses.dataclass
class Known:
    """Ids of real objects, by the collection in the path and the name of the parameter."""

    ids: dict[str, list[int]]

    def for_path(self, path: str, parameter: str) -> list[int]:
        collection = path.removeprefix("/api/v1/").split("/", 1)[0]
        return self.ids.get(parameter, []) or self.ids.get(collection, [])


@pytest.fixture
def fake_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """PDFs through a stand-in LibreOffice (the outside world), so the PDF routes are fuzzed
    quickly rather than skipped."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def known(world: World, held: Held, settings: Settings, tmp_path: Path) -> Known:  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path / "media")
    second = make_org(world.commune_a, "CA-2", "Chi bộ Trường Tiểu học An", "chi_bo_truc_thuoc")
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(organization=world.commune_a, target__plan=held.plan),
        items=[
            ItemData(
                world.cell_a.pk,
                "regular",
                dt.datetime(2025, 3, 3, 8, tzinfo=LOCAL_TZ),
                "Nhà văn hóa bản Một",
            ),
            ItemData(
                second.pk,
                "thematic",
                dt.datetime(2025, 3, 14, 14, 30, tzinfo=LOCAL_TZ),
                "Hội trường Đảng ủy xã An",
            ),
        ],
    )
    plan_services.registration_submit(actor=world.commune_secretary, registration=registration)
    draft = make_plan(world, 333, status=Plan.Status.DRAFT)
    untimed = Meeting.objects.filter(target__plan=held.plan, starts_at__isnull=True).first()
    # A finished background document of each role's, about something the role can see.
    orders = [
        (world.officer, "invitees_xlsx", kinds.Subject.MEETING, held.meeting.pk),
        (world.overseer, "invitees_xlsx", kinds.Subject.MEETING, held.meeting.pk),
        (world.commune_secretary, "registration_docx", kinds.Subject.REGISTRATION, registration.pk),
    ]
    jobs = []
    for user, kind, subject, subject_id in orders:
        job = document_services.document_job_start(
            actor=user, kind=kind, subject=subject, subject_id=subject_id
        )
        document_services.document_job_run(job_id=job.pk)
        jobs.append(job.pk)
    meetings = [held.meeting.pk] + ([untimed.pk] if untimed is not None else [])
    return Known(
        {
            "orgs": [world.district.pk, world.commune_a.pk, world.cell_a.pk],
            "plans": [held.plan.pk, draft.pk],
            "registrations": [registration.pk],
            "meetings": meetings,
            "jobs": jobs,
        }
    )


@pytest.fixture
def quiet_refusals() -> Iterator[None]:
    """Thousands of 404 and 422 are the point of the run: only server errors are logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, whose end closes a connection that is not in
    autocommit, the test's own transaction on PostgreSQL: off for the run, as Django's test
    client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def schema(db: None, keep_connection: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _strategy(operation: Any, mode: GenerationMode, known: Known) -> Any:
    """Half the draws with real ids in the path (each id as likely), half with any."""
    names = [parameter.name for parameter in operation.path_parameters]
    free = operation.as_strategy(generation_mode=mode)
    choices = [known.for_path(operation.path, name) for name in names]
    if not names or not all(choices):
        return free
    fixed = [
        operation.as_strategy(
            generation_mode=mode, path_parameters=dict(zip(names, ids, strict=True))
        )
        for ids in zip(*choices, strict=False)
    ]
    return st.one_of(st.one_of(*fixed), free)


@dataclasses.dataclass
class Tally:
    tracebacks: list[str] = dataclasses.field(default_factory=list)
    requests: int = 0
    operations: set[str] = dataclasses.field(default_factory=set)
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    failures: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)


def _fuzz_operation(
    operation: Any, mode: GenerationMode, known: Known, headers: dict[str, str], tally: Tally
) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode, known))
    def run(case: Any) -> None:
        tally.requests += 1
        tally.operations.add(operation.label)
        try:
            response = case.call(headers=headers)
            tally.statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            # Collected rather than raised: one run lists every operation's failures, with the
            # server's traceback of an error (the response only says 500).
            detail = f"{mode.value}: {group}"[:3000]
            if tally.tracebacks:
                detail += "\n" + tally.tracebacks[-1][-3000:]
            for failure in group.exceptions:
                tally.failures.setdefault((operation.label, failure.title), detail)
        finally:
            tally.tracebacks.clear()

    run()


def _fuzz(schema: Any, known: Known, token: str, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz_operation(result.ok(), mode, known, headers, tally)


ROLES: dict[str, Callable[[World], User]] = {
    "officer": lambda world: world.officer,
    "commune_secretary": lambda world: world.commune_secretary,
    "overseer": lambda world: world.overseer,
}


def test_no_server_error_and_every_answer_fits_the_schema(
    world: World,
    known: Known,
    schema: Any,
    fake_soffice: None,
    quiet_refusals: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One test for the three roles: the world with its data is built once.
    tallies = {role: Tally() for role in ROLES}

    def record(sender: object, **kwargs: object) -> None:
        for tally in tallies.values():
            tally.tracebacks.append(traceback.format_exc())

    got_request_exception.connect(record, dispatch_uid="fuzz")
    try:
        for role, user in ROLES.items():
            _token, raw = token_create(user=user(world), name="fuzz")
            _fuzz(schema, known, raw, tallies[role])
    finally:
        got_request_exception.disconnect(dispatch_uid="fuzz")
    operations = len(list(schema.get_all_operations()))
    with capsys.disabled():
        for role, tally in tallies.items():
            server_errors = sum(n for code, n in tally.statuses.items() if code >= 500)
            print(
                f"\nfuzz {role}: {len(tally.operations)} operations, {tally.requests} requests, "
                f"{server_errors} server errors, {len(tally.failures)} failures; "
                f"statuses {dict(sorted(tally.statuses.items()))}"
            )
    for tally in tallies.values():
        assert len(tally.operations) == operations
    report = "\n\n".join(
        f"{role}: {op} — {title}\n{detail}"
        for role, tally in tallies.items()
        for (op, title), detail in tally.failures.items()
    )
    if report:
        pytest.fail(report, pytrace=False)
