"""Scheduled work (django-tasks): the daily productisation survey reminders.

Enqueue ``followup_reminders`` daily, or run ``manage.py run_followup_reminders`` from cron;
either is idempotent (each reminder is sent once).
"""

from django_tasks import task

from . import reminders


@task()
def followup_reminders():
    return str(reminders.run())
