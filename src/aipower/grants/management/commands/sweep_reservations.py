"""``manage.py sweep_reservations [--enqueue]``: give back the points held by API requests that
never settled (their worker crashed), once their reservation is past its time to live."""

from aipower.core.management.jobs import JobCommand
from aipower.grants import services
from aipower.grants.tasks import sweep_reservations


class Command(JobCommand):
    help = (
        "Release the reservations of API requests that never settled (a crashed worker) once "
        "they are past their time to live (15 minutes)."
    )

    task = sweep_reservations

    def run(self):
        return f"released {services.sweep_stale_reservations()} stale reservations"
