"""Scheduled work (django-tasks): the allowances' upkeep and the reservation sweeper.

Enqueue ``grant_housekeeping`` daily (or run ``manage.py run_grant_housekeeping`` from cron) and
``sweep_reservations`` every 5 minutes (``manage.py sweep_reservations``); the housekeeping
sweeps too.
"""

from django_tasks import task

from . import housekeeping, services


@task()
def grant_housekeeping():
    report = housekeeping.run()
    return str(report)


@task()
def sweep_reservations():
    return services.sweep_stale_reservations()
