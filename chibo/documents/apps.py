from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "chibo.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from chibo.core import queue, schedules
        from chibo.documents import services

        # Old background files are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.document_jobs_purge_schedule_setup)
        # A worker process starting picks up the jobs a dead one left running.
        queue.recovery_register(services.document_jobs_recover)
