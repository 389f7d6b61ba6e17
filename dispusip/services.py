"""Use cases of the core: staff accounts, roles and working branches."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from dispusip import akses, audit
from dispusip.models import Cabang, Pengguna, Unit
from dispusip.peran import Peran, periksa_peran
from dispusip.registry import registry


class AksesDitolak(Exception):
    """The actor may not do this; the message is shown to them."""


def sinkron_peran(*, strict: bool = True) -> None:
    """Make sure every role's group exists with the permissions apps granted it.

    Runs after every app's migrate (strict=False, since later apps' permissions
    do not exist yet). Permissions an administrator added by hand are kept.
    """
    for role in Peran.values:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = registry.role_permissions.get(role, set())
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None and not strict:
                continue
            if perm is None:
                raise LookupError(f"Role {role!r} is granted unknown permission {dotted!r}")
            perms.append(perm)
        group.permissions.add(*perms)


def _grup(peran: Iterable[str]) -> list[Group]:
    """The groups of these roles; a role whose group is missing is an error, not a no-op."""
    peran = set(peran)
    groups = list(Group.objects.filter(name__in=peran))
    missing = peran - {g.name for g in groups}
    if missing:
        raise LookupError(
            f"Role groups missing: {', '.join(sorted(missing))}; run `manage.py migrate` first"
        )
    return groups


def _ringkas(pengguna: Pengguna) -> dict:
    return {
        "unit": pengguna.unit.kode if pengguna.unit else None,
        "cabang": pengguna.cabang.kode if pengguna.cabang else None,
        "peran": sorted(pengguna.groups.values_list("name", flat=True)),
        "aktif": pengguna.is_active,
    }


@transaction.atomic
def buat_staf(
    *,
    username: str,
    nama_depan: str,
    nama_belakang: str = "",
    email: str = "",
    unit: Unit,
    cabang: Cabang | None = None,
    peran: Iterable[str] = (),
    password: str | None = None,
    oleh: Pengguna | None,
) -> Pengguna:
    """Create a staff account; raises ValidationError on a branch of another unit."""
    peran = list(peran)
    periksa_peran(unit_id=unit.pk, peran=peran)
    pengguna = Pengguna(
        username=username,
        first_name=nama_depan,
        last_name=nama_belakang,
        email=email,
        unit=unit,
        cabang=cabang,
    )
    if password:
        pengguna.set_password(password)
    else:
        pengguna.set_unusable_password()
    pengguna.full_clean()
    pengguna.save()
    pengguna.groups.set(_grup(peran))
    audit.catat(aksi="pengguna.dibuat", oleh=oleh, objek=pengguna, sesudah=_ringkas(pengguna))
    return pengguna


@transaction.atomic
def atur_peran(
    *, pengguna: Pengguna, peran: Iterable[str], oleh: Pengguna, alasan: str = ""
) -> Pengguna:
    """Replace a staff member's roles; only an administrator may."""
    peran = set(peran)
    if not oleh.berperan(Peran.ADMINISTRATOR):
        raise AksesDitolak(_("Hanya Administrator yang dapat mengubah peran."))
    periksa_peran(unit_id=pengguna.unit_id, peran=peran)
    sebelum = _ringkas(pengguna)
    pengguna.groups.set(_grup(peran))
    pengguna.__dict__.pop("peran", None)
    audit.catat(
        aksi="pengguna.peran",
        oleh=oleh,
        objek=pengguna,
        sebelum=sebelum,
        sesudah=_ringkas(pengguna),
        alasan=alasan,
    )
    return pengguna


def cabang_pilihan(pengguna: Pengguna):
    """Branches a staff member may work at: their unit's, or any for province-wide roles."""
    return akses.dalam_lingkup(Cabang.objects.aktif().select_related("unit"), pengguna)


def ganti_cabang_kerja(*, pengguna: Pengguna, cabang: Cabang) -> Pengguna:
    """Switch where the staff member works today; desk actions record this branch."""
    if not cabang_pilihan(pengguna).filter(pk=cabang.pk).exists():
        raise AksesDitolak(
            _("Anda tidak dapat bertugas di %(cabang)s: cabang itu bukan milik unit Anda.")
            % {"cabang": cabang}
        )
    pengguna.cabang_kerja = cabang
    pengguna.save(update_fields=["cabang_kerja"])
    return pengguna
