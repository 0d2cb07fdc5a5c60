"""Scale: 公告名單 reads the same number of queries however many batches and companies a call
published (it read the category and the approval of each batch's heading one by one)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import Company
from aipower.applications.models import Application
from aipower.core.roc import format_roc_date
from aipower.review.models import Award, BatchReview
from tests.query_counts import measure

pytestmark = pytest.mark.integration

# The calls, the one call's published awards, the batches' categories, their approvals, and the
# current call the page's frame reads twice.
RESULTS_QUERIES = 6


def queries_of(client, url):
    queries, _response, text = measure(client, url)
    return len(queries), text


def publish(call, batches, per_batch, start):
    """``per_batch`` approved companies in each of ``batches``, and the batch's list approved."""
    now = timezone.now()
    number = start
    for batch in batches:
        BatchReview.objects.update_or_create(
            batch=batch, defaults={"frozen_at": now, "approved_at": now}
        )
        category = batch.category
        tier = call.tiers.order_by("order")[number % 3]
        for _ in range(per_batch):
            company = Company.objects.create(
                ubn=f"{60000000 + number}", name=f"規模{number:03d}公司"
            )
            application = Application.objects.create(
                call=call,
                company=company,
                category=category.kind,
                state="approved",
                number=f"AP115-{category.kind[0].upper()}-{number:04d}",
                batch=batch,
                submitted_at=now,
            )
            Award.objects.create(
                application=application,
                company=company,
                category=category,
                tier=tier,
                points=tier.points,
                units=tier.points * category.units_per_point,
                starts_on=now.date(),
                ends_on=now.date(),
                approved_at=now,
            )
            number += 1
    return number


def batches(call, per_category):
    return [
        batch
        for category in call.categories.order_by("order")
        for batch in category.batches.order_by("number")[:per_category]
    ]


def headings(html):
    return re.findall(r'<h3 id="batch-\d+">([^<]*)</h3>\s*<p class="muted">([^<]*)</p>', html)


def test_results_query_count_does_not_grow_with_batches_or_companies(client, call_115):
    url = reverse("public:results")
    count = publish(call_115, batches(call_115, 1), 4, 0)

    small, html = queries_of(client, url)

    approved = format_roc_date(timezone.localdate())
    assert len(headings(html)) == 2
    assert html.count("<tr><td>") == 8

    publish(call_115, batches(call_115, 3)[1:3] + batches(call_115, 3)[4:], 4, count)
    large, html = queries_of(client, url)

    shown = headings(html)
    assert len(shown) == 6
    assert all(date == f"核定公告日期：{approved}" for _heading, date in shown)
    assert [heading for heading, _date in shown] == [
        f"{batch.category.name_zh} 第{'一二三四五六'[batch.number - 1]}梯次"
        for batch in sorted(batches(call_115, 3), key=lambda b: (b.review_date, b.category.order))
    ]
    assert html.count("<tr><td>") == 24
    for award in Award.objects.select_related("company", "tier"):
        assert f"<td>{award.company.name}</td><td>{award.tier.code}</td>" in html
    assert small == large <= RESULTS_QUERIES
