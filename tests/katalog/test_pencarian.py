"""Search behaviour. CI runs these a second time against the embedded PostgreSQL
(no contrib extensions), marker `pencarian`."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from katalog import pencarian, services
from katalog.models import StatusEksemplar
from katalog.pencarian import Kueri, cari

pytestmark = [pytest.mark.django_db, pytest.mark.pencarian]


def judul(hasil):
    return [k.judul for k in hasil.rekaman]


def test_judul_mengungguli_catatan(buat_rekaman):
    buat_rekaman("Catatan harian", catatan="Membahas perpustakaan desa")
    buat_rekaman("Perpustakaan desa")
    assert judul(cari(Kueri(q="perpustakaan"))) == ["Perpustakaan desa", "Catatan harian"]


def test_stemming_indonesia_membaca_dan_baca(buat_rekaman):
    buat_rekaman("Gemar membaca sejak dini")
    buat_rekaman("Belajar menulis")
    assert judul(cari(Kueri(q="baca"))) == ["Gemar membaca sejak dini"]
    assert judul(cari(Kueri(q="pembaca"))) == ["Gemar membaca sejak dini"]


def test_frasa_or_dan_pengecualian(buat_rekaman):
    buat_rekaman("Sejarah kota Jakarta")
    buat_rekaman("Kota tua dan sejarah")
    buat_rekaman("Kuliner Betawi")
    assert judul(cari(Kueri(q='"sejarah kota"'))) == ["Sejarah kota Jakarta"]
    assert set(judul(cari(Kueri(q="sejarah -jakarta")))) == {"Kota tua dan sejarah"}
    assert set(judul(cari(Kueri(q="jakarta OR betawi")))) == {
        "Sejarah kota Jakarta",
        "Kuliner Betawi",
    }


def test_kata_umum_dibuang_kecuali_hanya_itu(buat_rekaman):
    buat_rekaman("Anak dan perpustakaan")
    buat_rekaman("Dia yang pergi")
    assert pencarian.tanpa_kata_umum("sejarah dan budaya di jakarta") == "sejarah budaya jakarta"
    assert pencarian.tanpa_kata_umum('"anak dan perpustakaan"') == '"anak dan perpustakaan"'
    assert pencarian.tanpa_kata_umum("dan yang") == "dan yang"
    assert judul(cari(Kueri(q="perpustakaan dan"))) == ["Anak dan perpustakaan"]
    assert judul(cari(Kueri(q="dia yang"))) == ["Dia yang pergi"]


def test_isbn_10_menemukan_isbn_13_dan_sebaliknya(buat_rekaman):
    buat_rekaman("Ronggeng Dukuh Paruk", isbn=["978-979-22-2845-8"])
    buat_rekaman("Lain")
    from stdnum import isbn

    isbn10 = isbn.to_isbn10("9789792228458")
    assert judul(cari(Kueri(q=isbn10))) == ["Ronggeng Dukuh Paruk"]
    assert judul(cari(Kueri(q="978 979 22 2845 8"))) == ["Ronggeng Dukuh Paruk"]
    assert judul(cari(Kueri(isbn=isbn10))) == ["Ronggeng Dukuh Paruk"]


def test_nomor_panggil_awalan_dari_kiri(buat_rekaman):
    buat_rekaman("Novel", nomor_panggil="899.221 3 HIR l")
    buat_rekaman("Hukum", nomor_panggil="R 344.092 IND u")
    assert judul(cari(Kueri(nomor_panggil="899.2"))) == ["Novel"]
    assert judul(cari(Kueri(nomor_panggil="r 344"))) == ["Hukum"]
    assert judul(cari(Kueri(nomor_panggil="221"))) == []


def test_pencarian_per_ruas(buat_rekaman):
    buat_rekaman("Pramoedya dan zamannya", pengarang=[("Teeuw, A.", "pengarang")])
    buat_rekaman(
        "Bumi manusia", pengarang=[("Toer, Pramoedya Ananta", "pengarang")], penerbit="Hasta Mitra"
    )
    assert judul(cari(Kueri(pengarang="pramoedya"))) == ["Bumi manusia"]
    assert judul(cari(Kueri(judul="pramoedya"))) == ["Pramoedya dan zamannya"]
    assert judul(cari(Kueri(penerbit="hasta mitra"))) == ["Bumi manusia"]


def test_rentang_tahun_menjumlah_tahun_ke_rentangnya_terbaru_dulu():
    per_tahun = [("1969", 2), ("1970", 1), ("2019", 4), ("2020", 3), ("2025", 1), ("1995", 5)]
    assert pencarian._rentang_tahun(per_tahun) == [
        ("2020-", 4),
        ("2010-2019", 4),
        ("1990-1999", 5),
        ("1970-1989", 1),
        ("-1969", 2),
    ]


def test_facet_dan_saringan(buat_rekaman, rekan_a, admin_dispusip, cabang, kategori):
    a = buat_rekaman("Sejarah Jakarta", tahun_terbit="2015", subjek=["Jakarta -- Sejarah"])
    b = buat_rekaman("Sejarah Betawi", tahun_terbit="1985", bahasa="eng", subjek=["Betawi"])
    buat_rekaman("Sejarah peta", jenis="kartografi", tahun_terbit="2021")
    ta, cikini = cabang["jakpus-tanah-abang"], cabang["cikini"]
    services.tambah_eksemplar(a, cabang=ta, kategori=kategori["umum"], jumlah=2, oleh=rekan_a)
    (e,) = services.tambah_eksemplar(
        b, cabang=cikini, kategori=kategori["referensi"], jumlah=1, oleh=admin_dispusip
    )
    services.ubah_status(e, StatusEksemplar.DIPINJAM, jatuh_tempo=date(2026, 12, 1), audit=False)

    hasil = cari(Kueri(q="sejarah"))
    assert hasil.total == 3 and hasil.total_pasti
    f = hasil.facet
    assert dict(f["jenis"]) == {"monograf": 2, "kartografi": 1}
    assert dict(f["bahasa"]) == {"ind": 2, "eng": 1}
    assert dict(f["tahun"]) == {"2020-": 1, "2010-2019": 1, "1970-1989": 1}
    assert dict(f["cabang"]) == {str(ta.pk): 1, str(cikini.pk): 1}
    assert dict(f["kategori"]) == {str(kategori["umum"].pk): 1, str(kategori["referensi"].pk): 1}
    assert dict(f["tersedia"]) == {"ya": 1}
    assert ("Betawi", 1) in f["topik"]

    assert judul(cari(Kueri(q="sejarah", tersedia=True))) == ["Sejarah Jakarta"]
    assert judul(cari(Kueri(q="sejarah", cabang=[cikini.pk]))) == ["Sejarah Betawi"]
    assert judul(cari(Kueri(q="sejarah", cabang=[cikini.pk], tersedia=True))) == []
    assert judul(cari(Kueri(q="sejarah", jenis=["kartografi"]))) == ["Sejarah peta"]
    assert judul(cari(Kueri(q="sejarah", tahun=["2010-2019", "1970-1989"], urut="judul"))) == [
        "Sejarah Betawi",
        "Sejarah Jakarta",
    ]
    assert judul(cari(Kueri(q="sejarah", topik=["Betawi"]))) == ["Sejarah Betawi"]
    assert judul(cari(Kueri(q="sejarah", urut="terbaru"))) == [
        "Sejarah peta",
        "Sejarah Jakarta",
        "Sejarah Betawi",
    ]
    labels = pencarian.beri_label(f)
    assert (str(cikini.pk), cikini.nama, 1) in labels["cabang"]
    assert ("kartografi", "Kartografi", 1) in labels["jenis"]


def test_suntingan_langsung_dapat_dicari(buat_rekaman, rekan_a):
    from katalog import marc as marc_mod

    k = buat_rekaman("Judul lama")
    record = marc_mod.record_dari_json(k.marc)
    record["245"]["a"] = "Ondel-ondel Betawi"
    services.simpan_marc(record, oleh=rekan_a, katalog=k)
    assert judul(cari(Kueri(q="ondel"))) == ["Ondel-ondel Betawi"]
    assert judul(cari(Kueri(q="lama"))) == []


def test_mungkin_maksud_anda_dari_kosakata_katalog(buat_rekaman):
    for _ in range(3):
        buat_rekaman("Perpustakaan umum")
    buat_rekaman("Perpustakaan sekolah")
    hasil = cari(Kueri(q="perpustakan"))
    assert hasil.total == 0 and hasil.saran == "perpustakaan"
    assert cari(Kueri(q="perpustakaan")).saran == ""
    assert pencarian.saran_ejaan("pepsutakaan sekolha") == "perpustakaan sekolah"


def test_saran_ketik_awalan_tanpa_stemming(buat_rekaman):
    buat_rekaman(
        "Perpustakaan umum", subjek=["Perpustakaan"], pengarang=[("Sulistyo-Basuki", "pengarang")]
    )
    buat_rekaman("Pendidikan karakter", subjek=["Pendidikan"])
    saran = pencarian.saran_ketik("perpus")
    assert {(s["jenis"], s["teks"]) for s in saran} == {
        ("judul", "Perpustakaan umum"),
        ("subjek", "Perpustakaan"),
    }
    assert pencarian.saran_ketik("pendi")[0]["teks"] in {
        "Pendidikan",
        "Pendidikan karakter",
    }
    assert pencarian.saran_ketik("sulis")[0] == {
        "jenis": "pengarang",
        "teks": "Sulistyo-Basuki",
        "jumlah": 1,
    }
    assert pencarian.saran_ketik("pe") == []


def test_hasil_sangat_banyak_dibatasi(buat_rekaman, monkeypatch):
    for i in range(5):
        buat_rekaman(f"Buku ke {i}", tahun_terbit=str(2000 + i))
    monkeypatch.setattr(pencarian, "BATAS_HITUNG", 3)
    hasil = cari(Kueri(q="buku"))
    assert hasil.total == 3 and not hasil.total_pasti and not hasil.facet_pasti
    assert hasil.urut == "terbaru"  # ranking every hit would be too slow
    assert judul(hasil)[0] == "Buku ke 4"
    assert sum(n for _v, n in hasil.facet["jenis"]) == 4  # counted over the first cap + 1 hits


def test_halaman_dibatasi(buat_rekaman, monkeypatch):
    for i in range(5):
        buat_rekaman(f"Buku ke {i}")
    monkeypatch.setattr(pencarian, "PER_HALAMAN", 2)
    monkeypatch.setattr(pencarian, "MAKS_HALAMAN", 2)
    hasil = cari(Kueri(q="buku", halaman=9))
    assert hasil.jumlah_halaman == 2 and hasil.halaman == 2 and len(hasil.rekaman) == 2


def test_saran_ketik_mengabaikan_kata_umum_dan_awalan_terlalu_pendek(buat_rekaman):
    buat_rekaman("Sejarah dan budaya Betawi")
    assert pencarian.saran_ketik("pe") == []  # two letters alone match too much
    assert pencarian.saran_ketik("sejarah dan bud")[0]["teks"] == "Sejarah dan budaya Betawi"
    assert pencarian.saran_ketik("sejarah bu") == []
    assert pencarian.saran_ketik("dan bet")[0]["teks"] == "Sejarah dan budaya Betawi"
    assert pencarian.saran_ketik("dan be") == []


def test_saran_ketik_sama_apa_pun_jalan_indeksnya(buat_rekaman, monkeypatch):
    """The vocabulary's counts pick how headings are found; the suggestions do not change."""
    for i in range(3):
        buat_rekaman(f"Ekonomi pendidikan jilid {i}", subjek=["Ekonomi pendapatan"])
    buat_rekaman("Pendidikan anak usia dini")
    buat_rekaman("Penulisan ilmiah")

    def teks(q):
        return sorted(s["teks"] for s in pencarian.saran_ketik(q))

    harapan = {
        "ekonomi pen": [
            "Ekonomi pendapatan",
            "Ekonomi pendidikan jilid 0",
            "Ekonomi pendidikan jilid 1",
            "Ekonomi pendidikan jilid 2",
        ],
        "pen": sorted(
            [
                "Ekonomi pendapatan",
                *(f"Ekonomi pendidikan jilid {i}" for i in range(3)),
                "Pendidikan anak usia dini",
                "Penulisan ilmiah",
            ]
        ),
        "anak pend": ["Pendidikan anak usia dini"],
        "tidakada pen": [],
    }
    # "pen" words are more common than "ekonomi": the whole word finds the candidates.
    assert pencarian._pencari_indeks(["ekonomi"], "pen") == "ekonomi"
    assert pencarian._pencari_indeks(["tidakada"], "pen") == "tidakada"
    assert pencarian._pencari_indeks(["pendidikan"], "ano") == "pendidikan & ano:*"
    assert {q: teks(q) for q in harapan} == harapan
    # A prefix common enough reads the table in order instead of the index.
    monkeypatch.setattr(pencarian, "AWALAN_SERING", 1)
    assert pencarian._pencari_indeks([], "pen") == ""
    assert {q: teks(q) for q in harapan} == harapan
    # Too few among the headings read in order: the index is asked after all.
    monkeypatch.setattr(pencarian, "BATAS_PINDAI", 1)
    assert {q: teks(q) for q in harapan} == harapan
    # Characters LIKE treats specially are matched literally.
    assert pencarian._pencari_indeks([], "pe_") == "pe_:*"


def test_nama_cabang_dan_kategori_disimpan_sampai_berubah(cabang, kategori):
    pencarian.lupakan_nama_rujukan()
    nama = pencarian.nama_rujukan()
    assert nama["cabang"][cabang["cikini"].pk] == cabang["cikini"].nama
    with CaptureQueriesContext(connection) as ctx:
        pencarian.nama_rujukan()
    assert len(ctx.captured_queries) == 0
    cabang["cikini"].nama = "Perpustakaan Cikini (baru)"
    cabang["cikini"].save()
    assert pencarian.nama_rujukan()["cabang"][cabang["cikini"].pk] == "Perpustakaan Cikini (baru)"
    kategori["anak"].nama = "Koleksi Anak Lt. 2"
    kategori["anak"].save()
    assert pencarian.nama_rujukan()["kategori"][kategori["anak"].pk] == "Koleksi Anak Lt. 2"


def test_pencarian_luas_memakai_perkiraan(buat_rekaman, monkeypatch):
    for i in range(6):
        buat_rekaman(f"Buku ke {i}", tahun_terbit=str(2000 + i))
    monkeypatch.setattr(pencarian, "perkiraan", lambda sql, params: 123_456)
    monkeypatch.setattr(pencarian, "SAMPEL_FACET", 4)
    hasil = cari(Kueri(q="buku"))
    assert hasil.total_perkiraan and not hasil.total_pasti and hasil.total == 120_000
    assert hasil.urut == "terbaru" and judul(hasil)[0] == "Buku ke 5"
    assert hasil.facet_dari == 4 and sum(n for _v, n in hasil.facet["jenis"]) == 5
    # An estimate far off the truth is corrected by the sample: the hits are few.
    monkeypatch.setattr(pencarian, "SAMPEL_FACET", 10)
    hasil = cari(Kueri(q="buku"))
    assert not hasil.total_perkiraan and hasil.total_pasti and hasil.total == 6


def test_perkiraan_dari_postgresql(buat_rekaman):
    from katalog.models import Katalog

    buat_rekaman("Satu")
    assert pencarian.perkiraan(*pencarian.sql_hits(Katalog.objects.all(), None)) >= 1
    assert pencarian.bulatkan(123_456) == 120_000 and pencarian.bulatkan(87) == 87


def test_facet_mengikuti_saringan_yang_dipilih(
    buat_rekaman, rekan_a, admin_dispusip, cabang, kategori
):
    k = buat_rekaman("Sejarah Jakarta")
    ta, cikini = cabang["jakpus-tanah-abang"], cabang["cikini"]
    services.tambah_eksemplar(k, cabang=ta, kategori=kategori["umum"], jumlah=1, oleh=rekan_a)
    (e,) = services.tambah_eksemplar(
        k, cabang=cikini, kategori=kategori["umum"], jumlah=1, oleh=admin_dispusip
    )
    services.ubah_status(e, StatusEksemplar.DIPINJAM, jatuh_tempo=date(2026, 12, 1), audit=False)
    # On the shelf now: Cikini's only copy is on loan, so Cikini is not offered.
    assert dict(cari(Kueri(q="sejarah", tersedia=True)).facet["cabang"]) == {str(ta.pk): 1}
    # Cikini chosen: nothing of it is on the shelf there.
    assert cari(Kueri(q="sejarah", cabang=[cikini.pk])).facet["tersedia"] == []


def test_mungkin_maksud_anda_menjaga_operator(buat_rekaman):
    buat_rekaman("Sejarah Jakarta")
    buat_rekaman("Sejarah Betawi")
    assert pencarian.saran_ejaan("sejarha -betawi") == "sejarah -betawi"
    assert pencarian.saran_ejaan('"sejarha jakarta"') == '"sejarah jakarta"'
