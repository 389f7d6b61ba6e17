"""The portal as a person uses it: home page, login, dashboard, audit export."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dispusip import audit
from tests.browser.conftest import SHOTS, ganti_ke_inggris, masuk
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_on_a_phone_in_both_languages(live_server, data_induk, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perpustakaan dan kearsipan")
    expect(page.get_by_text("PDS H.B. Jassin")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "beranda-ponsel.png"), full_page=True)
    ganti_ke_inggris(page, ponsel=True)
    expect(page.get_by_role("heading", name="Service units and locations")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_staff_logs_in_and_sees_unit_roles_and_modules(live_server, staf_a, page):
    masuk(page, live_server, "sari", PASSWORD)
    expect(page).to_have_url(re.compile(r"/staf/$"))
    konteks = page.locator("#konteks-staf")
    expect(konteks).to_contain_text("Sudin Jakarta Pusat")
    expect(konteks).to_contain_text("Pustakawan Sirkulasi")
    expect(page.get_by_role("link", name="Pekerjaan latar belakang").first).to_be_visible()
    expect(page.get_by_role("link", name="Log audit")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "dasbor-sirkulasi.png"), full_page=True)


def test_wrong_password_says_so_in_indonesian(live_server, staf_a, page):
    masuk(page, live_server, "sari", "salah-sekali")
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")


def test_administrator_exports_the_audit_log_and_downloads_it(
    live_server, celery_worker, admin_dispusip, staf_a, page
):
    for n in range(30):
        audit.catat(aksi="pengguna.peran", oleh=admin_dispusip, objek=staf_a, alasan=f"uji {n}")
    audit.catat(aksi="cabang.diubah", oleh=admin_dispusip)

    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.get_by_role("link", name="Log audit").first.click()
    page.get_by_label("Aksi").fill("pengguna")
    page.get_by_role("button", name="Saring", exact=True).click()
    expect(page.locator("#hasil tbody tr")).to_have_count(30)
    page.screenshot(path=str(SHOTS / "audit-daftar.png"), full_page=True)

    page.get_by_role("button", name="Ekspor hasil saringan ke XLSX").click()
    expect(page).to_have_url(re.compile(r"/staf/job/\d+/$"))
    status = page.locator("#status-job")
    expect(status).to_have_attribute("data-status", "succeeded", timeout=60_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(status).to_contain_text("Berhasil")
    page.screenshot(path=str(SHOTS / "job-selesai.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh hasil").click()
    download = info.value
    assert download.suggested_filename.startswith("log-audit-")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 31  # header + the 30 filtered entries
    assert {row[5] for row in rows[1:]} == {"pengguna.peran"}
