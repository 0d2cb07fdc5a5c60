"""Gateway benchmark: throughput and added latency, and the hard-cap race.

    .venv/bin/python bench/gateway/run.py [--seconds 5] [--workers 1] [--db postgres|sqlite]
        [--pin] [--paths lean django floor] [--concurrency 1 16 64] [--rounds 1]

Starts, on loopback: a throwaway PostgreSQL (or an SQLite file), the mock model server
(20 ms latency, 64-token streamed answers), and the gateway under uvicorn
(``aipower.asgi:application``, production settings). Then, in one run:

1. streamed chat completions at 1, 16 and 64 concurrent clients, directly against the mock and
   through the gateway: requests/s, p50/p99 latency and the latency the gateway adds;
2. the hard-cap race: 200 concurrent requests against an allowance with room for about 50:
   the balance never goes below zero, the tokens settled equal the tokens the upstream reported,
   and no reservation is left behind.

With ``--pin`` the system under test (the gateway and PostgreSQL) runs on CPU 1 and the outside
world (this load generator and the mock upstream) on CPU 0, as in a deployment where clients and
model servers are other machines; without it everything shares both CPUs.

With ``--rounds N`` each level is measured N times, direct and every path in turn, and the
table gives the medians (this VM's speed drifts by ±25 % from minute to minute).

Writes bench/gateway/results/gateway-<db>-w<workers>[-pinned].json and prints a Markdown table.
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import load  # noqa: E402

RACE_ROOM = 50 * 140


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _descendants(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(child) for child in children.read_text().split()] if children.exists() else []
    return found + [grandchild for child in found for grandchild in _descendants(child)]


def cpu_seconds(pid):
    """User + system CPU time so far of a process and its descendants (uvicorn's workers,
    PostgreSQL's backends), from Linux /proc — including descendants that have exited and been
    waited for (the ``cutime``/``cstime`` of the process that reaped them), so that a backend
    ending between two readings does not take its CPU time with it."""
    total = 0
    for each in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        # utime, stime, and the reaped children's cutime, cstime
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / os.sysconf("SC_CLK_TCK")


def load_average():
    return Path("/proc/loadavg").read_text().split()[:3]


def measured(pid, coroutine, db_pid=None):
    """Run one load level; add the CPU milliseconds the server (and PostgreSQL, all its
    processes) spent per successful request."""
    before = cpu_seconds(pid)
    db_before = cpu_seconds(db_pid) if db_pid else 0
    figures = asyncio.run(coroutine)
    spent = cpu_seconds(pid) - before
    db_spent = (cpu_seconds(db_pid) - db_before) if db_pid else None
    ok = figures["ok"]
    figures["server_cpu_ms_per_request"] = round(spent * 1000 / ok, 2) if ok else None
    figures["db_cpu_ms_per_request"] = (
        round(db_spent * 1000 / ok, 2) if ok and db_spent is not None else None
    )
    figures["loadavg"] = load_average()
    return figures


MEDIAN_FIELDS = (
    "rps",
    "p50_ms",
    "p99_ms",
    "mean_ms",
    "server_cpu_ms_per_request",
    "db_cpu_ms_per_request",
)


def median_row(rounds):
    """One level's figures from its rounds: each figure's median over the rounds, the latency
    added over direct as the median of each round's difference, every round kept."""
    if len(rounds) == 1:
        return rounds[0]
    row = {}
    for name in rounds[0]:
        figures = dict(rounds[-1][name])
        for field in MEDIAN_FIELDS:
            values = [r[name][field] for r in rounds if r[name].get(field) is not None]
            figures[field] = round(statistics.median(values), 2) if values else None
        if name != "direct":
            for field in ("p50_ms", "p99_ms"):
                figures[f"added_{field}"] = round(
                    statistics.median(r[name][field] - r["direct"][field] for r in rounds), 1
                )
        figures["requests"] = sum(r[name]["requests"] for r in rounds)
        figures["ok"] = sum(r[name]["ok"] for r in rounds)
        figures["errors"] = {
            code: sum(r[name]["errors"].get(code, 0) for r in rounds)
            for code in {code for r in rounds for code in r[name]["errors"]}
        }
        figures["rounds"] = [r[name] for r in rounds]
        row[name] = figures
    return row


def pin_postgres(postmaster, cpus):
    """Move a running PostgreSQL (the postmaster, whose future backends inherit it, and its
    current processes) to ``cpus``."""
    for pid in [postmaster, *_descendants(postmaster)]:
        subprocess.run(
            ["taskset", "-a", "-p", "-c", cpus, str(pid)], capture_output=True, check=True
        )


def django_side(env, *args):
    out = subprocess.run(
        [PYTHON, str(HERE / "django_side.py"), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


async def race(base_url, key, model, requests=200):
    """``requests`` concurrent requests, half streamed with usage, half not."""
    url = base_url + "/chat/completions"
    reported = 0
    statuses = {}
    limits = httpx.Limits(max_connections=requests)

    async def one(index, client):
        nonlocal reported
        stream = index % 2 == 0
        body = {"model": model, "messages": load.MESSAGES, "max_tokens": 64, "stream": stream}
        if stream:
            body["stream_options"] = {"include_usage": True}
        headers = {"Authorization": f"Bearer {key}"}
        if not stream:
            response = await client.post(url, json=body, headers=headers)
            if response.status_code == 200:
                usage = response.json()["usage"]
                reported += usage["prompt_tokens"] + usage["completion_tokens"]
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            return
        async with client.stream("POST", url, json=body, headers=headers) as response:
            async for line in response.aiter_lines():
                if line.startswith("data: {") and ('"usage": {' in line or '"usage":{' in line):
                    usage = json.loads(line[6:])["usage"]
                    reported += usage["prompt_tokens"] + usage["completion_tokens"]
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    async with httpx.AsyncClient(limits=limits, timeout=60, trust_env=False) as client:
        await asyncio.gather(*(one(i, client) for i in range(requests)))
    return {"statuses": {str(k): v for k, v in sorted(statuses.items())}, "reported": reported}


# Settings that make a path what it is (the rest is the shared ``env``).
PATH_ENV = {"lean-ungrouped": {"AIPOWER_GATEWAY_DB_BATCH": "1"}}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each level this many times, direct and the paths in turn, and report the "
        "medians (the rounds are kept in the JSON)",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the system under test (gateway + database) on CPU 1; the load generator and the "
        "mock upstream on CPU 0",
    )
    parser.add_argument(
        "--paths",
        nargs="+",
        choices=["lean", "lean-ungrouped", "django", "floor"],
        default=["lean", "django", "floor"],
        help="lean: aipower.asgi:application; lean-ungrouped: the same with each hot statement "
        "on its own (AIPOWER_GATEWAY_DB_BATCH=1); django: aipower.asgi:django_application; "
        "floor: floor_app.py, a bare relay (no key, database or metering) for comparison",
    )
    args = parser.parse_args(argv)
    if set(args.paths) == {"floor"}:
        parser.error("--paths needs lean or django as well: the hard-cap race runs on a gateway")
    outside, inside = [], []
    if args.pin:
        # This process (the load generator) and the mock on CPU 0, the gateway and PostgreSQL
        # on CPU 1: as deployed, where clients and model servers are other machines.
        os.sched_setaffinity(0, {0})
        outside, inside = ["taskset", "-c", "0"], ["taskset", "-c", "1"]

    mock_port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="aipower-bench-gw."))
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "aipower.settings.prod",
        "AIPOWER_SECRET_KEY": secrets.token_urlsafe(48),
        "AIPOWER_CERT_TRUST_ANCHORS": "/dev/null",
        "AIPOWER_SECURE_COOKIES": "false",
        "AIPOWER_VAR_DIR": str(tmp),
        "AIPOWER_LOG_LEVEL": "WARNING",
    }
    processes = []
    postgres = postmaster = None
    try:
        if args.db == "postgres":
            from registry_import import Postgres

            postgres = Postgres(free_port()).__enter__()
            env["DATABASE_URL"] = postgres.fresh("gateway")
            postmaster = int(Path(postgres.data, "postmaster.pid").read_text().split()[0])
            if args.pin:
                pin_postgres(postmaster, "1")
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        mock_url = f"http://127.0.0.1:{mock_port}/v1"
        mock = [PYTHON, "-m", "aipower.devtools.mockllm", "--port", str(mock_port)]
        mock_process = subprocess.Popen(
            [*outside, *mock, "--latency-ms", "20", "--tokens", "64"], env=env, cwd=ROOT
        )
        processes.append(mock_process)
        info = django_side(env, "setup", mock_url)
        gateways, pids = {}, {"direct": mock_process.pid}
        apps = {
            "lean": ["aipower.asgi:application"],
            "lean-ungrouped": ["aipower.asgi:application"],
            "django": ["aipower.asgi:django_application"],
            "floor": ["floor_app:app", "--app-dir", str(HERE)],
        }
        env["FLOOR_UPSTREAM"] = mock_url
        for name in args.paths:
            port = free_port()
            command = [PYTHON, "-m", "uvicorn", *apps[name], "--port", str(port)]
            options = ["--workers", str(args.workers), "--no-proxy-headers", "--no-access-log"]
            # The server's log (tracebacks included) is kept beside the run's files; the server
            # holds its own copy of the file descriptor.
            with (tmp / f"{name}.log").open("w") as log:
                process = subprocess.Popen(
                    [*inside, *command, *options, "--log-level", "warning"],
                    env={**env, **PATH_ENV.get(name, {})},
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            gateways[name] = f"http://127.0.0.1:{port}/v1"
            pids[name] = process.pid
        wait_http(mock_url + "/models")
        for name, url in gateways.items():
            # The floor relay has no /models: any answer means it is up.
            wait_http(url + ("/models" if name != "floor" else "/chat/completions"))

        levels = []
        for concurrency in args.concurrency:
            rounds = []
            for _round in range(args.rounds):
                # Direct and every path in turn, each round: a slow minute on this shared VM
                # then touches all of them, and the medians below compare like with like.
                row = {
                    "direct": measured(
                        pids["direct"],
                        load.run_level(
                            mock_url, "none", info["model"], concurrency, args.seconds, True, 64
                        ),
                    )
                }
                for name, url in gateways.items():
                    row[name] = measured(
                        pids[name],
                        load.run_level(
                            url, info["key"], info["model"], concurrency, args.seconds, True, 64
                        ),
                        db_pid=postmaster,
                    )
                rounds.append(row)
                print(json.dumps(row), flush=True)
            levels.append(median_row(rounds))
        gateway_url = gateways[next(name for name in args.paths if name != "floor")]

        before = django_side(env, "check", info["award"])
        # Room for about 50 requests at once: each reserves its prompt's bound (UTF-8 bytes and
        # template tokens) + 64 tokens, about 140 tokens.
        capped = django_side(env, "cap", info["award"], RACE_ROOM)
        outcome = asyncio.run(race(gateway_url, info["key"], info["model"]))
        # A stream's settlement commits just after its last byte: read the ledger once no
        # reservation is open (each look is a process of its own, about 1.5 s).
        for _look in range(10):
            after = django_side(env, "check", info["award"])
            if after["open_reservations"] == 0 and after["reserved_units"] == 0:
                break
        race_result = {
            "capped_left": RACE_ROOM,
            "capped": capped,
            **outcome,
            "settled_tokens": after["metered_tokens"] - before["metered_tokens"],
            "exact_units_delta": after["exact_units"] - before["exact_units"],
            "after": after,
        }
        print(json.dumps(race_result), flush=True)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        if postgres is not None:
            postgres.__exit__(None, None, None)

    result = {
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
        },
        "db": args.db,
        "workers": args.workers,
        "pinned": args.pin,
        "seconds_per_level": args.seconds,
        "rounds": args.rounds,
        "levels": levels,
        "race": race_result,
        "server_logs": server_logs(tmp, args.paths),
    }
    suffix = "-pinned" if args.pin else ""
    out = HERE / "results" / f"gateway-{args.db}-w{args.workers}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)


def server_logs(tmp, paths):
    """Per server: where its log is and how many tracebacks it holds (an exception the server
    answered with a 500), with the first one."""
    found = {}
    for name in paths:
        path = tmp / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        tracebacks = text.split("Traceback (most recent call last):")[1:]
        found[name] = {
            "log": str(path),
            "tracebacks": len(tracebacks),
            "first": tracebacks[0][-3000:] if tracebacks else None,
        }
    return found


def print_table(result):
    print(
        f"\nmachine: {result['machine']}  db: {result['db']}  workers: {result['workers']}"
        f"  pinned: {result.get('pinned', False)}  rounds: {result.get('rounds', 1)} (medians)"
    )
    print(
        "| clients | path | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms "
        "| server CPU ms/req | database CPU ms/req | load avg | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for level in result["levels"]:
        direct = level["direct"]
        for name, figures in level.items():
            added = ("", "")
            if "added_p50_ms" in figures:
                added = (f"{figures['added_p50_ms']}", f"{figures['added_p99_ms']}")
            elif name != "direct" and figures["p50_ms"] and direct["p50_ms"]:
                added = (
                    f"{figures['p50_ms'] - direct['p50_ms']:.1f}",
                    f"{figures['p99_ms'] - direct['p99_ms']:.1f}",
                )
            print(
                f"| {figures['concurrency']} | {name} | {figures['rps']} | {figures['p50_ms']} | "
                f"{figures['p99_ms']} | {added[0]} | {added[1]} | "
                f"{figures['server_cpu_ms_per_request']} | "
                f"{figures.get('db_cpu_ms_per_request') or ''} | {' '.join(figures['loadavg'])} | "
                f"{figures['errors'] or ''} |"
            )
    print(f"\nrace: {json.dumps(result['race'])}")
    for name, log in result.get("server_logs", {}).items():
        print(f"{name}: {log['tracebacks']} tracebacks in {log['log']}")


if __name__ == "__main__":
    main()
