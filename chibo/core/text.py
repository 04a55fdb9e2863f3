"""Vietnamese alphabetical order and diacritic-free search text. No Django here.

The sort key is a string of digits and lowercase ASCII letters, so that a plain binary
comparison (SQLite, PostgreSQL under the C or C.UTF-8 collation, Python) orders rows the way
Vietnamese ICU does: base letters first (a ă â b c d đ …), then tones, then case.
"""

import unicodedata

from unidecode import unidecode

ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]

# Combining marks that make a base letter (ă â ê ô ơ ư) rather than a tone.
BREVE = "\u0306"
CIRCUMFLEX = "\u0302"
HORN = "\u031b"
LETTER_MARKS = {BREVE, CIRCUMFLEX, HORN}

# Tones in Vietnamese order: none, huyền, hỏi, ngã, sắc, nặng.
TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

SPACE_CODE = "01"
DIGIT_BASE = 2  # digits take codes 02..11
LETTER_BASE = 12  # letters take codes 12..44
CODE_END = "00"  # ends the primary part: shorter names sort before longer ones


def _code(number: int) -> str:
    return f"{number:02d}"


def _split_letter(char: str) -> tuple[str, int, bool]:
    """Return (base letter, tone rank, is upper) for one precomposed character."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    is_upper = base.isupper()
    base = base.lower()
    tone = 0
    letter_marks = ""
    for mark in marks:
        if mark in TONE_ORDER:
            tone = TONE_ORDER[mark]
        elif mark in LETTER_MARKS:
            letter_marks += mark
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone, is_upper


def sort_key(text: str) -> str:
    """A key whose binary order is Vietnamese alphabetical order."""
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    previous_space = True
    for char in unicodedata.normalize("NFC", text.strip()):
        if char.isspace():
            if not previous_space:
                primary.append(SPACE_CODE)
            previous_space = True
            continue
        previous_space = False
        if char.isdigit() and char.isascii():
            primary.append(_code(DIGIT_BASE + int(char)))
            continue
        if char in {"Đ", "đ"}:
            letter, tone, is_upper = "đ", 0, char == "Đ"
        else:
            letter, tone, is_upper = _split_letter(char)
        if letter not in ALPHABET:
            # Punctuation and letters outside the Vietnamese alphabet: fold to ASCII, or skip.
            folded = unidecode(letter).lower()
            if len(folded) != 1 or folded not in ALPHABET:
                continue
            letter = folded
        primary.append(_code(LETTER_BASE + ALPHABET.index(letter)))
        tones.append(str(tone))
        cases.append("1" if is_upper else "0")
    if primary and primary[-1] == SPACE_CODE:
        primary.pop()
    return "".join(primary) + CODE_END + "".join(tones) + "0" + "".join(cases)


def person_sort_key(full_name: str) -> str:
    """Vietnamese name lists sort by the given name (the last word), then by the full name."""
    words = full_name.split()
    given = words[-1] if words else ""
    return sort_key(given) + "0" + sort_key(full_name)


def search_text(*parts: str | None) -> str:
    """Lower-cased ASCII text for diacritic-free search ("tam duong" finds "Tam Đường")."""
    joined = " ".join(part for part in parts if part)
    # Control characters (NUL above all: PostgreSQL refuses it) never belong in a search.
    joined = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in joined)
    folded = unidecode(unicodedata.normalize("NFC", joined).replace("Đ", "D").replace("đ", "d"))
    return " ".join(folded.lower().split())


def normalize_query(query: str) -> str:
    """The form a user's search query takes before it is matched against search_text."""
    return search_text(query)


def clean_text(value: str) -> str:
    """NFC-normalize and trim user text; spreadsheets and phones send NFD and stray spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())
