"""Builders for small hand-computed cases: a scheme from a YAML snippet, enterprises as
rows (English ids; a valid credit code is filled in), results by credit code."""

from __future__ import annotations

import textwrap

import polars as pl

from zhuanxing.scoring import evaluate, parse_scheme
from zhuanxing.scoring.scheme import Scheme
from zhuanxing.uscc import make_uscc

HEADER = """\
id: test
name: 测试方案
year: 2022
"""


def code(number: int) -> str:
    """The credit code of the ``number``-th row built by ``firms`` (1-based)."""
    return make_uscc(f"91330211MA2{number:06d}")


def make_scheme(body: str, header: str = HEADER) -> Scheme:
    return parse_scheme(header + textwrap.dedent(body))


def one_group(group_body: str, header: str = HEADER) -> Scheme:
    """A scheme with one group ``g`` (everyone) whose keys are ``group_body``."""
    body = textwrap.indent(textwrap.dedent(group_body).strip(), " " * 4)
    return parse_scheme(f"{header}groups:\n  - id: g\n    label: 测试组\n{body}\n")


def firms(*rows: dict) -> pl.DataFrame:
    """Enterprises in row order; row n gets ``code(n)`` unless it names its own uscc."""
    return pl.from_dicts(
        [{"uscc": code(n)} | row for n, row in enumerate(rows, start=1)], infer_schema_length=None
    )


def run(scheme: Scheme, *rows: dict) -> pl.DataFrame:
    return evaluate(scheme, firms(*rows))


def column(result: pl.DataFrame, name: str) -> list:
    return result.get_column(name).to_list()


# One ratio indicator of weight 100 on tax per mu with a fixed benchmark of 10:
# an enterprise's score is 10 × its tax per mu, so totals are easy to set by hand.
TAX_PER_MU = """
indicators:
  - {id: t, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100, benchmark: {fixed: 10}}
"""
QUOTA = "classify: {quota: {A: 0.2, B: 0.8, C: 0.95}}"
