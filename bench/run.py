"""`make bench`: chibo under gunicorn on SQLite and PostgreSQL, at district and province scale.

For each database: a fresh database, `chibo migrate`, `chibo synth` for both scales (timed),
then gunicorn with two workers. Every page is measured against /ping, the cheapest
authenticated page, on the same server and in the same run: requests go round the cases in turn,
so a slow moment of the machine falls on all of them alike.

Results go to bench/results/latest.json: a list of records
{"case", "scale", "db", "p50_ms", "p95_ms", "floor_p50_ms", "ratio"} (ratio = p50 / floor p50),
plus "vs_district" on province records (p50 at province / p50 at district), and
{"case": "synth", "scale", "db", "seconds"}. Records of cases this run does not measure are
kept, so that other benchmarks can add theirs. A markdown table is printed at the end.

Environment: CHIBO_BENCH_PG (PostgreSQL server URL of a user allowed to create databases),
CHIBO_BENCH_DBS ("sqlite,postgresql"), CHIBO_BENCH_SCALES ("district,province"),
CHIBO_BENCH_REQUESTS (100 per case and scale, after 10 to warm up).
"""

import contextlib
import datetime as dt
import http.cookiejar
import itertools
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chibo.workbook import bench as workbook_bench

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
BIN = Path(sys.executable).parent  # the virtualenv's bin: run this with its python
PASSWORD = "chibo-demo"  # noqa: S105 (the synthetic accounts' published password)

PG_SERVER = os.environ.get("CHIBO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# "none" skips the pages and measures only the documents.
DATABASES = [
    db for db in os.environ.get("CHIBO_BENCH_DBS", "sqlite,postgresql").split(",") if db != "none"
]
LETTERS = int(os.environ.get("CHIBO_BENCH_LETTERS", "200"))  # invitees of the letters case
SCALES = os.environ.get("CHIBO_BENCH_SCALES", "district,province").split(",")
REQUESTS = int(os.environ.get("CHIBO_BENCH_REQUESTS", "100"))
WARM_UP = 10

FLOOR = ("floor", "/ping")
# (case, path, may the page be missing): pages under construction answer 404 until they land.
CASES = (
    ("dashboard", "/plans/{plan_id}/progress/", True),
    ("progress_api", "/api/v1/plans/{plan_id}/progress", True),
    ("org_tree", "/orgs/", False),
)
LETTER_CASES = ("letters_docx", "letters_zip", "letters_pdf")
GOALS = {"dashboard": 3.0}  # p50 at most this many floors, at province scale
GROWTH_GOAL = 1.5  # province p50 / district p50, for every page


class BenchError(RuntimeError):
    pass


# --- Processes ---------------------------------------------------------------------------------


def chibo(env: dict[str, str], *args: str, timeout: float = 1800) -> str:
    """Run a `chibo` command; its output, or a BenchError with the output's tail."""
    result = subprocess.run(  # noqa: S603 (our own command, arguments from this file)
        [str(BIN / "chibo"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise BenchError(f"chibo {' '.join(args)} failed ({result.returncode}):\n{tail}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, threads: int = 1) -> Iterator[str]:
    """A production server on a free port; stopped however the block ends. `make serve` runs
    4 threads a worker; the bench keeps 1, so that its timings are not shared between threads."""
    port = free_port()
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(BIN / "gunicorn"),
                "chibo.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                str(threads),
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server, log)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            status, _body = Client(base).get("/healthz")
            if status == 200:
                return
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


# --- Databases ---------------------------------------------------------------------------------


_DATABASE_NUMBERS = itertools.count(1)


@contextlib.contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """A fresh, empty database of `kind`; its URL. PostgreSQL's is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    if kind != "postgresql":
        raise BenchError(f"unknown database {kind!r}")
    import psycopg
    from psycopg import sql

    # Unique per call: the import bench opens a second database while the first is in use.
    name = f"chibo_bench_{os.getpid()}_{next(_DATABASE_NUMBERS)}"
    server = urllib.parse.urlsplit(PG_SERVER)
    with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlunsplit(server._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- HTTP --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them: a redirect to the log-in page is a failure."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """A browser's session with cookies, without following redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http only)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request(path)

    def log_in(self, username: str) -> None:
        status, page = self.get("/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or found is None:
            raise BenchError(f"log-in page answered {status}: {page[:500]!r}")
        form = {
            "csrfmiddlewaretoken": found.group(1).decode(),
            "username": username,
            "password": PASSWORD,
        }
        status, page = self.request("/accounts/login/", form)
        if status != 302:
            raise BenchError(f"log-in as {username} answered {status}: {page[:500]!r}")
        if self.get(FLOOR[1])[0] != 200:
            raise BenchError(f"{username} is not logged in after the log-in form")


# --- Measuring ---------------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(client: Client, plan_id: int) -> dict[str, dict[str, Any]]:
    """p50 and p95 in ms of the floor and every case; a missing page is recorded, not timed."""
    paths = {FLOOR[0]: FLOOR[1]}
    results: dict[str, dict[str, Any]] = {}
    for case, template, optional in CASES:
        path = template.format(plan_id=plan_id)
        status, body = client.get(path)
        if status == 404 and optional:
            print(f"  {case}: {path} answered 404; recorded as missing", flush=True)
            results[case] = {"status": 404}
            continue
        if status != 200:
            raise BenchError(f"{case}: GET {path} answered {status}:\n{body[:1500]!r}")
        paths[case] = path
    samples: dict[str, list[float]] = {case: [] for case in paths}
    cases = list(paths)
    for round_number in range(WARM_UP + REQUESTS):
        # Start each round at another case, so that none always follows the same one.
        shift = round_number % len(cases)
        for case in cases[shift:] + cases[:shift]:
            started = time.perf_counter()
            status, body = client.get(paths[case])
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise BenchError(f"{case}: GET {paths[case]} answered {status}:\n{body[:1500]!r}")
            if round_number >= WARM_UP:
                samples[case].append(elapsed)
    for case, values in samples.items():
        results[case] = {
            "status": 200,
            "p50_ms": round(percentile(values, 0.5), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "n": len(values),
        }
    return results


def bench_database(kind: str, workdir: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with database(kind, workdir) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chibo.settings.base",
            "CHIBO_DATABASE_URL": url,
            "CHIBO_DATA_DIR": str(workdir),
            "CHIBO_DEBUG": "false",
            "CHIBO_LOG_LEVEL": "WARNING",
            "CHIBO_LOGIN_FAILURE_LIMIT": "1000",
        }
        print(f"== {kind}: migrate", flush=True)
        chibo(env, "migrate", "--noinput", "--verbosity", "0")
        plan_ids: dict[str, int] = {}
        for scale in SCALES:
            started = time.monotonic()
            output = chibo(env, "synth", "--scale", scale)
            seconds = round(time.monotonic() - started, 1)
            last = output.strip().splitlines()[-1]
            if not last.startswith("plan_id="):
                raise BenchError(f"chibo synth printed no plan id:\n{output[-1500:]}")
            plan_ids[scale] = int(last.removeprefix("plan_id="))
            print(f"== {kind}: synth {scale} in {seconds} s", flush=True)
            records.append({"case": "synth", "scale": scale, "db": kind, "seconds": seconds})
        if "province" in SCALES:
            # The province's tree as a workbook, imported into an empty database (issue 6).
            records.append(
                workbook_bench.bench_import(
                    kind=kind, source_env=env, workdir=workdir, database=database, chibo=chibo
                )
            )
        with gunicorn(env, workdir / f"gunicorn-{kind}.log") as base:
            by_scale: dict[str, dict[str, dict[str, Any]]] = {}
            for scale in SCALES:
                print(f"== {kind}: measuring {scale}", flush=True)
                client = Client(base)
                client.log_in(f"synth-{scale}-bantochuc")
                by_scale[scale] = measure(client, plan_ids[scale])
    for scale, results in by_scale.items():
        floor = results[FLOOR[0]]["p50_ms"]
        for case, result in results.items():
            record: dict[str, Any] = {"case": case, "scale": scale, "db": kind, **result}
            if result["status"] == 200:
                record["floor_p50_ms"] = floor
                record["ratio"] = round(result["p50_ms"] / floor, 2)
                district = by_scale.get("district", {}).get(case, {})
                if scale != "district" and district.get("status") == 200:
                    record["vs_district"] = round(result["p50_ms"] / district["p50_ms"], 2)
            records.append(record)
    return records


def bench_letters() -> list[dict[str, Any]]:
    """Seconds to make every invitation letter of a meeting with LETTERS invitees (no server,
    no database: the document builder and LibreOffice alone)."""
    print(f"== letters: {LETTERS} invitees", flush=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chibo.settings.base"}
    output = chibo(env, "letters_bench", "--count", str(LETTERS))
    records: list[dict[str, Any]] = json.loads(output.strip().splitlines()[-1])
    return records


# --- Reporting ---------------------------------------------------------------------------------


def save(records: list[dict[str, Any]]) -> None:
    """Write this run's records, keeping those of cases it did not measure."""
    measured = {record["case"] for record in records}
    kept: list[dict[str, Any]] = []
    if RESULTS.exists():
        kept = [
            record
            for record in json.loads(RESULTS.read_text())
            if record.get("case") not in measured
        ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([*kept, *records], indent=2, ensure_ascii=False) + "\n")


def table(records: list[dict[str, Any]]) -> str:
    """The README's table: one row per page and database, both scales side by side."""
    pages = {
        (r["case"], r["db"], r["scale"]): r for r in records if r["case"] not in ("synth", "import")
    }
    lines = [
        "| page | db | district p50 / p95 ms | × floor | province p50 / p95 ms | × floor "
        "| province ÷ district |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in [FLOOR[0], *(case for case, _path, _optional in CASES)]:
        for kind in DATABASES:
            cells = [case, kind]
            for scale in ("district", "province"):
                record = pages.get((case, kind, scale), {})
                if record.get("status") == 200:
                    cells += [f"{record['p50_ms']:.1f} / {record['p95_ms']:.1f}"]
                    cells += [f"{record['ratio']:.2f}"]
                else:
                    cells += [f"HTTP {record['status']}" if record else "–", "–"]
            growth = pages.get((case, kind, "province"), {}).get("vs_district")
            cells.append(f"{growth:.2f}" if growth is not None else "–")
            lines.append("| " + " | ".join(cells) + " |")
    letters = [r for r in records if r["case"] in LETTER_CASES]
    if letters:
        lines += ["", "| letters | invitees | seconds | letters/s | goal |"]
        lines.append("|---|---|---|---|---|")
        for record in letters:
            goal = record.get("goal_seconds")
            lines.append(
                f"| {record['case']} | {record['scale']} | {record['seconds']:.2f} "
                f"| {record['letters_per_second']:.0f} | {f'< {goal:.0f} s' if goal else '–'} |"
            )
    synths = [r for r in records if r["case"] == "synth"]
    if synths:
        lines += ["", "| `chibo synth` | " + " | ".join(DATABASES) + " |"]
        lines.append("|---|" + "---|" * len(DATABASES))
        for scale in SCALES:
            seconds = {r["db"]: r["seconds"] for r in synths if r["scale"] == scale}
            row = [f"{seconds[kind]:.0f} s" if kind in seconds else "–" for kind in DATABASES]
            lines.append(f"| {scale} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def verdicts(records: list[dict[str, Any]]) -> list[str]:
    """Each goal, met or missed, in words."""
    lines = []
    for record in records:
        if "goal_seconds" in record:
            met = "met" if record["seconds"] < record["goal_seconds"] else "MISSED"
            lines.append(
                f"{record['case']}, {record['scale']}: {record['seconds']:.2f} s "
                f"(goal < {record['goal_seconds']:.0f} s): {met}"
            )
            continue
        if record["case"] in (FLOOR[0], "synth", "import", *LETTER_CASES):
            continue
        if record["scale"] != "province":
            continue
        if record.get("status") != 200:
            continue
        limit = GOALS.get(record["case"])
        if limit is not None:
            met = "met" if record["ratio"] <= limit else "MISSED"
            lines.append(
                f"{record['case']} on {record['db']}: {record['ratio']:.2f} × floor "
                f"(goal ≤ {limit}): {met}"
            )
        if "vs_district" in record:
            met = "met" if record["vs_district"] <= GROWTH_GOAL else "MISSED"
            lines.append(
                f"{record['case']} on {record['db']}: province/district "
                f"{record['vs_district']:.2f} (goal ≤ {GROWTH_GOAL}): {met}"
            )
    return lines + workbook_bench.verdicts(records)


def main() -> int:
    started = time.monotonic()
    print("== collectstatic", flush=True)
    chibo(
        {**os.environ, "DJANGO_SETTINGS_MODULE": "chibo.settings.base"},
        "collectstatic",
        "--noinput",
        "--verbosity",
        "0",
    )
    records: list[dict[str, Any]] = []
    workdir = Path(tempfile.mkdtemp(prefix="chibo-bench-"))
    try:
        for kind in DATABASES:
            records += bench_database(kind, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    records += bench_letters()
    save(records)
    minutes = (time.monotonic() - started) / 60
    print(f"\n{dt.date.today().isoformat()}, {os.cpu_count()} cores, {minutes:.1f} min\n")  # noqa: DTZ011
    print(table(records))
    print()
    for line in verdicts(records):
        print(line)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(1)
