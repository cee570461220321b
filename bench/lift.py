"""Benchmark: lift (模拟测算) for N enterprises × 5 columns, against evaluate on the same data.

Builds N synthetic enterprises with ``bench/scoring.py``'s generator, then times in this
process ``evaluate`` alone and ``lift`` for the five columns of zhenhai-2014's indicators
(tax, land_mu, value_added, energy_tce, employees … whichever five it reads first). The
goal is lift within 10 s at 100,000 enterprises; the ratio to evaluate is printed too.

    .venv/bin/python bench/lift.py                  # N = 100k
    .venv/bin/python bench/lift.py --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import synthetic_enterprises  # noqa: E402
from zhuanxing.scoring import evaluate, lift, load_scheme  # noqa: E402
from zhuanxing.scoring.lift import indicator_columns  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--scheme", default="zhenhai-2014")
    args = parser.parse_args()
    scheme = load_scheme(args.scheme)
    columns = [c for g in scheme.groups for c in indicator_columns(g)]
    fields = list(dict.fromkeys(columns))[:5]
    print(f"scheme {scheme.id}, fields {','.join(fields)}")
    for size in (int(s) for s in args.sizes.split(",")):
        frame = synthetic_enterprises(size)
        started = time.perf_counter()
        evaluate(scheme, frame)
        evaluated = time.perf_counter() - started
        started = time.perf_counter()
        table = lift(scheme, frame, fields)
        lifted = time.perf_counter() - started
        found = table.filter(table["value"].is_not_null()).height
        print(
            f"N={size:>9,}  evaluate {evaluated:6.2f} s  lift {lifted:6.2f} s  ratio {lifted / evaluated:5.1f}×"
            f"  rows {table.height:,} ({found:,} with a value)"
        )


if __name__ == "__main__":
    main()
