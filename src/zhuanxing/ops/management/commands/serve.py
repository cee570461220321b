"""``zhuanxing serve``: the production stack in one command — gunicorn serving the WSGI app
(static files through WhiteNoise) and the job worker(s), watched together.

A worker that dies is started again; when gunicorn stops, everything stops. SIGTERM or
Ctrl+C stops the web server gracefully and lets the running job end its transaction (a job
cut short is rolled back and retried by the next worker).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


def _default_workers() -> int:
    return int(os.environ.get("ZHUANXING_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))


class Command(BaseCommand):
    help = "启动生产服务：gunicorn 网站进程和后台任务进程"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ZHUANXING_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=_default_workers(), help="gunicorn 进程数")
        parser.add_argument(
            "--job-workers",
            type=int,
            default=int(os.environ.get("ZHUANXING_JOB_WORKERS", "1")),
            help="后台任务进程数（0 = 不在本机运行任务）",
        )
        parser.add_argument("--timeout", type=int, default=120, help="gunicorn 请求超时（秒）")

    def handle(self, *args, **options) -> None:
        web_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "zhuanxing.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "30",
            "--max-requests",
            "5000",
            "--max-requests-jitter",
            "500",
            "--forwarded-allow-ips",
            os.environ.get("ZHUANXING_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        worker_command = [sys.executable, "-m", "zhuanxing.cli", "worker", "--interval", "1", "-v", "1"]
        stopping = False

        def stop(signum, _frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        web = subprocess.Popen(web_command)
        workers = [subprocess.Popen(worker_command) for _ in range(options["job_workers"])]
        self.stdout.write(
            f"gunicorn on {options['bind']} ({options['workers']} workers), {len(workers)} job worker(s)"
        )
        try:
            while not stopping:
                if web.poll() is not None:
                    self.stderr.write(f"gunicorn exited with {web.returncode}")
                    break
                for index, worker in enumerate(workers):
                    if worker.poll() is not None:
                        self.stderr.write(f"job worker exited with {worker.returncode}; starting it again")
                        time.sleep(1)
                        workers[index] = subprocess.Popen(worker_command)
                time.sleep(0.5)
        finally:
            for process in [web, *workers]:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 40
            for process in [web, *workers]:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        if web.returncode not in (0, None, -signal.SIGTERM) and not stopping:
            sys.exit(web.returncode or 1)
