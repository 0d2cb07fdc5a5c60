"""The operator and the organiser read each reviewer's submitted sheet on the application's
page — every criterion's score and comment, the weighted total, the overall comment and the
suggested tier — as the meeting discusses them (the page said only 「已送出」; no staff page
showed a reviewer's comments)."""

import pytest
from django.urls import reverse

from aipower.review import services

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible

pytestmark = pytest.mark.integration


def sheet_of(criteria, values, overall, tier):
    return {
        "scores": {
            c.pk: (v, f"{c.name_zh}：說明<{v}>") for c, v in zip(criteria, values, strict=True)
        },
        "overall_comment": overall,
        "suggested_tier": tier,
    }


def test_staff_read_each_counted_sheet_with_its_comments(app_a, operator, organiser, reviewers):
    make_eligible(app_a, operator)
    first, second, third = assign_and_declare(app_a, reviewers, operator, conflicts=[reviewers[2]])
    criteria = list(services.criteria_of(app_a))
    values = [90, 80, 70, 60, 50, 40][: len(criteria)]
    services.save_scores(
        first, reviewers[0], submit=True, **sheet_of(criteria, values, "整體可行\n第二行", "L2")
    )
    services.save_scores(  # a draft: not the staff's yet
        second, reviewers[1], **sheet_of(criteria, values, "草稿總評", "L1")
    )

    for user in (operator, organiser):
        html = verified_client(user).get(reverse("review:application", args=[app_a.pk]))
        section = html.content.decode().split('id="sheets"')[1].split("</section>")[0]

        who = reviewers[0].get_full_name() or reviewers[0].username
        assert f"{who}：加權總分 {services.weighted_total(first)}" in section
        for criterion, value in zip(criteria, values, strict=True):
            row = section.split(f"{criterion.name_zh}（{criterion.weight}%）</th>")[1]
            row = row.split("</tr>")[0]
            assert f'<td class="num">{value}</td>' in row
            assert f"{criterion.name_zh}：說明&lt;{value}&gt;" in row
        assert "整體可行<br>第二行" in section
        assert "L2（2,000）" in section
        assert "草稿總評" not in section
    assert third.is_conflicted
