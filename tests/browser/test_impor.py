"""An administrator migrates an Inlislite branch: upload the table exports, read the
preview, map a collection category, run, watch the progress, read the result and
download the problem report."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from katalog.models import Eksemplar, Katalog
from tests.browser.conftest import SHOTS, masuk
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
IMPOR = Path(__file__).resolve().parent.parent / "data" / "impor"


def test_impor_tabel_inlislite_dengan_pemetaan_kategori(
    page, live_server, celery_worker, admin_dispusip, kategori, tmp_path
):
    kategori_csv = tmp_path / "collectioncategorys.csv"
    kategori_csv.write_text("ID,Code,Name\n1,U,Koleksi Umum\n2,A,Koleksi Anak Lt. 2\n")
    berkas = [
        str(IMPOR / f"inlislite_{n}_COMPOSED.csv")
        for n in ("catalogs", "catalog_ruas", "catalog_subruas", "collections")
    ] + [str(kategori_csv)]
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.goto(f"{live_server.url}/staf/katalog/")
    page.locator("#isi").get_by_role("link", name="Impor data").click()
    page.get_by_label("Berkas").set_input_files(berkas)
    page.get_by_label("Nama sumber").fill("Inlislite Sudin Jakarta Barat")
    page.get_by_label("Cabang tujuan").select_option(label="Perpustakaan Jakarta Cikini")
    page.screenshot(path=str(SHOTS / "impor-unggah.png"), full_page=True)
    page.get_by_role("button", name="Pratinjau").click()

    expect(page.locator("#format-terdeteksi")).to_contain_text("Tabel basis data Inlislite")
    expect(page.locator("#tabel-berkas")).to_contain_text("catalog_subruas")
    expect(page.locator(".tabel-contoh").first).to_contain_text("Laskar pelangi")
    expect(page.locator("#masalah-pratinjau")).to_contain_text("ISBN")
    page.get_by_label("Petakan “Koleksi Anak Lt. 2”").select_option(label="Koleksi Anak")
    page.screenshot(path=str(SHOTS / "impor-pratinjau.png"), full_page=True)

    page.get_by_role("button", name="Jalankan impor").click()
    expect(page).to_have_url(re.compile(r"/staf/job/\d+/$"))
    expect(page.locator("#status-job")).to_have_attribute(
        "data-status", "succeeded", timeout=60_000
    )
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("body")).to_contain_text("Rekaman katalog: Dibuat")
    page.screenshot(path=str(SHOTS / "impor-selesai.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh hasil").click()
    laporan = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "020 $a" in laporan and "978-979-1227-00-2" in laporan
    assert Katalog.objects.count() == 3
    assert Eksemplar.objects.get(barcode="00000120003").kategori == kategori["anak"]


def test_kemajuan_impor_besar_terlihat_selama_berjalan(
    page, live_server, celery_worker, admin_dispusip, kategori, tmp_path
):
    """A large MARC file: the bar moves while the import runs (all-or-nothing, so
    nothing is committed yet), then the result page."""
    from tests.katalog.test_impor import berkas, rekaman

    jalur = tmp_path / "ekspor_besar.mrc"
    jalur.write_bytes(berkas(*(rekaman(f"Judul {n}", f"INLIS{n:015d}") for n in range(30000))))
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.goto(f"{live_server.url}/staf/impor/")
    page.get_by_label("Berkas").set_input_files(str(jalur))
    page.get_by_label("Nama sumber").fill("Inlislite Sudin Jakarta Utara")
    page.get_by_label("Cabang tujuan").select_option(label="Perpustakaan Jakarta Cikini")
    page.get_by_role("button", name="Pratinjau").click()
    page.get_by_role("button", name="Jalankan impor").click()
    expect(page).to_have_url(re.compile(r"/staf/job/\d+/$"))
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('[role="progressbar"]');
            const v = bar && Number(bar.getAttribute("aria-valuenow"));
            return v > 0 && v < 100;
        }""",
        timeout=60_000,
        polling=100,
    )
    page.screenshot(path=str(SHOTS / "impor-berjalan.png"), full_page=True)
    assert not Katalog.objects.exists()  # one transaction: nothing visible until the end
    expect(page.locator("#status-job")).to_have_attribute(
        "data-status", "succeeded", timeout=120_000
    )
    assert Katalog.objects.count() == 30000


def test_katalogisasi_memutuskan_antrean_gabung(page, live_server, admin_dispusip, buat_rekaman):
    from katalog.models import CalonGabung

    ada = buat_rekaman("Laskar pelangi", tahun_terbit="2008", penerbit="Bentang")
    baru = buat_rekaman("Laskar pelangi", tahun_terbit="2015", penerbit="Bentang Pustaka")
    CalonGabung.objects.create(
        baru=baru, ada=ada, alasan="Judul dan pengarang sama", sumber="SLiMS"
    )
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.goto(f"{live_server.url}/staf/katalog/")
    page.get_by_role("link", name="Antrean gabung").click()
    kartu = page.locator(".calon-gabung")
    expect(kartu).to_contain_text("Bentang Pustaka")
    expect(kartu).to_contain_text("2008")
    page.screenshot(path=str(SHOTS / "katalog-antrean-gabung.png"), full_page=True)
    kartu.get_by_role("button", name="Gabungkan ke rekaman yang sudah ada").click()
    expect(page.locator(".alert-success").first).to_contain_text("Digabung")
    expect(page.locator("body")).to_contain_text("Tidak ada rekaman yang menunggu keputusan.")
    assert not Katalog.objects.filter(pk=baru.pk).exists()


def test_sirkulasi_memutuskan_usulan_gabung_anggota(
    page, live_server, admin_dispusip, buat_anggota
):
    from datetime import date

    from sirkulasi.models import Anggota, UsulanGabung

    ada = buat_anggota("Siti Nurhaliza", tanggal_lahir=date(2001, 7, 12))
    impor = buat_anggota(
        "SITI NURHALIZA", tanggal_lahir=date(2001, 7, 12), alamat="Jl. Kramat Raya 12"
    )
    UsulanGabung.objects.create(anggota=impor, kandidat=ada, alasan="Nama dan tanggal lahir sama")
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/anggota/")
    page.get_by_role("link", name="Usulan gabung").click()
    kartu = page.locator(".usulan-gabung")
    expect(kartu).to_contain_text("Jl. Kramat Raya 12")
    expect(kartu).to_contain_text(ada.nomor)
    page.screenshot(path=str(SHOTS / "anggota-usulan-gabung.png"), full_page=True)
    kartu.get_by_role("button", name="Orang yang sama: gabungkan").click()
    expect(page.locator(".alert-success").first).to_contain_text(ada.nomor)
    assert Anggota.objects.count() == 1
    assert Anggota.objects.cari_kode(impor.nomor).get() == ada
