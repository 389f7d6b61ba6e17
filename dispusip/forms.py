from django import forms
from django.utils.translation import gettext_lazy as _

from dispusip.models import Cabang, Unit


def kesalahan_teks(form: forms.Form) -> str:
    """A form's errors as one readable sentence: "Dari tanggal: Masukkan tanggal yang valid." """
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


class SaringAuditForm(forms.Form):
    """Filters of the audit log screen; the export job re-validates the same data."""

    pelaku = forms.CharField(label=_("Pelaku (nama pengguna)"), required=False, max_length=150)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("Semua unit")
    )
    aksi = forms.CharField(
        label=_("Aksi"),
        required=False,
        max_length=100,
        help_text=_("Awal nama aksi, mis. “pengguna” atau “pengguna.peran”."),
    )
    objek = forms.CharField(label=_("Objek memuat"), required=False, max_length=100)
    dari = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def saringan(self) -> dict:
        """Keyword arguments for AuditLogQuerySet.saring()."""
        return {name: self.cleaned_data.get(name) for name in self.fields}

    def parameter(self) -> dict:
        """The raw filter values, to store on an export job."""
        return {name: self.data.get(name, "") for name in self.fields if self.data.get(name)}


class CabangKerjaForm(forms.Form):
    cabang = forms.ModelChoiceField(
        label=_("Cabang kerja"), queryset=Cabang.objects.none(), empty_label=_("Pilih cabang")
    )

    def __init__(self, *args, pilihan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang"].queryset = pilihan
