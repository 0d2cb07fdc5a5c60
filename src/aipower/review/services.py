"""The review's business operations: one function per thing the business does.

Eligibility (``freeze_batch``, ``decide_eligibility``, ``request_supplement``,
``answer_supplement``, ``expire_supplements``), professional review (``assign_reviewer``,
``unassign_reviewer``, ``declare_conflict``, ``step_aside``, ``save_scores``, ``reopen_scores``,
``remind_reviewers``), the meeting (``ranking``, ``stage_decision``, ``override_points``,
``approve_batch``) and the award (``create_award``). State changes go through
``workflow.transition``; every operation checks who acts, runs in a transaction and writes
the audit log.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from aipower.accounts import rules
from aipower.accounts.enums import Role
from aipower.applications import flow
from aipower.applications import services as application_services
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application
from aipower.applications.services import ApplicationError, format_taipei
from aipower.calls.enums import CategoryKind
from aipower.calls.models import CatalogueModel, Tier, to_the_second
from aipower.calls.services import next_batch
from aipower.core import audit
from aipower.core.i18n import join_list
from aipower.core.validators import normalize_ubn

from . import notifications, workflow
from .models import (
    Assignment,
    Award,
    BatchReview,
    Budget,
    Decision,
    ReviewerProfile,
    Score,
    StartupPrioritySettlement,
    StateChange,
    SupplementRequest,
    affiliation_lines,
)
from .signals import award_created

DEFAULT_MINIMUM_REVIEWERS = 3
REMINDER_BEFORE_DEADLINE = datetime.timedelta(days=2)
NO_TIER = "none"  # a reviewer's 「不推薦」
# The wizard pages a supplement request may name: what may change after submission, plus the
# declarations (the category never changes).
SUPPLEMENT_STEPS = ["profile", "declaration"] + [
    step.identifier for step in flow.STEPS if step.category is not None
]
ELIGIBILITY_STATES = (S.SUBMITTED, S.ELIGIBILITY_REVIEW, S.RESUBMITTED)
REVIEW_STATES = (S.ELIGIBLE, S.IN_REVIEW, S.DECIDED, S.APPROVED, S.NOT_APPROVED)
# An application of a batch in one of these has no meeting decision yet (the list must wait).
UNDECIDED_STATES = (*ELIGIBILITY_STATES, S.ELIGIBLE, S.IN_REVIEW)
# The operator settles the start-up priority until the meeting decides, a supplement pending
# too (the MOEA date is looked up, not asked of the applicant).
PRIORITY_SETTLING_STATES = (*UNDECIDED_STATES, S.SUPPLEMENT_REQUESTED)


def tier_label(tier):
    """One label for a tier everywhere: 「L1（1,000）」 (the points with a thousands separator),
    「L1 (1,000)」 in English."""
    return gettext("%(code)s（%(points)s）") % {"code": tier.code, "points": f"{tier.points:,}"}


def batch_label(batch):
    """「115 模型訓練類 第二梯次」 in zh-Hant (as the programme document writes it); "2026 Model
    training, batch 2" in English (the category's English name when the operator typed one)."""
    from aipower.core.i18n import batch_number, localized

    category = batch.category
    english = translation.get_language() == "en"
    return _("%(year)s %(category)s 第%(number)s梯次") % {
        "year": category.call.year + 1911 if english else category.call.year,
        "category": localized(category, "name"),
        "number": batch_number(batch.number),
    }


class ReviewError(Exception):
    """A refused review operation, with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotPermitted(ReviewError):
    def __init__(self, message=None):
        super().__init__(message or _("您沒有權限執行此操作"))


def _require(allowed, message=None):
    if not allowed:
        raise NotPermitted(message)


# --- batches and versions ---------------------------------------------------------------


def batch_review(batch):
    return BatchReview.objects.get_or_create(batch=batch)[0]


def is_batch_frozen(batch):
    return BatchReview.objects.filter(batch=batch, frozen_at__isnull=False).exists()


def is_batch_approved(batch):
    return BatchReview.objects.filter(batch=batch, approved_at__isnull=False).exists()


def open_batch(category, now=None):
    """The batch an application submitted (or re-submitted after a supplement) at ``now``
    joins (03-rules): the first whose cut-off has not passed and that the operator has not
    frozen — a batch frozen before its cut-off takes no more applications. ``None`` when no
    batch of the category is left."""
    frozen = BatchReview.objects.filter(
        batch__category=category, frozen_at__isnull=False
    ).values_list("batch_id", flat=True)
    return next_batch(category, now, exclude=list(frozen))


def _move_to_batch(app, batch, by, *, reason, request=None):
    """Put ``app`` in ``batch`` (a later one), audited with why."""
    before = app.batch
    app.batch = batch
    app.save(update_fields=["batch"])
    audit.record(
        "review.batch_changed",
        request=request,
        actor=by,
        obj=app,
        number=app.number,
        before=before.number if before else None,
        after=batch.number,
        reason=reason,
    )


def freeze_batch(batch, by, *, request=None, now=None):
    """Freeze ``batch``: the versions that stand now are the ones reviewed; its submitted
    applications move to eligibility review. Refused when already frozen."""
    _require(rules.can_review_eligibility(by))
    now = now or timezone.now()
    with transaction.atomic():
        review = BatchReview.objects.select_for_update().get_or_create(batch=batch)[0]
        if review.frozen_at is not None:
            raise ReviewError(_("此梯次已凍結"))
        review.frozen_at, review.frozen_by = now, by
        review.save()
        moved = []
        for app in Application.objects.filter(batch=batch, state=S.SUBMITTED):
            workflow.transition(app, S.ELIGIBILITY_REVIEW, by, request=request, now=now)
            moved.append(app.number)
        audit.record(
            "review.batch_frozen", request=request, actor=by, obj=batch, applications=moved
        )
    return review


def form_title(app):
    """The printed application's title as the programme names its form: 「115年算力平台使用申請書
    （模型訓練類）」 (the staff's print page and PDF said the call's 「算力平台申請說明」, the
    name of the call's instructions, as the applicant's own print does not)."""
    if app.category:
        return gettext("%(year)s年算力平台使用申請書（%(category)s）") % {
            "year": app.call.year,
            "category": app.get_category_display(),
        }
    return gettext("%(year)s年算力平台使用申請書") % {"year": app.call.year}


def reviewed_version(app):
    """The version under review: the one standing at the batch's freeze, or — after a
    supplement was answered — the one standing at the re-submission."""
    review = BatchReview.objects.filter(batch_id=app.batch_id).first()
    moments = [review.frozen_at] if review and review.frozen_at else []
    answered = (
        app.supplement_requests.filter(answered_at__isnull=False).order_by("-answered_at").first()
    )
    if answered:
        moments.append(answered.answered_at)
    return application_services.frozen_version(app, at=max(moments) if moments else None)


# --- eligibility --------------------------------------------------------------------------


def precheck(app):
    """The automatic pre-check of 03-rules with its evidence, plus prohibited models named."""
    from aipower.registry.eligibility import Declarations
    from aipower.registry.services import verdict_for

    answers = app.section("declaration").get("self_declarations") or {}

    def answer(key):
        return (answers.get(key) or {}).get("answer")

    declarations = (
        Declarations(
            answer("no_mainland_capital"), answer("no_major_breach"), answer("no_serious_violation")
        )
        if answers
        else None
    )
    verdict = verdict_for(app.company.ubn, app.call, declarations)
    named = set(chosen_models(app))
    prohibited = sorted(
        CatalogueModel.objects.filter(
            call=app.call, prohibited=True, display_name__in=named
        ).values_list("display_name", flat=True)
    )
    return verdict, prohibited + prohibited_mentions(app)


# The training form's free-text model names (A-1 上傳模型名稱, A-4 基礎模型名稱).
FREE_TEXT_MODEL_FIELDS = (("container_model_name", "A-1"), ("container_base_model", "A-4"))


def _squash(text):
    """Compared without case, spaces and the usual separators: "DeepSeek R1" ~ "deepseek-r1"."""
    return re.sub(r"[\s\-_./:]+", "", text).casefold()


def prohibited_mentions(app):
    """Prohibited catalogue models (by name, vendor or upstream id) that the training form's
    A-1/A-4 free text mentions, each as "model（A-n：the text）" for the operator."""
    if app.category != CategoryKind.TRAINING:
        return []
    section = app.section("training")
    texts = []
    for name, label in FREE_TEXT_MODEL_FIELDS:
        text = str(section.get(name) or "").strip()
        if text and text != "無":
            texts.append((label, text, _squash(text)))
    if not texts:
        return []
    found = []
    for model in CatalogueModel.objects.filter(call=app.call, prohibited=True):
        upstream = model.upstream_id or ""
        terms = {model.display_name, model.vendor, upstream, upstream.rpartition("/")[2]}
        terms = {_squash(term) for term in terms if term}
        terms = {term for term in terms if len(term) >= 3}
        for label, text, squashed in texts:
            if any(term in squashed for term in terms):
                found.append(
                    gettext("%(model)s（%(field)s：%(text)s）")
                    % {"model": model.display_name, "field": label, "text": text}
                )
    return found


def _start_eligibility_review(app, by, request, now):
    app = Application.objects.select_for_update().get(pk=app.pk)
    if app.state == S.SUBMITTED:
        app = workflow.transition(app, S.ELIGIBILITY_REVIEW, by, request=request, now=now)
    return app


def decide_eligibility(app, outcome, by, *, reason="", request=None, now=None):
    """Eligible or ineligible (with reason), by the operator."""
    _require(rules.can_review_eligibility(by))
    if outcome not in (S.ELIGIBLE, S.INELIGIBLE):
        raise ReviewError(_("請選擇審查結果"))
    now = now or timezone.now()
    with transaction.atomic():
        app = _start_eligibility_review(app, by, request, now)
        return workflow.transition(app, outcome, by, reason=reason, request=request, now=now)


def request_supplement(app, by, *, message, deadline, steps, request=None, now=None):
    """補件: ask for the named pages by ``deadline``; the applicant is notified."""
    _require(rules.can_review_eligibility(by))
    now = now or timezone.now()
    steps = [step for step in SUPPLEMENT_STEPS if step in set(steps or ())]
    applicable = {step.identifier for step in flow.applicable_steps(app)}
    steps = [step for step in steps if step in applicable]
    if not steps:
        raise ReviewError(_("請選擇需補正之頁面"))
    if not (message or "").strip():
        raise ReviewError(_("請填寫補件說明"))
    if deadline <= now:
        raise ReviewError(_("補件期限須晚於現在"))
    with transaction.atomic():
        app = _start_eligibility_review(app, by, request, now)
        supplement = SupplementRequest.objects.create(
            application=app,
            message=message.strip(),
            steps=steps,
            deadline=deadline,
            requested_by=by,
            requested_at=now,
        )
        workflow.transition(
            app,
            S.SUPPLEMENT_REQUESTED,
            by,
            reason=message,
            request=request,
            now=now,
            deadline=format_taipei(deadline),
            steps=steps,
        )
    return supplement


def open_supplement(app):
    if app.state != S.SUPPLEMENT_REQUESTED:
        return None
    return (
        SupplementRequest.objects.filter(
            application=app, answered_at__isnull=True, expired_at__isnull=True
        )
        .order_by("-requested_at")
        .first()
    )


def requested_steps(app, now=None):
    """The pages an open supplement request names, while its deadline has not passed: after
    it they are read-only at once, not only when the expiry job has run."""
    supplement = open_supplement(app)
    if supplement is None or to_the_second(now or timezone.now()) > supplement.deadline:
        return ()
    return tuple(supplement.steps)


def answer_supplement(app, user, *, request=None, now=None):
    """The applicant re-submits after editing what was asked (before the deadline)."""
    now = now or timezone.now()
    with transaction.atomic():
        supplement = open_supplement(app)
        if supplement is None:
            raise ReviewError(_("目前沒有待補正的資料"))
        if to_the_second(now) > supplement.deadline:
            raise ReviewError(_("已超過補件期限，無法重新送出"))
        supplement.answered_at = now
        supplement.save(update_fields=["answered_at"])
        try:
            app = workflow.transition(app, S.RESUBMITTED, user, request=request, now=now)
        except workflow.TransitionRefused as error:
            raise ReviewError(error.message) from error
        # 03-rules: an application re-submitted after a supplement joins the batch whose
        # cut-off comes next. Before its batch's cut-off it stays (even when the operator froze
        # the batch early: the supplement was asked for in this batch's review); after the last
        # cut-off it stays too, and its batch waits for it (``approve_batch``).
        target = next_batch(app.batch.category, now) if app.batch_id else None
        if target is not None and target.pk != app.batch_id:
            _move_to_batch(app, target, user, reason="resubmitted", request=request)
        application_services.record_resending_verdict(app, now)
        return app


def expire_supplements(now=None):
    """Supplements not answered by their deadline make the application 「不予受理」, with
    notice; those due within two days get one reminder. Idempotent: a second run finds
    nothing left to do. Returns (expired application numbers, reminded numbers)."""
    now = now or timezone.now()
    expired, reminded = [], []
    due = SupplementRequest.objects.filter(
        answered_at__isnull=True, expired_at__isnull=True, deadline__lt=to_the_second(now)
    ).select_related("application")
    for supplement in due:
        with transaction.atomic():
            locked = SupplementRequest.objects.select_for_update().get(pk=supplement.pk)
            app = locked.application
            if not locked.is_open or app.state != S.SUPPLEMENT_REQUESTED:
                continue
            locked.expired_at = now
            locked.save(update_fields=["expired_at"])
            workflow.transition(
                app,
                S.NOT_ACCEPTED,
                None,
                reason=_("逾補件期限未補正").__str__(),
                now=now,
                deadline=format_taipei(locked.deadline),
            )
            expired.append(app.number)
    near = SupplementRequest.objects.filter(
        answered_at__isnull=True,
        expired_at__isnull=True,
        reminded_at__isnull=True,
        deadline__gte=now,
        deadline__lte=now + REMINDER_BEFORE_DEADLINE,
    ).select_related("application")
    for supplement in near:
        with transaction.atomic():
            updated = SupplementRequest.objects.filter(
                pk=supplement.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not updated:
                continue
            notifications.queue_for_application(
                "supplement_reminder",
                supplement.application,
                deadline=format_taipei(supplement.deadline),
            )
            reminded.append(supplement.application.number)
    return expired, reminded


# --- professional review ----------------------------------------------------------------


def minimum_reviewers(category, budget=None):
    """How many reviewers' submitted scores a decision needs; ``budget``: the category's
    ``Budget`` when the caller read it already."""
    budget = budget or Budget.objects.filter(category=category).first()
    return budget.minimum_reviewers if budget else DEFAULT_MINIMUM_REVIEWERS


NOT_AN_AFFILIATION = frozenset(
    {"無", "none", "n/a", "-", "—", "公司", "有限公司", "股份有限公司", "有限合夥", "合夥", "獨資"}
)


_NOT_GIVEN = object()

# The stored flag's room: an affiliation line is quoted in it, and may be long.
FLAG_LENGTH = Assignment._meta.get_field("conflict_flag").max_length

# The flags ``conflict_flag`` writes, stored as text in the language of the page that caused
# the check (usually zh-Hant): ``flag_in_language`` shows one in the reader's language.
FLAG_OWN_COMPANY = gettext_noop("審查委員所屬企業即為申請企業")
FLAG_AFFILIATION = gettext_noop("審查委員聲明之任職或關係機構與申請企業相同：%(line)s")
FLAG_PERSON = gettext_noop("審查委員聲明之關係人為申請企業代表人：%(line)s")
FLAG_SHARED_REPRESENTATIVE = gettext_noop(
    "審查委員聲明之關係機構（%(ubn)s）與申請企業代表人相同：%(name)s"
)
FLAG_TEXTS = (FLAG_OWN_COMPANY, FLAG_AFFILIATION, FLAG_PERSON, FLAG_SHARED_REPRESENTATIVE)


def conflict_flag(reviewer, app, profile=_NOT_GIVEN, others=None, ignore=""):
    """An obvious conflict the system sees: the reviewer's own company, or an affiliation they
    declared that names the applicant's 統一編號, its name or its representative. ``profile``
    and ``others`` (the affiliated companies' applications): given when the caller read them
    already (``conflict_flags``); otherwise looked up. ``ignore``: a flag the operator
    confirmed is not a conflict — the check goes on to the next match instead."""
    for flag in _conflicts_seen(reviewer, app, profile, others):
        if flag[:FLAG_LENGTH] != ignore:
            return flag
    return ""


def _conflicts_seen(reviewer, app, profile, others):
    company = app.company
    if reviewer.company_id and reviewer.company_id == company.pk:
        yield gettext(FLAG_OWN_COMPANY)
    if profile is _NOT_GIVEN:
        profile = ReviewerProfile.objects.filter(user=reviewer).first()
    if profile is None:
        return
    representative = comparable(app.section("profile").get("representative") or "")
    name, ubn = comparable(company.name), company.ubn
    for line in profile.affiliation_lines():
        text = comparable(line)
        # 「無」 (the forms' word for none) or a bare legal form (「股份有限公司」) names no
        # organisation: as part of a name it would flag 無人機… or every company.
        if not text or text in NOT_AN_AFFILIATION:
            continue
        if text == ubn or text in name or name in text:
            yield gettext(FLAG_AFFILIATION) % {"line": line}
        elif representative and text == representative:
            yield gettext(FLAG_PERSON) % {"line": line}
    shared = _shared_representative(profile, app, representative, others)
    if shared:
        yield shared


def _flag_pattern(text):
    pieces = re.split(r"%\((\w+)\)s", text)
    return "".join(
        re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.*)"
        for index, piece in enumerate(pieces)
    )


def flag_in_language(stored):
    """A stored flag in the active language (a flag the check did not write, as it is)."""
    for text in FLAG_TEXTS:
        for language in ("zh-hant", "en"):
            with translation.override(language):
                written = gettext(text)
            found = re.fullmatch(_flag_pattern(written), stored, re.DOTALL)
            if found:
                return gettext(text) % found.groupdict() if found.groupdict() else gettext(text)
    return stored


def _affiliated_ubns(profiles, app):
    """The 統一編號 the reviewers' affiliation lines name, other than the applicant's."""
    ubns = {comparable(line) for profile in profiles for line in profile.affiliation_lines()}
    return {ubn for ubn in ubns if re.fullmatch(r"\d{8}", ubn) and ubn != app.company.ubn}


def _applications_of_companies(ubns):
    return (
        Application.objects.filter(company__ubn__in=ubns)
        .select_related("company")
        .order_by("company__ubn", "-pk")
    )


def conflict_flags(app, reviewers):
    """{reviewer id: ``conflict_flag``} for ``app`` in two queries whatever the number of
    reviewers: the operator's list of reviewers to assign marks those the check would flag."""
    reviewers = list(reviewers)
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(user__in=reviewers)}
    ubns = _affiliated_ubns(profiles.values(), app)
    others = list(_applications_of_companies(ubns)) if ubns else []
    return {
        reviewer.pk: conflict_flag(reviewer, app, profiles.get(reviewer.pk), others)
        for reviewer in reviewers
    }


def _shared_representative(profile, app, representative, others=None):
    """04-review: a company sharing the representative. The reviewer's affiliated companies
    named by 統一編號 whose representative, as their own applications give it (the tax data
    set has none), is the applicant's."""
    if not representative:
        return ""
    ubns = _affiliated_ubns([profile], app)
    others = _applications_of_companies(ubns) if others is None else others
    for other in (o for o in others if o.company.ubn in ubns):
        if comparable(other.section("profile").get("representative") or "") == representative:
            return gettext(FLAG_SHARED_REPRESENTATIVE) % {
                "ubn": other.company.ubn,
                "name": other.section("profile")["representative"],
            }
    return ""


def comparable(text):
    """A name or 統一編號 as the conflict check compares it: full-width digits and letters as
    half-width (０４５９…, typed with a Chinese input method), 台 as 臺 (both spellings of the
    same name are registered and typed), no spaces, no case; a 統一編號 typed with hyphens
    (0459-5257) as its eight digits."""
    text = unicodedata.normalize("NFKC", str(text)).replace("台", "臺")
    number = normalize_ubn(text)
    if len(number) == 8 and number.isascii() and number.isdigit():
        return number
    return "".join(text.split()).casefold()


def assign_reviewer(app, reviewer, by, *, request=None, now=None):
    """Assign ``reviewer`` to an eligible application (it moves to professional review)."""
    _require(rules.can_assign_reviewers(by))
    if not rules.can_score(reviewer):
        raise ReviewError(_("只能指派審查委員"))
    now = now or timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.state not in (S.ELIGIBLE, S.IN_REVIEW):
            raise ReviewError(_("只能指派資格符合之申請案"))
        assignment, created = Assignment.objects.get_or_create(
            application=app,
            reviewer=reviewer,
            defaults={"assigned_by": by, "assigned_at": now, "conflict_flag": ""},
        )
        if not created:
            raise ReviewError(_("此審查委員已指派"))
        assignment.conflict_flag = conflict_flag(reviewer, app)[:FLAG_LENGTH]
        assignment.save(update_fields=["conflict_flag"])
        if app.state == S.ELIGIBLE:
            workflow.transition(app, S.IN_REVIEW, by, request=request, now=now)
        audit.record(
            "review.assigned",
            request=request,
            actor=by,
            obj=assignment,
            number=app.number,
            reviewer=reviewer.get_username(),
            conflict_flag=assignment.conflict_flag,
        )
        # Into the outbox: sent once this transaction commits. A reviewer the system flagged
        # is not asked to review (their pages say 您無須審查此案).
        if not assignment.conflict_flag:
            notifications.send_to_staff(
                "reviewer_assigned",
                reviewer,
                {"call": app.call.title_zh, "number": app.number},
                application=app,
            )
    return assignment


# An application whose review is still open: a conflict found now still keeps the reviewer
# out of it. Once the organiser approved the list the review is over; a reviewer's later
# affiliations do not rewrite it.
OPEN_REVIEW_STATES = (S.IN_REVIEW, S.DECIDED)


def _locked_assignment(pk):
    """The assignment, locked for this transaction (its row only), with its application, the
    call and the reviewer."""
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "reviewer")
        .get(pk=pk)
    )


def open_unconflicted_assignments():
    """Assignments of applications under review (or with a staged decision) whose reviewer
    has neither declared a conflict nor been flagged: those a re-check may still withdraw."""
    return Assignment.objects.filter(
        application__state__in=OPEN_REVIEW_STATES, conflict_flag=""
    ).exclude(conflict=Assignment.Conflict.DECLARED)


def recheck_conflicts(assignments, *, cause, now=None):
    """Run the conflict check again on ``assignments`` (a queryset) after something it reads
    changed — the reviewer's affiliations, the applicant's name or representative, or the
    representative of a company the reviewer is affiliated with (``cause`` says which, for
    the audit entry). Only open assignments are looked at.

    A conflict found now withdraws the reviewer as one found at assignment does: the flag keeps
    them from the application and its score sheet, and their scores, even submitted ones, are
    left out of the meeting's table and of the count a decision needs (as for a reviewer who
    declared a conflict). A staged decision rested on those scores, so it is withdrawn, as when
    scores are reopened. The system acts (no user): the operator sees the flag on the
    application's page and the audit log keeps when and why. Returns the flagged assignments."""
    now = now or timezone.now()
    flagged = []
    candidates = assignments.filter(
        pk__in=open_unconflicted_assignments().values("pk")
    ).select_related("application__company", "reviewer")
    with transaction.atomic():
        for candidate in candidates:
            # A match the operator confirmed is not a conflict (``clear_conflict_flag``) is
            # passed over; another one still flags the reviewer.
            flag = conflict_flag(
                candidate.reviewer,
                candidate.application,
                ignore=candidate.conflict_flag_cleared,
            )[:FLAG_LENGTH]
            if not flag:
                continue
            assignment = _locked_assignment(candidate.pk)
            app = assignment.application
            if assignment.is_conflicted or app.state not in OPEN_REVIEW_STATES:
                continue
            withdrawn = _withdraw_decision(
                app,
                None,
                reason=gettext("系統於指派後偵測審查委員利益衝突，撤回審查會議決議：%(flag)s")
                % {"flag": flag},
                now=now,
            )
            assignment.conflict_flag = flag
            assignment.save(update_fields=["conflict_flag"])
            audit.record(
                "review.conflict_found",
                obj=assignment,
                number=app.number,
                reviewer=assignment.reviewer.get_username(),
                conflict_flag=assignment.conflict_flag,
                cause=cause,
                scores_submitted=assignment.is_submitted,
                **({"withdrawn_decision": withdrawn} if withdrawn is not None else {}),
            )
            flagged.append(assignment)
    return flagged


def clear_conflict_flag(assignment, by, *, reason, request=None, now=None):
    """The operator confirms that a conflict the system flagged is not one (the check matches
    names: 「臺灣大學」 declared by a reviewer also matches 「臺灣大學生創業股份有限公司」), with
    the reason, kept on the assignment and in the audit log. The reviewer is back in the
    review: they still declare a conflict themselves before scoring, and are told by mail
    (a flagged reviewer was not asked to review). Scores they had submitted count again, so a
    staged decision, made without them, is withdrawn. The same match does not flag them again;
    another one does."""
    _require(rules.can_assign_reviewers(by))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("請填寫確認非利益衝突之理由"))
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        if not assignment.conflict_flag:
            raise ReviewError(_("此審查委員沒有系統偵測之利益衝突"))
        app = assignment.application
        if app.state not in OPEN_REVIEW_STATES:
            raise ReviewError(_("此申請案目前不在專業審查階段"))
        withdrawn = _withdraw_decision(
            app,
            by,
            reason=gettext("執行單位確認審查委員無利益衝突，撤回審查會議決議：%(reason)s")
            % {"reason": reason},
            request=request,
            now=now,
        )
        flag = assignment.conflict_flag
        assignment.conflict_flag_cleared = flag
        assignment.conflict_flag_cleared_reason = reason
        assignment.conflict_flag = ""
        assignment.save(
            update_fields=["conflict_flag", "conflict_flag_cleared", "conflict_flag_cleared_reason"]
        )
        audit.record(
            "review.conflict_flag_cleared",
            request=request,
            actor=by,
            obj=assignment,
            number=app.number,
            reviewer=assignment.reviewer.get_username(),
            conflict_flag=flag,
            reason=reason,
            scores_submitted=assignment.is_submitted,
            **({"withdrawn_decision": withdrawn} if withdrawn is not None else {}),
        )
        if not assignment.is_submitted:
            notifications.send_to_staff(
                "reviewer_assigned",
                assignment.reviewer,
                {"call": app.call.title_zh, "number": app.number},
                application=app,
            )
    return assignment


def unassign_reviewer(assignment, by, *, request=None):
    """Withdraw a reviewer who has not submitted scores (unavailable, or assigned by mistake),
    so the meeting does not wait for them; their draft scores go with the assignment, and the
    audit entry keeps who, when and which reviewer."""
    _require(rules.can_assign_reviewers(by))
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        if assignment.is_submitted:
            raise ReviewError(_("審查委員已送出評分，不得取消指派"))
        if assignment.application.state != S.IN_REVIEW:
            raise ReviewError(_("此申請案目前不在專業審查階段"))
        audit.record(
            "review.unassigned",
            request=request,
            actor=by,
            obj=assignment.application,
            number=assignment.application.number,
            reviewer=assignment.reviewer.get_username(),
            conflict=assignment.conflict,
            draft_scores=assignment.scores.count(),
        )
        assignment.delete()


def declare_conflict(assignment, by, *, has_conflict, reason="", request=None, now=None):
    """The reviewer's declaration, before they see the application. Final once made."""
    _require(rules.can_score(by) and assignment.reviewer_id == by.pk)
    now = now or timezone.now()
    if has_conflict and not reason.strip():
        raise ReviewError(_("請填寫迴避理由"))
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        if assignment.conflict != Assignment.Conflict.UNDECLARED:
            raise ReviewError(_("已聲明利益迴避，不得更改"))
        assignment.conflict = (
            Assignment.Conflict.DECLARED if has_conflict else Assignment.Conflict.NONE
        )
        assignment.conflict_reason = reason.strip()
        assignment.declared_at = now
        assignment.save()
        audit.record(
            "review.conflict_declared",
            request=request,
            actor=by,
            obj=assignment,
            number=assignment.application.number,
            conflict=assignment.conflict,
            reason=assignment.conflict_reason,
        )
    return assignment


def step_aside(assignment, by, *, reason, request=None, now=None):
    """A reviewer who declared no conflict finds one later (reading the application, say) and
    declares it while the review is open. It withdraws them as a declaration before seeing
    does: their scores, even submitted ones, no longer count, and a staged decision that
    rested on them is withdrawn. Final as well: a declared conflict is never taken back."""
    _require(rules.can_score(by) and assignment.reviewer_id == by.pk)
    now = now or timezone.now()
    if not reason.strip():
        raise ReviewError(_("請填寫迴避理由"))
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        if assignment.conflict != Assignment.Conflict.NONE or assignment.conflict_flag:
            raise ReviewError(_("已聲明利益迴避，不得更改"))
        app = assignment.application
        if app.state not in OPEN_REVIEW_STATES:
            raise ReviewError(_("此申請案目前不在專業審查階段"))
        withdrawn = _withdraw_decision(
            app,
            None,
            reason=gettext("審查委員聲明利益迴避，撤回審查會議決議：%(reason)s")
            % {"reason": reason.strip()},
            request=request,
            now=now,
        )
        assignment.conflict = Assignment.Conflict.DECLARED
        assignment.conflict_reason = reason.strip()
        assignment.declared_at = now
        assignment.save(update_fields=["conflict", "conflict_reason", "declared_at"])
        audit.record(
            "review.conflict_declared",
            request=request,
            actor=by,
            obj=assignment,
            number=app.number,
            conflict=assignment.conflict,
            reason=assignment.conflict_reason,
            before=Assignment.Conflict.NONE.value,
            scores_submitted=assignment.is_submitted,
            **({"withdrawn_decision": withdrawn} if withdrawn is not None else {}),
        )
    return assignment


def update_affiliations(reviewer, affiliations, *, request=None):
    """The reviewer's own declaration of their affiliations (names or 統一編號, one a line),
    which the conflict check compares with every applicant. Saving runs the check again on
    their open assignments (``receivers.profile_saved``): an application the lines now match
    is withdrawn from them at once. Returns the assignments flagged by this change."""
    _require(rules.can_score(reviewer))
    lines = affiliation_lines(affiliations)
    with transaction.atomic():
        profile, _created = ReviewerProfile.objects.select_for_update().get_or_create(user=reviewer)
        before = profile.affiliation_lines()
        if lines == before:
            return []
        flagged_before = set(_flagged_pks(reviewer))
        profile.affiliations = "\n".join(lines)
        profile.save(update_fields=["affiliations"])
        flagged = Assignment.objects.filter(
            pk__in=set(_flagged_pks(reviewer)) - flagged_before
        ).select_related("application")
        audit.record(
            "review.affiliations_updated",
            request=request,
            actor=reviewer,
            obj=profile,
            before=before,
            after=lines,
            flagged=[assignment.application.number for assignment in flagged],
        )
        return list(flagged)


def _flagged_pks(reviewer):
    return (
        Assignment.objects.filter(reviewer=reviewer)
        .exclude(conflict_flag="")
        .values_list("pk", flat=True)
    )


def can_see_application(user, app):
    """Operator and organiser see every application; a reviewer only those assigned to them,
    declared free of conflict and not flagged by the system."""
    if rules.can_view_company(user):
        return True
    if not rules.can_score(user):
        return False
    return Assignment.objects.filter(
        application=app, reviewer=user, conflict=Assignment.Conflict.NONE, conflict_flag=""
    ).exists()


def _scorable(assignment, by):
    _require(rules.can_score(by) and assignment.reviewer_id == by.pk)
    if assignment.conflict != Assignment.Conflict.NONE or assignment.conflict_flag:
        raise NotPermitted(_("請先聲明無利益衝突；有利益衝突之案件不得評分"))
    if assignment.is_submitted:
        raise ReviewError(_("評分已送出，不得修改；如需修改請洽執行單位"))
    if assignment.application.state != S.IN_REVIEW:
        raise ReviewError(_("此申請案目前不在專業審查階段"))


class StaleSheet(ReviewError):
    """The score sheet was saved with something else (another tab, another window) since the
    form was rendered: nothing was saved, so that neither sheet is lost unseen."""

    def __init__(self):
        super().__init__(_("此評分表已在其他視窗或分頁儲存了不同的內容，您剛才送出的評分尚未儲存"))


def sheet_version(criteria, scores, overall_comment, suggested_tier):
    """A digest of a score sheet's content: ``scores`` {criterion_id: (value or None, comment)}
    of ``criteria``, the overall comment and the suggested tier. The score form carries the
    saved sheet's, so that ``save_scores`` can tell a save based on a sheet since replaced.
    Content, not a counter: a sheet saved back to what the form was based on is that sheet."""
    rows = []
    for criterion in criteria:
        value, comment = scores.get(criterion.pk, (None, ""))
        value = None if value in (None, "") else int(value)
        comment = (comment or "").strip()
        if value is not None or comment:
            rows.append([criterion.pk, value, comment])
    content = [rows, (overall_comment or "").strip(), suggested_tier or ""]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def submission_gaps(criteria, scores, overall_comment="", suggested_tier=""):
    """What a submission of this sheet lacks, keyed as ``save_scores`` keys its errors (a
    criterion's id for its score, else the form field's name): every criterion's score and
    comment, the overall comment, a suggested tier. ``save_scores`` asks it for a submission;
    the score form asks it too when a field is refused before the sheet reaches
    ``save_scores``, to report every problem at once."""
    gaps = {}
    for criterion in criteria:
        value, comment = scores.get(criterion.pk, (None, ""))
        if value is None or value == "":
            gaps[criterion.pk] = _("請輸入 0 至 100 之整數分數")
        if not (comment or "").strip():
            gaps[f"comment_{criterion.pk}"] = _("送出評分須填寫本項評語")
    if not suggested_tier:
        gaps["suggested_tier"] = _("請選擇建議級別")
    if not (overall_comment or "").strip():
        gaps["overall_comment"] = _("送出評分須填寫總評")
    return gaps


def save_scores(
    assignment,
    by,
    *,
    scores,
    overall_comment="",
    suggested_tier="",
    submit=False,
    based_on=None,
    request=None,
    now=None,
):
    """Save the reviewer's draft scores, or submit them (locked afterwards): a submission
    needs every criterion's score and comment, the overall comment and a suggested tier (the
    spec's score sheet). ``scores``: {criterion_id: (value or None, comment)}. Errors are keyed
    by criterion id (its score) or by the form field's name.

    ``based_on``: the ``sheet_version`` the form was rendered with. When the sheet was saved
    since with other content than this one's (two tabs), raises ``StaleSheet`` and saves
    nothing; the same content sent again (a second click) is saved as usual. None (a form
    from before the version existed): saved as before, over whatever is saved."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        _scorable(assignment, by)
        app = assignment.application
        criteria = list(criteria_of(app))
        # What stood before, to name in the draft's audit entry the criteria this save changed.
        before = {
            s.criterion_id: (s.value, s.comment)
            for s in Score.objects.filter(assignment=assignment)
        }
        if based_on is not None:
            standing = sheet_version(
                criteria, before, assignment.overall_comment, assignment.suggested_tier
            )
            typed = sheet_version(criteria, scores, overall_comment, suggested_tier)
            if based_on != standing and typed != standing:
                raise StaleSheet()
        saved = {}
        errors = {}
        for criterion in criteria:
            value, comment = scores.get(criterion.pk, (None, ""))
            if value is None or value == "":
                comment = (comment or "").strip()
                if not comment:
                    Score.objects.filter(assignment=assignment, criterion=criterion).delete()
                    continue
                # A draft's comment on a criterion not scored yet is kept (it went with the
                # missing score, and the draft said 「已儲存」).
                saved[criterion.pk] = (None, comment)
                Score.objects.update_or_create(
                    assignment=assignment,
                    criterion=criterion,
                    defaults={"value": None, "comment": comment},
                )
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = -1
            if not 0 <= value <= 100:
                errors[criterion.pk] = _("請輸入 0 至 100 之整數分數")
                continue
            saved[criterion.pk] = (value, (comment or "").strip())
            Score.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={"value": value, "comment": saved[criterion.pk][1]},
            )
        tiers = {tier.code for tier in Tier.objects.filter(call=app.call)} | {NO_TIER}
        if suggested_tier and suggested_tier not in tiers:
            errors["suggested_tier"] = _("請選擇建議級別")
        if submit:
            # What a submission lacks besides (a refused score's or tier's own error stands).
            gaps = submission_gaps(criteria, scores, overall_comment, suggested_tier)
            errors = {**gaps, **errors}
        if errors:
            transaction.set_rollback(True)
            return assignment, errors
        assignment.overall_comment = (overall_comment or "").strip()
        assignment.suggested_tier = suggested_tier or ""
        if submit:
            assignment.submitted_at = now
        assignment.save()
        if submit:
            audit.record(
                "review.scores_submitted",
                request=request,
                actor=by,
                obj=assignment,
                number=app.number,
                scores={c.key: scores[c.pk][0] for c in criteria},
                weighted_total=str(weighted_total(assignment)),
                suggested_tier=assignment.suggested_tier,
            )
        else:
            # A draft save is a staff action too: the same shape as the submission's entry
            # (the scores standing after the save), plus the criteria whose score or comment
            # this save changed.
            audit.record(
                "review.scores_saved",
                request=request,
                actor=by,
                obj=assignment,
                number=app.number,
                scores={c.key: saved.get(c.pk, (None, ""))[0] for c in criteria},
                changed=[c.key for c in criteria if saved.get(c.pk) != before.get(c.pk)],
                suggested_tier=assignment.suggested_tier,
            )
    return assignment, {}


def _withdraw_decision(app, by, *, reason, request=None, now=None):
    """The staged decision of a decided application, withdrawn because the scores it rested on
    changed: deleted, the application back in professional review. Returns what it said (for
    the audit entry), or None when there was none — nothing happens to an application that is
    not decided (still in review: there is nothing to withdraw)."""
    if app.state != S.DECIDED:
        return None
    withdrawn = None
    decision = Decision.objects.select_related("tier").filter(application=app).first()
    if decision is not None:
        withdrawn = {
            "outcome": decision.outcome,
            "tier": decision.tier.code if decision.tier else "",
            "points": decision.points,
            "points_override": decision.points_override,
            "override_reason": decision.override_reason,
            "reasons": decision.reasons,
        }
        decision.delete()
    workflow.transition(app, S.IN_REVIEW, by, reason=reason, request=request, now=now)
    return withdrawn


def last_reopening(assignment):
    """The audit entry of the operator's latest 開放修改 of ``assignment``'s sheet (its ``at``
    and ``data["reason"]``), or None: the reviewer's page says why the sheet is open again."""
    from aipower.core.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            action="review.scores_reopened",
            object_type=Assignment._meta.label,
            object_id=str(assignment.pk),
        )
        .order_by("-id")
        .first()
    )


def reopened_ids(assignments):
    """The pks of ``assignments`` open again after they were submitted (not submitted now, an
    operator's 開放修改 in the log): one query, for a reviewer's list."""
    from aipower.core.models import AuditEntry

    open_now = {str(a.pk): a.pk for a in assignments if not a.is_submitted}
    if not open_now:
        return set()
    reopened = AuditEntry.objects.filter(
        action="review.scores_reopened",
        object_type=Assignment._meta.label,
        object_id__in=list(open_now),
    ).values_list("object_id", flat=True)
    return {open_now[object_id] for object_id in reopened}


def reopen_scores(assignment, by, *, reason="", request=None, now=None):
    """The operator unlocks submitted scores so the reviewer can change them; the reviewer is
    told why by mail. Also once the meeting recorded its decision (until the organiser
    approves the list): the staged decision rested on those scores, so it is withdrawn — kept
    in the audit entry — and the application goes back to professional review, to be decided
    again once the reviewer has submitted."""
    _require(rules.can_assign_reviewers(by))
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment.pk)
        if not assignment.is_submitted:
            raise ReviewError(_("評分尚未送出"))
        if assignment.is_conflicted:
            # Its scores count for nothing: reopening would only withdraw a decision.
            raise ReviewError(_("此審查委員有利益衝突，其評分不列入計分，無須開放修改"))
        app = assignment.application
        if app.state not in (S.IN_REVIEW, S.DECIDED):
            raise ReviewError(_("此申請案目前不在專業審查階段"))
        withdrawn = _withdraw_decision(
            app,
            by,
            reason=gettext("開放審查委員修改評分，撤回審查會議決議：%(reason)s")
            % {"reason": reason},
            request=request,
            now=now,
        )
        assignment.submitted_at = None
        assignment.save(update_fields=["submitted_at"])
        audit.record(
            "review.scores_reopened",
            request=request,
            actor=by,
            obj=assignment,
            number=app.number,
            reason=reason,
            **({"withdrawn_decision": withdrawn} if withdrawn is not None else {}),
        )
        # Into the outbox: sent once this transaction commits.
        notifications.send_to_staff(
            "reviewer_scores_reopened",
            assignment.reviewer,
            {"call": app.call.title_zh, "number": app.number, "reason": reason},
            application=app,
        )
    return assignment


def remind_reviewers(batch, by, *, request=None, now=None):
    """Remind every reviewer with unfinished assignments in ``batch``; returns the reviewers."""
    _require(rules.can_assign_reviewers(by))
    now = now or timezone.now()
    pending = Assignment.objects.filter(
        application__batch=batch,
        application__state=S.IN_REVIEW,
        submitted_at__isnull=True,
        conflict_flag="",
    ).exclude(conflict=Assignment.Conflict.DECLARED)
    reviewers = {}
    for assignment in pending.select_related("reviewer"):
        reviewers.setdefault(assignment.reviewer, 0)
        reviewers[assignment.reviewer] += 1
    for reviewer, count in reviewers.items():
        notifications.send_to_staff(
            "reviewer_reminder", reviewer, notifications.reviewer_reminder_context(batch, count)
        )
    pending.update(reminded_at=now)
    audit.record(
        "review.reviewers_reminded",
        request=request,
        actor=by,
        obj=batch,
        reviewers=sorted(r.get_username() for r in reviewers),
    )
    return list(reviewers)


def criteria_of(app):
    category = app.call.categories.get(kind=app.category)
    return category.criteria.order_by("order")


def chosen_models(app):
    """The catalogue display names the application chose (training: no-code and validation
    environments; inference: the API models)."""
    names = []
    if app.category == CategoryKind.TRAINING:
        section = app.section("training")
        names = list(section.get("no_code_models") or []) + list(
            section.get("validation_models") or []
        )
    elif app.category == CategoryKind.INFERENCE:
        names = list(app.section("inference").get("inference_models") or [])
    return [name for name in names if name not in ("none", "")]


# --- scores and the meeting -------------------------------------------------------------

TWO_PLACES = Decimal("0.01")


def weighted_sum(pairs):
    """Σ score × weight / 100 of (score, weight) ``pairs`` (a score not given yet is None):
    exact, since the scores and the weights are whole numbers, and always written with two
    decimals (80.00, 72.05) so the totals of a table line up."""
    total = sum(
        (Decimal(value * weight) for value, weight in pairs if value is not None), Decimal(0)
    )
    return (total / 100).quantize(TWO_PLACES)


def total_of(scores):
    """``weighted_sum`` of ``scores`` (Score rows with their criteria)."""
    return weighted_sum((s.value, s.criterion.weight) for s in scores)


def weighted_total(assignment):
    """Σ score × weight / 100 of one reviewer's scores (a Decimal, two decimals)."""
    return total_of(assignment.scores.select_related("criterion"))


@dataclass
class ReviewerScore:
    assignment: Assignment
    total: Decimal
    z: float


@dataclass
class RankRow:
    application: Application
    scores: list = field(default_factory=list)  # ReviewerScore of submitted assignments
    pending: int = 0
    conflicted: int = 0
    startup_priority: object = None  # registry.eligibility.StartupPriority
    decision: Decision | None = None
    rank: int | None = None  # None until a reviewer's scores are submitted
    tied: bool = False  # another application has the same normalised and raw means

    @property
    def mean(self):
        if not self.scores:
            return None
        mean = sum(s.total for s in self.scores) / len(self.scores)
        return mean.quantize(TWO_PLACES, ROUND_HALF_UP)

    @property
    def spread(self):
        """Highest minus lowest weighted total."""
        if not self.scores:
            return None
        totals = [s.total for s in self.scores]
        return (max(totals) - min(totals)).quantize(TWO_PLACES)

    @property
    def normalised(self):
        """Mean of the reviewers' z-scores."""
        if not self.scores:
            return None
        return round(statistics.fmean(s.z for s in self.scores), 3)

    @property
    def suggested_tiers(self):
        """The reviewers' suggested tiers as the meeting reads them: the tier's code, or
        「不推薦」 (never the stored code ``none``)."""
        tiers = [s.assignment.suggested_tier for s in self.scores]
        return [gettext("不推薦") if tier == NO_TIER else tier for tier in tiers]


def z_scores(totals_by_reviewer):
    """{reviewer_id: {application_id: z}}: each reviewer's totals centred on their own mean
    and divided by their own (population) standard deviation; a reviewer who scored only one
    application, or everyone alike, gets 0 — they tell nothing about the ranking."""
    result = {}
    for reviewer_id, totals in totals_by_reviewer.items():
        values = [float(v) for v in totals.values()]
        mean = statistics.fmean(values) if values else 0.0
        sd = statistics.pstdev(values) if len(values) > 1 else 0.0
        result[reviewer_id] = {
            app_id: (0.0 if sd == 0 or math.isnan(sd) else (float(v) - mean) / sd)
            for app_id, v in totals.items()
        }
    return result


def meeting_applications(batch):
    return (
        Application.objects.filter(batch=batch, state__in=REVIEW_STATES)
        .select_related("company", "call")
        .order_by("number")
    )


def ranking(batch):
    """The meeting's ranked table for ``batch`` (one category): rows ordered by the
    normalised mean, then the raw mean, then the number."""
    apps = list(meeting_applications(batch))
    assignments = Assignment.objects.filter(application__in=apps).select_related("reviewer")
    # The scores with their weights as plain rows, one query: a model instance for each of a
    # batch's ~2,000 scores and its criterion was a third of the table's time.
    scores = {}
    for assignment_id, value, weight in Score.objects.filter(
        assignment__application__in=apps
    ).values_list("assignment_id", "value", "criterion__weight"):
        scores.setdefault(assignment_id, []).append((value, weight))
    totals, by_app = {}, {}
    for assignment in assignments:
        by_app.setdefault(assignment.application_id, []).append(assignment)
        if assignment.is_submitted and not assignment.is_conflicted:
            total = weighted_sum(scores.get(assignment.pk, ()))
            totals.setdefault(assignment.reviewer_id, {})[assignment.application_id] = total
    z = z_scores(totals)
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(application__in=apps).select_related("tier")
    }
    priorities = startup_priorities(apps)
    rows = []
    for app in apps:
        row = RankRow(application=app, decision=decisions.get(app.pk))
        for assignment in by_app.get(app.pk, []):
            if assignment.is_conflicted:
                row.conflicted += 1
            elif assignment.is_submitted:
                total = totals[assignment.reviewer_id][app.pk]
                row.scores.append(
                    ReviewerScore(assignment, total, z[assignment.reviewer_id][app.pk])
                )
            else:
                row.pending += 1
        row.startup_priority = priorities[app.pk]
        rows.append(row)
    rows.sort(
        key=lambda r: (
            -(r.normalised if r.normalised is not None else -99),
            -(r.mean if r.mean is not None else -1),
            r.application.number or "",
        )
    )
    # Equal normalised and raw means share a rank (1, 2, 2, 4: the number only orders them);
    # an application no reviewer has submitted scores for is not ranked yet.
    keys = [(row.normalised, row.mean) for row in rows]
    for index, row in enumerate(rows, start=1):
        if not row.scores:
            continue
        key = keys[index - 1]
        row.rank = keys.index(key) + 1
        row.tied = keys.count(key) > 1
    return rows


_LOOK_UP = object()


def declared_founded_on(app) -> datetime.date | None:
    """The 設立登記日期 the applicant gave on the form (企業基本資料表), or None."""
    try:
        return datetime.date.fromisoformat(app.section("profile").get("founded_on") or "")
    except ValueError:
        return None


def startup_priority(app, record=_LOOK_UP, settlement=_LOOK_UP):
    """The application's start-up priority (``registry.eligibility.StartupPriority``): the tax
    data's 設立日期 read with the applicant's declared 設立登記日期 — to be checked where they
    disagree or the tax data has none — unless the operator settled it
    (``settle_startup_priority``). ``record``: the company's current tax record (or None),
    ``settlement``: its ``StartupPrioritySettlement`` (or None), when the caller has them
    already (``startup_priorities``); otherwise they are looked up."""
    from aipower.registry.eligibility import StartupPriorityStatus, is_branch
    from aipower.registry.eligibility import startup_priority as from_dates
    from aipower.registry.services import current_record

    if record is _LOOK_UP:
        record = current_record(app.company.ubn)
    if settlement is _LOOK_UP:
        settlement = StartupPrioritySettlement.objects.filter(application=app).first()
    priority = from_dates(
        getattr(record, "founded_on", None),
        declared_founded_on(app),
        app.call.startup_founded_on_or_after,
        # A branch (分公司) cannot apply, let alone as a start-up.
        branch=record is not None and is_branch(record),
    )
    if settlement is None:
        return priority
    return replace(
        priority,
        status=StartupPriorityStatus.YES if settlement.priority else StartupPriorityStatus.NO,
        settlement=settlement,
    )


def startup_priorities(apps):
    """{application id: start-up priority} of ``apps``, their tax records and the operator's
    settlements read in one query each (the meeting's table and its exports, whatever the
    number of applications)."""
    from aipower.registry.models import Snapshot, TaxRecord

    current = Snapshot.objects.filter(is_current=True).order_by().values("pk")[:1]
    records = {
        record.ubn: record
        for record in TaxRecord.objects.filter(
            snapshot_id=Subquery(current), ubn__in={app.company.ubn for app in apps}
        ).order_by()
    }
    settlements = {
        s.application_id: s for s in StartupPrioritySettlement.objects.filter(application__in=apps)
    }
    return {
        app.pk: startup_priority(app, records.get(app.company.ubn), settlements.get(app.pk))
        for app in apps
    }


def settle_startup_priority(app, by, *, priority, reason, request=None, now=None):
    """The operator settles the application's start-up priority (confirms or denies it) after
    checking the MOEA registration's approval date (核准設立日期), with the reason; before the
    meeting decides. A later finding replaces an earlier one; each is in the audit log."""
    _require(rules.can_review_eligibility(by))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("請填寫確認理由"))
    now = now or timezone.now()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "company")
            .get(pk=app.pk)
        )
        if app.state not in PRIORITY_SETTLING_STATES:
            raise ReviewError(_("此申請案已不在審查中，無法變更新創優先資格"))
        before = startup_priority(app)
        settlement, _created = StartupPrioritySettlement.objects.update_or_create(
            application=app,
            defaults={
                "priority": bool(priority),
                "reason": reason,
                "settled_by": by,
                "settled_at": now,
            },
        )
        audit.record(
            "review.startup_priority_settled",
            request=request,
            actor=by,
            obj=app,
            number=app.number,
            before=before.status,
            after="yes" if settlement.priority else "no",
            reason=reason,
            registry_founded_on=before.registry_founded_on,
            declared_founded_on=before.declared_founded_on,
        )
    return settlement


def budget_status(category, budget=None):
    """(budget points or None, points awarded, points staged for approval) of a category;
    ``budget``: its ``Budget`` when the caller read it already."""
    budget = budget or Budget.objects.filter(category=category).first()
    awarded = Award.objects.filter(category=category).aggregate(total=Sum("points"))["total"]
    staged = sum(
        decision.points
        for decision in Decision.objects.filter(
            application__call=category.call,
            application__category=category.kind,
            application__state=S.DECIDED,
            outcome=Decision.Outcome.APPROVED,
        ).select_related("tier")
    )
    return (budget.points if budget else None), (awarded or 0), staged


def stage_decision(app, by, *, outcome, tier=None, reasons="", request=None, now=None):
    """Record the meeting's decision for one application (staged until the organiser approves
    the list). Needs every assigned, non-conflicted reviewer's submitted scores."""
    _require(rules.can_assign_reviewers(by))
    now = now or timezone.now()
    if outcome == Decision.Outcome.APPROVED and tier is None:
        raise ReviewError(_("核定通過須選擇級別"))
    if outcome == Decision.Outcome.NOT_APPROVED and not reasons.strip():
        raise ReviewError(_("未獲核定須填寫理由"))
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.state not in (S.IN_REVIEW, S.DECIDED):
            raise ReviewError(_("此申請案目前不在專業審查階段"))
        if is_batch_approved(app.batch_id):
            raise ReviewError(_("此梯次名單已核定"))
        active = [a for a in app.assignments.all() if not a.is_conflicted]
        if any(not a.is_submitted for a in active):
            raise ReviewError(_("尚有審查委員未送出評分"))
        category = app.call.categories.get(kind=app.category)
        minimum = minimum_reviewers(category)
        if len(active) < minimum:
            raise ReviewError(
                _("每案至少須有 %(minimum)d 位審查委員送出評分，本案目前為 %(count)d 位")
                % {"minimum": minimum, "count": len(active)}
            )
        previous = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("tier")
            .filter(application=app)
            .first()
        )
        # Re-staging overwrites the outcome, tier and reasons and clears the organiser's
        # override: the entry keeps what stood before, so the earlier decision is not lost.
        before = (
            {
                "outcome": previous.outcome,
                "tier": previous.tier.code if previous.tier else "",
                "points": previous.points,
                "points_override": previous.points_override,
                "override_reason": previous.override_reason,
                "reasons": previous.reasons,
            }
            if previous is not None
            else None
        )
        decision, _created = Decision.objects.update_or_create(
            application=app,
            defaults={
                "outcome": outcome,
                "tier": tier if outcome == Decision.Outcome.APPROVED else None,
                "reasons": reasons.strip(),
                "decided_by": by,
                "decided_at": now,
                "points_override": None,
                "override_reason": "",
            },
        )
        if app.state == S.IN_REVIEW:
            workflow.transition(app, S.DECIDED, by, request=request, now=now)
        audit.record(
            "review.decision_staged",
            request=request,
            actor=by,
            obj=app,
            number=app.number,
            outcome=outcome,
            tier=tier.code if tier else "",
            reasons=decision.reasons,
            **({"before": before} if before is not None else {}),
        )
    return decision


def override_points(decision, by, *, points, reason, request=None):
    """The organiser sets another amount than the tier's, with a reason."""
    _require(rules.can_decide_awards(by))
    if not reason.strip():
        raise ReviewError(_("調整點數須填寫理由"))
    if int(points) < 1:
        raise ReviewError(
            _("核發點數須為 1 以上之整數；如本案不予核發，請由執行單位將決議改為「未獲核定」")
        )
    if decision.outcome != Decision.Outcome.APPROVED:
        raise ReviewError(_("只有核定通過之案件可調整點數"))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        # Only a staged decision: once the list is approved the award holds its points, and
        # a changed decision would contradict it.
        if decision.application.state != S.DECIDED:
            raise ReviewError(_("名單核定後不得調整點數"))
        before = decision.points
        decision.points_override = int(points)
        decision.override_reason = reason.strip()
        decision.save()
        audit.record(
            "review.points_overridden",
            request=request,
            actor=by,
            obj=decision.application,
            number=decision.application.number,
            before=before,
            after=decision.points,
            reason=decision.override_reason,
        )
    return decision


def send_back(decision, by, *, reason, request=None, now=None):
    """The organiser does not approve one staged decision: it is withdrawn (kept in the audit
    entry) and the application goes back to professional review, for the operator to record
    the meeting's decision again; the list cannot be approved until then."""
    _require(rules.can_decide_awards(by))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("請填寫退回理由"))
    now = now or timezone.now()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application__batch")
            .get(pk=decision.pk)
        )
        app = decision.application
        _unapproved_review(app.batch)
        if app.state != S.DECIDED:
            raise ReviewError(_("此申請案目前沒有待核定之決議"))
        withdrawn = _withdraw_decision(
            app,
            by,
            reason=gettext("主辦單位退回執行單位：%(reason)s") % {"reason": reason},
            request=request,
            now=now,
        )
        audit.record(
            "review.decision_sent_back",
            request=request,
            actor=by,
            obj=app,
            number=app.number,
            reason=reason,
            withdrawn=withdrawn,
        )
    return app


def _unapproved_review(batch):
    """The batch's review row, locked for this transaction; refused once its list is approved."""
    review = BatchReview.objects.select_for_update().get_or_create(batch=batch)[0]
    if review.approved_at is not None:
        raise ReviewError(_("此梯次名單已核定"))
    return review


def set_award_start(batch, starts_on, by, *, request=None, now=None):
    """The operator sets the first day of the batch's awards (None: the day the list is
    approved); refused once the list is approved or for a day already past."""
    _require(rules.can_assign_reviewers(by))
    check_start_date(starts_on, now or timezone.now())
    with transaction.atomic():
        review = _unapproved_review(batch)
        before = review.award_starts_on
        review.award_starts_on = starts_on
        review.save(update_fields=["award_starts_on"])
        audit.record(
            "review.award_start_set",
            request=request,
            actor=by,
            obj=batch,
            before=before.isoformat() if before else None,
            starts_on=starts_on.isoformat() if starts_on else None,
        )
    return review


def approve_batch(batch, by, *, starts_on=None, request=None, now=None):
    """名單核定: apply every staged decision of ``batch`` — awards for the approved ones —
    notify the applicants and publish the list. Refused while any application of the batch
    in professional review has no decision. The awards start on ``starts_on``, else the day
    the operator set (``set_award_start``), else today."""
    _require(rules.can_decide_awards(by))
    now = now or timezone.now()
    with transaction.atomic():
        review = _unapproved_review(batch)
        starts_on = starts_on or review.award_starts_on
        check_start_date(starts_on, now)
        if review.frozen_at is None:
            raise ReviewError(_("此梯次尚未凍結"))
        undecided = Application.objects.filter(batch=batch, state__in=UNDECIDED_STATES).order_by(
            "number"
        )
        if undecided.exists():
            raise ReviewError(
                _("尚有申請案未決議：%(numbers)s")
                % {"numbers": join_list(a.number for a in undecided)}
            )
        # Applications still waiting for their supplement go on in the next batch (they join
        # it when they re-submit anyway); with no later batch the list waits for them.
        waiting = list(
            Application.objects.filter(batch=batch, state=S.SUPPLEMENT_REQUESTED).order_by("number")
        )
        later = open_batch(batch.category, now) if waiting else None
        if waiting and (later is None or later.pk == batch.pk):
            raise ReviewError(
                _("尚有申請案待補件，且本類別已無下一梯次：%(numbers)s")
                % {"numbers": join_list(a.number for a in waiting)}
            )
        for app in waiting:
            _move_to_batch(app, later, by, reason="supplement_pending", request=request)
        decided = Application.objects.filter(batch=batch, state=S.DECIDED).order_by("number")
        approved, not_approved = [], []
        for app in decided:
            decision = app.review_decision
            if decision.outcome == Decision.Outcome.APPROVED:
                award = create_award(
                    app, decision, by, starts_on=starts_on, request=request, now=now
                )
                workflow.transition(
                    app,
                    S.APPROVED,
                    by,
                    request=request,
                    now=now,
                    tier=award.tier.code if award.tier else "",
                    points=f"{award.points:,}",
                    # Dates as dates: the audit entry keeps them ISO, the zh-Hant notice
                    # writes them in 民國 (queue_for_application).
                    starts_on=award.starts_on,
                    ends_on=award.ends_on,
                )
                approved.append(app.number)
            else:
                workflow.transition(
                    app, S.NOT_APPROVED, by, reason=decision.reasons, request=request, now=now
                )
                not_approved.append(app.number)
        review.approved_at, review.approved_by = now, by
        review.save()
        audit.record(
            "review.batch_approved",
            request=request,
            actor=by,
            obj=batch,
            approved=approved,
            not_approved=not_approved,
            moved_to_next_batch=[app.number for app in waiting],
        )
    return review


def check_start_date(starts_on, now=None):
    """An award's period never starts before the day of approval (Asia/Taipei): a start in the
    past would make its deliverables overdue at once."""
    if starts_on is not None and starts_on < timezone.localdate(now or timezone.now()):
        raise ReviewError(_("使用期間起日不得早於今日"))


def period_end(starts_on, months):
    """The last day of a period of ``months`` months whose first day is ``starts_on``, as the
    Civil Code counts it (民法第121條第2項): the day before the corresponding day of the last
    month; when that month has no corresponding day, its last day. 115/11/15 + 3 months ends
    116/02/14; 115/11/29 and 115/11/30 end 116/02/28; 115/08/31 ends 115/11/30."""
    month = starts_on.month - 1 + months
    year, month = starts_on.year + month // 12, month % 12 + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if starts_on.day > days_in_month:
        return datetime.date(year, month, days_in_month)
    return datetime.date(year, month, starts_on.day) - datetime.timedelta(days=1)


def create_award(app, decision, by, *, starts_on=None, request=None, now=None):
    """The award of an approved application: points and units in the category's unit, the
    period (default from the day of publication, ``Call.validity_months`` long) and the
    catalogue models it may use; sends ``award_created``."""
    _require(rules.can_decide_awards(by))
    now = now or timezone.now()
    check_start_date(starts_on, now)
    category = app.call.categories.get(kind=app.category)
    starts_on = starts_on or timezone.localdate(now)
    ends_on = period_end(starts_on, app.call.validity_months)
    with transaction.atomic():
        award = Award.objects.create(
            application=app,
            company=app.company,
            category=category,
            tier=decision.tier,
            points=decision.points,
            units=decision.points * category.units_per_point,
            starts_on=starts_on,
            ends_on=ends_on,
            approved_at=now,
            approved_by=by,
        )
        allowed = CatalogueModel.objects.filter(
            call=app.call, enabled=True, prohibited=False, display_name__in=chosen_models(app)
        )
        award.allowed_models.set(allowed)
        audit.record(
            "review.award_created",
            request=request,
            actor=by,
            obj=award,
            number=app.number,
            tier=award.tier.code if award.tier else "",
            points=award.points,
            units=award.units,
            starts_on=starts_on,
            ends_on=ends_on,
            models=sorted(m.display_name for m in allowed),
        )
        award_created.send(sender=Award, award=award)
    return award


def batches_awaiting_approval():
    """Frozen batches not yet approved whose meeting decided every application (so 名單核定
    waits only for the organiser), each as (batch, number of staged decisions), oldest first.
    Two queries, however many batches are frozen."""
    from aipower.calls.models import Batch

    counts = (
        Application.objects.filter(
            batch__review__frozen_at__isnull=False, batch__review__approved_at__isnull=True
        )
        .values("batch")
        .annotate(
            staged=Count("id", filter=Q(state=S.DECIDED)),
            undecided=Count("id", filter=Q(state__in=UNDECIDED_STATES)),
        )
        .order_by()
    )
    staged = {
        row["batch"]: row["staged"] for row in counts if row["staged"] and not row["undecided"]
    }
    batches = Batch.objects.filter(pk__in=staged).select_related("category__call")
    return [
        (batch, staged[batch.pk])
        for batch in batches.order_by("review_date", "category__order", "number")
    ]


def open_assignments(reviewer):
    """The reviewer's assignments still to do: not submitted, not stepped aside, application
    in professional review."""
    return _still_to_do(Assignment.objects.filter(reviewer=reviewer))


def submitted_assignments(reviewer):
    """The reviewer's score sheets sent (the staff home counts them when none is open)."""
    return Assignment.objects.filter(reviewer=reviewer, submitted_at__isnull=False)


def open_assignments_by_reviewer(users):
    """{user id: ``open_assignments`` of that user} for many users in one query (the staff
    accounts page); users with none are left out."""
    found = {}
    for assignment in _still_to_do(Assignment.objects.filter(reviewer__in=users)):
        found.setdefault(assignment.reviewer_id, []).append(assignment)
    return found


def _still_to_do(assignments):
    return (
        assignments.filter(submitted_at__isnull=True, application__state=S.IN_REVIEW)
        .exclude(conflict=Assignment.Conflict.DECLARED)
        .filter(conflict_flag="")
        .select_related("application__batch__category__call")
        .order_by("application__batch__review_date", "application__number")
    )


def published_awards(call):
    """The approved companies of every batch whose list the organiser approved."""
    return (
        Award.objects.filter(
            application__call=call, application__batch__review__approved_at__isnull=False
        )
        .select_related("company", "category", "tier", "application__batch")
        .order_by("application__batch__review_date", "category__order", "application__number")
    )


# --- the applicant's side -------------------------------------------------------------------


def resubmit_for_applicant(app, user, request=None):
    """The hook applications' 「補件完成，重新送出」 calls."""
    try:
        answer_supplement(app, user, request=request)
    except ReviewError as error:
        raise ApplicationError(error.message, app) from error


def applicant_dashboard(app):
    """Extra dashboard context: the open supplement request, the award, the notices."""
    context = {}
    supplement = open_supplement(app)
    if supplement is not None:
        context["supplement"] = supplement
        context["supplement_steps"] = [flow.get_step(s) for s in supplement.steps]
    try:
        award = app.award  # the dashboard's query joins it with its tier
    except Award.DoesNotExist:
        award = None
    if award is not None and app.state == S.APPROVED:
        context["award"] = award
    notices = []
    for change in StateChange.objects.filter(application=app).order_by("-at", "-id"):
        if change.to_state in APPLICANT_NOTICES:
            notices.append(
                {
                    "at": change.at,
                    "text": APPLICANT_NOTICES[change.to_state],
                    "reason": change.reason if change.to_state in WITH_REASON else "",
                }
            )
    context["notices"] = notices
    return context


APPLICANT_NOTICES = {
    S.SUPPLEMENT_REQUESTED: _("執行單位要求補件"),
    S.RESUBMITTED: _("已收到補件資料"),
    S.NOT_ACCEPTED: _("逾補件期限未補正，不予受理"),
    # 「申請資格經審查不符合者，不予受理」: the applicant learns the application has ended.
    S.INELIGIBLE: _("資格審查結果：申請資格不符，不予受理"),
    S.ELIGIBLE: _("資格審查通過"),
    S.APPROVED: _("審查結果：核定通過"),
    S.NOT_APPROVED: _("審查結果：未獲核定"),
}
WITH_REASON = {S.SUPPLEMENT_REQUESTED, S.INELIGIBLE, S.NOT_APPROVED}


def is_reviewer_role(user):
    return getattr(user, "role", None) == Role.REVIEWER
