import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from chibo.core.dates import LOCAL_TZ
from chibo.documents import selectors, xlsx
from chibo.documents.tests.conftest import Issued
from conftest import World

pytestmark = pytest.mark.django_db


def wall(*parts: int) -> dt.datetime:
    """A local wall-clock time, as Excel holds it (no time zone)."""
    return dt.datetime(*parts, tzinfo=LOCAL_TZ).replace(tzinfo=None)


HEADERS = (
    "Tổ chức",
    "Địa bàn",
    "Đăng ký",
    "Đúng hạn",
    "Gửi lần đầu",
    "Chi bộ",
    "Hình thức",
    "Thời gian",
    "Địa điểm",
)


@time_machine.travel(dt.datetime(2025, 2, 25, 9, tzinfo=LOCAL_TZ), tick=False)
def test_one_row_per_registered_cell_with_the_committee_state_and_on_time(
    world: World, issued: Issued
) -> None:
    rows = selectors.registration_rows(actor=world.officer, plan=issued.plan)
    sheet = load_workbook(io.BytesIO(xlsx.registrations_xlsx(rows))).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == HEADERS
    assert values[1:] == [
        (
            "Đảng bộ xã An",
            "Đảng bộ huyện Đông",
            "Đã gửi",
            "Có",
            wall(2025, 2, 10, 9, 0),
            "Chi bộ bản Một",
            "Sinh hoạt thường kỳ",
            wall(2025, 3, 3, 8, 0),
            "Nhà văn hóa bản Một",
        ),
        (
            "Đảng bộ xã An",
            "Đảng bộ huyện Đông",
            "Đã gửi",
            "Có",
            wall(2025, 2, 10, 9, 0),
            "Chi bộ Trường Tiểu học An",
            "Sinh hoạt chuyên đề",
            wall(2025, 3, 14, 14, 30),
            "Hội trường Đảng ủy xã An",
        ),
        (
            "Đảng bộ xã Bình",
            "Đảng bộ huyện Đông",
            "Chưa đăng ký",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["H2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["E2"].is_date
    # Widths fit the longest text of each column.
    assert sheet.column_dimensions["I"].width >= len("Hội trường Đảng ủy xã An")
    assert all(cell.font.bold for cell in sheet[1])
    # Commune B is overdue (the deadline passed with nothing sent): printed in red.
    assert sheet["A4"].font.color.rgb.endswith("C00000")
    assert sheet["A2"].font.color.type == "theme"


def test_a_commune_secretary_gets_only_their_rows(world: World, issued: Issued) -> None:
    rows = selectors.registration_rows(actor=world.commune_secretary, plan=issued.plan)
    sheet = load_workbook(io.BytesIO(xlsx.registrations_xlsx(rows))).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Đảng bộ xã An",
        "Đảng bộ xã An",
    ]


def test_filenames_are_ascii(world: World, issued: Issued) -> None:
    assert xlsx.registrations_filename(issued.plan) == "dang-ky-332-KH-HU-2025.xlsx"
    assert xlsx.progress_filename(issued.plan) == "tien-do-332-KH-HU-2025.xlsx"
