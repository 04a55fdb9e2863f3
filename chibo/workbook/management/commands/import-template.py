"""`chibo import-template FILE`: write the empty workbook to fill in, with its instructions."""  # noqa: N999

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chibo.workbook import export


class Command(BaseCommand):
    help = "Write the empty import workbook (XLSX) with its instructions sheet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the workbook to write (.xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        content = export.template_xlsx()
        Path(options["file"]).write_bytes(content)
        self.stdout.write(f"{options['file']}: {len(content)} bytes")
