"""Diacritic-free search over a `search_text` column, the same on SQLite and PostgreSQL."""

from django.db.models import Q

from chibo.core.text import normalize_query


def _starts_a_word(field: str, text: str) -> Q:
    return Q(**{f"{field}__startswith": text}) | Q(**{f"{field}__contains": f" {text}"})


def search_q(query: str, field: str = "search_text", *, phrase: bool = False) -> Q:
    """Rows where every word of the query starts a word of `field`.

    Word starts, not substrings: "an" finds "xã An" and "Ân Thi", not every "Đảng". With
    `phrase`, the words must also follow each other, as in an organization's name: "Bản Bo"
    finds "Đảng bộ xã Bản Bo" and not "Đảng bộ xã Bản Giang", whose "bộ" starts a word too.
    People's names keep the looser match ("Nguyễn An" finds "Nguyễn Văn An").
    """
    words = normalize_query(query).split()
    if phrase and words:
        return _starts_a_word(field, " ".join(words))
    condition = Q()
    for word in words:
        condition &= _starts_a_word(field, word)
    return condition
