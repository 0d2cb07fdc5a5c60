"""The event loop's own PostgreSQL connections (``gateway.pgasync``): reuse, failure, the cap,
and a server (whose lifespan starts them) running its hot path on them."""

import asyncio

import httpx
import psycopg
import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from psycopg import sql

from aipower.gateway import pgasync

from .conftest import in_own_thread

pytestmark = pytest.mark.integration

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loop's own connections are PostgreSQL's"
)


def run(coroutine_function):
    """Run ``coroutine_function()`` in a fresh loop that has its connections, then close them."""

    async def main():
        pgasync.start()
        try:
            return await coroutine_function()
        finally:
            await pgasync.close()

    return in_own_thread(asyncio.run, main())


def _connection_params():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return params


async def backend_pid(conn):
    cursor = await conn.execute("SELECT pg_backend_pid()")
    return (await cursor.fetchone())[0]


@postgres_only
def test_a_connection_is_reused_after_a_failed_statement(transactional_db):
    async def scenario():
        pool = pgasync.connections()
        with pytest.raises(psycopg.errors.UndefinedTable):
            async with pool.connection() as conn:
                first = await backend_pid(conn)
                await conn.execute("SELECT * FROM no_such_table")
        async with pool.connection() as conn:
            return first, await backend_pid(conn)

    first, second = run(scenario)

    assert first == second


@postgres_only
def test_a_connection_interrupted_mid_statement_is_not_reused(transactional_db):
    async def scenario():
        pool = pgasync.connections()

        async def slow():
            async with pool.connection() as conn:
                interrupted.append(conn)
                await conn.execute("SELECT pg_sleep(30)")

        interrupted = []
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(slow(), timeout=0.3)
        async with pool.connection() as conn:
            return interrupted[0], conn

    interrupted, next_one = run(scenario)

    assert interrupted.closed
    assert next_one is not interrupted


@postgres_only
def test_at_most_the_configured_connections_per_loop(transactional_db, settings):
    settings.GATEWAY_DB_CONNECTIONS = 2

    async def scenario():
        pool = pgasync.connections()

        async def one():
            async with pool.connection() as conn:
                cursor = await conn.execute("SELECT pg_backend_pid(), pg_sleep(0.05)")
                return (await cursor.fetchone())[0]

        return await asyncio.gather(*(one() for _ in range(6)))

    pids = run(scenario)

    assert len(pids) == 6
    assert len(set(pids)) == 2


@postgres_only
def test_a_loop_without_start_keeps_djangos_connection(transactional_db):
    async def scenario():
        return pgasync.enabled()

    assert in_own_thread(asyncio.run, scenario()) is False
    assert run(scenario) is True


def gateway_sessions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND datname = %s",
            [pgasync.APPLICATION_NAME, connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


@postgres_only
def test_the_server_admits_and_settles_on_its_own_connections(
    gateway_url, api_key, model_id, award
):
    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"model": model_id, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3},
        timeout=10,
    )

    assert response.status_code == 200
    assert gateway_sessions() >= 1


@postgres_only
def test_requests_racing_past_the_rate_limit_release_their_reservations(
    transactional_db, api_key, model_id, award
):
    """Both requests find room in the key's bucket and reserve in one statement; the one
    answered second then meets the limit and releases its reservation."""
    from aipower.gateway import core, errors
    from aipower.gateway.models import ApiKey
    from aipower.grants.models import Allowance, Reservation

    ApiKey.objects.update(rate_limit=1)

    async def one():
        payload = {"model": model_id, "messages": [{"role": "user", "content": "hi"}]}
        return await core.admit("chat", f"Bearer {api_key}", "127.0.0.1", payload)

    async def scenario():
        return await asyncio.gather(one(), one(), return_exceptions=True)

    results = run(scenario)

    admitted = [result for result in results if isinstance(result, core.Admission)]
    refused = [result for result in results if isinstance(result, errors.GatewayError)]
    assert len(admitted) == 1 and len(refused) == 1
    assert refused[0].code == "rate_limit_exceeded"
    open_reservations = Reservation.objects.filter(settled_at__isnull=True)
    assert list(open_reservations.values_list("pk", flat=True)) == [admitted[0].reservation.pk]
    assert Allowance.objects.get(award=award).reserved_units == admitted[0].reserved


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps Django's connection")
def test_on_sqlite_a_started_loop_keeps_djangos_connection(transactional_db):
    async def scenario():
        pgasync.start()
        return pgasync.enabled()

    assert in_own_thread(asyncio.run, scenario()) is False


async def lock_waiters(watcher) -> int:
    """The gateway's connections waiting for a row lock."""
    cursor = await watcher.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE application_name = %s AND wait_event_type = 'Lock'",
        [pgasync.APPLICATION_NAME],
    )
    return (await cursor.fetchone())[0]


async def until(measure, wanted, seconds=10):
    """Wait until ``await measure()`` is ``wanted`` (polling, at most ``seconds``)."""
    import time

    deadline = time.monotonic() + seconds
    while (value := await measure()) != wanted and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert value == wanted


def terminate(pids):
    """End these backends from a worker thread's own Django connection (closed after)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", [list(pids)])
    finally:
        connection.close()


@postgres_only
def test_after_the_server_dropped_the_connections_the_next_request_gets_a_new_one(
    transactional_db,
):
    async def scenario():
        pool = pgasync.connections()
        # Two idle connections, then both ended by the server (as a restart would).
        async with pool.connection() as first, pool.connection() as second:
            pids = {await backend_pid(first), await backend_pid(second)}
        await sync_to_async(terminate)(pids)
        with pytest.raises(psycopg.OperationalError):
            async with pool.connection() as conn:
                await backend_pid(conn)
        async with pool.connection() as conn:
            return pids, await backend_pid(conn)

    dropped, fresh = run(scenario)

    assert len(dropped) == 2
    assert fresh not in dropped


@postgres_only
@pytest.mark.parametrize("grouped", [False, True], ids=["own-connections", "grouped"])
@pytest.mark.parametrize("waiting", [1, 2, 3])
def test_admissions_waiting_for_a_concurrent_reservation_size_from_what_it_left(
    transactional_db, api_key, model_id, award, waiting, grouped
):
    """Another request holds the allowance row while it reserves almost everything, and
    ``waiting`` admissions queue for the row — each on its own connection, as in as many
    processes, or grouped as in one process (one group: one connection, one transaction).
    Each must size its request from what the ones before it left (a reservation that fits, or
    none), never from the figures it read before it waited: that would overdraw the allowance
    (refused by the table's check constraint, i.e. a server error instead of a 429)."""
    import hashlib

    from aipower.gateway import hotpath
    from aipower.grants.models import Allowance

    from .conftest import allowance_of

    allowance = allowance_of(award)
    left = allowance.granted_units - allowance.used_units - allowance.reserved_units
    params = _connection_params()
    # Each admission holds 20 for the prompt's bound and up to 64 to answer: 84.
    ask = hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)
    secret_hash = hashlib.sha256(api_key.encode()).hexdigest()
    room = 100  # one full admission (84), then 16: too little for another (≥ 21)
    table = sql.Identifier(Allowance._meta.db_table)

    async def scenario():
        other = await psycopg.AsyncConnection.connect(**params)
        watcher = await psycopg.AsyncConnection.connect(autocommit=True, **params)
        try:
            await other.execute(
                sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(table),
                [allowance.pk],
            )
            await other.execute(
                sql.SQL("UPDATE {} SET reserved_units = reserved_units + %s WHERE id = %s").format(
                    table
                ),
                [left - room, allowance.pk],
            )
            admissions = [
                asyncio.ensure_future(
                    hotpath.admit_async(
                        secret_hash, model_id, ask, True, f"req-wait-{n}", 300, grouped=grouped
                    )
                )
                for n in range(waiting)
            ]
            # Until every admission waits for the row, or (grouped) their group does: a
            # condition, not a timing guess.
            await until(lambda: lock_waiters(watcher), 1 if grouped else waiting)
            batch = hotpath.admissions()
            assert (batch.groups, batch.statements) == ((1, waiting) if grouped else (0, 0))
            await other.commit()
            return await asyncio.gather(*admissions, return_exceptions=True)
        finally:
            await other.close()
            await watcher.close()

    results = run(scenario)

    assert not [result for result in results if isinstance(result, BaseException)]
    held = sorted(reservation.units for _row, reservation, _max in results if reservation)
    assert held == [84]
    allowance.refresh_from_db()
    assert allowance.reserved_units == left - room + 84


# --- Groups of statements (``pgasync.Batch``) ---------------------------------------------------


def _secret_hash(api_key):
    import hashlib

    return hashlib.sha256(api_key.encode()).hexdigest()


def _leave_room(allowance, room):
    """Reserve (outside any reservation row) all but ``room`` units of the allowance."""
    from django.db.models import F

    from aipower.grants.models import Allowance

    left = allowance.granted_units - allowance.used_units - allowance.reserved_units
    Allowance.objects.filter(pk=allowance.pk).update(
        reserved_units=F("reserved_units") + left - room
    )
    allowance.refresh_from_db()
    return allowance.reserved_units


@postgres_only
def test_concurrent_admissions_run_as_one_group_and_hold_only_what_fits(
    transactional_db, api_key, model_id, award
):
    from aipower.gateway import hotpath

    from .conftest import allowance_of

    allowance = allowance_of(award)
    # Three full admissions (20 + 64 = 84 each), then 10: too little for a fourth (≥ 21).
    reserved_before = _leave_room(allowance, 3 * 84 + 10)
    ask = hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)

    async def scenario():
        results = await asyncio.gather(
            *(
                hotpath.admit_async(_secret_hash(api_key), model_id, ask, True, f"req-g{n}", 300)
                for n in range(8)
            )
        )
        batch = hotpath.admissions()
        return results, batch.groups, batch.statements

    results, groups, statements = run(scenario)

    assert (groups, statements) == (1, 8)
    held = [reservation.units for _row, reservation, _max in results if reservation]
    assert held == [84, 84, 84]
    allowance.refresh_from_db()
    assert allowance.reserved_units == reserved_before + 3 * 84


@postgres_only
def test_a_failing_statement_in_a_group_fails_only_its_caller(
    transactional_db, api_key, model_id, award
):
    """Two settlements in one group, one of a request already charged: the group is rolled
    back and each runs again alone — the repeated one fails, the other is charged once."""
    from django.utils import timezone

    from aipower.gateway import hotpath
    from aipower.grants.models import LedgerEntry

    ask = hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)

    def metering(row, reservation, request_id):
        return hotpath.Metering(
            request_id=request_id,
            key_id=row.key_id,
            award_id=row.award_id,
            model_id=row.model_id,
            endpoint="chat/completions",
            stream=False,
            prompt_tokens=12,
            completion_tokens=30,
            reserved_tokens=reservation.units,
            outcome="ok",
            started_at=timezone.now(),
        )

    async def scenario():
        settlements = []
        for rid in ("req-first", "req-second"):
            row, reservation, _max = await hotpath.admit_async(
                _secret_hash(api_key), model_id, ask, True, rid, 300
            )
            settlements.append(
                (reservation, row.metering_unit, row.per_request, metering(row, reservation, rid))
            )
        await hotpath.settle_async(*settlements[0])
        outcomes = await asyncio.gather(
            hotpath.settle_async(*settlements[0]),
            hotpath.settle_async(*settlements[1]),
            return_exceptions=True,
        )
        batch = hotpath.settlements()
        return outcomes, batch.groups

    (again, second), groups = run(scenario)

    assert isinstance(again, psycopg.IntegrityError)
    assert second is None
    assert groups == 2  # the first settlement alone, then the group of two
    usage = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.USAGE)
    assert sorted(usage.values_list("source", "exact_units")) == [
        ("gw:req-first", 42),
        ("gw:req-second", 42),
    ]


def _hold_allowance_row(params, table, allowance_pk):
    """A connection holding the allowance row's lock (its caller commits and closes it)."""

    async def hold():
        other = await psycopg.AsyncConnection.connect(**params)
        await other.execute(
            sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(table), [allowance_pk]
        )
        return other

    return hold()


@postgres_only
def test_an_admission_whose_caller_went_away_releases_what_its_group_reserved(
    transactional_db, api_key, model_id, award
):
    """The caller is cancelled (the client disconnected) while its group waits for the
    allowance row; the group still reserves, and the reservation is released at once instead
    of waiting for the sweeper."""
    from aipower.gateway import core
    from aipower.grants.models import Allowance, Reservation

    from .conftest import allowance_of

    allowance = allowance_of(award)
    table = sql.Identifier(Allowance._meta.db_table)
    params = _connection_params()

    def released():
        try:
            reservation = Reservation.objects.filter(request_id="req-gone").first()
            return reservation is not None and reservation.outcome == Reservation.Outcome.RELEASED
        finally:
            connection.close()  # this worker thread's own

    async def scenario():
        other = await _hold_allowance_row(params, table, allowance.pk)
        watcher = await psycopg.AsyncConnection.connect(autocommit=True, **params)
        try:
            payload = {"model": model_id, "messages": [{"role": "user", "content": "hi"}]}
            admission = asyncio.ensure_future(
                core.admit("chat", f"Bearer {api_key}", "127.0.0.1", payload, "req-gone")
            )
            await until(lambda: lock_waiters(watcher), 1)
            admission.cancel()
            await other.commit()
            await until(sync_to_async(released), True)
            return admission.cancelled()
        finally:
            await other.close()
            await watcher.close()

    assert run(scenario) is True
    allowance.refresh_from_db()
    assert allowance.reserved_units == 0
    assert Reservation.objects.filter(settled_at__isnull=True).count() == 0


@postgres_only
def test_an_admission_cancelled_before_its_group_ran_reserves_nothing(
    transactional_db, api_key, model_id, award
):
    from aipower.gateway import hotpath
    from aipower.grants.models import Allowance, Reservation

    from .conftest import allowance_of

    allowance = allowance_of(award)
    table = sql.Identifier(Allowance._meta.db_table)
    params = _connection_params()
    ask = hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)

    async def scenario():
        other = await _hold_allowance_row(params, table, allowance.pk)
        watcher = await psycopg.AsyncConnection.connect(autocommit=True, **params)
        try:
            key = _secret_hash(api_key)
            first = asyncio.ensure_future(
                hotpath.admit_async(key, model_id, ask, True, "req-first", 300)
            )
            await until(lambda: lock_waiters(watcher), 1)
            later = asyncio.ensure_future(
                hotpath.admit_async(key, model_id, ask, True, "req-later", 300)
            )
            batch = hotpath.admissions()
            await until(lambda: asyncio.sleep(0, batch.queued), 1)
            later.cancel()
            await other.commit()
            _row, reservation, _max = await first
            return reservation, batch.statements
        finally:
            await other.close()
            await watcher.close()

    reservation, statements = run(scenario)

    assert reservation is not None and reservation.request_id == "req-first"
    assert statements == 1
    assert list(Reservation.objects.values_list("request_id", flat=True)) == ["req-first"]


@postgres_only
def test_a_burst_of_requests_through_the_server_never_overdraws_and_charges_what_was_used(
    gateway_url, api_key, model_id, award
):
    """The benchmark's hard-cap race in small: 40 requests at once against room for 11–14;
    with groups of admissions and settlements in the server, every answer is 200 or 429, the
    allowance never goes below zero, what is charged is what the answers reported, and no
    reservation is left open."""
    from django.db.models import Sum

    from aipower.calls.models import Category
    from aipower.gateway.models import MeteredRequest
    from aipower.grants.models import Allowance, Reservation

    from .conftest import allowance_of

    # Charged by the exact tokens (no 1,000-token rounding): else the first settlement takes the
    # whole room, and how many are answered would depend on how many were admitted before it —
    # on the machine's load, not on the code.
    Category.objects.filter(pk=award.category_id).update(metering_unit=1)
    allowance = allowance_of(award)
    reserved_before = _leave_room(allowance, 1000)  # held outside any reservation row
    body = {"model": model_id, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 64}

    async def burst():
        limits = httpx.Limits(max_connections=40)
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:
            return await asyncio.gather(
                *(
                    http.post(
                        f"{gateway_url}/chat/completions",
                        headers={"Authorization": f"Bearer {api_key}"},
                        json=body,
                    )
                    for _ in range(40)
                )
            )

    responses = in_own_thread(asyncio.run, burst())

    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {200, 429}
    answered = [
        response.json()["usage"]["total_tokens"]
        for response in responses
        if response.status_code == 200
    ]
    assert 5 <= len(answered) <= 15
    allowance = Allowance.objects.get(pk=allowance.pk)
    assert allowance.reserved_units == reserved_before
    assert allowance.used_units + allowance.reserved_units <= allowance.granted_units
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()
    metered = MeteredRequest.objects.filter(outcome="ok")
    assert metered.count() == len(answered)
    totals = metered.aggregate(prompt=Sum("prompt_tokens"), completion=Sum("completion_tokens"))
    assert totals["prompt"] + totals["completion"] == sum(answered)
