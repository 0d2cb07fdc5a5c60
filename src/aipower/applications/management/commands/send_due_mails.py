"""``manage.py send_due_mails [--enqueue]``: the outbox's sweep, now or queued."""

from aipower.applications import outbox
from aipower.applications.tasks import send_due_mails
from aipower.core.management.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Send the mails that are due: failed ones whose next attempt has come, and queued ones "
        "the worker has not sent."
    )

    task = send_due_mails

    def run(self):
        outcome = outbox.send_due()
        return f"sent {outcome['sent']}, failed {outcome['failed']}"
