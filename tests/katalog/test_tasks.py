"""The catalogue's background work, through a real Celery worker."""

import pytest
from django.conf import settings

from katalog.models import Tajuk
from katalog.tasks import bangun_ulang_tajuk_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_hitung_ulang_tajuk_lewat_worker(celery_worker, buat_rekaman):
    buat_rekaman("Perpustakaan umum", subjek=["Perpustakaan"])
    buat_rekaman("Perpustakaan sekolah", subjek=["Perpustakaan"])
    Tajuk.objects.filter(jenis="subjek").update(jumlah=99)  # drift
    hasil = bangun_ulang_tajuk_task.delay().get(timeout=60)
    assert hasil["tajuk"] == Tajuk.objects.count()
    assert Tajuk.objects.get(jenis="subjek", teks="Perpustakaan").jumlah == 2


def test_dijadwalkan_setiap_malam():
    assert (
        settings.CELERY_BEAT_SCHEDULE["katalog-bangun-ulang-tajuk"]["task"]
        == "katalog.bangun_ulang_tajuk"
    )


def test_impor_marc_lewat_worker(celery_worker, admin_dispusip, cabang, kategori):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from dispusip import jobs
    from katalog.models import Katalog
    from tests.conftest import tunggu_job
    from tests.katalog.test_impor_marc import berkas, rekaman

    jalur = default_storage.save(
        "impor/uji/ekspor.mrc",
        ContentFile(berkas(rekaman("Laskar pelangi", "INLIS1", induk=["7/7"]))),
    )
    job = jobs.mulai(
        kind="katalog.impor_marc",
        oleh=admin_dispusip,
        params={
            "berkas": jalur, "nama": "ekspor.mrc", "sumber": "Inlislite uji",
            "cabang": cabang["cikini"].pk, "kategori": kategori["umum"].pk, "sebagian": False,
        },
    )  # fmt: skip
    job = tunggu_job(job)
    assert job.status == "succeeded", job.message
    assert job.result["dibuat"] == 1 and job.result["eksemplar"] == 1
    assert Katalog.objects.filter(judul__startswith="Laskar pelangi").exists()
