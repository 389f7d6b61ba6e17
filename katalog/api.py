"""JSON search API for kiosks and the call centre: the OPAC's parameters and facets.

GET /api/v1/katalog/?q=…  (same parameters as /opac/)      → hits and facets
GET /api/v1/katalog/<id>/                                   → one record with its copies
GET /api/v1/katalog/saran/?q=…                              → autocomplete headings
Rate-limited per client (OPAC_API_RATE); answers 429 with Retry-After beyond it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from dispusip.batas import batasi
from katalog import pencarian, selectors
from katalog.forms import KueriForm
from katalog.models import Katalog


def _ringkas(k: Katalog, nama_cabang: dict[int, str], request: HttpRequest) -> dict:
    return {
        "id": k.pk,
        "judul": k.judul,
        "anak_judul": k.anak_judul,
        "pengarang": k.pengarang,
        "penerbit": k.penerbit,
        "tempat_terbit": k.tempat_terbit,
        "tahun": k.tahun,
        "isbn": k.isbn,
        "issn": k.issn,
        "nomor_panggil": k.nomor_panggil,
        "jenis": k.jenis,
        "bahasa": k.bahasa,
        "subjek": k.subjek,
        "tersedia_di": [nama_cabang.get(c, str(c)) for c in k.cabang_tersedia],
        "dimiliki": [nama_cabang.get(c, str(c)) for c in k.cabang_pemilik],
        "url": request.build_absolute_uri(k.get_absolute_url()),
    }


@require_GET
@batasi("api", "OPAC_API_RATE", json=True)
def cari(request: HttpRequest) -> JsonResponse:
    form = KueriForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"galat": form.errors.get_json_data()}, status=400)
    hasil = pencarian.cari(form.kueri())
    nama_cabang = selectors.nama_cabang()
    return JsonResponse(
        {
            "total": hasil.total,
            "total_pasti": hasil.total_pasti,
            "total_perkiraan": hasil.total_perkiraan,
            "halaman": hasil.halaman,
            "jumlah_halaman": hasil.jumlah_halaman,
            "urut": hasil.urut,
            "saran": hasil.saran,
            "hasil": [_ringkas(k, nama_cabang, request) for k in hasil.rekaman],
            "facet": {
                nama: [{"nilai": v, "label": label, "jumlah": n} for v, label, n in daftar]
                for nama, daftar in pencarian.beri_label(hasil.facet).items()
            },
            "facet_pasti": hasil.facet_pasti,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@batasi("api", "OPAC_API_RATE", json=True)
def rekaman(request: HttpRequest, pk: int) -> JsonResponse:
    k = Katalog.objects.opac().ringkas().filter(pk=pk).first()
    if k is None:
        raise Http404
    data = _ringkas(k, selectors.nama_cabang(), request)
    data.update(
        edisi=k.edisi,
        deskripsi_fisik=k.deskripsi_fisik,
        seri=k.seri,
        catatan=k.catatan,
        abstrak=k.abstrak,
        eksemplar=[
            {
                "cabang": c["cabang"].nama,
                "lokasi": e.lokasi.nama if e.lokasi else "",
                "nomor_panggil": e.nomor_panggil_tampil,
                "kategori": e.kategori.nama,
                "status": e.status,
                "status_label": e.get_status_display(),
                "jatuh_tempo": e.jatuh_tempo.isoformat() if e.jatuh_tempo else None,
            }
            for c in selectors.ketersediaan(k)
            for e in c["eksemplar"]
        ],
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
@batasi("api", "OPAC_API_RATE", json=True)
def saran(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"saran": pencarian.saran_ketik(request.GET.get("q", "")[:100])},
        json_dumps_params={"ensure_ascii": False},
    )
