"""The daily digest mail of the notices users chose to receive that way;
run once a day. See docs/operations.md."""

from django.core.management.base import BaseCommand

from notifications import digest


class Command(BaseCommand):
    help = "ส่งอีเมลสรุปการแจ้งเตือนประจำวัน"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะส่งโดยไม่ส่งจริง")

    def handle(self, *args, dry_run=False, **options):
        digests = digest.send(dry_run=dry_run)
        for item in digests:
            self.stdout.write(f"{'would send' if dry_run else 'sent'} digest to {item.user.username}"
                              f" <{item.user.email}>: {len(item.notices)} notices")
        self.stdout.write(f"{'would send' if dry_run else 'sent'} {len(digests)} digests")
