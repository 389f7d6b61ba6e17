"""Staging table files: PostgreSQL's COPY parser for clean CSVs, row by row otherwise,
with the same rows either way; and the process pool that prepares records."""

import pytest
from django.db import connection, transaction
from openpyxl import Workbook

from dispusip import impor, paralel, pembaca

pytestmark = pytest.mark.django_db

KOLOM = ["id", "catalogid", "value"]


def _berkas(tmp_path, nama: str, isi: bytes) -> pembaca.BerkasMasuk:
    jalur = tmp_path / nama
    jalur.write_bytes(isi)
    return pembaca.BerkasMasuk(nama, jalur)


def _staged(nama: str = "stg_uji") -> list[tuple]:
    with connection.cursor() as c:
        c.execute(f"SELECT berkas, nomor, id, catalogid, value FROM {nama} ORDER BY berkas, nomor")
        return c.fetchall()


def _copy_dipakai(monkeypatch) -> list[str]:
    """Which files went through COPY whole."""
    dipakai, asli = [], impor._copy_mentah

    def catat(nama, b, kolom, penanda):
        ok = asli(nama, b, kolom, penanda)
        if ok:
            dipakai.append(b.nama)
        return ok

    monkeypatch.setattr(impor, "_copy_mentah", catat)
    return dipakai


def test_csv_bersih_lewat_copy_dengan_nomor_baris_dan_kolom_tak_dikenal(tmp_path, monkeypatch):
    dipakai = _copy_dipakai(monkeypatch)
    a = _berkas(
        tmp_path, "a.csv", b'ID,Lain,CatalogId,Value\r\n1.0,x,7,"$a Judul, satu"\r\n2,y,7,\r\n'
    )
    b = _berkas(tmp_path, "b.csv", "\ufeffid;catalogid\n9;8\n".encode())
    with transaction.atomic():
        impor.muat_tabel("stg_uji", [a, b], KOLOM)
        rows = _staged()
    assert dipakai == ["a.csv", "b.csv"]
    # Values as given (readers trim and clean them); a column the file lacks is NULL.
    assert rows == [
        ("a.csv", 2, "1.0", "7", "$a Judul, satu"),
        ("a.csv", 3, "2", "7", None),
        ("b.csv", 2, "9", "8", None),
    ]


@pytest.mark.parametrize(
    "isi",
    [
        b"id,catalogid,value\n1,7,a\n2,7,b,lebih\n3,7,c\n",  # a ragged row
        b'id,catalogid,value\n1,7,a\n2,7,b\n3,7,"c\n',  # an unterminated quote
        b"id,catalogid,value\n\n1,7,a\n2,7,b\n3,7,c\n",  # a blank line
    ],
)
def test_csv_yang_ditolak_copy_dibaca_baris_demi_baris(tmp_path, monkeypatch, isi):
    dipakai = _copy_dipakai(monkeypatch)
    with transaction.atomic():
        impor.muat_tabel("stg_uji", [_berkas(tmp_path, "r.csv", isi)], KOLOM)
        rows = _staged()
    assert dipakai == []
    assert [r[2] for r in rows] == ["1", "2", "3"]
    assert [r[3] for r in rows] == ["7", "7", "7"]


def test_windows_1252_dan_xlsx_sama_hasilnya(tmp_path):
    csv = _berkas(tmp_path, "w.csv", "id,catalogid,value\n1,7,Buku Caf\u00e9\n".encode("cp1252"))
    buku = Workbook()
    buku.active.append(["ID", "CatalogId", "Value"])
    buku.active.append(["1", "7", "Buku Caf\u00e9"])
    buku.save(tmp_path / "w.xlsx")
    xlsx = pembaca.BerkasMasuk("w.xlsx", tmp_path / "w.xlsx")
    with transaction.atomic():
        impor.muat_tabel("stg_uji", [csv, xlsx], KOLOM)
        rows = _staged()
    assert [r[2:] for r in rows] == [("1", "7", "Buku Caf\u00e9")] * 2


def _kali_dua(batch, tambah):
    return [x * 2 + tambah for x in batch]


def test_peta_batch_urut_dan_lewat_kolam_proses(settings):
    settings.IMPOR_PROSES = 2
    batch = [list(range(i, i + 3)) for i in range(0, 30, 3)]
    hasil = list(paralel.peta_batch(_kali_dua, iter(batch), 1, mulai=2))
    assert hasil == [[x * 2 + 1 for x in b] for b in batch]


def test_peta_batch_membekukan_gc_selama_berjalan_saja(settings):
    """What the caller keeps is frozen out of the collector's passes batch by batch,
    and handed back when the batches end, also when the caller stops early."""
    import gc

    settings.IMPOR_PROSES = 0
    beku = []
    for _hasil in paralel.peta_batch(_kali_dua, [[1], [2]], 0):
        beku.append(gc.get_freeze_count())
    assert all(n > 0 for n in beku) and gc.get_freeze_count() == 0
    jalan = paralel.peta_batch(_kali_dua, [[1], [2], [3]], 0)
    next(jalan)
    jalan.close()
    assert gc.get_freeze_count() == 0


def test_tanpa_proses_semua_di_sini(settings):
    settings.IMPOR_PROSES = 0
    assert list(paralel.peta_batch(_kali_dua, [[1], [2]], 0)) == [[2], [4]]


def test_proses_daemon_tidak_membuat_kolam(settings, monkeypatch):
    """A Celery prefork child is daemonic and may not have children: it works alone."""
    import multiprocessing
    from types import SimpleNamespace

    settings.IMPOR_PROSES = 2
    monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    assert paralel.jumlah_proses() == 0
    assert list(paralel.peta_batch(_kali_dua, [[1], [2]], 0)) == [[2], [4]]


def test_tanpa_indeks_mengembalikan_indeks_bila_muatan_gagal(db):
    """A failed load inside tanpa_indeks rolls the dropped indexes and keys back with it,
    even when the caller catches the error and goes on."""

    def struktur():
        with connection.cursor() as c:
            return impor.indeks_sekunder(c, "katalog_eksemplar"), impor.kunci_asing(
                c, "katalog_eksemplar"
            )

    sebelum = struktur()
    assert all(sebelum)
    with transaction.atomic():
        with pytest.raises(RuntimeError), impor.tanpa_indeks(["katalog_eksemplar"]):
            # Its keys to other tables (records, branches…) stay.
            assert struktur() == ([], sebelum[1])
            raise RuntimeError("muatan gagal")
        assert struktur() == sebelum


@pytest.mark.django_db(transaction=True)
def test_tanpa_indeks_tidak_mengunci_tabel_lain(admin_dispusip):
    """Only the foreign keys between the loaded tables are dropped: users and branches
    stay readable by everyone else (logins, pages) while a first migration runs."""
    import psycopg

    from dispusip.env import database_to_url

    tabel = ["katalog_katalog", "katalog_eksemplar"]
    with transaction.atomic(), impor.tanpa_indeks(tabel):
        with connection.cursor() as c:
            assert impor.kunci_asing(c, "katalog_eksemplar", tabel) == []
            assert impor.kunci_asing(c, "katalog_eksemplar", ["dispusip_cabang"])
        with psycopg.connect(database_to_url(connection.settings_dict)) as lain:
            lain.execute("SET lock_timeout = '2s'")
            assert lain.execute("SELECT count(*) FROM dispusip_pengguna").fetchone()[0] >= 1
            lain.execute("SELECT count(*) FROM dispusip_cabang").fetchone()


def test_larik_pg_dibaca_postgresql_apa_adanya():
    """Arrays passed as one literal (cheaper than a list) arrive unchanged, also
    through COPY into a text[] column."""
    nilai = ['a"b', "c\\d", "", "{x}", "NULL", " sp ", "Ñ,;", "tab\tdi"]
    with connection.cursor() as c:
        c.execute("SELECT %s::text[]", [impor.larik_pg(nilai)])
        assert c.fetchone()[0] == nilai
    impor.buat_staging("stg_larik", [("isi", "text[]")])
    impor.salin("stg_larik", ["isi"], [(impor.larik_pg(nilai),), (impor.larik_pg([]),)])
    with connection.cursor() as c:
        c.execute("SELECT isi FROM stg_larik")
        assert [r[0] for r in c.fetchall()] == [nilai, []]
