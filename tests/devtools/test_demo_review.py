"""The demo's two awards come out of the real review: after `load_demo` the operator sees, for
山嵐's AP115-I-0001 and 北港's AP115-T-0001, a frozen, decided and published batch with three
reviewers' submitted score sheets, and the meeting's ranking with scores and the decision —
what a finished review looks like — while the awards, allowances and the demo key are those
the demo always had."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application, SentMail
from aipower.compliance.models import Pledge
from aipower.deliverables import services as deliverables
from aipower.devtools.demo_closeout import CLOSEOUT_UBN
from aipower.devtools.demo_grants import DEMO_KEY, DEMO_UBN
from aipower.devtools.demo_review import REVIEWERS, SHEETS, period_start
from aipower.gateway.models import ApiKey, hash_secret
from aipower.grants.models import Allowance, AllowanceState
from aipower.review import services
from aipower.review.models import Assignment, Award, BatchReview, Decision, Score, StateChange
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

DEMO_UBNS = (DEMO_UBN, CLOSEOUT_UBN)


@pytest.fixture
def devca_dir(settings, tmp_path):
    settings.DEVCA_DIR = tmp_path / "devca"
    return settings.DEVCA_DIR


@pytest.fixture
def demo(db, devca_dir, django_capture_on_commit_callbacks):
    # The outbox delivers on commit, as under `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    return {
        ubn: Application.objects.select_related("batch", "call").get(
            company__ubn=ubn, call__year=115
        )
        for ubn in DEMO_UBNS
    }


@pytest.mark.parametrize("ubn", DEMO_UBNS)
def test_demo_award_has_three_complete_score_sheets_of_the_demo_reviewers(demo, ubn):
    application = demo[ubn]
    criteria = list(services.criteria_of(application))

    assignments = list(
        Assignment.objects.filter(application=application).order_by("reviewer__username")
    )

    assert [a.reviewer.username for a in assignments] == list(REVIEWERS)
    for assignment, sheet in zip(assignments, SHEETS, strict=True):
        assert assignment.conflict == Assignment.Conflict.NONE
        assert assignment.conflict_flag == ""
        assert assignment.declared_at < assignment.submitted_at
        assert assignment.overall_comment == sheet["overall"]
        assert assignment.suggested_tier == "L1"
        scores = Score.objects.filter(assignment=assignment)
        assert {s.criterion_id for s in scores} == {c.pk for c in criteria}
        assert all(s.value is not None and s.comment for s in scores)


@pytest.mark.parametrize("ubn", DEMO_UBNS)
def test_demo_award_went_through_the_workflow_in_a_frozen_approved_batch(demo, ubn):
    application = demo[ubn]
    award = Award.objects.get(application=application)
    review = BatchReview.objects.get(batch=application.batch)

    assert application.state == S.APPROVED
    assert review.frozen_by.username == "operator"
    assert review.approved_by.username == "organiser"
    assert application.submitted_at < review.frozen_at < review.approved_at
    assert review.approved_at == award.approved_at
    assert award.approved_by.username == "organiser"
    assert list(
        StateChange.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("to_state", flat=True)
    ) == [S.ELIGIBILITY_REVIEW, S.ELIGIBLE, S.IN_REVIEW, S.DECIDED, S.APPROVED]
    assert award in services.published_awards(application.call)


@pytest.mark.parametrize("ubn", DEMO_UBNS)
def test_demo_award_is_ranked_with_its_decision_at_the_meeting(demo, ubn):
    application = demo[ubn]
    operator = verified_client(application.batch.review.frozen_by)

    (row,) = [r for r in services.ranking(application.batch) if r.application == application]
    meeting = operator.get(reverse("review:meeting", args=[application.batch_id]))
    batch = operator.get(reverse("review:batch", args=[application.batch_id]))

    assert row.rank == 1
    assert len(row.scores) == 3 and row.pending == 0
    assert row.mean is not None and row.normalised is not None
    assert row.decision.outcome == Decision.Outcome.APPROVED
    assert (row.decision.tier.code, row.decision.points) == ("L1", 1000)
    assert row.decision.decided_by.username == "operator"
    page = meeting.content.decode()
    assert meeting.status_code == 200
    assert '<td class="rank">1</td>' in page
    assert str(row.mean) in page
    assert "核定通過" in page
    page = batch.content.decode()
    assert 'id="frozen-notice"' in page
    assert 'id="freeze-batch"' not in page
    assert "3 / 3" in page


def test_demo_awards_are_what_the_demo_always_had(demo):
    inference, training = demo[DEMO_UBN], demo[CLOSEOUT_UBN]
    today = timezone.localdate()
    grant = Award.objects.get(application=inference)
    closeout = Award.objects.get(application=training)

    assert inference.number == "AP115-I-0001"
    assert (grant.points, grant.tier.code) == (1000, "L1")
    assert grant.units == 1000 * grant.category.units_per_point
    assert grant.starts_on == today - datetime.timedelta(days=1)
    assert grant.ends_on == services.period_end(grant.starts_on, inference.call.validity_months)
    offered = inference.call.models.filter(offered_inference=True, enabled=True, prohibited=False)
    assert set(grant.allowed_models.all()) == set(offered)
    assert Allowance.objects.get(award=grant).state == AllowanceState.ACTIVE
    key = ApiKey.objects.get(secret_hash=hash_secret(DEMO_KEY))
    assert (key.award, key.is_active) == (grant, True)

    assert training.number == "AP115-T-0001"
    assert (closeout.points, closeout.tier.code) == (1000, "L1")
    assert closeout.ends_on == services.period_end(
        period_start(today - datetime.timedelta(days=10), training.call.validity_months),
        training.call.validity_months,
    )
    assert closeout.ends_on < today
    allowance = Allowance.objects.get(award=closeout)
    assert allowance.state == AllowanceState.EXPIRED
    assert deliverables.is_open(allowance)
    assert Pledge.objects.filter(award=closeout).count() == 2


def test_load_demo_twice_reviews_each_award_once(demo, django_capture_on_commit_callbacks):
    def counts():
        return [
            model.objects.count()
            for model in (Application, Award, Assignment, Score, Decision, StateChange, SentMail)
        ]

    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    assert counts() == before
    assert before[:3] == [2, 2, 6]


def test_the_reviews_mails_are_in_the_mail_log_dated_when_the_review_sent_them(demo):
    mails = SentMail.objects.order_by("queued_at", "pk")

    assert mails.count() == 8  # each award: three assignment notices, one approval notice
    assert {mail.status for mail in mails} == {SentMail.Status.SENT}
    for application in demo.values():
        award = Award.objects.get(application=application)
        notices = mails.filter(application=application, to_staff=False)
        (approved,) = notices
        assert approved.subject.endswith(f"{application.number} 核定通過")
        assert approved.queued_at == approved.sent_at == award.approved_at
        assigned = mails.filter(application=application, to_staff=True)
        assert sorted(m.to[0] for m in assigned) == [f"{r}@demo.example" for r in REVIEWERS]
        assigned_at = Assignment.objects.filter(application=application).first().assigned_at
        assert {m.sent_at for m in assigned} == {assigned_at}


def test_load_demo_prints_no_mail_under_the_console_backend(
    db, devca_dir, settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)

    assert SentMail.objects.filter(status=SentMail.Status.SENT).count() == 8
    assert "Subject:" not in capsys.readouterr().out
    assert "Review: AP115-I-0001 scored by reviewer1, reviewer2, reviewer3" in out.getvalue()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("ends_on", "expected_start"),
    [
        (datetime.date(2026, 11, 19), datetime.date(2026, 8, 20)),
        (datetime.date(2027, 2, 27), datetime.date(2026, 11, 28)),
        (datetime.date(2027, 2, 28), datetime.date(2026, 12, 1)),
        # No 3-month period ends on 05-28 … 05-30 (it would start on 02-29 … 02-31).
        (datetime.date(2026, 5, 29), datetime.date(2026, 2, 28)),
    ],
)
def test_period_start_is_the_latest_start_ending_by_the_day(ends_on, expected_start):
    start = period_start(ends_on, 3)

    assert start == expected_start
    assert services.period_end(start, 3) <= ends_on
    assert services.period_end(start + datetime.timedelta(days=1), 3) > ends_on


def test_load_demo_says_when_an_earlier_demo_awarded_without_a_review(db, devca_dir):
    from aipower.accounts.models import Company
    from aipower.devtools.demo import load_demo_call
    from aipower.devtools.demo_grants import DEMO_COMPANY, grant_inference_award

    call = load_demo_call()
    today = timezone.localdate()
    grant_inference_award(  # as the demo made its award before it went through the review
        Company.objects.create(ubn=DEMO_UBN, name=DEMO_COMPANY),
        call,
        points=1000,
        models=[],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "AP115-I-0001 was awarded without a review by an earlier demo" in out.getvalue()
    assert "AP115-T-0001 scored by reviewer1, reviewer2, reviewer3" in out.getvalue()
