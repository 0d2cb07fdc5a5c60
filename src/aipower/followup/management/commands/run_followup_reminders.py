"""``manage.py run_followup_reminders [--enqueue]``: the productisation survey reminders, now or
queued (daily from cron; each reminder is sent once)."""

from django.core.management.base import BaseCommand

from aipower.followup import reminders
from aipower.followup.tasks import followup_reminders


class Command(BaseCommand):
    help = (
        "Remind the contacts of awards whose productisation survey is due soon or overdue "
        "(each reminder once per round; overdue ones are copied to the call's service e-mail)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task instead of running it here"
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = followup_reminders.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(str(reminders.run()))
