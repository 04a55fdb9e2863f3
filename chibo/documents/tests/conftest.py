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
from typing import Any

import pytest
import time_machine
from pytest_django.fixtures import Settings

from chibo.core.dates import LOCAL_TZ
from chibo.meetings import selectors as meeting_selectors
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.meetings.services import evaluations, invitations, records
from chibo.orgs.models import Organization, Person
from chibo.orgs.tests.factories import PersonFactory, make_org
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


START = dt.datetime(2025, 3, 12, 8, tzinfo=LOCAL_TZ)


@dataclasses.dataclass
class Held:
    """A designated model meeting of the district cell, held, with everything on paper."""

    plan: Plan
    meeting: Meeting
    members: list[Person]  # the cell's own members: present, one excused, one absent
    guest: Person  # invited by hand
    excused: Person
    absent: Person


def _member(world: World, code: str, name: str, **fields: Any) -> Person:
    return Person.objects.create(code=code, full_name=name, home_cell=world.district_cell, **fields)


@pytest.fixture
def held(world: World) -> Held:
    """Plan 332 issued; its model meeting on 12/03/2025 in the district cell: letters issued on
    05/03, attendance, minutes, an evaluation by the Organization Board, the lessons draft."""
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    meeting_services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=150),
        venue="Hội trường Huyện ủy Đông",
    )
    present = [_member(world, f"DV-{n}", name) for n, name in enumerate(PRESENT_NAMES)]
    excused = _member(world, "DV-E", "Lường Văn Ốm")
    absent = _member(world, "DV-A", "Tòng Thị Vắng")
    _member(world, "DV-P", "Quàng Văn Dự", membership=Person.Membership.PROBATIONARY)
    guest = PersonFactory(full_name="Hà Thị Khách", home_cell=world.cell_b)
    with time_machine.travel(dt.datetime(2025, 3, 5, 9, tzinfo=LOCAL_TZ), tick=False):
        invitations.invitees_refresh(actor=world.officer, meeting=meeting)
        invitations.invitee_add(actor=world.officer, meeting=meeting, person=guest, note="")
        invitations.invitations_issue(actor=world.officer, meeting=meeting)
    members = list(Person.objects.filter(home_cell=world.district_cell))
    marks = [
        records.AttendanceEntry(person.pk, "present")
        for person in members
        if person.pk not in (excused.pk, absent.pk)
    ]
    marks += [
        records.AttendanceEntry(excused.pk, "excused", "Ốm, có giấy của bệnh viện"),
        records.AttendanceEntry(absent.pk, "absent"),
        records.AttendanceEntry(guest.pk, "present"),
    ]
    records.attendance_record(actor=world.officer, meeting=meeting, entries=marks)
    records.minutes_save(
        actor=world.officer,
        meeting=meeting,
        data=records.MinutesData(
            opened_at=START,
            closed_at=START + dt.timedelta(minutes=150),
            chair_id=present[0].pk,
            secretary_id=present[1].pk,
            proceedings=[
                {
                    "item": "Khai mạc",
                    "content": "Đồng chí chủ trì nêu lý do, giới thiệu đại biểu.",
                    "opinions": "",
                },
                {
                    "item": "Thảo luận",
                    "content": "Chi bộ thảo luận nhiệm vụ tháng 4.",
                    "opinions": "Đồng chí Lò Văn Bảy đề nghị phân công rõ người phụ trách.",
                },
            ],
            conclusion="Chi bộ thống nhất các nhiệm vụ trọng tâm tháng 4.",
            resolution="Nghị quyết chi bộ tháng 3 năm 2025.",
            votes_for=5,
            votes_against=0,
            votes_abstain=0,
        ),
    )
    meeting_services.meeting_record_held(
        actor=world.officer, meeting=meeting, at=START + dt.timedelta(hours=3)
    )
    with time_machine.travel(dt.datetime(2025, 3, 20, 9, tzinfo=LOCAL_TZ), tick=False):
        evaluations.evaluation_submit(
            actor=world.officer,
            meeting=meeting,
            scores=[
                evaluations.ScoreData(code, score, CRITERION_COMMENTS[code])
                for code, score in zip(CRITERION_COMMENTS, (18, 17, 16, 19, 15), strict=True)
            ],
            strengths="Chuẩn bị chu đáo.",
            shortcomings="Ít ý kiến của đảng viên trẻ.",
            lessons="Phân công trước người chuẩn bị ý kiến.",
        )
        evaluations.lessons_summary_prefill(actor=world.officer, plan=plan)
    meeting = meeting_selectors.meeting_get(actor=world.officer, meeting_id=meeting.pk)
    return Held(
        plan=plan, meeting=meeting, members=members, guest=guest, excused=excused, absent=absent
    )


PRESENT_NAMES = ("Lò Văn Chủ", "Điêu Thị Ghi", "Lò Văn Bảy", "Cầm Thị Tám")
CRITERION_COMMENTS = {
    "attendance": "Một đồng chí vắng không lý do.",
    "preparation": "Có dự thảo nghị quyết.",
    "conduct": "Đúng trình tự, đủ thời gian.",
    "principles": "Bảo đảm nguyên tắc tập trung dân chủ.",
    "follow_up": "Nghị quyết tháng trước còn việc chậm.",
}
