"""`manage.py impor FILE...`: the import engine of the upload screen, for very large migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from dispusip import impor, pembaca
from dispusip.jobs import JobGagal
from dispusip.models import Cabang, Job


class Command(BaseCommand):
    help = (
        "Impor berkas Inlislite/SLiMS/MARC (boleh zip). Tanpa --sebagian: bila ada satu galat, "
        "tidak ada yang diimpor. Keluar dengan kode bukan nol bila tidak ada yang diimpor."
    )

    def add_arguments(self, parser):
        parser.add_argument("berkas", nargs="+", type=Path)
        parser.add_argument("--sumber", help="Nama sumber (bawaan: nama berkas pertama).")
        parser.add_argument("--format", default="auto", choices=list(impor.FORMAT))
        parser.add_argument("--cabang", help="Kode atau nama cabang tujuan eksemplar.")
        parser.add_argument("--sebagian", action="store_true", help="Simpan baris yang sah saja.")
        parser.add_argument("--laporan", type=Path, help="Tulis laporan masalah (CSV) ke sini.")

    def handle(self, *args, **o):
        for jalur in o["berkas"]:
            if not jalur.is_file():
                raise CommandError(f"Berkas tidak ada: {jalur}")
        cabang = self._cabang(o["cabang"])
        folder = pembaca.folder_sementara()
        try:
            berkas = pembaca.kumpulkan(o["berkas"], folder)
            tak_dikenal = impor.kenali(berkas, o["format"])
            for nama, pesan in tak_dikenal.items():
                self.stderr.write(f"{nama}: {'; '.join(pesan)}")
            for b in berkas:
                if b.tabel:
                    self.stdout.write(f"{b.nama}: {b.tabel}")
            # The source defaults to one named after the file, so a re-run stays idempotent.
            nama_sumber = o["sumber"] or Path(o["berkas"][0]).stem
            job = Job.objects.create(
                kind="dispusip.impor", params={"sumber": nama_sumber, "kemajuan_persen": True}
            )
            sesi = impor.Sesi(
                sumber=impor.sumber(nama_sumber),
                cabang=cabang,
                oleh=None,
                berkas=berkas,
                sebagian=o["sebagian"],
                job=job,
                gema=self.stdout.write,
            )
            job.mulai()
            try:
                hasil = impor.jalankan(sesi)
            except JobGagal as exc:
                job.gagal(str(exc))
                self._laporan(sesi, o["laporan"])
                raise CommandError(str(exc)) from None
            job.berhasil(hasil)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self._laporan(sesi, o["laporan"])
        labels = impor.LabelHasil()
        for key, n in hasil.items():
            self.stdout.write(f"{labels.get(key, key)}: {n:,}".replace(",", "."))
        dibuat = sum(
            n
            for key, n in hasil.items()
            if key.endswith((".dibuat", ".diperbarui", ".digabung", ".tetap"))
        )
        if not dibuat:
            raise CommandError("Tidak ada yang diimpor.")

    def _cabang(self, nilai: str | None) -> Cabang:
        qs = Cabang.objects.order_by("pk")
        if nilai:
            cabang = qs.filter(Q(kode__iexact=nilai) | Q(nama__iexact=nilai)).first()
            if cabang is None:
                raise CommandError(f"Cabang tidak dikenal: {nilai}")
            return cabang
        cabang = qs.first()
        if cabang is None:
            raise CommandError("Belum ada cabang; jalankan migrate dan buat cabang dahulu.")
        return cabang

    def _laporan(self, sesi: impor.Sesi, jalur: Path | None) -> None:
        masalah = sesi.laporan.masalah
        if not masalah:
            return
        self.stdout.write(f"{len(masalah)} masalah; 10 yang pertama:")
        for m in masalah[:10]:
            self.stdout.write(f"  {m.berkas} baris {m.baris} {m.kolom} [{m.tingkat}]: {m.pesan}")
        if jalur:
            jalur.write_bytes(impor.laporan_csv(sesi.laporan))
            self.stdout.write(f"Laporan lengkap: {jalur}")
