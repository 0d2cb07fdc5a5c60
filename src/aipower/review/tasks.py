"""Scheduled and queued work of the review (django-tasks).

``expire_supplements_task``: supplements past their deadline → 「不予受理」 with notice, and one
reminder shortly before a deadline (idempotent; ``manage.py run_review_deadlines`` enqueues it,
e.g. from cron every few minutes). ``send_notification``: one e-mail to an application's contacts.
"""

from django_tasks import task


@task()
def expire_supplements_task(now=None):
    from django.utils.dateparse import parse_datetime

    from . import services

    expired, reminded = services.expire_supplements(parse_datetime(now) if now else None)
    return {"expired": expired, "reminded": reminded}


@task()
def send_notification(key, application_id, extra):
    from . import notifications

    mail = notifications.send_for_application(key, application_id, extra)
    return mail.pk if mail else None
