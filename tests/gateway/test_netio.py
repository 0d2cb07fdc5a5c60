"""The upstream clients' network layer (``gateway.netio``): httpx over asyncio's transports,
against small HTTP servers on loopback — timeouts, refusals, large bodies both ways, a
kept-alive connection the server closed, TLS."""

import asyncio
import concurrent.futures
import datetime
import ipaddress
import ssl

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from aipower.gateway import clients, netio

pytestmark = pytest.mark.unit

LIMITS = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=30)


def client(ssl_context=None, timeout=5.0):
    context = ssl_context or ssl.create_default_context()
    return httpx.AsyncClient(
        transport=clients._Transport(context, LIMITS), trust_env=False, timeout=timeout
    )


async def read_request(reader) -> tuple[bytes, bytes]:
    """One HTTP/1.1 request: its head and its body (by Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _sep, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head, await reader.readexactly(length)


def response(body: bytes, extra=b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n" % (len(body), extra) + body


class Server:
    """An asyncio server on loopback running ``handler(reader, writer)`` per connection."""

    def __init__(self, handler, ssl_context=None):
        self.handler = handler
        self.ssl_context = ssl_context
        self.connections = 0

    async def __aenter__(self):
        async def serve(reader, writer):
            self.connections += 1
            try:
                await self.handler(reader, writer)
            finally:
                writer.close()

        self.server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=self.ssl_context)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()

    def url(self, scheme="http"):
        return f"{scheme}://127.0.0.1:{self.port}/v1/chat/completions"


def run(coroutine):
    """The scenario on an event loop of its own, in a thread: the browser tests keep a loop
    running in the main thread (Playwright's), where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def test_a_silent_upstream_times_out_as_httpx_says():
    async def silent(reader, writer):
        await read_request(reader)
        await reader.read()  # never answers

    async def scenario():
        async with Server(silent) as server, client(timeout=0.2) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.post(server.url(), json={})

    run(scenario())


def test_a_refused_connection_is_a_connect_error():
    async def scenario():
        async with Server(lambda reader, writer: asyncio.sleep(0)) as server:
            port = server.port
        async with client() as http:
            with pytest.raises(httpx.ConnectError):
                await http.post(f"http://127.0.0.1:{port}/v1/models", json={})

    run(scenario())


def test_large_bodies_pass_whole_both_ways():
    """A body several times the protocol's high-water mark each way: reading the socket pauses
    and resumes, the write waits for the transport to drain; nothing lost or reordered."""
    # More than the loopback socket's buffers hold, so the transport's buffer fills too.
    sent = bytes(range(256)) * (64 * netio.HIGH_WATER // 256 + 7)
    answer = bytes(reversed(sent[: 4 * netio.HIGH_WATER + 7]))
    received = []

    async def echo(reader, writer):
        _head, body = await read_request(reader)
        received.append(body)
        writer.write(response(answer))
        await writer.drain()

    async def scenario():
        async with Server(echo) as server, client() as http:
            chunks = []
            async with http.stream("POST", server.url(), content=sent) as reply:
                async for chunk in reply.aiter_raw():
                    chunks.append(chunk)
                    await asyncio.sleep(0)  # let the socket deliver more than is read
            return b"".join(chunks)

    assert run(scenario()) == answer
    assert received == [sent]


def test_a_kept_alive_connection_the_server_closed_is_not_reused():
    """The server answers, keeps the connection a while and then closes it (as uvicorn does
    after its keep-alive time): the next request opens a new one instead of failing on the
    dead one."""
    close = asyncio.Event()

    async def once(reader, writer):
        await read_request(reader)
        writer.write(response(b'{"ok": true}'))
        await writer.drain()
        await close.wait()

    async def scenario():
        async with Server(once) as server, client() as http:
            first = await http.post(server.url(), json={})
            [pooled] = http._transport._pool.connections
            stream = pooled._connection._network_stream
            assert not stream.get_extra_info("is_readable")
            close.set()
            for _ in range(1000):  # until the server's close has arrived (a few loop turns)
                if stream.get_extra_info("is_readable"):
                    break
                await asyncio.sleep(0)
            assert stream.get_extra_info("is_readable")
            second = await http.post(server.url(), json={})
            return first.json(), second.json(), server.connections

    assert run(scenario()) == ({"ok": True}, {"ok": True}, 2)


def test_a_kept_alive_connection_is_reused():
    async def keep(reader, writer):
        for _ in range(3):
            await read_request(reader)
            writer.write(response(b"{}"))
            await writer.drain()

    async def scenario():
        async with Server(keep) as server, client() as http:
            for _ in range(3):
                assert (await http.post(server.url(), json={})).status_code == 200
            return server.connections

    assert run(scenario()) == 1


def _self_signed():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, key_pem


def test_tls_upstream_is_verified_and_spoken_to(tmp_path):
    pem, key_pem = _self_signed()
    (tmp_path / "cert.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    trusting = ssl.create_default_context(cadata=pem.decode())

    async def hello(reader, writer):
        await read_request(reader)
        writer.write(response(b'{"tls": true}'))
        await writer.drain()

    async def scenario():
        async with Server(hello, server_context) as server:
            async with client(trusting) as http:
                answer = (await http.post(server.url("https"), json={})).json()
            async with client(ssl.create_default_context()) as stranger:
                with pytest.raises(httpx.ConnectError):
                    await stranger.post(server.url("https"), json={})
            return answer

    assert run(scenario()) == {"tls": True}
