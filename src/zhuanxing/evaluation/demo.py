"""Demo evaluations: the district's default scheme on the last two demo years, so the
result pages, the analysis (with a year-on-year transition matrix) and the enterprises'
report cards have something to show on first start. 2024 is final; 2025 is on public notice."""

from __future__ import annotations

from zhuanxing.accounts.models import User
from zhuanxing.evaluation import services
from zhuanxing.scoring import DEFAULT_SCHEME


def build(*, seed: int, stdout) -> None:
    staff = User.objects.get(username="jxj")
    earlier = services.run_create(actor=staff, year=2024, scheme_id=DEFAULT_SCHEME, note="演示：已定档")
    services.run_publish(actor=staff, run=earlier, days=7)
    services.run_finalize(actor=staff, run=earlier)
    latest = services.run_create(actor=staff, year=2025, scheme_id=DEFAULT_SCHEME, note="演示：公示中")
    services.run_publish(actor=staff, run=latest, days=10)
    stdout.write(
        f"亩均评价：2024年度已定档（{earlier.summary['evaluated']} 家），2025年度公示中（{latest.summary['evaluated']} 家）"
    )
