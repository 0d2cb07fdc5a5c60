"""``manage.py prune_form_uses [--enqueue]``: delete the used one-time form tokens older than
``FORM_USE_RETENTION_DAYS``, now or queued."""

from django.conf import settings

from aipower.core import once
from aipower.core.management.jobs import JobCommand
from aipower.core.tasks import prune_form_uses


class Command(JobCommand):
    help = (
        "Delete the used one-time form tokens older than FORM_USE_RETENTION_DAYS "
        "(AIPOWER_FORM_USE_RETENTION_DAYS, default 45)."
    )

    task = prune_form_uses

    def run(self):
        deleted = once.prune()
        days = settings.FORM_USE_RETENTION_DAYS
        return f"{deleted} used form tokens older than {days} days deleted"
