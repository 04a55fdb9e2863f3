"""PDF made by the real LibreOffice, read back with poppler (marked `libreoffice`)."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chibo.accounts.models import User
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import Held, Issued
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


def test_letters_pdf_has_a_page_per_letter_with_the_vietnamese_intact(
    world: World, held: Held
) -> None:
    response = client_for(world.officer).get(
        f"/documents/meetings/{held.meeting.pk}/invitations.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pdf"')
    content = response.content
    text = flat(pdf_text(content))
    for phrase in (
        "HUYỆN ỦY ĐÔNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 01-GM/HU",
        "Đông, ngày 05 tháng 3 năm 2025",
        "GIẤY MỜI",
        "Ban Thường vụ Huyện ủy trân trọng kính mời:",
        f"Đồng chí: {world.overseer.person.full_name}",
        f"Đồng chí: {held.guest.full_name}",
        "Địa điểm: Hội trường Huyện ủy Đông.",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn Ký",
    ):
        assert phrase in text, phrase
    assert pdf_page_count(content) == 2
    assert 0.005 < first_page_ink(content) < 0.25


def test_minutes_pdf_keeps_the_counts_and_prints_a_page(world: World, held: Held) -> None:
    response = client_for(world.officer).get(f"/api/v1/meetings/{held.meeting.pk}/minutes.pdf")
    assert response.status_code == 200
    content = response.content
    text = flat(pdf_text(content))
    for phrase in (
        "CHI BỘ PHÒNG KINH TẾ",
        "BIÊN BẢN",
        "Số đảng viên chính thức được triệu tập: 8 đồng chí.",
        "Có mặt: 6 đồng chí, đạt tỷ lệ 75%.",
        "Vắng không lý do: 1 đồng chí: Tòng Thị Vắng.",
        "CHỦ TRÌ",
        "Lò Văn Chủ",
    ):
        assert phrase in text, phrase
    assert 0.005 < first_page_ink(content) < 0.25


def test_lessons_report_pdf(world: World, held: Held) -> None:
    response = client_for(world.overseer).get(f"/api/v1/plans/{held.plan.pk}/lessons-report.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    for phrase in ("BAN TỔ CHỨC HUYỆN ỦY", "BÁO CÁO", "rút kinh nghiệm", "Xếp loại", "Khá"):
        assert phrase in text, phrase
    assert first_page_ink(response.content) > 0.005


def test_letters_pdf_made_in_the_background(
    world: World, held: Held, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/documents/jobs/start/",
            {"kind": "letters_pdf", "subject_id": held.meeting.pk},
            headers={"HX-Request": "true"},
        )
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE, job.error
    download = client.get(f"/documents/jobs/{job.pk}/download")
    content = b"".join(download.streaming_content)
    assert pdf_page_count(content) == 2
    assert held.guest.full_name in flat(pdf_text(content))
