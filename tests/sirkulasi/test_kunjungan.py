"""Visitor log, in-library use, and anonymisation of old history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sirkulasi import services
from sirkulasi.models import BacaDiTempat, Denda, Kunjungan, Peminjaman
from sirkulasi.services import SirkulasiGagal

pytestmark = pytest.mark.django_db


def test_kartu_dipindai_dua_kali_satu_kunjungan(buat_anggota, meja):
    a = buat_anggota(institusi="SMAN 1 Jakarta")
    k1, baru1 = services.catat_kunjungan(**meja, kode_anggota=a.nomor)
    k2, baru2 = services.catat_kunjungan(**meja, kode_anggota=a.nomor)
    assert baru1 and not baru2 and k1 == k2
    assert k1.kategori_anggota == a.kategori and k1.jenis_kelamin == "P"
    Kunjungan.objects.filter(pk=k1.pk).update(waktu=timezone.now() - timedelta(hours=3))
    _k3, baru3 = services.catat_kunjungan(**meja, kode_anggota=a.nomor)
    assert baru3


def test_tamu_tanpa_kartu_harus_bernama(meja, kategori_anggota):
    with pytest.raises(SirkulasiGagal, match="isi nama tamu"):
        services.catat_kunjungan(**meja)
    k, _baru = services.catat_kunjungan(
        **meja, nama="Pak Ahmad", institusi="Kelurahan Cikini", tujuan="penelitian"
    )
    assert k.anggota is None and k.nama == "Pak Ahmad"
    with pytest.raises(SirkulasiGagal, match="tidak dikenal"):
        services.catat_kunjungan(**meja, kode_anggota="999999")


def test_baca_di_tempat_dihitung_bukan_dipinjam(buat_anggota, buat_eksemplar, meja):
    (e, dipinjam) = buat_eksemplar(jumlah=2)
    services.catat_baca_di_tempat(e.barcode, **meja)
    assert BacaDiTempat.objects.get().katalog_id == e.katalog_id
    assert not Peminjaman.objects.exists()
    services.pinjamkan(buat_anggota(), dipinjam.barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="tercatat dipinjam"):
        services.catat_baca_di_tempat(dipinjam.barcode, **meja)


def test_anonimisasi_memutus_anggota_dan_menyimpan_statistik(
    buat_anggota, buat_eksemplar, meja, settings
):
    settings.SIRKULASI_ANONIM_SETELAH_HARI = 30
    a = buat_anggota(tanggal_lahir=timezone.localdate().replace(year=2000))
    (lama, berdenda, baru) = buat_eksemplar(jumlah=3)
    p_lama = services.pinjamkan(a, lama.barcode, **meja)
    p_denda = services.pinjamkan(a, berdenda.barcode, **meja)
    p_baru = services.pinjamkan(a, baru.barcode, **meja)
    for p in (p_lama, p_denda, p_baru):
        services.kembalikan(p.eksemplar.barcode, **meja)
    Denda.objects.create(
        anggota=a, peminjaman=p_denda, jenis="rusak", jumlah=5000, cabang=meja["cabang"]
    )
    sebulan_lalu = timezone.now() - timedelta(days=40)
    Peminjaman.objects.filter(pk__in=[p_lama.pk, p_denda.pk]).update(dikembalikan=sebulan_lalu)
    k, _ = services.catat_kunjungan(**meja, kode_anggota=a.nomor)
    Kunjungan.objects.filter(pk=k.pk).update(waktu=sebulan_lalu)

    assert services.anonimkan_riwayat(ukuran_batch=1) == {"peminjaman": 1, "kunjungan": 1}
    p_lama.refresh_from_db()
    assert p_lama.anggota is None and p_lama.dianonimkan
    assert (
        p_lama.kategori_anggota == a.kategori
        and p_lama.kelompok_usia
        and p_lama.jenis_kelamin == "P"
    )
    assert Peminjaman.objects.get(pk=p_denda.pk).anggota == a  # unpaid fine: kept
    assert Peminjaman.objects.get(pk=p_baru.pk).anggota == a  # recent: kept
    assert services.anonimkan_riwayat() == {"peminjaman": 0, "kunjungan": 0}
    settings.SIRKULASI_ANONIM_SETELAH_HARI = 0
    assert services.anonimkan_riwayat() == {"peminjaman": 0, "kunjungan": 0}


def test_layar_buku_tamu_dan_baca(client, staf_a, buat_anggota, buat_eksemplar):
    client.force_login(staf_a)
    a = buat_anggota()
    r = client.post(
        reverse("sirkulasi:buku_tamu"), {"kode": a.nomor, "tujuan": "membaca"}, follow=True
    )
    assert "Selamat datang, Siti Rahma" in r.content.decode()
    r = client.post(
        reverse("sirkulasi:buku_tamu"), {"kode": "", "nama": "", "tujuan": "membaca"}, follow=True
    )
    assert "isi nama tamu" in r.content.decode()
    (e,) = buat_eksemplar()
    r = client.post(reverse("sirkulasi:baca_di_tempat"), {"kode": e.barcode}, follow=True)
    assert "Dicatat: Laskar pelangi" in r.content.decode()
