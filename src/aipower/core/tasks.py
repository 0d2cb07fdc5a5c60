"""Scheduled work of the core (django-tasks): ``prune_form_uses`` deletes the used one-time form
tokens older than ``FORM_USE_RETENTION_DAYS`` (``once.prune``); daily, ``manage.py
prune_form_uses`` from cron (or ``--enqueue``)."""

from django_tasks import task

from . import once


@task()
def prune_form_uses():
    return once.prune()
