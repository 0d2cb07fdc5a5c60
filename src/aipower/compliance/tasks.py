"""Scheduled work (django-tasks): the inactivity rule, daily (or ``manage.py run_compliance`` from
cron)."""

from django_tasks import task

from . import services


@task()
def compliance_monitor():
    return str(services.run())
