"""Fixtures of the documents suite, and the `libreoffice` marker.

Tests marked `libreoffice` convert with the real soffice and read the PDF with poppler. Where
those are missing they are skipped with the reason, unless CHIBO_REQUIRE_LIBREOFFICE=1 (CI),
where they fail.
"""

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import time_machine
from pytest_django.fixtures import Settings

from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.orgs.models import Organization
from chibo.orgs.tests.factories import make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan, Registration
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

LIBREOFFICE_MISSING = (
    "LibreOffice is not installed (soffice): apt-get install libreoffice-writer-nogui"
)
POPPLER_MISSING = "poppler is not installed (pdftotext, pdftoppm): apt-get install poppler-utils"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "libreoffice: converts with LibreOffice and reads the PDF with poppler"
    )


def _missing() -> str | None:
    if shutil.which("soffice") is None:
        return LIBREOFFICE_MISSING
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        return POPPLER_MISSING
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is None:
        return
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CHIBO_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"CHIBO_REQUIRE_LIBREOFFICE=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Generated files go to a folder of this test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def no_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine without LibreOffice: nothing on PATH answers to soffice."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes a tiny PDF where soffice would, or hangs when told to.
outdir=""
while [ $# -gt 1 ]; do
  if [ "$1" = "--outdir" ]; then outdir="$2"; fi
  shift
done
if [ -n "$FAKE_SOFFICE_SLEEP" ]; then sleep "$FAKE_SOFFICE_SLEEP"; fi
mkdir -p "$outdir"
printf '%%PDF-1.4 fake\\n' > "$outdir/$(basename "$1" .docx).pdf"
"""


@pytest.fixture
def fake_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A stand-in `soffice` first on PATH (the outside world, not chibo, is replaced)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return script


@dataclasses.dataclass
class Issued:
    plan: Plan
    registration: Registration
    second_cell: Organization


@pytest.fixture
def issued(world: World) -> Issued:
    """Plan 332 issued; commune A sent two cells on 10/02/2025, commune B nothing yet."""
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    second = make_org(world.commune_a, "CA-2", "Chi bộ Trường Tiểu học An", "chi_bo_truc_thuoc")
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(organization=world.commune_a),
        items=[
            ItemData(
                world.cell_a.pk,
                "regular",
                dt.datetime(2025, 3, 3, 8, tzinfo=LOCAL_TZ),
                "Nhà văn hóa bản Một",
            ),
            ItemData(
                second.pk,
                "thematic",
                dt.datetime(2025, 3, 14, 14, 30, tzinfo=LOCAL_TZ),
                "Hội trường Đảng ủy xã An",
            ),
        ],
    )
    with time_machine.travel(dt.datetime(2025, 2, 10, 9, tzinfo=LOCAL_TZ), tick=False):
        plan_services.registration_submit(actor=world.commune_secretary, registration=registration)
    registration.refresh_from_db()
    return Issued(plan=plan, registration=registration, second_cell=second)
