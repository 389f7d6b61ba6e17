"""Demonstration members, rules, closures, loans, holds and fines, loaded by
`manage.py seed_demo` (DEBUG only) after the demo catalogue, all through the
services so every screen shows states the desk really produces."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dispusip.management.commands.seed_demo import PASSWORD
from dispusip.models import Cabang, Pengguna, Unit
from katalog.models import (
    Eksemplar,
    JenisBahan,
    Katalog,
    KategoriKoleksi,
    StatusEksemplar,
    SumberDigital,
)
from sirkulasi import digital, services
from sirkulasi.models import (
    Anggota,
    AturanPeminjaman,
    HariLibur,
    HariTutupMingguan,
    KategoriAnggota,
    Peminjaman,
)

NAMA_DEPAN = [
    "Siti", "Budi", "Dewi", "Agus", "Rina", "Joko", "Nur", "Andi", "Fitri", "Rizky",
    "Wulan", "Hendra", "Putri", "Dimas", "Ayu", "Fajar", "Intan", "Yusuf", "Mega", "Bayu",
]  # fmt: skip
NAMA_BELAKANG = [
    "Rahmawati", "Santoso", "Lestari", "Saputra", "Hidayat", "Kusuma", "Wijaya", "Pratama",
    "Nugroho", "Siregar", "Simanjuntak", "Hasibuan", "Sitompul", "Kurniawan", "Rahman",
]  # fmt: skip
KELURAHAN = ["Cikini", "Kebon Kacang", "Tanjung Duren", "Semper", "Pela", "Rawa Bunga", "Tebet"]
JUMLAH_ANGGOTA = 80
# A one-page PDF, so the demo e-book opens in the browser.
_PDF_CONTOH = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 55>>stream\nBT /F1 18 Tf 20 70 Td (Contoh e-book Dispusip) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _aturan() -> None:
    kat = {k.kode: k for k in KategoriAnggota.objects.all()}
    koleksi = {k.kode: k for k in KategoriKoleksi.objects.all()}
    AturanPeminjaman.objects.get_or_create(
        kategori_anggota=kat["mahasiswa"],
        kategori_koleksi=None,
        unit=None,
        jenis_bahan="",
        defaults={"lama_pinjam": 14, "maks_pinjam": 5, "maks_perpanjang": 2},
    )
    AturanPeminjaman.objects.get_or_create(
        kategori_anggota=kat["pelajar"],
        kategori_koleksi=None,
        unit=None,
        jenis_bahan="",
        defaults={"lama_pinjam": 7, "maks_pinjam": 2, "denda_per_hari": 200, "denda_maks": 5000},
    )
    AturanPeminjaman.objects.get_or_create(
        kategori_anggota=None,
        kategori_koleksi=koleksi["audio-visual"],
        unit=None,
        jenis_bahan="",
        defaults={"lama_pinjam": 3, "maks_pinjam": 3, "maks_per_jenis": 1, "denda_per_hari": 1000},
    )
    AturanPeminjaman.objects.get_or_create(
        unit=Unit.objects.get(kode="kepseribu"),
        kategori_anggota=None,
        kategori_koleksi=None,
        jenis_bahan="",
        # Boats run when the weather allows: longer loans, no fines, late returns suspend.
        defaults={"lama_pinjam": 21, "maks_pinjam": 5, "denda_per_hari": 0, "skors_per_hari": 1},
    )
    AturanPeminjaman.objects.get_or_create(
        unit=None,
        kategori_anggota=None,
        kategori_koleksi=None,
        jenis_bahan=JenisBahan.TERBITAN_BERKALA,
        defaults={"lama_pinjam": 3, "maks_pinjam": 3, "maks_perpanjang": 0},
    )


def _kalender(hari_ini: date) -> None:
    for kode in ("jakpus-tanah-abang", "jakut-semper", "jakbar-tanjung-duren"):
        cabang = Cabang.objects.filter(kode=kode).first()
        if cabang:
            HariTutupMingguan.objects.get_or_create(
                cabang=cabang, hari=HariTutupMingguan.Hari.MINGGU
            )
    libur = [
        (date(2026, 12, 24), date(2026, 12, 24), HariLibur.Jenis.CUTI_BERSAMA, "Cuti bersama Natal"),
        (date(2026, 12, 25), date(2026, 12, 25), HariLibur.Jenis.NASIONAL, "Hari Raya Natal"),
        (date(2027, 1, 1), date(2027, 1, 1), HariLibur.Jenis.NASIONAL, "Tahun Baru 2027 Masehi"),
        (date(2027, 2, 6), date(2027, 2, 6), HariLibur.Jenis.NASIONAL, "Tahun Baru Imlek"),
    ]  # fmt: skip
    for mulai, selesai, jenis, keterangan in libur:
        HariLibur.objects.get_or_create(
            mulai=mulai, selesai=selesai, keterangan=keterangan, defaults={"jenis": jenis}
        )
    semper = Cabang.objects.filter(kode="jakut-semper").first()
    if semper:
        banjir = hari_ini + timedelta(days=9)
        HariLibur.objects.get_or_create(
            mulai=banjir,
            selesai=banjir + timedelta(days=1),
            keterangan="Banjir rob: layanan ditutup",
            defaults={"jenis": HariLibur.Jenis.DARURAT, "cabang": semper},
        )


def _anggota(rng: random.Random) -> list[Anggota]:
    kategori = list(KategoriAnggota.objects.all())
    cabang = list(Cabang.objects.aktif().exclude(kode="pds-hb-jassin"))
    hasil = []
    for i in range(JUMLAH_ANGGOTA):
        kat = kategori[i % len(kategori)]
        usia = {"pelajar": (10, 18), "mahasiswa": (18, 25), "lansia": (60, 80)}.get(
            kat.kode, (20, 59)
        )
        lahir = date(2026 - rng.randint(*usia), rng.randint(1, 12), rng.randint(1, 28))
        pakai_nik = kat.kode != "pelajar"
        hasil.append(
            services.daftarkan_anggota(
                {
                    "nama": f"{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}",
                    "kategori": kat,
                    "jenis_identitas": "ktp" if pakai_nik else "kartu_pelajar",
                    "nomor_identitas": f"3171{rng.randrange(10**11, 10**12)}"
                    if pakai_nik
                    else f"0A{rng.randrange(10**7, 10**8)}",
                    "tempat_lahir": "Jakarta",
                    "tanggal_lahir": lahir,
                    "jenis_kelamin": rng.choice("LP"),
                    "alamat": f"Jl. Contoh No. {i + 1}, {rng.choice(KELURAHAN)}",
                    "telepon": f"0812{rng.randrange(10**7, 10**8)}",
                    "email": f"anggota{i + 1}@demo.dispusip.invalid" if i % 3 else "",
                    "institusi": "SMAN 1 Jakarta" if kat.kode == "pelajar" else "",
                },
                cabang=cabang[i % len(cabang)],
                oleh=None,
            )
        )
    return hasil


def _bisa_dipinjam(cabang: Cabang, jumlah: int, terpakai: set[int]):
    return list(
        Eksemplar.objects.filter(
            cabang=cabang, status=StatusEksemplar.TERSEDIA, kategori__dapat_dipinjam=True
        )
        .exclude(katalog_id__in=terpakai)
        .select_related("katalog")
        .order_by("?")[:jumlah]
    )


def _mundurkan(pinjaman: Peminjaman, hari: int) -> None:
    """Backdate a loan so the demo has overdue loans and late returns."""
    tempo = timezone.localdate() - timedelta(days=hari)
    Peminjaman.objects.filter(pk=pinjaman.pk).update(
        jatuh_tempo=tempo, dipinjam=pinjaman.dipinjam - timedelta(days=hari + 7)
    )
    Eksemplar.objects.filter(pk=pinjaman.eksemplar_id).update(jatuh_tempo=tempo)


def isi_demo(stdout=None, seed: int = 2026) -> int:
    """Load demo circulation once; returns how many members were added."""
    if Anggota.objects.exists() or not Katalog.objects.exists():
        return 0
    petugas = (
        Pengguna.objects.filter(is_superuser=True).first()
        or Pengguna.objects.filter(username="admin").first()
    )
    if petugas is None:
        return 0
    rng = random.Random(seed)
    hari_ini = timezone.localdate()
    with transaction.atomic():
        _aturan()
        _kalender(hari_ini)
        anggota = _anggota(rng)
        terpakai: set[int] = set()
        pinjaman = []
        for a in anggota[:50]:
            for e in _bisa_dipinjam(a.cabang, rng.choice([1, 1, 2, 3]), terpakai):
                try:
                    pinjaman.append(services.pinjamkan(a, e.barcode, cabang=a.cabang, oleh=petugas))
                    terpakai.add(e.katalog_id)
                except services.SirkulasiGagal:
                    continue
        # Overdue loans, and late returns (fines), some at another branch (transit).
        for p in pinjaman[:12]:
            _mundurkan(p, rng.randint(1, 20))
        cabang = list(Cabang.objects.aktif())
        for i, p in enumerate(pinjaman[12:20]):
            _mundurkan(p, rng.randint(2, 10))
            tempat = cabang[(i * 3) % len(cabang)] if i % 2 else p.cabang
            services.kembalikan(p.eksemplar.barcode, cabang=tempat, oleh=petugas)
        # Holds on titles that are out: one waits, one is fulfilled on return.
        for i, (p, a) in enumerate(zip(pinjaman[20:26], anggota[50:56], strict=False)):
            # The first two are picked up where the copy comes back (ready at once),
            # the next one elsewhere (in transit), the rest still wait.
            try:
                services.reservasi(a, p.katalog, cabang_ambil=p.cabang if i < 2 else a.cabang)
            except services.SirkulasiGagal:
                continue
        for p in pinjaman[20:23]:
            services.kembalikan(p.eksemplar.barcode, cabang=p.cabang, oleh=petugas)
        # The entrance and the reading tables today.
        for a in anggota[:30]:
            services.catat_kunjungan(cabang=a.cabang, oleh=petugas, kode_anggota=a.nomor)
        for i, nama in enumerate(("Pak Ahmad", "Bu Ratna", "Rombongan SDN 01 Cikini")):
            services.catat_kunjungan(
                cabang=cabang[i],
                oleh=petugas,
                nama=nama,
                tujuan="kegiatan" if i == 2 else "membaca",
            )
        for e in Eksemplar.objects.filter(
            status=StatusEksemplar.TERSEDIA, kategori__dapat_dipinjam=False
        ).select_related("cabang")[:15]:
            services.catat_baca_di_tempat(e.barcode, cabang=e.cabang, oleh=petugas)
        # An iJakarta-style e-book with two licences, both out, and a queue.
        ebook_katalog = Katalog.objects.filter(jenis=JenisBahan.SUMBER_ELEKTRONIK).first()
        if ebook_katalog is not None:
            ebook = SumberDigital(
                katalog=ebook_katalog, judul=f"E-book: {ebook_katalog.judul[:200]}",
                akses=SumberDigital.Akses.LISENSI, jumlah_lisensi=2, jenis_isi="application/pdf",
            )  # fmt: skip
            ebook.berkas.save("contoh-e-book.pdf", ContentFile(_PDF_CONTOH), save=True)
            for a in anggota[:2]:
                digital.pinjam(a, ebook, hari=7)
            digital.antre(anggota[2], ebook)
        # A blocked member, an expired one and an online pre-registration.
        services.tangguhkan_anggota(
            anggota[60], alasan="Buku dikembalikan dalam keadaan rusak", oleh=petugas
        )
        Anggota.objects.filter(pk=anggota[61].pk).update(
            berlaku_sampai=hari_ini - timedelta(days=30)
        )
        services.daftarkan_anggota(
            {
                "nama": "Rahmat Hidayat",
                "kategori": anggota[0].kategori,
                "email": "rahmat@demo.dispusip.invalid",
            },
            cabang=anggota[0].cabang,
            oleh=None,
            pra_daftar=True,
        )
        # One member with online access, to try the member pages.
        contoh = anggota[0]
        contoh.akun = Pengguna.objects.create_user(
            username=f"anggota-{contoh.pk}",
            password=PASSWORD,
            email=contoh.email,
            first_name=contoh.nama[:150],
        )
        contoh.save(update_fields=["akun"])
    if stdout is not None:
        stdout.write(
            f"Demo circulation: {len(anggota) + 1} members, "
            f"{Peminjaman.objects.berjalan().count()} open loans. Member pages (/anggota/): "
            f"log in with member number {contoh.nomor} and the demo password."
        )
    return len(anggota) + 1
