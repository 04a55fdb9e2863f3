import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_q.models import Schedule  # type: ignore[import-untyped]

from chibo.core.dates import LOCAL_TZ
from chibo.orgs.models import Organization
from chibo.workbook import services
from chibo.workbook.models import ImportRecord
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes, xlsx_rows
from conftest import World

pytestmark = pytest.mark.django_db


def test_import_as_a_user_then_again_changes_nothing(world: World, tmp_path: Path) -> None:
    path = tmp_path / "xa-cat.xlsx"
    path.write_bytes(workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    out = io.StringIO()
    call_command("import", str(path), "--actor", "officer", stdout=out)
    assert out.getvalue().splitlines() == [
        "xa-cat.xlsx: 9 rows, imported",
        "  created: Tổ chức 3, Đảng viên 3, Chức vụ 3",
        "  updated: Tổ chức 0, Đảng viên 0, Chức vụ 0",
        "  unchanged: Tổ chức 0, Đảng viên 0, Chức vụ 0",
    ]
    assert Organization.objects.filter(code__startswith="CC").count() == 3
    assert ImportRecord.objects.get().actor == world.officer
    before = tree_state()
    out = io.StringIO()
    call_command("import", str(path), "--dry-run", stdout=out)
    assert "dry run, nothing written" in out.getvalue()
    assert "unchanged: Tổ chức 3, Đảng viên 3, Chức vụ 3" in out.getvalue()
    assert tree_state() == before


def test_errors_are_printed_one_a_line_and_exit_1(world: World, tmp_path: Path) -> None:
    path = tmp_path / "loi.xlsx"
    orgs = [("X1", "NOPE", "Một", "Đảng bộ cơ sở"), ("X2", "CB", "Hai", "Đảng bộ cơ sở")]
    path.write_bytes(workbook_bytes(orgs))
    out = io.StringIO()
    before = tree_state()
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--actor", "commune_secretary", stdout=out)
    assert raised.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "Tổ chức, dòng 2, cột Mã cấp trên «NOPE»: "
        "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo.",
        "Tổ chức, dòng 3, cột Mã cấp trên «CB»: "
        "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo.",
    ]
    assert tree_state() == before


def test_a_dry_run_with_errors_exits_1(world: World, tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"plain text")
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--dry-run", stdout=out)
    assert raised.value.returncode == 1
    assert out.getvalue().strip() == (
        "Tệp này không phải là sổ tính Excel (.xlsx). Hãy lưu thành .xlsx rồi thử lại."
    )


def test_an_unknown_actor_is_refused(world: World, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_bytes(NEW_COMMUNE))
    with pytest.raises(CommandError, match="no active user named 'ghost'"):
        call_command("import", str(path), "--actor", "ghost")


def test_an_actor_who_may_import_nowhere_is_told_so(world: World, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_bytes(NEW_COMMUNE))
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--actor", "cell_secretary")
    assert str(raised.value) == (
        "Người dùng này không quản lý phần nào của cây tổ chức nên không thể nhập dữ liệu vào "
        "đâu. Bỏ --actor để nhập với tư cách hệ thống."
    )
    assert not Organization.objects.filter(code="CC").exists()
    assert not ImportRecord.objects.exists()


def test_export_under_a_code_and_the_template(world: World, tmp_path: Path) -> None:
    path = tmp_path / "ca.xlsx"
    call_command("export", str(path), "--under", "CA", stdout=io.StringIO())
    assert [row[0] for row in xlsx_rows(path.read_bytes(), "Tổ chức")] == ["Mã", "CA", "CA-1"]
    everything = tmp_path / "all.xlsx"
    call_command("export", str(everything), stdout=io.StringIO())
    codes = [row[0] for row in xlsx_rows(everything.read_bytes(), "Tổ chức")[1:]]
    assert codes[0] == "P"
    assert len(codes) == Organization.objects.count()
    template = tmp_path / "mau.xlsx"
    call_command("import-template", str(template), stdout=io.StringIO())
    # Date columns are formatted ahead for the rows to fill in; those rows hold no value yet.
    filled = [row for row in xlsx_rows(template.read_bytes(), "Chức vụ") if any(row)]
    assert filled == [("Số thẻ", "Mã tổ chức", "Cơ quan", "Chức vụ", "Từ ngày", "Đến ngày")]
    with pytest.raises(CommandError, match="no organization has the code 'NOPE'"):
        call_command("export", str(path), "--under", "NOPE")


def test_schedule_setup_puts_back_a_purge_edited_by_hand(world: World) -> None:
    with time_machine.travel(dt.datetime(2025, 2, 12, 10, tzinfo=LOCAL_TZ), tick=False):
        call_command("schedule_setup", stdout=io.StringIO())
        Schedule.objects.filter(name=services.PURGE_SCHEDULE_NAME).update(
            hook="chibo.nowhere", cron="0 0 * * *", minutes=5
        )
        out = io.StringIO()
        call_command("schedule_setup", stdout=out)
    assert (
        "Kept the nightly removal of old uploaded workbooks; next run 13/02/2025 03:15."
        in out.getvalue().splitlines()
    )
    schedule = Schedule.objects.get(name=services.PURGE_SCHEDULE_NAME)
    assert (schedule.func, schedule.hook, schedule.cron, schedule.minutes) == (
        "chibo.workbook.tasks.import_files_purge",
        None,
        None,
        None,
    )
