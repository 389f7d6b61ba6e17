"""Collection figures the core reads through the registry."""

from dispusip.models import Unit
from katalog.models import Eksemplar, Katalog


def judul(unit: Unit | None) -> int:
    """Titles held: the whole union catalogue, or titles with a copy in the unit."""
    if unit is None:
        return Katalog.objects.count()
    return Katalog.objects.filter(eksemplar__unit=unit).distinct().count()


def eksemplar(unit: Unit | None) -> int:
    qs = Eksemplar.objects.aktif()
    return qs.count() if unit is None else qs.filter(unit=unit).count()
