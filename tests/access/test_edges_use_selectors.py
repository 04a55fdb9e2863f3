"""Views and API handlers reach the database only through scoped selectors."""

import pathlib

import pytest

CHIBO = pathlib.Path(__file__).resolve().parents[2] / "chibo"
EDGE_FILES = sorted([*CHIBO.glob("*/views.py"), *CHIBO.glob("*/api.py"), CHIBO / "api.py"])
FORBIDDEN = (".objects.", "get_object_or_404", "get_list_or_404")


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda path: str(path.relative_to(CHIBO)))
def test_edge_module_has_no_direct_queries(path: pathlib.Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = [word for word in FORBIDDEN if word in source]
    assert not found, f"{path.name} queries directly ({', '.join(found)}): use a selector"


def test_edge_files_were_found() -> None:
    assert len(EDGE_FILES) >= 3
