"""Business operations on applications: one function per thing the business does.

- ``start_application``: the company's application in a call (created as a draft).
- ``save_step``: a wizard page's 「下一步」 (lenient draft save, optimistic concurrency).
- ``submit_application``: 「送出，並完成申請」 (full validation, batch, number, fingerprint,
  version 1, receipt mail).
- ``update_after_submission``: 「檢視或更新申請表」 (a new version until the batch's cut-off or
  the operator's freeze, and afterwards for the pages an open supplement request names).

Each runs in a transaction and locks the application row; a stale ``revision`` (another tab
saved first) is refused with ``StaleRevision``.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aipower.calls.enums import CategoryKind
from aipower.calls.models import Category, effective_cutoff, to_the_second
from aipower.core import audit, notices
from aipower.core.i18n import batch_number
from aipower.core.roc import format_date_in, format_roc_date

from . import flow, hooks, outbox
from .enums import ApplicationState
from .models import Application, ApplicationVersion, SentMail

STALE_MESSAGE = _("資料已在其他視窗更新，請確認目前內容後再儲存")
CATEGORY_CODES = {CategoryKind.TRAINING: "T", CategoryKind.INFERENCE: "I"}


class ApplicationError(Exception):
    """A refused operation, with a message for the user."""

    def __init__(self, message, application=None):
        super().__init__(str(message))
        self.message = message
        self.application = application


class StaleRevision(ApplicationError):
    def __init__(self, application):
        super().__init__(STALE_MESSAGE, application)


class SubmissionRefused(ApplicationError):
    pass


class ApplicationIncomplete(ApplicationError):
    def __init__(self, step, application):
        super().__init__(_("申請資料尚未填寫完整，請修正標示的欄位後再送出"), application)
        self.step = step


class ApplicationLocked(ApplicationError):
    pass


def application_in_call(company, call):
    """The company's application in ``call`` (one per company per call), or None."""
    if call is None:
        return None
    return (
        Application.objects.select_related("call", "company", "batch")
        .filter(call=call, company=company)
        .first()
    )


def submitted_application(company, call):
    """The company's submitted application in ``call``, or None. One application per company
    per call: once it is submitted, no other can be started there (``/apply/`` leads to
    申請案狀態, where it is viewed and, while allowed, updated)."""
    app = application_in_call(company, call)
    return app if app is not None and app.is_submitted else None


def start_application(company, call):
    """The company's application in ``call`` (one per company per call), created if needed."""
    application, _created = Application.objects.get_or_create(call=call, company=company)
    return application


ANY_REVISION = object()


def _locked(application, revision):
    """Lock the application's row; refuse unless ``revision`` is the one stored (pass
    ``ANY_REVISION`` for operations that do not edit answers)."""
    locked = (
        # Lock only the application's own row: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the outer join that select_related("batch") makes.
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "company", "batch")
        .get(pk=application.pk)
    )
    if revision is ANY_REVISION:
        return locked
    try:
        current = int(revision) == locked.revision
    except (TypeError, ValueError):
        current = False
    if not current:
        raise StaleRevision(locked)
    return locked


def save_step(application, step, form, *, revision, user, advance=True, to=None, now=None):
    """Save a wizard page of a draft. ``form`` is bound and validated (draft mode); what the
    user typed is kept even where it is invalid. The wizard resumes at ``to`` (the page the
    user goes to when leaving by 「上一步」 or the step list), else at the next page when
    ``advance``, else at this one. Returns the saved application."""
    now = now or timezone.now()
    with transaction.atomic():
        app = _locked(application, revision)
        if app.is_submitted:
            raise ApplicationLocked(_("申請案已送出，請使用「檢視或更新申請表」"), app)
        step.done(app, form, now)
        following = to or (flow.next_step(app, step) if advance else step)
        app.current_step = following.identifier
        app.revision += 1
        app.save()
    return app


def submission_snapshot(app):
    """What is submitted: the company, the category and the answers of that category only."""
    sections = ["terms", "profile", "declaration", app.category, "pledge"]
    return {
        "call": app.call.year,
        "company": {"ubn": app.company.ubn, "name": app.company.name},
        "category": app.category,
        "answers": {name: app.data.get(name) or {} for name in sections},
    }


def fingerprint(snapshot):
    """sha256 of the canonical JSON (sorted keys, no spaces, UTF-8: ``audit.canonical_json``)."""
    return hashlib.sha256(audit.canonical_json(snapshot).encode("utf-8")).hexdigest()


def _next_number(app, category):
    # Lock the category row so two submissions cannot take the same number.
    Category.objects.select_for_update().get(pk=category.pk)
    taken = Application.objects.filter(
        call=app.call, category=app.category, number__isnull=False
    ).count()
    return f"AP{app.call.year}-{CATEGORY_CODES[app.category]}-{taken + 1:04d}"


NOT_ELIGIBLE_MESSAGE = _(
    "依稅籍登記資料及管制名單，貴公司目前不符合申請資格，無法送出申請；您的草稿已保留。"
    "如認為資料有誤，請洽申請客服信箱 %(email)s。"
)


def not_eligible(company, call):
    """The automatic pre-check's verdict when it refuses ``company`` in ``call`` (not in the
    registry's eligible industries, a branch, on the operator's lists — e.g. barred after a
    violation), else None. A company the registry cannot verify may apply: the operator checks
    it at the eligibility review."""
    from aipower.registry.enums import VerdictStatus

    verdict = pre_check(company, call)
    return verdict if verdict.status == VerdictStatus.NOT_ELIGIBLE else None


def pre_check(company, call):
    """The automatic pre-check's verdict for ``company`` in ``call``, whatever it says."""
    from aipower.registry.services import verdict_for

    return verdict_for(company.ubn, call)


def record_resending_verdict(app, now):
    """Keep the pre-check as it stands when ``app`` is sent again (after a supplement), next
    to the first sending's: the staff see whether it changed between sendings."""
    from aipower.registry.models import RecordedVerdict
    from aipower.registry.services import record_verdict

    last = app.versions.order_by("-number").values_list("number", flat=True).first()
    return record_verdict(
        app,
        pre_check(app.company, app.call),
        at=now,
        sending=RecordedVerdict.Sending.RESUBMITTED,
        version=last,
    )


def not_open_message(call, now):
    """Why a draft cannot be sent while ``call`` is not open: paused by the organiser, not
    open yet, or past its deadline (each says the draft is kept)."""
    if call.is_suspended:
        return _("主辦單位已暫停收件，目前無法送出申請；您的草稿已保留，恢復收件時將另行公告。")
    if now < call.opens_at:
        return _("本計畫將於 %(date)s 開始收件，目前無法送出申請；您的草稿已保留。") % {
            "date": format_taipei(call.opens_at)
        }
    return _("已超過收件截止時間（%(deadline)s），無法送出申請；您的草稿已保留。") % {
        "deadline": format_taipei(call.closes_at)
    }


def submit_application(application, user, now=None, *, request=None):
    """Submit a complete draft while the call is open (server clock). Refused submissions
    leave the draft as it was."""
    now = now or timezone.now()
    with transaction.atomic():
        app = _locked(application, ANY_REVISION)
        if app.is_submitted:
            raise SubmissionRefused(_("此申請案已送出，不可重複送出"), app)
        if not app.call.is_open(now):
            raise SubmissionRefused(not_open_message(app.call, now), app)
        from aipower.registry.enums import VerdictStatus
        from aipower.registry.services import record_verdict

        verdict = pre_check(app.company, app.call)
        if verdict.status == VerdictStatus.NOT_ELIGIBLE:
            raise SubmissionRefused(NOT_ELIGIBLE_MESSAGE % {"email": app.call.service_email}, app)
        incomplete = flow.first_incomplete_step(app)
        if incomplete is not None:
            raise ApplicationIncomplete(incomplete, app)
        category = app.call.categories.get(kind=app.category)
        batch = hooks.batch_for(category, now)
        if batch is None:
            raise SubmissionRefused(
                _("本類別已無可收件的審查梯次，無法送出申請；您的草稿已保留。"), app
            )
        snapshot = submission_snapshot(app)
        app.number = _next_number(app, category)
        app.state = ApplicationState.SUBMITTED
        app.submitted_at = now
        app.batch = batch
        app.fingerprint = fingerprint(snapshot)
        app.current_step = flow.DoneStep.identifier
        app.revision += 1
        app.save()
        ApplicationVersion.objects.create(
            application=app,
            number=1,
            data=snapshot,
            fingerprint=app.fingerprint,
            changed_fields=[],
            created_by=user,
            created_at=now,
        )
        # The pre-check as it stood at sending: the review may read a newer data set.
        record_verdict(app, verdict, at=now, version=1)
        audit.record(
            "application.submitted",
            request=request,
            actor=user,
            obj=app,
            number=app.number,
            batch=batch.number,
            fingerprint=app.fingerprint,
        )
    send_submission_receipt(app)
    return app


def is_frozen(app, now=None):
    """After its batch's cut-off (or the call's close) a submitted application is frozen; so is
    one the review has taken up (the operator froze the batch, or decided on it)."""
    now = now or timezone.now()
    if app.batch is None or app.state != ApplicationState.SUBMITTED:
        return True
    return to_the_second(now) > effective_cutoff(app.batch, app.call)


def already_applied_message(app):
    """Why 「我要申請」 leads to 申請案狀態: the company's application in this call is sent. It
    may still be updated until its batch's cut-off; after that (or once the review has it) it
    is only for viewing, and the sentence says so."""
    if is_frozen(app):
        message = _(
            "貴公司本年度已提出申請（%(number)s），每家公司每年度限申請一案；"
            "請於「申請案狀態」檢視申請案。"
        )
    else:
        message = _(
            "貴公司本年度已提出申請（%(number)s），每家公司每年度限申請一案；"
            "請於「申請案狀態」檢視或更新申請案。"
        )
    return message % {"number": app.number}


def is_editable_after_submission(app, step, now=None):
    """Whether the applicant may change ``step``'s answers of a submitted application: the
    updatable pages until the freeze, then only the pages an open supplement request names."""
    if app.state == ApplicationState.SUPPLEMENT_REQUESTED:
        return step.identifier in hooks.supplement_steps(app)
    return step.identifier in flow.UPDATABLE_AFTER_SUBMISSION and not is_frozen(app, now)


# Where the review ended with the application (not accepted, ineligible, approved or not).
DECIDED_STATES = (
    ApplicationState.NOT_ACCEPTED,
    ApplicationState.INELIGIBLE,
    ApplicationState.APPROVED,
    ApplicationState.NOT_APPROVED,
)


def _past_cutoff(app, now=None):
    """Whether ``app``'s batch stopped taking applications (or it has none)."""
    if app.batch is None:
        return True
    return to_the_second(now or timezone.now()) > effective_cutoff(app.batch, app.call)


def _lock_cause(app, now=None):
    """Why the pages of submitted ``app`` that are not editable now are locked: the batch's
    cut-off only once it has passed (the review may take an application up before it), and,
    while a supplement request is open, that the page is not one it names (or, past the
    request's deadline, when it names none, that the deadline has passed)."""
    if app.state == ApplicationState.SUPPLEMENT_REQUESTED:
        return "supplement" if hooks.supplement_steps(app) else "supplement_due"
    if _past_cutoff(app, now):
        return "cutoff"
    # The operator froze the batch or decided on the application before its cut-off.
    return "decided" if app.state in DECIDED_STATES else "in_review"


# The cause: (said when a save is refused, said on the page).
LOCK_MESSAGES = {
    "supplement": (
        _("此頁不在補件範圍內，無法更新"),
        _("申請表已凍結；此頁不在補件範圍內，僅供檢視。請更新補件通知所列之頁面："),
    ),
    "supplement_due": (
        _("補件期限已過，無法再更新"),
        _("補件期限已過，申請表已凍結，僅供檢視。"),
    ),
    "cutoff": (
        _("審查梯次已截止收件，申請表已凍結，無法再更新"),
        _("審查梯次已截止收件，申請表已凍結，僅供檢視。"),
    ),
    "decided": (
        _("申請案審查已有結果，申請表無法再更新"),
        _("申請案審查已有結果，申請表僅供檢視。"),
    ),
    "in_review": (
        _("申請案已進入審查，申請表已凍結，無法再更新"),
        _("申請案已進入審查，申請表已凍結，僅供檢視。"),
    ),
}


def locked_reason(app, now=None):
    """Why a page of submitted ``app`` that is not editable now cannot be updated."""
    return LOCK_MESSAGES[_lock_cause(app, now)][0]


def frozen_message(app, now=None):
    """Why the pages of frozen ``app`` are only for viewing, as its pages say."""
    return LOCK_MESSAGES[_lock_cause(app, now)][1]


def pages_changed_since(app, since, versions):
    """``{step identifier: when it was last changed}`` for the wizard pages of ``app`` whose
    answers a version made after ``since`` changed (``versions``: its versions, e.g. as already
    fetched). A version names its changes as ``section.field``; pages sharing a section (the
    category's) are told apart by their form's fields."""
    changed = {}
    steps = flow.applicable_steps(app)
    for version in versions:
        if version.created_at <= since:
            continue
        for name in version.changed_fields or ():
            section, _dot, field = name.partition(".")
            owners = [step for step in steps if step.section == section]
            owner = next(
                (step for step in owners if field in step.form_class.base_fields),
                owners[0] if len(owners) == 1 else None,
            )
            if owner is not None:
                at = changed.get(owner.identifier, version.created_at)
                changed[owner.identifier] = max(at, version.created_at)
    return changed


def changed_fields(before, after):
    """``section.field`` names whose values differ between two snapshots' answers."""
    changed = []
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section) or {}, after.get(section) or {}
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                changed.append(f"{section}.{name}")
    return changed


def update_after_submission(application, step, form, *, revision, user, now=None, request=None):
    """Apply a fully valid page to a submitted application and keep a new version (who, when,
    which fields changed). Refused after the batch's cut-off; the category never changes."""
    now = now or timezone.now()
    supplementing = application.state == ApplicationState.SUPPLEMENT_REQUESTED
    if step.identifier not in flow.UPDATABLE_AFTER_SUBMISSION and not supplementing:
        raise ApplicationLocked(_("此頁於送出後不得更動"), application)
    if not form.is_valid() or form.draft:
        raise ValueError("update_after_submission needs a fully validated form")
    with transaction.atomic():
        app = _locked(application, revision)
        if not app.is_submitted:
            raise ApplicationLocked(_("申請案尚未送出"), app)
        if not step.is_applicable(app):
            raise ApplicationLocked(_("此頁不屬於本申請案的申請類別"), app)
        if not is_editable_after_submission(app, step, now):
            raise ApplicationLocked(locked_reason(app, now), app)
        before = submission_snapshot(app)
        step.done(app, form, now)
        after = submission_snapshot(app)
        changes = changed_fields(before["answers"], after["answers"])
        if not changes:
            return app, None
        app.fingerprint = fingerprint(after)
        app.revision += 1
        app.save()
        last = app.versions.order_by("-number").first()
        version = ApplicationVersion.objects.create(
            application=app,
            number=(last.number if last else 0) + 1,
            data=after,
            fingerprint=app.fingerprint,
            changed_fields=changes,
            created_by=user,
            created_at=now,
        )
        audit.record(
            "application.updated",
            request=request,
            actor=user,
            obj=app,
            version=version.number,
            changed_fields=changes,
        )
    return app, version


def frozen_version(app, at=None):
    """The version reviewers see: the last one made before the batch's cut-off, or before
    ``at`` (the operator's freeze, or a supplement's re-submission) when given."""
    if app.batch is None:
        return None
    if at is None:
        # The cut-off's whole last second, as ``is_frozen`` lets it be used (``to_the_second``):
        # a version sent at 23:59:59.6 is the one reviewed.
        until = to_the_second(app.batch.cutoff_at) + datetime.timedelta(seconds=1)
        return app.versions.filter(created_at__lt=until).order_by("-number").first()
    return app.versions.filter(created_at__lte=at).order_by("-number").first()


def format_taipei(moment, language=None):
    """``115年05月01日 14:03:22`` (Asia/Taipei, the ROC calendar); with ``language``, the date as
    a page in that language writes it (``2026-05-01 14:03:22`` in English)."""
    local = timezone.localtime(moment)
    day = format_roc_date(local) if language is None else format_date_in(local.date(), language)
    return f"{day} {local:%H:%M:%S}"


def contact_emails(app):
    """The project contacts' addresses (主持人, 專案聯絡人, 專案聯絡人(2) when given), less those
    a data subject asked us to stop using."""
    profile = app.section("profile")
    withheld = hooks.withheld_addresses(app.company_id)
    emails = []
    for key in ("pi_email", "contact_email", "contact2_email"):
        email = (profile.get(key) or "").strip()
        if email and email not in emails and email.lower() not in withheld:
            emails.append(email)
    return emails


def contacts_and_service_address(app):
    """The project contacts and the call's service address (notices the operator keeps a copy
    of: the service ended, deliverables overdue, compliance)."""
    recipients = contact_emails(app)
    service = app.call.service_email
    if service and service not in recipients:
        recipients.append(service)
    return recipients


def send_mail_stored(
    *, to, subject, body, application=None, now=None, resent_from=None, to_staff=False
):
    """Put an e-mail in the outbox (``SentMail``, 待寄送); the new SentMail.

    It is sent by the background worker once the current transaction commits (``outbox``):
    the request never waits on the mail server, and a rolled-back operation leaves neither the
    mail nor its row. A mail server failure never undoes the business operation: the mail is
    retried, then kept as failed for the operator, who sees it on the mail log (/staff/mail/)
    and can send it again (``mailbox.resend``). ``to_staff``: a mail to staff members about
    ``application``, which the company's dashboard never lists.
    """
    queued_at = now or timezone.now()
    mail = SentMail.objects.create(
        to=list(to),
        to_staff=to_staff,
        subject=subject,
        body=body,
        application=application,
        queued_at=queued_at,
        next_attempt_at=queued_at + outbox.QUEUE_GRACE,
        resent_from=resent_from,
    )
    transaction.on_commit(partial(outbox.hand_over, mail), robust=True)
    return mail


def send_once(notices, *, application, copy_operator, render, now, **lookup):
    """A notice sent once: create ``notices`` row ``lookup`` (+ ``sent_at``) first, then mail
    the contacts (and the call's service address when ``copy_operator``) what ``render()``
    returns. Nothing happens when that notice exists — sent by an earlier run, or by another
    run at this moment (the row's unique constraint). Returns the new notice, or None."""
    if notices.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():
            notice = notices.create(**lookup, sent_at=now)
    except IntegrityError:  # another run sent it
        return None
    if copy_operator:
        recipients = contacts_and_service_address(application)
    else:
        recipients = contact_emails(application)
    if recipients:
        subject, body = render()
        notice.mail = send_mail_stored(
            to=recipients, subject=subject, body=body, application=application, now=now
        )
        notice.save(update_fields=["mail"])
    return notice


def send_submission_receipt(app):
    """The receipt of a submission (template ``application_submitted``), in the language the
    applicant submitted in."""
    recipients = contact_emails(app)
    if not recipients:
        return None
    language = "en" if (translation.get_language() or "").startswith("en") else "zh"
    # Dates as the receipt page in that language writes them: 民國 in zh-Hant, ISO in English.
    context = {
        "number": app.number,
        "company": app.company.name,
        "ubn": app.company.ubn,
        "category": CategoryKind(app.category).label,
        "submitted_at": format_taipei(app.submitted_at, language),
        "batch": batch_number(app.batch.number),  # 第一梯次 / Batch 1
        "review_date": format_date_in(app.batch.review_date, language),
        "fingerprint": app.fingerprint,
    }
    subject, body = notices.render("application_submitted", context, language)
    return send_mail_stored(to=recipients, subject=subject, body=body, application=app)
