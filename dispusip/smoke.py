"""`make smoke`: boot the fresh-machine path from scratch and check it works.

With DATABASE_URL and REDIS_URL unset, in a new temporary VAR_DIR: migrate
(which starts the embedded PostgreSQL and Redis), serve the portal with a
Celery worker, check the home page, the login page and a Celery round trip,
then stop everything and remove the directory. Exits non-zero on any failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _check(label: str, ok: bool, detail: str = "") -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {label}{f' ({detail})' if detail and not ok else ''}")
    if not ok:
        raise SystemExit(1)


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="dispusip-smoke-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(VAR_DIR=str(var_dir), DJANGO_DEBUG="true", CELERY_QUEUE="dispusip-smoke")
    python = sys.executable
    procs: list[subprocess.Popen] = []
    print(f"Smoke test in {var_dir}")
    try:
        started = time.monotonic()
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        _check("fresh embedded PostgreSQL and Redis, migrations applied", True)
        port = _free_port()
        log = open(var_dir / "smoke.log", "w")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        procs.append(
            subprocess.Popen(
                [python, "-m", "celery", "-A", "dispusip", "worker", "-P", "solo",
                 "-Q", "dispusip-smoke", "--without-gossip", "--without-mingle", "-l", "WARNING"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        status, html = _get(f"{base}/")
        _check("home page", status == 200 and "Perpustakaan Jakarta Cikini" in html, str(status))
        status, html = _get(f"{base}/akun/masuk/")
        _check("login page", status == 200 and 'name="password"' in html, str(status))
        round_trip = subprocess.run(
            [python, "-c",
             "import django; django.setup(); from dispusip.celery import app; "
             "print(app.send_task('dispusip.ping').get(timeout=60))"],
            cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "dispusip.settings"},
            capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        answer = round_trip.stdout.strip()
        _check("Celery round trip", answer == "pong", answer or round_trip.stderr[-500:])
        print(f"Smoke test passed in {time.monotonic() - started:.1f} s")
        return 0
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run([python, "-m", "dispusip.embedded", "stop"], cwd=ROOT, env=env, check=False)
        if os.environ.get("SMOKE_KEEP"):
            print(f"Kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
