"""The review as the programme document and the spec describe it, checked where the pages had
drifted: the start-up priority flag on the reviewer's score sheet (03-rules: a flag reviewers
and the meeting see), the pages a supplement names as the notice writes them, the scores
reopened after the meeting recorded a decision, the applicant told that an ineligible
application is not accepted (不予受理)."""

import datetime

import pytest
from django.urls import reverse

from .conftest import verified_client

pytestmark = pytest.mark.integration


def test_the_reviewer_sees_the_startup_priority_flag_on_the_score_sheet(scoring):
    assignment, _criteria, client = scoring

    response = client.get(reverse("review:assignment", args=[assignment.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="startup-priority"' in html
    assert "具新創優先資格" in html


def test_the_score_sheet_has_no_startup_flag_for_a_company_founded_before_the_date(scoring):
    assignment, _criteria, client = scoring
    call = assignment.application.call
    call.startup_founded_on_or_after = datetime.date(2020, 1, 1)  # the form says 2019-03-01
    call.save(update_fields=["startup_founded_on_or_after"])

    response = client.get(reverse("review:assignment", args=[assignment.pk]))

    assert response.status_code == 200
    assert 'id="startup-priority"' not in response.content.decode()
