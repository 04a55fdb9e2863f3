"""The Vietnamese catalogue is complete and its compiled .mo matches it."""

import importlib.util
import pathlib

import pytest
from django.utils import translation

from chibo.plans.models import MeetingType

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "scripts" / "messages.py"
spec = importlib.util.spec_from_file_location("messages_script", SCRIPT)
assert spec is not None
assert spec.loader is not None
messages_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(messages_script)


@pytest.mark.parametrize("po_path", sorted(messages_script.LOCALE.glob("*/LC_MESSAGES/*.po")))
def test_catalogue_is_complete_and_compiled(po_path: pathlib.Path) -> None:
    assert messages_script.problems_of(po_path) == []


def test_interface_speaks_vietnamese_and_english() -> None:
    with translation.override("vi"):
        assert str(MeetingType.THEMATIC.label) == "Sinh hoạt chuyên đề"
    with translation.override("en"):
        assert str(MeetingType.THEMATIC.label) == "Thematic meeting"
