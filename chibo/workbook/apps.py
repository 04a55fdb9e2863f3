from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "chibo.workbook"
    label = "workbook"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from chibo.core import schedules
        from chibo.workbook import services
        from chibo.workbook.context_processors import remember_on_login

        # Old uploaded workbooks are removed every night (`chibo schedule_setup` sets it up).
        schedules.register(services.import_files_purge_schedule_setup)

        user_logged_in.connect(remember_on_login, dispatch_uid="workbook_remember_can_import")
