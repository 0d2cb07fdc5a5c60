"""The gateway's SQL hot path (``gateway.hotpath``) against the ledger's own operations.

The key query and the settlement run both ways: on Django's connection (``django``: SQLite, and
PostgreSQL outside a server's loop) and on an event loop's own connections (``loop``:
``gateway.pgasync``, PostgreSQL only; there the key is read by the one-statement admission with
nothing to reserve, as for a refused request).
"""

import asyncio
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from aipower.calls.enums import TokenRounding
from aipower.gateway import hotpath, pgasync
from aipower.gateway.models import ApiKey, MeteredRequest, hash_secret
from aipower.grants import services
from aipower.grants.models import Allowance, LedgerEntry, Reservation

pytestmark = pytest.mark.integration


class DjangoPath:
    read_key = staticmethod(hotpath.read_key)
    settle = staticmethod(hotpath.settle)


class LoopPath:
    """The async statements, each run to completion on an event loop of its own (in a thread:
    the browser tests keep a loop running in the main thread), with its connections."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.run(self._start())

    @staticmethod
    async def _start():
        pgasync.start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def read_key(self, secret_hash, model_name, now):
        row, reservation, _max_tokens = self.run(
            hotpath.admit_async(secret_hash, model_name, hotpath.NO_ASK, False, "req-read", 900)
        )
        assert reservation is None
        return row

    def settle(self, reservation, metering_unit, per_request, metering):
        return self.run(hotpath.settle_async(reservation, metering_unit, per_request, metering))

    def close(self):
        self.run(pgasync.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def loop_path(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the event loop's own connections are PostgreSQL's")
    loop_path = LoopPath()
    yield loop_path
    loop_path.close()


@pytest.fixture(params=["django", "loop"])
def path(request, transactional_db):
    if request.param == "django":
        return DjangoPath()
    return request.getfixturevalue("loop_path")


@pytest.fixture
def read(path):
    return lambda secret, model_name: path.read_key(hash_secret(secret), model_name, timezone.now())


def metering(request_id, key_id, award, model, prompt, completion, reserved):
    return hotpath.Metering(
        request_id=request_id,
        key_id=key_id,
        award_id=award.pk,
        model_id=model.pk,
        endpoint="chat",
        stream=False,
        prompt_tokens=prompt,
        completion_tokens=completion,
        reserved_tokens=reserved,
        outcome="ok",
        started_at=timezone.now(),
    )


def test_read_key_gives_key_allowance_and_route(read, api_key, award, model_id, inference_models):
    row = read(api_key, model_id)

    allowance = Allowance.objects.get(award=award)
    assert row.key_id == ApiKey.objects.get().pk
    assert row.award_id == award.pk
    assert row.key_active is True
    assert row.allowance_id == allowance.pk
    assert row.allowance_state == "active"
    assert row.in_period is True
    assert row.left_units == allowance.granted_units
    assert row.model_id == inference_models[0].pk
    assert row.upstream_name == "mock"


def test_read_key_unknown_secret_is_none(read, api_key, model_id):
    assert read("sk-aipower-not-a-key", model_id) is None


def test_read_key_model_outside_the_award_has_no_route(read, api_key, inference_models):
    from aipower.gateway.core import public_model_id

    row = read(api_key, public_model_id(inference_models[1]))

    assert row.key_active is True
    assert row.model_id is None


def test_read_key_prohibited_model_has_no_route(read, api_key, model_id, inference_models):
    type(inference_models[0]).objects.filter(pk=inference_models[0].pk).update(prohibited=True)

    assert read(api_key, model_id).model_id is None


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - datetime.timedelta(seconds=1)},
    ],
)
def test_read_key_revoked_or_expired_key_is_inactive(read, api_key, model_id, change):
    ApiKey.objects.update(**change)

    assert read(api_key, model_id).key_active is False


def test_read_key_outside_the_period_is_not_in_period(read, api_key, model_id, award):
    past = timezone.localdate() - datetime.timedelta(days=1)
    Allowance.objects.filter(award=award).update(ends_on=past)

    assert read(api_key, model_id).in_period is False


def test_read_key_writes_last_use_at_most_once_a_minute(read, api_key, model_id):
    read(api_key, model_id)
    first = ApiKey.objects.get().last_used_at
    read(api_key, model_id)

    assert first is not None
    assert ApiKey.objects.get().last_used_at == first


def test_reserve_holds_units_and_refuses_past_the_cap(award):
    allowance = Allowance.objects.get(award=award)

    held = hotpath.reserve(allowance.pk, allowance.granted_units - 10, "req-1", 900)
    refused = hotpath.reserve(allowance.pk, 11, "req-2", 900)

    allowance.refresh_from_db()
    assert held is not None and refused is None
    assert allowance.reserved_units == allowance.granted_units - 10
    assert list(Reservation.objects.values_list("request_id", "units", "settled_at")) == [
        ("req-1", allowance.granted_units - 10, None)
    ]


def test_reserve_refuses_a_suspended_allowance(award):
    allowance = Allowance.objects.get(award=award)
    Allowance.objects.filter(pk=allowance.pk).update(state="suspended")

    assert hotpath.reserve(allowance.pk, 1, "req-1", 900) is None
    assert not Reservation.objects.exists()


def _twin_award(seeded_call, inference_models):
    from aipower.accounts.models import Company
    from aipower.devtools.demo_grants import grant_inference_award

    twin = Company.objects.create(ubn="04595257", name="雙生測試有限公司")
    today = timezone.localdate()
    return grant_inference_award(
        twin,
        seeded_call,
        points=1000,
        models=inference_models[:1],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )


@pytest.mark.parametrize("rounding", [TokenRounding.RUNNING_TOTAL, TokenRounding.PER_REQUEST])
def test_settle_charges_as_the_ledger_does(
    path, read, award, api_key, seeded_call, inference_models, rounding
):
    """The same usages settled through SQL (award) and through grants.services (twin) leave
    both allowances and ledgers alike, down to the capped last charge that exhausts them."""
    type(seeded_call).objects.filter(pk=seeded_call.pk).update(token_rounding=rounding)
    twin = _twin_award(seeded_call, inference_models)
    key_id = ApiKey.objects.get().pk
    row = read(api_key, inference_models[0].upstream_id or inference_models[0].display_name)
    ours = Allowance.objects.get(award=award)
    theirs = Allowance.objects.get(award=twin)
    usages = [73, 1000, 999, 5, ours.granted_units]  # the last one exceeds what is left

    for index, exact in enumerate(usages):
        left = ours.granted_units - Allowance.objects.get(pk=ours.pk).used_units
        units = min(exact, left) or 1
        mine = hotpath.reserve(ours.pk, units, f"req-a{index}", 900)
        other = services.reserve(theirs.pk, units, f"req-b{index}")
        if mine is None:
            assert other is None
            break
        path.settle(
            mine,
            row.metering_unit,
            row.per_request,
            metering(f"req-a{index}", key_id, award, inference_models[0], exact, 0, units),
        )
        services.settle(other, exact, f"gw:req-b{index}", model=inference_models[0])

    fields = ("granted_units", "used_units", "exact_units", "reserved_units", "state")
    assert Allowance.objects.filter(pk=ours.pk).values(*fields).get() == (
        Allowance.objects.filter(pk=theirs.pk).values(*fields).get()
    )
    assert Allowance.objects.get(pk=ours.pk).state == "exhausted"
    charges = LedgerEntry.objects.filter(kind="usage").order_by("pk")
    assert list(charges.filter(allowance=ours).values_list("units", "exact_units")) == list(
        charges.filter(allowance=theirs).values_list("units", "exact_units")
    )
    assert MeteredRequest.objects.filter(award=award).count() == len(charges.filter(allowance=ours))
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()


def test_settle_after_a_top_up_takes_nothing_of_an_earlier_capped_rounding(
    path, read, award, api_key, seeded_call, inference_models
):
    """10,300 tokens used of 10,500 (the capped charge left 500 of the rounding uncharged),
    then the operator adds 100,000: a request of 1,000 tokens is charged 1,000 through SQL
    (award) as through grants.services (twin); it was charged 1,500, the old rounding taken
    from the new points."""
    twin = _twin_award(seeded_call, inference_models)
    key_id = ApiKey.objects.get().pk
    row = read(api_key, inference_models[0].upstream_id or inference_models[0].display_name)
    ours = Allowance.objects.get(award=award)
    theirs = Allowance.objects.get(award=twin)
    for allowance in (ours, theirs):
        services.adjust(allowance, 10_500 - allowance.granted_units, "測試額度", None)

    for index, exact in enumerate([10_000, 300, "top-up", 1000]):
        if exact == "top-up":
            for allowance in (ours, theirs):
                services.adjust(allowance, 100_000, "加發", None)
            continue
        mine = hotpath.reserve(ours.pk, exact, f"req-a{index}", 900)
        other = services.reserve(theirs.pk, exact, f"req-b{index}")
        path.settle(
            mine,
            row.metering_unit,
            row.per_request,
            metering(f"req-a{index}", key_id, award, inference_models[0], exact, 0, exact),
        )
        services.settle(other, exact, f"gw:req-b{index}", model=inference_models[0])

    for allowance in (ours, theirs):
        allowance.refresh_from_db()
        last = LedgerEntry.objects.filter(allowance=allowance, kind="usage").latest("pk")
        assert last.units == -1000
        assert (allowance.used_units, allowance.exact_units, allowance.state) == (
            11_500,
            11_300,
            "active",
        )
        assert services.ledger_mismatch(allowance) == {}


def test_request_running_when_the_period_ends_keeps_the_ledger_balanced(
    path, read, award, api_key, seeded_call, inference_models
):
    """A request admitted before midnight and settled after the housekeeping expired the award:
    it is charged (it ran in the period), and the forfeited remainder is given back that much,
    so the ledger's balance is zero, not below — through SQL (award) as through grants.services
    (twin)."""
    twin = _twin_award(seeded_call, inference_models)
    key_id = ApiKey.objects.get().pk
    row = read(api_key, inference_models[0].upstream_id or inference_models[0].display_name)
    ours = Allowance.objects.get(award=award)
    theirs = Allowance.objects.get(award=twin)
    mine = hotpath.reserve(ours.pk, 5000, "req-late-a", 900)
    other = services.reserve(theirs.pk, 5000, "req-late-b")
    for allowance in (ours, theirs):
        assert services.expire(allowance)

    path.settle(
        mine,
        row.metering_unit,
        row.per_request,
        metering("req-late-a", key_id, award, inference_models[0], 1200, 300, 5000),
    )
    services.settle(other, 1500, "gw:req-late-b", model=inference_models[0])

    for allowance, source in ((ours, "gw:req-late-a"), (theirs, "gw:req-late-b")):
        allowance.refresh_from_db()
        units = LedgerEntry.objects.filter(allowance=allowance)
        assert allowance.state == "expired"
        assert allowance.used_units == 2000  # 1,500 tokens, rounded up to the 1,000-token unit
        assert (allowance.reserved_units, services.ledger_mismatch(allowance)) == (0, {})
        assert sum(units.values_list("units", flat=True)) == 0
        late = units.get(source=f"expiry:{allowance.pk}:{source}")
        assert (late.kind, late.units) == ("expiry", 2000)


# The combined admission + reservation statement (PostgreSQL, the loop's own connections) sizes
# a request exactly as ``core._Plan.size`` does for the two-step path.
SIZING_CASES = [
    # endpoint, prompt bound, max_tokens asked, n, units left
    ("chat", 100, 64, 1, 1000),
    ("chat", 100, 64, 1, 150),
    ("chat", 100, 64, 2, 150),
    ("chat", 100, None, 1, 5000),
    ("chat", 100, 64, 1, 100),
    ("chat", 100, 64, 3, 50),
    ("completions", 7, 10, 1, 17),
    ("embeddings", 30, None, 1, 1000),
    ("embeddings", 0, None, 1, 1000),
    ("embeddings", 30, None, 1, 20),
]


@pytest.mark.parametrize(("endpoint", "bound", "asked", "choices", "left"), SIZING_CASES)
def test_admit_and_reserve_sizes_as_the_plan_does(
    loop_path, api_key, award, model_id, endpoint, bound, asked, choices, left
):
    from aipower.gateway.core import _Plan

    allowance = Allowance.objects.get(award=award)
    Allowance.objects.filter(pk=allowance.pk).update(used_units=allowance.granted_units - left)
    plan = _Plan(endpoint, None, asked, bound, choices)

    row, reservation, max_tokens = loop_path.run(
        hotpath.admit_async(hash_secret(api_key), model_id, plan.ask(), True, "req-1", 900)
    )

    expected = plan.size(left)
    assert row.left_units == left
    if expected is None:
        assert reservation is None
        assert not Reservation.objects.exists()
    else:
        assert reservation.units == expected[1]
        assert (None if endpoint == "embeddings" else max_tokens) == expected[0]
        assert Allowance.objects.get(pk=allowance.pk).reserved_units == expected[1]


@pytest.mark.parametrize(
    "change",
    [
        {"go": False},
        {"revoked": True},
        {"suspended": True},
        {"model": "not-in-the-award"},
    ],
)
def test_admit_and_reserve_reserves_nothing_for_a_refused_request(
    loop_path, api_key, award, model_id, change
):
    if change.get("revoked"):
        ApiKey.objects.update(revoked_at=timezone.now())
    if change.get("suspended"):
        Allowance.objects.filter(award=award).update(state="suspended")
    ask = hotpath.Ask(bound=10, max_tokens=10, choices=1, embeddings=False)

    row, reservation, _max_tokens = loop_path.run(
        hotpath.admit_async(
            hash_secret(api_key),
            change.get("model", model_id),
            ask,
            change.get("go", True),
            "req-1",
            900,
        )
    )

    assert row is not None
    assert reservation is None
    assert not Reservation.objects.exists()
    assert Allowance.objects.get(award=award).reserved_units == 0


def test_read_key_on_the_periods_last_day_is_in_period_until_taipei_midnight(
    api_key, model_id, award
):
    # The period's day is Taipei's: 23:59:59 on the last day is 15:59:59 UTC that day, and the
    # database's own (UTC) date at 16:00 UTC is still the last day.
    last = datetime.date(2026, 11, 30)
    Allowance.objects.filter(award=award).update(starts_on=last - datetime.timedelta(days=90))
    Allowance.objects.filter(award=award).update(ends_on=last)
    secret = hash_secret(api_key)
    before = datetime.datetime(2026, 11, 30, 15, 59, 59, tzinfo=datetime.UTC)
    after = datetime.datetime(2026, 11, 30, 16, 0, 0, tzinfo=datetime.UTC)

    assert hotpath.read_key(secret, model_id, before).in_period is True
    assert hotpath.read_key(secret, model_id, after).in_period is False
    assert services.max_reservable(Allowance.objects.get(award=award).pk, today=last) > 0


# The route's context length in both sizings: max_tokens is capped to the context less the
# longest prompt's bound when that leaves room, and left alone when it does not.
CONTEXT_CASES = [
    # endpoint, bound, longest, max_tokens asked, n, units left, context, max_tokens expected
    ("chat", 100, None, None, 1, 5000, 1000, 900),
    ("chat", 100, None, 2000, 1, 5000, 1000, 900),
    ("chat", 100, None, 64, 1, 5000, 1000, 64),
    ("chat", 100, None, None, 1, 600, 1000, 500),
    ("chat", 100, None, None, 2, 5000, 1000, 900),
    ("chat", 100, None, 64, 1, 5000, 100, 64),
    ("chat", 100, None, 64, 1, 5000, 50, 64),
    ("completions", 40, 25, 1000, 2, 5000, 100, 75),
    ("embeddings", 30, None, None, 1, 1000, 10, None),
]


@pytest.mark.parametrize(
    ("endpoint", "bound", "longest", "asked", "choices", "left", "context", "expected"),
    CONTEXT_CASES,
)
def test_admit_and_reserve_sizes_within_the_context_as_the_plan_does(
    loop_path, api_key, award, model_id, endpoint, bound, longest, asked, choices, left, context,
    expected,
):  # fmt: skip
    from aipower.gateway.core import _Plan
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(context_length=context)
    allowance = Allowance.objects.get(award=award)
    Allowance.objects.filter(pk=allowance.pk).update(used_units=allowance.granted_units - left)
    plan = _Plan(endpoint, None, asked, bound, choices, longest)

    row, reservation, max_tokens = loop_path.run(
        hotpath.admit_async(hash_secret(api_key), model_id, plan.ask(), True, "req-1", 900)
    )

    assert row.context_length == context
    assert plan.size(left, context)[0] == expected
    assert (None if endpoint == "embeddings" else max_tokens) == expected
    assert reservation.units == plan.size(left, context)[1]


def test_read_key_gives_the_routes_context_length(read, api_key, model_id):
    from aipower.gateway.models import ModelRoute

    assert read(api_key, model_id).context_length is None
    ModelRoute.objects.update(context_length=8192)

    assert read(api_key, model_id).context_length == 8192
