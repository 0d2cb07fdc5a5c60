"""``manage.py run_compliance [--enqueue]``: the inactivity rule, now or queued (daily)."""

from aipower.compliance import services
from aipower.compliance.tasks import compliance_monitor
from aipower.core.management.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Count the weeks without usage, notify the contacts when they reach half of the period, "
        "and record a violation when three calendar days after the notice pass without usage."
    )

    task = compliance_monitor

    def run(self):
        return str(services.run())
