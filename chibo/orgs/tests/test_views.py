import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from chibo.accounts.models import User
from chibo.orgs.models import Organization, Person, Position
from chibo.orgs.tests.factories import PersonFactory, give_post, make_body, make_org
from conftest import World

pytestmark = pytest.mark.django_db

# Session, user, the scope (positions, assignments, home cell), then the page's own reads;
# two to spare for what the shared frame may add (the unread count), far below one per row.
LIST_PAGE_MAX_QUERIES = 9
DETAIL_PAGE_MAX_QUERIES = 14


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tree_url(**params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("orgs:org_tree") + (f"?{query}" if query else "")


def detail_url(organization: Organization) -> str:
    return reverse("orgs:org_detail", args=[organization.pk])


def add_cells(parent: Organization, count: int, prefix: str = "Chi bộ thêm") -> None:
    for number in range(count):
        make_org(parent, f"{parent.code}-X{number}", f"{prefix} {number}", "chi_bo_truc_thuoc")


def indentation(html: str, name: str) -> int:
    """The outline level of the row that shows `name`."""
    match = re.search(rf'style="--level: (\d+)">(?:(?!</a>).)*?{re.escape(name)}<', html, re.S)
    assert match, f"{name} is not in the outline"
    return int(match.group(1))


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["tree", "detail"])
def test_anonymous_is_sent_to_login(world: World, page: str) -> None:
    url = tree_url() if page == "tree" else detail_url(world.district)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("org", ["district", "cell_a", "district_cell"])
def test_outsider_gets_404(world: World, org: str) -> None:
    response = client_for(world.outsider).get(detail_url(getattr(world, org)))
    assert response.status_code == 404


def test_missing_org_gets_404(world: World) -> None:
    response = client_for(world.officer).get(reverse("orgs:org_detail", args=[999_999]))
    assert response.status_code == 404


def test_outsider_tree_shows_only_own_district(world: World) -> None:
    html = client_for(world.outsider).get(tree_url()).content.decode()
    assert "Chi bộ bản Ba" in html
    assert "Đảng bộ huyện Đông" not in html
    assert "Chi bộ bản Một" not in html


def test_account_without_scope_sees_empty_tree(world: World) -> None:
    response = client_for(world.nobody).get(tree_url())
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()


# --- The tree ---------------------------------------------------------------------------------


def test_tree_indents_by_depth_from_the_top_of_scope(world: World) -> None:
    html = client_for(world.officer).get(tree_url()).content.decode()
    assert indentation(html, "Đảng bộ huyện Đông") == 0
    assert indentation(html, "Đảng bộ xã An") == 1
    assert indentation(html, "Chi bộ bản Một") == 2
    assert "Đảng bộ tỉnh Thử" not in html


def test_tree_lists_in_path_order(world: World) -> None:
    html = client_for(world.officer).get(tree_url()).content.decode()
    positions = [
        html.index(name) for name in ("Đảng bộ xã An", "Chi bộ bản Một", "Đảng bộ xã Bình")
    ]
    assert positions == sorted(positions)


def test_cell_secretary_tree_starts_at_the_cell(world: World) -> None:
    html = client_for(world.cell_secretary).get(tree_url()).content.decode()
    assert indentation(html, "Chi bộ bản Một") == 0


def test_dissolved_org_has_badge(world: World) -> None:
    world.commune_b.valid_to = dt.date(2025, 6, 30)
    world.commune_b.save()
    html = client_for(world.officer).get(tree_url()).content.decode()
    assert html.count("đã giải thể") == 1


def test_tree_is_paginated(world: World, settings: object) -> None:
    settings.CHIBO_PAGE_SIZE = 3  # type: ignore[attr-defined]
    client = client_for(world.officer)
    first = client.get(tree_url()).content.decode()
    second = client.get(tree_url(page="2")).content.decode()
    assert "Đảng bộ huyện Đông" in first
    assert "Chi bộ bản Một" in first
    assert "Đảng bộ xã Bình" not in first
    assert "Trang 1/2" in first
    assert "Đảng bộ xã Bình" in second
    # The second page begins inside the district: the trail shows where.
    assert f'href="{detail_url(world.district)}"' in second


def test_tree_page_beyond_the_end_shows_the_last_page(world: World, settings: object) -> None:
    settings.CHIBO_PAGE_SIZE = 3  # type: ignore[attr-defined]
    html = client_for(world.officer).get(tree_url(page="99")).content.decode()
    assert "Trang 2/2" in html


@pytest.mark.parametrize("extra", [5, 30])
def test_tree_query_count_does_not_grow(
    world: World, extra: int, django_assert_max_num_queries: object
) -> None:
    add_cells(world.commune_a, extra)
    client = client_for(world.officer)
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(tree_url())
    assert response.content.decode().count("Chi bộ thêm") == extra


# --- Search -----------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_shows_parent(world: World) -> None:
    html = client_for(world.officer).get(tree_url(q="ban mot")).content.decode()
    results = html.split('data-testid="org-search-results"')[1]
    assert "Chi bộ bản Một" in results
    assert "Chi bộ bản Hai" not in results
    # The parent's name is shown beside each result.
    assert "Đảng bộ xã An" in results


def test_search_orders_in_vietnamese_alphabetical_order(world: World) -> None:
    for code, name in [("Z1", "Chi bộ Đồng"), ("Z2", "Chi bộ Dương"), ("Z3", "Chi bộ Ân")]:
        make_org(world.commune_a, code, name, "chi_bo_truc_thuoc")
    html = client_for(world.officer).get(tree_url(q="chi bo")).content.decode()
    names = ["Chi bộ Ân", "Chi bộ bản Hai", "Chi bộ bản Một", "Chi bộ Dương", "Chi bộ Đồng"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)


def test_search_is_limited_to_scope(world: World) -> None:
    html = client_for(world.officer).get(tree_url(q="ech")).content.decode()
    assert "Đảng bộ xã Ếch" not in html
    assert 'data-testid="empty-state"' in html


def test_search_without_match_shows_empty_state(world: World) -> None:
    html = client_for(world.officer).get(tree_url(q="khong co")).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "Không có tổ chức nào khớp" in html


def test_htmx_search_returns_only_the_results(world: World) -> None:
    response = client_for(world.officer).get(
        tree_url(q="ban mot"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="org-results"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Chi bộ bản Một" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_request_for_another_target_gets_the_full_page(world: World) -> None:
    response = client_for(world.officer).get(tree_url(q="ban mot"), HTTP_HX_REQUEST="true")
    assert "<html" in response.content.decode()


def test_search_box_triggers_htmx_and_works_without_it(world: World) -> None:
    html = client_for(world.officer).get(tree_url()).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#org-results"' in html
    assert f'<form method="get" action="{tree_url()}"' in html


@pytest.mark.parametrize("extra", [5, 30])
def test_search_query_count_does_not_grow(
    world: World, extra: int, django_assert_max_num_queries: object
) -> None:
    add_cells(world.commune_a, extra)
    client = client_for(world.officer)
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(tree_url(q="them"))
    assert response.content.decode().count("Chi bộ thêm") == extra


# --- One organization ---------------------------------------------------------------------------


def test_detail_breadcrumbs_link_only_inside_scope(world: World) -> None:
    html = client_for(world.officer).get(detail_url(world.cell_a)).content.decode()
    breadcrumb = html.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert "Đảng bộ tỉnh Thử" in breadcrumb
    assert f'href="{detail_url(world.province)}"' not in breadcrumb
    assert f'href="{detail_url(world.district)}"' in breadcrumb
    assert f'href="{detail_url(world.commune_a)}"' in breadcrumb


def test_detail_shows_the_organization(world: World) -> None:
    html = client_for(world.officer).get(detail_url(world.district)).content.decode()
    for text in ("Đảng bộ huyện Đông", "Huyện ủy Đông", "Đảng bộ cấp trên cơ sở", "HU", "D"):
        assert text in html
    # Its children link to their pages.
    assert f'href="{detail_url(world.commune_a)}"' in html
    assert f'href="{detail_url(world.district_cell)}"' in html


def test_posts_held_outside_any_body_are_shown(world: World) -> None:
    holder = Person.objects.create(code="OWN-1", full_name="Phàn Thị Dung", home_cell=world.cell_a)
    Position.objects.create(
        person=holder, organization=world.cell_a, body=None, role=Position.Role.SECRETARY
    )
    html = client_for(world.officer).get(detail_url(world.cell_a)).content.decode()
    own = html.split('data-testid="own-posts"')[1].split("</section>")[0]
    assert "Phàn Thị Dung" in own
    assert "Bí thư" in own


def test_detail_shows_validity_dates(world: World) -> None:
    world.commune_b.valid_from = dt.date(2020, 1, 1)
    world.commune_b.valid_to = dt.date(2025, 6, 30)
    world.commune_b.save()
    html = client_for(world.officer).get(detail_url(world.commune_b)).content.decode()
    assert "01/01/2020" in html
    assert "30/06/2025" in html
    assert "đã giải thể" in html


def test_detail_shows_bodies_with_active_posts(world: World) -> None:
    officer_name = world.officer.person.full_name  # type: ignore[union-attr]
    former = PersonFactory(full_name="Người Đã Nghỉ")
    post = give_post(former, world.district, Position.Role.HEAD, world.org_board)
    post.start_on, post.end_on = dt.date(2015, 1, 1), dt.date(2020, 1, 1)
    post.save()
    html = client_for(world.officer).get(detail_url(world.district)).content.decode()
    assert "Ban Tổ chức Huyện ủy" in html
    assert "Thường trực Huyện ủy" in html
    assert officer_name in html
    assert "Người Đã Nghỉ" not in html


def test_detail_lists_members_in_vietnamese_name_order(world: World) -> None:
    for name in ("Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Đức", "Phạm Thị Dung"):
        PersonFactory(full_name=name, home_cell=world.cell_b)
    html = client_for(world.officer).get(detail_url(world.cell_b)).content.decode()
    names = ["Lê Thị An", "Trần Văn Bình", "Phạm Thị Dung", "Nguyễn Văn Đức"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)


def test_detail_members_are_paginated(world: World, settings: object) -> None:
    settings.CHIBO_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for name in ("Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Đức"):
        PersonFactory(full_name=name, home_cell=world.cell_b)
    client = client_for(world.officer)
    first = client.get(detail_url(world.cell_b)).content.decode()
    second = client.get(detail_url(world.cell_b) + "?page=2").content.decode()
    assert "Lê Thị An" in first
    assert "Nguyễn Văn Đức" not in first
    assert "Nguyễn Văn Đức" in second
    assert "#members" in first


@pytest.mark.parametrize("extra", [5, 30])
def test_detail_query_count_does_not_grow(
    world: World, extra: int, django_assert_max_num_queries: object
) -> None:
    add_cells(world.commune_b, extra)
    board = make_body(world.commune_b, "bch", "Ban Chấp hành Đảng bộ xã Bình")
    make_body(world.commune_b, "ban_to_chuc", "Ban Tổ chức Đảng ủy xã Bình")
    for _ in range(extra):
        give_post(PersonFactory(home_cell=world.commune_b), world.commune_b, "uy_vien", board)
    client = client_for(world.officer)
    with django_assert_max_num_queries(DETAIL_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(detail_url(world.commune_b))
    html = response.content.decode()
    assert html.count("Chi bộ thêm") == extra
    assert html.count("Ủy viên") == extra


# --- The frame every page shares ------------------------------------------------------------------


def test_page_frame_has_language_navigation_and_logout_form(world: World) -> None:
    html = client_for(world.officer).get(tree_url()).content.decode()
    assert '<html lang="vi">' in html
    assert f'href="{reverse("plans:plan_list")}"' in html
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("admin:index") not in html


def test_staff_see_the_admin_link(world: World) -> None:
    world.officer.is_staff = True
    world.officer.save()
    html = client_for(world.officer).get(tree_url()).content.decode()
    assert f'href="{reverse("admin:index")}"' in html


def test_logout_is_a_post(world: World) -> None:
    client = client_for(world.officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(tree_url()).status_code == 302


def test_login_page_shows_a_wrong_password(world: World) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "officer", "password": "not-this"}
    )
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()


def test_login_sends_to_the_page_asked_for(world: World) -> None:
    response = Client().post(
        reverse("accounts:login"),
        {"username": "officer", "password": "pw-123456", "next": tree_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == tree_url()


def test_server_error_page_stands_alone() -> None:
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "<html" in html
    assert "{%" not in html
