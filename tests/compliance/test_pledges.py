"""Open-source pledges (加分項目 3/4): opened when the period ends, checked by the operator; an
unmet one puts the company on the watch list, which staff see on its later applications."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import PledgeState
from aipower.compliance.models import Pledge, WatchEntry
from aipower.core.models import AuditEntry
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration

HF = "https://huggingface.co/cloudlab/tw-legal-7b"
GH = "https://github.com/cloudlab/tw-legal-data"


def ended_award(call, ubn="10458575", pledges=None, days_ago=5):
    ends_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    award = make_award(
        call,
        ubn,
        CategoryKind.TRAINING,
        starts_on=ends_on - datetime.timedelta(days=90),
        ends_on=ends_on,
    )
    application = award.application
    application.data["training"] = {
        "model_huggingface_url": HF,
        "model_github_url": "無",
        "dataset_huggingface_url": "",
        "dataset_github_url": GH,
        **(pledges or {}),
    }
    application.save(update_fields=["data"])
    return award


def test_pledged_addresses_leave_out_none_and_empty(call_115):
    award = ended_award(call_115)

    assert services.pledged_addresses(award) == {
        "model_huggingface_url": HF,
        "dataset_github_url": GH,
    }


def test_daily_run_opens_the_pledges_of_ended_periods_once(call_115):
    ended = ended_award(call_115)
    running = make_award(call_115, "12345675", CategoryKind.TRAINING)
    running.application.data["training"] = {"model_huggingface_url": HF}
    running.application.save(update_fields=["data"])

    first = services.run()
    second = services.run()

    assert (first.pledges, second.pledges) == (2, 2)
    assert sorted(Pledge.objects.values_list("award_id", "field", "url", "state")) == [
        (ended.pk, "dataset_github_url", GH, PledgeState.PENDING),
        (ended.pk, "model_huggingface_url", HF, PledgeState.PENDING),
    ]


def test_unmet_pledge_puts_the_company_on_the_watch_list(call_115):
    operator = make_staff("op", "operator")
    award = ended_award(call_115)
    met, unmet = sorted(services.open_pledges(award), key=lambda p: p.field)

    services.check_pledge(met, True, by=operator)
    services.check_pledge(unmet, False, by=operator, note="網址 404")

    entry = WatchEntry.objects.get()
    assert (entry.company, entry.pledge, entry.added_by) == (award.company, unmet, operator)
    assert HF in entry.reason and "未上架" in entry.reason
    unmet.refresh_from_db()
    assert (unmet.state, unmet.note) == (PledgeState.UNMET, "網址 404")
    assert AuditEntry.objects.filter(action="compliance.pledge_checked").count() == 2


def test_a_checked_pledge_cannot_be_checked_again(call_115):
    operator = make_staff("op", "operator")
    (pledge, _other) = services.open_pledges(ended_award(call_115))
    services.check_pledge(pledge, True, by=operator)

    with pytest.raises(ValidationError) as refused:
        services.check_pledge(pledge, False, by=operator)

    assert refused.value.code == "checked"
    assert not WatchEntry.objects.exists()


def test_operator_checks_a_pledge_on_the_page(call_115):
    client = verified_client(make_staff("op", "operator"))
    award = ended_award(call_115, pledges={"dataset_github_url": "無"})
    (pledge,) = services.open_pledges(award)

    page = client.get(reverse("compliance:pledges")).content.decode()
    response = client.post(
        reverse("compliance:check_pledge", args=[pledge.pk]),
        {f"p{pledge.pk}-state": PledgeState.UNMET, f"p{pledge.pk}-note": "查無此模型"},
    )

    assert HF in page and "上架情形" in page
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:pledges") + f"#pledge-{pledge.pk}"
    listing = client.get(reverse("compliance:index")).content.decode()
    assert "查無此模型" not in listing and award.company.name in listing
    assert WatchEntry.objects.filter(company=award.company).count() == 1


def test_pledge_check_without_a_choice_is_refused_next_to_it(call_115):
    client = verified_client(make_staff("op", "operator"))
    (pledge,) = services.open_pledges(ended_award(call_115, pledges={"dataset_github_url": ""}))

    response = client.post(
        reverse("compliance:check_pledge", args=[pledge.pk]), {f"p{pledge.pk}-note": "待查"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "請選擇上架情形。" in page
    assert "待查</textarea>" in page
    pledge.refresh_from_db()
    assert pledge.state == PledgeState.PENDING


def test_organiser_cannot_check_a_pledge(call_115):
    client = verified_client(make_staff("org", "organiser"))
    (pledge,) = services.open_pledges(ended_award(call_115, pledges={"dataset_github_url": ""}))

    page = client.get(reverse("compliance:pledges")).content.decode()
    response = client.post(
        reverse("compliance:check_pledge", args=[pledge.pk]), {f"p{pledge.pk}-state": "met"}
    )

    assert HF in page and f'name="p{pledge.pk}-state"' not in page
    assert response.status_code == 403


def test_staff_see_the_watch_list_and_violations_on_the_companys_application(call_115):
    operator = make_staff("op", "operator")
    award = ended_award(call_115, pledges={"dataset_github_url": ""})
    (pledge,) = services.open_pledges(award)
    services.check_pledge(pledge, False, by=operator)
    services.record_violation(award, "6", award.ends_on, "未使用算力", by=operator)

    page = verified_client(operator).get(reverse("review:application", args=[award.application.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "此企業列於觀察名單" in text and HF in text
    assert "此企業曾違反使用規範 1 次。" in text


def test_pledges_and_watch_list_write_the_company_with_the_languages_punctuation(call_115):
    operator = make_staff("op", "operator")
    client = verified_client(operator)
    met, unmet = sorted(services.open_pledges(ended_award(call_115)), key=lambda p: p.field)
    services.check_pledge(unmet, False, by=operator, note="網址 404")

    zh_pledges = client.get(reverse("compliance:pledges")).content.decode()
    zh_index = client.get(reverse("compliance:index")).content.decode()
    client.cookies["django_language"] = "en"
    en_pledges = client.get(reverse("compliance:pledges")).content.decode()
    en_index = client.get(reverse("compliance:index")).content.decode()

    assert f'<tr id="pledge-{met.pk}">\n        <td>公司10458575（10458575）</td>' in zh_pledges
    assert "<tr><td>公司10458575（10458575）</td>" in zh_index
    assert f'<tr id="pledge-{met.pk}">\n        <td>公司10458575 (10458575)</td>' in en_pledges
    assert "<tr><td>公司10458575 (10458575)</td>" in en_index
