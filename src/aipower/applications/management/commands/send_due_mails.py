"""``manage.py send_due_mails [--enqueue]``: the outbox's sweep, now or queued."""

from django.core.management.base import BaseCommand

from aipower.applications import outbox
from aipower.applications.tasks import send_due_mails


class Command(BaseCommand):
    help = (
        "Send the mails that are due: failed ones whose next attempt has come, and queued ones "
        "the worker has not sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task instead of running it here"
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_due_mails.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        outcome = outbox.send_due()
        self.stdout.write(f"sent {outcome['sent']}, failed {outcome['failed']}")
