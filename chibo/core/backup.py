"""Backup and restore of the whole of chibo: the database and the uploaded and generated files.

One file, a gzipped tar holding `manifest.json` (chibo's version, the database vendor, the time
and the migrations applied), the database (SQLite: a copy made with SQLite's online backup API,
so a running server is fine; PostgreSQL: pg_dump's custom format) and `files/`, the tree under
MEDIA_ROOT. A restore checks the file against this chibo before it touches anything, builds the
new state beside the old one and swaps it in: the database in one transaction (SQLite's backup
API into the live file; pg_restore's script run by psql as a single transaction), then the files
directory by renames.
"""

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_NAME = "database.sqlite3"
POSTGRES_NAME = "database.pgdump"
CLIENT_HINT = "install the PostgreSQL client (apt-get install postgresql-client)"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What a backup file holds, written first so that a restore can refuse it cheaply."""

    chibo_version: str
    vendor: str
    created_at: str
    migrations: dict[str, list[str]]
    files: int

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, **dataclasses.asdict(self)}, indent=2)

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.pop("format") != FORMAT:
                raise BackupError("This backup was written in a format this chibo does not read.")
            return cls(**data)
        except (ValueError, TypeError, KeyError) as error:
            raise BackupError(f"The backup's manifest is damaged: {error}") from error


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest


def _chibo_version() -> str:
    try:
        return metadata.version("chibo")
    except metadata.PackageNotFoundError:
        return "unknown"


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _count_files(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if path.is_file()) if root.is_dir() else 0


# --- PostgreSQL client tools --------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is missing: {CLIENT_HINT}.")
    return found


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump, pg_restore and psql, and the password in the env."""
    database = connection.settings_dict
    args = ["--host", str(database["HOST"] or "127.0.0.1"), "--port", str(database["PORT"] or 5432)]
    if database["USER"]:
        args += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database["PASSWORD"]:
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


# --- Backup -------------------------------------------------------------------------------------


def _dump_database(target_dir: Path) -> Path:
    if connection.vendor == "sqlite":
        target = target_dir / SQLITE_NAME
        connection.ensure_connection()
        source = connection.connection
        with contextlib.closing(sqlite3.connect(target)) as copy:
            # The online backup API copies a consistent state while others keep writing.
            source.backup(copy)
        return target
    if connection.vendor == "postgresql":
        target = target_dir / POSTGRES_NAME
        args, env = _pg_args()
        dbname = str(connection.settings_dict["NAME"])
        _run([_pg_tool("pg_dump"), *args, "--format=custom", f"--file={target}", dbname], env)
        return target
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def backup_create(*, path: Path) -> BackupResult:
    """Write the database and the files to one gzipped tar at `path` (replaced only when whole)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    media = _media_root()
    manifest = Manifest(
        chibo_version=_chibo_version(),
        vendor=connection.vendor,
        created_at=timezone.now().isoformat(timespec="seconds"),
        migrations=_applied_migrations(),
        files=_count_files(media),
    )
    with tempfile.TemporaryDirectory(prefix=".chibo-backup-", dir=path.parent) as work:
        work_dir = Path(work)
        dump = _dump_database(work_dir)
        (work_dir / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
        partial = work_dir / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_dir / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            if media.is_dir():
                archive.add(media, arcname=FILES)
        # A backup cut short never takes the place of a good one.
        partial.replace(path)
    return BackupResult(path=path, size=path.stat().st_size, manifest=manifest)


# --- Restore ------------------------------------------------------------------------------------


def backup_read_manifest(*, path: Path) -> Manifest:
    """The manifest of a backup file, without unpacking the rest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(member.read())
    except (OSError, tarfile.TarError, KeyError) as error:
        raise BackupError(f"{path} is not a chibo backup: {error}") from error


def backup_check(manifest: Manifest) -> None:
    """Refuse a backup of another database vendor or of a newer schema than this chibo knows."""
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest.vendor} database; this chibo runs on "
            f"{connection.vendor}. Restore it into a chibo configured for {manifest.vendor}."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"This backup comes from a newer chibo ({manifest.chibo_version}): its database "
            f"has migrations this chibo does not know ({', '.join(unknown[:5])}). Update chibo "
            "first, then restore."
        )


@contextlib.contextmanager
def _unpacked(path: Path, beside: Path) -> Iterator[Path]:
    beside.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".chibo-restore-", dir=beside) as work:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        yield Path(work)


def _restore_sqlite(dump: Path) -> None:
    with contextlib.closing(sqlite3.connect(dump)) as source:
        problems = source.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"The backup's database is damaged: {problems[:3]}")
        connection.close()
        target = str(connection.settings_dict["NAME"])
        with contextlib.closing(sqlite3.connect(target, timeout=60)) as live:
            # One write transaction on the live file: readers see the old state, then the new.
            source.backup(live)


def _restore_postgres(dump: Path, work_dir: Path) -> None:
    args, env = _pg_args()
    script = work_dir / "restore.sql"
    _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(dump)],
        env,
    )
    connection.close()
    dbname = str(connection.settings_dict["NAME"])
    # The old schema goes and the dump comes in within one transaction: any error leaves the
    # database as it was.
    _run(
        [
            _pg_tool("psql"),
            *args,
            "--dbname",
            dbname,
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--command=DROP SCHEMA public CASCADE",
            "--command=CREATE SCHEMA public",
            "--command=GRANT USAGE ON SCHEMA public TO PUBLIC",
            f"--file={script}",
        ],
        env,
    )


def _swap_files(unpacked: Path) -> None:
    """Put the backup's files in MEDIA_ROOT's place by renames, then drop the old ones."""
    media = _media_root()
    incoming = unpacked / FILES
    if not incoming.is_dir():
        incoming.mkdir()
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d%H%M%S")
    old = media.with_name(f".{media.name}-before-restore-{stamp}")
    if media.exists():
        media.rename(old)
    incoming.rename(media)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: Path, manifest: Manifest) -> None:
    """Replace the database and the files with a backup's (already checked by backup_check).

    The files are unpacked beside MEDIA_ROOT first (the same file system, so the swap is a
    rename); the database is restored in one transaction; only then are the files swapped.
    """
    media = _media_root()
    with _unpacked(path, media.parent) as work_dir:
        if connection.vendor == "sqlite":
            _restore_sqlite(work_dir / SQLITE_NAME)
        else:
            _restore_postgres(work_dir / POSTGRES_NAME, work_dir)
        _swap_files(work_dir)
