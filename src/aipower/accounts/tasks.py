"""Queued work of the accounts (django-tasks).

``mail_sign_in_changed``: tells a staff member their password (and authenticator) changed, so
that a change they did not make is noticed.

``mail_password_link``: the 「忘記密碼」 mail, made and sent by the worker. The request only
queues it — the same one task whether or not the account exists — so how long the answer takes
does not tell a visitor which account names are real (sending the mail takes the mail server's
time). The task carries the account's number or nothing, never what was typed, and no link: the
worker makes the link, so none is stored in the task table.
"""

from django_tasks import task


@task()
def mail_password_link(user_id, site):
    from .enrolment import send_password_link

    return {"sent": send_password_link(user_id, site)}


@task()
def mail_sign_in_changed(user_id):
    from .enrolment import send_sign_in_changed

    return {"sent": send_sign_in_changed(user_id)}
