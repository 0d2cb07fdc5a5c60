"""The 企業基本資料表's capital and registration date as the applicant and staff read them:
the capital read back as the company page writes it (「新臺幣 25,000,000 元」), and the ROC hint
under 設立登記日期 kept when the page is shown again with errors."""

import pytest
from django.urls import reverse
from django.utils import translation

from aipower.applications import flow
from aipower.applications.models import Application
from aipower.applications.services import submit_application
from aipower.review.views import version_sections

from .conftest import PROFILE, fill_application, save_page

pytestmark = pytest.mark.integration


def profile_rows(sections):
    section = next(s for s in sections if s["step"].identifier == "profile")
    return {str(row["label"]): row["value"] for row in section["rows"]}


def test_printable_view_writes_the_capital_as_the_company_page_does(
    draft, company_user, company_client
):
    app = fill_application(draft, company_user)
    app = save_page(app, company_user, "profile", {**PROFILE, "paid_in_capital": "25000000"})

    response = company_client.get(reverse("applications:view", args=[app.pk]))

    assert profile_rows(response.context["sections"])["實收資本額"] == "新臺幣 25,000,000 元"
    assert "新臺幣 25,000,000 元" in response.content.decode()


def test_staff_read_back_writes_the_capital_as_the_company_page_does(draft, company_user):
    app = fill_application(draft, company_user)
    app = submit_application(app, company_user)

    with translation.override("en"):
        english = profile_rows(version_sections(app)[1])
    chinese = profile_rows(version_sections(app)[1])

    assert chinese["實收資本額"] == "新臺幣 5,000,000 元"
    assert english["Paid-in capital"] == "NT$ 5,000,000"


def test_capital_typed_wrong_in_a_draft_is_read_back_as_typed(draft, company_user, company_client):
    app = fill_application(draft, company_user)
    app = save_page(app, company_user, "profile", {**PROFILE, "paid_in_capital": "五百萬"})

    response = company_client.get(reverse("applications:view", args=[app.pk]))

    assert profile_rows(response.context["sections"])["實收資本額"] == "五百萬"


def test_registration_date_hint_stays_when_the_page_is_shown_again_with_errors(
    draft, company_user, company_client
):
    save_page(draft, company_user, "category", {"category": "training"})
    app = Application.objects.get()

    response = company_client.post(
        reverse("applications:step", args=["profile"]),
        {
            **PROFILE,
            "founded_on": "2021-03-15",
            "pi_email": "not-an-email",
            "revision": app.revision,
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["pi_email"]
    assert form.fields["founded_on"].help_text == "民國 110年03月15日"
    assert "民國 110年03月15日" in response.content.decode()


def test_registration_date_hint_follows_the_typed_date_not_the_saved_one(draft, company_user):
    app = save_page(draft, company_user, "profile", {**PROFILE, "founded_on": "2019-03-01"})
    step = flow.get_step("profile")

    form = step.get_form(app, {**PROFILE, "founded_on": "2021-03-15", "pi_email": "x"})

    assert form.fields["founded_on"].help_text == "民國 110年03月15日"


def test_registration_date_hint_is_left_out_for_a_typed_non_date(draft, company_user):
    step = flow.get_step("profile")

    form = step.get_form(draft, {**PROFILE, "founded_on": "2021-02-30"})

    assert form.fields["founded_on"].help_text == ""
