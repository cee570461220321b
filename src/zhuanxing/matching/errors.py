"""The matching engine's errors. Every message is written for the person who can fix the input, in Chinese."""

from __future__ import annotations


class MatchingError(Exception):
    """Base class: anything wrong with what the caller handed the engine."""


class InvalidDocumentError(MatchingError):
    """A document or query that cannot be matched: no id, an unknown kind, a field of the wrong type …"""


class DictionaryError(MatchingError):
    """A dictionary, synonym, stop-word or field line that cannot be read."""


class InputFileError(MatchingError):
    """A line of a JSONL or TSV file that cannot be read; the message names the file and the line."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path} 第 {line} 行" if line is not None else path
        super().__init__(f"{where}：{reason}")


class IndexStoreError(MatchingError):
    """An index directory that is missing, damaged or written by an incompatible version."""
