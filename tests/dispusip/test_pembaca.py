"""The generic readers, against the real Inlislite and SLiMS samples (tests/data/impor)."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pymarc import parse_xml_to_array

from dispusip import pembaca
from dispusip.pembaca import BerkasGagal

DATA = Path(__file__).resolve().parent.parent / "data"
IMPOR = DATA / "impor"


def _baca(nama: str) -> bytes:
    return (IMPOR / nama).read_bytes()


@pytest.mark.parametrize(
    ("nama", "jenis"),
    [
        ("001_FormatAnggota.xlsx", "xlsx"),
        ("001_FormatAnggota.csv", "csv"),
        ("sample_data_koleksi_AACR.xlsx", "xlsx"),
        ("contoh_MARC_XML.xml", "marcxml"),
        ("slims_biblio_export_COMPOSED.csv", "csv"),
    ],
)
def test_jenis_dikenali_dari_isinya(nama, jenis):
    assert pembaca.jenis_berkas(nama, _baca(nama)) == jenis


def test_jenis_marc_html_dan_zip():
    mrc = (DATA / "contoh_MARC_MRC.mrc").read_bytes()
    assert pembaca.jenis_berkas("apa saja.dat", mrc) == "marc21"
    html = b"<html><body><table><tr><td>No</td></tr></table></body></html>"
    assert pembaca.jenis_berkas("Laporan_Periodik_Data.xls", html) == "html"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("catalogs.csv", "ID,Title\n1,A\n")
    assert pembaca.jenis_berkas("ekspor.zip", buf.getvalue()) == "zip"


@pytest.mark.parametrize(
    ("raw", "enc"),
    [
        (b"Judul,Pengarang\nSejarah Betawi,Ridwan Saidi\n", "utf-8"),
        ("\ufeffJudul;Pengarang\r\nKampung Melayu;Abdul Chaer\r\n".encode(), "utf-8-sig"),
        ("Judul\tPengarang\nCafé Batavia\tJosé Rizal\n".encode("cp1252"), "cp1252"),
    ],
)
def test_pengodean_dan_pemisah(raw, enc):
    _teks, ditemukan = pembaca.dekode(raw)
    assert ditemukan == enc
    rows = list(pembaca.dengan_kepala(pembaca.baris_csv(raw)))
    assert rows[0].nomor == 2
    assert set(rows[0].nilai) == {"judul", "pengarang"}
    assert rows[0].nilai["judul"] in {"Sejarah Betawi", "Kampung Melayu", "Café Batavia"}


def test_templat_anggota_csv_dan_xlsx_sama():
    dari_csv = list(pembaca.dengan_kepala(pembaca.baris("a.csv", _baca("001_FormatAnggota.csv"))))
    dari_xlsx = list(
        pembaca.dengan_kepala(pembaca.baris("a.xlsx", _baca("001_FormatAnggota.xlsx")))
    )
    assert len(dari_csv) == len(dari_xlsx) > 0
    pertama = dari_xlsx[0].nilai
    assert pertama["no anggota"] == "0A46275636" and pertama["nama"] == "ADIT MARYANA"
    assert pembaca.tanggal(pertama["tanggal lahir"]) == date(2004, 3, 15)


def test_templat_lama_dengan_tanggal_serial_excel():
    rows = list(
        pembaca.dengan_kepala(
            pembaca.baris("lama.xlsx", _baca("001_FormatAnggota_older_variant.xlsx"))
        )
    )
    kolom_tanggal = [k for k in rows[0].nilai if "tgl" in k or "tanggal" in k]
    assert kolom_tanggal
    nilai = [rows[0].nilai[k] for k in kolom_tanggal if rows[0].nilai[k]]
    assert all(isinstance(pembaca.tanggal(v), date) for v in nilai)


def test_laporan_html_dengan_baris_judul():
    html = (
        b"<html><head><meta charset='utf-8'></head><body><table>"
        b"<tr><td colspan=3>Laporan Detail Data Koleksi</td></tr>"
        b"<tr><td colspan=3>Buku Induk Perpustakaan 2024</td></tr>"
        b"<tr><th>No.</th><th>Nomer Induk</th><th>Judul</th></tr>"
        b"<tr><td>1</td><td>00123/PJK/2024</td><td>Laskar pelangi<br/>Cet. 25</td></tr>"
        b"</table></body></html>"
    )
    rows = list(pembaca.dengan_kepala(pembaca.baris("Laporan.xls", html), penanda=["Nomer Induk"]))
    assert rows == [
        pembaca.Baris(
            4, {"no.": "1", "nomer induk": "00123/PJK/2024", "judul": "Laskar pelangi Cet. 25"}
        )
    ]


def test_marc_iso_marc8_asli_dan_utf8_inlislite():
    marc8 = list(pembaca.rekaman_marc((DATA / "contoh_MARC_MRC.mrc").read_bytes()))
    assert len(marc8) > 1
    judul = [r["245"]["a"] for _n, r in marc8 if r["245"]]
    assert all(isinstance(j, str) and "\ufffd" not in j for j in judul)
    # Inlislite: UTF-8 bytes while leader/09 is blank (claims MARC-8).
    from pymarc import Field, Record, Subfield

    r = Record(force_utf8=True)
    r.add_field(
        Field(
            tag="245",
            indicators=["1", "0"],
            subfields=[Subfield("a", "Sejarah Jakarta : kota Batavia — é")],
        )
    )
    raw = r.as_marc()
    raw = raw[:9] + b" " + raw[10:]  # leader/09 blank, as Inlislite writes it
    ((nomor, baca),) = list(pembaca.rekaman_marc(raw + b"\n"))
    assert nomor == 1 and baca["245"]["a"] == "Sejarah Jakarta : kota Batavia — é"


def _iso(*fields, leader09=" ") -> bytes:
    from pymarc import Record

    r = Record(force_utf8=True)
    r.add_field(*fields)
    raw = r.as_marc()
    return raw[:9] + leader09.encode() + raw[10:]


def test_iso_ke_json_sama_dengan_pymarc():
    """The fast reader gives what pymarc gives, for Inlislite's UTF-8 and for the
    genuine MARC-8 sample (which it hands to pymarc)."""
    from pymarc import Field, Record, Subfield

    sampel = [p for _n, p in pembaca.potongan_iso((DATA / "contoh_MARC_MRC.mrc").read_bytes())]
    utf8 = _iso(
        Field(tag="001", data="INLIS000000000000042"),
        Field(tag="245", indicators=["1", "0"], subfields=[Subfield("a", "Kota — é :"),
                                                           Subfield("b", "")]),
        Field(tag="650", indicators=[" ", "4"], subfields=[Subfield("a", "Sejarah")]),
    )  # fmt: skip
    for potongan in [*sampel, utf8]:
        try:
            harapan = Record(potongan, force_utf8=True, utf8_handling="strict").as_dict()
        except UnicodeDecodeError:
            harapan = Record(potongan, to_unicode=True, force_utf8=False).as_dict()
        assert pembaca.iso_ke_json(potongan) == harapan


def test_iso_ke_json_indikator_ganjil_dan_rusak_lewat_pymarc():
    from pymarc.exceptions import PymarcException

    # A 245 with one indicator, written by hand: pymarc reads the second as blank.
    data = b"1\x1faX\x1e"
    rusak = b"00043nam a2200037 a 4500" + b"245%04d00000\x1e" % len(data) + data + b"\x1d"
    field = pembaca.iso_ke_json(rusak)["fields"][0]["245"]
    assert field == {"ind1": "1", "ind2": " ", "subfields": [{"a": "X"}]}
    with pytest.raises(PymarcException):
        pembaca.iso_ke_json(b"00026nam a2200025 a 4500\x1e\x1d")  # no fields at all


def test_marcxml():
    rekaman = list(pembaca.rekaman_marc(_baca("contoh_MARC_XML.xml")))
    assert rekaman and rekaman[0][1]["245"] is not None
    # Read as it streams, and the same records pymarc reads whole.
    utuh = parse_xml_to_array(io.BytesIO(_baca("contoh_MARC_XML.xml")))
    assert [r.as_dict() for _n, r in rekaman] == [r.as_dict() for r in utuh]


def test_marcxml_dibaca_bertahap_dan_rusak_dilaporkan():
    satu = (
        '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">{n}'
        '</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Judul {n}'
        "</subfield></datafield></record>"
    )
    isi = (
        '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim">'
        + "".join(satu.format(n=n) for n in range(20000))
        + "</collection>"
    ).encode()

    class Terbaca(io.BytesIO):
        dibaca = 0

        def read(self, n=-1):
            hasil = super().read(n)
            self.dibaca += len(hasil)
            return hasil

    f = Terbaca(isi)
    rekaman = pembaca.rekaman_marcxml(f)
    nomor, pertama = next(rekaman)
    assert nomor == 1 and pertama["245"]["a"] == "Judul 0"
    assert f.dibaca < len(isi)  # the first record came before the file was read whole
    assert sum(1 for _ in rekaman) == 19999
    rusak = pembaca.rekaman_marcxml(io.BytesIO(isi[: len(isi) // 2] + b"<record><oops"))
    with pytest.raises(BerkasGagal, match="MARCXML tidak dapat dibaca setelah rekaman ke-"):
        list(rusak)


def test_marc_terpotong_dilaporkan():
    raw = (DATA / "contoh_MARC_MRC.mrc").read_bytes()
    with pytest.raises(BerkasGagal, match="ke-1 terpotong"):
        list(pembaca.rekaman_marc(raw[:100]))


def test_zip_diratakan_dan_dibatasi(monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("ekspor/catalogs.csv", "ID\n1\n")
        z.writestr("__MACOSX/._catalogs.csv", "x")
        z.writestr("ekspor/", "")
    assert pembaca.isi_zip(buf.getvalue()) == [("catalogs.csv", b"ID\n1\n")]
    monkeypatch.setattr(pembaca, "MAKS_BERKAS_ZIP", 1)
    buf2 = io.BytesIO()
    with zipfile.ZipFile(buf2, "w") as z:
        z.writestr("a.csv", "1")
        z.writestr("b.csv", "2")
    with pytest.raises(BerkasGagal, match="lebih dari 1 berkas"):
        pembaca.isi_zip(buf2.getvalue())
    with pytest.raises(BerkasGagal, match="rusak"):
        pembaca.isi_zip(b"PK\x03\x04bukan zip")


@pytest.mark.parametrize(
    ("nilai", "hasil"),
    [
        ("15-03-2004", date(2004, 3, 15)),
        ("15/03/2004", date(2004, 3, 15)),
        ("2024-03-14", date(2024, 3, 14)),
        ("2024-03-14 00:00:00", date(2024, 3, 14)),
        ("38061", date(2004, 3, 15)),
        (38061.0, date(2004, 3, 15)),
        ("", None),
        (None, None),
    ],
)
def test_tanggal(nilai, hasil):
    assert pembaca.tanggal(nilai) == hasil


def test_tanggal_tidak_sah():
    with pytest.raises(ValueError):
        pembaca.tanggal("kemarin")
    with pytest.raises(ValueError):
        pembaca.tanggal("31-02-2024")


def test_daftar_slims():
    assert pembaca.daftar_slims("<Hirata, Andrea><Saidi, Ridwan>") == [
        "Hirata, Andrea",
        "Saidi, Ridwan",
    ]
    assert pembaca.daftar_slims("Fiksi") == ["Fiksi"]
    assert pembaca.daftar_slims("") == []


def test_semua_sampel_tabel_terbaca():
    for path in sorted(IMPOR.glob("*")):
        if path.suffix in (".csv", ".xlsx"):
            rows = list(pembaca.dengan_kepala(pembaca.baris(path.name, path.read_bytes())))
            assert rows, path.name


def test_perkiraan_baris_untuk_bilah_kemajuan(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_bytes(b"ID,Nama\r\n" + b"".join(b"%d,x\r\n" % i for i in range(1000)))
    assert pembaca.BerkasMasuk("a.csv", csv).perkiraan_baris() == 1001
    html = tmp_path / "b.xls"
    html.write_bytes(b"<html><table>" + b"<TR><td>1</td></TR>" * 7 + b"</table></html>")
    assert pembaca.BerkasMasuk("b.xls", html).perkiraan_baris() == 7
    xlsx = DATA / "impor" / "001_FormatAnggota.xlsx"
    assert pembaca.BerkasMasuk(xlsx.name, xlsx).perkiraan_baris() >= 3
    marc = DATA / "contoh_MARC_MRC.mrc"
    assert pembaca.BerkasMasuk(marc.name, marc).perkiraan_baris() == 0


def test_laporan_html_besar_dibaca_bertahap(tmp_path):
    """A Buku Induk report of a whole library (HTML saved as .xls, Windows-1252) is
    parsed piece by piece: rows across piece boundaries intact, memory that of a piece."""
    import tracemalloc

    baris = "".join(
        f"<tr><td>{n}</td><td>Sejarah Betawi jilid {n}</td><td>Café Batavia</td></tr>\n"
        for n in range(100_000)
    )
    jalur = tmp_path / "Laporan_Buku_Induk.xls"
    jalur.write_bytes(
        ("<html><body><table><tr><th>No</th><th>Judul</th><th>Penerbit</th></tr>\n" + baris).encode(
            "cp1252"
        )
        + b"</table></body></html>"
    )
    assert jalur.stat().st_size > 6_000_000
    berkas = pembaca.BerkasMasuk(jalur.name, jalur)
    tracemalloc.start()
    try:
        jumlah, terakhir = 0, None
        for terakhir in berkas.baris():
            jumlah += 1
            assert len(terakhir) == 3
        _kini, puncak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert jumlah == 100_001
    assert terakhir == ["99999", "Sejarah Betawi jilid 99999", "Café Batavia"]
    # The file is 6.6 MB; read whole, the rows took 47 MB. Piece by piece, about 2 MB.
    assert puncak < 4_000_000, puncak


def test_pengodean_dikenali_dari_seluruh_berkas_bila_awalnya_ascii(tmp_path):
    """A Windows-1252 export whose first 256 kB are plain ASCII is not taken for
    UTF-8: the first é further on would otherwise refuse the whole file."""
    awal = "".join(f"<tr><td>{n}</td><td>Judul {n}</td></tr>\n" for n in range(20000))
    for nama, isi in (
        ("Laporan.xls", "<html><table>" + awal + "<tr><td>x</td><td>Café</td></tr></table>"),
        ("data.csv", "No,Judul\n" + "".join(f"{n},Judul {n}\n" for n in range(30000)) + "x,Café\n"),
    ):
        jalur = tmp_path / nama
        jalur.write_bytes(isi.encode("cp1252"))
        assert jalur.stat().st_size > pembaca.KEPALA_SAMPEL
        baris = list(pembaca.BerkasMasuk(nama, jalur).baris())
        assert baris[-1][-1] == "Café", nama
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(("No,Judul\n" + "1,x\n" * 70000 + "2,Café\n").encode())
    assert list(pembaca.BerkasMasuk("utf8.csv", utf8).baris())[-1] == ["2", "Café"]
