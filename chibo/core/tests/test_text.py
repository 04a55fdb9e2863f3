import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibo.core.text import clean_text, person_sort_key, search_text, sort_key


def vi_sorted(words: list[str]) -> list[str]:
    return sorted(words, key=sort_key)


def test_base_letters_follow_the_vietnamese_alphabet() -> None:
    assert vi_sorted(["ư", "u", "đ", "d", "ơ", "ô", "o", "â", "ă", "a", "ê", "e"]) == [
        "a",
        "ă",
        "â",
        "d",
        "đ",
        "e",
        "ê",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
    ]


def test_d_with_stroke_sorts_after_every_d_word() -> None:
    assert vi_sorted(["Đà", "Dương", "Dung", "Đông"]) == ["Dung", "Dương", "Đà", "Đông"]


def test_tones_order_none_grave_hook_tilde_acute_dot() -> None:
    assert vi_sorted(["má", "mạ", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_base_letter_decides_before_tone() -> None:
    # "á" vs "ă": the letter ă comes after a, whatever a's tone is.
    assert vi_sorted(["ăn", "án"]) == ["án", "ăn"]
    assert vi_sorted(["bà con", "ba"]) == ["ba", "bà con"]


def test_shorter_name_sorts_first() -> None:
    assert vi_sorted(["Bản Bo", "Bản", "Bản Bo 2"]) == ["Bản", "Bản Bo", "Bản Bo 2"]


def test_nfd_and_nfc_give_the_same_key() -> None:
    word = "Nguyễn Thị Hường"
    assert sort_key(unicodedata.normalize("NFD", word)) == sort_key(word)


def test_people_sort_by_given_name_first() -> None:
    names = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Văn An"]
    assert sorted(names, key=person_sort_key) == ["Lê Thị An", "Nguyễn Văn An", "Trần Văn Bình"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tam Đường", "tam duong"),
        ("  Đảng bộ   xã Bản Bo ", "dang bo xa ban bo"),
        (unicodedata.normalize("NFD", "Thèn Sin"), "then sin"),
    ],
)
def test_search_text_drops_diacritics(text: str, expected: str) -> None:
    assert search_text(text) == expected


def test_clean_text_normalizes_and_trims() -> None:
    assert clean_text(unicodedata.normalize("NFD", "  Bản   Bo ")) == "Bản Bo"


BASE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy "
TONED_LETTERS = "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
VI_LETTERS = BASE_LETTERS + TONED_LETTERS


@given(st.lists(st.text(alphabet=VI_LETTERS, min_size=1, max_size=12), min_size=2, max_size=8))
def test_sort_key_is_a_total_order_consistent_with_itself(words: list[str]) -> None:
    once = vi_sorted(words)
    assert vi_sorted(list(reversed(once))) == once
    keys = [sort_key(word) for word in once]
    assert keys == sorted(keys)
    assert all(key.isascii() and key.isalnum() for key in keys)
