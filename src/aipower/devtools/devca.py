"""The development certificate authority: a root CA and an issuing CA shaped like MOEACA's.

Development and tests cannot use real business-certificate cards, so the development card
component signs with keys whose certificates this CA issues. ``ensure_dev_ca()`` creates the CA
once in ``settings.DEVCA_DIR`` (or a given directory) and loads it afterwards:

- ``root.pem`` / ``root-key.pem``: the root (the trust anchor of development settings),
- ``issuing.pem`` / ``issuing-key.pem``: the issuing CA (the intermediate, like MOEACA under GRCA),
- ``issuing.crl`` / ``root.crl``: certificate revocation lists (DER), written by ``write_crls``.

``issue_certificate`` makes end-entity certificates shaped like MOEACA's business certificates:
``C=TW, O=<company name>, serialNumber=<統一編號>`` plus the Subject Directory Attributes
extension carrying the 統一編號 under OID 2.16.886.1.100.2.101. Tests use its options to make
certificates that must be refused (no 統一編號, wrong key usage, expired, ...).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from aipower.accounts.pki import (
    SUBJECT_DIRECTORY_ATTRIBUTES_OID,
    UBN_ATTRIBUTE_OID,
    SDAttribute,
    SubjectDirectoryAttributes,
)

ROOT_NAME = "AI Power Development Root CA"
ISSUING_NAME = "AI Power Development MOEACA"
CRL_BASE_URL = "http://devca.aipower.invalid/"
SIGNING_USAGES = ("digital_signature", "content_commitment")
CARD_VALIDITY = dt.timedelta(days=730)


@dataclass(frozen=True)
class DevCA:
    directory: Path
    root_cert: x509.Certificate
    root_key: rsa.RSAPrivateKey
    issuing_cert: x509.Certificate
    issuing_key: rsa.RSAPrivateKey

    @property
    def root_path(self) -> Path:
        return self.directory / "root.pem"

    @property
    def issuing_path(self) -> Path:
        return self.directory / "issuing.pem"

    @property
    def crl_paths(self) -> list[Path]:
        return [self.directory / "root.crl", self.directory / "issuing.crl"]


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.DEVCA_DIR)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def write_private(path: Path, data: bytes) -> None:
    """Write a key file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca_name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AI Power (development only)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _distribution_point(name: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(CRL_BASE_URL + name)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def _ca_certificate(subject, key, issuer, issuer_key, *, path_length, not_before, not_after):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_key is not key:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        ).add_extension(_distribution_point("root.crl"), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def create_dev_ca(directory: Path) -> DevCA:
    """Create a fresh root and issuing CA in ``directory`` (overwriting what is there)."""
    directory.mkdir(parents=True, exist_ok=True)
    start = now() - dt.timedelta(days=1)
    root_key = new_key()
    root_subject = _ca_name(ROOT_NAME)
    root = _ca_certificate(
        root_subject,
        root_key,
        root_subject,
        root_key,
        path_length=1,
        not_before=start,
        not_after=start + dt.timedelta(days=3650),
    )
    issuing_key = new_key()
    issuing = _ca_certificate(
        _ca_name(ISSUING_NAME),
        issuing_key,
        root_subject,
        root_key,
        path_length=0,
        not_before=start,
        not_after=start + dt.timedelta(days=3650),
    )
    write_private(directory / "root-key.pem", key_pem(root_key))
    write_private(directory / "issuing-key.pem", key_pem(issuing_key))
    (directory / "issuing.pem").write_bytes(cert_pem(issuing))
    # root.pem last: its presence marks a complete CA.
    (directory / "root.pem").write_bytes(cert_pem(root))
    ca = DevCA(directory, root, root_key, issuing, issuing_key)
    write_crls(ca)
    return ca


def load_dev_ca(directory: Path) -> DevCA:
    def load_key(name):
        return serialization.load_pem_private_key((directory / name).read_bytes(), password=None)

    def load_cert(name):
        return x509.load_pem_x509_certificate((directory / name).read_bytes())

    return DevCA(
        directory,
        load_cert("root.pem"),
        load_key("root-key.pem"),
        load_cert("issuing.pem"),
        load_key("issuing-key.pem"),
    )


def ensure_dev_ca(directory: Path | str | None = None) -> DevCA:
    """Load the development CA from ``directory`` (default settings.DEVCA_DIR), creating it once."""
    directory = Path(directory) if directory is not None else default_directory()
    if (directory / "root.pem").exists():
        return load_dev_ca(directory)
    return create_dev_ca(directory)


def subject_directory_attributes(ubn: str) -> bytes:
    """DER of the Subject Directory Attributes extension value carrying the 統一編號."""
    value = core.PrintableString(ubn)
    attributes = SubjectDirectoryAttributes(
        [SDAttribute({"type": UBN_ATTRIBUTE_OID, "values": [core.Any.load(value.dump())]})]
    )
    return attributes.dump()


def issue_certificate(
    ca: DevCA,
    public_key,
    *,
    name: str,
    ubn: str | None,
    serial_in_subject: bool = True,
    sda: bool = True,
    usages=SIGNING_USAGES,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    issuer_cert: x509.Certificate | None = None,
    issuer_key=None,
) -> x509.Certificate:
    """Issue an end-entity certificate shaped like a MOEACA business certificate."""
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
    ]
    if ubn and serial_in_subject:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, ubn))
    not_before = not_before or now() - dt.timedelta(minutes=5)
    not_after = not_after or not_before + CARD_VALIDITY
    issuer_cert = issuer_cert or ca.issuing_cert
    issuer_key = issuer_key or ca.issuing_key
    flags = {
        flag: flag in usages
        for flag in (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
        )
    }
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(issuer_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                **flags,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .add_extension(_distribution_point("issuing.crl"), critical=False)
    )
    if ubn and sda:
        builder = builder.add_extension(
            x509.UnrecognizedExtension(
                SUBJECT_DIRECTORY_ATTRIBUTES_OID, subject_directory_attributes(ubn)
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _crl(issuer_cert, issuer_key, revoked_serials) -> bytes:
    moment = now() - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(moment)
        .next_update(moment + dt.timedelta(days=7))
        .add_extension(x509.CRLNumber(int(moment.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(moment).build()
        )
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def write_crls(ca: DevCA, revoked_serials=()) -> list[Path]:
    """Write the root's CRL (nothing revoked) and the issuing CA's CRL revoking the serials.

    Returns both paths (root first), ready for ``CERT_CRLS``.
    """
    root_crl, issuing_crl = ca.crl_paths
    root_crl.write_bytes(_crl(ca.root_cert, ca.root_key, ()))
    issuing_crl.write_bytes(_crl(ca.issuing_cert, ca.issuing_key, revoked_serials))
    return [root_crl, issuing_crl]
