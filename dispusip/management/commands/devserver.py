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


class Command(BaseCommand):
    help = "Run the web server with a Celery worker and beat (development)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # Children reuse the services this process found or started.
        env = dict(os.environ, DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL)
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "dispusip"]
        children = [
            subprocess.Popen([*celery, "worker", "-l", "INFO", "-c", "2"], env=env),
            subprocess.Popen(
                [*celery, "beat", "-l", "INFO", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME],
                env=env,
            ),
        ]
        self.stdout.write(self.style.SUCCESS(f"Portal: http://{addrport}/  (Ctrl-C to stop)"))
        web = subprocess.Popen([python, "manage.py", "runserver", addrport], env=env)
        children.append(web)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Web server, worker and beat stopped.")
