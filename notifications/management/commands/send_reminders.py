"""Reminders before reporting windows close and overdue notices; safe to run
several times a day (what was sent is recorded). See docs/operations.md."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications import reminders


class Command(BaseCommand):
    help = "ส่งการเตือนก่อนปิดรับรายงานและการแจ้งเลยกำหนด (รันซ้ำได้ ไม่ส่งซ้ำ)"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะส่งโดยไม่ส่งจริง")
        parser.add_argument("--today", help="ถือว่าวันนี้เป็นวันที่ (YYYY-MM-DD, ค.ศ.)")

    def handle(self, *args, dry_run=False, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today ต้องเป็นวันที่แบบ YYYY-MM-DD (ค.ศ.) ไม่ใช่ {today!r}") from None
        else:
            day = timezone.localdate()
        outcome = reminders.send_due(day, dry_run=dry_run)
        for reminder in outcome.sent:
            self.stdout.write(
                f"{'would send' if dry_run else 'sent'} {reminder.kind} to {reminder.user.username}"
                f" <{reminder.user.email or '-'}>: {len(reminder.indicators)} indicators"
                f" ({', '.join(i.code for i in reminder.indicators[:10])}{' …' if len(reminder.indicators) > 10 else ''})"
                f", {len(reminder.projects)} projects"
                f" ({', '.join(p.code for p in reminder.projects[:10])}{' …' if len(reminder.projects) > 10 else ''})"
            )
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{day}: {verb} {len(outcome.sent)}, already sent before {outcome.already_sent}")
