"""Member self-service at /anggota/: loans, online renewal, holds, fines,
history, profile, data download, recommendations, and activation of online access."""

from __future__ import annotations

import json
from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispusip.batas import batasi
from dispusip.models import Cabang
from katalog.models import Katalog, SumberDigital
from sirkulasi import akun, digital, selectors, services
from sirkulasi.forms import PraDaftarForm
from sirkulasi.models import Anggota, Peminjaman, PinjamDigital, Reservasi
from sirkulasi.services import SirkulasiGagal

KUNCI_AKTIVASI = "sirkulasi_aktivasi"


def anggota_required(view):
    """Logged in with an account that belongs to a member."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        anggota = (
            Anggota.objects.select_related("kategori", "cabang").filter(akun=request.user).first()
        )
        if anggota is None:
            raise PermissionDenied(_("Akun ini bukan akun anggota perpustakaan."))
        request.anggota = anggota
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@anggota_required
def beranda(request):
    anggota = request.anggota
    return render(
        request,
        "sirkulasi/anggota/beranda.html",
        {
            "anggota": anggota,
            "hari_ini": timezone.localdate(),
            "rekomendasi": selectors.rekomendasi(anggota),
            **selectors.digital_anggota(anggota),
            **selectors.ringkasan_anggota(anggota),
        },
    )


@require_POST
@anggota_required
def perpanjang(request, pk: int):
    pinjaman = get_object_or_404(Peminjaman.objects.berjalan(), pk=pk, anggota=request.anggota)
    try:
        pinjaman = services.perpanjang(pinjaman, oleh=request.user)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
    else:
        messages.success(
            request,
            _("Diperpanjang. Kembalikan paling lambat %(t)s.")
            % {"t": pinjaman.jatuh_tempo.strftime("%d-%m-%Y")},
        )
    return redirect("anggota:beranda")


class ReservasiForm(forms.Form):
    cabang_ambil = forms.ModelChoiceField(
        label=gettext_lazy("Ambil di"), queryset=Cabang.objects.none(), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang_ambil"].queryset = Cabang.objects.aktif().select_related("unit")


@require_http_methods(["GET", "POST"])
@anggota_required
def reservasi(request, katalog_pk: int):
    katalog = get_object_or_404(Katalog.objects.opac(), pk=katalog_pk)
    form = ReservasiForm(request.POST or None, initial={"cabang_ambil": request.anggota.cabang})
    if request.method == "POST" and form.is_valid():
        try:
            hold = services.reservasi(
                request.anggota, katalog, cabang_ambil=form.cleaned_data["cabang_ambil"]
            )
        except SirkulasiGagal as exc:
            form.add_error(None, " ".join(exc.alasan))
        else:
            messages.success(
                request,
                _("Reservasi tercatat: antrean ke-%(n)s. Kami kabari bila siap diambil di %(c)s.")
                % {"n": selectors.posisi_antrean(hold), "c": hold.cabang_ambil},
            )
            return redirect("anggota:beranda")
    return render(
        request,
        "sirkulasi/anggota/reservasi.html",
        {"k": katalog, "form": form, "anggota": request.anggota},
    )


@require_POST
@anggota_required
def batal_reservasi(request, pk: int):
    hold = get_object_or_404(Reservasi.objects.aktif(), pk=pk, anggota=request.anggota)
    services.batalkan_reservasi(hold, oleh=request.user, alasan=_("Dibatalkan oleh anggota"))
    messages.success(request, _("Reservasi dibatalkan."))
    return redirect("anggota:beranda")


# --- digital loans -------------------------------------------------------------


@require_POST
@anggota_required
def pinjam_digital(request, sumber_pk: int):
    sumber = get_object_or_404(SumberDigital.objects.select_related("katalog"), pk=sumber_pk)
    try:
        hari = int(request.POST.get("hari", ""))
    except ValueError:
        hari = 0
    try:
        pinjaman = digital.pinjam(request.anggota, sumber, hari=hari)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
        return redirect(sumber.katalog.get_absolute_url())
    messages.success(
        request,
        _("%(j)s dipinjam sampai %(t)s. Baca dari halaman ini.")
        % {
            "j": sumber.judul,
            "t": timezone.localtime(pinjaman.berakhir).strftime("%d-%m-%Y %H:%M"),
        },
    )
    return redirect("anggota:beranda")


@require_POST
@anggota_required
def antre_digital(request, sumber_pk: int):
    sumber = get_object_or_404(SumberDigital.objects.select_related("katalog"), pk=sumber_pk)
    try:
        antrean = digital.antre(request.anggota, sumber)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
        return redirect(sumber.katalog.get_absolute_url())
    messages.success(
        request,
        _("Anda di antrean ke-%(n)s. Kami kabari bila lisensi tersedia.")
        % {"n": digital.posisi(antrean)},
    )
    return redirect("anggota:beranda")


@require_POST
@anggota_required
def kembalikan_digital(request, pk: int):
    pinjaman = get_object_or_404(PinjamDigital, pk=pk, anggota=request.anggota)
    try:
        digital.kembalikan(pinjaman)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
    else:
        messages.success(request, _("E-book dikembalikan. Terima kasih."))
    return redirect("anggota:beranda")


@require_GET
@anggota_required
def baca_digital(request, token: str):
    """The loan's own reading link: the file, inline, only while the loan runs."""
    try:
        pinjaman = digital.pinjaman_untuk_dibaca(token, request.anggota)
    except SirkulasiGagal as exc:
        messages.error(request, " ".join(exc.alasan))
        return redirect("anggota:beranda")
    sumber = pinjaman.sumber
    try:
        berkas = sumber.berkas.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas tidak ditemukan.")) from None
    response = FileResponse(
        berkas, content_type=sumber.jenis_isi or "application/octet-stream", as_attachment=False
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@anggota_required
def riwayat(request):
    return render(
        request,
        "sirkulasi/anggota/riwayat.html",
        {"anggota": request.anggota, "riwayat": selectors.riwayat(request.anggota, batas=500)},
    )


class KontakForm(forms.ModelForm):
    class Meta:
        model = Anggota
        fields = akun.KONTAK_SENDIRI
        widgets = {"alamat": forms.Textarea(attrs={"rows": 2})}


@require_http_methods(["GET", "POST"])
@anggota_required
def profil(request):
    form = KontakForm(request.POST or None, instance=request.anggota)
    if request.method == "POST" and form.is_valid():
        try:
            akun.ubah_kontak_sendiri(Anggota.objects.get(pk=request.anggota.pk), form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kontak Anda disimpan."))
            return redirect("anggota:profil")
    return render(
        request, "sirkulasi/anggota/profil.html", {"anggota": request.anggota, "form": form}
    )


@require_GET
@anggota_required
def unduh_data(request):
    isi = json.dumps(akun.data_pribadi(request.anggota), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(isi, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="data-anggota-{request.anggota.nomor}.json"'
    )
    return response


class AktivasiForm(forms.Form):
    nomor = forms.CharField(label=gettext_lazy("Nomor anggota"), max_length=50)
    tanggal_lahir = forms.DateField(
        label=gettext_lazy("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"})
    )


class KodeForm(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Kode aktivasi"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    kata_sandi1 = forms.CharField(
        label=gettext_lazy("Kata sandi baru"), widget=forms.PasswordInput, strip=False
    )
    kata_sandi2 = forms.CharField(
        label=gettext_lazy("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        data = super().clean()
        if data.get("kata_sandi1") and data.get("kata_sandi1") != data.get("kata_sandi2"):
            self.add_error("kata_sandi2", _("Kedua kata sandi tidak sama."))
        return data


@require_http_methods(["GET", "POST"])
@batasi("aktivasi", "AKTIVASI_RATE")
def aktivasi(request):
    """Step one: member number and birth date; a code goes to the member's channel."""
    form = AktivasiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nomor, lahir = form.cleaned_data["nomor"], form.cleaned_data["tanggal_lahir"]
        try:
            saluran = akun.kirim_kode_aktivasi(nomor, lahir)
        except SirkulasiGagal as exc:
            form.add_error(None, " ".join(exc.alasan))
        else:
            request.session[KUNCI_AKTIVASI] = {"nomor": nomor, "lahir": lahir.isoformat()}
            messages.info(request, _("Kode aktivasi dikirim lewat %(s)s.") % {"s": saluran})
            return redirect("anggota:aktivasi_kode")
    return render(request, "sirkulasi/anggota/aktivasi.html", {"form": form})


@require_http_methods(["GET", "POST"])
@batasi("aktivasi", "AKTIVASI_RATE")
def aktivasi_kode(request):
    """Step two: the code and a new password; the member is logged in."""
    langkah = request.session.get(KUNCI_AKTIVASI)
    if not langkah:
        return redirect("anggota:aktivasi")
    form = KodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pengguna = akun.aktifkan(
                langkah["nomor"],
                date.fromisoformat(langkah["lahir"]),
                form.cleaned_data["kode"],
                form.cleaned_data["kata_sandi1"],
            )
        except SirkulasiGagal as exc:
            form.add_error("kode", " ".join(exc.alasan))
        except ValidationError as exc:
            form.add_error("kata_sandi1", exc)
        else:
            request.session.pop(KUNCI_AKTIVASI, None)
            login(request, pengguna, backend="dispusip.auth_backends.PenggunaBackend")
            messages.success(
                request,
                _("Akses daring aktif. Berikutnya, masuk dengan nomor anggota dan kata sandi ini."),
            )
            return redirect("anggota:beranda")
    return render(
        request, "sirkulasi/anggota/aktivasi_kode.html", {"form": form, "nomor": langkah["nomor"]}
    )


@require_http_methods(["GET", "POST"])
@batasi("aktivasi", "AKTIVASI_RATE")
def pra_daftar(request):
    """Online pre-registration: the card is issued at a desk once the ID is checked."""
    form = PraDaftarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "cabang"}
        try:
            anggota = services.daftarkan_anggota(
                data, cabang=form.cleaned_data["cabang"], oleh=None, pra_daftar=True
            )
        except SirkulasiGagal as exc:
            form.add_error("nomor_identitas", " ".join(exc.alasan))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request, "sirkulasi/anggota/pra_daftar_selesai.html", {"anggota": anggota}
            )
    return render(request, "sirkulasi/anggota/pra_daftar.html", {"form": form})
