"""``manage.py run_deliverables_reminders [--enqueue]``: the deliverables reminders, now or
queued (daily from cron; each reminder is sent once)."""

from aipower.core.management.jobs import JobCommand
from aipower.deliverables import reminders
from aipower.deliverables.tasks import deliverables_reminders


class Command(JobCommand):
    help = (
        "Remind the contacts of awards whose deliverables are due soon or overdue "
        "(each reminder once; overdue ones are copied to the call's service e-mail)."
    )

    task = deliverables_reminders

    def run(self):
        return str(reminders.run())
