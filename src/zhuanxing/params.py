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


# Schemes, policies and rule files are a few kilobytes; a limit keeps a pasted megabyte
# comment from being copied into every run and every report card drawn from it.
SPEC_MAX_BYTES = 256 * 1024


def spec_size_problem(text: str, what: str) -> str | None:
    """A Chinese sentence when ``text`` is over the limit for a ``what`` (方案, 政策文件), else None."""
    size = len(text.encode())
    if size <= SPEC_MAX_BYTES:
        return None
    return f"{what}有 {size / 1024:,.0f} KB，超过上限 {SPEC_MAX_BYTES // 1024} KB；请删去多余的注释或内容"
