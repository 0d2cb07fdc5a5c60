"""The gateway's two hot statements in isolation: CPU and wall time per admission and per
settlement, on PostgreSQL, without HTTP, the relay or a load generator.

    .venv/bin/python bench/gateway/hotpath_cpu.py [--requests 3000] [--rounds 3]

Starts a throwaway PostgreSQL (the ``Postgres`` helper of ``registry_import.py``), sets up the
benchmark's award and key (``django_side.setup``), then, on one event loop with the gateway's
own connections (``gateway.pgasync``, one connection), runs ``--requests`` times the admission
with its reservation (``hotpath.admit_async``) and the settlement (``hotpath.settle_async``) of a
64-token answer, one after the other, as one request does. For each statement it reports, per
request: the PostgreSQL backend's CPU (``/proc/<backend pid>/stat``), this process's CPU and
the wall time. Medians of ``--rounds`` rounds; the ledger is checked at the end.

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


async def measure(info: dict, requests: int) -> dict:
    from django.utils import timezone

    from aipower.gateway import hotpath, ledger, pgasync
    from aipower.gateway.models import hash_secret

    pgasync.start()
    secret_hash = hash_secret(info["key"])
    async with pgasync.connections().connection() as conn:
        backend = conn.info.backend_pid
    ask = hotpath.Ask(bound=20, max_tokens=64, choices=1, embeddings=False)
    totals = {name: {"db": 0.0, "own": 0.0, "wall": 0.0} for name in ("admission", "settlement")}

    def lap(name, started):
        wall0, own0, db0 = started
        totals[name]["wall"] += time.perf_counter() - wall0
        totals[name]["own"] += time.process_time() - own0
        totals[name]["db"] += cpu_seconds(backend) - db0

    def now():
        return time.perf_counter(), time.process_time(), cpu_seconds(backend)

    for _ in range(requests):
        request_id = "req-" + secrets.token_hex(16)
        started = now()
        row, reservation, _max = await hotpath.admit_async(
            secret_hash, info["model"], ask, True, request_id, ledger.RESERVATION_TTL_SECONDS
        )
        lap("admission", started)
        if reservation is None:
            raise SystemExit("the allowance ran out: fewer --requests")
        metering = hotpath.Metering(
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
        started = now()
        await hotpath.settle_async(reservation, row.metering_unit, row.per_request, metering)
        lap("settlement", started)
    await pgasync.close()
    return {
        name: {part: round(value * 1e6 / requests) for part, value in parts.items()}
        for name, parts in totals.items()
    }


def inner(requests: int, rounds: int):
    import django

    django.setup()
    from django_side import check, setup

    info = setup("http://127.0.0.1:9/v1")
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
            }
            output = subprocess.run(
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
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            postgres.__exit__(None, None, None)
    result = json.loads(output.strip().splitlines()[-1])
    print(f"checkout: {ROOT}  requests: {args.requests} x {args.rounds} rounds (medians)")
    print("| statement | PostgreSQL CPU µs | this process CPU µs | wall µs |")
    print("| --- | ---: | ---: | ---: |")
    for name, parts in result["median_us"].items():
        print(f"| {name} | {parts['db']:.0f} | {parts['own']:.0f} | {parts['wall']:.0f} |")
    print("ledger:", json.dumps(result["ledger"]))


if __name__ == "__main__":
    main()
