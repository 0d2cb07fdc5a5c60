"""「我要申請」 (/apply/) for a company whose application in the current call is already sent:
it leads to 申請案狀態 and says why (one application per company per call)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from aipower.applications.models import Application
from aipower.applications.services import submit_application

from .conftest import fill_application

pytestmark = pytest.mark.integration


def test_apply_after_submitting_redirects_to_the_dashboard_with_the_reason(
    draft, company_user, company_client
):
    app = submit_application(fill_application(draft, company_user), company_user)

    response = company_client.get(reverse("applications:index"))

    assert response.status_code == 302
    assert response.url == reverse("applications:dashboard")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"貴公司本年度已提出申請（{app.number}），每家公司每年度限申請一案；"
        "請於「申請案狀態」檢視或更新申請案。"
    ]
    assert Application.objects.count() == 1


def test_apply_with_a_draft_resumes_it_without_a_message(draft, company_user, company_client):
    response = company_client.get(reverse("applications:index"))

    assert response.status_code == 302
    assert response.url == reverse("applications:step", args=["category"])
    assert list(get_messages(response.wsgi_request)) == []
