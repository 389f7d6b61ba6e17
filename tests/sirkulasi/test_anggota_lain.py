"""Rules screen, member cards, online pre-registration, merging duplicates."""

from datetime import date

import pytest
from django.urls import reverse

from dispusip.models import AuditLog, Pengguna
from sirkulasi import services
from sirkulasi.models import Anggota, AturanPeminjaman, Denda, Kunjungan, Peminjaman, Reservasi
from sirkulasi.services import SirkulasiGagal

pytestmark = pytest.mark.django_db


def test_layar_aturan_menunjukkan_yang_berlaku(
    client, staf_a, buat_anggota, buat_eksemplar, kategori_anggota
):
    AturanPeminjaman.objects.create(kategori_anggota=kategori_anggota["mahasiswa"], lama_pinjam=14)
    mhs = buat_anggota(kategori="mahasiswa")
    (e,) = buat_eksemplar()
    client.force_login(staf_a)
    r = client.get(reverse("sirkulasi:aturan"))
    assert r.status_code == 200 and "Mahasiswa" in r.content.decode()
    r = client.get(
        reverse("sirkulasi:aturan"),
        {"anggota": mhs.nomor, "barcode": e.barcode, "cabang": staf_a.cabang_id},
    )
    html = r.content.decode()
    assert "14 hari, maks. 3 eksemplar" in html
    assert "1 aturan lain juga cocok" in html
    r = client.get(
        reverse("sirkulasi:aturan"),
        {"anggota": "x", "barcode": e.barcode, "cabang": staf_a.cabang_id},
    )
    assert "tidak dikenal" in r.content.decode()


def test_kartu_anggota_berisi_barcode_dan_qr(client, staf_a, buat_anggota):
    a, b = buat_anggota(nama="Ani"), buat_anggota(nama="Budi")
    client.force_login(staf_a)
    html = client.get(reverse("sirkulasi:kartu"), {"id": [a.pk, b.pk]}).content.decode()
    assert html.count('class="kartu"') == 2
    assert a.nomor in html and b.nomor in html
    assert html.count("<svg") >= 4  # a barcode and a QR code per card
    r = client.get(reverse("sirkulasi:kartu"), follow=True)
    assert "Pilih anggota" in r.content.decode()


def test_pra_daftar_daring_lalu_verifikasi(client, settings, kategori_anggota, cabang, staf_a):
    settings.AKTIVASI_RATE = "0/60"
    data = {
        "nama": "Rina Kusuma", "jenis_identitas": "ktp", "nomor_identitas": "3171999988887777",
        "tanggal_lahir": "1995-03-04", "jenis_kelamin": "P", "telepon": "", "email": "",
        "kategori": kategori_anggota["umum"].pk, "cabang": cabang["jakpus-tanah-abang"].pk,
    }  # fmt: skip
    html = client.post(reverse("anggota:pra_daftar"), data).content.decode()
    assert "nomor HP atau email" in html
    data["telepon"] = "081299998888"
    html = client.post(reverse("anggota:pra_daftar"), data).content.decode()
    a = Anggota.objects.get()
    assert a.nomor in html and a.status == "pra_daftar"
    html = client.post(reverse("anggota:pra_daftar"), data).content.decode()
    assert "sudah dipakai anggota lain" in html
    client.force_login(staf_a)
    client.post(reverse("sirkulasi:anggota_aksi", args=[a.pk, "verifikasi"]))
    a.refresh_from_db()
    assert a.status == "aktif"


def test_gabung_duplikat_memindahkan_semua_dan_nomor_lama_tetap_terbaca(
    buat_anggota, buat_eksemplar, meja, client, staf_a
):
    from katalog.models import Katalog

    utama = buat_anggota(nama="Siti Rahma", tanggal_lahir=date(1990, 5, 17))
    duplikat = buat_anggota(
        nama="siti rahma", tanggal_lahir=date(1990, 5, 17), email="siti@contoh.invalid"
    )
    lain = buat_anggota(nama="Orang lain", tanggal_lahir=date(1990, 5, 17))
    assert list(services.calon_duplikat(utama)) == [duplikat]
    (e1,) = buat_eksemplar("Laskar pelangi")
    (e2,) = buat_eksemplar("Bumi manusia")
    services.pinjamkan(duplikat, e1.barcode, **meja)
    services.pinjamkan(lain, e2.barcode, **meja)
    k = Katalog.objects.get(pk=e2.katalog_id)
    services.reservasi(utama, k, cabang_ambil=meja["cabang"])
    services.reservasi(duplikat, k, cabang_ambil=meja["cabang"])  # the same title twice
    Denda.objects.create(anggota=duplikat, jenis="lainnya", jumlah=2000, cabang=meja["cabang"])
    services.catat_kunjungan(**meja, kode_anggota=duplikat.nomor)
    akun = Pengguna.objects.create_user(username="anggota-dup", password="x-Sandi-2026")
    Anggota.objects.filter(pk=duplikat.pk).update(akun=akun)

    client.force_login(staf_a)
    html = client.get(reverse("sirkulasi:anggota_detail", args=[utama.pk])).content.decode()
    assert f"Gabungkan {duplikat.nomor}" in html
    client.post(reverse("sirkulasi:anggota_gabung", args=[utama.pk, duplikat.pk]))

    assert not Anggota.objects.filter(pk=duplikat.pk).exists()
    utama.refresh_from_db()
    assert utama.email == "siti@contoh.invalid" and utama.akun == akun
    assert Peminjaman.objects.get(eksemplar=e1).anggota == utama
    assert services.total_tunggakan(utama) == 2000
    assert Kunjungan.objects.get().anggota == utama
    assert Reservasi.objects.aktif().filter(anggota=utama).count() == 1
    assert services.cari_anggota(duplikat.nomor) == utama
    assert AuditLog.objects.filter(action="anggota.gabung").exists()
    with pytest.raises(SirkulasiGagal, match="berbeda"):
        services.gabungkan_anggota(utama, utama, oleh=staf_a)


def test_reservasi_di_meja_dan_mendahulukan_dengan_alasan(
    client, staf_a, buat_anggota, buat_eksemplar, meja, cabang
):
    (e,) = buat_eksemplar()
    services.pinjamkan(buat_anggota(nama="Peminjam"), e.barcode, **meja)
    ani, budi = buat_anggota(nama="Ani"), buat_anggota(nama="Budi")
    client.force_login(staf_a)
    for a in (ani, budi):
        r = client.post(
            reverse("sirkulasi:meja_reservasi", args=[a.pk]),
            {"judul": e.barcode, "cabang_ambil": cabang["jakpus-tanah-abang"].pk},
            follow=True,
        )
        assert "Reservasi Laskar pelangi dicatat" in r.content.decode()
    r = client.post(
        reverse("sirkulasi:meja_reservasi", args=[ani.pk]),
        {"judul": "TIDAKADA", "cabang_ambil": cabang["jakpus-tanah-abang"].pk},
        follow=True,
    )
    assert "Tidak ada eksemplar atau nomor kontrol" in r.content.decode()
    budi_hold = Reservasi.objects.get(anggota=budi)
    url = reverse("sirkulasi:antrean_reservasi", args=[budi_hold.katalog_id])
    r = client.post(url, {"reservasi": budi_hold.pk, "alasan": ""}, follow=True)
    assert "alasan mendahulukan" in r.content.decode()
    client.post(url, {"reservasi": budi_hold.pk, "alasan": "Tunanetra, perlu segera"})
    assert list(Reservasi.objects.antre().values_list("anggota__nama", flat=True)) == [
        "Budi",
        "Ani",
    ]
    assert AuditLog.objects.get(action="reservasi.utamakan").reason == "Tunanetra, perlu segera"
    # The copy, when it comes back, goes to Budi.
    hasil = services.kembalikan(e.barcode, **meja)
    assert hasil.reservasi.anggota == budi


def test_koleksi_mengambang_tinggal_di_cabang_pengembalian(
    buat_anggota, buat_eksemplar, meja, orang_luar, cabang, kategori
):
    from katalog.models import Katalog

    kategori["anak"].mengambang = True
    kategori["anak"].save()
    (e,) = buat_eksemplar("Kancil dan buaya", kat="anak")
    services.pinjamkan(buat_anggota(), e.barcode, **meja)
    barat = cabang["jakbar-tanjung-duren"]
    hasil = services.kembalikan(e.barcode, cabang=barat, oleh=orang_luar)
    assert hasil.transit is None and "mengambang" in hasil.catatan[0]
    e.refresh_from_db()
    assert e.cabang == barat and e.unit == barat.unit and e.status == "tersedia"
    assert Katalog.objects.get(pk=e.katalog_id).cabang_tersedia == [barat.pk]


def test_foto_anggota_hanya_untuk_staf(client, staf_a, anggota, kategori_anggota):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staf_a)
    foto = SimpleUploadedFile(
        "siti.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"
    )
    data = {"nama": "Siti", "kategori": kategori_anggota["umum"].pk, "foto": foto}
    r = client.post(reverse("sirkulasi:anggota_baru"), data, follow=True)
    a = Anggota.objects.get()
    assert a.foto and reverse("sirkulasi:anggota_foto", args=[a.pk]) in r.content.decode()
    r = client.get(reverse("sirkulasi:anggota_foto", args=[a.pk]))
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    client.force_login(anggota)
    assert client.get(reverse("sirkulasi:anggota_foto", args=[a.pk])).status_code == 403
