"""The applicant's printable view (/apply/<pk>/view/) shows the answers as they stand; after an
update it says which version that is and when it was made, beside the first submission's time
(it showed only 送出時間, the first submission's, above a later version's answers)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.applications import flow
from aipower.applications.models import ApplicationVersion
from aipower.applications.services import (
    format_taipei,
    submit_application,
    update_after_submission,
)

from .conftest import PROFILE, as_form_data

pytestmark = pytest.mark.integration


@pytest.fixture
def submitted(complete_training, company_user):
    app = submit_application(complete_training, company_user)
    earlier = timezone.now() - datetime.timedelta(days=2)
    type(app).objects.filter(pk=app.pk).update(submitted_at=earlier)
    ApplicationVersion.objects.filter(application=app).update(created_at=earlier)
    app.refresh_from_db()
    return app


def test_printable_view_after_an_update_shows_the_version_and_the_first_submission(
    submitted, company_user, company_client
):
    step = flow.get_step("profile")
    form = step.get_form(submitted, as_form_data({**PROFILE, "employees": "30"}), draft=False)
    assert form.is_valid(), form.errors
    app, version = update_after_submission(
        submitted, step, form, revision=submitted.revision, user=company_user
    )

    html = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()

    first = format_taipei(app.submitted_at, "zh-hant")
    assert f'<th scope="row">首次送出時間</th><td>{first}</td>' in html
    updated = format_taipei(version.created_at, "zh-hant")
    assert f'<td id="current-version">第 2 版，{updated} 更新</td>' in html


def test_printable_view_of_the_first_version_says_only_when_it_was_sent(submitted, company_client):
    html = company_client.get(reverse("applications:view", args=[submitted.pk])).content.decode()

    first = format_taipei(submitted.submitted_at, "zh-hant")
    assert f'<th scope="row">送出時間</th><td>{first}</td>' in html
    assert 'id="current-version"' not in html


def test_receipt_after_an_update_names_the_version_its_fingerprint_is_of(
    submitted, company_user, company_client
):
    """The receipt's 內容指紋 is the application's as it stands: after an update it is not the
    one the submission mail gave, so the receipt says which version it is and when it was made
    (it paired it with the first 送出時間 alone)."""
    first_fingerprint = submitted.fingerprint
    step = flow.get_step("profile")
    form = step.get_form(submitted, as_form_data({**PROFILE, "employees": "30"}), draft=False)
    assert form.is_valid(), form.errors
    app, version = update_after_submission(
        submitted, step, form, revision=submitted.revision, user=company_user
    )

    html = company_client.get(reverse("applications:receipt", args=[app.pk])).content.decode()

    assert app.fingerprint != first_fingerprint
    first = format_taipei(app.submitted_at, "zh-hant")
    assert f'<th scope="row">首次送出時間</th><td>{first}</td>' in html
    updated = format_taipei(version.created_at, "zh-hant")
    assert f'<td id="current-version">第 2 版，{updated} 更新</td>' in html
    assert "為第 2 版之內容指紋" in html


def test_receipt_of_the_first_version_says_only_when_it_was_sent(submitted, company_client):
    html = company_client.get(reverse("applications:receipt", args=[submitted.pk]))
    html = html.content.decode()

    first = format_taipei(submitted.submitted_at, "zh-hant")
    assert f'<th scope="row">送出時間</th><td>{first}</td>' in html
    assert 'id="current-version"' not in html
