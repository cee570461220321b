"""Integers from query strings and form fields, read one safe way everywhere.

``str.isdigit()`` is true for "²" and "١٢" (which ``int()`` then refuses) and for
numbers too large for a database integer; these helpers accept ASCII digits only,
within bounds, and answer ``None`` for anything else, so a page treats a malformed
filter as absent instead of failing. Pure: imports no Django.
"""

from __future__ import annotations

DB_INT_MAX = 2**31 - 1
YEAR_MIN, YEAR_MAX = 1949, 2100


def int_param(text: str | None, *, lo: int = 0, hi: int = DB_INT_MAX) -> int | None:
    value = (text or "").strip()
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if lo <= number <= hi else None


def year_param(text: str | None) -> int | None:
    return int_param(text, lo=YEAR_MIN, hi=YEAR_MAX)
