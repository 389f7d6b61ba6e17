"""Read-side queries of the OPAC and the staff screens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from katalog import pencarian
from katalog.models import Eksemplar, Katalog, StatusEksemplar, Tajuk

NAMA_FACET = {
    "tersedia": gettext_lazy("Ketersediaan"),
    "jenis": gettext_lazy("Jenis bahan"),
    "cabang": gettext_lazy("Cabang"),
    "kategori": gettext_lazy("Kategori koleksi"),
    "tahun": gettext_lazy("Tahun terbit"),
    "bahasa": gettext_lazy("Bahasa"),
    "topik": gettext_lazy("Subjek"),
}


def nama_cabang() -> dict[int, str]:
    return pencarian.nama_rujukan()["cabang"]


def terbaru(jumlah: int) -> list[Katalog]:
    return list(Katalog.objects.opac().ringkas().order_by("-dibuat", "-id")[:jumlah])


CONTOH_ID = 987654321


def baris_ringkas(rekaman: Iterable[Katalog]) -> list[dict[str, str]]:
    """Records as a result list shows them, every text ready: the list template only
    places them. Django's template engine costs some microseconds a lookup, and a
    page of twenty records asked it for 340 lookups, tags and filters."""
    # reverse() costs tens of microseconds (URLconf, script prefix, language): once a
    # list, with the ids filled in.
    awal, akhir = reverse("opac:rekaman", args=[CONTOH_ID]).split(str(CONTOH_ID))
    hasil = []
    for k in rekaman:
        warna, ketersediaan = k.status_rak()
        hasil.append(
            {
                "url": f"{awal}{k.pk}{akhir}",
                "huruf": k.judul[:1].upper(),
                "judul": k.judul_lengkap,
                "pengarang": k.pengarang_teks,
                "terbitan": k.terbitan,
                "nomor_panggil": k.nomor_panggil,
                "jenis": k.get_jenis_display(),
                "warna": warna,
                "ketersediaan": ketersediaan,
            }
        )
    return hasil


def jelajah() -> list[Tajuk]:
    """The most used subjects, to browse from the OPAC's front page."""
    return list(Tajuk.objects.filter(jenis=Tajuk.Jenis.SUBJEK).order_by("-jumlah")[:16])


def _pasangan(get: QueryDict) -> list[tuple[str, str]]:
    """The query's parameters as pairs, without the page (a new filter starts at page 1)."""
    return [(k, v) for k, daftar in get.lists() if k != "halaman" for v in daftar]


def _url(pasangan: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pasangan)


def _angka(n: int, pasti: bool, pemisah: str) -> str:
    teks = f"{n:,}".replace(",", pemisah)
    return teks if pasti else f"≥{teks}"


def facet_tampil(facet_mentah: dict, get: QueryDict, *, pasti: bool = True) -> list[dict]:
    """Facets as the page shows them: label, count and the link that toggles each value.
    A count taken from the first hits only (not `pasti`) reads "≥ n"."""
    berlabel = pencarian.beri_label(facet_mentah)
    dasar = _pasangan(get)
    # Looked up once: number_format() looks the language and its format up per number.
    pemisah = get_format("THOUSAND_SEPARATOR")
    # Adding a value only appends to the query as it stands, encoded once.
    sekarang = _url(dasar)
    hasil = []
    for nama, judul in NAMA_FACET.items():
        baris = []
        for nilai, label, jumlah in berlabel.get(nama, []):
            if nama == "tersedia":  # "on" from the checkbox, "1" from a link
                nilai, label = "1", _("Ada di rak sekarang")
                aktif = any(k == "tersedia" for k, _v in dasar)
                tanpa = [p for p in dasar if p[0] != "tersedia"]
            else:
                aktif = (nama, nilai) in dasar
                tanpa = [p for p in dasar if p != (nama, nilai)]
            if aktif:
                url = _url(tanpa)
            else:
                tambah = urlencode([(nama, nilai)])
                url = f"{sekarang}&{tambah}" if dasar else f"?{tambah}"
            baris.append(
                {
                    "nilai": nilai,
                    "label": label,
                    "jumlah": _angka(jumlah, pasti, pemisah),
                    "aktif": aktif,
                    "url": url,
                }
            )
        if baris:
            hasil.append({"nama": nama, "judul": judul, "nilai": baris})
    return hasil


def saringan_aktif(get: QueryDict) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    dasar = _pasangan(get)
    aktif = [(nama, nilai) for nama, nilai in dasar if nama in NAMA_FACET]
    if not aktif:
        return []
    label = {
        nama: dict((v, lab) for v, lab, _n in daftar)
        for nama, daftar in pencarian.beri_label(
            {nama: [(nilai, 0) for n, nilai in aktif if n == nama] for nama in NAMA_FACET}
        ).items()
    }
    return [
        {
            "judul": NAMA_FACET[nama],
            "label": _("Ada di rak sekarang")
            if nama == "tersedia"
            else label[nama].get(nilai, nilai),
            "url": _url([p for p in dasar if p != (nama, nilai)]),
        }
        for nama, nilai in aktif
    ]


def tautan_halaman(halaman: int, jumlah: int, get: QueryDict) -> list[dict | None]:
    """The pager's links, keeping the query and its filters (None = gap)."""
    dasar = _pasangan(get)
    return [
        {"nomor": n, "url": _url([*dasar, ("halaman", n)]), "aktif": n == halaman} if n else None
        for n in nomor_halaman(halaman, jumlah)
    ]


def nomor_halaman(halaman: int, jumlah: int) -> list[int | None]:
    """Page numbers to show: first, last and two around the current one (None = gap)."""
    tampil = sorted({1, jumlah, *range(max(1, halaman - 2), min(jumlah, halaman + 2) + 1)})
    hasil: list[int | None] = []
    for n in tampil:
        if hasil and n - (hasil[-1] or 0) > 1:
            hasil.append(None)
        hasil.append(n)
    return hasil


def ketersediaan(katalog: Katalog) -> list[dict]:
    """Copies per branch: where they stand, under which call number, and when loans end."""
    items = (
        Eksemplar.objects.aktif()
        .filter(katalog=katalog)
        .select_related("cabang", "cabang__unit", "lokasi", "kategori")
        .order_by("cabang__unit__urutan", "cabang__nama", "barcode")
    )
    per_cabang: dict[int, dict] = {}
    for item in items:
        entri = per_cabang.setdefault(
            item.cabang_id, {"cabang": item.cabang, "eksemplar": [], "tersedia": 0}
        )
        entri["eksemplar"].append(item)
        entri["tersedia"] += item.status == StatusEksemplar.TERSEDIA
    return sorted(per_cabang.values(), key=lambda e: (-e["tersedia"], e["cabang"].nama))


def karya_lain_pengarang(katalog: Katalog, jumlah: int = 5) -> list[Katalog]:
    if not katalog.pengarang:
        return []
    nama = katalog.pengarang[0]["nama"]
    return list(
        Katalog.objects.opac()
        .ringkas()
        .filter(pengarang__contains=[{"nama": nama}])
        .exclude(pk=katalog.pk)
        .order_by("-tahun", "-id")[:jumlah]
    )


def karya_lain_subjek(katalog: Katalog, jumlah: int = 5) -> list[Katalog]:
    if not katalog.subjek:
        return []
    qs = Katalog.objects.opac().ringkas().filter(subjek__overlap=katalog.subjek)
    qs = qs.exclude(pk=katalog.pk)
    if katalog.pengarang:  # the author's own works are listed separately
        qs = qs.exclude(pengarang__contains=[{"nama": katalog.pengarang_utama}])
    return list(qs.order_by("-tahun", "-id")[:jumlah])


def ringkasan_eksemplar(katalog_ids: list[int]) -> dict[int, dict[str, int]]:
    """Copies and copies on the shelf per record, for the staff list."""
    hasil: dict[int, dict[str, int]] = defaultdict(lambda: {"total": 0, "tersedia": 0})
    for row in (
        Eksemplar.objects.aktif()
        .filter(katalog_id__in=katalog_ids)
        .values("katalog_id")
        .annotate(
            total=Count("id"), tersedia=Count("id", filter=Q(status=StatusEksemplar.TERSEDIA))
        )
    ):
        hasil[row["katalog_id"]] = {"total": row["total"], "tersedia": row["tersedia"]}
    return hasil
