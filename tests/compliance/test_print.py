"""A printed violation record says when it was printed; the link back is not printed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import UsageRule
from aipower.grants import services as grants
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.printing import print_meta, printing_times
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration


@pytest.fixture
def violation(call_115):
    allowance = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))
    return services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )


@pytest.mark.parametrize(
    ("language", "line"), [("en", "Printed at {}"), ("zh-hant", "列印時間：{}")]
)
def test_violation_record_carries_its_printing_time(violation, language, line):
    client = verified_client(make_staff("op", "operator"))
    client.cookies["django_language"] = language

    with printing_times(language) as times:
        page = client.get(reverse("compliance:detail", args=[violation.pk])).content.decode()

    assert print_meta(page) in [line.format(at) for at in times]
    assert f'<p class="no-print"><a href="{reverse("compliance:index")}">' in page


def test_a_pending_violation_prints_awaiting_decision_instead_of_the_form(violation):
    client = verified_client(make_staff("op", "operator"))

    page = client.get(reverse("compliance:detail", args=[violation.pk])).content.decode()

    form_tag = page.split('<form method="post" novalidate id="decide-form"', 1)[1].split(">", 1)[0]
    assert 'class="no-print"' in form_tag
    assert '<p class="notice print-only" id="decision-pending-print">待執行單位處分。</p>' in page


@pytest.mark.parametrize("page", ["compliance:index", "compliance:pledges"])
@pytest.mark.parametrize(
    ("language", "line"), [("en", "Printed at {}"), ("zh-hant", "列印時間：{}")]
)
def test_the_violations_and_pledges_lists_printed_say_when(violation, page, language, line):
    """The list of violations (with the watch list) and the pledges, printed for a meeting or
    the file, say when they were printed, as the violation record does (they said nothing)."""
    client = verified_client(make_staff("op", "operator"))
    client.cookies["django_language"] = language

    with printing_times(language) as times:
        html = client.get(reverse(page)).content.decode()

    assert print_meta(html) in [line.format(at) for at in times]
