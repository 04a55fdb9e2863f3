"""`chibo load_accounts --plan ID --count N`: accounts for the load test's virtual users."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.demo import load
from chibo.demo.tamduong import DEMO_PASSWORD
from chibo.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Tạo (hoặc tìm lại) N tài khoản cho kiểm thử tải, mỗi tài khoản là một người có chức vụ "
        "thật dưới đơn vị ban hành kế hoạch; chạy lại không tạo thêm. Ghi danh sách (JSON) ra "
        "--output, hoặc in ra màn hình."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="id của kế hoạch")
        parser.add_argument("--count", type=int, default=100, help="số tài khoản (mặc định 100)")
        parser.add_argument("--output", type=Path, help="tệp JSON để ghi danh sách")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("issuer_org").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch {options['plan']}.")
        try:
            accounts = load.load_accounts(plan=plan, count=options["count"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        manifest = json.dumps(
            {"password": DEMO_PASSWORD, "accounts": accounts}, ensure_ascii=False, indent=1
        )
        if options["output"] is None:
            self.stdout.write(manifest)
            return
        options["output"].write_text(manifest + "\n", encoding="utf-8")
        roles: dict[str, int] = {}
        for account in accounts:
            roles[account["role"]] = roles.get(account["role"], 0) + 1
        summary = ", ".join(f"{role}: {number}" for role, number in sorted(roles.items()))
        self.stdout.write(f"{len(accounts)} tài khoản ({summary}) ghi vào {options['output']}.")
