"""Diacritic-free search over a `search_text` column, the same on SQLite and PostgreSQL."""

from django.db.models import Q

from chibo.core.text import normalize_query


def search_q(query: str, field: str = "search_text") -> Q:
    """Rows where every word of the query starts a word of `field`.

    Word starts, not substrings: "an" finds "xã An" and "Ân Thi", not every "Đảng".
    """
    condition = Q()
    for word in normalize_query(query).split():
        condition &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return condition
