"""`make load`: 100 logged-in users on chibo under gunicorn, on SQLite and on PostgreSQL.

For each database: a fresh database (bench/run.py's helpers), `chibo migrate`, `chibo synth`
(province scale: the plan's tree has enough people with open registrations and meetings for
every virtual user to be a different person), `chibo load_accounts` (one account a virtual
user, each with a real post), gunicorn as `make serve` runs it (2 workers, 4 threads), then
locust headless against it on loopback for LOAD_SECONDS once all users are in (bench/
locustfile.py: mostly reads, with attendance taps and registration saves). Stops by itself.

The statistics are reset once the last user has logged in, and the run stops LOAD_SECONDS
later, so they measure the users at full strength; failures are counted over the whole run,
log-ins included. The run fails (exit 1) on
any failed request, on a server error in the server's log, or on "database is locked".

Results go to bench/results/latest.json as records {"case": "load", "db", "request" (a kind of
request, or "overall"), "users", "seconds", "requests", "rps", "p50_ms", "p95_ms", "p99_ms",
"failures"}; records of other cases and of databases this run did not use are kept. A
markdown table is printed at the end.

Environment: LOAD_USERS (100), LOAD_SECONDS (180), LOAD_DBS ("sqlite,postgresql"),
LOAD_SPAWN_RATE (users started a second, 1: each log-in costs the password hasher's time),
LOAD_SCALE ("province"), CHIBO_BENCH_PG (the PostgreSQL server, as for `make bench`).
"""

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import run as bench

USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "180"))
DATABASES = [db for db in os.environ.get("LOAD_DBS", "sqlite,postgresql").split(",") if db]
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "1"))
SCALE = os.environ.get("LOAD_SCALE", "province")
THREADS = 4  # as `make serve`
LOG_IN_SLACK = 600  # seconds the log-ins may lag behind the spawning on a busy machine
LOCUSTFILE = bench.ROOT / "bench" / "locustfile.py"
# What in the server's log means a request went wrong on the server's side.
SERVER_FAULTS = ("database is locked", "Internal Server Error", "Traceback")


def uptime() -> str:
    """The machine's load averages (1, 5, 15 min), for the record: it may be shared."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def prepare(kind: str, env: dict[str, str], workdir: Path) -> Path:
    """Migrate, load the scale and make the accounts; the manifest's path."""
    print(f"== {kind}: migrate", flush=True)
    bench.chibo(env, "migrate", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    output = bench.chibo(env, "synth", "--scale", SCALE)
    last = output.strip().splitlines()[-1]
    if not last.startswith("plan_id="):
        raise bench.BenchError(f"chibo synth printed no plan id:\n{output[-1500:]}")
    print(f"== {kind}: synth {SCALE} in {time.monotonic() - started:.0f} s", flush=True)
    manifest = workdir / f"accounts-{kind}.json"
    plan_id = last.removeprefix("plan_id=")
    output = bench.chibo(
        env, "load_accounts", "--plan", plan_id, "--count", str(USERS), "--output", str(manifest)
    )
    print(f"== {kind}: {output.strip()}", flush=True)
    return manifest


def swarm(kind: str, base: str, manifest: Path, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """Run locust against `base`; the path of its statistics and the whole run's tally."""
    prefix = workdir / f"locust-{kind}"
    tally = workdir / f"tally-{kind}.json"
    ramp = USERS / SPAWN_RATE
    command = [
        str(bench.BIN / "locust"),
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(USERS),
        "--spawn-rate",
        str(SPAWN_RATE),
        # The locustfile stops the run SECONDS after the last log-in; this is the backstop.
        "--run-time",
        f"{round(ramp + SECONDS + LOG_IN_SLACK)}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "LOAD_MANIFEST": str(manifest),
        "LOAD_TALLY": str(tally),
        "LOAD_SECONDS": str(SECONDS),
    }
    print(f"== {kind}: {USERS} users ({ramp:.0f} s to log in), then {SECONDS} s", flush=True)
    result = subprocess.run(  # noqa: S603 (our own command, arguments from this file)
        command,
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=ramp + SECONDS + LOG_IN_SLACK + 120,
        check=False,
    )
    print(result.stdout[-6000:], result.stderr[-3000:], sep="\n", flush=True)
    if not tally.exists():
        raise bench.BenchError(f"locust stopped without its tally (exit {result.returncode})")
    return Path(f"{prefix}_stats.csv"), json.loads(tally.read_text(encoding="utf-8"))


def records_of(kind: str, stats: Path) -> list[dict[str, Any]]:
    """One record per kind of request and one for all of them, from locust's statistics."""
    records = []
    with stats.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = "overall" if row["Name"] == "Aggregated" else row["Name"]
            count = int(row["Request Count"])
            if count == 0:
                continue
            records.append(
                {
                    "case": "load",
                    "db": kind,
                    "request": name,
                    "users": USERS,
                    "seconds": SECONDS,
                    "requests": count,
                    "rps": round(float(row["Requests/s"]), 1),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "p99_ms": float(row["99%"]),
                    "failures": int(row["Failure Count"]),
                }
            )
    return records


def load_database(kind: str, workdir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """This database's records, and what went wrong (nothing, for a pass)."""
    with bench.database(kind, workdir) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chibo.settings.base",
            "CHIBO_DATABASE_URL": url,
            "CHIBO_DATA_DIR": str(workdir),
            "CHIBO_DEBUG": "false",
            "CHIBO_LOG_LEVEL": "WARNING",
        }
        manifest = prepare(kind, env, workdir)
        log = workdir / f"gunicorn-{kind}.log"
        print(f"== {kind}: load average before {uptime()}", flush=True)
        with bench.gunicorn(env, log, threads=THREADS) as base:
            stats, tally = swarm(kind, base, manifest, workdir)
        print(f"== {kind}: load average after {uptime()}", flush=True)
    records = records_of(kind, stats)
    problems = [f"{kind}: {count} × {error}" for error, count in tally["errors"].items()]
    server_log = log.read_text(encoding="utf-8", errors="replace")
    for fault in SERVER_FAULTS:
        if fault in server_log:
            problems.append(f"{kind}: the server's log has {fault!r}:\n{server_log[-3000:]}")
    if tally["logged_in"] != USERS:
        problems.append(f"{kind}: {tally['logged_in']} of {USERS} users logged in")
    if not any(record["request"] == "overall" for record in records):
        problems.append(f"{kind}: locust recorded no request")
    print(
        f"== {kind}: {tally['requests']} requests in the whole run, {tally['failures']} failed",
        flush=True,
    )
    return records, problems


def save(records: list[dict[str, Any]]) -> None:
    """Write this run's records over those of the same case and database, keeping the rest."""
    measured = {(record["case"], record["db"]) for record in records}
    kept: list[dict[str, Any]] = []
    if bench.RESULTS.exists():
        kept = [
            record
            for record in json.loads(bench.RESULTS.read_text())
            if (record.get("case"), record.get("db")) not in measured
        ]
    bench.RESULTS.parent.mkdir(parents=True, exist_ok=True)
    bench.RESULTS.write_text(json.dumps([*kept, *records], indent=2, ensure_ascii=False) + "\n")


def table(records: list[dict[str, Any]]) -> str:
    """The README's table: the overall row of each database, then each kind of request."""
    lines = [
        "| db | request | users | seconds | requests | req/s | p50 ms | p95 ms | p99 ms "
        "| failures |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    ordered = sorted(records, key=lambda r: (r["db"], r["request"] != "overall", r["request"]))
    for r in ordered:
        lines.append(
            f"| {r['db']} | {r['request']} | {r['users']} | {r['seconds']} | {r['requests']} "
            f"| {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} "
            f"| {r['failures']} |"
        )
    return "\n".join(lines)


def main() -> int:
    print(f"== load average at the start {uptime()} ({os.cpu_count()} cores)", flush=True)
    bench.chibo(
        {**os.environ, "DJANGO_SETTINGS_MODULE": "chibo.settings.base"},
        "collectstatic",
        "--noinput",
        "--verbosity",
        "0",
    )
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="chibo-load-"))
    try:
        for kind in DATABASES:
            found, wrong = load_database(kind, workdir)
            records += found
            problems += wrong
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    save(records)
    print(f"\n{dt.date.today().isoformat()}, {os.cpu_count()} cores, load average {uptime()}\n")  # noqa: DTZ011
    print(table(records))
    print(f"\nWritten to {bench.RESULTS.relative_to(bench.ROOT)}")
    if problems:
        print("\nload failed:", *problems, sep="\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as error:
        print(f"load failed: {error}", file=sys.stderr)
        sys.exit(1)
