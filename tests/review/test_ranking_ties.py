"""The meeting's ranking when applications score alike: equal normalised and raw means share
a rank (shown 並列), and an application without submitted scores is not ranked yet — on the
page and in the exports."""

import csv
import io

import pytest
from django.urls import reverse

from aipower.review import exports, services
from tests.applications.conftest import make_company_user

from .conftest import submitted, verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


@pytest.fixture
def four(open_call, operator, reviewers):
    """Four applications scored by one reviewer: 80, 70, 70 and not submitted yet."""
    apps = []
    for ubn, value in (("04595257", 80), ("10458575", 70), ("10458574", 70), ("12345675", None)):
        app = submitted(make_company_user(ubn, f"並列{ubn}股份有限公司"), open_call)
        make_eligible(app, operator)
        (assignment,) = assign_and_declare(app, reviewers[:1], operator)
        if value is not None:
            score_uniformly(assignment, reviewers[0], value)
        apps.append(app)
    return apps


def test_ranking_gives_equal_scores_one_rank_and_leaves_unscored_unranked(four):
    rows = services.ranking(four[0].batch)

    assert [(r.application.pk, r.rank, r.tied) for r in rows] == [
        (four[0].pk, 1, False),
        (four[1].pk, 2, True),
        (four[2].pk, 2, True),
        (four[3].pk, None, False),
    ]


def test_meeting_page_marks_tied_ranks_and_unranked_rows(four, operator):
    html = verified_client(operator).get(reverse("review:meeting", args=[four[0].batch_id]))
    html = html.content.decode()

    def rank_cell(app):
        row = html.split(f'<tbody id="row-{app.number}">')[1]
        return row.split('<td class="rank">')[1].split("</td>")[0]

    assert rank_cell(four[0]) == "1"
    assert rank_cell(four[1]) == '2 <span class="badge">並列</span>'
    assert rank_cell(four[2]) == '2 <span class="badge">並列</span>'
    assert rank_cell(four[3]) == "—"


def test_ranking_export_repeats_tied_ranks_and_leaves_unranked_blank(four):
    out = io.StringIO()
    exports.ranking_csv(four[0].batch, csv.writer(out))

    lines = list(csv.reader(io.StringIO(out.getvalue())))[1:]

    assert [(line[0], line[1]) for line in lines] == [
        ("1", four[0].number),
        ("2", four[1].number),
        ("2", four[2].number),
        ("", four[3].number),
    ]
