"""PostgreSQL from the event loop: the gateway's own asynchronous connections for its hot path.

Django's database layer is synchronous, so every statement the gateway ran through it cost a
thread hop (``sync_to_async``): the admission and the settlement each waited ~0.4–0.5 ms for a
worker thread on top of the statements themselves (`bench/README.md`, "Gateway"). On PostgreSQL
the hot statements (``gateway.hotpath``: admission with reservation, settlement) run instead on
psycopg's ``AsyncConnection``, in the server's event loop: no thread, no hop. Everything else
(the ORM, the rare paths) keeps Django's connection.

Per event loop, a free list of connections opened with Django's own connection parameters
(the same database, user, TLS options), in autocommit mode, every statement prepared on the
server with a generic plan. At most ``GATEWAY_DB_CONNECTIONS`` per loop (default 8): a request
beyond that waits for one. A connection that failed or was interrupted mid-statement is closed,
not reused, and when one is found broken the idle ones are closed too (after a database restart
they all are). The ASGI lifespan gives its loop the list (``start()``) and closes the idle
connections at shutdown (``close()``); a loop without it keeps Django's connection.

Why not ``psycopg_pool``: a further dependency whose pool runs background tasks (growing, health
checks, connection lifetimes) that this use does not need; the free list is a few lines. Worth
revisiting if connections should be recycled on a schedule.
"""

import asyncio
import contextlib
import weakref

import psycopg
from django.conf import settings
from django.db import connection

APPLICATION_NAME = "aipower-gateway"


def _parameters() -> dict:
    params = dict(connection.get_connection_params())
    # Django's cursor class and adapters are for its own connections; ours use psycopg's.
    params.pop("cursor_factory", None)
    params.pop("context", None)
    # Every statement on these connections is one of the hot three: prepare them at once.
    params["prepare_threshold"] = 0
    # Visible as such in pg_stat_activity (unless the database settings name the application).
    params.setdefault("application_name", APPLICATION_NAME)
    return params


class Connections:
    """The free list of one event loop."""

    def __init__(self, size: int):
        self._idle: list[psycopg.AsyncConnection] = []
        self._slots = asyncio.Semaphore(size)

    async def _open(self) -> psycopg.AsyncConnection:
        conn = await psycopg.AsyncConnection.connect(autocommit=True, **_parameters())
        # Plans are cached per connection; a generic plan skips re-planning with each value.
        await conn.execute("SET plan_cache_mode = force_generic_plan", prepare=False)
        return conn

    @contextlib.asynccontextmanager
    async def connection(self):
        async with self._slots:
            conn = self._idle.pop() if self._idle else await self._open()
            reusable = False
            try:
                yield conn
                reusable = True
            except psycopg.Error:
                # A statement failed; the connection is fine unless the failure was its own.
                reusable = not conn.broken
                if not reusable:
                    # The server went away (a restart, a failover): the idle ones went with it.
                    await self.close()
                raise
            finally:
                idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                if reusable and idle and not conn.closed:
                    self._idle.append(conn)
                else:
                    # Interrupted mid-statement (a cancellation) or broken: never reused.
                    await conn.close()

    async def close(self):
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


_loops: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Connections]" = (
    weakref.WeakKeyDictionary()
)


def enabled() -> bool:
    """Whether the hot path runs on the current loop's own connections: in a loop that
    ``start()`` prepared (a server's, from its lifespan) on PostgreSQL. Elsewhere — SQLite, or
    a short-lived loop such as the one ``async_to_sync`` makes for each WSGI request — it runs
    on Django's connection in a worker thread."""
    return asyncio.get_running_loop() in _loops


def connections() -> Connections:
    return _loops[asyncio.get_running_loop()]


def start():
    """Give the current loop its connections (the ASGI lifespan's startup), on PostgreSQL."""
    loop = asyncio.get_running_loop()
    if connection.vendor == "postgresql" and loop not in _loops:
        _loops[loop] = Connections(settings.GATEWAY_DB_CONNECTIONS)


async def close():
    """Close the current loop's idle connections (the lifespan's shutdown)."""
    pool = _loops.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()
