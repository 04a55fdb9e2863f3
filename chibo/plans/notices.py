"""What a committee is told when the committee above acts: a plan asks something of it, its list
was returned or accepted. Reminders before deadlines live in `reminders`.

Only a person's act is announced: the demo's replay of past events and synthetic loads (no
actor) stay silent, since a notice dated today about March 2025 would mislead.
"""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import format_date, local_today
from chibo.notifications import services as notification_services
from chibo.notifications.services import NotificationMessage
from chibo.plans import selectors
from chibo.plans.models import Obligation, Registration, RegistrationVersion

WHAT_MAX_CHARS = 120
PLAN_ISSUED_TITLE = _("Plan {plan}: {organization} is asked to send {what}")
PLAN_ISSUED_BODY = _("{deadline_kind} {date}. {title}")
RETURNED_TITLE = _("{what} of {organization} was returned for correction")
ACCEPTED_TITLE = _("{what} of {organization} was accepted")
ACCEPTED_BODY = _("The meetings are scheduled as registered.")


def plan_issued(obligations: Sequence[Obligation]) -> None:
    """Tell each obligated committee's secretaries what the new plan asks of them, and by when."""
    people = selectors.committee_secretary_users(
        (o.organization_id for o in obligations), local_today()
    )
    messages = []
    for obligation in obligations:
        duty = obligation.duty
        if duty is None:  # nothing to send up by a date: nothing to announce
            continue
        plan = obligation.target.plan
        words = {
            "plan": plan.number_symbol,
            "organization": obligation.organization.name,
            "what": Truncator(duty.what).chars(WHAT_MAX_CHARS),
        }
        body = str(PLAN_ISSUED_BODY).format(
            deadline_kind=capfirst(duty.get_deadline_kind_display()),
            date=format_date(duty.deadline),
            title=capfirst(plan.title),
        )
        messages.append(
            NotificationMessage(
                recipients=tuple(people.get(obligation.organization_id, [])),
                key=f"plan-issued:{obligation.pk}",
                title=str(PLAN_ISSUED_TITLE).format(**words),
                body=body,
                url=reverse("plans:plan_detail", args=[plan.pk]),
            )
        )
    notification_services.notification_send_many(messages=messages)


def registration_reviewed(registration: Registration, event: str) -> None:
    """Tell the committee (and whoever sent the list) that it was returned or accepted."""
    obligation = registration.obligation
    organization = obligation.organization
    recipients = list(
        selectors.committee_secretary_users([organization.pk], local_today()).get(
            organization.pk, []
        )
    )
    sender = registration.submitted_by
    if sender is not None and sender.is_active and sender not in recipients:
        recipients.append(sender)
    what = Truncator(obligation.duty.what if obligation.duty else "").chars(WHAT_MAX_CHARS)
    words = {"what": what.capitalize(), "organization": organization.name}
    if event == RegistrationVersion.Event.RETURNED:
        title = str(RETURNED_TITLE).format(**words)
        body = registration.review_comment
    else:
        title = str(ACCEPTED_TITLE).format(**words)
        body = registration.review_comment or str(ACCEPTED_BODY)
    notification_services.notification_send(
        recipients=recipients,
        key=f"registration:{registration.pk}:{registration.version}:{event}",
        title=title,
        body=body,
        url=reverse("plans:registration_detail", args=[registration.pk]),
    )
