"""`chibo synth --scale district|province`: a synthetic tree and plan for benchmarks."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chibo.demo import synth
from chibo.demo.tamduong import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Tạo cây tổ chức, đảng viên, kế hoạch và đăng ký tổng hợp ở quy mô huyện hoặc tỉnh "
        "(để đo hiệu năng); chạy lại không đổi gì trừ khi có --reset. Dòng cuối: plan_id=<số>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(synth.SCALES), required=True)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu tổng hợp của quy mô này (chỉ quy mô này) rồi tạo lại.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = synth.SCALES[options["scale"]]
        summary = synth.load_scale(scale, reset=options["reset"])
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo quy mô {scale.name} trong {summary.seconds:.1f} giây: "
                    f"{summary.organizations} tổ chức, {summary.bodies} cơ quan, "
                    f"{summary.people} đảng viên, {summary.positions} chức vụ, "
                    f"{summary.obligations} nghĩa vụ, {summary.registrations} đăng ký, "
                    f"{summary.meetings} buổi sinh hoạt."
                )
            )
        else:
            self.stdout.write(synth.ALREADY_THERE.format(scale=scale.name))
        self.stdout.write(
            f"Tài khoản (mật khẩu: {DEMO_PASSWORD}): {scale.bantochuc} (Ban Tổ chức, quản lý "
            f"toàn bộ), {scale.bithu} (Bí thư một đảng ủy cơ sở)."
        )
        # The last line is for scripts (the benchmark harness reads it).
        self.stdout.write(f"plan_id={summary.plan_id}")
