"""Pinyin initials of Chinese names, for search (宁波金丰 → ``nbjf``).

Pure: used by the registry when an enterprise is saved or imported, and by search when it
reads a query. Letters and digits in a name are kept (lower-cased); punctuation and spaces
are dropped; each Chinese character gives the first letter of its reading (pypinyin picks
the reading of the phrase, so 重庆 gives ``cq``).
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 200


def initials(text: str) -> str:
    letters = []
    for part in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors=lambda chars: list(chars)):
        letters += [c.lower() for c in part if c.isascii() and c.isalnum()]
    return "".join(letters)


def initials_of(*names: str) -> str:
    """The initials of every name, space-separated (a name and its former names)."""
    found = [initials(name) for name in names if name and name.strip()]
    return " ".join(i for i in found if i)[:MAX_LENGTH]


def looks_like_initials(query: str) -> bool:
    """A query of 2 to 20 ASCII letters may be pinyin initials (``nbjf``)."""
    return 2 <= len(query) <= 20 and query.isascii() and query.isalpha()
