from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dispusip.models import Cabang, Unit


class JenisBahan(models.TextChoices):
    MONOGRAF = "monograf", _("Monograf")
    TERBITAN_BERKALA = "terbitan_berkala", _("Terbitan berkala")
    AUDIO_VISUAL = "audio_visual", _("Audio-visual")
    KARTOGRAFI = "kartografi", _("Kartografi")
    MUSIK = "musik", _("Musik")
    MANUSKRIP = "manuskrip", _("Naskah / manuskrip")
    BAHAN_GRAFIS = "bahan_grafis", _("Bahan grafis")
    SUMBER_ELEKTRONIK = "sumber_elektronik", _("Sumber elektronik")


BAHASA = {
    "ind": _("Indonesia"),
    "eng": _("Inggris"),
    "jav": _("Jawa"),
    "sun": _("Sunda"),
    "bet": _("Betawi"),
    "ara": _("Arab"),
    "dut": _("Belanda"),
    "chi": _("Tionghoa"),
    "jpn": _("Jepang"),
    "may": _("Melayu"),
}


class KategoriKoleksi(models.Model):
    """Collection category (Umum, Referensi, Anak, Deposit, Koleksi Khusus…)."""

    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=100, unique=True)
    dapat_dipinjam = models.BooleanField(
        _("dapat dipinjam"),
        default=True,
        help_text=_("Kosongkan untuk koleksi baca di tempat (referensi, langka)."),
    )
    mengambang = models.BooleanField(
        _("koleksi mengambang"),
        default=False,
        help_text=_(
            "Eksemplar yang dikembalikan di cabang lain tetap di sana (menjadi koleksi cabang "
            "itu) alih-alih dikirim pulang."
        ),
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["urutan", "nama"]
        verbose_name = _("kategori koleksi")
        verbose_name_plural = _("kategori koleksi")

    def __str__(self) -> str:
        return self.nama


class Lokasi(models.Model):
    """A shelf location inside a branch ("Koleksi Umum Lt. 4", "Layanan Anak Lt. 1")."""

    cabang = models.ForeignKey(
        Cabang, models.CASCADE, related_name="lokasi_rak", verbose_name=_("cabang")
    )
    nama = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["cabang__nama", "nama"]
        verbose_name = _("lokasi rak")
        verbose_name_plural = _("lokasi rak")
        constraints = [
            models.UniqueConstraint(fields=["cabang", "nama"], name="lokasi_unik_per_cabang")
        ]

    def __str__(self) -> str:
        return f"{self.cabang} · {self.nama}"


class KatalogQuerySet(models.QuerySet):
    def opac(self):
        return self.filter(tampil_opac=True)

    def ringkas(self):
        """Without the MARC record and the search vector: a list never shows them and
        they are the widest columns (a page of 20 read them in full)."""
        return self.defer("marc", "vektor")

    def baris(self):
        """Only the columns a row of the OPAC's result list shows (selectors.baris_ringkas):
        reading and building twenty whole rows took twice as long."""
        return self.only(*KOLOM_BARIS)


# What a row of a result list shows: Katalog.judul_lengkap, .terbitan and .status_rak().
KOLOM_BARIS = (
    "judul",
    "anak_judul",
    "pengarang_teks",
    "tempat_terbit",
    "penerbit",
    "tahun_terbit",
    "nomor_panggil",
    "jenis",
    "cabang_pemilik",
    "cabang_tersedia",
)


class Katalog(models.Model):
    """A bibliographic record: the MARC 21 record plus columns derived from it.

    Records are province-wide (one union catalogue); the columns below `marc`
    are written only by katalog.services from the MARC record (katalog.marc),
    and the availability arrays only by the item-status service.
    """

    marc = models.JSONField(_("rekaman MARC"), default=dict)
    nomor_kontrol = models.CharField(_("nomor kontrol (001)"), max_length=50, unique=True)
    jenis = models.CharField(
        _("jenis bahan"), max_length=20, choices=JenisBahan, default=JenisBahan.MONOGRAF
    )
    judul = models.TextField(_("judul"))
    anak_judul = models.TextField(_("anak judul"), blank=True)
    pernyataan_tanggung_jawab = models.TextField(_("pernyataan tanggung jawab"), blank=True)
    pengarang = models.JSONField(_("pengarang"), default=list, blank=True)
    pengarang_teks = models.TextField(_("pengarang"), blank=True)
    edisi = models.CharField(_("edisi"), max_length=255, blank=True)
    tempat_terbit = models.CharField(_("tempat terbit"), max_length=255, blank=True)
    penerbit = models.CharField(_("penerbit"), max_length=255, blank=True)
    tahun_terbit = models.CharField(_("tahun terbit"), max_length=100, blank=True)
    tahun = models.SmallIntegerField(_("tahun"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=700, blank=True)
    issn = models.CharField(_("ISSN"), max_length=255, blank=True)
    isbn_normal = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    nomor_panggil = models.CharField(_("nomor panggil"), max_length=100, blank=True)
    ddc = models.CharField(_("nomor klas DDC"), max_length=50, blank=True)
    bahasa = models.CharField(_("bahasa"), max_length=3, blank=True)
    subjek = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("subjek"))
    subjek_teks = models.TextField(_("subjek"), blank=True)
    seri = models.TextField(_("seri"), blank=True)
    deskripsi_fisik = models.TextField(_("deskripsi fisik"), blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    abstrak = models.TextField(_("abstrak"), blank=True)
    audiens = models.CharField(_("sasaran pembaca"), max_length=255, blank=True)
    judul_urut = models.CharField(max_length=200, blank=True, editable=False)
    # Union-catalogue matching of imports (katalog.marc.kunci_judul / kunci_cocok).
    kunci_judul = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    kunci_cocok = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    tampil_opac = models.BooleanField(_("tampil di OPAC"), default=True)

    # Kept current by katalog.services.segarkan_ketersediaan, never by hand:
    # facets and the "on the shelf now" filter read these instead of joining items.
    cabang_pemilik = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    cabang_tersedia = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    kategori_koleksi = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)

    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diubah = models.DateTimeField(_("diubah"), auto_now=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Weights: A title, B authors, C subjects, D the rest. PostgreSQL fills the
    # column on every INSERT, UPDATE and COPY, so a saved record is searchable
    # at once; fielded search restricts the query to one weight.
    vektor = models.GeneratedField(
        expression=SearchVector("judul", "anak_judul", weight="A", config="indonesian")
        + SearchVector("pengarang_teks", weight="B", config="indonesian")
        + SearchVector("subjek_teks", weight="C", config="indonesian")
        + SearchVector(
            "penerbit",
            "seri",
            "edisi",
            "tempat_terbit",
            "catatan",
            "abstrak",
            weight="D",
            config="indonesian",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = KatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("katalog")
        verbose_name_plural = _("katalog")
        indexes = [
            GinIndex(fields=["vektor"], name="katalog_vektor_gin"),
            GinIndex(fields=["isbn_normal"], name="katalog_isbn_gin"),
            GinIndex(fields=["cabang_pemilik"], name="katalog_cabang_gin"),
            GinIndex(fields=["cabang_tersedia"], name="katalog_tersedia_gin"),
            # Call numbers match as a left-anchored prefix: UPPER(…) LIKE 'X%'.
            models.Index(
                OpClass(Upper("nomor_panggil"), name="text_pattern_ops"),
                name="katalog_panggil_idx",
            ),
            # Matches the "newest" ordering exactly (NULLS LAST), so PostgreSQL can
            # walk it and stop after one page even when a search has 500k hits.
            models.Index(
                F("tahun").desc(nulls_last=True), F("id").desc(), name="katalog_terbaru_idx"
            ),
            models.Index(fields=["judul_urut", "id"], name="katalog_judul_idx"),
        ]

    def __str__(self) -> str:
        return self.judul_lengkap

    def get_absolute_url(self) -> str:
        return reverse("opac:rekaman", args=[self.pk])

    def get_jenis_display(self) -> str:
        # Django's own rebuilds the choices on every call; a result page makes 20 of them.
        try:
            return JenisBahan(self.jenis).label
        except ValueError:
            return self.jenis

    def get_staf_url(self) -> str:
        return reverse("katalog:detail", args=[self.pk])

    @property
    def judul_lengkap(self) -> str:
        return f"{self.judul} : {self.anak_judul}" if self.anak_judul else self.judul

    @property
    def terbitan(self) -> str:
        """The imprint as a list shows it: "Jakarta: Gramedia, 2008"."""
        if not self.penerbit:
            return self.tahun_terbit
        penerbit = f"{self.tempat_terbit}: {self.penerbit}" if self.tempat_terbit else self.penerbit
        return f"{penerbit}, {self.tahun_terbit}" if self.tahun_terbit else penerbit

    def status_rak(self) -> tuple[str, str]:
        """Whether a copy is on a shelf now: (the badge's colour, its text)."""
        n = len(self.cabang_tersedia)
        if n:
            teks = ngettext("Ada di rak di %(n)s cabang", "Ada di rak di %(n)s cabang", n)
            return "success", teks % {"n": n}
        if self.cabang_pemilik:
            return "warning", gettext("Semua eksemplar sedang tidak di rak")
        return "light", gettext("Belum ada eksemplar")

    @property
    def pengarang_utama(self) -> str:
        return self.pengarang[0]["nama"] if self.pengarang else ""

    @property
    def nama_bahasa(self) -> str:
        return str(BAHASA.get(self.bahasa, self.bahasa))


def baris_nomor_panggil(nomor: str) -> list[str]:
    bagian = nomor.split()
    baris: list[str] = []
    kelas: list[str] = []
    for i, b in enumerate(bagian):
        if b[:1].isdigit():
            kelas.append(b)
        elif kelas:
            return [*baris, " ".join(kelas), *bagian[i:]]
        else:
            baris.append(b)
    return [*baris, " ".join(kelas)] if kelas else baris


class StatusEksemplar(models.TextChoices):
    TERSEDIA = "tersedia", _("Tersedia")
    DIPINJAM = "dipinjam", _("Dipinjam")
    DIPESAN = "dipesan", _("Dipesan")
    DALAM_PERJALANAN = "dalam_perjalanan", _("Dalam perjalanan")
    PERBAIKAN = "perbaikan", _("Perbaikan")
    HILANG = "hilang", _("Hilang")
    DIHAPUS = "dihapus", _("Dihapus (disiangi)")


S = StatusEksemplar
# Which status may follow which. Circulation moves items between the first
# four; staff actions send them to repair, lost or weeded.
TRANSISI_STATUS: dict[str, set[str]] = {
    S.TERSEDIA: {S.DIPINJAM, S.DIPESAN, S.DALAM_PERJALANAN, S.PERBAIKAN, S.HILANG, S.DIHAPUS},
    S.DIPINJAM: {S.TERSEDIA, S.DALAM_PERJALANAN, S.DIPESAN, S.HILANG},
    S.DIPESAN: {S.TERSEDIA, S.DIPINJAM, S.DALAM_PERJALANAN, S.HILANG},
    S.DALAM_PERJALANAN: {S.TERSEDIA, S.DIPESAN, S.HILANG},
    S.PERBAIKAN: {S.TERSEDIA, S.HILANG, S.DIHAPUS},
    S.HILANG: {S.TERSEDIA, S.DIHAPUS},
    S.DIHAPUS: set(),
}


class SumberPerolehan(models.TextChoices):
    BELI = "beli", _("Pembelian")
    HADIAH = "hadiah", _("Hadiah / hibah")
    SERAH_SIMPAN = "serah_simpan", _("Serah simpan")
    TUKAR = "tukar", _("Tukar-menukar")


class EksemplarQuerySet(models.QuerySet):
    def aktif(self):
        """Items that belong to the collection (not weeded)."""
        return self.exclude(status=StatusEksemplar.DIHAPUS)


class Eksemplar(models.Model):
    """One physical copy, held by one branch of one unit."""

    katalog = models.ForeignKey(
        Katalog, models.PROTECT, related_name="eksemplar", verbose_name=_("katalog")
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    cabang = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang"))
    lokasi = models.ForeignKey(
        Lokasi, models.SET_NULL, null=True, blank=True, verbose_name=_("lokasi rak")
    )
    kategori = models.ForeignKey(
        KategoriKoleksi, models.PROTECT, related_name="+", verbose_name=_("kategori koleksi")
    )
    barcode = models.CharField(_("barcode"), max_length=50, unique=True)
    nomor_induk = models.CharField(_("nomor induk"), max_length=50, unique=True)
    nomor_panggil = models.CharField(_("nomor panggil"), max_length=100, blank=True)
    sumber = models.CharField(
        _("sumber"), max_length=20, choices=SumberPerolehan, default=SumberPerolehan.BELI
    )
    harga = models.DecimalField(_("harga (Rp)"), max_digits=12, decimal_places=2, null=True)
    tanggal_terima = models.DateField(_("tanggal diterima"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StatusEksemplar, default=StatusEksemplar.TERSEDIA
    )
    jatuh_tempo = models.DateField(_("jatuh tempo"), null=True, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    perlu_verifikasi = models.BooleanField(
        _("perlu diverifikasi"),
        default=False,
        help_text=_("Diperiksa pada stock opname berikutnya (mis. eksemplar hasil impor MARC)."),
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diubah = models.DateTimeField(_("diubah"), auto_now=True)

    objects = EksemplarQuerySet.as_manager()

    # Details staff may correct in place; branch and status have their own services.
    RINCIAN = (
        "lokasi",
        "kategori",
        "nomor_panggil",
        "sumber",
        "harga",
        "tanggal_terima",
        "catatan",
    )

    class Meta:
        verbose_name = _("eksemplar")
        verbose_name_plural = _("eksemplar")
        ordering = ["cabang__nama", "barcode"]
        indexes = [models.Index(fields=["cabang", "status"], name="eksemplar_cabang_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=StatusEksemplar.DIPINJAM, jatuh_tempo__isnull=False)
                | ~models.Q(status=StatusEksemplar.DIPINJAM),
                name="eksemplar_dipinjam_punya_jatuh_tempo",
                violation_error_message=_("Eksemplar yang dipinjam harus punya jatuh tempo."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.barcode} · {self.katalog.judul}"

    @property
    def nomor_panggil_tampil(self) -> str:
        return self.nomor_panggil or self.katalog.nomor_panggil

    @property
    def baris_punggung(self) -> list[str]:
        """The call number as printed on the spine, one part per line:
        prefix (R, A, FIK…), DDC class ("899.221 3" stays whole), author mark, title mark."""
        return baris_nomor_panggil(self.nomor_panggil_tampil)

    def boleh_menjadi(self, status: str) -> bool:
        return status in TRANSISI_STATUS[self.status]


def _lokasi_berkas(instance: SumberDigital, filename: str) -> str:
    return f"katalog/digital/{instance.katalog_id}/{filename}"


class SumberDigital(models.Model):
    """An e-resource attached to a record: an uploaded file or a link."""

    class Akses(models.TextChoices):
        TERBUKA = "terbuka", _("Terbuka untuk umum")
        ANGGOTA = "anggota", _("Khusus anggota (harus masuk)")
        LISENSI = "lisensi", _("Dipinjamkan per lisensi (seperti iJakarta)")

    katalog = models.ForeignKey(
        Katalog, models.CASCADE, related_name="sumber_digital", verbose_name=_("katalog")
    )
    judul = models.CharField(_("judul"), max_length=255)
    berkas = models.FileField(_("berkas"), upload_to=_lokasi_berkas, blank=True)
    tautan = models.URLField(_("tautan"), max_length=500, blank=True)
    jenis_isi = models.CharField(_("jenis isi"), max_length=100, blank=True, editable=False)
    ukuran = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, editable=False)
    akses = models.CharField(_("akses"), max_length=10, choices=Akses, default=Akses.TERBUKA)
    jumlah_lisensi = models.PositiveSmallIntegerField(
        _("jumlah lisensi"),
        null=True,
        blank=True,
        help_text=_("Untuk akses per lisensi: berapa anggota dapat meminjam bersamaan."),
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sumber digital")
        verbose_name_plural = _("sumber digital")
        ordering = ["katalog", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(berkas="") & models.Q(tautan=""))
                | (models.Q(berkas="") & ~models.Q(tautan="")),
                name="sumber_digital_berkas_atau_tautan",
                violation_error_message=_("Isi berkas atau tautan, salah satu saja."),
            ),
            # A licence lends a file read through a per-loan link; a link cannot be lent.
            models.CheckConstraint(
                condition=(
                    models.Q(akses="lisensi", jumlah_lisensi__gte=1, tautan="")
                    | (~models.Q(akses="lisensi") & models.Q(jumlah_lisensi__isnull=True))
                ),
                name="sumber_digital_lisensi_wajar",
                violation_error_message=_(
                    "Akses per lisensi perlu berkas (bukan tautan) dan jumlah lisensi minimal 1; "
                    "akses lain tanpa jumlah lisensi."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    def get_absolute_url(self) -> str:
        if self.tautan and self.akses == self.Akses.TERBUKA:
            return self.tautan
        return reverse("opac:sumber_digital", args=[self.katalog_id, self.pk])

    @property
    def berlisensi(self) -> bool:
        return self.akses == self.Akses.LISENSI


class Tajuk(models.Model):
    """A heading people may type: a title, an author or a subject, with how many
    records carry it. Autocomplete reads this small table by prefix on an
    unstemmed vector (the indonesian stemmer turns "perpus" into nothing useful)."""

    class Jenis(models.TextChoices):
        JUDUL = "judul", _("Judul")
        PENGARANG = "pengarang", _("Pengarang")
        SUBJEK = "subjek", _("Subjek")

    jenis = models.CharField(max_length=10, choices=Jenis)
    teks = models.CharField(max_length=300)
    jumlah = models.IntegerField(default=0)
    vektor = models.GeneratedField(
        expression=SearchVector("teks", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jenis", "teks"], name="tajuk_unik")]
        indexes = [GinIndex(fields=["vektor"], name="tajuk_vektor_gin")]

    def __str__(self) -> str:
        return self.teks


class KosaKata(models.Model):
    """The catalogue's own words and how many records use each: "did you mean"
    picks the closest frequent word from here (no pg_trgm on the embedded server)."""

    kata = models.CharField(max_length=60, primary_key=True)
    jumlah = models.IntegerField(default=0)
    panjang = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["panjang", "-jumlah"], name="kosakata_panjang_idx")]

    def __str__(self) -> str:
        return self.kata


class CalonGabung(models.Model):
    """An imported record that may be the same work as one already in the union
    catalogue (same title and author, but not the same year and publisher, nor
    the same ISBN): never merged silently — a cataloguer decides."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu keputusan")
        DIGABUNG = "digabung", _("Digabung")
        DIPISAH = "dipisah", _("Tetap terpisah")

    baru = models.ForeignKey(
        Katalog, models.CASCADE, related_name="+", verbose_name=_("rekaman impor")
    )
    ada = models.ForeignKey(
        Katalog, models.CASCADE, related_name="+", verbose_name=_("rekaman yang sudah ada")
    )
    sumber = models.CharField(_("sumber impor"), max_length=200, blank=True)
    alasan = models.CharField(_("alasan"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.MENUNGGU, db_index=True
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diputuskan = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["dibuat", "pk"]
        verbose_name = _("calon gabung")
        verbose_name_plural = _("antrean gabung katalog")
        constraints = [
            models.UniqueConstraint(fields=["baru", "ada"], name="calon_gabung_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.baru_id} ≈ {self.ada_id}"
