"""Writing and exporting the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispusip import ekspor, forms, jobs
from dispusip.models import AuditLog

if TYPE_CHECKING:
    from dispusip.models import Job, Pengguna, Unit

IZIN_AUDIT = "dispusip.view_auditlog"


def catat(
    *,
    aksi: str,
    oleh: Pengguna | None,
    objek: models.Model | None = None,
    sebelum: dict[str, Any] | None = None,
    sesudah: dict[str, Any] | None = None,
    alasan: str = "",
    unit: Unit | None = None,
    ip: str | None = None,
) -> AuditLog:
    """Append one entry. `aksi` is dotted, family first ("pengguna.peran").

    The unit defaults to the object's unit, else the actor's; the branch is
    the actor's current working branch (where the desk action happened).
    """
    if unit is None:
        unit = getattr(objek, "unit", None) if objek is not None else None
    if unit is None and oleh is not None:
        unit = oleh.unit
    return AuditLog.objects.create(
        actor=oleh,
        actor_name=oleh.get_username() if oleh else "sistem",
        unit=unit,
        cabang=oleh.cabang_aktif if oleh else None,
        action=aksi,
        object_type=ContentType.objects.get_for_model(objek) if objek is not None else None,
        object_id=str(objek.pk) if objek is not None else "",
        object_repr=str(objek)[:255] if objek is not None else "",
        before=sebelum or {},
        after=sesudah or {},
        reason=alasan,
        ip_address=ip,
    )


KOLOM_EKSPOR = [
    ("id", gettext_lazy("ID")),
    ("created_at", gettext_lazy("Waktu")),
    ("actor_name", gettext_lazy("Pelaku")),
    ("unit__nama_singkat", gettext_lazy("Unit")),
    ("cabang__nama", gettext_lazy("Cabang")),
    ("action", gettext_lazy("Aksi")),
    ("object_type__model", gettext_lazy("Jenis objek")),
    ("object_id", gettext_lazy("ID objek")),
    ("object_repr", gettext_lazy("Objek")),
    ("before", gettext_lazy("Sebelum")),
    ("after", gettext_lazy("Sesudah")),
    ("reason", gettext_lazy("Alasan")),
    ("ip_address", gettext_lazy("Alamat IP")),
]


def ekspor_xlsx(*, job: Job, qs, baris_per_sheet: int = ekspor.BARIS_PER_SHEET) -> dict[str, int]:
    """Stream the audit entries of `qs` into an XLSX file attached to `job`."""
    fields = [name for name, _label in KOLOM_EKSPOR]
    return ekspor.tulis_xlsx(
        job=job,
        rows=qs.order_by("id").values_list(*fields),
        header=[label for _name, label in KOLOM_EKSPOR],
        judul=_("Log audit"),
        nama_berkas="log-audit",
        baris_per_sheet=baris_per_sheet,
    )


def mulai_ekspor(*, oleh: Pengguna, saringan: dict[str, str], ip: str | None = None) -> Job:
    """Start exporting the entries that match `saringan` (the raw filter values of
    the audit screen), and record that this person took a copy of the log."""
    if not oleh.has_perm(IZIN_AUDIT):
        raise PermissionDenied(_("Hanya Administrator yang dapat mengekspor log audit."))
    job = jobs.mulai(kind="audit.ekspor", oleh=oleh, params={"filter": saringan})
    catat(aksi="audit.ekspor", oleh=oleh, objek=job, sesudah={"filter": saringan}, ip=ip)
    return job


def ekspor_job(job: Job) -> dict[str, int]:
    """The work of an export job: check again who asked and what, then write the file."""
    if job.started_by is None or not job.started_by.has_perm(IZIN_AUDIT):
        raise jobs.JobGagal(_("Pemohon ekspor tidak lagi berwenang membaca log audit."))
    form = forms.SaringAuditForm(job.params.get("filter", {}))
    if not form.is_valid():
        raise jobs.JobGagal(_("Filter tidak valid: %(err)s") % {"err": forms.kesalahan_teks(form)})
    return ekspor_xlsx(job=job, qs=AuditLog.objects.saring(**form.saringan()))
