"""Card login through the endpoints: challenges (single use, expiry, session), verification,
failure reports, throttling, the company page and logout."""

import base64
import datetime as dt
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from aipower.accounts import services
from aipower.accounts.enums import Role
from aipower.accounts.models import Company, LoginChallenge, User
from aipower.core.models import AuditEntry
from aipower.devtools import cards
from aipower.devtools.demo import shift_call_to_now

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

UBN = "84700087"
NAME = "晴空智能股份有限公司"
PIN = "123456"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def card():
    return cards.issue_card(UBN, NAME)


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def new_challenge(client):
    response = client.post("/login/challenge/")
    assert response.status_code == 200
    return response.json()["challenge"]


def signed_login(client, card, nonce=None, *, data=None):
    nonce = nonce or new_challenge(client)
    signature = cards.sign(card, data if data is not None else nonce.encode("ascii"))
    return post_json(
        client,
        "/login/verify/",
        {
            "challenge": nonce,
            "signature": base64.b64encode(signature).decode(),
            "certificate": card.certificate_b64(),
        },
    )


def failure_codes():
    return [entry.data["code"] for entry in AuditEntry.objects.filter(action="card-login.failed")]


# --- challenge ----------------------------------------------------------------------------


def test_challenge_is_bound_to_the_session_and_expires(client, settings):
    before = timezone.now()

    response = client.post("/login/challenge/")

    body = response.json()
    challenge = LoginChallenge.objects.get(nonce=body["challenge"])
    assert body["ok"] is True
    assert body["expires_in"] == settings.LOGIN_CHALLENGE_TTL_SECONDS
    assert len(body["challenge"]) == 43
    assert challenge.session_key == client.session.session_key
    assert challenge.used_at is None
    assert challenge.expires_at - challenge.created_at == dt.timedelta(
        seconds=settings.LOGIN_CHALLENGE_TTL_SECONDS
    )
    assert challenge.created_at >= before


def test_challenge_needs_post(client):
    assert client.get("/login/challenge/").status_code == 405


def test_challenges_are_fresh_each_time(client):
    assert new_challenge(client) != new_challenge(client)


# --- success ------------------------------------------------------------------------------


def test_verify_logs_the_company_in(client, card):
    response = signed_login(client, card)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "redirect": "/company/"}
    company = Company.objects.get(ubn=UBN)
    user = User.objects.get(company=company)
    assert company.name == NAME
    assert company.first_login_at is not None
    assert user.username == f"company-{UBN}"
    assert user.role == Role.COMPANY
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    entry = AuditEntry.objects.get(action="card-login.succeeded")
    assert entry.actor == user
    assert entry.object_id == str(company.pk)
    assert entry.data["ubn"] == UBN


def test_verify_keeps_the_company_and_updates_its_name(client, card):
    company = Company.objects.create(ubn=UBN, name="舊名稱股份有限公司")
    user = User.objects.create(username="company-84700087", role=Role.COMPANY, company=company)

    signed_login(client, card)

    company.refresh_from_db()
    assert company.name == NAME
    assert Company.objects.count() == 1
    assert User.objects.get(company=company) == user
    assert client.session["_auth_user_id"] == str(user.pk)


def test_company_page_shows_name_and_ubn(client, card, call_115):
    shift_call_to_now(call_115)
    signed_login(client, card)

    response = client.get("/company/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "請確認登入公司資訊是否正確？" in content
    assert f'<dd id="company-name">{NAME}</dd>' in content
    assert f'<dd id="company-ubn">{UBN}</dd>' in content
    assert "我要申請" in content
    assert "資料有誤，立即登出" in content
    assert "* 重要提醒：資料填寫時，每按下「下一步」將會自動儲存該頁填寫資料。" in content


def test_company_page_needs_a_company_login(client):
    response = client.get("/company/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_sends_a_signed_in_company_to_its_page(client, card):
    signed_login(client, card)

    response = client.get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/company/"


# --- challenge misuse ---------------------------------------------------------------------


def test_verify_refuses_a_replayed_challenge(client, card):
    nonce = new_challenge(client)
    first = signed_login(client, card, nonce, data=b"not the challenge")

    second = signed_login(client, card, nonce)

    assert first.json()["code"] == "bad_signature"
    assert second.status_code == 400
    assert second.json()["code"] == "replayed_challenge"
    assert second.json()["message"] == "此登入挑戰碼已經使用過，不能重複使用，請重新登入。"
    assert "_auth_user_id" not in client.session


def test_verify_refuses_an_expired_challenge(client, card):
    nonce = new_challenge(client)
    LoginChallenge.objects.filter(nonce=nonce).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    response = signed_login(client, card, nonce)

    assert response.json()["code"] == "expired_challenge"
    assert LoginChallenge.objects.get(nonce=nonce).used_at is not None
    assert not Company.objects.exists()


def test_verify_refuses_a_challenge_of_another_session(client, card):
    nonce = new_challenge(client)
    other = Client()
    other.get("/login/")

    response = signed_login(other, card, nonce)

    assert response.json()["code"] == "unknown_challenge"
    assert LoginChallenge.objects.get(nonce=nonce).used_at is None


def test_verify_refuses_an_unknown_challenge(client, card):
    new_challenge(client)

    response = signed_login(client, card, "x" * 43)

    assert response.json()["code"] == "unknown_challenge"


def test_consume_challenge_is_single_use():
    challenge = LoginChallenge.objects.create(
        nonce="n" * 43, session_key="s" * 32, expires_at=timezone.now() + dt.timedelta(minutes=2)
    )

    services.consume_challenge(challenge.nonce, "s" * 32)

    with pytest.raises(services.pki.ChallengeReplayed):
        services.consume_challenge(challenge.nonce, "s" * 32)


# --- verification failures ----------------------------------------------------------------


def test_verify_refuses_a_signature_over_something_else(client, card):
    response = signed_login(client, card, data=b"something else")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    assert failure_codes() == ["bad_signature"]


def test_verify_refuses_an_untrusted_certificate(client, card, settings, tmp_path):
    from aipower.devtools import devca

    settings.CERT_TRUST_ANCHORS = [str(devca.ensure_dev_ca(tmp_path / "other").root_path)]

    response = signed_login(client, card)

    assert response.json()["code"] == "untrusted_certificate"


def test_verify_refuses_when_the_trust_anchor_file_is_missing(client, card, settings, tmp_path):
    settings.CERT_TRUST_ANCHORS = [str(tmp_path / "missing.pem")]

    response = signed_login(client, card)

    assert response.json()["code"] == "untrusted_certificate"


def test_verify_refuses_a_body_that_is_not_json(client):
    response = client.post("/login/verify/", data="nonsense", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_verify_refuses_garbage_signature(client, card):
    nonce = new_challenge(client)

    response = post_json(
        client,
        "/login/verify/",
        {"challenge": nonce, "signature": "AAAA", "certificate": card.certificate_b64()},
    )

    assert response.json()["code"] == "malformed"


# --- failures the component reports -------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "code"),
    [
        ({"ret_code": 0x76000007, "last_error": 0xA0}, "wrong_pin"),
        ({"ret_code": 0x76000007, "last_error": 0xA4}, "pin_locked"),
        ({"ret_code": 0x76000006, "last_error": 0xE0}, "no_card"),
        ({"ret_code": 0x76000006, "last_error": 0}, "no_card"),
        ({"ret_code": 0x7600000C, "last_error": 7}, "component_error"),
        # HiCOS's own answers (its error table): tries left before the card locks, as the
        # signed 32-bit numbers the component sends and as unsigned ones.
        ({"ret_code": 0x76100006, "last_error": -2147483646}, "wrong_pin_two_left"),
        ({"ret_code": 0x76100006, "last_error": -2147483647}, "wrong_pin_one_left"),
        ({"ret_code": 0x76100006, "last_error": 0x80000001}, "wrong_pin_one_left"),
        ({"ret_code": 0x76100006, "last_error": 0xA0}, "wrong_pin"),
        ({"ret_code": 0x76100003, "last_error": 0}, "no_reader"),
        ({"ret_code": 0x76000999, "last_error": 0}, "cancelled"),
        ({"ret_code": 0x76500002, "last_error": 0}, "expired_certificate"),
        ({"ret_code": 0x76500001, "last_error": 0}, "expired_certificate"),
        ({"failure": "component_missing"}, "component_missing"),
        ({"failure": "no_card"}, "no_card"),
        ({"failure": "something"}, "malformed"),
    ],
)
def test_reported_component_failures_are_classified_and_logged(client, report, code):
    nonce = new_challenge(client)

    response = post_json(client, "/login/verify/", {"challenge": nonce, **report})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert failure_codes() == [code]
    assert LoginChallenge.objects.get(nonce=nonce).used_at is not None


def test_wrong_pin_with_one_try_left_warns_before_the_card_locks(client):
    nonce = new_challenge(client)

    report = {"challenge": nonce, "ret_code": 0x76100006, "last_error": -2147483647}

    response = post_json(client, "/login/verify/", report)

    assert response.json()["message"] == (
        "PIN碼錯誤，只剩一次機會；再輸錯一次將鎖住憑證卡，如不確定PIN碼請先向"
        "經濟部工商憑證管理中心查詢。"
    )


def test_wrong_pin_message_and_log_hold_no_pin(client):
    nonce = new_challenge(client)

    response = post_json(
        client,
        "/login/verify/",
        {"challenge": nonce, "ret_code": 0x76000007, "last_error": 0xA0, "pin": PIN},
    )

    entry = AuditEntry.objects.get(action="card-login.failed")
    assert response.json()["message"] == "PIN碼錯誤，請重新輸入。連續輸錯多次將鎖住憑證卡。"
    assert PIN not in json.dumps(entry.data)
    assert entry.ip == "127.0.0.1"
    assert not Session.objects.filter(session_data__contains="_auth_user_id").exists()


# --- throttling ---------------------------------------------------------------------------


def test_repeated_failures_are_slowed_down(client, card, settings):
    settings.LOGIN_THROTTLE_FREE = 2
    for _attempt in range(2):
        signed_login(client, card, data=b"wrong")

    throttled = client.post("/login/challenge/")
    refused = post_json(client, "/login/verify/", {"challenge": "x", "signature": "y"})

    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert throttled.json()["retry_after"] == 1
    assert throttled.json()["message"] == "登入失敗次數過多，請於 1 秒後再試。"
    assert refused.status_code == 429
    # Written once per wait, not once per refused request: a flood does not grow the log.
    assert AuditEntry.objects.filter(action="card-login.throttled").count() == 1


def test_throttle_counts_per_address(client, card, settings):
    settings.LOGIN_THROTTLE_FREE = 1
    signed_login(client, card, data=b"wrong")
    other = Client(REMOTE_ADDR="10.0.0.2")

    assert client.post("/login/challenge/").status_code == 429
    assert other.post("/login/challenge/").status_code == 200


def test_success_resets_the_failure_count(client, card, settings):
    settings.LOGIN_THROTTLE_FREE = 3
    signed_login(client, card, data=b"wrong")
    signed_login(client, card, data=b"wrong")
    signed_login(client, card)
    client.post("/logout/")

    for _attempt in range(2):
        signed_login(client, card, data=b"wrong")

    assert client.post("/login/challenge/").status_code == 200


# --- pages --------------------------------------------------------------------------------


def test_login_page_has_the_spec_texts_and_never_names_the_pin(client, settings):
    response = client.get("/login/")

    content = response.content.decode()
    assert response.status_code == 200
    for text in [
        "請備妥您的讀卡機並且插入工商「憑證卡」",
        '<label for="card-reader">可用讀卡機</label>',
        '<label for="card-pin">請輸入PIN碼</label>',
        ">登入</button>",
        ">重新整理</button>",
        "沒有工商憑證？請參考",
        "忘記PIN碼",
        "遇到問題？請進行 環境檢測",
        "登入前請先進行環境檢測",
        f'data-component-origin="{settings.CARD_COMPONENT_ORIGIN}"',
        'href="https://moeaca.nat.gov.tw"',
    ]:
        assert text in content
    assert '<input type="password" id="card-pin" autocomplete="off"' in content
    assert 'name="pin' not in content
    assert response["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert settings.CARD_COMPONENT_ORIGIN in response["Content-Security-Policy"]


def test_login_page_without_script_posts_nothing_and_explains(client):
    response = client.post("/login/", {"pin": PIN})

    assert response.status_code == 200
    assert "登入需要瀏覽器執行本網站的 JavaScript" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_envcheck_page_has_the_table_and_server_time(client):
    before = int(timezone.now().timestamp() * 1000)

    response = client.get("/envcheck/")

    content = response.content.decode()
    server_time = int(content.split('data-server-time="')[1].split('"')[0])
    for text in [
        "<h2>功能說明</h2>",  # as the programme document heads the page
        "檢測項次",
        "檢測結果",
        "作業系統",
        "瀏覽器",
        "網站Cookie設定",
        "跨平台網頁讀卡元件",
        "讀卡機及憑證IC卡",
        "系統時間",
        "檢測 IC 卡讀卡機元件",
        "重新整理",
        "請按「檢測 IC 卡讀卡機元件」開始檢測。",
        "下載並安裝新版HiCOS卡片管理工具",
        'href="https://moica.nat.gov.tw/download_1.html"',
    ]:
        assert text in content
    assert before <= server_time <= before + 60_000


def test_logout_flushes_the_session(client, card):
    signed_login(client, card)
    old_key = client.session.session_key

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert not Session.objects.filter(session_key=old_key).exists()
    assert AuditEntry.objects.filter(action="card-login.logout").count() == 1


def test_logout_needs_post(client, card):
    signed_login(client, card)

    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session


def test_english_messages_come_from_the_catalogue(client):
    nonce = new_challenge(client)
    client.cookies["django_language"] = "en"

    response = post_json(
        client, "/login/verify/", {"challenge": nonce, "ret_code": 0x76000007, "last_error": 0xA0}
    )

    assert response.json()["message"] == (
        "Wrong PIN. Please enter it again; several wrong PINs in a row lock the card."
    )


def test_throttle_counts_per_client_behind_the_trusted_proxy(card, settings):
    # Behind the reverse proxy every request comes from the proxy's address: the throttle and
    # the audit log must see the client's address it forwards (core.net).
    settings.LOGIN_THROTTLE_FREE = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    signed_login(first, card, data=b"wrong")

    assert first.post("/login/challenge/").status_code == 429
    assert second.post("/login/challenge/").status_code == 200
    assert AuditEntry.objects.get(action="card-login.failed").ip == "198.51.100.7"


def test_forwarded_address_from_an_untrusted_peer_is_ignored(card, settings):
    settings.LOGIN_THROTTLE_FREE = 1
    settings.TRUSTED_PROXIES = []
    spoofing = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    signed_login(spoofing, card, data=b"wrong")

    assert spoofing.post("/login/challenge/").status_code == 429
    assert AuditEntry.objects.get(action="card-login.failed").ip == "203.0.113.5"


def test_challenges_per_address_are_bounded(client, settings):
    settings.LOGIN_CHALLENGES_PER_MINUTE = 3
    other = Client(REMOTE_ADDR="10.0.0.2")

    statuses = [client.post("/login/challenge/").status_code for _attempt in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    assert other.post("/login/challenge/").status_code == 200
    assert LoginChallenge.objects.count() == 4
    entry = AuditEntry.objects.get(action="card-login.throttled")
    assert entry.data["reason"] == "challenges"
