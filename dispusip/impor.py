"""What every importer shares: named sources, the map of source rows to portal rows,
the problem report (file, row, column, value, message) as a downloadable CSV,
and the run itself — one upload screen and one command for every app.

The readers of file formats are in dispusip.pembaca. Each app registers a
Pengimpor (katalog: records and items; sirkulasi: members, loans, fines,
holds, visitors); a run offers every file to every importer, which claims the
tables it reads, then runs the importers in their order (records before the
loans that point at them) inside one transaction: all or nothing unless the
administrator chose to keep the valid rows. Importers stream their rows into
TEMP staging tables with COPY and validate and merge them in SQL, so a killed
worker leaves nothing behind (PostgreSQL drops a dead session's temp tables)
and the job can simply run again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispusip import pembaca
from dispusip.jobs import JobGagal
from dispusip.models import Cabang, Job, Pengguna, PetaImpor, SumberImpor

GALAT = "galat"
PERINGATAN = "peringatan"
MAKS_MASALAH_TERSIMPAN = 100_000


@dataclass(frozen=True)
class Masalah:
    berkas: str
    baris: int
    kolom: str
    nilai: str
    pesan: str
    tingkat: str = GALAT


@dataclass
class Laporan:
    """Counts per outcome and every problem found, as an import goes."""

    jumlah: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("dibuat", "diperbarui", "tetap", "digabung", "konflik", "ditolak"), 0
        )
    )
    masalah: list[Masalah] = field(default_factory=list)

    def catat(self, hasil: str) -> None:
        self.jumlah[hasil] += 1

    def tambah(self, masalah: Masalah) -> None:
        if len(self.masalah) < MAKS_MASALAH_TERSIMPAN:
            self.masalah.append(masalah)

    @property
    def ada_galat(self) -> bool:
        return any(m.tingkat == GALAT for m in self.masalah)


LABEL_HASIL = {
    "dibuat": gettext_lazy("Dibuat"),
    "diperbarui": gettext_lazy("Diperbarui"),
    "tetap": gettext_lazy("Tidak berubah"),
    "digabung": gettext_lazy("Digabung ke rekaman yang ada"),
    "konflik": gettext_lazy("Konflik (diubah di portal)"),
    "ditolak": gettext_lazy("Ditolak"),
    "eksemplar": gettext_lazy("Eksemplar dibuat"),
    "galat": gettext_lazy("Galat"),
    "peringatan": gettext_lazy("Peringatan"),
}


def sumber(nama: str) -> SumberImpor:
    nama = " ".join(nama.split())
    if not nama:
        raise ValueError("A source needs a name")
    return SumberImpor.objects.get_or_create(nama=nama)[0]


def sidik(data) -> str:
    """A fingerprint of a source row, to tell an unchanged row on a re-import."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def peta(sumber_impor: SumberImpor, tabel: str, id_sumber: str) -> PetaImpor | None:
    return PetaImpor.objects.filter(sumber=sumber_impor, tabel=tabel, id_sumber=id_sumber).first()


def laporan_csv(laporan: Laporan) -> bytes:
    """The problems as a CSV that Excel opens (UTF-8 with a BOM)."""
    keluaran = io.StringIO()
    penulis = csv.writer(keluaran)
    penulis.writerow([_("Berkas"), _("Baris"), _("Kolom"), _("Nilai"), _("Tingkat"), _("Pesan")])
    for m in laporan.masalah:
        penulis.writerow([m.berkas, m.baris, m.kolom, m.nilai, m.tingkat, m.pesan])
    return ("\ufeff" + keluaran.getvalue()).encode("utf-8")


def tulis_laporan(job: Job, laporan: Laporan, nama: str = "masalah-impor.csv") -> None:
    """Attach the problems to the job, outside any transaction."""
    job.simpan_berkas(nama, ContentFile(laporan_csv(laporan)))


# --- the run ---------------------------------------------------------------------------

FORMAT = {
    "auto": gettext_lazy("Kenali otomatis"),
    "inlislite-marc": gettext_lazy("MARC 21 dari Inlislite (.mrc / MARCXML)"),
    "inlislite-tabel": gettext_lazy("Tabel basis data Inlislite (CSV/XLSX, boleh dalam zip)"),
    "inlislite-template": gettext_lazy("Template Excel Inlislite dan laporan .xls"),
    "slims": gettext_lazy("Ekspor CSV SLiMS"),
}
BARU = "__baru__"  # a lookup value the administrator chose to create
HASIL = ("dibuat", "diperbarui", "tetap", "digabung", "konflik", "ditolak")
UKURAN_BATCH = 5000


@dataclass
class LookupBaru:
    """A value the source uses that the portal does not know yet (a collection category
    "Koleksi Anak Lt. 2"): the administrator maps it to an existing value or creates it."""

    jenis: str  # e.g. "kategori", "cabang"
    label: str  # what kind of value, for the screen
    nilai: str
    jumlah: int  # rows using it
    pilihan: list[tuple[str, str]]  # (value, label) of existing targets
    boleh_baru: bool = True  # may it be created, or must it be mapped?
    saran: str = ""  # the preselected choice

    @property
    def kunci(self) -> str:
        return f"{self.jenis}:{self.nilai}"


@dataclass
class BagianPratinjau:
    judul: str
    berkas: str
    kepala: list[str]  # the columns of the sample as it will be stored
    contoh: list[list[str]]
    jumlah: int | None = None


class PetaRujukan:
    """A small reference table of the portal (collection or member categories) as an
    import's values map onto it: the administrator's choice in the preview, else the
    row of that name, else a new row, which is what the preview suggests. A value
    nobody mapped (a command-line import has no preview) is reported once, at the
    first row that uses it, so nothing is created silently."""

    def __init__(self, sesi: Sesi, jenis: str, model, label: str) -> None:
        self.sesi, self.jenis, self.model, self.label = sesi, jenis, model, label
        self.per_nama = {x.nama.casefold(): x.pk for x in model.objects.all()}

    def id(self, nama: str, berkas: str = "", nomor: int = 0) -> int | None:
        nama = " ".join((nama or "").split())
        if not nama:
            return None
        pilihan = self.sesi.pilihan(self.jenis, nama)
        if pilihan and pilihan != BARU:
            return int(pilihan)
        if nama.casefold() not in self.per_nama:
            self.per_nama[nama.casefold()] = self._buat(nama).pk
            if not pilihan:
                self.sesi.masalah(
                    berkas,
                    nomor,
                    self.label,
                    nama,
                    _("Belum ada di portal dan tidak dipetakan di pratinjau: dibuat baru."),
                    PERINGATAN,
                )
        return self.per_nama[nama.casefold()]

    def _buat(self, nama: str):
        kode = slugify(nama)[:24] or self.jenis[:24]
        while self.model.objects.filter(kode=kode).exists():
            kode = f"{kode[:20]}-{self.model.objects.count()}"
        return self.model.objects.create(kode=kode, nama=nama[:100])


@dataclass
class Sesi:
    """One import: where it came from, where it goes, the files, and what happened."""

    sumber: SumberImpor
    cabang: Cabang
    oleh: Pengguna | None
    berkas: list[pembaca.BerkasMasuk]
    sebagian: bool = False
    pemetaan: dict[str, str] = field(default_factory=dict)  # LookupBaru.kunci -> choice
    job: Job | None = None
    gema: Callable[[str], None] | None = None  # the command prints progress here
    laporan: Laporan = field(default_factory=Laporan)
    jumlah: dict[str, dict[str, int]] = field(default_factory=dict)
    _tahap: tuple[int, int] = (0, 1)
    # Which of the importers that run is running (index, how many): each counts its
    # own steps, and the bar covers them one after the other, never going back.
    _bagian: tuple[int, int] = (0, 1)
    _persen: float = 0.0

    def tabel(self, kode: str) -> list[pembaca.BerkasMasuk]:
        return [b for b in self.berkas if b.tabel == kode]

    def ada(self, *kode: str) -> bool:
        return any(b.tabel in kode for b in self.berkas)

    def masalah(self, berkas: str, baris: int, kolom: str, nilai: object, pesan: str,
                tingkat: str = GALAT) -> None:  # fmt: skip
        self.laporan.tambah(Masalah(berkas, baris, kolom, str(nilai or "")[:200], pesan, tingkat))

    def catat(self, entitas: str, hasil: str, n: int = 1) -> None:
        if n:
            baris = self.jumlah.setdefault(entitas, dict.fromkeys(HASIL, 0))
            baris[hasil] = baris.get(hasil, 0) + n

    def tahap(self, nomor: int, dari: int, pesan: str) -> None:
        """Enter step `nomor` of `dari`; progress within it goes through `maju`."""
        self._tahap = (nomor, dari)
        self.maju(0, 1, pesan)

    def maju(self, selesai: int, total: int, pesan: str | None = None) -> None:
        nomor, dari = self._tahap
        ke, banyak = self._bagian
        persen = (ke + (nomor - 1 + min(1.0, selesai / max(total, 1))) / dari) / banyak
        # A reader's estimate may start over (a second kind of file): never back.
        persen = self._persen = max(persen, self._persen)
        if self.job is not None:
            # An import's steps have no common unit: the bar shows a percentage.
            self.job.laporkan(int(persen * 1000), 1000, pesan)
        if self.gema is not None and pesan:
            self.gema(f"[{persen:6.1%}] {pesan}")

    def pilihan(self, jenis: str, nilai: str) -> str:
        return self.pemetaan.get(f"{jenis}:{nilai}", "")

    def ringkasan(self) -> dict[str, int]:
        hasil: dict[str, int] = {}
        for entitas, baris in self.jumlah.items():
            for k, n in baris.items():
                if n:
                    hasil[f"{entitas}.{k}"] = n
        hasil["galat"] = sum(m.tingkat == GALAT for m in self.laporan.masalah)
        hasil["peringatan"] = sum(m.tingkat == PERINGATAN for m in self.laporan.masalah)
        return hasil


class Pengimpor(ABC):
    """What an app registers to take part in imports (see katalog.impor, sirkulasi.impor).

    kenali() claims a file by returning the table kind it reads from it (looking
    at its name, type and header) or "". pratinjau() and lookup() run before
    anything is written; jalankan() writes, inside the run's transaction.
    """

    kode = ""
    urutan = 100
    izin = ""  # the permission a person needs to import these tables
    tabel: tuple[str, ...] = ()  # the table kinds it reads
    entitas: Mapping[str, Any] = {}  # entity key -> label, for the result page

    @abstractmethod
    def kenali(self, berkas: pembaca.BerkasMasuk, kepala: list[list[str]]) -> str: ...

    @abstractmethod
    def format_tabel(self, tabel: str) -> str: ...

    def pratinjau(self, sesi: Sesi) -> list[BagianPratinjau]:
        return []

    def lookup(self, sesi: Sesi) -> list[LookupBaru]:
        return []

    def kolom(self, tabel: str) -> Iterable[str] | None:
        """The columns (as kunci_kolom spells them) read from a table kind that is read
        by its header; None when it is read by position (a template, SLiMS)."""
        return None

    @abstractmethod
    def jalankan(self, sesi: Sesi) -> None: ...


_pengimpor: list[Pengimpor] = []


def daftarkan(pengimpor: Pengimpor) -> None:
    if all(p.kode != pengimpor.kode for p in _pengimpor):
        _pengimpor.append(pengimpor)
        _pengimpor.sort(key=lambda p: p.urutan)


def semua_pengimpor() -> list[Pengimpor]:
    return list(_pengimpor)


class LabelHasil(Mapping):
    """The result page's labels for "katalog.dibuat" and the like, built from what
    the registered importers declare (they register after this module loads)."""

    def _semua(self) -> dict[str, str]:
        label = {}
        for p in _pengimpor:
            for entitas, nama in p.entitas.items():
                for hasil in HASIL:
                    label[f"{entitas}.{hasil}"] = f"{nama}: {LABEL_HASIL[hasil]}"
        label["galat"] = str(LABEL_HASIL["galat"])
        label["peringatan"] = str(LABEL_HASIL["peringatan"])
        return label

    def __getitem__(self, key):
        return self._semua()[key]

    def __iter__(self):
        return iter(self._semua())

    def __len__(self):
        return len(self._semua())


def kepala_berkas(berkas: pembaca.BerkasMasuk, maks_baris: int = 5) -> list[list[str]]:
    """The first non-empty rows of a table (headers may sit under title rows)."""
    if berkas.jenis in ("marc21", "marcxml"):
        return []
    hasil = []
    for isi in berkas.baris():
        if any(c.strip() for c in isi):
            hasil.append(isi)
            if len(hasil) >= maks_baris:
                break
    return hasil


def kenali(berkas: list[pembaca.BerkasMasuk], format: str = "auto") -> dict[str, list[str]]:
    """Let the importers claim the files; returns the unclaimed ones' problems by file.
    With a format other than auto, only tables of that format are claimed."""
    tak_dikenal: dict[str, list[str]] = {}
    for b in berkas:
        try:
            kepala = kepala_berkas(b)
        except pembaca.BerkasGagal as exc:
            tak_dikenal[b.nama] = [str(exc)]
            continue
        for p in _pengimpor:
            tabel = p.kenali(b, kepala)
            if tabel and (format == "auto" or p.format_tabel(tabel) == format):
                b.tabel = tabel
                b.kepala = kepala[0] if kepala else []
                break
        else:
            tak_dikenal[b.nama] = [
                _("Jenis isi berkas tidak dikenali (%(j)s); lihat README bagian Impor.")
                % {"j": b.jenis}
            ]
    return tak_dikenal


def format_terdeteksi(berkas: list[pembaca.BerkasMasuk]) -> list[str]:
    hasil = []
    for b in berkas:
        for p in _pengimpor:
            if b.tabel and b.tabel in _tabel_milik(p):
                f = p.format_tabel(b.tabel)
                if f not in hasil:
                    hasil.append(f)
    return hasil


def _tabel_milik(p: Pengimpor) -> set[str]:
    return set(p.tabel)


def peta_kolom(b: pembaca.BerkasMasuk) -> tuple[list[str], list[str]] | None:
    """(columns read, columns ignored) of a recognised file, as its header spells
    them, for the preview; None when its importer reads it by position."""
    for p in _pengimpor:
        if b.tabel in _tabel_milik(p):
            dibaca = p.kolom(b.tabel)
            if dibaca is None:
                return None
            dibaca = set(dibaca)
            # Reports put title rows above the header: the row that names the most
            # columns the importer reads is the header.
            kepala = max(
                kepala_berkas(b) or [b.kepala],
                key=lambda baris: sum(kunci_kolom(h) in dibaca for h in baris),
            )
            kepala = [h for h in kepala if h.strip()]
            return (
                [h for h in kepala if kunci_kolom(h) in dibaca],
                [h for h in kepala if kunci_kolom(h) not in dibaca],
            )
    return None


def pesan_tanpa_izin(nama: list[str]) -> str:
    return _("Anda tidak berwenang mengimpor: %(n)s.") % {"n": ", ".join(nama)}


class _Batal(Exception):
    """Roll the whole import back: all-or-nothing and a problem was found."""


def jalankan(sesi: Sesi) -> dict[str, int]:
    """Run every importer that claimed a file, in order, in one transaction."""
    if not any(b.tabel for b in sesi.berkas):
        raise JobGagal(_("Tidak ada berkas yang dikenali untuk diimpor."))
    aktif = [p for p in _pengimpor if any(b.tabel in _tabel_milik(p) for b in sesi.berkas)]
    try:
        with transaction.atomic():
            for ke, p in enumerate(aktif):
                sesi._bagian = (ke, len(aktif))
                p.jalankan(sesi)
            if sesi.laporan.ada_galat and not sesi.sebagian:
                raise _Batal
    except _Batal:
        _simpan_laporan(sesi)
        galat = sum(m.tingkat == GALAT for m in sesi.laporan.masalah)
        raise JobGagal(
            _(
                "Tidak ada yang diimpor: %(n)s galat. Unduh laporan masalah, perbaiki "
                "berkasnya lalu ulangi, atau pilih “impor yang sah saja”."
            )
            % {"n": galat}
        ) from None
    _simpan_laporan(sesi)
    if sesi.job is not None:
        sesi.job.laporkan(1000, 1000, _("Selesai."))
    return sesi.ringkasan()


def _simpan_laporan(sesi: Sesi) -> None:
    if sesi.job is not None and sesi.laporan.masalah:
        tulis_laporan(sesi.job, sesi.laporan)


def jalankan_job(job: Job) -> dict[str, int]:
    """The background job: the uploaded files are in a folder named by the job's params."""
    p = job.params
    folder = Path(p["folder"])
    berkas = [
        pembaca.BerkasMasuk(b["nama"], folder / b["jalur"], tabel=b["tabel"]) for b in p["berkas"]
    ]
    sesi = Sesi(
        sumber=sumber(p["sumber"]),
        cabang=Cabang.objects.get(pk=p["cabang"]),
        oleh=job.started_by,
        berkas=berkas,
        sebagian=p.get("sebagian", False),
        pemetaan=p.get("pemetaan", {}),
        job=job,
    )
    try:
        return jalankan(sesi)
    finally:
        if p.get("hapus_folder", True):
            shutil.rmtree(folder, ignore_errors=True)


# --- reading tables ------------------------------------------------------------------


def kunci_kolom(teks: object) -> str:
    """A header as a key: "NO. INDUK", "NO_INDUK", "No Induk" are all "noinduk";
    Inlislite's "Catalog_id" and MySQL's "catalog_id" alike."""
    return re.sub(r"[^0-9a-z]", "", str(teks or "").casefold())


def id_bersih(nilai: str | None) -> str:
    """Inlislite ids are doubles: "45871.0" is 45871."""
    nilai = (nilai or "").strip()
    return nilai[:-2] if nilai.endswith(".0") else nilai


def nama_tabel(nama_berkas: str) -> str:
    """A file name as a table key: "inlislite_collectioncategorys.csv" -> "inlislitecollectioncategorys"."""
    return kunci_kolom(re.sub(r"\.[A-Za-z0-9]+$", "", nama_berkas).replace("COMPOSED", ""))


class _BarisTercatat(dict):
    """A row that notes which of its columns the reader asked for (see perekam_kolom)."""

    __slots__ = ("dibaca",)

    def get(self, kunci, bawaan=None):
        if kunci in self:
            self.dibaca.add(kunci)
        return super().get(kunci, bawaan)

    def __getitem__(self, kunci):
        self.dibaca.add(kunci)
        return super().__getitem__(kunci)


# Table kind -> the columns of its files its readers asked for, while a test checks
# that what the importers declare (Pengimpor.kolom) is what they read.
perekam_kolom: dict[str, set[str]] | None = None


def baris_berkunci(
    berkas: pembaca.BerkasMasuk, penanda: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Non-empty rows keyed by normalised header, with their spreadsheet row number.
    The header is the first row holding every `penanda` key (Inlislite's reports put
    title rows above it), else the first non-empty row."""
    penanda = set(penanda)
    kepala = None
    for nomor, isi in enumerate(berkas.baris(), start=1):
        if not any(c.strip() for c in isi):
            continue
        if kepala is None:
            calon = [kunci_kolom(c) for c in isi]
            if penanda <= set(calon):
                kepala = calon
            continue
        baris = {h: (isi[i].strip() if i < len(isi) else "") for i, h in enumerate(kepala) if h}
        if perekam_kolom is not None:
            baris = _BarisTercatat(baris)
            baris.dibaca = perekam_kolom.setdefault(berkas.tabel or berkas.nama, set())
        yield nomor, baris


def tanggal(sesi: Sesi, berkas: str, nomor: int, kolom: str, nilai: str):
    """A date cell; one that cannot be read is reported (a warning) and left empty."""
    try:
        return pembaca.tanggal(nilai)
    except ValueError:
        sesi.masalah(
            berkas,
            nomor,
            kolom,
            nilai,
            _("Tanggal tidak dikenali (pakai dd-mm-yyyy atau yyyy-mm-dd); dikosongkan."),
            PERINGATAN,
        )
        return None


# --- staging ---------------------------------------------------------------------------


def buat_staging(nama: str, kolom: Iterable[tuple[str, str]]) -> None:
    """A TEMP table (this session only: gone if the worker dies) for COPY."""
    definisi = ", ".join(f"{k} {t}" for k, t in kolom)
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {nama}")
        c.execute(f"CREATE TEMP TABLE {nama} ({definisi}) ON COMMIT DROP")


def larik_pg(nilai: Iterable[str]) -> str:
    """A PostgreSQL array literal of strings (`%s::text[]`): an order of magnitude
    cheaper for the driver to pass than a list of thousands of strings."""
    isi = ('"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"' for x in nilai)
    return "{" + ",".join(isi) + "}"


def salin(nama: str, kolom: list[str], baris: Iterable[Iterable[Any]]) -> int:
    """COPY rows into a staging table; returns how many."""
    n = 0
    with (
        connection.cursor() as c,
        c.cursor.copy(f"COPY {nama} ({', '.join(kolom)}) FROM STDIN") as copy,
    ):
        for b in baris:
            copy.write_row(b)
            n += 1
    return n


def indeks_sekunder(c, tabel: str) -> list[tuple[str, str]]:
    """Non-unique indexes of `tabel` (name, CREATE statement)."""
    c.execute(
        """
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
        FROM pg_index WHERE indrelid = %s::regclass AND NOT indisunique ORDER BY 1
        """,
        [tabel],
    )
    return c.fetchall()


def kunci_asing(c, tabel: str, ke: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Foreign keys declared on `tabel` (name, definition); only those that point at
    one of the tables `ke` when given."""
    c.execute(
        """
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype = 'f'
          AND (%s::text[] IS NULL OR confrelid::regclass::text = ANY(%s::text[]))
        ORDER BY 1
        """,
        [tabel, None if ke is None else list(ke), None if ke is None else list(ke)],
    )
    return c.fetchall()


@contextmanager
def tanpa_indeks(tabel: Iterable[str]) -> Iterator[None]:
    """Load `tabel` without their non-unique indexes and the foreign keys between
    them, then build them again, all in the caller's transaction.

    Building an index once over a million rows costs a fraction of keeping it
    current row by row, and re-adding a foreign key checks every row in one join
    instead of one trigger per row at COMMIT. Unique indexes stay, so a duplicate
    is still refused. Dropping takes an exclusive lock on each table until the
    transaction ends: only for loads that are most of the table (a first
    migration, a full rebuild), never beside people using it. Keys pointing at
    other tables stay: dropping one would lock the table it points at too (users,
    branches), and with it every page of the portal.
    """
    tabel = list(tabel)
    # A savepoint of its own: should the load fail and its caller carry on, the
    # dropped indexes and keys come back with the rollback.
    with transaction.atomic(), connection.cursor() as c:
        # ALTER TABLE refuses a table with pending trigger events: run the deferred
        # checks now, then defer again (Django's foreign keys are INITIALLY DEFERRED).
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("SET CONSTRAINTS ALL DEFERRED")
        indeks = [x for t in tabel for x in indeks_sekunder(c, t)]
        fk = [(t, nama, definisi) for t in tabel for nama, definisi in kunci_asing(c, t, tabel)]
        for t, nama, _definisi in fk:
            c.execute(f'ALTER TABLE {t} DROP CONSTRAINT "{nama}"')
        for nama, _definisi in indeks:
            c.execute(f"DROP INDEX {nama}")
        yield
        # The keys kept (to other tables) left checks pending, which CREATE INDEX
        # refuses: they run now rather than at COMMIT.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("SET CONSTRAINTS ALL DEFERRED")
        c.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _nama, definisi in indeks:
            c.execute(definisi)
        for t, nama, definisi in fk:
            c.execute(f'ALTER TABLE {t} ADD CONSTRAINT "{nama}" {definisi}')


# PostgreSQL's names for the encodings pembaca.dekode detects.
_ENCODING_PG = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1252": "WIN1252", "latin-1": "LATIN1"}


def muat_tabel(
    nama: str, berkas: Iterable[pembaca.BerkasMasuk], kolom: list[str], penanda: Iterable[str] = ()
) -> None:
    """Stage table files as they are: a TEMP table `nama` with the text columns `kolom`
    (normalised header keys; a column the file lacks stays NULL, unknown ones are
    dropped) plus each row's file and row number.

    A CSV goes whole to PostgreSQL's own COPY parser, many times faster than reading
    it row by row here; when COPY refuses it (ragged rows, stray quotes, a NUL) or
    the file is XLSX or HTML, its rows are read here instead. Values are as given:
    readers trim them."""
    buat_staging(nama, [*((k, "text") for k in kolom), ("berkas", "text"), ("nomor", "integer")])
    with connection.cursor() as c:
        c.execute(f"CREATE TEMP SEQUENCE {nama}_nomor OWNED BY {nama}.nomor")
        c.execute(f"ALTER TABLE {nama} ALTER nomor SET DEFAULT nextval('{nama}_nomor')")
    for b in berkas:
        if not (b.jenis == "csv" and _copy_mentah(nama, b, kolom, set(penanda))):
            salin(
                nama,
                [*kolom, "berkas", "nomor"],
                ([*(r.get(k) for k in kolom), b.nama, n] for n, r in baris_berkunci(b, penanda)),
            )


def _copy_mentah(nama: str, b: pembaca.BerkasMasuk, kolom: list[str], penanda: set[str]) -> bool:
    """COPY a CSV file's bytes straight into the staging table; False if PostgreSQL
    could not read it (nothing of it is left behind then)."""
    enc, pemisah = pembaca.dialek_csv(b.jalur)
    baris = b.baris()
    kepala = next(baris, [])
    baris.close()
    kunci = [kunci_kolom(x) for x in kepala]
    if not any(kunci) or not penanda <= set(kunci):
        return False  # the header is not the first line: a report with title rows
    # Every column of the file needs a target; the last of equal keys wins, as in
    # baris_berkunci's dict.
    terakhir = {k: i for i, k in enumerate(kunci) if k in kolom}
    target = [k if terakhir.get(k) == i else f"_abaikan_{i}" for i, k in enumerate(kunci)]
    opsi = "FORMAT csv, HEADER true, DELIMITER %s, ENCODING %s"
    try:
        with transaction.atomic(), connection.cursor() as c:
            for t in target:
                if t.startswith("_abaikan_"):
                    c.execute(f"ALTER TABLE {nama} ADD COLUMN IF NOT EXISTS {t} text")
            c.execute(f"ALTER TABLE {nama} ALTER berkas SET DEFAULT %s", [b.nama])
            c.execute(f"ALTER SEQUENCE {nama}_nomor RESTART WITH 2")  # the header is row 1
            sql = f"COPY {nama} ({', '.join(target)}) FROM STDIN ({opsi})"
            with open(b.jalur, "rb") as f, c.cursor.copy(sql, [pemisah, _ENCODING_PG[enc]]) as cp:
                while potongan := f.read(1 << 20):
                    cp.write(potongan)
    except (DatabaseError, psycopg.Error):
        return False
    return True


def simpan_peta(sumber_impor: SumberImpor, staging: str, syarat: str = "true") -> None:
    """Remember (source, table, source id) -> portal row for the staged rows that were
    written, stamped now: a row counts as edited in the portal only when it changes later."""
    with connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO dispusip_petaimpor (sumber_id, tabel, id_sumber, id_tujuan, sidik, diimpor)
            SELECT %s, tabel, id_sumber, id_tujuan, coalesce(sidik, ''), now() FROM {staging}
            WHERE {syarat}
            ON CONFLICT (sumber_id, tabel, id_sumber) DO UPDATE SET
                id_tujuan = EXCLUDED.id_tujuan, sidik = EXCLUDED.sidik, diimpor = EXCLUDED.diimpor
            """,
            [sumber_impor.pk],
        )


def per_batch(items: Iterable, ukuran: int | None = None) -> Iterator[list]:
    ukuran = ukuran or UKURAN_BATCH  # read at call time, so tests can make it small
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= ukuran:
            yield batch
            batch = []
    if batch:
        yield batch
