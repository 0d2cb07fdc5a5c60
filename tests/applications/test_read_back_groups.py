"""The read-back of an application (the applicant's printable view here; the staff page, its
print page and the PDF in tests/review/test_read_back_groups.py) carries the wizard's fieldset
headings as row-group headers: 「3. 同意將數據集上架開源平台」 before the dataset's Hugging Face
and GitHub addresses, 「4. 同意將模型上架開源平台」 before the model's."""

import html
import re

import pytest
from django.urls import reverse

from aipower.applications import flow, services

from .conftest import fill_application

pytestmark = pytest.mark.integration

SKIPPED = ("category", "terms", "done")

BENEFIT_HEADINGS = [
    "7. 預期效益合理性",
    "● 量化效益",
    "● 加分項目",
    "3. 同意將數據集上架開源平台",
    "4. 同意將模型上架開源平台",
    "5. 通過以下能量登錄者",
]


def submitted(draft, user, category):
    return services.submit_application(fill_application(draft, user, category), user)


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def number(label):
    """「3.1 Hugging Face，請輸入預設網址：」 → "3.1"."""
    return label.split(" ", 1)[0].rstrip("：")


def rowgroups(page, title):
    """The tables' row groups of the section headed ``title`` (an <h2>) in ``page``: for each
    <tbody>, its row-group header (None without one) and the numbers of its rows' labels."""
    match = re.search(rf"<h2>{re.escape(title)}</h2>(.*?)</section>", page, re.S)
    assert match, title
    groups = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", match.group(1), re.S):
        headers = re.findall(r'<th colspan="2" scope="rowgroup">(.*?)</th>', body, re.S)
        labels = re.findall(r'<th scope="row">(.*?)</th>', body, re.S)
        groups.append(
            (
                text_of(headers[0]) if headers else None,
                [number(text_of(label)) for label in labels],
            )
        )
    return groups


def wizard_headings(client, app, step):
    """The fieldset headings (<h3>) a wizard page shows inside its form."""
    response = client.get(reverse("applications:app_step", args=[app.pk, step.identifier]))
    assert response.status_code == 200
    (form,) = [
        form
        for form in re.findall(r"<form .*?</form>", response.content.decode(), re.S)
        if 'name="revision"' in form
    ]
    return [text_of(heading) for heading in re.findall(r"<h3>(.*?)</h3>", form, re.S)]


def heading_rows(section):
    return [str(row["heading"]) for row in section["rows"] if "heading" in row]


TRAINING_BENEFIT_GROUPS = [
    ("7. 預期效益合理性", []),
    ("● 量化效益", ["1.", "2.", "3."]),
    ("● 加分項目", ["1.", "2."]),
    ("3. 同意將數據集上架開源平台", ["3.1", "3.2"]),
    ("4. 同意將模型上架開源平台", ["4.1", "4.2"]),
    ("5. 通過以下能量登錄者", ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6"]),
]


def test_printable_view_groups_section_7_under_the_wizards_headings(
    draft, company_user, company_client
):
    app = submitted(draft, company_user, "training")

    response = company_client.get(reverse("applications:view", args=[app.pk]))

    assert rowgroups(response.content.decode(), "預期效益合理性") == TRAINING_BENEFIT_GROUPS


def test_printable_view_ends_a_headed_group_before_a_fieldset_without_heading(
    draft, company_user, company_client
):
    app = submitted(draft, company_user, "training")

    response = company_client.get(reverse("applications:view", args=[app.pk]))

    # B. and C. follow 「A. 容器型環境」's fields in a fieldset of their own, without a legend.
    assert rowgroups(response.content.decode(), "專案主題及使用模型") == [
        ("1. 專案主題", ["專案主題"]),
        ("2. 推動使用產業領域", ["推動使用產業領域", "如勾選其他，請輸入產業領域"]),
        ("3. 使用模型及資源需求", []),
        ("A. 容器型環境", ["A-1", "A-2", "A-3", "A-4"]),
        (None, ["B.", "C."]),
    ]


@pytest.mark.parametrize("category", ["training", "inference"])
def test_printable_view_headings_are_those_the_wizard_pages_show(
    category, draft, company_user, company_client
):
    app = submitted(draft, company_user, category)

    response = company_client.get(reverse("applications:view", args=[app.pk]))
    shown = {
        section["step"].identifier: heading_rows(section)
        for section in response.context["sections"]
    }

    expected = {
        step.identifier: wizard_headings(company_client, app, step)
        for step in flow.applicable_steps(app)
        if step.identifier not in SKIPPED and step.category is not None
    }
    assert {identifier: shown[identifier] for identifier in expected} == expected
    assert shown[f"{category}-3"] == BENEFIT_HEADINGS
    # The pages without a legend (the company profile, the declaration, the pledge) add none.
    assert shown["profile"] == shown["declaration"] == shown["pledge"] == []


def test_printable_view_heading_rows_are_translated_and_span_both_columns(
    draft, company_user, company_client
):
    app = submitted(draft, company_user, "inference")

    company_client.cookies["django_language"] = "en"

    response = company_client.get(reverse("applications:view", args=[app.pk]))
    page = response.content.decode()

    assert rowgroups(page, "Expected benefits")[:2] == [
        ("7. Expected benefits", []),
        ("● Quantified benefits", ["1.", "2."]),
    ]
