"""Circulation's background work, through a real Celery worker."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from katalog.models import Katalog, StatusEksemplar
from sirkulasi import services
from sirkulasi.models import Reservasi
from sirkulasi.tasks import kedaluwarsakan_reservasi_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_reservasi_lewat_batas_kedaluwarsa_lewat_worker(
    celery_worker, buat_anggota, buat_eksemplar, meja
):
    (e,) = buat_eksemplar()
    k = Katalog.objects.get(pk=e.katalog_id)
    services.pinjamkan(buat_anggota(nama="Ani"), e.barcode, **meja)
    hold = services.reservasi(buat_anggota(nama="Budi"), k, cabang_ambil=meja["cabang"])
    services.kembalikan(e.barcode, **meja)
    Reservasi.objects.filter(pk=hold.pk).update(
        batas_ambil=timezone.localdate() - timedelta(days=1)
    )
    assert kedaluwarsakan_reservasi_task.delay().get(timeout=60) == 1
    hold.refresh_from_db()
    e.refresh_from_db()
    assert hold.status == Reservasi.Status.KEDALUWARSA
    assert e.status == StatusEksemplar.TERSEDIA
    # Run again (a retried delivery): nothing more to do.
    assert kedaluwarsakan_reservasi_task.delay().get(timeout=60) == 0


def test_dijadwalkan_setiap_hari():
    jadwal = settings.CELERY_BEAT_SCHEDULE["sirkulasi-kedaluwarsakan-reservasi"]
    assert jadwal["task"] == "sirkulasi.kedaluwarsakan_reservasi"


def test_pemberitahuan_lewat_worker(celery_worker, buat_anggota, buat_eksemplar, meja):
    from sirkulasi.models import Pemberitahuan, Peminjaman
    from sirkulasi.tasks import kirim_pemberitahuan_task

    a = buat_anggota(nama="Siti", email="siti@contoh.invalid")
    (e,) = buat_eksemplar()
    p = services.pinjamkan(a, e.barcode, **meja)
    Peminjaman.objects.filter(pk=p.pk).update(jatuh_tempo=timezone.localdate() - timedelta(days=1))
    assert kirim_pemberitahuan_task.delay().get(timeout=60) == {"terlambat_1": 1}
    assert Pemberitahuan.objects.get(peminjaman=p).status == "terkirim"
    assert kirim_pemberitahuan_task.delay().get(timeout=60) == {}
    assert settings.CELERY_BEAT_SCHEDULE["sirkulasi-kirim-pemberitahuan"]["task"] == (
        "sirkulasi.kirim_pemberitahuan"
    )


def test_anonimisasi_lewat_worker(celery_worker, buat_anggota, buat_eksemplar, meja):
    from sirkulasi.models import Peminjaman
    from sirkulasi.tasks import anonimkan_riwayat_task

    (e,) = buat_eksemplar()
    p = services.pinjamkan(buat_anggota(), e.barcode, **meja)
    services.kembalikan(e.barcode, **meja)
    Peminjaman.objects.filter(pk=p.pk).update(dikembalikan=timezone.now() - timedelta(days=800))
    assert anonimkan_riwayat_task.delay().get(timeout=60) == {"peminjaman": 1, "kunjungan": 0}
    assert Peminjaman.objects.get(pk=p.pk).anggota is None


def test_pinjaman_digital_berakhir_lewat_worker(celery_worker, buat_rekaman, buat_anggota):
    from django.core.files.base import ContentFile

    from katalog.models import SumberDigital
    from sirkulasi import digital
    from sirkulasi.models import AntreanDigital, PinjamDigital
    from sirkulasi.tasks import akhiri_pinjaman_digital_task

    k = buat_rekaman("E-book uji", jenis="sumber_elektronik")
    sumber = SumberDigital(katalog=k, judul="E-book", akses="lisensi", jumlah_lisensi=1)
    sumber.berkas.save("uji.pdf", ContentFile(b"%PDF"), save=True)
    ani, budi = buat_anggota(nama="Ani"), buat_anggota(nama="Budi")
    p = digital.pinjam(ani, sumber, hari=1)
    digital.antre(budi, sumber)
    PinjamDigital.objects.filter(pk=p.pk).update(berakhir=timezone.now() - timedelta(minutes=1))
    hasil = akhiri_pinjaman_digital_task.delay().get(timeout=60)
    assert hasil == {"pinjaman_berakhir": 1, "tawaran_kedaluwarsa": 0, "ditawarkan": 1}
    assert AntreanDigital.objects.get(anggota=budi).status == "ditawarkan"


def test_struk_dikirim_lewat_worker(
    celery_worker, client, staf_a, buat_anggota, buat_eksemplar, meja
):
    from django.urls import reverse

    from sirkulasi.tasks import kirim_struk_task

    a = buat_anggota(nama="Siti", email="siti@contoh.invalid")
    (e,) = buat_eksemplar()
    services.pinjamkan(a, e.barcode, **meja)
    assert kirim_struk_task.delay(a.pk, "Perpustakaan Jakarta Pusat").get(timeout=60) == "email"
    client.force_login(staf_a)
    tanpa = buat_anggota(nama="Tanpa email")
    r = client.post(reverse("sirkulasi:kirim_struk", args=[tanpa.pk]), follow=True)
    assert "tidak punya email" in r.content.decode()
