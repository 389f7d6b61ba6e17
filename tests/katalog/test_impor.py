"""Importing catalogues: MARC, Inlislite tables and templates, SLiMS — preview,
all-or-nothing, partial, idempotent re-import, conflicts, union-catalogue
matching, the merge queue, barcode collisions, lookups and copies from 990 $a."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from pymarc import Field, Subfield

from dispusip import impor, pembaca
from dispusip.jobs import JobGagal
from dispusip.models import Job, PetaImpor, SumberImpor
from katalog import marc as marc_mod
from katalog.models import CalonGabung, Eksemplar, Katalog, KategoriKoleksi, Lokasi

# The job writes its progress through its own connection, outside the import transaction.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])
DATA = Path(__file__).resolve().parent.parent / "data"
IMPOR = DATA / "impor"


def rekaman(judul, nomor="INLIS000000000000001", induk=(), isbn=None, **isian):
    isian.setdefault("jenis", "monograf")
    isian.setdefault("pengarang", [("Hirata, Andrea", "pengarang")])
    if isbn:
        isian["isbn"] = [isbn]
    r = marc_mod.terapkan_isian(marc_mod.record_kosong(), marc_mod.Isian(judul=judul, **isian))
    for f in r.get_fields("001"):
        r.remove_field(f)
    r.add_ordered_field(Field(tag="001", data=nomor))
    for n in induk:
        r.add_ordered_field(Field(tag="990", indicators=[" ", " "], subfields=[Subfield("a", n)]))
    return r


def berkas(*daftar) -> bytes:
    return b"".join(r.as_marc() for r in daftar)


@pytest.fixture
def jalankan(admin_dispusip, cabang, kategori, tmp_path):
    """Run an import as the job does: files on disk, recognised, then one transaction."""

    def _impor(*berkas, sumber="Inlislite Sudin Jakarta Barat", sebagian=False, pemetaan=None,
               ke="jakbar-tanjung-duren"):  # fmt: skip
        folder = tmp_path / f"impor-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        jalur = []
        for b in berkas:
            if isinstance(b, Path):
                jalur.append(shutil.copy(b, folder / b.name))
            else:
                nama, isi = b
                (folder / nama).write_bytes(isi)
                jalur.append(folder / nama)
        masuk = pembaca.kumpulkan(jalur, folder / "isi")
        impor.kenali(masuk)
        job = Job.objects.create(kind="dispusip.impor", started_by=admin_dispusip)
        sesi = impor.Sesi(
            sumber=impor.sumber(sumber), cabang=cabang[ke], oleh=admin_dispusip, berkas=masuk,
            sebagian=sebagian, pemetaan=pemetaan or {}, job=job,
        )  # fmt: skip
        return impor.jalankan(sesi), job

    return _impor


def mrc(*daftar):
    return ("ekspor.mrc", berkas(*daftar))


def test_impor_membuat_rekaman_dan_eksemplar_990(jalankan):
    hasil, job = jalankan(
        mrc(
            rekaman("Laskar pelangi", "INLIS1", induk=["00123/PJK/2024"]),
            rekaman("Ronggeng", "INLIS2"),
        )
    )
    assert hasil["katalog.dibuat"] == 2 and hasil["eksemplar.dibuat"] == 1
    e = Eksemplar.objects.get(nomor_induk="00123/PJK/2024")
    assert e.perlu_verifikasi and e.cabang.kode == "jakbar-tanjung-duren" and e.barcode
    assert e.katalog.judul.startswith("Laskar pelangi")
    assert e.katalog.cabang_pemilik == [e.cabang_id]
    assert PetaImpor.objects.filter(tabel="marc").count() == 2
    job.refresh_from_db()
    assert job.done == job.total


def test_sidik_eksemplar_990_dari_sql_sama_dengan_python(jalankan):
    """990 items are made in SQL; their fingerprints are still impor.sidik's, so a
    re-import of a file first imported by the row-by-row path finds them unchanged."""
    induk = ['12/"PJK"\\2024', "Ñ-7\tb"]
    jalankan(mrc(rekaman("Laskar pelangi", "INLIS1", induk=induk)))
    sidik = dict(PetaImpor.objects.filter(tabel="marc.990").values_list("id_sumber", "sidik"))
    assert sidik == {f"INLIS1:{n}": impor.sidik({"990": n}) for n in induk}


def test_rekaman_disiapkan_kolam_proses_sama_hasilnya(jalankan, settings, monkeypatch):
    """A big import prepares records in worker processes: same records, same order."""
    from katalog import impor as katalog_impor

    settings.IMPOR_PROSES = 2
    monkeypatch.setattr(impor, "UKURAN_BATCH", 5)
    monkeypatch.setattr(katalog_impor, "BATCH_TANPA_PROSES", 1)
    daftar = [rekaman(f"Buku ke-{i}", f"INLIS{i}", induk=[f"{i}/PJK"]) for i in range(1, 24)]
    hasil, _job = jalankan(mrc(*daftar))
    assert hasil["katalog.dibuat"] == 23 and hasil["eksemplar.dibuat"] == 23
    assert {e.katalog.judul for e in Eksemplar.objects.filter(nomor_induk="17/PJK")} == {
        "Buku ke-17"
    }
    # The same file again, serially this time: the fingerprints agree.
    settings.IMPOR_PROSES = 0
    hasil, _job = jalankan(mrc(*daftar))
    assert hasil["katalog.tetap"] == 23


def test_migrasi_pertama_membangun_indeks_sesudah_baris(jalankan, monkeypatch):
    """Into an empty catalogue, a big import drops the tables' non-unique indexes and
    foreign keys and builds them after the rows; the next import keeps them."""
    from django.db import connection

    from katalog import muat

    def struktur():
        with connection.cursor() as c:
            return {
                t: (impor.indeks_sekunder(c, t), impor.kunci_asing(c, t)) for t in muat.TABEL_MASSAL
            }

    sebelum = struktur()
    assert all(indeks and fk for indeks, fk in sebelum.values())
    dipakai = []
    asli = impor.tanpa_indeks

    def tanpa_indeks(tabel):
        dipakai.append(list(tabel))
        return asli(tabel)

    monkeypatch.setattr(impor, "tanpa_indeks", tanpa_indeks)
    monkeypatch.setattr(muat, "MASSAL_MINIMUM", 2)
    daftar = [rekaman(f"Hikayat negeri {i}", f"INLIS{i}", induk=[f"{i}/PJK"]) for i in range(3)]
    hasil, _job = jalankan(mrc(*daftar))
    assert hasil["katalog.dibuat"] == 3 and hasil["eksemplar.dibuat"] == 3
    assert muat.TABEL_MASSAL in dipakai
    assert struktur() == sebelum
    assert Katalog.objects.filter(vektor="hikayat").count() == 3
    assert {e.katalog.judul for e in Eksemplar.objects.filter(nomor_induk="1/PJK")} == {
        "Hikayat negeri 1"
    }
    dipakai.clear()
    jalankan(mrc(rekaman("Ronggeng", "INLIS9"), rekaman("Bumi manusia", "INLIS8")))
    assert muat.TABEL_MASSAL not in dipakai  # the catalogue is no longer empty


def test_impor_ulang_idempoten_memperbarui_dan_konflik(jalankan, admin_dispusip):
    satu = rekaman("Laskar pelangi", "INLIS1", induk=["7/7"])
    dua = rekaman("Ronggeng", "INLIS2")
    jalankan(mrc(satu, dua))
    hasil, _job = jalankan(mrc(satu, dua))
    assert hasil["katalog.tetap"] == 2 and "katalog.dibuat" not in hasil
    assert hasil["eksemplar.tetap"] == 1
    assert Katalog.objects.count() == 2 and Eksemplar.objects.count() == 1

    # Edited in the portal since: a conflict; changed only at the source: updated.
    k = Katalog.objects.get(judul__startswith="Ronggeng")
    from katalog import services

    services.simpan_marc(marc_mod.record_dari_json(k.marc), oleh=admin_dispusip, katalog=k)
    hasil, _job = jalankan(
        mrc(rekaman("Laskar pelangi", "INLIS1", induk=["7/7"], anak_judul="edisi revisi"),
            rekaman("Ronggeng", "INLIS2", anak_judul="cetakan baru"))
    )  # fmt: skip
    assert hasil["katalog.diperbarui"] == 1 and hasil["katalog.konflik"] == 1
    assert Katalog.objects.filter(anak_judul="edisi revisi").exists()
    assert not Katalog.objects.filter(anak_judul="cetakan baru").exists()


def test_sumber_lain_dengan_isbn_sama_digabung(jalankan):
    jalankan(mrc(rekaman("Laskar pelangi", "INLIS1", isbn="978-0-306-40615-7", induk=["A1"])))
    hasil, _job = jalankan(
        mrc(rekaman("Laskar Pelangi (cet. 2)", "INLIS1", isbn="0-306-40615-2", induk=["B1"])),
        sumber="SLiMS RPTRA Kalijodo",
    )
    assert hasil["katalog.digabung"] == 1 and Katalog.objects.count() == 1
    assert Eksemplar.objects.filter(katalog__judul__startswith="Laskar").count() == 2
    # The attached source's later changes never rewrite the record it shares.
    hasil, _job = jalankan(
        mrc(rekaman("Laskar Pelangi edisi SLiMS", "INLIS1", isbn="0-306-40615-2", induk=["B1"])),
        sumber="SLiMS RPTRA Kalijodo",
    )
    assert hasil["katalog.tetap"] == 1 and not hasil.get("katalog.diperbarui")
    assert Katalog.objects.get().judul == "Laskar pelangi" and Eksemplar.objects.count() == 2


def test_judul_pengarang_sama_tahun_beda_masuk_antrean_gabung(jalankan):
    jalankan(mrc(rekaman("Laskar pelangi", "INLIS1", tahun_terbit="2008", penerbit="Bentang")))
    # Same title, author, year and publisher from another source: the same edition.
    hasil, _job = jalankan(
        mrc(rekaman("Laskar Pelangi", "X9", tahun_terbit="2008", penerbit="Bentang")), sumber="Lain"
    )
    assert hasil["katalog.digabung"] == 1
    # Same title and author only: created, and queued for a cataloguer.
    hasil, _job = jalankan(
        mrc(rekaman("Laskar pelangi", "X10", tahun_terbit="2015", penerbit="Bentang Pustaka")),
        sumber="Lain",
    )
    assert hasil["katalog.dibuat"] == 1 and Katalog.objects.count() == 2
    calon = CalonGabung.objects.get()
    assert calon.status == "menunggu" and calon.baru.tahun == 2015 and calon.ada.tahun == 2008


def test_nomor_kontrol_bentrok_antar_sumber_diberi_nomor_baru(jalankan):
    jalankan(mrc(rekaman("Satu", "INLIS000000000000001")))
    jalankan(mrc(rekaman("Dua", "INLIS000000000000001")), sumber="Inlislite Sudin Jakarta Timur")
    dua = Katalog.objects.get(judul="Dua")
    assert dua.nomor_kontrol != "INLIS000000000000001"
    assert dua.marc["fields"][0]["001"] == dua.nomor_kontrol


def test_id_dan_nomor_kontrol_dari_batch_sebelumnya_dikenali(jalankan, monkeypatch):
    """What earlier batches staged is asked of the staging table, not remembered: a
    source id seen in an earlier batch is reported and skipped, and a control number
    an earlier batch kept is not given twice."""
    monkeypatch.setattr(impor, "UKURAN_BATCH", 2)
    hasil, job = jalankan(
        mrc(rekaman("Satu", "INLIS1"), rekaman("Dua", "INLIS2"), rekaman("Satu lagi", "INLIS1"))
    )
    assert hasil["katalog.dibuat"] == 2
    assert not Katalog.objects.filter(judul="Satu lagi").exists()
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "ekspor.mrc,3,ID,INLIS1,peringatan,ID rekaman ini sudah muncul lebih dulu" in laporan
    ruas = "ID,CatalogId,Tag,Indicator1,Indicator2,Value,Sequence\n" + "".join(
        f"{i}1,{i},001,,,INLIS77,1\n{i}2,{i},245,1,0,$a Buku {i},2\n" for i in range(1, 4)
    )
    hasil, _job = jalankan(("catalog_ruas.csv", ruas.encode()), sumber="Inlislite lain")
    nomor = list(
        Katalog.objects.filter(judul__startswith="Buku").values_list("nomor_kontrol", flat=True)
    )
    assert hasil["katalog.dibuat"] == 3 and len(set(nomor)) == 3 and "INLIS77" in nomor


def test_galat_membatalkan_semua_kecuali_mode_sebagian(jalankan):
    isi = mrc(rekaman("Baik", "INLIS1"), rekaman("", "INLIS2"))
    with pytest.raises(JobGagal):
        jalankan(isi)
    assert not Katalog.objects.exists() and not PetaImpor.objects.exists()
    job = Job.objects.latest("pk")
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "245 $a" in laporan and "Judul (245 $a) kosong" in laporan
    hasil, _job = jalankan(isi, sebagian=True)
    assert hasil["katalog.dibuat"] == 1 and hasil["katalog.ditolak"] == 1 and hasil["galat"] == 1


def test_isbn_salah_hanya_peringatan_dan_disimpan_apa_adanya(jalankan):
    hasil, _job = jalankan(mrc(rekaman("Buku", "INLIS1", isbn="979-000-000-1")))
    assert hasil["katalog.dibuat"] == 1 and hasil["peringatan"] == 1
    assert Katalog.objects.get().isbn.startswith("979-000-000-1")


def test_contoh_marc_asli_terimpor(jalankan):
    """The shipped examples: ISO 2709 in genuine MARC-8, and MARCXML."""
    hasil, _job = jalankan(DATA / "contoh_MARC_MRC.mrc")
    assert hasil["katalog.dibuat"] >= 1 and hasil["galat"] == 0
    assert all("\ufffd" not in k.judul for k in Katalog.objects.all())
    # It holds the same record twice: the first is used, the second reported.
    hasil, _job = jalankan(IMPOR / "contoh_MARC_XML.xml")
    assert hasil["galat"] == 0 and hasil["peringatan"] == 1


# --- Inlislite tables -------------------------------------------------------------------


def test_tabel_inlislite_ruas_subruas_dan_eksemplar(jalankan):
    hasil, _job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_catalog_subruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
    )
    assert hasil["katalog.dibuat"] == 3 and hasil["eksemplar.dibuat"] == 3
    laskar = Katalog.objects.get(nomor_kontrol="INLIS000000000045871")
    assert laskar.judul == "Laskar pelangi" and laskar.pengarang_utama == "Hirata, Andrea"
    assert laskar.nomor_panggil == "899.221 3 HIR l" and laskar.tahun == 2008
    e = Eksemplar.objects.get(barcode="00123/PJK/2024")
    assert e.katalog == laskar and e.harga == 89000 and str(e.tanggal_terima) == "2024-03-14"
    # Re-running the same files changes nothing.
    hasil, _job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_catalog_subruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
    )
    assert hasil["katalog.tetap"] == 3 and hasil["eksemplar.tetap"] == 3
    assert Katalog.objects.count() == 3 and Eksemplar.objects.count() == 3


def test_ruas_tanpa_subruas_dipecah_pada_dolar_dan_catalogs_saja(jalankan):
    hasil, _job = jalankan(IMPOR / "inlislite_catalog_ruas_COMPOSED.csv")
    assert hasil["katalog.dibuat"] == 1
    k = Katalog.objects.get()
    assert k.judul == "Laskar pelangi" and k.penerbit == "Bentang" and k.edisi == "Cet. 25"
    hasil, _job = jalankan(IMPOR / "inlislite_catalogs_COMPOSED.csv", sumber="Hanya catalogs")
    # Laskar pelangi matches by ISBN; the other two are new, rebuilt from the columns.
    assert hasil["katalog.digabung"] == 1 and hasil["katalog.dibuat"] == 2
    sejarah = Katalog.objects.get(judul__startswith="Sejarah Jakarta")
    assert sejarah.pengarang_utama == "Heuken, Adolf" and sejarah.tahun == 2016
    assert sejarah.subjek == ["Jakarta -- Sejarah"] or "Jakarta" in sejarah.subjek_teks


def test_windows_1252_titik_koma_crlf(jalankan):
    teks = (
        "ID;CatalogId;Tag;Indicator1;Indicator2;Value;Sequence\r\n"
        "1;7;001;;;INLIS7;1\r\n"
        "2;7;245;1;0;$a Kumpulan cerpen caf\xe9 / $c Seno;2\r\n"
    )
    hasil, _job = jalankan(("catalog_ruas.csv", teks.encode("cp1252")))
    assert hasil["katalog.dibuat"] == 1
    assert Katalog.objects.get().judul == "Kumpulan cerpen café"


def test_eksemplar_tanpa_katalog_dan_barcode_ganda_dilaporkan(jalankan):
    koleksi = (IMPOR / "inlislite_collections_COMPOSED.csv").read_text()
    baris = koleksi.splitlines()
    tambahan = [
        baris[1].replace("120001", "120009").replace(",45871,", ",99999,"),  # no such record
        baris[1].replace("120001", "120010"),  # same barcode as row 2
    ]
    isi = "\n".join([*baris, *tambahan]) + "\n"
    with pytest.raises(JobGagal):
        jalankan(
            IMPOR / "inlislite_catalogs_COMPOSED.csv",
            IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
            ("collections.csv", isi.encode()),
        )
    laporan = Job.objects.latest("pk").result_file.read().decode("utf-8-sig")
    assert "collections.csv,5,Catalog_id,99999" in laporan
    assert "collections.csv,6,NomorBarcode,00123/PJK/2024" in laporan
    hasil, _job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        ("collections.csv", isi.encode()),
        sebagian=True,
    )
    assert hasil["eksemplar.dibuat"] == 3 and hasil["eksemplar.ditolak"] == 2


def test_barcode_bentrok_dari_sumber_lain_diberi_awalan(jalankan, client, admin_dispusip):
    berkas_ = (
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
    )
    jalankan(*berkas_)
    hasil, _job = jalankan(*berkas_, sumber="Inlislite Sudin Jakarta Timur")
    assert hasil["eksemplar.dibuat"] == 3
    assert Eksemplar.objects.filter(barcode="ISJT-00123/PJK/2024").exists()
    laporan = Job.objects.latest("pk").result_file.read().decode("utf-8-sig")
    assert "perlu dicetak ulang" in laporan
    # The items to relabel are listed in the admin, per source; the prefix is editable.
    client.force_login(admin_dispusip)
    timur = SumberImpor.objects.get(nama="Inlislite Sudin Jakarta Timur")
    daftar = client.get(
        reverse("admin:katalog_eksemplar_changelist"), {"label_ulang": timur.pk}
    ).content.decode()
    assert "ISJT-00123/PJK/2024" in daftar and "00000120003" not in daftar.replace(
        "ISJT-00000120003", ""
    )
    ubah = client.post(
        reverse("admin:dispusip_sumberimpor_change", args=[timur.pk]), {"awalan": "JT-"}
    )
    assert ubah.status_code == 302
    timur.refresh_from_db()
    assert timur.awalan == "JT-"


def test_lookup_tanpa_pratinjau_dibuat_dan_dilaporkan(jalankan):
    """A command-line import has no preview: a category nobody mapped is created, as the
    preview suggests, and reported once at the first row that uses it."""
    kategori_csv = b"ID,Code,Name\n1,UM,Koleksi Umum\n2,AN,Koleksi Anak Lt. 2\n"
    _hasil, job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
        ("collectioncategorys.csv", kategori_csv),
    )
    baru = KategoriKoleksi.objects.get(nama="Koleksi Anak Lt. 2")
    assert Eksemplar.objects.get(barcode="00000120003").kategori == baru
    laporan = job.result_file.read().decode("utf-8-sig").splitlines()
    dibuat = [x for x in laporan if "tidak dipetakan di pratinjau: dibuat baru" in x]
    assert dibuat == [
        "inlislite_collections_COMPOSED.csv,4,Kategori,Koleksi Anak Lt. 2,peringatan,"
        "Belum ada di portal dan tidak dipetakan di pratinjau: dibuat baru."
    ]


def test_lookup_kategori_dipetakan_atau_dibuat(jalankan, kategori):
    kategori_csv = b"ID,Code,Name\n1,UM,Koleksi Umum\n2,AN,Koleksi Anak Lt. 2\n"
    berkas_ = (
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
        ("collectioncategorys.csv", kategori_csv),
    )
    jalankan(*berkas_, pemetaan={"kategori:Koleksi Anak Lt. 2": str(kategori["anak"].pk)})
    assert Eksemplar.objects.get(barcode="00000120003").kategori == kategori["anak"]
    jalankan(*berkas_, sumber="Lain", pemetaan={"kategori:Koleksi Anak Lt. 2": impor.BARU})
    baru = KategoriKoleksi.objects.get(nama="Koleksi Anak Lt. 2")
    assert Eksemplar.objects.filter(kategori=baru).count() == 1


def test_lookup_lokasi_rak_dibuat_per_cabang(jalankan):
    lokasi = b"ID,Code,Name\n2,0101,Koleksi Umum Lt. 4\n11,0102,Referensi Lt. 2\n"
    jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        IMPOR / "inlislite_collections_COMPOSED.csv",
        ("locations.csv", lokasi),
    )
    assert Lokasi.objects.filter(nama="Koleksi Umum Lt. 4").exists()
    assert Eksemplar.objects.get(barcode="00123/PJK/2024").lokasi.nama == "Koleksi Umum Lt. 4"


KOLEKSI_KEPALA = (
    "ID,NomorBarcode,NoInduk,Price,TanggalPengadaan,CallNumber,Catalog_id,Location_Library_id,"
    "Location_id,Category_id,Source_id,Status_id,CreateDate\n"
)
LOOKUP_KOLEKSI = (
    ("location_library.csv", b"ID,Code,Name\n1,PJB,Perpustakaan Jakarta Barat\n2,X,Entah\n"),
    ("locations.csv", b"ID,Code,Name\n2,0101,Koleksi Umum Lt. 4\n3,0102,Referensi Lt. 2\n"),
    ("collectioncategorys.csv", b"ID,Code,Name\n1,UM,Koleksi Umum\n2,AN,Koleksi Anak Lt. 2\n"),
    ("collectionsources.csv", b"ID,Name\n1,Pembelian\n2,Hadiah\n3,Serah simpan (KCKR)\n"),
    ("collectionstatus.csv", b"ID,Name\n1,Tersedia\n3,Hilang\n4,Rusak\n"),
)


def _koleksi(*baris: str) -> tuple[str, bytes]:
    return ("collections.csv", (KOLEKSI_KEPALA + "".join(f"{b}\n" for b in baris)).encode())


def test_sumber_dan_status_tak_dikenal_dilaporkan_sekali(jalankan):
    """An acquisition source or item status the portal has no word for is named once,
    with what it became, not silently turned into "Pembelian" / "Tersedia"."""
    lookup = [
        x for x in LOOKUP_KOLEKSI if x[0] not in ("collectionsources.csv", "collectionstatus.csv")
    ]
    isi = _koleksi(
        "1,B1,I1,,,,45871,1,2,1,1,1,x",
        "2,B2,I2,,,,45871,1,2,1,1,2,x",
        "3,B3,I3,,,,45873,1,2,1,2,1,x",
    )
    hasil, job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv", IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        isi, *lookup,
        ("collectionsources.csv", b"ID,Name\n1,Proyek Dinas\n2,Pembelian\n"),
        ("collectionstatus.csv", b"ID,Name\n1,Dalam pengolahan\n2,Tersedia\n"),
    )  # fmt: skip
    assert hasil["eksemplar.dibuat"] == 3
    e = Eksemplar.objects.get(barcode="B1")
    assert (e.sumber, e.status) == ("beli", "tersedia")
    laporan = job.result_file.read().decode("utf-8-sig").splitlines()
    tak_dikenal = [x for x in laporan if "Nilai ini tidak dikenali" in x]
    assert len(tak_dikenal) == 2
    assert any("Proyek Dinas" in x and "Pembelian" in x for x in tak_dikenal)
    assert any("Dalam pengolahan" in x and "Tersedia" in x for x in tak_dikenal)


def test_collections_dipetakan_berbasis_himpunan(jalankan, cabang, kategori):
    """Items from collections: branch, shelf location, category, source and status
    as the lookups and the administrator's choices say; prices and dates read as
    before, the unreadable ones reported by row and column; a re-import is unchanged."""
    isi = _koleksi(
        "1,B1,I1,89000,2024-03-14 00:00:00,899 HIR l,45871.0,1,2,1,1,1,x",
        "2,B2,I2, - 75.000,14/03/2024,899 HIR l,45871,1.0,3,2,2,3,x",
        "3,B3,,12.3.4,31-02-2024,,45873,2,,,3,4,x",
        "4,B4,I4,Rp 5000,15-Maret-2025,,45873,,,,,5,x",
        "5,B5,I5,,45366,,45873,9,2,1,,,x",
        "6,B6,I6,1e5,kemarin,,45873,1,2,1,1,1,x",
        ",,,,,,,,,,,,",  # empty: skipped, as a blank row always was
    )
    berkas_ = (
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        isi,
        *LOOKUP_KOLEKSI,
    )
    pemetaan = {"kategori:Koleksi Anak Lt. 2": impor.BARU, "cabang:Entah": str(cabang["cikini"].pk)}
    hasil, _job = jalankan(*berkas_, pemetaan=pemetaan)
    assert hasil["eksemplar.dibuat"] == 6
    e = {x.barcode: x for x in Eksemplar.objects.select_related("cabang", "lokasi", "kategori")}
    barat, cikini = cabang["jakbar-tanjung-duren"], cabang["cikini"]
    assert (e["B1"].cabang, e["B1"].lokasi.nama, e["B1"].kategori) == (
        barat, "Koleksi Umum Lt. 4", kategori["umum"]
    )  # fmt: skip
    assert e["B1"].unit_id == barat.unit_id and e["B1"].katalog.nomor_kontrol.endswith("45871")
    assert (e["B1"].harga, str(e["B1"].tanggal_terima), e["B1"].nomor_panggil) == (
        89000, "2024-03-14", "899 HIR l"
    )  # fmt: skip
    assert (e["B1"].sumber, e["B1"].status) == ("beli", "tersedia")
    anak = KategoriKoleksi.objects.get(nama="Koleksi Anak Lt. 2")
    assert (e["B2"].lokasi.nama, e["B2"].kategori, e["B2"].sumber, e["B2"].status) == (
        "Referensi Lt. 2", anak, "hadiah", "hilang"
    )  # fmt: skip
    assert e["B2"].harga == 75 and str(e["B2"].tanggal_terima) == "2024-03-14"
    # Mapped by the administrator; no shelf location; the accession number from the barcode.
    assert e["B3"].cabang == cikini and e["B3"].lokasi is None and e["B3"].nomor_induk == "B3"
    assert e["B3"].harga is None and e["B3"].tanggal_terima is None
    assert (e["B3"].sumber, e["B3"].status) == ("serah_simpan", "perbaikan")
    # No branch in the file: the import's; status 5 is Inlislite's "Dipinjam".
    assert e["B4"].cabang == cabang["jakbar-tanjung-duren"] and e["B4"].status == "tersedia"
    assert e["B4"].harga == 5000 and str(e["B4"].tanggal_terima) == "2025-03-15"
    # An unknown branch id falls back to the import's branch, reported once; an Excel
    # serial date.
    assert e["B5"].cabang == barat and str(e["B5"].tanggal_terima) == "2024-03-15"
    assert e["B5"].harga is None and e["B5"].kategori == kategori["umum"]
    assert Lokasi.objects.filter(nama="Koleksi Umum Lt. 4").count() == 1
    laporan = Job.objects.latest("pk").result_file.read().decode("utf-8-sig")
    assert "collections.csv,4,Price,12.3.4,peringatan" in laporan
    assert "collections.csv,4,TanggalPengadaan,31-02-2024,peringatan" in laporan
    assert "collections.csv,7,TanggalPengadaan,kemarin,peringatan" in laporan
    # As _harga always read it: every character but digits, "," and "." dropped.
    assert e["B6"].harga == 15 and e["B6"].tanggal_terima is None
    assert (
        "collections.csv,6,Location_Library_id,9,peringatan,ID ini tidak ada di tabel location_library"
        in laporan
    )
    assert sum(x.startswith("collections.csv") for x in laporan.splitlines()) == 4

    hasil, _job = jalankan(*berkas_, pemetaan=pemetaan)
    assert hasil["eksemplar.tetap"] == 6 and "eksemplar.dibuat" not in hasil
    assert Eksemplar.objects.count() == 6


def test_collections_tanpa_katalog_dan_barcode_ganda(jalankan):
    isi = _koleksi(
        "1,B1,I1,1000,2024-01-02,,45871,,,,,1,x",
        "2,B2,I2,1000,2024-01-02,,99999,,,,,1,x",  # no such record
        "3,B1,I3,1000,2024-01-02,,45873,,,,,1,x",  # the barcode of row 2
        "4,B4,I1,1000,2024-01-02,,45873,,,,,1,x",  # the accession number of row 2
    )
    hasil, _job = jalankan(
        IMPOR / "inlislite_catalogs_COMPOSED.csv",
        IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
        isi,
        sebagian=True,
    )
    assert hasil["eksemplar.dibuat"] == 1 and hasil["eksemplar.ditolak"] == 3
    laporan = Job.objects.latest("pk").result_file.read().decode("utf-8-sig")
    assert "collections.csv,3,Catalog_id,99999" in laporan
    assert "collections.csv,4,NomorBarcode,B1" in laporan
    assert "collections.csv,5,NoInduk,I1" in laporan


def test_nomor_barcode_yang_sudah_dipakai_dilewati(jalankan, cabang, kategori, buat_rekaman):
    """Barcodes already on items (typed in by hand) are skipped by the import's numbering."""
    k = buat_rekaman("Sudah ada")
    for barcode in ("00000000001", "00000000003"):
        Eksemplar.objects.create(
            katalog=k, cabang=cabang["cikini"], unit=cabang["cikini"].unit,
            kategori=kategori["umum"], barcode=barcode, nomor_induk=f"ADA-{barcode}",
        )  # fmt: skip
    hasil, _job = jalankan(mrc(rekaman("Laskar pelangi", "INLIS1", induk=["A1", "A2", "A3"])))
    assert hasil["eksemplar.dibuat"] == 3
    assert sorted(Eksemplar.objects.filter(nomor_induk__in=["A1", "A2", "A3"]).values_list(
        "barcode", flat=True
    )) == ["00000000002", "00000000004", "00000000005"]  # fmt: skip


def test_zip_berisi_tabel(jalankan, tmp_path):
    import zipfile

    z = tmp_path / "inlislite.zip"
    with zipfile.ZipFile(z, "w") as arsip:
        for nama in ("catalogs", "catalog_ruas", "catalog_subruas", "collections"):
            arsip.write(IMPOR / f"inlislite_{nama}_COMPOSED.csv", f"dump/{nama}.csv")
    hasil, _job = jalankan(z)
    assert hasil["katalog.dibuat"] == 3 and hasil["eksemplar.dibuat"] == 3


# --- templates and SLiMS ----------------------------------------------------------------


@pytest.mark.parametrize("nama", ["sample_data_koleksi_AACR.xlsx", "sample_data_koleksi_AACR.csv"])
def test_template_koleksi_42_kolom(jalankan, nama):
    hasil, _job = jalankan(IMPOR / nama)
    assert hasil["katalog.dibuat"] >= 1 and hasil["eksemplar.dibuat"] >= 1
    mahligai = Katalog.objects.get(judul="Mahligai Biru")
    assert mahligai.penerbit == "Grafika" and mahligai.tahun == 2015
    e = Eksemplar.objects.get(nomor_induk="X0022/2016")
    assert e.katalog == mahligai and e.sumber == "hadiah" and e.nomor_panggil == "123 PRA m"


@pytest.mark.parametrize(
    ("berkas", "lama", "baru"),
    [
        (["sample_data_koleksi_AACR.csv"], "Mahligai Biru,,Mamik", "Mahligai Biru Laut,,Mamik"),
        (["inlislite_laporan_buku_induk_COMPOSED.csv"], "Cet. 25,", "Cet. 26,"),
        (["slims_biblio_export_COMPOSED.csv", "slims_item_export_COMPOSED.csv"],
         '"Cet. 25"', '"Cet. 26"'),
    ],
)  # fmt: skip
def test_deskripsi_diubah_di_sumber_memperbarui_rekaman_yang_sama(jalankan, berkas, lama, baru):
    """Templates, reports and SLiMS exports carry no record ids: a record edited at
    the source is known again by its copies and updated, never created a second time;
    one edited in the portal meanwhile is left as it is and reported."""
    hasil, _job = jalankan(*(IMPOR / b for b in berkas), sebagian=True)
    n_katalog, n_eksemplar = Katalog.objects.count(), Eksemplar.objects.count()
    asli = (IMPOR / berkas[0]).read_text(encoding="utf-8-sig")
    assert lama in asli
    diubah = [(berkas[0], asli.replace(lama, baru).encode()), *(IMPOR / b for b in berkas[1:])]
    hasil, _job = jalankan(*diubah, sebagian=True)
    assert hasil["katalog.diperbarui"] == 1 and hasil.get("katalog.dibuat", 0) == 0
    assert Katalog.objects.count() == n_katalog and Eksemplar.objects.count() == n_eksemplar
    # Edited in the portal since: a conflict, the portal's edit kept.
    k = Katalog.objects.get(pk=Eksemplar.objects.order_by("pk").first().katalog_id)
    Katalog.objects.filter(pk=k.pk).update(diubah=k.diubah + timedelta(days=1), judul="Dikoreksi")
    hasil, _job = jalankan((berkas[0], asli.encode()), *(IMPOR / b for b in berkas[1:]),
                           sebagian=True)  # fmt: skip
    assert hasil["katalog.konflik"] == 1 and hasil.get("katalog.dibuat", 0) == 0
    assert Katalog.objects.get(pk=k.pk).judul == "Dikoreksi"


def test_export_data_tag(jalankan):
    hasil, _job = jalankan(IMPOR / "inlislite_export_data_tag_COMPOSED.csv")
    assert hasil["katalog.dibuat"] >= 1
    assert Katalog.objects.filter(judul="Laskar pelangi").exists()


def test_slims_biblio_dan_item(jalankan):
    hasil, _job = jalankan(
        IMPOR / "slims_biblio_export_COMPOSED.csv", IMPOR / "slims_item_export_COMPOSED.csv",
        sumber="SLiMS RPTRA Kalijodo", sebagian=True,
    )  # fmt: skip
    assert hasil["katalog.dibuat"] == 2 and hasil["eksemplar.dibuat"] == 3
    laskar = Katalog.objects.get(judul="Laskar pelangi")
    assert laskar.pengarang_utama == "Hirata, Andrea" and laskar.subjek == ["Fiksi Indonesia"]
    e = Eksemplar.objects.get(barcode="B00123")
    assert e.nomor_induk == "INV/2024/00123" and e.harga == 89000


def test_slims_17_kolom_tanpa_sor(jalankan):
    isi = (
        '"Pemrograman web","Text","","","Informatika","2015","350 hlm.","","004 BUD p",'
        '"Indonesia","Bandung","004","","","<Raharjo, Budi>","<Pemrograman>","<B9>"\n'
    )
    hasil, _job = jalankan(("biblio.csv", isi.encode()))
    assert hasil["katalog.dibuat"] == 1 and hasil["eksemplar.dibuat"] == 1
    k = Katalog.objects.get()
    assert k.pengarang_utama == "Raharjo, Budi" and k.tempat_terbit == "Bandung"


def test_pratinjau_layar_lalu_job(client, admin_dispusip, cabang, kategori, monkeypatch):
    """Upload → preview (files read as, first rows, lookups to map) → the job is queued."""
    monkeypatch.setattr("dispusip.jobs._kirim", lambda task, job_id: None)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(admin_dispusip)
    r = client.post(
        reverse("impor"),
        {"berkas": [SimpleUploadedFile("x.txt", b"bukan apa-apa")], "sumber": "Uji",
         "format": "auto", "cabang": cabang["cikini"].pk},
    )  # fmt: skip
    assert "tidak dikenali" in r.content.decode()
    unggah = [
        SimpleUploadedFile(n, (IMPOR / f"inlislite_{n}").read_bytes())
        for n in ("catalogs_COMPOSED.csv", "catalog_ruas_COMPOSED.csv", "collections_COMPOSED.csv")
    ] + [
        SimpleUploadedFile(
            "collectioncategorys.csv", b"ID,Code,Name\n1,U,Koleksi Umum\n2,A,Koleksi Anak Lt. 2\n"
        )
    ]
    r = client.post(
        reverse("impor"),
        {"berkas": unggah, "sumber": "Inlislite Uji", "format": "auto", "cabang": cabang["cikini"].pk},
    )  # fmt: skip
    html = r.content.decode()
    assert "Laskar pelangi" in html and "catalog_ruas" in html and "Koleksi Anak Lt. 2" in html
    # The column mapping: what each file's importer reads, and what it leaves.
    dibaca = re.findall(r'<td class="kolom-dibaca">([^<]*)</td>', html)
    diabaikan = re.findall(r'<td class="kolom-diabaikan[^"]*">([^<]*)</td>', html)
    koleksi = next(i for i, x in enumerate(dibaca) if "NomorBarcode" in x)
    assert "Catalog_id" in dibaca[koleksi] and "Price" in dibaca[koleksi]
    assert "RFID" in diabaikan[koleksi] and "Currency" in diabaikan[koleksi]
    r = client.post(reverse("impor_jalankan"), {"peta-0": str(kategori["anak"].pk)})
    job = Job.objects.get(kind="dispusip.impor")
    assert r.url == job.get_absolute_url()
    assert job.params["pemetaan"] == {"kategori:Koleksi Anak Lt. 2": str(kategori["anak"].pk)}
    assert job.params["sumber"] == "Inlislite Uji" and len(job.params["berkas"]) == 4
    assert client.post(reverse("impor_jalankan")).url == reverse("impor")


def test_tanpa_izin_katalog_tidak_boleh_impor(client, pimpinan):
    from django.urls import reverse

    client.force_login(pimpinan)
    assert client.get(reverse("impor")).status_code == 403


def test_pekerja_mati_di_tengah_impor_tidak_meninggalkan_apa_pun(cabang, kategori, tmp_path):
    """Killed mid-import, after rows reached the staging tables: nothing is left (the
    TEMP tables die with the session, the merge never committed) and a re-run imports all."""
    import os
    import signal
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    from dispusip.env import database_to_url

    jalur = tmp_path / "besar.mrc"
    jalur.write_bytes(
        berkas(*(rekaman(f"Judul nomor {n}", f"INLIS{n:015d}") for n in range(12000)))
    )
    env = dict(
        os.environ, DATABASE_URL=database_to_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL, DJANGO_DEBUG="true", PYTHONUNBUFFERED="1",
    )  # fmt: skip
    perintah = [sys.executable, "manage.py", "impor", str(jalur), "--cabang", "cikini"]
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        perintah, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for baris in proc.stdout:
        if "rekaman dibaca" in baris:  # the first batch is in staging
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not Katalog.objects.exists() and not PetaImpor.objects.exists()

    selesai = subprocess.run(
        perintah, cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert selesai.returncode == 0, selesai.stdout + selesai.stderr
    assert Katalog.objects.count() == 12000
    assert "Rekaman katalog: Dibuat: 12.000" in selesai.stdout


def test_antrean_gabung_menggabungkan_atau_memisahkan(jalankan, client, admin_dispusip):
    from django.urls import reverse

    jalankan(mrc(rekaman("Laskar pelangi", "INLIS1", tahun_terbit="2008", induk=["A1"])))
    jalankan(
        mrc(
            rekaman("Laskar pelangi", "X1", tahun_terbit="2015", induk=["B1"]),
            rekaman("Ronggeng", "X2"),
        ),
        sumber="Lain",
    )
    jalankan(mrc(rekaman("Ronggeng", "X3", tahun_terbit="1990")), sumber="Lain lagi")
    calon = CalonGabung.objects.get(baru__nomor_kontrol="X1")
    client.force_login(admin_dispusip)
    html = client.get(reverse("katalog:antrean_gabung")).content.decode()
    assert "Laskar pelangi" in html and "Gabungkan ke rekaman yang sudah ada" in html
    client.post(reverse("katalog:putuskan_gabung", args=[calon.pk, "gabung"]))
    calon.refresh_from_db()
    assert calon.status == "digabung"
    assert not Katalog.objects.filter(nomor_kontrol="X1").exists()
    laskar = Katalog.objects.get(nomor_kontrol="INLIS1")
    assert set(laskar.eksemplar.values_list("nomor_induk", flat=True)) == {"A1", "B1"}
    # The merged record's source now maps to the survivor, and its re-import attaches
    # there without rewriting it (the survivor is the union record).
    assert PetaImpor.objects.get(id_sumber="X1").id_tujuan == laskar.pk
    hasil, _job = jalankan(
        mrc(rekaman("Laskar pelangi (ubah)", "X1", tahun_terbit="2015", induk=["B1"])),
        sumber="Lain",
    )
    assert (
        hasil["katalog.tetap"] == 1 and Katalog.objects.get(pk=laskar.pk).judul == "Laskar pelangi"
    )
    assert laskar.eksemplar.count() == 2
    lain = CalonGabung.objects.get(status="menunggu")
    client.post(reverse("katalog:putuskan_gabung", args=[lain.pk, "pisah"]))
    lain.refresh_from_db()
    assert lain.status == "dipisah" and Katalog.objects.filter(judul="Ronggeng").count() == 2


def test_kunci_rekaman_tanpa_id():
    """A description the source had keeps its key; an edited one takes its copies'
    earlier key only when that description is gone from the file; no key twice."""
    from katalog.impor import tetapkan_kunci

    # Unchanged, edited (old key S gone from the file), and new.
    assert tetapkan_kunci({"a": "a", "b": "s", "c": None}, {"a"}) == {
        "a": "a", "b": "s", "c": "c",
    }  # fmt: skip
    # Split: some copies now carry another description, the old one is still there.
    assert tetapkan_kunci({"baru": "lama", "lama": "lama"}, {"lama"}) == {
        "baru": "baru", "lama": "lama",
    }  # fmt: skip
    # Two descriptions whose copies shared one record: the first takes it.
    assert tetapkan_kunci({"x": "s", "y": "s"}, set()) == {"x": "s", "y": "y"}


def test_template_rekaman_dipecah_di_sumber(jalankan):
    """Copies of one record that the source now describes two ways: the unchanged
    description keeps its record, the other is a record of its own (here joined to
    the first by their shared ISBN, as any new record would be); nothing is refused."""
    kepala = "\n".join((IMPOR / "sample_data_koleksi_AACR.csv").read_text().splitlines()[:2])
    baris = (IMPOR / "sample_data_koleksi_AACR.csv").read_text().splitlines()[2]
    salinan = [baris.replace("X0022/2016", f"F{i}/2016") for i in range(1, 4)]
    hasil, _job = jalankan(("koleksi.csv", "\n".join([kepala, *salinan]).encode()))
    assert hasil["katalog.dibuat"] == 1 and hasil["eksemplar.dibuat"] == 3
    mahligai = Katalog.objects.get()
    salinan[:2] = [x.replace("Mahligai Biru", "Mahligai Biru Laut") for x in salinan[:2]]
    hasil, _job = jalankan(("koleksi.csv", "\n".join([kepala, *salinan]).encode()))
    assert hasil["galat"] == 0 and hasil["katalog.tetap"] == 1, hasil
    assert hasil["katalog.digabung"] == 1 and hasil["eksemplar.tetap"] == 3
    mahligai.refresh_from_db()
    assert mahligai.judul == "Mahligai Biru" and Katalog.objects.count() == 1


def test_dua_berkas_templat_satu_deskripsi_satu_rekaman(jalankan):
    """The same description in two template files of one import is one record with
    the items of both, not a second record refused as a repeated id."""
    teks = (IMPOR / "sample_data_koleksi_AACR.csv").read_text().splitlines()
    kepala, baris = "\n".join(teks[:2]), teks[2]
    satu = "\n".join([kepala, baris]).encode()
    dua = "\n".join([kepala, baris.replace("X0022/2016", "X0099/2016")]).encode()
    hasil, _job = jalankan(("koleksi-1.csv", satu), ("koleksi-2.csv", dua))
    assert hasil["galat"] == 0 and hasil["katalog.dibuat"] == 1
    assert hasil["eksemplar.dibuat"] == 2
    assert Katalog.objects.get().eksemplar.count() == 2
