"""The page "Nhập dữ liệu từ Excel": template, upload, dry run, confirm; and subtree exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from chibo.accounts.http import AuthenticatedRequest
from chibo.core.xlsx import XLSX_TYPE
from chibo.workbook import export, forms, selectors, services
from chibo.workbook.errors import RowError

ERRORS_SHOWN = 200  # rows of the error table on the page; the XLSX report has them all


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@require_GET
@login_required
def import_page(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "form": forms.UploadForm(),
        "records": selectors.import_record_list(actor=request.user),
    }
    return render(request, "workbook/import_page.html", context)


@require_GET
@login_required
def template_download(request: AuthenticatedRequest) -> HttpResponse:
    return _xlsx(export.template_xlsx(), "mau-nhap-du-lieu-chibo.xlsx")


@require_POST
@login_required
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"form": form, "records": selectors.import_record_list(actor=request.user)}
        return render(request, "workbook/import_page.html", context, status=400)
    uploaded = form.cleaned_data["file"]
    record = services.import_upload(actor=request.user, uploaded=uploaded, filename=uploaded.name)
    return redirect("workbook:import_detail", record_id=record.pk)


@require_GET
@login_required
def import_detail(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    record = selectors.import_record_get(actor=request.user, record_id=record_id)
    shown = selectors.import_record_errors(record=record, limit=ERRORS_SHOWN)
    context = {"record": record, "errors": shown}
    if request.htmx:
        return render(request, "workbook/partials/import_status.html", context)
    return render(request, "workbook/import_detail.html", context)


@require_POST
@login_required
def import_confirm(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    record = selectors.import_record_get(actor=request.user, record_id=record_id)
    try:
        services.import_confirm(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("workbook:import_detail", record_id=record.pk)


@require_POST
@login_required
def import_recheck(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    record = selectors.import_record_get(actor=request.user, record_id=record_id)
    try:
        services.import_recheck(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("workbook:import_detail", record_id=record.pk)


@require_GET
@login_required
def import_errors_xlsx(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    record = selectors.import_record_get(actor=request.user, record_id=record_id)
    found = [RowError(**error) for error in selectors.import_record_errors(record=record)]
    # The report's own words in the language its messages were written in.
    with translation.override(record.language):
        if record.file:
            with record.file.open("rb") as stream:
                content = export.errors_xlsx(stream, found)
        else:
            content = export.errors_xlsx(None, found)
    return _xlsx(content, f"loi-nhap-du-lieu-{record.pk}.xlsx")


@require_GET
@login_required
def org_export(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    root = selectors.export_root_get(actor=request.user, org_id=org_id)
    return _xlsx(export.subtree_xlsx(root), export.export_filename(root))
