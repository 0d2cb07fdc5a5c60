"""提醒未完成之審查委員 on the batch page says whom it reminded, or that nobody had scores to
finish (before, it said 已寄送提醒 even when no mail went)."""

import pytest
from django.urls import reverse

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly
from .test_pages import english

pytestmark = pytest.mark.integration


def remind(client, app):
    response = client.post(reverse("review:batch_remind", args=[app.batch_id]), follow=True)
    return [str(m) for m in response.context["messages"]]


def test_remind_names_the_reviewers_reminded(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    first, _second, _third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80)

    assert remind(verified_client(operator), app_a) == ["已寄送提醒：rev2、rev3"]


def test_remind_with_nobody_pending_says_no_mail_went(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (first,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(first, reviewers[0], 80)

    assert remind(english(verified_client(operator)), app_a) == [
        "No reviewer has scores to finish: no reminder sent"
    ]
