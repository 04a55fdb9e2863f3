"""Timing an import of the province-scale workbook into an empty database, for `make bench`.

`bench_import` is called by bench/run.py once the province's synthetic tree is in a database:
it exports that tree with `chibo export`, makes a second, empty database, and imports the
workbook there in a process of its own (`python -m chibo.workbook.bench FILE`), which reports
its time and its peak memory (the process's own maximum resident set, so nothing else run
before it counts).

No Django at import time: bench/run.py imports this module without settings.
"""

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

GOAL_SECONDS = 180
GOAL_PEAK_MB = 1024
SOURCE_ROOT = "SYN-P-ROOT"


def bench_import(
    *,
    kind: str,
    source_env: dict[str, str],
    workdir: Path,
    database: Callable[[str, Path], contextlib.AbstractContextManager[str]],
    chibo: Callable[..., str],
) -> dict[str, Any]:
    """Export the province from the source database, import it into a fresh one: the record."""
    workbook = workdir / f"province-{kind}.xlsx"
    started = time.monotonic()
    chibo(source_env, "export", str(workbook), "--under", SOURCE_ROOT)
    print(
        f"== {kind}: exported the province workbook in {time.monotonic() - started:.0f} s "
        f"({workbook.stat().st_size / 1e6:.1f} MB)",
        flush=True,
    )
    empty_dir = workdir / "import-target"
    empty_dir.mkdir(exist_ok=True)
    with database(kind, empty_dir) as url:
        env = {**source_env, "CHIBO_DATABASE_URL": url, "CHIBO_DATA_DIR": str(empty_dir)}
        chibo(env, "migrate", "--noinput", "--verbosity", "0")
        result = subprocess.run(  # noqa: S603 (our own module, arguments from this file)
            [sys.executable, "-m", "chibo.workbook.bench", str(workbook)],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"import bench failed:\n{(result.stdout + result.stderr)[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    record = {
        "case": "import",
        "scale": "province",
        "db": kind,
        **{key: measured[key] for key in ("seconds", "rows", "peak_rss_mb")},
    }
    print(
        f"== {kind}: import {record['rows']} rows in {record['seconds']} s, "
        f"peak {record['peak_rss_mb']} MB",
        flush=True,
    )
    return record


def verdicts(records: list[dict[str, Any]]) -> list[str]:
    lines = []
    for record in records:
        if record.get("case") != "import":
            continue
        fast = "met" if record["seconds"] <= GOAL_SECONDS else "MISSED"
        small = "met" if record["peak_rss_mb"] <= GOAL_PEAK_MB else "MISSED"
        lines.append(
            f"import on {record['db']}: {record['seconds']} s (goal ≤ {GOAL_SECONDS}): {fast}; "
            f"peak {record['peak_rss_mb']} MB (goal ≤ {GOAL_PEAK_MB}): {small}"
        )
    return lines


def _measure(path: Path) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings.base")
    django.setup()
    from chibo.workbook import services

    started = time.monotonic()
    with path.open("rb") as stream:
        _record, outcome = services.workbook_import(
            actor=None, stream=stream, filename=path.name, dry_run=False
        )
    seconds = time.monotonic() - started
    if not outcome.imported:
        lines = [error.as_line() for error in outcome.errors[:20]]
        raise SystemExit("import refused:\n" + "\n".join(lines))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "seconds": round(seconds, 1),
        "rows": outcome.rows,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "created": outcome.counts["created"],
    }


if __name__ == "__main__":
    print(json.dumps(_measure(Path(sys.argv[1])), ensure_ascii=False))
