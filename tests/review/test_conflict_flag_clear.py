"""The operator confirms that a conflict the system flagged is not one (the check matches
names, and a name can match by chance): the reviewer is back in the review, the reason is kept
with the assignment and in the audit log, and the same match does not flag them again."""

import pytest
from django.urls import reverse

from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import SentMail
from aipower.calls.models import Tier
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Assignment, Budget, Decision, ReviewerProfile

from .conftest import refresh, verified_client
from .helpers import full_review, make_eligible

pytestmark = pytest.mark.integration

# A reviewer of a society called 「智能」: the check finds it inside 甲智能股份有限公司.
CHANCE = "審查委員聲明之任職或關係機構與申請企業相同：智能"
REASON = "委員任職之「智能」為學會簡稱，與申請企業無關"


def mails_to(user):
    return [mail for mail in SentMail.objects.all() if user.email in mail.to]


def reloaded(assignment):
    return Assignment.objects.get(pk=assignment.pk)


@pytest.fixture
def flagged(app_a, operator, reviewers):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="智能")
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    assert assignment.conflict_flag == CHANCE
    assert mails_to(reviewers[0]) == []
    return assignment


def test_the_operator_clears_a_chance_match_and_the_reviewer_is_asked_to_review(
    flagged, app_a, operator, reviewers
):
    services.clear_conflict_flag(flagged, operator, reason=REASON)

    assignment = reloaded(flagged)
    assert assignment.conflict_flag == ""
    assert assignment.conflict_flag_cleared == CHANCE
    assert assignment.conflict_flag_cleared_reason == REASON
    assert assignment.conflict == Assignment.Conflict.UNDECLARED
    entry = AuditEntry.objects.get(action="review.conflict_flag_cleared")
    assert entry.actor == operator
    assert entry.data["conflict_flag"] == CHANCE
    assert entry.data["reason"] == REASON
    (mail,) = mails_to(reviewers[0])
    assert mail.to_staff
    assert app_a.number in mail.body
    # The reviewer still declares a conflict before scoring: the page asks for it, and once
    # declared free of one they see the application.
    page = verified_client(reviewers[0]).get(reverse("review:assignment", args=[flagged.pk]))
    assert 'id="conflict-notice"' not in page.content.decode()
    assert not services.can_see_application(reviewers[0], app_a)
    services.declare_conflict(assignment, reviewers[0], has_conflict=False)
    assert services.can_see_application(reviewers[0], app_a)


def test_the_same_match_does_not_flag_again_but_another_one_does(
    flagged, app_a, operator, reviewers
):
    services.clear_conflict_flag(flagged, operator, reason=REASON)
    profile = ReviewerProfile.objects.get(user=reviewers[0])

    profile.affiliations = "智能\n國立臺灣大學"
    profile.save()
    assert reloaded(flagged).conflict_flag == ""

    # A later line naming the applicant's number is a conflict of its own, even behind the
    # cleared match.
    profile.affiliations = f"智能\n{app_a.company.ubn}"
    profile.save()
    assert reloaded(flagged).conflict_flag == (
        f"審查委員聲明之任職或關係機構與申請企業相同：{app_a.company.ubn}"
    )


def test_clearing_after_the_meeting_decided_withdraws_the_decision(app_a, operator, reviewers):
    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=6000, minimum_reviewers=2
    )
    full_review([app_a], operator, reviewers)
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="智能")
    assignment = Assignment.objects.get(application=app_a, reviewer=reviewers[0])
    assert assignment.conflict_flag == CHANCE
    # Decided on the two other reviewers' scores.
    services.stage_decision(
        app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L1")
    )
    assert refresh(app_a).state == S.DECIDED
    mails_before = len(mails_to(reviewers[0]))

    services.clear_conflict_flag(assignment, operator, reason=REASON)

    # The first reviewer's submitted scores count again: the decision made without them goes.
    assert refresh(app_a).state == S.IN_REVIEW
    assert not Decision.objects.filter(application=app_a).exists()
    entry = AuditEntry.objects.get(action="review.conflict_flag_cleared")
    assert entry.data["withdrawn_decision"]["tier"] == "L1"
    assert entry.data["scores_submitted"] is True
    (row,) = services.ranking(app_a.batch)
    assert reviewers[0] in [s.assignment.reviewer for s in row.scores]
    # No mail asks them to review what they have scored.
    assert len(mails_to(reviewers[0])) == mails_before


def test_only_the_operator_clears_and_only_with_a_reason(
    flagged, app_a, operator, organiser, reviewers
):
    url = reverse("review:assignment_clear_flag", args=[flagged.pk])
    for user in (organiser, reviewers[0]):
        response = verified_client(user).post(url, {f"c{flagged.pk}-reason": REASON})
        assert response.status_code == 403
    with pytest.raises(services.ReviewError):
        services.clear_conflict_flag(flagged, organiser, reason=REASON)

    client = verified_client(operator)
    response = client.post(url, {f"c{flagged.pk}-reason": "  "}, follow=True)

    assert "請填寫確認非利益衝突之理由" in response.content.decode()
    assert reloaded(flagged).conflict_flag == CHANCE
    assert not AuditEntry.objects.filter(action="review.conflict_flag_cleared").exists()


def test_the_application_page_offers_the_confirmation_and_then_shows_why(flagged, app_a, operator):
    client = verified_client(operator)
    page = client.get(reverse("review:application", args=[app_a.pk])).content.decode()
    assert reverse("review:assignment_clear_flag", args=[flagged.pk]) in page
    assert f'<label for="id_c{flagged.pk}-reason"' in page

    response = client.post(
        reverse("review:assignment_clear_flag", args=[flagged.pk]),
        {f"c{flagged.pk}-reason": REASON},
        follow=True,
    )

    text = response.content.decode()
    assert "已確認非利益衝突" in text
    assert f"系統偵測「{CHANCE}」經執行單位確認非利益衝突：{REASON}" in text
    assert reverse("review:assignment_clear_flag", args=[flagged.pk]) not in text


def test_a_stored_flag_reads_in_the_pages_language(flagged, app_a, operator, reviewers):
    """The flag is stored as the check wrote it (zh-Hant); an English page showed it so."""
    client = verified_client(operator)
    client.cookies["django_language"] = "en"

    english = client.get(reverse("review:application", args=[app_a.pk])).content.decode()

    assert "An affiliation the reviewer declared matches the applicant: 智能" in english
    assert CHANCE not in english
    reviewer = verified_client(reviewers[0])
    declare = reviewer.get(reverse("review:assignment", args=[flagged.pk])).content.decode()
    assert CHANCE in declare  # zh-Hant page, the text as stored


@pytest.mark.parametrize(
    "stored",
    [
        "審查委員所屬企業即為申請企業",
        "審查委員聲明之關係機構（04595257）與申請企業代表人相同：王大明",
        "An affiliation the reviewer declared matches the applicant: 智能",
        "由管理者輸入的其他文字",
    ],
)
def test_every_kind_of_flag_is_shown_in_either_language(stored):
    from django.utils import translation

    with translation.override("zh-hant"):
        chinese = services.flag_in_language(stored)
    with translation.override("en"):
        english = services.flag_in_language(stored)

    if stored == "由管理者輸入的其他文字":  # not the check's: shown as stored
        assert chinese == english == stored
    else:
        assert chinese.startswith("審查委員")
        assert not any("\u4e00" <= c <= "\u9fff" for c in english.split(":")[0])
