# ruff: noqa: E501  (rows of a workbook and the exact Vietnamese messages read best one a line)
"""Scope escalation, concurrency, history, double confirmation, stale runs, files kept, and the
other findings of the workbook's review."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from chibo.core.xlsx import table_xlsx
from chibo.orgs.models import Body, Organization, Person, Position
from chibo.orgs.services import org_move
from chibo.orgs.tests.factories import PersonFactory, make_org
from chibo.workbook import applying, errors, export, services
from chibo.workbook.errors import RowError
from chibo.workbook.models import ImportRecord
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes, xlsx_rows
from conftest import World

pytestmark = pytest.mark.django_db

ORG_HEADERS_TAIL = (None, None, None, None)


def run(actor: Any, content: bytes, *, dry_run: bool = False) -> services.ImportOutcome:
    return services.workbook_import(
        actor=actor, stream=io.BytesIO(content), filename="so-lieu.xlsx", dry_run=dry_run
    )[1]


def found(outcome: services.ImportOutcome) -> list[tuple[Any, ...]]:
    return [(e.sheet, e.row, e.column, e.value, e.message) for e in outcome.errors]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. A commune secretary cannot give themselves (or anyone) scope ---------------------------


@pytest.mark.parametrize(
    ("position", "column", "value"),
    [
        (("DV-X", "CA", "Ban Tổ chức", "Ủy viên", None, None), "Cơ quan", "Ban Tổ chức"),
        (("DV-X", "CA-1", "Ban Tổ chức", "Trưởng ban", None, None), "Cơ quan", "Ban Tổ chức"),
        (("DV-X", "CA", "Tổ công tác", "Thành viên", None, None), "Cơ quan", "Tổ công tác"),
        (("DV-X", "CA", "", "Phó Bí thư", None, None), "Chức vụ", "Phó Bí thư"),
        (("DV-X", "CA", "Ban Chấp hành", "Bí thư", None, None), "Chức vụ", "Bí thư"),
    ],
    ids=[
        "board-of-commune",
        "board-of-cell",
        "team",
        "deputy-of-grant-root",
        "secretary-of-grant-root",
    ],
)
def test_a_commune_secretary_cannot_record_posts_that_grant_scope(
    world: World, position: tuple[Any, ...], column: str, value: str
) -> None:
    members = [("DV-X", "Lò Văn Xa", "Nam", None, None, None, "CA-1", None, None)]
    before = tree_state()
    outcome = run(world.commune_secretary, workbook_bytes([], members, [position]))
    assert found(outcome) == [("Chức vụ", 2, column, value, str(errors.POSITION_GRANTS_SCOPE))]
    assert str(errors.POSITION_GRANTS_SCOPE).startswith("Chỉ Ban Tổ chức cấp trên")
    assert tree_state() == before
    assert not Body.objects.filter(
        kind=Body.Kind.ORGANIZATION_BOARD, organization__code__startswith="CA"
    ).exists()


def test_a_commune_secretary_still_records_ordinary_posts_and_cell_secretaries(
    world: World,
) -> None:
    members = [("DV-X", "Lò Văn Xa", "Nam", None, None, None, "CA-1", None, None)]
    positions = [
        ("DV-X", "CA", "Ban Chấp hành", "Ủy viên", None, None),
        ("DV-X", "CA-1", "Chi ủy", "Bí thư", None, None),
    ]
    outcome = run(world.commune_secretary, workbook_bytes([], members, positions))
    assert outcome.errors == []
    assert outcome.imported


def test_the_organization_board_may_fill_its_own_tree_s_board(world: World) -> None:
    members = [("DV-X", "Lò Văn Xa", "Nam", None, None, None, "CA-1", None, None)]
    positions = [("DV-X", "CA", "Ban Tổ chức", "Trưởng ban", None, None)]
    outcome = run(world.officer, workbook_bytes([], members, positions))
    assert outcome.errors == []
    assert Body.objects.filter(organization=world.commune_a, kind="ban_to_chuc").exists()


@pytest.mark.parametrize(
    "row",
    [
        ("CA", "D", "Đảng bộ xã An Mới", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None),
        ("CA", "D", "Đảng bộ xã An", "Chi bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None),
        ("CA", "D", "Đảng bộ xã An", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, "01/01/2025"),
        ("CA", "CB", "Đảng bộ xã An", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None),
    ],
    ids=["rename", "re-kind", "close", "move"],
)
def test_a_commune_secretary_cannot_change_their_own_commune(
    world: World, row: tuple[Any, ...]
) -> None:
    before = tree_state()
    outcome = run(world.commune_secretary, workbook_bytes([row]))
    assert len(outcome.errors) == 1
    assert outcome.errors[0].row == 2
    assert not outcome.imported
    assert tree_state() == before


def test_the_commune_row_unchanged_is_fine_for_its_secretary(world: World) -> None:
    row = ("CA", "D", "Đảng bộ xã An", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None)
    outcome = run(world.commune_secretary, workbook_bytes([row]))
    assert outcome.errors == []
    assert outcome.counts["unchanged"]["Tổ chức"] == 1


def test_a_rename_of_the_grant_root_gets_its_message(world: World) -> None:
    row = ("CA", "D", "Đảng bộ xã An Mới", "Đảng bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None)
    outcome = run(world.commune_secretary, workbook_bytes([row]))
    assert found(outcome) == [("Tổ chức", 2, "Mã", "CA", str(errors.GRANT_ROOT_LOCKED))]


# --- 10. Kind changes that would strand members or cells ---------------------------------------


def test_a_cell_with_members_cannot_stop_being_a_cell(world: World) -> None:
    row = ("CA-1", "CA", "Chi bộ bản Một", "Tổ đảng", None, "CB", None, None)
    outcome = run(world.officer, workbook_bytes([row]))
    assert found(outcome) == [("Tổ chức", 2, "Loại", "Tổ đảng", str(errors.KIND_CELL_HAS_MEMBERS))]


def test_an_organization_with_cells_cannot_become_a_cell(world: World) -> None:
    row = ("CA", "D", "Đảng bộ xã An", "Chi bộ cơ sở", "Đảng ủy xã An", "ĐU", None, None)
    outcome = run(world.officer, workbook_bytes([row]))
    assert found(outcome) == [("Tổ chức", 2, "Loại", "Chi bộ cơ sở", str(errors.KIND_HAS_CELLS))]


def _kind_changes(world: World, start: int, count: int) -> list[tuple[Any, ...]]:
    """`count` cells with a member each, turned into teams, and as many communes with a cell
    each, turned into cells: every one refused."""
    rows: list[tuple[Any, ...]] = []
    for index in range(start, start + count):
        cell = make_org(world.commune_a, f"CA-K{index}", f"Chi bộ K{index}", "chi_bo_truc_thuoc")
        PersonFactory(home_cell=cell)
        rows.append((cell.code, "CA", cell.name, "Tổ đảng", None, None, None, None))
        commune = make_org(world.district, f"CK{index}", f"Đảng bộ xã K{index}", "dang_bo_co_so")
        make_org(commune, f"CK{index}-1", f"Chi bộ xã K{index}", "chi_bo_truc_thuoc")
        rows.append((commune.code, "D", commune.name, "Chi bộ cơ sở", None, None, None, None))
    return rows


def test_kind_changes_are_checked_in_queries_that_do_not_grow_with_the_rows(
    world: World,
) -> None:
    few, many = _kind_changes(world, 0, 1), _kind_changes(world, 1, 6)
    run(world.officer, workbook_bytes(few), dry_run=True)  # the importer's scope, cached
    counted = []
    for rows in (few, many):
        with CaptureQueriesContext(connection) as queries:
            outcome = run(world.officer, workbook_bytes(rows), dry_run=True)
        assert [(e.column, e.message) for e in outcome.errors] == [
            ("Loại", str(errors.KIND_CELL_HAS_MEMBERS)),
            ("Loại", str(errors.KIND_HAS_CELLS)),
        ] * (len(rows) // 2)
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_a_cell_whose_members_all_move_out_may_stop_being_a_cell(world: World) -> None:
    cell = make_org(world.commune_a, "CA-K", "Chi bộ K", "chi_bo_truc_thuoc")
    member = PersonFactory(home_cell=cell)
    org = (cell.code, "CA", cell.name, "Tổ đảng", None, None, None, None)
    moved = (member.code, member.full_name, "Nam", None, None, None, "CA-1", None, None)
    outcome = run(world.officer, workbook_bytes([org], [moved]))
    assert outcome.errors == []
    assert not Organization.objects.get(code="CA-K").kind.is_cell


# --- 11. Posts only for people in scope --------------------------------------------------------


def test_a_post_for_someone_outside_the_scope_answers_as_missing(world: World) -> None:
    Person.objects.create(code="EA-DV", full_name="Sùng A Páo", home_cell=world.other_cell)
    outcome = run(
        world.officer,
        workbook_bytes([], [], [("EA-DV", "CA", "Ban Chấp hành", "Ủy viên", None, None)]),
    )
    assert found(outcome) == [("Chức vụ", 2, "Số thẻ", "EA-DV", str(errors.PERSON_MISSING))]


def test_a_committee_above_is_refused_as_outside_not_as_missing(world: World) -> None:
    """The province above the district is named on every page the officer sees: a row under it
    is outside their part of the tree, not an unknown code; another district stays unknown."""
    rows = [
        ("CZ", "P", "Đảng bộ xã Zê", "Đảng bộ cơ sở", None, None, None, None),
        ("CY", world.other_district.code, "Đảng bộ xã Y", "Đảng bộ cơ sở", None, None, None, None),
    ]
    outcome = run(world.officer, workbook_bytes(rows, [], []))
    assert found(outcome) == [
        ("Tổ chức", 2, "Mã cấp trên", "P", str(errors.OUT_OF_SCOPE)),
        ("Tổ chức", 3, "Mã cấp trên", world.other_district.code, str(errors.ORG_MISSING)),
    ]


# --- 3. One transaction, a clean refusal when the database refuses -----------------------------


def test_a_database_refusal_while_writing_is_a_clean_message_and_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = applying._save_positions

    def collide(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(applying, "_save_positions", collide)
    before = tree_state()
    record, outcome = services.workbook_import(
        actor=world.officer,
        stream=io.BytesIO(workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)),
        filename="x.xlsx",
        dry_run=False,
    )
    assert [e.message for e in outcome.errors] == [str(services.IMPORT_COLLIDED)]
    assert not outcome.imported
    assert (record.status, record.error_count) == ("failed", 1)
    assert tree_state() == before


def test_a_database_refusal_in_the_worker_fails_the_record_the_same_way(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = applying._save_positions

    def collide(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise IntegrityError("duplicate key value violates unique constraint")

    client = client_for(world.officer)
    content = workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)
    client.post("/imports/upload/", {"file": SimpleUploadedFile("x.xlsx", content)})
    record = ImportRecord.objects.get()
    monkeypatch.setattr(applying, "_save_positions", collide)
    before = tree_state()
    client.post(f"/imports/{record.pk}/confirm/")
    record.refresh_from_db()
    assert (record.status, record.dry_run, record.file.name) == ("failed", True, "")
    assert [error["message"] for error in record.errors] == [str(services.IMPORT_COLLIDED)]
    assert tree_state() == before


@pytest.mark.parametrize("background", [False, True], ids=["console", "worker"])
def test_an_import_takes_the_tree_lock_once(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any, background: bool
) -> None:
    content = workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)
    with CaptureQueriesContext(connection) as queries:
        if background:
            settings.CHIBO_IMPORT_BACKGROUND_KB = 0
            client = client_for(world.officer)
            with django_capture_on_commit_callbacks(execute=True):
                client.post("/imports/upload/", {"file": SimpleUploadedFile("x.xlsx", content)})
            record = ImportRecord.objects.get()
            with django_capture_on_commit_callbacks(execute=True):
                client.post(f"/imports/{record.pk}/confirm/")
            record.refresh_from_db()
            assert record.status == "imported"
        else:
            assert run(world.officer, content).imported
    locks = [
        query["sql"]
        for query in queries.captured_queries
        if "pg_advisory_xact_lock" in query["sql"] or "numchild = numchild" in query["sql"]
    ]
    assert len(locks) == 1


def test_a_parent_moved_between_the_dry_run_and_the_confirmation(world: World) -> None:
    client = client_for(world.officer)
    client.post(
        "/imports/upload/",
        {
            "file": SimpleUploadedFile(
                "x.xlsx", workbook_bytes([("CA-9", "CA", "Chi bộ mới", "Chi bộ trực thuộc")])
            )
        },
    )
    record = ImportRecord.objects.get()
    assert record.status == "checked"
    # Meanwhile commune A moves under commune B: its path changes.
    org_move(
        actor=None, organization=Organization.objects.get(code="CA"), new_parent=world.commune_b
    )
    client.post(f"/imports/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.status == "imported"
    new = Organization.objects.get(code="CA-9")
    assert new.path.startswith(Organization.objects.get(code="CA").path)
    assert Organization.objects.find_problems() == ([], [], [], [], [])


# --- 4. History rows -----------------------------------------------------------------------------


def test_every_row_written_leaves_a_history_row_naming_the_importer_and_the_workbook(
    world: World,
) -> None:
    run(world.officer, workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    commune = Organization.objects.get(code="CC")
    for history in (
        commune.history.get(),
        Person.objects.get(code="DV-001").history.get(),
        Position.objects.filter(person__code="DV-001").first().history.get(),  # type: ignore[union-attr]
        Body.objects.filter(organization=commune).get().history.get(),
    ):
        assert history.history_type == "+"
        assert history.history_user == world.officer
        assert history.history_change_reason.startswith("Nhập dữ liệu từ Excel: so-lieu.xlsx")
    with translation.override("en"):
        run(
            world.officer, workbook_bytes([("CC-9", "CC", "Chi bộ thôn Chín", "Chi bộ trực thuộc")])
        )
    reason = Organization.objects.get(code="CC-9").history.get().history_change_reason
    assert reason.startswith("Imported from Excel: so-lieu.xlsx (")
    edited = [(*NEW_MEMBERS[0][:4], "0999999999", *NEW_MEMBERS[0][5:])]
    before = Person.objects.get(code="DV-001").updated_at
    run(world.officer, workbook_bytes([], edited))
    person = Person.objects.get(code="DV-001")
    assert person.updated_at > before
    latest = person.history.first()
    assert (latest.history_type, latest.phone, latest.history_user) == (
        "~",
        "0999999999",
        world.officer,
    )


# --- 5. Double confirmation -----------------------------------------------------------------------


def test_a_second_confirmation_of_a_claimed_record_is_refused_and_nothing_sticks(
    world: World,
) -> None:
    from django.core.exceptions import ValidationError

    client = client_for(world.officer)
    client.post(
        "/imports/upload/", {"file": SimpleUploadedFile("x.xlsx", workbook_bytes(NEW_COMMUNE))}
    )
    record = ImportRecord.objects.get()
    stale_copy = ImportRecord.objects.get(pk=record.pk)  # what a second tab still holds
    services.import_confirm(actor=world.officer, record=record)
    assert record.status == "imported"
    with pytest.raises(ValidationError) as raised:
        services.import_confirm(actor=world.officer, record=stale_copy)
    assert raised.value.messages == [str(services.IMPORT_CANNOT_CONFIRM)]
    record.refresh_from_db()
    assert record.status == "imported"
    assert Organization.objects.filter(code__startswith="CC").count() == 3


# --- 8. Stale runs ----------------------------------------------------------------------------------


def test_a_run_lost_with_its_worker_is_offered_a_new_check(world: World) -> None:
    client = client_for(world.officer)
    client.post(
        "/imports/upload/", {"file": SimpleUploadedFile("x.xlsx", workbook_bytes(NEW_COMMUNE))}
    )
    record = ImportRecord.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportRecord.objects.filter(pk=record.pk).update(status="importing", updated_at=long_ago)
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert 'data-testid="import-recheck"' in page
    assert "Kiểm tra lại" in page
    client.post(f"/imports/{record.pk}/recheck/")
    record.refresh_from_db()
    assert (record.status, record.dry_run) == ("checked", True)
    # A running record that is not stale cannot be taken over.
    ImportRecord.objects.filter(pk=record.pk).update(status="importing", updated_at=timezone.now())
    response = client.post(f"/imports/{record.pk}/recheck/", follow=True)
    assert "Sổ tính này vẫn đang được xử lý" in response.content.decode()


# --- 12. Files are not kept ----------------------------------------------------------------------


def test_the_file_goes_once_imported_and_old_checked_files_are_purged(world: World) -> None:
    client = client_for(world.officer)
    client.post(
        "/imports/upload/", {"file": SimpleUploadedFile("x.xlsx", workbook_bytes(NEW_COMMUNE))}
    )
    client.post(
        "/imports/upload/",
        {"file": SimpleUploadedFile("y.xlsx", workbook_bytes([("Y1", "D", "Y", "Đảng bộ cơ sở")]))},
    )
    imported, waiting = ImportRecord.objects.order_by("pk")
    name = imported.file.name
    storage = imported.file.storage
    client.post(f"/imports/{imported.pk}/confirm/")
    imported.refresh_from_db()
    assert imported.status == "imported"
    assert not imported.file
    assert not storage.exists(name)
    assert services.import_files_purge() == 0  # the checked one is recent
    waiting_name = waiting.file.name
    assert services.import_files_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
    waiting.refresh_from_db()
    assert not waiting.file
    assert not storage.exists(waiting_name)


# --- 9. Long names ---------------------------------------------------------------------------------


def test_a_body_named_after_a_long_organization_name_fits(world: World) -> None:
    name = "Đảng bộ " + "x" * 247
    orgs = [("LONG", "D", name, "Đảng bộ cơ sở")]
    members = [("DV-L", "Lò Văn Dài", "Nam", None, None, None, "CA-1", None, None)]
    positions = [("DV-L", "LONG", "Ban Chấp hành", "Ủy viên", None, None)]
    outcome = run(world.officer, workbook_bytes(orgs, members, positions))
    assert outcome.errors == []
    body = Body.objects.get(organization__code="LONG")
    assert len(body.name) == 255
    assert body.name.startswith("Ban Chấp hành Đảng bộ xxx")


# --- 6. The error report follows the uploaded headers ------------------------------------------


def test_the_error_report_maps_columns_by_header_with_an_extra_leading_column(world: World) -> None:
    from chibo.workbook import format as fmt

    headers = {fmt.SHEET_ORGS: ["STT", *fmt.ORGS.headers]}
    content = workbook_bytes([(1, "X1", "NOPE", "Một", "Đảng bộ cơ sở")], headers=headers)
    errors_found = [RowError("Tổ chức", 2, "Mã cấp trên", "NOPE", "Không có.")]
    rows = xlsx_rows(export.errors_xlsx(io.BytesIO(content), errors_found), "Tổ chức")
    assert rows[0] == (*fmt.ORGS.headers, "STT", "Lỗi")
    assert rows[1][:4] == ("X1", "NOPE", "Một", "Đảng bộ cơ sở")
    assert rows[1][-2:] == (1, "Mã cấp trên: Không có.")


# --- 13. Formulas are written as text --------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_text(world: World) -> None:
    tricky = '=HYPERLINK("http://x","y")'
    Organization.objects.filter(pk=world.cell_a.pk).update(name=tricky)
    Person.objects.create(code="+84", full_name="-Lò Văn Trừ", phone="@1", home_cell=world.cell_a)
    content = export.subtree_xlsx(world.district)
    workbook = load_workbook(io.BytesIO(content))
    cells = [c for row in workbook["Tổ chức"].iter_rows() for c in row if c.value == tricky]
    assert cells
    assert all(c.data_type == "s" for c in cells)
    member = next(r for r in workbook["Đảng viên"].iter_rows() if r[0].value == "+84")
    assert [(c.value, c.data_type) for c in (member[0], member[1], member[4])] == [
        ("+84", "s"),
        ("-Lò Văn Trừ", "s"),
        ("@1", "s"),
    ]
    table = load_workbook(
        io.BytesIO(table_xlsx(title="t", headers=["a"], rows=[[tricky], ["-1 ý"]]))
    )
    sheet = table.active
    assert sheet is not None
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [(tricky, "s"), ("-1 ý", "s")]


# --- NIT: the worker speaks the uploader's language ---------------------------------------------


def test_a_background_check_writes_its_messages_in_the_uploaders_language(world: World) -> None:
    from django.core.files.base import ContentFile

    record = ImportRecord(actor=world.officer, filename="x.xlsx", sha256="ab" * 32, size=10)
    record.language = "en"
    record.file.save("x.xlsx", ContentFile(workbook_bytes([("X", "NOPE", "Tên", "Đảng bộ cơ sở")])))
    services.import_check_run(record_id=record.pk)  # the site's language (vi) is active here
    record.refresh_from_db()
    assert record.status == "invalid"
    assert (
        record.errors[0]["message"]
        == "No organization has this code, in this workbook or in chibo."
    )


# --- 15. Error lists are read only where shown ----------------------------------------------------


def test_the_detail_shows_the_first_200_errors_and_the_count(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    error = {"sheet": "Tổ chức", "row": 2, "column": "Mã", "value": "X", "message": "Sai-ở-đây."}
    many = [{**error, "row": row} for row in range(2, 252)]
    record = ImportRecord.objects.create(
        actor=world.officer, filename="x.xlsx", sha256="ab" * 32, status="invalid",
        errors=many, error_count=len(many),
    )  # fmt: skip
    client = client_for(world.officer)
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert "250 lỗi" in page
    assert page.count("Sai-ở-đây.") == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/imports/")
    record_reads = [
        q["sql"] for q in queries.captured_queries if "workbook_importrecord" in q["sql"]
    ]
    assert record_reads
    assert all('"errors"' not in sql for sql in record_reads)
