"""Cataloguing screens for staff: thin views over katalog.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import models, transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispusip import akses
from dispusip.audit import catat
from dispusip.http import AuthedRequest, alamat_klien
from dispusip.kode_batang import svg_barcode
from dispusip.models import Cabang
from dispusip.views import staf_required
from katalog import marc as marc_mod
from katalog import pencarian, selectors, services
from katalog.forms import (
    AlasanForm,
    KatalogForm,
    KueriForm,
    MarcForm,
    PindahEksemplarForm,
    SumberDigitalForm,
    TambahEksemplarForm,
    UbahEksemplarForm,
)
from katalog.models import CalonGabung, Eksemplar, Katalog, SumberDigital

lihat = permission_required("katalog.view_katalog", raise_exception=True)
ubah = permission_required("katalog.change_katalog", raise_exception=True)
tambah = permission_required("katalog.add_katalog", raise_exception=True)


def _cabang_saya(user) -> Cabang:
    """Branches the user may put items in: their unit's, or all for province-wide roles."""
    qs = Cabang.objects.aktif().select_related("unit")
    unit = akses.unit_lingkup(user)
    return qs if unit is None else qs.filter(unit=unit)


@require_GET
@staf_required
@lihat
def daftar(request: AuthedRequest):
    form = KueriForm(request.GET)
    hasil = None
    if form.is_valid():
        kueri = form.kueri()
        q = kueri.q.strip()
        item = Eksemplar.objects.filter(barcode=q).only("katalog_id").first() if q else None
        if item is not None:  # a scanned barcode opens its record
            return redirect("katalog:detail", item.katalog_id)
        hasil = pencarian.cari(kueri, dengan_facet=False, qs=Katalog.objects.all())
    ringkasan = selectors.ringkasan_eksemplar([k.pk for k in hasil.rekaman]) if hasil else {}
    return render(
        request,
        "katalog/daftar.html",
        {
            "form": form,
            "hasil": hasil,
            "baris": [(k, ringkasan.get(k.pk)) for k in hasil.rekaman] if hasil else [],
            "halaman": selectors.nomor_halaman(hasil.halaman, hasil.jumlah_halaman)
            if hasil
            else [],
        },
    )


@require_GET
@staf_required
@lihat
def detail(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    eksemplar = katalog.eksemplar.select_related("cabang", "unit", "lokasi", "kategori").order_by(
        "status", "cabang__nama", "barcode"
    )
    cabang_qs = _cabang_saya(request.user)
    baru = [int(i) for i in request.GET.get("baru", "").split(",") if i.isdigit()]
    return render(
        request,
        "katalog/detail.html",
        {
            "k": katalog,
            "baru": baru,
            "aksi_list": list(AKSI_EKSEMPLAR),
            "digital_form": SumberDigitalForm(),
            "eksemplar": [
                (e, akses.boleh(request.user, e.unit_id, permission="katalog.change_eksemplar"))
                for e in eksemplar
            ],
            "digital": katalog.sumber_digital.all(),
            "pindah_form": PindahEksemplarForm(cabang_qs=cabang_qs),
            "alasan_form": AlasanForm(),
            "marc_teks": marc_mod.ke_teks(marc_mod.record_dari_json(katalog.marc)),
        },
    )


@require_http_methods(["GET", "POST"])
@staf_required
@tambah
def buat(request: AuthedRequest, salin_dari: int | None = None):
    sumber = get_object_or_404(Katalog, pk=salin_dari) if salin_dari else None
    duplikat = []
    if request.method == "POST":
        form = KatalogForm(request.POST)
        if form.is_valid():
            duplikat = form.duplikat()
            if not duplikat or form.cleaned_data["tetap_simpan"]:
                record = services.salin_marc(sumber) if sumber else marc_mod.record_kosong()
                record = marc_mod.terapkan_isian(record, form.isian())
                katalog = services.simpan_marc(record, oleh=request.user, ip=alamat_klien(request))
                messages.success(
                    request,
                    _("Rekaman “%(j)s” tersimpan. Tambahkan eksemplarnya di bawah.")
                    % {"j": katalog.judul},
                )
                return redirect("katalog:detail", katalog.pk)
    else:
        awal = marc_mod.isian_dari_katalog(sumber.__dict__) if sumber else {"bahasa": "ind"}
        form = KatalogForm(initial=awal)
    return render(
        request,
        "katalog/form.html",
        {"form": form, "duplikat": duplikat, "salin_dari": sumber, "k": None},
    )


@require_http_methods(["GET", "POST"])
@staf_required
@ubah
def sunting(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    duplikat = []
    if request.method == "POST":
        form = KatalogForm(request.POST)
        if form.is_valid():
            duplikat = form.duplikat(kecuali=katalog.pk)
            if not duplikat or form.cleaned_data["tetap_simpan"]:
                record = marc_mod.terapkan_isian(
                    marc_mod.record_dari_json(katalog.marc), form.isian()
                )
                services.simpan_marc(
                    record, oleh=request.user, katalog=katalog, ip=alamat_klien(request)
                )
                messages.success(
                    request, _("Perubahan tersimpan dan langsung dapat dicari di OPAC.")
                )
                return redirect("katalog:detail", katalog.pk)
    else:
        form = KatalogForm(initial=marc_mod.isian_dari_katalog(katalog.__dict__))
    return render(request, "katalog/form.html", {"form": form, "duplikat": duplikat, "k": katalog})


@require_http_methods(["GET", "POST"])
@staf_required
@ubah
def sunting_marc(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    if request.method == "POST":
        form = MarcForm(request.POST)
        if form.is_valid():
            services.simpan_marc(
                form.cleaned_data["teks"],
                oleh=request.user,
                katalog=katalog,
                ip=alamat_klien(request),
            )
            messages.success(request, _("Rekaman MARC tersimpan."))
            return redirect("katalog:detail", katalog.pk)
    else:
        form = MarcForm(initial={"teks": marc_mod.ke_teks(marc_mod.record_dari_json(katalog.marc))})
    return render(request, "katalog/marc.html", {"form": form, "k": katalog})


@require_http_methods(["GET", "POST"])
@staf_required
@permission_required("katalog.add_eksemplar", raise_exception=True)
def tambah_eksemplar(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    cabang_qs = _cabang_saya(request.user)
    if request.method == "POST":
        form = TambahEksemplarForm(request.POST, cabang_qs=cabang_qs)
        if form.is_valid():
            try:
                baru = services.tambah_eksemplar(
                    katalog, oleh=request.user, ip=alamat_klien(request), **form.cleaned_data
                )
            except services.KatalogGagal as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d eksemplar ditambahkan: %(b)s.",
                        "%(n)d eksemplar ditambahkan: %(b)s.",
                        len(baru),
                    )
                    % {"n": len(baru), "b": ", ".join(e.barcode for e in baru)},
                )
                ids = ",".join(str(e.pk) for e in baru)
                return redirect(f"{katalog.get_staf_url()}?baru={ids}#eksemplar")
    else:
        form = TambahEksemplarForm(
            cabang_qs=cabang_qs, initial={"cabang": request.user.cabang_aktif, "jumlah": 1}
        )
    return render(request, "katalog/eksemplar_tambah.html", {"form": form, "k": katalog})


@require_POST
@staf_required
@permission_required("katalog.change_eksemplar", raise_exception=True)
def pindah_eksemplar(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    form = PindahEksemplarForm(request.POST, cabang_qs=_cabang_saya(request.user))
    ids = [int(i) for i in request.POST.getlist("eksemplar") if i.isdigit()]
    items = list(katalog.eksemplar.filter(pk__in=ids))
    if not items:
        messages.error(request, _("Pilih dulu eksemplar yang akan dipindahkan."))
    elif not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            n = services.pindahkan_eksemplar(
                items,
                cabang=form.cleaned_data["cabang"],
                lokasi=form.cleaned_data["lokasi"],
                alasan=form.cleaned_data["alasan"],
                oleh=request.user,
                ip=alamat_klien(request),
            )
        except services.KatalogGagal as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d eksemplar dipindahkan ke %(c)s.",
                    "%(n)d eksemplar dipindahkan ke %(c)s.",
                    n,
                )
                % {"n": n, "c": form.cleaned_data["cabang"]},
            )
    return redirect(f"{katalog.get_staf_url()}#eksemplar")


AKSI_EKSEMPLAR = {
    "tarik": (services.tarik_eksemplar, _("Eksemplar %(b)s disiangi dari koleksi.")),
    "hilang": (services.tandai_hilang, _("Eksemplar %(b)s ditandai hilang.")),
    "perbaikan": (services.kirim_perbaikan, _("Eksemplar %(b)s dikirim ke perbaikan.")),
    "kembali": (services.kembalikan_ke_rak, _("Eksemplar %(b)s kembali tersedia di rak.")),
}


@require_POST
@staf_required
@permission_required("katalog.change_eksemplar", raise_exception=True)
def aksi_eksemplar(request: AuthedRequest, pk: int, aksi: str):
    item = get_object_or_404(Eksemplar.objects.select_related("katalog"), pk=pk)
    fungsi, pesan = AKSI_EKSEMPLAR[aksi]
    form = AlasanForm(request.POST)
    alasan = form.data.get("alasan", "").strip()
    if aksi == "tarik" and not form.is_valid():
        messages.error(request, _("Tuliskan alasan penyiangan."))
        return redirect(f"{item.katalog.get_staf_url()}#eksemplar")
    try:
        fungsi(item, oleh=request.user, alasan=alasan, ip=alamat_klien(request))
    except services.KatalogGagal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(pesan) % {"b": item.barcode})
    return redirect(f"{item.katalog.get_staf_url()}#eksemplar")


@require_http_methods(["GET", "POST"])
@staf_required
@permission_required("katalog.change_eksemplar", raise_exception=True)
def ubah_eksemplar(request: AuthedRequest, pk: int):
    item = get_object_or_404(Eksemplar.objects.select_related("katalog", "cabang"), pk=pk)
    akses.wajib_boleh(request.user, item.unit_id, permission="katalog.change_eksemplar")
    form = UbahEksemplarForm(request.POST or None, instance=Eksemplar.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.ubah_eksemplar(
                item,
                oleh=request.user,
                data={k: form.cleaned_data[k] for k in Eksemplar.RINCIAN},
                ip=alamat_klien(request),
            )
        except services.KatalogGagal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Eksemplar %(b)s diperbarui.") % {"b": item.barcode})
            return redirect(f"{item.katalog.get_staf_url()}#eksemplar")
    return render(
        request, "katalog/eksemplar_ubah.html", {"form": form, "e": item, "k": item.katalog}
    )


@require_POST
@staf_required
@ubah
def atur_tampil_opac(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    tampil = request.POST.get("tampil") == "1"
    services.atur_tampil_opac(
        katalog, tampil=tampil, oleh=request.user, alasan=request.POST.get("alasan", "")[:300],
        ip=alamat_klien(request),
    )  # fmt: skip
    if tampil:
        messages.success(request, _("Rekaman kembali tampil di OPAC."))
    else:
        messages.success(
            request, _("Rekaman disembunyikan dari OPAC; staf tetap dapat melihatnya.")
        )
    return redirect("katalog:detail", katalog.pk)


@require_GET
@staf_required
@lihat
def label(request: AuthedRequest, pk: int):
    """Printable spine labels and barcode labels for a record's copies (or chosen ones)."""
    katalog = get_object_or_404(Katalog, pk=pk)
    items = katalog.eksemplar.aktif().select_related("cabang").order_by("barcode")
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()]
    if ids:
        items = items.filter(pk__in=ids)
    return render(
        request,
        "katalog/label.html",
        {
            "k": katalog,
            "label": [
                (
                    e,
                    e.baris_punggung,
                    mark_safe(svg_barcode(e.barcode)),
                )  # SVG generated here from our own barcode
                for e in items
            ],
        },
    )


@require_POST
@staf_required
@permission_required("katalog.add_sumberdigital", raise_exception=True)
def tambah_digital(request: AuthedRequest, pk: int):
    katalog = get_object_or_404(Katalog, pk=pk)
    akses.wajib_boleh(request.user, None, permission="katalog.add_sumberdigital")
    form = SumberDigitalForm(request.POST, request.FILES, instance=SumberDigital(katalog=katalog))
    if form.is_valid():
        form.save()
        catat(
            aksi="sumberdigital.tambah",
            oleh=request.user,
            objek=katalog,
            sesudah={"judul": form.instance.judul, "akses": form.instance.akses},
            ip=alamat_klien(request),
        )
        messages.success(
            request, _("Sumber digital “%(j)s” dilampirkan.") % {"j": form.instance.judul}
        )
    else:
        messages.error(
            request,
            format_html_join(" ", "{}", ((e,) for errs in form.errors.values() for e in errs)),
        )
    return redirect(f"{katalog.get_staf_url()}#digital")


@require_POST
@staf_required
@permission_required("katalog.change_sumberdigital", raise_exception=True)
def hapus_digital(request: AuthedRequest, pk: int, sumber_pk: int):
    sumber = get_object_or_404(SumberDigital, pk=sumber_pk, katalog_id=pk)
    akses.wajib_boleh(request.user, None, permission="katalog.change_sumberdigital")
    try:
        with transaction.atomic():
            sumber.delete()
            catat(
                aksi="sumberdigital.hapus",
                oleh=request.user,
                objek=sumber.katalog,
                sebelum={"judul": sumber.judul, "akses": sumber.akses},
                ip=alamat_klien(request),
            )
    except ProtectedError:
        # Loan records of a licensed e-book point at it.
        messages.error(request, _("Sumber digital ini punya riwayat peminjaman; tidak dihapus."))
        return redirect(f"{sumber.katalog.get_staf_url()}#digital")
    if sumber.berkas:
        sumber.berkas.delete(save=False)
    messages.success(request, _("Sumber digital dihapus."))
    return redirect(f"{sumber.katalog.get_staf_url()}#digital")


@require_GET
@staf_required
@ubah
def antrean_gabung(request: AuthedRequest):
    """Imported records that may be the same work as one already catalogued, side by side."""
    calon = list(
        CalonGabung.objects.filter(status=CalonGabung.Status.MENUNGGU)
        .select_related("baru", "ada")
        .order_by("dibuat", "pk")[:50]
    )
    jumlah = dict(
        Eksemplar.objects.filter(katalog__in={k for c in calon for k in (c.baru_id, c.ada_id)})
        .values("katalog")
        .annotate(n=models.Count("pk"))
        .values_list("katalog", "n")
    )
    for c in calon:
        c.pasangan = [
            (_("Rekaman impor"), c.baru, jumlah.get(c.baru_id, 0)),
            (_("Sudah ada di katalog"), c.ada, jumlah.get(c.ada_id, 0)),
        ]
    return render(
        request,
        "katalog/antrean_gabung.html",
        {
            "calon": calon,
            "menunggu": CalonGabung.objects.filter(status=CalonGabung.Status.MENUNGGU).count(),
        },
    )


@require_POST
@staf_required
@ubah
def putuskan_gabung(request: AuthedRequest, pk: int, keputusan: str):
    calon = get_object_or_404(CalonGabung, pk=pk)
    if keputusan == "gabung":
        try:
            ada = services.gabungkan_katalog(calon, oleh=request.user, ip=alamat_klien(request))
        except services.KatalogGagal as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Digabung ke “%(j)s”.") % {"j": ada.judul_lengkap})
    elif keputusan == "pisah":
        services.pisahkan_katalog(calon, oleh=request.user)
        messages.success(request, _("Kedua rekaman tetap terpisah."))
    return redirect("katalog:antrean_gabung")
