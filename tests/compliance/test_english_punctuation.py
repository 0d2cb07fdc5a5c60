"""The compliance record in English: who recorded, decided, reinstated or checked, and when,
joined by an English comma (the zh-Hant page keeps 「，」)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import Sanction, UsageRule
from aipower.gateway.services import create_key
from aipower.grants import services as grants
from tests.compliance.test_pledges import ended_award
from tests.compliance.test_region_refusals import refuse
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration


@pytest.fixture
def allowance(call_115):
    return grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))


def _dd(html, dd_id):
    return html.split(f'<dd id="{dd_id}">', 1)[1].split("</dd>", 1)[0]


def test_violation_record_in_english_joins_who_and_when_with_a_comma(allowance):
    operator = make_staff("op", "operator")
    client = verified_client(operator)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )
    services.decide(violation, Sanction.SUSPEND, by=operator, note="先行暫停")
    services.reinstate(violation, by=operator)
    violation.refresh_from_db()
    client.cookies["django_language"] = "en"

    page = client.get(reverse("compliance:detail", args=[violation.pk])).content.decode()

    recorded = timezone.localtime(violation.recorded_at).strftime("%Y-%m-%d %H:%M")
    decided = timezone.localtime(violation.decided_at).strftime("%Y-%m-%d %H:%M")
    reinstated = timezone.localtime(violation.reinstated_at).strftime("%Y-%m-%d %H:%M")
    assert _dd(page, "violation-recorded") == f"op, {recorded}"
    assert _dd(page, "violation-decided") == f"op, {decided}"
    assert _dd(page, "violation-reinstated") == f"op, {reinstated}"
    assert "，" not in page


def test_violation_record_in_chinese_keeps_the_full_width_comma(allowance):
    operator = make_staff("op", "operator")
    client = verified_client(operator)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )

    page = client.get(reverse("compliance:detail", args=[violation.pk])).content.decode()

    assert _dd(page, "violation-recorded").startswith("op，")


def test_checked_pledge_in_english_joins_who_and_when_with_a_comma(call_115):
    operator = make_staff("op", "operator")
    client = verified_client(operator)
    _met, unmet = sorted(services.open_pledges(ended_award(call_115)), key=lambda p: p.field)
    services.check_pledge(unmet, False, by=operator, note="網址 404")
    unmet.refresh_from_db()
    client.cookies["django_language"] = "en"

    page = client.get(reverse("compliance:pledges")).content.decode()

    checked = timezone.localtime(unmet.checked_at).strftime("%Y-%m-%d %H:%M")
    assert f"<small>op, {checked}</small>" in page
    assert "op，" not in page


def test_refused_key_in_english_is_written_with_english_parentheses(allowance):
    api_key, _secret = create_key(allowance.company, allowance.award, "production server")
    refusal = refuse(api_key, "HK", "202.45.84.58")
    client = verified_client(make_staff("op", "operator"))

    chinese = client.get(reverse("compliance:index")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("compliance:index")).content.decode()

    def row(page):
        return page.split(f'id="region-refusal-{refusal.pk}"')[1].split("</tr>")[0]

    assert f"<td>production server ({api_key.prefix}…)</td>" in row(english)
    assert f"<td>production server（{api_key.prefix}…）</td>" in row(chinese)
