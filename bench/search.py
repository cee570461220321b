"""Global search at 100,000 enterprises, on the configured database (PostgreSQL for the figure).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_bench_search python bench/search.py [--enterprises N]

Builds N synthetic enterprises in an EMPTY database (bulk insert; names from a word pool, so a
name occurs in many variants), then measures in the same run, best of 7 after a warm-up:
- the enterprise part of the global search (name, former name, code, initials) through the
  pg_trgm indexes of registry migration 0004, for a 4-character and a 2-character name;
- the same lookup with the trigram indexes dropped (the substring scan it replaces): the ratio;
- the whole search (all five kinds) for a staff user, and ``GET /api/search`` end to end.
Goal (issue 10 §5): a name search within 50 ms at 100,000 enterprises.
"""

from __future__ import annotations

import argparse
import os
import random
import time

PLACES = ["宁波", "镇海", "骆驼", "庄市", "澥浦", "九龙湖", "招宝山", "蛟川", "贵驷", "浙东"]
WORDS = [
    "金丰",
    "恒达",
    "精工",
    "华宇",
    "天诚",
    "远大",
    "东方",
    "永盛",
    "宏图",
    "新材",
    "鑫源",
    "博创",
    "海天",
    "众诚",
    "德力",
    "瑞丰",
    "隆兴",
    "顺发",
    "佳和",
    "三友",
    "明泰",
    "长城",
    "中科",
    "华锐",
]
TRADES = [
    "机械",
    "轴承",
    "紧固件",
    "化工",
    "模具",
    "电器",
    "塑业",
    "纺织",
    "制衣",
    "五金",
    "液压",
    "阀门",
    "新材料",
    "电子",
    "汽配",
    "包装",
    "照明",
    "物流",
    "铸造",
    "不锈钢",
]
SUFFIXES = ["有限公司", "股份有限公司", "厂", "实业有限公司", "科技有限公司"]


def best(fn, repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
    import django

    django.setup()
    import importlib

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from zhuanxing.accounts.models import Role, User
    from zhuanxing.registry.models import Enterprise, Industry, Town
    from zhuanxing.uscc import make_uscc
    from zhuanxing.web import search

    migration = importlib.import_module(
        "zhuanxing.registry.migrations.0004_enterprise_former_names_and_initials"
    )
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if Enterprise.objects.exists():
        raise SystemExit("the database must be empty (the benchmark builds its own enterprises)")
    rng = random.Random(1)
    town = Town.objects.create(code="bench", name="基准镇", kind=Town.Kind.TOWN, order=1)
    industry = Industry.objects.filter(level=Industry.Level.CLASS).order_by("code").first()
    started = time.perf_counter()
    rows = []
    for n in range(args.enterprises):
        name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(TRADES)}{rng.choice(SUFFIXES)}{n}"
        enterprise = Enterprise(uscc=make_uscc(f"91330211MA{n:07d}"), name=name, town=town, industry=industry)
        if n % 10 == 0:
            enterprise.former_names = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(TRADES)}厂"
        enterprise.refresh_search_fields()
        rows.append(enterprise)
    Enterprise.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    print(f"{args.enterprises:,} enterprises inserted in {time.perf_counter() - started:.1f} s")
    staff = User.objects.create(username="bench-staff", role=Role.BUREAU, display_name="基准")

    def lookup(q):
        return lambda: search._enterprises(staff, q)

    cases = [("4 characters 金丰机械", "金丰机械"), ("2 characters 金丰", "金丰"), ("initials nbjf", "nbjf")]
    indexed = {label: best(lookup(q)) for label, q in cases}
    whole = best(lambda: search.search(staff, "金丰机械"))
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(staff)
    assert client.get("/api/search", {"q": "金丰机械"}).status_code == 200
    api = best(lambda: client.get("/api/search", {"q": "金丰机械"}))
    hits = len(search._enterprises(staff, "金丰机械"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM registry_enterprise WHERE UPPER(name::text) LIKE UPPER(%s)",
                ["%金丰机械%"],
            )
            plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])
        print(f"plan (4 characters): {plan}")
        with connection.schema_editor() as editor:
            migration.drop_trigram_indexes(None, editor)
        scanned = {label: best(lookup(q)) for label, q in cases}
        with connection.schema_editor() as editor:
            migration.create_trigram_indexes(None, editor)
    else:
        scanned = dict.fromkeys(indexed)
    print(f"{'enterprise lookup':<28}{'trigram index':>15}{'substring scan':>16}{'ratio':>8}")
    for label, _q in cases:
        scan = scanned[label]
        ratio = f"{scan / indexed[label]:.1f}x" if scan else "-"
        scan_ms = f"{scan * 1000:.1f} ms" if scan else "-"
        print(f"{label:<28}{indexed[label] * 1000:>12.1f} ms{scan_ms:>16}{ratio:>8}")
    print(f"whole search, five kinds (金丰机械, {hits} enterprises shown): {whole * 1000:.1f} ms")
    print(f"GET /api/search end to end: {api * 1000:.1f} ms")
    print(f"goal: a name search within 50 ms -> {'met' if indexed[cases[0][0]] < 0.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
