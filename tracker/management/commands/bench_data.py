"""``manage.py bench_data --tasks N --departments D --users U``: a large data set for bench/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.benchdata import BenchDataError, Spec, fill


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: “{value}” không phải ngày dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Ghi một bộ dữ liệu lớn để đo hiệu năng (bench/): đơn vị, người dùng, văn bản, nhiệm vụ "
        "với báo cáo, kết quả, đánh giá, gia hạn và dòng thời gian. PostgreSQL dùng COPY. Chỉ "
        "ghi vào cơ sở dữ liệu trống, trừ khi có --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tasks", type=int, required=True, help="Số nhiệm vụ.")
        parser.add_argument("--departments", type=int, default=150, help="Số đơn vị (150).")
        parser.add_argument("--users", type=int, default=5_000, help="Số người dùng (5.000).")
        parser.add_argument(
            "--due-share",
            type=float,
            default=0.01,
            help="Tỷ lệ nhiệm vụ đang mở có hạn rơi vào ngày nhắc của hôm nay (0,01).",
        )
        parser.add_argument("--as-of", type=_date, help="Ngày làm mốc (mặc định hôm nay).")
        parser.add_argument("--seed", type=int, default=20251215, help="Cùng seed, cùng dữ liệu.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="XÓA toàn bộ văn bản, nhiệm vụ, đơn vị và người dùng hiện có trước khi ghi.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spec = Spec(
            tasks=options["tasks"],
            departments=options["departments"],
            users=options["users"],
            as_of=options["as_of"],
            due_share=options["due_share"],
            seed=options["seed"],
        )
        try:
            summary = fill(spec, replace=options["replace"], out=self.stdout)
        except BenchDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Đã ghi: " + summary.render()))
