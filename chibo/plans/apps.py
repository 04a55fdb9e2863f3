from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "chibo.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from chibo.core import schedules
        from chibo.plans import reminders

        # Deadline reminders every day at 07:00 (`chibo schedule_setup` sets it up).
        schedules.register(reminders.reminder_schedule_line)
