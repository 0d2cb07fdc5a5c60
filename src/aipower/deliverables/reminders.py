"""Daily reminders of the deliverables, each sent once per award and kind to the project
contacts, in zh-Hant with English (as ``grants.housekeeping`` sends its notices), from the
operator-editable templates ``deliverables_due`` and ``deliverables_overdue`` (``core.notices``):

- ``due_soon``: uploads are open, something is missing and the due date is at most
  ``DELIVERABLES_REMINDER_DAYS`` (default 7) days away;
- ``overdue``: the due date has passed and something is still missing; the call's service
  e-mail gets a copy.

Idempotent: ``Notice`` is unique per award and kind, and the row is written before the mail.
"""

import logging

from django.db.models import Q
from django.utils import timezone

from aipower.applications.services import send_once
from aipower.core import notices, reminders
from aipower.core.roc import format_date_in

from . import services
from .models import Notice

logger = logging.getLogger(__name__)

OPERATOR_COPIES = {Notice.Kind.OVERDUE}
# Reminder kind → its template in the notice store (core.notices; the operator edits it).
TEMPLATE_KEYS = {
    Notice.Kind.DUE_SOON: "deliverables_due",
    Notice.Kind.OVERDUE: "deliverables_overdue",
}


def reminder_days():
    return reminders.window("DELIVERABLES_REMINDER_DAYS")


def due_notice(obligation):
    """The reminder this award's standing calls for (sent or not), or ``None``."""
    if obligation.complete or not obligation.open:
        return None
    kind = reminders.due_kind(
        overdue=obligation.overdue, days_left=obligation.days_left, days=reminder_days()
    )
    return kind and Notice.Kind(kind)


def render_notice(obligation, kind):
    """Subject and body: the zh-Hant text, then the English one."""
    allowance = obligation.allowance

    def context(language):
        return {
            "company": allowance.company.name,
            "category": allowance.award.category.get_kind_display(),
            "ends_on": format_date_in(allowance.ends_on, language),
            "due_on": format_date_in(obligation.due_on, language),
            "days_left": max(0, obligation.days_left),
            "deliverables_days": allowance.award.category.call.deliverables_days,
            "missing": [str(status.label) for status in obligation.missing],
            "training": obligation.training,
        }

    return notices.bilingual(TEMPLATE_KEYS[kind], context)


def send_notice(obligation, kind, now=None):
    """Send the reminder unless it was sent before; the Notice row is written first."""
    return send_once(
        Notice.objects,
        application=obligation.award.application,
        copy_operator=kind in OPERATOR_COPIES,
        render=lambda: render_notice(obligation, kind),
        now=now or timezone.now(),
        award=obligation.award,
        kind=kind,
    )


def run(now=None):
    """One pass: every award whose uploads are open and that still owes something."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = services.allowances().filter(
        Q(ends_on__lt=today) | Q(state__in=services.ENDED_STATES)
    )
    report = reminders.Report()
    for obligation in services.obligations(candidates, today):
        kind = due_notice(obligation)
        if kind is not None and send_notice(obligation, kind, now) is not None:
            report.add(kind)
    logger.info("deliverables reminders: %s", report)
    return report
