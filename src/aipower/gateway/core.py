"""The gateway's engine, independent of the web framework that serves it.

``handle(endpoint, headers, peer, body)`` admits a request in the spec's order (key → award
active and in period → client region → model allowed → rate limit → reservation), forwards it to
the model's upstream with ``max_tokens`` capped by what is left, and settles the exact usage the
upstream reports. It returns a :class:`Reply`: a JSON body, or an SSE stream whose ``finally``
settles what was generated even when the client goes away.

No prompt or completion content is stored or logged: only counts, ids and outcomes.
"""

import asyncio
import dataclasses
import json
import logging
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import iptocc
import psycopg
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.utils import timezone

from aipower.core.net import client_address, normalise_address
from aipower.core.ratelimit import LeasedRateLimiter, RateState
from aipower.grants.models import AllowanceState

from . import errors, hotpath, ledger, pgasync, services
from .clients import origin_of, upstream_clients
from .models import (
    KEY_PREFIX,
    ApiKey,
    MeteredRequest,
    ModelRoute,
    RequestOutcome,
    hash_secret,
    key_variable,
)

logger = logging.getLogger("aipower.gateway")

ENDPOINTS = {
    "chat": "/chat/completions",
    "completions": "/completions",
    "embeddings": "/embeddings",
}

# Upper bound of the tokens a chat template adds per message and per request.
TEMPLATE_TOKENS_PER_MESSAGE = 8
TEMPLATE_TOKENS_PER_REQUEST = 16
# What else of a chat request the template may render into the prompt: tools and the legacy
# functions, the response format, and vLLM's documents, chat template and its arguments.
CHAT_PROMPT_FIELDS = (
    "tools",
    "functions",
    "response_format",
    "documents",
    "chat_template",
    "chat_template_kwargs",
)
# Upper bound of the special tokens a tokenizer adds to each prompt of a completion request and
# each input of an embedding request (BOS/EOS, CLS/SEP: two in the tokenizers we know; four to
# spare). Chat has the template's allowance above.
SPECIAL_TOKENS_PER_PROMPT = 4


def setting(name, default):
    return getattr(settings, name, default)


# ---------------------------------------------------------------------------------------------
# Client address and region


def country_of(address: str) -> str | None:
    try:
        return iptocc.country_code(normalise_address(address))
    except (ValueError, TypeError):
        return None


def blocked_country(address: str) -> str | None:
    """The country of ``address`` when requests from it are refused (CN, HK, MO), else None."""
    country = country_of(address)
    return country if country in setting("GATEWAY_BLOCKED_COUNTRIES", ("CN", "HK", "MO")) else None


def region_blocked(address: str) -> bool:
    return blocked_country(address) is not None


@dataclasses.dataclass(frozen=True)
class Refused:
    """A request refused by its client's region: what the operator sees of it."""

    key_id: int
    award_id: int
    country: str
    address: str


def _check_region(key_id: int, award_id: int, address: str):
    country = blocked_country(address)
    if country is not None:
        raise errors.region_blocked(Refused(key_id, award_id, country, normalise_address(address)))


# ---------------------------------------------------------------------------------------------
# Rate limit: a token bucket per key, shared by every worker through the database and leased by
# each a second's worth at a time (``core.ratelimit.LeasedRateLimiter``).

rate_limiter = LeasedRateLimiter("api-key")


# ---------------------------------------------------------------------------------------------
# Request bodies: the worst-case token count of a prompt, without a tokenizer.


def _text_bytes(value) -> int:
    """UTF-8 bytes of every string in a JSON value: no tokenizer yields more tokens than bytes.
    An image part of a chat message counts ``GATEWAY_IMAGE_TOKENS`` instead of its URL's bytes:
    a vision model spends a fixed or bounded number of tokens per image (Gemma 3: 256), while
    a 1 MB base64 data URL counted a million — more than a whole L1 award — and a link to an
    image a hundred."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, dict):
        if value.get("type") == "image_url":
            return setting("GATEWAY_IMAGE_TOKENS", 4096)
        return sum(_text_bytes(item) for item in value.values())
    if isinstance(value, list):
        if value and all(isinstance(item, int) for item in value):
            return len(value)  # token ids
        return sum(_text_bytes(item) for item in value)
    return 0


def prompt_bound(endpoint: str, payload: dict) -> int:
    if endpoint == "chat":
        messages = payload.get("messages") or []
        bound = _text_bytes(messages) + TEMPLATE_TOKENS_PER_MESSAGE * len(messages)
        bound += sum(_text_bytes(payload.get(field)) for field in CHAT_PROMPT_FIELDS)
        return bound + TEMPLATE_TOKENS_PER_REQUEST
    if endpoint == "completions":
        prompt = payload.get("prompt") or ""
        bound = _text_bytes(prompt) + _text_bytes(payload.get("suffix") or "")
    else:
        prompt = payload.get("input") or ""
        bound = _text_bytes(prompt)
    return bound + SPECIAL_TOKENS_PER_PROMPT * _batch_size(prompt)


def longest_prompt_bound(endpoint: str, payload: dict, bound: int) -> int:
    """The bound of the longest single prompt, ``bound`` being the whole request's: each
    prompt of a completion's batch must fit in the model's context with ``max_tokens``, not
    their sum."""
    prompt = payload.get("prompt")
    if endpoint != "completions" or _batch_size(prompt) == 1:
        return bound
    suffix = _text_bytes(payload.get("suffix") or "")
    return max(_text_bytes(item) for item in prompt) + suffix + SPECIAL_TOKENS_PER_PROMPT


# The fields that bound a completion's length: newer SDKs send ``max_completion_tokens``, which
# supersedes ``max_tokens`` (vLLM takes the first it finds of the two, other servers only know
# ``max_tokens``); a client may send both.
LIMIT_FIELDS = ("max_completion_tokens", "max_tokens")


def requested_max_tokens(endpoint: str, payload: dict) -> tuple[str | None, int | None]:
    if endpoint == "embeddings":
        return None, None
    found = None
    for field in LIMIT_FIELDS:
        value = payload.get(field)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise errors.bad_request(f"{field} must be a positive integer", param=field)
            found = found or (field, value)
    return found or ("max_tokens", None)


def cap_limits(payload: dict, field: str, max_tokens: int):
    """``max_tokens`` (capped by what is left) in ``field``, and no other length field above it:
    whichever the upstream reads, it generates no more than was reserved."""
    payload[field] = max_tokens
    for other in LIMIT_FIELDS:
        if other != field and payload.get(other) is not None:
            payload[other] = min(payload[other], max_tokens)


def _batch_size(prompt) -> int:
    """How many prompts a completion's ``prompt`` (or an embedding's ``input``) holds: a list of
    strings or of token lists is a batch; a string or one list of token ids is one."""
    if not isinstance(prompt, list) or not prompt:
        return 1
    if all(isinstance(item, int) and not isinstance(item, bool) for item in prompt):
        return 1  # one prompt as token ids
    return len(prompt)


def _prompts(endpoint: str, payload: dict) -> int:
    """How many prompts a completion request has: the upstream answers each with ``n``
    choices."""
    return _batch_size(payload.get("prompt")) if endpoint == "completions" else 1


def _check_stream_fields(payload: dict):
    """``stream`` a boolean and ``stream_options`` an object (or absent): the relay reads both."""
    stream = payload.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise errors.bad_request("stream must be a boolean", param="stream")
    options = payload.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise errors.bad_request("stream_options must be an object", param="stream_options")


def _check_prompt_fields(endpoint: str, payload: dict):
    """The prompt's own field of a shape no server takes, refused as OpenAI refuses it (400
    naming it) instead of reserved for and forwarded (or a server error): a chat's
    ``messages`` a non-empty array of objects, a completion's ``prompt`` and an embedding's
    ``input`` a string or an array when sent (vLLM has alternatives to them: it judges their
    absence). Type checks only: the prompt bound walks the values anyway."""
    if endpoint == "chat":
        messages = payload.get("messages")
        if messages is None:
            raise errors.bad_request("messages is required", param="messages")
        if not isinstance(messages, list):
            raise errors.bad_request("messages must be an array of messages", param="messages")
        if not messages:
            raise errors.bad_request("messages must not be empty", param="messages")
        for index, message in enumerate(messages):
            if not isinstance(message, dict):
                raise errors.bad_request(
                    f"messages[{index}] must be an object", param=f"messages[{index}]"
                )
        return
    field = "prompt" if endpoint == "completions" else "input"
    value = payload.get(field)
    if value is not None and not isinstance(value, (str, list)):
        raise errors.bad_request(f"{field} must be a string or an array", param=field)


# ---------------------------------------------------------------------------------------------
# Admission (one thread hop to the database)


@dataclasses.dataclass
class Admission:
    key_id: int
    award_id: int
    allowance_id: int
    model_id: int
    model_name: str
    upstream_url: str
    upstream_key: str
    upstream_model: str
    timeout: float
    continuous_usage: bool
    reservation: Any
    reserved: int
    max_tokens: int | None
    request_id: str
    metering_unit: int = 1
    per_request: bool = False
    rate: RateState | None = None


def _upstream_key(api_key: str, name: str) -> str:
    if api_key:
        return api_key
    return os.environ.get(key_variable(name), "")


def public_model_id(model) -> str:
    """The id clients use: the catalogue's upstream id (a Hugging Face id), else its name."""
    return model.upstream_id or model.display_name


def allowed_routes(award):
    """The catalogue models the keys of ``award`` may call, by the id clients send (as
    ``/v1/models`` lists them), with their routes."""
    routes = ModelRoute.objects.select_related("model", "upstream").filter(
        model__awards=award,
        model__enabled=True,
        model__offered_inference=True,
        model__prohibited=False,
    )
    return {public_model_id(route.model): route for route in routes}


def _authenticate(authorization: str | None) -> ApiKey:
    key = (
        ApiKey.objects.select_related("award__allowance")
        .filter(secret_hash=_secret_hash(authorization))
        .first()
    )
    if key is None or not key.is_active:
        raise errors.invalid_api_key()
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def _secret_hash(authorization: str | None) -> str:
    scheme, _sep, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise errors.missing_api_key()
    if not secret.startswith(KEY_PREFIX):
        raise errors.foreign_api_key()  # no key of the platform: nothing to look up
    return hash_secret(secret)


def _check_service(state: str | None, within_period: bool):
    """The award's service, in the spec's order: no allowance, not active or outside its period
    → 429 insufficient_quota; suspended by the operator → 403 service_suspended."""
    if state == AllowanceState.SUSPENDED:
        raise errors.service_suspended()
    if state != AllowanceState.ACTIVE or not within_period:
        raise errors.insufficient_quota()


def models_for_key(authorization: str | None, address: str) -> list[dict]:
    key = _authenticate(authorization)
    allowance = getattr(key.award, "allowance", None)
    _check_service(
        allowance and allowance.state, allowance is not None and ledger.in_period(allowance)
    )
    _check_region(key.pk, key.award_id, address)
    # The listing counts against the key's rate limit as every other request does.
    per_minute = key.rate_limit or setting("GATEWAY_DEFAULT_RATE_LIMIT", 600)
    rate = rate_limiter.take(key.secret_hash, per_minute)
    if rate.retry_after:
        raise errors.rate_limited(rate.retry_after, rate.headers())
    created = int(key.award.approved_at.timestamp())
    return [
        _listed(name, route, created) for name, route in sorted(allowed_routes(key.award).items())
    ]


def _listed(name: str, route, created: int) -> dict:
    """A model as ``/v1/models`` lists it: OpenAI's four fields, and the context length as
    vLLM lists it (``max_model_len``) when the route has one, for clients that size their
    prompts by it."""
    entry = {
        "id": name,
        "object": "model",
        "created": created,
        "owned_by": route.model.vendor or "aipower",
    }
    if route.context_length:
        entry["max_model_len"] = route.context_length
    return entry


def _checks_before_rate(row: hotpath.KeyRow | None, address: str, model_name) -> int:
    """Admission's checks up to the rate limit, in the spec's order; the key's requests per
    minute."""
    if row is None or not row.key_active:
        raise errors.invalid_api_key()
    _check_service(row.allowance_state, row.in_period)
    _check_region(row.key_id, row.award_id, address)
    if not isinstance(model_name, str) or not model_name:
        wrong = model_name not in (None, "")
        message = "model must be a string" if wrong else "model is required"
        raise errors.bad_request(message, param="model")
    if row.model_id is None:
        raise errors.model_not_found(model_name)
    return row.rate_limit or setting("GATEWAY_DEFAULT_RATE_LIMIT", 600)


def _rated(rate: RateState) -> RateState:
    if rate.retry_after:
        raise errors.rate_limited(rate.retry_after, rate.headers())
    return rate


def _check_row(row: hotpath.KeyRow | None, secret_hash: str, address: str, model_name) -> RateState:
    """Admission's checks and the rate limit (the bucket is the key's, by its hash), in a
    worker thread; the key's bucket after this request."""
    per_minute = _checks_before_rate(row, address, model_name)
    return _rated(rate_limiter.take(secret_hash, per_minute))


async def _check_row_async(row, secret_hash: str, address: str, model_name) -> RateState:
    """``_check_row`` on the event loop: the database is asked (in a worker thread) only when
    this process holds nothing of the key's bucket."""
    per_minute = _checks_before_rate(row, address, model_name)
    rate = rate_limiter.take_here(secret_hash, per_minute)
    if rate is None:
        rate = await _take_in_thread(secret_hash, per_minute)
    return _rated(rate)


def _after_rate_limit(error: errors.GatewayError, rate: RateState) -> errors.GatewayError:
    """A refusal after the request took from the key's bucket: with the bucket's headers."""
    error.headers.update(rate.headers())
    return error


def _out_of_points(rate: RateState, left: int) -> errors.GatewayError:
    """429 insufficient_quota after the rate limit passed, with the bucket's headers: the
    points used up, or (``left`` above none) too few left for this request."""
    error = errors.too_little_left() if left > 0 else errors.insufficient_quota()
    return _after_rate_limit(error, rate)


MAX_TOKENS_ASKED = 2**62


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What a request may hold: its prompt's upper bound, its ``max_tokens`` and ``n``, and
    the bound of its longest prompt (a completion's batch; None: the whole bound)."""

    endpoint: str
    field: str | None
    asked: int | None
    bound: int
    choices: int
    longest: int | None = None

    @property
    def wanted(self) -> int:
        """``max_tokens`` before capping: the client's, else the default (within a bigint for
        the SQL admission: no allowance holds more)."""
        return min(self.asked or setting("GATEWAY_DEFAULT_MAX_TOKENS", 4096), MAX_TOKENS_ASKED)

    def ask(self) -> hotpath.Ask:
        """The same request for the one-statement admission, which sizes it in SQL."""
        return hotpath.Ask(
            bound=self.bound,
            max_tokens=self.wanted,
            choices=self.choices,
            embeddings=self.endpoint == "embeddings",
            longest=self.longest,
        )

    def size(self, left: int, context: int | None = None) -> tuple[int | None, int] | None:
        """(max_tokens, units to reserve) with ``left`` units available and the model's
        ``context`` length (None: unknown), or None: too few."""
        if self.endpoint == "embeddings":
            max_tokens, units = None, max(1, self.bound)
        else:
            # Each of the n choices may generate up to max_tokens.
            room = (left - self.bound) // self.choices
            max_tokens = min(self.wanted, room)
            longest = self.bound if self.longest is None else self.longest
            if context is not None and context > longest:
                # The longest prompt and max_tokens within the context, so that the upstream
                # never refuses the length. A bound that fills the context proves nothing (it
                # counts bytes): the upstream, which has the tokenizer, judges that request.
                max_tokens = min(max_tokens, context - longest)
            units = self.bound + max_tokens * self.choices
            if max_tokens < 1:
                return None
        return None if units > left else (max_tokens, units)


def _plan(endpoint: str, payload: dict) -> _Plan:
    field, asked = requested_max_tokens(endpoint, payload)
    _check_stream_fields(payload)
    _check_prompt_fields(endpoint, payload)
    bound = prompt_bound(endpoint, payload)
    choices = payload.get("n", 1) if endpoint != "embeddings" else 1
    if choices is None:
        choices = 1
    if not isinstance(choices, int) or isinstance(choices, bool) or not 1 <= choices <= 16:
        raise errors.bad_request("n must be an integer from 1 to 16", param="n")
    # Each prompt of a batch gets its n choices, each up to max_tokens.
    choices *= _prompts(endpoint, payload)
    longest = longest_prompt_bound(endpoint, payload, bound)
    return _Plan(endpoint, field, asked, bound, choices, longest)


def _in_thread(function):
    """``function`` on Django's connection, awaitable (a worker thread)."""

    def run(*args):
        close_old_connections()
        return function(*args)

    # Not thread-sensitive: the ORM is safe in any thread (one connection per thread), requests
    # are admitted in parallel, and a settlement that outlives its request (after a disconnect)
    # must not depend on the request's thread-sensitive executor, which Django shuts down with
    # the request.
    return sync_to_async(run, thread_sensitive=False)


_release_in_thread = _in_thread(ledger.release)


def _release_later(reservation):
    """Release a reservation nobody waits for any more (its admission's caller went away)."""
    _keep(asyncio.ensure_future(_release_in_thread(reservation)))


def _admit_in_two_steps(endpoint, secret_hash, model_name, address, payload, request_id):
    """SQLite, and loops without their own connections: the query, the checks and the
    reservation on Django's connection, in one worker thread."""
    model_arg = model_name if isinstance(model_name, str) else ""
    row = hotpath.read_key(secret_hash, model_arg, timezone.now())
    rate = _check_row(row, secret_hash, address, model_name)
    try:
        plan = _plan(endpoint, payload)
    except errors.GatewayError as error:
        raise _after_rate_limit(error, rate) from None
    reservation = sizing = None
    for attempt in range(3):
        # First from the allowance row just read with the key; the reservation's conditional
        # UPDATE is the judge, and a retry reads the row again.
        left = row.left_units if attempt == 0 else ledger.max_reservable(row.allowance_id)
        sizing = plan.size(left, row.context_length)
        if sizing is None:
            break
        reservation = hotpath.reserve(
            row.allowance_id, sizing[1], request_id, ledger.RESERVATION_TTL_SECONDS
        )
        if reservation is not None:
            break
    if reservation is None:
        raise _out_of_points(rate, left)
    max_tokens, units = sizing
    return row, plan, reservation, max_tokens, units, rate


_admit_in_thread = _in_thread(_admit_in_two_steps)
_take_in_thread = _in_thread(rate_limiter.take)


async def _admit_in_one(endpoint, secret_hash, model_name, address, payload, request_id):
    """PostgreSQL: the admission query and the reservation in one statement when nothing this
    process knows already forbids the reservation (region, body, an empty rate-limit bucket);
    otherwise the query alone, so that the checks still answer in the spec's order."""
    try:
        plan, refusal = _plan(endpoint, payload), None
    except errors.GatewayError as error:
        plan, refusal = None, error
    go = (
        plan is not None
        and isinstance(model_name, str)
        and bool(model_name)
        and not region_blocked(address)
        and rate_limiter.has_room(secret_hash)
    )
    row, reservation, max_tokens = await hotpath.admit_async(
        secret_hash,
        model_name if isinstance(model_name, str) else "",
        plan.ask() if plan else hotpath.NO_ASK,
        go,
        request_id,
        ledger.RESERVATION_TTL_SECONDS,
        release=_release_later,
    )
    try:
        rate = await _check_row_async(row, secret_hash, address, model_name)
        if refusal is not None:
            raise _after_rate_limit(refusal, rate)
    except errors.GatewayError:
        if reservation is not None:
            # Only a rate limit reached meanwhile (by a concurrent request, or another worker
            # when this one held nothing of the key's bucket) gets here.
            await _release_in_thread(reservation)
        raise
    if reservation is None:
        raise _out_of_points(rate, row.left_units)
    if endpoint == "embeddings":
        max_tokens = None
    return row, plan, reservation, max_tokens, reservation.units, rate


def new_request_id() -> str:
    """A request's id: its reservation's, its metering record's and its ``x-request-id``."""
    return "req-" + uuid.uuid4().hex


async def admit(
    endpoint: str,
    authorization: str | None,
    address: str,
    payload: dict,
    request_id: str | None = None,
):
    """Admission in the spec's order: the key, its allowance and the model's route in one query
    (``hotpath``), the checks, the reservation. On a server's loop with PostgreSQL the query and
    the reservation are one statement on the loop's own connection (``gateway.pgasync``)."""
    secret_hash = _secret_hash(authorization)
    model_name = payload.get("model")
    request_id = request_id or new_request_id()
    admit_in = _admit_in_one if pgasync.enabled() else _admit_in_thread
    row, plan, reservation, max_tokens, units, rate = await admit_in(
        endpoint, secret_hash, model_name, address, payload, request_id
    )
    if plan.field and max_tokens is not None:
        cap_limits(payload, plan.field, max_tokens)
    return Admission(
        key_id=row.key_id,
        award_id=row.award_id,
        allowance_id=row.allowance_id,
        model_id=row.model_id,
        model_name=model_name,
        upstream_url=row.upstream_base_url.rstrip("/") + ENDPOINTS[endpoint],
        upstream_key=_upstream_key(row.upstream_api_key, row.upstream_name),
        upstream_model=row.upstream_model or row.model_upstream_id or model_name,
        timeout=row.upstream_timeout,
        continuous_usage=row.upstream_continuous_usage,
        reservation=reservation,
        reserved=units,
        max_tokens=max_tokens,
        request_id=request_id,
        metering_unit=row.metering_unit,
        per_request=row.per_request,
        rate=rate,
    )


# ---------------------------------------------------------------------------------------------
# Settlement (one statement on PostgreSQL, one transaction on SQLite)


_settle_in_thread = _in_thread(hotpath.settle)


def _count(usage, field: str) -> int:
    """A token count of the upstream's usage; anything but a count (negative, text) is none,
    so that it can neither fail the settlement nor credit the allowance."""
    try:
        return max(0, int((usage or {}).get(field) or 0))
    except (AttributeError, TypeError, ValueError, OverflowError):
        return 0


async def settle(admission: Admission, endpoint, stream, usage, outcome, started_at):
    prompt = _count(usage, "prompt_tokens")
    completion = _count(usage, "completion_tokens")
    if outcome != RequestOutcome.UPSTREAM_ERROR:
        metering = hotpath.Metering(
            request_id=admission.request_id,
            key_id=admission.key_id,
            award_id=admission.award_id,
            model_id=admission.model_id,
            endpoint=endpoint,
            stream=stream,
            prompt_tokens=prompt,
            completion_tokens=completion,
            reserved_tokens=admission.reserved,
            outcome=outcome,
            started_at=started_at,
        )
        hot = hotpath.settle_async if pgasync.enabled() else _settle_in_thread
        try:
            await _retrying(
                hot, admission.reservation, admission.metering_unit, admission.per_request, metering
            )
        except (IntegrityError, psycopg.IntegrityError):
            # Charged already (a retried settlement): the ORM path sorts it out.
            await _retrying(
                _settle_orm_in_thread, admission, endpoint, stream, prompt, completion, outcome,
                started_at,
            )  # fmt: skip
    else:
        prompt = completion = 0
        await _retrying(
            _settle_orm_in_thread, admission, endpoint, stream, 0, 0, outcome, started_at
        )
    logger.info(
        "request %s award=%s model=%s outcome=%s prompt=%s completion=%s",
        admission.request_id,
        admission.award_id,
        admission.model_name,
        outcome,
        prompt,
        completion,
    )


def _settle_orm(admission, endpoint, stream, prompt, completion, outcome, started_at):
    """The ledger's own operations: a release after an upstream failure, or a settlement of a
    request whose charge is already in the ledger (idempotent). One transaction."""
    with transaction.atomic():
        ledger.take_write_lock()
        if outcome == RequestOutcome.UPSTREAM_ERROR:
            ledger.release(admission.reservation)
        else:
            ledger.settle(
                admission.reservation, prompt + completion, admission.request_id, admission
            )
        if not MeteredRequest.objects.filter(request_id=admission.request_id).exists():
            _record(admission, endpoint, stream, prompt, completion, outcome, started_at)


def _record(admission, endpoint, stream, prompt, completion, outcome, started_at):
    MeteredRequest.objects.create(
        request_id=admission.request_id,
        api_key_id=admission.key_id,
        award_id=admission.award_id,
        model_id=admission.model_id,
        endpoint=endpoint,
        stream=stream,
        prompt_tokens=prompt,
        completion_tokens=completion,
        reserved_tokens=admission.reserved,
        outcome=outcome,
        started_at=started_at,
        finished_at=timezone.now(),
    )


_settle_orm_in_thread = _in_thread(_settle_orm)
models_async = _in_thread(models_for_key)

# A busy database (SQLite's write lock, a serialization failure) is retried: settlements are
# idempotent on the request id, and an admission that failed reserved nothing.
DB_RETRIES = 6


async def _retrying(function, *args):
    for attempt in range(DB_RETRIES):
        try:
            return await function(*args)
        except (OperationalError, psycopg.OperationalError):
            if attempt == DB_RETRIES - 1:
                raise
            await asyncio.sleep(0.02 * 2**attempt)
    return None


async def admit_async(endpoint, authorization, address, payload, request_id):
    """``admit``, retried while the database is busy. A retry takes a new request id: should
    the failed attempt's reservation have been committed after all, the sweeper releases it."""
    ids = [request_id]

    async def attempt():
        request_id = ids.pop() if ids else new_request_id()
        return await admit(endpoint, authorization, address, payload, request_id)

    return await _retrying(attempt)


# Tasks that must outlive a cancelled response (settlement after a disconnect).
_background: set[asyncio.Task] = set()


def _keep(task: asyncio.Task):
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


# ---------------------------------------------------------------------------------------------
# Replies


@dataclasses.dataclass
class Reply:
    status: int
    body: dict | None = None
    stream: AsyncIterator[bytes] | None = None
    headers: dict = dataclasses.field(default_factory=dict)


_record_refusal_in_thread = _in_thread(services.record_region_refusal)


async def _note_refusal(error: errors.GatewayError):
    """Count a request refused for its region (the operator's evidence); a failure to count
    it does not change the answer."""
    refused = error.refused
    if refused is None:
        return
    try:
        await _record_refusal_in_thread(
            refused.key_id, refused.award_id, refused.country, refused.address
        )
    except DatabaseError:
        logger.exception("a request refused from %s was not recorded", refused.country)


def error_reply(error: errors.GatewayError, request_id: str | None = None) -> Reply:
    """The error's reply, with its ``x-request-id`` (a new one for a request refused before
    admission gave it one; such an id is not stored anywhere)."""
    headers = {**error.headers, "x-request-id": request_id or new_request_id()}
    return Reply(error.status, error.body(), headers=headers)


async def list_models(headers: dict, peer: str) -> Reply:
    address = client_address(peer, headers.get("x-forwarded-for"))
    try:
        data = await models_async(headers.get("authorization"), address)
    except errors.GatewayError as error:
        await _note_refusal(error)
        return error_reply(error)
    except Exception:
        request_id = new_request_id()
        logger.exception("request %s failed", request_id)
        return error_reply(errors.server_error(), request_id)
    return Reply(200, {"object": "list", "data": data}, headers={"x-request-id": new_request_id()})


async def retrieve_model(headers: dict, peer: str, model: str) -> Reply:
    """``GET /v1/models/{model}``: the model as the listing shows it, when this key may use it
    (the openai SDK's ``models.retrieve``); otherwise 404 ``model_not_found``. The listing's
    checks and rate-limit bucket, as ``list_models``."""
    listing = await list_models(headers, peer)
    if listing.status != 200:
        return listing
    found = next((entry for entry in listing.body["data"] if entry["id"] == model), None)
    if found is None:
        return error_reply(errors.model_not_found(model))
    return Reply(200, found, headers=listing.headers)


async def handle(endpoint: str, headers: dict, peer: str, body: bytes) -> Reply:
    """Admit, forward and meter one request. ``headers`` has lower-case names. Every reply has
    an ``x-request-id``: for an admitted request the id its reservation and metering record
    carry; once the key's rate limit was consulted, the ``x-ratelimit-*-requests`` headers."""
    request_id = new_request_id()
    try:
        return await _handle(endpoint, headers, peer, body, request_id)
    except Exception:
        # A fault of the gateway's own: answered in OpenAI's shape with the request's id (a
        # reservation it made is left to the sweeper).
        logger.exception("request %s failed", request_id)
        return error_reply(errors.server_error(), request_id)


async def _handle(endpoint: str, headers: dict, peer: str, body: bytes, request_id: str) -> Reply:
    address = client_address(peer, headers.get("x-forwarded-for"))
    try:
        payload = json.loads(body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        payload = None
    try:
        if payload is None:
            # Authenticate before complaining about the body.
            await models_async(headers.get("authorization"), address)
            raise errors.bad_request("the body must be a JSON object")
        admission = await admit_async(
            endpoint, headers.get("authorization"), address, payload, request_id
        )
    except errors.GatewayError as error:
        await _note_refusal(error)
        return error_reply(error, request_id)

    # From here on the reservation must end in a settlement or a release, even when the client
    # goes away while the upstream works: the forwarding runs in a task a cancellation cannot
    # stop (what the upstream then generates is charged, as the spec asks).
    reply = await asyncio.shield(
        _keep(asyncio.ensure_future(forward(endpoint, admission, payload)))
    )
    reply.headers.update(admission.rate.headers())
    reply.headers["x-request-id"] = admission.request_id
    return reply


async def forward(endpoint: str, admission: Admission, payload: dict) -> Reply:
    started_at = timezone.now()
    stream = bool(payload.get("stream")) and endpoint != "embeddings"
    payload["model"] = admission.upstream_model
    upstream_headers = {"content-type": "application/json"}
    if admission.upstream_key:
        upstream_headers["authorization"] = f"Bearer {admission.upstream_key}"
    timeout = httpx.Timeout(admission.timeout, connect=min(admission.timeout, 10.0))
    clients, origin = upstream_clients(), origin_of(admission.upstream_url)
    client = clients.acquire(origin)

    if not stream:
        try:
            response = await client.post(
                admission.upstream_url, json=payload, headers=upstream_headers, timeout=timeout
            )
        except httpx.TimeoutException:
            await settle(admission, endpoint, False, None, "upstream_error", started_at)
            return error_reply(errors.upstream_failed(timeout=True), admission.request_id)
        except httpx.HTTPError:
            await settle(admission, endpoint, False, None, "upstream_error", started_at)
            return error_reply(errors.upstream_failed(), admission.request_id)
        finally:
            clients.release(origin, client)
        return await _finish_plain(admission, endpoint, response, started_at)

    asked = payload.get("stream_options") or {}
    client_wants_usage = bool(asked.get("include_usage"))
    # vLLM's usage with every chunk: the gateway's own for an upstream marked so (to charge a
    # disconnected stream exactly), relayed only to a client that asked for it itself.
    chunk_usage = client_wants_usage and bool(asked.get("continuous_usage_stats"))
    options = {"include_usage": True}
    if admission.continuous_usage or chunk_usage:
        options["continuous_usage_stats"] = True
    payload["stream_options"] = options
    request = client.build_request(
        "POST", admission.upstream_url, json=payload, headers=upstream_headers, timeout=timeout
    )
    try:
        response = await client.send(request, stream=True)
    except httpx.HTTPError as error:
        clients.release(origin, client)
        await settle(admission, endpoint, True, None, "upstream_error", started_at)
        timed_out = isinstance(error, httpx.TimeoutException)
        return error_reply(errors.upstream_failed(timeout=timed_out), admission.request_id)
    if response.status_code != 200:
        try:
            await response.aread()
            await response.aclose()
        finally:
            clients.release(origin, client)
        return await _finish_plain(admission, endpoint, response, started_at, stream=True)
    relay = StreamRelay(
        admission,
        endpoint,
        response,
        client_wants_usage,
        started_at,
        on_close=lambda: clients.release(origin, client),
        chunk_usage=chunk_usage,
    )
    return Reply(
        200,
        stream=relay.events(),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _finish_plain(admission, endpoint, response, started_at, stream=False) -> Reply:
    if response.status_code >= 500 or response.status_code in (401, 403, 404, 429):
        # The platform's own upstream failing or refusing is the platform's fault: 502.
        await settle(admission, endpoint, stream, None, "upstream_error", started_at)
        return error_reply(
            errors.upstream_failed(timeout=response.status_code == 504), admission.request_id
        )
    try:
        data = response.json()
    except ValueError:
        await settle(admission, endpoint, stream, None, "upstream_error", started_at)
        return error_reply(errors.upstream_failed(), admission.request_id)
    if response.status_code != 200:
        # The request itself was wrong (e.g. too long for the context): pass the error on.
        await settle(admission, endpoint, stream, None, "upstream_error", started_at)
        return Reply(response.status_code, data)
    usage = data.get("usage") if isinstance(data, dict) else None
    if not usage:
        # No usage reported: charge the reservation rather than guess.
        logger.warning("request %s: upstream reported no usage", admission.request_id)
        usage = {"prompt_tokens": admission.reserved, "completion_tokens": 0}
    await settle(admission, endpoint, False, usage, "ok", started_at)
    if isinstance(data, dict) and "model" in data:
        data["model"] = admission.model_name
    return Reply(200, data)


def unchanged_events(raw: bytes) -> int:
    """How many events an upstream read holds when it can be passed on as it came — whole
    events, each one ``data: `` line, without usage (``"usage": null`` aside), without
    ``[DONE]`` — else 0. The common case: one look per read instead of one per event (a long
    answer has hundreds)."""
    if not raw.startswith(b"data: ") or not raw.endswith(b"\n\n") or b"[DONE]" in raw:
        return 0
    events = raw.count(b"\n\ndata: ") + 1
    if raw.count(b"\n") != 2 * events:
        return 0
    usages = raw.count(b'"usage"')
    if usages and usages != raw.count(b'"usage": null') + raw.count(b'"usage":null'):
        return 0
    return events


def ends_in_error(block: bytes | None) -> bool:
    """Whether the last event of ``block`` (what the relay passed on last) is an error event,
    ``data: {"error": …}``: what vLLM sends, then ``[DONE]``, when generation fails inside a
    200 stream. Looked at once, when the stream has ended."""
    if not block or b'"error"' not in block:
        return False
    line = block.rstrip().rpartition(b"\n")[2]
    if not line.startswith(b"data:"):
        return False
    try:
        event = json.loads(line[5:])
    except ValueError:
        return False
    return isinstance(event, dict) and "error" in event


class StreamRelay:
    """Relays the upstream's SSE events to the client and settles exactly once.

    A reader task owns the upstream stream: it rewrites each event (dropping the usage the
    client did not ask for, and the per-chunk usage of a client that asked for the final usage
    only), notes the usage and counts the chunks, and settles at the end —
    before it hands over the final ``[DONE]``, so a client that has read the whole stream finds
    its usage recorded. The response only drains the reader's queue; when the client goes away
    the response is cancelled but the reader is not: it reads on to the upstream's usage (or
    stops at once when the upstream reports usage with every chunk) and charges exactly that.
    A stream the upstream ends with an error event (passed on as it came), like one that
    breaks, is an upstream error: nothing charged, the reservation released.
    """

    def __init__(
        self,
        admission,
        endpoint,
        response,
        client_wants_usage,
        started_at,
        on_close=None,
        chunk_usage=False,
    ):
        self.admission = admission
        self.endpoint = endpoint
        self.response = response
        self.client_wants_usage = client_wants_usage
        # The client asked for usage with every chunk (vLLM's option); otherwise, as OpenAI,
        # only the last chunk (without choices) carries it.
        self.chunk_usage = chunk_usage
        self.started_at = started_at
        self.on_close = on_close
        self.usage = None
        self.chunks = 0
        self.abandoned = False
        self.rename = admission.upstream_model != admission.model_name
        self.queue: asyncio.Queue = asyncio.Queue()
        self.reader = _keep(asyncio.ensure_future(self._read()))

    def _rewrite(self, data: bytes) -> bytes | None:
        """The event to send for one upstream ``data:`` payload, or None to drop it.

        Bytes in, bytes out: an event without usage is passed on as it came, undecoded.
        """
        has_usage = b'"usage"' in data and not (b'"usage": null' in data or b'"usage":null' in data)
        if not has_usage and not self.rename:
            self.chunks += 1
            return b"data: " + data + b"\n\n"
        try:
            event = json.loads(data)
        except ValueError:
            return b"data: " + data + b"\n\n"
        if event.get("usage"):
            self.usage = event["usage"]
        if event.get("choices"):
            self.chunks += 1
        elif event.get("usage") and not self.client_wants_usage:
            return None  # the final usage-only chunk the client did not ask for
        if "usage" in event:
            if not self.client_wants_usage:
                del event["usage"]
            elif event.get("choices") and not self.chunk_usage:
                event["usage"] = None
        if self.rename and "model" in event:
            event["model"] = self.admission.model_name
        return b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n"

    async def _blocks(self):
        """What each upstream read brought: ``(raw, None)`` when it passes unchanged
        (``unchanged_events``), else ``(None, lines)``: its complete lines, without line ends."""
        pending = b""
        async for raw in self.response.aiter_raw():
            if not pending and not self.rename:
                events = unchanged_events(raw)
                if events:
                    self.chunks += events
                    yield raw, None
                    continue
            lines = (pending + raw).split(b"\n")
            pending = lines.pop()
            if lines:
                yield None, lines
        if pending:
            yield None, [pending]

    async def _read(self):
        outcome = RequestOutcome.OK
        done = False
        last = None  # the events passed on last (for ``ends_in_error``)
        try:
            async for unchanged, lines in self._blocks():
                out = [unchanged] if unchanged is not None else []
                for line in lines or ():
                    if not line.startswith(b"data:"):
                        continue
                    data = line[5:].strip()
                    if data == b"[DONE]":
                        done = True
                        continue
                    event = self._rewrite(data)
                    if event is not None:
                        out.append(event)
                if out:
                    last = out
                if self.abandoned:
                    if self.usage is not None and self.admission.continuous_usage:
                        break  # usage so far is known: stop the generation now
                    continue
                if out:
                    # One queue item (one write to the client) per upstream read.
                    self.queue.put_nowait(b"".join(out))
        except httpx.HTTPError:
            outcome = RequestOutcome.UPSTREAM_ERROR
        except asyncio.CancelledError:
            outcome = RequestOutcome.DISCONNECTED
        finally:
            try:
                await self.response.aclose()
            finally:
                if self.on_close is not None:
                    self.on_close()
            # The upstream's own error event reached the client: it needs no second one.
            reported = outcome != RequestOutcome.UPSTREAM_ERROR and ends_in_error(last and last[-1])
            if reported:
                outcome = RequestOutcome.UPSTREAM_ERROR
            elif self.abandoned and outcome == RequestOutcome.OK:
                outcome = RequestOutcome.DISCONNECTED
            usage = self.usage
            if usage is None and outcome != RequestOutcome.UPSTREAM_ERROR:
                # Never zero: the streamed chunks are the upstream's own tokens.
                usage = {"prompt_tokens": 0, "completion_tokens": max(1, self.chunks)}
            try:
                await settle(self.admission, self.endpoint, True, usage, outcome, self.started_at)
            finally:
                if outcome == RequestOutcome.UPSTREAM_ERROR and not reported:
                    error = errors.upstream_failed()
                    body = json.dumps(error.body(), ensure_ascii=False).encode()
                    self.queue.put_nowait(b"data: " + body + b"\n\n")
                elif done or outcome == RequestOutcome.OK:
                    # OpenAI's streams always end so; some upstreams' do not.
                    self.queue.put_nowait(b"data: [DONE]\n\n")
                self.queue.put_nowait(None)

    async def events(self):
        try:
            while True:
                # Whatever has arrived meanwhile goes out in one write.
                items = [await self.queue.get()]
                while items[-1] is not None and not self.queue.empty():
                    items.append(self.queue.get_nowait())
                ended = items[-1] is None
                if ended:
                    items.pop()
                if items:
                    yield b"".join(items)
                if ended:
                    return
        finally:
            if not self.reader.done():
                # The client went away: the reader reads on and settles on its own.
                self.abandoned = True
