"""The upstream connections' network layer: an httpcore network backend on asyncio's own
transports and protocols.

httpx sends each request through httpcore, whose default backend on asyncio is AnyIO's: every
read and write of a connection goes through AnyIO's stream objects, a cancel scope for its
timeout and an exception map. On the gateway's hot path — one upstream request per API request,
a streamed answer read in several reads — that layer cost about 100–150 µs of CPU a request,
a sixth of what the whole httpx call costs (`bench/README.md`, "Session 11"). This backend is
httpcore's documented plug-in point (``AsyncConnectionPool(network_backend=...)``) filled with
what asyncio already does: a protocol that buffers what the socket delivers, a read that
returns from the buffer or waits for the next delivery (with a timer for the timeout), a write
that hands the bytes to the transport. httpx and httpcore do everything else as before: HTTP
parsing, the pool, keep-alive, TLS settings, the exceptions the gateway maps to 502 and 504.

Flow control both ways: the protocol stops reading the socket when more than ``HIGH_WATER``
bytes wait unread (a fast upstream, a slow relay), and resumes once the buffer is drained below
a quarter of it; a write waits while the transport's own buffer is above its high-water mark
(``drain``), so a large request body never piles up in memory.
"""

import asyncio
import ssl
import typing

import httpcore
from httpcore import ConnectError, ConnectTimeout, ReadError, ReadTimeout, WriteError, WriteTimeout

# Bytes received and not yet read by httpcore before the protocol stops reading the socket.
HIGH_WATER = 256 * 1024


def _expire(waiter: asyncio.Future):
    if not waiter.done():
        waiter.set_exception(TimeoutError())


async def _wait(waiter: asyncio.Future, timeout: float | None):
    """Await ``waiter``, failing with TimeoutError after ``timeout`` seconds (None: never)."""
    if timeout is None:
        await waiter
        return
    handle = asyncio.get_running_loop().call_later(timeout, _expire, waiter)
    try:
        await waiter
    finally:
        handle.cancel()


class _Protocol(asyncio.Protocol):
    """One connection's buffer of received bytes, its end, and the transport's write pauses."""

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self._read_waiter: asyncio.Future | None = None
        self._drain_waiter: asyncio.Future | None = None

    # asyncio's callbacks

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if len(self.buffer) > HIGH_WATER and not self.reading_paused:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self):
        self.eof = True
        self._wake_reader()
        return False  # close the transport: HTTP/1.1 never half-closes

    def connection_lost(self, exc):
        self.eof = True
        self.error = exc
        self._wake_reader()
        self._wake_writer()

    def pause_writing(self):
        self.writing_paused = True

    def resume_writing(self):
        self.writing_paused = False
        self._wake_writer()

    # What the stream waits for

    def read_waiter(self) -> asyncio.Future:
        self._read_waiter = asyncio.get_running_loop().create_future()
        return self._read_waiter

    def drain_waiter(self) -> asyncio.Future:
        self._drain_waiter = asyncio.get_running_loop().create_future()
        return self._drain_waiter

    def _wake_reader(self):
        waiter, self._read_waiter = self._read_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_writer(self):
        waiter, self._drain_waiter = self._drain_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def take(self, max_bytes: int) -> bytes:
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if self.reading_paused and len(self.buffer) < HIGH_WATER // 4:
            self.reading_paused = False
            self.transport.resume_reading()
        return data


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, transport: asyncio.Transport, protocol: _Protocol):
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.buffer and not protocol.eof:
            try:
                await _wait(protocol.read_waiter(), timeout)
            except TimeoutError:
                raise ReadTimeout("timed out reading from the upstream") from None
        if protocol.buffer:
            return protocol.take(max_bytes)
        if protocol.error is not None:
            raise ReadError(str(protocol.error) or type(protocol.error).__name__)
        return b""  # the server closed the connection: httpcore says so

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if self._transport.is_closing() or protocol.error is not None:
            raise WriteError("the upstream connection is closed")
        self._transport.write(buffer)
        if protocol.writing_paused:
            try:
                await _wait(protocol.drain_waiter(), timeout)
            except TimeoutError:
                raise WriteTimeout("timed out writing to the upstream") from None
            if protocol.error is not None:
                raise WriteError(str(protocol.error) or type(protocol.error).__name__)

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.close()
            raise ConnectTimeout("timed out in the TLS handshake with the upstream") from None
        except (OSError, ssl.SSLError) as error:
            self._transport.close()
            raise ConnectError(str(error)) from error
        self._protocol.transport = transport
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            # httpcore asks before reusing an idle kept-alive connection. The protocol reads
            # the socket itself, so "readable" is what arrived while idle: bytes, the end, an
            # error — the server closed the connection.
            return bool(self._protocol.buffer) or self._protocol.eof
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        return self._transport.get_extra_info(names[info]) if info in names else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _Protocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                )
        except TimeoutError:
            raise ConnectTimeout("timed out connecting to the upstream") from None
        except OSError as error:
            raise ConnectError(str(error) or type(error).__name__) from error
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(transport, protocol)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise ConnectError("the gateway's upstreams are reached over TCP")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
