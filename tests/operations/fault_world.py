"""Run by `chibo shell` for the fault tests, in their own database: the shared cast, a meeting
ready for its letters, and the officer's API token and session. Prints them as JSON."""

import datetime as dt
import json

from django.test import Client

from chibo.accounts.services import token_create
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services
from chibo.meetings.models import Meeting
from chibo.meetings.services import invitations
from chibo.plans.models import Plan
from chibo.plans.tests.factories import make_plan
from conftest import build_world

START = dt.datetime(2025, 3, 12, 8, 0, tzinfo=LOCAL_TZ)


def main() -> None:
    world = build_world()
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=world.officer, plan=plan)
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=80),
        venue="Hội trường",
    )
    # Several letters, so that the batch can be caught between two of them.
    for user in (world.commune_secretary, world.cell_secretary, world.outsider):
        assert user.person is not None
        invitations.invitee_add(actor=None, meeting=meeting, person=user.person, note="")
    _token, raw = token_create(user=world.officer)
    browser = Client()
    browser.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    print(  # noqa: T201 (read by the test)
        json.dumps(
            {
                "token": raw,
                "session": browser.cookies["sessionid"].value,
                "meeting": meeting.pk,
                "district": world.district.code,
            }
        )
    )
