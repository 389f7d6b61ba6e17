"""Serve the portal for development: runserver, a Celery worker and Celery beat.

`make run` calls this. Ctrl-C stops all three; the embedded PostgreSQL and
Redis keep running for the next start (`make stop` stops them).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def _stop(children: list[subprocess.Popen]) -> None:
    # Each child leads its own process group, so the autoreloader's server
    # process and the worker's pool processes go down with their parent.
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


class Command(BaseCommand):
    help = "Run the web server with a Celery worker and beat (development)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # Children reuse the services this process found or started.
        env = dict(os.environ, DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL)
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "dispusip"]
        commands = [
            [*celery, "worker", "-l", "INFO", "-c", "2"],
            [*celery, "beat", "-l", "INFO", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME],
            [python, "manage.py", "runserver", addrport],
        ]
        # SIGTERM (e.g. from a process manager) stops everything as Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        children = [subprocess.Popen(cmd, env=env, start_new_session=True) for cmd in commands]
        self.stdout.write(self.style.SUCCESS(f"Portal: http://{addrport}/  (Ctrl-C to stop)"))
        try:
            children[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            _stop(children)
            self.stdout.write("Web server, worker and beat stopped.")
