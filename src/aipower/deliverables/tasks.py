"""Scheduled work (django-tasks): the daily deliverables reminders.

Enqueue ``deliverables_reminders`` daily, or run ``manage.py run_deliverables_reminders`` from
cron; either is idempotent (each reminder is sent once).
"""

from django_tasks import task

from . import reminders


@task()
def deliverables_reminders():
    return str(reminders.run())
