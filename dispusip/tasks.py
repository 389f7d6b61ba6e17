"""Celery tasks of the core: thin wrappers over services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispusip import audit, impor, jobs
from dispusip.jobs import job_task
from dispusip.models import Job


@shared_task(name="dispusip.ping")
def ping() -> str:
    """A round trip through the broker and a worker; `make smoke` and the tests use it."""
    return "pong"


@job_task(
    "audit.ekspor",
    label=_("Ekspor log audit (XLSX)"),
    result_labels={"baris": _("Baris ditulis"), "sheet": _("Lembar kerja (sheet)")},
)
def ekspor_audit_task(job: Job) -> dict:
    """Export the audit entries matching the filters the job was started with."""
    return audit.ekspor_job(job)


@shared_task(name="dispusip.tasks.hapus_berkas_job_lama_task")
def hapus_berkas_job_lama_task() -> int:
    """Delete result files of jobs finished more than JOB_RETENTION_DAYS ago."""
    batas = timezone.now() - timedelta(days=settings.JOB_RETENTION_DAYS)
    removed = 0
    for job in Job.objects.filter(finished_at__lt=batas).exclude(result_file=""):
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        removed += 1
    return removed


@shared_task(name="dispusip.tasks.tandai_job_macet_task")
def tandai_job_macet_task() -> int:
    """Fail jobs whose worker died for good, so their pages stop saying "running"."""
    return jobs.tandai_macet()


@job_task("dispusip.impor", label=_("Impor data"), result_labels=impor.LabelHasil())
def impor_task(job: Job) -> dict:
    """Import uploaded files (catalogue, items, members, loans…) with every registered importer."""
    return impor.jalankan_job(job)
