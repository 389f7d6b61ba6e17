"""Channels that reach a member: email now; an SMS or WhatsApp gateway later.

Many members give a phone number and no email, so nothing here assumes email:
a use case asks for the first channel that reaches the member (in the order of
settings.SIRKULASI_SALURAN) and sends through it. A gateway is one class with
`menjangkau` and `kirim`, registered with `daftarkan_saluran`.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _

from sirkulasi.models import Anggota


class Saluran(Protocol):
    kode: str
    nama: str

    def menjangkau(self, anggota: Anggota) -> bool: ...

    def kirim(self, anggota: Anggota, *, subjek: str, isi: str) -> None: ...


class SaluranEmail:
    kode = "email"
    nama = _("email")

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
