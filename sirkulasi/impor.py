"""Circulation's part of imports: members, then open loans, unpaid fines, open holds
and the visitor log, so service and statistics continue from the first day.

Sources (../shared/reference/inlislite.md §1.2, §1.4, §2.4, §3.3): Inlislite's
`members` table with its lookups (jenis_anggota, master_jenis_identitas,
jenis_kelamin, master_pendidikan, master_pekerjaan, status_anggota), the member
template (49 columns by header, or the older 40-column one with Excel serial
dates), SLiMS member exports (18 or 19 columns), and Inlislite's
collectionloanitems, pelanggaran, bookinglogs and memberguesses.

Members go through a TEMP staging table and set-based SQL like the catalogue.
A member number another source already uses gets a new province number, the
old one kept (with the source's prefix) as an alias that scans; the same person
from another source (same NIK, or same name and birth date) is created and
proposed for merging (UsulanGabung), never merged silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispusip import impor, pembaca, penomoran
from dispusip.audit import catat
from dispusip.impor import BARU, PERINGATAN, BagianPratinjau, LookupBaru, Pengimpor, Sesi
from sirkulasi.models import (
    Anggota,
    Denda,
    JenisIdentitas,
    JenisKelamin,
    KategoriAnggota,
    Reservasi,
    StatusAnggota,
)
from sirkulasi.muat import (
    KUNJUNGAN,
    NOMOR_SUMBER_SQL,
    PINJAM,
    PemuatKunjungan,
    PemuatPinjaman,
)

ANGGOTA, DENDA, RESERVASI = ("anggota", "denda", "reservasi")
LOOKUP = {
    "jenisanggota": "jenis_anggota",
    "masterjenisidentitas": "master_jenis_identitas",
    "jeniskelamin": "jenis_kelamin",
    "masterpendidikan": "master_pendidikan",
    "masterpekerjaan": "master_pekerjaan",
    "statusanggota": "status_anggota",
}
KOLOM_ANGGOTA = [
    ("nomor_baris", "integer"),
    ("berkas", "text"),
    ("tabel", "text"),
    ("id_sumber", "text"),
    ("sidik", "text"),
    ("hasil", "text"),
    ("id_tujuan", "bigint"),
    ("usulan", "bigint"),
    ("alasan", "text"),
    ("alias", "text"),
    ("nomor", "text"),
    ("nama", "text"),
    ("jenis_identitas", "text"),
    ("nomor_identitas", "text"),
    ("tempat_lahir", "text"),
    ("tanggal_lahir", "date"),
    ("jenis_kelamin", "text"),
    ("alamat", "text"),
    ("telepon", "text"),
    ("email", "text"),
    ("pekerjaan", "text"),
    ("pendidikan", "text"),
    ("institusi", "text"),
    ("kategori_id", "bigint"),
    ("unit_id", "bigint"),
    ("cabang_id", "bigint"),
    ("terdaftar", "date"),
    ("berlaku_sampai", "date"),
    ("status", "text"),
]
DATA = [k for k, _t in KOLOM_ANGGOTA[10:]]

# The columns read from each table kind that is read by its header: the preview
# shows them against the file's header, and a test checks the readers ask for no
# other. A reader tries several names for one value (Inlislite versions differ).
KOLOM_DIBACA = {
    "members": [
        "id", "memberno", "fullname", "placeofbirth", "dateofbirth", "address", "addressnow",
        "kelurahan", "kecamatan", "city", "nohp", "phone", "email", "identitytypeid",
        "identityno", "sexid", "educationlevelid", "jobid", "jenisanggotaid",
        "statusanggotaid", "institutionname", "registerdate", "enddate",
    ],
    "template_anggota": [
        "noanggota", "nama", "tempatlahir", "tanggallahir", "jeniskelamin", "jenisidentitas",
        "noidentitas", "alamat", "alamatsesuaiktp", "alamattempattinggalsekarang", "nohp",
        "notelprumah", "alamatemail", "pekerjaan", "pendidikanterakhir", "namainstitusi",
        "jenisanggota", "statusanggota", "tanggalpendaftaran", "tanggalakhirberlaku",
        "tanggalberlakuakhir",
    ],
    "laporan_anggota": [
        "tanggal", "nomeranggota", "anggota", "jeniskelamin", "tempattanggallahir",
        "jenisidentitas", "nomeridentitas", "alamat", "kabupatenkota", "telepon", "email",
        "jenisanggota", "pekerjaan", "pendidikan", "statuskeanggotaan", "tanggalakhirberlaku",
    ],
    "laporan_peminjaman": [
        "tanggalpinjam", "tanggaljatuhtempo", "tanggaldikembalikan", "nomorinduk",
        "nomoranggota",
    ],
    "collectionloanitems": [
        "id", "loandate", "duedate", "actualreturn", "loanstatus", "collectionid", "memberid",
    ],
    "collectionloans": (),
    "collectionloanextends": (),
    "pelanggaran": ["id", "collectionloanitemid", "jumlahdenda", "paid", "memberid"],
    "bookinglogs": ["memberid", "collectionid", "bookingdate", "bookingexpired"],
    "memberguesses": ["id", "noanggota", "nama", "jeniskelaminid", "createdate"],
    **dict.fromkeys(LOOKUP.values(), ("id", "jenisanggota", "nama", "name", "pekerjaan")),
}  # fmt: skip


k = impor.kunci_kolom
id_bersih = impor.id_bersih
_baris = impor.baris_berkunci
_stem = impor.nama_tabel


# --- values ----------------------------------------------------------------------------


def jenis_identitas(nama: str, nomor: str) -> str:
    n = (nama or "").casefold()
    if "pelajar" in n or "siswa" in n:
        return JenisIdentitas.KARTU_PELAJAR
    if "mahasiswa" in n:
        return JenisIdentitas.KARTU_MAHASISWA
    if "keluarga" in n or n == "kk":
        return JenisIdentitas.KK
    if "sim" in n.split():
        return JenisIdentitas.SIM
    if "paspor" in n or "passport" in n:
        return JenisIdentitas.PASPOR
    if "ktp" in n or "nik" in n or (not n and re.fullmatch(r"\d{16}", nomor or "")):
        return JenisIdentitas.KTP
    return JenisIdentitas.LAINNYA


def jenis_kelamin(nilai: str, *, slims: bool = False) -> str:
    n = (nilai or "").strip().casefold()
    if slims:
        return {"1": JenisKelamin.LAKI_LAKI, "0": JenisKelamin.PEREMPUAN}.get(n, "")
    if n in ("1", "l", "m") or n.startswith(("laki", "pria", "male")):
        return JenisKelamin.LAKI_LAKI
    if n in ("2", "p", "f") or n.startswith(("perempuan", "wanita", "female")):
        return JenisKelamin.PEREMPUAN
    return ""


def status_anggota(nilai: str) -> str:
    n = (nilai or "").casefold()
    if any(x in n for x in ("blokir", "tangguh", "tidak", "non", "suspend", "inactive")):
        return StatusAnggota.DITANGGUHKAN
    return StatusAnggota.AKTIF


class Pemeta:
    """Member categories as mapped in the preview; lookups of Inlislite's id columns."""

    def __init__(self, sesi: Sesi) -> None:
        self.sesi = sesi
        self.kategori = impor.PetaRujukan(
            sesi, "kategori_anggota", KategoriAnggota, _("Jenis anggota")
        )
        self.per_pk = {x.pk: x for x in KategoriAnggota.objects.all()}
        self.umum = (
            KategoriAnggota.objects.filter(kode="umum").first()
            or next(iter(self.per_pk.values()), None)
            or KategoriAnggota.objects.create(kode="umum", nama=_("Umum"))
        )
        self.nama = {t: {} for t in LOOKUP.values()}
        for tabel in self.nama:
            for b in sesi.tabel(tabel):
                for _n, r in _baris(b):
                    nilai = next(
                        (r[c] for c in ("jenisanggota", "nama", "name", "pekerjaan") if r.get(c)),
                        "",
                    )
                    self.nama[tabel][id_bersih(r.get("id", ""))] = nilai

    def lookup(self, tabel: str, nilai: str) -> str:
        return self.nama[tabel].get(id_bersih(nilai), "") if nilai else ""

    def id_kategori(self, nama: str, berkas: str = "", nomor: int = 0) -> KategoriAnggota:
        pk = self.kategori.id(nama, berkas, nomor)
        if pk is None:
            return self.umum
        if pk not in self.per_pk:
            # Looked up once per value, not once per member row.
            self.per_pk[pk] = KategoriAnggota.objects.get(pk=pk)
        return self.per_pk[pk]


# --- readers ---------------------------------------------------------------------------


_tanggal = impor.tanggal


def _waktu(sesi, berkas, nomor, kolom, nilai) -> datetime | None:
    hari = _tanggal(sesi, berkas, nomor, kolom, nilai)
    if hari is None:
        return None
    jam = re.search(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", nilai or "")
    t = time(int(jam[1]), int(jam[2]), int(jam[3] or 0)) if jam else time(9, 0)
    return timezone.make_aware(datetime.combine(hari, t))


def _anggota_inlislite(sesi: Sesi, p: Pemeta, b, nomor: int, r: dict) -> dict:
    identitas = r.get("identityno", "")
    return {
        "id_sumber": id_bersih(r.get("id", "")) or r.get("memberno", ""),
        "nomor": r.get("memberno", ""),
        "nama": r.get("fullname", ""),
        "jenis_identitas": jenis_identitas(
            p.lookup("master_jenis_identitas", r.get("identitytypeid", "")), identitas
        ),
        "nomor_identitas": identitas,
        "tempat_lahir": r.get("placeofbirth", ""),
        "tanggal_lahir": _tanggal(sesi, b.nama, nomor, "DateOfBirth", r.get("dateofbirth", "")),
        "jenis_kelamin": jenis_kelamin(
            p.lookup("jenis_kelamin", r.get("sexid", "")) or r.get("sexid", "")
        ),
        "alamat": ", ".join(
            x
            for x in (
                r.get("addressnow") or r.get("address", ""),
                r.get("kelurahan", ""),
                r.get("kecamatan", ""),
                r.get("city", ""),
            )
            if x
        ),
        "telepon": r.get("nohp") or r.get("phone", ""),
        "email": r.get("email", ""),
        "pekerjaan": p.lookup("master_pekerjaan", r.get("jobid", "")),
        "pendidikan": p.lookup("master_pendidikan", r.get("educationlevelid", "")),
        "institusi": r.get("institutionname", ""),
        "kategori": p.lookup("jenis_anggota", r.get("jenisanggotaid", "")),
        "terdaftar": _tanggal(sesi, b.nama, nomor, "RegisterDate", r.get("registerdate", "")),
        "berlaku_sampai": _tanggal(sesi, b.nama, nomor, "EndDate", r.get("enddate", "")),
        "status": status_anggota(p.lookup("status_anggota", r.get("statusanggotaid", ""))),
        "data": r,
    }


def _anggota_template(sesi: Sesi, b, nomor: int, r: dict) -> dict:
    """Inlislite's member template: 49 columns, or the older 40 (Excel serial dates)."""
    identitas = r.get("noidentitas", "")
    alamat = r.get("alamattempattinggalsekarang") or r.get("alamatsesuaiktp") or r.get("alamat", "")
    return {
        "id_sumber": r.get("noanggota", ""),
        "nomor": r.get("noanggota", ""),
        "nama": r.get("nama", ""),
        "jenis_identitas": jenis_identitas(r.get("jenisidentitas", ""), identitas),
        "nomor_identitas": identitas,
        "tempat_lahir": r.get("tempatlahir", ""),
        "tanggal_lahir": _tanggal(sesi, b.nama, nomor, "TANGGAL LAHIR", r.get("tanggallahir", "")),
        "jenis_kelamin": jenis_kelamin(r.get("jeniskelamin", "")),
        "alamat": alamat,
        "telepon": r.get("nohp") or r.get("notelprumah", ""),
        "email": r.get("alamatemail", ""),
        "pekerjaan": r.get("pekerjaan", ""),
        "pendidikan": r.get("pendidikanterakhir", ""),
        "institusi": r.get("namainstitusi", ""),
        "kategori": r.get("jenisanggota", ""),
        "terdaftar": _tanggal(
            sesi, b.nama, nomor, "TANGGAL PENDAFTARAN", r.get("tanggalpendaftaran", "")
        ),
        "berlaku_sampai": _tanggal(
            sesi,
            b.nama,
            nomor,
            "TANGGAL AKHIR BERLAKU",
            r.get("tanggalakhirberlaku") or r.get("tanggalberlakuakhir", ""),
        ),
        "status": status_anggota(r.get("statusanggota", "")),
        "data": r,
    }


LAPORAN_ANGGOTA = ("nomeranggota", "anggota")
LAPORAN_PINJAM = ("tanggalpinjam", "nomorinduk", "nomoranggota")


def _anggota_laporan(sesi: Sesi, b, nomor: int, r: dict) -> dict:
    """Inlislite's "Anggota" report (HTML saved as .xls): "Tempat & Tanggal Lahir" is
    "Jakarta & 12-07-2001", "Tanggal Akhir Berlaku" like "15-Maret-2025"."""
    tempat, _dan, lahir = r.get("tempattanggallahir", "").rpartition("&")
    identitas = r.get("nomeridentitas", "")
    return {
        "id_sumber": r["nomeranggota"],
        "nomor": r["nomeranggota"],
        "nama": r.get("anggota", ""),
        "jenis_identitas": jenis_identitas(r.get("jenisidentitas", ""), identitas),
        "nomor_identitas": identitas,
        "tempat_lahir": tempat.strip(),
        "tanggal_lahir": _tanggal(sesi, b.nama, nomor, "Tempat & Tanggal Lahir", lahir.strip()),
        "jenis_kelamin": jenis_kelamin(r.get("jeniskelamin", "")),
        "alamat": ", ".join(x for x in (r.get("alamat", ""), r.get("kabupatenkota", "")) if x),
        "telepon": r.get("telepon", ""),
        "email": r.get("email", ""),
        "pekerjaan": r.get("pekerjaan", ""),
        "pendidikan": r.get("pendidikan", ""),
        "institusi": "",
        "kategori": r.get("jenisanggota", ""),
        "terdaftar": _tanggal(sesi, b.nama, nomor, "Tanggal", r.get("tanggal", "")),
        "berlaku_sampai": _tanggal(
            sesi, b.nama, nomor, "Tanggal Akhir Berlaku", r.get("tanggalakhirberlaku", "")
        ),
        "status": status_anggota(r.get("statuskeanggotaan", "")),
        "data": r,
    }


SLIMS_ANGGOTA = (
    "member_id",
    "member_name",
    "gender",
    "member_type_name",
    "member_email",
    "member_address",
    "postal_code",
    "inst_name",
    "is_new",
    "member_image",
    "pin",
    "member_phone",
    "member_fax",
    "member_since_date",
    "register_date",
    "expire_date",
    "birth_date",
    "member_notes",
)


def _anggota_slims(sesi: Sesi, b, nomor: int, isi: list[str]) -> dict:
    r = dict(zip(SLIMS_ANGGOTA, [*isi, *[""] * 18][:18], strict=True))
    return {
        "id_sumber": r["member_id"],
        "nomor": r["member_id"],
        "nama": r["member_name"],
        "jenis_identitas": jenis_identitas("", r["pin"]),
        "nomor_identitas": r["pin"],
        "tempat_lahir": "",
        "tanggal_lahir": _tanggal(sesi, b.nama, nomor, "birth_date", r["birth_date"]),
        "jenis_kelamin": jenis_kelamin(r["gender"], slims=True),
        "alamat": r["member_address"],
        "telepon": r["member_phone"],
        "email": r["member_email"],
        "pekerjaan": "",
        "pendidikan": "",
        "institusi": r["inst_name"],
        "kategori": r["member_type_name"],
        "terdaftar": _tanggal(sesi, b.nama, nomor, "register_date", r["register_date"]),
        "berlaku_sampai": _tanggal(sesi, b.nama, nomor, "expire_date", r["expire_date"]),
        "status": StatusAnggota.AKTIF,
        "data": r,  # the password column (19th), if any, is never read
    }


# --- the importer ----------------------------------------------------------------------


class PengimporSirkulasi(Pengimpor):
    kode = "sirkulasi"
    urutan = 20  # after the catalogue: loans point at its items
    izin = "sirkulasi.add_anggota"
    entitas = {
        ANGGOTA: gettext_lazy("Anggota"),
        PINJAM: gettext_lazy("Peminjaman"),
        DENDA: gettext_lazy("Denda belum dibayar"),
        RESERVASI: gettext_lazy("Reservasi"),
        KUNJUNGAN: gettext_lazy("Kunjungan (buku tamu)"),
    }
    FORMAT = {
        "members": "inlislite-tabel",
        **{v: "inlislite-tabel" for v in LOOKUP.values()},
        "collectionloanitems": "inlislite-tabel",
        "collectionloans": "inlislite-tabel",
        "collectionloanextends": "inlislite-tabel",
        "pelanggaran": "inlislite-tabel",
        "bookinglogs": "inlislite-tabel",
        "memberguesses": "inlislite-tabel",
        "template_anggota": "inlislite-template",
        "slims.member": "slims",
        "laporan_anggota": "inlislite-template",
        "laporan_peminjaman": "inlislite-template",
    }
    tabel = tuple(FORMAT)
    TABEL_ANGGOTA = ("members", "template_anggota", "slims.member", "laporan_anggota")

    def kolom(self, tabel: str) -> Sequence[str] | None:
        return KOLOM_DIBACA.get(tabel)

    def format_tabel(self, tabel: str) -> str:
        return self.FORMAT[tabel]

    def kenali(self, berkas: pembaca.BerkasMasuk, kepala: list[list[str]]) -> str:
        if not kepala:
            return ""
        h = {k(c) for c in kepala[0]}
        if {"memberno", "fullname"} <= h:
            return "members"
        if {"noanggota", "nama", "jenisanggota"} <= h:
            return "template_anggota"
        if {"memberid", "membername"} <= h:
            return "slims.member"
        baris = [{k(c) for c in row} for row in kepala]
        if any({"nomeranggota", "anggota", "jenisanggota"} <= r for r in baris):
            return "laporan_anggota"
        if any({"tanggalpinjam", "nomorinduk", "nomoranggota"} <= r for r in baris):
            return "laporan_peminjaman"
        if {"collectionloanid", "loandate", "collectionid"} <= h:
            return "collectionloanitems"
        if {"collectioncount", "loancount", "memberid"} <= h:
            return "collectionloans"
        if {"collectionloanitemid", "dateextend", "duedateextend"} <= h:
            return "collectionloanextends"
        if {"jumlahdenda", "paid"} <= h:
            return "pelanggaran"
        if {"memberid", "collectionid", "bookingdate"} <= h:
            return "bookinglogs"
        if {"noanggota", "nama"} <= h and "memberguess" in _stem(berkas.nama):
            return "memberguesses"
        stem = _stem(berkas.nama)
        for akhir, tabel in LOOKUP.items():
            if stem.endswith(akhir) and "id" in h:
                return tabel
        if "member" in stem and len(kepala[0]) in (18, 19):
            return "slims.member"
        return ""

    # --- preview ----------------------------------------------------------------

    def _anggota(self, sesi: Sesi, p: Pemeta) -> Iterator[tuple[str, int, dict]]:
        for b in sesi.tabel("members"):
            for nomor, r in _baris(b):
                yield b.nama, nomor, _anggota_inlislite(sesi, p, b, nomor, r)
        for b in sesi.tabel("template_anggota"):
            for nomor, r in _baris(b):
                yield b.nama, nomor, _anggota_template(sesi, b, nomor, r)
        for b in sesi.tabel("laporan_anggota"):
            for nomor, r in _baris(b, LAPORAN_ANGGOTA):
                if r.get("nomeranggota"):
                    yield b.nama, nomor, _anggota_laporan(sesi, b, nomor, r)
        for b in sesi.tabel("slims.member"):
            for nomor, isi in enumerate(b.baris(), start=1):
                if not any(x.strip() for x in isi) or (
                    nomor == 1 and "memberid" in {k(x) for x in isi}
                ):
                    continue
                yield b.nama, nomor, _anggota_slims(sesi, b, nomor, [x.strip() for x in isi])

    def pratinjau(self, sesi: Sesi) -> list[BagianPratinjau]:
        if not sesi.ada(*self.TABEL_ANGGOTA):
            return []
        p = Pemeta(sesi)
        contoh = []
        for _berkas, _nomor, a in self._anggota(sesi, p):
            contoh.append(
                [
                    a["nomor"],
                    a["nama"],
                    a["jenis_identitas"],
                    a["nomor_identitas"],
                    a["tanggal_lahir"] or "",
                    a["kategori"],
                    a["berlaku_sampai"] or "",
                ]
            )
            if len(contoh) >= 5:
                break
        return [
            BagianPratinjau(
                judul=str(self.entitas[ANGGOTA]),
                berkas="",
                kepala=[
                    _("Nomor"),
                    _("Nama"),
                    _("Identitas"),
                    _("Nomor identitas"),
                    _("Tanggal lahir"),
                    _("Kategori"),
                    _("Berlaku sampai"),
                ],
                contoh=contoh,
            )
        ]

    def lookup(self, sesi: Sesi) -> list[LookupBaru]:
        if not sesi.ada(*self.TABEL_ANGGOTA):
            return []
        p = Pemeta(sesi)
        jumlah = Counter(a["kategori"] for _b, _n, a in self._anggota(sesi, p) if a["kategori"])
        pilihan = [(str(x.pk), x.nama) for x in KategoriAnggota.objects.all()]
        return [
            LookupBaru("kategori_anggota", _("Kategori anggota"), nama, n, pilihan, saran=BARU)
            for nama, n in sorted(jumlah.items())
            if nama.casefold() not in p.kategori.per_nama
        ]

    # --- run --------------------------------------------------------------------

    def jalankan(self, sesi: Sesi) -> None:
        p = Pemeta(sesi)
        if sesi.ada(*self.TABEL_ANGGOTA):
            sesi.tahap(1, 2, _("Membaca anggota…"))
            MuatAnggota(sesi, p).jalankan(self._anggota(sesi, p))
        sesi.tahap(2, 2, _("Membaca peminjaman, denda, reservasi, dan kunjungan…"))
        for tabel in ("collectionloans", "collectionloanextends"):
            for b in sesi.tabel(tabel):
                # Recognised, so a whole database export goes in without "unknown file"
                # errors; what they hold is already in collectionloanitems.
                sesi.masalah(
                    b.nama,
                    0,
                    "",
                    tabel,
                    _(
                        "Tabel %(t)s dikenali tetapi tidak diperlukan: peminjaman, jatuh tempo, "
                        "dan pengembalian dibaca dari collectionloanitems."
                    )
                    % {"t": tabel},
                    PERINGATAN,
                )
        _pinjaman(sesi)
        for b in sesi.tabel("pelanggaran"):
            _denda(sesi, b)
        for b in sesi.tabel("bookinglogs"):
            _reservasi(sesi, b)
        _kunjungan(sesi)


# --- members: staged and merged --------------------------------------------------------


class MuatAnggota:
    def __init__(self, sesi: Sesi, pemeta: Pemeta) -> None:
        self.sesi, self.pemeta = sesi, pemeta
        impor.buat_staging("stg_anggota", KOLOM_ANGGOTA)
        with connection.cursor() as c:
            # Which source ids and member numbers this import has staged is asked of
            # the staging table, batch by batch, not kept in memory: the importing
            # process stays the same size whatever the size of the file.
            c.execute("CREATE INDEX ON stg_anggota (id_sumber)")
            c.execute("CREATE INDEX ON stg_anggota (nomor)")

    def jalankan(self, baris: Iterator[tuple[str, int, dict]]) -> None:
        n = 0
        total = sum(
            b.perkiraan_baris()
            for b in self.sesi.berkas
            if b.tabel in PengimporSirkulasi.TABEL_ANGGOTA
        )
        for batch in impor.per_batch(baris):
            impor.salin("stg_anggota", [k for k, _t in KOLOM_ANGGOTA], self._batch(batch))
            if not n:
                # Statistics of the first batch keep the next batches' lookups index
                # scans as the table grows (see katalog.muat).
                with connection.cursor() as c:
                    c.execute("ANALYZE stg_anggota (id_sumber, nomor)")
            n += len(batch)
            self.sesi.maju(n, total, _("%(n)s anggota dibaca…") % {"n": f"{n:,}".replace(",", ".")})
        self._gabungkan()

    def _batch(self, batch: list[tuple[str, int, dict]]) -> list[list]:
        sesi = self.sesi
        sah = []
        dilihat = self._sudah_dipentaskan(batch)
        for berkas, nomor, a in batch:
            kunci = a["id_sumber"]
            if not a["nama"]:
                sesi.masalah(
                    berkas, nomor, "NAMA", "", _("Nama anggota kosong; baris tidak diimpor.")
                )
                sesi.catat(ANGGOTA, "ditolak")
                continue
            if not kunci or kunci in dilihat:
                sesi.masalah(
                    berkas,
                    nomor,
                    "NO ANGGOTA",
                    kunci,
                    _("Nomor anggota kosong atau muncul dua kali dalam berkas."),
                )
                sesi.catat(ANGGOTA, "ditolak")
                continue
            dilihat.add(kunci)
            if a["jenis_identitas"] in (JenisIdentitas.KTP, JenisIdentitas.KK) and not re.fullmatch(
                r"\d{16}", a["nomor_identitas"]
            ):
                sesi.masalah(
                    berkas,
                    nomor,
                    "NO. IDENTITAS",
                    a["nomor_identitas"],
                    _("NIK harus 16 angka; disimpan sebagai identitas lain."),
                    PERINGATAN,
                )
                a["jenis_identitas"] = JenisIdentitas.LAINNYA
            sah.append((berkas, nomor, a))
        peta = _peta_batch(sesi, "anggota", [a["id_sumber"] for _b, _n, a in sah])
        dipakai = self._nomor_terpakai([a["nomor"] for _b, _n, a in sah])
        nik = self._sama(sah)
        hasil, perlu_nomor = [], []
        for berkas, nomor, a in sah:
            kategori = self.pemeta.id_kategori(a["kategori"], berkas, nomor)
            a["kategori_id"] = kategori.pk
            a["cabang_id"], a["unit_id"] = sesi.cabang.pk, sesi.cabang.unit_id
            a["terdaftar"] = a["terdaftar"] or timezone.localdate()
            a["berlaku_sampai"] = a["berlaku_sampai"] or (
                a["terdaftar"] + timedelta(days=30 * kategori.masa_berlaku_bulan)
            )
            sidik = impor.sidik(a["data"])
            lama = peta.get(a["id_sumber"])
            baris = [nomor, berkas, "anggota", a["id_sumber"], sidik]
            if lama is not None:
                id_tujuan, sidik_lama, diimpor, diubah = lama
                status = (
                    "tetap"
                    if sidik_lama == sidik
                    else ("konflik" if diubah > diimpor else "diperbarui")
                )
                hasil.append([*baris, status, id_tujuan, None, None, None, *self._data(a)])
                continue
            alias = None
            if a["nomor"] in dipakai or not a["nomor"]:
                perlu_nomor.append(len(hasil))
                alias = f"{sesi.sumber.awalan}{a['nomor']}"[:50] if a["nomor"] else None
            dipakai.add(a["nomor"])
            usulan, alasan = nik.get(a["id_sumber"], (None, None))
            if usulan is not None and alasan == "nik":
                # The identity number is unique in the province: kept off the new row
                # until staff decide (merging fills it back in).
                a["nomor_identitas"] = ""
            hasil.append([*baris, "dibuat", None, usulan, alasan, alias, *self._data(a)])
        if perlu_nomor:
            baru = penomoran.alokasikan(
                "sirkulasi.nomor_anggota",
                jumlah=len(perlu_nomor),
                terpakai=lambda c: Anggota.objects.filter(nomor__in=c).values_list(
                    "nomor", flat=True
                ),
            )
            posisi = [k for k, _t in KOLOM_ANGGOTA].index("nomor")
            for i, nomor_baru in zip(perlu_nomor, baru, strict=True):
                lama_nomor = hasil[i][posisi]
                hasil[i][posisi] = nomor_baru
                if hasil[i][9]:
                    sesi.masalah(
                        hasil[i][1],
                        hasil[i][0],
                        "NO ANGGOTA",
                        lama_nomor,
                        _(
                            "Nomor ini sudah dipakai anggota lain di provinsi: diberi nomor baru "
                            "%(b)s; nomor lama tetap dapat dipindai sebagai %(a)s."
                        )
                        % {"b": nomor_baru, "a": hasil[i][9]},
                        PERINGATAN,
                    )
        return hasil

    @staticmethod
    def _data(a: dict) -> list:
        return [
            a["nomor"][:50],
            a["nama"][:200],
            a["jenis_identitas"],
            a["nomor_identitas"][:50],
            a["tempat_lahir"][:100],
            a["tanggal_lahir"],
            a["jenis_kelamin"],
            a["alamat"],
            a["telepon"][:40],
            a["email"][:254] if "@" in a["email"] else "",
            a["pekerjaan"][:100],
            a["pendidikan"][:100],
            a["institusi"][:200],
            a["kategori_id"],
            a["unit_id"],
            a["cabang_id"],
            a["terdaftar"],
            a["berlaku_sampai"],
            a["status"],
        ]

    @staticmethod
    def _sudah_dipentaskan(batch: list[tuple[str, int, dict]]) -> set[str]:
        """The source ids of this batch that earlier batches staged."""
        with connection.cursor() as c:
            c.execute(
                "SELECT id_sumber FROM stg_anggota WHERE id_sumber = ANY(%s::text[])",
                [impor.larik_pg({a["id_sumber"] for _b, _n, a in batch})],
            )
            return {n for (n,) in c.fetchall()}

    @staticmethod
    def _nomor_terpakai(nomor: list[str]) -> set[str]:
        """Which of these numbers the province, its aliases or this import's earlier
        batches (as staged, new numbers included) already use."""
        larik = impor.larik_pg(set(nomor))
        with connection.cursor() as c:
            c.execute(
                "SELECT nomor FROM sirkulasi_anggota WHERE nomor = ANY(%s::text[]) UNION "
                "SELECT nomor FROM sirkulasi_nomoranggotalama WHERE nomor = ANY(%s::text[]) "
                "UNION SELECT nomor FROM stg_anggota WHERE nomor = ANY(%s::text[])",
                [larik, larik, larik],
            )
            return {n for (n,) in c.fetchall()}

    def _sama(self, sah: list) -> dict[str, tuple[int, str]]:
        """Members already in the province who are probably the same person."""
        nik = [a["nomor_identitas"] for _b, _n, a in sah if a["nomor_identitas"]]
        lahir = [
            (a["nama"].casefold(), a["tanggal_lahir"]) for _b, _n, a in sah if a["tanggal_lahir"]
        ]
        with connection.cursor() as c:
            c.execute(
                "SELECT nomor_identitas, min(id) FROM sirkulasi_anggota "
                "WHERE nomor_identitas = ANY(%s::text[]) GROUP BY 1",
                [impor.larik_pg(nik)],
            )
            per_nik = dict(c.fetchall())
            c.execute(
                "SELECT lower(nama), tanggal_lahir, min(id) FROM sirkulasi_anggota "
                "WHERE (lower(nama), tanggal_lahir) IN (SELECT * FROM unnest(%s::text[], %s::date[])) "
                "GROUP BY 1, 2",
                [[x[0] for x in lahir], [x[1] for x in lahir]],
            )
            per_lahir = {(n, t): pk for n, t, pk in c.fetchall()}
        hasil = {}
        for _b, _n, a in sah:
            if a["nomor_identitas"] in per_nik:
                hasil[a["id_sumber"]] = (per_nik[a["nomor_identitas"]], "nik")
            elif (a["nama"].casefold(), a["tanggal_lahir"]) in per_lahir:
                hasil[a["id_sumber"]] = (
                    per_lahir[(a["nama"].casefold(), a["tanggal_lahir"])],
                    "lahir",
                )
        return hasil

    def _gabungkan(self) -> None:
        sesi = self.sesi
        kolom = ", ".join(DATA)
        with connection.cursor() as c:
            c.execute(
                "UPDATE stg_anggota SET id_tujuan = nextval(pg_get_serial_sequence("
                "'sirkulasi_anggota', 'id')) WHERE hasil = 'dibuat'"
            )
            c.execute(
                f"""
                INSERT INTO sirkulasi_anggota (id, {kolom}, alasan_status, foto, dibuat, diubah)
                SELECT id_tujuan, {kolom}, '', '', now(), now() FROM stg_anggota WHERE hasil = 'dibuat'
                """
            )
            c.execute(
                f"""
                UPDATE sirkulasi_anggota x SET
                    {", ".join(f"{d} = s.{d}" for d in DATA if d not in ("nomor", "unit_id", "cabang_id", "status"))},
                    diubah = now()
                FROM stg_anggota s WHERE s.hasil = 'diperbarui' AND x.id = s.id_tujuan
                """
            )
            c.execute(
                """
                INSERT INTO sirkulasi_nomoranggotalama (anggota_id, nomor, sumber)
                SELECT id_tujuan, alias, %s FROM stg_anggota
                WHERE hasil = 'dibuat' AND alias IS NOT NULL ON CONFLICT (nomor) DO NOTHING
                """,
                [sesi.sumber.nama],
            )
            c.execute(
                """
                INSERT INTO sirkulasi_usulangabung (anggota_id, kandidat_id, alasan, sumber, status, dibuat)
                SELECT id_tujuan, usulan, CASE alasan WHEN 'nik' THEN %s ELSE %s END, %s,
                       'menunggu', now()
                FROM stg_anggota WHERE hasil = 'dibuat' AND usulan IS NOT NULL
                ON CONFLICT DO NOTHING
                RETURNING anggota_id
                """,
                [_("NIK sama"), _("Nama dan tanggal lahir sama"), sesi.sumber.nama],
            )
            impor.simpan_peta(sesi.sumber, "stg_anggota", "hasil IN ('dibuat', 'diperbarui')")
            c.execute("SELECT hasil, count(*) FROM stg_anggota GROUP BY 1")
            for hasil, n in c.fetchall():
                sesi.catat(ANGGOTA, hasil, n)
            c.execute(
                "SELECT nomor_baris, berkas, id_sumber, alasan FROM stg_anggota "
                "WHERE usulan IS NOT NULL AND hasil = 'dibuat' ORDER BY nomor_baris LIMIT 10000"
            )
            for nomor, berkas, id_sumber, alasan in c.fetchall():
                sesi.masalah(
                    berkas,
                    nomor,
                    "NO. IDENTITAS" if alasan == "nik" else "NAMA",
                    id_sumber,
                    _(
                        "Mungkin orang yang sama dengan anggota yang sudah ada; diusulkan untuk "
                        "digabung (Sirkulasi → Usulan gabung anggota)."
                    ),
                    PERINGATAN,
                )
            c.execute(
                "SELECT nomor_baris, berkas, id_sumber FROM stg_anggota WHERE hasil = 'konflik' "
                "ORDER BY nomor_baris LIMIT 10000"
            )
            for nomor, berkas, id_sumber in c.fetchall():
                sesi.masalah(
                    berkas,
                    nomor,
                    "ID",
                    id_sumber,
                    _("Anggota ini diubah di portal sejak impor terakhir; tidak ditimpa."),
                    PERINGATAN,
                )
        catat(
            aksi="sirkulasi.impor_anggota",
            oleh=sesi.oleh,
            objek=sesi.sumber,
            sesudah={k: v for k, v in sesi.jumlah.get(ANGGOTA, {}).items() if v},
        )


# --- loans, fines, holds, visitors -----------------------------------------------------
# A source's history can hold millions of loans and visits: each file is read in
# batches, each batch asks the database for the members, items and earlier imports it
# names, and is written before the next is read, so memory stays the same whatever the
# size of the file or of the source.


def _peta_batch(sesi: Sesi, tabel: str, ids: list[str]) -> dict[str, tuple]:
    with connection.cursor() as c:
        c.execute(
            """
            SELECT p.id_sumber, a.id, p.sidik, p.diimpor, a.diubah
            FROM dispusip_petaimpor p JOIN sirkulasi_anggota a ON a.id = p.id_tujuan
            WHERE p.sumber_id = %s AND p.tabel = %s AND p.id_sumber = ANY(%s::text[])
            """,
            [sesi.sumber.pk, tabel, impor.larik_pg(ids)],
        )
        return {r[0]: r[1:] for r in c.fetchall()}


def _per_batch(sesi: Sesi, b, penanda: tuple[str, ...] = ()) -> Iterator[list[tuple[int, dict]]]:
    # Reading a file fills the first half of the step's bar; matching and merging
    # what was read, the rest.
    total, n = 2 * max(1, b.perkiraan_baris()), 0
    for batch in impor.per_batch(_baris(b, penanda)):
        yield batch
        n += len(batch)
        sesi.maju(
            n,
            total,
            _("%(berkas)s: %(n)s baris dibaca…")
            % {"berkas": b.nama, "n": f"{n:,}".replace(",", ".")},
        )


def _peta_ids(sesi: Sesi, tabel: str, ids: set[str]) -> dict[str, int]:
    """Source id -> portal row, for the ids given of what this source brought in."""
    with connection.cursor() as c:
        c.execute(
            "SELECT id_sumber, id_tujuan FROM dispusip_petaimpor "
            "WHERE sumber_id = %s AND tabel = %s AND id_sumber = ANY(%s::text[])",
            [sesi.sumber.pk, tabel, impor.larik_pg(ids)],
        )
        return dict(c.fetchall())


def _sudah(sesi: Sesi, tabel: str, ids: set[str]) -> set[str]:
    """Which of these source rows an earlier import (or batch) already wrote."""
    return set(_peta_ids(sesi, tabel, ids))


def _anggota(pk: set[int]) -> dict[int, Anggota]:
    # What a loan or a visit copies of its member, for the statistics.
    kolom = ("id", "kategori_id", "jenis_kelamin", "tanggal_lahir")
    return Anggota.objects.only(*kolom).in_bulk(pk)


def _anggota_sumber(sesi: Sesi, ids: set[str]) -> dict[str, Anggota]:
    """Source member id -> portal member."""
    peta = _peta_ids(sesi, "anggota", ids)
    anggota = _anggota(set(peta.values()))
    return {s: anggota[pk] for s, pk in peta.items() if pk in anggota}


def _nomor_sumber(sesi: Sesi, nomor: set[str]) -> dict[str, Anggota]:
    """The source's member numbers (what bookinglogs and the guest book write) ->
    member: the number it kept, or the alias a renumbered member got."""
    awalan = sesi.sumber.awalan
    calon = impor.larik_pg(nomor | {awalan + n for n in nomor})
    hasil = {}
    with connection.cursor() as c:
        c.execute(
            NOMOR_SUMBER_SQL, {"sumber": sesi.sumber.pk, "nama": sesi.sumber.nama, "nomor": calon}
        )
        for n, pk in c.fetchall():
            hasil[n] = pk
            if n.startswith(awalan):
                hasil[n[len(awalan) :]] = pk
    anggota = _anggota(set(hasil.values()))
    return {n: anggota[pk] for n, pk in hasil.items() if pk in anggota}


def _eksemplar(sesi: Sesi, ids: set[str]) -> dict[str, tuple]:
    """Source item id -> (item, record, branch, status)."""
    with connection.cursor() as c:
        c.execute(
            """
            SELECT p.id_sumber, e.id, e.katalog_id, e.cabang_id, e.status
            FROM dispusip_petaimpor p JOIN katalog_eksemplar e ON e.id = p.id_tujuan
            WHERE p.sumber_id = %s AND p.tabel = 'collections' AND p.id_sumber = ANY(%s::text[])
            """,
            [sesi.sumber.pk, impor.larik_pg(ids)],
        )
        return {r[0]: r[1:] for r in c.fetchall()}


def _simpan(sesi: Sesi, entitas: str, tabel: str, baru: list, id_sumber: list[str]) -> list:
    """Write the new rows and remember which source row each came from."""
    if not baru:
        return []
    dibuat = type(baru[0]).objects.bulk_create(baru)
    impor.buat_staging(
        "stg_peta",
        [("tabel", "text"), ("id_sumber", "text"), ("id_tujuan", "bigint"), ("sidik", "text")],
    )
    impor.salin(
        "stg_peta",
        ["tabel", "id_sumber", "id_tujuan"],
        ([tabel, s, x.pk] for s, x in zip(id_sumber, dibuat, strict=True)),
    )
    impor.simpan_peta(sesi.sumber, "stg_peta")
    sesi.catat(entitas, "dibuat", len(dibuat))
    return dibuat


def _id_baris(nomor: int, r: dict) -> str:
    return id_bersih(r.get("id", "")) or f"baris-{nomor}"


def _pinjaman(sesi: Sesi) -> None:
    """Loans, from Inlislite's loan table and its "Peminjaman" report: read and staged
    a batch at a time, then matched and merged over the whole file (sirkulasi.muat).
    Open ones (Loan/Dipinjam, no return date) keep their due dates and put the item on
    loan; returned ones are history for the statistics. A loan imported before
    follows the source (returned or renewed there) unless the portal has returned or
    renewed it since."""
    berkas = [(b, "collectionloanitems", ()) for b in sesi.tabel("collectionloanitems")]
    berkas += [(b, "laporan.peminjaman", LAPORAN_PINJAM) for b in sesi.tabel("laporan_peminjaman")]
    if not berkas:
        return
    pemuat = PemuatPinjaman(sesi)
    for b, tabel, penanda in berkas:
        baca = _baris_pinjaman if tabel == "collectionloanitems" else _baris_pinjaman_laporan
        for batch in _per_batch(sesi, b, penanda):
            pemuat.tambah(tabel, b.nama, [baca(sesi, b, nomor, r) for nomor, r in batch])
    sesi.maju(1, 2, _("Mencocokkan dan menyimpan peminjaman…"))
    pemuat.selesaikan()


def _baris_pinjaman(sesi: Sesi, b, nomor: int, r: dict) -> tuple:
    pinjam, tempo, kembali = _tanggal_pinjaman(sesi, b, nomor, r)
    return (
        nomor,
        _id_baris(nomor, r),
        id_bersih(r.get("memberid", "")),
        id_bersih(r.get("collectionid", "")),
        r.get("memberid", ""),
        r.get("collectionid", ""),
        r.get("loanstatus", ""),
        pinjam,
        tempo,
        kembali,
    )


def _tanggal_pinjaman(
    sesi: Sesi, b, nomor: int, r: dict
) -> tuple[datetime, date | None, datetime | None]:
    """A collectionloanitems row's loan time, due date (None when missing) and return
    time: None while open (Loan/Dipinjam and no ActualReturn), else the return or,
    lacking one, the loan time."""
    pinjam = _waktu(sesi, b.nama, nomor, "LoanDate", r.get("loandate", "")) or timezone.now()
    tempo = _tanggal(sesi, b.nama, nomor, "DueDate", r.get("duedate", ""))
    kembali = _waktu(sesi, b.nama, nomor, "ActualReturn", r.get("actualreturn", ""))
    status = (r.get("loanstatus") or "").casefold()
    if status in ("loan", "dipinjam", "") and kembali is None:
        return pinjam, tempo, None
    return pinjam, tempo, kembali or pinjam


def _baris_pinjaman_laporan(sesi: Sesi, b, nomor: int, r: dict) -> tuple:
    """Inlislite's "Peminjaman" report: items by accession number, members by number;
    a loan is the item's on the day it was lent."""
    pinjam = (
        _waktu(sesi, b.nama, nomor, "Tanggal Pinjam", r.get("tanggalpinjam", "")) or timezone.now()
    )
    return (
        nomor,
        f"{r.get('nomorinduk')}:{r.get('tanggalpinjam')}",
        r.get("nomoranggota", ""),
        r.get("nomorinduk", ""),
        r.get("nomoranggota", ""),
        r.get("nomorinduk", ""),
        r.get("tanggaldikembalikan", ""),
        pinjam,
        _tanggal(sesi, b.nama, nomor, "Tanggal Jatuh Tempo", r.get("tanggaljatuhtempo", "")),
        _waktu(sesi, b.nama, nomor, "Tanggal Dikembalikan", r.get("tanggaldikembalikan", "")),
    )


def _lunas(r: dict) -> bool:
    return (r.get("paid") or "").strip().casefold() in ("1", "true", "ya", "y", "t")


def _denda_lunas_di_sumber(sesi: Sesi, b, batch: list[tuple[int, dict]]) -> None:
    """Fines imported unpaid that the source has since been paid: settled here too,
    as waived with a note (the money went to the source's till, not the portal's),
    unless the member has paid some of it at a portal desk meanwhile."""
    peta = _peta_ids(sesi, "pelanggaran", {_id_baris(n, r) for n, r in batch})
    denda = Denda.objects.in_bulk(set(peta.values()))
    lunas = []
    for nomor, r in batch:
        d = denda.get(peta.get(_id_baris(nomor, r)))
        if d is None:
            continue  # paid before it was ever imported: the source's accounts only
        if d.sisa <= 0:
            sesi.catat(DENDA, "tetap")
            continue
        if d.dibayar or d.dibebaskan:
            sesi.masalah(
                b.nama,
                nomor,
                "Paid",
                r.get("paid"),
                _("Lunas di sumber, tetapi sebagian sudah dibayar di portal; periksa."),
                PERINGATAN,
            )
            sesi.catat(DENDA, "konflik")
            continue
        d.dibebaskan = d.jumlah
        d.keterangan = (f"{d.keterangan}; " + _("lunas di %(s)s") % {"s": sesi.sumber.nama}).lstrip(
            "; "
        )[:255]
        lunas.append(d)
    Denda.objects.bulk_update(lunas, ["dibebaskan", "keterangan"])
    sesi.catat(DENDA, "diperbarui", len(lunas))


def _denda(sesi: Sesi, b) -> None:
    """Unpaid fines (paid ones are already in the source's accounts); one imported
    unpaid and paid at the source since is settled here too."""
    for semua in _per_batch(sesi, b):
        _denda_lunas_di_sumber(sesi, b, [(n, r) for n, r in semua if _lunas(r)])
        batch = [(n, r) for n, r in semua if not _lunas(r)]
        sudah = _sudah(sesi, "pelanggaran", {_id_baris(n, r) for n, r in batch})
        anggota = _anggota_sumber(sesi, {id_bersih(r.get("memberid", "")) for _n, r in batch})
        pinjam = _peta_ids(
            sesi,
            "collectionloanitems",
            {id_bersih(r.get("collectionloanitemid", "")) for _n, r in batch},
        )
        baru, peta = [], []
        for nomor, r in batch:
            id_sumber = _id_baris(nomor, r)
            if id_sumber in sudah:
                sesi.catat(DENDA, "tetap")
                continue
            a = anggota.get(id_bersih(r.get("memberid", "")))
            try:
                jumlah = Decimal(re.sub(r"[^\d.]", "", r.get("jumlahdenda", "")) or "0")
            except InvalidOperation:
                jumlah = Decimal(0)
            if a is None or jumlah <= 0:
                sesi.masalah(
                    b.nama,
                    nomor,
                    "Member_id" if a is None else "JumlahDenda",
                    r.get("memberid") if a is None else r.get("jumlahdenda"),
                    _("Denda menunjuk anggota yang tidak ada.")
                    if a is None
                    else _("Jumlah denda bukan angka positif."),
                )
                sesi.catat(DENDA, "ditolak")
                continue
            baru.append(
                Denda(
                    anggota_id=a.pk,
                    peminjaman_id=pinjam.get(id_bersih(r.get("collectionloanitemid", ""))),
                    jenis=Denda.Jenis.KETERLAMBATAN,
                    jumlah=jumlah.quantize(Decimal(1)),
                    keterangan=_("Denda dari %(s)s") % {"s": sesi.sumber.nama},
                    cabang=sesi.cabang,
                )
            )
            peta.append(id_sumber)
            sudah.add(id_sumber)
        _simpan(sesi, DENDA, "pelanggaran", baru, peta)


def _id_reservasi(r: dict) -> str:
    return f"{r.get('memberid')}:{id_bersih(r.get('collectionid', ''))}:{r.get('bookingdate')}"


def _reservasi(sesi: Sesi, b) -> None:
    """Open holds: bookings that have not expired, queued by their booking time (the
    queue's order). A booking an earlier import brought in that has since expired at
    the source expires here too, unless the portal has already set a copy aside for
    it (a conflict to review); the log of other expired bookings is passed over.
    Expired ones go first, over the whole file: a member's booking that ran out
    frees their place on the title before a newer one is queued."""
    hari_ini = timezone.localdate()

    def lewat(nomor: int, r: dict, lapor: bool) -> bool:
        nilai = r.get("bookingexpired", "")
        if lapor:
            akhir = _tanggal(sesi, b.nama, nomor, "bookingExpired", nilai)
        else:  # the first pass reported it
            try:
                akhir = pembaca.tanggal(nilai)
            except ValueError:
                akhir = None
        return akhir is not None and akhir < hari_ini

    for batch in _per_batch(sesi, b):
        _reservasi_lewat(sesi, b, [(n, r) for n, r in batch if lewat(n, r, True)])
    sesi.maju(
        1, 2, _("%(berkas)s: mengantrekan reservasi yang masih berlaku…") % {"berkas": b.nama}
    )
    for batch in impor.per_batch(_baris(b)):
        _reservasi_terbuka(sesi, b, [(n, r) for n, r in batch if not lewat(n, r, False)])


def _reservasi_lewat(sesi: Sesi, b, batch: list[tuple[int, dict]]) -> None:
    peta = _peta_ids(sesi, "bookinglogs", {_id_reservasi(r) for _n, r in batch})
    ada = Reservasi.objects.only("id", "status").in_bulk(set(peta.values()))
    berakhir = []
    for nomor, r in batch:
        hold = ada.get(peta.get(_id_reservasi(r)))
        if hold is None:
            continue  # never imported: history, not a hold
        if hold.status == Reservasi.Status.MENUNGGU:
            hold.status, hold.selesai = Reservasi.Status.KEDALUWARSA, timezone.now()
            berakhir.append(hold)
            sesi.catat(RESERVASI, "diperbarui")
        elif hold.status in Reservasi.AKTIF:
            sesi.masalah(
                b.nama,
                nomor,
                "bookingExpired",
                r.get("bookingexpired", ""),
                _("Sudah disiapkan di portal; kedaluwarsa di sumber perlu diperiksa."),
                PERINGATAN,
            )
            sesi.catat(RESERVASI, "konflik")
        else:
            sesi.catat(RESERVASI, "tetap")
    Reservasi.objects.bulk_update(berakhir, ["status", "selesai"])


def _reservasi_terbuka(sesi: Sesi, b, batch: list[tuple[int, dict]]) -> None:
    sudah = _sudah(sesi, "bookinglogs", {_id_reservasi(r) for _n, r in batch})
    anggota = _nomor_sumber(sesi, {r.get("memberid", "") for _n, r in batch})
    eksemplar = _eksemplar(sesi, {id_bersih(r.get("collectionid", "")) for _n, r in batch})
    # One active hold per member and title (earlier batches are written already).
    aktif = set(
        Reservasi.objects.aktif()
        .filter(anggota_id__in={a.pk for a in anggota.values()})
        .values_list("anggota_id", "katalog_id")
    )
    baru, peta = [], []
    for nomor, r in batch:
        id_sumber = _id_reservasi(r)
        if id_sumber in sudah:
            sesi.catat(RESERVASI, "tetap")
            continue
        a = anggota.get(r.get("memberid", ""))
        e = eksemplar.get(id_bersih(r.get("collectionid", "")))
        if a is None or e is None:
            sesi.masalah(
                b.nama,
                nomor,
                "memberId" if a is None else "collectionId",
                r.get("memberid") if a is None else r.get("collectionid"),
                _("Reservasi menunjuk anggota atau eksemplar yang tidak ada."),
            )
            sesi.catat(RESERVASI, "ditolak")
            continue
        if (a.pk, e[1]) in aktif:
            sesi.masalah(
                b.nama,
                nomor,
                "collectionId",
                r.get("collectionid"),
                _("Anggota ini sudah punya reservasi aktif untuk judul ini; yang ini dilewati."),
                PERINGATAN,
            )
            sesi.catat(RESERVASI, "ditolak")
            continue
        aktif.add((a.pk, e[1]))
        baru.append(
            Reservasi(
                anggota_id=a.pk,
                katalog_id=e[1],
                cabang_ambil_id=e[2],
                dibuat=_waktu(sesi, b.nama, nomor, "bookingDate", r.get("bookingdate", ""))
                or timezone.now(),
            )
        )
        peta.append(id_sumber)
        sudah.add(id_sumber)
    _simpan(sesi, RESERVASI, "bookinglogs", baru, peta)


def _kunjungan(sesi: Sesi) -> None:
    """The guest book, so visit statistics continue: staged a batch at a time and
    merged over the whole file (sirkulasi.muat)."""
    if not sesi.ada("memberguesses"):
        return
    pemuat = PemuatKunjungan(sesi)
    for b in sesi.tabel("memberguesses"):
        for batch in _per_batch(sesi, b):
            pemuat.tambah(
                b.nama, [x for nomor, r in batch if (x := _baris_kunjungan(sesi, b, nomor, r))]
            )
    sesi.maju(1, 2, _("Menyimpan buku tamu…"))
    pemuat.selesaikan()


def _baris_kunjungan(sesi: Sesi, b, nomor: int, r: dict) -> tuple | None:
    waktu = _waktu(sesi, b.nama, nomor, "CreateDate", r.get("createdate", ""))
    if waktu is None:
        sesi.masalah(
            b.nama,
            nomor,
            "CreateDate",
            r.get("createdate", ""),
            _("Kunjungan tanpa tanggal tidak diimpor."),
        )
        sesi.catat(KUNJUNGAN, "ditolak")
        return None
    return (
        nomor,
        _id_baris(nomor, r),
        r.get("noanggota", ""),
        r.get("nama") or "",
        jenis_kelamin(r.get("jeniskelaminid", "")),
        waktu,
    )
