# ruff: noqa: E501  (rows of a workbook and the exact Vietnamese messages read best one a line)
import datetime as dt
from typing import Any

import pytest

NEW_COMMUNE = [
    ("CC", "D", "Đảng bộ xã Cát", "Đảng bộ cơ sở", "Đảng ủy xã Cát", "ĐU", "01/03/2025", None),
    ("CC-1", "CC", "Chi bộ thôn Một", "Chi bộ trực thuộc", None, "CB", dt.date(2025, 3, 1), None),
    ("CC-2", "CC", "Chi bộ thôn Hai", "Chi bộ trực thuộc", None, "CB", None, None),
]  # fmt: skip
NEW_MEMBERS = [
    ("DV-001", "Lò Văn Hải", "Nam", 1980, "0912000001", "hai@example.org", "CC-1", "chính thức", "không"),
    ("DV-002", "Đinh Thị Mơ", "Nữ", "1992", None, None, "CC-1", "dự bị", None),
    ("DV-003", "Hà Văn Sáng", "Nam", None, None, None, "CC-2", None, "có"),
]  # fmt: skip
NEW_POSITIONS = [
    ("DV-001", "CC", "Ban Chấp hành", "Bí thư", "01/03/2025", None),
    ("DV-001", "CC-1", "Chi ủy", "Ủy viên", dt.date(2025, 3, 1), None),
    ("DV-003", "CC-2", "", "Bí thư", "01/03/2025", "31/12/2025"),
]


@pytest.fixture
def new_commune() -> dict[str, Any]:
    return {"orgs": NEW_COMMUNE, "members": NEW_MEMBERS, "positions": NEW_POSITIONS}
