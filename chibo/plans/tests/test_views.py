import datetime as dt
import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from chibo.accounts.models import User
from chibo.plans.document_text import BlockKind, document_date, plan_document_blocks
from chibo.plans.models import Plan
from chibo.plans.selectors import plan_get
from chibo.plans.services import DutyData
from chibo.plans.tests.factories import designated, make_plan, plan_data
from conftest import World

pytestmark = pytest.mark.django_db

# Session, user, the scope (positions, assignments, home cell), then the page's own reads;
# two to spare for what the shared frame may add (the unread count), far below one per row.
LIST_PAGE_MAX_QUERIES = 9
# The same plus the plan's prefetches and one query for the invitees' organizations.
DETAIL_PAGE_MAX_QUERIES = 19


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def list_url() -> str:
    return reverse("plans:plan_list")


def detail_url(plan: Plan) -> str:
    return reverse("plans:plan_detail", args=[plan.pk])


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "detail"])
def test_anonymous_is_sent_to_login(world: World, page: str) -> None:
    url = list_url() if page == "list" else detail_url(make_plan(world))
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404(world: World) -> None:
    plan = make_plan(world)
    response = client_for(world.outsider).get(detail_url(plan))
    assert response.status_code == 404


def test_outsider_list_does_not_show_the_plan(world: World) -> None:
    make_plan(world)
    text = page_text(client_for(world.outsider), list_url())
    assert "332-KH/HU" not in text
    assert 'data-testid="empty-state"' in text


def test_missing_plan_gets_404(world: World) -> None:
    response = client_for(world.officer).get(reverse("plans:plan_detail", args=[999_999]))
    assert response.status_code == 404


def test_draft_is_hidden_from_the_organizations_below(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    assert client_for(world.commune_secretary).get(detail_url(plan)).status_code == 404
    assert client_for(world.officer).get(detail_url(plan)).status_code == 200


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_number_title_issuer_date_and_status(world: World) -> None:
    plan = make_plan(world)
    text = page_text(client_for(world.cell_secretary), list_url())
    assert "332-KH/HU" in text
    assert "Tổ chức sinh hoạt chi bộ mẫu năm 2025" in text
    assert "Ban Thường vụ Huyện ủy" in text
    assert "20/01/2025" in text
    assert str(plan.get_status_display()) in text
    assert f'href="{detail_url(plan)}"' in text


def test_list_is_newest_first(world: World) -> None:
    make_plan(world, number=10, issued_on=dt.date(2025, 1, 5))
    make_plan(world, number=20, issued_on=dt.date(2025, 3, 5))
    text = page_text(client_for(world.officer), list_url())
    assert text.index("20-KH/HU") < text.index("10-KH/HU")


def test_list_is_paginated(world: World, settings: object) -> None:
    settings.CHIBO_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for number in (1, 2, 3):
        make_plan(world, number=number, issued_on=dt.date(2025, 1, number))
    client = client_for(world.officer)
    first = page_text(client, list_url())
    second = page_text(client, list_url() + "?page=2")
    assert "3-KH/HU" in first
    assert "1-KH/HU" not in first
    assert "1-KH/HU" in second


def test_empty_list_shows_empty_state(world: World) -> None:
    text = page_text(client_for(world.officer), list_url())
    assert 'data-testid="empty-state"' in text


@pytest.mark.parametrize("count", [5, 30])
def test_list_query_count_does_not_grow(
    world: World, count: int, django_assert_max_num_queries: object
) -> None:
    for number in range(1, count + 1):
        make_plan(world, number=number)
    client = client_for(world.officer)
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(list_url())
    assert response.content.decode().count("-KH/HU") == count


# --- One plan: the structured part --------------------------------------------------------------


def structured_part(text: str) -> str:
    return text.split('id="plan-data"')[1].split('id="plan-document"')[0]


def test_detail_shows_targets(world: World) -> None:
    plan = make_plan(world)
    data = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "Chi bộ phòng Kinh tế" in data
    assert "Mỗi đảng bộ cơ sở thuộc Đảng bộ huyện Đông lựa chọn 2 chi bộ trực thuộc" in data
    assert "Sinh hoạt thường kỳ" in data
    assert "Sinh hoạt chuyên đề" in data
    assert "01/03/2025–31/03/2025" in data


def test_detail_describes_invitees_in_vietnamese(world: World) -> None:
    plan = make_plan(world)
    data = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "Thường trực Huyện ủy Đông" in data
    assert "Ban Chấp hành đảng bộ cơ sở" in data
    assert "Tổ dự, theo dõi, hướng dẫn sinh hoạt chi bộ được phân công theo dõi" in data


def test_detail_shows_deadline_and_last_day(world: World) -> None:
    plan = make_plan(world)
    data = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "trước ngày 20/02/2025" in data
    assert "hạn cuối 19/02/2025" in data
    assert "gửi về Ban Thường vụ Huyện ủy" in data
    assert "qua Ban Tổ chức Huyện ủy" in data


def test_deadline_by_end_of_day_keeps_the_day(world: World) -> None:
    data = plan_data(world)
    data.duties[0] = DutyData(
        what="báo cáo",
        to_body=data.duties[0].to_body,
        deadline=dt.date(2025, 2, 20),
        deadline_kind="by_end",
    )
    plan = make_plan(world, duties=data.duties)
    text = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "chậm nhất ngày 20/02/2025" in text
    assert "hạn cuối 20/02/2025" in text


def test_detail_shows_legal_bases_as_a_chain(world: World) -> None:
    plan = make_plan(world)
    data = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "Chỉ thị 10-CT/TW" in data
    assert "30/03/2007" in data
    assert "Kết luận 18-KL/TW" in data
    assert "thực hiện 10-CT/TW" in data


def test_detail_shows_recipients_and_signer(world: World) -> None:
    plan = make_plan(world)
    data = structured_part(page_text(client_for(world.officer), detail_url(plan)))
    assert "Các chi, đảng bộ cơ sở" in data
    assert "Nguyễn Văn Ký" in data
    assert "PHÓ BÍ THƯ" in data


@pytest.mark.parametrize("count", [2, 10])
def test_detail_query_count_does_not_grow_with_targets(
    world: World, count: int, django_assert_max_num_queries: object
) -> None:
    plan = make_plan(world, targets=[designated(world) for _ in range(count)])
    client = client_for(world.officer)
    with django_assert_max_num_queries(DETAIL_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(detail_url(plan))
    assert response.content.decode().count("Thường trực Huyện ủy Đông") == count


# --- One plan: the document text ------------------------------------------------------------------


def document_part(text: str) -> str:
    return text.split('data-testid="plan-document"')[1]


def test_detail_renders_the_document(world: World) -> None:
    plan = make_plan(
        world,
        sections=[
            ("implementation", "", "1. Các đảng ủy cơ sở gửi danh sách."),
            ("purpose", "", "1. Nhằm nâng cao nhận thức."),
            ("content", "1. Đối với các chi bộ cơ sở", "- Chọn chi bộ.\n- Thời gian."),
        ],
        preamble="Thực hiện Kết luận số 18-KL/TW, Ban Thường vụ Huyện ủy ban hành Kế hoạch.",
    )
    document = document_part(page_text(client_for(world.officer), detail_url(plan)))
    in_order = [
        "ĐẢNG BỘ TỈNH THỬ",
        "HUYỆN ỦY ĐÔNG",
        "*",
        "Số 332-KH/HU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đông, ngày 20 tháng 01 năm 2025",
        "KẾ HOẠCH",
        "tổ chức sinh hoạt chi bộ mẫu năm 2025",
        "-----",
        "Thực hiện Kết luận số 18-KL/TW",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Nhằm nâng cao nhận thức.",
        "II. NỘI DUNG",
        "1. Đối với các chi bộ cơ sở",
        "- Chọn chi bộ.",
        "- Thời gian.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các đảng ủy cơ sở gửi danh sách.",
        "Nơi nhận:",
        "- Các chi, đảng bộ cơ sở,",
        "- Lưu.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Ký",
    ]
    positions = [document.index(text) for text in in_order]
    assert positions == sorted(positions)


def test_document_words_stay_vietnamese_in_english(world: World) -> None:
    plan = make_plan(world)
    client = client_for(world.officer)
    client.cookies["django_language"] = "en"
    document = document_part(page_text(client, detail_url(plan)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in document
    assert "Nơi nhận:" in document


def test_document_numbers_only_the_parts_present(world: World) -> None:
    plan = make_plan(world, sections=[("implementation", "", "Triển khai.")])
    blocks = plan_document_blocks(plan_get(actor=world.officer, plan_id=plan.pk))
    headings = [block.text for block in blocks if block.kind == BlockKind.PART_HEADING]
    assert headings == ["I. TỔ CHỨC THỰC HIỆN"]


def test_document_ends_recipients_with_one_filed_copy(world: World) -> None:
    plan = make_plan(world, recipients=["Ban Tổ chức Tỉnh ủy,", "- Các chi bộ", "Lưu VP"])
    blocks = plan_document_blocks(plan_get(actor=world.officer, plan_id=plan.pk))
    closing = blocks[-1]
    assert closing.kind == BlockKind.CLOSING
    assert [line.text for line in closing.left] == [
        "Nơi nhận:",
        "- Ban Tổ chức Tỉnh ủy,",
        "- Các chi bộ,",
        "- Lưu VP.",
    ]


def test_document_header_rules_the_party_name(world: World) -> None:
    plan = make_plan(world)
    header = plan_document_blocks(plan_get(actor=world.officer, plan_id=plan.pk))[0]
    assert header.kind == BlockKind.HEADER
    assert [line.text for line in header.left] == [
        "ĐẢNG BỘ TỈNH THỬ",
        "HUYỆN ỦY ĐÔNG",
        "*",
        "Số 332-KH/HU",
    ]
    assert header.left[1].bold
    assert header.right[0].ruled


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 1, 20), "Tam Đường, ngày 20 tháng 01 năm 2025"),
        (dt.date(2025, 2, 5), "Tam Đường, ngày 05 tháng 02 năm 2025"),
        (dt.date(2025, 3, 9), "Tam Đường, ngày 09 tháng 3 năm 2025"),
        (dt.date(2025, 12, 31), "Tam Đường, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_document_date_pads_small_days_and_early_months(day: dt.date, expected: str) -> None:
    assert document_date("Tam Đường", day) == expected


def test_document_header_of_an_advisory_body_names_its_committee_above(world: World) -> None:
    plan = make_plan(world, issuer_body=world.org_board)
    header = plan_document_blocks(plan_get(actor=world.officer, plan_id=plan.pk))[0]
    assert [line.text for line in header.left][:2] == ["HUYỆN ỦY ĐÔNG", "BAN TỔ CHỨC HUYỆN ỦY"]
