"""A console import killed with SIGKILL in the middle of its writes leaves the database exactly as
it was. The import runs as a real `chibo import` process against a database of its own, of the
same kind as the suite's (SQLite here, PostgreSQL when the suite runs on it)."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from openpyxl import Workbook

from chibo.workbook import format as fmt

CHIBO = str(Path(sys.executable).parent / "chibo")
CELLS = 100
MEMBERS_PER_CELL = 400  # 40,000 members: the writing takes long enough to be caught halfway


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind, for the subprocess; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"chibo_kill_{os.getpid()}"
    with psycopg.connect(**server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{server['password']}" if server["password"] else ""
    try:
        yield f"postgresql://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database:
            names = [
                row[0]
                for row in database.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            for name in names:
                tables[name] = database.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()  # noqa: S608
        return tables
    import psycopg

    with psycopg.connect(url) as database:
        names = [
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for name in names:
            tables[name] = database.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()  # noqa: S608
    return tables


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
    with scratch_database(tmp_path) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chibo.settings.base",
            "CHIBO_DATABASE_URL": url,
            "CHIBO_DATA_DIR": str(tmp_path),
            "CHIBO_LOG_LEVEL": "WARNING",
        }
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
