from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispusip.models import Cabang, Unit
from katalog.models import Eksemplar, JenisBahan, Katalog, KategoriKoleksi


class KategoriAnggota(models.Model):
    """Member category (Umum, Pelajar, Mahasiswa, Guru, Lansia, Disabilitas…)."""

    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=100, unique=True)
    masa_berlaku_bulan = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"), default=12, validators=[MinValueValidator(1)]
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["urutan", "nama"]
        verbose_name = _("kategori anggota")
        verbose_name_plural = _("kategori anggota")

    def __str__(self) -> str:
        return self.nama


class JenisIdentitas(models.TextChoices):
    KTP = "ktp", _("KTP")
    KK = "kk", _("Kartu Keluarga")
    KARTU_PELAJAR = "kartu_pelajar", _("Kartu Pelajar")
    KARTU_MAHASISWA = "kartu_mahasiswa", _("Kartu Mahasiswa")
    SIM = "sim", _("SIM")
    PASPOR = "paspor", _("Paspor")
    LAINNYA = "lainnya", _("Lainnya")


# Identity documents that carry the 16-digit NIK.
IDENTITAS_NIK = {JenisIdentitas.KTP, JenisIdentitas.KK}


class JenisKelamin(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class StatusAnggota(models.TextChoices):
    PRA_DAFTAR = "pra_daftar", _("Pra-daftar (belum diverifikasi)")
    AKTIF = "aktif", _("Aktif")
    DITANGGUHKAN = "ditangguhkan", _("Ditangguhkan")


class AnggotaQuerySet(models.QuerySet):
    def cari_kode(self, kode: str):
        """The member a scanned card or typed number names: current number or an old alias."""
        kode = bersihkan_pindaian(kode)
        return self.filter(Q(nomor=kode) | Q(nomor_lama__nomor=kode)).distinct()


def bersihkan_pindaian(kode: str) -> str:
    """Scanners pass Code 39's start/stop asterisks through; people add spaces."""
    return kode.strip().strip("*").strip()


def _lokasi_foto(instance: Anggota, filename: str) -> str:
    return f"sirkulasi/foto/{instance.nomor}/{filename}"


class Anggota(models.Model):
    """One library member of the province: one card for every branch."""

    nomor = models.CharField(_("nomor anggota"), max_length=50, unique=True)
    nama = models.CharField(_("nama lengkap"), max_length=200)
    jenis_identitas = models.CharField(
        _("jenis identitas"), max_length=20, choices=JenisIdentitas, blank=True
    )
    nomor_identitas = models.CharField(_("nomor identitas"), max_length=50, blank=True)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    jenis_kelamin = models.CharField(
        _("jenis kelamin"), max_length=1, choices=JenisKelamin, blank=True
    )
    alamat = models.TextField(_("alamat"), blank=True)
    telepon = models.CharField(_("telepon / HP"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    pendidikan = models.CharField(_("pendidikan terakhir"), max_length=100, blank=True)
    institusi = models.CharField(_("sekolah / institusi"), max_length=200, blank=True)
    kategori = models.ForeignKey(
        KategoriAnggota, models.PROTECT, related_name="+", verbose_name=_("kategori anggota")
    )
    foto = models.FileField(
        _("foto"),
        upload_to=_lokasi_foto,
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    cabang = models.ForeignKey(
        Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang pendaftaran")
    )
    terdaftar = models.DateField(_("tanggal daftar"), default=timezone.localdate)
    berlaku_sampai = models.DateField(_("berlaku sampai"))
    status = models.CharField(
        _("status"), max_length=20, choices=StatusAnggota, default=StatusAnggota.AKTIF
    )
    alasan_status = models.CharField(_("alasan penangguhan"), max_length=255, blank=True)
    skors_sampai = models.DateField(
        _("diskors sampai"),
        null=True,
        blank=True,
        help_text=_("Tidak boleh meminjam sampai tanggal ini (sanksi keterlambatan)."),
    )
    akun = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="anggota",
        verbose_name=_("akun daring"),
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diubah = models.DateTimeField(_("diubah"), auto_now=True)

    objects = AnggotaQuerySet.as_manager()

    # Details staff may correct at the desk; number, status and validity have services.
    RINCIAN = (
        "nama",
        "jenis_identitas",
        "nomor_identitas",
        "tempat_lahir",
        "tanggal_lahir",
        "jenis_kelamin",
        "alamat",
        "telepon",
        "email",
        "pekerjaan",
        "pendidikan",
        "institusi",
        "kategori",
    )

    class Meta:
        ordering = ["nama"]
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        indexes = [models.Index(fields=["nama", "tanggal_lahir"], name="anggota_nama_lahir")]
        constraints = [
            models.UniqueConstraint(
                fields=["jenis_identitas", "nomor_identitas"],
                condition=~Q(nomor_identitas=""),
                name="anggota_identitas_unik",
                violation_error_message=_("Nomor identitas ini sudah dipakai anggota lain."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomor} · {self.nama}"

    def get_absolute_url(self) -> str:
        return reverse("sirkulasi:anggota_detail", args=[self.pk])

    @property
    def kedaluwarsa(self) -> bool:
        return self.berlaku_sampai < timezone.localdate()

    @property
    def diskors(self) -> bool:
        return self.skors_sampai is not None and self.skors_sampai >= timezone.localdate()

    def status_tampil(self) -> str:
        if self.status == StatusAnggota.AKTIF and self.kedaluwarsa:
            return str(_("Kedaluwarsa"))
        return self.get_status_display()

    def usia(self, pada: date | None = None) -> int | None:
        if self.tanggal_lahir is None:
            return None
        pada = pada or timezone.localdate()
        lahir = self.tanggal_lahir
        return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


class NomorAnggotaLama(models.Model):
    """An old card number (from Inlislite, SLiMS or a replaced card) that still scans."""

    anggota = models.ForeignKey(
        Anggota, models.CASCADE, related_name="nomor_lama", verbose_name=_("anggota")
    )
    nomor = models.CharField(_("nomor lama"), max_length=50, unique=True)
    sumber = models.CharField(_("sumber"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("nomor anggota lama")
        verbose_name_plural = _("nomor anggota lama")

    def __str__(self) -> str:
        return self.nomor


class AturanPeminjaman(models.Model):
    """One loan rule. Each dimension left empty means "any"; the most specific
    rule that matches wins (see sirkulasi.aturan for the precedence)."""

    unit = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    kategori_anggota = models.ForeignKey(
        KategoriAnggota,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori anggota"),
    )
    kategori_koleksi = models.ForeignKey(
        KategoriKoleksi,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori koleksi"),
    )
    jenis_bahan = models.CharField(_("jenis bahan"), max_length=20, choices=JenisBahan, blank=True)
    lama_pinjam = models.PositiveSmallIntegerField(
        _("lama pinjam (hari)"), default=7, validators=[MinValueValidator(1)]
    )
    maks_pinjam = models.PositiveSmallIntegerField(_("maks. eksemplar dipinjam"), default=3)
    maks_per_jenis = models.PositiveSmallIntegerField(
        _("maks. per jenis bahan"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tidak dibatasi per jenis bahan."),
    )
    maks_perpanjang = models.PositiveSmallIntegerField(_("maks. perpanjangan"), default=1)
    denda_per_hari = models.DecimalField(
        _("denda per hari (Rp)"), max_digits=10, decimal_places=0, default=Decimal(500)
    )
    denda_maks = models.DecimalField(
        _("batas denda (Rp)"),
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tidak dibatasi."),
    )
    hari_toleransi = models.PositiveSmallIntegerField(
        _("hari toleransi"),
        default=0,
        help_text=_("Terlambat sampai sekian hari buka tidak didenda."),
    )
    skors_per_hari = models.PositiveSmallIntegerField(
        _("skors per hari terlambat"),
        default=0,
        help_text=_("Hari skors (tidak boleh meminjam) untuk setiap hari terlambat; 0 = tanpa."),
    )
    boleh_reservasi = models.BooleanField(_("boleh reservasi"), default=True)

    class Meta:
        verbose_name = _("aturan peminjaman")
        verbose_name_plural = _("aturan peminjaman")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kategori_anggota", "kategori_koleksi", "jenis_bahan"],
                nulls_distinct=False,
                name="aturan_dimensi_unik",
                violation_error_message=_("Sudah ada aturan untuk kombinasi ini."),
            )
        ]

    def __str__(self) -> str:
        bagian = [
            str(self.unit or _("semua unit")),
            str(self.kategori_anggota or _("semua anggota")),
            str(self.kategori_koleksi or _("semua koleksi")),
            self.get_jenis_bahan_display() if self.jenis_bahan else str(_("semua bahan")),
        ]
        return " · ".join(bagian)

    @property
    def kekhususan(self) -> int:
        """Precedence: unit > member category > collection category > material type.
        Weights are powers of two, so any rule naming a higher dimension beats
        every rule that does not, whatever the lower dimensions say."""
        return (
            8 * (self.unit_id is not None)
            + 4 * (self.kategori_anggota_id is not None)
            + 2 * (self.kategori_koleksi_id is not None)
            + (self.jenis_bahan != "")
        )


class HariTutupMingguan(models.Model):
    """A weekday a branch is always closed (e.g. Monday)."""

    class Hari(models.IntegerChoices):
        SENIN = 0, _("Senin")
        SELASA = 1, _("Selasa")
        RABU = 2, _("Rabu")
        KAMIS = 3, _("Kamis")
        JUMAT = 4, _("Jumat")
        SABTU = 5, _("Sabtu")
        MINGGU = 6, _("Minggu")

    cabang = models.ForeignKey(Cabang, models.CASCADE, related_name="+", verbose_name=_("cabang"))
    hari = models.PositiveSmallIntegerField(_("hari"), choices=Hari)

    class Meta:
        ordering = ["cabang", "hari"]
        verbose_name = _("hari tutup mingguan")
        verbose_name_plural = _("hari tutup mingguan")
        constraints = [
            models.UniqueConstraint(fields=["cabang", "hari"], name="hari_tutup_mingguan_unik")
        ]

    def __str__(self) -> str:
        return f"{self.cabang}: {self.get_hari_display()}"


class HariLiburQuerySet(models.QuerySet):
    def berlaku_untuk(self, cabang: Cabang):
        """Closures that close this branch: province-wide, its unit's, or its own."""
        return self.filter(
            Q(unit__isnull=True, cabang__isnull=True)
            | Q(unit_id=cabang.unit_id, cabang__isnull=True)
            | Q(cabang=cabang)
        )


class HariLibur(models.Model):
    """Days a branch, a unit or the whole province is closed."""

    class Jenis(models.TextChoices):
        NASIONAL = "nasional", _("Libur nasional")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        DARURAT = "darurat", _("Penutupan mendadak (banjir, dll.)")
        LAINNYA = "lainnya", _("Lainnya")

    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("sampai"))
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis, default=Jenis.NASIONAL)
    keterangan = models.CharField(_("keterangan"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Kosongkan unit dan cabang untuk libur seluruh provinsi."),
    )
    cabang = models.ForeignKey(
        Cabang, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("cabang")
    )

    objects = HariLiburQuerySet.as_manager()

    class Meta:
        ordering = ["-mulai"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__gte=models.F("mulai")),
                name="hari_libur_rentang_benar",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.keterangan} ({self.mulai:%d-%m-%Y}–{self.selesai:%d-%m-%Y})"

    def lingkup_tampil(self) -> str:
        return str(self.cabang or self.unit or _("Seluruh provinsi"))


class PeminjamanQuerySet(models.QuerySet):
    def berjalan(self):
        return self.filter(dikembalikan__isnull=True)

    def terlambat(self, pada: date | None = None):
        return self.berjalan().filter(jatuh_tempo__lt=pada or timezone.localdate())


class Peminjaman(models.Model):
    """One loan of one item. The member link is cut when history is anonymised;
    the snapshot fields keep what statistics need."""

    class Status(models.TextChoices):
        BERJALAN = "berjalan", _("Dipinjam")
        KEMBALI = "kembali", _("Dikembalikan")
        HILANG = "hilang", _("Hilang")
        KLAIM_KEMBALI = "klaim_kembali", _("Diklaim sudah dikembalikan")

    anggota = models.ForeignKey(
        Anggota,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="peminjaman",
        verbose_name=_("anggota"),
    )
    eksemplar = models.ForeignKey(
        Eksemplar, models.PROTECT, related_name="+", verbose_name=_("eksemplar")
    )
    katalog = models.ForeignKey(Katalog, models.PROTECT, related_name="+", verbose_name=_("judul"))
    cabang = models.ForeignKey(
        Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang peminjaman")
    )
    dipinjam = models.DateTimeField(_("waktu pinjam"), default=timezone.now)
    jatuh_tempo = models.DateField(_("jatuh tempo"))
    perpanjangan = models.PositiveSmallIntegerField(_("jumlah perpanjangan"), default=0)
    dikembalikan = models.DateTimeField(_("waktu kembali"), null=True, blank=True)
    cabang_kembali = models.ForeignKey(
        Cabang,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cabang pengembalian"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.BERJALAN)
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    alasan_timpa = models.CharField(_("alasan pengecualian aturan"), max_length=255, blank=True)
    # What statistics need after anonymisation, and nothing that identifies the member.
    kategori_anggota = models.ForeignKey(
        KategoriAnggota, models.PROTECT, related_name="+", verbose_name=_("kategori anggota")
    )
    kelompok_usia = models.CharField(_("kelompok usia"), max_length=10, blank=True)
    jenis_kelamin = models.CharField(
        _("jenis kelamin"), max_length=1, choices=JenisKelamin, blank=True
    )
    dianonimkan = models.BooleanField(_("dianonimkan"), default=False)

    objects = PeminjamanQuerySet.as_manager()

    class Meta:
        ordering = ["-dipinjam"]
        verbose_name = _("peminjaman")
        verbose_name_plural = _("peminjaman")
        permissions = [("timpa_aturan", _("Mengecualikan aturan peminjaman dengan alasan"))]
        indexes = [
            models.Index(
                fields=["anggota", "jatuh_tempo"],
                condition=Q(dikembalikan__isnull=True),
                name="pinjam_berjalan_anggota",
            ),
            models.Index(
                fields=["jatuh_tempo"],
                condition=Q(dikembalikan__isnull=True),
                name="pinjam_berjalan_tempo",
            ),
            models.Index(fields=["anggota", "-dipinjam"], name="pinjam_riwayat_anggota"),
        ]
        constraints = [
            # The last line of defence against lending one copy twice.
            models.UniqueConstraint(
                fields=["eksemplar"],
                condition=Q(dikembalikan__isnull=True),
                name="satu_pinjaman_berjalan_per_eksemplar",
                violation_error_message=_("Eksemplar ini sedang dipinjam."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.eksemplar_id} → {self.anggota_id} ({self.dipinjam:%d-%m-%Y})"

    @property
    def berjalan(self) -> bool:
        return self.dikembalikan is None

    def terlambat(self, pada: date | None = None) -> bool:
        return self.berjalan and self.jatuh_tempo < (pada or timezone.localdate())


class DendaQuerySet(models.QuerySet):
    def belum_lunas(self):
        return self.filter(sisa__gt=0)


class Denda(models.Model):
    """A charge on a member: late return, a lost or damaged item, or another fee."""

    class Jenis(models.TextChoices):
        KETERLAMBATAN = "keterlambatan", _("Keterlambatan")
        HILANG = "hilang", _("Penggantian eksemplar hilang")
        RUSAK = "rusak", _("Kerusakan eksemplar")
        LAINNYA = "lainnya", _("Lainnya")

    anggota = models.ForeignKey(
        Anggota, models.PROTECT, related_name="denda", verbose_name=_("anggota")
    )
    peminjaman = models.ForeignKey(
        Peminjaman,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="denda",
        verbose_name=_("peminjaman"),
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis)
    jumlah = models.DecimalField(_("jumlah (Rp)"), max_digits=12, decimal_places=0)
    dibayar = models.DecimalField(_("dibayar (Rp)"), max_digits=12, decimal_places=0, default=0)
    dibebaskan = models.DecimalField(
        _("dibebaskan (Rp)"), max_digits=12, decimal_places=0, default=0
    )
    sisa = models.GeneratedField(
        expression=models.F("jumlah") - models.F("dibayar") - models.F("dibebaskan"),
        output_field=models.DecimalField(max_digits=12, decimal_places=0),
        db_persist=True,
        verbose_name=_("sisa (Rp)"),
    )
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)
    cabang = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang"))
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = DendaQuerySet.as_manager()

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = _("denda")
        verbose_name_plural = _("denda")
        indexes = [
            models.Index(fields=["anggota"], condition=Q(sisa__gt=0), name="denda_belum_lunas")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(jumlah__gt=0)
                & Q(dibayar__gte=0)
                & Q(dibebaskan__gte=0)
                & Q(jumlah__gte=models.F("dibayar") + models.F("dibebaskan")),
                name="denda_jumlah_wajar",
                violation_error_message=_("Pembayaran melebihi jumlah denda."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} Rp{self.jumlah:,.0f}"


class Pembayaran(models.Model):
    """A payment or a waiver of fines, with its numbered receipt."""

    class Jenis(models.TextChoices):
        BAYAR = "bayar", _("Pembayaran")
        BEBASKAN = "bebaskan", _("Pembebasan")

    nomor_kuitansi = models.CharField(_("nomor kuitansi"), max_length=50, unique=True)
    anggota = models.ForeignKey(
        Anggota, models.PROTECT, related_name="pembayaran", verbose_name=_("anggota")
    )
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis)
    jumlah = models.DecimalField(_("jumlah (Rp)"), max_digits=12, decimal_places=0)
    alasan = models.CharField(_("alasan"), max_length=255, blank=True)
    cabang = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang"))
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    rincian = models.JSONField(_("rincian"), default=list, blank=True)

    class Meta:
        ordering = ["-waktu"]
        verbose_name = _("pembayaran denda")
        verbose_name_plural = _("pembayaran denda")

    def __str__(self) -> str:
        return self.nomor_kuitansi

    def get_absolute_url(self) -> str:
        return reverse("sirkulasi:kuitansi", args=[self.pk])


class TransitQuerySet(models.QuerySet):
    def berjalan(self):
        return self.filter(diterima__isnull=True)


class Transit(models.Model):
    """An item on its way between branches: home after a return elsewhere, or to a
    hold's pickup branch."""

    class Alasan(models.TextChoices):
        PULANG = "pulang", _("Kembali ke cabang asal")
        RESERVASI = "reservasi", _("Untuk reservasi")

    eksemplar = models.ForeignKey(
        Eksemplar, models.PROTECT, related_name="+", verbose_name=_("eksemplar")
    )
    dari = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("dari"))
    ke = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("ke"))
    alasan = models.CharField(_("alasan"), max_length=20, choices=Alasan)
    reservasi = models.ForeignKey(
        "Reservasi",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reservasi"),
    )
    dikirim = models.DateTimeField(_("dikirim"), default=timezone.now)
    diterima = models.DateTimeField(_("diterima"), null=True, blank=True)

    objects = TransitQuerySet.as_manager()

    class Meta:
        ordering = ["dikirim"]
        verbose_name = _("transit")
        verbose_name_plural = _("transit")
        constraints = [
            models.UniqueConstraint(
                fields=["eksemplar"],
                condition=Q(diterima__isnull=True),
                name="satu_transit_berjalan_per_eksemplar",
            )
        ]

    def __str__(self) -> str:
        return f"{self.eksemplar_id}: {self.dari} → {self.ke}"


class ReservasiQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(status__in=Reservasi.AKTIF)

    def antre(self):
        """Waiting holds in queue order: staff's reordering first, then first come."""
        return self.filter(status=Reservasi.Status.MENUNGGU).order_by("urutan", "dibuat", "id")


class Reservasi(models.Model):
    """A member's hold on a title, picked up at the branch they chose."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu eksemplar")
        DALAM_PERJALANAN = "dalam_perjalanan", _("Eksemplar dalam perjalanan")
        SIAP = "siap", _("Siap diambil")
        SELESAI = "selesai", _("Sudah diambil")
        BATAL = "batal", _("Dibatalkan")
        KEDALUWARSA = "kedaluwarsa", _("Kedaluwarsa")

    AKTIF = (Status.MENUNGGU, Status.DALAM_PERJALANAN, Status.SIAP)

    anggota = models.ForeignKey(
        Anggota, models.CASCADE, related_name="reservasi", verbose_name=_("anggota")
    )
    katalog = models.ForeignKey(Katalog, models.PROTECT, related_name="+", verbose_name=_("judul"))
    cabang_ambil = models.ForeignKey(
        Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang pengambilan")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.MENUNGGU)
    eksemplar = models.ForeignKey(
        Eksemplar,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eksemplar yang disiapkan"),
    )
    urutan = models.IntegerField(_("urutan"), default=0)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    siap_sejak = models.DateTimeField(_("siap sejak"), null=True, blank=True)
    batas_ambil = models.DateField(_("batas pengambilan"), null=True, blank=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = ReservasiQuerySet.as_manager()

    class Meta:
        ordering = ["dibuat"]
        verbose_name = _("reservasi")
        verbose_name_plural = _("reservasi")
        indexes = [
            models.Index(
                fields=["katalog", "urutan", "dibuat"],
                condition=Q(status="menunggu"),
                name="reservasi_antrean",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["anggota", "katalog"],
                condition=Q(status__in=["menunggu", "dalam_perjalanan", "siap"]),
                name="satu_reservasi_aktif_per_judul",
                violation_error_message=_("Anggota ini sudah mereservasi judul ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.katalog_id} · {self.anggota_id} ({self.get_status_display()})"


class Pemberitahuan(models.Model):
    """The notice log: one row per loan, hold or membership a notice was about.
    The unique key makes every notice go out at most once, however often the
    sweep runs and whichever worker runs it."""

    class Jenis(models.TextChoices):
        JATUH_TEMPO = "jatuh_tempo", _("Segera jatuh tempo")
        TERLAMBAT_1 = "terlambat_1", _("Keterlambatan (pemberitahuan ke-1)")
        TERLAMBAT_2 = "terlambat_2", _("Keterlambatan (pemberitahuan ke-2)")
        TERLAMBAT_3 = "terlambat_3", _("Keterlambatan (pemberitahuan ke-3)")
        RESERVASI_SIAP = "reservasi_siap", _("Reservasi siap diambil")
        RESERVASI_BERAKHIR = "reservasi_berakhir", _("Reservasi segera berakhir")
        KEANGGOTAAN_BERAKHIR = "keanggotaan_berakhir", _("Keanggotaan segera berakhir")
        DIGITAL_TERSEDIA = "digital_tersedia", _("Lisensi e-book tersedia untuk Anda")

    class Status(models.TextChoices):
        TERKIRIM = "terkirim", _("Terkirim")
        GAGAL = "gagal", _("Gagal dikirim")
        TANPA_SALURAN = "tanpa_saluran", _("Tidak ada email/nomor")

    kunci = models.CharField(_("kunci"), max_length=120, unique=True)
    anggota = models.ForeignKey(
        Anggota, models.CASCADE, related_name="pemberitahuan", verbose_name=_("anggota")
    )
    jenis = models.CharField(_("jenis"), max_length=30, choices=Jenis)
    peminjaman = models.ForeignKey(
        Peminjaman, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reservasi = models.ForeignKey(
        Reservasi, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saluran = models.CharField(_("saluran"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    subjek = models.CharField(_("subjek"), max_length=200)
    isi = models.TextField(_("isi"))
    galat = models.CharField(_("galat"), max_length=255, blank=True)
    dibuat = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        indexes = [models.Index(fields=["anggota", "-dibuat"], name="pemberitahuan_anggota")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} → {self.anggota_id}"


class Kunjungan(models.Model):
    """One visit at a branch entrance (buku tamu): a member's card scanned, or a guest."""

    class Tujuan(models.TextChoices):
        MEMBACA = "membaca", _("Membaca")
        MEMINJAM = "meminjam", _("Meminjam / mengembalikan")
        BELAJAR = "belajar", _("Belajar / mengerjakan tugas")
        INTERNET = "internet", _("Internet / komputer")
        KEGIATAN = "kegiatan", _("Mengikuti kegiatan")
        PENELITIAN = "penelitian", _("Penelitian")
        LAINNYA = "lainnya", _("Lainnya")

    cabang = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang"))
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    anggota = models.ForeignKey(
        Anggota,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="kunjungan",
        verbose_name=_("anggota"),
    )
    nama = models.CharField(_("nama tamu"), max_length=200, blank=True)
    institusi = models.CharField(_("institusi"), max_length=200, blank=True)
    tujuan = models.CharField(_("tujuan"), max_length=20, choices=Tujuan, default=Tujuan.MEMBACA)
    kategori_anggota = models.ForeignKey(
        KategoriAnggota,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori anggota"),
    )
    jenis_kelamin = models.CharField(
        _("jenis kelamin"), max_length=1, choices=JenisKelamin, blank=True
    )
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-waktu"]
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        indexes = [models.Index(fields=["cabang", "-waktu"], name="kunjungan_cabang_waktu")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anggota__isnull=False)
                | ~Q(nama="")
                | Q(kategori_anggota__isnull=False),
                name="kunjungan_anggota_atau_nama",
                violation_error_message=_("Pindai kartu anggota atau isi nama tamu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cabang} {self.waktu:%d-%m-%Y %H:%M}"


class BacaDiTempat(models.Model):
    """A copy used in the library (left on a reading table): counted, not lent."""

    eksemplar = models.ForeignKey(
        Eksemplar, models.PROTECT, related_name="+", verbose_name=_("eksemplar")
    )
    katalog = models.ForeignKey(Katalog, models.PROTECT, related_name="+", verbose_name=_("judul"))
    cabang = models.ForeignKey(Cabang, models.PROTECT, related_name="+", verbose_name=_("cabang"))
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-waktu"]
        verbose_name = _("baca di tempat")
        verbose_name_plural = _("baca di tempat")
        indexes = [models.Index(fields=["cabang", "-waktu"], name="baca_cabang_waktu")]

    def __str__(self) -> str:
        return f"{self.eksemplar_id} @ {self.cabang_id}"


def _token_baca() -> str:
    return secrets.token_urlsafe(32)


class PinjamDigitalQuerySet(models.QuerySet):
    def aktif(self, pada=None):
        return self.filter(dikembalikan__isnull=True, berakhir__gt=pada or timezone.now())


class PinjamDigital(models.Model):
    """A member's loan of one licence of an e-resource, read through its own link."""

    anggota = models.ForeignKey(
        Anggota,
        models.SET_NULL,
        null=True,
        related_name="pinjam_digital",
        verbose_name=_("anggota"),
    )
    sumber = models.ForeignKey(
        "katalog.SumberDigital", models.PROTECT, related_name="+", verbose_name=_("sumber digital")
    )
    token = models.CharField(max_length=64, unique=True, default=_token_baca, editable=False)
    mulai = models.DateTimeField(_("mulai"), default=timezone.now)
    berakhir = models.DateTimeField(_("berakhir"))
    dikembalikan = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = PinjamDigitalQuerySet.as_manager()

    class Meta:
        ordering = ["-mulai"]
        verbose_name = _("pinjaman digital")
        verbose_name_plural = _("pinjaman digital")
        indexes = [
            models.Index(
                fields=["sumber", "berakhir"],
                condition=Q(dikembalikan__isnull=True),
                name="pinjam_digital_berjalan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sumber_id} → {self.anggota_id}"


class AntreanDigitalQuerySet(models.QuerySet):
    def menunggu(self):
        return self.filter(status=AntreanDigital.Status.MENUNGGU).order_by("dibuat", "id")

    def tawaran_aktif(self, pada=None):
        return self.filter(
            status=AntreanDigital.Status.DITAWARKAN, batas_tawaran__gt=pada or timezone.now()
        )


class AntreanDigital(models.Model):
    """A member waiting for a licence; when one frees up it is offered for a while."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        DITAWARKAN = "ditawarkan", _("Ditawarkan, menunggu diambil")
        DIAMBIL = "diambil", _("Sudah dipinjam")
        BATAL = "batal", _("Dibatalkan")
        KEDALUWARSA = "kedaluwarsa", _("Tawaran kedaluwarsa")

    anggota = models.ForeignKey(
        Anggota, models.CASCADE, related_name="antrean_digital", verbose_name=_("anggota")
    )
    sumber = models.ForeignKey(
        "katalog.SumberDigital", models.CASCADE, related_name="+", verbose_name=_("sumber digital")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.MENUNGGU)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    ditawarkan = models.DateTimeField(_("ditawarkan"), null=True, blank=True)
    batas_tawaran = models.DateTimeField(_("batas tawaran"), null=True, blank=True)

    objects = AntreanDigitalQuerySet.as_manager()

    class Meta:
        ordering = ["dibuat"]
        verbose_name = _("antrean digital")
        verbose_name_plural = _("antrean digital")
        constraints = [
            models.UniqueConstraint(
                fields=["anggota", "sumber"],
                condition=Q(status__in=["menunggu", "ditawarkan"]),
                name="satu_antrean_digital_aktif",
                violation_error_message=_("Anda sudah dalam antrean judul ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sumber_id} · {self.anggota_id} ({self.status})"


class UsulanGabung(models.Model):
    """Two members who may be the same person (same NIK, or same name and birth date),
    found by an import from another source: never merged silently — staff decide."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu keputusan")
        DIGABUNG = "digabung", _("Digabung")
        DIPISAH = "dipisah", _("Bukan orang yang sama")

    anggota = models.ForeignKey(
        Anggota, models.CASCADE, related_name="+", verbose_name=_("anggota impor")
    )
    kandidat = models.ForeignKey(
        Anggota, models.CASCADE, related_name="+", verbose_name=_("anggota yang sudah ada")
    )
    alasan = models.CharField(_("alasan"), max_length=200)
    sumber = models.CharField(_("sumber impor"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.MENUNGGU, db_index=True
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["dibuat", "pk"]
        verbose_name = _("usulan gabung anggota")
        verbose_name_plural = _("usulan gabung anggota")
        constraints = [
            models.UniqueConstraint(fields=["anggota", "kandidat"], name="usulan_gabung_unik")
        ]

    def __str__(self) -> str:
        return f"{self.anggota_id} ≈ {self.kandidat_id}"
