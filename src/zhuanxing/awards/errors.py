"""The award engine's errors. Each carries every problem found, so a user fixes them all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhuanxing.tabular import CellProblem


class AwardError(Exception):
    """Base of the engine's errors; ``problems`` lists what is wrong, one readable line each."""

    problems: list


@dataclass(frozen=True)
class PolicyProblem:
    """One mistake in a policy file, located by its key path (``clauses[0].award.rate``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}" if self.path else self.message


class PolicyError(AwardError):
    def __init__(self, problems: Iterable[PolicyProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class DataProblem:
    """One mistake in the input data: which table (``source``) and where in it."""

    source: str
    problem: CellProblem

    def __str__(self) -> str:
        return f"{self.source}：{self.problem}"


class DataError(AwardError):
    def __init__(self, problems: Iterable[DataProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
