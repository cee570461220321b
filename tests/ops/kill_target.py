"""Run one write in a fresh process, for the kill tests: ``python kill_target.py run|import|pay ARG``.
Prints ``start`` just before the write begins and ``done <seconds>`` after it commits."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
os.environ.setdefault("ZHUANXING_REQUEST_LOG", "0")

import django  # noqa: E402

django.setup()

from tests.evaluation.fixtures import TEST_SCHEME  # noqa: E402
from zhuanxing.accounts.models import User  # noqa: E402


def main(operation: str, argument: str) -> None:
    staff = User.objects.get(username="bureau")
    if operation == "run":
        from zhuanxing.evaluation import services

        action = lambda: services.run_create(actor=staff, year=int(argument), scheme_text=TEST_SCHEME)  # noqa: E731
    elif operation == "import":
        from zhuanxing.imports import services

        action = lambda: services.batch_apply(  # noqa: E731
            actor=staff, source="tax", path=argument, file_name="税务.xlsx", year=2025
        )
    elif operation == "pay":
        from zhuanxing.programs import services
        from zhuanxing.programs.models import Application

        application = Application.objects.get(pk=int(argument))
        action = lambda: services.payment_record(actor=staff, application=application, stage=1)  # noqa: E731
    else:
        raise SystemExit(f"unknown operation {operation}")
    print("start", flush=True)
    started = time.perf_counter()
    action()
    print(f"done {time.perf_counter() - started:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
