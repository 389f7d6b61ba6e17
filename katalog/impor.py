"""The catalogue's part of imports: what it reads and how rows become records and items.

Sources (../shared/reference/inlislite.md §1-3): MARC 21 (ISO 2709 or MARCXML)
with 990 $a accession numbers; Inlislite's tables (catalogs, catalog_ruas,
catalog_subruas, collections and their lookup tables) — the MARC record is
rebuilt from ruas/subruas, or from ruas values split on "$" when subruas is
absent, or from the catalogs columns alone; Inlislite's "Export Data Tag"
(.xls that is HTML); the 42-column item template (by position, two header
rows); SLiMS biblio (17 or 18 columns) and item exports. Everything ends in
katalog.muat, the one bulk path.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import orjson
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pymarc import Field, Record, Subfield

from dispusip import impor, paralel, pembaca
from dispusip.impor import BARU, PERINGATAN, BagianPratinjau, LookupBaru, Pengimpor, Sesi
from dispusip.models import Cabang
from katalog import marc as marc_mod
from katalog import nomor_standar
from katalog.models import KategoriKoleksi, Lokasi, StatusEksemplar, SumberPerolehan
from katalog.muat import (
    ENTITAS_EKSEMPLAR,
    ENTITAS_KATALOG,
    EksemplarMasuk,
    PemuatKatalog,
    RekamanSiap,
)

BUKU_INDUK = ("nomerinduk", "judul")
LOOKUP_INLISLITE = {
    "locationlibrary": "location_library",
    "locations": "locations",
    "collectioncategorys": "collectioncategorys",
    "collectionsources": "collectionsources",
    "collectionmedias": "collectionmedias",
    "collectionrules": "collectionrules",
    "collectionstatus": "collectionstatus",
    "worksheets": "worksheets",
}


k = impor.kunci_kolom
id_bersih = impor.id_bersih
_baris_kunci = impor.baris_berkunci

# Smaller imports than this many batches never start worker processes.
BATCH_TANPA_PROSES = 4

# The columns of Inlislite's tables the importer reads (normalised header keys).
KOLOM_CATALOGS = [
    "controlnumber", "bibid", "title", "author", "edition", "publishlocation", "publisher",
    "publishyear", "physicaldescription", "isbn", "deweyno", "callnumber", "note",
    "languages", "subject",
]  # fmt: skip
KOLOM_RUAS = ["id", "catalogid", "tag", "indicator1", "indicator2", "value", "sequence"]
KOLOM_SUBRUAS = ["id", "ruasid", "subruas", "value", "sequence"]
# In SQL what impor.id_bersih does in Python ("45871.0" is 45871), and the order of
# a record's ruas and of a ruas's subruas (by sequence when it is a number, then id).
_ID_SQL = "regexp_replace(btrim(coalesce({0}, '')), '\\.0$', '')"
_ANGKA_SQL = "CASE WHEN btrim({0}) ~ '^-?\\d+(\\.\\d+)?$' THEN btrim({0})::numeric END"
_URUT_RUAS = f"{_ANGKA_SQL.format('sequence')} NULLS LAST, ruasid"
_URUT_SUBRUAS = f"{_ANGKA_SQL.format('sequence')}, {_ID_SQL.format('id')}"

# The columns of collections the importer reads, and in SQL what reading a row does
# in Python: values trimmed (baris_berkunci strips them), a price as _harga reads it
# ("Rp 89.000,-" is 89000), a date in one of the two forms pembaca.tanggal reads
# most often (yyyy-mm-dd, dd-mm-yyyy; "-", "/" or "."; a time after it ignored).
# What SQL cannot decide (another form, an impossible date, a price that is no
# number) goes to those Python functions, which report it.
KOLOM_COLLECTIONS = [
    "id", "nomorbarcode", "noinduk", "callnumber", "catalogid", "price", "tanggalpengadaan",
    "locationlibraryid", "locationid", "categoryid", "sourceid", "statusid",
]  # fmt: skip
# The columns read from each table kind that is read by its header: the preview
# shows them against the file's header, and a test checks the readers ask for no
# other. Lookup tables not listed are recognised but not needed.
KOLOM_DIBACA = {
    "catalogs": ["id", *KOLOM_CATALOGS],
    "catalog_ruas": KOLOM_RUAS,
    "catalog_subruas": KOLOM_SUBRUAS,
    "collections": KOLOM_COLLECTIONS,
    **dict.fromkeys(
        ["location_library", "locations", "collectioncategorys", "collectionsources",
         "collectionstatus"], ("id", "name", "code"),
    ),
    **dict.fromkeys(["collectionmedias", "collectionrules", "worksheets"], ()),
    "export_data_tag": ["katalogid", "tag", "indicator1", "indicator2", "value"],
    "laporan_buku_induk": [
        "nomerinduk", "tanggalpengadaan", "jenisbahan", "judul", "pengarang", "edisi",
        "tempatterbit", "penerbit", "tahunterbit", "deskripsifisik", "jenissumberperolehan",
        "kategori", "isbn", "issn", "harga",
    ],
    "slims.item": [
        "itemcode", "inventorycode", "callnumber", "colltypename", "itemstatusname",
        "locationname", "site", "source", "price", "receiveddate",
    ],
}  # fmt: skip
# A MARC record's 990 $a accession numbers, staged per record (BacaKatalog.tambah_990).
KOLOM_990 = [
    ("urut", "bigserial"), ("nomor", "integer"), ("berkas", "text"), ("id_sumber", "text"),
    ("induk", "text[]"),
]  # fmt: skip
KOLOM_PETA_KOLEKSI = ["locationlibraryid", "locationid", "categoryid", "sourceid", "statusid"]
# The collections column that points into each lookup table, as Inlislite names it.
KOLOM_LOOKUP = {
    "location_library": "Location_Library_id",
    "locations": "Location_id",
    "collectioncategorys": "Category_id",
    "collectionsources": "Source_id",
    "collectionstatus": "Status_id",
}
_TEKS_SQL = "btrim(coalesce({0}, ''), E' \\t\\r\\n')"
_HARGA_ANGKA = "^([0-9]+\\.?[0-9]*|\\.[0-9]+)$"
_KOLEKSI_SQL = f"""
    SELECT *, tanggalpengadaan = '' OR tanggal_sql IS NOT NULL AS tanggal_pasti FROM (
        SELECT *, CASE WHEN y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1
                AND d <= extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day')
            THEN make_date(y, m, d) END AS tanggal_sql
        FROM (
            SELECT *,
                CASE WHEN harga_angka AND harga_teks::numeric < 1e10
                    THEN harga_teks::numeric END AS harga_sql,
                -- Python's \\d also takes other scripts' digits: non-ASCII goes there.
                octet_length(price) = length(price) AND (harga_teks = '' OR harga_angka)
                    AS harga_pasti,
                CASE bentuk WHEN 1 THEN split_part(tgl, '-', 1)::int
                    WHEN 2 THEN split_part(tgl, '-', 3)::int END AS y,
                CASE WHEN bentuk IS NOT NULL THEN split_part(tgl, '-', 2)::int END AS m,
                CASE bentuk WHEN 1 THEN split_part(tgl, '-', 3)::int
                    WHEN 2 THEN split_part(tgl, '-', 1)::int END AS d
            FROM (
                SELECT *, harga_teks ~ '{_HARGA_ANGKA}' AS harga_angka,
                    CASE WHEN tgl ~ '^[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}$' THEN 1
                         WHEN tgl ~ '^[0-9]{{1,2}}-[0-9]{{1,2}}-[0-9]{{4}}$' THEN 2 END AS bentuk
                FROM (
                    SELECT nomor, berkas,
                        {", ".join(f"{_TEKS_SQL.format(k)} AS {k}" for k in KOLOM_COLLECTIONS)},
                        replace(regexp_replace({_TEKS_SQL.format("price")}, '[^0-9,.]', '', 'g'),
                                ',', '') AS harga_teks,
                        translate(split_part(split_part({_TEKS_SQL.format("tanggalpengadaan")},
                                                        ' ', 1), 'T', 1), '/.', '--') AS tgl
                    FROM stg_collections
                    -- OFFSET 0 keeps each level a subquery of its own, so an expression
                    -- used twice above is computed once.
                    OFFSET 0
                ) a OFFSET 0
            ) b OFFSET 0
        ) c OFFSET 0
    ) d
"""
_stem = impor.nama_tabel


# --- MARC building -------------------------------------------------------------------


def _indikator(nilai: str | None) -> str:
    nilai = (nilai or "").strip()
    return " " if nilai in ("", "#", "*") else nilai[:1]


def pecah_ruas(nilai: str) -> list[tuple[str, str]]:
    """ "$a Jakarta : $b Grafika, $c 2015" -> [("a", "Jakarta :"), ("b", "Grafika,"), ("c", "2015")]."""
    hasil = []
    for bagian in (nilai or "").split("$")[1:]:
        if not bagian:
            continue
        kode, isi = bagian[0], bagian[1:].strip()
        hasil.append((" " if kode == "#" else kode, "" if isi == "#" else isi))
    return hasil


def json_ruas(
    tag: str,
    ind1: str | None,
    ind2: str | None,
    nilai: str | None,
    subruas: list[tuple[str, str]] | None = None,
) -> dict | None:
    """One Inlislite ruas (with its subruas, if any) as a MARC-in-JSON field."""
    tag = (tag or "").strip().zfill(3)[:3]
    if not tag.isdigit():
        return None
    if tag < "010":
        return {tag: (nilai or "").replace("#", " ").replace("*", " ")}
    pasangan = subruas if subruas else pecah_ruas(nilai or "")
    if not pasangan and (nilai or "").strip():
        pasangan = [("a", nilai.strip())]
    if not pasangan:
        return None
    subfields = [{kode: isi} for kode, isi in pasangan]
    return {tag: {"ind1": _indikator(ind1), "ind2": _indikator(ind2), "subfields": subfields}}


def _f(tag: str, *pasangan: tuple[str, str], ind: str = "  ") -> Field | None:
    isi = [Subfield(kode, v.strip()) for kode, v in pasangan if v and v.strip()]
    return Field(tag=tag, indicators=[ind[0], ind[1]], subfields=isi) if isi else None


def record_dari_kolom(
    *,
    nomor_kontrol: str = "",
    judul: str,
    anak_judul: str = "",
    tanggung_jawab: str = "",
    pengarang: list[str] = (),
    badan: list[str] = (),
    edisi: str = "",
    tempat: str = "",
    penerbit: str = "",
    tahun: str = "",
    fisik: str = "",
    dimensi: str = "",
    isbn: list[str] = (),
    issn: list[str] = (),
    ddc: str = "",
    nomor_panggil: str = "",
    catatan: str = "",
    abstrak: str = "",
    bahasa: str = "",
    subjek: list[str] = (),
    seri: str = "",
    bibid: str = "",
    jenis: str = "monograf",
) -> Record:
    """A MARC record from the flat columns of a table or spreadsheet."""
    record = Record(force_utf8=True, leader=marc_mod.LEADER_BAWAAN)
    tipe, level = marc_mod.LEADER_JENIS.get(jenis, ("a", "m"))
    record.leader = record.leader[:6] + tipe + level + record.leader[8:]
    if nomor_kontrol:
        record.add_field(Field(tag="001", data=nomor_kontrol))
    tahun4 = str(marc_mod.tahun_dari(tahun) or "    ")
    record.add_field(Field(tag="008", data=f"{'':6}s{tahun4}{'':23}{(bahasa or 'ind')[:3]:3}  "))
    kandidat = (
        [_f("020", ("a", x)) for x in isbn]
        + [_f("022", ("a", x)) for x in issn]
        + [
            _f("035", ("a", bibid)),
            _f("082", ("a", ddc)),
            _f("084", ("a", nomor_panggil)),
            _f("100", ("a", pengarang[0]), ind="1 ") if pengarang else None,
            _f("110", ("a", badan[0]), ind="2 ") if badan and not pengarang else None,
            _f(
                "245",
                ("a", judul),
                ("b", anak_judul),
                ("c", tanggung_jawab),
                ind=("1" if pengarang or badan else "0") + "0",
            ),
            _f("250", ("a", edisi)),
            _f("260", ("a", tempat), ("b", penerbit), ("c", tahun)),
            _f("300", ("a", fisik), ("c", dimensi)),
            _f("490", ("a", seri), ind="0 "),
            _f("500", ("a", catatan)),
            _f("520", ("a", abstrak)),
            *[_f("650", ("a", s), ind=" 4") for s in subjek],
            *[_f("700", ("a", p), ind="1 ") for p in pengarang[1:]],
            *[_f("710", ("a", b), ind="2 ") for b in (badan[1:] if not pengarang else badan)],
        ]
    )
    for field in kandidat:
        if field is not None:
            record.add_ordered_field(field)
    return record


def _daftar(teks: str, pemisah: str = ";") -> list[str]:
    return [x.strip() for x in (teks or "").split(pemisah) if x.strip()]


# --- preparing records (in worker processes for big imports) -------------------------


@dataclass
class RekamanMasuk:
    """A record as read: a pymarc Record, or the raw material to build one from in a
    worker process (ruas rows, the catalogs columns, the bytes of an ISO 2709 record)."""

    tabel: str
    id_sumber: str  # "" for ISO records: their 001 is read when they are parsed
    berkas: str
    nomor: int
    record: Record | None = None
    ruas: list[tuple] | None = None  # (tag, ind1, ind2, value, [(code, value)…] | None)
    kolom_catalogs: dict | str | None = None
    iso: bytes | None = None
    # The ruas as PostgreSQL grouped them: arrays of tags, indicators, values and
    # subfields (code and value, separated as in ISO 2709), zipped by _ruas_larik.
    ruas_larik: tuple[list, ...] | None = None


def siapkan(r: RekamanMasuk, sekarang: str) -> RekamanSiap:
    """Everything about a record that needs no database: its MARC (005 stamped now),
    the columns the catalogue derives from it, and the fingerprint of what the source
    said. Pure, so a pool of processes can run it. It works on the MARC-in-JSON form
    the catalogue stores, never building pymarc objects for ISO or ruas records."""
    if r.ruas_larik is not None:
        r.ruas = _ruas_larik(*r.ruas_larik)
    try:
        data = _json_marc(r)
    except Exception as exc:  # a broken ISO record: reported, the rest goes on
        return RekamanSiap(r.tabel, r.id_sumber, r.berkas, r.nomor,
                           galat=_("Rekaman MARC tidak dapat dibaca: %(e)s") % {"e": exc})  # fmt: skip
    sidik = _sidik_mentah(r) or impor.sidik(data)
    _cap_005(data, sekarang)
    isbn, induk = _subfield_json(data, "020", "a"), _subfield_json(data, "990", "a")
    return RekamanSiap(
        tabel=r.tabel,
        id_sumber=r.id_sumber or _id_json(data),
        berkas=r.berkas,
        nomor=r.nomor,
        judul_a=(_subfield_json(data, "245", "a", pertama=True) or [""])[0],
        isbn_salah=[x for x in isbn if x.strip() and nomor_standar.masalah_isbn(x)],
        induk=list(dict.fromkeys(x.strip() for x in induk if x.strip())),
        sidik=sidik,
        kolom=marc_mod.kolom_dari_json(data),
        marc=orjson.dumps(data).decode(),
    )


def _ruas_larik(tag, ind1, ind2, nilai, sub) -> list[tuple]:
    return [
        (t, i1, i2, v, [(x[0], x[1:]) for x in su.split("\x1f")] if su else None)
        for t, i1, i2, v, su in zip(tag, ind1, ind2, nilai, sub, strict=True)
    ]


def _subfield_json(data: dict, tag: str, code: str, *, pertama: bool = False) -> list[str]:
    """The values of subfield `code` in every `tag` field of a MARC-in-JSON record
    (with `pertama`, in the first `tag` field only)."""
    hasil = []
    for entry in data["fields"]:
        isi = entry.get(tag)
        if isinstance(isi, dict):
            hasil += [v for sub in isi.get("subfields", ()) for c, v in sub.items() if c == code]
            if pertama:
                break
    return hasil


def _cap_005(data: dict, sekarang: str) -> None:
    """Replace the 005 with `sekarang`, where pymarc's add_ordered_field puts it:
    before the first field with a higher (or non-numeric) tag."""
    fields = [entry for entry in data["fields"] if "005" not in entry]
    posisi = next(
        (i for i, entry in enumerate(fields)
         if any(not tag.isdigit() or int(tag) > 5 for tag in entry)),
        len(fields),
    )  # fmt: skip
    fields.insert(posisi, {"005": sekarang})
    data["fields"] = fields


def _sidik_mentah(r: RekamanMasuk) -> str:
    """The fingerprint of what the source said, from its raw form when there is one
    (cheaper than serialising the record: this runs a million times)."""
    if r.iso is not None:
        return hashlib.sha256(r.iso).hexdigest()
    if r.ruas:
        return hashlib.sha256(repr(r.ruas).encode()).hexdigest()
    return ""


def _json_marc(r: RekamanMasuk) -> dict:
    if r.record is not None:
        return r.record.as_dict()
    if r.iso is not None:
        return pembaca.iso_ke_json(r.iso)
    fields = [f for x in r.ruas or () if (f := json_ruas(*x)) is not None]
    if fields:
        return {"leader": marc_mod.LEADER_BAWAAN, "fields": fields}
    # Django leaves jsonb as text for its JSONField to decode.
    kolom = r.kolom_catalogs
    return _record_catalogs(json.loads(kolom) if isinstance(kolom, str) else kolom or {}).as_dict()


def siapkan_batch(batch: list[RekamanMasuk], sekarang: str) -> list[RekamanSiap]:
    return [siapkan(r, sekarang) for r in batch]


def _siapkan_per_batch(
    rekaman: Iterator[RekamanMasuk], sekarang: str
) -> Iterator[list[RekamanSiap]]:
    """Prepared records, batch by batch: after the first few batches in a pool of
    processes, while this one reads the next batches and loads the last ones."""
    yield from paralel.peta_batch(
        siapkan_batch,
        impor.per_batch(rekaman, impor.UKURAN_BATCH),
        sekarang,
        mulai=BATCH_TANPA_PROSES,
    )


# --- lookups ---------------------------------------------------------------------------


class Pemeta:
    """Turns the source's lookup values into portal rows: categories and branches
    as the administrator mapped them in the preview, shelf locations created per
    branch, acquisition source and status by their Inlislite/SLiMS names."""

    def __init__(self, sesi: Sesi) -> None:
        self.sesi = sesi
        self.kategori = impor.PetaRujukan(sesi, "kategori", KategoriKoleksi, _("Kategori"))
        self.kategori_umum = (
            KategoriKoleksi.objects.filter(kode="umum").values_list("pk", flat=True).first()
            or next(iter(self.kategori.per_nama.values()), None)
            or KategoriKoleksi.objects.create(kode="umum", nama=_("Koleksi Umum")).pk
        )
        self.cabang = {c.pk: c for c in Cabang.objects.all()}
        self.cabang_nama = {c.nama.casefold(): c.pk for c in self.cabang.values()}
        self.cabang_nama.update({c.kode.casefold(): c.pk for c in self.cabang.values()})
        self.lokasi: dict[tuple[int, str], int] = {}
        self._dilaporkan: set[tuple[str, str]] = set()

    def id_kategori(self, nama: str, berkas: str = "", nomor: int = 0) -> int:
        return self.kategori.id(nama, berkas, nomor) or self.kategori_umum

    def id_cabang(self, nama: str, berkas: str = "", nomor: int = 0) -> int:
        """The branch a library name of the source maps to; one nobody mapped goes to
        the import's target branch, reported once."""
        nama = " ".join((nama or "").split())
        pilihan = self.sesi.pilihan("cabang", nama) if nama else ""
        if pilihan:
            return int(pilihan)
        if nama and nama.casefold() not in self.cabang_nama:
            self.cabang_nama[nama.casefold()] = self.sesi.cabang.pk
            self.sesi.masalah(
                berkas,
                nomor,
                _("Lokasi perpustakaan"),
                nama,
                _("Tidak ada cabang bernama ini dan tidak dipetakan: eksemplar masuk ke %(c)s.")
                % {"c": self.sesi.cabang},
                PERINGATAN,
            )
        return self.cabang_nama.get(nama.casefold(), self.sesi.cabang.pk)

    def id_lokasi(self, cabang_id: int, nama: str) -> int | None:
        nama = " ".join((nama or "").split())[:120]
        if not nama:
            return None
        kunci = (cabang_id, nama.casefold())
        if kunci not in self.lokasi:
            self.lokasi[kunci] = Lokasi.objects.get_or_create(cabang_id=cabang_id, nama=nama)[0].pk
        return self.lokasi[kunci]

    def sumber(self, nama: str, berkas: str = "", nomor: int = 0) -> str:
        n = (nama or "").strip().casefold()
        if n in ("2",) or any(x in n for x in ("hadiah", "hibah", "sumbang", "prize", "grant")):
            return SumberPerolehan.HADIAH
        if any(x in n for x in ("serah", "deposit", "kckr")):
            return SumberPerolehan.SERAH_SIMPAN
        if "tukar" in n:
            return SumberPerolehan.TUKAR
        if n and n != "1" and not any(x in n for x in ("beli", "purchase", "buy", "pengadaan")):
            self._tak_dikenal(
                berkas, nomor, _("Sumber perolehan"), nama, SumberPerolehan.BELI.label
            )
        return SumberPerolehan.BELI

    def status(self, nama: str, berkas: str = "", nomor: int = 0) -> str:
        n = (nama or "").strip().casefold()
        if any(x in n for x in ("hilang", "missing", "mis")):
            return StatusEksemplar.HILANG
        if any(x in n for x in ("rusak", "perbaikan", "repair")) or n == "r":
            return StatusEksemplar.PERBAIKAN
        if any(x in n for x in ("hapus", "weed", "dihapus")):
            return StatusEksemplar.DIHAPUS
        dikenal = ("tersedia", "available", "ada", "baik", "pinjam", "loan", "on shelf")
        if n and n not in ("1", "5", "0") and not any(x in n for x in dikenal):
            self._tak_dikenal(berkas, nomor, _("Status"), nama, StatusEksemplar.TERSEDIA.label)
        # "Dipinjam": the loan itself comes with circulation's tables.
        return StatusEksemplar.TERSEDIA

    def _tak_dikenal(self, berkas: str, nomor: int, kolom: str, nama: str, jadi: str) -> None:
        """A value the portal has no word for, reported once at its first row."""
        if (kolom, nama) in self._dilaporkan:
            return
        self._dilaporkan.add((kolom, nama))
        self.sesi.masalah(
            berkas,
            nomor,
            kolom,
            nama,
            _("Nilai ini tidak dikenali; dianggap “%(j)s” untuk semua baris dengannya.")
            % {"j": jadi},
            PERINGATAN,
        )

    def unit(self, cabang_id: int) -> int:
        return self.cabang[cabang_id].unit_id


def _harga(sesi: Sesi, berkas: str, nomor: int, kolom: str, nilai: str) -> Decimal | None:
    # Inlislite's reports write " - 75000" (an empty currency before the dash).
    teks = re.sub(r"[^\d,.]", "", nilai or "").replace(",", "")
    if not teks:
        return None
    try:
        harga = Decimal(teks)
    except InvalidOperation:
        sesi.masalah(berkas, nomor, kolom, nilai, _("Harga bukan angka; dikosongkan."), PERINGATAN)
        return None
    return harga if 0 <= harga < Decimal("1e10") else None


_tanggal = impor.tanggal


# --- the importer ----------------------------------------------------------------------


class PengimporKatalog(Pengimpor):
    kode = "katalog"
    urutan = 10
    izin = "katalog.add_katalog"
    entitas = {
        ENTITAS_KATALOG: gettext_lazy("Rekaman katalog"),
        ENTITAS_EKSEMPLAR: gettext_lazy("Eksemplar"),
    }
    FORMAT = {
        "marc": "inlislite-marc",
        "catalogs": "inlislite-tabel",
        "catalog_ruas": "inlislite-tabel",
        "catalog_subruas": "inlislite-tabel",
        "collections": "inlislite-tabel",
        **{v: "inlislite-tabel" for v in LOOKUP_INLISLITE.values()},
        "export_data_tag": "inlislite-template",
        "template_koleksi": "inlislite-template",
        "laporan_buku_induk": "inlislite-template",
        "slims.biblio": "slims",
        "slims.item": "slims",
    }
    tabel = tuple(FORMAT)

    def format_tabel(self, tabel: str) -> str:
        return self.FORMAT[tabel]

    def kenali(self, berkas: pembaca.BerkasMasuk, kepala: list[list[str]]) -> str:
        if berkas.jenis in ("marc21", "marcxml"):
            return "marc"
        if not kepala:
            return ""
        h = {k(c) for c in kepala[0]}
        if {"controlnumber", "bibid", "title"} <= h:
            return "catalogs"
        if {"katalogid", "tag", "value"} <= h:
            return "export_data_tag"
        if {"catalogid", "tag", "value"} <= h:
            return "catalog_ruas"
        if {"ruasid", "subruas", "value"} <= h:
            return "catalog_subruas"
        if {"nomorbarcode", "catalogid"} <= h:
            return "collections"
        if any({"judulutama", "noinduk"} <= {k(c) for c in row} for row in kepala[:3]):
            return "template_koleksi"
        if {"title", "gmdname"} <= h:
            return "slims.biblio"
        if any({"nomerinduk", "judul", "jenisbahan"} <= {k(c) for c in row} for row in kepala):
            return "laporan_buku_induk"
        if {"itemcode", "colltypename"} <= h:
            return "slims.item"
        stem = _stem(berkas.nama)
        for akhir, tabel in LOOKUP_INLISLITE.items():
            if stem.endswith(akhir) and "name" in h:
                return tabel
        if "biblio" in stem and len(kepala[0]) in (17, 18):
            return "slims.biblio"
        return ""

    # --- preview ----------------------------------------------------------------

    def pratinjau(self, sesi: Sesi) -> list[BagianPratinjau]:
        bagian = []
        rekaman = BacaKatalog(sesi, pratinjau=True).rekaman()
        sekarang = timezone.now().strftime("%Y%m%d%H%M%S.0")
        contoh = []
        for masuk in rekaman:
            r = siapkan(masuk, sekarang)
            PemuatKatalog.periksa(sesi, r)
            kolom = r.kolom
            contoh.append(
                [
                    r.id_sumber,
                    kolom["judul"],
                    kolom["pengarang_teks"],
                    kolom["tahun_terbit"],
                    kolom["isbn"],
                    kolom["nomor_panggil"],
                ]
            )
            if len(contoh) >= 5:
                break
        if contoh:
            bagian.append(
                BagianPratinjau(
                    judul=str(self.entitas[ENTITAS_KATALOG]),
                    berkas=", ".join(b.nama for b in sesi.berkas if b.tabel in self._tabel_rekaman),
                    kepala=[
                        "ID",
                        _("Judul"),
                        _("Pengarang"),
                        _("Tahun"),
                        "ISBN",
                        _("Nomor panggil"),
                    ],
                    contoh=contoh,
                )
            )
        return bagian

    def kolom(self, tabel: str) -> Sequence[str] | None:
        return KOLOM_DIBACA.get(tabel)

    _tabel_rekaman = (
        "marc",
        "catalogs",
        "catalog_ruas",
        "export_data_tag",
        "template_koleksi",
        "slims.biblio",
        "laporan_buku_induk",
    )

    def lookup(self, sesi: Sesi) -> list[LookupBaru]:
        kategori, cabang = Counter(), Counter()
        baca = BacaKatalog(sesi, pratinjau=True)
        nama = baca._nama_lookup(sesi)
        for b in sesi.tabel("collections"):
            for _n, row in _baris_kunci(b):
                kategori[
                    nama["collectioncategorys"].get(id_bersih(row.get("categoryid", "")), "")
                ] += 1
                cabang[
                    nama["location_library"].get(id_bersih(row.get("locationlibraryid", "")), "")
                ] += 1
        for b in sesi.tabel("template_koleksi"):
            for _n, row in baca._baris_template(b):
                kategori[row[12]] += 1
                cabang[row[9]] += 1
        for b in sesi.tabel("laporan_buku_induk"):
            for _n, row in _baris_kunci(b, BUKU_INDUK):
                kategori[row.get("kategori", "")] += 1
        for b in sesi.tabel("slims.item"):
            for _n, row in _baris_kunci(b):
                kategori[row.get("colltypename", "")] += 1
                cabang[row.get("locationname", "")] += 1
        ada_kategori = {x.nama.casefold() for x in KategoriKoleksi.objects.all()}
        pilihan_kategori = [(str(x.pk), x.nama) for x in KategoriKoleksi.objects.all()]
        cabang_ada = {c.nama.casefold() for c in Cabang.objects.all()} | {
            c.kode.casefold() for c in Cabang.objects.all()
        }
        pilihan_cabang = [(str(c.pk), str(c)) for c in Cabang.objects.select_related("unit")]
        hasil = [
            LookupBaru("kategori", _("Kategori koleksi"), n, jumlah, pilihan_kategori, saran=BARU)
            for n, jumlah in sorted(kategori.items())
            if n and n.casefold() not in ada_kategori
        ]
        hasil += [
            LookupBaru(
                "cabang",
                _("Lokasi perpustakaan / cabang"),
                n,
                jumlah,
                pilihan_cabang,
                boleh_baru=False,
                saran=str(sesi.cabang.pk),
            )
            for n, jumlah in sorted(cabang.items())
            if n and n.casefold() not in cabang_ada
        ]
        return hasil

    # --- run --------------------------------------------------------------------

    def jalankan(self, sesi: Sesi) -> None:
        with connection.cursor() as c:
            c.execute("SET LOCAL work_mem = '256MB'")
            # New records' words go to the GIN indexes' pending lists and are merged
            # in big sorted runs, not a few thousand at a time.
            c.execute("SET LOCAL gin_pending_list_limit = '256MB'")
        pemuat = PemuatKatalog(sesi)
        baca = BacaKatalog(sesi, Pemeta(sesi))
        sesi.tahap(1, 3, _("Membaca rekaman katalog…"))
        n = 0
        sekarang = timezone.now().strftime("%Y%m%d%H%M%S.0")
        for batch in _siapkan_per_batch(baca.rekaman(), sekarang):
            pemuat.tambah_rekaman(batch)
            baca.tambah_990(batch)
            # Items known from the records (990 $a numbers, template rows) go to
            # staging as they come, so memory stays flat whatever the size of the file.
            pemuat.tambah_eksemplar(baca.ambil_tertunda())
            n += len(batch)
            sesi.maju(
                baca.dibaca,
                baca.total,
                _("%(n)s rekaman dibaca…") % {"n": f"{n:,}".replace(",", ".")},
            )
        sesi.tahap(2, 3, _("Membaca eksemplar…"))
        baca.muat_990(pemuat)
        pemuat.tambah_eksemplar(baca.eksemplar())
        baca.muat_collections(pemuat)
        sesi.tahap(3, 3, _("Menggabungkan ke katalog induk…"))
        pemuat.selesaikan()


class BacaKatalog:
    """One run's reading of the files: records first, then the items that point at them.
    Without a Pemeta (the preview) nothing is looked up or created."""

    def __init__(self, sesi: Sesi, pemeta: Pemeta | None = None, pratinjau: bool = False):
        self.sesi, self.pemeta, self.pratinjau = sesi, pemeta, pratinjau
        self._tertunda: list[EksemplarMasuk] = []  # items read with their records
        self._kode_slims: list[tuple[str, int, str, str]] = []
        # Per kind of file without record ids: descriptions and keys already given.
        self._kunci_dipakai: dict[str, set[str]] = {}
        self._dilihat: dict[str, set[str]] = {}
        self._ada_990 = False
        # How far the reading is, for the progress bar: bytes of an ISO 2709 file,
        # records of the tables (counted once PostgreSQL has them).
        self.dibaca, self.total = 0, 0

    def rekaman(self) -> Iterator[RekamanMasuk]:
        sesi = self.sesi
        self.total = sum(b.ukuran for b in sesi.tabel("marc") if b.jenis == "marc21")
        for b in sesi.tabel("marc"):
            yield from self._dari_marc(sesi, b)
        if sesi.ada("catalogs", "catalog_ruas"):
            yield from self._dari_tabel(sesi, self.pratinjau)
        for b in sesi.tabel("export_data_tag"):
            yield from self._dari_data_tag(b)
        for b in sesi.tabel("template_koleksi"):
            yield from self._dari_template(b)
        for b in sesi.tabel("slims.biblio"):
            yield from self._dari_slims(b)
        for b in sesi.tabel("laporan_buku_induk"):
            yield from self._dari_buku_induk(b)

    def eksemplar(self) -> Iterator[EksemplarMasuk]:
        sesi = self.sesi
        yield from self.ambil_tertunda()
        yield from self._eksemplar_slims(sesi)

    # MARC: records and 990 $a copies

    def _dari_marc(self, sesi: Sesi, b: pembaca.BerkasMasuk) -> Iterator[RekamanMasuk]:
        try:
            if b.jenis == "marc21":
                for nomor, potongan in b.potongan():
                    self.dibaca += len(potongan)
                    yield RekamanMasuk("marc", "", b.nama, nomor, iso=potongan)
            else:
                for nomor, record in b.rekaman():
                    yield RekamanMasuk("marc", "", b.nama, nomor, record=record)
        except pembaca.BerkasGagal as exc:
            sesi.masalah(b.nama, 0, "", "", str(exc))

    def ambil_tertunda(self) -> list[EksemplarMasuk]:
        tertunda, self._tertunda = self._tertunda, []
        return tertunda

    def tambah_990(self, batch: list[RekamanSiap]) -> None:
        """MARC carries no holdings but its 990 $a accession numbers: staged here one
        row per record, made into items set-based by muat_990."""
        baris = [(r.nomor, r.berkas, r.id_sumber, impor.larik_pg(r.induk)) for r in batch
                 if r.tabel == "marc" and r.induk]  # fmt: skip
        if not baris:
            return
        if not self._ada_990:
            impor.buat_staging("stg_990", KOLOM_990)
            self._ada_990 = True
        impor.salin("stg_990", [k for k, _t in KOLOM_990[1:]], baris)

    def muat_990(self, pemuat: PemuatKatalog) -> None:
        """One item per 990 $a, in the chosen branch, flagged for the next stock
        opname; fingerprinted as impor.sidik({"990": n}), so a re-import matches."""
        if not self._ada_990:
            return
        sesi = self.sesi
        pemuat.tambah_eksemplar_sql(
            """
            SELECT s.nomor, s.berkas, 'marc.990', s.id_sumber || ':' || n.induk,
                encode(sha256(convert_to('{"990": ' || to_json(n.induk)::text || '}', 'UTF8')),
                       'hex'),
                'marc', s.id_sumber, NULL, left(n.induk, 50), '', NULL, NULL, %s, %s, %s, %s,
                NULL, %s, %s, true
            FROM stg_990 s CROSS JOIN LATERAL unnest(s.induk) WITH ORDINALITY AS n(induk, urut)
            ORDER BY s.urut, n.urut
            """,
            [
                SumberPerolehan.BELI,
                self.pemeta.kategori_umum,
                sesi.cabang.pk,
                sesi.cabang.unit_id,
                StatusEksemplar.TERSEDIA,
                _("Dari 990 $a impor “%(s)s”; periksa saat stock opname.") % {"s": sesi.sumber},
            ],
        )

    # Inlislite tables: catalogs + catalog_ruas (+ catalog_subruas)

    def _dari_tabel(self, sesi: Sesi, pratinjau: bool) -> Iterator[RekamanMasuk]:
        if pratinjau:
            yield from self._dari_tabel_pratinjau(sesi)
            return
        impor.muat_tabel("stg_catalogs", sesi.tabel("catalogs"), ["id", *KOLOM_CATALOGS])
        impor.muat_tabel("stg_ruas", sesi.tabel("catalog_ruas"), KOLOM_RUAS)
        impor.muat_tabel("stg_subruas", sesi.tabel("catalog_subruas"), KOLOM_SUBRUAS)
        with connection.cursor() as c:
            # Rows keyed as the readers key them: ids without Inlislite's ".0".
            c.execute('ALTER TABLE stg_catalogs ADD COLUMN cid text COLLATE "C"')
            c.execute(f"UPDATE stg_catalogs SET cid = {_ID_SQL.format('id')}")
            c.execute("CREATE INDEX ON stg_catalogs (cid)")
            c.execute("ANALYZE stg_catalogs (cid)")
            c.execute(
                f"""
                CREATE TEMP TABLE stg_ruas_katalog ON COMMIT DROP AS
                SELECT cid, array_agg(tag) AS tag, array_agg(ind1) AS ind1,
                    array_agg(ind2) AS ind2, array_agg(nilai) AS nilai,
                    array_agg(sub) AS sub, min(nomor) AS nomor, min(berkas) AS berkas
                FROM (
                    -- One sort; the aggregates take the rows in its order (temp tables
                    -- are never read in parallel, and grouping keeps input order).
                    SELECT {_ID_SQL.format("r.catalogid")} COLLATE "C" AS cid,
                        coalesce(btrim(r.tag), '') AS tag,
                        coalesce(btrim(r.indicator1), '') AS ind1,
                        coalesce(btrim(r.indicator2), '') AS ind2,
                        coalesce(btrim(r.value), '') AS nilai, s.sub,
                        {_ID_SQL.format("r.id")} COLLATE "C" AS ruasid, r.nomor, r.berkas
                    FROM stg_ruas r LEFT JOIN (
                        -- Each ruas's subfields as code+value, separated as in ISO 2709.
                        SELECT {_ID_SQL.format("ruasid")} COLLATE "C" AS rid,
                            string_agg(coalesce(left(nullif(btrim(subruas), ''), 1), 'a')
                                       || coalesce(btrim(value), ''), chr(31)
                                       ORDER BY {_URUT_SUBRUAS}) AS sub
                        FROM stg_subruas GROUP BY 1
                    ) s ON s.rid = {_ID_SQL.format("r.id")} COLLATE "C"
                    ORDER BY cid, {_URUT_RUAS}
                ) r
                GROUP BY cid
                """
            )
            if sesi.tabel("catalogs"):
                c.execute(
                    "SELECT r.nomor, r.berkas, r.cid FROM stg_ruas_katalog r WHERE NOT EXISTS "
                    "(SELECT 1 FROM stg_catalogs c WHERE c.cid = r.cid) ORDER BY 1 LIMIT 10000"
                )
                for nomor, berkas, cid in c.fetchall():
                    sesi.masalah(
                        berkas,
                        nomor,
                        "CatalogId",
                        cid,
                        _("Ruas ini menunjuk katalog yang tidak ada di tabel catalogs."),
                    )
            else:
                c.execute(
                    "INSERT INTO stg_catalogs (cid, nomor, berkas) "
                    "SELECT cid, nomor, berkas FROM stg_ruas_katalog"
                )
        yield from self._rakit(sesi)

    def _rakit(self, sesi: Sesi) -> Iterator[RekamanMasuk]:
        """Each catalog's fields in order (with their subfields when subruas was given),
        one row per record: PostgreSQL has grouped the ruas and their subruas."""
        kolom = ", ".join(f"'{k}', coalesce(btrim(c.{k}), '')" for k in KOLOM_CATALOGS)
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM stg_catalogs")
            self.dibaca, self.total = 0, c.fetchone()[0]
        with connection.connection.cursor(name="rakit_katalog") as c:
            c.itersize = 2000
            c.execute(
                f"""
                SELECT c.cid, c.nomor, c.berkas, r.tag, r.ind1, r.ind2, r.nilai, r.sub,
                    CASE WHEN r.cid IS NULL THEN jsonb_build_object({kolom}) END
                FROM stg_catalogs c LEFT JOIN stg_ruas_katalog r ON r.cid = c.cid
                ORDER BY c.cid
                """
            )
            for cid, nomor, berkas, tag, ind1, ind2, nilai, sub, catalogs in c:
                self.dibaca += 1
                # The arrays go to the worker process as they are: it zips them.
                yield RekamanMasuk("catalogs", cid, berkas, nomor,
                                   ruas_larik=(tag, ind1, ind2, nilai, sub) if tag else None,
                                   kolom_catalogs=None if tag else catalogs)  # fmt: skip

    def _rekaman_tabel(self, cid: str, awal: tuple, ruas: list[tuple]) -> RekamanMasuk:
        nomor, berkas, kolom = awal
        # The catalogs columns are needed only when the record has no ruas at all.
        return RekamanMasuk("catalogs", cid, berkas, nomor, ruas=ruas,
                            kolom_catalogs=None if ruas else kolom)  # fmt: skip

    def _dari_tabel_pratinjau(self, sesi: Sesi) -> Iterator[RekamanMasuk]:
        """The preview rebuilds the first records in memory, without staging."""
        ruas: dict[str, list] = {}
        for b in sesi.tabel("catalog_ruas"):
            for _n, r in _baris_kunci(b):
                cid = id_bersih(r.get("catalogid", ""))
                if cid not in ruas and len(ruas) >= 5:
                    break
                ruas.setdefault(cid, []).append(r)
        katalog = []
        for b in sesi.tabel("catalogs"):
            for n, r in _baris_kunci(b):
                katalog.append((n, b.nama, r))
                if len(katalog) >= 5:
                    break
        if not katalog:
            katalog = [(0, "", {"id": cid}) for cid in ruas]
        for n, nama, r in katalog:
            cid = id_bersih(r.get("id", ""))
            baris = sorted(ruas.get(cid, []), key=lambda x: float(_angka(x.get("sequence")) or 0))
            yield self._rekaman_tabel(
                cid,
                (n, nama, r),
                [(x.get("tag", ""), x.get("indicator1"), x.get("indicator2"), x.get("value"), None)
                 for x in baris],
            )  # fmt: skip

    # Inlislite "Export Data Tag"

    def _dari_data_tag(self, b: pembaca.BerkasMasuk) -> Iterator[RekamanMasuk]:
        sekarang, fields, awal = None, [], 0
        for nomor, r in _baris_kunci(b):
            cid = id_bersih(r.get("katalogid", ""))
            if not cid:
                continue
            if cid != sekarang:
                if fields:
                    yield self._rekaman_data_tag(b, sekarang, awal, fields)
                sekarang, fields, awal = cid, [], nomor
            f = json_ruas(
                r.get("tag", ""), r.get("indicator1"), r.get("indicator2"), r.get("value")
            )
            if f is not None:
                fields.append(f)
        if fields:
            yield self._rekaman_data_tag(b, sekarang, awal, fields)

    def _rekaman_data_tag(self, b, cid, nomor, fields) -> RekamanMasuk:
        record = marc_mod.record_dari_json({"leader": marc_mod.LEADER_BAWAAN, "fields": fields})
        return RekamanMasuk("catalogs", cid, b.nama, nomor, record)

    # the 42-column item template (by position; two header rows)

    def _kunci_rekaman(self, tabel: str, tabel_eksemplar: str, baris) -> dict[str, str]:
        """Description fingerprint -> record key, for a file whose records carry no id
        (templates, reports, SLiMS), decided in a first reading of the file.

        A description the source had before keeps its key. A new one takes the key of
        the record its copies were attached to last time, when that description is
        gone from the files (the source edited it): the record is updated, not created
        twice. `baris` yields (fingerprint, the row's item ids). The preview, which
        shows a few rows and knows no source yet, keys each description by itself."""
        if self.pratinjau or self.sesi.sumber.pk is None:
            return _KunciSendiri()
        terdahulu: dict[str, str | None] = {}  # in order of first appearance
        dikenal: set[str] = set()
        for batch in impor.per_batch(baris):
            # Row numbers are no identity: the same row may hold another book now.
            ids = {i for _s, items in batch for i in items if not i.startswith("baris-")}
            lama = _rekaman_terdahulu(self.sesi, tabel, tabel_eksemplar, ids)
            dikenal |= _kunci_dikenal(self.sesi, tabel, {s for s, _i in batch} - terdahulu.keys())
            for sidik, items in batch:
                if terdahulu.get(sidik) is None:
                    terdahulu[sidik] = next((lama[i] for i in items if i in lama), None)
        # Earlier files of the same kind in this import: their descriptions and keys
        # are taken.
        dipakai = self._kunci_dipakai.setdefault(tabel, set())
        kunci = tetapkan_kunci(terdahulu, dikenal, dipakai)
        dipakai.update(terdahulu, kunci.values())
        return kunci

    def _baris_template(self, b: pembaca.BerkasMasuk) -> Iterator[tuple[int, list[str]]]:
        for nomor, isi in enumerate(b.baris(), start=1):
            if nomor <= 2 or not any(c.strip() for c in isi):
                continue
            yield nomor, [c.strip() for c in isi] + [""] * (42 - len(isi))

    def _dari_template(self, b: pembaca.BerkasMasuk) -> Iterator[RekamanMasuk]:
        kunci = self._kunci_rekaman(
            "template.koleksi",
            "template.koleksi.eksemplar",
            (
                (_sidik_template(c), [_id_item_template(nomor, c)])
                for nomor, c in self._baris_template(b)
                if c[17]
            ),
        )
        dilihat = self._dilihat.setdefault("template.koleksi", set())
        for nomor, c in self._baris_template(b):
            yield from self._baris_template_masuk(b, nomor, c, kunci, dilihat)

    def _baris_template_masuk(self, b, nomor, c, kunci, dilihat):
        if not c[17]:
            yield RekamanMasuk(
                "template.koleksi", f"baris-{nomor}", b.nama, nomor, Record(force_utf8=True)
            )
            return
        # One record per distinct bibliographic description in the sheet.
        id_sumber = kunci[_sidik_template(c)]
        if id_sumber not in dilihat:
            dilihat.add(id_sumber)
            record = record_dari_kolom(
                judul=c[17],
                anak_judul=c[18],
                tanggung_jawab=c[19],
                pengarang=[x for x in [c[20], *_daftar(c[22])] if x],
                badan=_daftar(c[21]) + _daftar(c[23]),
                edisi=c[24],
                tempat=c[25],
                penerbit=c[26],
                tahun=c[27],
                fisik=c[28],
                dimensi=c[29],
                isbn=_daftar(c[30]),
                issn=_daftar(c[31]),
                ddc=c[33],
                nomor_panggil=c[34],
                abstrak=c[35],
                bahasa=c[36],
                subjek=_daftar(c[37]),
                jenis="terbitan_berkala"
                if "berkala" in c[16].casefold() or "serial" in c[16].casefold()
                else "monograf",
            )
            yield RekamanMasuk("template.koleksi", id_sumber, b.nama, nomor, record)
        if self.pemeta is not None:
            self._tertunda.append(self._item_template(b.nama, nomor, c, id_sumber))

    def _item_template(self, berkas: str, nomor: int, c: list[str], id_katalog: str):
        sesi, p = self.pemeta.sesi, self.pemeta
        cabang = p.id_cabang(c[9], berkas, nomor)
        return EksemplarMasuk(
            tabel="template.koleksi.eksemplar",
            id_sumber=_id_item_template(nomor, c),
            berkas=berkas,
            nomor=nomor,
            katalog_tabel="template.koleksi",
            katalog_sumber=id_katalog,
            kategori_id=p.id_kategori(c[12], berkas, nomor),
            cabang_id=cabang,
            unit_id=p.unit(cabang),
            barcode=c[3] or c[2],
            nomor_induk=c[2],
            nomor_panggil=c[15] or c[34],
            harga=_harga(sesi, berkas, nomor, "HARGA", c[8]),
            tanggal_terima=_tanggal(sesi, berkas, nomor, "TGL PENGADAAN", c[1]),
            sumber=p.sumber(c[5], berkas, nomor),
            lokasi_id=p.id_lokasi(cabang, c[10]),
            status=p.status(c[14], berkas, nomor),
            data={"baris": c[:16]},
        )

    # Inlislite's "Buku Induk" report (an HTML table saved as .xls, title rows on top)

    def _dari_buku_induk(self, b: pembaca.BerkasMasuk) -> Iterator[RekamanMasuk]:
        kunci = self._kunci_rekaman(
            "laporan.buku_induk",
            "laporan.buku_induk.eksemplar",
            (
                (_sidik_buku_induk(r), [r["nomerinduk"]] if r.get("nomerinduk") else [])
                for _n, r in _baris_kunci(b, BUKU_INDUK)
                if r.get("nomerinduk") or r.get("judul")
            ),
        )
        dilihat = self._dilihat.setdefault("laporan.buku_induk", set())
        for nomor, r in _baris_kunci(b, BUKU_INDUK):
            yield from self._baris_buku_induk(b, nomor, r, kunci, dilihat)

    def _baris_buku_induk(self, b, nomor, r, kunci, dilihat):
        if not r.get("nomerinduk") and not r.get("judul"):
            return
        judul, _garis, tanggung_jawab = r.get("judul", "").partition(" / ")
        id_sumber = kunci[_sidik_buku_induk(r)]
        if id_sumber not in dilihat:
            dilihat.add(id_sumber)
            yield RekamanMasuk(
                "laporan.buku_induk",
                id_sumber,
                b.nama,
                nomor,
                record_dari_kolom(
                    judul=judul,
                    tanggung_jawab=tanggung_jawab,
                    pengarang=_daftar(r.get("pengarang", "")),
                    edisi=r.get("edisi", ""),
                    tempat=r.get("tempatterbit", ""),
                    penerbit=r.get("penerbit", ""),
                    tahun=r.get("tahunterbit", ""),
                    fisik=r.get("deskripsifisik", ""),
                    isbn=_daftar(r.get("isbn", "")),
                    issn=_daftar(r.get("issn", "")),
                    jenis="terbitan_berkala"
                    if "berkala" in r.get("jenisbahan", "").casefold()
                    else "monograf",
                ),
            )
        if self.pemeta is not None and r.get("nomerinduk"):
            p, sesi = self.pemeta, self.sesi
            self._tertunda.append(
                EksemplarMasuk(
                    tabel="laporan.buku_induk.eksemplar",
                    id_sumber=r["nomerinduk"],
                    berkas=b.nama,
                    nomor=nomor,
                    katalog_tabel="laporan.buku_induk",
                    katalog_sumber=id_sumber,
                    kategori_id=p.id_kategori(r.get("kategori", ""), b.nama, nomor),
                    cabang_id=sesi.cabang.pk,
                    unit_id=sesi.cabang.unit_id,
                    barcode=r["nomerinduk"],
                    nomor_induk=r["nomerinduk"],
                    harga=_harga(sesi, b.nama, nomor, "Harga", r.get("harga", "")),
                    tanggal_terima=_tanggal(
                        sesi, b.nama, nomor, "Tanggal Pengadaan", r.get("tanggalpengadaan", "")
                    ),
                    sumber=p.sumber(r.get("jenissumberperolehan", ""), b.nama, nomor),
                    perlu_verifikasi=True,
                    catatan=_("Dari laporan Buku Induk: barcode dianggap sama dengan nomor induk."),
                    data=r,
                )
            )

    # SLiMS

    def _dari_slims(self, b: pembaca.BerkasMasuk) -> Iterator[RekamanMasuk]:
        kunci = self._kunci_rekaman(
            "slims.biblio",
            "slims.item",
            (
                (_sidik_slims(c), pembaca.daftar_slims(c[17]))
                for _n, c in _baris_slims(b)
                if _sidik_slims(c)
            ),
        )
        for nomor, c in _baris_slims(b):
            yield self._biblio_slims(b, nomor, c, kunci)

    def _biblio_slims(self, b, nomor, c, kunci) -> RekamanMasuk:
        judul = c[0].replace("\\n", " ")
        kode = pembaca.daftar_slims(c[17])
        record = record_dari_kolom(
            judul=judul,
            tanggung_jawab=c[14],
            pengarang=pembaca.daftar_slims(c[15]),
            edisi=c[2],
            isbn=[c[3]]
            if re.sub(r"[^0-9Xx]", "", c[3]) and len(re.sub(r"[^0-9Xx]", "", c[3])) != 8
            else [],
            issn=[c[3]] if len(re.sub(r"[^0-9Xx]", "", c[3])) == 8 else [],
            penerbit=c[4],
            tahun=c[5],
            fisik=c[6],
            seri=c[7],
            nomor_panggil=c[8],
            bahasa=_bahasa_slims(c[9]),
            tempat=c[10],
            ddc=c[11],
            catatan=c[12].replace("\\n", "\n"),
            subjek=pembaca.daftar_slims(c[16]),
        )
        id_sumber = kunci[_sidik_slims(c)] if judul else f"baris-{nomor}"
        for k in kode:
            self._kode_slims.append((k, nomor, b.nama, id_sumber))
        return RekamanMasuk("slims.biblio", id_sumber, b.nama, nomor, record)

    def _eksemplar_slims(self, sesi: Sesi) -> Iterator[EksemplarMasuk]:
        kode_biblio = self._kode_slims
        rinci: dict[str, tuple[int, str, dict]] = {}
        for b in sesi.tabel("slims.item"):
            for nomor, r in _baris_kunci(b):
                if r.get("itemcode"):
                    rinci[r["itemcode"]] = (nomor, b.nama, r)
        p = self.pemeta
        dipakai = set()
        for kode, nomor, berkas, id_katalog in kode_biblio:
            dipakai.add(kode)
            nomor_i, berkas_i, r = rinci.get(kode, (nomor, berkas, {}))
            cabang = p.id_cabang(r.get("locationname", ""), berkas_i, nomor_i)
            yield EksemplarMasuk(
                tabel="slims.item",
                id_sumber=kode,
                berkas=berkas_i,
                nomor=nomor_i,
                katalog_tabel="slims.biblio",
                katalog_sumber=id_katalog,
                kategori_id=p.id_kategori(r.get("colltypename", ""), berkas_i, nomor_i),
                cabang_id=cabang,
                unit_id=p.unit(cabang),
                barcode=kode,
                nomor_induk=r.get("inventorycode", ""),
                nomor_panggil=r.get("callnumber", ""),
                harga=_harga(sesi, berkas_i, nomor_i, "price", r.get("price", "")),
                tanggal_terima=_tanggal(
                    sesi, berkas_i, nomor_i, "received_date", r.get("receiveddate", "")
                ),
                sumber=p.sumber(r.get("source", ""), berkas_i, nomor_i),
                lokasi_id=p.id_lokasi(cabang, r.get("site", "")),
                status=p.status(r.get("itemstatusname", ""), berkas_i, nomor_i),
                data=r or {"kode": kode},
            )
        for kode, (nomor, berkas, _r) in rinci.items():
            if kode not in dipakai:
                sesi.masalah(
                    berkas,
                    nomor,
                    "item_code",
                    kode,
                    _("Eksemplar ini tidak tercantum di kolom item_code berkas biblio mana pun."),
                )

    # Inlislite collections (+ lookup tables)

    def _nama_lookup(self, sesi: Sesi) -> dict[str, dict[str, str]]:
        nama = {t: {} for t in LOOKUP_INLISLITE.values()}
        for tabel in nama:
            for b in sesi.tabel(tabel):
                for _n, r in _baris_kunci(b):
                    nama[tabel][id_bersih(r.get("id", ""))] = r.get("name", "") or r.get("code", "")
        return nama

    def muat_collections(self, pemuat: PemuatKatalog) -> None:
        """Inlislite's collections, set-based: staged whole by PostgreSQL's COPY, their
        lookup ids mapped in Python once per distinct combination, and the items
        written to the loader's staging by one INSERT … SELECT."""
        berkas = self.sesi.tabel("collections")
        if not berkas:
            return
        impor.muat_tabel("stg_collections", berkas, KOLOM_COLLECTIONS)
        with connection.cursor() as c:
            self._peta_koleksi(c)
            self._nilai_koleksi(c, [b.nama for b in berkas])
        t = {k: f"k.{k}" for k in KOLOM_COLLECTIONS}
        pemuat.tambah_eksemplar_sql(
            f"""
            SELECT k.nomor, k.berkas, 'collections',
                coalesce(nullif({_ID_SQL.format(t["id"])}, ''), 'baris-' || k.nomor),
                md5(ROW({", ".join(t.values())})::text), 'catalogs',
                {_ID_SQL.format(t["catalogid"])}, nullif(left(k.nomorbarcode, 50), ''),
                nullif(left(k.noinduk, 50), ''), left(k.callnumber, 100),
                CASE WHEN k.harga_pasti THEN k.harga_sql ELSE v.harga END,
                CASE WHEN k.tanggal_pasti THEN k.tanggal_sql ELSE v.tanggal END,
                p.sumber, p.kategori_id, p.cabang_id, p.unit_id, p.lokasi_id, p.status, '', false
            FROM ({_KOLEKSI_SQL}) k
            JOIN stg_peta_koleksi p
                ON ({", ".join(f"p.{x}" for x in KOLOM_PETA_KOLEKSI)})
                 = ({", ".join(f"k.{x}" for x in KOLOM_PETA_KOLEKSI)})
            LEFT JOIN stg_nilai_koleksi v ON v.berkas = k.berkas AND v.nomor = k.nomor
                AND v.price = k.price AND v.tanggalpengadaan = k.tanggalpengadaan
            -- As baris_berkunci, which skips empty rows.
            WHERE ({" || ".join(t.values())}) <> ''
            -- Items keep the files' order: the first of two equal barcodes is the one kept.
            ORDER BY array_position(%s::text[], k.berkas), k.nomor
            """,
            [[b.nama for b in berkas]],
        )

    def _peta_koleksi(self, c) -> None:
        """stg_peta_koleksi: each distinct combination of lookup ids in collections, as
        Pemeta maps it (the administrator's choices, new categories and shelf
        locations created): a handful of rows, however many items."""
        nama = self._nama_lookup(self.sesi)
        p = self.pemeta
        dilaporkan: set[tuple[str, str]] = set()
        bawaan = {"collectionstatus": {"1", "5"}}  # Inlislite's fixed Tersedia and Dipinjam

        def n(tabel: str, nilai: str, berkas: str, nomor: int) -> str:
            nilai = id_bersih(nilai)
            if not nilai:
                return ""
            dikenal = nilai in nama[tabel] or nilai in bawaan.get(tabel, ())
            if not dikenal and (tabel, nilai) not in dilaporkan:
                dilaporkan.add((tabel, nilai))
                self.sesi.masalah(
                    berkas,
                    nomor,
                    KOLOM_LOOKUP[tabel],
                    nilai,
                    _(
                        "ID ini tidak ada di tabel %(t)s (atau tabel itu tidak disertakan): "
                        "nilai bawaan dipakai untuk semua baris dengan ID ini."
                    )
                    % {"t": tabel},
                    PERINGATAN,
                )
            return nama[tabel].get(nilai, "")

        kolom = ", ".join(KOLOM_PETA_KOLEKSI)
        # With the first row that uses each combination, where a value nobody mapped
        # is reported (an export has one collections file, as a rule).
        c.execute(
            f"SELECT {kolom}, min(berkas), min(nomor) FROM ({_KOLEKSI_SQL}) k "
            f"GROUP BY {kolom} ORDER BY 7"
        )
        baris = []
        for perpus, lokasi, kategori, sumber, status, berkas, nomor in c.fetchall():
            cabang = p.id_cabang(n("location_library", perpus, berkas, nomor), berkas, nomor)
            nama_status = n("collectionstatus", status, berkas, nomor) or {
                "1": "Tersedia",
                "5": "Dipinjam",
            }.get(id_bersih(status), "")
            baris.append(
                [perpus, lokasi, kategori, sumber, status, cabang, p.unit(cabang),
                 p.id_lokasi(cabang, n("locations", lokasi, berkas, nomor)),
                 p.id_kategori(n("collectioncategorys", kategori, berkas, nomor), berkas, nomor),
                 p.sumber(n("collectionsources", sumber, berkas, nomor), berkas, nomor),
                 p.status(nama_status, berkas, nomor)]
            )  # fmt: skip
        impor.buat_staging(
            "stg_peta_koleksi",
            [*((k, "text") for k in KOLOM_PETA_KOLEKSI), ("cabang_id", "bigint"),
             ("unit_id", "bigint"), ("lokasi_id", "bigint"), ("kategori_id", "bigint"),
             ("sumber", "text"), ("status", "text")],
        )  # fmt: skip
        impor.salin(
            "stg_peta_koleksi",
            [*KOLOM_PETA_KOLEKSI, "cabang_id", "unit_id", "lokasi_id", "kategori_id", "sumber",
             "status"],
            baris,
        )  # fmt: skip
        c.execute("ANALYZE stg_peta_koleksi")

    def _nilai_koleksi(self, c, urutan: list[str]) -> None:
        """stg_nilai_koleksi: prices and dates SQL could not read, read by _harga and
        _tanggal, which report what they cannot read either (row by row, in order)."""
        sesi = self.sesi
        c.execute(
            f"""
            SELECT berkas, nomor, price, tanggalpengadaan, harga_pasti, tanggal_pasti
            FROM ({_KOLEKSI_SQL}) k WHERE NOT (harga_pasti AND tanggal_pasti)
            ORDER BY array_position(%s::text[], berkas), nomor
            """,
            [urutan],
        )
        nilai = {}
        for berkas, nomor, harga, tanggal, harga_pasti, tanggal_pasti in c.fetchall():
            nilai[berkas, nomor, harga, tanggal] = [
                None if harga_pasti else _harga(sesi, berkas, nomor, "Price", harga),
                None
                if tanggal_pasti
                else _tanggal(sesi, berkas, nomor, "TanggalPengadaan", tanggal),
            ]
        impor.buat_staging(
            "stg_nilai_koleksi",
            [("berkas", "text"), ("nomor", "integer"), ("price", "text"),
             ("tanggalpengadaan", "text"), ("harga", "numeric"), ("tanggal", "date")],
        )  # fmt: skip
        impor.salin(
            "stg_nilai_koleksi",
            ["berkas", "nomor", "price", "tanggalpengadaan", "harga", "tanggal"],
            ([*kunci, *v] for kunci, v in nilai.items()),
        )
        c.execute("ANALYZE stg_nilai_koleksi")


def _id_item_template(nomor: int, c: list[str]) -> str:
    return c[2] or c[3] or f"baris-{nomor}"


def _baris_slims(b: pembaca.BerkasMasuk) -> Iterator[tuple[int, list[str]]]:
    """A SLiMS biblio export's rows as 18 columns (SLiMS 7/8 write 17: no SOR)."""
    for nomor, isi in enumerate(b.baris(), start=1):
        if not any(x.strip() for x in isi):
            continue
        if nomor == 1 and "title" in {k(x) for x in isi}:
            continue
        c = [x.strip() for x in isi]
        if len(c) == 17:
            c = [*c[:14], "", *c[14:]]
        yield nomor, c + [""] * (18 - len(c))


def _rekaman_terdahulu(sesi: Sesi, tabel: str, tabel_eksemplar: str, ids: set[str]) -> dict:
    """Item source id -> the source id of the record an earlier import of this source
    attached it to. Templates, reports and SLiMS exports carry no record ids, so a
    record is keyed by its description; when the source edits the description, the
    record is known again by its copies and updated, not created twice."""
    if not ids:
        return {}
    with connection.cursor() as c:
        c.execute(
            """
            SELECT DISTINCT ON (pe.id_sumber) pe.id_sumber, pk.id_sumber
            FROM dispusip_petaimpor pe
            JOIN katalog_eksemplar e ON e.id = pe.id_tujuan
            JOIN dispusip_petaimpor pk ON pk.tabel = %s AND pk.id_tujuan = e.katalog_id
              AND pk.sumber_id = pe.sumber_id
            WHERE pe.sumber_id = %s AND pe.tabel = %s AND pe.id_sumber = ANY(%s::text[])
            ORDER BY pe.id_sumber, pk.diimpor DESC, pk.id_sumber
            """,
            [tabel, sesi.sumber.pk, tabel_eksemplar, impor.larik_pg(ids)],
        )
        return dict(c.fetchall())


class _KunciSendiri(dict):
    """Every description its own key."""

    def __missing__(self, sidik: str) -> str:
        return sidik


def tetapkan_kunci(
    terdahulu: dict[str, str | None], dikenal: set[str], dipakai: set[str] = frozenset()
) -> dict[str, str]:
    """The record key of each description of a file (see BacaKatalog._kunci_rekaman):
    `terdahulu` maps each description, in order, to the key its copies had last
    time (or None); `dikenal` holds the descriptions the source had before;
    `dipakai` the descriptions and keys of earlier files of the import. No two
    descriptions ever get one key."""
    kunci, diambil = {}, set()
    for sidik, lama in terdahulu.items():
        if sidik in dikenal or not lama or lama in terdahulu or lama in diambil or lama in dipakai:
            kunci[sidik] = sidik
        else:
            kunci[sidik] = lama
            diambil.add(lama)
    return kunci


def _kunci_dikenal(sesi: Sesi, tabel: str, kunci: set[str]) -> set[str]:
    """Which of these record keys this source brought in before."""
    if not kunci:
        return set()
    with connection.cursor() as c:
        c.execute(
            "SELECT id_sumber FROM dispusip_petaimpor "
            "WHERE sumber_id = %s AND tabel = %s AND id_sumber = ANY(%s::text[])",
            [sesi.sumber.pk, tabel, impor.larik_pg(kunci)],
        )
        return {k for (k,) in c.fetchall()}


def _sidik_template(c: list[str]) -> str:
    return impor.sidik(c[16:38])[:32]


BIB_BUKU_INDUK = ("jenisbahan", "judul", "pengarang", "edisi", "tempatterbit", "penerbit",
                  "tahunterbit", "deskripsifisik", "isbn", "issn")  # fmt: skip


def _sidik_buku_induk(r: dict) -> str:
    return impor.sidik([r.get(x, "") for x in BIB_BUKU_INDUK])[:32]


def _sidik_slims(c: list[str]) -> str:
    """'' for a row without a title (it is reported, not matched)."""
    judul = c[0].replace("\\n", " ")
    return impor.sidik([judul, c[3], c[2], c[4], c[5]])[:32] if judul else ""


def _angka(nilai: str | None):
    nilai = (nilai or "").strip()
    return nilai if re.fullmatch(r"-?\d+(\.\d+)?", nilai) else None


def _bahasa_slims(nama: str) -> str:
    n = (nama or "").casefold()
    return {
        "indonesia": "ind",
        "id": "ind",
        "english": "eng",
        "en": "eng",
        "inggris": "eng",
        "arab": "ara",
        "arabic": "ara",
    }.get(n, n[:3] if len(n) == 3 else "ind")


def _id_json(data: dict) -> str:
    """A MARC record's id in its source: its 001, else its 035 $a."""
    f001 = next((e["001"] for e in data["fields"] if "001" in e), None)
    if isinstance(f001, str) and f001.strip():
        return f001.strip()
    f035 = _subfield_json(data, "035", "a", pertama=True)
    if f035 and f035[0]:
        return f035[0].strip()
    return "tanpa-001:" + impor.sidik(data)[:32]


def _record_catalogs(r: dict) -> Record:
    """When only the catalogs table came: its denormalised columns (§1.1)."""
    pengarang = _daftar(r.get("author", ""))
    return record_dari_kolom(
        nomor_kontrol=r.get("controlnumber", ""),
        bibid=r.get("bibid", ""),
        judul=re.split(r"\s+/\s+", r.get("title", ""), maxsplit=1)[0],
        tanggung_jawab=[*re.split(r"\s+/\s+", r.get("title", ""), maxsplit=1), ""][1],
        pengarang=[re.sub(r"\s*\([^)]*\)$", "", x) for x in pengarang],
        edisi=r.get("edition", ""),
        tempat=r.get("publishlocation", ""),
        penerbit=r.get("publisher", ""),
        tahun=r.get("publishyear", ""),
        fisik=r.get("physicaldescription", ""),
        isbn=_daftar(r.get("isbn", "")),
        ddc=r.get("deweyno", ""),
        nomor_panggil=r.get("callnumber", ""),
        catatan=r.get("note", ""),
        bahasa=r.get("languages", ""),
        subjek=_daftar(r.get("subject", ""), "--"),
    )
