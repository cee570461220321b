"""Benchmark: a 100,000-row 统计 (stats) import, against `polars.read_excel` alone.

It builds a scratch SQLite database (a temporary file) with N enterprises, writes a
stats .xlsx for them, then in the same run times

- a first import (which also sets most enterprises' 规模);
- three rounds of: the floor, ``polars.read_excel(file)`` alone, then the import,
  ``batch_apply`` (validate, diff, write in one transaction) into a fresh year; the
  medians of both are compared;
- a re-import of the same file (nothing changes, no batch is recorded).

The goal is the import within 5× the floor. Memory is measured in fresh processes at
two file sizes: peak RSS of the bare read and of the import, and the import's peak
of Python allocations (tracemalloc); the import's extra memory over the bare read must
not grow with the file.

    .venv/bin/python bench/import_stats.py                   # 100,000 rows; memory at 50,000 and 100,000
    .venv/bin/python bench/import_stats.py --rows 20000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "规模",
    "工业总产值（万元）",
    "销售收入（万元）",
    "主营业务收入（万元）",
    "工业增加值（万元）",
    "年平均职工人数（人）",
    "研发经费（万元）",
    "综合能耗（吨标准煤）",
]


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
    import django

    django.setup()


def build_registry(count: int) -> list[str]:
    from django.core.management import call_command

    from zhuanxing.registry.models import Enterprise, Town
    from zhuanxing.uscc import make_uscc

    call_command("migrate", verbosity=0)
    town = Town.objects.create(code="luotuo", name="骆驼街道")
    codes = [make_uscc(f"91330211MA{n:07d}") for n in range(count)]
    Enterprise.objects.bulk_create(
        (
            Enterprise(uscc=c, name=f"宁波测试企业{n}有限公司", town=town, industry_id="3451")
            for n, c in enumerate(codes)
        ),
        batch_size=5000,
    )
    return codes


def write_file(path: Path, codes: list[str], seed: int = 2024) -> Path:
    import xlsxwriter

    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, HEADER)
    for index, code in enumerate(codes, start=1):
        output = round(rng.lognormvariate(8, 1.2), 2)
        sheet.write_string(index, 0, code)
        sheet.write_string(index, 1, f"宁波测试企业{index - 1}有限公司")
        sheet.write_string(index, 2, "规上" if output > 2000 else "规下")
        sheet.write_row(
            index,
            3,
            [
                output,
                round(output * rng.uniform(0.8, 1.1), 2),
                round(output * rng.uniform(0.7, 1.0), 2),
                round(output * rng.uniform(0.15, 0.35), 2),
                rng.randint(5, 3000),
                round(output * rng.uniform(0.0, 0.05), 2),
                round(output * rng.uniform(0.05, 0.5), 2),
            ],
        )
    workbook.close()
    return path


def time_read(path: Path) -> float:
    import polars as pl

    start = time.perf_counter()
    pl.read_excel(path)
    return time.perf_counter() - start


def time_import(path: Path, year: int) -> tuple[float, dict]:
    from zhuanxing.imports.services import batch_apply

    start = time.perf_counter()
    batch, preview = batch_apply(actor=None, source="stats", path=path, file_name=path.name, year=year)
    return time.perf_counter() - start, preview.summary


def peak_rss_mib() -> float:
    """VmHWM, the process's peak resident memory (ru_maxrss would count the parent's
    pages from before ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def measure_memory(database: Path, path: Path, year: int, mode: str) -> None:
    """Run in a fresh process: print the peak RSS (MiB) after reading or importing, and
    for the import the peak of Python allocations."""
    import polars as pl

    if mode == "read":
        pl.read_excel(path)
        print(f"{peak_rss_mib():.0f} 0")
        return
    import tracemalloc

    setup_django(database)
    from zhuanxing.imports.services import batch_apply

    tracemalloc.start()
    batch_apply(actor=None, source="stats", path=path, file_name=path.name, year=year)
    _, python_peak = tracemalloc.get_traced_memory()
    print(f"{peak_rss_mib():.0f} {python_peak / 2**20:.0f}")


def memory_at(database: Path, path: Path, year: int) -> tuple[float, float, float]:
    figures = []
    for mode in ("read", "import"):
        out = subprocess.run(
            [sys.executable, __file__, "--measure", mode, str(database), str(path), str(year)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        figures.append((float(out[0]), float(out[1])))
    return figures[0][0], figures[1][0], figures[1][1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--measure", nargs=4, metavar=("MODE", "DB", "FILE", "YEAR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        mode, database, path, year = args.measure
        measure_memory(Path(database), Path(path), int(year), mode)
        return
    with tempfile.TemporaryDirectory(prefix="zx-bench-") as scratch:
        scratch = Path(scratch)
        database = scratch / "bench.sqlite3"
        setup_django(database)
        print(f"building {args.rows:,} enterprises and the stats file …", flush=True)
        codes = build_registry(args.rows)
        path = write_file(scratch / "stats.xlsx", codes)
        print(f"file: {path.stat().st_size / 2**20:.1f} MiB, {args.rows:,} rows")

        seconds, summary = time_import(path, 2020)
        print(f"first import (sets 规模 too): {seconds:.2f} s  {summary}")
        reads, imports = [], []
        for year in (2021, 2022, 2023):  # each round: the bare read, then a fresh year's import
            reads.append(time_read(path))
            seconds, summary = time_import(path, year)
            imports.append(seconds)
            print(
                f"  round {year}: read {reads[-1]:.2f} s, import {seconds:.2f} s ({seconds / reads[-1]:.1f}×)"
            )
        again, summary = time_import(path, 2023)
        read, imported = statistics.median(reads), statistics.median(imports)
        print(f"polars.read_excel alone:   {read:.2f} s (median of 3)")
        print(f"validate + apply:          {imported:.2f} s (median of 3, a fresh year each)")
        print(f"ratio:                     {imported / read:.1f}× (goal ≤ 5×)")
        print(f"re-import, nothing to do:  {again:.2f} s  {summary}")

        print("memory (fresh process each; MiB):")
        print("   rows   read RSS   import RSS   import − read   Python peak")
        half = write_file(scratch / "half.xlsx", codes[: args.rows // 2], seed=7)
        for rows, file, year in ((args.rows // 2, half, 2018), (args.rows, path, 2019)):
            read_rss, import_rss, python_peak = memory_at(database, file, year)
            print(
                f"{rows:>7,} {read_rss:>10.0f} {import_rss:>12.0f} {import_rss - read_rss:>15.0f} {python_peak:>13.0f}"
            )


if __name__ == "__main__":
    main()
