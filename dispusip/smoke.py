"""`make smoke`: boot the fresh-machine path from scratch and check it works.

With DATABASE_URL and REDIS_URL unset, in a new temporary VAR_DIR, the steps
of `make run`: migrate (which starts the embedded PostgreSQL and Redis), load
the demo data, serve with `devserver` (web, worker, beat). Then check the home
page, the login page, a demo login reaching the dashboard and a Celery round
trip, stop everything and remove the directory. Exits non-zero on any failure.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
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


def _login(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/akun/masuk/", timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    with opener.open(f"{base}/akun/masuk/", data=form, timeout=10) as response:
        return response.read().decode()  # after the redirect to the dashboard


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
        subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        _check("demo data loaded", True)
        port = _free_port()
        log = open(var_dir / "smoke.log", "w")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [python, "manage.py", "devserver", f"127.0.0.1:{port}"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        status, html = _get(f"{base}/")
        _check("home page", status == 200 and "Perpustakaan Jakarta Cikini" in html, str(status))
        # The demo catalogue (katalog's demo seeder) answers a public search.
        status, html = _get(f"{base}/opac/?q=sejarah+jakarta")
        _check(
            "public catalogue search finds demo records",
            status == 200 and " hasil" in html,
            str(status),
        )
        status, html = _get(f"{base}/akun/masuk/")
        _check("login page", status == 200 and 'name="password"' in html, str(status))
        html = _login(base, "admin", "dispusip-demo")
        _check(
            "demo admin logs in and sees the dashboard with the role",
            "Selamat datang" in html and "Administrator" in html,
            html[-300:],
        )
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
            proc.terminate()  # devserver stops its web server, worker and beat
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
