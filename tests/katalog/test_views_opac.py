"""The public OPAC, the JSON API, e-resources and crawler protection, through the test client."""

import os
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from katalog import services
from katalog.models import StatusEksemplar, SumberDigital

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tanpa_batas(settings):
    """No rate limits, except in the tests of the limits (each from its own address)."""
    settings.OPAC_RATE = settings.OPAC_API_RATE = "0/60"


@pytest.fixture
def koleksi(buat_rekaman, cabang, kategori, admin_dispusip):
    a = buat_rekaman("Sejarah Jakarta", tahun_terbit="2016", subjek=["Jakarta -- Sejarah"],
                     pengarang=[("Heuken, Adolf", "pengarang")], isbn=["978-979-22-2845-8"],
                     nomor_panggil="959.822 HEU s", penerbit="Cipta Loka Caraka", tempat_terbit="Jakarta")  # fmt: skip
    b = buat_rekaman(
        "Sejarah Betawi", subjek=["Betawi"], pengarang=[("Saidi, Ridwan", "pengarang")]
    )
    services.tambah_eksemplar(
        a, cabang=cabang["cikini"], kategori=kategori["umum"], jumlah=1, oleh=admin_dispusip
    )
    (dipinjam,) = services.tambah_eksemplar(
        a,
        cabang=cabang["jakpus-tanah-abang"],
        kategori=kategori["umum"],
        jumlah=1,
        oleh=admin_dispusip,
    )
    services.ubah_status(
        dipinjam, StatusEksemplar.DIPINJAM, jatuh_tempo=date(2026, 12, 3), audit=False
    )
    return a, b


def test_opac_tanpa_login_dengan_facet(client, koleksi, cabang):
    r = client.get("/opac/", {"q": "sejarah"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "2 hasil" in body and "Sejarah Jakarta" in body and "Sejarah Betawi" in body
    assert cabang["cikini"].nama in body  # branch facet
    assert 'name="robots" content="noindex' in body
    r = client.get("/opac/", {"q": "sejarah", "cabang": cabang["cikini"].pk, "tersedia": "1"})
    body = r.content.decode()
    assert "1 hasil" in body and "Sejarah Betawi" not in body
    assert "Ada di rak sekarang" in body  # the active-filter badge


def test_baris_hasil_menunjukkan_terbitan_dan_ketersediaan(client, koleksi):
    a, b = koleksi
    body = client.get("/opac/", {"q": "sejarah"}).content.decode()
    # "Sejarah Jakarta": place, publisher and year; one copy on the shelf, one on loan.
    assert f'href="/opac/{a.pk}/"' in body and f'href="/opac/{b.pk}/"' in body
    assert "Jakarta: Cipta Loka Caraka, 2016" in body
    assert "Ada di rak di 1 cabang" in body
    # "Sejarah Betawi" has no copies yet.
    assert "Belum ada eksemplar" in body
    client.cookies["django_language"] = "en"
    body = client.get("/opac/", {"q": "sejarah"}).content.decode()
    assert "On the shelf at 1 branch" in body and "No copies yet" in body


@pytest.mark.parametrize("perkiraan", [None, 123_456])  # counted, and too many to count
def test_halaman_hasil_membaca_kolom_daftar_saja(client, koleksi, monkeypatch, perkiraan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from katalog import pencarian

    if perkiraan:
        monkeypatch.setattr(pencarian, "perkiraan", lambda sql, params: perkiraan)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/opac/", {"q": "sejarah"}).content.decode()
    assert "Jakarta: Cipta Loka Caraka, 2016" in body
    (halaman,) = [q["sql"] for q in ctx.captured_queries if '"pengarang_teks"' in q["sql"]]
    assert '"catatan"' not in halaman and '"marc"' not in halaman
    # Nothing the row shows was left out: no record is read again for a deferred column.
    assert not [q for q in ctx.captured_queries if '"katalog_katalog"."id" = ' in q["sql"]]


@pytest.mark.parametrize(
    ("tempat", "penerbit", "tahun", "terbitan"),
    [
        ("Jakarta", "Gramedia", "2008", "Jakarta: Gramedia, 2008"),
        ("", "Gramedia", "2008", "Gramedia, 2008"),
        ("Jakarta", "Gramedia", "", "Jakarta: Gramedia"),
        ("Jakarta", "", "2008", "2008"),  # a place alone says nothing
        ("", "", "", ""),
    ],
)
def test_terbitan_seperti_di_daftar(tempat, penerbit, tahun, terbitan):
    from katalog.models import Katalog

    k = Katalog(tempat_terbit=tempat, penerbit=penerbit, tahun_terbit=tahun)
    assert k.terbitan == terbitan


def test_tautan_halaman_membawa_kueri_dan_saringan():
    from django.http import QueryDict

    from katalog import selectors

    tautan = selectors.tautan_halaman(3, 9, QueryDict("q=sejarah+jakarta&jenis=monograf&halaman=3"))
    nomor = [t["nomor"] if t else None for t in tautan]
    assert nomor == [1, 2, 3, 4, 5, None, 9]
    assert tautan[2] == {
        "nomor": 3,
        "url": "?q=sejarah+jakarta&jenis=monograf&halaman=3",
        "aktif": True,
    }
    assert not tautan[0]["aktif"]


def test_halaman_hasil_tanpa_kueri_berulang(client, koleksi):
    """Names of branches and categories come from the cache; a page of records never
    reads the MARC record or the search vector, nor any column later (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/opac/", {"q": "sejarah"})
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/opac/", {"q": "sejarah jakarta"})
    assert "Sejarah Jakarta" in r.content.decode() and "Monograf" in r.content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in sql if "dispusip_cabang" in q or "kategorikoleksi" in q]
    halaman = [q for q in sql if q.startswith('SELECT "katalog_katalog"."id"')]
    assert len(halaman) == 1 and '"marc"' not in halaman[0] and '"vektor"' not in halaman[0]
    assert len(sql) <= 5  # estimate, one pass, the page, and "did you mean" for few hits


def test_opac_tanpa_kueri_menampilkan_beranda_katalog(client, koleksi):
    r = client.get("/opac/")
    assert r.status_code == 200
    assert "Baru di katalog" in r.content.decode()


def test_halaman_rekaman_menunjukkan_cabang_dan_jatuh_tempo(client, koleksi, cabang):
    a, _b = koleksi
    r = client.get(f"/opac/{a.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert cabang["cikini"].nama in body and "1 di rak" in body
    assert cabang["jakpus-tanah-abang"].nama in body and "kembali 3 Des 2026" in body
    assert "959.822 HEU s" in body and "=245  10$aSejarah Jakarta" in body
    assert "Karya lain" not in body or "Heuken" in body


def test_halaman_rekaman_dalam_bahasa_inggris(client, koleksi):
    a, _b = koleksi
    client.cookies["django_language"] = "en"
    body = client.get(f"/opac/{a.pk}/").content.decode()
    assert "Availability" in body and "Ketersediaan" not in body


def test_saringan_berlebihan_dan_halaman_terlalu_dalam_ditolak(client, koleksi):
    r = client.get("/opac/", {"q": "sejarah", "halaman": 51})
    assert r.status_code == 400 and "50 halaman pertama" in r.content.decode()
    r = client.get("/opac/", {"q": "sejarah", "topik": [f"t{i}" for i in range(9)]})
    assert r.status_code == 400 and "Paling banyak 8" in r.content.decode()


def test_saran_ketik_htmx(client, koleksi):
    r = client.get("/opac/saran/", {"q": "seja"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Sejarah Jakarta" in r.content.decode()


def test_kutipan_dan_marc(client, koleksi):
    a, _b = koleksi
    ris = client.get(f"/opac/{a.pk}/kutipan.ris").content.decode()
    assert (
        "TY  - BOOK" in ris
        and "AU  - Heuken, Adolf" in ris
        and "PY  - 2016" in ris
        and ris.endswith("ER  - \r\n")
    )
    bib = client.get(f"/opac/{a.pk}/kutipan.bib").content.decode()
    assert bib.startswith("@book{heuken2016sejarah,") and "author = {Heuken, Adolf}" in bib
    xml = client.get(f"/opac/{a.pk}/marc.xml")
    assert xml["Content-Type"] == "application/marcxml+xml"
    assert b"<record" in xml.content or b"<marc:record" in xml.content
    assert client.get(f"/opac/{a.pk}/marc.mrc").content.endswith(b"\x1d")


def test_robots_menjauhkan_perayap_dari_permutasi_pencarian(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /opac/?" in body and "Disallow: /api/" in body and "Disallow: /staf/" in body


def test_api_json_dengan_facet(client, koleksi, cabang):
    r = client.get("/api/v1/katalog/", {"q": "sejarah", "jenis": "monograf"})
    data = r.json()
    assert r.status_code == 200 and data["total"] == 2 and data["total_pasti"] is True
    assert {h["judul"] for h in data["hasil"]} == {"Sejarah Jakarta", "Sejarah Betawi"}
    jakarta = next(h for h in data["hasil"] if h["judul"] == "Sejarah Jakarta")
    assert jakarta["tersedia_di"] == [cabang["cikini"].nama]
    assert {"nilai": str(cabang["cikini"].pk), "label": cabang["cikini"].nama, "jumlah": 1} in data[
        "facet"
    ]["cabang"]
    detail = client.get(f"/api/v1/katalog/{jakarta['id']}/").json()
    assert {e["status"] for e in detail["eksemplar"]} == {"tersedia", "dipinjam"}
    assert client.get("/api/v1/katalog/", {"halaman": 99}).status_code == 400
    assert (
        client.get("/api/v1/katalog/saran/", {"q": "betaw"}).json()["saran"][0]["teks"] == "Betawi"
    )


@override_settings(OPAC_API_RATE="3/3600")  # an hour: the window cannot roll over mid-test
def test_api_dibatasi_per_klien(client, koleksi):
    dari = {"REMOTE_ADDR": f"10.1.{os.getpid() % 250}.1"}
    for _ in range(3):
        assert client.get("/api/v1/katalog/", {"q": "sejarah"}, **dari).status_code == 200
    r = client.get("/api/v1/katalog/", {"q": "sejarah"}, **dari)
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1
    assert "Terlalu banyak permintaan" in r.json()["galat"]
    # Another client is not affected.
    assert (
        client.get("/api/v1/katalog/", {"q": "sejarah"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    )


@override_settings(OPAC_RATE="1/3600")
def test_halaman_opac_juga_dibatasi(client, koleksi):
    dari = {"REMOTE_ADDR": f"10.2.{os.getpid() % 250}.1"}
    assert client.get("/opac/", {"q": "a"}, **dari).status_code == 200
    r = client.get("/opac/", {"q": "b"}, **dari)
    assert r.status_code == 429 and "Coba lagi dalam" in r.content.decode()


@pytest.fixture
def digital(koleksi, media_root):
    a, _b = koleksi
    terbuka = SumberDigital(
        katalog=a, judul="Versi PDF", akses="terbuka", jenis_isi="application/pdf"
    )
    terbuka.berkas.save("sejarah.pdf", ContentFile(b"%PDF-1.4 isi"), save=True)
    anggota = SumberDigital(katalog=a, judul="Buku audio", akses="anggota", jenis_isi="audio/mpeg")
    anggota.berkas.save("sejarah.mp3", ContentFile(b"ID3 audio"), save=True)
    return terbuka, anggota


def test_sumber_digital_terbuka_dan_khusus_anggota(client, digital, anggota):
    terbuka, khusus = digital
    r = client.get(terbuka.get_absolute_url())
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content) == b"%PDF-1.4 isi"
    r = client.get(khusus.get_absolute_url())
    assert r.status_code == 302 and r["Location"].startswith("/akun/masuk/?next=")
    client.force_login(anggota)
    r = client.get(khusus.get_absolute_url())
    assert r.status_code == 200 and r["Content-Type"] == "audio/mpeg"
    assert r["Cache-Control"] == "private, no-store"
    assert client.get(f"/opac/{khusus.katalog_id + 999}/digital/{khusus.pk}/").status_code == 404


def test_rekaman_tersembunyi_tidak_tampil(client, koleksi):
    a, _b = koleksi
    a.tampil_opac = False
    a.save(update_fields=["tampil_opac"])
    assert client.get(f"/opac/{a.pk}/").status_code == 404
    assert "Sejarah Jakarta" not in client.get("/opac/", {"q": "sejarah"}).content.decode()
