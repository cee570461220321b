"""Chinese tokenizer for matching: jieba's search-mode cut plus the district's domain dictionary,
synonym table and stop words, all plain text files that staff can extend with lines of their own.

Text is normalised first (NFKC, case-folded, HTML tags and entities removed), then split into Han runs,
which go to jieba, and Latin/number runs, which are kept whole ("plc", "0.01mm", "iso9001"), so that
"ＰＬＣ", "PLC" and "plc" are the same token. Dictionary terms that mix the two ("3D打印") are kept whole.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jieba

from .errors import DictionaryError

DATA_DIR = Path(__file__).parent / "data"
# Bump when normalisation or splitting changes, so that stored indexes know they need a rebuild.
TOKENIZER_VERSION = 1

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = r"[a-z0-9]+(?:[._\-+/#][a-z0-9]+)*[+#]*"
_FIRST_HAN = "\u3400"  # Latin and digits sort below every Han character
_TAG = re.compile(r"<[^<>]{0,200}>")
_SYNONYM_SEPARATOR = re.compile(r"[~～,，、\s]+")

_jieba_lock = threading.Lock()
_jieba_base: jieba.Tokenizer | None = None


def base_jieba() -> jieba.Tokenizer:
    """jieba with its own main dictionary only, loaded once per process (about a second, from jieba's
    cache in the system temp directory). Never modified: tokenizers copy its word table."""
    global _jieba_base
    with _jieba_lock:
        if _jieba_base is None:
            jieba.setLogLevel(logging.WARNING)  # jieba logs every dictionary load at DEBUG to stderr
            segmenter = jieba.Tokenizer()
            segmenter.initialize()
            _jieba_base = segmenter
        return _jieba_base


def normalize(text: str) -> str:
    """Full-width to half-width, case-folded, HTML tags and entities removed."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    return unicodedata.normalize("NFKC", text).casefold()


def split_lines(source: str | Iterable[str]) -> list[str]:
    return source.splitlines() if isinstance(source, str) else list(source)


def content_lines(lines: Iterable[str], source: str) -> Iterable[tuple[str, int, str]]:
    """(source, line number, stripped line) for each line that is neither blank nor a comment."""
    for number, line in enumerate(lines, start=1):
        line = line.strip().lstrip("\ufeff")
        if line and not line.startswith("#"):
            yield source, number, line


def _has_han(term: str) -> bool:
    return any(char >= _FIRST_HAN for char in term)


@dataclass(frozen=True)
class _Word:
    term: str
    freq: int | None


def _parse_dictionary(lines: Iterable[tuple[str, int, str]]) -> list[_Word]:
    words = []
    for source, number, line in lines:
        parts = line.split()
        if len(parts) > 3:
            raise DictionaryError(f"{source}第 {number} 行：应为「词语 [词频] [词性]」，词语中不能有空格")
        freq = None
        if len(parts) >= 2:
            if not parts[1].isdigit() or int(parts[1]) <= 0:
                raise DictionaryError(f"{source}第 {number} 行：词频「{parts[1]}」应为正整数")
            freq = int(parts[1])
        words.append(_Word(normalize(parts[0]), freq))
    return words


def _parse_synonyms(lines: Iterable[tuple[str, int, str]]) -> list[tuple[str, ...]]:
    groups = []
    for source, number, line in lines:
        terms = tuple(dict.fromkeys(normalize(term) for term in _SYNONYM_SEPARATOR.split(line) if term))
        if len(terms) < 2:
            raise DictionaryError(f"{source}第 {number} 行：一组近义词至少要有两个词，用「~」分隔")
        groups.append(terms)
    return groups


class Tokenizer:
    """Turns text into index terms. Build one per process and reuse it (the first loads jieba, about a
    second; others take a few hundredths); give it the site's extra lines in the shipped files' formats::

        Tokenizer(extra_dictionary="铆压机\\n旋铆机 20", extra_synonyms=["铆压机 ~ 压铆机"], extra_stopwords="贵司")
    """

    def __init__(
        self,
        *,
        extra_dictionary: str | Iterable[str] = (),
        extra_synonyms: str | Iterable[str] = (),
        extra_stopwords: str | Iterable[str] = (),
    ):
        def both(name: str, label: str, extra: str | Iterable[str]) -> list[tuple[str, int, str]]:
            shipped = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
            return [
                *content_lines(shipped, f"内置{label}"),
                *content_lines(split_lines(extra), f"扩展{label}"),
            ]

        words = _parse_dictionary(both("userdict.txt", "词典", extra_dictionary))
        groups = _parse_synonyms(both("synonyms.txt", "近义词表", extra_synonyms))
        self.stopwords = frozenset(
            normalize(line) for _, _, line in both("stopwords.txt", "停用词表", extra_stopwords)
        )

        self._synonyms: dict[str, set[str]] = {}
        for group in groups:
            for term in group:
                self._synonyms.setdefault(term, set()).update(t for t in group if t != term)
        # Synonyms are looked up by token, so every synonym is made a dictionary word too.
        known = {word.term for word in words}
        words += [_Word(term, None) for group in groups for term in group if term not in known]

        # jieba keeps its word table in FREQ and total: copying them (~20 ms) is far cheaper than loading
        # the dictionary again, and keeps each tokenizer's extra words its own.
        base = base_jieba()
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ, self._jieba.total = dict(base.FREQ), base.total
        self._jieba.initialized = True
        added = []
        for word in words:
            if _has_han(word.term) and (word.freq is not None or not self._jieba.FREQ.get(word.term)):
                self._jieba.add_word(word.term, word.freq)
                added.append((word.term, word.freq))

        # Terms mixing Latin and Han ("3d打印") would be cut apart by the Latin/Han split: match them first.
        mixed = sorted({w.term for w in words if _has_han(w.term) and re.search("[a-z0-9]", w.term)}, key=len)
        alternatives = [re.escape(term) for term in reversed(mixed)] + [f"[{_HAN}]+", _LATIN]
        self._mixed = frozenset(mixed)
        self._pieces = re.compile("|".join(alternatives))
        self._plain_pieces = re.compile(f"[{_HAN}]+|{_LATIN}")

        self.fingerprint = hashlib.sha256(
            json.dumps(
                [TOKENIZER_VERSION, jieba.__version__, sorted(added, key=str), sorted(self.stopwords)],
                ensure_ascii=False,
            ).encode()
        ).hexdigest()[:16]

    def tokens(self, text: str) -> list[str]:
        """Index terms of ``text`` in order, with jieba's search-mode sub-words ("伺服电机" gives
        "伺服", "电机", "伺服电机"), stop words removed."""
        if not text:
            return []
        return self._split(normalize(text), self._pieces)

    def _split(self, text: str, pieces: re.Pattern[str]) -> list[str]:
        out: list[str] = []
        stop = self.stopwords
        for piece in pieces.findall(text):
            if piece in self._mixed:  # like search mode: the parts, shorter terms inside, then the whole
                out.extend(self._split(piece, self._plain_pieces))
                out.extend(term for term in self._mixed if term in piece and term != piece)
                out.append(piece)
            elif piece[0] >= _FIRST_HAN:
                out.extend(token for token in self._jieba.cut_for_search(piece) if token not in stop)
            elif piece not in stop:
                out.append(piece)
        return out

    @property
    def segmenter(self) -> jieba.Tokenizer:
        """The jieba instance with the domain words, for benchmarks and diagnostics."""
        return self._jieba

    def synonyms(self, term: str) -> frozenset[str]:
        """The other terms of every synonym group ``term`` (a token) belongs to."""
        return frozenset(self._synonyms.get(term, ()))


_default_lock = threading.Lock()
_default: Tokenizer | None = None


def default_tokenizer() -> Tokenizer:
    """The tokenizer with the shipped files only, shared within the process."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Tokenizer()
        return _default
