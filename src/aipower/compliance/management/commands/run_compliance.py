"""``manage.py run_compliance [--enqueue]``: the inactivity rule, now or queued (daily)."""

from django.core.management.base import BaseCommand

from aipower.compliance import services
from aipower.compliance.tasks import compliance_monitor


class Command(BaseCommand):
    help = (
        "Count the weeks without usage, notify the contacts when they reach half of the period, "
        "and record a violation when three calendar days after the notice pass without usage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task instead of running it here"
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = compliance_monitor.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(str(services.run()))
