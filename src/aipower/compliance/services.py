"""Compliance operations: recording a violation, deciding its sanction, and the inactivity rule.

The usage rules (使用規範, 03-rules): a violation during the period lets the platform suspend the
current service or bar the company from the next application once; a company's second violation
is serious (情節重大), and a serious or urgent case may be terminated. The sanction takes effect
at once: the allowance's state is what the gateway admits and the cluster export reads; a bar is
an entry on the registry's 停權下次申請資格乙次 list, which the eligibility pre-check consults.

The inactivity rule (rule 6): weeks of the period without any usage are counted; when they are
more than half of the period (過半) the project contacts are notified (once per allowance); if
there is no usage in the three calendar days counted from the day after the notice, it is a
violation, recorded automatically for the operator to decide.
"""

import dataclasses
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aipower.accounts.models import Company
from aipower.applications.models import SentMail
from aipower.applications.services import (
    contacts_and_service_address,
    send_mail_stored,
)
from aipower.calls.enums import CategoryKind
from aipower.core import audit, notices
from aipower.core.roc import format_date_in, format_roc_date
from aipower.grants import services as grants
from aipower.grants.models import Allowance, AllowanceState, GpuJob, LedgerEntry
from aipower.registry.enums import ListKind
from aipower.registry.models import ListEntry

from .enums import PLEDGE_FIELDS, NoticeOutcome, PledgeState, Sanction, UsageRule
from .models import InactivityNotice, Pledge, Violation, WatchEntry

logger = logging.getLogger(__name__)

# The rule's three calendar days, counted from the day after the notice.
RESPOND_DAYS = 3
# A bar lasts until the operator's date; this is the form's suggestion (about the next call).
DEFAULT_BAR_DAYS = 365


# --- usage days and idle weeks ------------------------------------------------------------------


def _local_day(moment):
    return timezone.localdate(moment)


# A job the scheduler reports in this state stands still on its GPUs (``scontrol suspend``, or
# preempted by suspension): it uses nothing until it is resumed.
SUSPENDED_STATE = "SUSPENDED"


def _ran_until(started, ended, state, gpus, gpu_seconds, earlier_gpu_seconds):
    """Up to when a job's last run is known to have used the cluster: its end, or while it runs
    up to now (None). A job that stands suspended ran from its start for its running time (its
    GPU-seconds over its GPUs: the time suspended is left out of them) and not since, however
    long ago it was last reported. (Where in a resumed or finished run the time suspended lay
    is not reported: such a run counts from its start to its end.)"""
    if (state or "").split(" ", 1)[0].upper() != SUSPENDED_STATE:
        return ended
    run_seconds = (gpu_seconds - earlier_gpu_seconds) // gpus if gpus else 0
    return started + datetime.timedelta(seconds=max(0, run_seconds))


def usage_days(allowance, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """The days (Asia/Taipei) in [first, last] on which the allowance was used: a settled
    inference request, or a training job running on the cluster (not the days it stood
    suspended, ``_ran_until``)."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1),
                                                         datetime.time.min))  # fmt: skip
    days = set()
    if allowance.kind == CategoryKind.TRAINING:
        jobs = GpuJob.objects.filter(allowance=allowance, started_at__lt=end).exclude(
            ended_at__lt=start
        )
        columns = ("started_at", "ended_at", "state", "gpus", "gpu_seconds", "earlier_gpu_seconds")
        for started, *rest in jobs.values_list(*columns):
            if started is None:
                continue
            ran_until = _ran_until(started, *rest)
            day = max(_local_day(started), first)
            stop = min(_local_day(ran_until) if ran_until else last, last)
            while day <= stop:
                days.add(day)
                day += datetime.timedelta(days=1)
    else:
        moments = LedgerEntry.objects.filter(
            allowance=allowance,
            kind=LedgerEntry.Kind.USAGE,
            created_at__gte=start,
            created_at__lt=end,
        ).values_list("created_at", flat=True)
        days.update(_local_day(moment) for moment in moments)
    return days


def suspended_days(allowance, first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """The days (Asia/Taipei) in [first, last] on which the service stood suspended by a
    sanction (暫停現有服務): from the decision's day to the reinstatement's day, or to ``last``
    while it stands. The company could not use its compute on them, so they are not idle."""
    days = set()
    suspensions = Violation.objects.filter(
        award_id=allowance.award_id, sanction=Sanction.SUSPEND, decided_at__isnull=False
    ).values_list("decided_at", "reinstated_at")
    for decided_at, reinstated_at in suspensions:
        day = max(_local_day(decided_at), first)
        stop = min(_local_day(reinstated_at) if reinstated_at else last, last)
        while day <= stop:
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


@dataclasses.dataclass(frozen=True)
class Idleness:
    idle_weeks: int  # elapsed weeks of the period without any usage
    elapsed_weeks: int
    # The period's whole weeks (as the notice shows them): a last short week is left out, so
    # that idle weeks more than half of the period are more than half of the weeks shown too
    # (1 July to 30 September, 13 weeks and a day: 7 idle weeks are more than half of 13 weeks,
    # not of 14).
    period_weeks: int
    period_days: int = 0

    @property
    def reached_half(self) -> bool:
        """未使用算力時間達核定申請時間過半週數: the idle weeks are more than half of the
        approved period (過半: more than half, so exactly half is not yet)."""
        days = self.period_days or self.period_weeks * 7
        return days > 0 and self.idle_weeks * 7 * 2 > days


def idleness(allowance, today: datetime.date) -> Idleness:
    """Whole weeks (7 days from the period's first day) of the period before ``today``, and
    those without any usage; a week still running is not counted, nor is a week in which the
    service stood suspended on any day (the company could not use it)."""
    days = (allowance.ends_on - allowance.starts_on).days + 1
    period_weeks = days // 7
    # Weeks of the period that can have passed: a last short week counted whole.
    elapsed = max(0, min(-(-days // 7), (today - allowance.starts_on).days // 7))
    if not elapsed:
        return Idleness(0, 0, period_weeks, days)
    last = min(allowance.starts_on + datetime.timedelta(days=7 * elapsed - 1), allowance.ends_on)
    used = usage_days(allowance, allowance.starts_on, last)
    used |= suspended_days(allowance, allowance.starts_on, last)
    used_weeks = {(day - allowance.starts_on).days // 7 for day in used}
    return Idleness(elapsed - len(used_weeks), elapsed, period_weeks, days)


# --- violations ---------------------------------------------------------------------------------


def record_violation(
    award,
    rule,
    occurred_on,
    evidence,
    *,
    by=None,
    request=None,
    urgent=False,
    now=None,
):
    """Record a violation (``by`` None: recorded automatically). Refused when the same award,
    rule and date are already recorded (a double submit, or two operators at once)."""
    now = now or timezone.now()
    with transaction.atomic():
        # One at a time per company: the duplicate check and the count of earlier ones hold.
        Company.objects.select_for_update().filter(pk=award.company_id).first()
        same = Violation.objects.filter(award=award, rule=rule, occurred_on=occurred_on).first()
        if same is not None:
            raise ValidationError(
                _("此違規已記錄（違規紀錄 #%(id)s）。"), code="duplicate", params={"id": same.pk}
            )
        violation = Violation(
            award=award,
            company_id=award.company_id,
            rule=rule,
            occurred_on=occurred_on,
            evidence=evidence,
            automatic=by is None,
            urgent=urgent,
            recorded_by=by,
            recorded_at=now,
        )
        violation.serious = _has_earlier(violation)
        violation.save()
        audit.record(
            "compliance.violation_recorded",
            request=request,
            actor=by,
            obj=violation,
            rule=rule,
            serious=violation.serious,
            urgent=urgent,
            automatic=by is None,
        )
    return violation


def _has_earlier(violation):
    """情節重大: the company has an earlier violation that was not dismissed (不予處分)."""
    earlier = Violation.objects.filter(company_id=violation.company_id).exclude(
        sanction=Sanction.NONE
    )
    if violation.pk is not None:
        earlier = earlier.filter(pk__lt=violation.pk)
    return earlier.exists()


# A service in these states can be suspended (暫停現有服務): one already suspended by another
# violation stays so until both are lifted. A service that is over has nothing to suspend.
SUSPENDABLE = (AllowanceState.ACTIVE, AllowanceState.SUSPENDED)


_UNREAD = object()


def allowed_sanctions(violation, allowance=_UNREAD):
    """Suspension only while the service runs (``allowance``: the award's, or None when it has
    none; read here unless given); termination only for a serious or urgent case."""
    if allowance is _UNREAD:
        allowance = Allowance.objects.filter(award_id=violation.award_id).first()
    choices = [Sanction.NONE]
    if allowance is not None and allowance.state in SUSPENDABLE:
        choices.append(Sanction.SUSPEND)
    choices.append(Sanction.BAR)
    if violation.serious or violation.urgent:
        choices.append(Sanction.TERMINATE)
    return choices


def _locked_allowance(award_id):
    return Allowance.objects.select_for_update().filter(award_id=award_id).first()


def decide(violation, sanction, *, by, note="", bar_until=None, request=None, now=None):
    """The operator's decision on a pending violation; it takes effect at once."""
    now = now or timezone.now()
    if sanction == Sanction.BAR and bar_until is None:
        raise ValidationError(_("請填寫停權期限。"), code="bar_until")
    with transaction.atomic():
        locked = (
            Violation.objects.select_for_update().select_related("company").get(pk=violation.pk)
        )
        if not locked.pending:
            raise ValidationError(_("此違規紀錄已處分。"), code="decided")
        # An earlier violation dismissed meanwhile no longer makes this one serious.
        locked.serious = _has_earlier(locked)
        # The allowance's state is read under its lock: an expiry or exhaustion that happened
        # meanwhile is never overwritten, and a service that is over is not "suspended".
        allowance = _locked_allowance(locked.award_id)
        allowed = allowed_sanctions(locked, allowance)
        if sanction == Sanction.SUSPEND and sanction not in allowed:
            state = allowance.get_state_display() if allowance else "—"
            raise ValidationError(
                _("服務已不在使用中（%(state)s），無法暫停現有服務；請改選其他處分。"),
                code="not_active",
                params={"state": state},
            )
        if sanction not in allowed:
            raise ValidationError(
                _("僅情節重大（累計違規兩次）或急迫者得終止算力服務。"), code="not_serious"
            )
        with translation.override("zh-hant"):  # stored text: the list's language
            reason = _("違反使用規範第 %(rule)s 點（違規紀錄 #%(id)s）") % {
                "rule": locked.rule,
                "id": locked.pk,
            }
        if sanction == Sanction.SUSPEND:
            if allowance.state == AllowanceState.ACTIVE:
                grants.set_state(
                    allowance, AllowanceState.SUSPENDED, by=by, reason=reason, request=request
                )
        elif sanction == Sanction.TERMINATE and allowance is not None:
            if allowance.state in (AllowanceState.ACTIVE, AllowanceState.SUSPENDED):
                grants.set_state(
                    allowance, AllowanceState.ENDED, by=by, reason=reason, request=request
                )
        elif sanction == Sanction.BAR:
            locked.list_entry = ListEntry.objects.create(
                ubn=locked.company.ubn,
                kind=ListKind.BARRED,
                reason=reason,
                until=bar_until,
                added_by=by,
            )
        locked.sanction = sanction
        locked.decision_note = note
        locked.decided_by = by
        locked.decided_at = now
        locked.save(
            update_fields=[
                "serious", "sanction", "decision_note", "decided_by", "decided_at", "list_entry",
            ]
        )  # fmt: skip
        audit.record(
            "compliance.violation_decided",
            request=request,
            actor=by,
            obj=locked,
            sanction=sanction,
            bar_until=bar_until,
        )
    if sanction != Sanction.NONE:
        _mail(locked, "sanction", now=now)
    return locked


def reinstate(violation, *, by, request=None, now=None):
    """Lift the suspension this violation imposed. The service is active again at once, unless
    another violation's suspension still stands: then it stays suspended until that one is
    lifted too. Returns the suspension still standing, or None."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Violation.objects.select_for_update().get(pk=violation.pk)
        allowance = _locked_allowance(locked.award_id)
        if locked.sanction != Sanction.SUSPEND or allowance is None:
            raise ValidationError(_("此違規紀錄未暫停服務。"), code="not_suspended")
        if locked.reinstated_at is not None or allowance.state != AllowanceState.SUSPENDED:
            raise ValidationError(_("服務目前未因本案暫停。"), code="not_suspended")
        if timezone.localdate(now) > allowance.ends_on:
            raise ValidationError(_("使用期間已屆滿，無法恢復服務。"), code="period_over")
        standing = (
            Violation.objects.filter(
                award_id=locked.award_id, sanction=Sanction.SUSPEND, reinstated_at__isnull=True
            )
            .exclude(pk=locked.pk)
            .first()
        )
        locked.reinstated_at = now
        locked.reinstated_by = by
        locked.save(update_fields=["reinstated_at", "reinstated_by"])
        audit.record(
            "compliance.suspension_lifted",
            request=request,
            actor=by,
            obj=locked,
            still_suspended_by=standing.pk if standing else None,
        )
        if standing is not None:
            return standing
        with translation.override("zh-hant"):  # stored text: the audit's language
            reason = _("恢復服務（違規紀錄 #%(id)s）") % {"id": locked.pk}
        grants.set_state(allowance, AllowanceState.ACTIVE, by=by, reason=reason, request=request)
    _mail(locked, "reinstated", now=now)
    return None


# --- mail ---------------------------------------------------------------------------------------


def _award_of(subject_of):
    """The award a mail is about: a violation's, or an inactivity notice's."""
    if isinstance(subject_of, Violation):
        return subject_of.award
    return subject_of.allowance.award


def _mail_context(subject_of, language):
    if isinstance(subject_of, Violation):
        until = subject_of.list_entry.until if subject_of.list_entry else None
        context = {
            "rule": subject_of.rule,
            "rule_text": subject_of.get_rule_display(),
            "sanction": subject_of.get_sanction_display(),
            "sanction_code": subject_of.sanction,
            "occurred_on": format_date_in(subject_of.occurred_on, language),
            "bar_until": format_date_in(until, language) if until else "",
        }
    else:
        context = {
            "idle_weeks": subject_of.idle_weeks,
            "period_weeks": subject_of.period_weeks,
            "respond_by": format_date_in(subject_of.respond_by, language),
        }
    award = _award_of(subject_of)
    context["company"] = award.company.name
    context["category"] = award.category.get_kind_display()
    context.update(notices.service_contact(award.category.call))
    return context


# What a mail is about → its template in the notice store (core.notices; the operator edits it).
MAIL_TEMPLATES = {"inactivity": "inactivity", "sanction": "violation", "reinstated": "reinstated"}


def _mail(subject_of, kind, now):
    """Mail the project contacts about an inactivity notice, a sanction or a reinstatement
    (``MAIL_TEMPLATES``): zh-Hant, then English; the call's service address gets a copy."""
    application = _award_of(subject_of).application
    recipients = contacts_and_service_address(application)
    if not recipients:
        return None
    subject, body = notices.bilingual(
        MAIL_TEMPLATES[kind], lambda language: _mail_context(subject_of, language)
    )
    return send_mail_stored(
        to=recipients, subject=subject, body=body, application=application, now=now
    )


# --- the inactivity rule (daily) ----------------------------------------------------------------


@dataclasses.dataclass
class Report:
    notices: int = 0
    resumed: int = 0
    violations: int = 0
    pledges: int = 0

    def __str__(self):
        return (
            f"sent {self.notices} inactivity notices, {self.resumed} resumed, "
            f"{self.violations} violations recorded, {self.pledges} pledges to check"
        )


def run(now=None):
    """One pass of the inactivity rule; idempotent (one notice per allowance)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = Report()
    active = Allowance.objects.filter(
        state=AllowanceState.ACTIVE, starts_on__lte=today, ends_on__gte=today
    ).select_related("award__application", "award__category__call", "award__company")
    for allowance in active.filter(inactivity_notice__isnull=True):
        state = idleness(allowance, today)
        if state.reached_half and send_inactivity_notice(allowance, state, now) is not None:
            report.notices += 1
    waiting = InactivityNotice.objects.filter(outcome=NoticeOutcome.OPEN).select_related(
        "allowance__award__company", "allowance__award__category__call"
    )
    for notice in waiting:
        outcome = _follow_up(notice, today, now)
        if outcome == NoticeOutcome.RESUMED:
            report.resumed += 1
        elif outcome == NoticeOutcome.VIOLATION:
            report.violations += 1
    report.pledges = open_pledges_due(today)
    logger.info("compliance: %s", report)
    return report


def send_inactivity_notice(allowance, state: Idleness, now):
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            notice = InactivityNotice.objects.create(
                allowance=allowance,
                sent_at=now,
                idle_weeks=state.idle_weeks,
                period_weeks=state.period_weeks,
                respond_by=today + datetime.timedelta(days=RESPOND_DAYS),
            )
    except IntegrityError:  # another run sent it
        return None
    notice.mail = _mail(notice, "inactivity", now=now)
    notice.save(update_fields=["mail"])
    return notice


def _void_reason(notice):
    """Why the three days passed without use cannot count as a violation: usage reported since
    shows the notice was not due, or the service was not active through them (suspended on one
    of them, even if reinstated since; used up or ended by the time they are checked, unless
    that happened only after them — the period's expiry the day after three days that end on
    its last day), or its period ended before the three days did, or the notice never reached
    a project contact (no contact address, or the mail was not sent: it failed, or is still
    waiting in the outbox). The operator can still record a violation by hand."""
    allowance = Allowance.objects.get(pk=notice.allowance_id)
    changed = allowance.state_changed_at
    first_day = timezone.localdate(notice.sent_at) + datetime.timedelta(days=1)
    with translation.override("zh-hant"):  # stored text: the record's language
        # Usage reported late (a training job's accounting arrives after the night's run) may
        # show that the weeks idle when the notice went were not more than half after all.
        if not idleness(allowance, timezone.localdate(notice.sent_at)).reached_half:
            return _("通知後補入之使用紀錄顯示，通知時未使用週數並未過半。")
        if allowance.state != AllowanceState.ACTIVE and (
            changed is None or timezone.localdate(changed) <= notice.respond_by
        ):
            return _("服務未在使用中（%(state)s）。") % {"state": allowance.get_state_display()}
        if notice.respond_by > allowance.ends_on:
            return _("改善期限晚於使用期間迄日。")
        if suspended_days(allowance, first_day, notice.respond_by):
            return _("服務未在使用中（%(state)s）。") % {"state": AllowanceState.SUSPENDED.label}
        mail = notice.mail
        service = allowance.award.category.call.service_email
        contacts = [address for address in (mail.to if mail else []) if address != service]
        if mail is None or mail.status != SentMail.Status.SENT or not contacts:
            return _("通知未送達專案聯絡人。")
    return ""


def violation_day(notice):
    """The day the inactivity rule's violation is dated: the day after the three days, or the
    period's last day when they end on it — a violation is something done during the period of
    use (使用規範: 於算力使用期間), and the record form refuses any other date."""
    return min(notice.respond_by + datetime.timedelta(days=1), notice.allowance.ends_on)


def inactivity_evidence(notice):
    """The inactivity rule's facts in words (the violation's 事證說明), in the active language."""
    return _(
        "未使用算力達 %(idle)s 週（核定使用期間共 %(weeks)s 週）；"
        "已於 %(sent)s 通知專案聯絡人，通知隔日起算 3 個日曆天內（至 %(by)s）無使用紀錄。"
    ) % {
        "idle": notice.idle_weeks,
        "weeks": notice.period_weeks,
        "sent": format_roc_date(timezone.localdate(notice.sent_at)),
        "by": format_roc_date(notice.respond_by),
    }


def _follow_up(notice, today, now):
    """Usage since the notice resolves it; none by the end of its three days is a violation."""
    allowance = notice.allowance
    sent_on = timezone.localdate(notice.sent_at)
    last = min(today, notice.respond_by)
    if usage_days(allowance, sent_on, last):
        notice.outcome = NoticeOutcome.RESUMED
        notice.save(update_fields=["outcome"])
        return notice.outcome
    if today <= notice.respond_by:
        return None
    void_reason = _void_reason(notice)
    if void_reason:
        with transaction.atomic():
            notice = InactivityNotice.objects.select_for_update().get(pk=notice.pk)
            if notice.outcome != NoticeOutcome.OPEN:
                return None
            notice.outcome = NoticeOutcome.VOID
            notice.void_reason = void_reason
            notice.save(update_fields=["outcome", "void_reason"])
        return notice.outcome
    with translation.override("zh-hant"):  # stored text: the record's language
        evidence = inactivity_evidence(notice)
    with transaction.atomic():
        notice = InactivityNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.outcome != NoticeOutcome.OPEN:
            return None
        notice.violation = record_violation(
            allowance.award,
            UsageRule.INACTIVITY,
            violation_day(notice),
            evidence,
            now=now,
        )
        notice.outcome = NoticeOutcome.VIOLATION
        notice.save(update_fields=["outcome", "violation"])
    return notice.outcome


# --- open-source pledges (加分項目 3/4) ----------------------------------------------------------

# How far back the daily run looks for periods that ended (a pledge is opened once).
PLEDGE_LOOKBACK_DAYS = 400


def pledged_addresses(award) -> dict[str, str]:
    """The application's pledged open-source addresses by field (無 and empty left out)."""
    application = award.application
    section = application.section(application.category)
    pledged = {}
    for name in PLEDGE_FIELDS:
        value = str(section.get(name) or "").strip()
        if value.startswith(("https://", "http://")):
            pledged[name] = value
    return pledged


def open_pledges(award) -> list:
    """The award's pledges, created (pending) the first time; idempotent."""
    for name, url in pledged_addresses(award).items():
        Pledge.objects.get_or_create(award=award, field=name, defaults={"url": url})
    return list(Pledge.objects.filter(award=award))


def open_pledges_due(today) -> int:
    """Open the pledges of every award whose period has ended; returns how many await the
    operator's check."""
    from aipower.review.models import Award

    ended = Award.objects.filter(
        ends_on__lt=today, ends_on__gte=today - datetime.timedelta(days=PLEDGE_LOOKBACK_DAYS)
    ).select_related("application")
    for award in ended:
        open_pledges(award)
    return Pledge.objects.filter(state=PledgeState.PENDING, award__ends_on__lt=today).count()


def check_pledge(pledge, met: bool, *, by, note="", request=None, now=None):
    """The operator's check of one pledge; an unmet one puts the company on the watch list."""
    now = now or timezone.now()
    with transaction.atomic():
        pledge = (
            Pledge.objects.select_for_update().select_related("award__company").get(pk=pledge.pk)
        )
        if pledge.state != PledgeState.PENDING:
            raise ValidationError(_("此承諾已確認。"), code="checked")
        pledge.state = PledgeState.MET if met else PledgeState.UNMET
        pledge.note = note
        pledge.checked_by = by
        pledge.checked_at = now
        pledge.save(update_fields=["state", "note", "checked_by", "checked_at"])
        if not met:
            with translation.override("zh-hant"):  # stored text: the list's language
                reason = _("同意上架之%(what)s（%(url)s）於算力平台使用期結束後未上架。") % {
                    "what": pledge.get_field_display(),
                    "url": pledge.url,
                }
            WatchEntry.objects.create(
                company=pledge.award.company, reason=reason, pledge=pledge, added_by=by,
                added_at=now,
            )  # fmt: skip
        audit.record(
            "compliance.pledge_checked", request=request, actor=by, obj=pledge, met=met, note=note
        )
    return pledge


def watch_entries(company_id):
    return list(WatchEntry.objects.filter(company_id=company_id))


def violation_count(company_id):
    return Violation.objects.filter(company_id=company_id).count()
