"""Importing MARC files: upload, preview, then run as a background job."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dispusip import akses, jobs, pembaca
from dispusip.http import AuthedRequest
from dispusip.models import Cabang
from dispusip.views import staf_required
from katalog import impor_marc
from katalog.forms import ImporMarcForm
from katalog.models import KategoriKoleksi
from katalog.views import _cabang_saya

boleh_impor = permission_required(
    ["katalog.add_katalog", "katalog.add_eksemplar"], raise_exception=True
)
KUNCI = "katalog_impor_marc"


@require_http_methods(["GET", "POST"])
@staf_required
@boleh_impor
def unggah(request: AuthedRequest):
    """Step one: the file and where its copies go; then the preview."""
    form = ImporMarcForm(
        request.POST or None, request.FILES or None, cabang=_cabang_saya(request.user)
    )
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        raw = berkas.read()
        try:
            ringkas = impor_marc.pratinjau(raw)
        except pembaca.BerkasGagal as exc:
            form.add_error("berkas", str(exc))
        else:
            jalur = default_storage.save(f"impor/{uuid.uuid4().hex}/{berkas.name}", berkas)
            request.session[KUNCI] = {
                "berkas": jalur,
                "nama": berkas.name,
                "sumber": form.cleaned_data["sumber"],
                "cabang": form.cleaned_data["cabang"].pk,
                "kategori": form.cleaned_data["kategori"].pk,
                "sebagian": form.cleaned_data["sebagian"],
            }
            return render(
                request,
                "katalog/impor_pratinjau.html",
                {
                    "ringkas": ringkas,
                    "format": pembaca.jenis_berkas(berkas.name, raw[:8192]),
                    "p": request.session[KUNCI],
                    "cabang": form.cleaned_data["cabang"],
                    "kategori": form.cleaned_data["kategori"],
                },
            )
    return render(request, "katalog/impor.html", {"form": form})


@require_POST
@staf_required
@boleh_impor
def jalankan(request: AuthedRequest):
    """Step two: run the previewed import as a job with a progress bar."""
    params = request.session.pop(KUNCI, None)
    if not params:
        return redirect("katalog:impor")
    cabang = Cabang.objects.get(pk=params["cabang"])
    akses.wajib_boleh(request.user, cabang.unit_id, permission="katalog.add_eksemplar")
    KategoriKoleksi.objects.get(pk=params["kategori"])
    job = jobs.mulai(kind="katalog.impor_marc", oleh=request.user, params=params, unit=cabang.unit)
    return redirect(job.get_absolute_url())
