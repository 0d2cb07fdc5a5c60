"""A reviewer's 「不推薦」 reads as such in the meeting's 建議級別 and its exports, in zh-Hant
and English (it showed the stored code, none)."""

import pytest
from django.urls import reverse
from django.utils import translation

from aipower.review import exports

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly
from .test_pages import english

pytestmark = pytest.mark.integration


@pytest.fixture
def split(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    first, second, _third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80, tier="L1")
    score_uniformly(second, reviewers[1], 40, tier="none")
    return app_a


def test_meeting_shows_not_recommended(split, operator):
    url = reverse("review:meeting", args=[split.batch_id])

    chinese = verified_client(operator).get(url).content.decode()
    english_html = english(verified_client(operator)).get(url).content.decode()

    assert "<td>L1、不推薦</td>" in chinese
    assert "<td>L1, Not recommended</td>" in english_html
    assert "none" not in chinese.split(f'<tbody id="row-{split.number}">')[1].split("</tbody>")[0]


def test_export_writes_not_recommended(split):
    with translation.override("zh-hant"):
        header, rows = exports.ranking_table(split.batch)

    assert dict(zip(header, rows[0], strict=True))["建議級別"] == "L1、不推薦"
