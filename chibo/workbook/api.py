"""Import and export endpoints: POST /api/v1/imports, GET /api/v1/orgs/{id}/export.xlsx."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from chibo.core.api import ObjectId
from chibo.core.xlsx import XLSX_TYPE
from chibo.orgs.scope import request_actor
from chibo.workbook import export, selectors, services

imports_router = Router(tags=["imports"])
orgs_router = Router(tags=["imports"])


class ImportErrorOut(Schema):
    sheet: str
    row: int | None
    column: str
    value: str
    message: str


class ImportOut(Schema):
    """Rows per sheet that were (or, in a dry run, would be) created, updated, left unchanged."""

    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    errors: list[ImportErrorOut]
    dry_run: bool
    imported: bool


class MessageOut(Schema):
    message: str


class SchemaErrorOut(Schema):
    message: str
    fields: dict[str, list[str]]


@imports_router.post(
    "",
    # 422: the workbook's errors, or (no file, say) the request's, as every refusal.
    response={200: ImportOut, 404: MessageOut, 422: ImportOut | SchemaErrorOut},
    summary="Import a workbook (or check it: dry_run=true)",
    description="The workbook as `file` (XLSX in chibo's format: sheets Tổ chức, Đảng viên, "
    "Chức vụ); `dry_run` true (the default) to check and count only, false to write. Any "
    "error: 422, nothing written.",
)
def import_workbook(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True
) -> Any:
    # A forgotten flag checks rather than writes: writing a province's tree is said explicitly.
    actor = request_actor(request)
    _record, outcome = services.workbook_import(
        actor=actor, stream=file, filename=file.name or "import.xlsx", dry_run=dry_run
    )
    body = {
        **outcome.counts,
        "errors": [error.as_dict() for error in outcome.errors],
        "dry_run": dry_run,
        "imported": outcome.imported,
    }
    return Status(200 if outcome.is_valid else 422, body)


@orgs_router.get(
    "/{org_id}/export.xlsx",
    summary="An organization's subtree in the import format (XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Sheets Tổ chức, Đảng viên, Chức vụ",
                "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            },
            404: {"description": "Not found, or outside the user's scope"},
        }
    },
)
def org_export(request: HttpRequest, org_id: ObjectId) -> HttpResponse:
    root = selectors.export_root_get(actor=request_actor(request), org_id=org_id)
    response = HttpResponse(export.subtree_xlsx(root), content_type=XLSX_TYPE)
    disposition = content_disposition_header(True, export.export_filename(root))
    response["Content-Disposition"] = disposition or ""
    return response
