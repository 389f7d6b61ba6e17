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
