"""Account screens in the browser: password change and reset, branch switch, refusals."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from dispusip.models import Job
from tests.browser.conftest import SHOTS, masuk
from tests.factories import PASSWORD, CabangFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_switches_working_branch_from_the_dashboard(live_server, staf_a, page):
    CabangFactory(nama="Perpustakaan Kecamatan Menteng")
    masuk(page, live_server, "sari", PASSWORD)
    page.get_by_label("Cabang kerja hari ini").select_option(label="Perpustakaan Kecamatan Menteng")
    page.get_by_role("button", name="Ganti", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("bertugas di Perpustakaan Kecamatan Menteng")
    expect(page.locator("#konteks-staf")).to_contain_text("Perpustakaan Kecamatan Menteng")


def test_staff_changes_password_and_sees_field_errors_first(live_server, staf_a, page):
    masuk(page, live_server, "sari", PASSWORD)
    page.get_by_role("button", name=re.compile("Uji")).click()
    page.get_by_role("link", name="Ubah kata sandi").click()
    page.get_by_label("Sandi lama").fill("bukan-sandinya")
    page.get_by_label(re.compile(r"^Sandi baru")).fill("Koleksi-2026!")
    page.get_by_label("Konfirmasi sandi baru").fill("Koleksi-2026!")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("salah")
    page.screenshot(path=str(SHOTS / "ubah-sandi-salah.png"), full_page=True)
    page.get_by_label("Sandi lama").fill(PASSWORD)
    page.get_by_label(re.compile(r"^Sandi baru")).fill("Koleksi-2026!")
    page.get_by_label("Konfirmasi sandi baru").fill("Koleksi-2026!")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kata sandi sudah diubah")


def test_forgotten_password_is_reset_through_the_emailed_link(live_server, staf_a, page):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Email").fill(staf_a.email)
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa email Anda")
    link = re.search(r"https?://\S+/akun/sandi/atur/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_label(re.compile(r"^Sandi baru")).fill("Arsip-baru-2026!")
    page.get_by_label("Konfirmasi sandi baru").fill("Arsip-baru-2026!")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kata sandi baru tersimpan")
    masuk(page, live_server, "sari", "Arsip-baru-2026!")
    expect(page).to_have_url(re.compile(r"/staf/$"))


def test_job_list_and_a_refused_page(live_server, staf_a, rekan_a, page):
    Job.objects.create(kind="audit.ekspor", started_by=staf_a, status=Job.Status.FAILED,
                       message="Filter tidak valid: dari")  # fmt: skip
    orang_lain = Job.objects.create(kind="audit.ekspor", started_by=rekan_a)
    masuk(page, live_server, "sari", PASSWORD)
    page.get_by_role("link", name="Pekerjaan latar belakang").first.click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Gagal")
    page.get_by_role("link", name="Ekspor log audit (XLSX)").click()
    expect(page.locator("#status-job")).to_contain_text("Filter tidak valid")
    page.screenshot(path=str(SHOTS / "job-gagal.png"), full_page=True)
    page.goto(f"{live_server.url}/staf/job/{orang_lain.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    page.goto(f"{live_server.url}/staf/tidak-ada/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")


def test_administrator_opens_the_django_admin(live_server, admin_dispusip, page):
    masuk(page, live_server, admin_dispusip.username, PASSWORD)
    page.get_by_role("link", name="Administrasi").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data induk dan akses")
    page.get_by_role("link", name="Cabang", exact=True).first.click()
    expect(page.get_by_text("PDS H.B. Jassin")).to_be_visible()


def test_repeated_wrong_passwords_lock_the_login_with_an_explanation(
    live_server, staf_a, page, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        masuk(page, live_server, "sari", "tebak-tebakan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terlalu banyak percobaan masuk")
    expect(page.get_by_role("alert")).to_contain_text("Coba lagi setelah 15 mnt.")
    page.screenshot(path=str(SHOTS / "login-terkunci.png"), full_page=True)
