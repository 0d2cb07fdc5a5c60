"""httpx clients for the upstream model servers: per event loop and upstream origin, a free
list of clients with one connection each.

Why not one client with a large pool: httpcore 1.0.9's pool walks every connection (and polls
each idle socket) on every request and every release (encode/httpcore#1035), so with 64
concurrent streams one pooled client spent most of its CPU on bookkeeping and the throughput
fell by three quarters. A client taken from a free list has one connection, kept alive and
reused by the next request; the list grows to the peak concurrency. Clients share one TLS
context (building one per client costs milliseconds).

A kept-alive connection is dropped after ``KEEPALIVE_SECONDS`` idle, shorter than the 5 s after
which uvicorn-served model servers (vLLM's OpenAI server among them) close it: with equal
timeouts a request sent just as the server closes the connection fails ("server disconnected
without sending a response", a 502 to the client), which the benchmark's alternating rounds
met a few times in a thousand requests.

The connections run on asyncio's transports (``netio.AsyncioBackend``) instead of httpcore's
AnyIO backend: the same HTTP, a sixth less CPU per upstream request.

No Django here: the benchmark's bare relay (``bench/gateway/floor_app.py``) uses it as is.
"""

import asyncio
import functools
import weakref

import httpcore
import httpx

from .netio import AsyncioBackend

KEEPALIVE_SECONDS = 4.0


class _Transport(httpx.AsyncHTTPTransport):
    """httpx's own transport whose pool connects through ``AsyncioBackend``: httpx offers no
    argument for httpcore's ``network_backend``, so the pool is made again with it."""

    def __init__(self, ssl_context, limits: httpx.Limits):
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL: the key of the free lists."""
    return "/".join(url.split("/", 3)[:3])


@functools.lru_cache(maxsize=1)
def _tls_context():
    return httpx.create_ssl_context()


class UpstreamClients:
    """Free lists of one-connection clients, by origin."""

    def __init__(self):
        self._idle: dict[str, list[httpx.AsyncClient]] = {}

    def acquire(self, origin: str) -> httpx.AsyncClient:
        idle = self._idle.get(origin)
        if idle:
            return idle.pop()
        limits = httpx.Limits(
            max_connections=1, max_keepalive_connections=1, keepalive_expiry=KEEPALIVE_SECONDS
        )
        return httpx.AsyncClient(transport=_Transport(_tls_context(), limits), trust_env=False)

    def release(self, origin: str, client: httpx.AsyncClient):
        self._idle.setdefault(origin, []).append(client)


_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, UpstreamClients]" = (
    weakref.WeakKeyDictionary()
)


def upstream_clients() -> UpstreamClients:
    loop = asyncio.get_running_loop()
    clients = _clients.get(loop)
    if clients is None:
        clients = _clients[loop] = UpstreamClients()
    return clients
