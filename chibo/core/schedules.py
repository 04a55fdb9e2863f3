"""The worker's recurring jobs, from every app, set up by one command.

Each app registers a function that creates or corrects its own django-q2 schedule (safe to
rerun) and says in one line what it did; `chibo schedule_setup` runs them all, so the command
needs to know no app below it.
"""

from collections.abc import Callable

ScheduleSetup = Callable[[], str]

SETUPS: list[ScheduleSetup] = []


def register(setup: ScheduleSetup) -> ScheduleSetup:
    if setup not in SETUPS:
        SETUPS.append(setup)
    return setup
