"""Cataloguing screens through the test client: access, forms, errors in Indonesian."""

import re

import pytest

from dispusip.models import AuditLog
from katalog.models import Eksemplar, Katalog, StatusEksemplar

pytestmark = pytest.mark.django_db

FORM = {
    "jenis": "monograf",
    "judul": "Ronggeng Dukuh Paruk",
    "pernyataan_tanggung_jawab": "Ahmad Tohari",
    "pengarang": "Tohari, Ahmad\nDamono, Sapardi ; penyunting",
    "tempat_terbit": "Jakarta",
    "penerbit": "Gramedia Pustaka Utama",
    "tahun_terbit": "2011",
    "isbn": "978-979-22-2845-8",
    "nomor_panggil": "899.221 3 TOH r",
    "bahasa": "ind",
    "subjek": "Fiksi Indonesia\nBanyumas -- Fiksi",
}


@pytest.fixture
def katalogis(client, rekan_a, kategori):
    client.force_login(rekan_a)
    return client


def test_akses_layar_katalog(client, staf_a, anggota, kategori):
    assert client.get("/staf/katalog/").status_code == 302  # to the login page
    client.force_login(anggota)
    assert client.get("/staf/katalog/").status_code == 403
    client.force_login(staf_a)  # circulation staff may look, not catalogue
    assert client.get("/staf/katalog/").status_code == 200
    assert client.get("/staf/katalog/baru/").status_code == 403


def test_membuat_rekaman_lewat_formulir(katalogis):
    r = katalogis.post("/staf/katalog/baru/", FORM)
    k = Katalog.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/staf/katalog/{k.pk}/"
    assert k.pengarang == [
        {"nama": "Tohari, Ahmad", "peran": "pengarang"},
        {"nama": "Damono, Sapardi", "peran": "penyunting"},
    ]
    assert k.subjek == ["Fiksi Indonesia", "Banyumas -- Fiksi"] and k.tahun == 2011
    assert (
        katalogis.get("/opac/", {"q": "ronggeng"}).content.decode().count("Ronggeng Dukuh Paruk")
        >= 1
    )


def test_isbn_salah_ditolak_kecuali_dengan_pengecualian(katalogis):
    salah = dict(FORM, isbn="978-979-22-2845-9")
    body = katalogis.post("/staf/katalog/baru/", salah).content.decode()
    assert "Digit pemeriksa ISBN “978-979-22-2845-9” salah." in body
    assert not Katalog.objects.exists()
    r = katalogis.post("/staf/katalog/baru/", dict(salah, abaikan_validasi="on"))
    assert r.status_code == 302 and Katalog.objects.get().isbn == "978-979-22-2845-9"


def test_peringatan_duplikat(katalogis):
    katalogis.post("/staf/katalog/baru/", FORM)
    lagi = dict(FORM, isbn="")
    body = katalogis.post("/staf/katalog/baru/", lagi).content.decode()
    assert "peringatan-duplikat" in body and Katalog.objects.count() == 1
    r = katalogis.post("/staf/katalog/baru/", dict(lagi, tetap_simpan="on"))
    assert r.status_code == 302 and Katalog.objects.count() == 2


def test_sunting_dan_salin(katalogis, buat_rekaman):
    k = buat_rekaman("Judul lama", tahun_terbit="2001")
    body = katalogis.get(f"/staf/katalog/{k.pk}/ubah/").content.decode()
    assert 'value="Judul lama"' in body
    r = katalogis.post(f"/staf/katalog/{k.pk}/ubah/", dict(FORM, judul="Judul baru"))
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.judul == "Judul baru" and AuditLog.objects.filter(action="katalog.ubah").exists()
    body = katalogis.get(f"/staf/katalog/{k.pk}/salin/").content.decode()
    assert "disalin dari" in body and 'value="Judul baru"' in body
    r = katalogis.post(
        f"/staf/katalog/{k.pk}/salin/",
        dict(FORM, judul="Judul baru", tahun_terbit="2020", tetap_simpan="on"),
    )
    assert r.status_code == 302 and Katalog.objects.count() == 2


def test_editor_marc(katalogis, buat_rekaman):
    k = buat_rekaman("Judul")
    body = katalogis.get(f"/staf/katalog/{k.pk}/marc/").content.decode()
    assert "=245  10$aJudul" in body
    teks = "=245  10$aJudul MARC\n=856  40$uhttps://contoh.invalid/x\nrusak\n"
    body = katalogis.post(f"/staf/katalog/{k.pk}/marc/", {"teks": teks}).content.decode()
    assert "Baris 3: harus berbentuk" in body
    r = katalogis.post(f"/staf/katalog/{k.pk}/marc/", {"teks": teks.replace("rusak\n", "")})
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.judul == "Judul MARC"
    # The form edit keeps the 856 it does not model.
    katalogis.post(f"/staf/katalog/{k.pk}/ubah/", dict(FORM, judul="Judul form"))
    k.refresh_from_db()
    assert any("856" in f for f in k.marc["fields"]) and k.judul == "Judul form"


def test_tambah_pindah_dan_siangi_eksemplar(katalogis, buat_rekaman, cabang, kategori):
    k = buat_rekaman("Judul")
    ta = cabang["jakpus-tanah-abang"]
    r = katalogis.post(
        f"/staf/katalog/{k.pk}/eksemplar/tambah/",
        {
            "cabang": ta.pk,
            "kategori": kategori["umum"].pk,
            "jumlah": 3,
            "sumber": "beli",
            "harga": "75000",
        },
    )
    assert r.status_code == 302 and "baru=" in r["Location"]
    items = list(Eksemplar.objects.order_by("barcode"))
    assert len(items) == 3 and all(e.cabang == ta for e in items)
    # Another unit's branch is not offered.
    r = katalogis.post(
        f"/staf/katalog/{k.pk}/eksemplar/tambah/",
        {
            "cabang": cabang["cikini"].pk,
            "kategori": kategori["umum"].pk,
            "jumlah": 1,
            "sumber": "beli",
        },
    )
    assert r.status_code == 200 and "Masukkan pilihan yang valid" in r.content.decode()
    body = katalogis.get(f"/staf/katalog/{k.pk}/").content.decode()
    assert all(e.barcode in body for e in items)
    label = katalogis.get(f"/staf/katalog/{k.pk}/label/?id={items[0].pk}").content.decode()
    assert label.count("<svg") == 1 and items[0].nomor_induk in label
    r = katalogis.post(f"/staf/katalog/eksemplar/{items[0].pk}/tarik/", {"alasan": ""}, follow=True)
    assert "Tuliskan alasan penyiangan." in r.content.decode()
    katalogis.post(f"/staf/katalog/eksemplar/{items[0].pk}/tarik/", {"alasan": "Rusak"})
    katalogis.post(f"/staf/katalog/eksemplar/{items[1].pk}/hilang/")
    statuses = dict(Eksemplar.objects.values_list("pk", "status"))
    assert (
        statuses[items[0].pk] == StatusEksemplar.DIHAPUS
        and statuses[items[1].pk] == StatusEksemplar.HILANG
    )
    r = katalogis.post(f"/staf/katalog/{k.pk}/eksemplar/pindah/", {"cabang": ta.pk}, follow=True)
    assert "Pilih dulu eksemplar" in r.content.decode()


def test_pindah_lintas_unit_oleh_administrator(
    client, admin_dispusip, buat_rekaman, cabang, kategori
):
    from katalog import services

    k = buat_rekaman("Judul")
    items = services.tambah_eksemplar(
        k,
        cabang=cabang["jakpus-tanah-abang"],
        kategori=kategori["umum"],
        jumlah=2,
        oleh=admin_dispusip,
    )
    client.force_login(admin_dispusip)
    r = client.post(
        f"/staf/katalog/{k.pk}/eksemplar/pindah/",
        {"eksemplar": [items[0].pk], "cabang": cabang["cikini"].pk, "alasan": "Rotasi koleksi"},
        follow=True,
    )
    assert "1 eksemplar dipindahkan" in r.content.decode()
    assert Eksemplar.objects.get(pk=items[0].pk).cabang == cabang["cikini"]


def test_pindai_barcode_membuka_rekaman(katalogis, buat_rekaman, cabang, kategori):
    from katalog import services

    k = buat_rekaman("Judul")
    (e,) = services.tambah_eksemplar(
        k, cabang=cabang["jakpus-tanah-abang"], kategori=kategori["umum"], jumlah=1, oleh=None
    )
    r = katalogis.get("/staf/katalog/", {"q": e.barcode})
    assert r.status_code == 302 and r["Location"] == f"/staf/katalog/{k.pk}/"
    body = katalogis.get("/staf/katalog/", {"q": "judul"}).content.decode()
    assert re.search(r"1 \(1\)", body)


def test_lampirkan_sumber_digital(katalogis, buat_rekaman, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    k = buat_rekaman("Judul")
    berkas = SimpleUploadedFile("buku.pdf", b"%PDF-1.4", content_type="application/pdf")
    katalogis.post(
        f"/staf/katalog/{k.pk}/digital/", {"judul": "PDF", "akses": "anggota", "berkas": berkas}
    )
    sd = k.sumber_digital.get()
    assert sd.jenis_isi == "application/pdf" and sd.ukuran == 8
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    r = katalogis.post(
        f"/staf/katalog/{k.pk}/digital/",
        {"judul": "X", "akses": "terbuka", "berkas": exe},
        follow=True,
    )
    assert "Jenis berkas tidak diterima" in r.content.decode() and k.sumber_digital.count() == 1
    r = katalogis.post(
        f"/staf/katalog/{k.pk}/digital/",
        {"judul": "Tautan", "akses": "terbuka", "tautan": "https://contoh.invalid/e"},
    )
    assert k.sumber_digital.count() == 2


def test_ubah_rincian_eksemplar(katalogis, client, orang_luar, buat_rekaman, cabang, kategori):
    from katalog import services
    from katalog.models import Lokasi

    k = buat_rekaman("Judul")
    (e,) = services.tambah_eksemplar(
        k, cabang=cabang["jakpus-tanah-abang"], kategori=kategori["umum"], jumlah=1, oleh=None
    )
    rak = Lokasi.objects.create(cabang=cabang["jakpus-tanah-abang"], nama="Referensi Lt. 2")
    r = katalogis.post(
        f"/staf/katalog/eksemplar/{e.pk}/ubah/",
        {
            "lokasi": rak.pk,
            "kategori": kategori["referensi"].pk,
            "sumber": "hadiah",
            "harga": "",
            "nomor_panggil": "R 959.8 SEJ",
        },
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.lokasi, e.kategori, e.sumber, e.nomor_panggil) == (
        rak,
        kategori["referensi"],
        "hadiah",
        "R 959.8 SEJ",
    )
    log = AuditLog.objects.get(action="eksemplar.ubah")
    assert log.after["kategori"] == "Koleksi Referensi" and log.before["kategori"] == "Koleksi Umum"
    k.refresh_from_db()
    assert k.kategori_koleksi == [kategori["referensi"].pk]
    rak_lain = Lokasi.objects.create(cabang=cabang["cikini"], nama="Lt. 4")
    r = katalogis.post(
        f"/staf/katalog/eksemplar/{e.pk}/ubah/",
        {"lokasi": rak_lain.pk, "kategori": kategori["umum"].pk, "sumber": "beli"},
    )
    assert r.status_code == 200 and "Masukkan pilihan yang valid" in r.content.decode()
    client.force_login(orang_luar)
    assert client.get(f"/staf/katalog/eksemplar/{e.pk}/ubah/").status_code == 403


def test_sembunyikan_dan_tampilkan_di_opac(katalogis, client, buat_rekaman):
    k = buat_rekaman("Arsip internal")
    r = katalogis.post(f"/staf/katalog/{k.pk}/opac/", {"tampil": "0"}, follow=True)
    assert "disembunyikan dari OPAC" in r.content.decode()
    assert client.get(f"/opac/{k.pk}/").status_code == 404
    katalogis.post(f"/staf/katalog/{k.pk}/opac/", {"tampil": "1"})
    assert client.get(f"/opac/{k.pk}/").status_code == 200


def test_editor_marc_menolak_nilai_terlalu_panjang(katalogis, buat_rekaman):
    k = buat_rekaman("Judul")
    teks = f"=245  10$aJudul\n=264  \\1$aJakarta :$b{'P' * 300}\n"
    r = katalogis.post(f"/staf/katalog/{k.pk}/marc/", {"teks": teks})
    assert (
        r.status_code == 200
        and "Penerbit terlalu panjang: 300 karakter, paling banyak 255." in r.content.decode()
    )
