import io
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Issued
from chibo.documents.tests.helpers import docx_text
from chibo.plans.models import Plan
from conftest import World

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_urls(plan: Plan) -> list[str]:
    return [
        f"/documents/plans/{plan.pk}/document.docx",
        f"/documents/plans/{plan.pk}/document.pdf",
        f"/documents/plans/{plan.pk}/registrations.xlsx",
        f"/documents/plans/{plan.pk}/progress.xlsx",
    ]


def test_plan_docx_downloads_as_an_attachment(world: World, issued: Issued) -> None:
    response = client_for(world.officer).get(f"/documents/plans/{issued.plan.pk}/document.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        'attachment; filename="ke-hoach-332-KH-HU-2025.docx"'
    )
    text = docx_text(response.content)
    assert "Số 332-KH/HU" in text
    assert "Đông, ngày 20 tháng 01 năm 2025" in text


def test_registration_report_downloads_for_its_committee(world: World, issued: Issued) -> None:
    url = f"/documents/registrations/{issued.registration.pk}/document.docx"
    response = client_for(world.commune_secretary).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-dang-bo-xa-an-332-KH-HU-2025.docx"'
    )
    text = docx_text(response.content)
    assert "ĐẢNG ỦY XÃ AN" in text
    assert "An, ngày 10 tháng 02 năm 2025" in text
    assert world.commune_secretary.person.full_name in text


def test_registration_page_offers_its_report(world: World, issued: Issued) -> None:
    page = client_for(world.commune_secretary).get(
        f"/plans/registrations/{issued.registration.pk}/"
    )
    html = page.content.decode()
    assert 'data-testid="registration-downloads"' in html
    assert f'href="/documents/registrations/{issued.registration.pk}/document.docx"' in html


def test_spreadsheets_download(world: World, issued: Issued) -> None:
    client = client_for(world.officer)
    for name in ("registrations", "progress"):
        response = client.get(f"/documents/plans/{issued.plan.pk}/{name}.xlsx")
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert sheet["A1"].value == "Tổ chức"
        assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("user", ["outsider", "nobody", "cell_secretary"])
def test_outside_scope_every_download_is_404(world: World, issued: Issued, user: str) -> None:
    client = client_for(getattr(world, user))
    registration_url = f"/documents/registrations/{issued.registration.pk}/document.docx"
    urls = [registration_url] if user == "cell_secretary" else [*plan_urls(issued.plan)]
    urls.append(registration_url)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_draft_plan_is_404_below_its_issuer(world: World) -> None:
    from chibo.plans.tests.factories import make_plan

    plan = make_plan(world, number=7, status=Plan.Status.DRAFT)
    client = client_for(world.commune_secretary)
    assert client.get(f"/documents/plans/{plan.pk}/document.docx").status_code == 404


def test_anonymous_is_sent_to_log_in(issued: Issued) -> None:
    response = Client().get(f"/documents/plans/{issued.plan.pk}/document.docx")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pdf_without_libreoffice_is_503_with_the_docx_offered(
    world: World, issued: Issued, no_soffice: None
) -> None:
    response = client_for(world.officer).get(f"/documents/plans/{issued.plan.pk}/document.pdf")
    assert response.status_code == 503
    html = response.content.decode()
    assert "apt-get install libreoffice-writer-nogui" in html
    assert f'href="/documents/plans/{issued.plan.pk}/document.docx"' in html


def test_pdf_with_soffice_is_a_pdf_attachment(
    world: World, issued: Issued, fake_soffice: Path
) -> None:
    url = f"/documents/registrations/{issued.registration.pk}/document.pdf"
    response = client_for(world.officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(
        'filename="bao-cao-dang-bo-xa-an-332-KH-HU-2025.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def start_job(client: Client, kind: str, subject_id: int, *, htmx: bool = True) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        "/documents/jobs/start/", {"kind": kind, "subject_id": subject_id}, headers=headers
    )


def test_job_shows_a_progress_bar_then_a_download_link(
    world: World,
    issued: Issued,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = start_job(client, "registrations_xlsx", issued.plan.pk)
    html = response.content.decode()
    job = DocumentJob.objects.get()
    assert 'data-status="queued"' in html
    assert 'role="progressbar"' in html
    assert f'hx-get="/documents/jobs/{job.pk}/"' in html
    assert 'hx-trigger="every 1s"' in html
    for callback in callbacks:
        callback()
    poll = client.get(f"/documents/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in poll
    assert "hx-trigger" not in poll
    assert f'href="/documents/jobs/{job.pk}/download"' in poll
    download = client.get(f"/documents/jobs/{job.pk}/download")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="dang-ky-332-KH-HU-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet is not None
    assert sheet["F2"].value == "Chi bộ bản Một"
    assert str(Path(media)) in DocumentJob.objects.get().file.path
    assert "/private/documents/jobs/" in DocumentJob.objects.get().file.path


def test_job_without_htmx_goes_to_its_page(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = start_job(client, "plan_docx", issued.plan.pk, htmx=False)
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "ke-hoach-332-KH-HU-2025.docx" in page
    listing = client.get("/documents/jobs/").content.decode()
    assert f"/documents/jobs/{job.pk}/download" in listing


def test_only_the_owner_sees_and_downloads_a_job(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        start_job(client_for(world.officer), "plan_docx", issued.plan.pk)
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE
    for user in (world.overseer, world.outsider):
        client = client_for(user)
        assert client.get(f"/documents/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/documents/jobs/{job.pk}/download").status_code == 404
        assert f"/documents/jobs/{job.pk}/" not in client.get("/documents/jobs/").content.decode()


def test_outsider_cannot_start_a_job_on_a_plan_out_of_scope(world: World, issued: Issued) -> None:
    response = start_job(client_for(world.outsider), "plan_docx", issued.plan.pk)
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()


def test_unknown_kind_is_404(world: World, issued: Issued) -> None:
    assert start_job(client_for(world.officer), "letters", issued.plan.pk).status_code == 404


def test_a_pdf_job_without_libreoffice_is_refused_at_once(
    world: World, issued: Issued, no_soffice: None
) -> None:
    response = start_job(client_for(world.officer), "plan_pdf", issued.plan.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="job-refused"' in html
    assert "libreoffice-writer-nogui" in html
    assert not DocumentJob.objects.exists()


def test_download_menu_lists_label_url_icon() -> None:
    html = render_to_string(
        "documents/partials/download_menu.html",
        {"items": [("Kế hoạch (DOCX)", "/a.docx", "bi-file-earmark-word")]},
    )
    assert "Tải về" in html
    assert 'href="/a.docx"' in html
    assert "bi-file-earmark-word" in html
    assert "Kế hoạch (DOCX)" in html
    assert "job-start" not in html


def test_plan_menu_offers_pdf_only_with_libreoffice(
    world: World, issued: Issued, no_soffice: None
) -> None:
    from chibo.documents.templatetags.documents import plan_download_menu

    menu = plan_download_menu(issued.plan)
    urls = [url for _label, url, _icon in menu.items]
    assert urls == [
        f"/documents/plans/{issued.plan.pk}/document.docx",
        f"/documents/plans/{issued.plan.pk}/registrations.xlsx",
        f"/documents/plans/{issued.plan.pk}/progress.xlsx",
    ]
    assert [kind for _label, kind, _id, _icon in menu.jobs] == ["registrations_xlsx"]
    assert menu.pdf_missing


def test_plan_menu_of_a_draft_has_only_the_plan(world: World, fake_soffice: Path) -> None:
    from chibo.documents.templatetags.documents import plan_download_menu
    from chibo.plans.tests.factories import make_plan

    plan = make_plan(world, number=9, status=Plan.Status.DRAFT)
    menu = plan_download_menu(plan)
    assert [url.rsplit("/", 1)[1] for _label, url, _icon in menu.items] == [
        "document.docx",
        "document.pdf",
    ]
    assert not menu.pdf_missing


def test_plan_page_has_the_download_menu(world: World, issued: Issued, fake_soffice: Path) -> None:
    html = client_for(world.officer).get(f"/plans/{issued.plan.pk}/").content.decode()
    assert 'data-testid="download-menu"' in html
    assert "Tải về" in html
    for url in plan_urls(issued.plan):
        assert f'href="{url}"' in html
    assert 'data-kind="plan_pdf"' in html


def test_progress_page_menu_offers_the_registrations(world: World, issued: Issued) -> None:
    html = client_for(world.officer).get(f"/plans/{issued.plan.pk}/progress/").content.decode()
    assert f'href="/documents/plans/{issued.plan.pk}/registrations.xlsx"' in html


def test_a_running_job_shows_how_far_it_got(world: World, issued: Issued) -> None:
    job = DocumentJob.objects.create(
        owner=world.officer,
        kind="plan_pdf",
        subject_id=issued.plan.pk,
        status=DocumentJob.Status.RUNNING,
        progress=40,
    )
    html = (
        client_for(world.officer)
        .get(f"/documents/jobs/{job.pk}/", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'aria-valuenow="40"' in html
    assert "width: 40%" in html
    assert 'hx-trigger="every 1s"' in html
    assert "<html" not in html


def test_every_document_kind_has_a_download_address() -> None:
    from django.urls import reverse

    from chibo.documents import kinds

    for code, kind in kinds.KINDS.items():
        url = reverse(f"documents:{code}", kwargs={"subject_id": 1})
        assert url.startswith(f"/documents/{kind.subject}s/1/")
