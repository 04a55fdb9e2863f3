"""The `chibo` console command: Django's manage.py with chibo's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings.base")
    from django.core.management import execute_from_command_line

    argv = [sys.argv[0], *sys.argv[1:]]
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)
