"""``manage.py seed_demo [--today YYYY-MM-DD]``: load the demo data (tracker/demo.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tracker.demo import DemoError, load_demo


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: “{value}” không phải ngày dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: các sở, ngành và 114 xã, phường, đặc khu của Hải Phòng, tài khoản "
        "dùng thử, văn bản chỉ đạo và nhiệm vụ có lịch sử xử lý. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help=(
                "Ngày dùng để dựng dữ liệu (YYYY-MM-DD, mặc định hôm nay): các hạn tương đối và "
                "thống kê tiến độ tính theo ngày này. Không được ở tương lai."
            ),
        )

    def handle(self, *args: Any, today: str | dt.date | None = None, **options: Any) -> None:
        if today is None:
            day = timezone.localdate()
        elif isinstance(today, dt.date):
            day = today
        else:
            day = _date(today)
        try:
            load_demo(today=day, stdout=self.stdout)
        except DemoError as error:
            raise CommandError(str(error)) from None
