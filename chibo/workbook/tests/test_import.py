# ruff: noqa: E501  (rows of a workbook and the exact Vietnamese messages read best one a line)
import datetime as dt
import io
import unicodedata
from typing import Any

import pytest

from chibo.core.errors import NotFound
from chibo.orgs.models import Body, Organization, Person, Position
from chibo.workbook import errors, services
from chibo.workbook.models import ImportRecord
from chibo.workbook.services import ImportOutcome
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes
from conftest import World

pytestmark = pytest.mark.django_db


def run(actor: Any, content: bytes, *, dry_run: bool = False) -> ImportOutcome:
    _record, outcome = services.workbook_import(
        actor=actor, stream=io.BytesIO(content), filename="so-lieu.xlsx", dry_run=dry_run
    )
    return outcome


def counts(outcome: ImportOutcome, what: str) -> tuple[int, int, int]:
    per_sheet = outcome.counts[what]
    return per_sheet["Tổ chức"], per_sheet["Đảng viên"], per_sheet["Chức vụ"]


def test_officer_imports_a_new_commune_with_cells_members_and_posts(world: World) -> None:
    content = workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)
    outcome = run(world.officer, content)
    assert outcome.errors == []
    assert outcome.imported
    assert counts(outcome, "created") == (3, 3, 3)
    commune = Organization.objects.get(code="CC")
    assert commune.parent == world.district
    assert Organization.objects.get_parent(commune) == world.district
    assert commune.kind.code == "dang_bo_co_so"
    assert commune.valid_from == dt.date(2025, 3, 1)
    assert [child.code for child in Organization.objects.get_children(commune)] == ["CC-1", "CC-2"]
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    world.district.refresh_from_db()
    assert world.district.numchild == 4
    assert commune.sort_key
    assert commune.search_text == "dang bo xa cat dang uy xa cat cc"
    mo = Person.objects.get(code="DV-002")
    assert mo.home_cell is not None
    assert mo.home_cell.code == "CC-1"
    assert (mo.gender, mo.birth_year, mo.membership, mo.exempt) == (
        "female",
        1992,
        "probationary",
        False,
    )
    assert mo.given_name == "Mơ"
    assert mo.sort_key
    assert Person.objects.get(code="DV-003").exempt is True
    secretary = Position.objects.get(person__code="DV-001", organization=commune)
    assert secretary.role == Position.Role.SECRETARY
    assert secretary.body is not None
    assert secretary.body.kind == Body.Kind.EXECUTIVE_COMMITTEE
    assert secretary.body.name == "Ban Chấp hành Đảng bộ xã Cát"
    ended = Position.objects.get(person__code="DV-003")
    assert ended.body is None
    assert ended.end_on == dt.date(2025, 12, 31)
    record = ImportRecord.objects.get()
    assert record.actor == world.officer
    assert (record.dry_run, record.status, record.rows) == (False, "imported", 9)
    assert record.filename == "so-lieu.xlsx"
    assert len(record.sha256) == 64
    assert record.counts["created"] == {"Tổ chức": 3, "Đảng viên": 3, "Chức vụ": 3}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world: World) -> None:
    content = workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)
    run(world.officer, content)
    before = tree_state()
    outcome = run(world.officer, content)
    assert outcome.errors == []
    assert counts(outcome, "unchanged") == (3, 3, 3)
    assert counts(outcome, "created") == counts(outcome, "updated") == (0, 0, 0)
    assert tree_state() == before


def test_dry_run_counts_and_writes_nothing(world: World) -> None:
    run(world.officer, workbook_bytes(NEW_COMMUNE[:2], NEW_MEMBERS[:1]))
    before = tree_state()
    changed = [("DV-001", "Lò Văn Hải", "Nam", 1981, None, None, "CC-1", "chính thức", "không")]
    content = workbook_bytes(NEW_COMMUNE, changed, NEW_POSITIONS[:2])
    outcome = run(world.officer, content, dry_run=True)
    assert outcome.errors == []
    assert not outcome.imported
    assert counts(outcome, "created") == (1, 0, 2)
    assert counts(outcome, "updated") == (0, 1, 0)
    assert counts(outcome, "unchanged") == (2, 0, 0)
    assert tree_state() == before
    record = ImportRecord.objects.latest("pk")
    assert (record.dry_run, record.status) == (True, "checked")


def test_existing_rows_are_updated_and_nothing_else_is_touched(world: World) -> None:
    run(world.officer, workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    untouched = Person.objects.filter(home_cell=world.cell_a).values_list("pk", "updated_at")
    untouched_before = list(untouched)
    renamed = [("CC-2", "CC", "Chi bộ thôn Hai Mới", "Chi bộ trực thuộc", None, "CB", None, None)]
    moved = [("DV-002", "Đinh Thị Mơ", "Nữ", 1992, None, None, "CC-2", "chính thức", "không")]
    closed = [("DV-003", "CC-2", "", "Bí thư", "01/03/2025", "30/06/2025")]
    outcome = run(world.officer, workbook_bytes(renamed, moved, closed))
    assert outcome.errors == []
    assert counts(outcome, "updated") == (1, 1, 1)
    cell = Organization.objects.get(code="CC-2")
    assert cell.name == "Chi bộ thôn Hai Mới"
    assert cell.search_text.startswith("chi bo thon hai moi")
    mo = Person.objects.get(code="DV-002")
    assert mo.home_cell == cell
    assert mo.membership == "full"
    assert Position.objects.get(person__code="DV-003").end_on == dt.date(2025, 6, 30)
    assert Organization.objects.filter(code__startswith="CC").count() == 3
    assert Person.objects.filter(code__startswith="DV-").count() == 3
    assert list(untouched) == untouched_before


def test_an_organization_moves_under_a_new_parent_with_its_subtree(world: World) -> None:
    rows = [
        ("CC", "D", "Đảng bộ xã Cát", "Đảng bộ cơ sở", None, None, None, None),
        ("CA", "CC", "Đảng bộ xã An", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None),
        ("CA-9", "CA", "Chi bộ bản Chín", "Chi bộ trực thuộc", None, None, None, None),
    ]
    outcome = run(world.officer, workbook_bytes(rows))
    assert outcome.errors == []
    assert counts(outcome, "updated") == (1, 0, 0)
    assert counts(outcome, "created") == (2, 0, 0)
    new_cell = Organization.objects.get(code="CA-9")
    assert new_cell.depth == 5
    assert new_cell.parent is not None
    assert new_cell.parent.code == "CA"
    commune_a = Organization.objects.get(code="CA")
    assert commune_a.parent is not None
    assert commune_a.parent.code == "CC"
    assert Organization.objects.get_parent(commune_a).code == "CC"
    assert Organization.objects.get_parent(Organization.objects.get(code="CA-1")) == commune_a
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_nfd_text_stray_spaces_and_case_are_read_as_written(world: World) -> None:
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    orgs = [
        (
            nfd("CC"),
            " D ",
            nfd("  Đảng bộ   xã Cát "),
            nfd(" đảng BỘ cơ sở "),
            None,
            None,
            None,
            None,
        ),
        ("CC-1", "CC", nfd("Chi bộ thôn Một"), nfd("CHI BỘ TRỰC THUỘC"), None, None, None, None),
    ]
    members = [
        (
            "DV-1",
            nfd("Lò Văn Hải"),
            nfd("nam"),
            None,
            None,
            None,
            "CC-1",
            nfd(" Dự bị "),
            nfd("KHÔNG"),
        )
    ]
    positions = [("DV-1", "CC-1", nfd("chi ỦY"), nfd("Uỷ viên"), None, None)]
    outcome = run(world.officer, workbook_bytes(orgs, members, positions))
    assert outcome.errors == []
    commune = Organization.objects.get(code="CC")
    assert commune.name == "Đảng bộ xã Cát"
    assert commune.name == unicodedata.normalize("NFC", commune.name)
    person = Person.objects.get(code="DV-1")
    assert (person.full_name, person.gender, person.membership) == (
        "Lò Văn Hải",
        "male",
        "probationary",
    )
    position = Position.objects.get(person=person)
    assert position.role == Position.Role.MEMBER
    assert position.body is not None
    assert position.body.kind == Body.Kind.CELL_COMMITTEE
    # The same rows in NFC change nothing.
    again = run(world.officer, workbook_bytes(NEW_COMMUNE[:1], [], []))
    assert counts(again, "updated") == (1, 0, 0)  # committee name and symbol were blank before


def test_positions_in_existing_bodies_are_matched_by_kind_or_full_name(world: World) -> None:
    positions = [
        ("DV-9", "D", "Ban Tổ chức Huyện ủy", "Trưởng ban", None, None),
        ("DV-9", "D", "Thường trực", "Phó Bí thư", None, None),
    ]
    members = [("DV-9", "Vàng Thị Dung", "Nữ", None, None, None, "D-KT", None, None)]
    outcome = run(world.officer, workbook_bytes([], members, positions))
    assert outcome.errors == []
    held = Position.objects.filter(person__code="DV-9").order_by("pk")
    assert [position.body for position in held] == [world.org_board, world.standing_office]


# --- Errors: every one reported, nothing written ------------------------------------------------


def errors_of(outcome: ImportOutcome) -> list[tuple[str, int | None, str, str, str]]:
    return [(e.sheet, e.row, e.column, e.value, e.message) for e in outcome.errors]


def assert_refused(actor: Any, content: bytes) -> list[tuple[str, int | None, str, str, str]]:
    before = tree_state()
    outcome = run(actor, content)
    assert not outcome.imported
    assert tree_state() == before
    record = ImportRecord.objects.latest("pk")
    assert (record.status, record.dry_run) == ("invalid", True)
    assert record.error_count == len(outcome.errors)
    return errors_of(outcome)


def test_a_broken_workbook_gets_every_error_at_once_and_changes_nothing(world: World) -> None:
    orgs = [
        ("X1", "NOPE", "Đảng bộ xã Một", "Đảng bộ cơ sở", None, None, None, None),  # row 2
        ("X2", "X3", "Chi bộ Hai", "Chi bộ trực thuộc", None, None, None, None),  # row 3
        ("X3", "X2", "Chi bộ Ba", "Chi bộ trực thuộc", None, None, None, None),  # row 4
        ("X4", "D", "Đảng bộ Bốn", "Đảng bộ phường", None, None, None, None),  # row 5
        ("X4", "D", "Đảng bộ Bốn", "Đảng bộ cơ sở", None, None, None, None),  # row 6
        ("X5", "D", "Đảng bộ Năm", "Đảng bộ cơ sở", None, None, "31/02/2025", None),  # row 7
        (
            "X6",
            "D",
            "Đảng bộ Sáu",
            "Đảng bộ cơ sở",
            None,
            None,
            "10/05/2025",
            "01/05/2025",
        ),  # row 8
        ("X7", "", "Tỉnh Bảy", "Đảng bộ tỉnh", None, None, None, None),  # row 9
        ("", "D", "", "Đảng bộ cơ sở", None, None, None, None),  # row 10
    ]
    members = [
        ("M1", "Lò Văn Một", "Nam", None, None, None, "CA", None, None),  # not a cell
        ("M2", "Lò Văn Hai", "Nam", None, None, None, "CA-1", "học viên", None),
        ("M3", "Lò Văn Ba", "Nam", "khoảng 1980", None, "ba@", "EA-1", None, None),
        ("M1", "Lò Văn Một", "Nam", None, None, None, "CA-1", None, None),
    ]
    positions = [
        ("M2", "CA-1", "Ban Kiểm điểm", "Bí thư", None, None),
        ("M2", "CA-1", "Chi ủy", "Trưởng thôn", None, None),
        ("M2", "CA-1", "Chi ủy", "Bí thư", "01/06/2025", "01/05/2025"),
        ("NOBODY", "E", "", "Bí thư", None, None),
        ("M2", "CA-1", "Chi ủy", "Bí thư", "01/06/2025", "01/05/2025"),
    ]
    found = assert_refused(world.officer, workbook_bytes(orgs, members, positions))
    kinds = (
        "Đảng bộ tỉnh, Đảng bộ cấp trên cơ sở, Đảng bộ cơ sở, Chi bộ cơ sở, Đảng bộ bộ phận, "
        "Chi bộ trực thuộc, Tổ đảng"
    )
    roles = (
        "Bí thư, Phó Bí thư, Ủy viên, Trưởng ban, Phó Trưởng ban, Chánh Văn phòng, "
        "Phó Chánh Văn phòng, Chủ nhiệm, Phó Chủ nhiệm, Công chức, Tổ trưởng, Thành viên"
    )
    bodies = (
        "Ban Chấp hành, Ban Thường vụ, Thường trực, Chi ủy, Ban Tổ chức, Ban Tuyên giáo và Dân vận, "
        "Ủy ban Kiểm tra, Văn phòng, Cơ quan tham mưu khác, Tổ công tác"
    )
    org, member, post = "Tổ chức", "Đảng viên", "Chức vụ"
    assert found == [
        (org, 2, "Mã cấp trên", "NOPE", "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo."),
        (org, 3, "Mã cấp trên", "X3", "Mã cấp trên đi vòng tròn: một tổ chức không thể nằm dưới chính nó."),
        (org, 4, "Mã cấp trên", "X2", "Mã cấp trên đi vòng tròn: một tổ chức không thể nằm dưới chính nó."),
        (org, 5, "Loại", "Đảng bộ phường", f"Loại tổ chức không có trong danh mục. Dùng một trong: {kinds}."),
        (org, 6, "Mã", "X4", "Mã này đã có ở dòng 5 của trang này."),
        (org, 7, "Ngày thành lập", "31/02/2025", "Ngày này không có thật hoặc không viết theo dạng dd/mm/yyyy."),
        (org, 8, "Ngày giải thể", "01/05/2025", "Ngày giải thể phải sau ngày thành lập."),
        (org, 9, "Mã cấp trên", "", "Chỉ quản trị hệ thống mới được tạo tổ chức cấp cao nhất."),
        (org, 10, "Mã", "", "Ô này không được để trống."),
        (org, 10, "Tên", "", "Ô này không được để trống."),
        (member, 2, "Mã chi bộ", "CA", "Tổ chức này không phải là chi bộ: đảng viên sinh hoạt ở một chi bộ."),
        (member, 3, "Loại đảng viên", "học viên", "Giá trị không có trong danh mục. Dùng một trong: chính thức, dự bị."),
        (member, 4, "Năm sinh", "khoảng 1980", "Năm sinh phải là một năm, ví dụ 1975."),
        (member, 4, "Email", "ba@", "Đây không phải là địa chỉ email."),
        (member, 4, "Mã chi bộ", "EA-1", "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo."),
        (member, 5, "Số thẻ", "M1", "Mã này đã có ở dòng 2 của trang này."),
        (post, 2, "Cơ quan", "Ban Kiểm điểm", f"Cơ quan không có trong danh mục. Dùng một trong: {bodies}, hoặc tên đầy đủ của một cơ quan của tổ chức."),
        (post, 3, "Chức vụ", "Trưởng thôn", f"Chức vụ không có trong danh mục. Dùng một trong: {roles}."),
        (post, 4, "Đến ngày", "01/05/2025", "Ngày kết thúc phải sau ngày bắt đầu."),
        (post, 5, "Số thẻ", "NOBODY", "Không có đảng viên nào mang số thẻ này, trong sổ tính hay trong chibo."),
        (post, 5, "Mã tổ chức", "E", "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo."),
        (post, 6, "Đến ngày", "01/05/2025", "Ngày kết thúc phải sau ngày bắt đầu."),
        (post, 6, "Chức vụ", "Bí thư", "Chức vụ này đã có ở dòng 4 của trang này."),
    ]  # fmt: skip


def test_english_messages_come_from_the_same_constants(world: World) -> None:
    from django.utils import translation

    with translation.override("en"):
        outcome = run(world.officer, workbook_bytes([("X", "NOPE", "Tên", "Đảng bộ cơ sở")]))
        expected = str(errors.ORG_MISSING)
    assert expected == "No organization has this code, in this workbook or in chibo."
    assert [error.message for error in outcome.errors] == [expected]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ho ten,So the\nLo Van Hai,1\n", errors.FILE_NOT_XLSX),
        (b"PK\x03\x04 but not really a zip file", errors.FILE_NOT_XLSX),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 500
            + "EncryptionInfo".encode("utf-16-le"),
            errors.FILE_ENCRYPTED,
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + b"Workbook", errors.FILE_NOT_XLSX),
    ],
    ids=["csv", "broken-zip", "encrypted", "old-xls"],
)
def test_a_file_that_is_no_workbook_gets_one_message(
    world: World, content: bytes, message: Any
) -> None:
    found = assert_refused(world.officer, content)
    assert found == [("", None, "", "", str(message))]


def test_missing_sheets_and_headers_get_one_message(world: World) -> None:
    from chibo.workbook import format as fmt

    only_orgs = workbook_bytes(sheets=[fmt.ORGS])
    assert assert_refused(world.officer, only_orgs) == [
        ("", None, "", "", "Sổ tính không có trang “Đảng viên”, “Chức vụ”. Hãy dùng sổ tính mẫu.")
    ]
    headers = {fmt.SHEET_MEMBERS: ["Số thẻ", "Họ và tên", "Giới tính"]}
    bad_headers = workbook_bytes(headers=headers)
    message = assert_refused(world.officer, bad_headers)[0][4]
    assert message.startswith(
        "Dòng đầu của trang “Đảng viên” thiếu tiêu đề “Năm sinh”, “Điện thoại”"
    )


def test_a_chart_sheet_under_a_sheet_name_gets_one_message(world: World) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    from chibo.workbook import format as fmt

    workbook = Workbook()
    for sheet in fmt.SHEETS:
        if sheet.name == fmt.SHEET_MEMBERS:
            workbook.create_chartsheet(sheet.name).add_chart(BarChart())
        else:
            workbook.create_sheet(sheet.name).append(list(sheet.headers))
    del workbook[workbook.sheetnames[0]]
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = str(errors.FILE_SHEET_NOT_TABLE).format(sheet=fmt.SHEET_MEMBERS)
    assert assert_refused(world.officer, buffer.getvalue()) == [("", None, "", "", message)]


def test_a_file_over_the_limit_gets_one_message(world: World, settings: Any) -> None:
    settings.CHIBO_IMPORT_MAX_MB = 0
    found = assert_refused(world.officer, workbook_bytes(NEW_COMMUNE))
    assert found == [("", None, "", "", "Tệp quá lớn: sổ tính chỉ được tối đa 0 MB.")]


def test_an_empty_workbook_gets_one_message(world: World) -> None:
    assert assert_refused(world.officer, workbook_bytes()) == [
        ("", None, "", "", str(errors.FILE_EMPTY))
    ]


def test_real_excel_dates_serial_numbers_and_text_dates_are_all_dates(world: World) -> None:
    orgs = [
        ("C1", "D", "Một", "Đảng bộ cơ sở", None, None, dt.date(2025, 2, 28), None),
        ("C2", "D", "Hai", "Đảng bộ cơ sở", None, None, 45716, None),  # 28/02/2025
        ("C3", "D", "Ba", "Đảng bộ cơ sở", None, None, "28/2/2025", None),
        ("C4", "D", "Bốn", "Đảng bộ cơ sở", None, None, dt.date(2025, 2, 28), "2025-03-01"),
    ]
    assert run(world.officer, workbook_bytes(orgs)).errors == []
    dates = set(
        Organization.objects.filter(code__in=["C1", "C2", "C3", "C4"]).values_list(
            "valid_from", flat=True
        )
    )
    assert dates == {dt.date(2025, 2, 28)}


# --- Scope -------------------------------------------------------------------------------------


def test_commune_secretary_imports_under_their_commune_only(world: World) -> None:
    inside = [("CA-2", "CA", "Chi bộ bản Hai Mới", "Chi bộ trực thuộc", None, None, None, None)]
    outcome = run(world.commune_secretary, workbook_bytes(inside))
    assert outcome.errors == []
    assert outcome.imported
    assert Organization.objects.get_parent(Organization.objects.get(code="CA-2")) == world.commune_a

    outside = [
        ("CB-2", "CB", "Chi bộ ở xã Bình", "Chi bộ trực thuộc", None, None, None, None),
        ("CA", "CB", "Đảng bộ xã An", "Đảng bộ cơ sở", None, None, None, None),
        ("CA-3", "CA", "Chi bộ bản Ba", "Chi bộ trực thuộc", None, None, None, None),
        ("CB-1", "CB", "Chi bộ bản Hai", "Chi bộ trực thuộc", None, "CB", None, None),
        ("CA-4", "CB-1", "Tổ đảng", "Tổ đảng", None, None, None, None),
    ]
    members = [
        ("N1", "Lò Văn Một", "Nam", None, None, None, "CB-1", None, None),
        ("N2", "Lò Văn Hai", "Nam", None, None, None, "CA-1", None, None),
    ]
    positions = [("N2", "CB", "Ban Chấp hành", "Ủy viên", None, None)]
    found = assert_refused(world.commune_secretary, workbook_bytes(outside, members, positions))
    scope_message = str(errors.OUT_OF_SCOPE)
    # What the secretary cannot see (commune B) answers as if it did not exist.
    missing = str(errors.ORG_MISSING)
    assert found == [
        ("Tổ chức", 2, "Mã cấp trên", "CB", missing),
        ("Tổ chức", 3, "Mã cấp trên", "CB", missing),
        # Under an organization whose move out of the commune is refused: outside too.
        ("Tổ chức", 4, "Mã cấp trên", "CA", scope_message),
        ("Tổ chức", 5, "Mã", "CB-1", str(errors.CODE_UNAVAILABLE)),
        # CB-1 is a row of this very workbook: that it is refused tells nothing new.
        ("Tổ chức", 6, "Mã cấp trên", "CB-1", scope_message),
        ("Đảng viên", 2, "Mã chi bộ", "CB-1", scope_message),
        ("Chức vụ", 2, "Mã tổ chức", "CB", missing),
    ]


def test_a_member_of_another_commune_cannot_be_moved_in(world: World) -> None:
    stranger = Person.objects.create(
        code="EA-DV", full_name="Sùng A Páo", home_cell=world.other_cell
    )
    members = [(stranger.code, "Sùng A Páo", "Nam", None, None, None, "CA-1", None, None)]
    found = assert_refused(world.commune_secretary, workbook_bytes([], members))
    # Someone the secretary cannot see: no more than that the number cannot be used.
    assert found == [("Đảng viên", 2, "Số thẻ", "EA-DV", str(errors.CARD_UNAVAILABLE))]


@pytest.mark.parametrize("who", ["cell_secretary", "overseer", "nobody"])
def test_users_who_manage_nothing_cannot_import(world: World, who: str) -> None:
    with pytest.raises(NotFound):
        run(getattr(world, who), workbook_bytes(NEW_COMMUNE))
    assert not Organization.objects.filter(code="CC").exists()


def test_the_system_imports_a_new_tree_from_the_top(world: World) -> None:
    orgs = [("Q", "", "Đảng bộ tỉnh Mới", "Đảng bộ tỉnh", "Tỉnh ủy Mới", "TU", None, None)]
    outcome = run(None, workbook_bytes(orgs))
    assert outcome.errors == []
    new_root = Organization.objects.get(code="Q")
    assert new_root.depth == 1
    assert new_root.is_root()
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_a_body_kind_shared_by_two_bodies_must_be_named_in_full(world: World) -> None:
    from chibo.orgs.tests.factories import make_body

    make_body(world.district, "to", "Tổ công tác số 1")
    make_body(world.district, "to", "Tổ công tác số 2")
    members = [("T-1", "Vàng A Tủa", "Nam", None, None, None, "D-KT", None, None)]
    positions = [("T-1", "D", "Tổ công tác", "Thành viên", None, None)]
    found = assert_refused(world.officer, workbook_bytes([], members, positions))
    assert found == [
        (
            "Chức vụ",
            2,
            "Cơ quan",
            "Tổ công tác",
            "Tổ chức này có nhiều cơ quan loại này: hãy ghi tên đầy đủ của cơ quan.",
        )
    ]
    named = [("T-1", "D", "tổ công tác  số 2", "Thành viên", None, None)]
    assert run(world.officer, workbook_bytes([], members, named)).errors == []
    assert Position.objects.get(person__code="T-1").body.name == "Tổ công tác số 2"  # type: ignore[union-attr]


def test_text_longer_than_its_column_is_an_error(world: World) -> None:
    orgs = [("C" * 41, "D", "Tên", "Đảng bộ cơ sở", None, "S" * 21, None, None)]
    found = assert_refused(world.officer, workbook_bytes(orgs))
    assert found == [
        ("Tổ chức", 2, "Mã", "C" * 41, "Quá dài: tối đa 40 ký tự."),
        ("Tổ chức", 2, "Ký hiệu", "S" * 21, "Quá dài: tối đa 20 ký tự."),
    ]


def test_a_body_made_for_a_position_never_takes_a_name_in_use(world: World) -> None:
    from chibo.orgs.tests.factories import make_body

    make_body(world.commune_b, "co_quan_tham_muu", "Ban Chấp hành Đảng bộ xã Bình")
    members = [("T-2", "Lù Thị Dính", "Nữ", None, None, None, "CB-1", None, None)]
    positions = [("T-2", "CB", "Ban Chấp hành", "Ủy viên", None, None)]
    assert run(world.officer, workbook_bytes([], members, positions)).errors == []
    body = Position.objects.get(person__code="T-2").body
    assert body is not None
    assert (body.kind, body.name) == ("bch", "Ban Chấp hành Đảng bộ xã Bình (2)")
