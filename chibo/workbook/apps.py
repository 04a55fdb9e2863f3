from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "chibo.workbook"
    label = "workbook"
    verbose_name = _("Import and export")
