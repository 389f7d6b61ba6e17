"""The bulk path of catalogue imports: records and items from any source, staged and merged.

Every reader (MARC, Inlislite tables and templates, SLiMS) turns its rows into
RekamanMasuk (a pymarc Record) and EksemplarMasuk, and hands them here in
batches. For each batch of records one query per kind of match decides what
each record becomes — unchanged, updated, in conflict with a portal edit,
attached to a record already in the union catalogue, or new — and the batch
is COPYed into a TEMP staging table; items are COPYed as they come. Then SQL
checks the items (missing records, duplicate barcodes, collisions with other
sources) and everything is merged with a few set-based statements.

Matching, strongest first: the same (source, table, source id) as an earlier
import; the same normalised ISBN; the same normalised title, author, year and
publisher. The same title and author alone is only a candidate: the record is
created and queued for a cataloguer (CalonGabung).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from dispusip import impor, penomoran
from dispusip.audit import catat
from dispusip.impor import GALAT, PERINGATAN, Sesi
from katalog import nomor_standar, services
from katalog.models import Katalog, StatusEksemplar

ENTITAS_KATALOG = "katalog"
ENTITAS_EKSEMPLAR = "eksemplar"
TABEL_MASSAL = ["katalog_katalog", "katalog_eksemplar"]
MASSAL_MINIMUM = 50_000  # new records from which an import into an empty catalogue is a bulk load

KOLOM_KATALOG = [
    ("nomor", "integer"),
    ("berkas", "text"),
    ("tabel", "text"),
    ("id_sumber", "text"),
    ("sidik", "text"),
    ("hasil", "text"),
    ("id_tujuan", "bigint"),
    ("calon", "bigint"),
    ("marc", "jsonb"),
    *[
        (k, t)
        for k, t in (
            ("nomor_kontrol", "text"),
            ("jenis", "text"),
            ("judul", "text"),
            ("anak_judul", "text"),
            ("pernyataan_tanggung_jawab", "text"),
            ("pengarang", "jsonb"),
            ("pengarang_teks", "text"),
            ("edisi", "text"),
            ("tempat_terbit", "text"),
            ("penerbit", "text"),
            ("tahun_terbit", "text"),
            ("tahun", "smallint"),
            ("isbn", "text"),
            ("issn", "text"),
            ("isbn_normal", "text[]"),
            ("nomor_panggil", "text"),
            ("ddc", "text"),
            ("bahasa", "text"),
            ("subjek", "text[]"),
            ("subjek_teks", "text"),
            ("seri", "text"),
            ("deskripsi_fisik", "text"),
            ("catatan", "text"),
            ("abstrak", "text"),
            ("audiens", "text"),
            ("judul_urut", "text"),
            ("kunci_judul", "text"),
            ("kunci_cocok", "text"),
        )
    ],
]
KOLOM_DATA = [k for k, _t in KOLOM_KATALOG[9:]]
KOLOM_LARIK = {k for k, t in KOLOM_KATALOG if t == "text[]"}
# The columns the loader reads from RekamanSiap.kolom; the rest go through `data`.
KOLOM_COCOK = ("nomor_kontrol", "isbn_normal", "kunci_cocok", "kunci_judul")
PANJANG = {
    "edisi": 255,
    "tempat_terbit": 255,
    "penerbit": 255,
    "tahun_terbit": 100,
    "isbn": 700,
    "issn": 255,
    "audiens": 255,
}

KOLOM_EKSEMPLAR = [
    ("nomor", "integer"),
    ("berkas", "text"),
    ("tabel", "text"),
    ("id_sumber", "text"),
    ("sidik", "text"),
    ("katalog_tabel", "text"),
    ("katalog_sumber", "text"),
    ("barcode", "text"),
    ("nomor_induk", "text"),
    ("nomor_panggil", "text"),
    ("harga", "numeric"),
    ("tanggal_terima", "date"),
    ("sumber", "text"),
    ("kategori_id", "bigint"),
    ("cabang_id", "bigint"),
    ("unit_id", "bigint"),
    ("lokasi_id", "bigint"),
    ("status", "text"),
    ("catatan", "text"),
    ("perlu_verifikasi", "boolean"),
    # filled in SQL
    ("katalog_id", "bigint"),
    ("id_tujuan", "bigint"),
    ("hasil", "text"),
    ("ke", "bigserial"),  # the row's own key (a MARC record gives several items)
]


@dataclass
class RekamanSiap:
    """A record ready to load: what the source said, prepared (possibly in another
    process) by katalog.impor.siapkan — its columns, its MARC as JSON, its fingerprint."""

    tabel: str  # the source table the id belongs to ("marc", "catalogs", "slims.biblio")
    id_sumber: str
    berkas: str
    nomor: int  # row or record number in that file
    judul_a: str = ""
    isbn_salah: list[str] = field(default_factory=list)  # 020 $a failing the check
    induk: list[str] = field(default_factory=list)  # 990 $a accession numbers
    sidik: str = ""
    kolom: dict = field(default_factory=dict)
    marc: str = ""  # the record as JSON (pymarc's as_dict), 005 stamped
    galat: str = ""  # the record could not be read at all
    data: list | None = None  # marc and kolom as staged (nilai_data), made with them

    def __post_init__(self) -> None:
        if self.data is None and self.marc:
            self.data = nilai_data(self.marc, self.kolom)

    def __reduce__(self):
        # A big import sends millions of these between processes: as the arguments
        # of the constructor they unpickle in half the time a dataclass's state takes,
        # and of the columns only those the loader matches on travel beside `data`.
        nilai = {f.name: getattr(self, f.name) for f in fields(self)}
        nilai["kolom"] = {k: self.kolom[k] for k in KOLOM_COCOK if k in self.kolom}
        return (RekamanSiap, tuple(nilai.values()))


def nilai_data(marc: str, kolom: dict) -> list:
    """A record's MARC and columns as stg_katalog takes them: cut to their columns'
    lengths, arrays as PostgreSQL array literals and the authors as JSON, so the
    process that writes the COPY only passes strings on."""
    nilai = [marc]
    for k in KOLOM_DATA:
        v = kolom[k]
        if k == "pengarang":
            v = json.dumps(v, ensure_ascii=False)
        elif k in KOLOM_LARIK:
            v = impor.larik_pg(v)
        elif k in PANJANG and v:
            v = v[: PANJANG[k]]
        nilai.append(v)
    return nilai


@dataclass
class EksemplarMasuk:
    tabel: str
    id_sumber: str
    berkas: str
    nomor: int
    katalog_tabel: str
    katalog_sumber: str
    kategori_id: int
    cabang_id: int
    unit_id: int
    barcode: str = ""
    nomor_induk: str = ""
    nomor_panggil: str = ""
    harga: Decimal | None = None
    tanggal_terima: date | None = None
    sumber: str = "beli"
    lokasi_id: int | None = None
    status: str = StatusEksemplar.TERSEDIA
    catatan: str = ""
    perlu_verifikasi: bool = False
    data: dict = field(default_factory=dict)  # what the source said, for the fingerprint


def _nomor_kontrol(r: RekamanSiap, nomor: str) -> None:
    """Give a prepared record another 001 (its JSON and its column alike)."""
    data = json.loads(r.marc)
    data["fields"] = [{"001": nomor}, *(f for f in data["fields"] if "001" not in f)]
    r.marc = json.dumps(data, ensure_ascii=False)
    r.kolom["nomor_kontrol"] = nomor
    r.data[0] = r.marc
    r.data[1 + KOLOM_DATA.index("nomor_kontrol")] = nomor


# Per record: the branches holding it, those with a copy on the shelf, its categories.
_KETERSEDIAAN = """
    SELECT x.katalog_id,
        array_agg(DISTINCT x.cabang_id ORDER BY x.cabang_id)
            FILTER (WHERE x.status <> 'dihapus') AS pemilik,
        array_agg(DISTINCT x.cabang_id ORDER BY x.cabang_id)
            FILTER (WHERE x.status = 'tersedia') AS tersedia,
        array_agg(DISTINCT x.kategori_id ORDER BY x.kategori_id)
            FILTER (WHERE x.status <> 'dihapus') AS kategori
    FROM {sumber} x"""


class PemuatKatalog:
    def __init__(self, sesi: Sesi) -> None:
        self.sesi = sesi
        self.jumlah_eksemplar = 0
        self._dianalisis = False
        impor.buat_staging("stg_katalog", KOLOM_KATALOG)
        impor.buat_staging("stg_eksemplar", KOLOM_EKSEMPLAR)
        with connection.cursor() as c:
            # Which ids and control numbers this import has staged is asked of the
            # staging table, batch by batch, not kept in memory: the importing process
            # stays the same size whatever the size of the file.
            c.execute("CREATE INDEX ON stg_katalog (id_sumber, tabel)")
            c.execute("CREATE INDEX ON stg_katalog (nomor_kontrol)")

    # --- records ------------------------------------------------------------------

    def tambah_rekaman(self, batch: list[RekamanSiap]) -> None:
        dilihat = self._sudah_dipentaskan(batch)
        sah = [r for r in batch if self._periksa(r, dilihat)]
        peta = self._peta(sah)
        baris, baru = [], []
        for r in sah:
            lama = peta.get(r.id_sumber)
            if lama is None:
                baru.append(r)
                continue
            id_tujuan, sidik_lama, diimpor, diubah, nomor_kontrol = lama
            if sidik_lama.startswith(services.GABUNG):
                # Attached to a record another source (or staff) described: this
                # source's later changes never rewrite it; its items still go there.
                baris.append(
                    self._baris(r, "tetap", id_tujuan, sidik=services.sidik_gabung(r.sidik))
                )
            elif sidik_lama == r.sidik:
                baris.append(self._baris(r, "tetap", id_tujuan))
            elif diubah > diimpor:
                baris.append(self._baris(r, "konflik", id_tujuan))
                self.sesi.masalah(
                    r.berkas,
                    r.nomor,
                    "001",
                    r.id_sumber,
                    _("Rekaman ini diubah di portal sejak impor terakhir; tidak ditimpa."),
                    PERINGATAN,
                )
            else:
                _nomor_kontrol(r, nomor_kontrol)
                baris.append(self._baris(r, "diperbarui", id_tujuan, data=True))
        baris.extend(self._baru(baru))
        impor.salin("stg_katalog", [k for k, _t in KOLOM_KATALOG], baris)
        if not self._dianalisis:
            # Statistics of the first batch tell the planner that ids are unique, so
            # the lookups of the next batches stay index scans as the table grows
            # (without them it expects half the table and compiles each query with JIT).
            with connection.cursor() as c:
                c.execute("ANALYZE stg_katalog (id_sumber, nomor_kontrol)")
            self._dianalisis = True

    @staticmethod
    def _sudah_dipentaskan(batch: list[RekamanSiap]) -> set[tuple[str, str]]:
        """The (table, source id) of this batch's records that earlier batches staged."""
        with connection.cursor() as c:
            c.execute(
                "SELECT tabel, id_sumber FROM stg_katalog WHERE id_sumber = ANY(%s::text[])",
                [impor.larik_pg({r.id_sumber for r in batch if not r.galat})],
            )
            return set(c.fetchall())

    def _periksa(self, r: RekamanSiap, dilihat: set[tuple[str, str]]) -> bool:
        if r.galat:
            self.sesi.masalah(r.berkas, r.nomor, "", "", r.galat)
            self.sesi.catat(ENTITAS_KATALOG, "ditolak")
            return False
        kunci = (r.tabel, r.id_sumber)
        if kunci in dilihat:
            self.sesi.masalah(
                r.berkas,
                r.nomor,
                "ID",
                r.id_sumber,
                _("ID rekaman ini sudah muncul lebih dulu dalam impor; yang pertama dipakai."),
                PERINGATAN,
            )
            return False
        dilihat.add(kunci)
        return self.periksa(self.sesi, r)

    @staticmethod
    def periksa(sesi: Sesi, r: RekamanSiap) -> bool:
        """A record's own rules: a title is required; a bad ISBN is only a warning."""
        if not r.judul_a.strip(" /:;.,=[]"):
            sesi.masalah(
                r.berkas,
                r.nomor,
                "245 $a",
                "",
                _("Judul (245 $a) kosong; rekaman tidak diimpor."),
            )
            sesi.catat(ENTITAS_KATALOG, "ditolak")
            return False
        for isbn in r.isbn_salah:
            alasan = nomor_standar.masalah_isbn(isbn)
            if alasan:
                # Real Inlislite data carries such ISBNs: kept as given, reported.
                sesi.masalah(r.berkas, r.nomor, "020 $a", isbn, alasan, PERINGATAN)
        return True

    def _peta(self, batch: list[RekamanSiap]) -> dict[str, tuple]:
        """What earlier imports from this source made of these records."""
        if not batch:
            return {}
        with connection.cursor() as c:
            c.execute(
                """
                SELECT p.id_sumber, k.id, p.sidik, p.diimpor, k.diubah, k.nomor_kontrol
                FROM dispusip_petaimpor p JOIN katalog_katalog k ON k.id = p.id_tujuan
                WHERE p.sumber_id = %s AND p.tabel = %s AND p.id_sumber = ANY(%s::text[])
                """,
                [self.sesi.sumber.pk, batch[0].tabel, impor.larik_pg([r.id_sumber for r in batch])],
            )
            return {row[0]: row[1:] for row in c.fetchall()}

    def _baru(self, baru: list[RekamanSiap]) -> list[list]:
        if not baru:
            return []
        isbn, cocok, judul = self._cocokkan([r.kolom for r in baru])
        dibuat, baris = [], []
        for r in baru:
            k = r.kolom
            sama = next((isbn[x] for x in k["isbn_normal"] if x in isbn), None) or cocok.get(
                k["kunci_cocok"]
            )
            if sama is not None:
                baris.append(self._baris(r, "digabung", sama, sidik=services.sidik_gabung(r.sidik)))
            else:
                dibuat.append((r, judul.get(k["kunci_judul"])))
        self._nomori([r for r, _calon in dibuat])
        ids = self._id_baru(len(dibuat))
        baris += [
            self._baris(r, "dibuat", next(ids), data=True, calon=calon) for r, calon in dibuat
        ]
        return baris

    def _cocokkan(self, kolom: list[dict]) -> tuple[dict, dict, dict]:
        """Records already in the catalogue with the same ISBN, the same title, author,
        year and publisher, or only the same title and author (a candidate)."""
        kunci_isbn = sorted({x for k in kolom for x in k["isbn_normal"]})
        kunci_cocok = sorted({k["kunci_cocok"] for k in kolom if k["kunci_cocok"]})
        kunci_judul = sorted({k["kunci_judul"] for k in kolom if k["kunci_judul"]})
        isbn, cocok, judul = {}, {}, {}
        with connection.cursor() as c:
            if kunci_isbn:
                c.execute(
                    "SELECT id, isbn_normal FROM katalog_katalog WHERE isbn_normal && %s::varchar[] "
                    "ORDER BY id DESC",
                    [impor.larik_pg(kunci_isbn)],
                )
                for pk, kunci in c.fetchall():
                    isbn.update(dict.fromkeys(kunci, pk))  # lowest id wins
            if kunci_cocok:
                c.execute(
                    "SELECT kunci_cocok, min(id) FROM katalog_katalog WHERE kunci_cocok = ANY(%s::text[]) "
                    "GROUP BY 1",
                    [impor.larik_pg(kunci_cocok)],
                )
                cocok = dict(c.fetchall())
            if kunci_judul:
                c.execute(
                    "SELECT kunci_judul, min(id) FROM katalog_katalog WHERE kunci_judul = ANY(%s::text[]) "
                    "GROUP BY 1",
                    [impor.larik_pg(kunci_judul)],
                )
                judul = dict(c.fetchall())
        return isbn, cocok, judul

    def _nomori(self, baru: list[RekamanSiap]) -> None:
        """Keep the source's 001 when the province has no such number yet (Inlislite
        installations all count INLIS000000000000001 upwards), nor this import's
        earlier batches: else a new one."""
        nomor_sumber = impor.larik_pg({r.kolom["nomor_kontrol"] for r in baru} - {""})
        with connection.cursor() as c:
            c.execute(
                "SELECT nomor_kontrol FROM katalog_katalog WHERE nomor_kontrol = ANY(%s::text[]) "
                "UNION SELECT nomor_kontrol FROM stg_katalog WHERE nomor_kontrol = ANY(%s::text[])",
                [nomor_sumber, nomor_sumber],
            )
            dipakai = {n for (n,) in c.fetchall()}
        perlu = []
        for r in baru:
            nomor = r.kolom["nomor_kontrol"]
            if not nomor or nomor in dipakai:
                perlu.append(r)
            else:
                dipakai.add(nomor)
        if not perlu:
            return
        nomor = penomoran.alokasikan(
            "katalog.nomor_kontrol",
            jumlah=len(perlu),
            terpakai=lambda c: Katalog.objects.filter(nomor_kontrol__in=c).values_list(
                "nomor_kontrol", flat=True
            ),
        )
        for r, n in zip(perlu, nomor, strict=True):
            _nomor_kontrol(r, n)

    def _id_baru(self, n: int):
        if not n:
            return iter(())
        with connection.cursor() as c:
            c.execute(
                "SELECT nextval(pg_get_serial_sequence('katalog_katalog', 'id')) "
                "FROM generate_series(1, %s)",
                [n],
            )
            return iter([pk for (pk,) in c.fetchall()])

    def _baris(self, r: RekamanSiap, hasil: str, id_tujuan: int | None, *, data: bool = False,
               calon: int | None = None, sidik: str | None = None) -> list:  # fmt: skip
        awal = [r.nomor, r.berkas, r.tabel, r.id_sumber, sidik or r.sidik, hasil, id_tujuan, calon]
        if not data:
            return [*awal, None, *([None] * len(KOLOM_DATA))]
        return [*awal, *r.data]

    # --- items --------------------------------------------------------------------

    def tambah_eksemplar(self, items: Iterable[EksemplarMasuk]) -> None:
        # In batches: reading an item may look up or create a shelf location, which
        # cannot happen on this connection while a COPY is open.
        kolom = [k for k, _t in KOLOM_EKSEMPLAR[:20]]
        for batch in impor.per_batch(items):
            self.jumlah_eksemplar += impor.salin("stg_eksemplar", kolom, map(self._baris_e, batch))

    def tambah_eksemplar_sql(self, select: str, param: list) -> None:
        """Items a reader staged set-based: `select` gives the columns tambah_eksemplar
        COPYs, in that order."""
        kolom = ", ".join(k for k, _t in KOLOM_EKSEMPLAR[:20])
        with connection.cursor() as c:
            c.execute(f"INSERT INTO stg_eksemplar ({kolom}) {select}", param)
            self.jumlah_eksemplar += c.rowcount

    @staticmethod
    def _baris_e(e: EksemplarMasuk) -> list:
        return [
            e.nomor,
            e.berkas,
            e.tabel,
            e.id_sumber,
            impor.sidik(e.data) if e.data else None,
            e.katalog_tabel,
            e.katalog_sumber,
            e.barcode.strip()[:50] or None,
            e.nomor_induk.strip()[:50] or None,
            e.nomor_panggil[:100],
            e.harga,
            e.tanggal_terima,
            e.sumber,
            e.kategori_id,
            e.cabang_id,
            e.unit_id,
            e.lokasi_id,
            e.status,
            e.catatan,
            e.perlu_verifikasi,
        ]

    # --- merge --------------------------------------------------------------------

    def selesaikan(self) -> None:
        sesi = self.sesi
        with connection.cursor() as c:
            c.execute("ANALYZE stg_katalog (hasil, tabel, id_sumber, id_tujuan)")
            c.execute("SELECT hasil, count(*) FROM stg_katalog GROUP BY 1")
            for hasil, n in c.fetchall():
                sesi.catat(ENTITAS_KATALOG, hasil, n)
            sesi.maju(1, 5, _("Memeriksa eksemplar…"))
            self._periksa_eksemplar(c)
            sesi.maju(2, 5, _("Menyimpan rekaman katalog…"))
            with impor.tanpa_indeks(TABEL_MASSAL) if self._muat_massal(c) else nullcontext():
                self._simpan_rekaman(c)
                self._simpan_eksemplar(c)
            sesi.maju(3, 5, _("Memperbarui ketersediaan per cabang…"))
            self._ketersediaan_rekaman_lama(c)
        sesi.maju(4, 5, _("Memperbarui indeks pencarian dan tajuk…"))
        if sesi.jumlah.get(ENTITAS_KATALOG, {}).get("dibuat") or sesi.jumlah.get(
            ENTITAS_KATALOG, {}
        ).get("diperbarui"):
            services.bangun_ulang_tajuk()
        catat(
            aksi="katalog.impor",
            oleh=sesi.oleh,
            objek=sesi.sumber,
            sesudah={e: {k: v for k, v in n.items() if v} for e, n in sesi.jumlah.items()},
        )

    def _muat_massal(self, c) -> bool:
        """A first migration into an empty catalogue: its indexes and the key from items
        to records are built after the rows (impor.tanpa_indeks). Nobody can be using
        an empty catalogue, so the exclusive lock this takes on the two tables hides
        nothing from anyone; the tables their keys point at stay open."""
        if self.sesi.jumlah.get(ENTITAS_KATALOG, {}).get("dibuat", 0) < MASSAL_MINIMUM:
            return False
        c.execute(
            "SELECT NOT EXISTS (SELECT FROM katalog_katalog) "
            "AND NOT EXISTS (SELECT FROM katalog_eksemplar)"
        )
        return c.fetchone()[0]

    def _oleh(self) -> int | None:
        return self.sesi.oleh.pk if self.sesi.oleh is not None else None

    def _simpan_rekaman(self, c) -> None:
        """New records are written with the branches and categories of their items
        (all of them in this import), so no second pass rewrites a million rows."""
        sesi = self.sesi
        kolom = ", ".join(KOLOM_DATA)
        c.execute(
            f"""
            INSERT INTO katalog_katalog (id, marc, {kolom}, tampil_opac, cabang_pemilik,
                cabang_tersedia, kategori_koleksi, dibuat, diubah, dibuat_oleh_id,
                diubah_oleh_id)
            SELECT k.id_tujuan, k.marc, {", ".join(f"k.{x}" for x in KOLOM_DATA)}, true,
                coalesce(a.pemilik, '{{}}'), coalesce(a.tersedia, '{{}}'),
                coalesce(a.kategori, '{{}}'), now(), now(), %s, %s
            FROM stg_katalog k LEFT JOIN ({_KETERSEDIAAN.format(sumber="stg_eksemplar")}
                WHERE x.hasil = 'dibuat' GROUP BY x.katalog_id) a ON a.katalog_id = k.id_tujuan
            WHERE k.hasil = 'dibuat'
            """,
            [self._oleh(), self._oleh()],
        )
        c.execute(
            f"""
            UPDATE katalog_katalog k SET marc = s.marc,
                {", ".join(f"{x} = s.{x}" for x in KOLOM_DATA)},
                diubah = now(), diubah_oleh_id = %s
            FROM stg_katalog s WHERE s.hasil = 'diperbarui' AND k.id = s.id_tujuan
            """,
            [self._oleh()],
        )
        impor.simpan_peta(
            sesi.sumber, "stg_katalog", "hasil IN ('dibuat', 'diperbarui', 'digabung')"
        )
        c.execute(
            """
            INSERT INTO katalog_calongabung (baru_id, ada_id, sumber, alasan, status, dibuat)
            SELECT id_tujuan, calon, %s, %s, 'menunggu', now() FROM stg_katalog
            WHERE hasil = 'dibuat' AND calon IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            [sesi.sumber.nama, _("Judul dan pengarang sama, tahun atau penerbit berbeda")],
        )

    def _periksa_eksemplar(self, c) -> None:
        sesi = self.sesi
        if not self.jumlah_eksemplar:
            return
        c.execute("CREATE INDEX ON stg_eksemplar (katalog_tabel, katalog_sumber)")
        c.execute("ANALYZE stg_eksemplar")
        # Which record each item belongs to: this import's, or an earlier one's.
        c.execute(
            """
            UPDATE stg_eksemplar e SET katalog_id = k.id_tujuan FROM stg_katalog k
            WHERE k.tabel = e.katalog_tabel AND k.id_sumber = e.katalog_sumber
              AND k.hasil <> 'ditolak'
            """
        )
        c.execute(
            """
            UPDATE stg_eksemplar e SET katalog_id = p.id_tujuan FROM dispusip_petaimpor p
            WHERE e.katalog_id IS NULL AND p.sumber_id = %s AND p.tabel = e.katalog_tabel
              AND p.id_sumber = e.katalog_sumber
            """,
            [sesi.sumber.pk],
        )
        self._tolak(
            c,
            "katalog_id IS NULL",
            "Catalog_id",
            "katalog_sumber",
            _("Eksemplar menunjuk rekaman katalog yang tidak ada (atau ditolak)."),
        )
        # Items seen before from this source.
        c.execute(
            """
            UPDATE stg_eksemplar e SET id_tujuan = x.id,
                hasil = CASE WHEN p.sidik = e.sidik THEN 'tetap'
                             WHEN x.diubah > p.diimpor THEN 'konflik' ELSE 'diperbarui' END
            FROM dispusip_petaimpor p JOIN katalog_eksemplar x ON x.id = p.id_tujuan
            WHERE e.hasil IS NULL AND p.sumber_id = %s AND p.tabel = e.tabel
              AND p.id_sumber = e.id_sumber
            """,
            [sesi.sumber.pk],
        )
        for kolom, label in (("barcode", "NomorBarcode"), ("nomor_induk", "NoInduk")):
            self._ganda_dalam_berkas(c, kolom, label)
            self._bentrok(c, kolom, label)
        self._nomori_eksemplar(c)
        c.execute(
            """
            UPDATE stg_eksemplar SET hasil = 'dibuat',
                id_tujuan = nextval(pg_get_serial_sequence('katalog_eksemplar', 'id'))
            WHERE hasil IS NULL
            """
        )
        # Statistics of what the checks decided, for the statements that follow.
        c.execute("ANALYZE stg_eksemplar (hasil, katalog_id)")

    def _simpan_eksemplar(self, c) -> None:
        sesi = self.sesi
        if not self.jumlah_eksemplar:
            return
        c.execute(
            """
            INSERT INTO katalog_eksemplar (id, katalog_id, unit_id, cabang_id, lokasi_id,
                kategori_id, barcode, nomor_induk, nomor_panggil, sumber, harga, tanggal_terima,
                status, catatan, perlu_verifikasi, dibuat, diubah)
            SELECT id_tujuan, katalog_id, unit_id, cabang_id, lokasi_id, kategori_id, barcode,
                nomor_induk, coalesce(nomor_panggil, ''), sumber, harga, tanggal_terima, status,
                coalesce(catatan, ''), perlu_verifikasi, now(), now()
            FROM stg_eksemplar WHERE hasil = 'dibuat'
            """
        )
        c.execute(
            """
            UPDATE katalog_eksemplar x SET nomor_panggil = coalesce(e.nomor_panggil, ''),
                harga = e.harga, tanggal_terima = e.tanggal_terima, kategori_id = e.kategori_id,
                sumber = e.sumber, catatan = coalesce(e.catatan, ''), diubah = now()
            FROM stg_eksemplar e WHERE e.hasil = 'diperbarui' AND x.id = e.id_tujuan
            """
        )
        impor.simpan_peta(
            sesi.sumber,
            "stg_eksemplar",
            "hasil IN ('dibuat', 'diperbarui') AND id_sumber IS NOT NULL",
        )
        c.execute("SELECT hasil, count(*) FROM stg_eksemplar GROUP BY 1")
        for hasil, n in c.fetchall():
            sesi.catat(ENTITAS_EKSEMPLAR, hasil, n)
        c.execute(
            "SELECT konflik.nomor, konflik.berkas, konflik.id_sumber FROM stg_eksemplar konflik "
            "WHERE hasil = 'konflik' ORDER BY nomor LIMIT 10000"
        )
        for nomor, berkas, id_sumber in c.fetchall():
            sesi.masalah(
                berkas,
                nomor,
                "ID",
                id_sumber,
                _("Eksemplar ini diubah di portal sejak impor terakhir; tidak ditimpa."),
                PERINGATAN,
            )

    def _ketersediaan_rekaman_lama(self, c) -> None:
        """Records that were already in the catalogue and got or changed items here."""
        if not self.jumlah_eksemplar:
            return
        c.execute(
            """
            CREATE TEMP TABLE stg_katalog_lama ON COMMIT DROP AS
            SELECT DISTINCT e.katalog_id FROM stg_eksemplar e
            LEFT JOIN stg_katalog s ON s.id_tujuan = e.katalog_id AND s.hasil = 'dibuat'
            WHERE e.hasil IN ('dibuat', 'diperbarui') AND s.id_tujuan IS NULL
            """
        )
        if not c.rowcount:
            return
        c.execute("ANALYZE stg_katalog_lama")
        c.execute(
            f"""
            UPDATE katalog_katalog k SET cabang_pemilik = coalesce(a.pemilik, '{{}}'),
                cabang_tersedia = coalesce(a.tersedia, '{{}}'),
                kategori_koleksi = coalesce(a.kategori, '{{}}')
            FROM ({_KETERSEDIAAN.format(sumber="katalog_eksemplar")}
                JOIN stg_katalog_lama l ON l.katalog_id = x.katalog_id
                GROUP BY x.katalog_id) a
            WHERE k.id = a.katalog_id
            """
        )

    def _tolak(self, c, syarat: str, kolom: str, nilai: str, pesan: str) -> None:
        c.execute(
            f"UPDATE stg_eksemplar SET hasil = 'ditolak' WHERE hasil IS NULL AND {syarat} "
            f"RETURNING nomor, berkas, {nilai}"
        )
        for nomor, berkas, isi in sorted(c.fetchall()):
            self.sesi.masalah(berkas, nomor, kolom, isi, pesan)

    def _ganda_dalam_berkas(self, c, kolom: str, label: str) -> None:
        c.execute(
            f"""
            UPDATE stg_eksemplar e SET hasil = 'ditolak' FROM (
                SELECT ke, row_number() OVER (PARTITION BY {kolom} ORDER BY ke) AS urutan
                FROM stg_eksemplar WHERE {kolom} IS NOT NULL AND hasil IS NULL
            ) d
            WHERE d.urutan > 1 AND e.ke = d.ke
            RETURNING e.nomor, e.berkas, e.{kolom}
            """
        )
        for nomor, berkas, isi in sorted(c.fetchall()):
            self.sesi.masalah(
                berkas,
                nomor,
                label,
                isi,
                _("Nomor ini sudah dipakai baris lain dalam berkas yang sama."),
            )

    def _bentrok(self, c, kolom: str, label: str) -> None:
        """A number another source (or the portal) already uses gets this source's
        prefix; the item is listed for relabelling. If even that is taken: rejected."""
        awalan = self.sesi.sumber.awalan
        c.execute(
            f"""
            UPDATE stg_eksemplar e SET {kolom} = left(%s || e.{kolom}, 50)
            FROM katalog_eksemplar x
            WHERE e.hasil IS NULL AND x.{kolom} = e.{kolom}
            RETURNING e.nomor, e.berkas, e.{kolom}
            """,
            [awalan],
        )
        diberi = sorted(c.fetchall())
        for nomor, berkas, isi in diberi:
            self.sesi.masalah(
                berkas,
                nomor,
                label,
                isi,
                _(
                    "Sudah dipakai eksemplar lain di provinsi; diberi awalan sumber — "
                    "label eksemplar ini perlu dicetak ulang."
                ),
                PERINGATAN,
            )
        if diberi:
            self._tolak(
                c,
                f"EXISTS (SELECT 1 FROM katalog_eksemplar x WHERE x.{kolom} = stg_eksemplar.{kolom})",
                label,
                kolom,
                _("Nomor ini tetap bentrok walau sudah diberi awalan sumber."),
            )

    def _nomori_eksemplar(self, c) -> None:
        """Items a source knows only by accession number (MARC 990 $a) get a barcode;
        items with no accession number use their barcode as one."""
        c.execute("SELECT count(*) FROM stg_eksemplar WHERE hasil IS NULL AND barcode IS NULL")
        (jumlah,) = c.fetchone()
        if jumlah:
            self._barcode_bebas(c, jumlah)
            # The n-th item without a barcode (in file order) takes the n-th free number.
            c.execute(
                """
                UPDATE stg_eksemplar e SET barcode = b.barcode FROM (
                    SELECT ke, row_number() OVER (ORDER BY ke) AS urutan FROM stg_eksemplar
                    WHERE hasil IS NULL AND barcode IS NULL
                ) x JOIN stg_barcode b ON b.urutan = x.urutan
                WHERE e.ke = x.ke
                """
            )
        c.execute(
            "UPDATE stg_eksemplar SET nomor_induk = barcode WHERE hasil IS NULL AND nomor_induk IS NULL"
        )
        self._tolak(
            c,
            "EXISTS (SELECT 1 FROM katalog_eksemplar x WHERE x.nomor_induk = stg_eksemplar.nomor_induk)",
            "NoInduk",
            "nomor_induk",
            _("Nomor induk (diambil dari barcode) sudah dipakai eksemplar lain."),
        )

    def _barcode_bebas(self, c, jumlah: int) -> None:
        """stg_barcode: `jumlah` new barcodes numbered 1.. by `urutan`, none of them
        already on an item, in the catalogue or in this import. The counter moves
        by whole blocks; numbers found taken are skipped and another block taken
        for them, as penomoran.alokasikan does one list at a time."""
        impor.buat_staging("stg_barcode", [("urutan", "bigint"), ("barcode", "text")])
        impor.buat_staging("stg_calon_barcode", [("nomor", "bigint"), ("barcode", "text")])
        ada = 0
        while ada < jumlah:
            blok = penomoran.cadangkan("katalog.barcode", jumlah - ada)
            c.execute("TRUNCATE stg_calon_barcode")
            sql = blok.sql("n")
            if sql is not None:
                ekspresi, param = sql
                c.execute(
                    f"INSERT INTO stg_calon_barcode SELECT n, {ekspresi} "
                    "FROM generate_series(%s::bigint, %s::bigint) n",
                    [*param, blok.awal, blok.akhir],
                )
            else:
                impor.salin("stg_calon_barcode", ["nomor", "barcode"], blok.nomor())
            c.execute(
                """
                INSERT INTO stg_barcode (urutan, barcode)
                SELECT %s + row_number() OVER (ORDER BY k.nomor), k.barcode
                FROM stg_calon_barcode k
                WHERE NOT EXISTS (SELECT FROM katalog_eksemplar x WHERE x.barcode = k.barcode)
                  AND NOT EXISTS (SELECT FROM stg_eksemplar e WHERE e.barcode = k.barcode)
                """,
                [ada],
            )
            ada += c.rowcount


__all__ = ["GALAT", "EksemplarMasuk", "PemuatKatalog", "RekamanSiap"]
