"""Load benchmark: locust on loopback against the production server (gunicorn, 4 workers) on the
configured PostgreSQL database holding the 100,000-enterprise district of bench/platform_100k.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_bench python bench/load.py [--seconds 30]

Phases, each of bounded duration: 50 users reading, 200 users reading, 20 users writing
(applications and demands). Users are staff, a town official and an enterprise user, logged in
(their sessions are made in the database: logging 200 users in through argon2 would measure the
password hash). Prints the machine's core count, then per phase requests per second, p50/p95/p99
and errors, and the slowest pages by p95.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup() -> None:
    """(In a separate process, without gevent) sessions and the ids the users visit, as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from zhuanxing.accounts.models import User
    from zhuanxing.evaluation.models import EvaluationRun
    from zhuanxing.programs.models import Application
    from zhuanxing.registry.models import Enterprise
    from zhuanxing.techmarket.models import Demand

    def session(username: str) -> str:
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    town_user = User.objects.get(username="luotuo")
    firm_user = User.objects.get(username="qiye")
    run = (
        EvaluationRun.objects.filter(year=2025).order_by("-version").first() or EvaluationRun.objects.first()
    )
    sample = list(
        Application.objects.filter(enterprise=firm_user.enterprise).values("policy_id", "clause_id", "fields")
    )
    data = {
        "sessions": {"staff": session("jxj"), "town": session("luotuo"), "enterprise": session("qiye")},
        "usccs": list(Enterprise.objects.order_by("?").values_list("uscc", flat=True)[:300]),
        "town_usccs": list(
            Enterprise.objects.filter(town=town_user.town).values_list("uscc", flat=True)[:100]
        ),
        "own_uscc": firm_user.enterprise.uscc,
        "run": run.pk,
        "results": list(run.results.order_by("?").values_list("pk", flat=True)[:300]),
        "demands": list(Demand.objects.values_list("pk", flat=True)[:100]),
        "applications": [s for s in sample if "new_level" not in s["fields"]][:3],
    }
    print(json.dumps(data))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHUANXING_SSL_REDIRECT": "0",
        "ZHUANXING_REQUEST_LOG": "0",
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "zhuanxing.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    command += ["--workers", str(workers), "--timeout", "120", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="duration of each phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    os.environ.setdefault("SECRET_KEY", "load-bench-" + "x" * 50)  # the server's, to sign the sessions
    data = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--setup"],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"PYTHONPATH": str(ROOT / "src"), "ZHUANXING_REQUEST_LOG": "0", "DEBUG": "0"},
        ).stdout
    )
    port = free_port()
    server = start_server(port, args.workers)
    try:
        run_phases(f"http://127.0.0.1:{port}", data, args.seconds, args.workers)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_phases(host: str, data: dict, seconds: int, workers: int) -> None:
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    sessions = data["sessions"]

    class Visitor(HttpUser):
        abstract = True
        wait_time = between(0.5, 2.0)
        role = "staff"

        def on_start(self):
            self.client.cookies.set("sessionid", sessions[self.role])
            self.client.cookies.set("csrftoken", "c" * 32)

        def get(self, path: str, name: str):
            with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    class Staff(Visitor):
        weight = 5
        role = "staff"

        @task(4)
        def enterprise_list(self):
            self.get(
                random.choice(["/enterprises/", "/enterprises/?scale=规上", "/enterprises/?q=机械"]),
                "企业库列表",
            )

        @task(3)
        def dossier(self):
            self.get(f"/enterprises/{random.choice(data['usccs'])}/", "企业档案")

        @task(3)
        def results(self):
            self.get(f"/evaluation/runs/{data['run']}/?page={random.randint(1, 50)}", "评价结果")

        @task(2)
        def report_card(self):
            self.get(f"/evaluation/results/{random.choice(data['results'])}/", "评价报告")

        @task(2)
        def demands(self):
            self.get("/techmarket/demands/", "技术需求列表")

        @task(2)
        def recommendations(self):
            self.get(f"/techmarket/demands/{random.choice(data['demands'])}/", "需求与推荐")

        @task(1)
        def search(self):
            self.get("/techmarket/search/?q=伺服电机", "科技大市场搜索")

        @task(1)
        def cockpit(self):
            self.get("/campaigns/progress/", "四换进度（驾驶舱）")

        @task(2)
        def api_lists(self):
            self.get(
                random.choice(["/api/registry/enterprises?page=3", "/api/programs/applications"]), "API 列表"
            )

    class Town(Visitor):
        weight = 3
        role = "town"

        @task(3)
        def enterprise_list(self):
            self.get("/enterprises/", "企业库列表（镇街）")

        @task(2)
        def dossier(self):
            self.get(f"/enterprises/{random.choice(data['town_usccs'])}/", "企业档案（镇街）")

        @task(1)
        def results(self):
            # a town official sees published runs only; the bench district's run is a draft
            self.get("/evaluation/", "评价批次（镇街）")

    class Firm(Visitor):
        weight = 2
        role = "enterprise"

        @task(2)
        def mine(self):
            self.get("/evaluation/mine/", "我的评价")

        @task(2)
        def dossier(self):
            self.get(f"/enterprises/{data['own_uscc']}/", "本企业档案")

        @task(1)
        def demands(self):
            self.get("/techmarket/demands/", "技术需求列表（企业）")

    class Writer(Visitor):
        role = "enterprise"

        def post(self, path: str, body: dict, name: str):
            headers = {"X-CSRFToken": "c" * 32, "Referer": host + "/"}
            with self.client.post(
                path, json=body, headers=headers, name=name, catch_response=True
            ) as response:
                if response.status_code != 201:
                    response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

        @task(1)
        def demand(self):
            body = {
                "title": f"压力测试需求{random.randint(1, 10**9)}",
                "problem": "注塑件表面缩痕明显，希望优化模具温控与保压工艺，降低不良率。",
                "field": "新材料",
            }
            self.post("/api/techmarket/demands", body, "发布需求")

        @task(1)
        def application(self):
            sample = random.choice(data["applications"])
            body = {
                "policy_id": sample["policy_id"],
                "clause": sample["clause_id"],
                "fields": sample["fields"],
            }
            self.post("/api/programs/applications", body, "新建申报草稿")

    print(f"machine: {os.cpu_count()} cores; server: gunicorn, {workers} workers; {seconds} s per phase")
    for label, classes, users in [
        ("read mix", [Staff, Town, Firm], 50),
        ("read mix", [Staff, Town, Firm], 200),
        ("write mix", [Writer], 20),
    ]:
        env = Environment(user_classes=classes, host=host)
        runner = env.create_local_runner()
        runner.start(users, spawn_rate=max(10, users / 5))
        gevent.sleep(seconds)
        runner.quit()
        total = env.stats.total
        print(
            f"{label}, {users} users: {total.num_requests:,} requests, {total.total_rps:.1f} req/s, "
            f"p50 {total.get_response_time_percentile(0.5):.0f} ms, p95 {total.get_response_time_percentile(0.95):.0f} ms, "
            f"p99 {total.get_response_time_percentile(0.99):.0f} ms, errors {total.num_failures}"
        )
        rows = sorted(env.stats.entries.values(), key=lambda e: -e.get_response_time_percentile(0.95))
        for entry in rows[:4]:
            print(
                f"    slowest: {entry.name}: p95 {entry.get_response_time_percentile(0.95):.0f} ms, "
                f"median {entry.median_response_time:.0f} ms, {entry.num_requests} requests, {entry.num_failures} errors"
            )
        for error in list(env.stats.errors.values())[:3]:
            print(f"    error: {error.name}: {error.error} ×{error.occurrences}")


if __name__ == "__main__":
    main()
