"""OPAC search at scale: full-text search with facets against the LIKE search of Inlislite and SLiMS.

The issue (OPAC) asks for a catalogue of 1,000,000 records and 2,000,000 items
with Indonesian vocabulary in Zipf proportions, and for the search page to be
measured through the real HTTP stack: median under 20 ms and p95 under 150 ms
with facets, autocomplete p95 under 15 ms, and at least 10 times faster at the
median than the way Inlislite and SLiMS search (LIKE '%word%' over title and
author) on the same page.

Everything is fixed here: the seed, the vocabulary, the data, the query mix and
the server set-up. The data is generated once into the scratch database and
reused while it has ROWS records (its load timings are kept in the table's
comment), so a rerun costs only the measurements.

- Data: records are COPYed into a staging table, items into katalog_eksemplar,
  and one INSERT … SELECT moves the records into katalog_katalog with their
  holding/on-shelf/category arrays aggregated from the items (what
  services.segarkan_ketersediaan computes per record), so each row is written
  once and PostgreSQL computes its tsvector once. Secondary indexes and the
  foreign keys of both tables are dropped for the load and rebuilt after it, in one
  transaction; then VACUUM ANALYZE and services.bangun_ulang_tajuk().
- HTTP: gunicorn (2 sync workers, DEBUG off, production settings, rate limits
  off, plain HTTP) serving dispusip.wsgi; one client sends the requests one
  after another.
- Same page, two searches: the LIKE search is a view defined below that renders
  the same template with LIKE results. It cannot be mounted in production
  code, so both it and the real OPAC view are measured in this process through
  Django's test client against the site's URLconf plus that one route. A LIKE
  page takes seconds at this size, so it runs on every LIKE_STEP-th query and
  the ratio compares both searches on that sample.
- For diagnosis: `pencarian.cari` alone, and the time of each statement it sends.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.shortcuts import render
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from dispusip import impor
from dispusip.models import Cabang
from katalog import marc, pencarian, services
from katalog.forms import KueriForm
from katalog.models import Katalog, KategoriKoleksi, KosaKata, Tajuk
from katalog.views_opac import konteks_hasil

ROOT = Path(__file__).resolve().parent.parent
SEED = 20251126
ROWS = 1_000_000
ITEMS = 2_000_000
VOCAB = 20_000
ZIPF_S = 1.05
AUTHORS = 4_000
PUBLISHERS = 600
SUBJECT_HEADINGS = 3_000
QUERIES = 300
LIKE_STEP = 5  # the LIKE page runs on every 5th query
WARMUP = 20
WORKERS = 2
TARGETS = {"median": 20.0, "p95": 150.0, "saran_p95": 15.0, "ratio": 10.0}

# --- vocabulary -------------------------------------------------------------------

# Real words, most frequent first: function words (which the indonesian config
# indexes, having no stopword list), then the content words of a public library.
FUNGSI = "dan di yang untuk dari dengan pada dalam ke sebagai atau tentang oleh bagi antara serta"
ISI = (
    "buku sejarah indonesia pendidikan perpustakaan jakarta budaya ekonomi anak membaca "
    "pengantar dasar hukum sosial kebudayaan pembelajaran masyarakat islam bahasa sastra cerita "
    "manajemen teknik pembangunan politik agama kesehatan nasional daerah pemerintahan ilmu "
    "pengetahuan teknologi sistem informasi metode penelitian analisis kumpulan puisi novel seni "
    "musik tari kota desa keluarga perempuan remaja guru sekolah siswa matematika fisika kimia "
    "biologi pertanian perikanan lingkungan hidup alam laut pulau betawi jawa sunda nusantara "
    "kerajaan perjuangan kemerdekaan revolusi pancasila demokrasi keuangan akuntansi bisnis usaha "
    "koperasi pemasaran komputer internet digital kamus panduan praktis modern tradisional "
    "kuliner resep masakan rumah tangga gizi obat dokter perawat"
)
KONSONAN = "bcdghjklmnprstwy"
VOKAL = "aiueo"
AKHIRAN_KONSONAN = ["n", "k", "r", "t", "l", "s", "h", "ng", "p"]

NAMA_DEPAN = (
    "Budi Siti Ahmad Dewi Agus Sri Joko Rina Hendra Ratna Bambang Yuni Eko Wati Andi Lestari "
    "Rudi Indah Hadi Nur Dedi Fitri Arief Maya Yusuf Putri Imam Ani Taufik Kartika Wahyu Dian "
    "Rizal Sari Iwan Ayu Fajar Intan Gunawan Ika Teguh Mega Anton Rahma Bayu Wulan Dodi Novi "
    "Hasan Aisyah Irfan Lina Slamet Endang Suparman Tuti Yudi Nining Rahmat Evi Umar Nadia "
    "Pramoedya Chairil Ajip Sapardi Goenawan Seno Andrea Tere Ahmad Mochtar Nh Umar Kayam"
)
NAMA_BELAKANG = (
    "Santoso Wijaya Saputra Kusuma Hidayat Pratama Nugroho Setiawan Wibowo Siregar Nasution "
    "Harahap Lubis Simanjuntak Hutapea Sinaga Tanjung Gunawan Halim Salim Rahman Hakim Sutanto "
    "Purnomo Prasetyo Susanto Firmansyah Kurniawan Hartono Irawan Hasibuan Panjaitan Manurung "
    "Sitompul Rangkuti Permana Ramadhan Suryadi Sulistyo Hardjono Tjahjono Mulyadi Sudarsono "
    "Effendi Yamin Anwar Toer Damono Mohamad Ajidarma Lestari Hirata Liye Rosidi Moeis Pane Hamka "
    "Siswanto Budiman Kartodirdjo Koentjaraningrat Soekanto Mangunwijaya Alisjahbana Lubis Dini"
)
PENERBIT_NYATA = [
    "Gramedia Pustaka Utama",
    "Balai Pustaka",
    "Erlangga",
    "Kanisius",
    "Mizan",
    "Rineka Cipta",
    "Remaja Rosdakarya",
    "Bumi Aksara",
    "Pustaka Jaya",
    "Grasindo",
    "Kompas",
    "Yayasan Obor Indonesia",
]
TEMPAT = [
    ("Jakarta", 45),
    ("Yogyakarta", 15),
    ("Bandung", 12),
    ("Surabaya", 8),
    ("Semarang", 4),
    ("Malang", 4),
    ("Surakarta", 3),
    ("Medan", 3),
    ("Makassar", 2),
    ("Depok", 2),
    ("Bogor", 2),
]
JENIS = [
    ("monograf", 900),
    ("terbitan_berkala", 40),
    ("audio_visual", 20),
    ("kartografi", 10),
    ("manuskrip", 10),
    ("bahan_grafis", 10),
    ("sumber_elektronik", 5),
    ("musik", 5),
]
BAHASA = [
    ("ind", 880),
    ("eng", 60),
    ("jav", 20),
    ("sun", 10),
    ("ara", 10),
    ("dut", 8),
    ("may", 6),
    ("chi", 3),
    ("jpn", 3),
]
DDC = (
    "020 027.4 005.1 070 100 150 200 297 306 320 330 332 340 350 370 371.3 372 398.2 400 "
    "499.221 500 510 540 570 600 610 630 641.5 658 700 720 780 792 800 808 899.221 900 "
    "915.98 920 959.8 959.822"
)
PANJANG_JUDUL = [(2, 10), (3, 20), (4, 22), (5, 18), (6, 14), (7, 9), (8, 7)]

# Items: copies per record, and where and in which state they are.
EKSEMPLAR_PER_JUDUL = [(0, 5), (1, 38), (2, 27), (3, 14), (4, 8), (5, 5), (8, 3)]
KATEGORI = [
    ("umum", 70),
    ("anak", 10),
    ("referensi", 7),
    ("remaja", 5),
    ("deposit", 3),
    ("terbitan-berkala", 2),
    ("langka", 1),
    ("hb-jassin", 1),
    ("audio-visual", 1),
]
STATUS = [
    ("tersedia", 80),
    ("dipinjam", 11),
    ("dihapus", 4),
    ("dalam_perjalanan", 2),
    ("dipesan", 1),
    ("perbaikan", 1),
    ("hilang", 1),
]

# Queries a person types, besides the Zipf-drawn ones.
KUERI_TETAP = [
    "sejarah jakarta",
    "perpustakaan",
    "pendidikan anak",
    "budaya betawi",
    "membaca",
    "ekonomi indonesia",
    '"sejarah indonesia"',
    "kumpulan puisi",
    "dan",
    "perpustakan nasional",  # a typo: the page offers "did you mean"
    "santoso",
    "pramoedya toer",
]

KOLOM_EKSEMPLAR = [
    "katalog_id",
    "unit_id",
    "cabang_id",
    "kategori_id",
    "barcode",
    "nomor_induk",
    "nomor_panggil",
    "sumber",
    "harga",
    "tanggal_terima",
    "status",
    "jatuh_tempo",
    "catatan",
    "perlu_verifikasi",
    "dibuat",
    "diubah",
]


def _bobot(pasangan):
    nilai = [v for v, _w in pasangan]
    return nilai, list(accumulate(w for _v, w in pasangan))


def _zipf(n: int) -> list[float]:
    return list(accumulate(1 / (k**ZIPF_S) for k in range(1, n + 1)))


def _akar(rng: random.Random) -> str:
    suku = rng.choice((2, 2, 2, 3, 3))
    kata = "".join(rng.choice(KONSONAN) + rng.choice(VOKAL) for _ in range(suku))
    if rng.random() < 0.5:
        kata += rng.choice(AKHIRAN_KONSONAN)
    return kata


def _me(akar: str) -> str:
    if akar[0] in "bp":
        return "mem" + akar
    if akar[0] in "dtcj":
        return "men" + akar
    if akar[0] in "gkh":
        return "meng" + akar
    return "me" + akar


def _kata_buatan(rng: random.Random) -> str:
    """A generated root, bare or with one of the common derivational affixes."""
    akar = _akar(rng)
    r = rng.random()
    if r < 0.45:
        return akar
    if r < 0.55:
        return _me(akar)
    if r < 0.63:
        return "ber" + akar
    if r < 0.69:
        return "di" + akar
    if r < 0.77:
        return _me(akar).replace("me", "pe", 1) + "an"
    if r < 0.83:
        return "ke" + akar + "an"
    if r < 0.89:
        return akar + "kan"
    if r < 0.95:
        return akar + "an"
    return "ter" + akar


def kosakata(rng: random.Random) -> list[str]:
    """VOCAB distinct words, real ones first: list position is Zipf rank."""
    kata = list(dict.fromkeys((FUNGSI + " " + ISI).split()))
    ada = set(kata)
    while len(kata) < VOCAB:
        w = _kata_buatan(rng)
        if 3 <= len(w) <= 16 and w not in ada:
            ada.add(w)
            kata.append(w)
    return kata


class Korpus:
    """The vocabulary, names and headings the records and the queries draw from."""

    def __init__(self) -> None:
        rng = random.Random(SEED)
        self.kata = kosakata(rng)
        self.kata_cw = _zipf(len(self.kata))
        self.fungsi = set(FUNGSI.split())
        isi = [w for w in self.kata if w not in self.fungsi]
        isi_cw = _zipf(len(isi))
        subjek = []
        ada = set()
        while len(subjek) < SUBJECT_HEADINGS:
            kata = rng.choices(isi, cum_weights=isi_cw, k=rng.choice((1, 1, 2, 2, 3)))
            teks = " ".join(w.capitalize() for w in kata)
            if rng.random() < 0.2:
                teks += " -- " + rng.choice(("Indonesia", "Jakarta", "Jawa", "Sejarah"))
            if teks not in ada:
                ada.add(teks)
                subjek.append(teks)
        self.subjek, self.subjek_cw = subjek, _zipf(len(subjek))
        pasangan = sorted({(d, b) for d in NAMA_DEPAN.split() for b in NAMA_BELAKANG.split()})
        rng.shuffle(pasangan)
        self.pengarang = [(f"{b}, {d}", f"{d} {b}") for d, b in pasangan[:AUTHORS]]
        self.pengarang_cw = _zipf(len(self.pengarang))
        penerbit = list(PENERBIT_NYATA)
        while len(penerbit) < PUBLISHERS:
            nama = (
                rng.choice(("Penerbit", "CV", "PT", "Pustaka", "Yayasan", "Percetakan"))
                + " "
                + _akar(rng).capitalize()
                + rng.choice(("", " Press", " Pustaka", " Media", " Utama", " Ilmu", " Jaya"))
            )
            if nama not in penerbit:
                penerbit.append(nama)
        self.penerbit, self.penerbit_cw = penerbit, _zipf(len(penerbit))
        self.tahun = list(range(1950, 2026))
        self.tahun_cw = list(accumulate((t - 1945) ** 1.5 for t in self.tahun))

    def judul(self, kata: list[str]) -> str:
        teks = " ".join(w if w in self.fungsi else w.capitalize() for w in kata)
        return teks[:1].upper() + teks[1:]


# --- records and items -----------------------------------------------------------


class _Aliran:
    """Draws from a weighted population, made in blocks (one `choices` call per block)."""

    __slots__ = ("_blok", "_cw", "_i", "_isi", "_rng")

    def __init__(self, rng: random.Random, isi: list, cw: list[float]) -> None:
        self._rng, self._isi, self._cw = rng, isi, cw
        self._blok: list = []
        self._i = 0

    def ambil(self, k: int) -> list:
        if self._i + k > len(self._blok):
            self._blok = self._rng.choices(self._isi, cum_weights=self._cw, k=1 << 16)
            self._i = 0
        self._i += k
        return self._blok[self._i - k : self._i]

    def satu(self):
        return self.ambil(1)[0]


def _aliran(rng: random.Random, pasangan) -> _Aliran:
    return _Aliran(rng, *_bobot(pasangan))


def _isbn13(rng: random.Random) -> str:
    digit = f"978602{rng.getrandbits(20) % 1_000_000:06d}"
    cek = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digit)) % 10) % 10
    return digit + str(cek)


def _larik(nilai: list[str]) -> str:
    """A text[] in COPY text format (the values hold no quotes, backslashes or tabs)."""
    return "{" + ",".join(f'"{v}"' for v in nilai) + "}"


def _field(tag: str, ind: str, subfield: list[tuple[str, str]]) -> str:
    isi = ", ".join(f'{{"{k}": "{v}"}}' for k, v in subfield)
    return f'{{"{tag}": {{"ind1": "{ind[0]}", "ind2": "{ind[1]}", "subfields": [{isi}]}}}}'


# Columns the generator writes; the rest are filled by SQL when the rows move
# from the staging table into katalog_katalog (_muat).
KOLOM_STAGING = [
    "id",
    "marc",
    "nomor_kontrol",
    "jenis",
    "judul",
    "anak_judul",
    "pernyataan_tanggung_jawab",
    "pengarang",
    "pengarang_teks",
    "tempat_terbit",
    "penerbit",
    "tahun",
    "isbn",
    "isbn_normal",
    "nomor_panggil",
    "ddc",
    "bahasa",
    "subjek",
    "subjek_teks",
    "seri",
    "deskripsi_fisik",
    "judul_urut",
    "kunci_judul",
    "kunci_cocok",
    "tampil_opac",
]
DETIK_PER_REKAMAN = 340  # records 1..ROWS were catalogued from 2015 to late 2025


def _rekaman(korpus: Korpus):
    """Lines of COPY text for the staging table (KOLOM_STAGING), ids 1..ROWS.

    Everything generated is ASCII letters, digits, spaces and , ; . - so values
    and MARC-in-JSON need no escaping.
    """
    rng = random.Random(SEED + 1)
    rand = rng.random
    kata = _Aliran(rng, korpus.kata, korpus.kata_cw)
    pengarang = _Aliran(rng, korpus.pengarang, korpus.pengarang_cw)
    subjek_a = _Aliran(rng, korpus.subjek, korpus.subjek_cw)
    penerbit_a = _Aliran(rng, korpus.penerbit, korpus.penerbit_cw)
    tahun_a = _Aliran(rng, korpus.tahun, korpus.tahun_cw)
    panjang = _aliran(rng, PANJANG_JUDUL)
    jenis = _aliran(rng, JENIS)
    bahasa = _aliran(rng, BAHASA)
    tempat = _aliran(rng, TEMPAT)
    n_subjek = _aliran(rng, [(1, 50), (2, 35), (3, 15)])
    ddc_kelas = DDC.split()
    for i in range(1, ROWS + 1):
        judul = korpus.judul(kata.ambil(panjang.satu()))
        anak = " ".join(kata.ambil(2 + int(rand() * 4))) if rand() < 0.2 else ""
        r = rand()
        nama = pengarang.ambil(0 if r < 0.04 else 1 if r < 0.74 else 2 if r < 0.95 else 3)
        pj = ", ".join(t for _n, t in nama)
        subjek = list(dict.fromkeys(subjek_a.ambil(n_subjek.satu())))
        penerbit = penerbit_a.satu()
        kota = tempat.satu()
        tahun = tahun_a.satu()
        isbn = _isbn13(rng) if tahun >= 1985 and rand() < 0.7 else ""
        ddc = ddc_kelas[int(rand() * len(ddc_kelas))]
        urut = judul.lower()  # = marc.judul_urut for these titles (no leading article)
        nomor_panggil = f"{ddc} {(nama[0][0] if nama else judul)[:3].upper()} {urut[:1]}"
        fisik = f"{40 + int(rand() * 560)} hlm. ; {(19, 21, 23, 24, 25, 29)[int(rand() * 6)]} cm"
        seri = f"Seri {korpus.judul(kata.ambil(2))}" if rand() < 0.05 else ""
        nk = f"BNC{i:09d}"
        jenis_ini = jenis.satu()
        bahasa_ini = bahasa.satu()
        peran = ["penyunting" if j else "pengarang" for j in range(len(nama))]
        fields = [
            f'{{"001": "{nk}"}}',
            f'{{"008": "{f"250101s{tahun}    io ":<35}{bahasa_ini} d"}}',
        ]
        if isbn:
            fields.append(_field("020", "  ", [("a", isbn)]))
        fields.append(_field("082", "04", [("a", ddc)]))
        if nama:
            fields.append(_field("100", "1 ", [("a", nama[0][0])]))
        fields.append(
            _field(
                "245",
                "10",
                [("a", judul)] + ([("b", anak)] if anak else []) + ([("c", pj)] if pj else []),
            )
        )
        fields.append(_field("264", " 1", [("a", kota), ("b", penerbit), ("c", str(tahun))]))
        fields.append(_field("300", "  ", [("a", fisik)]))
        fields += [_field("650", " 4", [("a", s)]) for s in subjek]
        fields += [
            _field("700", "1 ", [("a", n), ("e", p)])
            for (n, _t), p in zip(nama[1:], peran[1:], strict=True)
        ]
        kunci = marc.kunci_judul(judul, anak, nama[0][0] if nama else "")
        rekaman_marc = f'{{"leader": "{marc.LEADER_BAWAAN}", "fields": [{", ".join(fields)}]}}'
        pengarang_json = (
            "["
            + ", ".join(
                f'{{"nama": "{n}", "peran": "{p}"}}' for (n, _t), p in zip(nama, peran, strict=True)
            )
            + "]"
        )
        yield (
            f"{i}\t{rekaman_marc}\t{nk}\t{jenis_ini}\t{judul}\t{anak}\t{pj}\t{pengarang_json}\t"
            f"{' ; '.join(n for n, _t in nama)}\t{kota}\t{penerbit}\t{tahun}\t{isbn}\t"
            f"{_larik([isbn] if isbn else [])}\t{nomor_panggil}\t{ddc}\t{bahasa_ini}\t"
            f"{_larik(subjek)}\t{' ; '.join(subjek)}\t{seri}\t{fisik}\t{urut[:200]}\t"
            f"{kunci}\t{marc.kunci_cocok(kunci, tahun, penerbit)}\t"
            f"{'t' if rand() >= 0.005 else 'f'}\n"
        )


def _eksemplar(cabang: list[tuple[int, int, str]], kategori: dict[str, int]):
    """Lines of COPY text for katalog_eksemplar (KOLOM_EKSEMPLAR): ITEMS over records 1..ROWS."""
    rng = random.Random(SEED + 2)
    rand = rng.random
    nilai, cw = _bobot(EKSEMPLAR_PER_JUDUL)
    jumlah = array("B", rng.choices(nilai, cum_weights=cw, k=ROWS))
    selisih = ITEMS - sum(jumlah)
    while selisih:
        i = rng.randrange(ROWS)
        if selisih > 0 and jumlah[i] < 12:
            jumlah[i] += 1
            selisih -= 1
        elif selisih < 0 and jumlah[i] > 1:
            jumlah[i] -= 1
            selisih += 1
    cabang_a = _aliran(
        rng,
        [
            ((pk, unit), 25 if kode == "cikini" else 4 if kode == "pds-hb-jassin" else 10)
            for pk, unit, kode in cabang
        ],
    )
    kategori_a = _aliran(rng, [(kategori[k], w) for k, w in KATEGORI if k in kategori])
    status_a = _aliran(rng, STATUS)
    awal = date(2015, 1, 1)
    n = 0
    for katalog_id in range(1, ROWS + 1):
        if not jumlah[katalog_id - 1]:
            continue
        hari = awal + timedelta(seconds=katalog_id * DETIK_PER_REKAMAN)
        waktu = f"{hari.isoformat()} 09:00:00+07"
        for _ in range(jumlah[katalog_id - 1]):
            n += 1
            cabang_id, unit_id = cabang_a.satu()
            status = status_a.satu()
            r = rand()
            sumber = (
                "beli"
                if r < 0.7
                else "hadiah"
                if r < 0.85
                else "serah_simpan"
                if r < 0.95
                else "tukar"
            )
            harga = f"{20 + int(rand() * 280)}000.00" if sumber == "beli" else "\\N"
            jatuh_tempo = f"2025-12-{1 + n % 20:02d}" if status == "dipinjam" else "\\N"
            yield (
                f"{katalog_id}\t{unit_id}\t{cabang_id}\t{kategori_a.satu()}\t{n:010d}\t"
                f"{n:07d}/BNC/{unit_id}\t\t{sumber}\t{harga}\t{hari.isoformat()}\t{status}\t"
                f"{jatuh_tempo}\t\tf\t{waktu}\t{waktu}\n"
            )
    assert n == ITEMS, n


def _salin(cursor, sql: str, baris) -> None:
    """COPY the lines, 5,000 to a write."""
    with cursor.cursor.copy(sql) as copy:
        blok = []
        for b in baris:
            blok.append(b)
            if len(blok) == 5000:
                copy.write("".join(blok))
                blok.clear()
        if blok:
            copy.write("".join(blok))


def _detik(mulai: float) -> float:
    return time.monotonic() - mulai


def _muat() -> dict:
    """Generate and load everything in one transaction; return the timings (seconds)."""
    waktu: dict[str, float] = {}
    korpus = Korpus()
    cabang = [(c.pk, c.unit_id, c.kode) for c in Cabang.objects.order_by("pk")]
    kategori = dict(KategoriKoleksi.objects.values_list("kode", "id"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE katalog_katalog, katalog_eksemplar, katalog_tajuk, katalog_kosakata "
            "RESTART IDENTITY CASCADE"
        )
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        indeks_katalog = impor.indeks_sekunder(cursor, "katalog_katalog")
        indeks_eksemplar = impor.indeks_sekunder(cursor, "katalog_eksemplar")
        fk = [
            (tabel, nama, definisi)
            for tabel in ("katalog_katalog", "katalog_eksemplar")
            for nama, definisi in impor.kunci_asing(cursor, tabel)
        ]
        for tabel, nama, _def in fk:
            cursor.execute(f'ALTER TABLE {tabel} DROP CONSTRAINT "{nama}"')
        for nama, _def in indeks_katalog + indeks_eksemplar:
            cursor.execute(f"DROP INDEX {nama}")
        kolom = ", ".join(KOLOM_STAGING)
        cursor.execute(
            f"CREATE TEMP TABLE bench_muat ON COMMIT DROP AS "
            f"SELECT {kolom} FROM katalog_katalog WITH NO DATA"
        )

        mulai = time.monotonic()
        _salin(cursor, f"COPY bench_muat ({kolom}) FROM STDIN", _rekaman(korpus))
        waktu["rekaman"] = _detik(mulai)
        print(f"opac: {ROWS:,} records generated and copied in {waktu['rekaman']:.0f} s")

        mulai = time.monotonic()
        _salin(
            cursor,
            f"COPY katalog_eksemplar ({', '.join(KOLOM_EKSEMPLAR)}) FROM STDIN",
            _eksemplar(cabang, kategori),
        )
        waktu["eksemplar"] = _detik(mulai)
        print(f"opac: {ITEMS:,} items generated and copied in {waktu['eksemplar']:.0f} s")

        # The holding arrays, as services.segarkan_ketersediaan computes them, set-based.
        mulai = time.monotonic()
        pilih = ", ".join(f"s.{k}" for k in KOLOM_STAGING)
        cursor.execute(
            f"""
            INSERT INTO katalog_katalog
                ({kolom}, tahun_terbit, edisi, issn, catatan, abstrak, audiens,
                 dibuat, diubah, cabang_pemilik, cabang_tersedia, kategori_koleksi)
            SELECT {pilih}, s.tahun::text, '', '', '', '', '',
                   timestamptz '2015-01-01 09:00+07' + s.id * interval '{DETIK_PER_REKAMAN} s',
                   timestamptz '2015-01-01 09:00+07' + s.id * interval '{DETIK_PER_REKAMAN} s',
                   coalesce(a.pemilik, '{{}}'), coalesce(a.tersedia, '{{}}'),
                   coalesce(a.kategori, '{{}}')
            FROM bench_muat s LEFT JOIN (
                SELECT katalog_id,
                       array_agg(DISTINCT cabang_id::int ORDER BY cabang_id::int)
                           FILTER (WHERE status <> 'dihapus') AS pemilik,
                       array_agg(DISTINCT cabang_id::int ORDER BY cabang_id::int)
                           FILTER (WHERE status = 'tersedia') AS tersedia,
                       array_agg(DISTINCT kategori_id::int ORDER BY kategori_id::int)
                           FILTER (WHERE status <> 'dihapus') AS kategori
                FROM katalog_eksemplar GROUP BY katalog_id
            ) a ON a.katalog_id = s.id
            """
        )
        waktu["katalog"] = _detik(mulai)
        print(f"opac: records with holdings inserted in {waktu['katalog']:.0f} s")

        mulai = time.monotonic()
        for _nama, sql in indeks_katalog:
            cursor.execute(sql)
        waktu["indeks_katalog"] = _detik(mulai)
        mulai = time.monotonic()
        for _nama, sql in indeks_eksemplar:
            cursor.execute(sql)
        for tabel, nama, definisi in fk:
            cursor.execute(f'ALTER TABLE {tabel} ADD CONSTRAINT "{nama}" {definisi}')
        waktu["indeks_eksemplar"] = _detik(mulai)
        for tabel in ("katalog_katalog", "katalog_eksemplar"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), "
                f"(SELECT max(id) FROM {tabel}))"
            )
        print(
            f"opac: indexes built in {waktu['indeks_katalog']:.0f} s (records), "
            f"{waktu['indeks_eksemplar']:.0f} s (items, with foreign keys)"
        )
    mulai = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE katalog_katalog")
        cursor.execute("VACUUM ANALYZE katalog_eksemplar")
    waktu["vacuum"] = _detik(mulai)
    mulai = time.monotonic()
    jumlah = services.bangun_ulang_tajuk()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE katalog_tajuk")
        cursor.execute("VACUUM ANALYZE katalog_kosakata")
    waktu["tajuk"] = _detik(mulai)
    print(f"opac: headings {jumlah} rebuilt in {waktu['tajuk']:.0f} s")
    return {
        "waktu": waktu,
        "tanggal": time.strftime("%Y-%m-%d %H:%M %Z"),
        "indeks": [len(indeks_katalog), len(indeks_eksemplar), len(fk)],
    }


def _siapkan_data() -> tuple[dict, bool]:
    """Load the data unless the scratch database already has it; its load timings."""
    if Katalog.objects.count() >= ROWS and Tajuk.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute("SELECT obj_description('katalog_katalog'::regclass, 'pg_class')")
            (komentar,) = cursor.fetchone()
        try:
            return json.loads(komentar or ""), False
        except ValueError:
            return {"waktu": {}, "tanggal": "?"}, False
    info = _muat()
    with connection.cursor() as cursor:
        teks = json.dumps(info).replace("'", "''")
        cursor.execute(f"COMMENT ON TABLE katalog_katalog IS '{teks}'")
    return info, True


# --- the query mix ---------------------------------------------------------------


def kueri_campuran(korpus: Korpus) -> tuple[list[str], list[str], list[str]]:
    """(warm-up queries, the measured queries, autocomplete prefixes): fixed by SEED."""
    rng = random.Random(SEED + 3)

    def acak() -> str:
        while True:
            n = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
            kata = rng.choices(korpus.kata, cum_weights=korpus.kata_cw, k=n)
            if len(set(kata)) == n:
                return " ".join(kata)

    pemanasan = [acak() for _ in range(WARMUP)]
    kueri = list(KUERI_TETAP) + [acak() for _ in range(QUERIES - len(KUERI_TETAP))]
    rng.shuffle(kueri)
    saran = []
    for q in kueri:
        kata = q.replace('"', "").split()
        terakhir = kata[-1][: rng.randint(2, 5)]
        saran.append(" ".join([*kata[:-1], terakhir]))
    return pemanasan, kueri, saran


# --- the LIKE search, on the same page -------------------------------------------


def cari_like(request):
    """The OPAC page with Inlislite's and SLiMS's search: every word LIKE '%word%' in
    the title or the author, AND-ed, newest first, with a count; no facets (neither
    has them), which only makes this side cheaper."""
    form = KueriForm(request.GET)
    form.is_valid()
    kueri = form.kueri()
    qs = Katalog.objects.opac().defer("marc")
    for kata in kueri.q.replace('"', " ").split():
        qs = qs.filter(Q(judul__icontains=kata) | Q(pengarang_teks__icontains=kata))
    total = qs.count()
    hasil = pencarian.Hasil(
        rekaman=list(qs.order_by("-id")[: pencarian.PER_HALAMAN]),
        total=total,
        total_pasti=True,
        total_perkiraan=False,
        halaman=1,
        jumlah_halaman=max(1, min(pencarian.MAKS_HALAMAN, -(-total // pencarian.PER_HALAMAN))),
        urut="terbaru",
        facet={},
        facet_pasti=True,
        facet_dari=0,
    )
    return render(request, "katalog/opac/cari.html", konteks_hasil(request, form, kueri, hasil))


# The site plus the LIKE page, for the in-process comparison (ROOT_URLCONF="bench.opac").
urlpatterns = [path("bench/opac-like/", cari_like), path("", include("dispusip.urls"))]


# --- measuring -------------------------------------------------------------------


def _persentil(nilai: list[float], p: float) -> float:
    urut = sorted(nilai)
    return urut[max(0, math.ceil(p * len(urut)) - 1)]


def _ringkas(nilai: list[float]) -> tuple[float, float, float]:
    return statistics.median(nilai), _persentil(nilai, 0.95), max(nilai)


def _baris(label: str, nilai: list[float], target: str = "", ok: bool | None = None) -> str:
    if not nilai:
        return f"| {label} | 0 | – | – | – | {target} | |"
    med, p95, mx = _ringkas(nilai)
    tanda = "" if ok is None else ("**met**" if ok else "**missed**")
    return f"| {label} | {len(nilai)} | {med:.1f} | {p95:.1f} | {mx:.0f} | {target} | {tanda} |"


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the real site with production settings, on a local port."""

    def __init__(self, log) -> None:
        self.port = _port_bebas()
        self.log = log
        env = dict(
            os.environ,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DATABASE_URL=os.environ["DATABASE_URL"],
            REDIS_URL=settings.REDIS_URL,
            OPAC_RATE="0/60",
            OPAC_API_RATE="0/60",
        )
        self.perintah = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
            "dispusip.wsgi:application",
        ]
        self.proses = subprocess.Popen(
            self.perintah, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )

    def tunggu(self) -> None:
        batas = time.monotonic() + 60
        while time.monotonic() < batas:
            if self.proses.poll() is not None:
                break
            try:
                status, _ms, _n = self.get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.log.seek(0)
        raise RuntimeError("gunicorn did not start:\n" + self.log.read().decode()[-3000:])

    def get(self, url: str) -> tuple[int, float, int]:
        """(status, milliseconds to the last byte, body size) of one GET on a new connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            mulai = time.perf_counter()
            conn.request("GET", url, headers={"Host": "localhost", "Accept-Language": "id"})
            jawab = conn.getresponse()
            isi = jawab.read()
            ms = (time.perf_counter() - mulai) * 1000
        finally:
            conn.close()
        return jawab.status, ms, len(isi)

    def berhenti(self) -> None:
        self.proses.terminate()
        try:
            self.proses.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proses.kill()
            self.proses.wait()


def _url(awalan: str, q: str) -> str:
    return f"{awalan}?{urlencode({'q': q})}"


def _ukur_http(pemanasan, kueri, saran) -> dict:
    call_command("collectstatic", interactive=False, verbosity=0)
    with tempfile.TemporaryFile() as log:
        return _ukur_server(Server(log), pemanasan, kueri, saran)


def _ukur_server(server: Server, pemanasan, kueri, saran) -> dict:
    try:
        server.tunggu()
        for q in pemanasan:
            server.get(_url("/opac/", q))
            server.get(_url("/opac/saran/", q[:3]))
        hasil: dict = {"cari": [], "saran": [], "ukuran": []}
        for q in kueri:
            status, ms, n = server.get(_url("/opac/", q))
            if status != 200:
                raise RuntimeError(f"/opac/?q={q} answered {status}")
            hasil["cari"].append(ms)
            hasil["ukuran"].append(n)
        for s in saran:
            status, ms, _n = server.get(_url("/opac/saran/", s))
            if status != 200:
                raise RuntimeError(f"/opac/saran/?q={s} answered {status}")
            hasil["saran"].append(ms)
        return hasil
    finally:
        server.berhenti()


def _ukur_klien(pemanasan, kueri) -> dict:
    """Ours on every query, LIKE on every LIKE_STEP-th (a LIKE page takes seconds)."""
    klien = Client(SERVER_NAME="localhost")
    contoh = list(range(0, len(kueri), LIKE_STEP))
    hasil: dict = {"fts": [], "like": [], "contoh": contoh}
    with override_settings(ROOT_URLCONF="bench.opac", DEBUG=False, OPAC_RATE="0/60"):
        for q in pemanasan[:5]:
            klien.get("/opac/", {"q": q})
            klien.get("/bench/opac-like/", {"q": q})
        for label, awalan, daftar in (
            ("fts", "/opac/", kueri),
            ("like", "/bench/opac-like/", [kueri[i] for i in contoh]),
        ):
            for q in daftar:
                mulai = time.perf_counter()
                jawab = klien.get(awalan, {"q": q})
                hasil[label].append((time.perf_counter() - mulai) * 1000)
                if jawab.status_code != 200:
                    raise RuntimeError(f"{awalan}?q={q} answered {jawab.status_code}")
            print(f"opac: in-process {label} median {statistics.median(hasil[label]):.1f} ms")
    return hasil


def _ukur_sql(pemanasan, kueri) -> tuple[list[float], list[int], list[bool]]:
    ms, total, pasti = [], [], []
    with override_settings(DEBUG=False):
        for q in pemanasan:
            pencarian.cari(pencarian.Kueri(q=q))
        for q in kueri:
            mulai = time.perf_counter()
            hasil = pencarian.cari(pencarian.Kueri(q=q))
            ms.append((time.perf_counter() - mulai) * 1000)
            total.append(hasil.total)
            pasti.append(hasil.total_pasti)
    return ms, total, pasti


BAGIAN = ["taksir", "hitung", "halaman", "facet", "ejaan", "lain"]
NAMA_BAGIAN = {
    "taksir": "estimate (EXPLAIN)",
    "hitung": "count",
    "halaman": "page of 20",
    "facet": "facets",
    "ejaan": "“did you mean”",
    "lain": "other",
}


def _jenis_sql(sql: str) -> str:
    teks = sql.strip()
    if teks.startswith("EXPLAIN"):
        return "taksir"
    if teks.startswith("WITH hits"):
        return "facet"
    if teks.startswith("SELECT COUNT(*) FROM (SELECT") and "katalog_katalog" in teks:
        return "hitung"
    if "katalog_kosakata" in teks:
        return "ejaan"
    if 'FROM "katalog_katalog"' in teks:
        return "halaman"
    return "lain"


def _rincian(kueri) -> list[dict[str, float]]:
    """Per query, the database time of each statement `pencarian.cari` sends (ms)."""
    hasil = []
    with override_settings(DEBUG=False):
        for q in kueri:
            with CaptureQueriesContext(connection) as ctx:
                pencarian.cari(pencarian.Kueri(q=q))
            waktu = dict.fromkeys(BAGIAN, 0.0)
            for x in ctx.captured_queries:
                waktu[_jenis_sql(x["sql"])] += float(x["time"]) * 1000
            hasil.append(waktu)
    return hasil


# --- describing ------------------------------------------------------------------


def _mesin() -> list[str]:
    model = "?"
    try:
        for baris in Path("/proc/cpuinfo").read_text().splitlines():
            if baris.startswith("model name"):
                model = baris.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram = f"{int(mem) / 1024 / 1024:.0f} GiB"
    except OSError:
        ram = "?"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (versi,) = cursor.fetchone()
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'jit', "
            "'max_parallel_workers_per_gather', 'random_page_cost') ORDER BY name"
        )
        pg = ", ".join(f"{k}={v}" for k, v in cursor.fetchall())
    import django
    import gunicorn

    return [
        f"- Machine: {os.cpu_count()} CPUs ({model}), {ram} RAM, {platform.platform()}; "
        "PostgreSQL, Redis, the server and the client all on this machine.",
        f"- {versi.split(',')[0]}, stock configuration ({pg}); connection over TCP to 127.0.0.1.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, gunicorn "
        f"{gunicorn.__version__}.",
    ]


def _ukuran() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_size_pretty(pg_table_size('katalog_katalog')),
                   pg_size_pretty(pg_indexes_size('katalog_katalog')),
                   pg_size_pretty(pg_relation_size('katalog_vektor_gin')),
                   pg_size_pretty(pg_total_relation_size('katalog_eksemplar'))
            """
        )
        tabel, indeks, gin, eksemplar = cursor.fetchone()
    return (
        f"records table {tabel} with {indeks} of indexes (the full-text GIN {gin}); "
        f"items {eksemplar} with indexes"
    )


def _hangatkan() -> None:
    """Read the records and headings once: a running server has them in the OS page cache
    (they are far larger than the stock 128 MB shared_buffers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM katalog_katalog WHERE judul <> ''")
        cursor.execute("SELECT count(*) FROM katalog_tajuk WHERE teks <> ''")


def _beban() -> str:
    satu, lima, _limabelas = os.getloadavg()
    return f"{satu:.1f} / {lima:.1f}"


def run() -> str:
    info, baru = _siapkan_data()
    korpus = Korpus()
    pemanasan, kueri, saran = kueri_campuran(korpus)
    n_katalog = Katalog.objects.count()
    n_tajuk, n_kata = Tajuk.objects.count(), KosaKata.objects.count()
    print(f"opac: {n_katalog:,} records, {n_tajuk:,} headings, {n_kata:,} words")

    _hangatkan()
    beban_awal = _beban()
    mulai = time.monotonic()
    ms_sql, total, pasti = _ukur_sql(pemanasan, kueri)
    print(f"opac: pencarian.cari median {statistics.median(ms_sql):.1f} ms")
    http_hasil = _ukur_http(pemanasan, kueri, saran)
    print(
        f"opac: HTTP search median {statistics.median(http_hasil['cari']):.1f} ms, "
        f"p95 {_persentil(http_hasil['cari'], 0.95):.1f} ms; autocomplete p95 "
        f"{_persentil(http_hasil['saran'], 0.95):.1f} ms"
    )
    klien = _ukur_klien(pemanasan, kueri)
    rincian = _rincian(kueri)
    lama_ukur = time.monotonic() - mulai
    beban_akhir = _beban()

    banyak = [i for i, p in enumerate(pasti) if not p]
    sedikit = [i for i, p in enumerate(pasti) if p]

    def pilih(nilai, indeks):
        return [nilai[i] for i in indeks]

    cari_ms = http_hasil["cari"]
    med, p95, _mx = _ringkas(cari_ms)
    saran_p95 = _persentil(http_hasil["saran"], 0.95)
    contoh = klien["contoh"]
    fts_contoh = pilih(klien["fts"], contoh)
    rasio = statistics.median(klien["like"]) / statistics.median(fts_contoh)
    rasio_p95 = _persentil(klien["like"], 0.95) / _persentil(fts_contoh, 0.95)

    w = info.get("waktu", {})
    n_indeks = info.get("indeks", ["?", "?", "?"])

    def detik(k: str) -> str:
        return f"{w[k]:.0f} s" if k in w else "–"

    siap = sum(w.get(k, 0) for k in ("katalog", "indeks_katalog", "vacuum"))
    asal = (
        "generated in this run"
        if baru
        else f"reused from the run of {info.get('tanggal', '?')} that generated them"
    )
    muat = [
        "| loading step | time |",
        "| --- | ---: |",
        f"| generate {ROWS:,} records in Python, COPY into a staging table | {detik('rekaman')} |",
        f"| generate {ITEMS:,} items, COPY into `katalog_eksemplar` | {detik('eksemplar')} |",
        "| one INSERT … SELECT of the records with their holding, on-shelf and category arrays "
        "aggregated from the items (PostgreSQL computes each tsvector) | "
        f"{detik('katalog')} |",
        f"| build the records' {n_indeks[0]} secondary indexes (full-text GIN, array GINs, "
        f"btrees; maintenance_work_mem 512MB) | {detik('indeks_katalog')} |",
        f"| build the items' {n_indeks[1]} secondary indexes; re-add the {n_indeks[2]} foreign "
        f"keys of both tables | {detik('indeks_eksemplar')} |",
        f"| VACUUM ANALYZE both tables | {detik('vacuum')} |",
        f"| headings and vocabulary (`services.bangun_ulang_tajuk()`) | {detik('tajuk')} |",
    ]
    if w:
        muat += [
            f"| **{ROWS:,} records searchable** (insert + indexes + vacuum) | **{siap:.0f} s** |",
            f"| everything, generation included | {sum(w.values()):.0f} s |",
        ]

    def baris_rincian(label: str, indeks: list[int]) -> str:
        if not indeks:
            return f"| {label} | 0 |" + " – |" * len(BAGIAN)
        nilai = [statistics.median(rincian[i][b] for i in indeks) for b in BAGIAN]
        return f"| {label} | {len(indeks)} | " + " | ".join(f"{v:.1f}" for v in nilai) + " |"

    terlambat = sorted(range(len(kueri)), key=lambda i: -ms_sql[i])[:8]
    hits_urut = sorted(total)
    tanda = {True: "met", False: "missed"}
    return "\n".join(
        [
            "## OPAC search: full text with facets, against LIKE",
            "",
            *_mesin(),
            f"- Load average (1 / 5 min) {beban_awal} when the measurements began and "
            f"{beban_akhir} when they ended ({lama_ukur / 60:.0f} min): other work shares the "
            "machine, so read the figures as an upper bound.",
            "",
            f"**Data** ({asal}): {n_katalog:,} records and {ITEMS:,} items ({_ukuran()}). "
            f"Titles of 2–8 words and 1–3 subject headings (from a pool of {SUBJECT_HEADINGS:,}) "
            f"drawn from a {VOCAB:,}-word vocabulary with Zipf weights (s = {ZIPF_S}): "
            f"{len((FUNGSI + ' ' + ISI).split())} real Indonesian words, most frequent first "
            "(the function words *dan, di, yang, untuk…* on top; the `indonesian` config indexes "
            "them), then generated CV-syllable roots, bare or with "
            "me-/ber-/di-/pe-…-an/ke-…-an/-kan/-an/ter-. Authors from "
            f"{AUTHORS:,} generated Indonesian names and publishers from {PUBLISHERS}, both Zipf; "
            "years 1950–2025 weighted to recent; 88 % Indonesian, 90 % monographs; a "
            "MARC-in-JSON record per row (about 1 kB). 0–8 items per record (mean 2) over the "
            f"{Cabang.objects.count()} branches, 80 % on the shelf, 11 % on loan, 4 % weeded. "
            f"{n_tajuk:,} headings and {n_kata:,} vocabulary words. Seed {SEED}.",
            "",
            *muat,
            "",
            f"**Queries**: {len(kueri)}, fixed by the seed: {len(KUERI_TETAP)} typed by hand "
            f"({', '.join(f'`{q}`' for q in KUERI_TETAP)}) and "
            f"{len(kueri) - len(KUERI_TETAP)} of 1–3 words (40 % / 40 % / 20 %) drawn from the "
            "same Zipf vocabulary, so many hold only very common words; shuffled. Hits per query: "
            f"median {statistics.median(hits_urut):,.0f}, p95 {_persentil(hits_urut, 0.95):,} "
            f"(counting stops at {pencarian.BATAS_HITUNG:,}); {len(banyak)} of {len(kueri)} "
            f"pass {pencarian.BATAS_HITUNG:,} hits. Autocomplete: per query, the words before "
            "the last plus a 2–5-letter prefix of the last (`sejarah ja`). "
            f"Before measuring, the records and headings tables are read once (a running "
            f"server has them in the OS page cache) and {WARMUP} other queries warm up each "
            "way.",
            "",
            f"**Server**: gunicorn, {WORKERS} sync workers, `dispusip.wsgi` with production "
            "settings (`DJANGO_DEBUG=false`, persistent database connections, Redis cache, "
            "WhiteNoise manifest static files); only `DJANGO_SECURE_SSL_REDIRECT=false` (plain "
            "HTTP on 127.0.0.1) and `OPAC_RATE=0/60` (no rate limit: one client sends "
            "everything) differ from a deployment. One client on the same machine, one request "
            "at a time on a new connection, timed from sending the request to the last byte. "
            "Milliseconds.",
            "",
            "| through HTTP (gunicorn) | n | median | p95 | max | target | |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
            _baris(
                "search page `/opac/?q=` (full text, facets, whole HTML page)",
                cari_ms,
                f"median < {TARGETS['median']:.0f}, p95 < {TARGETS['p95']:.0f}",
                med < TARGETS["median"] and p95 < TARGETS["p95"],
            ),
            _baris(
                f"– queries with more than {pencarian.BATAS_HITUNG:,} hits",
                pilih(cari_ms, banyak),
            ),
            _baris(
                f"– queries with up to {pencarian.BATAS_HITUNG:,} hits", pilih(cari_ms, sedikit)
            ),
            _baris(
                "autocomplete `/opac/saran/?q=`",
                http_hasil["saran"],
                f"p95 < {TARGETS['saran_p95']:.0f}",
                saran_p95 < TARGETS["saran_p95"],
            ),
            "",
            f"Search pages weigh {statistics.median(http_hasil['ukuran']) / 1024:.0f} KiB "
            "(median). Slowest autocomplete requests: "
            + "; ".join(
                f"`{saran[i]}` {http_hasil['saran'][i]:.0f} ms"
                for i in sorted(range(len(saran)), key=lambda i: -http_hasil["saran"][i])[:6]
            )
            + ".",
            "",
            "**The same page, two searches**, in this process through Django's test client "
            "(DEBUG off, the site's middleware and template; `bench/opac.py` mounts the LIKE "
            "view next to the site's URLs, since production code has no place for it). *Ours*: "
            "the OPAC view (`pencarian.cari`: `websearch_to_tsquery` on the GIN-indexed vector, "
            f"stopwords dropped; up to {pencarian.BATAS_HITUNG:,} hits counted, ranked and "
            "faceted in one pass; a search PostgreSQL estimates above "
            f"{pencarian.BATAS_PERKIRAAN:,} hits shows “about N”, the newest first and facets "
            f"of its first {pencarian.SAMPEL_FACET:,} hits). *LIKE*: Inlislite's and SLiMS's "
            "search, each word `UPPER(judul) LIKE UPPER('%word%') OR UPPER(pengarang_teks) "
            "LIKE …`, AND-ed, a `COUNT(*)` and the newest 20, **without facets** (neither has "
            "them), so the LIKE side does less work; PostgreSQL runs its scan with 2 parallel "
            f"workers. A LIKE page takes seconds, so it runs on every {LIKE_STEP}th query "
            f"({len(contoh)}) and the ratio compares both ways on those.",
            "",
            "| in process, same page | n | median | p95 | max | target | |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
            _baris("ours, all queries", klien["fts"]),
            _baris("ours, the LIKE sample", fts_contoh),
            _baris("LIKE '%word%' over title and author, the same sample", klien["like"]),
            f"| **LIKE / ours** | | **{rasio:.0f}×** | {rasio_p95:.0f}× | | "
            f"≥ {TARGETS['ratio']:.0f}× at the median | **{tanda[rasio >= TARGETS['ratio']]}** |",
            "",
            "For diagnosis, `pencarian.cari(Kueri(q=…))` alone, in process (no HTTP, no "
            "template). Per query, the in-process page took a median "
            f"{statistics.median(klien['fts'][i] - ms_sql[i] for i in range(len(kueri))):.0f} ms "
            "more than this call (form, facet labels, template):",
            "",
            "| `pencarian.cari` | n | median | p95 | max | | |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
            _baris("all queries", ms_sql),
            _baris(f"– more than {pencarian.BATAS_HITUNG:,} hits", pilih(ms_sql, banyak)),
            _baris(f"– up to {pencarian.BATAS_HITUNG:,} hits", pilih(ms_sql, sedikit)),
            "",
            "Where its database time goes: median milliseconds per statement, from a second pass "
            "with the statements timed:",
            "",
            "| queries | n | " + " | ".join(NAMA_BAGIAN[b] for b in BAGIAN) + " |",
            "| --- | ---: |" + " ---: |" * len(BAGIAN),
            baris_rincian(f"more than {pencarian.BATAS_HITUNG:,} hits", banyak),
            baris_rincian(f"up to {pencarian.BATAS_HITUNG:,} hits", sedikit),
            "",
            "Slowest there: "
            + "; ".join(
                f"`{kueri[i]}` {ms_sql[i]:.0f} ms ({total[i]:,}{'' if pasti[i] else '+'} hits)"
                for i in terlambat
            )
            + ".",
            "",
            f"**Targets** (issue, on this {os.cpu_count()}-core machine): search page median "
            f"{med:.1f} ms (< {TARGETS['median']:.0f}: {tanda[med < TARGETS['median']]}) and "
            f"p95 {p95:.1f} ms (< {TARGETS['p95']:.0f}: {tanda[p95 < TARGETS['p95']]}) with "
            f"facets; autocomplete p95 {saran_p95:.1f} ms (< {TARGETS['saran_p95']:.0f}: "
            f"{tanda[saran_p95 < TARGETS['saran_p95']]}); {rasio:.0f}× faster than LIKE at the "
            f"median (≥ {TARGETS['ratio']:.0f}×: {tanda[rasio >= TARGETS['ratio']]}); "
            + (
                f"{ROWS:,} records searchable {siap / 60:.1f} minutes after their rows were "
                f"generated (“minutes”: {tanda[siap < 600]})."
                if w
                else "load time not recorded."
            ),
        ]
    )
