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


def test_pekerja_celery_mati_di_tengah_impor(admin_dispusip, cabang, kategori, tmp_path):
    """The worker's process is killed (as the OOM killer would) while an import's first
    batches sit in staging: nothing of it is committed, and the job is delivered again
    (acks_late, reject_on_worker_lost) and imports everything on its second attempt."""
    import os
    import signal
    import time
    from pathlib import Path

    from dispusip.models import Job, PetaImpor
    from dispusip.tasks import impor_task
    from katalog.models import Katalog
    from tests.conftest import mulai_pekerja, tunggu_job
    from tests.katalog.test_impor import berkas, rekaman

    folder = tmp_path / "unggah"
    folder.mkdir()
    (folder / "besar.mrc").write_bytes(
        berkas(*(rekaman(f"Judul nomor {n}", f"INLIS{n:015d}") for n in range(20000)))
    )
    job = Job.objects.create(
        kind="dispusip.impor",
        started_by=admin_dispusip,
        params={
            "folder": str(folder), "berkas": [{"nama": "besar.mrc", "jalur": "besar.mrc",
            "tabel": "marc"}], "sumber": "Inlislite uji", "cabang": cabang["cikini"].pk,
            "sebagian": False, "pemetaan": {}, "bahasa": "id",
        },
    )  # fmt: skip
    antrean = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-mati"
    pekerja = mulai_pekerja(antrean, "-P", "prefork", "-c", "1")
    try:
        impor_task.apply_async((job.pk,), queue=antrean)
        batas = time.monotonic() + 120
        while "rekaman dibaca" not in job.message:  # the first batches are in staging
            assert time.monotonic() < batas, job.message
            time.sleep(0.05)
            job.refresh_from_db()
        anak = Path(f"/proc/{pekerja.pid}/task/{pekerja.pid}/children").read_text().split()
        os.kill(int(anak[0]), signal.SIGKILL)
        assert not Katalog.objects.exists() and not PetaImpor.objects.exists()
        job = tunggu_job(job, timeout=300)
    finally:
        pekerja.terminate()
        pekerja.wait(timeout=30)
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2, job.message
    assert job.result["katalog.dibuat"] == 20000 and Katalog.objects.count() == 20000
    assert not folder.exists()
