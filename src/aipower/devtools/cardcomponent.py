"""The development card component: plays the HiCOS cross-platform card component on loopback.

It speaks the protocol the login and environment-check pages use with the real component (see
``devtools/README.md``), holds the development cards (``cards.list_cards()``, each in its own
reader) and checks their PIN. Only for development and tests; it listens on loopback only.

    component = CardComponent("127.0.0.1", 61161).start()
    ...
    component.stop()
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import cards as card_store

logger = logging.getLogger("aipower.devtools.cardcomponent")

COMPONENT_VERSION = "1.3.4-dev"
SERVICE_VERSION = "1.0.0-dev"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

# HiCOS-style return codes (``ret_code``) and PKCS#11 return values (``last_error``).
RET_OK = 0
RET_NO_CARD = 0x76000006
RET_LOGIN_FAILED = 0x76000007
RET_BAD_JSON = 0x7600000B
RET_BAD_PARAMETER = 0x7600000C
RET_FORBIDDEN_ORIGIN = 0x7600000F
CKR_OK = 0
CKR_ARGUMENTS_BAD = 0x07
CKR_PIN_INCORRECT = 0xA0
CKR_TOKEN_NOT_PRESENT = 0xE0

HASHES = {"SHA256", "SHA-256"}
STATIC_DIR = Path(__file__).resolve().parent / "popup"
POPUP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def reader_description(index: int, card) -> str:
    return f"AI Power 開發用讀卡機 {index}（{card.name} {card.ubn}）"


def is_loopback_origin(origin: str) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and (parts.hostname or "") in LOOPBACK_HOSTS


class CardComponent:
    """A ThreadingHTTPServer on ``host:port`` (port 0: any free port) serving the protocol.

    ``allowed_origins``: the web pages that may use it (CORS and signing); None means any
    loopback origin, which is what development needs.
    """

    def __init__(self, host="127.0.0.1", port=61161, *, directory=None, allowed_origins=None):
        if host not in LOOPBACK_HOSTS:
            raise ValueError("the development card component listens on loopback only")
        self.host = host
        self.port = port
        self.directory = directory
        self.allowed_origins = set(allowed_origins) if allowed_origins is not None else None
        self.server = None
        self.thread = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def allows(self, origin: str | None) -> bool:
        if not origin:
            return False
        if self.allowed_origins is None:
            return is_loopback_origin(origin)
        return origin in self.allowed_origins

    def is_own_origin(self, origin: str | None) -> bool:
        if not origin:
            return False
        parts = urlsplit(origin)
        return (parts.hostname or "") in LOOPBACK_HOSTS and parts.port == self.port

    def cards(self):
        return card_store.list_cards(self.directory)

    def start(self) -> CardComponent:
        handler = type("BoundHandler", (ComponentHandler,), {"component": self})
        self.server = ThreadingHTTPServer((self.host, self.port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="dev-card-component", daemon=True
        )
        self.thread.start()
        logger.info("development card component on %s", self.origin)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None

    # --- the protocol ---------------------------------------------------------------------

    def pkcs11info(self, with_certs: bool) -> dict:
        slots = []
        for index, card in enumerate(self.cards(), start=1):
            token = {
                "label": "HiCOS PKI Smart Card",
                "manufacturerID": "AI Power (development)",
                "model": "DEV-MOEACA",
                "serialNumber": card.serial,
            }
            if with_certs:
                cert = card.certificate()
                token["certs"] = [
                    {
                        "certb64": card.certificate_b64(),
                        "subjectDN": cert.subject.rfc4514_string(),
                        "serialNumber": format(cert.serial_number, "x"),
                        "notAfter": cert.not_valid_after_utc.strftime("%Y%m%d%H%M%S"),
                        "usage": "digitalSignature",
                    }
                ]
            slots.append({"slotDescription": reader_description(index, card), "token": token})
        return {"func": "pkcs11info", "ret_code": RET_OK, "last_error": CKR_OK, "slots": slots}

    def version(self) -> dict:
        return {
            "func": "version",
            "ret_code": RET_OK,
            "last_error": CKR_OK,
            "name": "AI Power development card component",
            "componentVersion": COMPONENT_VERSION,
            "serviceVersion": SERVICE_VERSION,
        }

    def select_card(self, package: dict):
        """The card to sign with: ``cardSN``, else ``slotDescription``, else the first card."""
        cards = self.cards()
        wanted_serial = package.get("cardSN")
        wanted_slot = package.get("slotDescription")
        for index, card in enumerate(cards, start=1):
            if wanted_serial and card.serial == wanted_serial:
                return card
            if wanted_slot and reader_description(index, card) == wanted_slot:
                return card
        if wanted_serial or wanted_slot:
            return None
        return cards[0] if cards else None

    def make_signature(self, package, origin: str | None) -> dict:
        def refuse(ret_code, last_error):
            return {"func": "sign", "ret_code": ret_code, "last_error": last_error}

        if not self.allows(origin):
            return refuse(RET_FORBIDDEN_ORIGIN, CKR_ARGUMENTS_BAD)
        if not isinstance(package, dict):
            return refuse(RET_BAD_JSON, CKR_ARGUMENTS_BAD)
        if (
            package.get("func") != "MakeSignature"
            or package.get("signatureType", "PKCS7") != "PKCS7"
            or str(package.get("hashAlgorithm", "SHA256")).upper() not in HASHES
            or not isinstance(package.get("tbs"), str)
            or not isinstance(package.get("pin"), str)
        ):
            return refuse(RET_BAD_PARAMETER, CKR_ARGUMENTS_BAD)
        tbs = unquote(package["tbs"])
        encoding = str(package.get("tbsEncoding", "NONE")).upper()
        try:
            data = base64.b64decode(tbs, validate=True) if encoding == "BASE64" else tbs.encode()
        except (binascii.Error, ValueError):
            return refuse(RET_BAD_PARAMETER, CKR_ARGUMENTS_BAD)
        card = self.select_card(package)
        if card is None:
            return refuse(RET_NO_CARD, CKR_TOKEN_NOT_PRESENT)
        if not card.check_pin(unquote(package["pin"])):
            logger.info("wrong PIN for development card %s", card.serial)
            return refuse(RET_LOGIN_FAILED, CKR_PIN_INCORRECT)
        signature = card_store.sign(card, data)
        result = {
            "func": "sign",
            "ret_code": RET_OK,
            "last_error": CKR_OK,
            "signature": base64.b64encode(signature).decode("ascii"),
            "certb64": card.certificate_b64(),
        }
        if str(package.get("withCardSN", "")).lower() == "true":
            result["cardSN"] = card.serial
        return result


class ComponentHandler(BaseHTTPRequestHandler):
    component: CardComponent
    server_version = "AIPowerDevCardComponent/" + SERVICE_VERSION
    MAX_BODY = 64 * 1024

    def log_message(self, format, *args):
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status, body: bytes, content_type: str, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _cors(self) -> dict:
        origin = self.headers.get("Origin")
        headers = {"Vary": "Origin"}
        if self.component.allows(origin):
            headers["Access-Control-Allow-Origin"] = origin
        return headers

    def _json(self, payload, status=HTTPStatus.OK, extra=None):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", extra)

    def _static(self, name, content_type):
        body = (STATIC_DIR / name).read_bytes()
        self._send(HTTPStatus.OK, body, content_type, {"Content-Security-Policy": POPUP_CSP})

    def do_OPTIONS(self):
        headers = self._cors()
        headers.update(
            {
                "Access-Control-Allow-Methods": "GET",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Allow-Private-Network": "true",
                "Access-Control-Max-Age": "600",
            }
        )
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", headers)

    def do_GET(self):
        path = urlsplit(self.path)
        if path.path == "/popupForm":
            self._static("popupForm.html", "text/html; charset=utf-8")
        elif path.path == "/popupForm.js":
            self._static("popupForm.js", "text/javascript; charset=utf-8")
        elif path.path == "/popupForm.css":
            self._static("popupForm.css", "text/css; charset=utf-8")
        elif path.path == "/pkcs11info":
            with_certs = "withcert=true" in (path.query or "").lower()
            self._json(self.component.pkcs11info(with_certs), extra=self._cors())
        elif path.path == "/version":
            self._json(self.component.version(), extra=self._cors())
        else:
            self._json({"ret_code": RET_BAD_PARAMETER}, HTTPStatus.NOT_FOUND)

    def do_POST(self):
        if urlsplit(self.path).path != "/sign":
            self._json({"ret_code": RET_BAD_PARAMETER}, HTTPStatus.NOT_FOUND)
            return
        # Only the component's own popup may ask for a signature (no other page can post PINs).
        if not self.component.is_own_origin(self.headers.get("Origin")):
            self._json({"func": "sign", "ret_code": RET_FORBIDDEN_ORIGIN}, HTTPStatus.FORBIDDEN)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.MAX_BODY:
            self._json({"func": "sign", "ret_code": RET_BAD_PARAMETER}, HTTPStatus.BAD_REQUEST)
            return
        try:
            request = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, UnicodeDecodeError):
            request = None
        if not isinstance(request, dict):
            self._json({"func": "sign", "ret_code": RET_BAD_JSON, "last_error": CKR_ARGUMENTS_BAD})
            return
        package = request.get("tbsPackage")
        if isinstance(package, str):
            try:
                package = json.loads(package)
            except ValueError:
                package = None
        self._json(self.component.make_signature(package, request.get("origin")))
