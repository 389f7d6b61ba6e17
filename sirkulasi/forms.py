from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        model = Anggota
        fields = Anggota.RINCIAN
        widgets = {
            "tanggal_lahir": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "alamat": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nama"].widget.attrs["autofocus"] = True
        self.fields["telepon"].widget.attrs["inputmode"] = "tel"
        if self.instance.pk is None:
            self.fields["kategori"].initial = KategoriAnggota.objects.order_by("urutan").first()


class TamuForm(forms.Form):
    """The entrance: a member's card scanned, or a guest's details typed."""

    kode = forms.CharField(label=_("Pindai kartu anggota"), max_length=BATAS_SCAN, required=False)
    nama = forms.CharField(label=_("Nama tamu"), max_length=200, required=False, strip=True)
    institusi = forms.CharField(label=_("Institusi / asal"), max_length=200, required=False)
    tujuan = forms.ChoiceField(label=_("Tujuan"), choices=Kunjungan.Tujuan.choices)
