"""The JSON API under /api/v1: authentication, error mapping and the routers."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja import errors as ninja_errors
from ninja.openapi.schema import OpenAPISchema
from ninja.security import APIKeyCookie, HttpBearer

from chibo.accounts import services as account_services
from chibo.accounts.models import User
from chibo.core.api import SCHEMA_INVALID, schema_error_fields
from chibo.core.errors import NotFound, NotReadyError
from chibo.documents import pdf
from chibo.documents.api import jobs_router as documents_jobs_router
from chibo.documents.api import meetings_router as documents_meetings_router
from chibo.documents.api import plans_router as documents_plans_router
from chibo.documents.api import registrations_router as documents_registrations_router
from chibo.meetings.api import plans_router as meetings_plans_router
from chibo.meetings.api import registrations_router as meetings_registrations_router
from chibo.meetings.api import router as meetings_router
from chibo.orgs.api import router as orgs_router
from chibo.plans.api import registrations_router
from chibo.plans.api import router as plans_router
from chibo.reports.api import router as reports_router
from chibo.workbook.api import imports_router as workbook_imports_router
from chibo.workbook.api import orgs_router as workbook_orgs_router

BODY_UNREADABLE = gettext_lazy("The request body could not be read: send JSON, or the form asked.")
NOT_AUTHENTICATED = gettext_lazy(
    "Log in, or send a token: Authorization: Bearer <token> (chibo token create USERNAME)."
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = account_services.token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session; unsafe methods also need the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated and user.is_active:
            return user
        return None


# The refusals every operation may answer, in the one {"message", "fields"} shape, so that the
# OpenAPI tells the truth about them (the fuzzer in tests/api checks it does).
ERROR_RESPONSES = {
    400: "The request could not be read (a malformed body or form)",
    401: "Not logged in, and no valid token",
    404: "Not found, or outside the user's scope",
    422: "The input does not fit the schema, or a rule refused it",
}
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["message"],
}


class ChiboAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """ninja's schema, with the refusals each operation may answer and their JSON body."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for code, description in ERROR_RESPONSES.items():
                    responses.setdefault(code, {"description": description})
                for code, response in responses.items():
                    if int(code) >= 400:
                        response.setdefault("content", error)
        return schema


api = ChiboAPI(
    title="chibo API",
    version="1",
    description="Kế hoạch, đăng ký và sinh hoạt chi bộ. Mọi dữ liệu được giới hạn theo phạm vi "
    "tổ chức của người dùng.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return api.create_response(request, {"message": str(error)}, status=404)


@api.exception_handler(NotReadyError)
def not_ready(request: HttpRequest, error: NotReadyError) -> HttpResponse:
    """There, in scope, but not ready for what was asked (letters before the time is set)."""
    return api.create_response(request, {"message": error.message}, status=409)


@api.exception_handler(pdf.PdfError)
def pdf_unavailable(request: HttpRequest, error: pdf.PdfError) -> HttpResponse:
    """No PDF now (LibreOffice missing, busy or too slow): the DOCX is still there."""
    return api.create_response(request, {"message": str(error)}, status=503)


@api.exception_handler(ninja_errors.ValidationError)
def schema_invalid(request: HttpRequest, error: ninja_errors.ValidationError) -> HttpResponse:
    """A body, query or path that does not fit the schema: 422 in the shape of every refusal."""
    fields = schema_error_fields(list(error.errors))
    return api.create_response(
        request, {"message": str(SCHEMA_INVALID), "fields": fields}, status=422
    )


@api.exception_handler(ninja_errors.HttpError)
def http_error(request: HttpRequest, error: ninja_errors.HttpError) -> HttpResponse:
    """ninja's own refusals (a body it cannot parse: 400), in the shape of every refusal."""
    message = BODY_UNREADABLE if error.status_code == 400 else error.message
    return api.create_response(request, {"message": str(message)}, status=error.status_code)


@api.exception_handler(ninja_errors.AuthenticationError)
def unauthenticated(request: HttpRequest, error: ninja_errors.AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"message": str(NOT_AUTHENTICATED)}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields: dict[str, Any] = {}
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    message = str(error.messages[0]) if error.messages else ""
    return api.create_response(request, {"message": message, "fields": fields}, status=422)


api.add_router("/orgs", orgs_router)
api.add_router("/orgs", workbook_orgs_router)
api.add_router("/imports", workbook_imports_router)
api.add_router("/plans", plans_router)
api.add_router("/plans", reports_router)
api.add_router("/plans", meetings_plans_router)
api.add_router("/registrations", registrations_router)
api.add_router("/registrations", meetings_registrations_router)
api.add_router("/plans", documents_plans_router)
api.add_router("/registrations", documents_registrations_router)
api.add_router("/jobs", documents_jobs_router)
api.add_router("/meetings", meetings_router)
api.add_router("/meetings", documents_meetings_router)
