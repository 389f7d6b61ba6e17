"""Notices: each due notice sent once, one message per member and kind, through a channel."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sirkulasi import pemberitahuan, services
from sirkulasi.models import Anggota, Pemberitahuan, Peminjaman

pytestmark = pytest.mark.django_db
J = Pemberitahuan.Jenis


def _tempo(pinjaman, selisih_hari):
    Peminjaman.objects.filter(pk=pinjaman.pk).update(
        jatuh_tempo=timezone.localdate() + timedelta(days=selisih_hari)
    )


@pytest.fixture
def siti(buat_anggota):
    return buat_anggota(nama="Siti Rahma", email="siti@contoh.invalid")


def test_jatuh_tempo_dan_terlambat_ke_1_2_3_masing_masing_sekali(siti, buat_eksemplar, meja):
    items = buat_eksemplar(jumlah=3)
    pinjam = [services.pinjamkan(siti, e.barcode, **meja) for e in items]
    _tempo(pinjam[0], 1)  # due tomorrow
    _tempo(pinjam[1], -1)  # a day late: 1st notice
    _tempo(pinjam[2], -8)  # found late on day 8: the 2nd notice only
    hasil = pemberitahuan.kirim_pemberitahuan()
    assert hasil == {J.JATUH_TEMPO: 1, J.TERLAMBAT_1: 1, J.TERLAMBAT_2: 1}
    subjek = sorted(m.subject for m in mail.outbox)
    assert any("keterlambatan ke-1" in s for s in subjek)
    assert any("keterlambatan ke-2" in s for s in subjek)
    assert any("segera jatuh tempo" in s for s in subjek)
    # Run again: nothing new goes out.
    assert pemberitahuan.kirim_pemberitahuan() == {}
    assert len(mail.outbox) == 3
    # A week later the first late loan reaches the 2nd notice band.
    hasil = pemberitahuan.kirim_pemberitahuan(pada=timezone.localdate() + timedelta(days=6))
    assert hasil[J.TERLAMBAT_2] == 1
    assert Pemberitahuan.objects.filter(peminjaman=pinjam[1]).count() == 2


def test_beberapa_pinjaman_satu_pesan(siti, buat_eksemplar, meja):
    items = buat_eksemplar(jumlah=2)
    for e in items:
        _tempo(services.pinjamkan(siti, e.barcode, **meja), -2)
    assert pemberitahuan.kirim_pemberitahuan() == {J.TERLAMBAT_1: 1}
    (pesan,) = mail.outbox
    assert all(e.barcode in pesan.body for e in items)
    assert Pemberitahuan.objects.filter(jenis=J.TERLAMBAT_1).count() == 2


def test_reservasi_siap_dan_keanggotaan_berakhir(siti, buat_anggota, buat_eksemplar, meja):
    from katalog.models import Katalog

    (e,) = buat_eksemplar()
    services.pinjamkan(buat_anggota(nama="Budi"), e.barcode, **meja)
    services.reservasi(siti, Katalog.objects.get(pk=e.katalog_id), cabang_ambil=meja["cabang"])
    assert pemberitahuan.kirim_pemberitahuan() == {}  # not before the copy is on the shelf
    services.kembalikan(e.barcode, **meja)
    Anggota.objects.filter(pk=siti.pk).update(
        berlaku_sampai=timezone.localdate() + timedelta(days=5)
    )
    hasil = pemberitahuan.kirim_pemberitahuan()
    assert hasil[J.RESERVASI_SIAP] == 1 and hasil[J.KEANGGOTAAN_BERAKHIR] == 1
    siap = next(m for m in mail.outbox if "siap diambil" in m.subject)
    assert "Perpustakaan Jakarta Pusat" in siap.body


def test_tanpa_saluran_dicatat_dan_gagal_kirim_tidak_menghentikan(
    siti, buat_anggota, buat_eksemplar, meja, monkeypatch
):
    tanpa = buat_anggota(nama="Tanpa Email")
    (a, b) = buat_eksemplar(jumlah=2)
    _tempo(services.pinjamkan(tanpa, a.barcode, **meja), -1)
    _tempo(services.pinjamkan(siti, b.barcode, **meja), -1)

    def rusak(*args, **kwargs):
        raise ConnectionRefusedError("SMTP mati")

    monkeypatch.setattr(pemberitahuan.SaluranEmail, "kirim", rusak)
    pemberitahuan.kirim_pemberitahuan()
    assert Pemberitahuan.objects.get(anggota=tanpa).status == "tanpa_saluran"
    gagal = Pemberitahuan.objects.get(anggota=siti)
    assert gagal.status == "gagal" and "SMTP mati" in gagal.galat


def test_saluran_lain_dapat_didaftarkan(buat_anggota, buat_eksemplar, meja, settings):
    terkirim = []

    class SaluranSms:
        kode = "sms"
        nama = "SMS"

        def menjangkau(self, anggota):
            return bool(anggota.telepon)

        def kirim(self, anggota, *, subjek, isi):
            terkirim.append((anggota.telepon, subjek))

    pemberitahuan.daftarkan_saluran(SaluranSms())
    settings.SIRKULASI_SALURAN = ["email", "sms"]
    a = buat_anggota(nama="Hanya HP", telepon="081234567890")
    (e,) = buat_eksemplar()
    _tempo(services.pinjamkan(a, e.barcode, **meja), -1)
    pemberitahuan.kirim_pemberitahuan()
    assert terkirim and terkirim[0][0] == "081234567890"
    assert Pemberitahuan.objects.get(anggota=a).saluran == "sms"
    pemberitahuan.SALURAN.pop("sms")


def test_struk_lewat_email_berisi_pinjaman(siti, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    services.pinjamkan(siti, e.barcode, **meja)
    assert pemberitahuan.kirim_struk(siti, "Perpustakaan Jakarta Pusat") == "email"
    (pesan,) = mail.outbox
    assert "Struk peminjaman" in pesan.subject and e.barcode in pesan.body
    assert "Perpustakaan Jakarta Pusat" in pesan.body
