"""The card-login verifier with real keys and certificates from the development CA."""

import base64
import datetime as dt

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from aipower.accounts import pki
from aipower.devtools import cards, devca

pytestmark = pytest.mark.unit

CHALLENGE = b"Wm9vLWNoYWxsZW5nZS1ub25jZS0xMjM0NTY3ODkwYWJjZGVm"
UBN = "84700087"
NAME = "晴空智能股份有限公司"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def cert_b64(cert) -> str:
    return b64(cert.public_bytes(Encoding.DER))


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return devca.ensure_dev_ca(tmp_path_factory.mktemp("devca"))


@pytest.fixture(scope="module")
def card(ca):
    return cards.issue_card(UBN, NAME, directory=ca.directory)


@pytest.fixture(scope="module")
def key():
    return devca.new_key()


def verify(signature: bytes, certificate: str, *, ca, challenge=CHALLENGE, **options):
    return pki.verify_login_signature(
        b64(signature), certificate, challenge, trust_roots=[ca.root_path], **options
    )


def signed_by(ca, key, cert, data=CHALLENGE, **options):
    return cards.sign_data(cert, key, data, extra_certs=[ca.issuing_cert], **options)


def test_verify_accepts_card_signature_and_reads_ubn_and_name(ca, card):
    identity = verify(cards.sign(card, CHALLENGE), card.certificate_b64(), ca=ca)

    assert identity.ubn == UBN
    assert identity.name == NAME
    assert identity.serial == format(card.certificate().serial_number, "X")
    assert identity.not_after == card.certificate().not_valid_after_utc


def test_verify_reads_ubn_from_subject_directory_attributes(ca, key):
    cert = devca.issue_certificate(
        ca, key.public_key(), name="山嵐資訊有限公司", ubn="52880483", serial_in_subject=False
    )

    identity = verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []
    assert (identity.ubn, identity.name) == ("52880483", "山嵐資訊有限公司")


def test_verify_reads_ubn_from_subject_serial_number_without_sda(ca, key):
    cert = devca.issue_certificate(ca, key.public_key(), name=NAME, ubn=UBN, sda=False)

    identity = verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert identity.ubn == UBN


def test_verify_accepts_detached_signature(ca, card):
    identity = verify(cards.sign(card, CHALLENGE, detached=True), card.certificate_b64(), ca=ca)

    assert identity.ubn == UBN


def test_verify_uses_configured_intermediates_when_signature_has_no_chain(ca, card):
    signature = cards.sign(card, CHALLENGE, with_chain=False)

    identity = verify(signature, card.certificate_b64(), ca=ca, intermediates=[ca.issuing_path])

    assert identity.ubn == UBN


def test_verify_accepts_crl_that_revokes_nothing(ca, card):
    crls = devca.write_crls(ca)

    identity = verify(cards.sign(card, CHALLENGE), card.certificate_b64(), ca=ca, crls=crls)

    assert identity.ubn == UBN


def test_verify_refuses_signature_over_other_content(ca, card):
    with pytest.raises(pki.BadSignature) as refused:
        verify(cards.sign(card, b"another challenge"), card.certificate_b64(), ca=ca)

    assert refused.value.code == "bad_signature"


def test_verify_refuses_detached_signature_over_other_content(ca, card):
    signature = cards.sign(card, b"another challenge", detached=True)

    with pytest.raises(pki.BadSignature) as refused:
        verify(signature, card.certificate_b64(), ca=ca)

    assert refused.value.code == "bad_signature"


def test_verify_refuses_tampered_signature_value(ca, card):
    info = cms.ContentInfo.load(cards.sign(card, CHALLENGE))
    signer = info["content"]["signer_infos"][0]
    value = bytearray(signer["signature"].native)
    value[10] ^= 0xFF
    signer["signature"] = bytes(value)

    with pytest.raises(pki.BadSignature) as refused:
        verify(info.dump(force=True), card.certificate_b64(), ca=ca)

    assert refused.value.code == "bad_signature"


def test_verify_refuses_certificate_that_is_not_the_signers(ca, card, key):
    other = devca.issue_certificate(ca, key.public_key(), name="山嵐資訊有限公司", ubn="52880483")

    with pytest.raises(pki.BadSignature) as refused:
        verify(cards.sign(card, CHALLENGE), cert_b64(other), ca=ca)

    assert refused.value.code == "bad_signature"


def test_verify_refuses_certificate_from_untrusted_ca(ca, key, tmp_path):
    stranger = devca.ensure_dev_ca(tmp_path / "stranger")
    cert = devca.issue_certificate(stranger, key.public_key(), name=NAME, ubn=UBN)
    signature = cards.sign_data(cert, key, CHALLENGE, extra_certs=[stranger.issuing_cert])

    with pytest.raises(pki.UntrustedCertificate) as refused:
        verify(signature, cert_b64(cert), ca=ca)

    assert refused.value.code == "untrusted_certificate"


def test_verify_refuses_chain_without_issuing_ca(ca, card):
    with pytest.raises(pki.UntrustedCertificate) as refused:
        verify(cards.sign(card, CHALLENGE, with_chain=False), card.certificate_b64(), ca=ca)

    assert refused.value.code == "untrusted_certificate"


def test_verify_refuses_expired_certificate(ca, key):
    now = devca.now()
    cert = devca.issue_certificate(
        ca,
        key.public_key(),
        name=NAME,
        ubn=UBN,
        not_before=now - dt.timedelta(days=731),
        not_after=now - dt.timedelta(days=1),
    )

    with pytest.raises(pki.ExpiredCertificate) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert refused.value.code == "expired_certificate"


def test_verify_refuses_card_certificate_after_its_validity(ca, card):
    later = card.certificate().not_valid_after_utc + dt.timedelta(days=1)

    with pytest.raises(pki.ExpiredCertificate) as refused:
        verify(cards.sign(card, CHALLENGE), card.certificate_b64(), ca=ca, moment=later)

    assert refused.value.code == "expired_certificate"


def test_verify_refuses_certificate_not_yet_valid(ca, key):
    now = devca.now()
    cert = devca.issue_certificate(
        ca,
        key.public_key(),
        name=NAME,
        ubn=UBN,
        not_before=now + dt.timedelta(days=2),
        not_after=now + dt.timedelta(days=700),
    )

    with pytest.raises(pki.ExpiredCertificate) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert refused.value.code == "expired_certificate"


def test_verify_refuses_revoked_certificate(ca, key):
    cert = devca.issue_certificate(ca, key.public_key(), name=NAME, ubn=UBN)
    crls = devca.write_crls(ca, [cert.serial_number])

    with pytest.raises(pki.RevokedCertificate) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca, crls=crls)

    assert refused.value.code == "revoked_certificate"
    # What to do next, not only what went wrong.
    assert str(refused.value.message) == (
        "憑證已被廢止，無法登入；請向經濟部工商憑證管理中心申請新憑證。"
    )


def test_verify_refuses_when_configured_crls_do_not_cover_the_certificate(ca, card):
    root_crl_only = [devca.write_crls(ca)[0]]

    with pytest.raises(pki.RevocationUnavailable) as refused:
        verify(cards.sign(card, CHALLENGE), card.certificate_b64(), ca=ca, crls=root_crl_only)

    assert refused.value.code == "revocation_unavailable"


def test_verify_refuses_certificate_without_signing_key_usage(ca, key):
    cert = devca.issue_certificate(
        ca, key.public_key(), name=NAME, ubn=UBN, usages=("key_encipherment",)
    )

    with pytest.raises(pki.WrongKeyUsage) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert refused.value.code == "wrong_key_usage"


def test_verify_accepts_non_repudiation_only_key_usage(ca, key):
    cert = devca.issue_certificate(
        ca, key.public_key(), name=NAME, ubn=UBN, usages=("content_commitment",)
    )

    assert verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca).ubn == UBN


@pytest.mark.parametrize(
    ("signature", "certificate"),
    [
        ("", "AAAA"),
        ("not base64 at all!", "AAAA"),
        (b64(b"not a CMS structure"), "AAAA"),
    ],
)
def test_verify_refuses_malformed_signature(ca, card, signature, certificate):
    with pytest.raises(pki.MalformedData) as refused:
        pki.verify_login_signature(
            signature, card.certificate_b64(), CHALLENGE, trust_roots=[ca.root_path]
        )

    assert refused.value.code == "malformed"


def test_verify_refuses_malformed_certificate(ca, card):
    with pytest.raises(pki.MalformedData) as refused:
        verify(cards.sign(card, CHALLENGE), b64(b"\x30\x03\x02\x01\x01"), ca=ca)

    assert refused.value.code == "malformed"


def test_verify_refuses_oversized_signature(ca, card):
    with pytest.raises(pki.MalformedData) as refused:
        verify(b"\x00" * (pki.MAX_SIGNATURE_BYTES + 10), card.certificate_b64(), ca=ca)

    assert refused.value.code == "malformed"


def test_verify_refuses_ubn_with_wrong_check_digit(ca, key):
    cert = devca.issue_certificate(ca, key.public_key(), name=NAME, ubn="84700088")

    with pytest.raises(pki.InvalidUbn) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert refused.value.code == "invalid_ubn"


def test_verify_refuses_certificate_without_ubn(ca, key):
    cert = devca.issue_certificate(ca, key.public_key(), name=NAME, ubn=None)

    with pytest.raises(pki.InvalidUbn) as refused:
        verify(signed_by(ca, key, cert), cert_b64(cert), ca=ca)

    assert refused.value.code == "invalid_ubn"


def test_verify_names_a_citizen_card_the_wrong_kind_of_certificate(ca, key, tmp_path):
    # A 自然人憑證 chains to another CA and names a person, not a company.
    other_ca = devca.ensure_dev_ca(tmp_path / "moica")
    cert = devca.issue_certificate(other_ca, key.public_key(), name="王小明", ubn=None)
    signature = cards.sign_data(cert, key, CHALLENGE, extra_certs=[other_ca.issuing_cert])

    with pytest.raises(pki.InvalidUbn) as refused:
        verify(signature, cert_b64(cert), ca=ca)

    assert str(refused.value.message) == (
        "此憑證不是工商憑證（憑證中沒有有效的統一編號，例如自然人憑證），"
        "不能用於登入，請插入工商憑證卡。"
    )


def test_verify_checks_the_signature_before_naming_the_kind_of_certificate(ca, key, tmp_path):
    other_ca = devca.ensure_dev_ca(tmp_path / "moica")
    cert = devca.issue_certificate(other_ca, key.public_key(), name="王小明", ubn=None)
    signature = cards.sign_data(cert, key, b"another challenge")

    with pytest.raises(pki.BadSignature):
        verify(signature, cert_b64(cert), ca=ca)


def test_errors_have_distinct_codes_and_messages():
    codes = [cls.code for cls in pki.ERRORS.values()]
    messages = [str(cls.message) for cls in pki.ERRORS.values()]

    assert len(set(codes)) == len(codes) == 20
    assert len(set(messages)) == len(messages)


def test_throttled_message_names_the_seconds():
    error = pki.Throttled(17)

    assert error.code == "throttled"
    assert error.seconds == 17
    assert "17" in str(error.message)
