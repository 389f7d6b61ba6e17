"""Channels that reach a member: email now; an SMS or WhatsApp gateway later.

Many members give a phone number and no email, so nothing here assumes email:
a use case asks for the first channel that reaches the member (in the order of
settings.SIRKULASI_SALURAN) and sends through it. A gateway is one class with
`menjangkau` and `kirim`, registered with `daftarkan_saluran`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sirkulasi.models import (
    Anggota,
    AntreanDigital,
    Pemberitahuan,
    Peminjaman,
    Reservasi,
    StatusAnggota,
)

logger = logging.getLogger(__name__)
J = Pemberitahuan.Jenis


class Saluran(Protocol):
    kode: str
    nama: str

    def menjangkau(self, anggota: Anggota) -> bool: ...

    def kirim(self, anggota: Anggota, *, subjek: str, isi: str) -> None: ...


class SaluranEmail:
    kode = "email"
    nama = gettext_lazy("email")

    def menjangkau(self, anggota: Anggota) -> bool:
        return bool(anggota.email)

    def kirim(self, anggota: Anggota, *, subjek: str, isi: str) -> None:
        send_mail(subjek, isi, None, [anggota.email])


SALURAN: dict[str, Saluran] = {"email": SaluranEmail()}


def daftarkan_saluran(saluran: Saluran) -> None:
    SALURAN[saluran.kode] = saluran


def saluran_untuk(anggota: Anggota) -> Saluran | None:
    """The first configured channel that can reach this member, or None."""
    for kode in settings.SIRKULASI_SALURAN:
        saluran = SALURAN.get(kode)
        if saluran is not None and saluran.menjangkau(anggota):
            return saluran
    return None


# --- the notice sweep ------------------------------------------------------------


def _tgl(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def _baris_pinjaman(p: Peminjaman) -> str:
    return f"- {p.katalog.judul[:100]} ({p.eksemplar.barcode}), {_('jatuh tempo')} {_tgl(p.jatuh_tempo)}"


def _teks(jenis: str, anggota: Anggota, baris: list[str]) -> tuple[str, str]:
    """Subject and body of one notice; each says which notice it is."""
    judul = {
        J.JATUH_TEMPO: _("Pengingat: pinjaman segera jatuh tempo"),
        J.TERLAMBAT_1: _("Pemberitahuan keterlambatan ke-1"),
        J.TERLAMBAT_2: _("Pemberitahuan keterlambatan ke-2"),
        J.TERLAMBAT_3: _("Pemberitahuan keterlambatan ke-3 (terakhir)"),
        J.RESERVASI_SIAP: _("Reservasi Anda siap diambil"),
        J.RESERVASI_BERAKHIR: _("Reservasi Anda segera berakhir"),
        J.KEANGGOTAAN_BERAKHIR: _("Keanggotaan Anda segera berakhir"),
        J.DIGITAL_TERSEDIA: _("E-book yang Anda tunggu tersedia"),
    }[jenis]
    penutup = {
        J.JATUH_TEMPO: _(
            "Kembalikan di perpustakaan Dispusip mana pun, atau perpanjang di /anggota/."
        ),
        J.RESERVASI_SIAP: _("Tunjukkan kartu anggota di meja layanan."),
        J.RESERVASI_BERAKHIR: _(
            "Setelah tanggal itu eksemplar diberikan kepada anggota berikutnya."
        ),
        J.KEANGGOTAAN_BERAKHIR: _("Perpanjang di meja layanan perpustakaan Dispusip mana pun."),
        J.DIGITAL_TERSEDIA: _("Pinjam di /anggota/ sebelum batas waktu itu."),
    }.get(
        jenis,
        _(
            "Mohon segera kembalikan di perpustakaan Dispusip mana pun; denda berjalan "
            "setiap hari buka."
        ),
    )
    isi = "\n".join(
        [
            _("Halo %(n)s (nomor anggota %(no)s),") % {"n": anggota.nama, "no": anggota.nomor},
            "",
            judul + ":",
            *baris,
            "",
            penutup,
            "",
            "Dinas Perpustakaan dan Kearsipan Provinsi DKI Jakarta",
        ]
    )
    return f"{judul} · Dispusip DKI Jakarta", isi


def _kirim(jenis: str, anggota: Anggota, butir: list[tuple[str, dict, str]]) -> int:
    """Log and send one notice about `butir` [(key, {peminjaman|reservasi}, line)].
    Items already notified (their key exists) are left out; nothing left, nothing sent."""
    baru = []
    for kunci, objek, baris in butir:
        try:
            with transaction.atomic():
                baru.append(
                    Pemberitahuan.objects.create(
                        kunci=kunci, anggota=anggota, jenis=jenis, status=Pemberitahuan.Status.GAGAL,
                        subjek="", isi=baris, **objek,
                    )
                )  # fmt: skip
        except IntegrityError:
            continue  # sent before (or by another worker right now)
    if not baru:
        return 0
    subjek, isi = _teks(jenis, anggota, [p.isi for p in baru])
    saluran = saluran_untuk(anggota)
    status, galat = Pemberitahuan.Status.TERKIRIM, ""
    if saluran is None:
        status = Pemberitahuan.Status.TANPA_SALURAN
    else:
        try:
            saluran.kirim(anggota, subjek=subjek, isi=isi)
        except Exception as exc:  # a mail server down must not stop the sweep
            logger.warning("Notice %s to member %s failed: %s", jenis, anggota.pk, exc)
            status, galat = Pemberitahuan.Status.GAGAL, str(exc)[:255]
    Pemberitahuan.objects.filter(pk__in=[p.pk for p in baru]).update(
        status=status, subjek=subjek[:200], isi=isi, galat=galat,
        saluran=saluran.kode if saluran else "",
    )  # fmt: skip
    return 1


def _per_anggota(items: Iterable, anggota_dari) -> dict:
    kelompok = defaultdict(list)
    for item in items:
        kelompok[anggota_dari(item)].append(item)
    return kelompok


def kirim_pemberitahuan(pada: date | None = None) -> dict[str, int]:
    """The sweep: every notice that is due and not yet sent, one message per
    member and kind. Safe to run as often as wanted."""
    pada = pada or timezone.localdate()
    terkirim: dict[str, int] = defaultdict(int)
    berjalan = (
        Peminjaman.objects.berjalan()
        .filter(anggota__isnull=False)
        .select_related("anggota", "katalog", "eksemplar")
    )

    def pinjaman(jenis: str, qs) -> None:
        for anggota, daftar in _per_anggota(qs, lambda p: p.anggota).items():
            butir = [
                (f"{jenis}:p{p.pk}:{p.jatuh_tempo}", {"peminjaman": p}, _baris_pinjaman(p))
                for p in daftar
            ]
            terkirim[jenis] += _kirim(jenis, anggota, butir)

    sebelum = settings.SIRKULASI_HARI_SEBELUM_TEMPO
    pinjaman(
        J.JATUH_TEMPO,
        berjalan.filter(jatuh_tempo__gt=pada, jatuh_tempo__lte=pada + timedelta(days=sebelum)),
    )
    ke1, ke2, ke3 = settings.SIRKULASI_HARI_TERLAMBAT
    # Each overdue notice covers the loans in its own band, so a loan found late
    # only on day 10 gets the 2nd notice, not three at once.
    for jenis, dari, sampai in (
        (J.TERLAMBAT_1, ke1, ke2),
        (J.TERLAMBAT_2, ke2, ke3),
        (J.TERLAMBAT_3, ke3, None),
    ):
        qs = berjalan.filter(jatuh_tempo__lte=pada - timedelta(days=dari))
        if sampai is not None:
            qs = qs.filter(jatuh_tempo__gt=pada - timedelta(days=sampai))
        pinjaman(jenis, qs)

    siap = Reservasi.objects.filter(status=Reservasi.Status.SIAP).select_related(
        "anggota", "katalog", "cabang_ambil"
    )
    for jenis, qs in (
        (J.RESERVASI_SIAP, siap),
        (J.RESERVASI_BERAKHIR, siap.filter(batas_ambil__lte=pada + timedelta(days=1))),
    ):
        for anggota, daftar in _per_anggota(qs, lambda r: r.anggota).items():
            butir = [
                (
                    f"{jenis}:r{r.pk}:{r.batas_ambil}",
                    {"reservasi": r},
                    f"- {r.katalog.judul[:100]}: {r.cabang_ambil}, "
                    + _("ambil paling lambat %(t)s") % {"t": _tgl(r.batas_ambil)},
                )
                for r in daftar
            ]
            terkirim[jenis] += _kirim(jenis, anggota, butir)

    tawaran = AntreanDigital.objects.tawaran_aktif().select_related("anggota", "sumber")
    for anggota, daftar in _per_anggota(tawaran, lambda t: t.anggota).items():
        butir = [
            (
                f"{J.DIGITAL_TERSEDIA}:t{t.pk}",
                {},
                f"- {t.sumber.judul[:100]}: "
                + _("disimpan untuk Anda sampai %(t)s")
                % {"t": timezone.localtime(t.batas_tawaran).strftime("%d-%m-%Y %H:%M")},
            )
            for t in daftar
        ]
        terkirim[J.DIGITAL_TERSEDIA] += _kirim(J.DIGITAL_TERSEDIA, anggota, butir)

    hampir = Anggota.objects.filter(
        status=StatusAnggota.AKTIF,
        berlaku_sampai__gte=pada,
        berlaku_sampai__lte=pada + timedelta(days=settings.SIRKULASI_HARI_SEBELUM_BERAKHIR),
    )
    for anggota in hampir:
        baris = _("- berlaku sampai %(t)s") % {"t": _tgl(anggota.berlaku_sampai)}
        terkirim[J.KEANGGOTAAN_BERAKHIR] += _kirim(
            J.KEANGGOTAAN_BERAKHIR,
            anggota,
            [(f"keanggotaan:{anggota.pk}:{anggota.berlaku_sampai}", {}, baris)],
        )
    return {str(jenis): n for jenis, n in terkirim.items() if n}


def kirim_struk(anggota: Anggota, cabang_nama: str) -> str:
    """Send the member their loan slip (what they have out and when it is due)."""
    saluran = saluran_untuk(anggota)
    if saluran is None:
        raise LookupError(f"No channel reaches member {anggota.pk}")
    pinjaman = (
        Peminjaman.objects.berjalan()
        .filter(anggota=anggota)
        .select_related("katalog", "eksemplar")
        .order_by("jatuh_tempo")
    )
    baris = [_baris_pinjaman(p) for p in pinjaman] or [_("- tidak ada pinjaman")]
    isi = "\n".join(
        [
            _("Halo %(n)s (nomor anggota %(no)s),") % {"n": anggota.nama, "no": anggota.nomor},
            "",
            _("Struk peminjaman, %(c)s, %(t)s:")
            % {"c": cabang_nama, "t": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
            *baris,
            "",
            _("Kembalikan di perpustakaan Dispusip mana pun, atau perpanjang di /anggota/."),
            "",
            "Dinas Perpustakaan dan Kearsipan Provinsi DKI Jakarta",
        ]
    )
    saluran.kirim(anggota, subjek=_("Struk peminjaman · Dispusip DKI Jakarta"), isi=isi)
    return saluran.kode
