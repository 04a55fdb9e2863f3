"""Background jobs of plans: each is a thin shell around a service, safe to run twice."""

from chibo.plans import reminders


def reminders_run_daily() -> int:
    """Send today's deadline reminders (the worker's daily schedule); returns how many went."""
    sent = reminders.reminders_send()
    return sum(len(reminder.recipients) for reminder in sent)
