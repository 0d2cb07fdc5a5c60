"""Queued work of the applications app (django-tasks): the outbox.

``deliver_mail``: send one stored mail (enqueued by ``services.send_mail_stored`` when the
transaction commits). ``send_due_mails``: the sweep — retries and mails the worker missed
(``manage.py send_due_mails`` runs it from cron, or enqueues it with ``--enqueue``).
"""

from django_tasks import task

from . import outbox


@task()
def deliver_mail(mail_id):
    return outbox.deliver(mail_id)


@task()
def send_due_mails():
    return outbox.send_due()
