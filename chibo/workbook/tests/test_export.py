# ruff: noqa: E501, DTZ001  (rows read best one a line; Excel dates have no time zone)
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chibo.orgs.models import Organization, Person, Position
from chibo.workbook import export, services
from chibo.workbook import format as fmt
from chibo.workbook.errors import RowError
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes, xlsx_rows
from conftest import World

pytestmark = pytest.mark.django_db


def test_template_has_instructions_and_exactly_the_three_sheets_headers(world: World) -> None:
    workbook = load_workbook(io.BytesIO(export.template_xlsx()))
    assert workbook.sheetnames == ["Hướng dẫn", "Tổ chức", "Đảng viên", "Chức vụ"]
    expected = {
        "Tổ chức": ["Mã", "Mã cấp trên", "Tên", "Loại", "Tên cấp ủy", "Ký hiệu", "Ngày thành lập", "Ngày giải thể"],
        "Đảng viên": ["Số thẻ", "Họ và tên", "Giới tính", "Năm sinh", "Điện thoại", "Email", "Mã chi bộ", "Loại đảng viên", "Miễn sinh hoạt"],
        "Chức vụ": ["Số thẻ", "Mã tổ chức", "Cơ quan", "Chức vụ", "Từ ngày", "Đến ngày"],
    }  # fmt: skip
    for sheet, headers in expected.items():
        assert [cell.value for cell in workbook[sheet][1]] == headers
    instructions = " ".join(str(row[0].value or "") for row in workbook["Hướng dẫn"].iter_rows())
    assert "Đảng bộ cơ sở" in instructions
    assert "dd/mm/yyyy" in instructions


def test_export_of_a_subtree_writes_its_orgs_members_and_positions(world: World) -> None:
    services.workbook_import(
        actor=world.officer,
        stream=io.BytesIO(workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)),
        filename="x.xlsx",
        dry_run=False,
    )
    commune = Organization.objects.get(code="CC")
    content = export.subtree_xlsx(commune)
    orgs = xlsx_rows(content, "Tổ chức")
    assert orgs[0] == fmt.ORGS.headers
    assert orgs[1] == (
        "CC", "D", "Đảng bộ xã Cát", "Đảng bộ cơ sở", "Đảng ủy xã Cát", "ĐU",
        dt.datetime(2025, 3, 1), None,
    )  # fmt: skip
    assert [row[0] for row in orgs[1:]] == ["CC", "CC-1", "CC-2"]
    members = xlsx_rows(content, "Đảng viên")
    assert members[1] == (
        "DV-001", "Lò Văn Hải", "Nam", 1980, "0912000001", "hai@example.org", "CC-1",
        "chính thức", "không",
    )  # fmt: skip
    assert len(members) == 4
    positions = xlsx_rows(content, "Chức vụ")
    assert ("DV-001", "CC", "Ban Chấp hành", "Bí thư", dt.datetime(2025, 3, 1), None) in positions
    assert len(positions) == 4


def test_round_trip_export_edit_import_changes_only_what_was_edited(world: World) -> None:
    content = export.subtree_xlsx(world.district)
    unchanged = services.workbook_import(
        actor=world.officer, stream=io.BytesIO(content), filename="d.xlsx", dry_run=False
    )[1]
    assert unchanged.errors == []
    assert sum(unchanged.counts["created"].values()) == 0
    assert sum(unchanged.counts["updated"].values()) == 0
    assert unchanged.counts["unchanged"]["Tổ chức"] == 6  # D, CA, CB, CA-1, CB-1, D-KT
    before = tree_state()

    workbook = load_workbook(io.BytesIO(content))
    workbook["Tổ chức"]["C5"] = "Đảng bộ xã Bình Mới"  # in path order: D, CA, CA-1, CB
    assert workbook["Tổ chức"]["A5"].value == "CB"
    workbook["Chức vụ"].append(["", "", "", "", None, None])  # an empty row is skipped
    edited = io.BytesIO()
    workbook.save(edited)
    outcome = services.workbook_import(
        actor=world.officer, stream=edited, filename="d.xlsx", dry_run=False
    )[1]
    assert outcome.errors == []
    assert outcome.counts["updated"] == {"Tổ chức": 1, "Đảng viên": 0, "Chức vụ": 0}
    after = tree_state()
    changed = [row for row in after["orgs"] if row not in before["orgs"]]
    assert [row[1] for row in changed] == ["CB"]
    assert after["people"] == before["people"]
    assert after["positions"] == before["positions"]
    assert after["bodies"] == before["bodies"]


def test_the_error_report_is_the_workbook_with_an_error_column(world: World) -> None:
    content = workbook_bytes(
        [("X1", "NOPE", "Một", "Đảng bộ cơ sở"), ("X2", "D", "Hai", "Đảng bộ cơ sở")]
    )
    found = [RowError("Tổ chức", 2, "Mã cấp trên", "NOPE", "Không có tổ chức nào mang mã này.")]
    report = export.errors_xlsx(io.BytesIO(content), found)
    rows = xlsx_rows(report, "Tổ chức")
    assert rows[0][-1] == "Lỗi"
    assert rows[1][:3] == ("X1", "NOPE", "Một")
    assert rows[1][-1] == "Mã cấp trên: Không có tổ chức nào mang mã này."
    assert rows[2][0] == "X2"
    # Corrected and imported again, the error column is ignored.
    workbook = load_workbook(io.BytesIO(report))
    workbook["Tổ chức"]["B2"] = "D"
    fixed = io.BytesIO()
    workbook.save(fixed)
    outcome = services.workbook_import(
        actor=world.officer, stream=fixed, filename="fixed.xlsx", dry_run=False
    )[1]
    assert outcome.errors == []
    assert Organization.objects.filter(code__in=["X1", "X2"]).count() == 2


def test_a_province_export_keeps_the_bodies_that_share_a_kind_apart(world: World) -> None:
    from chibo.orgs.tests.factories import make_body

    team_one = make_body(world.district, "to", "Tổ công tác số 1")
    make_body(world.district, "to", "Tổ công tác số 2")
    person = Person.objects.create(
        code="T-1", full_name="Vàng A Tủa", home_cell=world.district_cell
    )
    Position.objects.create(
        person=person, organization=world.district, body=team_one, role="to_truong"
    )
    positions = xlsx_rows(export.subtree_xlsx(world.district), "Chức vụ")
    assert ("T-1", "D", "Tổ công tác số 1", "Tổ trưởng", None, None) in positions
