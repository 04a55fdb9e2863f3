"""`chibo export FILE [--under ORG_CODE]`: write a subtree (or the whole tree) as a workbook."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.workbook import export, selectors


class Command(BaseCommand):
    help = "Write organizations, members and positions in chibo's import format (XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the workbook to write (.xlsx)")
        parser.add_argument("--under", help="the code of the subtree's top organization")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["under"]
        if code:
            root = selectors.org_by_code(code)
            if root is None:
                raise CommandError(f"no organization has the code {code!r}")
            content = export.subtree_xlsx(root)
        else:
            content = export.forest_xlsx()
        Path(options["file"]).write_bytes(content)
        self.stdout.write(f"{options['file']}: {len(content)} bytes")
