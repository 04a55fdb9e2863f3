"""`chibo demo`: load the Tam Đường demo (once) and print its accounts."""

from typing import Any

from django.core.management.base import BaseCommand

from chibo.demo import tamduong


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu huyện Tam Đường (Lai Châu) với Kế hoạch 332-KH/HU; chạy lại không đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = tamduong.load_demo()
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp dữ liệu mẫu: {summary.organizations} tổ chức, {summary.bodies} cơ "
                    f"quan, {summary.people} đảng viên, {summary.positions} chức vụ, "
                    f"{summary.assignments} phân công, {summary.plans} kế hoạch, "
                    f"{summary.users} tài khoản."
                )
            )
        else:
            self.stdout.write(tamduong.ALREADY_LOADED)
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {tamduong.DEMO_PASSWORD}):")
        self._table(("Tài khoản", "Là ai", "Phạm vi"), tamduong.demo_account_rows())

    def _table(self, header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> None:
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
