"""`chibo token create USERNAME`: make an API token and print it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.accounts import services
from chibo.accounts.models import User


class Command(BaseCommand):
    help = "Manage API tokens. 'create USERNAME' prints a new bearer token (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to recognize the token by")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        _, raw = services.token_create(user=user, name=options["name"])
        self.stdout.write(raw)
