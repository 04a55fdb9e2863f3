"""Compile chibo's .po files to .mo with polib, so no GNU gettext is needed to build or run.

    python scripts/messages.py            # compile every chibo/locale/*/LC_MESSAGES/*.po
    python scripts/messages.py --check    # exit 1 if a .mo is missing or older than its .po,
                                          # or a message lacks a translation
"""

import pathlib
import sys

import polib

LOCALE = pathlib.Path(__file__).resolve().parent.parent / "chibo" / "locale"


def problems_of(po_path: pathlib.Path) -> list[str]:
    po = polib.pofile(str(po_path))
    found = [f"untranslated: {entry.msgid!r}" for entry in po.untranslated_entries()]
    found += [f"fuzzy: {entry.msgid!r}" for entry in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path.name} is missing: run 'make messages'")
        return found
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    if compiled != expected:
        found.append(f"{mo_path.name} does not match {po_path.name}: run 'make messages'")
    return found


def main() -> int:
    check = "--check" in sys.argv[1:]
    failures: list[str] = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        if check:
            failures += [f"{po_path.relative_to(LOCALE)}: {p}" for p in problems_of(po_path)]
        else:
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            print(f"compiled {po_path.relative_to(LOCALE)}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
