"""The answers read back after submission (the printable view, the staff page and its PDF)
follow the order the wizard shows them in, page by page, for both categories."""

import re

import pytest
from django.urls import reverse

from aipower.applications import flow, services
from aipower.review.views import version_sections

from .conftest import fill_application

pytestmark = pytest.mark.integration

SKIPPED = ("category", "terms", "done")


def submitted(draft, user, category):
    app = fill_application(draft, user, category)
    return services.submit_application(app, user)


def wizard_labels(client, app, step):
    """The labels of the fields of a wizard page, in the order the page shows them."""
    response = client.get(reverse("applications:app_step", args=[app.pk, step.identifier]))
    assert response.status_code == 200
    names = re.findall(r'<div class="form-row[^"]*" id="row-([\w-]+)"', response.content.decode())
    form = response.context["form"]
    return [str(form.fields[name].label) for name in names]


def read_back_labels(sections):
    """The answers' labels page by page (the fieldset heading rows left out)."""
    return {
        section["step"].identifier: [
            str(row["label"]) for row in section["rows"] if "heading" not in row
        ]
        for section in sections
    }


@pytest.mark.parametrize("category", ["training", "inference"])
def test_printable_view_rows_follow_the_wizard_order_on_every_page(
    category, draft, company_user, company_client
):
    app = submitted(draft, company_user, category)

    response = company_client.get(reverse("applications:view", args=[app.pk]))
    shown = read_back_labels(response.context["sections"])

    expected = {
        step.identifier: wizard_labels(company_client, app, step)
        for step in flow.applicable_steps(app)
        if step.identifier not in SKIPPED
    }
    assert shown == expected


@pytest.mark.parametrize("category", ["training", "inference"])
def test_staff_read_back_rows_follow_the_wizard_order_on_every_page(
    category, draft, company_user, company_client
):
    app = submitted(draft, company_user, category)

    _version, sections = version_sections(app)

    expected = {
        step.identifier: wizard_labels(company_client, app, step)
        for step in flow.applicable_steps(app)
        if step.identifier not in SKIPPED
    }
    assert read_back_labels(sections) == expected


def benefit_numbers(labels):
    """「3. 本公司同意…」 → "3."; 「5.4 人工智慧…」 → "5.4": the numbers the programme gives."""
    return [label.split(" ", 1)[0].rstrip("：") for label in labels]


# 加分項目 1.–4.2 and the capability registrations 5.1–5.6, after the expected benefits.
BONUS = ["1.", "2.", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6"]


@pytest.mark.parametrize(
    ("category", "numbers"),
    [
        (
            "training",
            ["1.", "2.", "3.", *BONUS],
        ),
        (
            "inference",
            ["1.", "2.", *BONUS],
        ),
    ],
)
def test_section_7_reads_back_in_the_programmes_order(
    category, numbers, draft, company_user, company_client
):
    app = submitted(draft, company_user, category)

    response = company_client.get(reverse("applications:view", args=[app.pk]))
    rows = read_back_labels(response.context["sections"])[f"{category}-3"]

    assert benefit_numbers(rows) == numbers
