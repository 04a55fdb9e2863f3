import datetime as dt
import html as html_lib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.orgs import services as org_services
from chibo.orgs.models import Organization, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Plan, Registration
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db

# Session, user, scope, the object (and what its title names), the union's count and page, per
# model on the page its rows with the rows before them, the names foreign keys point to, the
# users and their people, the unread count, the committees acted for (the navbar's import
# entry): flat, whatever the number of changes or the size of the tree.
HISTORY_PAGE_MAX_QUERIES = 20
# Session, user, scope, the people who made changes (union and users), the list's count and
# page, then at most two queries per kind of object on the page plus the names its foreign keys
# point to, the users, the unread count and the committees acted for.
AUDIT_PAGE_MAX_QUERIES = 40


@pytest.fixture(autouse=True)
def in_vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


def entries_of(response: Any) -> list[str]:
    """Each change on the page as plain text, whitespace collapsed."""
    text = text_of(response)
    blocks = text.split('data-testid="history-entry"')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in blocks]


def org_history_url(organization: Organization) -> str:
    return reverse("audit:org_history", args=[organization.pk])


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


# --- An object's history -----------------------------------------------------------------------


def test_org_history_shows_a_change_made_through_a_service_as_old_to_new(world: World) -> None:
    with time_machine.travel(at(2025, 3, 4, 9, 30), tick=False):
        org_services.org_update(
            actor=world.officer,
            organization=world.commune_a,
            name="Đảng bộ xã An Mới",
            valid_from=dt.date(2025, 1, 15),
        )
    response = client_for(world.officer).get(org_history_url(world.commune_a))
    assert response.status_code == 200
    (newest,) = [entry for entry in entries_of(response) if 'data-change="~"' in entry]
    assert gettext("changed").capitalize() in newest
    assert "04/03/2025 09:30" in newest
    assert f"{gettext('name').capitalize()} Đảng bộ xã An Đảng bộ xã An Mới" in newest
    assert f"{gettext('founded on').capitalize()} — 15/01/2025" in newest
    # No user in the request: the change is the system's.
    assert gettext("System") in newest


def test_org_history_names_choices_and_foreign_keys_never_ids(world: World) -> None:
    person = PersonFactory(home_cell=world.cell_a, full_name="Lò Văn Khánh")
    position = give_post(person, world.commune_a, Position.Role.DEPUTY_SECRETARY)
    response = client_for(world.officer).get(org_history_url(world.commune_a))
    created = next(entry for entry in entries_of(response) if "Lò Văn Khánh" in entry)
    assert gettext("created").capitalize() in created
    assert str(Position.Role.DEPUTY_SECRETARY.label) in created
    assert world.commune_a.name in created
    assert f" {position.person_id} " not in f" {created} "


def test_meeting_history_shows_the_new_time_in_local_time(world: World) -> None:
    meeting = Meeting.objects.create(cell=world.cell_a, meeting_type="regular")
    meeting_services.meeting_schedule(
        actor=world.cell_secretary,
        meeting=meeting,
        starts_at=at(2025, 3, 10, 8, 0),
        ends_at=None,
        venue="Nhà văn hóa bản Một",
    )
    response = client_for(world.cell_secretary).get(
        reverse("audit:meeting_history", args=[meeting.pk])
    )
    newest = entries_of(response)[0]
    assert f"{gettext('starts at').capitalize()} — 10/03/2025 08:00" in newest
    scheduled = str(Meeting.Status.SCHEDULED.label)
    assert f"{str(Meeting.Status.PLANNED.label)} {scheduled}" in newest


def test_a_change_made_on_a_page_names_the_person_who_made_it(world: World) -> None:
    client = client_for(world.officer)
    person = world.officer.person
    assert person is not None
    # The organization page's own edits live in the workbook import; any request will do to
    # carry the user to the history row: close the organization through the service inside one.
    plan = make_plan(world, status=Plan.Status.DRAFT)
    response = client.post(reverse("meetings:plan_issue", args=[plan.pk]))
    assert response.status_code in (200, 302)
    history = client.get(reverse("audit:plan_history", args=[plan.pk]))
    newest = entries_of(history)[0]
    assert person.full_name in newest
    assert f"{str(Plan.Status.DRAFT.label)} {str(Plan.Status.ISSUED.label)}" in newest


def test_plan_drafts_are_hidden_from_readers_below_the_issuer(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT, title="Bản nháp bí mật")
    correction = plan_services.PlanEdit(
        number=plan.number,
        issued_on=plan.issued_on,
        place=plan.place,
        title="Kế hoạch chính thức",
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
    )
    plan_services.plan_update(actor=world.officer, plan=plan, edit=correction)
    meeting_services.plan_issue(actor=None, plan=plan)
    url = reverse("audit:plan_history", args=[plan.pk])
    below_page = client_for(world.commune_secretary).get(url)
    below = text_of(below_page)
    assert "Kế hoạch chính thức" in below
    assert "Bản nháp bí mật" not in below
    # The issue is shown, and only its status: nothing of the draft before it.
    (issued,) = entries_of(below_page)
    assert str(Plan.Status.ISSUED.label) in issued
    assert str(Plan.Status.DRAFT.label) not in issued
    issuer = text_of(client_for(world.overseer).get(url))
    assert "Bản nháp bí mật" in issuer


HISTORY_PAGES = ["plan", "registration", "meeting", "organization"]


def _history_urls(world: World) -> dict[str, str]:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=None, plan=plan)
    obligation = plan.targets.get(kind="quota").obligations.get(organization=world.commune_a)
    registration = Registration.objects.create(obligation=obligation)
    meeting = Meeting.objects.create(cell=world.cell_a, meeting_type="regular")
    return {
        "plan": reverse("audit:plan_history", args=[plan.pk]),
        "registration": reverse("audit:registration_history", args=[registration.pk]),
        "meeting": reverse("audit:meeting_history", args=[meeting.pk]),
        "organization": org_history_url(world.commune_a),
    }


@pytest.mark.parametrize("page", HISTORY_PAGES)
def test_history_pages_open_for_those_who_read_the_object(world: World, page: str) -> None:
    url = _history_urls(world)[page]
    for user in (world.officer, world.commune_secretary):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert 'data-testid="history-list"' in response.content.decode()


@pytest.mark.parametrize("page", HISTORY_PAGES)
def test_history_pages_answer_404_to_an_outsider(world: World, page: str) -> None:
    url = _history_urls(world)[page]
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.nobody).get(url).status_code == 404


@pytest.mark.parametrize("page", HISTORY_PAGES)
def test_history_pages_send_the_anonymous_to_login(world: World, page: str) -> None:
    response = Client().get(_history_urls(world)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_object_pages_link_to_their_history(world: World) -> None:
    response = client_for(world.officer).get(reverse("orgs:org_detail", args=[world.commune_a.pk]))
    assert org_history_url(world.commune_a) in response.content.decode()


def test_member_contact_details_stay_with_those_who_manage(world: World) -> None:
    PersonFactory(home_cell=world.cell_a, full_name="Tòng Thị Mai", phone="0912345678")
    url = org_history_url(world.cell_a)
    assert "0912345678" in text_of(client_for(world.officer).get(url))
    read = text_of(client_for(world.cell_secretary).get(url))
    assert "Tòng Thị Mai" in read
    assert "0912345678" not in read


@pytest.mark.parametrize("count", [3, 30])
def test_history_page_query_count_does_not_grow(
    world: World, count: int, django_assert_max_num_queries: object
) -> None:
    for number in range(count):
        person = PersonFactory(home_cell=world.commune_a)
        give_post(person, world.commune_a, Position.Role.MEMBER)
        org_services.org_update(
            actor=None, organization=world.commune_a, name=f"Đảng bộ xã An {number}"
        )
    client = client_for(world.officer)
    with django_assert_max_num_queries(HISTORY_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(org_history_url(world.commune_a))
    assert response.status_code == 200


# --- The audit list ------------------------------------------------------------------------------


AUDIT_URL = "/audit/"


def test_audit_list_is_for_managers_only(world: World) -> None:
    assert reverse("audit:audit_list") == AUDIT_URL
    assert client_for(world.officer).get(AUDIT_URL).status_code == 200
    for user in (world.overseer, world.commune_secretary, world.outsider, world.nobody):
        assert client_for(user).get(AUDIT_URL).status_code == 404, user
    response = Client().get(AUDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_menu_offers_the_audit_list_to_managers(world: World) -> None:
    home = reverse("orgs:org_tree")
    assert 'data-testid="nav-audit"' in client_for(world.officer).get(home).content.decode()
    assert 'data-testid="nav-audit"' not in client_for(world.overseer).get(home).content.decode()


def test_audit_list_covers_the_managed_subtree_only(world: World) -> None:
    org_services.org_update(actor=None, organization=world.cell_b, name="Chi bộ bản Hai Mới")
    org_services.org_update(actor=None, organization=world.other_cell, name="Chi bộ bản Ba Mới")
    text = text_of(client_for(world.officer).get(AUDIT_URL))
    assert "Chi bộ bản Hai Mới" in text
    assert "Chi bộ bản Ba Mới" not in text
    assert org_history_url(world.cell_b) in text


def test_audit_list_filters_by_person_kind_search_and_dates(world: World) -> None:
    client = client_for(world.officer)
    with time_machine.travel(at(2025, 2, 1, 10, 0), tick=False):
        org_services.org_update(actor=None, organization=world.cell_b, name="Chi bộ Tháng Hai")
    with time_machine.travel(at(2025, 3, 1, 10, 0), tick=False):
        # Through a page, so the row names the officer.
        plan = make_plan(world, status=Plan.Status.DRAFT, title="Kế hoạch tháng Ba")
        client.post(reverse("meetings:plan_issue", args=[plan.pk]))

    def shown(**params: object) -> str:
        response = client.get(AUDIT_URL, params)
        assert response.status_code == 200
        return " | ".join(entries_of(response))

    by_officer = shown(person=world.officer.pk)
    assert "Kế hoạch tháng Ba" in by_officer
    assert "Chi bộ Tháng Hai" not in by_officer
    plans_only = shown(kind="plan")
    assert "Kế hoạch tháng Ba" in plans_only
    assert "Chi bộ Tháng Hai" not in plans_only
    searched = shown(q="Tháng Hai")
    assert "Chi bộ Tháng Hai" in searched
    assert "Kế hoạch tháng Ba" not in searched
    february = shown(date_from="01/02/2025", date_to="28/02/2025")
    assert "Chi bộ Tháng Hai" in february
    assert "Kế hoạch tháng Ba" not in february
    march = shown(date_from="2025-03-01", date_to="2025-03-31")
    assert "Kế hoạch tháng Ba" in march
    assert "Chi bộ Tháng Hai" not in march


def test_audit_list_offers_only_people_who_changed_something_in_scope(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    client_for(world.officer).post(reverse("meetings:plan_issue", args=[plan.pk]))
    stranger = PersonFactory(home_cell=world.other_cell, full_name="Người Ở Xa")
    text = text_of(client_for(world.officer).get(AUDIT_URL))
    assert world.officer.person is not None
    assert world.officer.person.full_name in text
    assert stranger.full_name not in text


@pytest.mark.parametrize("count", [2, 12])
def test_audit_list_query_count_does_not_grow_with_the_tree(
    world: World, count: int, django_assert_max_num_queries: object
) -> None:
    for number in range(count):
        cell = make_org(
            world.commune_b, f"CB-X{number}", f"Chi bộ số {number}", "chi_bo_truc_thuoc"
        )
        person = PersonFactory(home_cell=cell)
        give_post(person, cell, Position.Role.SECRETARY)
        make_plan(world, number=100 + number)
        org_services.org_update(actor=None, organization=cell, name=f"Chi bộ mới {number}")
    client = client_for(world.officer)
    with django_assert_max_num_queries(AUDIT_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(AUDIT_URL)
    assert response.status_code == 200
    assert "Chi bộ mới" in text_of(response)
