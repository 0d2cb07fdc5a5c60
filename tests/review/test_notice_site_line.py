"""The reviewer's assignment mail says where to sign in (the site's address, ``SITE_URL``)."""

import pytest
from django.core import mail

from aipower.review import services
from tests.review.conftest import refresh
from tests.review.helpers import make_eligible

pytestmark = pytest.mark.integration

URL = "https://aipower.example.gov.tw"


def test_the_reviewer_assignment_mail_says_where_to_sign_in(
    app_a, operator, reviewers, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = URL
    services.freeze_batch(app_a.batch, operator)
    make_eligible(refresh(app_a), operator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewer(refresh(app_a), reviewers[0], operator)

    (sent,) = [m for m in mail.outbox if m.to == [reviewers[0].email]]
    assert "請登入工作人員系統" in sent.body
    assert sent.body.rstrip().endswith(f"AI算力平台：{URL}")
