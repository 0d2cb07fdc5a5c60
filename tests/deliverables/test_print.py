"""The printed deliverables page (the company's receipt) says whose it is and when it was
printed, keeps the site's header and leaves out the upload forms."""

from pathlib import Path

import pytest
from django.urls import reverse

import aipower.deliverables
from tests.printing import print_meta, printing_times, selectors_with

pytestmark = pytest.mark.integration

CSS = Path(aipower.deliverables.__file__).parent / "static" / "deliverables" / "deliverables.css"


def _signed_in(client, company_user, company, language):
    client.force_login(company_user(company))
    client.cookies["django_language"] = language
    return client


def test_receipt_in_english_carries_the_company_and_printing_time(
    client, company_user, training_ended
):
    company = training_ended.company
    _signed_in(client, company_user, company, "en")

    with printing_times("en") as times:
        page = client.get(reverse("deliverables:overview")).content.decode()

    assert print_meta(page) in [f"{company.name} ({company.ubn}); printed at {at}" for at in times]


def test_receipt_in_chinese_carries_the_company_and_printing_time(
    client, company_user, training_ended
):
    company = training_ended.company
    _signed_in(client, company_user, company, "zh-hant")

    with printing_times("zh-hant") as times:
        page = client.get(reverse("deliverables:overview")).content.decode()

    assert print_meta(page) in [f"{company.name}（{company.ubn}）；列印時間：{at}" for at in times]


def test_print_keeps_the_site_header_and_hides_the_upload_forms():
    hidden = selectors_with(CSS.read_text(), "display: none")

    assert "header" not in hidden  # the site's header: whose paper this is
    assert {".deliverable-form", ".deliverable-replace"} <= hidden


def test_staff_page_prints_the_attendance_without_its_form(staff, training_ended):
    client, _user = staff("operator")

    page = client.get(f"/staff/deliverables/{training_ended.award.pk}/").content.decode()

    action = f'action="/staff/deliverables/{training_ended.award.pk}/attendance/"'
    assert f'<form method="post" {action} class="no-print" novalidate>' in page


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh-hant", "成果繳交紀錄：申請編號 {number}；列印時間：{at}"),
        ("en", "Deliverables record: application {number}; printed at {at}"),
    ],
)
def test_staff_award_page_printed_says_which_award_and_when(staff, training_ended, language, line):
    """The operator's page of one award, printed (for the file, or a meeting), says which
    application it is and when it was printed, as the violation record does. It carried no such
    line."""
    client, _user = staff("operator")
    client.cookies["django_language"] = language
    number = training_ended.award.application.number

    with printing_times(language) as times:
        page = client.get(
            reverse("deliverables_staff:detail", args=[training_ended.award_id])
        ).content.decode()

    assert print_meta(page) in [line.format(number=number, at=at) for at in times]
