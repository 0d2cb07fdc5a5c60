"""Development business-certificate cards: a key and certificate per demo company, with a PIN.

A "card" lives in ``<DEVCA_DIR>/cards/<統一編號>/``: ``key.pem`` (the card's private key, which a
real card never lets out), ``cert.pem`` (its certificate from the development CA) and
``card.json`` (company name, card serial number, PIN hash, issue time). The development card
component (``cardcomponent``) presents each card in its own reader.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from . import devca

DEMO_PIN = "123456"
DEMO_COMPANIES = (
    ("84700087", "晴空智能股份有限公司"),
    ("52880483", "山嵐資訊有限公司"),
    ("48552728", "北港軟體股份有限公司"),
    ("75888073", "北港軟體股份有限公司台中分公司"),
    ("96865468", "木棉精密工業股份有限公司"),
)


@dataclass(frozen=True)
class Card:
    ubn: str
    name: str
    serial: str
    directory: Path
    issued_at: str
    pin_salt: str
    pin_hash: str

    @property
    def cert_path(self) -> Path:
        return self.directory / "cert.pem"

    @property
    def key_path(self) -> Path:
        return self.directory / "key.pem"

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    def certificate_b64(self) -> str:
        der = self.certificate().public_bytes(serialization.Encoding.DER)
        return base64.b64encode(der).decode("ascii")

    def private_key(self):
        return serialization.load_pem_private_key(self.key_path.read_bytes(), password=None)

    def check_pin(self, pin: str) -> bool:
        return hmac.compare_digest(_pin_hash(pin, self.pin_salt), self.pin_hash)


def card_serial(ubn: str) -> str:
    """The card's serial number, derived from the 統一編號: ``MT`` + 14 digits."""
    return f"MT{int(ubn):014d}"


def _pin_hash(pin: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt.encode("ascii"), 10_000).hex()


def _cards_dir(directory) -> Path:
    base = Path(directory) if directory is not None else devca.default_directory()
    return base / "cards"


def _load(path: Path) -> Card | None:
    try:
        meta = json.loads((path / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Card(
        ubn=meta["ubn"],
        name=meta["name"],
        serial=meta["serial"],
        directory=path,
        issued_at=meta["issued_at"],
        pin_salt=meta["pin_salt"],
        pin_hash=meta["pin_hash"],
    )


def _still_good(card: Card, ca: devca.DevCA, name: str, pin: str) -> bool:
    if card.name != name or not card.check_pin(pin):
        return False
    try:
        cert = card.certificate()
    except (OSError, ValueError):
        return False
    try:
        cert.verify_directly_issued_by(ca.issuing_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return cert.not_valid_after_utc > devca.now() + dt.timedelta(days=30)


def issue_card(ubn: str, name: str, *, pin: str = DEMO_PIN, directory=None) -> Card:
    """Issue (or keep) the development card of a company. Idempotent for the same ubn, name, PIN.

    A card is re-issued when the name or PIN changed, its certificate nears expiry, or the
    development CA was re-created.
    """
    ca = devca.ensure_dev_ca(directory)
    path = _cards_dir(ca.directory) / ubn
    existing = _load(path)
    if existing is not None and _still_good(existing, ca, name, pin):
        return existing
    key = devca.new_key()
    cert = devca.issue_certificate(ca, key.public_key(), name=name, ubn=ubn)
    devca.write_private(path / "key.pem", devca.key_pem(key))
    (path / "cert.pem").write_bytes(devca.cert_pem(cert))
    salt = secrets.token_hex(8)
    meta = {
        "ubn": ubn,
        "name": name,
        "serial": card_serial(ubn),
        "issued_at": (
            existing.issued_at
            if existing is not None
            else devca.now().isoformat(timespec="microseconds")
        ),
        "pin_salt": salt,
        "pin_hash": _pin_hash(pin, salt),
    }
    (path / "card.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return _load(path)


def list_cards(directory=None) -> list[Card]:
    """Every issued card, in the order they were first issued (the readers' order)."""
    base = _cards_dir(directory)
    if not base.is_dir():
        return []
    cards = [card for card in (_load(path) for path in base.iterdir()) if card is not None]
    return sorted(cards, key=lambda card: (card.issued_at, card.ubn))


def issue_demo_cards(directory=None) -> list[Card]:
    """Issue the five demo companies' cards (PIN 123456), idempotently."""
    return [issue_card(ubn, name, directory=directory) for ubn, name in DEMO_COMPANIES]


def sign_data(cert, key, data: bytes, *, extra_certs=(), detached: bool = False) -> bytes:
    """A CMS SignedData (PKCS#7, DER, SHA-256, with signed attributes) over ``data``."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
    for extra in extra_certs:
        builder = builder.add_certificate(extra)
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    return builder.sign(serialization.Encoding.DER, options)


def sign(card: Card, data: bytes, *, detached: bool = False, with_chain: bool = True) -> bytes:
    """Sign ``data`` with the card's key as the card would, including the issuing CA."""
    extra = ()
    if with_chain:
        issuing = card.directory.parent.parent / "issuing.pem"
        extra = (x509.load_pem_x509_certificate(issuing.read_bytes()),)
    return sign_data(
        card.certificate(), card.private_key(), data, extra_certs=extra, detached=detached
    )
