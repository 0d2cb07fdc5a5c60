"""A wizard page sent after the company's sign-in expired is saved after the next card login
(``accounts.resume``), instead of what was typed being lost on the way to the login page."""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from aipower.applications.models import Application
from aipower.devtools import cards

from .conftest import begin_application, make_company_user

pytestmark = pytest.mark.integration


@pytest.fixture
def company_user(db):
    """A demo company (its card is one of the development card component's: a card issued for
    any other company would be a sixth reader there, and the browser tests count five)."""
    return make_company_user("52880483", "山嵐資訊有限公司")


TOPIC = "以 8 張 H100 訓練繁體中文法律問答模型，資料來源為公開判決書"


def card_login(client, company):
    client.get(reverse("accounts:login"))
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    card = cards.issue_card(company.ubn, company.name)
    nonce = client.post("/login/challenge/", **csrf).json()["challenge"]
    signature = base64.b64encode(cards.sign(card, nonce.encode("ascii"))).decode()
    body = {"challenge": nonce, "signature": signature, "certificate": card.certificate_b64()}
    answer = client.post("/login/verify/", json.dumps(body), "application/json", **csrf)
    return answer.json()["redirect"]


def test_a_page_sent_after_the_sign_in_expired_is_saved_after_the_next(open_call, company_user):
    client = Client(enforce_csrf_checks=True)
    card_login(client, company_user.company)
    begin_application(client)
    app = Application.objects.get()
    page = reverse("applications:step", args=["category"])
    client.get(page)
    csrf = client.cookies["csrftoken"].value
    client.post(
        page, {"category": "training", "revision": app.revision, "csrfmiddlewaretoken": csrf}
    )
    app.refresh_from_db()
    training = reverse("applications:step", args=["training-1"])
    client.cookies.pop("sessionid")  # eight hours later

    sent = client.post(
        training, {"topic": TOPIC, "revision": app.revision, "csrfmiddlewaretoken": csrf}
    )
    back_to = card_login(client, company_user.company)
    saved = client.get(back_to, follow=True)

    assert sent.status_code == 302
    assert back_to == training
    assert Application.objects.get().data["training"]["topic"] == TOPIC
    assert saved.redirect_chain[0][1] == 302  # saved, on to the next page as 「下一步」 does
    assert "已接續處理您登入逾時前送出的內容。" in saved.content.decode()


def test_a_page_sent_after_an_idle_sign_out_is_saved_after_the_next_login(
    open_call, company_user, settings
):
    import time

    from aipower.accounts import idle

    settings.IDLE_SIGN_OUT_SECONDS = {"staff": 1800, "company": 3600}
    client = Client()
    card_login(client, company_user.company)
    begin_application(client)
    app = Application.objects.get()
    client.post(
        reverse("applications:step", args=["category"]),
        {"category": "training", "revision": app.revision},
    )
    app.refresh_from_db()
    session = client.session
    session[idle.LAST_SEEN] = time.time() - 3601  # an hour away from the desk
    session.save()
    training = reverse("applications:step", args=["training-1"])

    sent = client.post(training, {"topic": TOPIC, "revision": app.revision})
    back_to = card_login(client, company_user.company)
    client.get(back_to)

    assert sent["Location"].startswith("/login/?next=")
    assert back_to == training
    assert Application.objects.get().data["training"]["topic"] == TOPIC
