"""`chibo restore FILE [--commit]`: put back the database and files of a `chibo backup`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core import backup


class Command(BaseCommand):
    help = (
        "Replace the database and the files under CHIBO_DATA_DIR/files with those of a backup "
        "made by `chibo backup`. Without --commit it only checks the file and says what it "
        "would do. A backup of another database vendor or of a newer chibo is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a backup written by `chibo backup`")
        parser.add_argument(
            "--commit",
            action="store_true",
            help="really replace the current data (everything since the backup is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            manifest = backup.backup_read_manifest(path=path)
            backup.backup_check(manifest)
            described = (
                f"the {manifest.vendor} database and {manifest.files} files backed up at "
                f"{manifest.created_at} by chibo {manifest.chibo_version}"
            )
            if not options["commit"]:
                self.stdout.write(
                    f"{path} holds {described}. Nothing was changed: run again with --commit "
                    "to replace the current data with it."
                )
                return
            backup.backup_restore(path=path, manifest=manifest)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {described}. Run `chibo migrate` if this chibo is newer than the backup."
        )
