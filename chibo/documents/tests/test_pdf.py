"""PDF made by the real LibreOffice, read back with poppler (marked `libreoffice`)."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Issued
from chibo.documents.tests.helpers import first_page_ink, pdf_page_count, pdf_text
from conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flat(text: str) -> str:
    """The PDF's text in reading order, page numbers dropped, on one line."""
    text = re.sub(r"\f\s*\d+\s*\n", " ", text)
    return " ".join(text.split())


def test_plan_pdf_keeps_the_vietnamese_text_and_prints_a_page(world: World, issued: Issued) -> None:
    response = client_for(world.officer).get(f"/documents/plans/{issued.plan.pk}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == ('attachment; filename="ke-hoach-332-KH-HU-2025.pdf"')
    content = response.content
    assert content.startswith(b"%PDF")
    text = flat(pdf_text(content))
    for phrase in (
        "ĐẢNG BỘ TỈNH THỬ",
        "HUYỆN ỦY ĐÔNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 332-KH/HU",
        "Đông, ngày 20 tháng 01 năm 2025",
        "KẾ HOẠCH",
        "tổ chức sinh hoạt chi bộ mẫu năm 2025",
        "Nơi nhận:",
        "- Các chi, đảng bộ cơ sở,",
        "- Lưu.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Ký",
    ):
        assert phrase in text, phrase
    assert pdf_page_count(content) == 1
    ink = first_page_ink(content)
    # A printed page of text: clearly not blank, clearly not a black box.
    assert 0.005 < ink < 0.25, ink


def test_registration_pdf_made_in_the_background(
    world: World, issued: Issued, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.commune_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/documents/jobs/start/",
            {"kind": "registration_pdf", "subject_id": issued.registration.pk},
            headers={"HX-Request": "true"},
        )
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE, job.error
    assert job.filename == "bao-cao-dang-bo-xa-an-332-KH-HU-2025.pdf"
    download = client.get(f"/documents/jobs/{job.pk}/download")
    content = b"".join(download.streaming_content)
    text = flat(pdf_text(content))
    for phrase in (
        "ĐẢNG BỘ HUYỆN ĐÔNG",
        "ĐẢNG ỦY XÃ AN",
        "BÁO CÁO",
        "An, ngày 10 tháng 02 năm 2025",
        # Table cells wrap, so their words are checked one by one below.
        "T/M ĐẢNG ỦY",
        world.commune_secretary.person.full_name,
    ):
        assert phrase in text, phrase
    words = set(text.split())
    for cell in ("Chi bộ Trường Tiểu học An", "Sinh hoạt chuyên đề", "14/3/2025", "Hội trường"):
        assert set(cell.split()) <= words, cell
    assert first_page_ink(content) > 0.005
