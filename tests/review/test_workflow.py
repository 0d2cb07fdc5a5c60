"""The transition table: every allowed move succeeds for its actor, everything else is refused."""

import itertools

import pytest

from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application
from aipower.core.models import AuditEntry
from aipower.review import workflow
from aipower.review.models import StateChange
from tests.applications.conftest import make_company_user

from .conftest import make_staff

pytestmark = pytest.mark.integration

ALL_PAIRS = list(itertools.product(S, S))
ALLOWED = [(s, t) for s, t in ALL_PAIRS if (s, t) in workflow.TABLE]
REFUSED = [(s, t) for s, t in ALL_PAIRS if (s, t) not in workflow.TABLE]
ACTOR_KINDS = ["operator", "organiser", "reviewer", "company", "other_company", "system"]


@pytest.fixture
def actors(db):
    own = make_company_user("04595257", "甲智能股份有限公司")
    other = make_company_user("10458575", "乙資訊有限公司")
    return {
        "operator": make_staff("op", "operator"),
        "organiser": make_staff("org", "organiser"),
        "reviewer": make_staff("rev", "reviewer"),
        "company": own,
        "other_company": other,
        "system": None,
    }


def application_in(state, actors, call):
    return Application.objects.create(
        call=call,
        company=actors["company"].company,
        category="training",
        state=state,
        number="AP115-T-0001",
    )


def actor_for(rule, actors):
    kind = sorted(rule.actors)[0]
    return actors[kind]


def test_table_covers_every_state_and_the_named_path():
    sources = {t.source for t in workflow.TRANSITIONS}
    targets = {t.target for t in workflow.TRANSITIONS}
    assert targets | sources == set(S)
    assert workflow.allowed_targets(S.ELIGIBILITY_REVIEW) == [
        S.ELIGIBLE,
        S.INELIGIBLE,
        S.SUPPLEMENT_REQUESTED,
    ]
    # Terminal states have no way out.
    for terminal in (S.NOT_ACCEPTED, S.INELIGIBLE, S.APPROVED, S.NOT_APPROVED):
        assert workflow.allowed_targets(terminal) == []


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_transition_allowed_moves_saves_records_and_audits(source, target, actors, call_115):
    app = application_in(source, actors, call_115)
    rule = workflow.TABLE[(source, target)]
    by = actor_for(rule, actors)

    result = workflow.transition(app, target, by, reason="理由")

    assert Application.objects.get(pk=app.pk).state == target
    assert result.state == target
    change = StateChange.objects.get(application=app)
    assert (change.from_state, change.to_state, change.by) == (source, target, by)
    entry = AuditEntry.objects.filter(action="application.transition").get()
    assert entry.data["before"] == source
    assert entry.data["after"] == target
    assert entry.object_id == str(app.pk)


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=[f"{s}->{t}" for s, t in REFUSED])
def test_transition_not_in_table_is_refused(source, target, actors, call_115):
    app = application_in(source, actors, call_115)

    for by in (actors["operator"], actors["organiser"], actors["company"], None):
        with pytest.raises(workflow.TransitionRefused):
            workflow.transition(app, target, by, reason="理由")

    assert Application.objects.get(pk=app.pk).state == source
    assert not StateChange.objects.exists()


WRONG_ACTORS = [
    (s, t, kind)
    for (s, t) in ALLOWED
    for kind in ACTOR_KINDS
    if kind not in workflow.TABLE[(s, t)].actors
]


@pytest.mark.parametrize(
    ("source", "target", "kind"),
    WRONG_ACTORS,
    ids=[f"{s}->{t}-by-{k}" for s, t, k in WRONG_ACTORS],
)
def test_transition_by_wrong_actor_is_not_permitted(source, target, kind, actors, call_115):
    app = application_in(source, actors, call_115)

    with pytest.raises(workflow.TransitionNotPermitted):
        workflow.transition(app, target, actors[kind], reason="理由")

    assert Application.objects.get(pk=app.pk).state == source


NEEDS_REASON = [(s, t) for (s, t) in ALLOWED if workflow.TABLE[(s, t)].needs_reason]


@pytest.mark.parametrize(("source", "target"), NEEDS_REASON)
def test_transition_without_needed_reason_is_refused(source, target, actors, call_115):
    app = application_in(source, actors, call_115)
    by = actor_for(workflow.TABLE[(source, target)], actors)

    with pytest.raises(workflow.TransitionRefused, match="請填寫理由"):
        workflow.transition(app, target, by, reason="  ")

    assert Application.objects.get(pk=app.pk).state == source


def test_inactive_staff_may_not_transition(actors, call_115):
    app = application_in(S.SUBMITTED, actors, call_115)
    actors["operator"].is_active = False

    with pytest.raises(workflow.TransitionNotPermitted):
        workflow.transition(app, S.ELIGIBILITY_REVIEW, actors["operator"])


def test_state_wording_differs_for_staff_and_applicant():
    assert workflow.staff_label(S.DECIDED) == "審查會議已決議"
    assert workflow.applicant_label(S.DECIDED) == "專業審查中"
    assert workflow.applicant_label(S.NOT_ACCEPTED) == "不予受理"
    assert set(workflow.STATES) == set(S)
