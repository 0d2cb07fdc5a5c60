"""``manage.py run_followup_reminders [--enqueue]``: the productisation survey reminders, now or
queued (daily from cron; each reminder is sent once)."""

from aipower.core.management.jobs import JobCommand
from aipower.followup import reminders
from aipower.followup.tasks import followup_reminders


class Command(JobCommand):
    help = (
        "Remind the contacts of awards whose productisation survey is due soon or overdue "
        "(each reminder once per round; overdue ones are copied to the call's service e-mail)."
    )

    task = followup_reminders

    def run(self):
        return str(reminders.run())
