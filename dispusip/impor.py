"""What every importer shares: named sources, the map of source rows to portal rows,
and the problem report (file, row, column, value, message) as a downloadable CSV.

The readers of file formats are in dispusip.pembaca; each app's importer turns
rows into its own objects and registers nothing here but what it reports.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispusip.models import Job, PetaImpor, SumberImpor

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


def tulis_laporan(job: Job, laporan: Laporan, nama: str = "masalah-impor.csv") -> None:
    """Attach the problems as a CSV (Excel opens it) to the job, outside any transaction."""
    keluaran = io.StringIO()
    penulis = csv.writer(keluaran)
    penulis.writerow([_("Berkas"), _("Baris"), _("Kolom"), _("Nilai"), _("Tingkat"), _("Pesan")])
    for m in laporan.masalah:
        penulis.writerow([m.berkas, m.baris, m.kolom, m.nilai, m.tingkat, m.pesan])
    job.simpan_berkas(nama, ContentFile(("\ufeff" + keluaran.getvalue()).encode("utf-8")))
