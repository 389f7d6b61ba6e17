"""Streaming a list of any size into an XLSX file attached to a job.

Any app's "export this list" job calls tulis_xlsx with a values_list queryset
and the column headings; the audit log export (audit.ekspor_xlsx) is the
working example.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

if TYPE_CHECKING:
    from dispusip.models import Job

# Excel's hard limit is 1,048,576 rows per sheet; one row goes to the header.
BARIS_PER_SHEET = 1_048_575


def nilai_sel(sheet, value: Any) -> Any:
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        # Excel has no time zones: write Jakarta wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, dict):
        value = "; ".join(f"{k}={v}" for k, v in value.items()) if value else ""
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith("="):
        # Names and titles come from people; "=HYPERLINK(…)" must stay text, not
        # become a formula that runs in the reader's spreadsheet.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def tulis_xlsx(
    *,
    job: Job,
    rows: QuerySet,
    header: Sequence[str],
    judul: str,
    nama_berkas: str,
    baris_per_sheet: int = BARIS_PER_SHEET,
) -> dict[str, int]:
    """Write `rows` (a values_list queryset, already ordered) to an XLSX file
    named `nama_berkas`-<timestamp>.xlsx on `job`, reporting progress.

    Rows go straight from a server-side cursor into openpyxl's write-only
    workbook, so memory stays flat however many millions there are; past
    Excel's row limit the list continues on sheet "<judul> 2", and so on.
    """
    header = [str(h) for h in header]
    total = rows.count()
    job.laporkan(0, total, _("Menulis %(total)s baris…") % {"total": f"{total:,}"})

    workbook = Workbook(write_only=True)
    sheet = None
    sheets = 0
    written = 0
    for written, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        if sheet is None or (written - 1) % baris_per_sheet == 0:
            sheets += 1
            sheet = workbook.create_sheet(f"{judul} {sheets}")
            sheet.append(header)
        sheet.append([nilai_sel(sheet, v) for v in row])
        job.laporkan(written, total)
    if sheet is None:
        sheets = 1
        workbook.create_sheet(f"{judul} 1").append(header)

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        workbook.save(tmp.name)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        with open(tmp.name, "rb") as fh:
            job.simpan_berkas(f"{nama_berkas}-{stamp}.xlsx", File(fh))
    return {"baris": written, "sheet": sheets}
