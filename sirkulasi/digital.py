"""Digital loans, as iJakarta lends e-books: one licence is one concurrent loan.

A member borrows a licensed e-resource for 1, 3, 7 or 30 days when a licence is
free, or joins its queue. The file is read in the browser through the loan's
own link, which stops working when the loan ends. When a licence frees up (a
loan ends or is returned early) it is offered to the first member waiting, for
SIRKULASI_JAM_TAWARAN_DIGITAL hours; an offer counts as a licence in use, so
nobody can jump the queue. Borrowing locks the e-resource's row, so two members
taking the last licence at the same moment get exactly one loan between them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispusip.audit import catat
from katalog.models import SumberDigital
from sirkulasi.models import Anggota, AntreanDigital, PinjamDigital
from sirkulasi.services import SirkulasiGagal, alasan_anggota_ditolak

LAMA_PINJAM = (1, 3, 7, 30)


class LisensiHabis(SirkulasiGagal):
    """Every licence is in use: the member may join the queue."""


def lisensi_terpakai(sumber: SumberDigital, *, kecuali: Anggota | None = None) -> int:
    """Licences taken by running loans and by offers still open (except `kecuali`'s)."""
    tawaran = AntreanDigital.objects.tawaran_aktif().filter(sumber=sumber)
    if kecuali is not None:
        tawaran = tawaran.exclude(anggota=kecuali)
    return PinjamDigital.objects.aktif().filter(sumber=sumber).count() + tawaran.count()


def lisensi_bebas(sumber: SumberDigital) -> int:
    return max(0, (sumber.jumlah_lisensi or 0) - lisensi_terpakai(sumber))


def _kunci_sumber(sumber: SumberDigital) -> SumberDigital:
    sumber = SumberDigital.objects.select_for_update().select_related("katalog").get(pk=sumber.pk)
    if not sumber.berlisensi:
        raise SirkulasiGagal(_("Sumber digital ini tidak dipinjamkan per lisensi."))
    return sumber


def pinjam(anggota: Anggota, sumber: SumberDigital, *, hari: int) -> PinjamDigital:
    """Borrow a licence for `hari` days; LisensiHabis when none is free for this member."""
    if hari not in LAMA_PINJAM:
        raise SirkulasiGagal(
            _("Lama pinjam harus %(p)s hari.") % {"p": ", ".join(map(str, LAMA_PINJAM))}
        )
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().get(pk=anggota.pk)
        mutlak, dapat_ditimpa = alasan_anggota_ditolak(anggota)
        if mutlak or dapat_ditimpa:
            raise SirkulasiGagal(mutlak + dapat_ditimpa)
        sumber = _kunci_sumber(sumber)
        _tawarkan(sumber)  # licences freed since the last sweep go to the queue first
        if PinjamDigital.objects.aktif().filter(sumber=sumber, anggota=anggota).exists():
            raise SirkulasiGagal(_("Anda sedang meminjam e-book ini."))
        if lisensi_terpakai(sumber, kecuali=anggota) >= sumber.jumlah_lisensi:
            raise LisensiHabis(
                _("Semua %(n)s lisensi sedang dipinjam. Masuk antrean agar kami kabari.")
                % {"n": sumber.jumlah_lisensi}
            )
        sekarang = timezone.now()
        pinjaman = PinjamDigital.objects.create(
            anggota=anggota, sumber=sumber, mulai=sekarang, berakhir=sekarang + timedelta(days=hari)
        )
        AntreanDigital.objects.filter(
            anggota=anggota, sumber=sumber, status__in=["menunggu", "ditawarkan"]
        ).update(status=AntreanDigital.Status.DIAMBIL)
        catat(
            aksi="digital.pinjam",
            oleh=anggota.akun,
            objek=pinjaman,
            sesudah={"anggota": anggota.nomor, "judul": sumber.judul[:100], "hari": hari},
        )
    return pinjaman


def antre(anggota: Anggota, sumber: SumberDigital) -> AntreanDigital:
    with transaction.atomic():
        sumber = _kunci_sumber(sumber)
        _tawarkan(sumber)
        if lisensi_terpakai(sumber, kecuali=anggota) < sumber.jumlah_lisensi:
            raise SirkulasiGagal(_("Ada lisensi yang bebas: langsung pinjam saja."))
        if AntreanDigital.objects.filter(
            anggota=anggota, sumber=sumber, status__in=["menunggu", "ditawarkan"]
        ).exists():
            raise SirkulasiGagal(_("Anda sudah dalam antrean judul ini."))
        return AntreanDigital.objects.create(anggota=anggota, sumber=sumber)


def posisi(antrean: AntreanDigital) -> int | None:
    if antrean.status != AntreanDigital.Status.MENUNGGU:
        return None
    ids = list(
        AntreanDigital.objects.menunggu()
        .filter(sumber_id=antrean.sumber_id)
        .values_list("id", flat=True)
    )
    return ids.index(antrean.pk) + 1 if antrean.pk in ids else None


def kembalikan(pinjaman: PinjamDigital) -> PinjamDigital:
    """End a loan early; the licence goes to the next member waiting."""
    with transaction.atomic():
        sumber = _kunci_sumber(pinjaman.sumber)
        pinjaman = PinjamDigital.objects.select_for_update().get(pk=pinjaman.pk)
        if pinjaman.dikembalikan is not None or pinjaman.berakhir <= timezone.now():
            raise SirkulasiGagal(_("Pinjaman ini sudah berakhir."))
        pinjaman.dikembalikan = timezone.now()
        pinjaman.save(update_fields=["dikembalikan"])
        _tawarkan(sumber)
    return pinjaman


def _tawarkan(sumber: SumberDigital) -> int:
    """Offer every free licence to the members first in the queue (caller holds the lock)."""
    bebas = sumber.jumlah_lisensi - lisensi_terpakai(sumber)
    if bebas <= 0:
        return 0
    sekarang = timezone.now()
    batas = sekarang + timedelta(hours=settings.SIRKULASI_JAM_TAWARAN_DIGITAL)
    ids = list(
        AntreanDigital.objects.menunggu().filter(sumber=sumber).values_list("pk", flat=True)[:bebas]
    )
    return AntreanDigital.objects.filter(pk__in=ids).update(
        status=AntreanDigital.Status.DITAWARKAN, ditawarkan=sekarang, batas_tawaran=batas
    )


def akhiri_yang_lewat(pada=None) -> dict[str, int]:
    """Beat: loans past their end close, offers past their deadline lapse, and the
    licences they held go to the next members waiting. Safe to run again."""
    pada = pada or timezone.now()
    habis = PinjamDigital.objects.filter(dikembalikan__isnull=True, berakhir__lte=pada)
    lewat = AntreanDigital.objects.filter(
        status=AntreanDigital.Status.DITAWARKAN, batas_tawaran__lte=pada
    )
    sumber_ids = set(habis.values_list("sumber_id", flat=True)) | set(
        lewat.values_list("sumber_id", flat=True)
    )
    hasil = {"pinjaman_berakhir": 0, "tawaran_kedaluwarsa": 0, "ditawarkan": 0}
    for sumber_id in sorted(sumber_ids):
        with transaction.atomic():
            sumber = _kunci_sumber(SumberDigital(pk=sumber_id))
            for p in habis.filter(sumber=sumber).select_for_update():
                p.dikembalikan = p.berakhir
                p.save(update_fields=["dikembalikan"])
                hasil["pinjaman_berakhir"] += 1
            hasil["tawaran_kedaluwarsa"] += lewat.filter(sumber=sumber).update(
                status=AntreanDigital.Status.KEDALUWARSA
            )
            hasil["ditawarkan"] += _tawarkan(sumber)
    return hasil


def pinjaman_untuk_dibaca(token: str, anggota: Anggota) -> PinjamDigital:
    """The running loan behind a reading link, for its own member only."""
    pinjaman = (
        PinjamDigital.objects.aktif()
        .select_related("sumber")
        .filter(token=token, anggota=anggota)
        .first()
    )
    if pinjaman is None:
        raise SirkulasiGagal(_("Tautan baca ini tidak berlaku lagi: masa pinjam sudah berakhir."))
    return pinjaman
