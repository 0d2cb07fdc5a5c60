"""The meeting table says which applications have fewer reviewers than a decision needs (one
declared a conflict, say): the operator used to learn it only when 記錄決議 was refused."""

import pytest
from django.urls import reverse

from aipower.review.models import Budget

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def row_of(client, app):
    html = client.get(reverse("review:meeting", args=[app.batch_id])).content.decode()
    return html.split(f'id="row-{app.number}"')[1].split("</tbody>")[0]


def test_a_row_with_fewer_reviewers_than_the_minimum_says_no_decision_yet(
    app_a, operator, reviewers
):
    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=100000, minimum_reviewers=2
    )
    make_eligible(app_a, operator)
    first, _second = assign_and_declare(app_a, reviewers[:2], operator, conflicts=[reviewers[1]])
    score_uniformly(first, reviewers[0], 80)
    client = verified_client(operator)

    row = row_of(client, app_a)

    assert "1 位迴避" in row
    assert "審查委員少於 2 位，尚不得記錄決議" in row

    (third,) = assign_and_declare(app_a, reviewers[2:3], operator)
    score_uniformly(third, reviewers[2], 70)

    assert "尚不得記錄決議" not in row_of(client, app_a)
