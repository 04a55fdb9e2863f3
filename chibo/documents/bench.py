"""Timing the document frame: build N documents and measure, for `make bench`.

`bench_docx(build, count)` times any builder; `docx_sample` is a plan-sized document made
without the database, so the frame's own cost can be watched as it grows; `letters_sample`
is the invitation letters of a meeting with any number of invitees, also without the database.
"""

import dataclasses
import datetime as dt
import statistics
import time
from collections.abc import Callable

from chibo.core.dates import LOCAL_TZ
from chibo.documents import frame, pdf
from chibo.documents.builders.letters import (
    Invited,
    LetterCommon,
    LetterData,
    letters_docx,
    letters_zip,
)
from chibo.documents.builders.registration import Signer
from chibo.plans.document_text import NATIONAL_NAME, Block, BlockKind, Line, document_date

SAMPLE_PARAGRAPH = (
    "Các chi bộ, đảng bộ cơ sở bám sát các văn bản chỉ đạo, hướng dẫn của cấp trên về nâng cao "
    "chất lượng sinh hoạt chi bộ và nội dung Kế hoạch này, chỉ đạo, chuẩn bị, tổ chức sinh hoạt "
    "chi bộ mẫu đảm bảo thời gian, chất lượng."
)


@dataclasses.dataclass(frozen=True)
class BenchResult:
    count: int
    total_s: float
    mean_ms: float
    median_ms: float
    max_ms: float
    size_bytes: int


def bench_docx(build: Callable[[], bytes], *, count: int = 20) -> BenchResult:
    """Call `build` `count` times; the timings of each call and the size of the last file."""
    timings: list[float] = []
    content = b""
    for _index in range(count):
        started = time.perf_counter()
        content = build()
        timings.append(time.perf_counter() - started)
    return BenchResult(
        count=count,
        total_s=sum(timings),
        mean_ms=1000 * statistics.fmean(timings),
        median_ms=1000 * statistics.median(timings),
        max_ms=1000 * max(timings),
        size_bytes=len(content),
    )


def sample_items(paragraphs: int = 18) -> list[frame.Item]:
    """A document the size of plan 332-KH/HU: header, title, three parts, recipients, signature."""
    header = Block(
        BlockKind.HEADER,
        left=(
            Line("ĐẢNG BỘ TỈNH LAI CHÂU"),
            Line("HUYỆN ỦY TAM ĐƯỜNG", bold=True),
            Line("*"),
            Line("Số 332-KH/HU"),
        ),
        right=(
            Line(NATIONAL_NAME, bold=True, ruled=True),
            Line(document_date("Tam Đường", dt.date(2025, 1, 20)), italic=True),
        ),
    )
    body: list[frame.Item] = [header, *frame.title_blocks("KH", "tổ chức sinh hoạt chi bộ mẫu")]
    for part in ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN"):
        body.append(Block(BlockKind.PART_HEADING, text=part))
        body += [
            Block(BlockKind.PARAGRAPH, text=f"{number}. {SAMPLE_PARAGRAPH}")
            for number in range(1, paragraphs // 3 + 1)
        ]
    signature = frame.signature_lines(
        capacity="T/M BAN THƯỜNG VỤ", title="PHÓ BÍ THƯ", name="Cao Trang Trọng"
    )
    recipients = ["Ban Tổ chức Tỉnh ủy", "Các chi, đảng bộ cơ sở"]
    body.append(frame.closing_block(recipients=recipients, signature=signature))
    return body


def docx_sample(documents: int = 1) -> bytes:
    """One file of `documents` sample documents (a batch of letters when more than one)."""
    items = sample_items()
    info = frame.DocumentInfo(title="Benchmark", author="chibo")
    return frame.render_docx([items] * documents, info=info)


def letters_batch(count: int) -> tuple[LetterCommon, list[LetterData]]:
    """A meeting with `count` invitees, one letter each, made without the database."""
    starts_at = dt.datetime(2025, 3, 12, 8, tzinfo=LOCAL_TZ)
    common = LetterCommon(
        superior="ĐẢNG BỘ TỈNH LAI CHÂU",
        committee="HUYỆN ỦY TAM ĐƯỜNG",
        place="Tam Đường",
        inviter="Huyện ủy Tam Đường",
        event="buổi sinh hoạt thường kỳ mẫu của Chi bộ phòng Kinh tế và Hạ tầng",
        content="Sinh hoạt chi bộ mẫu theo Kế hoạch số 332-KH/HU, ngày 20/01/2025 của Ban "
        "Thường vụ Huyện ủy Tam Đường về tổ chức sinh hoạt chi bộ mẫu năm 2025.",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=150),
        venue="Hội trường Huyện ủy",
        is_model=True,
        signer=Signer(capacity="T/M BAN THƯỜNG VỤ", title="PHÓ BÍ THƯ", name="Cao Trang Trọng"),
        cell_name="Chi bộ phòng Kinh tế và Hạ tầng",
    )
    letters = [
        LetterData(
            number_symbol=f"{number:02d}-GM/HU",
            day=dt.date(2025, 3, 5),
            addressee=f"Người được mời số {number}",
            people=(
                Invited(
                    f"Người được mời số {number}", "Ủy viên Ban Chấp hành Đảng bộ huyện Tam Đường"
                ),
            ),
        )
        for number in range(1, count + 1)
    ]
    return common, letters


def letters_sample(count: int) -> bytes:
    """All the letters of a meeting with `count` invitees, as one DOCX."""
    common, letters = letters_batch(count)
    return letters_docx(common, letters)


def letters_zip_sample(count: int) -> bytes:
    common, letters = letters_batch(count)
    return letters_zip(common, letters)


LETTERS_GOALS = {"letters_docx": 2.0, "letters_pdf": 30.0}  # seconds for 200 letters


def letters_records(count: int = 200, repeat: int = 3) -> list[dict[str, object]]:
    """`make bench` records for a meeting with `count` invitees: seconds to make every letter as
    one DOCX and as a ZIP (the best of `repeat` runs, after one to warm up), and as PDF (one
    conversion, when LibreOffice is installed)."""
    letters_sample(2)
    records: list[dict[str, object]] = []
    docx = b""
    for case, build in (("letters_docx", letters_sample), ("letters_zip", letters_zip_sample)):
        timings = []
        for _index in range(repeat):
            started = time.perf_counter()
            content = build(count)
            timings.append(time.perf_counter() - started)
            if case == "letters_docx":
                docx = content
        records.append(_letters_record(case, count, min(timings)))
    if pdf.pdf_available():
        started = time.perf_counter()
        pdf.docx_to_pdf(docx, timeout=pdf.JOB_TIMEOUT)
        records.append(_letters_record("letters_pdf", count, time.perf_counter() - started))
    return records


def _letters_record(case: str, count: int, seconds: float) -> dict[str, object]:
    record: dict[str, object] = {
        "case": case,
        "scale": f"{count} invitees",
        "db": "none",
        "seconds": round(seconds, 2),
        "letters_per_second": round(count / seconds, 1),
    }
    if case in LETTERS_GOALS:
        record["goal_seconds"] = LETTERS_GOALS[case]
    return record
