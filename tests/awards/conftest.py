"""Small builders for hand-computed award cases: a policy from a YAML snippet, FACTS and
applications as rows (the way the platform passes them), results as plain strings."""

from __future__ import annotations

import textwrap

from zhuanxing.awards import compute_awards, load_policy
from zhuanxing.uscc import make_uscc

E1, E2, E3 = (make_uscc(f"913302110000000{n:02d}") for n in (1, 2, 3))

HEADER = """\
id: test
name: 测试政策
year: 2024
facts:
  scale: {label: 规模, type: text}
  high_tech: {label: 高新技术企业, type: boolean}
  rd: {label: 研发经费, type: number}
  sales: {label: 销售收入, type: number}
"""


def make_policy(body: str, header: str = HEADER):
    return load_policy(header + textwrap.dedent(body))


def enterprise(uscc: str = E1, **facts) -> dict:
    row = {"uscc": uscc, "scale": "规上", "high_tech": "否", "rd": "500", "sales": "1000"}
    return row | facts


def app(
    app_id: str, clause: str, *, uscc: str = E1, submitted: str = "2024-03-01", year: int = 2024, **cells
):
    return {"id": app_id, "uscc": uscc, "clause": clause, "year": year, "submitted": submitted} | cells


def run(policy, applications, facts=None) -> dict[str, tuple[str, str, str]]:
    """id -> (computed, awarded, reasons) as the output file shows them."""
    facts = facts if facts is not None else [enterprise(E1), enterprise(E2), enterprise(E3)]
    return {
        r.id: (str(r.computed), str(r.awarded), r.reasons_text)
        for r in compute_awards(policy, facts, applications)
    }
