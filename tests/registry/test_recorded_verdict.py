"""The pre-check as it stood when an application was sent is kept as evidence: a data set
imported later (the company changed its business items) changes the verdict staff see now, and
the review page and the staff company page show both, the one at sending with its reasons."""

import datetime

import pytest
from django.utils import timezone

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from aipower.accounts.roles import sync_role_groups
from aipower.applications import services as application_services
from aipower.registry.importer import import_registry
from aipower.registry.models import RecordedVerdict
from aipower.registry.services import import_demo_registry
from aipower.review import services as review_services
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.conftest import verified_client

from .conftest import demo_rows

pytestmark = pytest.mark.integration

SKY = ("84700087", "晴空智能股份有限公司")


@pytest.fixture
def sent(call_115):
    import_demo_registry()
    call = open_now(call_115)
    user = make_company_user(*SKY)
    app = fill_application(application_services.start_application(user.company, call), user)
    return application_services.submit_application(app, user)


@pytest.fixture
def operator_client(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x" * 16, role=Role.OPERATOR)
    sync_role_groups()
    return verified_client(user)


def reimport_as_manufacturer(csv_file):
    """A later data set in which 晴空 registers only a manufacturing business item."""
    rows = demo_rows()
    for row in rows:
        if row[1] == SKY[0]:
            row[8:16] = ["259999", "未分類其他金屬製品製造", "", "", "", "", "", ""]
    import_registry(csv_file(rows, date_line=["01-DEC-26"] + [""] * 15))


def test_sending_keeps_the_verdict_with_its_reasons_in_both_languages(sent):
    recorded = RecordedVerdict.objects.get(application=sent)

    assert recorded.ubn == SKY[0]
    assert recorded.status == "eligible"
    assert recorded.recorded_at == sent.submitted_at
    assert recorded.published_on.isoformat() == "2026-10-01"
    industry = next(r for r in recorded.reasons if r["code"] == "industry")
    assert industry["message_zh"].startswith("登記營業項目符合：620211 系統整合")
    assert industry["message_en"].startswith("Registered business items that qualify: 620211")
    assert industry["evidence"]["matched"][0]["code"] == "620211"


def test_review_page_shows_the_verdict_at_sending_when_a_new_data_set_changed_it(
    sent, csv_file, operator_client
):
    reimport_as_manufacturer(csv_file)

    page = operator_client.get(f"/staff/review/application/{sent.pk}/").content.decode()

    now = page.split('id="eligibility-verdict"', 1)[1]
    assert 'data-status="not_eligible"' in now.split(">", 1)[0]
    assert 'id="recorded-verdict"' in now
    assert "送件時之自動檢核（" in now
    assert "：符合申請資格</h3>" in now
    assert "自動檢核結果由「符合申請資格」變為「不符合申請資格」" in now
    assert "登記營業項目符合：620211 系統整合" in now
    assert "115年10月01日發布" in now.split('id="recorded-verdict"', 1)[1]


def test_review_page_says_a_newer_data_set_left_the_verdict_unchanged(
    sent, csv_file, operator_client
):
    import_registry(csv_file(demo_rows(), date_line=["01-DEC-26"] + [""] * 15))

    page = operator_client.get(f"/staff/review/application/{sent.pk}/").content.decode()

    assert "送件後已匯入較新的稅籍登記資料，自動檢核結果與送件時相同。" in page


def test_staff_company_page_lists_the_verdicts_kept_at_sending(sent, csv_file, operator_client):
    reimport_as_manufacturer(csv_file)

    page = operator_client.get(f"/staff/registry/companies/{SKY[0]}/").content.decode()

    assert 'id="staff-verdict-status">不符合申請資格<' in page
    table = page.split('id="recorded-verdicts"', 1)[1].split("</table>", 1)[0]
    assert sent.number in table
    assert 'data-status="eligible"' in table
    assert "登記營業項目符合：620211 系統整合" in table


def test_staff_company_page_in_english_shows_the_kept_reasons_in_english(sent, operator_client):
    operator_client.cookies["django_language"] = "en"

    page = operator_client.get(f"/staff/registry/companies/{SKY[0]}/").content.decode()

    review = operator_client.get(f"/staff/review/application/{sent.pk}/").content.decode()

    table = page.split('id="recorded-verdicts"', 1)[1].split("</table>", 1)[0]
    assert "Registered business items that qualify: 620211" in table
    assert "登記營業項目符合" not in table
    assert "Automatic pre-check when the application was sent (2026-" in review


def resent_after_supplement(app, operator_user):
    """The operator asks for a supplement; the applicant sends the application again."""
    review_services.request_supplement(
        app,
        operator_user,
        message="請補充資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=5),
        steps=["training-2"],
    )
    app.refresh_from_db()
    return review_services.answer_supplement(app, app.company.user)


def test_sending_again_after_a_supplement_keeps_that_sendings_verdict_too(
    sent, csv_file, operator_client
):
    reimport_as_manufacturer(csv_file)

    resent_after_supplement(sent, User.objects.get(username="operator"))

    kept = list(RecordedVerdict.objects.filter(application=sent).order_by("recorded_at", "id"))
    assert [(r.sending, r.status, r.version) for r in kept] == [
        ("submitted", "eligible", 1),
        ("resubmitted", "not_eligible", 1),
    ]
    assert [r.published_on.isoformat() for r in kept] == ["2026-10-01", "2026-12-01"]
    page = operator_client.get(f"/staff/review/application/{sent.pk}/").content.decode()
    assert "補件後重新送件時之自動檢核（" in page
    history = page.split('id="recorded-verdict-history"', 1)[1].split("</table>", 1)[0]
    rows = history.split("<tbody>", 1)[1].split("</tr>")
    assert "送件" in rows[0] and "符合申請資格" in rows[0] and "115年10月01日" in rows[0]
    assert "補件後重新送件" in rows[1] and "不符合申請資格" in rows[1]
    assert "115年12月01日" in rows[1]
    assert 'id="recorded-verdict-sendings-changed"' in page
    company = operator_client.get(f"/staff/registry/companies/{SKY[0]}/").content.decode()
    table = company.split('id="recorded-verdicts"', 1)[1].split("</table>", 1)[0]
    assert table.count(sent.number) == 2
    assert "補件後重新送件" in table
