"""The meeting table says which applications have fewer reviewers than a decision needs (one
declared a conflict, say): the operator used to learn it only when 記錄決議 was refused; and
it names the applications the list still waits for."""

import pytest
from django.urls import reverse

from aipower.review import services
from aipower.review.models import Budget

from . import test_pages
from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration

staged = test_pages.staged  # the fixture: app_a scored and staged approved at L2


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


def test_the_meeting_names_the_applications_not_decided_yet(staged, app_b, operator, reviewers):
    """The list waits for every application's decision: the page names those without one,
    each a link to its row (it only said 「所有申請案皆有審查會議決議後，始得核定名單」)."""
    make_eligible(app_b, operator)
    (assignment,) = assign_and_declare(app_b, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 70)
    client = verified_client(operator)
    url = reverse("review:meeting", args=[app_b.batch_id])

    html = client.get(url).content.decode()

    notice = html.split('id="undecided">')[1].split("</p>")[0]
    assert notice == f'尚未決議（1 件）：<a href="#row-{app_b.number}">{app_b.number}</a>'
    services.stage_decision(app_b, operator, outcome="not_approved", reasons="分數不足")
    assert 'id="undecided"' not in client.get(url).content.decode()
