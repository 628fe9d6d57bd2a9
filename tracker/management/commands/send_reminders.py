"""Run the reminder scan at once: the same code the beat job runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker import reminders


class Command(BaseCommand):
    help = "Lập và gửi các lượt nhắc việc đến hạn (mỗi lượt chỉ gửi một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", help="Ngày quét, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ liệt kê, không ghi và không gửi."
        )

    def handle(self, *args: Any, as_of: str | None, dry_run: bool, **options: Any) -> None:
        day = self._parse(as_of) if as_of else None
        planned = reminders.scan(day, dry_run=dry_run)
        label = (day or reminders.timeliness.today()).strftime("%d/%m/%Y")
        self.stdout.write(f"Nhắc việc ngày {label}: {len(planned)} lượt.")
        for item in planned:
            self.stdout.write("  " + item.describe())
        if dry_run:
            self.stdout.write("(chạy thử: không ghi, không gửi)")
            return
        result = reminders.send_due()
        self.stdout.write(f"Đã gửi {result.sent}, lỗi {result.failed} (sẽ gửi lại).")

    @staticmethod
    def _parse(raw: str) -> dt.date:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007
            except ValueError:
                continue
        raise CommandError(f"Ngày “{raw}” không hợp lệ: dùng YYYY-MM-DD hoặc dd/mm/yyyy.")
