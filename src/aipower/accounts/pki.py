"""Verifying a business-certificate card's login signature, and the card-login failures.

``verify_login_signature`` checks a CMS SignedData (PKCS#7, as the HiCOS component makes it)
over exactly the server's challenge, the signer's certificate path to the configured trust
anchors (validity, revocation when CRLs are configured, key usage digitalSignature or
nonRepudiation), and reads the company from the certificate: 統一編號 from the subject's
``serialNumber`` or from the Subject Directory Attributes extension (attribute
2.16.886.1.100.2.101, as MOEACA writes it), the name from ``O``. It is pure: no database, no
settings; callers pass the trust material.

Signature integrity uses pyHanko's generic CMS helpers, the path pyhanko-certvalidator (without
fetching anything over the network). Each kind of failure is its own ``CardLoginError``
subclass with a ``code`` (stable, for logs and the page's script) and a zh-Hant ``message``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, core, pem
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext_lazy as _
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.context import ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from aipower.core.validators import is_valid_ubn

# MOEACA writes the 統一編號 as this attribute in the Subject Directory Attributes extension.
UBN_ATTRIBUTE_OID = "2.16.886.1.100.2.101"
SUBJECT_DIRECTORY_ATTRIBUTES_OID = x509.ObjectIdentifier("2.5.29.9")
SIGNING_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})
ACCEPTED_DIGESTS = frozenset({"sha256", "sha384", "sha512"})
MAX_SIGNATURE_BYTES = 64 * 1024
MAX_CERTIFICATE_BYTES = 16 * 1024


class SDAttribute(core.Sequence):
    """``Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }`` (RFC 5280)."""

    _fields = [("type", core.ObjectIdentifier), ("values", core.SetOf, {"spec": core.Any})]


class SubjectDirectoryAttributes(core.SequenceOf):
    _child_spec = SDAttribute


# --- Failures -----------------------------------------------------------------------------


class CardLoginError(Exception):
    """A refused card login. ``code`` is stable; ``message`` is shown to the user.

    ``detail`` is an English note for the log; it never holds a PIN or key material.
    """

    code = "login_failed"
    message = _("登入失敗，請重新登入。")

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.code)
        self.detail = detail


class WrongPin(CardLoginError):
    code = "wrong_pin"
    message = _("PIN碼錯誤，請重新輸入。連續輸錯多次將鎖住憑證卡。")


class WrongPinTwoLeft(CardLoginError):
    code = "wrong_pin_two_left"
    message = _("PIN碼錯誤，還有兩次機會；PIN碼累計錯誤3次將鎖住憑證卡。")


class WrongPinOneLeft(CardLoginError):
    code = "wrong_pin_one_left"
    message = _(
        "PIN碼錯誤，只剩一次機會；再輸錯一次將鎖住憑證卡，如不確定PIN碼請先向"
        "經濟部工商憑證管理中心查詢。"
    )


class PinLocked(CardLoginError):
    code = "pin_locked"
    message = _("憑證卡的PIN碼已鎖住，請向經濟部工商憑證管理中心辦理解鎖。")


class NoReader(CardLoginError):
    code = "no_reader"
    message = _("未偵測到讀卡機，請將讀卡機連接電腦後，按「重新整理」。")


class Cancelled(CardLoginError):
    code = "cancelled"
    message = _("已取消簽章，請再按一次「登入」。")


class NoCard(CardLoginError):
    code = "no_card"
    message = _("找不到讀卡機或憑證IC卡，請確認讀卡機已連接並插入工商憑證卡後，按「重新整理」。")


class ComponentMissing(CardLoginError):
    code = "component_missing"
    message = _(
        "無法連線跨平台網頁讀卡元件，請確認已安裝並啟動 HiCOS 卡片管理工具，或進行環境檢測。"
    )


class ComponentFailure(CardLoginError):
    code = "component_error"
    message = _("讀卡元件無法完成簽章，請重新整理後再試一次。")


class BadSignature(CardLoginError):
    code = "bad_signature"
    message = _("簽章驗證失敗：簽章與本次登入的挑戰碼不符，請重新登入。")


class ChallengeReplayed(CardLoginError):
    code = "replayed_challenge"
    message = _("此登入挑戰碼已經使用過，不能重複使用，請重新登入。")


class ChallengeExpired(CardLoginError):
    code = "expired_challenge"
    message = _("登入挑戰碼已逾時，請重新按「登入」。")


class ChallengeUnknown(CardLoginError):
    code = "unknown_challenge"
    message = _("登入挑戰碼無效或不屬於此瀏覽器連線，請重新整理頁面後再登入。")


class UntrustedCertificate(CardLoginError):
    code = "untrusted_certificate"
    message = _("憑證不是由受信任的憑證機構（經濟部工商憑證管理中心）簽發，無法登入。")


class ExpiredCertificate(CardLoginError):
    code = "expired_certificate"
    message = _("憑證已過期或尚未生效，請向經濟部工商憑證管理中心申請新憑證。")


class RevokedCertificate(CardLoginError):
    code = "revoked_certificate"
    message = _("憑證已被廢止，無法登入；請向經濟部工商憑證管理中心申請新憑證。")


class RevocationUnavailable(CardLoginError):
    code = "revocation_unavailable"
    message = _("目前無法確認憑證是否已被廢止，請稍後再試。")


class WrongKeyUsage(CardLoginError):
    code = "wrong_key_usage"
    message = _("此憑證的金鑰用途不是簽章，不能用於登入，請使用工商憑證卡的簽章憑證。")


class MalformedData(CardLoginError):
    code = "malformed"
    message = _("收到的簽章或憑證資料格式錯誤，請重新登入。")


class InvalidUbn(CardLoginError):
    """The certificate names no company: not a business certificate (e.g. a citizen card)."""

    code = "invalid_ubn"
    message = _(
        "此憑證不是工商憑證（憑證中沒有有效的統一編號，例如自然人憑證），"
        "不能用於登入，請插入工商憑證卡。"
    )


class Throttled(CardLoginError):
    code = "throttled"
    message = _("登入失敗次數過多，請於 %(seconds)s 秒後再試。")

    def __init__(self, seconds: int):
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds
        self.message = _("登入失敗次數過多，請於 %(seconds)s 秒後再試。") % {"seconds": seconds}


ERRORS = {
    cls.code: cls
    for cls in (
        WrongPin,
        WrongPinTwoLeft,
        WrongPinOneLeft,
        PinLocked,
        NoReader,
        Cancelled,
        NoCard,
        ComponentMissing,
        ComponentFailure,
        BadSignature,
        ChallengeReplayed,
        ChallengeExpired,
        ChallengeUnknown,
        UntrustedCertificate,
        ExpiredCertificate,
        RevokedCertificate,
        RevocationUnavailable,
        WrongKeyUsage,
        MalformedData,
        InvalidUbn,
    )
}


# --- Loading trust material ---------------------------------------------------------------


def _der_blocks(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [data]


def _read(source) -> bytes:
    if isinstance(source, bytes):
        return source
    return Path(source).read_bytes()


def load_certificates(sources: Iterable) -> list[asn1_x509.Certificate]:
    """Certificates from PEM/DER files, bytes, or certificate objects (cryptography, asn1crypto)."""
    result = []
    for source in sources:
        if isinstance(source, asn1_x509.Certificate):
            result.append(source)
        elif isinstance(source, x509.Certificate):
            result.append(asn1_x509.Certificate.load(source.public_bytes(Encoding.DER)))
        else:
            result.extend(asn1_x509.Certificate.load(der) for der in _der_blocks(_read(source)))
    return result


def load_crls(sources: Iterable) -> list[asn1_crl.CertificateList]:
    """CRLs from PEM/DER files or bytes."""
    result = []
    for source in sources:
        if isinstance(source, asn1_crl.CertificateList):
            result.append(source)
        else:
            result.extend(asn1_crl.CertificateList.load(der) for der in _der_blocks(_read(source)))
    return result


# --- Verifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CertIdentity:
    ubn: str
    name: str
    serial: str
    not_after: dt.datetime


def _b64(value, limit: int, what: str) -> bytes:
    if not isinstance(value, str) or not value.strip():
        raise MalformedData(f"{what} missing")
    compact = "".join(value.split())
    if len(compact) > limit * 4 // 3 + 4:
        raise MalformedData(f"{what} too large")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedData(f"{what} is not base64") from error


def _parse_certificate(der: bytes) -> tuple[x509.Certificate, asn1_x509.Certificate]:
    try:
        parsed = x509.load_der_x509_certificate(der)
        asn1_cert = asn1_x509.Certificate.load(der, strict=True)
        asn1_cert.native  # noqa: B018 - force a full parse so errors surface here
    except Exception as error:  # any parse failure of untrusted input is "malformed"
        raise MalformedData("certificate does not parse") from error
    return parsed, asn1_cert


def _parse_signed_data(der: bytes) -> tuple[cms.SignedData, cms.SignerInfo]:
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise MalformedData("not a CMS SignedData")
        signed_data = info["content"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise MalformedData("expected exactly one signer")
        signed_data.native  # noqa: B018 - force a full parse so errors surface here
    except MalformedData:
        raise
    except Exception as error:
        raise MalformedData("signature does not parse as CMS") from error
    return signed_data, signer_infos[0]


def _signed_by(signer_info: cms.SignerInfo, cert: asn1_x509.Certificate) -> bool:
    sid = signer_info["sid"]
    if sid.name == "issuer_and_serial_number":
        value = sid.chosen
        return (
            value["issuer"] == cert.issuer and value["serial_number"].native == cert.serial_number
        )
    return sid.chosen.native == cert.key_identifier


def _content_digest(signer_info: cms.SignerInfo, content: bytes) -> bytes:
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    if algorithm not in ACCEPTED_DIGESTS:
        raise BadSignature(f"digest algorithm {algorithm} not accepted")
    return hashlib.new(algorithm, content).digest()


def _check_integrity(signed_data, signer_info, cert: asn1_x509.Certificate, expected: bytes):
    encap = signed_data["encap_content_info"]
    if encap["content_type"].native != "data":
        raise BadSignature("encapsulated content is not data")
    if encap["content"] is not core.VOID and bytes(encap["content"]) != expected:
        raise BadSignature("signed content is not this challenge")
    if not _signed_by(signer_info, cert):
        raise BadSignature("certificate is not the signer's")
    try:
        intact, valid = validate_sig_integrity(
            signer_info, cert, "data", _content_digest(signer_info, expected)
        )
    except SignatureValidationError as error:
        raise BadSignature(f"signature structure: {error.failure_message}") from error
    except (ValueError, TypeError, NotImplementedError) as error:
        raise BadSignature("signature cannot be checked") from error
    if not intact:
        raise BadSignature("message digest does not match the challenge")
    if not valid:
        raise BadSignature("signature value does not verify")


def _run(coroutine):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # Called from a thread that runs an event loop (e.g. a browser test): use a fresh thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _revocation_policy(crls) -> CertRevTrustPolicy:
    if crls:
        # The configured CRLs must cover the card's certificate ("hard-fail"); CA certificates
        # are checked when they declare a distribution point. Nothing is fetched.
        return CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
                intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
            )
        )
    return CertRevTrustPolicy(
        RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.NO_CHECK,
            intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
        )
    )


def _check_path(cert, chain, *, trust_roots, intermediates, crls, moment):
    context = ValidationContext(
        trust_roots=load_certificates(trust_roots),
        other_certs=load_certificates(intermediates),
        crls=load_crls(crls),
        moment=moment,
        allow_fetching=False,
        revinfo_policy=_revocation_policy(crls),
    )
    validator = CertificateValidator(cert, intermediate_certs=chain, validation_context=context)
    try:
        _run(validator.async_validate_path())
    except RevokedError as error:
        raise RevokedCertificate(str(error)) from error
    except (ExpiredError, NotYetValidError) as error:
        if error.is_ee_cert:
            raise ExpiredCertificate(str(error)) from error
        raise UntrustedCertificate(str(error)) from error
    except InsufficientRevinfoError as error:
        raise RevocationUnavailable(str(error)) from error
    except PathBuildingError as error:
        raise UntrustedCertificate(str(error)) from error
    except ValidationError as error:
        raise UntrustedCertificate(str(error)) from error
    try:
        KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGES), match_all_key_usages=False).validate(
            cert
        )
    except InvalidCertificateError as error:
        raise WrongKeyUsage(str(error)) from error


def _text(der: bytes) -> str:
    try:
        value = core.load(der).native
    except Exception:  # an attribute we cannot read simply does not count
        return ""
    return value.strip() if isinstance(value, str) else ""


def _sda_ubns(cert: x509.Certificate) -> list[str]:
    try:
        extension = cert.extensions.get_extension_for_oid(SUBJECT_DIRECTORY_ATTRIBUTES_OID)
    except x509.ExtensionNotFound:
        return []
    try:
        attributes = SubjectDirectoryAttributes.load(extension.value.value)
        return [
            _text(value.dump())
            for attribute in attributes
            if attribute["type"].dotted == UBN_ATTRIBUTE_OID
            for value in attribute["values"]
        ]
    except Exception:  # an unreadable extension names nothing; the subject still may
        return []


def ubn_from_certificate(cert: x509.Certificate) -> str | None:
    """The 統一編號: subject serialNumber, else SDA attribute 2.16.886.1.100.2.101; else None."""
    candidates = [
        str(attribute.value).strip()
        for attribute in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    ]
    candidates.extend(_sda_ubns(cert))
    for candidate in candidates:
        if is_valid_ubn(candidate):
            return candidate
    return None


def name_from_certificate(cert: x509.Certificate) -> str:
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        for attribute in cert.subject.get_attributes_for_oid(oid):
            value = str(attribute.value).strip()
            if value:
                return value
    return ""


def verify_login_signature(
    signature_b64: str,
    cert_b64: str,
    expected_challenge_bytes: bytes,
    *,
    trust_roots: Iterable,
    intermediates: Iterable = (),
    crls: Iterable = (),
    moment: dt.datetime | None = None,
) -> CertIdentity:
    """Verify a card's login signature over ``expected_challenge_bytes``; return the company.

    ``signature_b64``: base64 of a CMS SignedData, content attached or detached.
    ``cert_b64``: base64 DER of the signer's certificate, as the component reports it.
    Trust material: PEM/DER paths, bytes or certificate objects. Raises a ``CardLoginError``.
    """
    moment = moment or dt.datetime.now(dt.UTC)
    signature_der = _b64(signature_b64, MAX_SIGNATURE_BYTES, "signature")
    cert_der = _b64(cert_b64, MAX_CERTIFICATE_BYTES, "certificate")
    cert, asn1_cert = _parse_certificate(cert_der)
    signed_data, signer_info = _parse_signed_data(signature_der)
    _check_integrity(signed_data, signer_info, asn1_cert, expected_challenge_bytes)
    # A certificate naming no company is the wrong kind of card (a citizen card's certificate
    # chains to another CA): say so, rather than only that its issuer is not trusted.
    ubn = ubn_from_certificate(cert)
    if ubn is None:
        raise InvalidUbn("no valid 統一編號 in the certificate")
    chain = [
        choice.chosen
        for choice in (signed_data["certificates"] or [])
        if choice.name == "certificate" and choice.chosen.dump() != asn1_cert.dump()
    ]
    _check_path(
        asn1_cert,
        chain,
        trust_roots=list(trust_roots),
        intermediates=list(intermediates),
        crls=list(crls),
        moment=moment,
    )
    name = name_from_certificate(cert)
    if not name:
        raise MalformedData("certificate names no organisation")
    return CertIdentity(
        ubn=ubn,
        name=name,
        serial=format(cert.serial_number, "X"),
        not_after=cert.not_valid_after_utc,
    )
