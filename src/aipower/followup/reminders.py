"""Daily reminders of the productisation survey, each sent once per round, award and kind to
the project contacts, in zh-Hant with English, from the operator-editable templates
``followup_due`` and ``followup_overdue`` (the notice store, ``core.notices``):

- ``due_soon``: the round accepts answers, the company has not submitted, and the due date is at
  most ``FOLLOWUP_REMINDER_DAYS`` (default 7) days away;
- ``overdue``: the due date has passed without a submission; the call's service e-mail gets a
  copy (the operator decides whether to extend the date).

Idempotent: ``Notice`` is unique per round, award and kind, and the row is written before the
mail.
"""

import logging

from django.utils import timezone

from aipower.applications.services import send_once
from aipower.core import notices, reminders
from aipower.core.roc import format_date_in

from . import services
from .enums import Status
from .models import Notice, Round

logger = logging.getLogger(__name__)

OPERATOR_COPIES = {Notice.Kind.OVERDUE}
# Reminder kind → its template in the notice store (core.notices; the operator edits it).
TEMPLATE_KEYS = {
    Notice.Kind.DUE_SOON: "followup_due",
    Notice.Kind.OVERDUE: "followup_overdue",
}


def reminder_days():
    return reminders.window("FOLLOWUP_REMINDER_DAYS")


def due_notice(standing):
    """The reminder this standing calls for (sent or not), or ``None``."""
    if standing.status == Status.SUBMITTED or not services.started(standing.round, standing.today):
        return None
    kind = reminders.due_kind(
        overdue=standing.status == Status.OVERDUE,
        days_left=standing.days_left,
        days=reminder_days(),
    )
    return kind and Notice.Kind(kind)


def render_notice(standing, kind):
    """Subject and body: the zh-Hant text, then the English one."""
    round_, allowance = standing.round, standing.allowance

    def context(language):
        return {
            "company": allowance.company.name,
            "category": allowance.award.category.get_kind_display(),
            "title": round_.title_in(language),
            "opens_on": format_date_in(round_.opens_on, language),
            "due_on": format_date_in(round_.due_on, language),
            "days_left": max(0, standing.days_left),
            **notices.service_contact(allowance.award.category.call),
        }

    return notices.bilingual(TEMPLATE_KEYS[kind], context)


def send_notice(standing, kind, now=None):
    """Send the reminder unless it was sent before; the Notice row is written first."""
    return send_once(
        Notice.objects,
        application=standing.award.application,
        copy_operator=kind in OPERATOR_COPIES,
        render=lambda: render_notice(standing, kind),
        now=now or timezone.now(),
        round=standing.round,
        award=standing.award,
        kind=kind,
    )


def run(now=None):
    """One pass over every round that has opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = reminders.Report(noun="survey reminders")
    for round_ in Round.objects.filter(opens_on__lte=today).select_related("call"):
        for standing in services.standings(round_, today=today):
            kind = due_notice(standing)
            if kind is not None and send_notice(standing, kind, now) is not None:
                report.add(kind)
    logger.info("followup reminders: %s", report)
    return report
