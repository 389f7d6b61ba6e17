"""The circulation desk and member administration: thin views over sirkulasi.services.

The desk is built for a barcode scanner: every screen has one input that has
the focus, each scan posts and comes back to the same page (htmx swaps the
panel in place; without JavaScript the browser follows the redirect), and the
outcome of the last scan is kept in the session until it is shown once.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispusip import akses
from dispusip.forms import kesalahan_teks
from dispusip.http import AuthedRequest
from dispusip.kode_batang import svg_barcode, svg_qr
from dispusip.views import staf_required
from katalog.models import Katalog
from katalog.services import KatalogGagal
from sirkulasi import akun, selectors, services
from sirkulasi import aturan as aturan_mod
from sirkulasi.aturan import AturanTidakAda
from sirkulasi.forms import (
    AlasanForm,
    AnggotaForm,
    BayarForm,
    CariAnggotaForm,
    PindaiForm,
    PinjamForm,
    ReservasiMejaForm,
    RusakForm,
    TamuForm,
    UjiAturanForm,
)
from sirkulasi.kalender import KalenderGagal
from sirkulasi.models import (
    Anggota,
    AturanPeminjaman,
    Denda,
    Kunjungan,
    Pembayaran,
    Peminjaman,
    Reservasi,
    StatusAnggota,
    UsulanGabung,
)
from sirkulasi.pemberitahuan import saluran_untuk
from sirkulasi.services import SirkulasiGagal
from sirkulasi.tasks import kirim_struk_task

KUNCI_HASIL = "sirkulasi_hasil"
KUNCI_KEMBALI = "sirkulasi_kembali"
RIWAYAT_KEMBALI = 15
GAGAL = (SirkulasiGagal, KatalogGagal, KalenderGagal, AturanTidakAda)


def meja_required(permission: str):
    """Staff with `permission` who are working at a branch (the desk's branch)."""

    def decorator(view):
        @staf_required
        @permission_required(permission, raise_exception=True)
        @wraps(view)
        def wrapper(request: AuthedRequest, *args, **kwargs):
            if request.user.cabang_aktif is None:
                messages.warning(
                    request, _("Pilih dahulu cabang tempat Anda bertugas hari ini di dasbor.")
                )
                return redirect("dasbor")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _simpan_hasil(request, hasil: dict) -> None:
    request.session[KUNCI_HASIL] = hasil


def _ambil_hasil(request) -> dict | None:
    return request.session.pop(KUNCI_HASIL, None)


def _gagal(exc: Exception, **extra) -> dict:
    alasan = getattr(exc, "alasan", None) or [str(exc)]
    return {
        "ok": False,
        "alasan": alasan,
        "dapat_ditimpa": getattr(exc, "dapat_ditimpa", False),
    } | extra


# --- desk ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_peminjaman")
def meja(request: AuthedRequest):
    """Scan a member card to start; the member's panel takes over from there."""
    form = PindaiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anggota = services.cari_anggota(form.cleaned_data["kode"])
        except SirkulasiGagal as exc:
            _simpan_hasil(request, _gagal(exc))
        else:
            return redirect("sirkulasi:meja_anggota", anggota.pk)
        return redirect("sirkulasi:meja")
    return render(
        request,
        "sirkulasi/meja.html",
        {"form": PindaiForm(), "hasil": _ambil_hasil(request), "cabang": request.user.cabang_aktif},
    )


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_peminjaman")
def meja_anggota(request: AuthedRequest, pk: int):
    """The member's panel: loans, holds, fines, blocks, and the scan box for lending."""
    anggota = get_object_or_404(Anggota.objects.select_related("kategori", "cabang"), pk=pk)
    if request.method == "POST":
        form = PinjamForm(request.POST)
        if form.is_valid():
            barcode = form.cleaned_data["barcode"]
            try:
                pinjaman = services.pinjamkan(
                    anggota,
                    barcode,
                    cabang=request.user.cabang_aktif,
                    oleh=request.user,
                    alasan_timpa=form.cleaned_data["alasan_timpa"],
                )
            except GAGAL as exc:
                _simpan_hasil(request, _gagal(exc, barcode=barcode))
            else:
                _simpan_hasil(
                    request,
                    {
                        "ok": True,
                        "pesan": _("%(j)s dipinjamkan, kembali %(t)s.")
                        % {
                            "j": pinjaman.eksemplar.katalog.judul[:80],
                            "t": pinjaman.jatuh_tempo.strftime("%d-%m-%Y"),
                        },
                        "pinjaman": pinjaman.pk,
                    },
                )
        else:
            _simpan_hasil(request, {"ok": False, "alasan": [kesalahan_teks(form)]})
        return redirect("sirkulasi:meja_anggota", anggota.pk)
    mutlak, dapat_ditimpa = services.alasan_anggota_ditolak(anggota)
    hasil = _ambil_hasil(request)
    return render(
        request,
        "sirkulasi/meja_anggota.html",
        {
            "anggota": anggota,
            "hasil": hasil,
            "hambatan": mutlak + dapat_ditimpa,
            "hari_ini": timezone.localdate(),
            "boleh_timpa": request.user.has_perm(services.IZIN_TIMPA),
            "form_reservasi": ReservasiMejaForm(
                initial={"cabang_ambil": request.user.cabang_aktif}
            ),
            **selectors.ringkasan_anggota(anggota),
        },
    )


@require_POST
@meja_required("sirkulasi.add_peminjaman")
def meja_perpanjang(request: AuthedRequest, pk: int):
    anggota = get_object_or_404(Anggota, pk=pk)
    ids = request.POST.getlist("pinjaman")
    pinjaman = Peminjaman.objects.berjalan().filter(anggota=anggota, pk__in=ids)
    berhasil, alasan = [], []
    for p in pinjaman.select_related("eksemplar"):
        try:
            p = services.perpanjang(p, oleh=request.user, cabang=request.user.cabang_aktif)
        except GAGAL as exc:
            alasan += getattr(exc, "alasan", [str(exc)])
        else:
            berhasil.append(
                _("%(b)s diperpanjang sampai %(t)s.")
                % {"b": p.eksemplar.barcode, "t": p.jatuh_tempo.strftime("%d-%m-%Y")}
            )
    if not ids:
        alasan.append(_("Pilih peminjaman yang akan diperpanjang."))
    _simpan_hasil(request, {"ok": not alasan, "pesan": " ".join(berhasil), "alasan": alasan})
    return redirect("sirkulasi:meja_anggota", anggota.pk)


@require_POST
@meja_required("sirkulasi.change_denda")
def meja_bayar(request: AuthedRequest, pk: int):
    anggota = get_object_or_404(Anggota, pk=pk)
    form = BayarForm(request.POST)
    if not form.is_valid():
        _simpan_hasil(request, {"ok": False, "alasan": [kesalahan_teks(form)]})
        return redirect("sirkulasi:meja_anggota", anggota.pk)
    try:
        kuitansi = services.bayar_denda(
            anggota,
            form.cleaned_data["jumlah"],
            cabang=request.user.cabang_aktif,
            oleh=request.user,
        )
    except SirkulasiGagal as exc:
        _simpan_hasil(request, _gagal(exc))
    else:
        _simpan_hasil(
            request,
            {
                "ok": True,
                "pesan": _("Pembayaran Rp%(j)s diterima, kuitansi %(k)s.")
                % {"j": services.rupiah(kuitansi.jumlah), "k": kuitansi.nomor_kuitansi},
                "kuitansi": kuitansi.pk,
            },
        )
    return redirect("sirkulasi:meja_anggota", anggota.pk)


@require_POST
@meja_required("sirkulasi.change_denda")
def meja_bebaskan(request: AuthedRequest, pk: int, denda_pk: int):
    denda = get_object_or_404(Denda, pk=denda_pk, anggota_id=pk)
    form = AlasanForm(request.POST)
    try:
        if not form.is_valid():
            raise SirkulasiGagal(_("Tuliskan alasan pembebasan denda."))
        services.bebaskan_denda(
            denda,
            alasan=form.cleaned_data["alasan"],
            cabang=request.user.cabang_aktif,
            oleh=request.user,
        )
    except SirkulasiGagal as exc:
        _simpan_hasil(request, _gagal(exc))
    else:
        _simpan_hasil(request, {"ok": True, "pesan": _("Denda dibebaskan.")})
    return redirect("sirkulasi:meja_anggota", pk)


@require_POST
@meja_required("sirkulasi.add_reservasi")
def meja_reservasi(request: AuthedRequest, pk: int):
    """Place a hold for the member at the desk: a copy's barcode or a control number."""
    anggota = get_object_or_404(Anggota, pk=pk)
    form = ReservasiMejaForm(request.POST)
    try:
        if not form.is_valid():
            raise SirkulasiGagal(kesalahan_teks(form))
        katalog = services.cari_judul(form.cleaned_data["judul"])
        hold = services.reservasi(
            anggota, katalog, cabang_ambil=form.cleaned_data["cabang_ambil"], oleh=request.user
        )
    except SirkulasiGagal as exc:
        _simpan_hasil(request, _gagal(exc))
    else:
        _simpan_hasil(
            request,
            {
                "ok": True,
                "pesan": _("Reservasi %(j)s dicatat: antrean ke-%(n)s, diambil di %(c)s.")
                % {
                    "j": katalog.judul[:80],
                    "n": selectors.posisi_antrean(hold),
                    "c": hold.cabang_ambil,
                },
            },
        )
    return redirect("sirkulasi:meja_anggota", anggota.pk)


@require_http_methods(["GET", "POST"])
@staf_required
@permission_required("sirkulasi.view_reservasi", raise_exception=True)
def antrean_reservasi(request: AuthedRequest, katalog_pk: int):
    """A title's hold queue; staff may move a hold to the front, with a reason."""
    katalog = get_object_or_404(Katalog, pk=katalog_pk)
    if request.method == "POST":
        hold = get_object_or_404(Reservasi, pk=request.POST.get("reservasi"), katalog=katalog)
        form = AlasanForm(request.POST)
        try:
            services.utamakan_reservasi(
                hold,
                alasan=form.cleaned_data["alasan"] if form.is_valid() else "",
                oleh=request.user,
            )
        except SirkulasiGagal as exc:
            messages.error(request, " ".join(exc.alasan))
        else:
            messages.success(
                request,
                _("Reservasi %(n)s kini di urutan pertama.") % {"n": hold.anggota.nama},
            )
        return redirect("sirkulasi:antrean_reservasi", katalog.pk)
    return render(
        request,
        "sirkulasi/antrean_reservasi.html",
        {
            "k": katalog,
            "antrean": Reservasi.objects.antre()
            .filter(katalog=katalog)
            .select_related("anggota", "cabang_ambil"),
            "lainnya": Reservasi.objects.filter(katalog=katalog)
            .exclude(status=Reservasi.Status.MENUNGGU)
            .select_related("anggota", "cabang_ambil", "eksemplar")
            .order_by("-dibuat")[:20],
        },
    )


@require_POST
@meja_required("sirkulasi.add_peminjaman")
def kirim_struk(request: AuthedRequest, pk: int):
    anggota = get_object_or_404(Anggota, pk=pk)
    saluran = saluran_untuk(anggota)
    if saluran is None:
        _simpan_hasil(
            request,
            {"ok": False, "alasan": [_("Anggota ini tidak punya email atau nomor terdaftar.")]},
        )
    else:
        kirim_struk_task.delay(anggota.pk, str(request.user.cabang_aktif))
        _simpan_hasil(
            request,
            {"ok": True, "pesan": _("Struk dikirim lewat %(s)s.") % {"s": saluran.nama}},
        )
    return redirect("sirkulasi:meja_anggota", anggota.pk)


@require_GET
@meja_required("sirkulasi.add_peminjaman")
def struk(request: AuthedRequest, pk: int):
    """A printable receipt of the member's current loans (today's marked)."""
    anggota = get_object_or_404(Anggota.objects.select_related("kategori"), pk=pk)
    return render(
        request,
        "sirkulasi/struk.html",
        {
            "anggota": anggota,
            "hari_ini": timezone.localdate(),
            "cabang": request.user.cabang_aktif,
            **selectors.ringkasan_anggota(anggota),
        },
    )


@require_GET
@staf_required
@permission_required("sirkulasi.view_denda", raise_exception=True)
def kuitansi(request: AuthedRequest, pk: int):
    pembayaran = get_object_or_404(
        Pembayaran.objects.select_related("anggota", "cabang", "petugas"), pk=pk
    )
    akses.wajib_boleh(request.user, pembayaran.cabang.unit_id, ubah=False)
    return render(request, "sirkulasi/kuitansi.html", {"p": pembayaran})


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_peminjaman")
def meja_kembali(request: AuthedRequest):
    """Scan returned items, one after another; each says where the item goes next."""
    if request.method == "POST":
        form = PindaiForm(request.POST)
        daftar = request.session.get(KUNCI_KEMBALI, [])
        if form.is_valid():
            kode = form.cleaned_data["kode"]
            try:
                hasil = services.kembalikan(
                    kode, cabang=request.user.cabang_aktif, oleh=request.user
                )
            except GAGAL as exc:
                baris = _gagal(exc, barcode=kode)
            else:
                baris = _baris_kembali(hasil)
            request.session[KUNCI_KEMBALI] = [baris, *daftar][:RIWAYAT_KEMBALI]
        return redirect("sirkulasi:meja_kembali")
    return render(
        request,
        "sirkulasi/meja_kembali.html",
        {"form": PindaiForm(), "daftar": request.session.get(KUNCI_KEMBALI, [])},
    )


def _baris_kembali(hasil: services.HasilKembali) -> dict:
    e = hasil.eksemplar
    pinjaman = hasil.pinjaman
    return {
        "ok": True,
        "pinjaman": pinjaman.pk if pinjaman else None,
        "barcode": e.barcode,
        "judul": e.katalog.judul[:80],
        "anggota": str(pinjaman.anggota) if pinjaman and pinjaman.anggota else "",
        "terlambat": hasil.hari_terlambat,
        "denda": services.rupiah(hasil.denda.jumlah) if hasil.denda else "",
        "tujuan": str(hasil.tujuan),
        "transit": hasil.transit is not None,
        "reservasi": hasil.reservasi is not None,
        "catatan": [str(c) for c in hasil.catatan],
    }


@require_POST
@meja_required("sirkulasi.add_peminjaman")
def meja_rusak(request: AuthedRequest, pk: int):
    """A copy just returned is damaged: charge the borrower, send the copy to repair."""
    pinjaman = get_object_or_404(Peminjaman, pk=pk)
    form = RusakForm(request.POST)
    try:
        if not form.is_valid():
            raise SirkulasiGagal(kesalahan_teks(form))
        denda = services.tagih_kerusakan(
            pinjaman,
            cabang=request.user.cabang_aktif,
            oleh=request.user,
            biaya=form.cleaned_data["biaya"],
            keterangan=form.cleaned_data["keterangan"],
        )
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
    else:
        messages.success(
            request,
            _("Kerusakan dicatat: Rp%(j)s ditagihkan, eksemplar dikirim ke perbaikan.")
            % {"j": services.rupiah(denda.jumlah)},
        )
    return redirect("sirkulasi:meja_kembali")


@require_POST
@meja_required("sirkulasi.add_peminjaman")
def meja_hilang(request: AuthedRequest, pk: int, pinjaman_pk: int):
    """The member reports a loan lost, or claims to have returned it."""
    pinjaman = get_object_or_404(Peminjaman.objects.berjalan(), pk=pinjaman_pk, anggota_id=pk)
    form = AlasanForm(request.POST)
    cabang = request.user.cabang_aktif
    try:
        if request.POST.get("jenis") == "klaim":
            alasan = form.cleaned_data["alasan"] if form.is_valid() else ""
            services.klaim_sudah_kembali(pinjaman, cabang=cabang, oleh=request.user, alasan=alasan)
            pesan = _("Klaim dicatat; eksemplar ditandai hilang sampai ditemukan, tanpa denda.")
        else:
            denda = services.hilangkan(pinjaman, cabang=cabang, oleh=request.user)
            pesan = _("Dicatat hilang; biaya penggantian Rp%(j)s ditagihkan.") % {
                "j": services.rupiah(denda.jumlah)
            }
    except SirkulasiGagal as exc:
        _simpan_hasil(request, _gagal(exc))
    else:
        _simpan_hasil(request, {"ok": True, "pesan": pesan})
    return redirect("sirkulasi:meja_anggota", pk)


@require_POST
@meja_required("sirkulasi.add_peminjaman")
def meja_kembali_bersihkan(request: AuthedRequest):
    request.session.pop(KUNCI_KEMBALI, None)
    return redirect("sirkulasi:meja_kembali")


# --- transit and holds ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.view_transit")
def transit(request: AuthedRequest):
    """This branch's transit lists, hold shelf and holds to pull, with one scan box:
    an arriving item is received, a pulled copy is set aside for its hold."""
    cabang = request.user.cabang_aktif
    if request.method == "POST":
        form = PindaiForm(request.POST)
        aksi = request.POST.get("aksi", "terima")
        if form.is_valid():
            kode = form.cleaned_data["kode"]
            layanan = services.tarik_untuk_reservasi if aksi == "tarik" else services.terima_transit
            try:
                hasil = layanan(kode, cabang=cabang, oleh=request.user)
            except GAGAL as exc:
                _simpan_hasil(request, _gagal(exc, barcode=kode))
            else:
                _simpan_hasil(request, {"ok": True, "pesan": f"{kode}: {hasil.tujuan}"})
        return redirect("sirkulasi:transit")
    return render(
        request,
        "sirkulasi/transit.html",
        {
            "cabang": cabang,
            "form": PindaiForm(),
            "hasil": _ambil_hasil(request),
            "rak_reservasi": selectors.rak_reservasi(cabang),
            "perlu_diambil": selectors.perlu_diambil(cabang),
            **selectors.transit_cabang(cabang),
        },
    )


# --- entrance and reading tables ------------------------------------------------


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_kunjungan")
def buku_tamu(request: AuthedRequest):
    """The entrance: scan a member card, or register a guest; counts per day."""
    cabang = request.user.cabang_aktif
    if request.method == "POST":
        form = TamuForm(request.POST)
        if form.is_valid():
            try:
                kunjungan, baru = services.catat_kunjungan(
                    cabang=cabang,
                    oleh=request.user,
                    kode_anggota=form.cleaned_data["kode"],
                    nama=form.cleaned_data["nama"],
                    institusi=form.cleaned_data["institusi"],
                    tujuan=form.cleaned_data["tujuan"],
                )
            except SirkulasiGagal as exc:
                _simpan_hasil(request, _gagal(exc))
            else:
                siapa = kunjungan.anggota.nama if kunjungan.anggota else kunjungan.nama
                pesan = (
                    _("Selamat datang, %(n)s.") if baru else _("%(n)s sudah tercatat masuk tadi.")
                ) % {"n": siapa}
                _simpan_hasil(request, {"ok": True, "pesan": pesan})
        else:
            _simpan_hasil(request, {"ok": False, "alasan": [kesalahan_teks(form)]})
        return redirect("sirkulasi:buku_tamu")
    return render(
        request,
        "sirkulasi/buku_tamu.html",
        {
            "form": TamuForm(),
            "hasil": _ambil_hasil(request),
            "harian": selectors.kunjungan_harian(cabang),
            "terakhir": Kunjungan.objects.filter(cabang=cabang)
            .select_related("anggota")
            .order_by("-waktu")[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_bacaditempat")
def baca_di_tempat(request: AuthedRequest):
    """Scan the copies collected from reading tables: counted, never lent."""
    cabang = request.user.cabang_aktif
    if request.method == "POST":
        form = PindaiForm(request.POST)
        if form.is_valid():
            try:
                catatan = services.catat_baca_di_tempat(
                    form.cleaned_data["kode"], cabang=cabang, oleh=request.user
                )
            except SirkulasiGagal as exc:
                _simpan_hasil(request, _gagal(exc, barcode=form.cleaned_data["kode"]))
            else:
                _simpan_hasil(
                    request,
                    {
                        "ok": True,
                        "pesan": _("Dicatat: %(j)s.") % {"j": catatan.katalog.judul[:80]},
                    },
                )
        return redirect("sirkulasi:baca_di_tempat")
    return render(
        request,
        "sirkulasi/baca_di_tempat.html",
        {
            "form": PindaiForm(),
            "hasil": _ambil_hasil(request),
            "harian": selectors.baca_harian(cabang),
        },
    )


# --- loan rules ----------------------------------------------------------------


@require_GET
@staf_required
@permission_required("sirkulasi.add_peminjaman", raise_exception=True)
def aturan_daftar(request: AuthedRequest):
    """Every loan rule in one table, and which one applies to a member and a copy."""
    semua = sorted(
        AturanPeminjaman.objects.select_related("unit", "kategori_anggota", "kategori_koleksi"),
        key=lambda a: (-a.kekhususan, str(a)),
    )
    form = UjiAturanForm(request.GET or None, initial={"cabang": request.user.cabang_aktif})
    uji = None
    if form.is_bound and form.is_valid():
        try:
            anggota = services.cari_anggota(form.cleaned_data["anggota"])
            item = services.cari_eksemplar(form.cleaned_data["barcode"])
        except SirkulasiGagal as exc:
            form.add_error(None, " ".join(exc.alasan))
        else:
            cabang = form.cleaned_data["cabang"]
            cocok = aturan_mod.kandidat(
                unit_id=cabang.unit_id,
                kategori_anggota_id=anggota.kategori_id,
                kategori_koleksi_id=item.kategori_id,
                jenis_bahan=item.katalog.jenis,
            )
            uji = {"anggota": anggota, "item": item, "cabang": cabang, "cocok": cocok}
    return render(
        request,
        "sirkulasi/aturan.html",
        {
            "aturan": semua,
            "form": form,
            "uji": uji,
            "berlaku": uji["cocok"][0].pk if uji and uji["cocok"] else None,
            "cocok_ids": {a.pk for a in uji["cocok"]} if uji else set(),
        },
    )


# --- members -------------------------------------------------------------------


@require_GET
@staf_required
@permission_required("sirkulasi.view_anggota", raise_exception=True)
def anggota_daftar(request: AuthedRequest):
    form = CariAnggotaForm(request.GET)
    qs = Anggota.objects.select_related("kategori", "cabang")
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if q:
        qs = qs.filter(
            Q(nomor=q) | Q(nomor_lama__nomor=q) | Q(nomor_identitas=q) | Q(nama__icontains=q)
        ).distinct()
    halaman = Paginator(qs.order_by("nama", "id"), 25).get_page(request.GET.get("halaman"))
    return render(
        request, "sirkulasi/anggota_daftar.html", {"form": form, "q": q, "halaman": halaman}
    )


MAKS_KARTU = 100


@require_GET
@staf_required
@permission_required("sirkulasi.view_anggota", raise_exception=True)
def kartu(request: AuthedRequest):
    """Printable member cards, ten to an A4 page, with barcode and QR code."""
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()][:MAKS_KARTU]
    anggota = list(
        Anggota.objects.filter(pk__in=ids).select_related("kategori", "cabang").order_by("nama")
    )
    if not anggota:
        messages.error(request, _("Pilih anggota yang kartunya akan dicetak."))
        return redirect("sirkulasi:anggota_daftar")
    return render(
        request,
        "sirkulasi/kartu.html",
        {
            "kartu": [
                (a, mark_safe(svg_barcode(a.nomor, regang=True)), mark_safe(svg_qr(a.nomor)))
                for a in anggota
            ]
        },
    )


@require_http_methods(["GET", "POST"])
@meja_required("sirkulasi.add_anggota")
def anggota_baru(request: AuthedRequest):
    form = AnggotaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            anggota = services.daftarkan_anggota(
                form.data_layanan(form.cleaned_data),
                cabang=request.user.cabang_aktif,
                oleh=request.user,
            )
        except SirkulasiGagal as exc:
            form.add_error("nomor_identitas", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(n)s terdaftar dengan nomor anggota %(no)s.")
                % {"n": anggota.nama, "no": anggota.nomor},
            )
            return redirect("sirkulasi:anggota_detail", anggota.pk)
    return render(request, "sirkulasi/anggota_form.html", {"form": form, "anggota": None})


@require_http_methods(["GET", "POST"])
@staf_required
@permission_required("sirkulasi.change_anggota", raise_exception=True)
def anggota_ubah(request: AuthedRequest, pk: int):
    anggota = get_object_or_404(Anggota, pk=pk)
    akses.wajib_boleh(request.user, anggota.unit_id, permission=services.IZIN_ANGGOTA)
    form = AnggotaForm(request.POST or None, request.FILES or None, instance=anggota)
    if request.method == "POST" and form.is_valid():
        data = form.data_layanan(form.changed_data)
        try:
            services.ubah_anggota(Anggota.objects.get(pk=pk), data, oleh=request.user)
        except SirkulasiGagal as exc:
            form.add_error("nomor_identitas", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data anggota disimpan."))
            return redirect("sirkulasi:anggota_detail", pk)
    return render(request, "sirkulasi/anggota_form.html", {"form": form, "anggota": anggota})


@require_GET
@staf_required
@permission_required("sirkulasi.view_anggota", raise_exception=True)
def anggota_detail(request: AuthedRequest, pk: int):
    anggota = get_object_or_404(Anggota.objects.select_related("kategori", "cabang", "unit"), pk=pk)
    return render(
        request,
        "sirkulasi/anggota_detail.html",
        {
            "anggota": anggota,
            "riwayat": selectors.riwayat(anggota),
            "pemberitahuan": anggota.pemberitahuan.all()[:10],
            "duplikat": services.calon_duplikat(anggota)[:10],
            "boleh_ubah": akses.boleh(
                request.user, anggota.unit_id, permission=services.IZIN_ANGGOTA
            ),
            "alasan_form": AlasanForm(),
            "hari_ini": timezone.localdate(),
            "StatusAnggota": StatusAnggota,
            **selectors.ringkasan_anggota(anggota),
        },
    )


@require_GET
@staf_required
@permission_required("sirkulasi.view_anggota", raise_exception=True)
def anggota_foto(request: AuthedRequest, pk: int):
    """A member's photo, for staff only (personal data: never public, never cached)."""
    anggota = get_object_or_404(Anggota, pk=pk)
    if not anggota.foto:
        raise Http404
    try:
        berkas = anggota.foto.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(berkas)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staf_required
@permission_required("sirkulasi.change_anggota", raise_exception=True)
def anggota_gabung(request: AuthedRequest, pk: int, duplikat_pk: int):
    """Merge a probable duplicate into this member, after a person has compared them."""
    utama = get_object_or_404(Anggota, pk=pk)
    duplikat = get_object_or_404(Anggota, pk=duplikat_pk)
    try:
        utama = services.gabungkan_anggota(utama, duplikat, oleh=request.user)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
    else:
        messages.success(
            request,
            _("%(d)s digabung ke %(u)s; nomor lamanya tetap dapat dipindai.")
            % {"d": duplikat.nomor, "u": utama.nomor},
        )
    return redirect("sirkulasi:anggota_detail", utama.pk)


@require_POST
@staf_required
@permission_required("sirkulasi.change_anggota", raise_exception=True)
def anggota_aksi(request: AuthedRequest, pk: int, aksi: str):
    """Block, unblock, verify or renew a membership, each through its service."""
    anggota = get_object_or_404(Anggota, pk=pk)
    form = AlasanForm(request.POST)
    alasan = form.cleaned_data["alasan"] if form.is_valid() else ""
    try:
        if aksi == "tangguhkan":
            services.tangguhkan_anggota(anggota, alasan=alasan, oleh=request.user)
            messages.success(request, _("Anggota diblokir."))
        elif aksi == "pulihkan":
            services.pulihkan_anggota(anggota, alasan=alasan, oleh=request.user)
            messages.success(request, _("Blokir dicabut; anggota dapat meminjam lagi."))
        elif aksi == "verifikasi":
            services.verifikasi_anggota(anggota, oleh=request.user)
            messages.success(request, _("Anggota diverifikasi dan aktif."))
        elif aksi == "perpanjang":
            anggota = services.perpanjang_keanggotaan(anggota, oleh=request.user)
            messages.success(
                request,
                _("Keanggotaan berlaku sampai %(t)s.")
                % {"t": anggota.berlaku_sampai.strftime("%d-%m-%Y")},
            )
        elif aksi == "kode-aktivasi":
            kode = akun.kode_aktivasi_di_meja(anggota, oleh=request.user)
            messages.success(
                request,
                _(
                    "Kode aktivasi %(k)s (berlaku 15 menit). Anggota membuka /anggota/aktivasi/, "
                    "mengisi nomor anggota dan tanggal lahir, lalu kode ini."
                )
                % {"k": kode},
            )
        else:
            raise SirkulasiGagal(_("Aksi tidak dikenal."))
    except SirkulasiGagal as exc:
        messages.error(request, str(exc))
    return redirect("sirkulasi:anggota_detail", pk)


@require_GET
@staf_required
@permission_required("sirkulasi.change_anggota", raise_exception=True)
def usulan_gabung(request: AuthedRequest):
    """Members an import found twice (same NIK, or same name and birth date), side by side."""
    usulan = (
        UsulanGabung.objects.filter(status=UsulanGabung.Status.MENUNGGU)
        .select_related(
            "anggota__kategori", "anggota__cabang", "kandidat__kategori", "kandidat__cabang"
        )
        .order_by("dibuat", "pk")
    )
    daftar = list(usulan[:50])
    for u in daftar:
        u.pasangan = [(_("Anggota hasil impor"), u.anggota), (_("Sudah ada"), u.kandidat)]
    return render(
        request,
        "sirkulasi/usulan_gabung.html",
        {"usulan": daftar, "menunggu": usulan.count()},
    )


@require_POST
@staf_required
@permission_required("sirkulasi.change_anggota", raise_exception=True)
def putuskan_usulan(request: AuthedRequest, pk: int, keputusan: str):
    usulan = get_object_or_404(UsulanGabung, pk=pk, status=UsulanGabung.Status.MENUNGGU)
    if keputusan == "gabung":
        try:
            utama = services.gabungkan_anggota(usulan.kandidat, usulan.anggota, oleh=request.user)
        except SirkulasiGagal as exc:
            messages.error(request, " ".join(exc.alasan))
        else:
            messages.success(
                request,
                _("Digabung ke %(u)s; nomor lamanya tetap dapat dipindai.") % {"u": utama.nomor},
            )
    elif keputusan == "pisah":
        services.tolak_usulan_gabung(usulan, oleh=request.user)
        messages.success(request, _("Keduanya tetap anggota yang berbeda."))
    return redirect("sirkulasi:usulan_gabung")
