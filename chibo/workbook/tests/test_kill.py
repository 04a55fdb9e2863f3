"""A console import killed with SIGKILL in the middle of its writes leaves the database exactly as
it was. The import runs as a real `chibo import` process against a database of its own, of the
same kind as the suite's (SQLite here, PostgreSQL when the suite runs on it)."""

import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from chibo.core.tests.live import CHIBO, chibo_env, scratch_database, snapshot
from chibo.workbook import format as fmt

CELLS = 100
MEMBERS_PER_CELL = 400  # 40,000 members: the writing takes long enough to be caught halfway


def write_workbook(path: Path, orgs: list[tuple[Any, ...]], members: list[tuple[Any, ...]]) -> None:
    workbook = Workbook(write_only=True)
    for sheet, rows in ((fmt.ORGS, orgs), (fmt.MEMBERS, members), (fmt.POSITIONS, [])):
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list(sheet.headers))
        for row in rows:
            worksheet.append(list(row))
    workbook.save(path)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own command)
        [CHIBO, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.django_db
def test_an_import_killed_mid_write_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "kill") as url:
        env = chibo_env(url, tmp_path)
        assert run(env, "migrate", "--noinput", "-v", "0").returncode == 0
        base = tmp_path / "base.xlsx"
        write_workbook(
            base,
            [
                ("K", "", "Đảng bộ tỉnh Kiểm", "Đảng bộ tỉnh", "Tỉnh ủy Kiểm", "TU"),
                ("K-1", "K", "Đảng bộ xã Một", "Đảng bộ cơ sở", "Đảng ủy xã Một", "ĐU"),
                ("K-1-1", "K-1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "", "CB"),
            ],
            [("K-DV-1", "Lò Văn Một", "Nam", 1970, "", "", "K-1-1", "chính thức", "không")],
        )
        first = run(env, "import", str(base))
        assert first.returncode == 0, first.stdout + first.stderr
        before = snapshot(url)
        assert len(before["orgs_organization"]) == 3

        big = tmp_path / "big.xlsx"
        cells = [
            (f"K-1-{n}", "K-1", f"Chi bộ thôn {n}", "Chi bộ trực thuộc", "", "CB")
            for n in range(2, CELLS + 2)
        ]
        members = [
            (f"K-DV-{n}-{m}", f"Lò Văn Số {m}", "Nam", 1980, "", "", f"K-1-{n}", "dự bị", "")
            for n in range(2, CELLS + 2)
            for m in range(MEMBERS_PER_CELL)
        ]
        write_workbook(big, cells, members)
        progress: list[int] = []
        with subprocess.Popen(  # noqa: S603 (our own command)
            [CHIBO, "import", str(big), "-v", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stderr is not None
            # Should the import never reach the window, the watchdog ends the wait (and the
            # progress assertion below says so): no wall-clock assertion in the loop.
            watchdog = threading.Timer(600, process.kill)
            watchdog.start()
            for line in process.stderr:
                if line.startswith("writing: "):
                    progress.append(int(line.removeprefix("writing: ").rstrip("%\n")))
                # The organizations are written and the members are going in: kill it now.
                if progress and 25 < progress[-1] < 85:
                    os.kill(process.pid, signal.SIGKILL)
                    break
            watchdog.cancel()
            process.wait(timeout=60)
        assert progress, "the import never reported its writing"
        assert 25 < progress[-1] < 85, progress
        assert process.returncode == -signal.SIGKILL, progress
        assert snapshot(url) == before
        # The database is sound: the same import, run to the end, goes in whole.
        again = run(env, "import", str(big))
        assert again.returncode == 0, again.stdout + again.stderr
        assert len(snapshot(url)["orgs_person"]) == 1 + CELLS * MEMBERS_PER_CELL
