"""The engine's errors. Each carries every problem found, so a user fixes them all in one go."""

from __future__ import annotations

from collections.abc import Iterable


class ScoringError(Exception):
    def __init__(self, problems: Iterable[object]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SchemeError(ScoringError):
    """The scheme file is invalid; each problem starts with its key path, e.g. ``groups[0].indicators[2].numerator``."""


class InputError(ScoringError):
    """The enterprise data is invalid; problems are ``zhuanxing.tabular.CellProblem`` with spreadsheet row numbers."""


class EvaluationError(ScoringError):
    """Scheme and data are valid, but a benchmark came out null or ≤ 0."""
