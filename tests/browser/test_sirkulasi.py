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
    """What a USB scanner does: types into whatever has the focus, then Enter.
    It waits until a box has the focus, as the person at the desk would (a page
    or a swapped panel sets it as it settles)."""
    expect(page.locator("input:focus")).to_have_count(1)
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
    tabel = page.locator("#tabel-pinjaman tr.baris-pinjaman")
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


def test_anggota_memperpanjang_dan_mereservasi_daring(
    page, live_server, settings, staf_a, buat_anggota, buat_eksemplar, cabang
):
    from datetime import date

    from dispusip.models import Pengguna
    from katalog.models import Katalog
    from sirkulasi import services
    from sirkulasi.models import Reservasi

    settings.OPAC_RATE = "0/60"
    a = buat_anggota(nama="Siti Rahma", tanggal_lahir=date(1990, 5, 17))
    a.akun = Pengguna.objects.create_user(username=f"anggota-{a.pk}", password="Buku-Jakarta-2026")
    a.save()
    meja = {"oleh": staf_a, "cabang": cabang["jakpus-tanah-abang"]}
    (dipinjam,) = buat_eksemplar("Laskar pelangi")
    services.pinjamkan(a, dipinjam.barcode, **meja)
    (dicari,) = buat_eksemplar("Bumi manusia")
    services.pinjamkan(buat_anggota(nama="Budi"), dicari.barcode, **meja)

    # Members log in with the number on their card.
    masuk(page, live_server, a.nomor, "Buku-Jakarta-2026")
    expect(page.get_by_role("heading", name="Halo, Siti Rahma")).to_be_visible()
    page.get_by_role("button", name="Perpanjang Laskar pelangi").click()
    expect(page.get_by_role("status")).to_contain_text("Diperpanjang")

    page.goto(f"{live_server.url}{Katalog.objects.get(pk=dicari.katalog_id).get_absolute_url()}")
    page.get_by_role("link", name="Reservasi judul ini").click()
    page.get_by_label("Ambil di").select_option(label="Perpustakaan Jakarta Cikini")
    page.get_by_role("button", name="Reservasi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("antrean ke-1")
    expect(page.locator("#daftar-reservasi")).to_contain_text(
        "Antrean ke-1 · ambil di Perpustakaan Jakarta Cikini"
    )
    page.screenshot(path=str(SHOTS / "anggota-beranda.png"), full_page=True)
    assert Reservasi.objects.get(anggota=a).cabang_ambil == cabang["cikini"]


def test_aktivasi_akses_daring_di_ponsel(page, live_server, settings, buat_anggota):
    import re
    from datetime import date

    from django.core import mail

    settings.AKTIVASI_RATE = "0/60"
    a = buat_anggota(
        nama="Dewi Lestari", tanggal_lahir=date(1985, 1, 2), email="dewi@contoh.invalid"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_role("link", name="Aktifkan akses daring").click()
    page.get_by_label("Nomor anggota").fill(a.nomor)
    page.get_by_label("Tanggal lahir").fill("1985-01-02")
    page.get_by_role("button", name="Kirim kode").click()
    kode = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Kode aktivasi").fill(kode)
    page.get_by_label("Kata sandi baru").fill("Buku-Jakarta-2026")
    page.get_by_label("Ulangi kata sandi").fill("Buku-Jakarta-2026")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Halo, Dewi Lestari")).to_be_visible()
    page.screenshot(path=str(SHOTS / "anggota-aktivasi-ponsel.png"), full_page=True)


def test_buku_tamu_dan_baca_di_tempat(page, live_server, staf_a, buat_anggota, buat_eksemplar):
    a = buat_anggota(nama="Siti Rahma")
    (e,) = buat_eksemplar("Ensiklopedia Jakarta", kat="referensi")
    masuk(page, live_server, staf_a.username, PASSWORD)
    page.goto(f"{live_server.url}/sirkulasi/tamu/")
    expect(page.get_by_label("Pindai kartu anggota")).to_be_focused()
    pindai(page, a.nomor)
    expect(page.locator("#hasil-pindai")).to_contain_text("Selamat datang, Siti Rahma")
    pindai(page, a.nomor)
    expect(page.locator("#hasil-pindai")).to_contain_text("sudah tercatat masuk")
    page.get_by_text("Tamu tanpa kartu anggota").click()
    page.get_by_label("Nama tamu").fill("Pak Ahmad")
    page.get_by_label("Institusi / asal").fill("Kelurahan Cikini")
    page.get_by_label("Tujuan").select_option(label="Penelitian")
    page.get_by_role("button", name="Catat").click()
    expect(page.locator("#daftar-tamu")).to_contain_text("Pak Ahmad")
    expect(page.locator("#tabel-harian tbody tr").first).to_contain_text("2")
    page.screenshot(path=str(SHOTS / "buku-tamu.png"), full_page=True)

    page.get_by_role("link", name="Baca di tempat").click()
    expect(page.get_by_label("Pindai eksemplar dari meja baca")).to_be_focused()
    pindai(page, e.barcode)
    expect(page.locator("#hasil-pindai")).to_contain_text("Dicatat: Ensiklopedia Jakarta")
    expect(page.locator("#tabel-harian tbody tr").first).to_contain_text("1")


def test_anggota_meminjam_dan_membaca_e_book(
    page, live_server, settings, buat_anggota, buat_rekaman
):
    from django.core.files.base import ContentFile

    from dispusip.models import Pengguna
    from katalog.models import SumberDigital

    settings.OPAC_RATE = "0/60"
    a = buat_anggota(nama="Siti Rahma")
    a.akun = Pengguna.objects.create_user(username=f"anggota-{a.pk}", password="Buku-Jakarta-2026")
    a.save()
    k = buat_rekaman("Si Doel anak Betawi", jenis="sumber_elektronik")
    ebook = SumberDigital(
        katalog=k,
        judul="E-book Si Doel",
        akses="lisensi",
        jumlah_lisensi=2,
        jenis_isi="application/pdf",
    )
    ebook.berkas.save("si-doel.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)

    masuk(page, live_server, a.nomor, "Buku-Jakarta-2026")
    page.goto(f"{live_server.url}{k.get_absolute_url()}")
    expect(page.get_by_text("2 dari 2 lisensi bebas")).to_be_visible()
    page.get_by_label("Lama pinjam").select_option("3")
    page.get_by_role("button", name="Pinjam e-book").click()
    expect(page.get_by_role("status")).to_contain_text("dipinjam sampai")
    baca = page.locator("#daftar-digital").get_by_role("link", name="Baca")
    respons = page.request.get(live_server.url + baca.get_attribute("href"))
    assert respons.status == 200 and respons.headers["content-type"] == "application/pdf"
    page.screenshot(path=str(SHOTS / "anggota-e-book.png"), full_page=True)


def test_aturan_kartu_dan_gabung_duplikat(page, live_server, staf_a, buat_anggota, buat_eksemplar):
    from datetime import date

    a = buat_anggota(nama="Siti Rahma", tanggal_lahir=date(1990, 5, 17))
    dup = buat_anggota(nama="Siti Rahma", tanggal_lahir=date(1990, 5, 17), telepon="0812345678")
    (e,) = buat_eksemplar()
    masuk(page, live_server, staf_a.username, PASSWORD)

    page.goto(f"{live_server.url}/sirkulasi/aturan/")
    page.get_by_label("Nomor anggota").fill(a.nomor)
    page.get_by_label("Barcode eksemplar").fill(e.barcode)
    page.get_by_role("button", name="Periksa").click()
    expect(page.locator("#hasil-uji")).to_contain_text("7 hari, maks. 3 eksemplar")
    expect(page.locator("#tabel-aturan tr[aria-current=true]")).to_have_count(1)

    page.goto(f"{live_server.url}/sirkulasi/anggota/?q=Siti")
    page.get_by_label("Pilih Siti Rahma").first.check()
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Cetak kartu yang dipilih").click()
    kartu = popup.value
    expect(kartu.locator(".kartu")).to_have_count(1)
    kartu.screenshot(path=str(SHOTS / "kartu-anggota.png"), full_page=True)
    kartu.close()

    page.goto(f"{live_server.url}/sirkulasi/anggota/{a.pk}/")
    expect(page.locator("#duplikat")).to_contain_text(dup.nomor)
    page.get_by_role("button", name=f"Gabungkan {dup.nomor} ke anggota ini").click()
    expect(page.get_by_role("status").first).to_contain_text("digabung")
    expect(page.locator("#duplikat")).to_have_count(0)


def test_warga_mendaftar_daring_di_ponsel(page, live_server, settings, kategori_anggota, cabang):
    settings.AKTIVASI_RATE = "0/60"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_role("link", name="Daftar daring").click()
    page.get_by_label("Nama lengkap").fill("Rina Kusuma")
    page.get_by_label("Jenis identitas").select_option("ktp")
    page.get_by_label("Nomor identitas").fill("3171999988887777")
    page.get_by_label("Tanggal lahir").fill("1995-03-04")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Telepon / HP").fill("081299998888")
    page.get_by_label("Verifikasi di perpustakaan").select_option(
        label="Perpustakaan Jakarta Pusat"
    )
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.locator("#nomor-daftar")).to_be_visible()
    page.screenshot(path=str(SHOTS / "pra-daftar-ponsel.png"), full_page=True)
