import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chibo.accounts.models import User
from chibo.demo import load, synth
from chibo.demo.tamduong import DEMO_PASSWORD
from chibo.meetings.models import Attendance, Meeting
from chibo.orgs.models import Person
from chibo.orgs.scope import Access, scope_for
from chibo.plans.models import Obligation, Plan, Registration

# A province in miniature: every kind of person the load test needs, small enough for a test.
SMALL = synth.Scale(
    name="load",
    prefix="SYN-L-",
    root_kind="dang_bo_tinh",
    root_place="tỉnh Tải",
    root_committee="Tỉnh ủy Tải",
    root_symbol="TU",
    upper_committees=2,
    communes=3,
    cells=3,
    grassroots_cells=0,
    members=10,
)
COUNT = 12

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_plan_id(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The small scale, built once for this module; each test rolls back what it changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield synth.load_scale(SMALL).plan_id
        transaction.set_rollback(True)


@pytest.fixture
def plan(small_plan_id: int) -> Plan:
    return Plan.objects.select_related("issuer_org").get(pk=small_plan_id)


def first_of(role: str, plan: Plan) -> dict[str, Any]:
    return next(a for a in load.load_accounts(plan=plan, count=COUNT) if a["role"] == role)


def user_of(account: dict[str, Any]) -> User:
    return User.objects.select_related("person").get(username=account["username"])


def test_each_account_is_a_different_person_with_the_scope_its_work_needs(plan: Plan) -> None:
    accounts = load.load_accounts(plan=plan, count=COUNT)

    users = [user_of(account) for account in accounts]
    assert len({user.pk for user in users}) == COUNT
    assert len({user.person_id for user in users}) == COUNT
    assert {account["role"] for account in accounts} == {"board", "registrar", "marker"}
    for account, user in zip(accounts, users, strict=True):
        scope = scope_for(user)
        if account["role"] == "board":
            for meeting in Meeting.objects.filter(pk__in=account["meetings"]):
                assert scope.allows(meeting.cell, Access.MANAGE)
        elif account["role"] == "registrar":
            obligation = Obligation.objects.get(target__plan=plan, organization_id=account["org"])
            assert scope.allows(obligation.organization, Access.ACT)
            registration = obligation.registration_or_none
            assert registration is None or registration.is_open_for_changes
        else:
            meeting = Meeting.objects.get(pk=account["meeting"])
            assert scope.allows(meeting.cell, Access.ACT)
            members = Person.objects.filter(home_cell=meeting.cell, pk__in=account["people"])
            assert members.count() == len(account["people"]) > 0


def test_running_again_finds_the_same_accounts_and_makes_none(plan: Plan) -> None:
    first = load.load_accounts(plan=plan, count=COUNT)
    users = User.objects.count()

    assert load.load_accounts(plan=plan, count=COUNT) == first
    assert User.objects.count() == users


def test_accounts_of_people_outside_the_load_test_are_left_alone(plan: Plan) -> None:
    accounts = load.load_accounts(plan=plan, count=COUNT)

    usernames = {account["username"] for account in accounts}
    assert not usernames & set(SMALL.usernames)
    assert all(name.startswith(load.USERNAME_PREFIX) for name in usernames)


def test_what_a_registrar_posts_saves_its_committees_list(plan: Plan) -> None:
    account = first_of("registrar", plan)
    client = Client()
    assert client.login(username=account["username"], password=DEMO_PASSWORD)
    path = f"/plans/{plan.pk}/registrations/{account['org']}/"

    response = client.post(path, account["registration_form"])

    assert response.status_code == 302
    assert response["Location"] == path
    registration = Registration.objects.get(obligation__organization_id=account["org"])
    form = account["registration_form"]
    cells = {int(form[f"items-{index}-cell"]) for index in range(int(form["items-TOTAL_FORMS"]))}
    assert set(registration.items.values_list("cell_id", flat=True)) == cells


def test_what_a_marker_taps_marks_attendance(plan: Plan) -> None:
    account = first_of("marker", plan)
    client = Client()
    assert client.login(username=account["username"], password=DEMO_PASSWORD)
    person = account["people"][0]

    response = client.post(
        f"/meetings/{account['meeting']}/attendance/mark/",
        {"person": person, "status": "excused", "note": "Đi công tác"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert f'id="mark-{person}-excused" autocomplete="off" checked' in response.text
    mark = Attendance.objects.get(meeting_id=account["meeting"], person_id=person)
    assert mark.status == Attendance.Status.EXCUSED


def test_command_writes_the_manifest(plan: Plan, tmp_path: Path) -> None:
    output = tmp_path / "accounts.json"

    call_command(
        "load_accounts", "--plan", str(plan.pk), "--count", str(COUNT), "--output", str(output),
        stdout=io.StringIO(),
    )  # fmt: skip

    manifest = json.loads(output.read_text(encoding="utf-8"))
    assert manifest["password"] == DEMO_PASSWORD
    assert manifest["accounts"] == load.load_accounts(plan=plan, count=COUNT)


def test_command_refuses_more_accounts_than_the_tree_has_people(plan: Plan) -> None:
    people = Person.objects.filter(code__startswith=SMALL.prefix).count()

    with pytest.raises(CommandError) as refused:
        call_command("load_accounts", "--plan", str(plan.pk), "--count", str(people))

    expected = rf"Chỉ có \d+ người phù hợp trong kế hoạch {plan.pk}, cần {people}\."
    assert re.fullmatch(expected, str(refused.value))
    assert User.objects.filter(username__startswith=load.USERNAME_PREFIX).count() == 0


def read_pages(account: dict[str, Any]) -> list[str]:
    plan = account["plan"]
    pages = ["/plans/", f"/plans/{plan}/", "/meetings/", "/orgs/", f"/plans/{plan}/progress/"]
    if account["role"] == "registrar":
        pages.append(f"/plans/{plan}/registrations/{account['org']}/")
    if account["role"] == "marker":
        pages += [f"/meetings/{account['meeting']}/", f"/meetings/{account['meeting']}/attendance/"]
    return pages


def test_the_pages_the_load_test_reads_write_nothing(plan: Plan) -> None:
    """SQLite has one writer at a time: a write on a page view would queue every reader."""
    for role in ("board", "registrar", "marker"):
        account = first_of(role, plan)
        client = Client()
        client.force_login(user_of(account))
        for page in read_pages(account):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)

            assert response.status_code == 200, page
            verbs = {query["sql"].split()[0].upper() for query in queries.captured_queries}
            assert not verbs & {"INSERT", "UPDATE", "DELETE"}, page
