"""Scheduled and queued work of the review (django-tasks).

``expire_supplements_task``: supplements past their deadline → 「不予受理」 with notice, and one
reminder shortly before a deadline (idempotent; ``manage.py run_review_deadlines`` runs it, or
with ``--enqueue`` queues it, e.g. from cron every hour). (The review's e-mails go through the
outbox, ``applications.tasks``.)
"""

from django_tasks import task


@task()
def expire_supplements_task(now=None):
    from django.utils.dateparse import parse_datetime

    from . import services

    expired, reminded = services.expire_supplements(parse_datetime(now) if now else None)
    return {"expired": expired, "reminded": reminded}
