"""Helpers for tests that run chibo as real processes (`chibo …`, gunicorn, the worker) against a
database of their own, of the same kind as the suite's: SQLite here, PostgreSQL when the suite
runs on it."""

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

BIN = Path(sys.executable).parent
CHIBO = str(BIN / "chibo")


def _server() -> dict[str, Any]:
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }


@contextlib.contextmanager
def scratch_database(tmp_path: Path, name: str = "scratch") -> Iterator[str]:
    """An empty database of the suite's kind, for the subprocesses; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    server = _server()
    database = f"chibo_{name}_{os.getpid()}"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
    with psycopg.connect(**server) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    password = f":{server['password']}" if server["password"] else ""
    try:
        yield f"postgresql://{server['user']}{password}@{server['host']}:{server['port']}/{database}"
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(drop)


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


def chibo_env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a chibo process on that database and data directory."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chibo.settings.base",
        "CHIBO_DATABASE_URL": url,
        "CHIBO_DATA_DIR": str(data_dir),
        "CHIBO_LOG_LEVEL": "WARNING",
        **extra,
    }


def fetch_one(url: str, query: str) -> tuple[Any, ...] | None:
    """One row of a query on the database at `url` (no parameters: the tests pass ids)."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database:
            row: tuple[Any, ...] | None = database.execute(query).fetchone()
            return row
    import psycopg

    with psycopg.connect(url) as database:
        return database.execute(query).fetchone()  # type: ignore[arg-type]
