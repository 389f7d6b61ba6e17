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


def test_impor_lewat_worker(celery_worker, admin_dispusip, cabang, kategori, settings, tmp_path):
    from dispusip import jobs
    from katalog.models import Eksemplar, Katalog
    from tests.conftest import tunggu_job
    from tests.katalog.test_impor import berkas, rekaman

    folder = tmp_path / "unggah"
    folder.mkdir()
    (folder / "ekspor.mrc").write_bytes(berkas(rekaman("Laskar pelangi", "INLIS1", induk=["7/7"])))
    job = jobs.mulai(
        kind="dispusip.impor",
        oleh=admin_dispusip,
        params={
            "folder": str(folder), "berkas": [{"nama": "ekspor.mrc", "jalur": "ekspor.mrc",
            "tabel": "marc"}], "sumber": "Inlislite uji", "cabang": cabang["cikini"].pk,
            "sebagian": False, "pemetaan": {},
        },
    )  # fmt: skip
    job = tunggu_job(job)
    assert job.status == "succeeded", job.message
    assert job.result["katalog.dibuat"] == 1 and job.result["eksemplar.dibuat"] == 1
    assert Katalog.objects.filter(judul__startswith="Laskar pelangi").exists()
    assert Eksemplar.objects.get(nomor_induk="7/7").cabang == cabang["cikini"]
    assert not folder.exists()  # the uploaded files go once the job is done
