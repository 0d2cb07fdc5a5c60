"""The gateway's two hot statements in isolation: CPU and wall time per admission and per
settlement, on PostgreSQL, without HTTP, the relay or a load generator.

    .venv/bin/python bench/gateway/hotpath_cpu.py [--requests 3000] [--rounds 3]
        [--clients 1 4 16 64]

Starts a throwaway PostgreSQL (the ``Postgres`` helper of ``registry_import.py``), sets up the
benchmark's award and key (``django_side.setup``), then, on one event loop with the gateway's
own connections (``gateway.pgasync``, one connection), runs ``--requests`` times the admission
with its reservation (``hotpath.admit_async``) and the settlement (``hotpath.settle_async``) of a
64-token answer, one after the other, as one request does. For each statement it reports, per
request: the PostgreSQL backend's CPU (``/proc/<backend pid>/stat``), this process's CPU and
the wall time. Medians of ``--rounds`` rounds; the ledger is checked at the end.

With ``--clients N …`` it runs instead N requests at a time (uvloop, as the server): their
statements go in groups as in a busy server, and the figures are per request (admission and
settlement together), this process's CPU and all of PostgreSQL's read once per round.

Because the figures are CPU times of one process each, they hold even on a busy machine far
better than requests per second do; use it to compare two versions of the hot path (run it from
each checkout: the code under test is the checkout's ``src``).
"""

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# This folder first: ``run`` is the gateway benchmark's (bench/run.py is the registry's).
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import cpu_seconds, free_port  # noqa: E402


def _ask():
    from aipower.gateway import hotpath

    return hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)


def _metering(request_id, row, reservation):
    """The metering record of a 12 + 64-token streamed answer to the admitted request."""
    from django.utils import timezone

    from aipower.gateway import hotpath

    return hotpath.Metering(
        request_id=request_id,
        key_id=row.key_id,
        award_id=row.award_id,
        model_id=row.model_id,
        endpoint="chat/completions",
        stream=True,
        prompt_tokens=12,
        completion_tokens=64,
        reserved_tokens=reservation.units,
        outcome="ok",
        started_at=timezone.now(),
    )


async def measure(info: dict, requests: int) -> dict:

    from aipower.gateway import hotpath, ledger, pgasync
    from aipower.gateway.models import hash_secret

    pgasync.start()
    secret_hash = hash_secret(info["key"])
    async with pgasync.connections().connection() as conn:
        backend = conn.info.backend_pid
    ask = _ask()
    totals = {name: {"db": 0.0, "own": 0.0, "wall": 0.0} for name in ("admission", "settlement")}

    # This process's clocks are read inside the backend's readings, so that reading the
    # backend's CPU (a /proc file) is not counted as this process's (it was most of it).
    def lap(name, started):
        wall0, own0, db0 = started
        totals[name]["wall"] += time.perf_counter() - wall0
        totals[name]["own"] += time.process_time() - own0
        totals[name]["db"] += cpu_seconds(backend) - db0

    def now():
        db0 = cpu_seconds(backend)
        return time.perf_counter(), time.process_time(), db0

    for _ in range(requests):
        request_id = "req-" + secrets.token_hex(16)
        started = now()
        row, reservation, _max = await hotpath.admit_async(
            secret_hash, info["model"], ask, True, request_id, ledger.RESERVATION_TTL_SECONDS
        )
        lap("admission", started)
        if reservation is None:
            raise SystemExit("the allowance ran out: fewer --requests")
        metering = _metering(request_id, row, reservation)
        started = now()
        await hotpath.settle_async(reservation, row.metering_unit, row.per_request, metering)
        lap("settlement", started)
    await pgasync.close()
    return {
        name: {part: round(value * 1e6 / requests) for part, value in parts.items()}
        for name, parts in totals.items()
    }


async def measure_concurrent(info: dict, requests: int, clients: int) -> dict:
    """``clients`` concurrent requests, each an admission then a settlement: the statements
    run in groups (``pgasync.Batch``) as in a busy server. Per request (both statements): this
    process's CPU, the database's (all its backends, from the postmaster's descendants: read
    once per round) and the wall time; and the groups' mean size."""

    from aipower.gateway import hotpath, ledger, pgasync
    from aipower.gateway.models import hash_secret

    pgasync.start()
    secret_hash = hash_secret(info["key"])
    ask = _ask()
    postmaster = int(os.environ["BENCH_POSTMASTER_PID"])

    async def one():
        request_id = "req-" + secrets.token_hex(16)
        row, reservation, _max = await hotpath.admit_async(
            secret_hash, info["model"], ask, True, request_id, ledger.RESERVATION_TTL_SECONDS
        )
        if reservation is None:
            raise SystemExit("the allowance ran out: fewer --requests")
        metering = _metering(request_id, row, reservation)
        await hotpath.settle_async(reservation, row.metering_unit, row.per_request, metering)

    async def client(count):
        for _ in range(count):
            await one()

    each = max(1, requests // clients)
    await asyncio.gather(*(client(min(each, 5)) for _ in range(clients)))  # connections, plans
    batches = list(pgasync.connections()._batches.values())
    groups0 = sum(b.groups for b in batches), sum(b.statements for b in batches)
    db0, own0, wall0 = cpu_seconds(postmaster), time.process_time(), time.perf_counter()
    await asyncio.gather(*(client(each) for _ in range(clients)))
    wall, own = time.perf_counter() - wall0, time.process_time() - own0
    db = cpu_seconds(postmaster) - db0
    groups = sum(b.groups for b in batches) - groups0[0]
    statements = sum(b.statements for b in batches) - groups0[1]
    await pgasync.close()
    done = each * clients
    return {
        "clients": clients,
        "own": round(own * 1e6 / done),
        "db": round(db * 1e6 / done),
        "wall": round(wall * 1e6 / done),
        "group": round(statements / max(1, groups), 1),
    }


def inner(requests: int, rounds: int):
    import django

    django.setup()
    from django_side import check, setup

    info = setup("http://127.0.0.1:9/v1")
    clients = [int(n) for n in os.environ.get("BENCH_CLIENTS", "").split()]
    if clients:
        import uvloop

        rows = [
            [uvloop.run(measure_concurrent(info, requests, n)) for _ in range(rounds)]
            for n in clients
        ]
        medians = [
            {
                part: statistics.median(r[part] for r in results)
                for part in ("clients", "own", "db", "wall", "group")
            }
            for results in rows
        ]
        print(json.dumps({"concurrent": medians, "ledger": check(info["award"])}))
        return
    results = [asyncio.run(measure(info, requests)) for _ in range(rounds)]
    figures = {
        name: {
            part: statistics.median(result[name][part] for result in results)
            for part in ("db", "own", "wall")
        }
        for name in ("admission", "settlement")
    }
    ledger = check(info["award"])
    print(json.dumps({"rounds": results, "median_us": figures, "ledger": ledger}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--clients",
        type=int,
        nargs="*",
        default=[],
        help="concurrent requests (grouped statements, uvloop) instead of one at a time",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.requests, args.rounds)
        return
    from registry_import import Postgres

    with tempfile.TemporaryDirectory(prefix="aipower-bench-hot.") as tmp:
        postgres = Postgres(free_port()).__enter__()
        try:
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_SETTINGS_MODULE": "aipower.settings.prod",
                "AIPOWER_SECRET_KEY": secrets.token_urlsafe(48),
                "AIPOWER_CERT_TRUST_ANCHORS": "/dev/null",
                "AIPOWER_SECURE_COOKIES": "false",
                "AIPOWER_VAR_DIR": tmp,
                "AIPOWER_LOG_LEVEL": "WARNING",
                "DATABASE_URL": postgres.fresh("hotpath"),
                "BENCH_CLIENTS": " ".join(str(n) for n in args.clients),
                "BENCH_POSTMASTER_PID": Path(postgres.data, "postmaster.pid")
                .read_text()
                .split()[0],
            }
            run = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--inner",
                    "--requests",
                    str(args.requests),
                    "--rounds",
                    str(args.rounds),
                ],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if run.returncode:
                raise SystemExit(run.stderr)
            output = run.stdout
        finally:
            postgres.__exit__(None, None, None)
    result = json.loads(output.strip().splitlines()[-1])
    print(f"checkout: {ROOT}  requests: {args.requests} x {args.rounds} rounds (medians)")
    if "concurrent" in result:
        print("| clients | mean group | this process CPU µs/request | PostgreSQL CPU µs/request"
              " | wall µs/request |")  # fmt: skip
        print("| ---: | ---: | ---: | ---: | ---: |")
        for row in result["concurrent"]:
            print(
                f"| {row['clients']:.0f} | {row['group']:.1f} | {row['own']:.0f} | {row['db']:.0f}"
                f" | {row['wall']:.0f} |"
            )
        print("ledger:", json.dumps(result["ledger"]))
        return
    print("| statement | PostgreSQL CPU µs | this process CPU µs | wall µs |")
    print("| --- | ---: | ---: | ---: |")
    for name, parts in result["median_us"].items():
        print(f"| {name} | {parts['db']:.0f} | {parts['own']:.0f} | {parts['wall']:.0f} |")
    print("ledger:", json.dumps(result["ledger"]))


if __name__ == "__main__":
    main()
