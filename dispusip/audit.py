"""Writing and exporting the audit log."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dispusip import forms, jobs
from dispusip.models import AuditLog

if TYPE_CHECKING:
    from dispusip.models import Job, Pengguna, Unit

IZIN_AUDIT = "dispusip.view_auditlog"

# Excel's hard limit is 1,048,576 rows per sheet; one row goes to the header.
BARIS_PER_SHEET = 1_048_575


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


def _sel(sheet, value: Any) -> Any:
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        # Excel has no time zones: write Jakarta wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, dict):
        value = "; ".join(f"{k}={v}" for k, v in value.items()) if value else ""
    if isinstance(value, str) and value.startswith("="):
        # Names and titles come from people; "=HYPERLINK(…)" must stay text, not
        # become a formula that runs in the administrator's spreadsheet.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def ekspor_xlsx(*, job: Job, qs, baris_per_sheet: int = BARIS_PER_SHEET) -> dict[str, int]:
    """Stream the audit entries of `qs` into an XLSX file attached to `job`.

    Rows go straight from a server-side cursor into openpyxl's write-only
    workbook, so memory stays flat however many millions of rows there are;
    past Excel's row limit the export continues on a new sheet.
    """
    fields = [name for name, _label in KOLOM_EKSPOR]
    header = [str(label) for _name, label in KOLOM_EKSPOR]
    total = qs.count()
    job.laporkan(0, total, _("Menulis %(total)s baris…") % {"total": f"{total:,}"})

    workbook = Workbook(write_only=True)
    sheet = None
    sheets = 0
    written = 0
    rows = qs.order_by("id").values_list(*fields).iterator(chunk_size=2000)
    for written, row in enumerate(rows, start=1):
        if sheet is None or (written - 1) % baris_per_sheet == 0:
            sheets += 1
            sheet = workbook.create_sheet(_("Log audit %(n)s") % {"n": sheets})
            sheet.append(header)
        sheet.append([_sel(sheet, v) for v in row])
        job.laporkan(written, total)
    if sheet is None:
        sheets = 1
        workbook.create_sheet(_("Log audit 1")).append(header)

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        workbook.save(tmp.name)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        with open(tmp.name, "rb") as fh:
            job.simpan_berkas(f"log-audit-{stamp}.xlsx", File(fh))
    return {"baris": written, "sheet": sheets}


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
