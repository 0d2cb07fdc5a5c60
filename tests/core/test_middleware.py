"""The Content-Security-Policy header on every response; the upload script's redirects."""

import json

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect

from aipower.core.middleware import UploadProgressMiddleware

pytestmark = pytest.mark.integration


def test_every_response_carries_a_strict_csp(client, settings, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert settings.CARD_COMPONENT_ORIGIN in policy


def test_pages_open_in_chinese_whatever_the_browser_asks(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hant"


def test_pages_follow_the_language_the_user_chose(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"


# --- the upload progress script's redirects (UploadProgressMiddleware) ---------------------


def _redirecting_view(request):
    response = redirect("/done/")
    response.set_cookie("messages", "已收到")  # what the view's message travels in
    return response


def test_a_redirect_answering_the_upload_script_becomes_its_target_as_json(rf):
    request = rf.post("/upload/", HTTP_X_UPLOAD_PROGRESS="1")

    response = UploadProgressMiddleware(_redirecting_view)(request)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert json.loads(response.content) == {"location": "/done/"}
    assert response.cookies["messages"].value == "已收到"


def test_other_redirects_are_left_alone(rf):
    for request in (rf.post("/upload/"), rf.get("/upload/", HTTP_X_UPLOAD_PROGRESS="1")):
        response = UploadProgressMiddleware(_redirecting_view)(request)

        assert (response.status_code, response["Location"]) == (302, "/done/")


def test_a_page_with_errors_is_sent_as_it_is(rf):
    page = HttpResponse("<p>請修正</p>", status=400)

    response = UploadProgressMiddleware(lambda request: page)(
        rf.post("/upload/", HTTP_X_UPLOAD_PROGRESS="1")
    )

    assert response is page


# --- private pages are never cached (PrivatePagesMiddleware) ---------------------------------


def _company_client(django_user_model):
    from django.test import Client

    from aipower.accounts.enums import Role
    from aipower.accounts.models import Company

    company = Company.objects.create(ubn="84700087", name="晴空智能股份有限公司")
    user = django_user_model.objects.create_user(
        "company-84700087", role=Role.COMPANY, company=company
    )
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_companys_pages_are_never_stored(django_user_model, db):
    client = _company_client(django_user_model)

    for url in ("/usage/", "/apply/dashboard/", "/"):
        response = client.get(url)

        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, url


def test_a_signed_in_staff_members_pages_are_never_stored(staff_client):
    response = staff_client("operator").get("/staff/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_page_that_chose_its_cache_control_keeps_it(rf, django_user_model, db):
    from aipower.core.middleware import PrivatePagesMiddleware

    def view(request):
        response = HttpResponse("copy")
        response["Cache-Control"] = "private, no-store"
        return response

    request = rf.get("/")
    request.user = django_user_model.objects.create_user("someone")

    response = PrivatePagesMiddleware(view)(request)

    assert response["Cache-Control"] == "private, no-store"


def test_pages_for_visitors_stay_cacheable(client, db):
    response = client.get("/")

    assert "no-store" not in response.get("Cache-Control", "")
