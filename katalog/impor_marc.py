"""Importing MARC 21 files (ISO 2709 or MARCXML), as Inlislite exports its catalogue.

One record at a time, inside one transaction: all or nothing by default; with
`sebagian` every record gets its own savepoint, so bad ones are reported and the
rest kept. A record is identified by its 001 within its source; a re-import
updates what changed at the source, skips what did not, and leaves alone (as a
conflict) what was edited in the portal since. A record new to the portal whose
ISBN is already in the union catalogue attaches its copies to that record
instead of duplicating it. MARC carries no holdings except 990 $a accession
numbers: each becomes a copy in the chosen branch, flagged for verification.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pymarc import Record

from dispusip import impor, pembaca
from dispusip.impor import GALAT, PERINGATAN, Laporan, Masalah
from dispusip.jobs import JobGagal
from dispusip.models import Cabang, Job, PetaImpor, SumberImpor
from katalog import nomor_standar, services
from katalog.models import Eksemplar, Katalog, KategoriKoleksi

TABEL = "marc"


class _Batal(Exception):
    """Roll the whole import back (all-or-nothing and a problem was found)."""


def _id_sumber(record: Record) -> str:
    f001 = record["001"]
    if f001 is not None and f001.data.strip():
        return f001.data.strip()
    f035 = record["035"]
    if f035 is not None and f035.get("a"):
        return f035.get("a").strip()
    return "tanpa-001:" + impor.sidik(record.as_dict())[:32]


def _isbn(record: Record) -> list[str]:
    return [sf for f in record.get_fields("020") for sf in f.get_subfields("a") if sf.strip()]


class PengimporMarc:
    def __init__(self, *, job: Job, berkas: str, sumber: SumberImpor, cabang: Cabang,
                 kategori: KategoriKoleksi, sebagian: bool) -> None:  # fmt: skip
        self.job, self.berkas, self.sumber = job, berkas, sumber
        self.cabang, self.kategori, self.sebagian = cabang, kategori, sebagian
        self.oleh = job.started_by
        self.laporan = Laporan()
        self.eksemplar = 0

    def masalah(self, nomor: int, kolom: str, nilai: str, pesan: str, tingkat=GALAT) -> None:
        self.laporan.tambah(Masalah(self.berkas, nomor, kolom, nilai, pesan, tingkat))

    def jalankan(self, rekaman: list[tuple[int, Record]]) -> dict:
        total = len(rekaman)
        self.job.laporkan(0, total, _("Mengimpor %(n)s rekaman…") % {"n": total})
        try:
            with transaction.atomic():
                for nomor, record in rekaman:
                    if self.sebagian:
                        self._dengan_titik_simpan(nomor, record)
                    else:
                        self._satu(nomor, record)
                    self.job.laporkan(nomor, total)
                if self.laporan.ada_galat and not self.sebagian:
                    raise _Batal
        except _Batal:
            impor.tulis_laporan(self.job, self.laporan)
            galat = sum(m.tingkat == GALAT for m in self.laporan.masalah)
            raise JobGagal(
                _(
                    "Tidak ada yang diimpor: %(n)s galat. Unduh laporan masalah, perbaiki "
                    "berkasnya lalu ulangi, atau pilih “impor yang sah saja”."
                )
                % {"n": galat}
            ) from None
        if self.laporan.masalah:
            impor.tulis_laporan(self.job, self.laporan)
        return {
            **self.laporan.jumlah,
            "eksemplar": self.eksemplar,
            "galat": sum(m.tingkat == GALAT for m in self.laporan.masalah),
            "peringatan": sum(m.tingkat == PERINGATAN for m in self.laporan.masalah),
        }

    def _dengan_titik_simpan(self, nomor: int, record: Record) -> None:
        try:
            with transaction.atomic():
                sebelum = len(self.laporan.masalah)
                self._satu(nomor, record)
                if any(m.tingkat == GALAT for m in self.laporan.masalah[sebelum:]):
                    raise _Batal  # undo this record's half-done writes only
        except _Batal:
            pass

    def _satu(self, nomor: int, record: Record) -> None:
        judul = record["245"].get("a") if record["245"] is not None else None
        if not judul or not judul.strip(" /:;.,"):
            self.masalah(nomor, "245 $a", "", _("Judul (245 $a) kosong; rekaman tidak diimpor."))
            self.laporan.catat("ditolak")
            return
        for isbn in _isbn(record):
            alasan = nomor_standar.masalah_isbn(isbn)
            if alasan:
                # Real Inlislite data carries such ISBNs: kept as given, reported.
                self.masalah(nomor, "020 $a", isbn, alasan, PERINGATAN)
        id_sumber = _id_sumber(record)
        sidik = impor.sidik(record.as_dict())
        peta = impor.peta(self.sumber, TABEL, id_sumber)
        katalog = Katalog.objects.filter(pk=peta.id_tujuan).first() if peta else None
        if peta is not None and katalog is not None:
            if peta.sidik == sidik:
                self.laporan.catat("tetap")
            elif katalog.diubah > peta.diimpor:
                self.laporan.catat("konflik")
                self.masalah(
                    nomor, "001", id_sumber,
                    _("Rekaman ini diubah di portal sejak impor terakhir; tidak ditimpa."),
                    PERINGATAN,
                )  # fmt: skip
            else:
                katalog = services.simpan_marc(record, oleh=self.oleh, katalog=katalog)
                self.laporan.catat("diperbarui")
                self._petakan(peta, id_sumber, katalog, sidik)
        else:
            katalog = self._cocok_isbn(record)
            if katalog is not None:
                self.laporan.catat("digabung")
            else:
                katalog = services.simpan_marc(record, oleh=self.oleh)
                self.laporan.catat("dibuat")
            self._petakan(peta, id_sumber, katalog, sidik)
        self._eksemplar(nomor, record, katalog)

    def _cocok_isbn(self, record: Record) -> Katalog | None:
        """A confident union-catalogue match: the same normalised ISBN."""
        # The same keys the catalogue stores for its ISBNs (ISBN-10 and -13 alike).
        kunci = nomor_standar.kunci_pencarian(_isbn(record))
        if not kunci:
            return None
        return Katalog.objects.filter(isbn_normal__overlap=kunci).order_by("pk").first()

    def _petakan(self, peta: PetaImpor | None, id_sumber: str, katalog: Katalog, sidik: str):
        """Remember what the source said, stamped after the save: the record counts as
        edited in the portal only when it changes after this moment."""
        if peta is None:
            peta = PetaImpor(sumber=self.sumber, tabel=TABEL, id_sumber=id_sumber)
        peta.id_tujuan, peta.sidik, peta.diimpor = katalog.pk, sidik, timezone.now()
        peta.save()

    def _eksemplar(self, nomor: int, record: Record, katalog: Katalog) -> None:
        induk = [
            sf.strip()
            for f in record.get_fields("990")
            for sf in f.get_subfields("a")
            if sf.strip()
        ]
        if not induk:
            return
        ada = dict(
            Eksemplar.objects.filter(nomor_induk__in=induk).values_list("nomor_induk", "katalog_id")
        )
        baru = []
        for n in dict.fromkeys(induk):
            if n not in ada:
                baru.append(n)
            elif ada[n] != katalog.pk:
                self.masalah(
                    nomor, "990 $a", n,
                    _("Nomor induk ini sudah dipakai eksemplar judul lain di portal."),
                )  # fmt: skip
        try:
            with transaction.atomic():
                dibuat = services.tambah_eksemplar_impor(
                    katalog, cabang=self.cabang, kategori=self.kategori, nomor_induk=baru,
                    catatan=_("Dari 990 $a impor MARC “%(s)s”.") % {"s": self.sumber},
                )  # fmt: skip
        except IntegrityError:
            self.masalah(nomor, "990 $a", ", ".join(baru), _("Nomor induk bentrok saat disimpan."))
            return
        self.eksemplar += len(dibuat)


def impor_marc(*, job: Job, raw: bytes, berkas: str, sumber: str, cabang: Cabang,
               kategori: KategoriKoleksi, sebagian: bool = False) -> dict:  # fmt: skip
    """Import a MARC file; the summary counts each outcome (see dispusip.impor)."""
    try:
        rekaman = list(pembaca.rekaman_marc(raw))
    except pembaca.BerkasGagal as exc:
        raise JobGagal(str(exc)) from None
    if not rekaman:
        raise JobGagal(_("Berkas tidak berisi rekaman MARC."))
    pengimpor = PengimporMarc(
        job=job, berkas=berkas, sumber=impor.sumber(sumber), cabang=cabang,
        kategori=kategori, sebagian=sebagian,
    )  # fmt: skip
    return pengimpor.jalankan(rekaman)


def pratinjau(raw: bytes, batas: int = 5) -> dict:
    """What the preview page shows before anything is written."""
    rekaman = list(pembaca.rekaman_marc(raw))
    contoh = []
    for _nomor, record in rekaman[:batas]:
        contoh.append(
            {
                "id": _id_sumber(record),
                "judul": (record["245"].get("a") if record["245"] is not None else "") or "—",
                "pengarang": (record["100"].get("a") if record["100"] is not None else "") or "",
                "isbn": ", ".join(_isbn(record)),
                "eksemplar": sum(len(f.get_subfields("a")) for f in record.get_fields("990")),
            }
        )
    tanpa_judul = sum(
        1 for _n, r in rekaman if r["245"] is None or not (r["245"].get("a") or "").strip()
    )
    return {"jumlah": len(rekaman), "contoh": contoh, "tanpa_judul": tanpa_judul}
