"""One upload screen for every import: files, source and branch; a preview with the
lookup values to map; then a background job with a progress bar and a problem report."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dispusip import akses, impor, jobs, pembaca
from dispusip.forms import ImporForm
from dispusip.http import AuthedRequest
from dispusip.models import Cabang
from dispusip.views import staf_required

KUNCI = "dispusip_impor"


def _boleh(user) -> list[impor.Pengimpor]:
    return [p for p in impor.semua_pengimpor() if user.has_perm(p.izin)]


def _cabang_boleh(user):
    qs = Cabang.objects.aktif().select_related("unit")
    unit = akses.unit_lingkup(user)
    return qs if unit is None else qs.filter(unit=unit)


@require_http_methods(["GET", "POST"])
@staf_required
def unggah(request: AuthedRequest):
    """Step one: the files, their source and the branch their items go to; then the preview."""
    pengimpor = _boleh(request.user)
    if not pengimpor:
        raise PermissionDenied
    form = ImporForm(
        request.POST or None, request.FILES or None, cabang=_cabang_boleh(request.user)
    )
    if request.method == "POST" and form.is_valid():
        folder = Path(settings.MEDIA_ROOT) / "impor" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        konteks = _pratinjau(request, form, folder, pengimpor)
        if konteks is not None:
            return render(request, "dispusip/impor_pratinjau.html", konteks)
        shutil.rmtree(folder, ignore_errors=True)
    return render(
        request,
        "dispusip/impor.html",
        {"form": form, "pengimpor": pengimpor, "format": impor.FORMAT},
    )


def _pratinjau(request, form, folder: Path, pengimpor) -> dict | None:
    d = form.cleaned_data
    asli = folder / "asli"
    asli.mkdir()
    jalur = []
    for n, f in enumerate(d["berkas"]):
        tujuan = asli / f"{n:03d}-{Path(f.name).name}"
        with open(tujuan, "wb") as keluar:
            for potong in f.chunks():
                keluar.write(potong)
        jalur.append((f.name, tujuan))
    try:
        berkas = []
        for nama, j in jalur:
            for b in pembaca.kumpulkan([j], folder / "isi"):
                if b.jalur == j:
                    b.nama = nama
                berkas.append(b)
        tak_dikenal = impor.kenali(berkas, d["format"])
    except pembaca.BerkasGagal as exc:
        form.add_error("berkas", str(exc))
        return None
    dikenal = [b for b in berkas if b.tabel]
    if not dikenal:
        for nama, pesan in tak_dikenal.items():
            form.add_error("berkas", f"{nama}: {' '.join(pesan)}")
        return None
    milik = {t: p for p in pengimpor for t in p.tabel}
    tanpa_izin = [b.nama for b in dikenal if b.tabel not in milik]
    if tanpa_izin:
        form.add_error("berkas", impor.pesan_tanpa_izin(tanpa_izin))
        return None
    sesi = impor.Sesi(
        sumber=impor.SumberImpor(nama=d["sumber"]),
        cabang=d["cabang"],
        oleh=request.user,
        berkas=dikenal,
        sebagian=d["sebagian"],
    )
    bagian, lookup = [], []
    aktif = [p for p in pengimpor if any(b.tabel in p.tabel for b in dikenal)]
    try:
        for p in aktif:
            bagian += p.pratinjau(sesi)
            lookup += p.lookup(sesi)
    except pembaca.BerkasGagal as exc:
        form.add_error("berkas", str(exc))
        return None
    request.session[KUNCI] = {
        "folder": str(folder),
        "berkas": [
            {"nama": b.nama, "jalur": str(b.jalur.relative_to(folder)), "tabel": b.tabel}
            for b in dikenal
        ],
        "sumber": d["sumber"],
        "cabang": d["cabang"].pk,
        "sebagian": d["sebagian"],
        "lookup": [x.kunci for x in lookup],
        "kemajuan_persen": True,
    }
    return {
        "p": request.session[KUNCI],
        "cabang": d["cabang"],
        "berkas": [(b, impor.peta_kolom(b) if b.tabel else None) for b in berkas],
        "tak_dikenal": tak_dikenal,
        "format": [impor.FORMAT[f] for f in impor.format_terdeteksi(dikenal)],
        "bagian": bagian,
        "lookup": lookup,
        "masalah": sesi.laporan.masalah[:20],
        "baru": impor.BARU,
    }


@require_POST
@staf_required
def jalankan(request: AuthedRequest):
    """Step two: the previewed files, with the lookup choices, run as a job."""
    params = request.session.pop(KUNCI, None)
    if not params:
        return redirect("impor")
    cabang = Cabang.objects.get(pk=params["cabang"])
    pengimpor = _boleh(request.user)
    milik = {t for p in pengimpor for t in p.tabel}
    if not pengimpor or any(b["tabel"] not in milik for b in params["berkas"]):
        raise PermissionDenied
    # Each importer the files need, in the target unit (a circulation librarian of
    # another unit may not bring members into this one).
    for p in pengimpor:
        if any(b["tabel"] in p.tabel for b in params["berkas"]):
            akses.wajib_boleh(request.user, cabang.unit_id, permission=p.izin)
    params["pemetaan"] = {
        kunci: request.POST.get(f"peta-{n}", "") for n, kunci in enumerate(params.pop("lookup"))
    }
    job = jobs.mulai(kind="dispusip.impor", oleh=request.user, params=params, unit=cabang.unit)
    return redirect(job.get_absolute_url())
