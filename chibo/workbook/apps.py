from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "chibo.workbook"
    label = "workbook"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from chibo.core import queue, schedules
        from chibo.workbook import services

        # Old uploaded workbooks are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.import_files_purge_schedule_setup)
        # A worker process starting picks up the checks and imports a dead one left running.
        queue.recovery_register(services.import_records_recover)
