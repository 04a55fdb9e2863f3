"""The load test's virtual users (`make load` runs them; see bench/load.py).

Each virtual user is one account of the manifest that `chibo load_accounts` wrote (path in
LOAD_MANIFEST): a real person with a real post, logged in through the log-in form with its CSRF
token. Three kinds, in the manifest's numbers:
- board: the plan's pages, its progress dashboard, meetings and the organization tree;
- registrar: the plan, its committee's registration page, and saves of its list (the form the
  commune secretary posts);
- marker: its cell's meetings, the attendance page, and taps on it (the htmx post the page
  sends).
Mostly reads; every response is checked for the status (and, for writes, the outcome) a user
would expect. Redirects are not followed, so a bounce to the log-in page counts as a failure.
"""

import itertools
import json
import os
import random
import re
import urllib.parse
from pathlib import Path
from typing import Any

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

MANIFEST = json.loads(Path(os.environ["LOAD_MANIFEST"]).read_text(encoding="utf-8"))
PASSWORD: str = MANIFEST["password"]
ACCOUNTS: dict[str, list[dict[str, Any]]] = {}
for _account in MANIFEST["accounts"]:
    ACCOUNTS.setdefault(_account["role"], []).append(_account)
# Each virtual user takes the next account of its kind: no two share a session or a person.
_NEXT = {role: itertools.count() for role in ACCOUNTS}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUSES = ("present", "excused", "absent")


# The measured time starts once the last user has logged in (or failed to): the statistics are
# reset then, and the run stops LOAD_SECONDS later. A log-in costs the password hasher's time on
# purpose, and 100 of them at once would otherwise be what the figures measure.
SECONDS = int(os.environ.get("LOAD_SECONDS", "180"))
# Every request of the whole run, the ramp-up and its log-ins included, so that no failure hides
# before the reset. Written to LOAD_TALLY when the run stops.
TALLY: dict[str, Any] = {"requests": 0, "failures": 0, "errors": {}, "logged_in": 0, "settled": 0}


@events.request.add_listener
def _count(name: str, exception: Exception | None = None, **_kwargs: Any) -> None:
    TALLY["requests"] += 1
    if exception is not None:
        TALLY["failures"] += 1
        errors = TALLY["errors"]
        key = f"{name}: {exception}"[:300]
        errors[key] = errors.get(key, 0) + 1


@events.quitting.add_listener
def _write_tally(**_kwargs: Any) -> None:
    target = os.environ.get("LOAD_TALLY")
    if target:
        Path(target).write_text(json.dumps(TALLY, ensure_ascii=False, indent=1), encoding="utf-8")


def outcome(response: Any) -> str:
    """The status, or what went wrong when there was none (a time-out, a refused connection)."""
    return str(response.status_code or response.error)


class ChiboUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 6)  # a person reading a page before the next click or tap

    def on_start(self) -> None:
        accounts = ACCOUNTS[self.role]
        self.account = accounts[next(_NEXT[self.role]) % len(accounts)]
        self.plan = self.account["plan"]
        token = self.csrf_of("/accounts/login/", name="login_page")
        logged_in = False
        if token:  # without the page (its failure is counted) there is no form to send
            form = {
                "csrfmiddlewaretoken": token,
                "username": self.account["username"],
                "password": PASSWORD,
            }
            with self.post("/accounts/login/", form, "login") as response:
                logged_in = response.status_code == 302
                if not logged_in:
                    name = self.account["username"]
                    response.failure(f"log-in of {name}: {outcome(response)}")
        TALLY["logged_in"] += logged_in
        TALLY["settled"] += 1
        if TALLY["settled"] == self.environment.parsed_options.num_users:
            runner = self.environment.runner
            assert runner is not None
            runner.stats.reset_all()
            gevent.spawn_later(SECONDS, runner.quit)
        if not logged_in:
            # Everything after would fail for this one reason: one failure is enough.
            raise StopUser()

    # --- helpers -------------------------------------------------------------------------

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200; its text ("" when it failed)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"GET {path}: {outcome(response)}")
                return ""
            return response.text or ""

    def post(self, path: str, form: dict[str, str], name: str, htmx: bool = False) -> Any:
        """POST a form as a browser does (or as htmx does); the response, for checking."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(
            path,
            data=urllib.parse.urlencode(form),
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def csrf_of(self, path: str, name: str) -> str:
        """The form token of a page, as a browser posts it back."""
        found = CSRF.search(self.page(path, name))
        return found.group(1) if found else ""

    # --- reads every kind does -----------------------------------------------------------

    @task(2)
    def plan_list(self) -> None:
        self.page("/plans/", "plan_list")

    @task(2)
    def plan_detail(self) -> None:
        self.page(f"/plans/{self.plan}/", "plan_detail")

    @task(2)
    def meeting_list(self) -> None:
        self.page("/meetings/", "meeting_list")


class BoardUser(ChiboUser):
    role = "board"
    fixed_count = len(ACCOUNTS.get("board", []))

    @task(4)
    def progress(self) -> None:
        self.page(f"/plans/{self.plan}/progress/", "progress")

    @task(2)
    def org_tree(self) -> None:
        self.page("/orgs/", "org_tree")

    @task(2)
    def meeting_detail(self) -> None:
        if self.account["meetings"]:
            meeting = random.choice(self.account["meetings"])  # noqa: S311
            self.page(f"/meetings/{meeting}/", "meeting_detail")


class RegistrarUser(ChiboUser):
    role = "registrar"
    fixed_count = len(ACCOUNTS.get("registrar", []))

    @property
    def registration_path(self) -> str:
        return f"/plans/{self.plan}/registrations/{self.account['org']}/"

    @task(3)
    def registration_page(self) -> None:
        self.page(self.registration_path, "registration_page")

    @task(2)
    def registration_save(self) -> None:
        path = self.registration_path
        token = self.csrf_of(path, "registration_page")
        if not token:
            return  # the page failed, and is counted: nobody posts a form they never got
        form = {"csrfmiddlewaretoken": token, **self.account["registration_form"]}
        with self.post(path, form, "registration_save") as response:
            # Saved: back to the same page, with the message. Refused: the page with problems.
            if response.status_code != 302 or response.headers.get("Location") != path:
                response.failure(f"POST {path}: {outcome(response)}")
                return
        self.page(path, "registration_page")

    @task(1)
    def org_tree(self) -> None:
        self.page("/orgs/", "org_tree")


class MarkerUser(ChiboUser):
    role = "marker"
    fixed_count = len(ACCOUNTS.get("marker", []))

    @property
    def meeting_path(self) -> str:
        return f"/meetings/{self.account['meeting']}/"

    @task(3)
    def meeting_detail(self) -> None:
        self.page(self.meeting_path, "meeting_detail")

    @task(2)
    def attendance_page(self) -> None:
        self.page(f"{self.meeting_path}attendance/", "attendance_page")

    @task(4)
    def attendance_mark(self) -> None:
        """Open the attendance page and tap one person's mark, as the page's htmx does."""
        token = self.csrf_of(f"{self.meeting_path}attendance/", "attendance_page")
        if not token:
            return  # the page failed, and is counted
        person = random.choice(self.account["people"])  # noqa: S311
        status = random.choice(STATUSES)  # noqa: S311
        form = {"csrfmiddlewaretoken": token, "person": str(person), "status": status}
        if status == "excused":
            form["note"] = "Đi công tác"
        with self.post(
            f"{self.meeting_path}attendance/mark/", form, "attendance_mark", htmx=True
        ) as response:
            text = response.text or ""
            marked = f'id="mark-{person}-{status}" autocomplete="off" checked' in text
            if response.status_code != 200 or 'role="alert"' in text or not marked:
                response.failure(f"tap {person} {status}: {outcome(response)}")
