"""A printed survey (the company's answers, or the operator's copy of them) says whose it is,
which survey and when it was printed; the link back is not printed."""

import pytest

from tests.printing import print_meta, printing_times

pytestmark = pytest.mark.integration


def test_company_survey_printed_in_english_carries_company_and_printing_time(
    client, company_user, open_round, training_ended
):
    company = training_ended.company
    client.force_login(company_user(company))
    client.cookies["django_language"] = "en"

    with printing_times("en") as times:
        page = client.get(f"/followup/{open_round.pk}/").content.decode()

    assert print_meta(page) in [f"{company.name} ({company.ubn}); printed at {at}" for at in times]
    assert '<p class="no-print"><a href="/apply/dashboard/">' in page


def test_staff_copy_printed_in_chinese_names_the_survey_and_printing_time(
    staff, open_round, training_ended
):
    client, _user = staff("operator")

    with printing_times("zh-hant") as times:
        page = client.get(
            f"/staff/followup/{open_round.pk}/{training_ended.award.pk}/"
        ).content.decode()

    assert print_meta(page) in [f"{open_round.title}；列印時間：{at}" for at in times]


def test_staff_copy_printed_in_english_names_the_survey_and_printing_time(
    staff, open_round, training_ended
):
    client, _user = staff("operator")
    client.cookies["django_language"] = "en"

    with printing_times("en") as times:
        page = client.get(
            f"/staff/followup/{open_round.pk}/{training_ended.award.pk}/"
        ).content.decode()

    assert print_meta(page) in [f"{open_round.title}; printed at {at}" for at in times]
