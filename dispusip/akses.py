"""The one place that decides whether a user may act on an object of a unit.

Bibliographic records are province-wide (unit=None); items, members' desk
actions and statistics belong to a unit. Administrator and Pimpinan reach
every unit, Pimpinan read-only; every other role acts within its own unit.
Apps call these helpers instead of comparing units themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from dispusip.models import Pengguna, Unit


def boleh(
    user: Pengguna,
    unit: Unit | int | None,
    *,
    permission: str | None = None,
    ubah: bool = True,
) -> bool:
    """May `user` see (ubah=False) or change (ubah=True) an object of `unit`?

    unit=None means a province-wide object. `permission` ("app.codename") is
    checked first, so a role must hold the right as well as the scope.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if permission and not user.has_perm(permission):
        return False
    if user.is_superuser:
        return True
    if ubah and user.hanya_baca:
        return False
    if not user.adalah_staf:
        return False
    if unit is None or user.lingkup_provinsi:
        return True
    unit_id = unit if isinstance(unit, int) else unit.pk
    return user.unit_id == unit_id


def wajib_boleh(
    user: Pengguna,
    unit: Unit | int | None,
    *,
    permission: str | None = None,
    ubah: bool = True,
) -> None:
    """boleh(), raising PermissionDenied (a 403 page) when the answer is no."""
    if not boleh(user, unit, permission=permission, ubah=ubah):
        raise PermissionDenied(_("Anda tidak berwenang atas data unit ini."))


def unit_lingkup(user: Pengguna) -> Unit | None:
    """The unit a user's lists and statistics cover; None means the whole province."""
    return None if user.lingkup_provinsi else user.unit


def dalam_lingkup(qs: QuerySet, user: Pengguna, *, field: str = "unit") -> QuerySet:
    """Restrict a list to the units the user may see."""
    if user.lingkup_provinsi:
        return qs
    if not user.adalah_staf or user.unit_id is None:
        return qs.none()
    return qs.filter(**{f"{field}_id": user.unit_id})
