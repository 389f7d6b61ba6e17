"""Imports at scale: an Inlislite export of 1M records, as tables and as MARC, against
django-import-export.

The issue (Impor) asks for an Inlislite-shaped export of 1,000,000 catalogue
records (as catalogs + catalog_ruas tables and as MARC), 2,000,000 items and
500,000 members; for the rows per second and the peak memory of our import; and,
in the same run on a 10,000-row slice, for the rows per second of a plain
django-import-export ModelResource import as the baseline. Targets on this
2-core machine: 1M records with their items in under 10 minutes, peak memory
under 1 GB whatever the file size, at least 20 times the baseline's rows per
second.

- Data: generated once (seeded, streamed through csv.writer and pymarc) into
  VAR_DIR/bench_impor/<records>/ and reused while its manifest (seed, generator
  version, file sizes) holds. catalogs.csv with the columns of Inlislite's
  table; catalog_ruas.csv, one row per MARC field (about 21 per record: 001,
  005 and 008 raw, `$a … : $b … / $c …` values with ISBD punctuation, blank
  indicators `#`, one to three 650s, up to two 700s, two 990s holding the
  items' NoInduk); collections.csv, 2 items per record with unique NomorBarcode
  and NoInduk;
  the five small lookup tables an export carries (location_library, locations,
  collectioncategorys, collectionstatus, collectionsources, named as the
  migrations' branches and categories); and catalog.mrc, the same records in
  ISO 2709 (UTF-8, pymarc force_utf8) with their 990s. Vocabulary, names and
  weights are the OPAC benchmark's (bench.opac.Korpus). The 500,000 members are
  bench/impor_anggota.py's (its own section).
- Database: a scratch database of its own (the bench database's name + `_impor`),
  so the OPAC and circulation benchmarks' catalogue in the bench database is
  left alone; migrated, so it has the migrations' units, branches and
  categories. Before each measured import the catalogue tables, headings,
  shelf locations, import maps and sources are truncated (CASCADE), the
  catalogue's numbering counters reset, and a CHECKPOINT taken.
- Ours: `manage.py impor` in a child process with production settings (DEBUG
  off), once with the tables, once with the MARC file alone (its 990 $a become
  items). Wall time is the child's whole life (Django start-up and the commit
  included); peak resident memory is that of the child and its pool of worker
  processes together (their sum, sampled every second; wait4()'s figure when it
  is larger). PostgreSQL
  runs in its own processes and its memory is not counted; for diagnosis its
  backend's CPU and memory are sampled, every progress line of the command is
  stamped with the time, the child's memory and CPU and the backend's CPU
  (which gives the time per phase), and the running statement is sampled from
  pg_stat_activity every second. A child still running after BATAS_DETIK, or
  past the benchmark's time budget ANGGARAN_DETIK, is stopped and reported as
  such, with the records it had read by then.
- Baseline: a plain ModelResource for Katalog (the flat catalogs columns mapped
  to model fields, import id nomor_kontrol) imports the first 10,000 catalogs
  rows with import_data(dry_run=False), in a child process too, into the same
  truncated tables. It writes only those columns: no MARC record, no derived
  columns, no items; ours rebuilds each MARC record from its ruas, derives every
  column, matches it against the union catalogue and writes the items too.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from django.conf import settings
from import_export import resources
from pymarc import Field, Record, Subfield

from bench import opac
from dispusip.env import database_from_url, database_to_url
from katalog import marc
from katalog.models import Katalog

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261127
VERSI_DATA = 1  # bump when the generator changes: cached files are then rebuilt
SKALA = float(os.environ.get("BENCH_IMPOR_SKALA", "1"))  # 0.01 → 10,000 records
RECORDS = max(100, round(1_000_000 * SKALA))
ITEMS_PER_RECORD = 2
ITEMS = RECORDS * ITEMS_PER_RECORD
BASELINE_ROWS = min(10_000, RECORDS)
# A child still running after BATAS_DETIK (three times the target) is stopped, and
# so is one that would overrun the whole benchmark's ANGGARAN_DETIK (generation
# included); an import with less than a minute of it left is not started.
BATAS_DETIK = float(os.environ.get("BENCH_IMPOR_BATAS", "1800"))
ANGGARAN_DETIK = float(os.environ.get("BENCH_IMPOR_ANGGARAN", "2400"))
TARGETS = {"detik": 600.0, "rss_mb": 1024.0, "rasio": 20.0}
ISBN_SALAH = 0.03  # share of ISBNs with a wrong check digit (real exports carry some)
SAMPEL_DETIK = 1.0
CABANG_TUJUAN = "cikini"
SUMBER = {"tabel": "bench-inlislite-tabel", "marc": "bench-inlislite-marc"}
DETIK_PER_REKAMAN = 300  # records catalogued from 2012 on

# Inlislite lookup tables, named as the migrations' branches and categories
# (id, code, name, weight among the items).
LOKASI_PERPUSTAKAAN = [
    (1, "CKN", "Perpustakaan Jakarta Cikini", 25),
    (2, "HBJ", "PDS H.B. Jassin", 4),
    (3, "JP", "Perpustakaan Jakarta Pusat", 10),
    (4, "JU", "Perpustakaan Jakarta Utara", 10),
    (5, "JB", "Perpustakaan Jakarta Barat", 10),
    (6, "JS", "Perpustakaan Jakarta Selatan", 10),
    (7, "JT", "Perpustakaan Jakarta Timur", 10),
    (8, "KS", "Perpustakaan Kepulauan Seribu", 4),
]
RUANG = ["Ruang Koleksi Umum", "Ruang Anak", "Ruang Referensi", "Ruang Remaja", "Lantai 2"]
KATEGORI_INLISLITE = [
    (1, "Koleksi Umum", 70),
    (2, "Koleksi Referensi", 7),
    (3, "Koleksi Anak", 10),
    (4, "Koleksi Remaja", 5),
    (5, "Koleksi Deposit", 3),
    (6, "Terbitan Berkala", 2),
    (7, "Koleksi Langka / Khusus", 1),
    (8, "Koleksi PDS HB Jassin", 1),
    (9, "Koleksi Audio-Visual", 1),
]
STATUS_INLISLITE = [
    (1, "Tersedia", 84),
    (2, "Rusak", 2),
    (3, "Hilang", 1),
    (4, "Dalam Pengolahan", 2),
    (5, "Dipinjam", 11),
]
SUMBER_INLISLITE = [
    (1, "Pembelian", 70),
    (2, "Hadiah/Hibah", 15),
    (3, "Serah Simpan KCKR", 10),
    (4, "Tukar Menukar", 5),
]
BADAN = [
    "Badan Pusat Statistik Provinsi DKI Jakarta",
    "Perpustakaan Nasional Republik Indonesia",
    "Dinas Perpustakaan dan Kearsipan Provinsi DKI Jakarta",
    "Kementerian Pendidikan dan Kebudayaan",
    "Lembaga Ilmu Pengetahuan Indonesia",
    "Pemerintah Provinsi DKI Jakarta",
]
ROMAWI = ["vi", "viii", "x", "xii", "xiv", "xvi", "xx", "xxiv"]
GEOGRAFIS = {"Indonesia", "Jakarta", "Jawa"}

KOLOM_CATALOGS = [
    "ID", "ControlNumber", "BIBID", "Title", "Author", "Edition", "Publisher",
    "PublishLocation", "PublishYear", "Publikasi", "Subject", "PhysicalDescription", "ISBN",
    "CallNumber", "Note", "Languages", "DeweyNo", "IsOPAC", "IsRDA", "Branch_id",
    "Worksheet_id", "CreateDate",
]  # fmt: skip
KOLOM_RUAS = ["ID", "CatalogId", "Tag", "Indicator1", "Indicator2", "Value", "Sequence"]
KOLOM_COLLECTIONS = [
    "ID", "NomorBarcode", "NoInduk", "RFID", "Currency", "Price", "TanggalPengadaan",
    "CallNumber", "Catalog_id", "Partner_id", "Location_Library_id", "Location_id", "Rule_id",
    "Category_id", "Media_id", "Source_id", "Status_id", "ISOPAC", "ISREFERENSI", "EDISISERIAL",
    "CreateDate",
]  # fmt: skip
# The baseline's resource: catalogs column -> Katalog field.
KOLOM_BASELINE = {
    "ControlNumber": "nomor_kontrol",
    "Title": "judul",
    "Author": "pengarang_teks",
    "Edition": "edisi",
    "Publisher": "penerbit",
    "PublishLocation": "tempat_terbit",
    "PublishYear": "tahun_terbit",
    "Subject": "subjek_teks",
    "PhysicalDescription": "deskripsi_fisik",
    "ISBN": "isbn",
    "CallNumber": "nomor_panggil",
    "Note": "catatan",
    "Languages": "bahasa",
    "DeweyNo": "ddc",
}
BERKAS_TABEL = [
    "catalogs.csv",
    "catalog_ruas.csv",
    "collections.csv",
    "location_library.csv",
    "locations.csv",
    "collectioncategorys.csv",
    "collectionstatus.csv",
    "collectionsources.csv",
]
BERKAS_MARC = "catalog.mrc"

# The command's progress lines (digits replaced by #), and what happens in each step.
TAHAP = {
    "mulai": "start-up: Django, recognising the files, the job row",
    "Membaca rekaman katalog…": "until the first batch of 5,000 is through (tables: COPY the "
    "CSV files into TEMP tables, group the ruas per record in one sort; MARC: parse)",
    "# rekaman dibaca…": "records in batches of 5,000: MARC-in-JSON from the ruas or the "
    "ISO bytes, derived columns, fingerprint, ISBN check (in worker processes); match "
    "against the catalogue, COPY to staging (the importing process)",
    "Membaca eksemplar…": "items: tables: COPY collections into a TEMP table, map each "
    "distinct combination of lookup ids, read prices and dates in SQL; MARC: unnest the "
    "staged 990 $a; one INSERT … SELECT to staging",
    "Menggabungkan ke katalog induk…": "merge: ANALYZE and count the staged records",
    "Memeriksa eksemplar…": "items: link to their records, duplicates, collisions, numbering "
    "(barcodes for 990 items from one block of the counter, in SQL)",
    "Menyimpan rekaman katalog…": "INSERT the records (with their holding, on-shelf and "
    "category arrays) and the items; import maps; merge candidates",
    "Memperbarui ketersediaan per cabang…": "the arrays of records that were already in the "
    "catalogue and got items",
    "Memperbarui indeks pencarian dan tajuk…": "rebuild headings and vocabulary, audit entry, "
    "COMMIT (deferred foreign-key checks), exit",
    "Membaca anggota…": "until the first batch of members is read and staged",
    "# anggota dibaca…": "members in batches: map, match by source id / NIK / name and birth "
    "date, COPY to staging, merge",
    "Membaca peminjaman, denda, reservasi, dan kunjungan…": "loans, fines, holds, visitors "
    "(none in this file), COMMIT, exit",
}


# --- generating the export -----------------------------------------------------------


def _isbn13(nomor: int, salah: bool) -> str:
    """A unique ISBN-13 per record number (a bijection on 6 digits under 978-602/623/979)."""
    awalan = ("978602", "978623", "978979")[nomor // 1_000_000 % 3]
    digit = f"{awalan}{(nomor * 611_953) % 1_000_000:06d}"
    cek = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digit)) % 10) % 10
    if salah:
        cek = (cek + 1) % 10
    return f"{digit[:3]}-{digit[3:6]}-{digit[6:10]}-{digit[10:]}-{cek}"


def _nilai_ruas(subfield: list[tuple[str, str]]) -> str:
    return " ".join(f"${kode} {isi}" for kode, isi in subfield)


def _field_marc(tag: str, ind1: str, ind2: str, isi) -> Field:
    if isinstance(isi, str):
        return Field(tag=tag, data=isi.replace("#", " "))
    return Field(
        tag=tag,
        indicators=[ind1.replace("#", " "), ind2.replace("#", " ")],
        subfields=[Subfield(kode, nilai) for kode, nilai in isi],
    )


def _subjek_field(teks: str) -> list[tuple[str, str]]:
    kepala, *sisa = teks.split(" -- ")
    return [("a", kepala)] + [("z" if s in GEOGRAFIS else "x", s) for s in sisa]


def _tulis_lookup(folder: Path) -> None:
    def tulis(nama: str, kepala: list[str], baris: list[list]) -> None:
        with open(folder / nama, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(kepala)
            w.writerows(baris)

    tulis(
        "location_library.csv",
        ["ID", "Code", "Name"],
        [[i, kode, nama] for i, kode, nama, _w in LOKASI_PERPUSTAKAAN],
    )
    tulis(
        "locations.csv",
        ["ID", "LocationLibrary_id", "Code", "Name"],
        [
            [(i - 1) * len(RUANG) + j + 1, i, f"{i:02d}{j + 1:02d}", ruang]
            for i, _k, _n, _w in LOKASI_PERPUSTAKAAN
            for j, ruang in enumerate(RUANG)
        ],
    )
    tulis(
        "collectioncategorys.csv",
        ["ID", "Code", "Name"],
        [[i, f"K{i:02d}", nama] for i, nama, _w in KATEGORI_INLISLITE],
    )
    tulis("collectionstatus.csv", ["ID", "Name"], [[i, n] for i, n, _w in STATUS_INLISLITE])
    tulis("collectionsources.csv", ["ID", "Name"], [[i, n] for i, n, _w in SUMBER_INLISLITE])


def _tulis_ekspor(folder: Path) -> dict:
    """Write the export, streaming; returns its row counts."""
    korpus = opac.Korpus()
    rng = random.Random(SEED)
    rand = rng.random
    kata = opac._Aliran(rng, korpus.kata, korpus.kata_cw)
    pengarang = opac._Aliran(rng, korpus.pengarang, korpus.pengarang_cw)
    subjek_a = opac._Aliran(rng, korpus.subjek, korpus.subjek_cw)
    penerbit_a = opac._Aliran(rng, korpus.penerbit, korpus.penerbit_cw)
    tahun_a = opac._Aliran(rng, korpus.tahun, korpus.tahun_cw)
    panjang = opac._aliran(rng, opac.PANJANG_JUDUL)
    bahasa = opac._aliran(rng, opac.BAHASA)
    tempat = opac._aliran(rng, opac.TEMPAT)
    n_subjek = opac._aliran(rng, [(1, 50), (2, 35), (3, 15)])
    n_pengarang = opac._aliran(rng, [(0, 6), (1, 60), (2, 26), (3, 8)])
    lokasi = opac._aliran(rng, [((i, kode), w) for i, kode, _n, w in LOKASI_PERPUSTAKAAN])
    kategori = opac._aliran(rng, [(i, w) for i, _n, w in KATEGORI_INLISLITE])
    status = opac._aliran(rng, [(i, w) for i, _n, w in STATUS_INLISLITE])
    sumber = opac._aliran(rng, [(i, w) for i, _n, w in SUMBER_INLISLITE])
    ddc_kelas = opac.DDC.split()
    awal = datetime(2012, 1, 2, 8, 0, 0)
    jumlah = {"catalogs": 0, "catalog_ruas": 0, "collections": 0, "marc_fields": 0}
    id_ruas = 900_000
    buka = {"newline": "", "encoding": "utf-8", "buffering": 1 << 20}
    with (
        open(folder / "catalogs.csv", "w", **buka) as f_cat,
        open(folder / "catalog_ruas.csv", "w", **buka) as f_ruas,
        open(folder / "collections.csv", "w", **buka) as f_col,
        open(folder / BERKAS_MARC, "wb", buffering=1 << 20) as f_mrc,
    ):
        w_cat, w_ruas, w_col = csv.writer(f_cat), csv.writer(f_ruas), csv.writer(f_col)
        w_cat.writerow(KOLOM_CATALOGS)
        w_ruas.writerow(KOLOM_RUAS)
        w_col.writerow(KOLOM_COLLECTIONS)
        for i in range(1, RECORDS + 1):
            dibuat = awal + timedelta(seconds=i * DETIK_PER_REKAMAN + int(rand() * 200))
            judul = korpus.judul(kata.ambil(panjang.satu()))
            anak = " ".join(kata.ambil(2 + int(rand() * 4))) if rand() < 0.2 else ""
            nama = pengarang.ambil(n_pengarang.satu())
            badan = BADAN[int(rand() * len(BADAN))] if not nama or rand() < 0.03 else ""
            pj = ", ".join(d for _b, d in nama) or badan
            peran = ["penyunting" if j and rand() < 0.3 else "" for j in range(len(nama))]
            edisi = f"Cet. {2 + int(rand() * 9)}" if rand() < 0.25 else ""
            kota, penerbit, tahun = tempat.satu(), penerbit_a.satu(), tahun_a.satu()
            isbn = _isbn13(i, rand() < ISBN_SALAH) if tahun >= 1985 and rand() < 0.8 else ""
            ddc = ddc_kelas[int(rand() * len(ddc_kelas))]
            utama = nama[0][0] if nama else badan or judul
            nomor_panggil = f"{ddc} {utama[:3].upper()} {judul[:1].lower()}"
            halaman = 40 + int(rand() * 560)
            hlm = (f"{ROMAWI[int(rand() * 8)]} + " if rand() < 0.6 else "") + f"{halaman} hlm."
            tinggi = f"{(19, 20, 21, 23, 24, 25, 29)[int(rand() * 7)]} cm."
            fisik = (
                [("a", hlm + " :"), ("b", "ilus. ;"), ("c", tinggi)]
                if rand() < 0.3
                else [("a", hlm + " ;"), ("c", tinggi)]
            )
            subjek = list(dict.fromkeys(subjek_a.ambil(n_subjek.satu())))
            bhs = bahasa.satu()
            r = rand()
            catatan = (
                "Indeks"
                if r < 0.2
                else f"Judul asli: {korpus.judul(kata.ambil(3))}"
                if r < 0.3
                else "Glosarium"
                if r < 0.35
                else ""
            )
            bibliografi = f"Bibliografi: hlm. {halaman - 9}-{halaman - 2}" if rand() < 0.25 else ""
            abstrak = korpus.judul(kata.ambil(12 + int(rand() * 19))) + "." if rand() < 0.25 else ""
            seri = (
                f"Seri {korpus.judul(kata.ambil(2))} ; {1 + int(rand() * 40)}"
                if rand() < 0.08
                else ""
            )
            nk = f"INLIS{i:015d}"
            bibid = f"0010-{dibuat:%m%y}{i:06d}"
            k0 = (i - 1) * ITEMS_PER_RECORD
            items = []
            for j in range(1, ITEMS_PER_RECORD + 1):
                (lib, kode), k = lokasi.satu(), k0 + j
                items.append((k, lib, f"{k:07d}/{kode}/{dibuat.year}"))

            f245 = [("a", judul + (" :" if anak else " /" if pj else ""))]
            if anak:
                f245.append(("b", anak + (" /" if pj else "")))
            if pj:
                f245.append(("c", pj))
            fields = [
                ("001", "", "", nk),
                ("005", "", "", f"{dibuat:%Y%m%d%H%M%S}"),
                ("008", "#", "#", f"{dibuat:%y%m%d}s{tahun}####io############000#1#{bhs}##"),
                ("035", "#", "#", [("a", bibid)]),
            ]
            if isbn:
                fields.append(("020", "#", "#", [("a", isbn)]))
            fields += [
                ("040", "#", "#", [("a", "JKPDA"), ("b", "ind"), ("c", "JKPDA")]),
                ("041", "0", "#", [("a", bhs)]),
                ("082", "0", "4", [("a", ddc)]),
                ("084", "#", "#", [("a", nomor_panggil)]),
            ]
            if nama:
                fields.append(("100", "1", "#", [("a", nama[0][0])]))
            elif badan:
                fields.append(("110", "2", "#", [("a", badan)]))
            fields.append(("245", "1" if nama or badan else "0", "0", f245))
            if edisi:
                fields.append(("250", "#", "#", [("a", edisi)]))
            fields += [
                ("260", "#", "#", [("a", kota + " :"), ("b", penerbit + ","), ("c", str(tahun))]),
                ("300", "#", "#", fisik),
                ("336", "#", "#", [("a", "teks"), ("2", "rdacontent")]),
                ("337", "#", "#", [("a", "tanpa perantara"), ("2", "rdamedia")]),
                ("338", "#", "#", [("a", "volume"), ("2", "rdacarrier")]),
            ]
            if seri:
                fields.append(("490", "0", "#", [("a", seri)]))
            if catatan:
                fields.append(("500", "#", "#", [("a", catatan)]))
            if bibliografi:
                fields.append(("504", "#", "#", [("a", bibliografi)]))
            if abstrak:
                fields.append(("520", "#", "#", [("a", abstrak)]))
            fields += [("650", "#", "4", _subjek_field(s)) for s in subjek]
            for (b, _d), p in zip(nama[1:], peran[1:], strict=True):
                fields.append(("700", "1", "#", [("a", b + ","), ("e", p)] if p else [("a", b)]))
            if badan and nama:
                fields.append(("710", "2", "#", [("a", badan)]))
            fields += [("990", "#", "#", [("a", induk)]) for _k, _l, induk in items]

            record = Record(force_utf8=True, leader=marc.LEADER_BAWAAN)
            for seq, (tag, ind1, ind2, isi) in enumerate(fields, start=1):
                id_ruas += 1
                w_ruas.writerow(
                    [
                        id_ruas,
                        i,
                        tag,
                        ind1,
                        ind2,
                        isi if isinstance(isi, str) else _nilai_ruas(isi),
                        seq,
                    ]
                )
                record.add_field(_field_marc(tag, ind1, ind2, isi))
            f_mrc.write(record.as_marc())
            jumlah["catalog_ruas"] += len(fields)
            jumlah["marc_fields"] += len(fields)

            penulis = [b + (f" ({p})" if p else "") for (b, _d), p in zip(nama, peran, strict=True)]
            w_cat.writerow(
                [
                    i,
                    nk,
                    bibid,
                    " ".join(v for _c, v in f245),
                    " ; ".join(penulis + ([badan] if badan else [])),
                    edisi,
                    penerbit + ",",
                    kota + " :",
                    tahun,
                    f"{kota} : {penerbit}, {tahun}",
                    " -- ".join(subjek),
                    " ".join(v for _c, v in fisik),
                    isbn,
                    nomor_panggil,
                    " ; ".join(x for x in (catatan, bibliografi, abstrak) if x),
                    bhs,
                    ddc,
                    0 if rand() < 0.005 else 1,
                    0,
                    "",
                    1,
                    f"{dibuat:%Y-%m-%d %H:%M:%S}",
                ]
            )
            jumlah["catalogs"] += 1
            for k, lib, induk in items:
                kat, sbr = kategori.satu(), sumber.satu()
                barcode = induk if rand() < 0.7 else f"{k:011d}"
                tanggal = dibuat - timedelta(days=int(rand() * 30))
                w_col.writerow(
                    [
                        k,
                        barcode,
                        induk,
                        barcode if rand() < 0.3 else "",
                        "IDR",
                        f"{20 + int(rand() * 280)}000" if sbr == 1 else "0",
                        f"{tanggal:%Y-%m-%d}",
                        nomor_panggil,
                        i,
                        1 + int(rand() * 40),
                        lib,
                        (lib - 1) * len(RUANG) + 1 + int(rand() * len(RUANG)),
                        2 if kat == 2 else 1,
                        kat,
                        1,
                        sbr,
                        status.satu(),
                        1,
                        1 if kat == 2 else 0,
                        "",
                        f"{dibuat + timedelta(minutes=2):%Y-%m-%d %H:%M:%S}",
                    ]
                )
            jumlah["collections"] += len(items)
            if i % 100_000 == 0:
                print(f"impor: generated {i:,} of {RECORDS:,} records")
    return jumlah


def _folder_data() -> Path:
    return Path(settings.VAR_DIR) / "bench_impor" / str(RECORDS)


def _siapkan_ekspor() -> tuple[Path, dict, bool]:
    """The export's folder and manifest; generated unless a matching one is on disk."""
    folder = _folder_data()
    manifest = folder / "manifest.json"
    semua = [*BERKAS_TABEL[:3], BERKAS_MARC]
    if manifest.exists():
        info = json.loads(manifest.read_text())
        if (
            info.get("versi") == VERSI_DATA
            and info.get("seed") == SEED
            and info.get("records") == RECORDS
            and all(
                (folder / n).exists() and (folder / n).stat().st_size == info["ukuran"].get(n)
                for n in semua
            )
        ):
            _tulis_lookup(folder)
            return folder, info, False
    folder.mkdir(parents=True, exist_ok=True)
    mulai = time.monotonic()
    jumlah = _tulis_ekspor(folder)
    _tulis_lookup(folder)
    info = {
        "versi": VERSI_DATA,
        "seed": SEED,
        "records": RECORDS,
        "items": ITEMS,
        "jumlah": jumlah,
        "ukuran": {n: (folder / n).stat().st_size for n in semua},
        "detik": round(time.monotonic() - mulai, 1),
        "tanggal": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
    manifest.write_text(json.dumps(info, indent=1))
    print(f"impor: export generated in {info['detik']:.0f} s")
    return folder, info, True


def _irisan_baseline(folder: Path) -> Path:
    """The first BASELINE_ROWS catalogs rows, with the columns named as Katalog's fields."""
    jalur = folder / f"baseline_{BASELINE_ROWS}.csv"
    with (
        open(folder / "catalogs.csv", newline="", encoding="utf-8") as masuk,
        open(jalur, "w", newline="", encoding="utf-8") as keluar,
    ):
        baca, tulis = csv.DictReader(masuk), csv.writer(keluar)
        tulis.writerow(KOLOM_BASELINE.values())
        for n, baris in enumerate(baca):
            if n >= BASELINE_ROWS:
                break
            tulis.writerow([baris[k] for k in KOLOM_BASELINE])
    return jalur


# --- the baseline (runs in a child: manage.py shell -c) ------------------------------


class KatalogResource(resources.ModelResource):
    """A plain django-import-export resource for records: the flat columns of an
    Inlislite catalogs export, matched on the control number."""

    class Meta:
        model = Katalog
        import_id_fields = ["nomor_kontrol"]
        fields = list(KOLOM_BASELINE.values())


def baseline_anak(jalur: str) -> None:
    """In the child: import the slice and print the timing as one JSON line."""
    import tablib

    data = tablib.Dataset().load(Path(jalur).read_text(encoding="utf-8"), format="csv")
    mulai = time.perf_counter()
    hasil = KatalogResource().import_data(data, dry_run=False)
    detik = time.perf_counter() - mulai
    print(
        "BASELINE "
        + json.dumps(
            {
                "baris": len(data),
                "detik": detik,
                "galat": hasil.has_errors() or hasil.has_validation_errors(),
                "totals": {str(k): v for k, v in hasil.totals.items()},
            }
        )
    )


# --- the scratch database ------------------------------------------------------------


def _url_impor() -> str:
    """This benchmark's own database, next to the bench database; created if missing."""
    d = database_from_url(os.environ["DATABASE_URL"])
    d["NAME"] = f"{d['NAME']}_impor"
    admin = dict(d, NAME="postgres")
    with psycopg.connect(database_to_url(admin), autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (d["NAME"],)
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{d["NAME"]}"')
    return database_to_url(d)


def _env_anak(url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="dispusip.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost",
        REDIS_URL=settings.REDIS_URL,
        PYTHONUNBUFFERED="1",
    )


def _siapkan_db(url: str) -> str:
    """Migrate the scratch database; the code of the branch the items go to."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=_env_anak(url),
        check=True,
    )
    with psycopg.connect(url, autocommit=True) as conn:
        ada = [k for (k,) in conn.execute("SELECT kode FROM dispusip_cabang ORDER BY id")]
        if not ada:
            (unit,) = conn.execute(
                "INSERT INTO dispusip_unit (kode, nama, nama_singkat, jenis, wilayah, alamat, "
                "urutan, aktif) VALUES ('dinas', 'Dinas Perpustakaan dan Kearsipan', 'Dinas', "
                "'dinas', '', '', 0, true) ON CONFLICT (kode) DO UPDATE SET aktif = true "
                "RETURNING id"
            ).fetchone()
            conn.execute(
                "INSERT INTO dispusip_cabang (unit_id, kode, nama, alamat, jam_buka, telepon, "
                "aktif) VALUES (%s, %s, 'Perpustakaan Jakarta Cikini', '', '', '', true)",
                (unit, CABANG_TUJUAN),
            )
            ada = [CABANG_TUJUAN]
    return CABANG_TUJUAN if CABANG_TUJUAN in ada else ada[0]


def _kosongkan(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE katalog_katalog, katalog_eksemplar, katalog_tajuk, katalog_kosakata, "
            "katalog_lokasi, dispusip_petaimpor, dispusip_sumberimpor RESTART IDENTITY CASCADE"
        )
        conn.execute("DELETE FROM dispusip_penomor WHERE jenis LIKE 'katalog.%%'")
        conn.execute("VACUUM ANALYZE katalog_katalog")
        conn.execute("VACUUM ANALYZE katalog_eksemplar")
        conn.execute("CHECKPOINT")


def _hitung(url: str) -> tuple[int, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        (k,) = conn.execute("SELECT count(*) FROM katalog_katalog").fetchone()
        (e,) = conn.execute("SELECT count(*) FROM katalog_eksemplar").fetchone()
    return k, e


# --- running a child and watching it -------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc(pid: int) -> tuple[float, float]:
    """(CPU seconds, resident MB) of a process, or (0, 0) once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss = 0.0
        for baris in Path(f"/proc/{pid}/status").read_text().splitlines():
            if baris.startswith("VmRSS:"):
                rss = int(baris.split()[1]) / 1024
                break
        return (int(stat[11]) + int(stat[12])) / TICK, rss
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def _anak(pid: int) -> list[int]:
    """The live descendants of a process (the import's pool of worker processes)."""
    hasil, antre = [], [pid]
    while antre:
        p = antre.pop()
        for t in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                antre.extend(int(x) for x in t.read_text().split())
            except (OSError, ValueError):
                continue
        if p != pid:
            hasil.append(p)
    return hasil


def _proc_pohon(pid: int) -> tuple[float, float]:
    """(CPU seconds, resident MB) of a process and all its descendants together: the
    CPU of those already ended is in its reaped children's fields, their memory is
    counted while they live."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        selesai = (int(stat[13]) + int(stat[14])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0
    cpu, rss = _proc(pid)
    for p in _anak(pid):
        c, r = _proc(p)
        cpu, rss = cpu + c, rss + r
    return cpu + selesai, rss


def _ringkas_sql(sql: str) -> str:
    teks = " ".join((sql or "").split())
    teks = re.sub(r"'[^']*'", "'…'", teks)
    return teks[:90] + ("…" if len(teks) > 90 else "")


class _Pantau(threading.Thread):
    """Samples the child (memory, CPU) and its PostgreSQL backends (CPU, memory, statement)."""

    def __init__(self, pid: int, url: str) -> None:
        super().__init__(daemon=True)
        self.pid, self.url = pid, url
        self.mulai = time.monotonic()
        self.stop = threading.Event()
        self.backend: dict[int, float] = {}  # pid -> last CPU seconds seen
        self.sampel: list[tuple[float, float, float, float]] = []  # t, rss, py cpu, pg cpu
        self.pernyataan: Counter = Counter()  # statement -> sampled seconds
        self.pg_rss_puncak = 0.0
        self.rss_puncak = 0.0  # the child and its worker processes together
        self.kunci = threading.Lock()

    def lihat(self) -> tuple[float, float, float, float]:
        """(t, child RSS MB, child CPU s, backends' CPU s) now; the child's worker
        processes counted with it."""
        cpu, rss = _proc_pohon(self.pid)
        self.rss_puncak = max(self.rss_puncak, rss)
        with self.kunci:
            for pid in list(self.backend):
                c, _r = _proc(pid)
                if c:
                    self.backend[pid] = c
            pg = sum(self.backend.values())
        return time.monotonic() - self.mulai, rss, cpu, pg

    def run(self) -> None:
        try:
            conn = psycopg.connect(self.url, autocommit=True)
        except psycopg.Error:
            return
        with conn:
            while not self.stop.wait(SAMPEL_DETIK):
                baris = conn.execute(
                    "SELECT pid, state, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type IN ('client backend', 'parallel worker')"
                ).fetchall()
                pg_rss = 0.0
                with self.kunci:
                    for pid, state, query in baris:
                        c, r = _proc(pid)
                        self.backend[pid] = max(c, self.backend.get(pid, 0.0))
                        pg_rss += r
                        if state == "active":
                            self.pernyataan[_ringkas_sql(query)] += SAMPEL_DETIK
                        elif state == "idle in transaction":
                            self.pernyataan["(idle in transaction: the Python side works)"] += (
                                SAMPEL_DETIK
                            )
                self.pg_rss_puncak = max(self.pg_rss_puncak, pg_rss)
                self.sampel.append(self.lihat())


def _jalankan(
    perintah: list[str], url: str, log: Path, label: str, batas: float = BATAS_DETIK
) -> dict:
    """Run a child to its end (or `batas` seconds), stamping each line of its output."""
    mulai = time.monotonic()
    proses = subprocess.Popen(
        perintah,
        cwd=ROOT,
        env=_env_anak(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    pantau = _Pantau(proses.pid, url)
    pantau.start()
    terhenti = threading.Event()

    def hentikan() -> None:
        terhenti.set()
        proses.kill()
        with psycopg.connect(url, autocommit=True) as conn:  # its backend, left mid-statement
            conn.execute(
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    jam = threading.Timer(batas, hentikan)
    jam.start()
    baris = []
    with open(log, "w", encoding="utf-8") as f:
        f.write(f"$ {' '.join(perintah)}\n")
        for teks in proses.stdout:
            t, rss, cpu, pg = pantau.lihat()
            teks = teks.rstrip("\n")
            baris.append((t, teks, rss, cpu, pg))
            f.write(f"{t:8.1f}s rss {rss:6.0f} MB cpu {cpu:7.1f} s pg {pg:7.1f} s | {teks}\n")
            f.flush()
            if not teks.startswith("BASELINE"):
                print(f"impor [{label} {t:6.0f} s, {rss:5.0f} MB]: {teks}")
    _pid, status, pakai = os.wait4(proses.pid, 0)
    proses.returncode = os.waitstatus_to_exitcode(status)
    detik = time.monotonic() - mulai
    jam.cancel()
    akhir = pantau.lihat()
    pantau.stop.set()
    pantau.join(5)
    return {
        "detik": detik,
        "kode": proses.returncode,
        "terhenti": terhenti.is_set(),
        # wait4 gives the largest single process; the sampled sum of the whole
        # tree (the importer and its worker processes) is the honest peak.
        "rss_mb": max(pakai.ru_maxrss / 1024, pantau.rss_puncak),
        "cpu": pakai.ru_utime + pakai.ru_stime,
        "pg_cpu": akhir[3],
        "pg_rss_mb": pantau.pg_rss_puncak,
        "baris": baris,
        "sampel": pantau.sampel,
        "pernyataan": pantau.pernyataan,
        "log": log,
    }


POLA_MAJU = re.compile(r"^\[\s*[\d.]+%\] (.+)$")


def _tahap(jalan: dict) -> list[dict]:
    """The command's progress lines as phases: wall time, CPU of each side, memory."""
    batas = [(0.0, "mulai", 0.0, 0.0)]
    for t, teks, _rss, cpu, pg in jalan["baris"]:
        m = POLA_MAJU.match(teks)
        if not m:
            continue
        kunci = re.sub(r"\d[\d.,]*", "#", m.group(1))
        if kunci != batas[-1][1]:
            batas.append((t, kunci, cpu, pg))
    batas.append((jalan["detik"], "", jalan["cpu"], jalan["pg_cpu"]))
    hasil = []
    for (t0, kunci, c0, p0), (t1, _k, c1, p1) in itertools.pairwise(batas):
        rss = [s[1] for s in jalan["sampel"] if t0 <= s[0] <= t1]
        rss += [b[2] for b in jalan["baris"] if t0 <= b[0] <= t1]
        hasil.append(
            {
                "kunci": kunci,
                "detik": t1 - t0,
                "py": max(0.0, c1 - c0),
                "pg": max(0.0, p1 - p0),
                "rss": max(rss, default=0.0),
            }
        )
    return hasil


def _impor(
    label: str, berkas: list[Path], sumber: str, cabang: str, url: str, folder: Path, batas: float
) -> dict:
    if batas < 60:
        print(f"impor: {label}: not run, the time budget is spent")
        return {
            "dilewati": True, "detik": 0.0, "t_dibaca": 0.0, "kode": None, "terhenti": False,
            "rss_mb": 0.0, "pg_rss_mb": 0.0, "cpu": 0.0, "pg_cpu": 0.0, "katalog": 0,
            "eksemplar": 0, "benar": False, "tahap": [], "baris": [], "pernyataan": Counter(),
            "dibaca": 0, "Peringatan": None, "Galat": None, "batas": batas,
        }  # fmt: skip
    _kosongkan(url)
    perintah = [
        sys.executable,
        "manage.py",
        "impor",
        *map(str, berkas),
        "--sumber",
        sumber,
        "--cabang",
        cabang,
    ]
    jalan = _jalankan(perintah, url, folder / f"log-{label}.txt", label, batas)
    jalan["batas"], jalan["dilewati"] = batas, False
    jalan["katalog"], jalan["eksemplar"] = _hitung(url)
    dibaca = [
        (b[0], m) for b in jalan["baris"] if (m := re.search(r"([\d.]+) rekaman dibaca", b[1]))
    ]
    jalan["dibaca"] = int(dibaca[-1][1].group(1).replace(".", "")) if dibaca else 0
    jalan["t_dibaca"] = dibaca[-1][0] if dibaca else 0.0
    jalan["tahap"] = _tahap(jalan)
    jalan["benar"] = (
        jalan["kode"] == 0 and jalan["katalog"] == RECORDS and jalan["eksemplar"] == ITEMS
    )
    # The command ends with its counts, e.g. "Peringatan: 1.234" (warnings).
    for kunci in ("Peringatan", "Galat"):
        jalan[kunci] = next(
            (
                int(b[1].split(":")[1].strip().replace(".", ""))
                for b in jalan["baris"]
                if re.fullmatch(rf"{kunci}: [\d.]+", b[1])
            ),
            None,
        )
    print(
        f"impor: {label}: exit {jalan['kode']} in {jalan['detik']:.0f} s, peak RSS "
        f"{jalan['rss_mb']:.0f} MB, {jalan['katalog']:,} records, {jalan['eksemplar']:,} items"
    )
    return jalan


def _baseline(jalur: Path, url: str, folder: Path) -> dict:
    _kosongkan(url)
    kode = f"from bench import impor; impor.baseline_anak({str(jalur)!r})"
    jalan = _jalankan(
        [sys.executable, "manage.py", "shell", "-c", kode],
        url,
        folder / "log-baseline.txt",
        "baseline",
        600,
    )
    hasil = next(
        (
            json.loads(b[1][len("BASELINE ") :])
            for b in jalan["baris"]
            if b[1].startswith("BASELINE ")
        ),
        None,
    )
    if hasil is None:
        raise RuntimeError("baseline failed:\n" + "\n".join(b[1] for b in jalan["baris"][-30:]))
    jalan.update(hasil)
    jalan["katalog"], _e = _hitung(url)
    print(
        f"impor: baseline {hasil['baris']:,} rows in {hasil['detik']:.1f} s "
        f"({hasil['baris'] / hasil['detik']:.0f} rows/s), {jalan['katalog']:,} records written"
    )
    return jalan


# --- describing ------------------------------------------------------------------------


def _mesin(url: str) -> list[str]:
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
    with psycopg.connect(url, autocommit=True) as conn:
        (versi,) = conn.execute("SELECT version()").fetchone()
        pg = ", ".join(
            f"{k}={v}"
            for k, v in conn.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                "('shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', "
                "'synchronous_commit', 'temp_buffers', 'jit') ORDER BY name"
            ).fetchall()
        )
    from importlib.metadata import version

    import django
    import import_export

    return [
        f"- Machine: {os.cpu_count()} CPUs ({model}), {ram} RAM, {platform.platform()}; "
        "PostgreSQL and the import on this machine.",
        f"- {versi.split(',')[0]}, stock configuration ({pg}); connection over TCP to 127.0.0.1. "
        "The import itself sets `work_mem` to 256MB for its transaction.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, pymarc "
        f"{version('pymarc')}, django-import-export "
        f"{import_export.__version__}.",
    ]


def _relatif(jalur: Path) -> Path:
    return jalur.relative_to(ROOT) if jalur.is_relative_to(ROOT) else jalur


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f}"


def _menit(detik: float) -> str:
    return f"{detik / 60:.1f} min" if detik >= 120 else f"{detik:.0f} s"


def _tabel_tahap(jalan: dict, tahap: dict[str, str] | None = None) -> list[str]:
    """The phases as a table; `tahap` describes a benchmark's own steps (else TAHAP)."""
    tahap = TAHAP if tahap is None else tahap
    total = jalan["detik"] or 1
    baris = [
        "| step (the command's progress line) | what happens | wall | share | Python CPU | "
        "PostgreSQL CPU | child RSS (max) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in jalan["tahap"]:
        kunci = t["kunci"]
        label = "(start-up)" if kunci == "mulai" else f"`{kunci}`"
        baris.append(
            f"| {label} | {tahap.get(kunci, '')} | {t['detik']:.0f} s | "
            f"{t['detik'] / total:.0%} | {t['py']:.0f} s | {t['pg']:.0f} s | {t['rss']:.0f} MB |"
        )
    return baris


def _pernyataan(jalan: dict, n: int = 6) -> str:
    atas = jalan["pernyataan"].most_common(n)
    if not atas:
        return "no statement was sampled."
    return "; ".join(f"`{sql}` {detik:.0f} s" for sql, detik in atas) + "."


def _ekor(jalan: dict, n: int = 12) -> list[str]:
    return ["```", *[b[1] for b in jalan["baris"][-n:]], "```"]


def run() -> str:
    url = _url_impor()
    beban_awal = os.getloadavg()
    mulai = time.monotonic()
    folder, info, baru = _siapkan_ekspor()
    jumlah, ukuran = info["jumlah"], info["ukuran"]
    print(
        f"impor: {RECORDS:,} records, {jumlah['catalog_ruas']:,} ruas rows, "
        f"{jumlah['collections']:,} items in {folder}"
    )
    cabang = _siapkan_db(url)
    irisan = _irisan_baseline(folder)

    def sisa() -> float:
        return min(BATAS_DETIK, ANGGARAN_DETIK - (time.monotonic() - mulai))

    base = _baseline(irisan, url, folder)
    tabel = _impor(
        "tables", [folder / n for n in BERKAS_TABEL], SUMBER["tabel"], cabang, url, folder, sisa()
    )
    mrc = _impor("marc", [folder / BERKAS_MARC], SUMBER["marc"], cabang, url, folder, sisa())
    lama = time.monotonic() - mulai
    beban_akhir = os.getloadavg()

    baris_masuk = {"tables": jumlah["catalog_ruas"] + jumlah["collections"]}
    baris_masuk["marc"] = jumlah["marc_fields"]
    base_rps = base["baris"] / base["detik"]
    penuh = RECORDS == 1_000_000
    tanda = {True: "**met**", False: "**missed**"}

    def hasil_baris(label: str, jalan: dict, kunci: str, berkas: str) -> str:
        d = jalan["detik"]
        if jalan["dilewati"]:
            return (
                f"| {label} | {berkas} | **not run**: the time budget "
                f"({ANGGARAN_DETIK / 60:.0f} min) was spent | | | | | |"
            )
        selesai = jalan["kode"] == 0 and not jalan["terhenti"]
        cek = (
            "✓"
            if jalan["benar"]
            else (
                f"**stopped after {_menit(d)}** (limit {_menit(jalan['batas'])}), "
                f"{jalan['dibaca']:,} of {RECORDS:,} records read by then, nothing committed"
                if jalan["terhenti"]
                else f"**exit {jalan['kode']}**"
                if jalan["kode"]
                else "**counts differ**"
            )
        )
        rps = f"{RECORDS / d:,.0f}" if selesai else "–"
        rows = f"{baris_masuk[kunci] / d:,.0f}" if selesai else "–"
        return (
            f"| {label} | {berkas} | {_menit(d)} | {rps} | {rows} | **{jalan['rss_mb']:,.0f} MB** | "
            f"{jalan['pg_rss_mb']:,.0f} MB | {jalan['katalog']:,} / {jalan['eksemplar']:,} {cek}"
            + (
                f" ({jalan['Peringatan']:,} warnings, {jalan['Galat'] or 0:,} errors) |"
                if jalan["Peringatan"] is not None
                else " |"
            )
        )

    ok_tabel = tabel["benar"] and not tabel["terhenti"]
    ok_marc = mrc["benar"] and not mrc["terhenti"]
    rasio_rekaman = (RECORDS / tabel["detik"]) / base_rps if ok_tabel else 0.0
    rasio_baris = (baris_masuk["tables"] / tabel["detik"]) / base_rps if ok_tabel else 0.0
    rasio_marc = (RECORDS / mrc["detik"]) / base_rps if ok_marc else 0.0
    rasio_marc_baris = (baris_masuk["marc"] / mrc["detik"]) / base_rps if ok_marc else 0.0

    def waktu(label: str, jalan: dict, ok: bool) -> str:
        if jalan["dilewati"]:
            return f"{label} not run"
        if jalan["terhenti"]:
            return (
                f"{label} stopped after {_menit(jalan['detik'])} with {jalan['dibaca']:,} "
                f"records read ({tanda[False]})"
            )
        return (
            f"{label} {_menit(jalan['detik'])} ({tanda[ok and jalan['detik'] < TARGETS['detik']]})"
        )

    def memori(label: str, jalan: dict) -> str:
        if jalan["dilewati"]:
            return f"{label} not run"
        rss = jalan["rss_mb"]
        if jalan["terhenti"] and rss < TARGETS["rss_mb"]:
            return f"{label} {rss:,.0f} MB when stopped (not known for the whole import)"
        return f"{label} {rss:,.0f} MB ({tanda[rss < TARGETS['rss_mb']]})"

    def rasio() -> str:
        if ok_tabel:
            marc = (
                f", MARC {rasio_marc_baris:.0f}× ({tanda[rasio_marc_baris >= TARGETS['rasio']]})"
                if ok_marc
                else ""
            )
            return (
                f"counting input rows, as the baseline's rows are counted: tables "
                f"{rasio_baris:.0f}× ({tanda[rasio_baris >= TARGETS['rasio']]}){marc}; counting "
                f"records instead, {rasio_rekaman:.1f}× and {rasio_marc:.1f}× (for information: "
                f"20× per record would be {RECORDS / (TARGETS['rasio'] * base_rps):.0f} s for "
                f"the {RECORDS:,} records, against the 10-minute target; see the Status)"
            )
        if tabel["terhenti"] and tabel["dibaca"]:
            laju = tabel["dibaca"] / tabel["t_dibaca"]
            return (
                f"not known, the tables import did not finish; it had read {tabel['dibaca']:,} "
                f"of {RECORDS:,} records after {_menit(tabel['t_dibaca'])} ({laju:,.0f} per "
                f"second, {laju / base_rps:.1f}× the baseline) and was stopped after "
                f"{_menit(tabel['detik'])}"
            )
        return "not known, the tables import did not finish"

    def target() -> str:
        if not penuh:
            return (
                f"**Targets**: not assessed at this scale ({RECORDS:,} records, "
                f"BENCH_IMPOR_SKALA={SKALA:g}); they are for 1,000,000."
            )
        return (
            f"**Targets** (issue, on this {os.cpu_count()}-core machine): 1,000,000 records "
            f"with their items in under 10 minutes: {waktu('tables', tabel, ok_tabel)}; "
            f"{waktu('MARC', mrc, ok_marc)}. Peak memory under 1 GB: {memori('tables', tabel)}; "
            f"{memori('MARC', mrc)} (the importing process; PostgreSQL's own memory is not "
            f"counted). At least {TARGETS['rasio']:.0f}× the baseline's rows per second: "
            f"{rasio()}."
        )

    asal = (
        f"generated in this run in {info['detik']:.0f} s"
        if baru
        else f"reused from the run of {info.get('tanggal', '?')} that generated it in "
        f"{info['detik']:.0f} s"
    )
    lookup_mb = sum((folder / n).stat().st_size for n in BERKAS_TABEL[3:])
    per_rekaman = jumlah["catalog_ruas"] / RECORDS
    bagian = [
        "## Imports: Inlislite tables and MARC, against django-import-export",
        "",
        *_mesin(url),
        f"- Load average (1 / 5 min) {beban_awal[0]:.1f} / {beban_awal[1]:.1f} at the start and "
        f"{beban_akhir[0]:.1f} / {beban_akhir[1]:.1f} at the end ({lama / 60:.0f} min): other "
        "work shares the machine, so read the figures as an upper bound.",
        "",
        f"**Data** ({asal}; seed {SEED}; `{_relatif(folder)}`): "
        "an Inlislite export shaped as in `../shared/reference/inlislite.md` §1.1 and the "
        "samples in `tests/data/impor/`. Titles, names, publishers, places, years, subjects "
        "and languages are drawn as in the OPAC benchmark (Indonesian vocabulary, Zipf). "
        f"Per record {per_rekaman:.1f} MARC fields on average: 001, 005 and 008 raw (`#` as "
        "filler), 035 (BIBID), 020 for 80% of the books since 1985 (ISBN-13 with hyphens, "
        f"{ISBN_SALAH:.0%} with a wrong check digit, which the import reports as warnings), "
        "040, 041, 082, 084, 100 (or 110), 245 `$a … : $b … / $c …`, 250 for a quarter, 260 "
        "`$a Kota : $b Penerbit, $c 2008`, 300, 336–338, 490/500/504/520 for some, 650 ×1–3, "
        "700 ×0–2, and 990 ×2 holding the NoInduk of the record's two items. Items spread over "
        "the 8 libraries, 9 categories, 5 statuses and 4 sources of the lookup tables.",
        "",
        "| file | rows | MB |",
        "| --- | ---: | ---: |",
        f"| catalogs.csv | {jumlah['catalogs']:,} | {_mb(ukuran['catalogs.csv'])} |",
        f"| catalog_ruas.csv | {jumlah['catalog_ruas']:,} | {_mb(ukuran['catalog_ruas.csv'])} |",
        f"| collections.csv | {jumlah['collections']:,} | {_mb(ukuran['collections.csv'])} |",
        f"| 5 lookup tables (location_library, locations, collectioncategorys, collectionstatus, "
        f"collectionsources) | {len(LOKASI_PERPUSTAKAAN) * (1 + len(RUANG)) + 18} | "
        f"{lookup_mb / 1024:.1f} kB |",
        f"| catalog.mrc (ISO 2709, UTF-8) | {RECORDS:,} records, {jumlah['marc_fields']:,} "
        f"fields | {_mb(ukuran[BERKAS_MARC])} |",
        "| members | 500,000: see *Member import* below | |",
        "",
        "**Our import**: `manage.py impor FILE… --sumber … --cabang "
        f"{cabang}` in a child process with production settings (DEBUG off), into an emptied "
        "catalogue (truncated, CHECKPOINT) in a scratch database of its own. One transaction; "
        "clean CSV files go whole to PostgreSQL's COPY parser into TEMP staging tables, which "
        "groups the ruas per record; records are rebuilt from their ruas (or parsed from MARC) "
        "in batches of 5,000 by a pool of worker processes (one per CPU) after the first four "
        "batches, matched against the union catalogue by the importing process, then merged "
        "set-based. *Wall* is the child's whole life, start-up and "
        "commit included; *rows/s* counts the ruas (or MARC field) rows plus the collections "
        "rows; *peak RSS* is the importing process's maximum resident memory (wait4); "
        "PostgreSQL is a separate process whose memory is not counted — its backends' "
        "sampled peak is shown for information (it includes the shared buffers it touched).",
        "",
        "| import | files | wall | records/s | rows/s | peak RSS | PostgreSQL backend RSS | "
        "records / items in the database, problems reported |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        hasil_baris(
            "tables",
            tabel,
            "tables",
            f"catalogs + catalog_ruas + collections + 5 lookups "
            f"({_mb(sum(ukuran[n] for n in BERKAS_TABEL[:3]))} MB)",
        ),
        hasil_baris(
            "MARC",
            mrc,
            "marc",
            f"catalog.mrc alone, items from 990 $a ({_mb(ukuran[BERKAS_MARC])} MB)",
        ),
        "",
    ]
    for label, jalan in (("tables", tabel), ("MARC", mrc)):
        if jalan["dilewati"]:
            continue
        bagian += [
            f"Where the time goes, {label} import (from the command's progress lines, stamped "
            "as they came; CPU seconds of the importing process and of its PostgreSQL backend "
            "in each step):",
            "",
            *_tabel_tahap(jalan),
            "",
            f"Statements PostgreSQL was running, sampled each second: {_pernyataan(jalan)} "
            f"Child CPU {jalan['cpu']:.0f} s, backend CPU {jalan['pg_cpu']:.0f} s over "
            f"{jalan['detik']:.0f} s of wall time.",
            "",
        ]
        if not jalan["benar"]:
            bagian += ["Its last lines of output:", "", *_ekor(jalan), ""]

    def baris_ours(label: str, jalan: dict, n: int, rasio: float, tebal: bool = False) -> str:
        if not (jalan["benar"] and not jalan["terhenti"]):
            keadaan = "not run" if jalan["dilewati"] else "did not finish"
            return f"| {label} | {n:,} | {keadaan} | – | – |"
        teks = f"{rasio:.1f}×" if rasio < 10 else f"{rasio:.0f}×"
        return f"| {label} | {n:,} | {jalan['detik']:.0f} | {n / jalan['detik']:,.0f} | " + (
            f"**{teks}** |" if tebal else f"{teks} |"
        )

    bagian += [
        f"**Baseline**: a plain django-import-export `ModelResource` for `Katalog` "
        f"(import id `nomor_kontrol`; {len(KOLOM_BASELINE)} fields mapped from the catalogs "
        f"columns) imports the first {base['baris']:,} catalogs rows with "
        "`import_data(dry_run=False)`, in a child process, into the same emptied tables "
        "(timed around `import_data` only). It writes the catalogs columns and nothing else: "
        "no MARC record, no derived columns, no items. Ours rebuilds each MARC record from "
        "its ruas, derives every column, matches it against the catalogue and writes the "
        "items too, so per record it does more.",
        "",
        "| way | rows | seconds | rows/s | ours ÷ baseline |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| django-import-export `ModelResource` (catalogs rows; peak RSS "
        f"{base['rss_mb']:,.0f} MB) | {base['baris']:,} | {base['detik']:.1f} | "
        f"{base_rps:,.0f} | 1× |",
        baris_ours(
            "ours, tables: input rows (ruas + collections)",
            tabel,
            baris_masuk["tables"],
            rasio_baris,
            tebal=True,
        ),
        baris_ours("ours, tables: records", tabel, RECORDS, rasio_rekaman),
        baris_ours(
            "ours, MARC: input rows (fields)",
            mrc,
            baris_masuk["marc"],
            rasio_marc_baris,
            tebal=True,
        ),
        baris_ours("ours, MARC: records", mrc, RECORDS, rasio_marc),
        "",
        target(),
        "",
        f"Logs of the three runs, each line stamped: `{_relatif(folder)}/log-*.txt`. To run again: "
        "`make bench BENCH=impor` (`BENCH_IMPOR_SKALA=0.01` for a 10,000-record trial).",
    ]
    return "\n".join(bagian)


__all__ = ["KatalogResource", "baseline_anak", "run"]
