"""The development CA: created once, loaded afterwards, certificates shaped like MOEACA's."""

import stat

import pytest
from asn1crypto import core
from cryptography import x509
from cryptography.x509.oid import NameOID

from aipower.accounts.pki import SubjectDirectoryAttributes
from aipower.devtools import devca

pytestmark = pytest.mark.unit


def test_ensure_dev_ca_creates_files_once(tmp_path):
    first = devca.ensure_dev_ca(tmp_path)
    second = devca.ensure_dev_ca(tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "issuing-key.pem",
        "issuing.crl",
        "issuing.pem",
        "root-key.pem",
        "root.crl",
        "root.pem",
    ]
    assert first.root_cert == second.root_cert
    assert first.issuing_cert == second.issuing_cert
    assert stat.S_IMODE((tmp_path / "root-key.pem").stat().st_mode) == 0o600


def test_ensure_dev_ca_defaults_to_settings_directory(settings, tmp_path):
    settings.DEVCA_DIR = tmp_path / "devca"

    ca = devca.ensure_dev_ca()

    assert ca.root_path == tmp_path / "devca" / "root.pem"
    assert ca.root_path.exists()


def test_issuing_ca_is_signed_by_the_root(tmp_path):
    ca = devca.ensure_dev_ca(tmp_path)

    ca.issuing_cert.verify_directly_issued_by(ca.root_cert)
    constraints = ca.issuing_cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca is True
    assert constraints.value.path_length == 0


def test_issue_certificate_is_shaped_like_a_moeaca_business_certificate(tmp_path):
    ca = devca.ensure_dev_ca(tmp_path)
    key = devca.new_key()

    cert = devca.issue_certificate(
        ca, key.public_key(), name="晴空智能股份有限公司", ubn="84700087"
    )

    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "TW"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        "晴空智能股份有限公司"
    )
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "84700087"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert usage.value.content_commitment
    assert not usage.value.key_encipherment
    sda = cert.extensions.get_extension_for_oid(devca.SUBJECT_DIRECTORY_ATTRIBUTES_OID)
    attribute = SubjectDirectoryAttributes.load(sda.value.value)[0]
    assert attribute["type"].dotted == "2.16.886.1.100.2.101"
    assert core.load(attribute["values"][0].dump()).native == "84700087"
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 730
    cert.verify_directly_issued_by(ca.issuing_cert)


def test_write_crls_lists_revoked_serials(tmp_path):
    ca = devca.ensure_dev_ca(tmp_path)

    root_crl, issuing_crl = devca.write_crls(ca, [1234, 5678])

    crl = x509.load_der_x509_crl(issuing_crl.read_bytes())
    assert sorted(entry.serial_number for entry in crl) == [1234, 5678]
    assert crl.is_signature_valid(ca.issuing_cert.public_key())
    assert list(x509.load_der_x509_crl(root_crl.read_bytes())) == []
