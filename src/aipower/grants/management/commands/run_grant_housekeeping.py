"""``manage.py run_grant_housekeeping [--enqueue]``: the allowances' upkeep, now or queued."""

from django.core.management.base import BaseCommand

from aipower.grants import housekeeping
from aipower.grants.tasks import grant_housekeeping


class Command(BaseCommand):
    help = (
        "Release stale reservations, end the service on exhaustion or expiry and send the "
        "notices (each once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task instead of running it here"
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = grant_housekeeping.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(str(housekeeping.run()))
