from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "chibo.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from chibo.core import schedules
        from chibo.documents import services

        # Old background files are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.document_jobs_purge_schedule_setup)
