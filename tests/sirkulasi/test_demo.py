"""The demo seed: every circulation screen has something real to show."""

import pytest

from dispusip.models import Pengguna
from katalog import demo as katalog_demo
from sirkulasi import demo
from sirkulasi.models import Anggota, Denda, Kunjungan, Peminjaman, Reservasi

pytestmark = pytest.mark.django_db


def test_demo_sirkulasi_beragam_dan_sekali_saja(kategori, kategori_anggota):
    Pengguna.objects.create_superuser("admin", "admin@contoh.invalid", "x-Sandi-2026")
    katalog_demo.isi_demo(jumlah=600)
    assert demo.isi_demo() == demo.JUMLAH_ANGGOTA + 1
    kategori_dipakai = set(Anggota.objects.values_list("kategori__kode", flat=True))
    assert kategori_dipakai == set(kategori_anggota)
    assert set(Anggota.objects.values_list("status", flat=True)) == {
        "aktif", "ditangguhkan", "pra_daftar",
    }  # fmt: skip
    assert Peminjaman.objects.berjalan().exists() and Peminjaman.objects.terlambat().exists()
    assert Peminjaman.objects.filter(dikembalikan__isnull=False).exists()
    assert Denda.objects.belum_lunas().exists()
    assert {"menunggu", "siap"} <= set(Reservasi.objects.values_list("status", flat=True))
    assert (
        Kunjungan.objects.filter(nama="").exists() and Kunjungan.objects.exclude(nama="").exists()
    )
    assert Anggota.objects.filter(akun__isnull=False).count() == 1
    assert demo.isi_demo() == 0
