from __future__ import annotations

import dataclasses
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dispusip.models import Cabang
from katalog import marc as marc_mod
from katalog import nomor_standar, services
from katalog.models import (
    Eksemplar,
    JenisBahan,
    Katalog,
    KategoriKoleksi,
    Lokasi,
    SumberDigital,
    SumberPerolehan,
)
from katalog.pencarian import MAKS_HALAMAN, MAKS_SARINGAN, RENTANG_TAHUN, Kueri, nama_rujukan

URUTAN = [
    ("relevansi", _("Paling relevan")),
    ("terbaru", _("Terbaru")),
    ("judul", _("Judul A–Z")),
]


class KueriForm(forms.Form):
    """The search parameters shared by the OPAC page, the JSON API and the staff list."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=300)
    judul = forms.CharField(label=_("Judul"), required=False, max_length=200)
    pengarang = forms.CharField(label=_("Pengarang"), required=False, max_length=200)
    subjek = forms.CharField(label=_("Subjek"), required=False, max_length=200)
    penerbit = forms.CharField(label=_("Penerbit"), required=False, max_length=200)
    seri = forms.CharField(label=_("Seri"), required=False, max_length=200)
    isbn = forms.CharField(label=_("ISBN/ISSN"), required=False, max_length=40)
    nomor_panggil = forms.CharField(label=_("Nomor panggil"), required=False, max_length=60)
    jenis = forms.MultipleChoiceField(label=_("Jenis bahan"), required=False, choices=JenisBahan)
    bahasa = forms.MultipleChoiceField(label=_("Bahasa"), required=False)
    tahun = forms.MultipleChoiceField(
        label=_("Tahun terbit"), required=False, choices=[(k, k) for k in RENTANG_TAHUN]
    )
    cabang = forms.TypedMultipleChoiceField(
        label=_("Cabang"), required=False, coerce=int, choices=[]
    )
    kategori = forms.TypedMultipleChoiceField(
        label=_("Kategori koleksi"), required=False, coerce=int, choices=[]
    )
    topik = forms.MultipleChoiceField(label=_("Topik"), required=False)
    tersedia = forms.BooleanField(label=_("Hanya yang ada di rak sekarang"), required=False)
    urut = forms.ChoiceField(label=_("Urutkan"), required=False, choices=URUTAN)
    halaman = forms.IntegerField(label=_("Halaman"), required=False, min_value=1)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Every branch, closed ones too: their records still carry them as facets.
        # Callables, so a plain search (no branch or category chosen) reads neither.
        self.fields["cabang"].choices = lambda: list(nama_rujukan()["cabang"].items())
        self.fields["kategori"].choices = lambda: list(nama_rujukan()["kategori"].items())

    def clean_bahasa(self):
        nilai = self.cleaned_data["bahasa"]
        for kode in nilai:
            if not re.fullmatch(r"[a-z]{3}", kode):
                raise ValidationError(_("Kode bahasa “%(k)s” tidak dikenal."), params={"k": kode})
        return nilai

    def clean_topik(self):
        return [t[:300] for t in self.cleaned_data["topik"]]

    def clean_halaman(self):
        halaman = self.cleaned_data["halaman"] or 1
        if halaman > MAKS_HALAMAN:
            raise ValidationError(
                _("Hanya %(n)d halaman pertama yang ditampilkan; persempit pencarian Anda."),
                params={"n": MAKS_HALAMAN},
            )
        return halaman

    def clean(self):
        data = super().clean()
        saringan = sum(
            len(data.get(nama) or [])
            for nama in ("jenis", "bahasa", "tahun", "cabang", "kategori", "topik")
        )
        if saringan > MAKS_SARINGAN:
            raise ValidationError(
                _("Paling banyak %(n)d pilihan saringan sekaligus."), params={"n": MAKS_SARINGAN}
            )
        return data

    def full_clean(self):
        # Topics and languages are open lists: accept any value clean_* allows.
        self.fields["bahasa"].choices = (
            [(v, v) for v in self.data.getlist("bahasa")] if self.is_bound else []
        )
        self.fields["topik"].choices = (
            [(v, v) for v in self.data.getlist("topik")] if self.is_bound else []
        )
        super().full_clean()

    def kueri(self) -> Kueri:
        d = self.cleaned_data
        return Kueri(
            **{
                k: (d.get(k) or "")
                for k in (
                    "q",
                    "judul",
                    "pengarang",
                    "subjek",
                    "penerbit",
                    "seri",
                    "isbn",
                    "nomor_panggil",
                )
            },
            jenis=d.get("jenis") or [],
            bahasa=d.get("bahasa") or [],
            tahun=d.get("tahun") or [],
            cabang=d.get("cabang") or [],
            kategori=d.get("kategori") or [],
            topik=d.get("topik") or [],
            tersedia=bool(d.get("tersedia")),
            urut=d.get("urut") or "relevansi",
            halaman=d.get("halaman") or 1,
        )


# --- staff forms -------------------------------------------------------------------


def _baris(teks: str) -> list[str]:
    return [b.strip() for b in (teks or "").splitlines() if b.strip()]


def _nomor(teks: str) -> list[str]:
    """ISBNs or ISSNs, one per line or separated by semicolons."""
    return [b.strip() for b in re.split(r"[\n;]", teks or "") if b.strip()]


class KatalogForm(forms.Form):
    """A cataloguer's form over the modelled fields; the MARC record keeps the rest."""

    jenis = forms.ChoiceField(label=_("Jenis bahan"), choices=JenisBahan)
    judul = forms.CharField(label=_("Judul"), max_length=700)
    anak_judul = forms.CharField(label=_("Anak judul"), required=False, max_length=700)
    pernyataan_tanggung_jawab = forms.CharField(
        label=_("Pernyataan tanggung jawab"),
        required=False,
        max_length=700,
        help_text=_("Seperti tertulis di halaman judul, misalnya “Andrea Hirata”."),
    )
    pengarang = forms.CharField(
        label=_("Pengarang"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Satu nama per baris, tajuk utama lebih dulu, dalam bentuk “Hirata, Andrea”. "
            "Tambahkan peran setelah titik koma bila bukan pengarang: “Damono, Sapardi Djoko ; penerjemah”."
        ),
    )
    edisi = forms.CharField(label=_("Edisi"), required=False, max_length=255)
    tempat_terbit = forms.CharField(label=_("Tempat terbit"), required=False, max_length=255)
    penerbit = forms.CharField(label=_("Penerbit"), required=False, max_length=255)
    tahun_terbit = forms.CharField(label=_("Tahun terbit"), required=False, max_length=100)
    isbn = forms.CharField(
        label=_("ISBN"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu ISBN per baris; tanda hubung boleh."),
    )
    issn = forms.CharField(
        label=_("ISSN"),
        required=False,
        max_length=200,
        help_text=_("Untuk terbitan berkala; beberapa ISSN dipisah titik koma."),
    )
    abaikan_validasi = forms.BooleanField(
        label=_("Simpan walau digit pemeriksa ISBN/ISSN salah"),
        required=False,
        help_text=_("Hanya bila nomor memang tercetak demikian di terbitan."),
    )
    nomor_panggil = forms.CharField(
        label=_("Nomor panggil"),
        required=False,
        max_length=100,
        help_text=_(
            "Nomor klas DDC + 3 huruf tajuk utama + huruf awal judul, misalnya “899.221 3 HIR l”."
        ),
    )
    ddc = forms.CharField(label=_("Nomor klas DDC"), required=False, max_length=50)
    bahasa = forms.CharField(
        label=_("Bahasa (kode MARC)"),
        max_length=3,
        initial="ind",
        help_text=_("ind = Indonesia, eng = Inggris, jav = Jawa."),
    )
    subjek = forms.CharField(
        label=_("Subjek"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu tajuk subjek per baris, misalnya “Jakarta -- Sejarah”."),
    )
    seri = forms.CharField(label=_("Seri"), required=False, max_length=500)
    deskripsi_fisik = forms.CharField(
        label=_("Deskripsi fisik"),
        required=False,
        max_length=255,
        help_text=_("Misalnya “xii + 529 hlm. ; 20 cm”."),
    )
    audiens = forms.CharField(label=_("Sasaran pembaca"), required=False, max_length=255)
    catatan = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    abstrak = forms.CharField(
        label=_("Abstrak"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tetap_simpan = forms.BooleanField(
        label=_("Saya sudah memeriksa kemungkinan duplikat; tetap simpan"), required=False
    )

    def clean_bahasa(self):
        kode = self.cleaned_data["bahasa"].strip().lower()
        if not re.fullmatch(r"[a-z]{3}", kode):
            raise ValidationError(_("Tulis kode bahasa MARC tiga huruf, misalnya ind."))
        return kode

    def clean_pengarang(self):
        hasil = []
        for baris in _baris(self.cleaned_data["pengarang"]):
            nama, _sep, peran = baris.partition(";")
            if not nama.strip():
                raise ValidationError(_("Baris “%(b)s” tidak berisi nama."), params={"b": baris})
            hasil.append((nama.strip(), peran.strip() or marc_mod.PERAN_BAWAAN))
        return hasil

    def clean_tahun_terbit(self):
        tahun = self.cleaned_data["tahun_terbit"].strip()
        if tahun and not re.search(r"\d{4}", tahun):
            raise ValidationError(_("Tahun terbit harus memuat tahun empat angka, misalnya 2024."))
        return tahun

    def clean(self):
        data = super().clean()
        if not data.get("abaikan_validasi"):
            masalah = [nomor_standar.masalah_isbn(v) for v in _nomor(data.get("isbn", ""))]
            masalah = [m for m in masalah if m]
            if masalah:
                petunjuk = _("Bila nomor itu memang tercetak di terbitan, centang “%(c)s”.") % {
                    "c": self.fields["abaikan_validasi"].label
                }
                self.add_error("isbn", [*masalah, petunjuk])
            masalah = [nomor_standar.masalah_issn(v) for v in _nomor(data.get("issn", ""))]
            masalah = [m for m in masalah if m]
            if masalah:
                self.add_error("issn", masalah)
        return data

    def duplikat(self, kecuali: int | None = None) -> list:
        """Records that look like the same edition as the one typed (to warn, not to refuse)."""
        isian = self.isian()
        return list(
            services.cari_duplikat(
                isbn=isian.isbn or [],
                judul=isian.judul,
                pengarang=isian.pengarang[0][0] if isian.pengarang else "",
                tahun=marc_mod.tahun_dari(isian.tahun_terbit),
                kecuali=kecuali,
            )
        )

    def isian(self) -> marc_mod.Isian:
        d = self.cleaned_data
        nilai = {f.name: d[f.name] for f in dataclasses.fields(marc_mod.Isian) if f.name in d}
        nilai.update(isbn=_nomor(d["isbn"]), issn=_nomor(d["issn"]), subjek=_baris(d["subjek"]))
        return marc_mod.Isian(**nilai)


class MarcForm(forms.Form):
    teks = forms.CharField(
        label=_("Rekaman MARC"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "Satu ruas per baris: “=TAG  indikator$subruas”. Indikator kosong ditulis \\. "
            "Contoh: =245  10$aLaskar pelangi /$cAndrea Hirata."
        ),
    )

    def clean_teks(self):
        try:
            record = marc_mod.dari_teks(self.cleaned_data["teks"])
        except marc_mod.MarcTidakValid as exc:
            raise ValidationError(exc.masalah) from None
        masalah = masalah_panjang(marc_mod.kolom_dari_marc(record))
        if masalah:
            raise ValidationError(masalah)
        return record


def masalah_panjang(kolom: dict) -> list[str]:
    """Derived values longer than their column allows, said per field."""
    masalah = []
    for field in Katalog._meta.get_fields():
        batas = getattr(field, "max_length", None)
        nilai = kolom.get(field.name)
        if batas and isinstance(nilai, str) and len(nilai) > batas:
            masalah.append(
                _("%(f)s terlalu panjang: %(n)d karakter, paling banyak %(b)d.")
                % {"f": str(field.verbose_name).capitalize(), "n": len(nilai), "b": batas}
            )
    return masalah


class CabangLokasiForm(forms.Form):
    """A branch the user may act on, and optionally a shelf of that same branch."""

    cabang = forms.ModelChoiceField(label=_("Cabang"), queryset=Cabang.objects.none())
    lokasi = forms.ModelChoiceField(
        label=_("Lokasi rak"), queryset=Lokasi.objects.none(), required=False
    )

    def __init__(self, *args, cabang_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang"].queryset = cabang_qs
        self.fields["lokasi"].queryset = Lokasi.objects.filter(cabang__in=cabang_qs).select_related(
            "cabang"
        )

    def clean(self):
        data = super().clean()
        lokasi, cabang = data.get("lokasi"), data.get("cabang")
        if lokasi and cabang and lokasi.cabang_id != cabang.pk:
            self.add_error("lokasi", _("Lokasi rak ini milik cabang lain."))
        return data


class TambahEksemplarForm(CabangLokasiForm):
    kategori = forms.ModelChoiceField(
        label=_("Kategori koleksi"), queryset=KategoriKoleksi.objects.all()
    )
    jumlah = forms.IntegerField(label=_("Jumlah eksemplar"), min_value=1, max_value=200, initial=1)
    sumber = forms.ChoiceField(label=_("Sumber"), choices=SumberPerolehan)
    harga = forms.DecimalField(
        label=_("Harga per eksemplar (Rp)"), required=False, min_value=0, decimal_places=2
    )
    tanggal_terima = forms.DateField(
        label=_("Tanggal diterima"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nomor_panggil = forms.CharField(
        label=_("Nomor panggil eksemplar"),
        required=False,
        max_length=100,
        help_text=_("Kosongkan untuk memakai nomor panggil rekaman."),
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].initial = KategoriKoleksi.objects.filter(kode="umum").first()


class UbahEksemplarForm(forms.ModelForm):
    class Meta:
        model = Eksemplar
        fields = list(Eksemplar.RINCIAN)
        widgets = {
            "tanggal_terima": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "catatan": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lokasi"].queryset = Lokasi.objects.filter(cabang_id=self.instance.cabang_id)
        self.fields["harga"].required = False


class PindahEksemplarForm(CabangLokasiForm):
    alasan = forms.CharField(label=_("Alasan"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabang"].label = _("Cabang tujuan")


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), max_length=300)


class SumberDigitalForm(forms.ModelForm):
    JENIS_DITERIMA = {
        ".pdf": "application/pdf",
        ".epub": "application/epub+zip",
        ".mp3": "audio/mpeg",
        ".m4a": "audio/mp4",
        ".ogg": "audio/ogg",
        ".mp4": "video/mp4",
    }
    MAKS_UKURAN = 200 * 1024 * 1024

    tautan = forms.URLField(
        label=_("tautan"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = SumberDigital
        fields = ["judul", "berkas", "tautan", "akses", "jumlah_lisensi"]

    def clean_berkas(self):
        berkas = self.cleaned_data.get("berkas")
        if not berkas:
            return berkas
        akhiran = "." + berkas.name.rsplit(".", 1)[-1].lower() if "." in berkas.name else ""
        if akhiran not in self.JENIS_DITERIMA:
            raise ValidationError(
                _("Jenis berkas tidak diterima. Yang boleh: %(j)s."),
                params={"j": ", ".join(sorted(self.JENIS_DITERIMA))},
            )
        if berkas.size > self.MAKS_UKURAN:
            raise ValidationError(_("Berkas lebih dari 200 MB."))
        return berkas

    def clean(self):
        data = super().clean()
        if bool(data.get("berkas")) == bool(data.get("tautan")):
            raise ValidationError(_("Isi berkas atau tautan, salah satu saja."))
        if data.get("akses") == SumberDigital.Akses.LISENSI:
            if data.get("tautan"):
                self.add_error("tautan", _("Akses per lisensi hanya untuk berkas, bukan tautan."))
            if not data.get("jumlah_lisensi"):
                self.add_error("jumlah_lisensi", _("Isi jumlah lisensi (minimal 1)."))
        else:
            data["jumlah_lisensi"] = None
        return data

    def save(self, commit=True):
        obj = super().save(commit=False)
        if obj.berkas:
            akhiran = "." + obj.berkas.name.rsplit(".", 1)[-1].lower()
            obj.jenis_isi = self.JENIS_DITERIMA[akhiran]
            obj.ukuran = obj.berkas.size
        if commit:
            obj.save()
        return obj
