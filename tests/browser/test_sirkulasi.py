"""The circulation desk in the browser, driven the way a scanner drives it: the
scanner types a code and Enter, nobody clicks into a field between scans."""

import pytest
from playwright.sync_api import expect

from katalog.models import Eksemplar, StatusEksemplar
from sirkulasi.models import Peminjaman, Transit
from tests.browser.conftest import SHOTS, masuk
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def pindai(page, kode):
    """What a USB scanner does: types into whatever has the focus, then Enter."""
    page.keyboard.type(kode)
    page.keyboard.press("Enter")


def keluar(page):
    page.locator("#menu-akun").click()
    page.get_by_role("button", name="Keluar").click()


def test_pinjam_tiga_kembali_satu_di_cabang_lain_menjadi_transit(
    page, live_server, staf_a, orang_luar, buat_anggota, buat_eksemplar
):
    a = buat_anggota(nama="Siti Rahma")
    items = [
        buat_eksemplar(judul)[0]
        for judul in ("Laskar pelangi", "Bumi manusia", "Ronggeng dukuh paruk")
    ]
    (ref,) = buat_eksemplar("Kamus besar bahasa Indonesia", kat="referensi")

    masuk(page, live_server, staf_a.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/meja/")
    expect(page.get_by_label("Pindai kartu anggota")).to_be_focused()
    pindai(page, a.nomor)
    expect(page.get_by_role("heading", name="Siti Rahma")).to_be_visible()
    tabel = page.locator("#tabel-pinjaman tbody tr")
    for n, e in enumerate(items, start=1):
        pindai(page, e.barcode)
        expect(tabel).to_have_count(n)
        expect(page.locator("#hasil-pindai")).to_contain_text("dipinjamkan, kembali")
    # A refusal says why, and the focus is back in the scan box for the next item.
    pindai(page, ref.barcode)
    expect(page.locator("#hasil-pindai")).to_contain_text("hanya dibaca di tempat")
    expect(page.get_by_label("Pindai barcode eksemplar untuk dipinjam")).to_be_focused()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "meja-pinjam.png"), full_page=True)
    assert Peminjaman.objects.filter(anggota=a).count() == 3

    keluar(page)
    masuk(page, live_server, orang_luar.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/meja/kembali/")
    expect(page.get_by_label("Pindai barcode eksemplar yang dikembalikan")).to_be_focused()
    pindai(page, items[0].barcode)
    baris = page.locator("#tabel-kembali tbody tr").first
    expect(baris).to_contain_text("Kirim ke Perpustakaan Jakarta Pusat")
    expect(baris).to_contain_text("Siti Rahma")
    pindai(page, items[0].barcode)
    expect(page.locator("#tabel-kembali tbody tr").first).to_contain_text("tidak sedang dipinjam")
    page.screenshot(path=str(SHOTS / "meja-kembali.png"), full_page=True)
    e = Eksemplar.objects.get(pk=items[0].pk)
    assert e.status == StatusEksemplar.DALAM_PERJALANAN

    page.get_by_role("link", name="Transit & reservasi").click()
    expect(page.locator("#tabel-keluar")).to_contain_text(items[0].barcode)

    # Home again: Sari receives it by scanning it on her transit screen.
    keluar(page)
    masuk(page, live_server, staf_a.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/transit/")
    expect(page.locator("#tabel-masuk")).to_contain_text(items[0].barcode)
    pindai(page, items[0].barcode)
    expect(page.locator("#hasil-pindai")).to_contain_text("Kembalikan ke rak")
    assert not Transit.objects.berjalan().exists()


def test_daftar_anggota_baru_lalu_langsung_ke_meja(page, live_server, staf_a, kategori_anggota):
    masuk(page, live_server, staf_a.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/anggota/baru/")
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("Jenis identitas").select_option("ktp")
    page.get_by_label("Nomor identitas").fill("31710123")
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("NIK harus 16 angka")
    page.get_by_label("Nomor identitas").fill("3171012345678901")
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_role("status")).to_contain_text("terdaftar dengan nomor anggota")
    page.get_by_role("link", name="Buka di meja sirkulasi").click()
    expect(page.get_by_label("Pindai barcode eksemplar untuk dipinjam")).to_be_focused()
    page.screenshot(path=str(SHOTS / "anggota-baru-meja.png"), full_page=True)
