"""The development card component over HTTP: readers, versions, signing, refusals."""

import base64
import json
import urllib.error
import urllib.request

import pytest

from aipower.accounts import pki
from aipower.devtools import cardcomponent, cards

pytestmark = pytest.mark.unit

PAGE = "http://localhost:8000"


@pytest.fixture(scope="module")
def card_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("devca")
    cards.issue_card("84700087", "晴空智能股份有限公司", directory=directory)
    cards.issue_card("52880483", "山嵐資訊有限公司", directory=directory)
    return directory


@pytest.fixture(scope="module")
def component(card_dir):
    running = cardcomponent.CardComponent("127.0.0.1", 0, directory=card_dir).start()
    yield running
    running.stop()


def get(component, path, origin=PAGE):
    request = urllib.request.Request(component.origin + path, headers={"Origin": origin})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def sign(component, package, *, origin=None, page=PAGE):
    body = json.dumps({"origin": page, "tbsPackage": package}).encode()
    request = urllib.request.Request(
        component.origin + "/sign",
        data=body,
        headers={"Origin": origin or component.origin, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def package(**fields):
    return {
        "tbs": "challenge-nonce",
        "tbsEncoding": "NONE",
        "hashAlgorithm": "SHA256",
        "withCardSN": "true",
        "pin": "123456",
        "nonce": "",
        "func": "MakeSignature",
        "signatureType": "PKCS7",
        **fields,
    }


def test_pkcs11info_lists_readers_with_cards_and_cors(component, card_dir):
    status, headers, body = get(component, "/pkcs11info?withcert=true")

    info = json.loads(body)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == PAGE
    assert info["ret_code"] == 0
    assert [slot["slotDescription"] for slot in info["slots"]] == [
        "AI Power 開發用讀卡機 1（晴空智能股份有限公司 84700087）",
        "AI Power 開發用讀卡機 2（山嵐資訊有限公司 52880483）",
    ]
    assert info["slots"][0]["token"]["serialNumber"] == "MT00000084700087"
    certificate = cards.list_cards(card_dir)[0].certificate_b64()
    assert info["slots"][0]["token"]["certs"][0]["certb64"] == certificate


def test_pkcs11info_without_withcert_leaves_certificates_out(component):
    _status, _headers, body = get(component, "/pkcs11info")

    assert "certs" not in json.loads(body)["slots"][0]["token"]


def test_pkcs11info_gives_no_cors_to_foreign_origins(component):
    _status, headers, _body = get(component, "/pkcs11info", origin="https://evil.example")

    assert "Access-Control-Allow-Origin" not in headers


def test_version_reports_component_and_service(component):
    _status, headers, body = get(component, "/version")

    assert json.loads(body)["componentVersion"] == cardcomponent.COMPONENT_VERSION
    assert json.loads(body)["serviceVersion"] == cardcomponent.SERVICE_VERSION
    assert headers["Access-Control-Allow-Origin"] == PAGE


def test_popup_form_is_served_with_its_script_and_a_strict_csp(component):
    _status, headers, body = get(component, "/popupForm")
    _status, script_headers, script = get(component, "/popupForm.js")

    assert headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
    assert b'<script src="/popupForm.js" defer></script>' in body
    assert b"<script>" not in body
    assert script_headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b'{ func: "getTbs" }' in script


def test_sign_signs_the_tbs_with_the_chosen_card(component, card_dir):
    status, answer = sign(component, package(cardSN="MT00000052880483"))

    assert status == 200
    assert answer["ret_code"] == 0
    assert answer["cardSN"] == "MT00000052880483"
    identity = pki.verify_login_signature(
        answer["signature"],
        answer["certb64"],
        b"challenge-nonce",
        trust_roots=[card_dir / "root.pem"],
    )
    assert identity.ubn == "52880483"


def test_sign_selects_by_slot_description(component):
    slot = "AI Power 開發用讀卡機 2（山嵐資訊有限公司 52880483）"

    _status, answer = sign(component, package(slotDescription=slot))

    assert answer["cardSN"] == "MT00000052880483"


def test_sign_without_selection_uses_the_first_card(component):
    _status, answer = sign(component, package())

    assert answer["cardSN"] == "MT00000084700087"


def test_sign_decodes_uri_encoded_and_base64_tbs(component, card_dir):
    tbs = base64.b64encode(b"raw bytes+/=").decode()

    _status, answer = sign(component, package(tbs=tbs.replace("+", "%2B"), tbsEncoding="base64"))

    identity = pki.verify_login_signature(
        answer["signature"], answer["certb64"], b"raw bytes+/=", trust_roots=[card_dir / "root.pem"]
    )
    assert identity.ubn == "84700087"


def test_sign_refuses_a_wrong_pin_like_hicos(component):
    _status, answer = sign(component, package(pin="000000"))

    assert answer == {"func": "sign", "ret_code": 0x76000007, "last_error": 0xA0}


def test_sign_reports_no_card_for_an_absent_card(component):
    _status, answer = sign(component, package(cardSN="MT99999999999999"))

    assert answer == {"func": "sign", "ret_code": 0x76000006, "last_error": 0xE0}


def test_sign_refuses_wrong_parameters(component):
    _status, answer = sign(component, package(signatureType="PKCS1"))

    assert answer["ret_code"] == 0x7600000C


def test_sign_refuses_requests_not_from_its_own_popup(component):
    status, answer = sign(component, package(), origin="http://localhost:9999")

    assert status == 403
    assert answer["ret_code"] == 0x7600000F


def test_sign_refuses_pages_it_does_not_serve(card_dir):
    strict = cardcomponent.CardComponent(
        "127.0.0.1", 0, directory=card_dir, allowed_origins={"http://127.0.0.1:8000"}
    ).start()
    try:
        _status, answer = sign(strict, package(), page="http://localhost:8000")
    finally:
        strict.stop()

    assert answer["ret_code"] == 0x7600000F


def test_component_refuses_to_listen_beyond_loopback():
    with pytest.raises(ValueError, match="loopback"):
        cardcomponent.CardComponent("0.0.0.0", 0)  # noqa: S104
