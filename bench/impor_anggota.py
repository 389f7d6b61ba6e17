"""Member import at scale: Inlislite's `members` table with 500,000 rows.

The issue (Impor) asks for 500,000 members in the import benchmark. Ours only:
the baseline (django-import-export) is measured on catalogue rows in the
"Imports" section, and its figure is quoted here for comparison.

- Data: generated once (seeded) into VAR_DIR/bench_impor/anggota_<n>/members.csv
  with the columns of Inlislite's `members` table (as the sample
  tests/data/impor/inlislite_members_COMPOSED.csv): unique member numbers and
  16-digit NIKs, Indonesian names from the OPAC benchmark's vocabulary, birth
  dates, addresses, phone numbers, e-mail for a third, registration and expiry
  dates (yyyy-mm-dd), sex and member-type ids (no lookup tables given, as when
  an export leaves them out).
- Run: `manage.py impor members.csv --sumber … --cabang …` in a child process
  with production settings, into emptied member tables of the import
  benchmark's scratch database, watched as in bench/impor.py (wall time, the
  process tree's peak memory, the command's progress lines, the statements
  PostgreSQL was running).
"""

from __future__ import annotations

import csv
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
from django.conf import settings

from bench import impor as bench_impor

SEED = 20261128
ANGGOTA = max(1, int(500_000 * bench_impor.SKALA))
SUMBER = "Inlislite Bench Anggota"
KEPALA = [
    "ID",
    "MemberNo",
    "Fullname",
    "PlaceOfBirth",
    "DateOfBirth",
    "Address",
    "Kelurahan",
    "Kecamatan",
    "RT",
    "RW",
    "City",
    "Province",
    "AddressNow",
    "NoHp",
    "Email",
    "IdentityType_id",
    "IdentityNo",
    "Sex_id",
    "EducationLevel_id",
    "Job_id",
    "JenisAnggota_id",
    "StatusAnggota_id",
    "RegisterDate",
    "EndDate",
    "Branch_id",
]
DEPAN = [
    "Siti",
    "Dewi",
    "Ayu",
    "Putri",
    "Rina",
    "Sri",
    "Nur",
    "Indah",
    "Wulan",
    "Fitri",
    "Budi",
    "Agus",
    "Andi",
    "Muhammad",
    "Ahmad",
    "Rizky",
    "Dimas",
    "Fajar",
    "Hendra",
    "Joko",
    "Bayu",
    "Eko",
    "Yusuf",
    "Hadi",
    "Taufik",
    "Rahmat",
    "Arif",
    "Bambang",
]
BELAKANG = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Lestari",
    "Rahmawati",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Hasibuan",
    "Situmorang",
    "Wibowo",
    "Susanto",
    "Gunawan",
    "Purnomo",
    "Halim",
    "Tanjung",
    "Harahap",
    "Lubis",
    "Sihombing",
    "Ginting",
    "Sembiring",
    "Manurung",
    "Panjaitan",
    "Sinaga",
    "Damanik",
]
KOTA = [
    "Kota Jakarta Pusat",
    "Kota Jakarta Utara",
    "Kota Jakarta Barat",
    "Kota Jakarta Selatan",
    "Kota Jakarta Timur",
    "Kabupaten Kepulauan Seribu",
]
JALAN = [
    "Kramat Raya",
    "Pemuda",
    "Salemba",
    "Matraman",
    "Cikini",
    "Kebon Sirih",
    "Tanah Abang",
    "Kemang",
]


def _tulis(jalur: Path, anggota: int = ANGGOTA) -> float:
    rng = random.Random(SEED)
    mulai = time.monotonic()
    jalur.parent.mkdir(parents=True, exist_ok=True)
    sementara = jalur.with_suffix(".tmp")
    with open(sementara, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(KEPALA)
        for i in range(1, anggota + 1):
            lahir = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
            daftar = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 10))
            nama = f"{rng.choice(DEPAN)} {rng.choice(BELAKANG)}".upper()
            kota = rng.choice(KOTA)
            alamat = f"Jl. {rng.choice(JALAN)} No. {rng.randrange(1, 200)}"
            w.writerow(
                [
                    i,
                    f"01{daftar:%y%m%d}{i:07d}",
                    nama,
                    "Jakarta",
                    lahir.isoformat(),
                    alamat,
                    "Kenari",
                    "Senen",
                    f"{rng.randrange(1, 20):03d}",
                    f"{rng.randrange(1, 12):03d}",
                    kota,
                    "DKI Jakarta",
                    alamat,
                    f"08{rng.randrange(10**9, 10**10)}",
                    f"anggota{i}@contoh.invalid" if i % 3 == 0 else "",
                    1,
                    f"3171{i:012d}",
                    rng.choice((1, 2)),
                    rng.randrange(1, 7),
                    rng.randrange(1, 9),
                    rng.randrange(1, 4),
                    1,
                    daftar.isoformat(),
                    (daftar + timedelta(days=365 * 5)).isoformat(),
                    "",
                ]
            )
    sementara.rename(jalur)
    return time.monotonic() - mulai


def _berkas() -> tuple[Path, str]:
    jalur = Path(settings.VAR_DIR) / "bench_impor" / f"anggota_{ANGGOTA}" / "members.csv"
    if jalur.exists():
        return jalur, "reused from an earlier run"
    detik = _tulis(jalur)
    return jalur, f"generated in this run in {detik:.0f} s"


def _kosongkan(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE sirkulasi_anggota, dispusip_petaimpor, dispusip_sumberimpor "
            "RESTART IDENTITY CASCADE"
        )
        conn.execute("CHECKPOINT")


def _hitung(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        (n,) = conn.execute("SELECT count(*) FROM sirkulasi_anggota").fetchone()
    return n


def run() -> str:
    url = bench_impor._url_impor()
    beban = os.getloadavg()
    jalur, asal = _berkas()
    print(f"impor_anggota: {ANGGOTA:,} members in {jalur} ({asal})")
    cabang = bench_impor._siapkan_db(url)
    _kosongkan(url)
    perintah = [sys.executable, "manage.py", "impor", str(jalur), "--sumber", SUMBER,
                "--cabang", cabang]  # fmt: skip
    jalan = bench_impor._jalankan(
        perintah, url, jalur.parent / "log.txt", "members", bench_impor.BATAS_DETIK
    )
    jumlah = _hitung(url)
    jalan["tahap"] = bench_impor._tahap(jalan)
    ok = jalan["kode"] == 0 and not jalan["terhenti"] and jumlah == ANGGOTA
    d = jalan["detik"]
    status = (
        "✓"
        if ok
        else f"**stopped after {bench_impor._menit(d)}**"
        if jalan["terhenti"]
        else f"**exit {jalan['kode']}, {jumlah:,} members in the database**"
    )
    baris = [
        "## Member import: 500,000 Inlislite members",
        "",
        f"- Load average (1 / 5 min) {beban[0]:.1f} / {beban[1]:.1f} at the start; the machine "
        "and versions are those of the Imports section above.",
        f"- Data ({asal}; seed {SEED}): `members.csv`, {ANGGOTA:,} rows, "
        f"{jalur.stat().st_size / 1e6:,.0f} MB, the columns of Inlislite's `members` table "
        "(unique member numbers and NIKs; dates as yyyy-mm-dd; no lookup tables).",
        "- Ours: `manage.py impor members.csv --sumber … --cabang …` in a child process, "
        "production settings, into emptied member tables; peak memory is the process tree's.",
        "",
        "| import | rows | wall | rows/s | peak RSS | PostgreSQL backend RSS | members in the "
        "database |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| members | {ANGGOTA:,} | {bench_impor._menit(d)} | "
        + (f"{ANGGOTA / d:,.0f}" if ok else "–")
        + f" | **{jalan['rss_mb']:,.0f} MB** | {jalan['pg_rss_mb']:,.0f} MB | "
        f"{jumlah:,} {status} |",
        "",
        "Where the time goes (the command's progress lines):",
        "",
        *bench_impor._tabel_tahap(jalan),
        "",
        f"Statements PostgreSQL was running, sampled each second: {bench_impor._pernyataan(jalan)}",
    ]
    return "\n".join(baris)
