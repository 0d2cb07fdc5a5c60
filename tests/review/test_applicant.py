"""The applicant's side of the review: the dashboard's wording, the supplement and the award."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from aipower.applications.enums import ApplicationState as S
from aipower.core.templatetags.roc import roc_datetime
from aipower.review import services
from tests.conftest import verified_client

from .conftest import refresh

pytestmark = pytest.mark.integration


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def request_supplement(app, operator):
    return services.request_supplement(
        app,
        operator,
        message="請補充資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=5),
        steps=["training-2"],
    )


def test_dashboard_shows_supplement_request_with_named_pages(app_a, operator, company_a):
    request_supplement(app_a, operator)

    html = client_of(company_a).get(reverse("applications:dashboard")).content.decode()

    assert (
        '<td class="status status-supplement_requested" id="application-state">待補件</td>' in html
    )
    assert "請補充資料集說明" in html
    assert reverse("applications:step", args=["training-2"]) in html
    assert 'id="resubmit-supplement"' in html
    assert "申請表已凍結" not in html


def test_resubmit_moves_application_on(app_a, operator, company_a):
    request_supplement(app_a, operator)

    response = client_of(company_a).post(reverse("applications:resubmit"))

    assert response.status_code == 302
    assert refresh(app_a).state == S.RESUBMITTED


def test_resubmit_without_open_supplement_says_why(app_a, company_a):
    client = client_of(company_a)
    response = client.post(reverse("applications:resubmit"), follow=True)

    assert "目前沒有待補正的資料" in response.content.decode()
    assert refresh(app_a).state == S.SUBMITTED


def test_resubmit_refuses_get(app_a, company_a):
    assert client_of(company_a).get(reverse("applications:resubmit")).status_code == 405


def test_page_not_named_by_the_supplement_stays_read_only(app_a, operator, company_a):
    request_supplement(app_a, operator)
    client = client_of(company_a)

    named = client.get(reverse("applications:step", args=["training-2"])).content.decode()
    other = client.get(reverse("applications:step", args=["training-1"])).content.decode()

    assert "儲存更新" in named
    assert "儲存更新" not in other
    assert "申請表已凍結" not in named  # the page the supplement names is open for editing
    assert "申請表已凍結" in other


def test_decided_application_reads_as_in_review_to_the_applicant(app_a, operator, company_a):
    from aipower.review.workflow import transition

    services.decide_eligibility(app_a, S.ELIGIBLE, operator)
    transition(app_a, S.IN_REVIEW, operator)
    transition(app_a, S.DECIDED, operator)

    html = client_of(company_a).get(reverse("applications:dashboard")).content.decode()

    assert 'id="application-state">專業審查中</td>' in html


def _supplement_line(html):
    return re.search(r"<li>([^<]*請補充資料集說明[^<]*)</li>", html).group(1)


def test_staff_application_page_in_english_gives_the_supplement_with_english_punctuation(
    app_a, operator
):
    supplement = request_supplement(app_a, operator)
    client = verified_client(operator)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("review:application", args=[app_a.pk])).content.decode()

    with translation.override("en"):
        asked, due = roc_datetime(supplement.requested_at), roc_datetime(supplement.deadline)
    assert _supplement_line(html) == f"{asked}: 請補充資料集說明 (supplement deadline {due})"


def test_staff_application_page_in_chinese_keeps_the_supplement_line(app_a, operator):
    supplement = request_supplement(app_a, operator)

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    asked, due = roc_datetime(supplement.requested_at), roc_datetime(supplement.deadline)
    assert _supplement_line(html) == f"{asked}：請補充資料集說明（補件期限 {due}）"


def test_resubmit_pressed_again_says_it_was_sent(app_a, operator, company_a):
    """「補件完成，重新送出」 pressed again (the back button, a second click, another tab):
    told it was sent, not 「目前沒有待補正的資料」 as if it had failed."""
    from aipower.core.models import AuditEntry

    request_supplement(app_a, operator)
    client = client_of(company_a)
    client.post(reverse("applications:resubmit"), follow=True)
    entries = AuditEntry.objects.count()

    again = client.post(reverse("applications:resubmit"), follow=True)

    html = again.content.decode()
    assert "補件資料已重新送出，本次未重複送出。" in html
    assert "目前沒有待補正的資料" not in html
    assert AuditEntry.objects.count() == entries


def test_pages_a_supplement_named_are_read_only_once_its_deadline_has_passed(
    app_a, operator, company_a
):
    """Before the expiry job has run, too: the deadline itself closes the named pages."""
    supplement = request_supplement(app_a, operator)
    supplement.deadline = timezone.now() - datetime.timedelta(seconds=1)
    supplement.save(update_fields=["deadline"])
    client = client_of(company_a)
    url = reverse("applications:step", args=["training-2"])

    html = client.get(url).content.decode()
    refused = client.post(url, {"importance": "改過的說明"}).content.decode()

    assert refresh(app_a).state == S.SUPPLEMENT_REQUESTED  # the expiry job has not run
    assert "補件期限已過，無法再更新" in refused
    assert "改過的說明" in refused  # what was typed is shown back
    assert "儲存更新" not in html
    assert "補件期限已過，申請表已凍結，僅供檢視。" in html
    assert "此頁不在補件範圍內" not in html
    assert services.requested_steps(app_a) == ()
