"""The background worker's queue (django-q2 with the database as its broker), seen from chibo.

A task taken by a worker stays in the queue, locked for Q_CLUSTER["retry"] seconds (15
minutes), until the worker reports it done. A worker killed halfway (SIGKILL, the machine
going down, the out-of-memory killer) never reports: its task comes back only when the lock
expires. chibo runs one worker process per database (README), so when that worker process
starts, a locked task whose job says "running" was lost with a dead worker: the apps look for
such tasks then (their `*_recover` services) and retry them at once, or fail their job after
MAX_ATTEMPTS starts.
"""

import logging
from collections.abc import Callable

from django.utils import timezone
from django_q.models import OrmQ  # type: ignore[import-untyped]
from django_q.signals import post_spawn  # type: ignore[import-untyped]

# A job whose worker died this many times while running it is failed rather than retried
# again: it may be the job itself that brings the worker down (memory, a hung converter).
MAX_ATTEMPTS = 2


def tasks_in_flight(func: str) -> dict[int, int]:
    """Tasks of `func` taken by a worker and not reported done: {their first argument (the
    job's id): the queue row}."""
    found: dict[int, int] = {}
    for row in OrmQ.objects.filter(lock__gt=timezone.now()).order_by("pk"):
        task = row.task  # a payload that does not unsign reads as a task without func
        args = task.get("args") or ()
        if task.get("func") == func and args and isinstance(args[0], int):
            found[args[0]] = row.pk
    return found


def task_release(row_id: int) -> None:
    """Hand a lost task to the next free worker now instead of after the lock expires."""
    OrmQ.objects.filter(pk=row_id).update(lock=timezone.now())


def task_drop(row_id: int) -> None:
    """Take a task off the queue: its job was failed instead."""
    OrmQ.objects.filter(pk=row_id).delete()


RECOVERIES: list[Callable[[], object]] = []


def recovery_register(recover: Callable[[], object]) -> None:
    """Run `recover` (an app's `*_recover` service) whenever a worker process starts."""
    if recover not in RECOVERIES:
        RECOVERIES.append(recover)
    post_spawn.connect(_recover_all, dispatch_uid="chibo.core.queue.recover")


def _recover_all(**kwargs: object) -> None:
    for recover in RECOVERIES:
        try:
            recover()
        except Exception:  # the worker must start even when the database is not there yet
            logging.getLogger(__name__).exception("could not look for lost jobs: %s", recover)
