"""Reading generated files back: DOCX text, PDF text, and how much of a page is printed."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx import Document


def docx_document(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def _cell_texts(table: Any) -> list[str]:
    texts: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            texts += [paragraph.text for paragraph in cell.paragraphs]
    return texts


def docx_lines(content: bytes) -> list[str]:
    """Every paragraph's text, body and tables alike, in document order."""
    document = docx_document(content)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines += _cell_texts(block)
        else:
            lines.append(block.text)
    return lines


def docx_text(content: bytes) -> str:
    return "\n".join(docx_lines(content))


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} is not installed"
    return path


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "document.pdf"
        path.write_bytes(content)
        result = subprocess.run(  # noqa: S603
            [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
        )
    return result.stdout.decode("utf-8")


def pdf_page_count(content: bytes) -> int:
    return pdf_text(content).count("\f")


def first_page_ink(content: bytes, resolution: int = 30) -> float:
    """The share of the first page's pixels that are not white (pdftoppm -gray, PGM)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "document.pdf"
        path.write_bytes(content)
        subprocess.run(  # noqa: S603
            [
                _tool("pdftoppm"),
                "-gray",
                "-r",
                str(resolution),
                "-f",
                "1",
                "-l",
                "1",
                str(path),
                str(Path(work) / "page"),
            ],
            check=True,
            capture_output=True,
        )
        image = next(Path(work).glob("page*.pgm")).read_bytes()
    width, height, maximum, pixels = parse_pgm(image)
    dark = sum(1 for value in pixels if value < maximum * 0.8)
    return dark / (width * height)


def parse_pgm(data: bytes) -> tuple[int, int, int, bytes]:
    """A binary PGM (P5) with 8-bit samples: width, height, maximum value, the pixels."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    if fields[0] != b"P5":
        raise ValueError("not a binary PGM")
    width, height, maximum = (int(field) for field in fields[1:])
    start = position + 1
    return width, height, maximum, data[start : start + width * height]
