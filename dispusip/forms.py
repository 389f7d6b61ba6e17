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


class BerkasBanyakInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BerkasBanyakField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", BerkasBanyakInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImporForm(forms.Form):
    """Files exported from Inlislite, SLiMS or another system, and where they go."""

    MAKS_UKURAN = 500 * 1024 * 1024

    berkas = BerkasBanyakField(
        label=_("Berkas"),
        help_text=_(
            "Satu berkas atau beberapa sekaligus, atau satu zip berisi tabel-tabel: MARC (.mrc, "
            "MARCXML), tabel Inlislite (CSV/XLSX), template Excel dan laporan .xls Inlislite, "
            "ekspor CSV SLiMS."
        ),
    )
    sumber = forms.CharField(
        label=_("Nama sumber"),
        max_length=200,
        help_text=_(
            "Mis. “Inlislite Sudin Jakarta Barat”. Impor ulang dari sumber yang sama "
            "memperbarui, bukan menggandakan."
        ),
    )
    format = forms.ChoiceField(label=_("Jenis sumber"), initial="auto")
    cabang = forms.ModelChoiceField(
        label=_("Cabang tujuan"),
        queryset=Cabang.objects.none(),
        empty_label=None,
        help_text=_("Untuk eksemplar yang lokasinya tidak disebut atau tidak dipetakan."),
    )
    sebagian = forms.BooleanField(
        label=_("Impor yang sah saja dan laporkan sisanya"),
        required=False,
        help_text=_("Tanpa centang: bila ada satu galat, tidak ada yang diimpor."),
    )

    def __init__(self, *args, cabang, **kwargs):
        from dispusip.impor import FORMAT

        super().__init__(*args, **kwargs)
        self.fields["cabang"].queryset = cabang
        self.fields["format"].choices = list(FORMAT.items())

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if sum(f.size for f in berkas) > self.MAKS_UKURAN:
            raise forms.ValidationError(
                _("Berkas lebih dari 500 MB; pakai perintah manage.py impor (lihat README).")
            )
        return berkas
