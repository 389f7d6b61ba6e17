"""Background jobs with progress: how to add one.

1. Write the work as a service that takes the Job and reports progress:

       def ekspor_xlsx(*, job, qs):
           job.laporkan(0, total)
           for n, row in enumerate(rows, 1):
               ...
               job.laporkan(n, total)
           job.simpan_berkas("hasil.xlsx", File(fh))
           return {"baris": n}             # the result summary shown on the job page

2. Declare the task in your app's tasks.py with @job_task; the decorator marks
   the job running, then succeeded with the returned summary, or failed with
   the error's message (JobGagal for an expected failure such as bad input):

       @job_task("audit.ekspor", label=_("Ekspor log audit (XLSX)"),
                 result_labels={"baris": _("Baris ditulis")})
       def ekspor_audit_task(job):
           return audit.ekspor_job(job)

3. Start it from a service (which checks who may, and audits it if sensitive);
   the task is sent when the transaction commits, and the view redirects to
   job.get_absolute_url(), a page with a progress bar that polls until the
   job ends:

       job = jobs.mulai(kind="audit.ekspor", oleh=user, params={...})

The working example is audit.mulai_ekspor / audit.ekspor_job / tasks.ekspor_audit_task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dispusip.models import Job

if TYPE_CHECKING:
    from dispusip.models import Pengguna, Unit

logger = logging.getLogger(__name__)

# A job whose worker died this many times (out of memory, killed) is not retried again.
MAX_PERCOBAAN = 3


class JobGagal(Exception):
    """An expected failure; its message is shown to the person who started the job."""


@dataclass(frozen=True)
class JenisJob:
    kind: str
    label: str
    task: Any
    result_labels: dict[str, str]


_kinds: dict[str, JenisJob] = {}


def label(kind: str) -> str:
    jenis = _kinds.get(kind)
    return str(jenis.label) if jenis else kind


def result_labels(kind: str) -> dict[str, str]:
    jenis = _kinds.get(kind)
    return jenis.result_labels if jenis else {}


def job_task(kind: str, *, label: str, result_labels: dict[str, str] | None = None) -> Callable:
    """Turn `work(job) -> dict` into a Celery task that runs one Job row.

    result_labels names the keys of the returned summary for the job page.
    """

    def decorator(work: Callable[[Job], dict | None]):
        @shared_task(name=f"jobs.{kind}", bind=True, ignore_result=True)
        def task(self, job_id: int) -> None:
            jalankan(job_id, work)

        task.__doc__ = work.__doc__
        _kinds[kind] = JenisJob(
            kind=kind, label=label, task=task, result_labels=result_labels or {}
        )
        return task

    return decorator


def mulai(
    *,
    kind: str,
    oleh: Pengguna | None,
    params: dict[str, Any] | None = None,
    unit: Unit | None = None,
) -> Job:
    """Create the Job row and send its task once the surrounding transaction commits."""
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}; declare it with @job_task")
    params = dict(params or {})
    params.setdefault("bahasa", translation.get_language() or "id")
    job = Job.objects.create(
        kind=kind,
        started_by=oleh,
        unit=unit if unit is not None else getattr(oleh, "unit", None),
        params=params,
    )
    task = _kinds[kind].task
    transaction.on_commit(lambda: _kirim(task, job.pk))
    return job


def _kirim(task, job_id: int) -> None:
    try:
        task.delay(job_id)
    except Exception:
        # The row is committed; without this it would wait as "queued" forever.
        logger.exception("Could not queue job %s", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=_("Antrean pekerjaan tidak dapat dihubungi. Coba lagi beberapa saat lagi."),
        )


def jalankan(job_id: int, work: Callable[[Job], dict | None]) -> None:
    """Run one job's work and record how it ended. Safe to receive twice: a job
    that already finished or that another delivery claimed is left alone
    (acks_late redelivers a message after a worker crash)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Job %s no longer exists; nothing to run", job_id)
        return
    if job.selesai:
        return
    if job.attempts >= MAX_PERCOBAAN:
        job.gagal(
            _(
                "Pekerjaan terhenti %(n)s kali (pekerja mati atau kehabisan memori); tidak dicoba lagi."
            )
            % {"n": job.attempts}
        )
        return
    if not job.mulai():
        return
    with translation.override(job.params.get("bahasa", "id")):
        try:
            result = work(job)
        except JobGagal as exc:
            job.gagal(str(exc))
        except SoftTimeLimitExceeded:
            job.gagal(_("Pekerjaan dihentikan karena melewati batas waktu."))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            job.gagal(
                _(
                    "Terjadi kesalahan tak terduga; rinciannya sudah dicatat untuk pengelola sistem (pekerjaan #%(id)s)."
                )
                % {"id": job.pk}
            )
            raise  # for the worker's log and error reporting
        else:
            job.berhasil(result or {})


def tandai_macet(*, sekarang=None) -> int:
    """Fail jobs no worker will ever finish: running past the time limit plus the
    broker's redelivery window, or queued for a day without starting."""
    sekarang = sekarang or timezone.now()
    batas_jalan = timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
        + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    macet = Job.objects.filter(
        Q(status=Job.Status.RUNNING, started_at__lt=sekarang - batas_jalan)
        | Q(status=Job.Status.QUEUED, created_at__lt=sekarang - timedelta(days=1))
    )
    return macet.update(
        status=Job.Status.FAILED,
        finished_at=sekarang,
        message=_("Pekerjaan tidak pernah selesai (pekerja berhenti). Silakan mulai ulang."),
    )
