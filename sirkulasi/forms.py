from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispusip.models import Cabang
from sirkulasi.models import Anggota, KategoriAnggota, Kunjungan

BATAS_SCAN = 60


class PindaiForm(forms.Form):
    """One scan: a member card or an item barcode, as the scanner types it."""

    kode = forms.CharField(label=_("Pindai"), max_length=BATAS_SCAN, strip=True)


class PinjamForm(forms.Form):
    barcode = forms.CharField(label=_("Barcode eksemplar"), max_length=BATAS_SCAN, strip=True)
    alasan_timpa = forms.CharField(
        label=_("Alasan pengecualian"), max_length=255, required=False, strip=True
    )


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), max_length=255, strip=True)


class BayarForm(forms.Form):
    jumlah = forms.DecimalField(
        label=_("Jumlah dibayar (Rp)"), min_value=1, max_digits=12, decimal_places=0
    )


class RusakForm(forms.Form):
    biaya = forms.DecimalField(
        label=_("Biaya kerusakan (Rp)"), min_value=1, max_digits=12, decimal_places=0
    )
    keterangan = forms.CharField(label=_("Kerusakan"), max_length=200, strip=True)


class CariAnggotaForm(forms.Form):
    q = forms.CharField(
        label=_("Nama, nomor anggota, atau nomor identitas"), max_length=100, required=False
    )


class AnggotaForm(forms.ModelForm):
    """Registration and correction of a member's details at a desk."""

    MAKS_FOTO = 2 * 1024 * 1024

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if foto and getattr(foto, "size", 0) > self.MAKS_FOTO:
            raise forms.ValidationError(_("Foto lebih dari 2 MB."))
        return foto

    def data_layanan(self, nama_isian) -> dict:
        """The cleaned values for a service; an empty or cleared photo means none."""
        data = {nama: self.cleaned_data[nama] for nama in nama_isian}
        if "foto" in data and not data["foto"]:
            data["foto"] = ""
        return data

    class Meta:
        model = Anggota
        fields = (*Anggota.RINCIAN, "foto")
        widgets = {
            "tanggal_lahir": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "alamat": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nama"].widget.attrs["autofocus"] = True
        self.fields["telepon"].widget.attrs["inputmode"] = "tel"
        self.fields["foto"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        if self.instance.pk is None:
            self.fields["kategori"].initial = KategoriAnggota.objects.order_by("urutan").first()


class TamuForm(forms.Form):
    """The entrance: a member's card scanned, or a guest's details typed."""

    kode = forms.CharField(label=_("Pindai kartu anggota"), max_length=BATAS_SCAN, required=False)
    nama = forms.CharField(label=_("Nama tamu"), max_length=200, required=False, strip=True)
    institusi = forms.CharField(label=_("Institusi / asal"), max_length=200, required=False)
    tujuan = forms.ChoiceField(label=_("Tujuan"), choices=Kunjungan.Tujuan.choices)


class UjiAturanForm(forms.Form):
    """Which rule applies to this member borrowing this copy at this branch?"""

    anggota = forms.CharField(label=_("Nomor anggota"), max_length=BATAS_SCAN)
    barcode = forms.CharField(label=_("Barcode eksemplar"), max_length=BATAS_SCAN)
    cabang = forms.ModelChoiceField(label=_("Dipinjam di"), queryset=Cabang.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang"].queryset = Cabang.objects.aktif().select_related("unit")


class PraDaftarForm(forms.ModelForm):
    """Online pre-registration by the public; verified later at a desk with the ID card."""

    cabang = forms.ModelChoiceField(
        label=_("Verifikasi di perpustakaan"), queryset=Cabang.objects.none(), empty_label=None
    )

    class Meta:
        model = Anggota
        fields = [
            "nama", "jenis_identitas", "nomor_identitas", "tempat_lahir", "tanggal_lahir",
            "jenis_kelamin", "alamat", "telepon", "email", "pekerjaan", "institusi", "kategori",
        ]  # fmt: skip
        widgets = {
            "tanggal_lahir": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "alamat": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang"].queryset = Cabang.objects.aktif().select_related("unit")
        for nama in ("jenis_identitas", "nomor_identitas", "tanggal_lahir", "jenis_kelamin"):
            self.fields[nama].required = True
        self.fields["kategori"].initial = KategoriAnggota.objects.order_by("urutan").first()
        self.fields["telepon"].widget.attrs["inputmode"] = "tel"

    def clean(self):
        data = super().clean()
        if not data.get("telepon") and not data.get("email"):
            raise forms.ValidationError(
                _("Isi nomor HP atau email agar kami dapat menghubungi Anda.")
            )
        return data


class ReservasiMejaForm(forms.Form):
    judul = forms.CharField(
        label=_("Barcode salah satu eksemplar, atau nomor kontrol"), max_length=BATAS_SCAN
    )
    cabang_ambil = forms.ModelChoiceField(
        label=_("Diambil di"), queryset=Cabang.objects.none(), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang_ambil"].queryset = Cabang.objects.aktif().select_related("unit")
