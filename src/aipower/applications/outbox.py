"""The outbox: sending the mails that ``services.send_mail_stored`` stored, after commit.

A mail (``SentMail``) is written as 待寄送 inside the business operation's transaction; once that
transaction commits, ``hand_over`` enqueues the task ``tasks.deliver_mail`` (the background
worker, ``manage.py db_worker``), which calls ``deliver``. A rolled-back operation therefore
sends nothing, and the user's request never waits on the mail server.

``deliver`` sends a mail at most once successfully: it claims the row under a lock (skipped
when already sent, being sent, given up, or sent again by the operator), talks to the mail
server outside any transaction (a slow server holds no database lock), then records the
outcome. A failed attempt is retried after ``RETRY[n]`` by the sweep (``send_due``, run by
``manage.py send_due_mails`` from cron), which also picks up a queued mail the worker did not
send within ``QUEUE_GRACE`` (no worker, lost task) and an attempt that never finished
(``CLAIM``: the worker died). After the last attempt the mail stays failed (the mail log's
寄送失敗, counted by ``mailbox.unresolved_failures``) until the operator sends it again.
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import SentMail

logger = logging.getLogger(__name__)

Status = SentMail.Status

# Wait before the 2nd, 3rd, … attempt; after len(RETRY) + 1 failed attempts the mail stays failed.
RETRY = (
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY) + 1
# A queued mail the worker has not sent by then is sent by the sweep.
QUEUE_GRACE = datetime.timedelta(minutes=5)
# An attempt not recorded by then is taken as lost (longer than any mail server's timeout).
CLAIM = datetime.timedelta(minutes=15)


def never_resolves(address) -> bool:
    """Whether ``address`` is an erased one (RFC 2606's ``.invalid``, which privacy writes in
    place of an erased address): never worth sending to."""
    return str(address).strip().lower().endswith(".invalid")


def hand_over(mail):
    """Enqueue the sending of ``mail`` (run on commit). A failure to enqueue is logged and left
    to the sweep. When the task ran at once (the immediate backend of development and tests),
    ``mail`` is refreshed, so the caller sees the outcome."""
    from .tasks import deliver_mail

    try:
        result = deliver_mail.enqueue(mail.pk)
    except Exception:  # the task queue is down: the sweep sends the mail
        logger.exception("mail %s could not be queued; the sweep will send it", mail.pk)
        return
    if result.is_finished:
        mail.refresh_from_db()


def _claim(mail_id, now):
    """Lock the mail and mark it as being sent; None when there is nothing to send."""
    with transaction.atomic():
        mail = SentMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == Status.SENT or mail.next_attempt_at is None:
            return None  # gone (rolled back, deleted), sent, or no automatic attempt left
        if mail.status != Status.QUEUED and mail.next_attempt_at > now:
            return None  # being sent by another worker, or failed and not due again yet
        if mail.status == Status.FAILED and mail.resends.exists():
            # The operator sent it again: that mail carries on.
            mail.next_attempt_at = None
            mail.save(update_fields=["next_attempt_at"])
            return None
        mail.status = Status.SENDING
        mail.attempts += 1
        mail.next_attempt_at = now + CLAIM
        mail.save(update_fields=["status", "attempts", "next_attempt_at"])
        return mail


def deliver(mail_id, *, now=None):
    """Send mail ``mail_id`` unless there is nothing to send; its status afterwards, or None
    when nothing was attempted."""
    now = now or timezone.now()
    mail = _claim(mail_id, now)
    if mail is None:
        return None
    recipients = [address for address in mail.to if not never_resolves(address)]
    error = ""
    try:
        if recipients:
            EmailMessage(subject=mail.subject, body=mail.body, to=recipients).send()
        else:
            error = "no recipient left"
    except Exception as exc:  # SMTP errors come in many classes; each is kept for the operator
        logger.warning("mail %s, attempt %s failed: %s", mail.pk, mail.attempts, type(exc).__name__)
        error = f"{exc.__class__.__name__}: {exc}"[:1000]
    if error:
        again = recipients and mail.attempts < MAX_ATTEMPTS
        mail.status = Status.FAILED
        mail.error = error
        mail.next_attempt_at = now + RETRY[mail.attempts - 1] if again else None
    else:
        mail.status = Status.SENT
        mail.sent_at = now
        mail.error = ""
        mail.next_attempt_at = None
    # Recorded only while the claim is still this attempt's (not taken over as lost).
    SentMail.objects.filter(pk=mail.pk, status=Status.SENDING, attempts=mail.attempts).update(
        status=mail.status,
        error=mail.error,
        sent_at=mail.sent_at,
        next_attempt_at=mail.next_attempt_at,
    )
    return mail.status


def due(now=None):
    """The mails the sweep should try now, oldest first."""
    now = now or timezone.now()
    return (
        SentMail.objects.filter(next_attempt_at__lte=now)
        .exclude(status=Status.SENT)
        .order_by("next_attempt_at", "pk")
    )


def send_due(now=None):
    """Try every due mail once; how many were sent and how many failed."""
    now = now or timezone.now()
    outcome = {"sent": 0, "failed": 0}
    for mail_id in list(due(now).values_list("pk", flat=True)):
        status = deliver(mail_id, now=now)
        if status == Status.SENT:
            outcome["sent"] += 1
        elif status == Status.FAILED:
            outcome["failed"] += 1
    return outcome
