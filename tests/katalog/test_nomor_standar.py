import pytest

from katalog import nomor_standar as ns


def test_isbn_10_dan_13_bertemu_di_bentuk_normal():
    assert ns.normal_isbn("979-3062-79-7") == "9789793062792"
    assert ns.normal_isbn("978 979 3062 79 2") == "9789793062792"
    assert ns.normal_isbn("978-979-1227-00-1 (pbk.)") == "9789791227001"


def test_isbn_digit_pemeriksa_salah():
    assert ns.normal_isbn("978-979-1227-00-3") is None
    assert ns.masalah_isbn("978-979-1227-00-3") == "Digit pemeriksa ISBN “978-979-1227-00-3” salah."
    assert "harus 10 atau 13 angka" in ns.masalah_isbn("978-979-12-34-5")
    assert ns.masalah_isbn("9789791227001") is None


def test_issn():
    assert ns.normal_issn("0126-0537") == "01260537"
    assert ns.masalah_issn("0126-0537") is None
    assert ns.masalah_issn("0126-0538") == "Digit pemeriksa ISSN “0126-0538” salah."


def test_kunci_pencarian_menyimpan_nomor_salah_apa_adanya():
    # Real Inlislite data has wrong check digits: still searchable by its digits.
    assert ns.kunci_pencarian(["979-3062-79-7", "978-979-1227-00-3", "0126-0537"]) == [
        "9789793062792",
        "9789791227003",
        "01260537",
    ]


@pytest.mark.parametrize(
    ("teks", "kunci"),
    [
        ("979-3062-79-7", "9789793062792"),
        ("9789793062792", "9789793062792"),
        ("0126-0537", "01260537"),
        ("laskar", None),
        ("2008", None),
    ],
)
def test_kunci_kueri(teks, kunci):
    assert ns.kunci_kueri(teks) == kunci
