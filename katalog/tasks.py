"""Celery tasks of the catalogue: thin wrappers over services."""

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy

from dispusip import impor
from dispusip.jobs import job_task
from dispusip.models import Cabang
from katalog import impor_marc, services
from katalog.models import KategoriKoleksi


@shared_task(name="katalog.bangun_ulang_tajuk")
def bangun_ulang_tajuk_task() -> dict[str, int]:
    """Nightly: recount headings and vocabulary, correcting any drift of the
    incremental counts kept by every save."""
    return services.bangun_ulang_tajuk()


@job_task(
    "katalog.impor_marc",
    label=gettext_lazy("Impor MARC"),
    result_labels=impor.LABEL_HASIL,
)
def impor_marc_task(job) -> dict:
    """Import an uploaded MARC file (kept in storage until the job ends)."""
    p = job.params
    with default_storage.open(p["berkas"], "rb") as f:
        raw = f.read()
    return impor_marc.impor_marc(
        job=job,
        raw=raw,
        berkas=p["nama"],
        sumber=p["sumber"],
        cabang=Cabang.objects.get(pk=p["cabang"]),
        kategori=KategoriKoleksi.objects.get(pk=p["kategori"]),
        sebagian=p.get("sebagian", False),
    )
