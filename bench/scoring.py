"""Benchmark: `zhuanxing evaluate` on parquet in and out, against the floor.

For each N it builds N synthetic enterprises (seeded, every column a scheme may use),
runs the CLI in a fresh process and times it wall-clock, then measures the floor in
the same run: starting Python with polars imported, reading the input parquet and
writing a frame of the output's size (the CLI's own output) as parquet. The goal is a
ratio within 3× at 1M enterprises, growing linearly with N.

    .venv/bin/python bench/scoring.py                      # N = 10k, 100k, 1M
    .venv/bin/python bench/scoring.py --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from zhuanxing.uscc import ALPHABET

ROOT = Path(__file__).resolve().parent.parent
ZHUANXING = Path(sys.executable).with_name("zhuanxing")
INDUSTRIES = ["1311", "1713", "2614", "2929", "3311", "3360", "3484", "3670", "3823", "3989", "4417", "0610"]
TOWNS = ["招宝山街道", "蛟川街道", "骆驼街道", "庄市街道", "贵驷街道", "澥浦镇", "九龙湖镇"]


def credit_codes(count: int, rng: np.random.Generator) -> pl.Series:
    """Unique, valid 统一社会信用代码: 91 + 330211 + 9 base-31 digits of a shuffled serial + check."""
    alphabet = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
    serials = rng.permutation(count).astype(np.int64)
    digits = np.empty((count, 17), dtype=np.int64)
    digits[:, :8] = [9, 1, 3, 3, 0, 2, 1, 1]
    for position in range(16, 7, -1):
        digits[:, position] = serials % 31
        serials //= 31
    weights = np.array([pow(3, i, 31) for i in range(17)])
    check = (31 - (digits * weights).sum(axis=1) % 31) % 31
    codes = alphabet[np.column_stack([digits, check])]
    return pl.Series("uscc", np.ascontiguousarray(codes).view("S18").ravel()).cast(pl.String)


def synthetic_enterprises(count: int, seed: int = 2014) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def lognormal(mean: float, sigma: float = 1.0, missing: float = 0.0) -> pl.Series:
        values = np.round(rng.lognormal(np.log(mean), sigma, count), 2)
        series = pl.Series(values)
        return series.scatter(np.flatnonzero(rng.random(count) < missing), None) if missing else series

    land = lognormal(30, 1.2)
    founded = np.datetime64("1985-01-01") + rng.integers(0, 365 * 30, count).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "uscc": credit_codes(count, rng),
            "name": pl.Series(rng.integers(0, 10**9, count)).cast(pl.String).str.pad_start(9, "0")
            + "有限公司",
            "industry": pl.Series(rng.choice(INDUSTRIES, count)),
            "town": pl.Series(rng.choice(TOWNS, count)),
            "scale": pl.Series(np.where(rng.random(count) < 0.3, "规上", "规下")),
            "founded": pl.Series(founded).cast(pl.Date),
            "land_mu": land,
            "tax": lognormal(300, 1.3),
            "social_insurance": lognormal(40, 1.0, missing=0.05),
            "sales": lognormal(8000, 1.2),
            "revenue": lognormal(7500, 1.2),
            "value_added": lognormal(1800, 1.2),
            "employees": pl.Series(rng.integers(5, 2000, count)).cast(pl.Float64),
            "energy_tce": lognormal(900, 1.3),
            "electricity": lognormal(300, 1.3),
            "emissions": lognormal(2, 1.0, missing=0.2),
            "emission_rights": lognormal(3, 1.0, missing=0.3),
            "rd": lognormal(120, 1.5),
            "high_tech": pl.Series(rng.random(count) < 0.15),
            "major_accident": pl.Series(rng.random(count) < 0.01),
            "env_violation": pl.Series(rng.random(count) < 0.02),
            "tenants": pl.Series(rng.poisson(0.4, count)).cast(pl.Float64),
            "water": lognormal(20000, 1.2),
        }
    )


_READ = "import sys; import polars as pl; pl.read_parquet(sys.argv[1])"
_WRITE = """
import sys, time
import polars as pl
output = pl.read_parquet(sys.argv[1])  # loading the frame to write is not part of the floor
started = time.perf_counter()
output.write_parquet(sys.argv[2])
print(time.perf_counter() - started)
"""


def _wall(command: list[str]) -> float:
    """Wall-clock seconds of a fresh process running ``command``."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def floor_seconds(input_path: Path, output_path: Path, scratch: Path) -> float:
    """A fresh process importing polars and reading the input, plus writing the output-sized frame."""
    startup_and_read = _wall([sys.executable, "-c", _READ, str(input_path)])
    writing = subprocess.run(
        [sys.executable, "-c", _WRITE, str(output_path), str(scratch)],
        check=True,
        capture_output=True,
        text=True,
    )
    return startup_and_read + float(writing.stdout)


def run(sizes: list[int], scheme: str, repeat: int, workdir: Path) -> None:
    print(f"scheme {scheme}; best of {repeat}; seconds wall-clock")
    print(f"{'N':>9} {'cli':>8} {'floor':>8} {'ratio':>6} {'cli/N µs':>9}")
    for count in sizes:
        input_path = workdir / f"enterprises-{count}.parquet"
        output_path = workdir / f"results-{count}.parquet"
        synthetic_enterprises(count).write_parquet(input_path)
        command = [str(ZHUANXING), "evaluate", "--scheme", scheme, "--input", str(input_path), "--output"]
        cli, floor = [], []
        for _ in range(repeat):  # alternate, so that a busy moment on the machine hits both alike
            cli.append(_wall([*command, str(output_path)]))
            floor.append(floor_seconds(input_path, output_path, workdir / "floor.parquet"))
        best_cli, best_floor = min(cli), min(floor)
        per_enterprise = best_cli / count * 1e6
        print(
            f"{count:>9} {best_cli:>8.3f} {best_floor:>8.3f} {best_cli / best_floor:>6.2f} {per_enterprise:>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated N")
    parser.add_argument("--scheme", default="zhenhai-2014")
    parser.add_argument("--repeat", type=int, default=2, help="runs per N; the best is kept")
    parser.add_argument(
        "--workdir", type=Path, help="where to keep the files (default: a temporary directory)"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(sizes, args.scheme, args.repeat, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="zhuanxing-bench-") as workdir:
            run(sizes, args.scheme, args.repeat, Path(workdir))


if __name__ == "__main__":
    main()
