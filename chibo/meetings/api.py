"""Meeting endpoints, and the workflows whose outcome is a meeting (issuing, accepting)."""

from django.http import HttpRequest
from ninja import Router, Schema

from chibo.core.api import InputSchema
from chibo.meetings import services
from chibo.orgs.scope import request_actor
from chibo.plans import selectors as plan_selectors
from chibo.plans.api import PlanOut, RegistrationOut
from chibo.plans.models import Registration

plans_router = Router(tags=["plans"])
registrations_router = Router(tags=["registrations"])


class PlanIssueOut(Schema):
    plan: PlanOut
    obligations_created: int


class RegistrationAcceptIn(InputSchema):
    comment: str = ""


@plans_router.post("/{plan_id}/issue", response=PlanIssueOut, summary="Issue a plan")
def plan_issue(request: HttpRequest, plan_id: int) -> dict[str, object]:
    actor = request_actor(request)
    plan = plan_selectors.plan_get(actor=actor, plan_id=plan_id, with_parts=False)
    result = services.plan_issue(actor=actor, plan=plan)
    return {"plan": result.plan, "obligations_created": result.obligations_created}


@registrations_router.post("/{registration_id}/accept", response=RegistrationOut)
def registration_accept(
    request: HttpRequest, registration_id: int, payload: RegistrationAcceptIn | None = None
) -> Registration:
    actor = request_actor(request)
    registration = plan_selectors.registration_get(actor=actor, registration_id=registration_id)
    comment = payload.comment if payload else ""
    services.registration_accept(actor=actor, registration=registration, comment=comment)
    return plan_selectors.registration_get(actor=actor, registration_id=registration_id)
