"""Open and closed days of a branch: weekly closing days, and closures of the
branch, its unit or the whole province (national holidays, cuti bersama, floods).

Due dates never fall on a closed day of the branch where the item is due, fines
count open days only, and holds wait a number of open days.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from dispusip.models import Cabang
from sirkulasi.models import HariLibur, HariTutupMingguan

# No branch is closed for a whole year; past this something is misconfigured.
BATAS_CARI = 366


class KalenderGagal(Exception):
    pass


class Kalender:
    """The closed days of one branch over a date range, read in two queries."""

    def __init__(self, cabang: Cabang, dari: date, sampai: date):
        self.cabang = cabang
        self.dari, self.sampai = dari, sampai
        self.mingguan = set(
            HariTutupMingguan.objects.filter(cabang=cabang).values_list("hari", flat=True)
        )
        self.libur: set[date] = set()
        for mulai, selesai in (
            HariLibur.objects.berlaku_untuk(cabang)
            .filter(mulai__lte=sampai, selesai__gte=dari)
            .values_list("mulai", "selesai")
        ):
            hari = max(mulai, dari)
            while hari <= min(selesai, sampai):
                self.libur.add(hari)
                hari += timedelta(days=1)

    def buka(self, tanggal: date) -> bool:
        if not self.dari <= tanggal <= self.sampai:
            raise ValueError(f"{tanggal} is outside the calendar read ({self.dari}..{self.sampai})")
        return tanggal.weekday() not in self.mingguan and tanggal not in self.libur


def hari_buka_berikutnya(cabang: Cabang, tanggal: date) -> date:
    """`tanggal` if the branch is open that day, else the next day it opens."""
    kalender = Kalender(cabang, tanggal, tanggal + timedelta(days=BATAS_CARI))
    hari = tanggal
    while not kalender.buka(hari):
        hari += timedelta(days=1)
        if hari > kalender.sampai:
            raise KalenderGagal(
                _("%(c)s tidak punya hari buka dalam setahun; periksa kalender libur.")
                % {"c": cabang}
            )
    return hari


def tambah_hari_buka(cabang: Cabang, mulai: date, jumlah: int) -> date:
    """The day on which `jumlah` open days after `mulai` have passed (a hold's last day)."""
    kalender = Kalender(cabang, mulai, mulai + timedelta(days=BATAS_CARI + jumlah * 2))
    hari, sisa = mulai, jumlah
    while sisa > 0:
        hari += timedelta(days=1)
        if hari > kalender.sampai:
            raise KalenderGagal(
                _("%(c)s tidak punya hari buka dalam setahun; periksa kalender libur.")
                % {"c": cabang}
            )
        sisa -= kalender.buka(hari)
    return hari


def jumlah_hari_buka(cabang: Cabang, setelah: date, sampai: date) -> int:
    """Open days after `setelah` up to and including `sampai` (days a loan is late)."""
    if sampai <= setelah:
        return 0
    kalender = Kalender(cabang, setelah + timedelta(days=1), sampai)
    return sum(
        kalender.buka(setelah + timedelta(days=n)) for n in range(1, (sampai - setelah).days + 1)
    )
