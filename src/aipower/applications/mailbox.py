"""The mail log: every e-mail the system wrote (``SentMail``: 待寄送, 已寄出 or 寄送失敗; the
outbox in ``outbox``), failed ones first to hand, and sending one again.

A mail is kept exactly as it was written; sending it again makes a new ``SentMail`` that points at
the original (``resent_from``), so the log shows both attempts. The new one goes only to the
addresses that may still be mailed: not an address erased at a data subject's request (the
``.invalid`` top-level domain of RFC 2606, which never resolves) and not one withheld by an
accepted request to stop using personal data (``hooks.withheld_addresses``).
"""

import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.accounts.enums import STAFF_ROLES
from aipower.accounts.models import User
from aipower.core import audit, once

from . import hooks, outbox
from .models import SentMail
from .services import ApplicationError, send_mail_stored

NO_RECIPIENT = _("此郵件已無可寄送之收件者（收件者已刪除或已停止利用其個人資料），無法重新寄送")


def mails(*, failed_only=False, search=""):
    """The log, newest first, each with whether a later resend of it was delivered. Failed
    only: the failed mails (an automatic attempt may still be due) that no resend delivered;
    queued ones are neither sent nor failed."""
    delivered_resend = SentMail.objects.filter(
        resent_from=OuterRef("pk"), status=SentMail.Status.SENT
    )
    log = (
        SentMail.objects.select_related("application", "resent_from")
        .annotate(resent_ok=Exists(delivered_resend))
        .order_by("-queued_at", "-id")
    )
    if failed_only:
        log = log.filter(status=SentMail.Status.FAILED, resent_ok=False)
    search = search.strip()
    if search:
        log = log.filter(
            Q(subject__icontains=search)
            | Q(application__number__iexact=search)
            | Q(to__icontains=search)
        )
    return log


def _staff_addresses():
    """The staff's e-mail addresses, lower-case (a mail only to them is not the company's)."""
    return {
        email.strip().lower()
        for email in User.objects.filter(role__in=STAFF_ROLES)
        .exclude(email="")
        .values_list("email", flat=True)
    }


def for_applicants(apps):
    """``{application pk: its mails}`` as ``for_applicant`` gives them, in two queries for all
    of ``apps`` (the dashboard lists every application of the company)."""
    by_application = {app.pk: [] for app in apps}
    if not by_application:
        return by_application
    staff = _staff_addresses()
    mails = (
        SentMail.objects.filter(application_id__in=by_application, to_staff=False)
        .annotate(resent=Exists(SentMail.objects.filter(resent_from=OuterRef("pk"))))
        .filter(resent=False)
        .order_by("-queued_at", "-id")
    )
    for mail in mails:
        if any(str(address).strip().lower() not in staff for address in mail.to):
            by_application[mail.application_id].append(mail)
    return by_application


def for_applicant(app):
    """The mails about ``app`` that went to the company (not the staff's own, such as a
    reviewer's assignment), newest first, queued ones included: the dashboard shows them
    (04-review: every notice also appears on the dashboard). A mail the operator sent again
    appears once, as its resend."""
    return for_applicants([app])[app.pk]


def unresolved_failures():
    """How many mails failed and were not delivered by a resend since."""
    return mails(failed_only=True).count()


def failures_by_stage():
    """The unresolved failures split for the staff home: (still to be retried automatically,
    given up — no attempt left, waiting for the operator's resend)."""
    counts = mails(failed_only=True).aggregate(
        retrying=Count("pk", filter=Q(next_attempt_at__isnull=False)),
        given_up=Count("pk", filter=Q(next_attempt_at__isnull=True)),
    )
    return counts["retrying"], counts["given_up"]


def resend_recipients(mail):
    """The original's addresses that may still be mailed."""
    withheld = hooks.withheld_addresses(mail.application.company_id) if mail.application_id else ()
    recipients = []
    for address in mail.to:
        address = str(address).strip()
        if not address or outbox.never_resolves(address) or address.lower() in withheld:
            continue
        if address not in recipients:
            recipients.append(address)
    return recipients


# Only for a resend sent without its one-time token (a page rendered before the token existed):
# a resend of the same mail this recent is taken as that resend pressed again.
RESEND_REPEAT_WINDOW = datetime.timedelta(minutes=1)
ONCE_ACTION = "mail.resend"


def resend(mail, *, by, request=None, token=None):
    """Send ``mail`` again, as it was, to ``resend_recipients``: a new SentMail in the outbox,
    sent once the audit entry is saved with it (the original's automatic attempts stop). Returns
    the new mail (already sent or failed when the task ran at once, as in development).

    The form sent again with the same one-time ``token`` (``core.once``: the back button, a
    second click, another tab) sends nothing: the mail its first sending made is returned with
    ``repeated`` set, whatever became of it. Without a token, a resend of ``mail`` within
    ``RESEND_REPEAT_WINDOW`` that has not failed is taken as this one (the original's row is
    locked, so two at once cannot both send).

    Raises ``ApplicationError`` when no recipient is left."""
    recipients = resend_recipients(mail)
    if not recipients:
        raise ApplicationError(NO_RECIPIENT)
    with transaction.atomic():
        use = None
        if token is not None:
            use = once.claim(token, ONCE_ACTION)
            if use is None:
                first = once.made(token, ONCE_ACTION, SentMail.objects.filter(resent_from=mail))
                if first is None:
                    raise ApplicationError(once.SENT_BEFORE)
                first.repeated = True
                return first
        else:
            just_sent = _just_resent(mail)
            if just_sent is not None:
                just_sent.repeated = True
                return just_sent
        again = send_mail_stored(
            to=recipients,
            subject=mail.subject,
            body=mail.body,
            application=mail.application,
            resent_from=mail,
            to_staff=mail.to_staff,
        )
        # A failed original's automatic attempts stop: the new mail carries on.
        SentMail.objects.filter(pk=mail.pk, status=SentMail.Status.FAILED).update(
            next_attempt_at=None
        )
        if use is not None:
            once.done(use, again)
        audit.record(
            "mail.resend",
            request=request,
            actor=by,
            obj=again,
            original=mail.pk,
            recipients=len(recipients),
        )
    again.repeated = False
    return again


def _just_resent(mail):
    """A resend of ``mail`` within ``RESEND_REPEAT_WINDOW`` that has not failed, or None; locks
    the original's row (in the caller's transaction)."""
    SentMail.objects.select_for_update().filter(pk=mail.pk).first()
    return (
        SentMail.objects.filter(
            resent_from=mail, queued_at__gte=timezone.now() - RESEND_REPEAT_WINDOW
        )
        .exclude(status=SentMail.Status.FAILED)
        .order_by("-queued_at")
        .first()
    )
