"""The demo's awards as the review makes them: each demo award's application is submitted
with complete answers, then goes through the real workflow with the review's own services
(``review.services``) — the operator freezes its batch and finds it eligible, assigns the
demo reviewers reviewer1–3, who declare no conflict and submit complete score sheets, the
operator stages the meeting's decision and the organiser approves (publishes) the list, which
creates the award and its allowance. So the staff pages show what a finished review looks like:
a frozen, decided and published batch, three reviewers with 3 / 3 score sheets, the meeting's
ranking with scores, z-scores and the decision.

The review happens in the past, on a timeline counted back from the approval
(``REVIEW_TIMELINE``). The mails it queues (the reviewers' assignment notices, the applicant's
approval notice) go through the outbox and stay in the mail log (/staff/mail/), dated when the
review sent them; ``history_mail`` delivers them to memory, not to the console or a mail
server. Development only.
"""

import datetime
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.db.models import Max

# How long before the organiser's approval each step of the review took place.
REVIEW_TIMELINE = {
    "freeze": datetime.timedelta(days=11),
    "eligible": datetime.timedelta(days=10),
    "assign": datetime.timedelta(days=9),
    "score": datetime.timedelta(days=7),  # the first reviewer's sheet; one a day after it
    "decide": datetime.timedelta(days=3),
}
# The application was submitted this long before its batch's cut-off (or the freeze, if earlier).
SUBMITTED_BEFORE = datetime.timedelta(days=5, hours=8)
REVIEWERS = ("reviewer1", "reviewer2", "reviewer3")

# Each reviewer's score sheet: the score given to every criterion (by the criterion's key; a
# criterion not named here takes ``default``), one comment per criterion, an overall comment.
COMMENTS = {
    "importance": "應用情境與欲解決之問題說明具體，選用模型之理由合理。",
    "opportunity": "產業應用機會明確，可推廣至相近領域。",
    "dataset": "訓練資料來源與規模說明清楚，已去識別化。",
    "resources": "算力需求與規劃時程相符。",
    "scenario": "使用情境與預期效益具體可行。",
    "benefit": "預期成果與產出可衡量。",
    "productisation": "產品化規劃初具雛形，建議補充定價與推廣策略。",
}
DEFAULT_COMMENT = "內容完整，符合本項評審重點。"
SHEETS = (
    {
        "scores": {"importance": 85, "opportunity": 80, "scenario": 82, "dataset": 78},
        "default": 80,
        "overall": "整體規劃完整，建議核定通過。",
    },
    {
        "scores": {"importance": 78, "opportunity": 75, "scenario": 80, "dataset": 72},
        "default": 76,
        "overall": "具產業應用價值，建議依申請級別核定。",
    },
    {
        "scores": {"importance": 88, "opportunity": 84, "scenario": 86, "dataset": 80},
        "default": 83,
        "overall": "團隊執行能力佳，預期成果明確，建議核定通過。",
    },
)


def fill_answers(application, pages):
    """Save every page of the wizard as a submission would have: each page's answers through
    its own form, fully validated, stored by its step (consent and declaration times included);
    then the submitted version and its fingerprint (``applications.services.fingerprint`` of
    the submission snapshot). Only once: an application with a version keeps it."""
    from aipower.applications import flow, services
    from aipower.applications.models import ApplicationVersion

    if application.versions.exists():
        return
    for identifier, values in pages.items():
        step = flow.get_step(identifier)
        data = step.form_class.data_from_stored(values)
        form = step.get_form(application, data, draft=False)
        if not form.is_valid():
            raise ValueError(f"demo answers of {identifier} are not valid: {form.errors}")
        step.done(application, form, application.submitted_at)
    incomplete = flow.first_incomplete_step(application)
    if incomplete is not None:
        raise ValueError(f"demo application incomplete at {incomplete.identifier}")
    snapshot = services.submission_snapshot(application)
    application.fingerprint = services.fingerprint(snapshot)
    application.current_step = flow.DoneStep.identifier
    application.save(update_fields=["data", "fingerprint", "current_step"])
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        data=snapshot,
        fingerprint=application.fingerprint,
        changed_fields=[],
        created_at=application.submitted_at,
    )


def demo_staff():
    """The demo staff by username; created (``create_demo_staff``) when one is missing or no
    longer has its role — an existing account's password is left as it is."""
    from django.contrib.auth import get_user_model

    from .staff import DEMO_STAFF, create_demo_staff

    found = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[username for username, _role, _name in DEMO_STAFF], is_active=True
        )
    }
    if any(
        username not in found or found[username].role != role
        for username, role, _name in DEMO_STAFF
    ):
        found = {user.username: user for user in create_demo_staff()}
    return found


def review_batch(category, freeze_at):
    """The batch the demo application is reviewed in: the latest whose cut-off had passed when
    the batch was frozen, else (the review is older than every cut-off) the first, frozen
    early."""
    batches = category.batches.order_by("review_date", "number")
    return batches.filter(cutoff_at__lte=freeze_at).last() or batches.first()


def submit_demo_application(call, company, kind, pages, *, approved_at):
    """The company's application of ``kind`` in ``call``, submitted with ``pages`` in the batch
    the review of ``approved_at`` took (get or create: once submitted, it stays as it is)."""
    from aipower.applications.enums import ApplicationState
    from aipower.applications.models import Application

    from .demo_grants import number_demo_application

    category = call.categories.get(kind=kind)
    freeze_at = approved_at - REVIEW_TIMELINE["freeze"]
    batch = review_batch(category, freeze_at)
    submitted_at = min(batch.cutoff_at, freeze_at) - SUBMITTED_BEFORE
    # Within the call's opening, when the timeline leaves room for it.
    submitted_at = max(submitted_at, min(call.opens_at, freeze_at - datetime.timedelta(hours=1)))
    application, _created = Application.objects.get_or_create(
        call=call,
        company=company,
        defaults={
            "category": kind,
            "state": ApplicationState.SUBMITTED,
            "submitted_at": submitted_at,
            "batch": batch,
        },
    )
    number_demo_application(application, category)
    fill_answers(application, pages)
    return application


def score_sheet(criteria, sheet):
    """``save_scores``'s {criterion id: (score, comment)} of one of ``SHEETS``."""
    return {
        criterion.pk: (
            sheet["scores"].get(criterion.key, sheet["default"]),
            COMMENTS.get(criterion.key, DEFAULT_COMMENT),
        )
        for criterion in criteria
    }


class DemoReviewError(Exception):
    """A review service refused a step of the demo's review (the demo data is out of date)."""


@contextmanager
def history_mail():
    """Deliver the mails of the demo's past review to memory (Django's locmem backend): the
    mail log shows them sent, ``load_demo``'s lines are not buried under them, and a
    development server configured with a real mail server sends nothing. Wrap the transaction
    the review runs in: the outbox delivers on commit."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


def _date_mails(dated):
    """Date the mails each step of the review queued at that step's moment (the outbox dated
    them when the demo was loaded)."""
    from aipower.applications.models import SentMail

    for pks, moment in dated:
        mails = SentMail.objects.filter(pk__in=pks)
        mails.update(queued_at=moment)
        mails.filter(status=SentMail.Status.SENT).update(sent_at=moment)


def review_to_award(application, *, points, approved_at, starts_on):
    """Take the submitted ``application`` through the review to an award of the tier of
    ``points``, the list approved at ``approved_at`` with the awards starting on ``starts_on``.
    Returns the award; an application that has one already is left as it is."""
    from aipower.applications.models import SentMail
    from aipower.review import services
    from aipower.review.models import Assignment, Award, Decision

    award = Award.objects.filter(application=application).first()
    if award is not None:
        return award
    dated = []

    def step(operation, *args, now, **kwargs):
        last = SentMail.objects.aggregate(last=Max("pk"))["last"] or 0
        result = operation(*args, now=now, **kwargs)
        dated.append((list(SentMail.objects.filter(pk__gt=last).values_list("pk", flat=True)), now))
        return result

    staff = demo_staff()
    operator, organiser = staff["operator"], staff["organiser"]
    reviewers = [staff[username] for username in REVIEWERS]
    at = {step: approved_at - before for step, before in REVIEW_TIMELINE.items()}
    tier = application.call.tiers.get(points=points)
    batch = application.batch

    if not services.is_batch_frozen(batch):
        step(services.freeze_batch, batch, operator, now=at["freeze"])
    eligible = services.S.ELIGIBLE
    step(services.decide_eligibility, application, eligible, operator, now=at["eligible"])
    for reviewer in reviewers:
        step(services.assign_reviewer, application, reviewer, operator, now=at["assign"])
    criteria = list(services.criteria_of(application))
    for day, (reviewer, sheet) in enumerate(zip(reviewers, SHEETS, strict=True)):
        scored_at = at["score"] + datetime.timedelta(days=day)
        assignment = Assignment.objects.get(application=application, reviewer=reviewer)
        services.declare_conflict(
            assignment,
            reviewer,
            has_conflict=False,
            now=scored_at - datetime.timedelta(hours=1),
        )
        _assignment, errors = services.save_scores(
            assignment,
            reviewer,
            scores=score_sheet(criteria, sheet),
            overall_comment=sheet["overall"],
            suggested_tier=tier.code,
            submit=True,
            now=scored_at,
        )
        if errors:
            raise DemoReviewError(f"{reviewer.username}'s demo score sheet refused: {errors}")
    step(
        services.stage_decision,
        application,
        operator,
        outcome=Decision.Outcome.APPROVED,
        tier=tier,
        now=at["decide"],
    )
    step(services.approve_batch, batch, organiser, starts_on=starts_on, now=approved_at)
    # After the outbox's own callbacks, which deliver the mails on commit.
    transaction.on_commit(partial(_date_mails, dated))
    return Award.objects.get(application=application)


def period_start(ends_on, months):
    """The latest first day of a ``months``-month award period (``review.services.period_end``)
    that ends on or before ``ends_on``: on ``ends_on`` itself except on the few days of the
    year no period ends on (a start of 02-29 to 02-31 does not exist)."""
    from aipower.review.services import period_end

    day = ends_on.day
    month = ends_on.month - 1 - months
    year, month = ends_on.year + month // 12, month % 12 + 1
    start = datetime.date(year, month, min(day, 28))
    while period_end(start + datetime.timedelta(days=1), months) <= ends_on:
        start += datetime.timedelta(days=1)
    while period_end(start, months) > ends_on:
        start -= datetime.timedelta(days=1)
    return start
