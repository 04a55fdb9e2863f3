"""A hook for the fault tests (tests/operations/test_faults.py), inert unless CHIBO_FAULT_DIR
is set: they kill chibo's processes with SIGKILL halfway through a piece of work and need to
know that it is halfway.

`pause_point(name)` is placed in the middle of the work (inside its transaction, or between
making a document and storing it). When CHIBO_FAULT_DIR holds a file `<name>.pause`, the
process writes `<name>.reached` beside it and waits while the pause file is there (at most two
minutes): the test then kills the process, or removes the file to let it go on.
"""

import os
import time
from pathlib import Path

LONGEST_PAUSE = 120.0


def pause_point(name: str) -> None:
    directory = os.environ.get("CHIBO_FAULT_DIR")
    if not directory:
        return
    pause = Path(directory) / f"{name}.pause"
    if not pause.exists():
        return
    (Path(directory) / f"{name}.reached").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + LONGEST_PAUSE
    while pause.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
