import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.errors import NOT_FOUND_MESSAGE
from chibo.documents import kinds, services
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Issued
from chibo.documents.tests.helpers import docx_text
from conftest import World

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_plan_document_docx(world: World, issued: Issued) -> None:
    response = client_for(world.overseer).get(f"{API}/plans/{issued.plan.pk}/document.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ke-hoach-332-KH-HU-2025.docx"'
    )
    text = docx_text(response.content)
    for phrase in ("HUYỆN ỦY ĐÔNG", "Số 332-KH/HU", "Nơi nhận:", "- Lưu.", "Nguyễn Văn Ký"):
        assert phrase in text


def test_registration_document_docx(world: World, issued: Issued) -> None:
    url = f"{API}/registrations/{issued.registration.pk}/document.docx"
    response = client_for(world.commune_secretary).get(url)
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "BÁO CÁO" in text
    assert "Chi bộ bản Một" in text


@pytest.mark.parametrize("name", ["progress", "registrations"])
def test_plan_spreadsheets(world: World, issued: Issued, name: str) -> None:
    response = client_for(world.officer).get(f"{API}/plans/{issued.plan.pk}/{name}.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-332-KH-HU-2025.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Tổ chức"
    assert sheet["A2"].value == "Đảng bộ xã An"


def test_outsider_gets_404_for_every_file(world: World, issued: Issued) -> None:
    client = client_for(world.outsider)
    plan = issued.plan.pk
    for path in (
        f"/plans/{plan}/document.docx",
        f"/plans/{plan}/document.pdf",
        f"/plans/{plan}/progress.xlsx",
        f"/plans/{plan}/registrations.xlsx",
        f"/registrations/{issued.registration.pk}/document.docx",
        f"/registrations/{issued.registration.pk}/document.pdf",
    ):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404, path
        assert response.json() == {"message": str(NOT_FOUND_MESSAGE)}


def test_pdf_without_libreoffice_is_503(world: World, issued: Issued, no_soffice: None) -> None:
    response = client_for(world.officer).get(f"{API}/plans/{issued.plan.pk}/document.pdf")
    assert response.status_code == 503
    assert "libreoffice-writer-nogui" in response.json()["message"]


def test_pdf_with_soffice(world: World, issued: Issued, fake_soffice: Path) -> None:
    url = f"{API}/registrations/{issued.registration.pk}/document.pdf"
    response = client_for(world.commune_secretary).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_job_runs_and_its_owner_downloads_the_file(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/plans/{issued.plan.pk}/jobs",
            {"kind": "registrations_xlsx"},
            content_type="application/json",
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    status = client.get(f"{API}/jobs/{job_id}").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["filename"] == "dang-ky-332-KH-HU-2025.xlsx"
    assert status["download"] == f"{API}/jobs/{job_id}/file"
    download = client.get(status["download"])
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet is not None
    assert sheet["A2"].value == "Đảng bộ xã An"
    assert [job["id"] for job in client.get(f"{API}/jobs").json()] == [job_id]
    other = client_for(world.overseer)
    assert other.get(f"{API}/jobs/{job_id}").status_code == 404
    assert other.get(f"{API}/jobs/{job_id}/file").status_code == 404
    assert other.get(f"{API}/jobs").json() == []


def test_registration_job(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.commune_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/registrations/{issued.registration.pk}/jobs",
            {"kind": "registration_docx"},
            content_type="application/json",
        )
    assert response.status_code == 202
    job = DocumentJob.objects.get(pk=response.json()["id"])
    assert job.status == DocumentJob.Status.DONE
    assert "ĐẢNG ỦY XÃ AN" in docx_text(job.file.read())


def test_a_job_of_the_wrong_subject_is_422(world: World, issued: Issued) -> None:
    response = client_for(world.officer).post(
        f"{API}/plans/{issued.plan.pk}/jobs",
        {"kind": "registration_docx"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"] == str(services.JOB_UNKNOWN_KIND)
    assert not DocumentJob.objects.exists()


def test_outsider_cannot_queue_a_job(world: World, issued: Issued) -> None:
    response = client_for(world.outsider).post(
        f"{API}/plans/{issued.plan.pk}/jobs", {"kind": "plan_docx"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()


def test_unfinished_job_has_no_file(world: World, issued: Issued) -> None:
    client = client_for(world.officer)
    response = client.post(
        f"{API}/plans/{issued.plan.pk}/jobs", {"kind": "plan_docx"}, content_type="application/json"
    )
    job_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    assert response.json()["download"] is None
    assert client.get(f"{API}/jobs/{job_id}/file").status_code == 404


def test_openapi_describes_the_files(world: World) -> None:
    schema = client_for(world.officer).get(f"{API}/openapi.json").json()
    operation = schema["paths"]["/api/v1/plans/{subject_id}/document.docx"]["get"]
    content = operation["responses"]["200"]["content"]
    assert "application/vnd.openxmlformats-officedocument.wordprocessingml.document" in content
    # Every registered kind has its route, described by its own type.
    for kind in kinds.KINDS.values():
        path = f"/api/v1/{kind.subject.collection}/{{subject_id}}/{kind.address}"
        answers = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert list(answers) == [kind.content_type], path
