"""Benchmark: importing the tax-registration data set, and the look-up + eligibility verdict.

    .venv/bin/python bench/registry_import.py [--rows 1700000] [--skip-postgres] [--repeat 1]

1. Generates a synthetic BGMOPEN1.csv of ``--rows`` records once into bench/data/ (gitignored).
2. Imports it, in the same run, four ways, each in a fresh database, each a child process
   measured by /usr/bin/time (wall time, peak RSS):
   - floor, SQLite: the sqlite3 shell's ``.import --csv`` into a bare table of the 16 columns;
   - ours, SQLite: ``manage.py import_tax_registry`` (checks every row, converts, indexes);
   - floor, PostgreSQL: psql ``\\copy ... FROM file (FORMAT csv, HEADER)`` into a bare table;
   - ours, PostgreSQL: ``manage.py import_tax_registry``.
   PostgreSQL is a throwaway server started here with initdb/pg_ctl under /tmp (as the
   ``postgres`` user when run as root) and stopped at the end.
3. Times ``services.verdict_for`` (look-up by 統一編號 in the current snapshot + operator lists +
   the eligibility rules) for ``--lookups`` random numbers (90 % in the registry, 10 % not) on
   each database, and reports the median, p95 and p99 per call.

Results are printed as a Markdown table and written to bench/results/registry-<host>-<rows>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
MANAGE = ROOT / "manage.py"
COLUMNS = [
    "address",
    "ubn",
    "head_office_ubn",
    "name",
    "capital",
    "founded",
    "legal_form",
    "invoice",
    "code0",
    "name0",
    "code1",
    "name1",
    "code2",
    "name2",
    "code3",
    "name3",
]
BARE_TABLE = f"CREATE TABLE bare ({', '.join(f'{c} text' for c in COLUMNS)})"


def measure(command, env=None, stdin=None):
    """Run ``command`` under /usr/bin/time: wall seconds, peak RSS (KiB), CPU seconds (user +
    system, of the command itself: not the PostgreSQL server's), stdout."""
    fd, time_path = tempfile.mkstemp(suffix=".time")
    os.close(fd)
    started = time.monotonic()
    completed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M %U %S", "-o", time_path, *command],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, command))}")
    _, rss, user, system = Path(time_path).read_text().split()[-4:]
    os.unlink(time_path)
    return wall, int(rss), float(user) + float(system), completed.stdout


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite3_shell": subprocess.run(
            ["sqlite3", "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[0],
        "postgresql": subprocess.run(
            ["pg_ctl", "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[2],
    }


def ensure_file(rows, seed):
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"BGMOPEN1-{rows}.csv"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        partial = path.with_suffix(".partial.csv")
        subprocess.run(
            [
                PYTHON,
                MANAGE,
                "generate_tax_registry",
                "--rows",
                str(rows),
                "--out",
                str(partial),
                "--seed",
                str(seed),
                "--invalid-ratio",
                "0.0005",
                "--published",
                "2026-10-01",
            ],
            check=True,
        )
        partial.rename(path)
    return path


def django_env(database_url, var_dir):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "AIPOWER_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "aipower.settings.dev",
        }
    )
    return env


def python_parse_only(path):
    """Reference: Python's csv module reading the file, nothing else (no checks, no database)."""
    script = (
        "import csv, sys\n"
        "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
        "    n = sum(1 for _ in csv.reader(f)) - 2\n"
        "print(n)\n"
    )
    wall, rss, cpu, out = measure([PYTHON, "-c", script, str(path)])
    return {"wall_s": wall, "rows": int(out.strip()), "rss_kib": rss, "cpu_s": cpu}


def run_ours(path, env, rows):
    subprocess.run([PYTHON, MANAGE, "migrate", "-v0"], env=env, check=True)
    wall, rss, cpu, out = measure(
        [PYTHON, MANAGE, "import_tax_registry", str(path), "--skip-bad-rows", "--quiet"], env=env
    )
    first = out.splitlines()[0]
    return {"wall_s": wall, "rows": rows, "rss_kib": rss, "cpu_s": cpu, "output": first}


def sqlite_floor(path, work):
    db = work / "floor.sqlite3"
    script = f"{BARE_TABLE};\n.import --csv --skip 2 {path} bare\n"
    wall, rss, cpu, _ = measure(["sqlite3", str(db)], stdin=script)
    count = subprocess.run(
        ["sqlite3", str(db), "SELECT count(*) FROM bare"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    db.unlink()
    return {"wall_s": wall, "rows": int(count), "rss_kib": rss, "cpu_s": cpu}


class Postgres:
    """A throwaway PostgreSQL server under /tmp."""

    def __init__(self, port):
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="aipower-bench-pg."))
        self.data = self.root / "data"
        self.run_as = []
        if os.geteuid() == 0:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.root, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def __enter__(self):
        subprocess.run(
            [
                *self.run_as,
                "initdb",
                "-D",
                self.data,
                "-U",
                "aipower",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c max_wal_size=4GB -c shared_buffers=256MB"
        )
        start = ["pg_ctl", "-D", self.data, "-l", self.root / "log", "-w", "-o", options, "start"]
        subprocess.run(
            [*self.run_as, *start],
            check=True,
            capture_output=True,
        )
        return self

    def __exit__(self, *exc):
        subprocess.run(
            [*self.run_as, "pg_ctl", "-D", self.data, "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, database, *args, stdin=None):
        connect = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "aipower", "-d", database]
        return subprocess.run(
            ["psql", *connect, "-v", "ON_ERROR_STOP=1", "-qAt", *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def fresh(self, name):
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name}")
        self.psql("postgres", "-c", f"CREATE DATABASE {name}")
        return f"postgres://aipower@127.0.0.1:{self.port}/{name}"

    def floor(self, path):
        self.fresh("floor")
        self.psql("floor", "-c", BARE_TABLE)
        command = [
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "aipower", "-d", "floor",
            "-v", "ON_ERROR_STOP=1", "-qc",
            f"\\copy bare FROM '{path}' WITH (FORMAT csv, HEADER true)",
        ]  # fmt: skip
        wall, rss, cpu, _ = measure(command)
        count = int(self.psql("floor", "-c", "SELECT count(*) FROM bare").strip())
        # rows less the date line, which the bare table takes as a row
        return {"wall_s": wall, "rows": count - 1, "rss_kib": rss, "cpu_s": cpu}


def lookup_child(count, seed):
    """In a child process with Django set up: time ``verdict_for`` per call."""
    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.db import connection

    from aipower.calls.models import Call
    from aipower.calls.seed import seed_call
    from aipower.core.validators import is_valid_ubn
    from aipower.registry.services import verdict_for

    seed_call(115)
    call = Call.objects.get(year=115)
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ubn FROM registry_taxrecord WHERE snapshot_id = "
            "(SELECT id FROM registry_snapshot WHERE is_current) ORDER BY random() LIMIT %s",
            [count - count // 10],
        )
        numbers = [row[0] for row in cursor.fetchall()]
    while len(numbers) < count:  # numbers the registry does not have
        candidate = f"0000{rng.randrange(10**4):04d}"
        if is_valid_ubn(candidate):
            numbers.append(candidate)
    rng.shuffle(numbers)
    for ubn in numbers[:200]:  # warm the connection and the caches
        verdict_for(ubn, call)
    timings = []
    statuses = {}
    for ubn in numbers:
        started = time.perf_counter_ns()
        verdict = verdict_for(ubn, call)
        timings.append((time.perf_counter_ns() - started) / 1e6)
        statuses[verdict.status] = statuses.get(verdict.status, 0) + 1
    timings.sort()
    print(
        json.dumps(
            {
                "calls": len(timings),
                "median_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95)],
                "p99_ms": timings[int(len(timings) * 0.99)],
                "max_ms": timings[-1],
                "statuses": statuses,
            }
        )
    )


def run_lookups(env, count, seed):
    completed = subprocess.run(
        [PYTHON, __file__, "--lookup-child", "--lookups", str(count), "--seed", str(seed)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def row_rate(result):
    return result["rows"] / result["wall_s"]


def table(results):
    lines = [
        "| database | import | wall time (s) | rows/s | peak RSS (MiB) | CPU (s) | × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database in ("sqlite", "postgresql"):
        if database not in results:
            continue
        floor = results[database]["floor"]
        for name in ("floor", "ours"):
            item = results[database][name]
            label = {
                "sqlite": {"floor": "sqlite3 shell .import", "ours": "import_tax_registry"},
                "postgresql": {"floor": "psql \\copy (COPY)", "ours": "import_tax_registry"},
            }[database][name]
            lines.append(
                f"| {database} | {label} | {item['wall_s']:.1f} | {row_rate(item):,.0f} | "
                f"{item['rss_kib'] / 1024:.0f} | {item['cpu_s']:.1f} | "
                f"{item['wall_s'] / floor['wall_s']:.2f} |"
            )
    if "python_parse_only" in results:
        item = results["python_parse_only"]
        lines.append(
            f"| — | reference: Python csv.reader only | {item['wall_s']:.1f} | "
            f"{row_rate(item):,.0f} | {item['rss_kib'] / 1024:.0f} | {item['cpu_s']:.1f} | — |"
        )
    lines += [
        "",
        "| database | verdict_for calls | median (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database in ("sqlite", "postgresql"):
        if database in results and "lookups" in results[database]:
            lk = results[database]["lookups"]
            lines.append(
                f"| {database} | {lk['calls']:,} | {lk['median_ms']:.3f} | {lk['p95_ms']:.3f} | "
                f"{lk['p99_ms']:.3f} | {lk['max_ms']:.3f} |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_700_000)
    parser.add_argument("--seed", type=int, default=115)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--pg-port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each import; the best one is reported"
    )
    parser.add_argument("--lookup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lookup_child:
        lookup_child(args.lookups, args.seed)
        return

    if not args.pg_port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.pg_port = probe.getsockname()[1]
    path = ensure_file(args.rows, args.seed)
    size = path.stat().st_size
    results = {
        "file": {"path": str(path.relative_to(ROOT)), "rows": args.rows, "bytes": size},
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"file: {path} ({args.rows:,} rows, {size / 1e6:.0f} MB)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="aipower-bench."))
    runs = {}  # (database, name) -> list of measurements

    def note(key, item):
        # The 1-minute load average just after the run: other work on the machine (the VM is
        # shared) shows here, and explains outliers.
        item["load_after"] = round(os.getloadavg()[0], 2)
        runs.setdefault(key, []).append(item)
        print(f"  {key[0]} {key[1]}: {item}", flush=True)

    try:
        for repetition in range(1, args.repeat + 1):
            print(f"round {repetition} of {args.repeat}", flush=True)
            note(("python", "parse_only"), python_parse_only(path))
            if not args.skip_sqlite:
                note(("sqlite", "floor"), sqlite_floor(path, work))
                for leftover in work.glob("ours.sqlite3*"):
                    leftover.unlink()
                sqlite_env = django_env(f"sqlite:///{work / 'ours.sqlite3'}", work / "var")
                note(("sqlite", "ours"), run_ours(path, sqlite_env, args.rows))
        if not args.skip_sqlite:
            results["sqlite"] = {
                "lookups": run_lookups(sqlite_env, args.lookups, args.seed),
            }
            print(f"  sqlite look-ups: {results['sqlite']['lookups']}", flush=True)
            for leftover in work.glob("ours.sqlite3*"):
                leftover.unlink()
        if not args.skip_postgres:
            with Postgres(args.pg_port) as pg:
                for repetition in range(1, args.repeat + 1):
                    print(f"postgresql round {repetition} of {args.repeat}", flush=True)
                    note(("postgresql", "floor"), pg.floor(path))
                    pg_env = django_env(pg.fresh("ours"), work / "var")
                    note(("postgresql", "ours"), run_ours(path, pg_env, args.rows))
                results["postgresql"] = {
                    "lookups": run_lookups(pg_env, args.lookups, args.seed),
                }
                print(f"  postgresql look-ups: {results['postgresql']['lookups']}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # Best of the repetitions (the least disturbed by other load), with every run kept.
    for (database, name), items in runs.items():
        best = min(items, key=lambda item: item["wall_s"])
        entry = {**best, "runs": items}
        if database == "python":
            results["python_parse_only"] = entry
        else:
            results.setdefault(database, {})[name] = entry
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"registry-{platform.node() or 'host'}-{args.rows}.json"
    results["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(results))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
