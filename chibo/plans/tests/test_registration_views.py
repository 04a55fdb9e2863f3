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
from chibo.orgs.models import Organization, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_body, make_org
from chibo.plans import services
from chibo.plans.models import MeetingType, Obligation, Plan, Registration, RegistrationItem
from chibo.plans.tests.factories import make_plan
from chibo.plans.views import (
    PLAN_COPIED,
    REGISTRATION_RETURNED,
    REGISTRATION_SAVED,
    REGISTRATION_SENT,
    ROWS_INCOMPLETE,
)
from conftest import World

pytestmark = pytest.mark.django_db

# Session, user, scope (positions, assignments, home cell), plan, obligation, the registration
# and its prefetches (items, cells, versions, actors), the cells to choose from, the unread
# count, the committees acted for (the navbar's import entry): flat, whatever the number of
# versions.
EDIT_PAGE_MAX_QUERIES = 16
# Session, user, scope, the registration and its prefetches, the unread count, the committees
# acted for (the navbar's import entry).
DETAIL_PAGE_MAX_QUERIES = 12
# The plan page's own (see test_views) plus one for the committee's obligations and registrations,
# and one for the committees acted for (the navbar's import entry).
PLAN_PAGE_MAX_QUERIES = 21


@pytest.fixture(autouse=True)
def in_vietnamese() -> Iterator[None]:
    """Pages answer in Vietnamese (the default language): expected texts are translated alike,
    so the tests hold whether or not the catalogue has a msgid yet."""
    with translation.override("vi"):
        yield


def t(msgid: str, **values: object) -> str:
    """A template's text as the page shows it."""
    text = gettext(msgid)
    return text % values if values else text


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def issued(world: World) -> Plan:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=None, plan=plan)
    return plan


@pytest.fixture
def second_cell(world: World) -> Organization:
    return make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")


@pytest.fixture
def commune_b_secretary(world: World) -> User:
    person = PersonFactory(home_cell=world.cell_b)
    body = make_body(world.commune_b, "bch", "Ban Chấp hành Đảng bộ xã Bình")
    give_post(person, world.commune_b, Position.Role.SECRETARY, body)
    return User.objects.create_user(username="commune_b_secretary", password="pw", person=person)


def obligation_of(plan: Plan, organization: Organization) -> Obligation:
    return Obligation.objects.get(target__plan=plan, organization=organization)


def edit_url(plan: Plan, organization: Organization) -> str:
    return reverse("plans:registration_edit", args=[plan.pk, organization.pk])


def detail_url(registration: Registration) -> str:
    return reverse("plans:registration_detail", args=[registration.pk])


def good_rows(world: World, second: Organization) -> list[dict[str, Any]]:
    return [
        {
            "cell": world.cell_a.pk,
            "meeting_type": "regular",
            "day": "2025-03-10",
            "time": "08:00",
            "venue": "Nhà văn hóa bản Một",
        },
        {
            "cell": second.pk,
            "meeting_type": "thematic",
            "day": "2025-03-20",
            "time": "14:30",
            "venue": "Nhà văn hóa bản Hai An",
        },
    ]


def form_data(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": len(rows),
        "items-MIN_NUM_FORMS": 2,
        "items-MAX_NUM_FORMS": 2,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
    return data


def save(world: World, plan: Plan, second: Organization) -> Registration:
    client_for(world.commune_secretary).post(
        edit_url(plan, world.commune_a), form_data(good_rows(world, second))
    )
    return Registration.objects.get(obligation__target__plan=plan)


def submit(world: World, registration: Registration, moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        services.registration_submit(actor=world.commune_secretary, registration=registration)


# --- Access -----------------------------------------------------------------------------------


def _urls(world: World, plan: Plan, registration: Registration) -> dict[str, tuple[str, str]]:
    return {
        "edit": ("get", edit_url(plan, world.commune_a)),
        "detail": ("get", detail_url(registration)),
        "submit": ("post", reverse("plans:registration_submit", args=[registration.pk])),
        "return": ("post", reverse("plans:registration_return", args=[registration.pk])),
        "copy": ("post", reverse("plans:plan_copy", args=[plan.pk])),
    }


PAGES = ["edit", "detail", "submit", "return", "copy"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(
    world: World, issued: Plan, second_cell: Organization, page: str
) -> None:
    method, url = _urls(world, issued, save(world, issued, second_cell))[page]
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES)
def test_outsider_gets_404(
    world: World, issued: Plan, second_cell: Organization, page: str
) -> None:
    registration = save(world, issued, second_cell)
    method, url = _urls(world, issued, registration)[page]
    response = getattr(client_for(world.outsider), method)(url, {"comment": "x", "year": 2027})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("page", ["edit", "detail", "submit"])
def test_secretary_of_another_commune_gets_404(
    world: World, issued: Plan, second_cell: Organization, commune_b_secretary: User, page: str
) -> None:
    method, url = _urls(world, issued, save(world, issued, second_cell))[page]
    response = getattr(client_for(commune_b_secretary), method)(url)
    assert response.status_code == 404


def test_secretary_of_another_commune_cannot_save_for_commune_a(
    world: World, issued: Plan, second_cell: Organization, commune_b_secretary: User
) -> None:
    url = edit_url(issued, world.commune_a)
    response = client_for(commune_b_secretary).post(url, form_data(good_rows(world, second_cell)))
    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_cell_secretary_cannot_open_the_commune_registration(world: World, issued: Plan) -> None:
    response = client_for(world.cell_secretary).get(edit_url(issued, world.commune_a))
    assert response.status_code == 404


def test_reader_sees_the_page_without_a_form_and_cannot_save(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    client = client_for(world.overseer)
    url = edit_url(issued, world.commune_a)
    page = text_of(client.get(url))
    assert 'data-testid="registration-form"' not in page
    assert client.post(url, form_data(good_rows(world, second_cell))).status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("page", ["submit", "return", "copy"])
def test_actions_refuse_get(
    world: World, issued: Plan, second_cell: Organization, page: str
) -> None:
    _method, url = _urls(world, issued, save(world, issued, second_cell))[page]
    assert client_for(world.officer).get(url).status_code == 405


def test_secretary_cannot_return(world: World, issued: Plan, second_cell: Organization) -> None:
    registration = save(world, issued, second_cell)
    submit(world, registration, at(2025, 2, 10, 9, 0))
    url = reverse("plans:registration_return", args=[registration.pk])
    response = client_for(world.commune_secretary).post(url, {"comment": "Sửa lại."})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED


# --- The plan page's actions ------------------------------------------------------------------


def plan_page(user: User, plan: Plan) -> str:
    response = client_for(user).get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return text_of(response)


def test_plan_page_offers_the_committee_its_registration(world: World, issued: Plan) -> None:
    page = plan_page(world.commune_secretary, issued)
    row = page.split('data-testid="obligation-row"')[1].split("</li>")[0]
    assert "Đảng bộ xã An" in row
    assert "trước ngày 20/02/2025" in row
    assert t("last day %(day)s", day="19/02/2025") in row
    assert t("Not registered yet") in row
    assert f'href="{edit_url(issued, world.commune_a)}"' in row
    assert t("Register list and schedule") in row
    assert page.count('data-testid="obligation-row"') == 1
    assert 'data-testid="progress-link"' in page
    assert 'data-testid="issue-button"' not in page
    assert 'data-testid="copy-form"' not in page


def test_plan_page_shows_the_state_of_the_registration(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    submit(world, save(world, issued, second_cell), at(2025, 2, 10, 9, 0))
    row = plan_page(world.commune_secretary, issued).split('data-testid="obligation-row"')[1]
    assert str(Registration.Status.SUBMITTED.label) in row
    assert t("on time") in row
    assert t("View the registration") in row


def test_plan_page_offers_issue_and_copy_to_managers_of_a_draft(world: World) -> None:
    draft = make_plan(world, status=Plan.Status.DRAFT)
    page = plan_page(world.officer, draft)
    assert 'data-testid="issue-button"' in page
    assert f'action="{reverse("meetings:plan_issue", args=[draft.pk])}"' in page
    assert f'action="{reverse("plans:plan_copy", args=[draft.pk])}"' in page
    assert 'name="year"' in page
    assert 'data-testid="progress-link"' not in page


def test_copy_year_defaults_to_next_year(world: World, issued: Plan) -> None:
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        page = plan_page(world.officer, issued)
    assert 'name="year" value="2027"' in page


def test_issued_plan_offers_progress_and_copy_but_not_issue(world: World, issued: Plan) -> None:
    page = plan_page(world.officer, issued)
    assert f'href="{reverse("reports:plan_progress", args=[issued.pk])}"' in page
    assert 'data-testid="copy-form"' in page
    assert 'data-testid="issue-button"' not in page
    # The issuer's managers follow every committee on the dashboard, not on the plan page.
    assert 'data-testid="obligation-row"' not in page


def test_reader_of_an_issued_plan_gets_progress_only(world: World, issued: Plan) -> None:
    page = plan_page(world.overseer, issued)
    assert 'data-testid="progress-link"' in page
    assert 'data-testid="copy-form"' not in page
    assert 'data-testid="issue-button"' not in page
    assert 'data-testid="obligation-row"' not in page


# --- Copying ------------------------------------------------------------------------------------


def copy(client: Client, plan: Plan, year: object) -> Any:
    return client.post(reverse("plans:plan_copy", args=[plan.pk]), {"year": year}, follow=True)


def test_copy_makes_a_draft_and_opens_it(world: World, issued: Plan) -> None:
    response = copy(client_for(world.officer), issued, 2027)
    new = Plan.objects.get(year=2027)
    assert response.redirect_chain == [(reverse("plans:plan_detail", args=[new.pk]), 302)]
    assert new.status == Plan.Status.DRAFT
    assert new.copied_from == issued
    assert str(PLAN_COPIED).format(year=2027) in text_of(response)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2025, str(services.PLAN_COPY_YEAR)),
        ("năm sau", "Enter a whole number."),
        (1999, "Ensure this value is greater than or equal to %(limit_value)s."),
    ],
)
def test_copy_to_a_bad_year_is_refused(
    world: World, issued: Plan, year: object, message: str
) -> None:
    response = copy(client_for(world.officer), issued, year)
    assert response.redirect_chain == [(reverse("plans:plan_detail", args=[issued.pk]), 302)]
    expected = gettext(message) % {"limit_value": 2000} if "%" in message else gettext(message)
    assert expected in text_of(response)
    assert Plan.objects.count() == 1


def test_copy_to_a_year_already_copied_to_is_refused(world: World, issued: Plan) -> None:
    client = client_for(world.officer)
    copy(client, issued, 2027)
    response = copy(client, issued, 2027)
    assert str(services.PLAN_NUMBER_TAKEN).format(year=2027) in text_of(response)
    assert Plan.objects.count() == 2


@pytest.mark.parametrize("who", ["commune_secretary", "overseer"])
def test_only_managers_copy(world: World, issued: Plan, who: str) -> None:
    response = client_for(getattr(world, who)).post(
        reverse("plans:plan_copy", args=[issued.pk]), {"year": 2027}
    )
    assert response.status_code == 404
    assert Plan.objects.count() == 1


# --- The registration page ----------------------------------------------------------------------


def test_form_has_one_row_per_cell_asked(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    page = text_of(client_for(world.commune_secretary).get(edit_url(issued, world.commune_a)))
    assert page.count('data-testid="registration-row"') == 2
    assert page.count('type="date"') == 2
    assert page.count('type="time"') == 2
    assert f'<option value="{world.cell_a.pk}">Chi bộ bản Một</option>' in page
    assert f'<option value="{second_cell.pk}">Chi bộ bản Hai An</option>' in page
    assert "Chi bộ bản Hai<" not in page  # commune B's cell
    # A new list starts with the quota's types in order.
    regular, thematic = MeetingType.REGULAR.label, MeetingType.THEMATIC.label
    assert f'<option value="regular" selected>{regular}</option>' in page
    assert f'<option value="thematic" selected>{thematic}</option>' in page
    assert "01/03/2025" in page
    assert "31/03/2025" in page
    assert "trước ngày 20/02/2025" in page
    assert 'data-testid="send-card"' not in page


def test_saving_a_valid_list_keeps_a_draft_and_offers_to_send(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    client = client_for(world.commune_secretary)
    url = edit_url(issued, world.commune_a)
    response = client.post(url, form_data(good_rows(world, second_cell)), follow=True)
    assert response.redirect_chain == [(url, 302)]
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.DRAFT
    items = list(registration.items.order_by("starts_at").values_list("cell", "starts_at"))
    assert items == [
        (world.cell_a.pk, at(2025, 3, 10, 8, 0)),
        (second_cell.pk, at(2025, 3, 20, 14, 30)),
    ]
    page = text_of(response)
    assert str(REGISTRATION_SAVED) in page
    assert 'data-testid="send-card"' in page
    assert reverse("plans:registration_submit", args=[registration.pk]) in page
    # The saved list fills the form again.
    assert 'value="2025-03-20"' in page
    assert 'value="14:30"' in page
    assert 'value="Nhà văn hóa bản Hai An"' in page
    assert f'<option value="{second_cell.pk}" selected>' in page


def _types_message() -> str:
    labels = [str(kind.label).lower() for kind in (MeetingType.REGULAR, MeetingType.THEMATIC)]
    return str(services.REGISTRATION_TYPES).format(types=", ".join(labels))


def _bad_rows(world: World, second: Organization, case: str) -> tuple[list[dict[str, Any]], str]:
    rows = good_rows(world, second)
    if case == "april":
        rows[1]["day"] = "2025-04-02"
        message = str(services.REGISTRATION_DATE_OUTSIDE).format(
            cell="Chi bộ bản Hai An", day="02/04/2025", start="01/03/2025", end="31/03/2025"
        )
    elif case == "types":
        rows[1]["meeting_type"] = "regular"
        message = _types_message()
    else:
        rows[1]["cell"] = world.cell_b.pk
        message = str(services.REGISTRATION_CELL_NOT_OWN).format(
            cell=str(services.REGISTRATION_CELL_BY_ID).format(id=world.cell_b.pk),
            org="Đảng bộ xã An",
        )
    return rows, message


@pytest.mark.parametrize("case", ["april", "types", "other_commune_cell"])
def test_invalid_list_is_refused_with_the_message_and_keeps_the_values(
    world: World, issued: Plan, second_cell: Organization, case: str
) -> None:
    rows, message = _bad_rows(world, second_cell, case)
    response = client_for(world.commune_secretary).post(
        edit_url(issued, world.commune_a), form_data(rows)
    )
    assert response.status_code == 200
    page = text_of(response)
    problems = page.split('data-testid="registration-problems"')[1].split("</div>\n")[1]
    assert message in problems
    assert f'value="{rows[1]["day"]}"' in page
    assert 'value="Nhà văn hóa bản Hai An"' in page
    assert 'data-testid="send-card"' not in page
    assert Registration.objects.count() == 0
    assert RegistrationItem.objects.count() == 0


def test_invalid_correction_leaves_the_saved_list_as_it_was(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    before = list(registration.items.values_list("cell", "meeting_type", "starts_at", "venue"))
    rows, message = _bad_rows(world, second_cell, "april")
    response = client_for(world.commune_secretary).post(
        edit_url(issued, world.commune_a), form_data(rows)
    )
    assert message in text_of(response)
    after = list(registration.items.values_list("cell", "meeting_type", "starts_at", "venue"))
    assert after == before
    assert RegistrationItem.objects.count() == 2


def test_incomplete_row_is_refused_before_the_rules(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    rows = good_rows(world, second_cell)
    rows[0]["day"] = ""
    response = client_for(world.commune_secretary).post(
        edit_url(issued, world.commune_a), form_data(rows)
    )
    page = text_of(response)
    assert str(ROWS_INCOMPLETE) in page
    assert t("This field is required.") in page
    assert 'value="Nhà văn hóa bản Một"' in page
    assert Registration.objects.count() == 0


def test_sending_marks_on_time_and_shows_the_list_read_only(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    client = client_for(world.commune_secretary)
    url = reverse("plans:registration_submit", args=[registration.pk])
    with time_machine.travel(at(2025, 2, 19, 23, 59), tick=False):
        response = client.post(url, follow=True)
    url_edit = edit_url(issued, world.commune_a)
    assert response.redirect_chain == [(url_edit, 302)]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.on_time is True
    assert registration.submitted_by == world.commune_secretary
    page = text_of(response)
    assert str(REGISTRATION_SENT) in page
    assert 'data-testid="registration-form"' not in page
    assert str(Registration.Status.SUBMITTED.label) in page
    assert t("on time") in page
    who = str(world.commune_secretary)
    assert t("Sent by %(who)s at %(when)s", who=who, when="19/02/2025 23:59") in page
    assert "10/03/2025 08:00" in page
    assert "Chi bộ bản Hai An" in page


def test_sending_after_the_deadline_is_late(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    client = client_for(world.commune_secretary)
    with time_machine.travel(at(2025, 2, 20, 0, 0), tick=False):
        page = text_of(client.get(edit_url(issued, world.commune_a)))
        assert t("The deadline has passed: the list will be marked late when sent.") in page
        client.post(reverse("plans:registration_submit", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.on_time is False


def test_sending_twice_is_refused_with_the_message(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    submit(world, registration, at(2025, 2, 10, 9, 0))
    response = client_for(world.commune_secretary).post(
        reverse("plans:registration_submit", args=[registration.pk]), follow=True
    )
    assert str(services.REGISTRATION_NOT_SUBMITTABLE) in text_of(response)
    assert registration.versions.count() == 1


# --- Review -------------------------------------------------------------------------------------


def give_back(world: World, registration: Registration, comment: str) -> Any:
    url = reverse("plans:registration_return", args=[registration.pk])
    return client_for(world.officer).post(url, {"comment": comment}, follow=True)


def test_returned_registration_shows_the_comment_and_is_editable_again(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    submit(world, registration, at(2025, 2, 10, 9, 0))
    response = give_back(world, registration, "Lùi buổi chuyên đề sang tuần thứ ba.")
    assert response.redirect_chain == [(detail_url(registration), 302)]
    assert str(REGISTRATION_RETURNED).format(org="Đảng bộ xã An") in text_of(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.RETURNED
    page = text_of(client_for(world.commune_secretary).get(edit_url(issued, world.commune_a)))
    comment = page.split('data-testid="review-comment"')[1]
    assert "Lùi buổi chuyên đề sang tuần thứ ba." in comment
    assert 'data-testid="registration-form"' in page
    assert 'data-testid="send-card"' in page


def test_return_needs_a_comment(world: World, issued: Plan, second_cell: Organization) -> None:
    registration = save(world, issued, second_cell)
    submit(world, registration, at(2025, 2, 10, 9, 0))
    response = give_back(world, registration, "   ")
    assert str(services.REGISTRATION_RETURN_NEEDS_COMMENT) in text_of(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED


def test_detail_shows_items_and_every_version(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    submit(world, registration, at(2025, 2, 10, 9, 0))
    with time_machine.travel(at(2025, 2, 11, 10, 0), tick=False):
        give_back(world, registration, "Ghi rõ địa điểm.")
    registration.refresh_from_db()
    submit(world, registration, at(2025, 2, 12, 15, 5))
    page = text_of(client_for(world.commune_secretary).get(detail_url(registration)))
    history = page.split('data-testid="registration-history"')[1]
    assert history.count('data-testid="registration-version"') == 3
    assert history.index("10/02/2025 09:00") < history.index("Ghi rõ địa điểm.")
    assert history.index("Ghi rõ địa điểm.") < history.index("12/02/2025 15:05")
    assert t("version %(number)s", number=2) in history
    thematic = MeetingType.THEMATIC.label
    assert f"Chi bộ bản Hai An · {thematic} · 20/03/2025 14:30" in history
    assert str(world.officer) in history
    # The secretary reads the history but does not review.
    assert 'data-testid="review-card"' not in page
    assert "20/03/2025 14:30" in page.split('data-testid="registration-items"')[1]


def test_detail_offers_review_to_the_board_only_when_sent(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = save(world, issued, second_cell)
    client = client_for(world.officer)
    assert 'data-testid="review-card"' not in text_of(client.get(detail_url(registration)))
    submit(world, registration, at(2025, 2, 10, 9, 0))
    page = text_of(client.get(detail_url(registration)))
    review = page.split('data-testid="review-card"')[1]
    assert reverse("meetings:registration_accept", args=[registration.pk]) in review
    assert reverse("plans:registration_return", args=[registration.pk]) in review


# --- Cost -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rounds", [1, 4])
def test_page_queries_do_not_grow_with_versions(
    world: World,
    issued: Plan,
    second_cell: Organization,
    rounds: int,
    django_assert_max_num_queries: Any,
) -> None:
    registration = save(world, issued, second_cell)
    for day in range(rounds):
        submit(world, registration, at(2025, 2, 10 + day, 9, 0))
        services.registration_return(actor=None, registration=registration, comment="Sửa.")
    client = client_for(world.commune_secretary)
    with django_assert_max_num_queries(EDIT_PAGE_MAX_QUERIES):
        response = client.get(edit_url(issued, world.commune_a))
    assert response.status_code == 200
    with django_assert_max_num_queries(DETAIL_PAGE_MAX_QUERIES):
        response = client.get(detail_url(registration))
    assert text_of(response).count('data-testid="registration-version"') == 2 * rounds


def test_plan_page_queries_for_a_committee(
    world: World, issued: Plan, second_cell: Organization, django_assert_max_num_queries: Any
) -> None:
    save(world, issued, second_cell)
    client = client_for(world.commune_secretary)
    with django_assert_max_num_queries(PLAN_PAGE_MAX_QUERIES):
        response = client.get(reverse("plans:plan_detail", args=[issued.pk]))
    assert text_of(response).count('data-testid="obligation-row"') == 1


def test_date_pickers_open_inside_the_plans_window(world: World, issued: Plan) -> None:
    page = client_for(world.commune_secretary).get(edit_url(issued, world.commune_a))
    html = page.content.decode()
    days = re.findall(r'<input type="date" name="items-\d-day"[^>]*>', html)
    assert len(days) == 2
    assert all('min="2025-03-01"' in day and 'max="2025-03-31"' in day for day in days)
