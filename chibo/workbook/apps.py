import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "chibo.workbook"
    label = "workbook"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from django_q.signals import post_spawn  # type: ignore[import-untyped]

        from chibo.core import schedules
        from chibo.workbook import services

        # Old uploaded workbooks are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.import_files_purge_schedule_setup)
        # A worker process starting picks up the checks and imports a dead one left running.
        post_spawn.connect(_recover, dispatch_uid="chibo.workbook.recover")


def _recover(**kwargs: object) -> None:
    from chibo.workbook import services

    try:
        services.import_records_recover()
    except Exception:  # the worker must start even when the database is not there yet
        logging.getLogger(__name__).exception("could not look for lost imports")
