"""``manage.py run_grant_housekeeping [--enqueue]``: the allowances' upkeep, now or queued."""

from aipower.core.management.jobs import JobCommand
from aipower.grants import housekeeping
from aipower.grants.tasks import grant_housekeeping


class Command(JobCommand):
    help = (
        "Release stale reservations, end the service on exhaustion or expiry and send the "
        "notices (each once)."
    )

    task = grant_housekeeping

    def run(self):
        return str(housekeeping.run())
