"""`chibo backup FILE`: the database and the uploaded and generated files in one file."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core import backup


class Command(BaseCommand):
    help = (
        "Write the database (SQLite: the online backup API, safe while chibo runs; PostgreSQL: "
        "pg_dump) and the files under CHIBO_DATA_DIR/files to FILE, a .tar.gz with a manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="where to write the backup (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = backup.backup_create(path=options["file"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            f"Backed up the {manifest.vendor} database and {manifest.files} files to "
            f"{result.path} ({result.size / 1024 / 1024:.1f} MB, "
            f"{time.monotonic() - started:.1f} s)."
        )
