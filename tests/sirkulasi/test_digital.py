"""Digital loans: one licence, one concurrent loan; a queue; links that stop working."""

import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dispusip.models import Pengguna
from katalog.models import SumberDigital
from sirkulasi import digital
from sirkulasi.models import AntreanDigital, PinjamDigital
from sirkulasi.services import SirkulasiGagal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ebook(buat_rekaman):
    k = buat_rekaman("Si Doel anak Betawi", jenis="sumber_elektronik")
    sumber = SumberDigital(
        katalog=k, judul="E-book Si Doel", akses="lisensi", jumlah_lisensi=1,
        jenis_isi="application/pdf",
    )  # fmt: skip
    sumber.berkas.save("si-doel.pdf", ContentFile(b"%PDF-1.4 isi buku"), save=True)
    return sumber


@pytest.fixture
def tiga(buat_anggota):
    return [buat_anggota(nama=n) for n in ("Ani", "Budi", "Cici")]


def test_pinjam_antre_tawar_dan_berakhir(ebook, tiga):
    ani, budi, cici = tiga
    p = digital.pinjam(ani, ebook, hari=3)
    assert p.berakhir - p.mulai == timedelta(days=3)
    with pytest.raises(SirkulasiGagal, match="sedang meminjam"):
        digital.pinjam(ani, ebook, hari=3)
    with pytest.raises(digital.LisensiHabis, match="Masuk antrean"):
        digital.pinjam(budi, ebook, hari=7)
    with pytest.raises(SirkulasiGagal, match="harus 1, 3, 7, 30"):
        digital.pinjam(budi, ebook, hari=14)
    antrean_budi = digital.antre(budi, ebook)
    antrean_cici = digital.antre(cici, ebook)
    assert digital.posisi(antrean_cici) == 2

    # The loan ends: the licence is offered to Budi, and Cici cannot take it.
    hasil = digital.akhiri_yang_lewat(pada=p.berakhir + timedelta(minutes=1))
    assert hasil == {"pinjaman_berakhir": 1, "tawaran_kedaluwarsa": 0, "ditawarkan": 1}
    antrean_budi.refresh_from_db()
    assert antrean_budi.status == AntreanDigital.Status.DITAWARKAN
    with pytest.raises(digital.LisensiHabis):
        digital.pinjam(cici, ebook, hari=1)
    digital.pinjam(budi, ebook, hari=1)
    antrean_budi.refresh_from_db()
    assert antrean_budi.status == AntreanDigital.Status.DIAMBIL


def test_tawaran_kedaluwarsa_pindah_ke_berikutnya(ebook, tiga):
    ani, budi, cici = tiga
    p = digital.pinjam(ani, ebook, hari=1)
    digital.antre(budi, ebook)
    digital.antre(cici, ebook)
    digital.kembalikan(p)  # early return: offered at once
    tawaran = AntreanDigital.objects.get(anggota=budi)
    assert tawaran.status == AntreanDigital.Status.DITAWARKAN
    hasil = digital.akhiri_yang_lewat(pada=tawaran.batas_tawaran + timedelta(minutes=1))
    assert hasil["tawaran_kedaluwarsa"] == 1 and hasil["ditawarkan"] == 1
    assert AntreanDigital.objects.get(anggota=cici).status == AntreanDigital.Status.DITAWARKAN
    assert digital.akhiri_yang_lewat() == {
        "pinjaman_berakhir": 0, "tawaran_kedaluwarsa": 0, "ditawarkan": 0,
    }  # fmt: skip


def test_anggota_diblokir_tidak_meminjam_e_book(ebook, buat_anggota, staf_a):
    from sirkulasi import services

    a = buat_anggota()
    services.tangguhkan_anggota(a, alasan="Tunggakan", oleh=staf_a)
    with pytest.raises(SirkulasiGagal, match="diblokir"):
        digital.pinjam(a, ebook, hari=1)


@pytest.mark.django_db(transaction=True)
def test_dua_anggota_berebut_lisensi_terakhir_hanya_satu(ebook, buat_anggota):
    anggota = [buat_anggota(nama=f"Anggota {i}") for i in range(4)]
    mulai = threading.Barrier(4)
    hasil, galat = [], []

    def ambil(a):
        try:
            mulai.wait()
            hasil.append(digital.pinjam(a, ebook, hari=7))
        except Exception as exc:
            galat.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ambil, args=(a,)) for a in anggota]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(hasil) == 1
    assert len(galat) == 3 and all(isinstance(g, digital.LisensiHabis) for g in galat)
    assert PinjamDigital.objects.aktif().count() == 1


@pytest.fixture
def masuk(client):
    def login(anggota):
        akun = Pengguna.objects.create_user(
            username=f"anggota-{anggota.pk}", password="x-Sandi-2026"
        )
        anggota.akun = akun
        anggota.save()
        client.force_login(akun)
        return client

    return login


def test_tautan_baca_hanya_untuk_peminjam_selama_pinjaman(ebook, tiga, masuk):
    ani, budi, _cici = tiga
    klien = masuk(ani)
    # No free download through the catalogue's own link.
    r = klien.get(reverse("opac:sumber_digital", args=[ebook.katalog_id, ebook.pk]))
    assert r.status_code == 302 and r.url == ebook.katalog.get_absolute_url()
    halaman = klien.get(ebook.katalog.get_absolute_url()).content.decode()
    assert "Pinjam e-book" in halaman and "1 dari 1 lisensi bebas" in halaman
    r = klien.post(reverse("anggota:pinjam_digital", args=[ebook.pk]), {"hari": "1"}, follow=True)
    assert "dipinjam sampai" in r.content.decode()
    p = PinjamDigital.objects.get(anggota=ani)
    url = reverse("anggota:baca_digital", args=[p.token])
    r = klien.get(url)
    assert r.status_code == 200 and r["Content-Disposition"] == "inline"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert r["Cache-Control"] == "private, no-store"
    # Someone else's session cannot use the link.
    masuk(budi)
    assert klien.get(url).status_code == 302
    # The loan ends: the link stops working.
    PinjamDigital.objects.filter(pk=p.pk).update(berakhir=timezone.now() - timedelta(seconds=1))
    klien.force_login(ani.akun)
    r = klien.get(url, follow=True)
    assert "tidak berlaku lagi" in r.content.decode()


def test_antre_dari_halaman_judul(ebook, tiga, masuk):
    ani, budi, _ = tiga
    digital.pinjam(ani, ebook, hari=7)
    klien = masuk(budi)
    assert "Masuk antrean" in klien.get(ebook.katalog.get_absolute_url()).content.decode()
    r = klien.post(reverse("anggota:antre_digital", args=[ebook.pk]), follow=True)
    assert "antrean ke-1" in r.content.decode()
    assert "Antrean ke-1" in klien.get(reverse("anggota:beranda")).content.decode()


def test_tawaran_lisensi_diberitahukan_sekali(ebook, tiga):
    from django.core import mail

    from sirkulasi import pemberitahuan

    ani, budi, _ = tiga
    budi.email = "budi@contoh.invalid"
    budi.save()
    p = digital.pinjam(ani, ebook, hari=1)
    digital.antre(budi, ebook)
    digital.kembalikan(p)
    assert pemberitahuan.kirim_pemberitahuan() == {"digital_tersedia": 1}
    assert "E-book yang Anda tunggu tersedia" in mail.outbox[-1].subject
    assert "Pinjam di /anggota/" in mail.outbox[-1].body
    assert pemberitahuan.kirim_pemberitahuan() == {}
