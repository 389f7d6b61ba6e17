"""The MARC record is the master: one mapping derives the columns, and what the
form does not model survives a round trip through the form."""

from pathlib import Path

import pytest
from pymarc import Field, MARCReader, Subfield

from katalog import marc as marc_mod

DATA = Path(__file__).resolve().parent.parent / "data"


def _sampel():
    with open(DATA / "contoh_MARC_MRC.mrc", "rb") as f:
        return next(iter(MARCReader(f, to_unicode=True)))


def test_kolom_dari_marc_sampel_inlislite():
    kolom = marc_mod.kolom_dari_marc(_sampel())
    assert kolom["judul"] == "New test record number 1 with ordinary data"
    assert kolom["pernyataan_tanggung_jawab"].startswith("by Jane Deer-Doe")
    assert [p["nama"] for p in kolom["pengarang"]] == ["Deer-Doe, J.", "O'Furniture, Patty"]
    assert kolom["pengarang"][1]["peran"] == "ed."
    assert kolom["tempat_terbit"] == "Washington, DC"
    assert kolom["penerbit"] == "Library of Congress"
    assert kolom["tahun"] == 1955
    assert kolom["bahasa"] == "eng"
    assert "Test record -- Juvenile" in kolom["subjek"]
    assert kolom["seri"].startswith("Test record series")
    assert kolom["jenis"] == "monograf"


def _isian(**ubah):
    data = dict(
        jenis="monograf",
        judul="Laskar pelangi",
        anak_judul="sebuah novel",
        pernyataan_tanggung_jawab="Andrea Hirata",
        pengarang=[("Hirata, Andrea", "pengarang"), ("Damono, Sapardi Djoko", "penyunting")],
        edisi="Cet. 25",
        tempat_terbit="Yogyakarta",
        penerbit="Bentang",
        tahun_terbit="2008",
        isbn=["978-979-1227-00-1"],
        nomor_panggil="899.221 3 HIR l",
        ddc="899.221 3",
        bahasa="ind",
        subjek=["Fiksi Indonesia", "Belitung -- Fiksi"],
        seri="Tetralogi Laskar Pelangi ; 1",
        deskripsi_fisik="xii + 529 hlm. ; 20 cm",
        catatan="Novel pertama",
        abstrak="Kisah sepuluh anak Belitung.",
        audiens="Remaja",
    )
    data.update(ubah)
    return marc_mod.Isian(**data)


def test_kolom_dari_json_mengikuti_urutan_rekaman():
    """Columns read from several tags take them in the record's order, as the
    record gives them (a 700 catalogued before the 100 stays first), and odd
    entries (a data tag given as text, a field without subfields) are skipped."""
    data = {
        "leader": "00000nam a2200000 a 4500",
        "fields": [
            {"001": " INLIS9 "},
            {"008": "240101s2024    io            000 0 eng d"},
            {"700": {"ind1": "1", "ind2": " ", "subfields": [{"a": "Kedua, Nama,"},
                                                             {"e": "penyunting"}]}},
            {"100": {"ind1": "1", "ind2": " ", "subfields": [{"a": "Pertama, Nama."}]}},
            {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "Judul :"}, {"b": "anak /"},
                                                             {"c": "Nama Pertama."}]}},
            {"264": {"ind1": " ", "ind2": "1", "subfields": []}},
            {"260": {"ind1": " ", "ind2": " ", "subfields": [{"b": "Penerbit,"}, {"c": "2019"}]}},
            {"650": "teks saja"},
            {"651": {"ind1": " ", "ind2": "4", "subfields": [{"a": "Jakarta"}, {"x": "Sejarah."}]}},
        ],
    }  # fmt: skip
    kolom = marc_mod.kolom_dari_json(data)
    assert kolom["pengarang"] == [
        {"nama": "Kedua, Nama", "peran": "penyunting"},
        {"nama": "Pertama, Nama", "peran": "pengarang"},
    ]
    assert (kolom["judul"], kolom["anak_judul"], kolom["nomor_kontrol"]) == (
        "Judul",
        "anak",
        "INLIS9",
    )
    # The first of 264/260 present is the imprint, even when it says nothing.
    assert (kolom["penerbit"], kolom["tahun"]) == ("", None)
    assert kolom["subjek"] == ["Jakarta -- Sejarah"] and kolom["bahasa"] == "eng"
    assert marc_mod.kolom_dari_marc(marc_mod.record_dari_json(data))["subjek"] == kolom["subjek"]


def test_isian_bolak_balik_lewat_marc():
    record = marc_mod.terapkan_isian(marc_mod.record_kosong(), _isian())
    kolom = marc_mod.kolom_dari_marc(record)
    assert kolom["judul"] == "Laskar pelangi"
    assert kolom["anak_judul"] == "sebuah novel"
    assert kolom["pernyataan_tanggung_jawab"] == "Andrea Hirata"
    assert kolom["pengarang"] == [
        {"nama": "Hirata, Andrea", "peran": "pengarang"},
        {"nama": "Damono, Sapardi Djoko", "peran": "penyunting"},
    ]
    assert (kolom["tempat_terbit"], kolom["penerbit"], kolom["tahun"]) == (
        "Yogyakarta",
        "Bentang",
        2008,
    )
    assert kolom["isbn_normal"] == ["9789791227001"]
    assert kolom["nomor_panggil"] == "899.221 3 HIR l"
    assert kolom["subjek"] == ["Fiksi Indonesia", "Belitung -- Fiksi"]
    assert kolom["edisi"] == "Cet. 25"
    assert kolom["bahasa"] == "ind"
    assert record["245"].get_subfields("a") == ["Laskar pelangi :"]  # ISBD punctuation written
    # The form's initial values come back as they were typed.
    awal = marc_mod.isian_dari_katalog(kolom)
    assert awal["pengarang"] == "Hirata, Andrea\nDamono, Sapardi Djoko ; penyunting"
    assert awal["subjek"] == "Fiksi Indonesia\nBelitung -- Fiksi"


def test_ruas_yang_tidak_dimodelkan_bertahan():
    record = marc_mod.terapkan_isian(marc_mod.record_kosong(), _isian())
    record.add_ordered_field(
        Field(
            tag="246",
            indicators=["1", " "],
            subfields=[Subfield("a", "Laskar Pelangi (judul film)")],
        )
    )
    record.add_ordered_field(
        Field(
            tag="856", indicators=["4", "0"], subfields=[Subfield("u", "https://contoh.invalid/lp")]
        )
    )
    record.add_ordered_field(
        Field(tag="990", indicators=[" ", " "], subfields=[Subfield("a", "00123/PJK/2024")])
    )
    json = marc_mod.record_ke_json(record)
    lagi = marc_mod.terapkan_isian(
        marc_mod.record_dari_json(json), _isian(judul="Laskar Pelangi", subjek=["Fiksi"])
    )
    assert lagi["246"]["a"] == "Laskar Pelangi (judul film)"
    assert lagi["856"]["u"] == "https://contoh.invalid/lp"
    assert lagi["990"]["a"] == "00123/PJK/2024"
    assert [f["a"] for f in lagi.get_fields("650")] == ["Fiksi"]


@pytest.mark.parametrize(
    ("jenis", "leader67"),
    [
        ("monograf", "am"),
        ("terbitan_berkala", "as"),
        ("kartografi", "em"),
        ("sumber_elektronik", "mm"),
        ("musik", "jm"),
    ],
)
def test_jenis_bahan_tersimpan_di_leader(jenis, leader67):
    record = marc_mod.terapkan_isian(marc_mod.record_kosong(), _isian(jenis=jenis))
    assert str(record.leader)[6:8] == leader67
    assert marc_mod.kolom_dari_marc(record)["jenis"] == jenis


def test_teks_mnemonik_bolak_balik():
    record = marc_mod.terapkan_isian(marc_mod.record_kosong(), _isian())
    teks = marc_mod.ke_teks(record)
    assert "=245  10$aLaskar pelangi :$bsebuah novel /$cAndrea Hirata" in teks
    assert marc_mod.kolom_dari_marc(marc_mod.dari_teks(teks)) == marc_mod.kolom_dari_marc(record)


def test_teks_mnemonik_salah_dilaporkan_per_baris():
    teks = "=LDR  00000nam a2200000 a 4500\n=245  10$aJudul\n245 judul tanpa sama dengan\n=650  \\4aTanpa dolar\n=65X  \\4$aX\n"
    with pytest.raises(marc_mod.MarcTidakValid) as exc:
        marc_mod.dari_teks(teks)
    masalah = exc.value.masalah
    assert len(masalah) == 3
    assert masalah[0].startswith("Baris 3:")
    assert masalah[1].startswith("Baris 4:")
    assert "Baris 5" in masalah[2]


def test_tanpa_245_ditolak():
    with pytest.raises(marc_mod.MarcTidakValid, match="245"):
        marc_mod.dari_teks("=100  1\\$aHirata, Andrea\n")


def test_bersihkan_tanda_baca_isbd():
    assert marc_mod.bersihkan("Laskar pelangi /") == "Laskar pelangi"
    assert marc_mod.bersihkan("Jakarta :") == "Jakarta"
    assert marc_mod.bersihkan("Grafika,") == "Grafika"
    assert marc_mod.bersihkan("Hirata, A.") == "Hirata, A."
    assert marc_mod.bersihkan("Kisah nyata.") == "Kisah nyata"


@pytest.mark.parametrize(
    ("nomor", "baris"),
    [
        ("899.221 3 HIR l", ["899.221 3", "HIR", "l"]),
        ("R 344.092 IND u", ["R", "344.092", "IND", "u"]),
        ("A 398.2 KAN", ["A", "398.2", "KAN"]),
        ("959.822", ["959.822"]),
        ("FIK HIR l", ["FIK", "HIR", "l"]),
        ("", []),
    ],
)
def test_nomor_panggil_di_label_punggung(nomor, baris):
    from katalog.models import baris_nomor_panggil

    assert baris_nomor_panggil(nomor) == baris


def test_formulir_tanpa_perubahan_tidak_menggandakan_atau_menghilangkan_ruas():
    teks = (
        "=LDR  00000nam a2200000 a 4500\n"
        "=008  240101s2024    io            000 0 ind d\n"
        "=100  1\\$aHatta, Mohammad,$d1902-1980\n"
        "=110  2\\$aBadan Pusat Statistik\n"
        "=245  10$aStatistik daerah /$cBPS\n"
        "=505  0\\$aBab 1 -- Bab 2\n"
        "=651  \\0$aJakarta$xStatistik\n"
        "=830  \\0$aSeri Statistik Daerah\n"
    )
    record = marc_mod.dari_teks(teks)
    awal = marc_mod.isian_dari_katalog(marc_mod.kolom_dari_marc(record))
    for _ in range(3):  # the form saved three times without a change
        isian = marc_mod.Isian(
            jenis=awal["jenis"], judul=awal["judul"], anak_judul=awal["anak_judul"],
            pernyataan_tanggung_jawab=awal["pernyataan_tanggung_jawab"],
            pengarang=[tuple([*b.split(" ; "), "pengarang"][:2]) for b in awal["pengarang"].splitlines()],
            bahasa=awal["bahasa"], tahun_terbit=awal["tahun_terbit"], seri=awal["seri"],
            catatan=awal["catatan"], subjek=awal["subjek"].splitlines(),
        )  # fmt: skip
        record = marc_mod.terapkan_isian(record, isian)
    assert marc_mod.ke_teks(record) == marc_mod.ke_teks(marc_mod.dari_teks(teks))
    # A real change replaces every tag the column is read from: no 110 left beside a new 100.
    isian.pengarang = [("Hatta, Mohammad", "pengarang")]
    record = marc_mod.terapkan_isian(record, isian)
    assert [f.tag for f in record.get_fields("100", "110", "700", "710")] == ["100"]
    assert record["651"]["a"] == "Jakarta"  # untouched subjects keep their tag


def test_tanda_dolar_di_dalam_data_selamat_di_editor():
    record = marc_mod.dari_teks("=020  \\\\$a9786020000000$cUS{dollar} 12\n=245  10$aJudul\n")
    assert record["020"].get_subfields("c") == ["US$ 12"]
    teks = marc_mod.ke_teks(record)
    assert "$cUS{dollar} 12" in teks and marc_mod.ke_teks(marc_mod.dari_teks(teks)) == teks
