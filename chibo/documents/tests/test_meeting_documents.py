"""The documents of a meeting and of a plan's lessons, opened again and read."""

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.errors import NOT_FOUND_MESSAGE
from chibo.core.xlsx import XLSX_TYPE
from chibo.documents import kinds, meeting_inputs
from chibo.documents.frame import DOCX_TYPE
from chibo.documents.models import DocumentJob
from chibo.documents.tests.conftest import CRITERION_COMMENTS, Held
from chibo.documents.tests.helpers import docx_document, docx_lines, docx_text
from chibo.meetings.models import Criterion, InvitationLetter, Meeting
from chibo.meetings.services import invitations
from conftest import World

pytestmark = pytest.mark.django_db


def make(code: str, user: User, subject_id: int) -> kinds.Output:
    return kinds.KINDS[code].make(kinds.Order(actor=user, subject_id=subject_id))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Invitation letters -------------------------------------------------------------------------


def test_letters_carry_the_header_number_date_meeting_and_signer(world: World, held: Held) -> None:
    output = make("letters_docx", world.officer, held.meeting.pk)
    assert output.filename == "giay-moi-chi-bo-phong-kinh-te-2025-03-12.docx"
    text = docx_text(output.content)
    for phrase in (
        "ĐẢNG BỘ TỈNH THỬ",
        "HUYỆN ỦY ĐÔNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 01-GM/HU",
        "Số 02-GM/HU",
        "Đông, ngày 05 tháng 3 năm 2025",
        "GIẤY MỜI",
        "Dự buổi sinh hoạt chi bộ mẫu",
        "Ban Thường vụ Huyện ủy trân trọng kính mời:",
        "Tới dự: buổi sinh hoạt thường kỳ mẫu của Chi bộ phòng Kinh tế.",
        "Kế hoạch số 332-KH/HU, ngày 20/01/2025",
        "Thời gian: 08 giờ 00, thứ Tư, ngày 12/3/2025 (dự kiến kết thúc lúc 10 giờ 30).",
        "Địa điểm: Hội trường Huyện ủy Đông.",
        "Nơi nhận:",
        "- Như trên,",
        "- Lưu.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Ký",
    ):
        assert phrase in text, phrase


def test_each_invitee_has_a_letter_of_their_own_with_name_and_title(
    world: World, held: Held
) -> None:
    output = make("letters_docx", world.officer, held.meeting.pk)
    document = docx_document(output.content)
    # One section per letter: each starts on a new page with its own page numbers.
    assert len(document.sections) == 2
    lines = docx_lines(output.content)
    overseer = world.overseer.person.full_name
    guest = held.guest.full_name
    assert f"Đồng chí: {overseer}" in lines
    assert "Chức vụ: Bí thư Huyện ủy Đông." in lines
    assert f"Đồng chí: {guest}" in lines
    # Letters are numbered in name order, each name right after its own number.
    numbers = {letter.addressee: letter.number_symbol for letter in InvitationLetter.objects.all()}
    for name in (overseer, guest):
        number_at = lines.index(f"Số {numbers[name]}")
        name_at = lines.index(f"Đồng chí: {name}")
        assert number_at < name_at
        others = [lines.index(f"Số {n}") for n in numbers.values() if n != numbers[name]]
        assert not any(number_at < other < name_at for other in others)


def test_zip_holds_one_docx_per_letter_each_with_only_its_invitee(world: World, held: Held) -> None:
    output = make("letters_zip", world.officer, held.meeting.pk)
    assert output.content_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(output.content))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert all(name.startswith("giay-moi-0") and name.endswith(".docx") for name in names)
    overseer = world.overseer.person.full_name
    guest = held.guest.full_name
    texts = [docx_text(archive.read(name)) for name in names]
    assert sorted((overseer in text, guest in text) for text in texts) == [
        (False, True),
        (True, False),
    ]


def test_a_group_letter_names_the_group_and_its_members(world: World, held: Held) -> None:
    meeting = held.meeting
    InvitationLetter.objects.filter(meeting=meeting).delete()
    # Letters go out before a meeting is held: put it back in the schedule to issue them again.
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    meeting.refresh_from_db()
    invitations.invitations_issue(actor=world.officer, meeting=meeting, per="group")
    text = docx_text(make("letters_docx", world.officer, meeting.pk).content)
    assert "Các đồng chí: Thường trực Huyện ủy Đông" in text
    assert f"Gồm các đồng chí: {world.overseer.person.full_name} (Bí thư Huyện ủy Đông)." in text
    assert "Rất mong các đồng chí đến dự đúng giờ./." not in text  # a group of one is "đồng chí"


def test_a_reissued_letter_says_it_replaces_the_first(world: World, held: Held) -> None:
    InvitationLetter.objects.filter(meeting=held.meeting).update(version=2)
    text = docx_text(make("letters_docx", world.officer, held.meeting.pk).content)
    assert "Giấy mời này thay giấy mời cùng số đã gửi trước đó" in text


def test_no_letters_yet_is_409_with_the_reason(world: World, held: Held) -> None:
    InvitationLetter.objects.filter(meeting=held.meeting).delete()
    response = client_for(world.officer).get(f"/api/v1/meetings/{held.meeting.pk}/invitations.docx")
    assert response.status_code == 409
    assert response.json() == {"message": str(meeting_inputs.NO_LETTERS)}


# --- Minutes ------------------------------------------------------------------------------------


def test_minutes_give_the_attendance_counts_proceedings_and_vote(world: World, held: Held) -> None:
    output = make("minutes_docx", world.officer, held.meeting.pk)
    assert output.filename == "bien-ban-chi-bo-phong-kinh-te-2025-03-12.docx"
    lines = docx_lines(output.content)
    text = "\n".join(lines)
    for phrase in (
        "ĐẢNG BỘ HUYỆN ĐÔNG",  # the organization above the cell
        "CHI BỘ PHÒNG KINH TẾ",
        "-BB/CB",
        "Đông, ngày 12 tháng 3 năm 2025",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ mẫu tháng 3 năm 2025",
        "Vào lúc 08 giờ 00, thứ Tư, ngày 12/3/2025, tại Hội trường Huyện ủy Đông",
        "- Chủ trì: đồng chí Lò Văn Chủ.",
        "- Thư ký: đồng chí Điêu Thị Ghi.",
        "- Tổng số đảng viên của chi bộ: 9 đồng chí.",
        "- Số đảng viên chính thức được triệu tập: 8 đồng chí.",
        "- Có mặt: 6 đồng chí, đạt tỷ lệ 75%.",
        "- Vắng có lý do: 1 đồng chí: Lường Văn Ốm (Ốm, có giấy của bệnh viện).",
        "- Vắng không lý do: 1 đồng chí: Tòng Thị Vắng.",
        "- Đảng viên dự bị có mặt: 1 đồng chí.",
        "- Khách mời dự: 1 đồng chí: Hà Thị Khách.",
        "1. Khai mạc",
        "Đồng chí chủ trì nêu lý do, giới thiệu đại biểu.",
        "Ý kiến thảo luận: Đồng chí Lò Văn Bảy đề nghị phân công rõ người phụ trách.",
        "Chi bộ thống nhất các nhiệm vụ trọng tâm tháng 4.",
        "Nghị quyết chi bộ tháng 3 năm 2025.",
        "Biểu quyết: 5/8 đồng chí tán thành (62,5% số đảng viên chính thức được triệu tập); "
        "0 không tán thành; 0 không biểu quyết.",
        "Buổi sinh hoạt kết thúc vào lúc 10 giờ 30 cùng ngày.",
        "THƯ KÝ",
        "CHỦ TRÌ",
    ):
        assert phrase in text, phrase
    # Signed by the secretary (left) and the chair (right), names last.
    assert lines[-1] == "Lò Văn Chủ"


def test_no_minutes_yet_is_409_with_the_reason(world: World, held: Held) -> None:
    held.meeting.minutes.delete()
    response = client_for(world.officer).get(f"/api/v1/meetings/{held.meeting.pk}/minutes.docx")
    assert response.status_code == 409
    assert response.json() == {"message": str(meeting_inputs.NO_MINUTES)}


# --- Evaluation and the lessons report ------------------------------------------------------


def test_evaluation_lists_every_criterion_with_score_and_comment(world: World, held: Held) -> None:
    output = make("evaluations_docx", world.officer, held.meeting.pk)
    text = docx_text(output.content)
    for phrase in (
        "HUYỆN ỦY ĐÔNG",
        "BAN TỔ CHỨC HUYỆN ỦY",
        "PHIẾU ĐÁNH GIÁ",
        "Chi bộ được đánh giá: Chi bộ phòng Kinh tế.",
        f"Người đánh giá: đồng chí {world.officer.person.full_name}, Ban Tổ chức Huyện ủy.",
        "Tổng điểm: 85/100. Xếp loại chung: Khá.",
        "Chuẩn bị chu đáo.",
        "Ít ý kiến của đảng viên trẻ.",
        "Phân công trước người chuẩn bị ý kiến.",
        "NGƯỜI ĐÁNH GIÁ",
    ):
        assert phrase in text, phrase
    table = docx_document(output.content).tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Tiêu chí", "Điểm tối đa", "Điểm", "Nhận xét"]
    criteria = list(Criterion.objects.filter(active=True).order_by("order"))
    assert [row[1] for row in rows[1:-1]] == [criterion.name for criterion in criteria]
    assert [row[3] for row in rows[1:-1]] == ["18", "17", "16", "19", "15"]
    assert [row[4] for row in rows[1:-1]] == list(CRITERION_COMMENTS.values())
    assert rows[-1][1:] == ["Tổng cộng", "100", "85", "Xếp loại: Khá"]


def test_lessons_report_has_the_ratings_table_and_the_lessons(world: World, held: Held) -> None:
    output = make("lessons_docx", world.officer, held.plan.pk)
    assert output.filename == "rut-kinh-nghiem-332-KH-HU-2025.docx"
    text = docx_text(output.content)
    for phrase in (
        "HUYỆN ỦY ĐÔNG",
        "BAN TỔ CHỨC HUYỆN ỦY",
        "BÁO CÁO",
        "rút kinh nghiệm tổ chức sinh hoạt chi bộ mẫu năm 2025",
        "Đông, ngày 20 tháng 3 năm 2025",
        "I. KẾT QUẢ ĐÁNH GIÁ CÁC BUỔI SINH HOẠT CHI BỘ MẪU",
        "II. NỘI DUNG RÚT KINH NGHIỆM",
        "Bảo đảm nguyên tắc tập trung dân chủ.",
        "Phân công trước người chuẩn bị ý kiến.",
        "- Thường trực Huyện ủy Đông (b/c),",
        "TRƯỞNG BAN",
    ):
        assert phrase in text, phrase
    table = docx_document(output.content).tables[1]
    row = [cell.text for cell in table.rows[1].cells]
    observer = world.officer.person.full_name
    assert row == [
        "1",
        "Chi bộ phòng Kinh tế",
        "Thường kỳ",
        "12/3/2025",
        f"{observer}, Ban Tổ chức Huyện ủy",
        "85",
        "Khá",
    ]
    # The table shows the ratings: the draft's own list of them is not printed again.
    assert f"85/100 – Khá ({observer}" not in text


def test_lessons_report_before_a_summary_lists_lessons_by_criterion(
    world: World, held: Held
) -> None:
    held.plan.lessons_summary.delete()
    text = docx_text(make("lessons_docx", world.officer, held.plan.pk).content)
    first = Criterion.objects.filter(active=True).order_by("order").first()
    assert first is not None
    assert f"1. {first.name}" in text
    assert f"- Chi bộ phòng Kinh tế: {CRITERION_COMMENTS['attendance']}" in text


# --- The invitee list -----------------------------------------------------------------------


def test_invitee_list_has_vietnamese_headers_real_dates_and_a_frozen_header(
    world: World, held: Held
) -> None:
    output = make("invitees_xlsx", world.officer, held.meeting.pk)
    assert output.filename == "moi-du-chi-bo-phong-kinh-te-2025-03-12.xlsx"
    sheet = load_workbook(io.BytesIO(output.content)).active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["STT", "Họ và tên", "Chức vụ"]
    assert "Điểm danh" in headers
    assert sheet.freeze_panes == "A2"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 10  # nine members and the guest
    guest = rows["Hà Thị Khách"]
    assert guest[3] == "Khách mời"
    letter_column = headers.index("Giấy mời số")
    assert guest[letter_column].endswith("-GM/HU")
    issued = guest[letter_column + 1]
    assert (issued.year, issued.month, issued.day, issued.hour) == (2025, 3, 5, 9)
    assert rows["Tòng Thị Vắng"][-2] == "Vắng không lý do"
    assert rows["Lường Văn Ốm"][-1] == "Ốm, có giấy của bệnh viện"
    overseer = rows[world.overseer.person.full_name]
    assert overseer[2] == "Bí thư Huyện ủy Đông"
    assert overseer[4] == "Thường trực Huyện ủy Đông"


# --- Many letters at once ---------------------------------------------------------------------


def test_two_hundred_letters_make_one_file_of_two_hundred_sections() -> None:
    from chibo.documents.bench import letters_sample

    content = letters_sample(200)
    document = docx_document(content)
    assert len(document.sections) == 200
    text = docx_text(content)
    assert "Đồng chí: Người được mời số 200" in text


# --- The API and the pages: the same files, scoped ---------------------------------------------


def api_client(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize(
    ("address", "content_type"),
    [
        ("invitations.docx", DOCX_TYPE),
        ("invitations.zip", "application/zip"),
        ("minutes.docx", DOCX_TYPE),
        ("evaluations.docx", DOCX_TYPE),
        ("invitees.xlsx", XLSX_TYPE),
    ],
)
def test_api_answers_each_meeting_file(
    world: World, held: Held, address: str, content_type: str
) -> None:
    response = api_client(world.officer).get(f"/api/v1/meetings/{held.meeting.pk}/{address}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')


def test_api_answers_the_lessons_report(world: World, held: Held) -> None:
    response = api_client(world.overseer).get(f"/api/v1/plans/{held.plan.pk}/lessons-report.docx")
    assert response.status_code == 200
    assert "BAN TỔ CHỨC HUYỆN ỦY" in docx_text(response.content)


@pytest.mark.parametrize("who", ["outsider", "nobody", "cell_secretary"])
def test_outside_the_scope_every_meeting_document_is_404(
    world: World, held: Held, who: str
) -> None:
    client = api_client(getattr(world, who))
    meeting = held.meeting.pk
    for address in (
        f"/meetings/{meeting}/invitations.docx",
        f"/meetings/{meeting}/invitations.zip",
        f"/meetings/{meeting}/invitations.pdf",
        f"/meetings/{meeting}/minutes.docx",
        f"/meetings/{meeting}/minutes.pdf",
        f"/meetings/{meeting}/evaluations.docx",
        f"/meetings/{meeting}/invitees.xlsx",
    ):
        response = client.get(f"/api/v1{address}")
        assert response.status_code == 404, address
        assert response.json() == {"message": str(NOT_FOUND_MESSAGE)}
    pages = client_for(getattr(world, who))
    assert pages.get(f"/documents/meetings/{meeting}/invitations.docx").status_code == 404


def test_outsider_gets_404_for_the_lessons_report(world: World, held: Held) -> None:
    # A commune secretary reads the plan but not the Board's report on every meeting.
    for user in (world.outsider, world.commune_secretary):
        client = api_client(user)
        for address in ("lessons-report.docx", "lessons-report.pdf"):
            response = client.get(f"/api/v1/plans/{held.plan.pk}/{address}")
            assert response.status_code == 404, address
    page = client_for(world.commune_secretary).get(f"/plans/{held.plan.pk}/lessons/")
    assert "lessons-report.docx" not in page.content.decode()


def test_outsider_cannot_queue_a_meeting_document(world: World, held: Held) -> None:
    response = api_client(world.outsider).post(
        f"/api/v1/meetings/{held.meeting.pk}/jobs",
        {"kind": "letters_zip"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()


def test_meeting_page_menu_offers_every_document(world: World, held: Held) -> None:
    response = client_for(world.officer).get(f"/meetings/{held.meeting.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    meeting = held.meeting.pk
    for address in (
        "invitations.docx",
        "invitations.zip",
        "minutes.docx",
        "evaluations.docx",
        "invitees.xlsx",
    ):
        assert f'href="/documents/meetings/{meeting}/{address}"' in page, address


@pytest.mark.libreoffice
def test_meeting_page_menu_offers_the_letters_as_pdf(world: World, held: Held) -> None:
    page = client_for(world.officer).get(f"/meetings/{held.meeting.pk}/").content.decode()
    assert f'href="/documents/meetings/{held.meeting.pk}/invitations.pdf"' in page
    assert 'data-kind="letters_pdf"' in page  # all the letters as PDF, in the background


def test_meeting_page_menu_without_libreoffice_says_why_pdf_is_missing(
    world: World, held: Held, no_soffice: None
) -> None:
    page = client_for(world.officer).get(f"/meetings/{held.meeting.pk}/").content.decode()
    assert "invitations.pdf" not in page
    assert 'data-kind="letters_pdf"' not in page
    assert 'data-testid="pdf-missing"' in page


def test_meeting_page_menu_before_letters_offers_only_the_list(world: World, held: Held) -> None:
    InvitationLetter.objects.filter(meeting=held.meeting).delete()
    held.meeting.minutes.delete()
    held.meeting.evaluations.all().delete()
    page = client_for(world.officer).get(f"/meetings/{held.meeting.pk}/").content.decode()
    assert f"/documents/meetings/{held.meeting.pk}/invitees.xlsx" in page
    assert "invitations.docx" not in page
    assert "minutes.docx" not in page


def test_lessons_page_menu_offers_the_report(world: World, held: Held) -> None:
    page = client_for(world.overseer).get(f"/plans/{held.plan.pk}/lessons/").content.decode()
    assert f'href="/documents/plans/{held.plan.pk}/lessons-report.docx"' in page


def test_letters_zip_made_in_the_background_and_downloaded(
    world: World, held: Held, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/documents/jobs/start/",
            {"kind": "letters_zip", "subject_id": held.meeting.pk},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    job = DocumentJob.objects.get()
    assert job.status == DocumentJob.Status.DONE, job.error
    assert job.filename == "giay-moi-chi-bo-phong-kinh-te-2025-03-12.zip"
    download = client.get(f"/documents/jobs/{job.pk}/download")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2
