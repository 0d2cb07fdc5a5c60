"""The start-up priority (優先資格) as the staff see it. The programme document bases it on the
MOEA registration's approval date (核准設立日期); the tax data's 設立日期 and the applicant's
declared 設立登記日期 may each differ from it. Where they disagree about the priority, or the
tax data has no date, the staff see it as to be checked; the operator settles it (with the
reason, audited), and the score sheet and the meeting show the settled value."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import Company
from aipower.core.models import AuditEntry
from aipower.registry.services import import_demo_registry
from aipower.review import exports, services
from aipower.review.models import StartupPrioritySettlement

from .conftest import refresh, verified_client
from .helpers import assign_and_declare, make_eligible

pytestmark = pytest.mark.integration

# 山嵐 of the demo registry: founded 98年06月01日, before the call's start-up date
# (2018-01-01); the form (tests.applications.conftest.PROFILE) declares 2019-03-01, after it.
MOUNTAIN = "52880483"


@pytest.fixture
def disputed(app_a):
    import_demo_registry()
    Company.objects.filter(pk=app_a.company_id).update(ubn=MOUNTAIN)
    return refresh(app_a)


def settle(client, app, priority, reason):
    return client.post(
        reverse("review:application_startup_priority", args=[app.pk]),
        {"sp-priority": priority, "sp-reason": reason},
    )


def test_dates_on_both_sides_of_the_start_up_date_are_to_be_checked_not_decided_by_the_tax_date(
    disputed, operator
):
    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[disputed.pk]))
        .content.decode()
    )

    fact = html.split('id="startup-priority-fact"', 1)[1].split("</dd>", 1)[0]
    assert 'data-status="check"' in fact
    assert "待人工查核" in fact
    assert "申請表之設立登記日期 108年03月01日 與稅籍登記資料之設立日期 98年06月01日" in fact
    assert "新創優先資格待人工查核" in html.split('id="application-state"', 1)[1]
    assert 'id="startup-priority-form"' in html


def test_a_company_missing_from_the_tax_data_is_to_be_checked(app_a, operator):
    priority = services.startup_priority(refresh(app_a))  # no data set imported

    assert priority.status == "check"
    assert priority.basis == "no_registry_date"


def test_the_operator_settles_the_priority_with_a_reason_kept_in_the_audit_log(
    disputed, operator, reviewers
):
    make_eligible(disputed, operator)
    (assignment,) = assign_and_declare(refresh(disputed), reviewers[:1], operator)
    client = verified_client(operator)

    response = settle(client, disputed, "yes", "商工登記核准設立日期 108年02月20日（11月28日查詢）")

    assert response.status_code == 302
    settlement = StartupPrioritySettlement.objects.get(application=disputed)
    assert settlement.priority is True
    assert settlement.settled_by == operator
    entry = AuditEntry.objects.filter(action="review.startup_priority_settled").get()
    assert entry.data["before"] == "check"
    assert entry.data["after"] == "yes"
    assert entry.data["reason"].startswith("商工登記核准設立日期 108年02月20日")
    assert entry.data["registry_founded_on"] == "2009-06-01"
    assert entry.data["declared_founded_on"] == "2019-03-01"
    page = client.get(reverse("review:application", args=[disputed.pk])).content.decode()
    assert "經執行單位確認（op，" in page
    sheet = (
        verified_client(reviewers[0])
        .get(reverse("review:assignment", args=[assignment.pk]))
        .content.decode()
    )
    badge = sheet.split('id="startup-priority"', 1)[1].split("</span>", 1)[0]
    assert badge == ">具新創優先資格"
    (row,) = services.ranking(disputed.batch)
    assert row.startup_priority.is_priority
    assert exports.priority_cell(row.startup_priority) == "是"


def test_the_meeting_shows_the_priority_to_be_checked_until_the_operator_denies_it(
    disputed, operator
):
    make_eligible(disputed, operator)
    client = verified_client(operator)
    meeting = reverse("review:meeting", args=[disputed.batch_id])

    before = client.get(meeting).content.decode()
    settle(client, disputed, "no", "商工登記核准設立日期 098年06月01日")
    after = client.get(meeting).content.decode()

    assert '<td class="startup-priority" data-status="check">' in before
    assert "待人工查核" in before.split('class="startup-priority"', 1)[1].split("</td>", 1)[0]
    cell = after.split('class="startup-priority"', 1)[1].split("</td>", 1)[0]
    assert 'data-status="no"' in cell
    assert "否" in cell
    assert "（執行單位確認）" in cell


def test_settling_needs_a_reason_and_the_operator(disputed, operator, reviewers):
    refused = settle(verified_client(operator), disputed, "yes", "")
    forbidden = settle(verified_client(reviewers[0]), disputed, "yes", "查詢結果")

    assert refused.status_code == 400
    assert forbidden.status_code == 403
    assert not StartupPrioritySettlement.objects.exists()
    assert services.startup_priority(refresh(disputed)).status == "check"


def test_a_missing_answer_keeps_the_reason_typed_beside_the_error(disputed, operator):
    """The page was left for a redirect with the error on top: the reason typed was lost."""
    response = settle(verified_client(operator), disputed, "", "商工登記核准設立日期 107年05月02日")

    html = response.content.decode()
    form = html.split('id="startup-priority-form"', 1)[1].split("</form>", 1)[0]
    assert response.status_code == 400
    assert "請選擇是否具新創優先資格" in form
    assert "商工登記核准設立日期 107年05月02日" in form
    assert not StartupPrioritySettlement.objects.exists()


def test_the_operator_settles_the_priority_while_a_supplement_is_pending(disputed, operator):
    services.request_supplement(
        disputed,
        operator,
        message="請補充資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=5),
        steps=["training-2"],
    )
    client = verified_client(operator)

    page = client.get(reverse("review:application", args=[disputed.pk])).content.decode()
    settle(client, disputed, "no", "商工登記核准設立日期 098年06月01日")

    assert 'id="startup-priority-form"' in page
    assert services.startup_priority(refresh(disputed)).status == "no"


def test_the_priority_cannot_change_once_the_meeting_has_decided(approved, operator):
    with pytest.raises(services.ReviewError):
        services.settle_startup_priority(approved, operator, priority=True, reason="查詢結果")
