"""Development cards: issued idempotently, listed in issue order, signing like a card."""

import pytest
from asn1crypto import cms
from cryptography.x509.oid import NameOID

from aipower.devtools import cards

pytestmark = pytest.mark.unit


def test_card_serial_is_mt_and_fourteen_digits():
    assert cards.card_serial("84700087") == "MT00000084700087"


def test_issue_card_writes_key_certificate_and_pin(tmp_path):
    card = cards.issue_card("52880483", "山嵐資訊有限公司", directory=tmp_path)

    cert = card.certificate()
    assert card.serial == "MT00000052880483"
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "52880483"
    assert card.key_path.exists()
    assert card.check_pin("123456")
    assert not card.check_pin("654321")
    assert "123456" not in (card.directory / "card.json").read_text(encoding="utf-8")


def test_issue_card_is_idempotent(tmp_path):
    first = cards.issue_card("52880483", "山嵐資訊有限公司", directory=tmp_path)
    second = cards.issue_card("52880483", "山嵐資訊有限公司", directory=tmp_path)

    assert second == first
    assert second.certificate() == first.certificate()


def test_issue_card_reissues_when_the_name_changes(tmp_path):
    first = cards.issue_card("52880483", "山嵐資訊有限公司", directory=tmp_path)
    first_cert = first.certificate()

    second = cards.issue_card("52880483", "山嵐資訊股份有限公司", directory=tmp_path)

    assert second.name == "山嵐資訊股份有限公司"
    assert second.certificate() != first_cert
    assert second.issued_at == first.issued_at


def test_issue_card_with_own_pin(tmp_path):
    card = cards.issue_card("52880483", "山嵐資訊有限公司", pin="0000", directory=tmp_path)

    assert card.check_pin("0000")
    assert not card.check_pin("123456")


def test_issue_demo_cards_issues_the_five_companies_in_order(tmp_path):
    cards.issue_demo_cards(directory=tmp_path)
    cards.issue_demo_cards(directory=tmp_path)

    listed = [(card.ubn, card.name) for card in cards.list_cards(tmp_path)]
    assert listed == [
        ("84700087", "晴空智能股份有限公司"),
        ("52880483", "山嵐資訊有限公司"),
        ("48552728", "北港軟體股份有限公司"),
        ("75888073", "北港軟體股份有限公司台中分公司"),
        ("96865468", "木棉精密工業股份有限公司"),
    ]


def test_list_cards_is_empty_before_any_card(tmp_path):
    assert cards.list_cards(tmp_path) == []


def test_sign_makes_cms_signed_data_with_the_chain(tmp_path):
    card = cards.issue_card("84700087", "晴空智能股份有限公司", directory=tmp_path)

    signed = cms.ContentInfo.load(cards.sign(card, b"challenge"))

    content = signed["content"]
    assert signed["content_type"].native == "signed_data"
    assert content["encap_content_info"]["content"].native == b"challenge"
    assert content["signer_infos"][0]["digest_algorithm"]["algorithm"].native == "sha256"
    assert len(content["certificates"]) == 2


def test_sign_detached_leaves_the_content_out(tmp_path):
    card = cards.issue_card("84700087", "晴空智能股份有限公司", directory=tmp_path)

    signed = cms.ContentInfo.load(cards.sign(card, b"challenge", detached=True))

    assert signed["content"]["encap_content_info"]["content"].native is None
