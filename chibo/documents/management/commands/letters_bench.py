"""`chibo letters_bench [--count 200]`: how long all the letters of a big meeting take to make.

Prints one line of JSON, the records `make bench` keeps: seconds for every letter as one DOCX,
as a ZIP, and as PDF when LibreOffice is installed.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chibo.documents import bench


class Command(BaseCommand):
    help = "Time the invitation letters of a meeting with many invitees (DOCX, ZIP, PDF)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=200, help="invitees, one letter each")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(bench.letters_records(options["count"])))
