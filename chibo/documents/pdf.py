"""PDF from the same DOCX, converted by LibreOffice in headless mode (`soffice`).

LibreOffice is optional: without it every document is still there as DOCX, and asking for a
PDF says plainly what to install. Each conversion gets its own throw-away LibreOffice profile
(two instances sharing one profile block each other), and a file lock lets only one conversion
run at a time on the machine, across web and worker processes: soffice takes a few hundred
megabytes and both cores while it works.
"""

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PDF_TYPE = "application/pdf"
# A request must answer before gunicorn's worker timeout (30 s by default) cuts it off.
SYNC_TIMEOUT = 25.0
# The worker's own task timeout is 600 s (Q_CLUSTER); a batch of letters stays well inside it.
JOB_TIMEOUT = 300.0
LOCK_NAME = "chibo-soffice.lock"
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"

PDF_UNAVAILABLE = _(
    "PDF needs LibreOffice, which is not installed on the server (soffice). "
    "The administrator can install it with: {hint}. The DOCX file is available meanwhile."
)
PDF_BUSY = _(
    "Another PDF is being made right now. Try again in a moment, or make it in the background."
)
PDF_TIMED_OUT = _("Making the PDF took longer than {seconds} seconds and was stopped.")
PDF_FAILED = _("LibreOffice could not convert the document to PDF.")


class PdfError(Exception):
    """A PDF could not be made; the message says why, for the user."""


class PdfUnavailableError(PdfError):
    """LibreOffice is not installed."""


class PdfBusyError(PdfError):
    """Another conversion held the lock for the whole time allowed."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def unavailable_message() -> str:
    return str(PDF_UNAVAILABLE).format(hint=INSTALL_HINT)


@contextlib.contextmanager
def _exclusive(deadline: float) -> Iterator[None]:
    """Hold the machine-wide conversion lock, waiting for it until `deadline`."""
    lock_path = Path(tempfile.gettempdir()) / LOCK_NAME
    with lock_path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PdfBusyError(str(PDF_BUSY)) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def docx_to_pdf(docx: bytes, *, timeout: float = SYNC_TIMEOUT) -> bytes:
    """The PDF of a DOCX file; waiting for the lock counts against `timeout` (seconds)."""
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailableError(unavailable_message())
    deadline = time.monotonic() + timeout
    with _exclusive(deadline), tempfile.TemporaryDirectory(prefix="chibo-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        output = folder / "out"
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(output),
            str(source),
        ]
        # HOME inside the throw-away folder: LibreOffice writes caches there.
        environment = {**os.environ, "HOME": str(folder)}
        _run(command, environment, max(1.0, deadline - time.monotonic()), timeout)
        result = output / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise PdfError(str(PDF_FAILED))
        return result.read_bytes()


def _run(command: list[str], environment: dict[str, str], seconds: float, limit: float) -> None:
    # The command is a fixed list with a path found by shutil.which: no shell, no user input.
    process = subprocess.Popen(  # noqa: S603
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,
    )
    try:
        process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        # soffice starts a child (soffice.bin): stop the whole process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(str(PDF_TIMED_OUT).format(seconds=round(limit))) from None
    if process.returncode != 0:
        raise PdfError(str(PDF_FAILED))
