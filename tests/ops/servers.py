"""Real server processes on the test database (PostgreSQL), for the multi-host and restart tests."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF = "a" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


class Server:
    def __init__(self, var_dir: Path, *, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = os.environ | {
            "DATABASE_URL": database_url(),
            "ZHUANXING_VAR_DIR": str(var_dir),
            "ZHUANXING_MATCHING_DIR": str(var_dir / "matching"),
            "PYTHONPATH": str(ROOT / "src"),
            "ZHUANXING_REQUEST_LOG": "0",
        }
        command = [sys.executable, "-m", "gunicorn", "zhuanxing.config.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--timeout", "60"]
        var_dir.mkdir(parents=True, exist_ok=True)
        self.log = (var_dir / "server.log").open("wb")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.get("/healthz")[0] in (200, 503):
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start: {(var_dir / 'server.log').read_text()[-2000:]}")

    def request(self, method: str, path: str, *, session: str = "", body: dict | None = None):
        headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers |= {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": self.url + "/"}
        path = urllib.parse.quote(path, safe="/?&=%")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def session_for(user) -> str:
    """A logged-in session in the database (both servers read it)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
