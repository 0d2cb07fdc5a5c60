"""Scheduled upkeep of the allowances: release stale reservations, end the service at the end
of the period or when the points run out, and send each notice once (the period started — when
it starts later than the award's approval —, 80 % used, used up, N days before the end, period
over) to the project contacts, in zh-Hant with English, from the operator-editable templates of
``core.notices`` (``TEMPLATE_KEYS``).

Idempotent: running it twice sends nothing twice (``Notice`` is unique per allowance and kind).
"""

import dataclasses
import logging

from django.conf import settings
from django.utils import timezone

from aipower.applications.services import send_once
from aipower.core import notices
from aipower.core.roc import format_date_in

from . import presenters, services
from .models import Allowance, AllowanceState, Notice

logger = logging.getLogger(__name__)

DEFAULT_EXPIRY_NOTICE_DAYS = 14
# Notices that the operator receives too (the service ended).
OPERATOR_COPIES = {Notice.Kind.USED_100, Notice.Kind.EXPIRED}


def expiry_notice_days():
    return int(getattr(settings, "GRANTS_EXPIRY_NOTICE_DAYS", DEFAULT_EXPIRY_NOTICE_DAYS))


@dataclasses.dataclass
class Report:
    released: int = 0
    expired: int = 0
    exhausted: int = 0
    notices: int = 0
    mismatches: int = 0

    def __str__(self):
        text = (
            f"released {self.released} reservations, expired {self.expired}, "
            f"exhausted {self.exhausted}, sent {self.notices} notices"
        )
        if self.mismatches:
            text += f", {self.mismatches} allowances disagree with their ledger"
        return text


def _context(allowance, today, language):
    award = allowance.award
    upp = award.category.units_per_point
    ends_on = format_date_in(allowance.ends_on, language)
    return {
        "company": allowance.company.name,
        "category": award.category.get_kind_display(),
        "granted": presenters.display(presenters.points(allowance.granted_units, upp)),
        "used": presenters.display(presenters.points_up(allowance.used_units, upp)),
        "left": presenters.display(
            presenters.points(allowance.granted_units - allowance.used_units, upp)
        ),
        "percent": allowance.used_units * 100 // allowance.granted_units
        if allowance.granted_units
        else 0,
        "starts_on": format_date_in(allowance.starts_on, language),
        "ends_on": ends_on,
        "days_left": services.days_left(allowance, today),
        "deliverables_days": award.category.call.deliverables_days,
    }


# Notice kind → its template in the notice store (core.notices; the operator edits it).
TEMPLATE_KEYS = {
    Notice.Kind.STARTED: "award_started",
    Notice.Kind.USED_80: "points_used_80",
    Notice.Kind.USED_100: "points_used_100",
    Notice.Kind.EXPIRY_SOON: "expiry_soon",
    Notice.Kind.EXPIRED: "expired",
}


def render_notice(allowance, kind, today):
    """Subject and body of a notice: the zh-Hant text, then the English one."""
    return notices.bilingual(
        TEMPLATE_KEYS[kind], lambda language: _context(allowance, today, language)
    )


def send_notice(allowance, kind, now=None):
    """Send the notice unless it was sent before; the Notice row is written first."""
    now = now or timezone.now()
    return send_once(
        Notice.objects,
        application=allowance.award.application,
        copy_operator=kind in OPERATOR_COPIES,
        render=lambda: render_notice(allowance, kind, timezone.localdate(now)),
        now=now,
        allowance=allowance,
        kind=kind,
    )


def run(now=None):
    """One pass of the upkeep; returns what it did."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = Report(released=services.sweep_stale_reservations(now))
    live = Allowance.objects.select_related(
        "award__application", "award__category__call", "company"
    )
    open_states = (AllowanceState.ACTIVE, AllowanceState.EXHAUSTED, AllowanceState.SUSPENDED)
    for allowance in live.filter(state__in=open_states, ends_on__lt=today):
        if services.expire(allowance, now=now):
            report.expired += 1
    overdrawn = live.filter(state=AllowanceState.ACTIVE)
    for allowance in overdrawn:
        if allowance.used_units >= allowance.granted_units:
            services.set_state(allowance, AllowanceState.EXHAUSTED, now=now)
            report.exhausted += 1
    notify = (AllowanceState.ACTIVE, AllowanceState.EXHAUSTED, AllowanceState.EXPIRED)
    for allowance in live.filter(state__in=notify):
        for kind in due_notices(allowance, today):
            if send_notice(allowance, kind, now) is not None:
                report.notices += 1
    for allowance in live.filter(state__in=notify):
        mismatch = services.ledger_mismatch(allowance)
        if mismatch:
            report.mismatches += 1
            logger.error("allowance %s disagrees with its ledger: %s", allowance.pk, mismatch)
    logger.info("grant housekeeping: %s", report)
    return report


USAGE_NOTICES = (Notice.Kind.USED_80, Notice.Kind.USED_100)


def send_usage_notices(allowance_ids, now=None):
    """The 80 % and 100 % notices due after charges, sent at once instead of by the next daily
    pass: a cluster's report can use up an award in one go, and the company hears that its
    service ended the day it did. Each notice still only once; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    allowances = Allowance.objects.filter(pk__in=allowance_ids).select_related(
        "award__application", "award__category__call", "company"
    )
    for allowance in allowances:
        for kind in due_notices(allowance, today):
            if kind in USAGE_NOTICES and send_notice(allowance, kind, now) is not None:
                sent += 1
    return sent


def starts_later(allowance):
    """The award's period starts after the day it was approved: the approval mail announced a
    future period, so the day it starts gets its own notice (``award_started``)."""
    award = allowance.award
    return allowance.starts_on > timezone.localdate(award.approved_at)


def due_notices(allowance, today):
    """The notices this allowance's state calls for (whether sent or not)."""
    granted, used = allowance.granted_units, allowance.used_units
    if allowance.state == AllowanceState.EXPIRED:
        return [Notice.Kind.EXPIRED]
    if allowance.state == AllowanceState.EXHAUSTED:
        return [Notice.Kind.USED_100]
    kinds = []
    if allowance.state == AllowanceState.ACTIVE:
        if starts_later(allowance) and allowance.starts_on <= today <= allowance.ends_on:
            kinds.append(Notice.Kind.STARTED)
        if granted and used * 100 >= granted * 80:
            kinds.append(Notice.Kind.USED_80)
        if 0 <= (allowance.ends_on - today).days <= expiry_notice_days():
            kinds.append(Notice.Kind.EXPIRY_SOON)
    return kinds
