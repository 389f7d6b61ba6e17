"""The public catalogue: no login, works without JavaScript, Indonesian and English."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from pymarc import record_to_xml

from dispusip.batas import batasi
from dispusip.http import HtmxHttpRequest
from dispusip.registry import registry
from katalog import kutipan, pencarian, selectors
from katalog import marc as marc_mod
from katalog.forms import URUTAN, KueriForm
from katalog.models import Katalog, SumberDigital


@require_GET
@batasi("opac", "OPAC_RATE")
def cari(request: HtmxHttpRequest) -> HttpResponse:
    form = KueriForm(request.GET)
    if not form.is_valid():
        return render(request, "katalog/opac/cari.html", {"form": form}, status=400)
    kueri = form.kueri()
    if kueri.kosong:
        return render(
            request,
            "katalog/opac/beranda.html",
            {
                "form": form,
                "terbaru": selectors.baris_ringkas(selectors.terbaru(8)),
                "jelajah": selectors.jelajah(),
            },
        )
    hasil = pencarian.cari(kueri, baris=True)
    return render(request, "katalog/opac/cari.html", konteks_hasil(request, form, kueri, hasil))


def konteks_hasil(request, form: KueriForm, kueri: pencarian.Kueri, hasil: pencarian.Hasil) -> dict:
    """What the result page shows for a search already run (also used by bench/opac.py)."""
    return {
        "form": form,
        "kueri": kueri,
        "hasil": hasil,
        "daftar": selectors.baris_ringkas(hasil.rekaman),
        "facet": selectors.facet_tampil(hasil.facet, request.GET, pasti=hasil.facet_pasti),
        "saringan_aktif": selectors.saringan_aktif(request.GET),
        "urutan": URUTAN,
        "halaman": selectors.tautan_halaman(hasil.halaman, hasil.jumlah_halaman, request.GET),
        "nomor_awal": (hasil.halaman - 1) * pencarian.PER_HALAMAN + 1,
    }


@require_GET
@batasi("opac-saran", "OPAC_RATE")
def saran(request: HtmxHttpRequest) -> HttpResponse:
    """Suggestions as the person types (an htmx partial under the search box)."""
    q = request.GET.get("q", "")[:100]
    return render(request, "katalog/opac/_saran.html", {"saran": pencarian.saran_ketik(q), "q": q})


@require_GET
def lanjutan(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "katalog/opac/lanjutan.html", {"form": KueriForm()})


def _rekaman_opac(pk: int) -> Katalog:
    return get_object_or_404(Katalog.objects.opac(), pk=pk)


@require_GET
def rekaman(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    katalog = _rekaman_opac(pk)
    record = marc_mod.record_dari_json(katalog.marc)
    return render(
        request,
        "katalog/opac/rekaman.html",
        {
            "k": katalog,
            "ketersediaan": selectors.ketersediaan(katalog),
            "digital": katalog.sumber_digital.all(),
            "marc_teks": marc_mod.ke_teks(record),
            "pengarang_lain": selectors.karya_lain_pengarang(katalog),
            "subjek_lain": selectors.karya_lain_subjek(katalog),
            "permalink": request.build_absolute_uri(katalog.get_absolute_url()),
            "aksi_rekaman": registry.record_actions,
        },
    )


@require_GET
def kutip(request: HtmxHttpRequest, pk: int, format: str) -> HttpResponse:
    katalog = _rekaman_opac(pk)
    url = request.build_absolute_uri(katalog.get_absolute_url())
    if format == "ris":
        body, jenis = kutipan.ris(katalog, url), "application/x-research-info-systems"
    else:
        body, jenis = kutipan.bibtex(katalog, url), "application/x-bibtex"
    response = HttpResponse(body, content_type=f"{jenis}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="katalog-{katalog.pk}.{format}"'
    return response


@require_GET
def unduh_marc(request: HtmxHttpRequest, pk: int, format: str) -> HttpResponse:
    katalog = _rekaman_opac(pk)
    record = marc_mod.record_dari_json(katalog.marc)
    if format == "xml":
        response = HttpResponse(
            record_to_xml(record, namespace=True), content_type="application/marcxml+xml"
        )
    else:
        response = HttpResponse(record.as_marc(), content_type="application/marc")
    response["Content-Disposition"] = f'attachment; filename="katalog-{katalog.pk}.{format}"'
    return response


@require_GET
def sumber_digital(request: HtmxHttpRequest, pk: int, sumber_pk: int) -> HttpResponse:
    """Serve an e-resource: open ones to everyone, members-only ones after login."""
    sumber = get_object_or_404(
        SumberDigital.objects.select_related("katalog"), pk=sumber_pk, katalog_id=pk
    )
    if not sumber.katalog.tampil_opac:
        raise Http404
    if sumber.berlisensi:
        # Licensed files are read only through a member's digital loan.
        return redirect(sumber.katalog.get_absolute_url())
    if sumber.akses == SumberDigital.Akses.ANGGOTA and not request.user.is_authenticated:
        login = reverse("login")
        return redirect(f"{login}?next={request.path}")
    if sumber.tautan:
        return redirect(sumber.tautan)
    try:
        berkas = sumber.berkas.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas tidak ditemukan.")) from None
    response = FileResponse(
        berkas,
        content_type=sumber.jenis_isi or "application/octet-stream",
        filename=sumber.berkas.name.rsplit("/", 1)[-1],
        as_attachment=False,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = (
        "private, no-store"
        if sumber.akses == SumberDigital.Akses.ANGGOTA
        else "public, max-age=3600"
    )
    return response
