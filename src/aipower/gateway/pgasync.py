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

Statements from concurrent requests are grouped (``Batch``): while one group runs, the
statements that arrive wait for it and then run together, pipelined as one implicit transaction:
one round trip and one commit for many requests (group commit). Under light load every group
holds one statement and runs exactly as before; under heavy load the groups grow, and the
database's and this process's CPU per request fall by a third or more (`bench/README.md`,
"Session 7"). Each statement keeps its own conditions: admissions for the same allowance run one
after the other in the group's transaction, each seeing the reservations of the ones before it,
so the hard cap is judged exactly as when they ran alone. If any statement of a group fails, the
transaction is rolled back and each statement of the group runs again on its own, so that each
caller gets its own result or error. ``GATEWAY_DB_BATCH`` bounds a group (1: no grouping).

Why not ``psycopg_pool``: a further dependency whose pool runs background tasks (growing, health
checks, connection lifetimes) that this use does not need; the free list is a few lines. Worth
revisiting if connections should be recycled on a schedule.
"""

import asyncio
import contextlib
import dataclasses
import typing
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
    """The free list of one event loop, and its groups of statements (``batch``)."""

    def __init__(self, size: int, batch_size: int = 1):
        self._idle: list[psycopg.AsyncConnection] = []
        self._slots = asyncio.Semaphore(size)
        self.batch_size = batch_size
        self._batches: dict[str, Batch] = {}

    def batch(self, statement: str, returning: bool = False) -> "Batch":
        """The group of ``statement`` (which returns one row, or none) on this loop."""
        batch = self._batches.get(statement)
        if batch is None:
            batch = Batch(self, statement, self.batch_size, returning=returning)
            self._batches[statement] = batch
        return batch

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


@dataclasses.dataclass
class _Item:
    params: dict
    order: tuple
    future: asyncio.Future
    on_orphan: typing.Callable | None = None


class Batch:
    """One statement's queue on one loop: ``run(params)`` returns the statement's row (None if
    it returns none, or ``returning`` is false), having run it together with the calls that
    arrived while the previous group ran.

    At most one group of a statement runs at a time on a loop, on one connection, with at most
    ``size`` statements, ordered by the callers' ``order`` keys (the allowance's id: groups in
    different processes then lock allowance rows in the same order and cannot deadlock). A group
    of one runs as a plain statement in autocommit mode, exactly as without grouping. A caller
    cancelled before its group started is left out; one cancelled while its group ran still has
    its statement executed — its ``on_orphan(row)``, if given, is called with the row it would
    have got (the admission releases the reservation nobody will use).
    """

    def __init__(self, connections: Connections, statement: str, size: int, returning=False):
        self._connections = connections
        self._statement = statement
        self._returning = returning
        self._size = max(1, size)
        self._queue: list[_Item] = []
        self._running = False
        # How many groups, and statements in them, have run (tests read them).
        self.groups = 0
        self.statements = 0

    @property
    def queued(self) -> int:
        """Statements waiting for the next group."""
        return len(self._queue)

    async def run(self, params: dict, order: tuple = (), on_orphan=None):
        item = _Item(params, order, asyncio.get_running_loop().create_future(), on_orphan)
        self._queue.append(item)
        if not self._running:
            self._running = True
            keep(asyncio.ensure_future(self._drain()))
        return await item.future

    async def _drain(self):
        try:
            while self._queue:
                items = [item for item in self._queue[: self._size] if not item.future.done()]
                del self._queue[: self._size]
                if not items:
                    continue
                try:
                    await self._run_group(sorted(items, key=lambda item: item.order))
                except Exception as error:
                    # Not a statement's error (its caller gets that): no caller waits forever.
                    for item in items:
                        if not item.future.done():
                            item.future.set_exception(error)
                except BaseException:
                    # The loop is going away.
                    for item in items:
                        item.future.cancel()
                    raise
        finally:
            self._running = False

    async def _run_group(self, items: list[_Item]):
        self.groups += 1
        self.statements += len(items)
        if len(items) > 1:
            try:
                rows = await self._together(items)
            except psycopg.Error:
                # Rolled back as a whole: each statement again, alone, for its own outcome.
                pass
            else:
                for item, row in zip(items, rows, strict=True):
                    self._deliver(item, row)
                return
        for item in items:
            try:
                row = await self._alone(item)
            except Exception as error:  # the caller's to handle, as without grouping
                if not item.future.done():
                    item.future.set_exception(error)
                continue
            self._deliver(item, row)

    def _deliver(self, item: _Item, row):
        if not item.future.done():
            item.future.set_result(row)
        elif item.on_orphan is not None:
            item.on_orphan(row)

    async def _alone(self, item: _Item):
        async with self._connections.connection() as conn:
            cursor = await conn.execute(self._statement, item.params)
            return await cursor.fetchone() if self._returning else None

    async def _together(self, items: list[_Item]):
        # One pipeline ending in one Sync: on a connection in autocommit mode PostgreSQL runs
        # the statements as one implicit transaction (one commit; any error rolls back all).
        # ``executemany`` costs this process a third less per statement than ``execute``s in
        # a ``pipeline()`` block, and needs no BEGIN and COMMIT round trips.
        async with self._connections.connection() as conn:
            cursor = conn.cursor()
            params = [item.params for item in items]
            await cursor.executemany(self._statement, params, returning=self._returning)
            if not self._returning:
                return [None] * len(items)
            rows = [await cursor.fetchone()]
            while cursor.nextset():
                rows.append(await cursor.fetchone())
            return rows


# Tasks that must run to their end even if nothing awaits them (the groups' drains).
_running_tasks: set[asyncio.Task] = set()


def keep(task: asyncio.Task) -> asyncio.Task:
    _running_tasks.add(task)
    task.add_done_callback(_running_tasks.discard)
    return task


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
        _loops[loop] = Connections(settings.GATEWAY_DB_CONNECTIONS, settings.GATEWAY_DB_BATCH)


async def close():
    """Close the current loop's idle connections (the lifespan's shutdown)."""
    pool = _loops.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()
