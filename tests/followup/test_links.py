"""Where the survey is reached from: the company's dashboard while a round is open, and the
staff home for those who may see the rounds."""

import pytest
from django.test import Client
from django.urls import reverse

from aipower.core.notices import DEFAULT_TEMPLATES, VARIABLES

pytestmark = pytest.mark.integration


def test_dashboard_links_the_open_survey(training_ended, open_round, company_user):
    client = Client()
    client.force_login(company_user(training_ended.company))

    html = client.get(reverse("applications:dashboard")).content.decode()

    assert f'id="followup-link-{open_round.pk}"' in html
    assert reverse("followup:survey", args=[open_round.pk]) in html


@pytest.mark.parametrize(("role", "shown"), [("operator", True), ("reviewer", False)])
def test_staff_home_links_the_rounds(staff, role, shown):
    client, _user = staff(role)

    html = client.get(reverse("staff:home")).content.decode()

    assert (reverse("followup_staff:index") in html) is shown


def test_the_survey_notices_are_registered_with_the_notice_store():
    assert {"followup_due", "followup_overdue"} <= set(DEFAULT_TEMPLATES)
    assert set(VARIABLES["followup_due"]) >= {"company", "title", "due_on"}
