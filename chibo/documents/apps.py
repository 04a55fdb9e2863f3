import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "chibo.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django_q.signals import post_spawn  # type: ignore[import-untyped]

        from chibo.core import schedules
        from chibo.documents import services

        # Old background files are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.document_jobs_purge_schedule_setup)
        # A worker process starting picks up the jobs a dead one left running.
        post_spawn.connect(_recover, dispatch_uid="chibo.documents.recover")


def _recover(**kwargs: object) -> None:
    from chibo.documents import services

    try:
        services.document_jobs_recover()
    except Exception:  # the worker must start even when the database is not there yet
        logging.getLogger(__name__).exception("could not look for lost document jobs")
