"""Loans of an import, set-based: every row of a loan file is COPYed to a staging
table, then matched, checked and merged in a few statements over the whole file.

A row is matched to the loan an earlier import of the same source brought in, else
to its member and item; what it cannot be is rejected with a reason, and the rest
is written with one INSERT … SELECT. The staging table is a TEMP table: a worker
that dies leaves nothing behind, and the merge commits with the rest of the import.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dispusip import impor
from dispusip.impor import PERINGATAN, Sesi
from katalog import services as katalog_services
from sirkulasi.models import Kunjungan, Peminjaman
from sirkulasi.services import kelompok_usia_sql

PINJAM = "peminjaman"
STAGING = "stg_pinjaman"
MASSAL_MINIMUM = 50_000  # new loans from which an import into an empty loan table is a bulk load
KOLOM = [
    ("ke", "bigint"),  # the row's place in the import, for "the first one wins"
    ("tabel", "text"),
    ("berkas", "text"),
    ("nomor", "int"),
    ("id_sumber", "text"),
    ("anggota_sumber", "text"),
    ("eksemplar_sumber", "text"),
    ("nilai_anggota", "text"),
    ("nilai_eksemplar", "text"),
    ("nilai_status", "text"),
    ("dipinjam", "timestamptz"),
    ("tempo", "date"),  # as the source gives it (NULL: none)
    ("tempo_baru", "date"),  # for a new loan: the due date, else the loan's day
    ("kembali", "timestamptz"),  # NULL while the loan is open at the source
    ("anggota_id", "bigint"),
    ("kategori_id", "bigint"),
    ("jenis_kelamin", "text"),
    ("lahir", "date"),
    ("eksemplar_id", "bigint"),
    ("katalog_id", "bigint"),
    ("cabang_id", "bigint"),
    ("lama_id", "bigint"),
    ("id_tujuan", "bigint"),
    ("hasil", "text"),
    ("alasan", "text"),
    ("sidik", "text"),
]
DIBACA = [k for k, _t in KOLOM[:14]]

# The source's member numbers -> member: the number it kept (one this source brought
# in) or an old number kept as an alias. Shared with holds and the guest book.
NOMOR_SUMBER_SQL = """
    SELECT a.nomor, a.id FROM sirkulasi_anggota a JOIN dispusip_petaimpor p
      ON p.id_tujuan = a.id AND p.sumber_id = %(sumber)s AND p.tabel = 'anggota'
    WHERE a.nomor = ANY(%(nomor)s::text[])
    UNION ALL
    SELECT l.nomor, l.anggota_id FROM sirkulasi_nomoranggotalama l
    WHERE l.sumber = %(nama)s AND l.nomor = ANY(%(nomor)s::text[])
"""


def kolom_masalah(tabel: str) -> dict[str, str]:
    """The columns a loan file's problems are reported against, by what went wrong."""
    if tabel == "laporan.peminjaman":
        return {
            "anggota": "Nomor Anggota",
            "eksemplar": "Nomor Induk",
            "status": "Tanggal Dikembalikan",
        }
    return {"anggota": "member_id", "eksemplar": "Collection_id", "status": "LoanStatus"}


def _pesan() -> dict[str, tuple[str, str, str]]:
    """Why a row was not written: (column kind, message, level)."""
    return {
        "anggota": ("anggota", _("Peminjaman menunjuk anggota yang tidak ada."), impor.GALAT),
        "eksemplar": (
            "eksemplar",
            _("Peminjaman menunjuk eksemplar yang tidak ada."),
            impor.GALAT,
        ),
        "dipinjam": ("eksemplar", _("Eksemplar ini sudah dipinjam pada baris lain."), impor.GALAT),
        "sedang_dipinjam": (
            "eksemplar",
            _("Eksemplar ini sedang dipinjam di portal (peminjaman yang sudah ada)."),
            impor.GALAT,
        ),
        "kembali_di_portal": (
            "status",
            _("Sudah dikembalikan di portal; sumber masih mencatatnya dipinjam."),
            PERINGATAN,
        ),
        "tempo_diperpanjang": (
            "status",
            _("Sudah diperpanjang di portal; jatuh tempo dari sumber tidak dipakai."),
            PERINGATAN,
        ),
        "kembali_diperpanjang": (
            "status",
            _("Sudah diperpanjang di portal; pengembalian di sumber perlu diperiksa."),
            PERINGATAN,
        ),
    }


class PemuatPinjaman:
    """Stage the loan rows of an import (`tambah`, per batch as they are read), then
    merge them (`selesaikan`, once)."""

    def __init__(self, sesi: Sesi) -> None:
        self.sesi = sesi
        self.jumlah = 0
        impor.buat_staging(STAGING, KOLOM)

    def tambah(
        self,
        tabel: str,
        berkas: str,
        baris: list[
            tuple[int, str, str, str, str, str, str, datetime, date | None, datetime | None]
        ],
    ) -> None:
        """Rows as (line, source id, member, item, member as written, item as
        written, status as written, loan time, due date or None, return time or None)."""
        awal = self.jumlah
        self.jumlah += impor.salin(
            STAGING,
            DIBACA,
            (
                (awal + n, tabel, berkas, nomor, ids, ang, eks, n_ang, n_eks, st, pinjam,
                 tempo, tempo or timezone.localdate(pinjam), kembali)
                for n, (nomor, ids, ang, eks, n_ang, n_eks, st, pinjam, tempo, kembali)
                in enumerate(baris, start=1)
            ),
        )  # fmt: skip

    def selesaikan(self) -> None:
        if not self.jumlah:
            return
        with connection.cursor() as c:
            c.execute(f"CREATE INDEX ON {STAGING} (tabel, id_sumber)")
            c.execute(f"CREATE INDEX ON {STAGING} (ke)")
            c.execute(f"ANALYZE {STAGING}")
            self._cocokkan_impor_lalu(c)
            self._perbarui(c)
            self._cari_anggota_dan_eksemplar(c)
            self._periksa_baru(c)
            self._simpan_baru(c)
            impor.simpan_peta(self.sesi.sumber, STAGING, "hasil IN ('dibuat', 'diperbarui')")
            self._laporkan(c)

    # --- loans an earlier import brought in ------------------------------------------

    def _cocokkan_impor_lalu(self, c) -> None:
        # A source row repeated in the files counts once: the first.
        c.execute(
            f"""
            UPDATE {STAGING} s SET hasil = 'tetap' FROM (
                SELECT ke, row_number() OVER (PARTITION BY tabel, id_sumber ORDER BY ke) AS u
                FROM {STAGING}
            ) d WHERE d.u > 1 AND s.ke = d.ke
            """
        )
        c.execute(
            f"""
            UPDATE {STAGING} s SET lama_id = p.id_tujuan FROM dispusip_petaimpor p
            WHERE s.hasil IS NULL AND p.sumber_id = %s AND p.tabel = s.tabel
              AND p.id_sumber = s.id_sumber
            """,
            [self.sesi.sumber.pk],
        )
        # What the source says now, against the loan as the portal has it: its
        # return or renewal there is followed, unless the portal returned or
        # renewed the loan itself meanwhile (a conflict to review).
        c.execute(
            f"""
            UPDATE {STAGING} s SET id_tujuan = p.id, eksemplar_id = p.eksemplar_id,
                cabang_id = p.cabang_id, tempo = coalesce(s.tempo, p.jatuh_tempo),
                alasan = CASE
                    WHEN s.kembali IS NULL AND p.status <> 'berjalan' THEN 'kembali_di_portal'
                    WHEN s.kembali IS NULL AND p.jatuh_tempo = coalesce(s.tempo, p.jatuh_tempo)
                        THEN NULL
                    WHEN s.kembali IS NULL AND p.perpanjangan > 0 THEN 'tempo_diperpanjang'
                    WHEN s.kembali IS NOT NULL AND p.status = 'berjalan' AND p.perpanjangan > 0
                        THEN 'kembali_diperpanjang'
                END,
                hasil = CASE
                    WHEN s.kembali IS NULL AND p.status <> 'berjalan' THEN 'konflik'
                    WHEN s.kembali IS NULL AND p.jatuh_tempo = coalesce(s.tempo, p.jatuh_tempo)
                        THEN 'tetap'
                    WHEN s.kembali IS NULL AND p.perpanjangan > 0 THEN 'konflik'
                    WHEN s.kembali IS NULL THEN 'diperbarui'
                    WHEN p.status <> 'berjalan' THEN 'tetap'
                    WHEN p.perpanjangan > 0 THEN 'konflik'
                    ELSE 'diperbarui'
                END
            FROM sirkulasi_peminjaman p WHERE s.hasil IS NULL AND p.id = s.lama_id
            """
        )
        # Mapped, but the loan is gone from the portal (removed since): left so.
        c.execute(
            f"UPDATE {STAGING} SET hasil = 'tetap' WHERE hasil IS NULL AND lama_id IS NOT NULL"
        )

    def _perbarui(self, c) -> None:
        c.execute(
            f"""
            UPDATE sirkulasi_peminjaman p SET
                jatuh_tempo = CASE WHEN s.kembali IS NULL THEN s.tempo ELSE p.jatuh_tempo END,
                status = CASE WHEN s.kembali IS NULL THEN p.status ELSE %s END,
                dikembalikan = coalesce(s.kembali, p.dikembalikan),
                cabang_kembali_id = CASE WHEN s.kembali IS NULL THEN p.cabang_kembali_id
                                         ELSE p.cabang_id END
            FROM {STAGING} s WHERE s.hasil = 'diperbarui' AND p.id = s.id_tujuan
            """,
            [Peminjaman.Status.KEMBALI],
        )
        for potong in self._potongan(c, "hasil = 'diperbarui' AND kembali IS NULL", "tempo"):
            katalog_services.tandai_dipinjam_impor(potong)
        for potong in self._potongan(c, "hasil = 'diperbarui' AND kembali IS NOT NULL"):
            katalog_services.tandai_kembali_impor([e for (e,) in potong])

    # --- new loans -----------------------------------------------------------------

    def _cari_anggota_dan_eksemplar(self, c) -> None:
        sumber = self.sesi.sumber
        # Inlislite's loan table names members and items by their source ids.
        c.execute(
            f"""
            UPDATE {STAGING} s SET anggota_id = a.id, kategori_id = a.kategori_id,
                jenis_kelamin = a.jenis_kelamin, lahir = a.tanggal_lahir
            FROM dispusip_petaimpor p JOIN sirkulasi_anggota a ON a.id = p.id_tujuan
            WHERE s.hasil IS NULL AND s.tabel = 'collectionloanitems' AND p.sumber_id = %s
              AND p.tabel = 'anggota' AND p.id_sumber = s.anggota_sumber
            """,
            [sumber.pk],
        )
        c.execute(
            f"""
            UPDATE {STAGING} s SET eksemplar_id = e.id, katalog_id = e.katalog_id,
                cabang_id = e.cabang_id
            FROM dispusip_petaimpor p JOIN katalog_eksemplar e ON e.id = p.id_tujuan
            WHERE s.hasil IS NULL AND s.tabel = 'collectionloanitems' AND p.sumber_id = %s
              AND p.tabel = 'collections' AND p.id_sumber = s.eksemplar_sumber
            """,
            [sumber.pk],
        )
        # The loan report names them by member number and accession number; either may
        # have been given this source's prefix when it collided.
        for awalan in ("", sumber.awalan):
            c.execute(
                f"""
                UPDATE {STAGING} s SET anggota_id = a.id, kategori_id = a.kategori_id,
                    jenis_kelamin = a.jenis_kelamin, lahir = a.tanggal_lahir
                FROM ({NOMOR_SUMBER_SQL}) m JOIN sirkulasi_anggota a ON a.id = m.id
                WHERE s.hasil IS NULL AND s.tabel = 'laporan.peminjaman'
                  AND s.anggota_id IS NULL AND m.nomor = %(awalan)s || s.anggota_sumber
                """,
                {
                    "sumber": sumber.pk,
                    "nama": sumber.nama,
                    "awalan": awalan,
                    "nomor": self._nilai(c, "anggota_sumber", awalan),
                },
            )
            c.execute(
                f"""
                UPDATE {STAGING} s SET eksemplar_id = e.id, katalog_id = e.katalog_id,
                    cabang_id = e.cabang_id
                FROM katalog_eksemplar e
                WHERE s.hasil IS NULL AND s.tabel = 'laporan.peminjaman'
                  AND s.eksemplar_id IS NULL AND e.nomor_induk = %s || s.eksemplar_sumber
                """,
                [awalan],
            )

    def _nilai(self, c, kolom: str, awalan: str) -> str:
        c.execute(
            f"SELECT DISTINCT %s || {kolom} FROM {STAGING} "
            f"WHERE tabel = 'laporan.peminjaman' AND hasil IS NULL",
            [awalan],
        )
        return impor.larik_pg(n for (n,) in c.fetchall())

    def _periksa_baru(self, c) -> None:
        c.execute(
            f"UPDATE {STAGING} SET hasil = 'ditolak', alasan = 'anggota' "
            "WHERE hasil IS NULL AND anggota_id IS NULL"
        )
        c.execute(
            f"UPDATE {STAGING} SET hasil = 'ditolak', alasan = 'eksemplar' "
            "WHERE hasil IS NULL AND eksemplar_id IS NULL"
        )
        # One open loan per item: the first row lending it, if no one has it now.
        c.execute(
            f"""
            UPDATE {STAGING} s SET hasil = 'ditolak', alasan = 'dipinjam' FROM (
                SELECT ke, row_number() OVER (PARTITION BY eksemplar_id ORDER BY ke) AS u
                FROM {STAGING} WHERE hasil IS NULL AND kembali IS NULL
            ) d WHERE d.u > 1 AND s.ke = d.ke
            """
        )
        c.execute(
            f"""
            UPDATE {STAGING} s SET hasil = 'ditolak', alasan = 'sedang_dipinjam'
            WHERE s.hasil IS NULL AND s.kembali IS NULL AND EXISTS (
                SELECT 1 FROM sirkulasi_peminjaman p
                WHERE p.eksemplar_id = s.eksemplar_id AND p.dikembalikan IS NULL)
            """
        )

    def _simpan_baru(self, c) -> None:
        c.execute(
            f"""
            UPDATE {STAGING} SET hasil = 'dibuat',
                id_tujuan = nextval(pg_get_serial_sequence('sirkulasi_peminjaman', 'id'))
            WHERE hasil IS NULL
            """
        )
        baru = c.rowcount
        with (
            impor.tanpa_indeks(["sirkulasi_peminjaman"]) if self._massal(c, baru) else nullcontext()
        ):
            self._tulis_baru(c)
        syarat = "hasil = 'dibuat' AND kembali IS NULL"
        for potong in self._potongan(c, syarat, "tempo_baru"):
            katalog_services.tandai_dipinjam_impor(potong)

    @staticmethod
    def _massal(c, baru: int) -> bool:
        """A first migration's loan history into an empty loan table: its non-unique
        indexes are built after the rows (impor.tanpa_indeks). Nobody has lent
        anything in the portal yet; a desk that tries during the import waits for it."""
        if baru < MASSAL_MINIMUM:
            return False
        c.execute("SELECT NOT EXISTS (SELECT FROM sirkulasi_peminjaman)")
        return c.fetchone()[0]

    def _tulis_baru(self, c) -> None:
        hari = f"(dipinjam AT TIME ZONE '{settings.TIME_ZONE}')::date"
        c.execute(
            f"""
            INSERT INTO sirkulasi_peminjaman (id, anggota_id, eksemplar_id, katalog_id,
                cabang_id, dipinjam, jatuh_tempo, perpanjangan, dikembalikan,
                cabang_kembali_id, status, alasan_timpa, kategori_anggota_id, kelompok_usia,
                jenis_kelamin, dianonimkan)
            SELECT id_tujuan, anggota_id, eksemplar_id, katalog_id, cabang_id, dipinjam,
                tempo_baru, 0, kembali, CASE WHEN kembali IS NULL THEN NULL ELSE cabang_id END,
                CASE WHEN kembali IS NULL THEN %s ELSE %s END, '', kategori_id,
                {kelompok_usia_sql("lahir", hari)}, coalesce(jenis_kelamin, ''), false
            FROM {STAGING} WHERE hasil = 'dibuat'
            """,
            [Peminjaman.Status.BERJALAN, Peminjaman.Status.KEMBALI],
        )

    def _potongan(self, c, syarat: str, *kolom: str):
        """(item, …) of the staged rows that match, a batch at a time."""
        terakhir = 0
        while True:
            c.execute(
                f"SELECT ke, eksemplar_id{''.join(', ' + k for k in kolom)} FROM {STAGING} "
                f"WHERE {syarat} AND ke > %s ORDER BY ke LIMIT %s",
                [terakhir, impor.UKURAN_BATCH],
            )
            baris = c.fetchall()
            if not baris:
                return
            terakhir = baris[-1][0]
            yield [b[1:] for b in baris]

    # --- the report ---------------------------------------------------------------

    def _laporkan(self, c) -> None:
        c.execute(f"SELECT hasil, count(*) FROM {STAGING} GROUP BY hasil")
        for hasil, n in c.fetchall():
            self.sesi.catat(PINJAM, hasil, n)
        pesan = _pesan()
        c.execute(
            f"""
            SELECT tabel, berkas, nomor, alasan, nilai_anggota, nilai_eksemplar, nilai_status
            FROM {STAGING} WHERE alasan IS NOT NULL ORDER BY ke LIMIT %s
            """,
            [impor.MAKS_MASALAH_TERSIMPAN],
        )
        for tabel, berkas, nomor, alasan, n_anggota, n_eksemplar, n_status in c.fetchall():
            jenis, teks, tingkat = pesan[alasan]
            nilai = {"anggota": n_anggota, "eksemplar": n_eksemplar, "status": n_status}[jenis]
            self.sesi.masalah(berkas, nomor, kolom_masalah(tabel)[jenis], nilai, teks, tingkat)


KUNJUNGAN = "kunjungan"
STAGING_KUNJUNGAN = "stg_kunjungan"
KOLOM_KUNJUNGAN = [
    ("ke", "bigint"),
    ("tabel", "text"),
    ("berkas", "text"),
    ("nomor", "int"),
    ("id_sumber", "text"),
    ("nomor_anggota", "text"),  # as the guest book writes it; '' for a guest
    ("nama", "text"),
    ("jenis_kelamin", "text"),  # as the guest book gives it
    ("waktu", "timestamptz"),
    ("anggota_id", "bigint"),
    ("id_tujuan", "bigint"),
    ("hasil", "text"),
    ("sidik", "text"),
]


class PemuatKunjungan:
    """The guest book (every visit since the library went live), staged and merged
    as the loans are: a visit by a member's number is linked to that member."""

    def __init__(self, sesi: Sesi) -> None:
        self.sesi = sesi
        self.jumlah = 0
        impor.buat_staging(STAGING_KUNJUNGAN, KOLOM_KUNJUNGAN)

    def tambah(self, berkas: str, baris: list[tuple[int, str, str, str, str, datetime]]) -> None:
        """Rows as (line, source id, member number, name, sex, time)."""
        awal = self.jumlah
        self.jumlah += impor.salin(
            STAGING_KUNJUNGAN,
            [k for k, _t in KOLOM_KUNJUNGAN[:9]],
            ((awal + n, "memberguesses", berkas, *isi) for n, isi in enumerate(baris, start=1)),
        )

    def selesaikan(self) -> None:
        if not self.jumlah:
            return
        s, sumber = STAGING_KUNJUNGAN, self.sesi.sumber
        with connection.cursor() as c:
            c.execute(f"CREATE INDEX ON {s} (id_sumber)")
            c.execute(f"ANALYZE {s}")
            c.execute(
                f"""
                UPDATE {s} k SET hasil = 'tetap' FROM (
                    SELECT ke, row_number() OVER (PARTITION BY id_sumber ORDER BY ke) AS u
                    FROM {s}
                ) d WHERE d.u > 1 AND k.ke = d.ke
                """
            )
            c.execute(
                f"""
                UPDATE {s} k SET hasil = 'tetap' FROM dispusip_petaimpor p
                WHERE k.hasil IS NULL AND p.sumber_id = %s AND p.tabel = k.tabel
                  AND p.id_sumber = k.id_sumber
                """,
                [sumber.pk],
            )
            for awalan in ("", sumber.awalan):
                c.execute(
                    f"SELECT DISTINCT %s || nomor_anggota FROM {s} "
                    "WHERE hasil IS NULL AND nomor_anggota <> '' AND anggota_id IS NULL",
                    [awalan],
                )
                nomor = impor.larik_pg(n for (n,) in c.fetchall())
                c.execute(
                    f"""
                    UPDATE {s} k SET anggota_id = m.id FROM ({NOMOR_SUMBER_SQL}) m
                    WHERE k.hasil IS NULL AND k.anggota_id IS NULL
                      AND m.nomor = %(awalan)s || k.nomor_anggota
                    """,
                    {"sumber": sumber.pk, "nama": sumber.nama, "nomor": nomor, "awalan": awalan},
                )
            self._tamu_tanpa_nama(c)
            c.execute(
                f"""
                UPDATE {s} SET hasil = 'dibuat',
                    id_tujuan = nextval(pg_get_serial_sequence('sirkulasi_kunjungan', 'id'))
                WHERE hasil IS NULL
                """
            )
            # What statistics keep of a member's visit: category and sex, from the member.
            c.execute(
                f"""
                INSERT INTO sirkulasi_kunjungan (id, cabang_id, waktu, anggota_id, nama,
                    institusi, tujuan, kategori_anggota_id, jenis_kelamin)
                SELECT k.id_tujuan, %s, k.waktu, k.anggota_id,
                    left(CASE WHEN k.anggota_id IS NULL THEN coalesce(nullif(k.nama, ''),
                                   k.nomor_anggota) ELSE k.nama END, 200), '', %s,
                    a.kategori_id, coalesce(a.jenis_kelamin, k.jenis_kelamin)
                FROM {s} k LEFT JOIN sirkulasi_anggota a ON a.id = k.anggota_id
                WHERE k.hasil = 'dibuat'
                """,
                [self.sesi.cabang.pk, Kunjungan.Tujuan.MEMBACA],
            )
            impor.simpan_peta(sumber, s, "hasil = 'dibuat'")
            c.execute(f"SELECT hasil, count(*) FROM {s} GROUP BY hasil")
            for hasil, n in c.fetchall():
                self.sesi.catat(KUNJUNGAN, hasil, n)

    def _tamu_tanpa_nama(self, c) -> None:
        """A number no member of this source has: the visit is kept under that number,
        with a warning; a row with neither number nor name says nothing, refused."""
        c.execute(
            f"""
            UPDATE {STAGING_KUNJUNGAN} SET hasil = 'ditolak'
            WHERE hasil IS NULL AND anggota_id IS NULL AND nama = '' AND nomor_anggota = ''
            RETURNING berkas, nomor
            """
        )
        for berkas, nomor in sorted(c.fetchall(), key=lambda x: x[1]):
            self.sesi.masalah(
                berkas, nomor, "NoAnggota", "", _("Kunjungan tanpa nomor anggota dan nama.")
            )
        c.execute(
            f"""
            SELECT berkas, nomor, nomor_anggota FROM {STAGING_KUNJUNGAN}
            WHERE hasil IS NULL AND anggota_id IS NULL AND nomor_anggota <> ''
            ORDER BY ke LIMIT %s
            """,
            [impor.MAKS_MASALAH_TERSIMPAN],
        )
        for berkas, nomor, nilai in c.fetchall():
            self.sesi.masalah(
                berkas,
                nomor,
                "NoAnggota",
                nilai,
                _("Nomor anggota tidak dikenal; kunjungan dicatat sebagai tamu dengan nomor ini."),
                PERINGATAN,
            )
