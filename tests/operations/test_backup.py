"""`chibo backup` and `chibo restore`, run as real processes against a database of their own of
the suite's kind: a restore brings back every table's rows and every file as they were at the
backup, and refuses a backup it cannot take."""

import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from chibo.core.tests.live import CHIBO, chibo_env, scratch_database, snapshot
from chibo.workbook.tests.helpers import workbook_bytes

CELL = ("K-1", "", "Chi bộ thôn Một", "Chi bộ cơ sở", "", "CB")
MEMBER = ("K-DV-1", "Lò Văn Một", "Nam", 1970, "", "", "K-1", "chính thức", "không")


@pytest.fixture
def pg_client() -> None:
    """pg_dump, pg_restore and psql come with the PostgreSQL client; make test installs it."""
    if connection.vendor != "postgresql" or shutil.which("pg_dump"):
        return
    reason = "the PostgreSQL client (pg_dump) is not installed: apt-get install postgresql-client"
    if os.environ.get("CHIBO_REQUIRE_PG_CLIENT") == "1":
        pytest.fail(f"CHIBO_REQUIRE_PG_CLIENT=1, but {reason}", pytrace=False)
    pytest.skip(reason)


def chibo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own command)
        [CHIBO, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def with_manifest(source: Path, target: Path, **changes: object) -> None:
    """A copy of a backup whose manifest says something else."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            content = original.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json" and content is not None:
                manifest = {**json.loads(content.read()), **changes}
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                copy.addfile(member, io.BytesIO(raw))
            else:
                copy.addfile(member, content)


@pytest.mark.django_db
def test_restore_brings_back_every_row_and_file_and_refuses_what_it_cannot_take(
    tmp_path: Path, pg_client: None
) -> None:
    with scratch_database(tmp_path, "backup") as url:
        data = tmp_path / "data"
        env = chibo_env(url, data)
        assert chibo(env, "migrate", "--noinput", "-v", "0").returncode == 0
        first = tmp_path / "first.xlsx"
        first.write_bytes(workbook_bytes([CELL], [MEMBER]))
        assert chibo(env, "import", str(first)).returncode == 0
        media = data / "files"
        (media / "private" / "documents").mkdir(parents=True)
        (media / "private" / "documents" / "giay-moi.docx").write_bytes(b"letters \x00\xff")
        (media / "private" / "kept.txt").write_text("kept", encoding="utf-8")
        before, files_before = snapshot(url), files_of(media)
        models = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        assert models <= set(before)
        assert before["orgs_person"]

        backup = tmp_path / "backups" / "chibo.tar.gz"
        made = chibo(env, "backup", str(backup))
        assert made.returncode == 0, made.stderr

        # Rows and files change after the backup: new, changed, deleted.
        second = tmp_path / "second.xlsx"
        second.write_bytes(
            workbook_bytes([CELL, ("K-2", "", "Chi bộ thôn Hai", "Chi bộ cơ sở", "", "CB")])
        )
        assert chibo(env, "import", str(second)).returncode == 0
        (media / "private" / "documents" / "giay-moi.docx").write_bytes(b"changed")
        (media / "private" / "kept.txt").unlink()
        (media / "private" / "new.txt").write_text("new", encoding="utf-8")
        changed = snapshot(url)
        assert changed != before

        # Without --commit the file is only checked.
        dry = chibo(env, "restore", str(backup))
        assert dry.returncode == 0, dry.stderr
        assert "--commit" in dry.stdout
        assert snapshot(url) == changed

        restored = chibo(env, "restore", str(backup), "--commit")
        assert restored.returncode == 0, restored.stderr
        assert snapshot(url) == before
        assert files_of(media) == files_before
        assert not [path for path in data.iterdir() if path.name.startswith(".")]

        # A backup this chibo cannot take is refused, and nothing changes.
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        foreign, newer = tmp_path / "foreign.tar.gz", tmp_path / "newer.tar.gz"
        with_manifest(backup, foreign, vendor=other)
        with tarfile.open(backup, "r:gz") as archive:
            manifest = archive.extractfile("manifest.json")
            assert manifest is not None
            migrations = json.loads(manifest.read())["migrations"]
        migrations["orgs"] = [*migrations["orgs"], "0999_from_the_future"]
        with_manifest(backup, newer, migrations=migrations, chibo_version="9.0")
        refused = chibo(env, "restore", str(foreign), "--commit")
        assert refused.returncode == 1
        assert f"This backup is of a {other} database" in refused.stderr
        refused = chibo(env, "restore", str(newer), "--commit")
        assert refused.returncode == 1
        assert "This backup comes from a newer chibo (9.0)" in refused.stderr
        assert "orgs.0999_from_the_future" in refused.stderr
        not_a_backup = tmp_path / "notes.tar.gz"
        not_a_backup.write_bytes(b"not a tar")
        refused = chibo(env, "restore", str(not_a_backup), "--commit")
        assert refused.returncode == 1
        assert "is not a chibo backup" in refused.stderr
        assert snapshot(url) == before
        assert files_of(media) == files_before
