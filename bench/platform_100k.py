"""End-to-end figures of the platform at 100,000 enterprises, on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_bench python bench/platform_100k.py [--enterprises N]

Builds a synthetic district of N enterprises (three years of data) in an EMPTY database
(``--reuse`` measures again on a database a previous run built), then measures, in the same run:
- one 亩均效益评价 run inside the platform (read the year's data from the database, score,
  store every result row) against the engine alone on the same frame; goals: end to end
  within 5 s, reading within 1 s at 100,000 enterprises;
- the zip of 3,000 report cards (worker time, all cores) against one core; goal within 10 s;
- the enterprise list page (first page, a filtered page, a deep page) and its query count.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true", help="measure on the district a previous run built")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
    os.environ.setdefault("ZHUANXING_REQUEST_LOG", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhuanxing.accounts.models import User
    from zhuanxing.evaluation import adapters, services
    from zhuanxing.registry.models import Enterprise
    from zhuanxing.scoring import evaluate, load_scheme

    print(f"database: {connection.vendor}; cores: {os.cpu_count()}")
    call_command("migrate", verbosity=0)
    if not args.reuse:
        if Enterprise.objects.exists():
            raise SystemExit("the database must be empty (the benchmark builds its own district)")
        started = time.perf_counter()
        call_command("demo-data", enterprises=args.enterprises, seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(
            f"demo district of {args.enterprises:,} enterprises built in {time.perf_counter() - started:.1f} s"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load

    staff = User.objects.get(username="jxj")
    scheme = load_scheme("zhenhai-2014")
    started = time.perf_counter()
    frame = adapters.input_frame(args.year)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    evaluate(adapters.scheme_for_year(scheme, args.year), frame.drop("enterprise_id"))
    engine_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run = services.run_create(actor=staff, year=args.year, scheme_id="zhenhai-2014")
    run_seconds = time.perf_counter() - started
    print(
        f"evaluation run, end to end: {run_seconds:.2f} s for {run.summary['evaluated']:,} results "
        f"(reading the year's data {read_seconds:.2f} s, engine alone {engine_seconds:.2f} s; "
        f"end to end = {run_seconds / engine_seconds:.1f}× the engine)"
    )

    from zhuanxing.evaluation import report_cards

    for workers in (os.cpu_count() or 1, 1):
        started = time.perf_counter()
        with tempfile.TemporaryFile() as sink:
            count = report_cards.write_zip(run, sink, workers=workers, limit=args.cards)
            size = sink.tell()
        seconds = time.perf_counter() - started
        if workers > 1:
            parallel = seconds
            print(
                f"report-card zip of {count:,} ({size / 2**20:.1f} MiB): {seconds:.2f} s on {workers} processes"
            )
        else:
            print(
                f"report-card zip of {count:,}: {seconds:.2f} s on 1 process ({seconds / parallel:.2f}× the pool)"
            )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    for label, params in [
        ("first page", {}),
        ("filtered (town + scale)", {"town": "luotuo", "scale": "规上"}),
        ("search by name", {"q": "机械"}),
        ("page 1000", {"page": 1000}),
    ]:
        reset_queries()
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/enterprises/", params)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"enterprise list, {label}: median {sorted(timings)[2] * 1000:.0f} ms, "
            f"{len(queries.captured_queries)} queries"
        )


if __name__ == "__main__":
    main()
