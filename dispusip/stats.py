"""Statistics the core provides to dashboards through the registry."""

from dispusip.models import Cabang, Pengguna, Unit


def cabang_aktif(unit: Unit | None) -> int:
    return Cabang.objects.aktif().milik_unit(unit).count()


def staf_aktif(unit: Unit | None) -> int:
    qs = Pengguna.objects.staf()
    return (qs.filter(unit=unit) if unit else qs).count()
