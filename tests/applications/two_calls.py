"""Two programme years side by side: a year-115 application taken through submission, review and
award (its list published), then the year-116 call seeded while the year-115 award still runs.

The year-116 call is seeded with ``aipower.calls.seed.seed_call(116)`` from the year-115 seed data
moved one year on (no year-116 document exists yet), so it has every row a real call has.
"""

import datetime
import sys
import types

from django.utils import timezone

from aipower.accounts.models import User
from aipower.applications.services import start_application, submit_application
from aipower.calls.models import Tier, default_cutoff
from aipower.calls.seed import seed_call
from aipower.calls.seeds import year115
from aipower.review import services as review
from tests.applications.conftest import fill_application, open_now
from tests.review.helpers import assign_and_declare, make_eligible, score_uniformly

ONE_YEAR = datetime.timedelta(days=365)


def staff_user(username, role):
    return User.objects.get_or_create(
        username=username, defaults={"role": role, "email": f"{username}@example.org"}
    )[0]


def awarded_application(call, user, category="inference", *, starts_on=None, tier="L2"):
    """``user``'s company applies in ``call`` (open now), passes the review and is awarded
    ``tier``; the organiser approves (publishes) the batch's list. Returns the application."""
    open_now(call)
    app = start_application(user.company, call)
    app = submit_application(fill_application(app, user, category), user)
    operator = staff_user("two-calls-operator", "operator")
    organiser = staff_user("two-calls-organiser", "organiser")
    reviewers = [staff_user(f"two-calls-reviewer-{n}", "reviewer") for n in (1, 2, 3)]
    review.freeze_batch(app.batch, operator)
    make_eligible(app, operator)
    for assignment in assign_and_declare(app, reviewers, operator):
        score_uniformly(assignment, assignment.reviewer, 80)
    review.stage_decision(
        app, operator, outcome="approved", tier=Tier.objects.get(call=call, code=tier)
    )
    # A period starting in the past was approved that day (a start before the approval is
    # refused): the organiser approved the list on ``starts_on``.
    approved_at = (
        timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time(10)))
        if starts_on is not None and starts_on < timezone.localdate()
        else None
    )
    review.approve_batch(app.batch, organiser, starts_on=starts_on, now=approved_at)
    app.refresh_from_db()
    return app


def ask_training_supplement(app, operator_name, steps=("training-2",)):
    """Freeze ``app``'s batch and ask it, as a new operator, to supplement ``steps`` (page
    專案重要性及訓練資料集, training-2, unless told) within a week."""
    operator = staff_user(operator_name, "operator")
    review.freeze_batch(app.batch, operator)
    review.request_supplement(
        app,
        operator,
        message="請補充訓練資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=7),
        steps=list(steps),
    )


def close(call, now=None):
    """The call stopped taking applications a minute ago."""
    now = now or timezone.now()
    call.closes_at = now - datetime.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    return call


def _next_year_data(monkeypatch):
    """The year-115 seed data moved one year on, installed as the year-116 seed module."""
    categories = []
    for entry in year115.CATEGORIES:
        batches = []
        for batch in entry["batches"]:
            review_date = batch["review_date"] + ONE_YEAR
            batches.append(
                {**batch, "review_date": review_date, "cutoff_at": default_cutoff(review_date)}
            )
        categories.append({**entry, "batches": batches})
    data = types.ModuleType("aipower.calls.seeds.year116")
    data.YEAR = 116
    data.CALL = {
        **year115.CALL,
        "title_zh": "116年度 算力平台申請說明",
        "title_en": "2027 AI Compute Platform Call",
        "opens_at": year115.CALL["opens_at"] + ONE_YEAR,
        "closes_at": year115.CALL["closes_at"] + ONE_YEAR,
    }
    data.CATEGORIES = categories
    data.TIERS = year115.TIERS
    data.MODELS = year115.MODELS
    data.TEXTS = year115.TEXTS
    data.ANNOUNCEMENTS = []
    monkeypatch.setitem(sys.modules, "aipower.calls.seeds.year116", data)


def seed_next_call(monkeypatch, *, is_open, now=None):
    """Seed the year-116 call: open now (``is_open``) or created but opening in a month."""
    now = now or timezone.now()
    _next_year_data(monkeypatch)
    call = seed_call(116)
    if is_open:
        return open_now(call)
    call.opens_at = now + datetime.timedelta(days=30)
    call.closes_at = now + datetime.timedelta(days=200)
    call.save(update_fields=["opens_at", "closes_at"])
    return call
