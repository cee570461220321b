"""zhuanxing.scoring: the 亩均效益综合评价 engine (pure: polars, no Django).

scheme = load_scheme("zhenhai-2014")          # or a path to a scheme YAML
result = evaluate(scheme, read_input("企业数据.xlsx"))
write_output(result, "评价结果.xlsx", scheme)
"""

from zhuanxing.scoring.engine import evaluate, output_schema
from zhuanxing.scoring.errors import EvaluationError, InputError, SchemeError, ScoringError
from zhuanxing.scoring.io import prepare_input, read_input, write_output, xlsx_headers
from zhuanxing.scoring.lift import Baseline, lift
from zhuanxing.scoring.scheme import (
    DEFAULT_SCHEME,
    Scheme,
    load_scheme,
    parse_scheme,
    shipped_scheme_ids,
    shipped_schemes,
)

__all__ = [
    "Baseline",
    "lift",
    "DEFAULT_SCHEME",
    "EvaluationError",
    "InputError",
    "Scheme",
    "SchemeError",
    "ScoringError",
    "evaluate",
    "load_scheme",
    "output_schema",
    "parse_scheme",
    "prepare_input",
    "read_input",
    "shipped_scheme_ids",
    "shipped_schemes",
    "write_output",
    "xlsx_headers",
]
