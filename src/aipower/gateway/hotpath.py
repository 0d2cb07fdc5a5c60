"""The gateway's hot path in SQL: one query to admit, one statement to reserve, one short
transaction to settle.

Every `/v1` request runs these three; through the ORM they were 19 queries and about 12 ms of
CPU per request (`bench/README.md`, "Gateway"). Here they are written once for both databases
(the few differences are marked), on Django's own connection (one per worker thread), and the
ledger arithmetic is the very function the ORM path uses (``grants.services.charge_amounts``).
The rare paths — a release after an upstream failure, a second settlement of the same request —
stay on the ORM (``gateway.ledger``).

The tables are named by the models' ``_meta``; the columns by the fields' ``column``. A test
(`tests/gateway/test_hotpath.py`) compares each result with the ORM path's.
"""

import contextlib
import dataclasses
import datetime
import functools
import weakref

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from aipower.calls.enums import CategoryKind, TokenRounding
from aipower.calls.models import Call, CatalogueModel, Category
from aipower.grants.models import Allowance, AllowanceState, LedgerEntry, Reservation
from aipower.grants.services import LATE_USAGE_NOTE, charge_amounts, late_usage_entry
from aipower.review.models import Award

from . import pgasync
from .models import ApiKey, MeteredRequest, ModelRoute, Upstream

# How often a key's "last used" time is written: at most once a minute.
TOUCH_SECONDS = 60


def _table(model) -> str:
    return model._meta.db_table


TABLES = {
    "key": _table(ApiKey),
    "allowance": _table(Allowance),
    "award": _table(Award),
    "category": _table(Category),
    "call": _table(Call),
    "allowed": _table(Award.allowed_models.through),
    "model": _table(CatalogueModel),
    "route": _table(ModelRoute),
    "upstream": _table(Upstream),
    "reservation": _table(Reservation),
    "ledger": _table(LedgerEntry),
    "metered": _table(MeteredRequest),
}


def _sql(template: str, **fragments) -> str:
    """A statement with the tables' names (from the models, never input) and fixed SQL
    fragments filled in."""
    return template.format(**TABLES, **fragments)


# The key, its allowance and the requested model's route, in one row. The route columns are
# NULL when the award does not include the model (or it is disabled, prohibited, not offered for
# inference or not routed); the allowance columns when the award has no allowance.
ADMIT_SQL = _sql("""
SELECT k.id AS key_id, k.award_id, k.rate_limit,
       (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > %(now)s))
           AS key_active,
       (k.last_used_at IS NULL OR k.last_used_at < %(touch_before)s) AS touch,
       al.id AS allowance_id, al.state, al.kind,
       (al.starts_on <= %(today)s AND al.ends_on >= %(today)s) AS in_period,
       al.granted_units - al.used_units - al.reserved_units AS left_units,
       ca.metering_unit, cl.token_rounding,
       m.id AS model_id, m.upstream_id, r.upstream_model,
       u.name AS upstream_name, u.base_url, u.api_key, u.timeout, u.continuous_usage,
       r.context_length
FROM {key} k
JOIN {award} aw ON aw.id = k.award_id
JOIN {category} ca ON ca.id = aw.category_id
JOIN {call} cl ON cl.id = ca.call_id
LEFT JOIN {allowance} al ON al.award_id = k.award_id
LEFT JOIN ({allowed} am
           JOIN {model} m ON m.id = am.cataloguemodel_id
           JOIN {route} r ON r.model_id = m.id
           JOIN {upstream} u ON u.id = r.upstream_id)
       ON am.award_id = k.award_id
      AND m.enabled AND m.offered_inference AND NOT m.prohibited
      AND (CASE WHEN m.upstream_id <> '' THEN m.upstream_id ELSE m.display_name END) = %(model)s
WHERE k.secret_hash = %(hash)s
ORDER BY m.id
LIMIT 1
""")

TOUCH_SQL = _sql("UPDATE {key} SET last_used_at = %s WHERE id = %s")

# The hard cap: the allowance row is updated only if it can hold the units (active, in period,
# enough left), and the reservation row is written only if it was. On PostgreSQL one statement,
# committed without waiting for the WAL flush (``synchronous_commit`` off for this transaction
# only): it must be visible at once, and a crash loses nothing that was charged.
_HOLD = """
UPDATE {allowance} SET reserved_units = reserved_units + %(units)s
WHERE id = %(allowance)s AND state = %(active)s
  AND starts_on <= %(today)s AND ends_on >= %(today)s
  AND granted_units >= used_units + reserved_units + %(units)s
"""
_INSERT_RESERVATION = """
INSERT INTO {reservation}
  (allowance_id, request_id, units, created_at, expires_at, settled_at, outcome)
"""
RESERVE_SQL_POSTGRES = _sql(
    "".join(
        [
            "WITH no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true)),",
            " held AS (",
            _HOLD,
            " AND EXISTS (SELECT 1 FROM no_flush_wait) RETURNING id) ",
            _INSERT_RESERVATION,
            " SELECT id, %(request)s, %(units)s, %(now)s, %(expires)s, NULL, '' FROM held",
            " RETURNING id",
        ]
    )
)
HOLD_SQL = _sql(_HOLD)

# PostgreSQL, on the gateway's own connections: admission and reservation in one statement (one
# round trip instead of two). ``sized`` locks the allowance row and sizes the request from what
# is left at that moment, exactly as ``core._Plan.size`` does (``max_tokens`` capped by the room
# left for each of the ``n`` choices after the prompt's bound, and by the route's context length
# less the longest prompt's bound when that leaves room; an embedding holds its bound);
# the reservation is made only if the key is active, the model routed, the allowance active and
# in its period, and the caller's own checks passed (``go``). The row is the admission query's,
# plus the reservation (id, units, max_tokens) or NULLs.
ADMIT_AND_RESERVE_SQL_POSTGRES = _sql(
    """
WITH no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true)),
k AS ({admit}),
sized AS (
    SELECT a.id, s.max_tokens,
           CASE WHEN %(embeddings)s THEN GREATEST(1, %(bound)s)
                ELSE %(bound)s + s.max_tokens * %(choices)s END AS units,
           a.granted_units - a.used_units - a.reserved_units AS left_units
    FROM {allowance} a
    JOIN k ON k.allowance_id = a.id
    CROSS JOIN LATERAL (
        SELECT LEAST(%(asked)s::bigint,
                     CASE WHEN k.context_length > %(longest)s
                          THEN k.context_length - %(longest)s END,
                     (a.granted_units - a.used_units - a.reserved_units - %(bound)s)
                     / %(choices)s) AS max_tokens
    ) s
    WHERE %(go)s AND k.key_active AND k.model_id IS NOT NULL
      AND a.state = %(active)s AND a.starts_on <= %(today)s AND a.ends_on >= %(today)s
      AND EXISTS (SELECT 1 FROM no_flush_wait)
    FOR UPDATE OF a
),
held AS (
    UPDATE {allowance} a SET reserved_units = a.reserved_units + sized.units
    FROM sized
    WHERE a.id = sized.id AND sized.units <= sized.left_units
      AND (%(embeddings)s OR sized.max_tokens >= 1)
      -- The room once more on the row being updated, which PostgreSQL re-reads at its newest
      -- version: under many concurrent admissions ``sized`` was seen to size a request from
      -- figures older than the row it updates (an overdraft refused by the table's check
      -- constraint, i.e. a server error instead of a 429).
      AND a.granted_units >= a.used_units + a.reserved_units + sized.units
    RETURNING a.id, sized.units, sized.max_tokens
),
reservation AS (
    INSERT INTO {reservation}
        (allowance_id, request_id, units, created_at, expires_at, settled_at, outcome)
    SELECT id, %(request)s, units, %(now)s, %(expires)s, NULL, '' FROM held
    RETURNING id, units
)
SELECT k.*, (SELECT id FROM reservation), (SELECT units FROM reservation),
       (SELECT max_tokens FROM held)
FROM k
""",
    admit=ADMIT_SQL.strip(),
)
INSERT_RESERVATION_SQL = _sql(
    _INSERT_RESERVATION + " VALUES (%(allowance)s, %(request)s, %(units)s, %(now)s, %(expires)s,"
    " NULL, '')"
)

CLOSE_RESERVATION_SQL = _sql(
    "UPDATE {reservation} SET settled_at = %s, outcome = %s WHERE id = %s AND settled_at IS NULL"
)
LOCK_ALLOWANCE_SQL = _sql(
    "SELECT granted_units, used_units, reserved_units, exact_units, state FROM {allowance}"
    " WHERE id = %s"
)
UPDATE_ALLOWANCE_SQL = _sql(
    "UPDATE {allowance} SET used_units = %s, exact_units = exact_units + %s,"
    " reserved_units = %s, state = %s, state_changed_at = %s WHERE id = %s"
)
UPDATE_ALLOWANCE_KEEP_STATE_SQL = _sql(
    "UPDATE {allowance} SET used_units = %s, exact_units = exact_units + %s,"
    " reserved_units = %s WHERE id = %s"
)
INSERT_LEDGER_SQL = _sql(
    "INSERT INTO {ledger} (allowance_id, kind, units, exact_units, source, model_id, note,"
    " created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s)"
)
INSERT_METERED_SQL = _sql(
    "INSERT INTO {metered} (request_id, api_key_id, award_id, model_id, endpoint, stream,"
    " prompt_tokens, completion_tokens, reserved_tokens, outcome, started_at, finished_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


# PostgreSQL: the whole settlement in one statement, committed on its own (durably): close the
# reservation, lock the allowance row, compute the charge, update the allowance, write the
# ledger entry and the metering record. The arithmetic is ``grants.services.charge_amounts`` in
# SQL (round up to the metering unit; running total or per request; capped at what is left);
# ``tests/gateway/test_hotpath.py`` settles the same usages through both and compares the
# ledgers. SQLite runs the same steps as statements in one transaction (``settle``).
_ROUND_UP = (
    "(CASE WHEN %(unit)s <= 1 THEN {v} ELSE (({v}) + %(unit)s - 1) / %(unit)s * %(unit)s END)"
)
SETTLE_SQL_POSTGRES = _sql(
    """
WITH closed AS (
    UPDATE {reservation} SET settled_at = %(now)s, outcome = %(settled)s
    WHERE id = %(reservation)s AND settled_at IS NULL
    RETURNING units
), locked AS (
    SELECT id, granted_units AS g, used_units AS u, exact_units AS e, state,
           reserved_units - COALESCE((SELECT units FROM closed), 0) AS r
    FROM {allowance} WHERE id = %(allowance)s
    FOR UPDATE
), wanted AS (
    SELECT locked.*,
           CASE WHEN %(per_request)s THEN {round_exact}
                ELSE LEAST(GREATEST(0, {round_total} - u), {round_unpaid}) END AS w
    FROM locked
), charge AS (
    SELECT wanted.*, LEAST(w, GREATEST(0, g - u - r)) AS c,
           (u + LEAST(w, GREATEST(0, g - u - r)) >= g AND state = %(active)s) AS ends
    FROM wanted
), allowance AS (
    UPDATE {allowance} a
    SET used_units = charge.u + charge.c, exact_units = charge.e + %(exact)s,
        reserved_units = charge.r,
        state = CASE WHEN charge.ends THEN %(exhausted)s ELSE charge.state END,
        state_changed_at = CASE WHEN charge.ends THEN %(now)s ELSE a.state_changed_at END
    FROM charge WHERE a.id = charge.id
), entry AS (
    INSERT INTO {ledger}
        (allowance_id, kind, units, exact_units, source, model_id, note, created_by_id,
         created_at)
    SELECT id, %(usage)s, -c, %(exact)s, %(source)s, %(model)s,
           LEFT(%(note)s || CASE WHEN c < w THEN ' capped ' || w || '->' || c ELSE '' END, 500),
           NULL, %(now)s
    FROM charge
), late AS (
    -- After the period ended the remainder was forfeited whole: give back to it what this
    -- charge takes (``grants.services.late_usage_entry``).
    INSERT INTO {ledger}
        (allowance_id, kind, units, exact_units, source, model_id, note, created_by_id,
         created_at)
    SELECT id, %(expiry)s, c, 0, LEFT('expiry:' || id || ':' || %(source)s, 200), NULL,
           %(late_note)s, NULL, %(now)s
    FROM charge WHERE state = %(expired)s AND c > 0
)
INSERT INTO {metered} (request_id, api_key_id, award_id, model_id, endpoint, stream,
    prompt_tokens, completion_tokens, reserved_tokens, outcome, started_at, finished_at)
VALUES (%(request)s, %(key)s, %(award)s, %(model)s, %(endpoint)s, %(stream)s, %(prompt)s,
    %(completion)s, %(reserved)s, %(outcome)s, %(started)s, %(now)s)
""",
    round_exact=_ROUND_UP.format(v="%(exact)s::bigint"),
    round_total=_ROUND_UP.format(v="(e + %(exact)s)"),
    # The request's own tokens not yet paid for: a cap's uncharged rounding is never charged
    # later (``charge_amounts``).
    round_unpaid=_ROUND_UP.format(v="GREATEST(0, %(exact)s::bigint - GREATEST(0, u - e))"),
)


@dataclasses.dataclass
class KeyRow:
    """What admission needs to know, read in one query."""

    key_id: int
    award_id: int
    rate_limit: int | None
    key_active: bool
    allowance_id: int | None
    allowance_state: str | None
    in_period: bool
    left_units: int
    metering_unit: int
    per_request: bool
    model_id: int | None
    model_upstream_id: str | None
    upstream_model: str | None
    upstream_name: str | None
    upstream_base_url: str | None
    upstream_api_key: str | None
    upstream_timeout: float | None
    upstream_continuous_usage: bool
    # Tokens of prompt and answer together the route's upstream takes (None: unknown).
    context_length: int | None = None


class _Prepared:
    """A psycopg cursor whose statements are prepared on the server, once per connection.

    Django's PostgreSQL backend binds parameters on the client and turns the driver's statement
    preparation off, so every execution is parsed and planned afresh: ~2 ms for the admission's
    join, several times what running it costs. These few statements run on every request, so
    they go through a driver cursor with server-side binding and ``prepare=True``, planned once
    per connection with a generic plan (errors still become Django's, through
    ``wrap_database_errors``). The ORM's queries are not affected: they are never prepared. A
    connection pooler in transaction mode would need this turned off.
    """

    _ready: "weakref.WeakSet" = weakref.WeakSet()

    def __init__(self, raw):
        if raw not in self._ready:
            # A threshold no query reaches: only ``prepare=True`` prepares.
            raw.prepare_threshold = 2**31 - 1
            with psycopg.Cursor(raw) as cursor:
                # Applies to prepared statements only, i.e. to these.
                cursor.execute("SET plan_cache_mode = force_generic_plan")
            self._ready.add(raw)
        self.cursor = psycopg.Cursor(raw)

    def execute(self, sql, params):
        self.cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self.cursor.fetchone()


@contextlib.contextmanager
def _cursor():
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        prepared = _Prepared(connection.connection)
        try:
            yield prepared
        finally:
            prepared.cursor.close()


@functools.cache
def _adapts() -> bool:
    """Whether parameters go through Django's adapters (SQLite: dates and times as text);
    psycopg takes them as they are."""
    return connection.vendor != "postgresql"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value) if _adapts() else value


def _date(value):
    return connection.ops.adapt_datefield_value(value) if _adapts() else value


def _admit_params(secret_hash: str, model_name: str, now: datetime.datetime) -> dict:
    return {
        "now": _dt(now),
        "touch_before": _dt(now - datetime.timedelta(seconds=TOUCH_SECONDS)),
        "today": _date(timezone.localdate(now)),
        "model": model_name,
        "hash": secret_hash,
    }


def _key_row(row) -> tuple[KeyRow, bool]:
    """The admission query's row as a KeyRow, and whether the key's "last used" is due."""
    (key_id, award_id, rate_limit, key_active, touch, allowance_id, state, kind, in_period,
     left, metering_unit, rounding, model_id, model_upstream_id, upstream_model,
     upstream_name, base_url, api_key, timeout, continuous, context_length) = row  # fmt: skip
    key_row = KeyRow(
        key_id=key_id,
        award_id=award_id,
        rate_limit=rate_limit,
        key_active=bool(key_active),
        allowance_id=allowance_id,
        allowance_state=state,
        in_period=bool(in_period),
        left_units=left or 0,
        metering_unit=metering_unit,
        per_request=kind == CategoryKind.INFERENCE and rounding == TokenRounding.PER_REQUEST,
        model_id=model_id,
        model_upstream_id=model_upstream_id,
        upstream_model=upstream_model,
        upstream_name=upstream_name,
        upstream_base_url=base_url,
        upstream_api_key=api_key,
        upstream_timeout=timeout,
        upstream_continuous_usage=bool(continuous),
        context_length=context_length,
    )
    return key_row, bool(key_active and touch)


def read_key(secret_hash: str, model_name: str, now: datetime.datetime) -> KeyRow | None:
    """The key with this hash, its allowance and the route of ``model_name`` (None: no key)."""
    with _cursor() as cursor:
        cursor.execute(ADMIT_SQL, _admit_params(secret_hash, model_name, now))
        row = cursor.fetchone()
        if row is None:
            return None
        key_row, touch = _key_row(row)
        if touch:
            cursor.execute(TOUCH_SQL, [_dt(now), key_row.key_id])
    return key_row


def _reserve_params(allowance_id, units, request_id, ttl_seconds, now) -> dict:
    if units <= 0:
        raise ValueError("a reservation holds a positive number of units")
    return {
        "units": units,
        "allowance": allowance_id,
        "active": AllowanceState.ACTIVE.value,
        "today": _date(timezone.localdate(now)),
        "request": request_id,
        "now": _dt(now),
        "expires": _dt(now + datetime.timedelta(seconds=ttl_seconds)),
    }


def _reservation(reservation_id, allowance_id, units, request_id, now):
    if reservation_id is None:
        return None
    return Reservation(
        id=reservation_id,
        allowance_id=allowance_id,
        request_id=request_id,
        units=units,
        created_at=now,
    )


def reserve(allowance_id: int, units: int, request_id: str, ttl_seconds: int, now=None):
    """Hold ``units`` for one request: the reservation (unsaved instance with its id), or None
    when the allowance cannot cover them."""
    now = now or timezone.now()
    params = _reserve_params(allowance_id, units, request_id, ttl_seconds, now)
    if connection.vendor == "postgresql":
        with _cursor() as cursor:
            cursor.execute(RESERVE_SQL_POSTGRES, params)
            row = cursor.fetchone()
        reservation_id = row[0] if row else None
    else:
        # SQLite: the UPDATE is the transaction's first statement, so it waits for the write
        # lock (busy timeout) instead of failing on a read-to-write upgrade.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(HOLD_SQL, params)
            if cursor.rowcount != 1:
                return None
            cursor.execute(INSERT_RESERVATION_SQL, params)
            reservation_id = cursor.lastrowid
    return _reservation(reservation_id, allowance_id, units, request_id, now)


@dataclasses.dataclass(frozen=True)
class Metering:
    """The metering record of one request (counts only, never content)."""

    request_id: str
    key_id: int
    award_id: int
    model_id: int
    endpoint: str
    stream: bool
    prompt_tokens: int
    completion_tokens: int
    reserved_tokens: int
    outcome: str
    started_at: datetime.datetime


def _settle_params(reservation, metering_unit, per_request, metering: "Metering", now) -> dict:
    exact_units = metering.prompt_tokens + metering.completion_tokens
    source = f"gw:{metering.request_id}"
    return {
        "now": now,
        "settled": Reservation.Outcome.SETTLED.value,
        "reservation": reservation.pk,
        "allowance": reservation.allowance_id,
        "per_request": per_request,
        "unit": metering_unit,
        "exact": exact_units,
        "active": AllowanceState.ACTIVE.value,
        "exhausted": AllowanceState.EXHAUSTED.value,
        "usage": LedgerEntry.Kind.USAGE.value,
        "expiry": LedgerEntry.Kind.EXPIRY.value,
        "expired": AllowanceState.EXPIRED.value,
        "late_note": LATE_USAGE_NOTE,
        "source": source,
        "model": metering.model_id,
        "note": reservation.request_id,
        "request": metering.request_id,
        "key": metering.key_id,
        "award": metering.award_id,
        "endpoint": metering.endpoint,
        "stream": metering.stream,
        "prompt": metering.prompt_tokens,
        "completion": metering.completion_tokens,
        "reserved": metering.reserved_tokens,
        "outcome": metering.outcome,
        "started": metering.started_at,
    }


def settle(reservation, metering_unit, per_request, metering: Metering, now=None):
    """Close the reservation, charge the exact tokens and write the metering record, in one
    transaction. Raises IntegrityError when this request was already charged (the caller then
    takes the ORM path, which handles that case)."""
    now = now or timezone.now()
    exact_units = metering.prompt_tokens + metering.completion_tokens
    source = f"gw:{metering.request_id}"
    if connection.vendor == "postgresql":
        with _cursor() as cursor:
            cursor.execute(
                SETTLE_SQL_POSTGRES,
                _settle_params(reservation, metering_unit, per_request, metering, now),
            )
        reservation.settled_at = now
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # The reservation first (a write: on SQLite it takes the write lock), then the
        # allowance row, in the same order as ``grants.services.release``.
        cursor.execute(
            CLOSE_RESERVATION_SQL, [_dt(now), Reservation.Outcome.SETTLED.value, reservation.pk]
        )
        held = reservation.units if cursor.rowcount == 1 else 0
        cursor.execute(LOCK_ALLOWANCE_SQL, [reservation.allowance_id])
        granted, used, reserved, exact, state = cursor.fetchone()
        charge = charge_amounts(
            granted=granted,
            used=used,
            reserved=reserved,
            exact=exact,
            held=held,
            exact_units=exact_units,
            metering_unit=metering_unit,
            per_request=per_request,
        )
        if charge.exhausts and state == AllowanceState.ACTIVE:
            cursor.execute(
                UPDATE_ALLOWANCE_SQL,
                [
                    charge.used_after,
                    exact_units,
                    charge.reserved_after,
                    AllowanceState.EXHAUSTED.value,
                    _dt(now),
                    reservation.allowance_id,
                ],
            )
        else:
            cursor.execute(
                UPDATE_ALLOWANCE_KEEP_STATE_SQL,
                [charge.used_after, exact_units, charge.reserved_after, reservation.allowance_id],
            )
        note = reservation.request_id
        if charge.charged < charge.wanted:
            note = f"{note} capped {charge.wanted}->{charge.charged}"
        cursor.execute(
            INSERT_LEDGER_SQL,
            [
                reservation.allowance_id,
                LedgerEntry.Kind.USAGE.value,
                -charge.charged,
                exact_units,
                source,
                metering.model_id,
                note[:500],
                _dt(now),
            ],
        )
        if state == AllowanceState.EXPIRED and charge.charged:
            late = late_usage_entry(reservation.allowance_id, charge.charged, source, now)
            cursor.execute(
                INSERT_LEDGER_SQL,
                [
                    late["allowance_id"],
                    late["kind"].value,
                    late["units"],
                    0,
                    late["source"],
                    None,
                    late["note"],
                    _dt(now),
                ],
            )
        cursor.execute(
            INSERT_METERED_SQL,
            [
                metering.request_id,
                metering.key_id,
                metering.award_id,
                metering.model_id,
                metering.endpoint,
                metering.stream,
                metering.prompt_tokens,
                metering.completion_tokens,
                metering.reserved_tokens,
                metering.outcome,
                _dt(metering.started_at),
                _dt(now),
            ],
        )
    reservation.settled_at = now


def admissions() -> pgasync.Batch:
    """The current loop's group of admissions."""
    return pgasync.connections().batch(ADMIT_AND_RESERVE_SQL_POSTGRES, returning=True)


def settlements() -> pgasync.Batch:
    """The current loop's group of settlements."""
    return pgasync.connections().batch(SETTLE_SQL_POSTGRES)


async def settle_async(reservation, metering_unit, per_request, metering: Metering):
    """``settle`` on the event loop's own PostgreSQL connections: one durable statement, run in
    a group with the settlements of concurrent requests (``pgasync.Batch``). Raises
    ``psycopg.IntegrityError`` when this request was already charged."""
    now = timezone.now()
    params = _settle_params(reservation, metering_unit, per_request, metering, now)
    await settlements().run(params, order=(reservation.allowance_id,))
    reservation.settled_at = now


@dataclasses.dataclass(frozen=True)
class Ask:
    """What a request asks to hold (``core._Plan``): the prompt's bound, ``max_tokens`` (asked
    or the default), the choices, whether it is an embedding, and the bound of its longest
    prompt (what must fit in the context with ``max_tokens``; None: the whole bound)."""

    bound: int
    max_tokens: int
    choices: int
    embeddings: bool
    longest: int | None = None


# What a request that may not reserve passes (``go`` false): valid values, never used.
NO_ASK = Ask(bound=0, max_tokens=1, choices=1, embeddings=False)


# The allowance of each key seen lately (secret hash → allowance id), only to order a group of
# admissions as their settlements are ordered (by allowance): never trusted for anything else.
_ALLOWANCE_OF: dict[str, int] = {}
_ALLOWANCE_OF_SIZE = 10_000


def _admission_order(secret_hash: str) -> tuple:
    allowance_id = _ALLOWANCE_OF.get(secret_hash)
    return (0, allowance_id) if allowance_id is not None else (1, secret_hash)


def _remember_allowance(secret_hash: str, allowance_id: int | None):
    if allowance_id is None or _ALLOWANCE_OF.get(secret_hash) == allowance_id:
        return
    if len(_ALLOWANCE_OF) >= _ALLOWANCE_OF_SIZE:
        _ALLOWANCE_OF.clear()
    _ALLOWANCE_OF[secret_hash] = allowance_id


def _orphaned(params: dict, release, row):
    """An admission whose caller went away while its group ran: ``release`` what it reserved
    (else the sweeper would, after the reservation's time to live)."""
    if row is not None and row[-3] is not None:
        release(_reservation(row[-3], row[5], row[-2], params["request"], params["now"]))


async def admit_async(
    secret_hash: str,
    model_name: str,
    ask: Ask,
    go: bool,
    request_id: str,
    ttl_seconds: int,
    grouped: bool = True,
    release=None,
):
    """The admission query and, when ``go`` and the database's own conditions allow, the
    reservation, in one statement on the loop's own connections, run in a group with the
    admissions of concurrent requests (``pgasync.Batch``; ``grouped=False``: on a connection of
    its own, as another process's would): (KeyRow or None, reservation or None, max_tokens).
    ``release(reservation)`` is called for a reservation made after the caller went away."""
    now = timezone.now()
    params = _admit_params(secret_hash, model_name, now)
    params.update(
        go=go,
        embeddings=ask.embeddings,
        bound=ask.bound,
        longest=ask.bound if ask.longest is None else ask.longest,
        asked=ask.max_tokens,
        choices=ask.choices,
        active=AllowanceState.ACTIVE.value,
        request=request_id,
        expires=now + datetime.timedelta(seconds=ttl_seconds),
    )
    connections = pgasync.connections()
    if grouped:
        on_orphan = None if release is None else functools.partial(_orphaned, params, release)
        row = await admissions().run(
            params, order=_admission_order(secret_hash), on_orphan=on_orphan
        )
    else:
        async with connections.connection() as conn:
            cursor = await conn.execute(ADMIT_AND_RESERVE_SQL_POSTGRES, params)
            row = await cursor.fetchone()
    if row is None:
        return None, None, None
    key_row, touch = _key_row(row[:-3])
    _remember_allowance(secret_hash, key_row.allowance_id)
    if touch:
        async with connections.connection() as conn:
            await conn.execute(TOUCH_SQL, [now, key_row.key_id])
    reservation_id, units, max_tokens = row[-3:]
    reservation = _reservation(reservation_id, key_row.allowance_id, units, request_id, now)
    return key_row, reservation, max_tokens
