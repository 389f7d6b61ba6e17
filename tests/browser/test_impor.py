"""A cataloguer imports an Inlislite MARC export: upload, preview, run, watch the
progress, read the result and download the problem report."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from katalog.models import Eksemplar, Katalog
from tests.browser.conftest import SHOTS, masuk
from tests.factories import PASSWORD
from tests.katalog.test_impor_marc import berkas, rekaman

pytestmark = pytest.mark.django_db(transaction=True)


def test_impor_marc_dari_unggah_sampai_laporan(
    page, live_server, celery_worker, admin_dispusip, kategori, tmp_path
):
    raw = berkas(
        rekaman("Laskar pelangi", "INLIS1", induk=["00123/PJK/2024"]),
        rekaman("Buku lama", "INLIS2", isbn="979-000-000-1"),
    )
    mrc = tmp_path / "SemuaKatalog.mrc"
    mrc.write_bytes(raw)
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.goto(f"{live_server.url}/staf/katalog/")
    page.get_by_role("link", name="Impor MARC").click()
    page.get_by_label("Berkas MARC (.mrc atau .xml)").set_input_files(str(mrc))
    page.get_by_label("Nama sumber").fill("Inlislite Sudin Jakarta Barat")
    page.get_by_label("Cabang untuk eksemplar (990 $a)").select_option(
        label="Perpustakaan Jakarta Cikini"
    )
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("#jumlah-rekaman")).to_have_text("2")
    expect(page.locator("#tabel-pratinjau")).to_contain_text("Laskar pelangi")
    page.screenshot(path=str(SHOTS / "impor-pratinjau.png"), full_page=True)

    page.get_by_role("button", name="Jalankan impor").click()
    expect(page).to_have_url(re.compile(r"/staf/job/\d+/$"))
    status = page.locator("#status-job")
    expect(status).to_have_attribute("data-status", "succeeded", timeout=60_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("body")).to_contain_text("Dibuat")
    page.screenshot(path=str(SHOTS / "impor-selesai.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh hasil").click()
    laporan = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "020 $a" in laporan and "979-000-000-1" in laporan
    assert Katalog.objects.count() == 2
    assert Eksemplar.objects.get(nomor_induk="00123/PJK/2024").perlu_verifikasi
