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
