"""Requests the gateway refused for their region (使用規範第2點) on the compliance page, and a
violation recorded from one with its evidence filled in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance.enums import UsageRule
from aipower.compliance.models import Violation
from aipower.gateway.models import RegionRefusal
from aipower.gateway.services import create_key, record_region_refusal
from aipower.grants import services as grants
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration


@pytest.fixture
def key(call_115):
    allowance = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))
    award = allowance.award
    api_key, _secret = create_key(award.company, award, "production server")
    return api_key


def refuse(key, country, address, times=1, now=None):
    for _ in range(times):
        record_region_refusal(key.pk, key.award_id, country, address, now=now)
    return RegionRefusal.objects.get(api_key=key, country=country)


def test_operator_sees_the_refusals_with_a_link_to_record_them(db, key):
    refusal = refuse(key, "HK", "202.45.84.58", times=3)

    response = verified_client(make_staff("op", "operator")).get(reverse("compliance:index"))

    row = response.content.decode().split(f'id="region-refusal-{refusal.pk}"')[1].split("</tr>")[0]
    assert "香港" in row and "202.45.84.58" in row and "production server" in row
    assert ">3<" in row
    assert f"{reverse('compliance:record')}?refusal={refusal.pk}" in row


def test_organiser_sees_them_without_the_record_link(db, key):
    refusal = refuse(key, "MO", "60.246.0.1")

    response = verified_client(make_staff("org", "organiser")).get(reverse("compliance:index"))

    body = response.content.decode()
    assert f'id="region-refusal-{refusal.pk}"' in body
    assert f"?refusal={refusal.pk}" not in body


def test_refusals_older_than_ninety_days_are_not_listed(db, key):
    long_ago = timezone.now() - datetime.timedelta(days=91)
    refusal = refuse(key, "CN", "1.2.4.8", now=long_ago)

    response = verified_client(make_staff("op", "operator")).get(reverse("compliance:index"))

    assert f'id="region-refusal-{refusal.pk}"' not in response.content.decode()


def test_violation_recorded_from_a_refusal_has_its_evidence(db, key):
    refusal = refuse(key, "HK", "202.45.84.58", times=2)
    client = verified_client(make_staff("op", "operator"))

    form = client.get(reverse("compliance:record"), {"refusal": refusal.pk}).context["form"]

    assert form.initial["award"] == key.award_id
    assert form.initial["rule"] == UsageRule.MAINLAND_IP
    assert form.initial["occurred_on"] == refusal.day
    evidence = form.initial["evidence"]
    assert "production server" in evidence and "202.45.84.58" in evidence
    assert "2 次" in evidence and "香港" in evidence

    response = client.post(
        reverse("compliance:record"),
        {**form.initial, "occurred_on": refusal.day.isoformat()},
    )

    violation = Violation.objects.get()
    assert response.status_code == 302
    assert (violation.award_id, violation.rule, violation.evidence) == (
        key.award_id,
        UsageRule.MAINLAND_IP,
        evidence,
    )


def test_a_second_refusal_the_same_day_is_added_to_the_row(db, key):
    first = refuse(key, "CN", "1.2.4.8")
    RegionRefusal.objects.filter(pk=first.pk).update(count=5)

    again = refuse(key, "CN", "1.2.4.9")

    assert (again.pk, again.count, again.last_address) == (first.pk, 6, "1.2.4.9")


def test_a_refusal_already_recorded_links_to_its_violation_instead_of_recording_again(db, key):
    """Once the operator recorded the day's refusals as a violation, the row says so and
    leads to it (it kept offering 記錄違規, whose form then refused the same award, rule and
    date); the organiser sees it too; another day's refusal still offers the link."""
    today = timezone.localdate()
    recorded = refuse(key, "HK", "202.45.84.58")
    earlier = refuse(key, "MO", "60.246.0.1", now=timezone.now() - datetime.timedelta(days=2))
    operator = verified_client(make_staff("op", "operator"))
    operator.post(
        reverse("compliance:record"),
        {
            "award": key.award_id,
            "rule": UsageRule.MAINLAND_IP,
            "occurred_on": today.isoformat(),
            "evidence": "閘道拒絕",
        },
    )
    violation = Violation.objects.get()

    body = operator.get(reverse("compliance:index")).content.decode()
    seen = verified_client(make_staff("org", "organiser")).get(reverse("compliance:index"))

    row = body.split(f'id="region-refusal-{recorded.pk}"')[1].split("</tr>")[0]
    other = body.split(f'id="region-refusal-{earlier.pk}"')[1].split("</tr>")[0]
    detail = reverse("compliance:detail", args=[violation.pk])
    assert f'<a href="{detail}">已記錄（違規紀錄 #{violation.pk}）</a>' in row
    assert "?refusal=" not in row
    assert f"?refusal={earlier.pk}" in other
    assert f'<a href="{detail}">' in seen.content.decode()
