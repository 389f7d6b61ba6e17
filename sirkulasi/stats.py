"""Figures and login identifiers circulation offers the core through the registry."""

from django.db.models import Q
from django.utils import timezone

from sirkulasi.models import Anggota, Kunjungan, Peminjaman, StatusAnggota


def anggota_aktif(unit) -> int:
    qs = Anggota.objects.filter(
        status=StatusAnggota.AKTIF, berlaku_sampai__gte=timezone.localdate()
    )
    return (qs if unit is None else qs.filter(unit=unit)).count()


def peminjaman_berjalan(unit) -> int:
    qs = Peminjaman.objects.berjalan()
    return (qs if unit is None else qs.filter(cabang__unit=unit)).count()


def akun_dari_nomor(kode: str):
    """Members log in with their member number (or an old card number that still scans)."""
    return [
        a.akun
        for a in Anggota.objects.cari_kode(kode)
        .filter(Q(akun__isnull=False))
        .select_related("akun")
    ]


def kunjungan_tahun_ini(unit) -> int:
    qs = Kunjungan.objects.filter(waktu__year=timezone.localdate().year)
    return (qs if unit is None else qs.filter(cabang__unit=unit)).count()
