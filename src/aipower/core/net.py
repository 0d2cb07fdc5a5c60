"""The client's address behind our reverse proxies, for the whole site (login throttles, the
audit log's source address) and the inference API (region blocking).

``TRUSTED_PROXIES`` (``AIPOWER_TRUSTED_PROXIES``: addresses or CIDR networks) names the proxies
in front of us. The address is the TCP peer, unless the peer is one of them; then it is the
right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy (what the edge
proxy saw). Forwarded headers from anyone else are ignored, so a client cannot choose its own
address."""

import functools
import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def normalise_address(value: str) -> str:
    """An address as iptocc and ipaddress expect it: no port, brackets or IPv4-mapped prefix."""
    value = (value or "").strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return value
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


@functools.lru_cache(maxsize=8)
def _networks(values):
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            logger.warning("TRUSTED_PROXIES: ignoring %r", value)
    return networks


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str | None) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the right-most
    address of X-Forwarded-For that is not itself a trusted proxy."""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    peer = normalise_address(peer)
    if not forwarded_for or not _trusted(peer, networks):
        return peer
    hops = [normalise_address(hop) for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


class ClientAddressMiddleware:
    """``REMOTE_ADDR`` becomes the client's address (``client_address``) before anything reads
    it: behind the proxy every request would otherwise come from the proxy, and one visitor's
    failed logins would throttle everyone's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        meta["REMOTE_ADDR"] = client_address(
            meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR")
        )
        return self.get_response(request)
