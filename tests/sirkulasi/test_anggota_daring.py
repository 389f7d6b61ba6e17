"""Member self-service: activation, loans, online renewal and holds, profile, data."""

import json
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from dispusip.models import AuditLog
from katalog.models import Katalog
from sirkulasi import akun, services
from sirkulasi.models import Anggota, Reservasi
from sirkulasi.services import SirkulasiGagal

pytestmark = pytest.mark.django_db

SANDI = "Buku-Jakarta-2026"


@pytest.fixture(autouse=True)
def tanpa_batas(settings):
    settings.AKTIVASI_RATE = "0/60"


@pytest.fixture
def warga(buat_anggota):
    return buat_anggota(
        nama="Siti Rahma", tanggal_lahir=date(1990, 5, 17), email="siti@contoh.invalid"
    )


def _kode_dari_email() -> str:
    import re

    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_aktivasi_lewat_email_lalu_masuk_dengan_nomor(client, warga):
    with pytest.raises(SirkulasiGagal, match="tidak cocok"):
        akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 18))
    assert akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 17)) == "email"
    assert mail.outbox[-1].to == ["siti@contoh.invalid"]
    kode = _kode_dari_email()
    with pytest.raises(SirkulasiGagal, match="salah"):
        akun.aktifkan(
            warga.nomor, date(1990, 5, 17), "000000" if kode != "000000" else "111111", SANDI
        )
    pengguna = akun.aktifkan(warga.nomor, date(1990, 5, 17), kode, SANDI)
    warga.refresh_from_db()
    assert warga.akun == pengguna and not pengguna.adalah_staf
    with pytest.raises(SirkulasiGagal, match="sudah aktif"):
        akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 17))
    # Members log in with their number and land on their own page.
    r = client.post(reverse("login"), {"username": warga.nomor, "password": SANDI})
    assert r.status_code == 302
    assert client.get(r["Location"]).url == reverse("anggota:beranda")


def test_kode_terkunci_setelah_lima_kali_salah(warga):
    akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 17))
    kode = _kode_dari_email()
    salah = "000000" if kode != "000000" else "111111"
    for _ in range(akun.MAKS_PERCOBAAN):
        with pytest.raises(SirkulasiGagal, match="salah"):
            akun.aktifkan(warga.nomor, date(1990, 5, 17), salah, SANDI)
    with pytest.raises(SirkulasiGagal, match="tidak berlaku lagi"):
        akun.aktifkan(warga.nomor, date(1990, 5, 17), kode, SANDI)


def test_tanpa_email_diarahkan_ke_meja_yang_memberi_kode(warga, staf_a, client):
    Anggota.objects.filter(pk=warga.pk).update(email="")
    warga.refresh_from_db()
    with pytest.raises(SirkulasiGagal, match="meja layanan"):
        akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 17))
    client.force_login(staf_a)
    r = client.post(
        reverse("sirkulasi:anggota_aksi", args=[warga.pk, "kode-aktivasi"]), follow=True
    )
    import re

    kode = re.search(r"Kode aktivasi (\d{6})", r.content.decode()).group(1)
    akun.aktifkan(warga.nomor, date(1990, 5, 17), kode, SANDI)
    assert AuditLog.objects.filter(action="anggota.kode_aktivasi").exists()


def test_kata_sandi_lemah_ditolak(warga):
    from django.core.exceptions import ValidationError

    akun.kirim_kode_aktivasi(warga.nomor, date(1990, 5, 17))
    with pytest.raises(ValidationError):
        akun.aktifkan(warga.nomor, date(1990, 5, 17), _kode_dari_email(), "123")
    assert Anggota.objects.get(pk=warga.pk).akun is None


def test_alur_aktivasi_lewat_layar(client, warga):
    r = client.post(
        reverse("anggota:aktivasi"), {"nomor": warga.nomor, "tanggal_lahir": "1990-05-17"}
    )
    assert r.url == reverse("anggota:aktivasi_kode")
    data = {"kode": _kode_dari_email(), "kata_sandi1": SANDI, "kata_sandi2": "lain"}
    assert "tidak sama" in client.post(r.url, data).content.decode()
    data["kata_sandi2"] = SANDI
    r = client.post(reverse("anggota:aktivasi_kode"), data, follow=True)
    assert "Akses daring aktif" in r.content.decode()


@pytest.fixture
def masuk_warga(client, warga):
    from dispusip.models import Pengguna

    pengguna = Pengguna.objects.create_user(username=f"anggota-{warga.pk}", password=SANDI)
    warga.akun = pengguna
    warga.save()
    client.force_login(pengguna)
    return client


def test_halaman_anggota_menampilkan_pinjaman_dan_memperpanjang(
    masuk_warga, warga, buat_eksemplar, meja
):
    (e,) = buat_eksemplar("Laskar pelangi", subjek=["Pendidikan"])
    p = services.pinjamkan(warga, e.barcode, **meja)
    html = masuk_warga.get(reverse("anggota:beranda")).content.decode()
    assert "Laskar pelangi" in html
    r = masuk_warga.post(reverse("anggota:perpanjang", args=[p.pk]), follow=True)
    assert "Diperpanjang" in r.content.decode()
    r = masuk_warga.post(reverse("anggota:perpanjang", args=[p.pk]), follow=True)
    assert "batasnya 1" in r.content.decode()


def test_reservasi_daring_dan_batal(masuk_warga, warga, buat_eksemplar, buat_anggota, meja, cabang):
    (e,) = buat_eksemplar()
    services.pinjamkan(buat_anggota(nama="Budi"), e.barcode, **meja)
    k = Katalog.objects.get(pk=e.katalog_id)
    # The OPAC record page offers the hold (the catalogue knows nothing of circulation).
    assert (
        reverse("anggota:reservasi", args=[k.pk])
        in masuk_warga.get(k.get_absolute_url()).content.decode()
    )
    r = masuk_warga.post(
        reverse("anggota:reservasi", args=[k.pk]),
        {"cabang_ambil": cabang["cikini"].pk},
        follow=True,
    )
    assert "antrean ke-1" in r.content.decode()
    hold = Reservasi.objects.get(anggota=warga)
    assert hold.cabang_ambil == cabang["cikini"]
    r = masuk_warga.post(
        reverse("anggota:reservasi", args=[k.pk]), {"cabang_ambil": cabang["cikini"].pk}
    )
    assert "sudah mereservasi" in r.content.decode()
    masuk_warga.post(reverse("anggota:batal_reservasi", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == Reservasi.Status.BATAL


def test_anggota_lain_tidak_dapat_menyentuh_pinjaman_orang(
    masuk_warga, buat_anggota, buat_eksemplar, meja
):
    (e,) = buat_eksemplar()
    p = services.pinjamkan(buat_anggota(nama="Budi"), e.barcode, **meja)
    assert masuk_warga.post(reverse("anggota:perpanjang", args=[p.pk])).status_code == 404


def test_staf_bukan_anggota(client, staf_a, kategori_anggota):
    client.force_login(staf_a)
    assert client.get(reverse("anggota:beranda")).status_code == 403


def test_profil_kontak_dan_unduh_data(masuk_warga, warga, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    services.pinjamkan(warga, e.barcode, **meja)
    r = masuk_warga.post(
        reverse("anggota:profil"), {"telepon": "081234", "email": "bukan-email", "alamat": "x"}
    )
    assert "alamat email yang valid" in r.content.decode()
    masuk_warga.post(
        reverse("anggota:profil"),
        {"telepon": "081234567", "email": "baru@contoh.invalid", "alamat": "Jl. Cikini"},
    )
    warga.refresh_from_db()
    assert warga.email == "baru@contoh.invalid" and warga.akun.email == "baru@contoh.invalid"
    r = masuk_warga.get(reverse("anggota:unduh_data"))
    data = json.loads(r.content)
    assert data["profil"]["nomor"] == warga.nomor
    assert data["peminjaman"][0]["barcode"] == e.barcode


def test_rekomendasi_mengikuti_profil_dan_tidak_mengulang(
    warga, buat_anggota, buat_eksemplar, meja
):
    from sirkulasi import selectors

    (pernah,) = buat_eksemplar("Sejarah Batavia", subjek=["Sejarah Jakarta"])
    buat_eksemplar("Kota tua Jakarta", subjek=["Sejarah Jakarta"])
    (lain,) = buat_eksemplar("Resep masakan Betawi", subjek=["Masakan"])
    services.pinjamkan(warga, pernah.barcode, **meja)
    teman = buat_anggota(nama="Teman sekategori")
    services.pinjamkan(teman, lain.barcode, **meja)
    saran = selectors.rekomendasi(warga)
    assert [k.judul for k in saran["subjek"]] == ["Kota tua Jakarta"]
    assert [k.judul for k in saran["populer"]] == ["Resep masakan Betawi"]
    assert "Sejarah Batavia" not in [k.judul for k in saran["baru"]]
    # A title the member has on hold is not suggested either.
    services.reservasi(
        warga, Katalog.objects.get(judul="Kota tua Jakarta"), cabang_ambil=meja["cabang"]
    )
    assert selectors.rekomendasi(warga)["subjek"] == []
