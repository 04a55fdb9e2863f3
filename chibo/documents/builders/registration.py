"""The list and schedule a committee sends up, as its official report (báo cáo … -BC/ĐU).

From the commune's committee to the body the plan names (Ban Thường vụ Huyện ủy), through the
board that follows it (qua Ban Tổ chức Huyện ủy): the cells it chose, their meeting types, the
dates and the venues, signed for the committee by its secretary.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.utils.text import slugify
from unidecode import unidecode

from chibo.core.dates import LOCAL_TZ
from chibo.documents import frame
from chibo.plans.document_text import Block, BlockKind, document_type_name
from chibo.plans.models import Plan, Registration, RegistrationItem

REPORT_TYPE = "BC"
# The committee's office gives the number when it registers the report; until then the
# number stays blank, as on a draft.
BLANK_NUMBER = "\u00a0" * 6
DEFAULT_WHAT = "danh sách, lịch tổ chức sinh hoạt chi bộ mẫu"
MEETING_TYPE_NAMES = {"regular": "Sinh hoạt thường kỳ", "thematic": "Sinh hoạt chuyên đề"}
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
TABLE_HEADERS = ("STT", "Chi bộ", "Hình thức sinh hoạt", "Thời gian", "Địa điểm")
TABLE_WEIGHTS = (1.3, 4.2, 2.8, 3.6, 3.6)
NO_ITEMS = "(Chưa đăng ký chi bộ nào.)"
NAMED_CELLS = "Các chi bộ có tên trên"
FOR_INFORMATION = "(b/c)"


@dataclasses.dataclass(frozen=True)
class Signer:
    """Who signs for the committee: capacity, title and name as printed."""

    capacity: str
    title: str
    name: str


def moment_text(moment: dt.datetime) -> str:
    """ "08 giờ 00, thứ Hai, ngày 03/3/2025", in local time."""
    local = moment.astimezone(LOCAL_TZ)
    weekday = WEEKDAYS[local.weekday()]
    return f"{local:%H} giờ {local:%M}, {weekday}, ngày {frame.short_date(local.date())}"


def plan_reference(plan: Plan) -> str:
    issuer = plan.issuer_body.name if plan.issuer_body else plan.issuer_org.display_committee
    kind = document_type_name(plan.document_type).capitalize()
    return (
        f"{kind} số {plan.number_symbol}, ngày {frame.short_date(plan.issued_on)} "
        f"của {issuer} về {plan.title}"
    )


def _rows(items: Sequence[RegistrationItem]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(number),
            item.cell.name,
            MEETING_TYPE_NAMES.get(item.meeting_type, item.meeting_type),
            moment_text(item.starts_at),
            item.venue,
        )
        for number, item in enumerate(items, start=1)
    )


def registration_report_items(
    registration: Registration,
    *,
    signer: Signer,
    day: dt.date,
    invitees: Sequence[str] = (),
) -> list[frame.Item]:
    """The report's items for the frame; `registration` comes from `registration_get`."""
    obligation = registration.obligation
    organization = obligation.organization
    plan = obligation.target.plan
    duty = obligation.duty
    what = (duty.what if duty else "") or DEFAULT_WHAT
    title = what if str(plan.year) in what else f"{what} năm {plan.year}"
    if duty is not None:
        to_name = duty.to_body.name
        via_name = duty.via_body.name if duty.via_body else ""
    else:
        to_name = plan.issuer_body.name if plan.issuer_body else plan.issuer_org.display_committee
        via_name = ""
    addressee = f"{to_name} (qua {via_name})" if via_name else to_name
    committee = organization.display_committee
    items = list(registration.items.all())

    body: list[frame.Item] = [
        frame.header_block(
            organization=organization,
            number_symbol=f"{BLANK_NUMBER}-{REPORT_TYPE}/{organization.symbol}",
            place=frame.organization_place(organization),
            day=day,
        ),
        *frame.title_blocks(REPORT_TYPE, title),
        Block(
            BlockKind.PARAGRAPH,
            text=f"Thực hiện {plan_reference(plan)}, {committee} báo cáo {what} như sau:",
        ),
    ]
    if items:
        body.append(
            frame.Table(
                headers=TABLE_HEADERS,
                rows=_rows(items),
                weights=TABLE_WEIGHTS,
                centred=frozenset({0}),
            )
        )
    else:
        body.append(Block(BlockKind.PARAGRAPH, text=NO_ITEMS))
    if invitees:
        joined = "; ".join(text.strip().rstrip(".;") for text in invitees if text.strip())
        body.append(Block(BlockKind.PARAGRAPH, text=f"Thành phần mời dự sinh hoạt: {joined}."))
    body.append(
        Block(
            BlockKind.PARAGRAPH,
            text=f"{committee} kính báo cáo {addressee} theo dõi, chỉ đạo.",
        )
    )
    recipients = [f"{to_name} {FOR_INFORMATION}"]
    if via_name:
        recipients.append(via_name)
    if items:
        recipients.append(NAMED_CELLS)
    signature = frame.signature_lines(
        capacity=signer.capacity, title=signer.title, name=signer.name
    )
    body.append(frame.closing_block(recipients=recipients, signature=signature))
    return body


def registration_report_docx(
    registration: Registration,
    *,
    signer: Signer,
    day: dt.date,
    invitees: Sequence[str] = (),
) -> bytes:
    """The report as a DOCX file."""
    items = registration_report_items(registration, signer=signer, day=day, invitees=invitees)
    organization = registration.obligation.organization
    info = frame.DocumentInfo(
        title=f"Báo cáo {DEFAULT_WHAT}: {organization.name}",
        author=organization.display_committee,
    )
    return frame.render_docx([items], info=info)


def registration_filename(registration: Registration, extension: str) -> str:
    """ "bao-cao-dang-bo-xa-ban-bo-332-KH-HU-2025.docx"."""
    plan = registration.obligation.target.plan
    organization = slugify(unidecode(registration.obligation.organization.name))
    symbol = unidecode(plan.number_symbol).replace("/", "-")
    return f"bao-cao-{organization}-{symbol}-{plan.year}.{extension}"
