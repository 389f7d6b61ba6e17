"""Shared fixtures: reference data, personas, and a real Celery worker.

Personas (healthchecks' alice/bob/charlie, in our units):
- staf_a:       Pustakawan Sirkulasi of Sudin Jakarta Pusat
- rekan_a:      a Katalogisasi colleague in the same unit
- orang_luar:   Pustakawan Sirkulasi of Sudin Jakarta Barat (another unit)
- admin_dispusip: Administrator at the Dinas (province-wide)
- pimpinan:     Pimpinan (province-wide, read-only)
- anggota:      a library member account (no unit: not staff)
"""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from dispusip.peran import Peran
from tests.factories import PenggunaFactory

ROOT = Path(__file__).resolve().parent.parent

# Each app's fixtures, usable from its own tests and from the browser tests.
pytest_plugins = ["tests.katalog.fixtures", "tests.sirkulasi.fixtures"]

# Playwright's sync API runs an event loop in the test thread; without this,
# Django refuses ORM calls made after the browser started.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # Tests run with DEBUG off, so {% static %} needs the manifest that
    # collectstatic writes (`make test` always refreshes it). Only the main
    # process builds it; xdist workers start after.
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists() and "PYTEST_XDIST_WORKER" not in os.environ:
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Job result files go to a temporary folder, shared with the test worker."""
    from django.test import override_settings

    path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(path)):
        yield path


@pytest.fixture
def data_induk(db):
    """Units and main branches (a data migration) and roles, also after a flush."""
    migration = importlib.import_module("dispusip.migrations.0002_unit_dan_cabang_utama")
    from django.apps import apps

    from dispusip.services import sinkron_peran

    migration.tambah(apps, None)
    sinkron_peran()


def _staf(username, unit, cabang, *peran):
    from dispusip.models import Cabang, Unit

    return PenggunaFactory(
        username=username,
        unit=Unit.objects.get(kode=unit),
        cabang=Cabang.objects.get(kode=cabang) if cabang else None,
        peran=list(peran),
    )


@pytest.fixture
def staf_a(data_induk):
    return _staf("sari", "jakpus", "jakpus-tanah-abang", Peran.SIRKULASI)


@pytest.fixture
def rekan_a(data_induk):
    return _staf("rudi", "jakpus", "jakpus-tanah-abang", Peran.KATALOGISASI)


@pytest.fixture
def orang_luar(data_induk):
    return _staf("budi", "jakbar", "jakbar-tanjung-duren", Peran.SIRKULASI)


@pytest.fixture
def admin_dispusip(data_induk):
    return _staf("adminuji", "dinas", "cikini", Peran.ADMINISTRATOR)


@pytest.fixture
def pimpinan(data_induk):
    return _staf("kadis", "dinas", None, Peran.PIMPINAN)


@pytest.fixture
def anggota(data_induk):
    return PenggunaFactory(username="0012345", email="warga@contoh.invalid")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on this test run's own queue and test database.

    Never eager mode: jobs must survive serialisation, a separate process and
    separate database connections, as in production. Tests that use it need
    transactional_db so the worker sees their rows.
    """
    proc = mulai_pekerja(settings.CELERY_TASK_DEFAULT_QUEUE)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def mulai_pekerja(antrean: str, *pool: str) -> subprocess.Popen:
    """Start a Celery worker on a queue of the test database; return once it answers.
    The pool is solo unless given (e.g. "-P", "prefork", "-c", "1")."""
    from django.db import connection

    from dispusip.celery import app
    from dispusip.env import database_to_url

    env = dict(
        os.environ,
        DATABASE_URL=database_to_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=antrean,
        DISPUSIP_PEKERJA_UJI="1",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DJANGO_DEBUG="true",
    )
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"test-worker-{antrean}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "dispusip", "worker",
            *(pool or ("-P", "solo")), "-Q", antrean,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()  # the child has its own handle
    deadline = time.monotonic() + 60
    while True:
        try:
            app.send_task("dispusip.ping", queue=antrean).get(timeout=5)
            return proc
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"Test worker did not start; see {log.name}") from None


def tunggu_job(job, timeout: float = 60):
    """Wait until the worker has finished a job; return it fresh from the database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.selesai:
            return job
        time.sleep(0.1)
    raise AssertionError(f"Job {job.pk} still {job.status} after {timeout}s: {job.message}")
