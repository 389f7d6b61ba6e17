"""`manage.py impor` for very large migrations: the same engine as the upload screen,
with the source named after the file, the format detected or forced, all-or-nothing
or partial, a report file, and a non-zero exit when nothing could be imported."""

import io

import pytest
from django.core.management import CommandError, call_command

from dispusip.models import SumberImpor
from katalog.models import Katalog
from tests.katalog.test_impor import IMPOR, berkas, rekaman

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])


@pytest.fixture
def perintah(cabang, kategori):
    def jalankan(*argumen: str) -> str:
        keluar = io.StringIO()
        call_command("impor", *argumen, "--cabang", "cikini", stdout=keluar, stderr=keluar)
        return keluar.getvalue()

    return jalankan


def test_sumber_bawaan_dari_nama_berkas_dan_ulang_idempoten(perintah, tmp_path):
    jalur = tmp_path / "sudin_jakbar.mrc"
    jalur.write_bytes(berkas(rekaman("Satu", "INLIS1"), rekaman("Dua", "INLIS2")))
    keluar = perintah(str(jalur))
    assert "sudin_jakbar.mrc: marc" in keluar and "Dibuat: 2" in keluar
    assert SumberImpor.objects.filter(nama="sudin_jakbar").exists()
    keluar = perintah(str(jalur))
    assert Katalog.objects.count() == 2 and "Tidak berubah: 2" in keluar


def test_format_dipaksa_menolak_berkas_lain(perintah):
    with pytest.raises(CommandError, match="Tidak ada berkas yang dikenali"):
        perintah(str(IMPOR / "inlislite_members_COMPOSED.csv"), "--format", "inlislite-marc")
    keluar = perintah(str(IMPOR / "slims_biblio_export_COMPOSED.csv"), "--format", "slims")
    assert ": slims.biblio" in keluar


def test_semua_atau_tidak_sama_sekali_lalu_sebagian_dengan_laporan(perintah, tmp_path):
    jalur = tmp_path / "campur.mrc"
    jalur.write_bytes(berkas(rekaman("Baik", "INLIS1"), rekaman("", "INLIS2")))
    laporan = tmp_path / "laporan.csv"
    with pytest.raises(CommandError, match="Tidak ada yang diimpor: 1 galat"):
        perintah(str(jalur), "--laporan", str(laporan))
    assert not Katalog.objects.exists()
    assert "Judul (245 $a) kosong" in laporan.read_text(encoding="utf-8-sig")
    keluar = perintah(str(jalur), "--sebagian")
    assert Katalog.objects.get().judul == "Baik" and "Ditolak: 1" in keluar


def test_keluar_bukan_nol_bila_tidak_ada_yang_terimpor(perintah, tmp_path):
    jalur = tmp_path / "kosong.mrc"
    jalur.write_bytes(berkas(rekaman("", "INLIS1")))
    with pytest.raises(CommandError, match="Tidak ada yang diimpor"):
        perintah(str(jalur), "--sebagian")
    with pytest.raises(CommandError, match="Berkas tidak ada"):
        perintah(str(tmp_path / "tidak-ada.mrc"))
