"""The catalogue in the browser: a citizen searching the OPAC, a cataloguer at work.

The OPAC is checked on a phone and on a desktop, with and without JavaScript;
the cataloguer makes a record with the staff form, adds items, prints their
labels and finds the record in the public search at once.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from katalog import marc as marc_mod
from katalog import services
from katalog.models import Eksemplar, Katalog, StatusEksemplar
from tests.browser.conftest import SHOTS, ganti_ke_inggris, masuk
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PONSEL = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# --- data: the same code paths as tests/katalog/fixtures.py --------------------------


@pytest.fixture(autouse=True)
def tanpa_batas(settings):
    settings.OPAC_RATE = "0/60"  # every test hits the OPAC from 127.0.0.1; 0 = no limit


def buat_rekaman(judul, **isian):
    isian.setdefault("jenis", "monograf")
    isian.setdefault("pengarang", [("Heuken, Adolf", "pengarang")])
    record = marc_mod.terapkan_isian(marc_mod.record_kosong(), marc_mod.Isian(judul=judul, **isian))
    return services.simpan_marc(record, oleh=None)


@pytest.fixture
def koleksi(kategori, cabang):
    """Three records about "sejarah": one on a shelf at Cikini and on loan at Tanah Abang,
    one only on loan in Jakarta Timur, and a map without items."""
    jakarta = buat_rekaman(
        "Sejarah kota Jakarta",
        anak_judul="dari Sunda Kelapa ke Batavia",
        tahun_terbit="2016",
        penerbit="Cipta Loka Caraka",
        tempat_terbit="Jakarta",
        subjek=["Jakarta -- Sejarah"],
        isbn=["978-979-22-2845-8"],
        nomor_panggil="959.822 HEU s",
    )
    betawi = buat_rekaman(
        "Sejarah Betawi",
        pengarang=[("Saidi, Ridwan", "pengarang")],
        tahun_terbit="1997",
        subjek=["Betawi -- Sejarah"],
    )
    buat_rekaman(
        "Peta sejarah Batavia",
        jenis="kartografi",
        pengarang=[("Gill, Ronald", "pengarang")],
        tahun_terbit="1995",
    )
    umum = kategori["umum"]
    services.tambah_eksemplar(jakarta, cabang=cabang["cikini"], kategori=umum, jumlah=1, oleh=None)
    (dipinjam,) = services.tambah_eksemplar(
        jakarta, cabang=cabang["jakpus-tanah-abang"], kategori=umum, jumlah=1, oleh=None
    )
    services.ubah_status(
        dipinjam, StatusEksemplar.DIPINJAM, jatuh_tempo=date(2030, 12, 3), audit=False
    )
    (lain,) = services.tambah_eksemplar(
        betawi, cabang=cabang["jaktim-rawa-bunga"], kategori=umum, jumlah=1, oleh=None
    )
    services.ubah_status(
        lain, StatusEksemplar.DIPINJAM, jatuh_tempo=date(2030, 11, 20), audit=False
    )
    return {"jakarta": jakarta, "betawi": betawi}


def foto(page, nama):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / nama), full_page=True)


# --- the public OPAC -----------------------------------------------------------------


@pytest.mark.parametrize("layar", ["ponsel", "desktop"])
def test_citizen_searches_narrows_and_sees_where_a_copy_is(
    live_server, koleksi, cabang, page, layar
):
    ponsel = layar == "ponsel"
    page.set_viewport_size(PONSEL if ponsel else DESKTOP)
    page.goto(f"{live_server.url}/opac/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Katalog bersama")
    kotak = page.locator("#opac-q")
    kotak.press_sequentially("sejar")

    saran = page.locator("#opac-saran [role=option]")  # the htmx partial
    expect(saran.filter(has_text="Sejarah kota Jakarta")).to_be_visible()
    expect(saran.filter(has_text="Jakarta -- Sejarah")).to_contain_text("Subjek")
    foto(page, f"opac-saran-{layar}.png")

    kotak.fill("sejarah")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page).to_have_url(re.compile(r"/opac/\?q=sejarah$"))
    jumlah = page.locator("#hasil-judul")
    expect(jumlah).to_have_text("3 hasil")
    expect(page.locator(".hasil-item")).to_have_count(3)
    expect(page.locator(".hasil-item").filter(has_text="Sejarah kota Jakarta")).to_contain_text(
        "Ada di rak di 1 cabang"
    )
    expect(page.locator(".hasil-item").filter(has_text="Sejarah Betawi")).to_contain_text(
        "Semua eksemplar sedang tidak di rak"
    )
    expect(page.locator(".hasil-item").filter(has_text="Peta sejarah Batavia")).to_contain_text(
        "Belum ada eksemplar"
    )

    facet = page.locator("#facet")
    summary = facet.locator("summary")
    if ponsel:  # closed on a phone, opened by its summary
        expect(facet).not_to_have_attribute("open", "")
        summary.click()
        expect(facet).to_have_attribute("open", "")
    else:  # always open beside the results, no summary to click
        expect(facet).to_have_attribute("open", "")
        expect(summary).to_be_hidden()
    expect(facet.get_by_role("link", name=re.compile("Kartografi"))).to_contain_text("1")
    foto(page, f"opac-hasil-{layar}.png")

    facet.get_by_role("link", name=re.compile("Ada di rak sekarang")).click()
    expect(jumlah).to_have_text("1 hasil")
    expect(page.locator(".hasil-item")).to_have_count(1)
    badge = page.locator("[aria-label='Saringan aktif'] a")
    expect(badge).to_have_count(1)
    expect(badge).to_contain_text("Ketersediaan: Ada di rak sekarang")
    foto(page, f"opac-hasil-saring-{layar}.png")

    page.get_by_role("link", name=re.compile("^Sejarah kota Jakarta")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sejarah kota Jakarta")
    kartu = page.locator(".ketersediaan-cabang")
    expect(kartu).to_have_count(2)
    cikini = kartu.filter(has_text=cabang["cikini"].nama)
    expect(cikini).to_contain_text("1 di rak")
    expect(cikini.locator("tbody")).to_contain_text("Tersedia")
    tanah_abang = kartu.filter(has_text=cabang["jakpus-tanah-abang"].nama)
    expect(tanah_abang).to_contain_text("tidak ada di rak")
    expect(tanah_abang.locator("tbody")).to_contain_text("Dipinjam · kembali 3 Des 2030")
    expect(kartu.first).to_contain_text(cabang["cikini"].nama)  # on-shelf branches come first
    foto(page, f"opac-rekaman-{layar}.png")

    # English.
    ganti_ke_inggris(page, ponsel=ponsel)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/opac/{koleksi['jakarta'].pk}/$"))
    expect(page.get_by_role("navigation", name="breadcrumb")).to_contain_text("Catalogue")
    expect(page.locator(".ketersediaan-cabang")).to_have_count(2)
    expect(page.locator("#tersedia-judul")).to_have_text("Availability")
    foto(page, f"opac-rekaman-en-{layar}.png")
    page.goto(f"{live_server.url}/opac/?q=sejarah")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if ponsel:
        page.locator("#facet summary").click()
    expect(page.locator("#facet")).to_contain_text("Branch")
    expect(page.locator(".hasil-item")).to_have_count(3)


def test_opac_works_without_javascript(live_server, koleksi, cabang, browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "java_script_enabled": False, "viewport": DESKTOP}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/opac/")
        page.locator("#opac-q").fill("sejarah")
        page.get_by_role("button", name="Cari", exact=True).click()
        expect(page).to_have_url(re.compile(r"/opac/\?q=sejarah$"))
        expect(page.locator("#hasil-judul")).to_have_text("3 hasil")
        expect(page.locator("#opac-saran")).to_be_empty()

        page.locator("#facet").get_by_role("link", name=re.compile(cabang["cikini"].nama)).click()
        expect(page.locator("#hasil-judul")).to_have_text("1 hasil")
        expect(page.locator("[aria-label='Saringan aktif']")).to_contain_text(
            f"Cabang: {cabang['cikini'].nama}"
        )
        expect(page.get_by_role("button", name="Terapkan")).to_be_visible()  # <noscript> sort
        foto(page, "opac-hasil-tanpa-js.png")

        page.get_by_role("link", name=re.compile("^Sejarah kota Jakarta")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sejarah kota Jakarta")
        expect(page.locator(".ketersediaan-cabang").first).to_contain_text("Tersedia")
        page.get_by_text("Tampilan MARC").click()  # <details> opens without JavaScript
        expect(page.locator(".marc-teks")).to_contain_text("=245")
    finally:
        context.close()


# --- the cataloguer ------------------------------------------------------------------


def isi_rekaman(page, judul, pengarang, tahun, isbn="", subjek=""):
    page.get_by_label(re.compile(r"^Judul\b")).fill(judul)
    page.get_by_label("Pengarang", exact=True).fill(pengarang)
    page.get_by_label("Subjek", exact=True).fill(subjek)
    page.get_by_label("Tempat terbit").fill("Jakarta")
    page.get_by_label("Penerbit", exact=True).fill("Gramedia Pustaka Utama")
    page.get_by_label("Tahun terbit").fill(tahun)
    page.get_by_label("ISBN", exact=True).fill(isbn)


def test_cataloguer_creates_a_record_adds_items_prints_labels(
    live_server, rekan_a, kategori, cabang, page
):
    masuk(page, live_server, "rudi", PASSWORD)
    page.goto(f"{live_server.url}/staf/katalog/")
    page.get_by_role("link", name="Buat rekaman baru").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rekaman baru")
    expect(page.get_by_label("Jenis bahan")).to_have_value("monograf")
    isi_rekaman(
        page,
        "Ronggeng Dukuh Paruk",
        "Tohari, Ahmad\nDamono, Sapardi Djoko ; penyunting",
        "2003",
        isbn="978-979-22-2845-8",
        subjek="Novel Indonesia\nBanyumas -- Fiksi",
    )
    page.get_by_label("Nomor panggil", exact=True).fill("899.221 3 TOH r")
    page.get_by_label("Deskripsi fisik").fill("408 hlm. ; 21 cm")
    foto(page, "katalog-form.png")
    page.get_by_role("button", name="Simpan rekaman").click()

    expect(page).to_have_url(re.compile(r"/staf/katalog/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Rekaman “Ronggeng Dukuh Paruk” tersimpan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ronggeng Dukuh Paruk")
    expect(page.locator("main")).to_contain_text("Tohari, Ahmad")
    expect(page.locator("main")).to_contain_text("Novel Indonesia; Banyumas -- Fiksi")
    expect(page.locator("main")).to_contain_text("978-979-22-2845-8")
    expect(page.locator("#eksemplar")).to_contain_text("Belum ada eksemplar.")
    k = Katalog.objects.get(judul="Ronggeng Dukuh Paruk")
    assert [p["nama"] for p in k.pengarang] == ["Tohari, Ahmad", "Damono, Sapardi Djoko"]
    assert k.subjek == ["Novel Indonesia", "Banyumas -- Fiksi"]

    page.get_by_role("link", name="Tambah eksemplar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah eksemplar")
    cabang_pilih = page.get_by_label(re.compile(r"^Cabang\b"))
    expect(cabang_pilih.locator("option:checked")).to_have_text(cabang["jakpus-tanah-abang"].nama)
    page.get_by_label("Jumlah eksemplar").fill("3")
    foto(page, "katalog-eksemplar-tambah.png")
    page.get_by_role("button", name="Tambahkan").click()

    expect(page).to_have_url(re.compile(rf"/staf/katalog/{k.pk}/\?baru=[\d,]+#eksemplar$"))
    expect(page.get_by_role("status")).to_contain_text("3 eksemplar ditambahkan")
    baris = page.locator("#eksemplar tbody tr")
    expect(baris).to_have_count(3)
    expect(page.locator("#eksemplar tbody tr.table-success")).to_have_count(3)
    barcode = sorted(Eksemplar.objects.filter(katalog=k).values_list("barcode", flat=True))
    assert len(barcode) == 3
    for b in barcode:
        expect(baris.filter(has_text=b)).to_contain_text(cabang["jakpus-tanah-abang"].nama)
        expect(baris.filter(has_text=b)).to_contain_text("Tersedia")
    foto(page, "katalog-detail.png")

    with page.context.expect_page() as info:
        page.get_by_role("link", name="Cetak label eksemplar baru").click()
    label = info.value
    label.wait_for_load_state()
    expect(label).to_have_url(re.compile(rf"/staf/katalog/{k.pk}/label/\?id=\d+&id=\d+&id=\d+$"))
    expect(label.locator(".petunjuk")).to_contain_text("3 label siap dicetak")
    expect(label.locator(".label svg")).to_have_count(3)
    for b in barcode:
        expect(label.locator(".label").filter(has_text=b)).to_have_count(1)
    expect(label.locator(".punggung").first).to_contain_text("899.221")
    foto(label, "katalog-label.png")
    label.close()

    # The public OPAC finds it straight away: no reindex, no waiting.
    page.goto(f"{live_server.url}/opac/?q=ronggeng")
    expect(page.locator("#hasil-judul")).to_have_text("1 hasil")
    hasil = page.locator(".hasil-item")
    expect(hasil).to_contain_text("Tohari, Ahmad")
    expect(hasil).to_contain_text("Ada di rak di 1 cabang")
    page.goto(f"{live_server.url}/opac/?q=9789792228458")
    expect(page.locator("#hasil-judul")).to_have_text("1 hasil")
    page.get_by_role("link", name="Ronggeng Dukuh Paruk").click()
    kartu = page.locator(".ketersediaan-cabang")
    expect(kartu).to_have_count(1)
    expect(kartu).to_contain_text(cabang["jakpus-tanah-abang"].nama)
    expect(kartu).to_contain_text("3 di rak")
    expect(page.locator("main")).to_contain_text("Damono, Sapardi Djoko")
    expect(page.locator("main")).to_contain_text("Banyumas -- Fiksi")


def test_cataloguer_overrides_a_wrong_isbn_and_is_warned_of_a_duplicate(
    live_server, rekan_a, kategori, page
):
    masuk(page, live_server, "rudi", PASSWORD)
    page.goto(f"{live_server.url}/staf/katalog/baru/")
    isi_rekaman(page, "Bekisar merah", "Tohari, Ahmad", "1993", isbn="978-979-22-2845-9")
    page.get_by_role("button", name="Simpan rekaman").click()

    kesalahan = page.locator("#id_isbn_error")
    expect(kesalahan).to_contain_text("Digit pemeriksa ISBN “978-979-22-2845-9” salah.")
    expect(kesalahan).to_contain_text("centang “Simpan walau digit pemeriksa ISBN/ISSN salah”")
    expect(page.get_by_label("ISBN", exact=True)).to_have_value("978-979-22-2845-9")
    foto(page, "katalog-form-isbn-salah.png")
    assert not Katalog.objects.exists()

    page.get_by_label("Simpan walau digit pemeriksa ISBN/ISSN salah").check()
    page.get_by_role("button", name="Simpan rekaman").click()
    expect(page).to_have_url(re.compile(r"/staf/katalog/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekisar merah")
    expect(page.locator("main")).to_contain_text("978-979-22-2845-9")
    pertama = Katalog.objects.get()

    # The same title, first author and year again: a likely duplicate.
    page.goto(f"{live_server.url}/staf/katalog/baru/")
    isi_rekaman(page, "Bekisar merah", "Tohari, Ahmad", "1993")
    page.get_by_role("button", name="Simpan rekaman").click()
    peringatan = page.locator("#peringatan-duplikat")
    expect(peringatan).to_be_visible()
    expect(peringatan).to_contain_text("Mungkin sudah ada di katalog")
    expect(peringatan.get_by_role("link", name="Bekisar merah")).to_have_attribute(
        "href", f"/staf/katalog/{pertama.pk}/"
    )
    tetap = page.get_by_label("tetap simpan")
    expect(tetap).not_to_be_checked()
    foto(page, "katalog-form-duplikat.png")

    page.get_by_role("button", name="Simpan rekaman").click()  # not ticked: still refused
    expect(peringatan).to_be_visible()
    assert Katalog.objects.count() == 1

    page.get_by_label("tetap simpan").check()
    page.get_by_role("button", name="Simpan rekaman").click()
    expect(page).to_have_url(re.compile(r"/staf/katalog/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("tersimpan")
    assert Katalog.objects.filter(judul="Bekisar merah").count() == 2
