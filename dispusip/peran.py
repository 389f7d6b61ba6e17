"""Staff roles. Each role is a Django group of the same name; apps grant it
permissions through the registry (dispusip.registry.grant)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Peran(models.TextChoices):
    ADMINISTRATOR = "Administrator", _("Administrator")
    SIRKULASI = "Pustakawan Sirkulasi", _("Pustakawan Sirkulasi")
    KATALOGISASI = "Katalogisasi", _("Katalogisasi")
    SERAH_SIMPAN = "Serah Simpan", _("Serah Simpan")
    PEMBINAAN = "Pembinaan", _("Pembinaan")
    ARSIPARIS = "Arsiparis", _("Arsiparis")
    LITERASI = "Literasi", _("Literasi")
    PIMPINAN = "Pimpinan", _("Pimpinan")


# Roles that see and act on every unit; every other role stays within its own.
LINGKUP_PROVINSI = frozenset({Peran.ADMINISTRATOR, Peran.PIMPINAN})

# Pimpinan reads dashboards and reports; it never changes data.
HANYA_BACA = frozenset({Peran.PIMPINAN})


def periksa_peran(*, unit_id: int | None, peran: Iterable[str]) -> None:
    """Every role is held by staff of a unit: members and unit-less accounts hold none."""
    peran = set(peran)
    unknown = peran - set(Peran.values)
    if unknown:
        raise ValidationError(
            _("Peran tidak dikenal: %(p)s"), params={"p": ", ".join(sorted(unknown))}
        )
    if peran and unit_id is None:
        raise ValidationError(
            _("Peran staf hanya dapat diberikan kepada pengguna yang punya unit.")
        )
