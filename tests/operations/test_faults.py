"""Faults: chibo's web server (gunicorn) and its worker (`chibo qcluster`) killed with SIGKILL in
the middle of a workbook import, a background document and a batch of letters, then started
again. Nothing is half-written, and every job ends done (retried by the restarted worker) or
failed with a message, never "running" for good.

Real processes on a database of their own of the suite's kind and a free port. "In the middle"
is made certain by chibo.core.faults: the work stops at a pause point inside its transaction
(or, for a document, between making the file and storing it) until the test kills it.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chibo.core.tests.live import BIN, CHIBO, chibo_env, fetch_one, scratch_database, snapshot
from chibo.workbook.tests.helpers import workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
# The work's own state: the queue, sessions, token use and log-in records change with any
# request and are not what a half-written import or batch of letters would leave.
BOOKKEEPING = ("django_q_", "django_session", "axes_", "accounts_apitoken")
JOB_TABLES = ("workbook_importrecord", "documents_documentjob")
SETUP = "from tests.operations.fault_world import main; main()"
LIMIT = 90.0  # seconds any one wait may take before the test gives up and says what it awaited
LETTERS_DOCX = json.dumps({"kind": "letters_docx"}).encode()
TIMINGS: dict[str, float] = {}


def domain(rows: dict[str, list[Any]], *also: str) -> dict[str, list[Any]]:
    """Every table but the bookkeeping (and `also`); SQLite's counters of those too."""

    def kept(table: str) -> bool:
        return not table.startswith(BOOKKEEPING) and table not in also

    found = {table: content for table, content in rows.items() if kept(table)}
    if "sqlite_sequence" in found:
        found["sqlite_sequence"] = [row for row in found["sqlite_sequence"] if kept(row[0])]
    return found


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    """Poll until `check` gives something true; the bound only ends a hung run."""
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)
CSRF = uuid.uuid4().hex  # a 32-character secret: the cookie and the header agree


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Chibo:
    """gunicorn and the worker on one database, started, killed and started again."""

    def __init__(self, env: dict[str, str], logs: Path, info: dict[str, Any]) -> None:
        self.env, self.logs, self.info = env, logs, info
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.base = ""

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        # Its own session: a SIGKILL to the group takes every process it forked, as when the
        # machine or the service's control group goes down.
        with (self.logs / f"{name}.log").open("ab") as log:
            return subprocess.Popen(  # noqa: S603 (our own commands)
                command, env=self.env, stdout=log, stderr=log, start_new_session=True, cwd=ROOT
            )

    def start_web(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.web = self._spawn(
            "web",
            [str(BIN / "gunicorn"), "chibo.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--threads", "4"],
        )
        wait_for("the web server", lambda: self._answers("/healthz"))

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", [CHIBO, "qcluster"])

    def kill(self, process: subprocess.Popen[bytes] | None) -> None:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            assert process.returncode == -signal.SIGKILL

    def _answers(self, path: str) -> bool:
        with contextlib.suppress(OSError):
            return self.call("GET", path)[0] == 200
        return False

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        page: bool = False,
    ) -> tuple[int, Any, dict[str, str]]:
        headers = {"Content-Type": content_type}
        if page:
            headers["Cookie"] = f"sessionid={self.info['session']}; csrftoken={CSRF}"
            headers["X-CSRFToken"] = CSRF
        else:
            headers["Authorization"] = f"Bearer {self.info['token']}"
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path, data=body, method=method, headers=headers
        )
        try:
            with OPENER.open(request, timeout=LIMIT) as response:
                status, raw, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, got = error.code, error.read(), dict(error.headers)
        is_json = got.get("Content-Type", "").startswith("application/json")
        return status, json.loads(raw) if is_json else raw, got

    def job(self, job_id: int) -> dict[str, Any]:
        status, body, _headers = self.call("GET", f"/api/v1/jobs/{job_id}")
        assert status == 200, body
        return dict(body)


class Pause:
    """The pause points of chibo.core.faults, set and let go from the test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextlib.contextmanager
    def at(self, name: str) -> Iterator[Callable[[], None]]:
        pause, reached = self.directory / f"{name}.pause", self.directory / f"{name}.reached"
        reached.unlink(missing_ok=True)
        pause.touch()
        try:
            yield lambda: wait_for(f"the pause point {name}", reached.exists)
        finally:
            pause.unlink(missing_ok=True)


def in_background(call: Callable[[], Any]) -> threading.Thread:
    """A request whose answer never comes (its server is killed): its error is expected."""

    def run() -> None:
        with contextlib.suppress(OSError, ConnectionError):
            call()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def org_rows(code: str, members: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    cell = (code, "D", f"Chi bộ {code}", "Chi bộ cơ sở", "", "CB")
    people = [
        (f"{code}-{n}", f"Lò Văn {n}", "Nam", 1980, "", "", code, "chính thức", "không")
        for n in range(members)
    ]
    return [cell], people


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Chibo, Pause, str]]:
    with scratch_database(tmp_path, "faults") as url:
        data, faults = tmp_path / "data", tmp_path / "faults"
        data.mkdir()
        faults.mkdir()
        env = chibo_env(
            url,
            data,
            CHIBO_FAULT_DIR=str(faults),
            CHIBO_IMPORT_BACKGROUND_KB="0",  # every upload through the page goes to the worker
            PYTHONPATH=str(ROOT),
        )
        subprocess.run([CHIBO, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        made = subprocess.run(  # noqa: S603
            [CHIBO, "shell", "-v", "0", "-c", SETUP],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(next(line for line in made.stdout.splitlines() if line.startswith("{")))
        chibo = Chibo(env, tmp_path, info)
        try:
            chibo.start_web()
            chibo.start_worker()
            yield chibo, Pause(faults), url
        finally:
            chibo.kill(chibo.web)
            chibo.kill(chibo.worker)


@pytest.mark.django_db
def test_killed_processes_leave_nothing_half_written_and_every_job_ends(
    running: tuple[Chibo, Pause, str],
) -> None:
    chibo, pause, url = running
    meeting = chibo.info["meeting"]

    # Letters, the web server killed between two letters of the batch.
    started = time.monotonic()
    before = snapshot(url)
    with pause.at("letters") as reached:
        issue = f"/api/v1/meetings/{meeting}/invitations/issue"
        request = in_background(lambda: chibo.call("POST", issue, b"{}"))
        reached()
        chibo.kill(chibo.web)
    request.join(timeout=LIMIT)
    assert domain(snapshot(url)) == domain(before)
    chibo.start_web()
    status, letters, _headers = chibo.call("POST", issue, b"{}")
    assert status == 200, letters
    assert len(letters) == 3
    numbers = sorted(int(letter["number"].split("-")[0]) for letter in letters)
    assert numbers == list(range(1, len(letters) + 1))  # none was taken by the killed batch
    TIMINGS["letters, web killed"] = time.monotonic() - started

    # An import through the API (written in the request), the web server killed mid-write.
    started = time.monotonic()
    before = snapshot(url)
    orgs, members = org_rows("D-API", 30)
    body, content_type = multipart({"dry_run": "false"}, "api.xlsx", workbook_bytes(orgs, members))
    with pause.at("import") as reached:
        request = in_background(lambda: chibo.call("POST", "/api/v1/imports", body, content_type))
        reached()
        chibo.kill(chibo.web)
    request.join(timeout=LIMIT)
    assert domain(snapshot(url)) == domain(before)
    chibo.start_web()
    TIMINGS["import (API), web killed"] = time.monotonic() - started

    # An import through the page, written by the worker, the worker killed mid-write: the
    # restarted worker imports it whole.
    started = time.monotonic()
    orgs, members = org_rows("D-PAGE", 30)
    body, content_type = multipart({}, "page.xlsx", workbook_bytes(orgs, members))
    status, _body, headers = chibo.call("POST", "/imports/upload/", body, content_type, page=True)
    assert status == 302, _body
    record = int(headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    state = f"SELECT status, attempts, error_count FROM workbook_importrecord WHERE id = {record}"  # noqa: S608
    wait_for("the check", lambda: fetch_one(url, state) == ("checked", 1, 0))
    before = snapshot(url)
    with pause.at("import") as reached:
        confirm = f"/imports/{record}/confirm/"
        assert chibo.call("POST", confirm, b"", "text/plain", page=True)[0] == 302
        reached()
        chibo.kill(chibo.worker)
    assert domain(snapshot(url), *JOB_TABLES) == domain(before, *JOB_TABLES)
    assert fetch_one(url, state) == ("importing", 1, 0)
    chibo.start_worker()
    finished = wait_for(
        "the import",
        lambda: (
            (row := fetch_one(url, state))
            and row[0]
            not in (
                "importing",
                "queued",
            )
            and row
        ),
    )
    assert finished == ("imported", 2, 0)
    people = "SELECT COUNT(*) FROM orgs_person WHERE code LIKE 'D-PAGE-%'"
    assert fetch_one(url, people) == (30,)
    TIMINGS["import (page), worker killed"] = time.monotonic() - started

    # A background document, the worker killed while making it: retried and done.
    started = time.monotonic()
    jobs = f"/api/v1/meetings/{meeting}/jobs"
    with pause.at("document_job") as reached:
        status, job, _headers = chibo.call("POST", jobs, LETTERS_DOCX)
        assert status == 202, job
        reached()
        chibo.kill(chibo.worker)
    assert chibo.job(job["id"])["status"] == "running"
    chibo.start_worker()
    done = wait_for("the document", lambda: chibo.job(job["id"])["status"] in ("done", "failed"))
    assert done
    finished_job = chibo.job(job["id"])
    assert finished_job["status"] == "done", finished_job
    download = finished_job["download"]
    assert chibo.call("GET", download)[0] == 200
    TIMINGS["document, worker killed"] = time.monotonic() - started

    # A background document, the web server killed while the worker makes it: done.
    started = time.monotonic()
    with pause.at("document_job") as reached:
        status, job, _headers = chibo.call("POST", jobs, LETTERS_DOCX)
        assert status == 202, job
        reached()
        chibo.kill(chibo.web)
        chibo.start_web()
    wait_for("the document", lambda: chibo.job(job["id"])["status"] == "done")
    TIMINGS["document, web killed"] = time.monotonic() - started
    print("fault timings:", {case: round(seconds, 1) for case, seconds in TIMINGS.items()})  # noqa: T201
