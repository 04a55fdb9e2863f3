"""`chibo import FILE [--dry-run] [--actor USERNAME]`: check a workbook and import it whole."""  # noqa: N999

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from chibo.core.errors import NotFound
from chibo.workbook import selectors, services

IMPORT_NOWHERE = _(
    "This user manages no part of the organization tree, so they may import nowhere. "
    "Leave out --actor to import as the system."
)


class Command(BaseCommand):
    help = (
        "Import organizations, members and positions from an XLSX workbook in chibo's format. "
        "Exit code 0 when imported (or a dry run found no error), 1 with the errors otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the workbook (.xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--actor",
            help="import as this user, within their scope (default: the system, everywhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor = None
        if options["actor"]:
            actor = selectors.user_by_username(options["actor"])
            if actor is None:
                raise CommandError(f"no active user named {options['actor']!r}")
        progress = self._progress if options["verbosity"] >= 2 else None
        try:
            with path.open("rb") as stream:
                _record, outcome = services.workbook_import(
                    actor=actor,
                    stream=stream,
                    filename=path.name,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except OSError as error:
            raise CommandError(str(error)) from error
        except NotFound as error:
            raise CommandError(str(IMPORT_NOWHERE)) from error
        if not outcome.is_valid:
            for row_error in outcome.errors:
                self.stdout.write(row_error.as_line())
            raise CommandError(f"{len(outcome.errors)} error(s); nothing was written", returncode=1)
        verb = "imported" if outcome.imported else "dry run, nothing written"
        self.stdout.write(f"{path.name}: {outcome.rows} rows, {verb}")
        for outcome_name, per_sheet in outcome.counts.items():
            counts = ", ".join(f"{sheet} {count}" for sheet, count in per_sheet.items())
            self.stdout.write(f"  {outcome_name}: {counts}")

    def _progress(self, percent: int) -> None:
        """How far the writing got (with -v 2): a long import shows it is alive."""
        self.stderr.write(f"writing: {percent}%")
        self.stderr.flush()
