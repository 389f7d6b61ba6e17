"""Loan history import at scale: Inlislite's `collectionloanitems` with 1,000,000 rows.

A branch's Inlislite keeps every loan since it went live; the migration brings the
whole history in (statistics continue from day one) with the open loans on top.

- Data: generated once (seeded) into VAR_DIR/bench_impor/pinjaman_<n>/:
  catalogs.csv (the catalogs columns alone, one record per two items),
  collections.csv (unique barcodes and accession numbers), members.csv (the member
  benchmark's generator) and collectionloanitems.csv with the columns of the
  sample tests/data/impor/inlislite_collectionloanitems_COMPOSED.csv: loans from
  2019 on in time order, members and items drawn at random, returned (`Return`,
  with ActualReturn) except the last 5 %, which are open (`Loan`), one per item.
- Setup (timed, not the point): `manage.py impor catalogs.csv collections.csv
  members.csv` into emptied catalogue, member, loan and map tables of the import
  benchmark's scratch database.
- Ours: `manage.py impor collectionloanitems.csv` from the same source, in a child
  process with production settings, watched as in bench/impor.py (wall time, the
  process tree's peak memory, progress lines, PostgreSQL's statements); then the
  same file again (a re-import: every row found unchanged).
- Baseline: a plain django-import-export ModelResource for Peminjaman (member by
  number, item by barcode through ForeignKeyWidgets; title, branch and member
  category copied from them before saving, as the model needs) imports the first
  10,000 rows, in a child process, into the same tables after ours is removed.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from django.conf import settings
from import_export import fields, resources, widgets

from bench import impor as bench_impor
from bench import impor_anggota
from katalog.models import Eksemplar
from sirkulasi.models import Anggota, Peminjaman

SEED = 20261129
SKALA = float(os.environ.get("BENCH_PINJAM_SKALA", "1"))
PINJAMAN = max(1000, round(1_000_000 * SKALA))
EKSEMPLAR = max(200, round(200_000 * SKALA))
ANGGOTA = max(100, round(100_000 * SKALA))
TERBUKA = 0.05
BASELINE_ROWS = min(10_000, PINJAMAN)
SUMBER = "Inlislite Bench Pinjaman"
# The command's progress lines (digits replaced by #), and what happens in each step.
TAHAP = {
    "mulai": "start-up: Django, recognising the file, the job row",
    "Membaca peminjaman, denda, reservasi, dan kunjungan…": "the step begins",
    "collectionloanitems.csv: # baris dibaca…": "rows in batches of 5,000: dates read "
    "(any unreadable one reported), COPY to the staging table",
    "Mencocokkan dan menyimpan peminjaman…": "set-based: repeated rows, earlier imports "
    "(compared with the portal's loans), members and items by source id, missing ones and "
    "items already out refused, one INSERT … SELECT (age group in SQL; a first migration "
    "into an empty loan table builds its indexes after, and checks its foreign keys "
    "then), the import map, items of open loans marked on loan; COMMIT, exit",
}
KOLOM_PINJAM = [
    "ID", "CollectionLoan_id", "LoanDate", "DueDate", "ActualReturn", "LateDays",
    "LoanStatus", "Collection_id", "member_id", "CreateBy", "CreateDate",
]  # fmt: skip


def _folder() -> Path:
    return Path(settings.VAR_DIR) / "bench_impor" / f"pinjaman_{PINJAMAN}"


def _tulis(folder: Path) -> float:
    rng = random.Random(SEED)
    mulai = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "catalogs.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(bench_impor.KOLOM_CATALOGS)
        kosong = [""] * (len(bench_impor.KOLOM_CATALOGS) - 7)
        for i in range(1, EKSEMPLAR // 2 + 1):
            w.writerow([i, f"INLIS{i:015d}", f"0010-{i:010d}", f"Judul buku nomor {i}",
                        "Hirata, Andrea", "", "Bentang", *kosong])  # fmt: skip
    with open(folder / "collections.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ID", "NomorBarcode", "NoInduk", "Catalog_id"])
        for i in range(1, EKSEMPLAR + 1):
            w.writerow([i, f"B{i:08d}", f"{i:06d}/PJK/2019", (i + 1) // 2])
    impor_anggota._tulis(folder / "members.csv", ANGGOTA)
    awal, akhir = datetime(2019, 1, 2, 8), datetime(2026, 11, 20, 16)
    langkah = (akhir - awal) / PINJAMAN
    terbuka_dari = round(PINJAMAN * (1 - TERBUKA))
    bebas = list(range(1, EKSEMPLAR + 1))
    rng.shuffle(bebas)
    sementara = folder / "collectionloanitems.tmp"
    with open(sementara, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(KOLOM_PINJAM)
        for i in range(1, PINJAMAN + 1):
            pinjam = awal + langkah * i
            tempo = pinjam + timedelta(days=7)
            if i > terbuka_dari and bebas:
                item, kembali, status = bebas.pop(), "", "Loan"
            else:
                item = rng.randrange(1, EKSEMPLAR + 1)
                kembali = f"{pinjam + timedelta(days=rng.randrange(1, 12)):%Y-%m-%d %H:%M:%S}"
                status = "Return"
            w.writerow([i, f"{pinjam:%y%m%d}{i:07d}", f"{pinjam:%Y-%m-%d %H:%M:%S}",
                        f"{tempo:%Y-%m-%d %H:%M:%S}", kembali, "", status, item,
                        rng.randrange(1, ANGGOTA + 1), 4, f"{pinjam:%Y-%m-%d %H:%M:%S}"])  # fmt: skip
    sementara.rename(folder / "collectionloanitems.csv")
    return time.monotonic() - mulai


def _berkas() -> tuple[Path, str]:
    folder = _folder()
    if (folder / "collectionloanitems.csv").exists():
        return folder, "reused from an earlier run"
    return folder, f"generated in this run in {_tulis(folder):.0f} s"


def _kosongkan(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE katalog_katalog, katalog_eksemplar, katalog_tajuk, katalog_kosakata, "
            "katalog_lokasi, sirkulasi_anggota, sirkulasi_peminjaman, dispusip_petaimpor, "
            "dispusip_sumberimpor RESTART IDENTITY CASCADE"
        )
        conn.execute("DELETE FROM dispusip_penomor WHERE jenis LIKE 'katalog.%%'")
        conn.execute("CHECKPOINT")


def _hitung(url: str) -> tuple[int, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        (n,) = conn.execute("SELECT count(*) FROM sirkulasi_peminjaman").fetchone()
        (b,) = conn.execute(
            "SELECT count(*) FROM sirkulasi_peminjaman WHERE status = 'berjalan'"
        ).fetchone()
    return n, b


# --- the baseline ------------------------------------------------------------------------


def _irisan_baseline(folder: Path, url: str) -> Path:
    """The first rows as a peer's resource would take them: member number, barcode."""
    with psycopg.connect(url, autocommit=True) as conn:
        nomor = dict(
            conn.execute(
                "SELECT p.id_sumber, a.nomor FROM dispusip_petaimpor p "
                "JOIN sirkulasi_anggota a ON a.id = p.id_tujuan WHERE p.tabel = 'anggota'"
            ).fetchall()
        )
    jalur = folder / "baseline.csv"
    with (
        open(folder / "collectionloanitems.csv", encoding="utf-8") as masuk,
        open(jalur, "w", newline="", encoding="utf-8") as keluar,
    ):
        w = csv.writer(keluar)
        w.writerow(["anggota", "eksemplar", "dipinjam", "jatuh_tempo", "dikembalikan", "status"])
        for n, r in enumerate(csv.DictReader(masuk)):
            if n == BASELINE_ROWS:
                break
            w.writerow([nomor[r["member_id"]], f"B{int(r['Collection_id']):08d}", r["LoanDate"],
                        r["DueDate"][:10], r["ActualReturn"],
                        "kembali" if r["ActualReturn"] else "berjalan"])  # fmt: skip
    return jalur


class PeminjamanResource(resources.ModelResource):
    """A plain resource for loans: member by number, item by barcode."""

    anggota = fields.Field("anggota", "anggota", widgets.ForeignKeyWidget(Anggota, "nomor"))
    eksemplar = fields.Field(
        "eksemplar", "eksemplar", widgets.ForeignKeyWidget(Eksemplar, "barcode")
    )

    class Meta:
        model = Peminjaman
        fields = ["anggota", "eksemplar", "dipinjam", "jatuh_tempo", "dikembalikan", "status"]
        import_id_fields = []

    def before_save_instance(self, instance, row, **kwargs):
        instance.katalog_id = instance.eksemplar.katalog_id
        instance.cabang_id = instance.eksemplar.cabang_id
        instance.kategori_anggota_id = instance.anggota.kategori_id


def baseline_anak(jalur: str) -> None:
    """In the child: import the slice and print the timing as one JSON line."""
    import tablib

    data = tablib.Dataset().load(Path(jalur).read_text(encoding="utf-8"), format="csv")
    mulai = time.perf_counter()
    hasil = PeminjamanResource().import_data(data, dry_run=False)
    detik = time.perf_counter() - mulai
    salah = [f"{n}: {e[0].error}" for n, e in hasil.row_errors()[:3]] + [
        f"{r.number}: {r.error_dict}" for r in hasil.invalid_rows[:3]
    ]
    print("BASELINE " + json.dumps({"baris": len(data), "detik": detik, "salah": salah}))


def _baseline(jalur: Path, url: str, folder: Path) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE sirkulasi_peminjaman RESTART IDENTITY CASCADE")
    kode = f"from bench import impor_pinjaman as b; b.baseline_anak({str(jalur)!r})"
    jalan = bench_impor._jalankan(
        [sys.executable, "manage.py", "shell", "-c", kode], url,
        folder / "log-baseline.txt", "baseline", 900,
    )  # fmt: skip
    hasil = next(
        (json.loads(b[1][9:]) for b in jalan["baris"] if b[1].startswith("BASELINE ")), None
    )
    if hasil is None:
        raise RuntimeError("baseline failed:\n" + "\n".join(b[1] for b in jalan["baris"][-30:]))
    jalan.update(hasil)
    jalan["pinjaman"], _b = _hitung(url)
    if jalan["pinjaman"] != hasil["baris"]:
        raise RuntimeError(f"baseline wrote {jalan['pinjaman']:,} loans: {hasil['salah']}")
    print(
        f"impor_pinjaman: baseline {hasil['baris']:,} rows in {hasil['detik']:.1f} s, "
        f"{jalan['pinjaman']:,} loans written {hasil['salah']}"
    )
    return jalan


# --- the run -----------------------------------------------------------------------------


def _perintah(cabang: str, *berkas: Path) -> list[str]:
    return [sys.executable, "manage.py", "impor", *map(str, berkas), "--sumber", SUMBER,
            "--cabang", cabang]  # fmt: skip


def run() -> str:
    url = bench_impor._url_impor()
    beban = os.getloadavg()
    folder, asal = _berkas()
    pinjam_csv = folder / "collectionloanitems.csv"
    print(f"impor_pinjaman: {PINJAMAN:,} loans, {EKSEMPLAR:,} items, {ANGGOTA:,} members ({asal})")
    cabang = bench_impor._siapkan_db(url)
    _kosongkan(url)
    siap = bench_impor._jalankan(
        _perintah(cabang, *(folder / n for n in ("catalogs.csv", "collections.csv",
                                                  "members.csv"))),
        url, folder / "log-siapkan.txt", "setup", bench_impor.BATAS_DETIK,
    )  # fmt: skip
    if siap["kode"] != 0:
        raise RuntimeError("setup import failed; see " + str(siap["log"]))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")
    terbuka = PINJAMAN - round(PINJAMAN * (1 - TERBUKA))
    jalan = {}
    for label in ("loans", "loans again"):
        j = bench_impor._jalankan(
            _perintah(cabang, pinjam_csv), url, folder / f"log-{label.replace(' ', '-')}.txt",
            label, bench_impor.BATAS_DETIK,
        )  # fmt: skip
        j["pinjaman"], j["berjalan"] = _hitung(url)
        j["tahap"] = bench_impor._tahap(j)
        j["benar"] = (
            j["kode"] == 0 and not j["terhenti"] and (j["pinjaman"], j["berjalan"])
            == (PINJAMAN, terbuka)
        )  # fmt: skip
        jalan[label] = j
    irisan = _irisan_baseline(folder, url)
    base = _baseline(irisan, url, folder)
    base_rps = base["baris"] / base["detik"]

    def baris(label: str, j: dict) -> str:
        d = j["detik"]
        cek = "✓" if j["benar"] else f"**exit {j['kode']}, counts differ**"
        rps = PINJAMAN / d
        return (
            f"| {label} | {PINJAMAN:,} | {bench_impor._menit(d)} | {rps:,.0f} | "
            f"**{rps / base_rps:,.0f}×** | **{j['rss_mb']:,.0f} MB** | {j['pg_rss_mb']:,.0f} MB | "
            f"{j['pinjaman']:,} loans, {j['berjalan']:,} open {cek} |"
        )

    pertama = jalan["loans"]
    teks = [
        "## Loan history import: 1,000,000 Inlislite loans",
        "",
        f"- Load average (1 / 5 min) {beban[0]:.1f} / {beban[1]:.1f} at the start; the machine "
        "and versions are those of the Imports section above.",
        f"- Data ({asal}; seed {SEED}): `collectionloanitems.csv`, {PINJAMAN:,} rows, "
        f"{pinjam_csv.stat().st_size / 1e6:,.0f} MB (loans 2019–2026 in time order, "
        f"{TERBUKA:.0%} still open, one per item), over {EKSEMPLAR:,} items of "
        f"{EKSEMPLAR // 2:,} records and {ANGGOTA:,} members imported first from the same "
        f"source (setup: {bench_impor._menit(siap['detik'])}, not counted).",
        "- Ours: `manage.py impor collectionloanitems.csv --sumber … --cabang …` in a child "
        "process, production settings; then the same file again (a re-import). Peak memory "
        "is the process tree's.",
        f"- Baseline: a plain django-import-export ModelResource for `Peminjaman` (member by "
        f"number and item by barcode through ForeignKeyWidget, title, branch and member "
        f"category copied from them), `import_data(dry_run=False)` on the first "
        f"{base['baris']:,} rows: **{base_rps:,.0f} rows/s** ({base['detik']:.1f} s).",
        "",
        "| import | rows | wall | rows/s | × baseline | peak RSS | PostgreSQL backend RSS | "
        "in the database |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        baris("loans", pertama),
        baris("the same file again", jalan["loans again"]),
        "",
        "Where the time goes (the first run's progress lines):",
        "",
        *bench_impor._tabel_tahap(pertama, TAHAP),
        "",
        f"Statements PostgreSQL was running, sampled each second: "
        f"{bench_impor._pernyataan(pertama)}",
    ]
    return "\n".join(teks)
