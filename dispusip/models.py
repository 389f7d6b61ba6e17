from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispusip.peran import HANYA_BACA, LINGKUP_PROVINSI, Peran


class UnitQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(aktif=True)


class Unit(models.Model):
    """One of the agency's seven service units (the Dinas, five Suku Dinas, Kepulauan Seribu)."""

    class Jenis(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        SUKU_DINAS = "suku_dinas", _("Suku Dinas")
        KABUPATEN = "kabupaten", _("Unit Kabupaten Administrasi")

    kode = models.SlugField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=200, unique=True)
    nama_singkat = models.CharField(_("nama singkat"), max_length=60)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis)
    wilayah = models.CharField(_("wilayah"), max_length=100, blank=True)
    alamat = models.TextField(_("alamat"), blank=True)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    aktif = models.BooleanField(_("aktif"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["urutan", "nama"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")

    def __str__(self) -> str:
        return self.nama_singkat


class CabangQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(aktif=True, unit__aktif=True)

    def milik_unit(self, unit: Unit | None):
        return self if unit is None else self.filter(unit=unit)


class Cabang(models.Model):
    """A branch: one service point (library building, reading corner) of a unit."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="cabang", verbose_name=_("unit"))
    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    alamat = models.TextField(_("alamat"), blank=True)
    jam_buka = models.CharField(_("jam buka"), max_length=200, blank=True)
    telepon = models.CharField(_("telepon"), max_length=40, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)

    objects = CabangQuerySet.as_manager()

    class Meta:
        ordering = ["unit__urutan", "nama"]
        verbose_name = _("cabang")
        verbose_name_plural = _("cabang")
        constraints = [
            models.UniqueConstraint(fields=["unit", "nama"], name="cabang_nama_unik_per_unit"),
        ]

    def __str__(self) -> str:
        return self.nama


class PenggunaManager(UserManager):
    def staf(self, unit: Unit | None = None):
        """Active staff accounts, of one unit or (unit=None) of the province."""
        qs = self.filter(is_active=True, unit__isnull=False)
        return qs if unit is None else qs.filter(unit=unit)


class Pengguna(AbstractUser):
    """Everyone who logs in: staff (who belong to a unit) and, later, members.

    Email is deliberately not unique: family members often share one address.
    """

    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staf",
        verbose_name=_("unit"),
        help_text=_("Wajib untuk staf; kosong untuk anggota perpustakaan."),
    )
    cabang = models.ForeignKey(
        Cabang,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cabang asal"),
    )
    cabang_kerja = models.ForeignKey(
        Cabang,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cabang kerja saat ini"),
        help_text=_("Tempat staf bertugas hari ini; kosong berarti cabang asal."),
    )

    objects = PenggunaManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.cabang and self.unit_id and self.cabang.unit_id != self.unit_id:
            raise ValidationError({"cabang": _("Cabang asal harus milik unit pengguna.")})
        if self.cabang and not self.unit_id:
            raise ValidationError({"unit": _("Staf yang punya cabang asal harus punya unit.")})
        keluar_unit = self.cabang_kerja and self.cabang_kerja.unit_id != self.unit_id
        if keluar_unit and not (self.pk and self.lingkup_provinsi):
            # The working branch is today's choice; after a move to another unit it
            # falls back to the home branch rather than recording desk actions elsewhere.
            self.cabang_kerja = None

    @cached_property
    def peran(self) -> frozenset[str]:
        """Names of the roles (groups) this user holds, read once per request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def berperan(self, *peran: str) -> bool:
        return self.is_superuser or bool(self.peran.intersection(peran))

    @property
    def adalah_staf(self) -> bool:
        return self.is_active and (self.unit_id is not None or self.is_superuser)

    @property
    def lingkup_provinsi(self) -> bool:
        return self.is_superuser or bool(self.peran & LINGKUP_PROVINSI)

    @property
    def hanya_baca(self) -> bool:
        return not self.is_superuser and bool(self.peran) and self.peran <= HANYA_BACA

    @property
    def cabang_aktif(self) -> Cabang | None:
        return self.cabang_kerja or self.cabang

    def peran_tampil(self) -> list[str]:
        labels = dict(Peran.choices)
        return [str(labels.get(name, name)) for name in sorted(self.peran)]


def _awal_hari(tanggal: date) -> datetime:
    """Midnight in Jakarta at the start of `tanggal`."""
    return timezone.make_aware(datetime.combine(tanggal, datetime.min.time()))


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Log audit tidak dapat diubah.")

    def delete(self):
        raise TypeError("Log audit tidak dapat dihapus.")

    def saring(
        self,
        *,
        pelaku: str = "",
        unit: Unit | None = None,
        aksi: str = "",
        objek: str = "",
        dari=None,
        sampai=None,
    ):
        """Filters of the audit screen and its export, in one place."""
        qs = self
        if pelaku:
            qs = qs.filter(actor_name=pelaku)
        if unit:
            qs = qs.filter(unit=unit)
        if aksi:
            # Actions are dotted ("pengguna.peran"): a prefix selects a family.
            qs = qs.filter(action__startswith=aksi)
        if objek:
            qs = qs.filter(object_repr__icontains=objek)
        # Whole Jakarta days as a range on the indexed column (a __date lookup
        # would cast every row and defeat the index).
        if dari:
            qs = qs.filter(created_at__gte=_awal_hari(dari))
        if sampai:
            qs = qs.filter(created_at__lt=_awal_hari(sampai + timedelta(days=1)))
        return qs

    def halaman_setelah(self, sebelum_id: int | None, ukuran: int):
        """Keyset pagination on the primary key: fast at any depth of millions of rows."""
        qs = self.order_by("-id")
        if sebelum_id:
            qs = qs.filter(id__lt=sebelum_id)
        return qs[:ukuran]


class AuditLog(models.Model):
    """Who did what, when, from which unit. Append-only: the database refuses
    UPDATE and DELETE on this table (see migration 0002)."""

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=150)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    cabang = models.ForeignKey(
        Cabang, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cabang")
    )
    action = models.CharField(_("aksi"), max_length=100)
    object_type = models.ForeignKey(
        ContentType, models.PROTECT, null=True, blank=True, verbose_name=_("jenis objek")
    )
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=255, blank=True)
    before = models.JSONField(_("sebelum"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("sesudah"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("alasan"), blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["unit", "-id"], name="auditlog_unit_id"),
            models.Index(fields=["actor_name", "-id"], name="auditlog_pelaku_id"),
            models.Index(fields=["action", "-id"], name="auditlog_aksi_id"),
            models.Index(fields=["object_type", "object_id"], name="auditlog_objek"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Log audit tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Log audit tidak dapat dihapus.")

    def perubahan(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every key that differs, for display."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


class JobQuerySet(models.QuerySet):
    def terlihat_oleh(self, user: Pengguna):
        if user.berperan(Peran.ADMINISTRATOR):
            return self
        return self.filter(started_by=user)


class Job(models.Model):
    """A background job: who started it, how far it is, and what came of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")

    SELESAI = (Status.SUCCEEDED, Status.FAILED)
    # Write progress at most this often: a job of a million rows would otherwise
    # spend its time updating its own row.
    PROGRESS_INTERVAL = 0.5
    MAX_ERRORS_STORED = 1000

    kind = models.CharField(_("jenis"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("dimulai oleh"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    params = models.JSONField(_("parameter"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(_("selesai"), default=0)
    total = models.PositiveBigIntegerField(_("jumlah"), null=True, blank=True)
    message = models.CharField(_("pesan"), max_length=500, blank=True)
    result = models.JSONField(
        _("ringkasan hasil"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    errors = models.JSONField(
        _("daftar kesalahan"), default=list, blank=True, encoder=DjangoJSONEncoder
    )
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    result_file = models.FileField(_("berkas hasil"), upload_to="jobs/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("pekerjaan latar belakang")
        verbose_name_plural = _("pekerjaan latar belakang")
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_pemilik_baru")]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.pk])

    @property
    def label(self) -> str:
        from dispusip import jobs

        return jobs.label(self.kind)

    def ringkasan(self) -> list[tuple[str, object]]:
        """The result summary as (label, value) pairs, labelled by the job's kind."""
        from dispusip import jobs

        labels = jobs.result_labels(self.kind)
        # PostgreSQL's jsonb does not keep key order; show them in the order labelled.
        urutan = {key: n for n, key in enumerate(labels)}
        items = sorted(self.result.items(), key=lambda kv: urutan.get(kv[0], len(urutan)))
        return [(str(labels.get(key, key)), value) for key, value in items]

    @property
    def selesai(self) -> bool:
        return self.status in self.SELESAI

    @property
    def persen(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def durasi(self):
        if not self.started_at:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    # --- Written by the worker -------------------------------------------------

    def _write(self, **fields) -> None:
        """Update this row so the polling page sees it now.

        Inside a transaction (an all-or-nothing import) the default connection
        would hold the write until commit, so it goes through the "progress"
        connection, which commits on its own.
        """
        for name, value in fields.items():
            setattr(self, name, value)
        alias = "progress" if connection.in_atomic_block else "default"
        Job.objects.using(alias).filter(pk=self.pk).update(**fields)

    def mulai(self) -> bool:
        """Claim the job for this run. False when another delivery of the same
        message got there first, or the job already finished."""
        fields = {
            "status": self.Status.RUNNING,
            "started_at": timezone.now(),
            "finished_at": None,
            "attempts": self.attempts + 1,
            "done": 0,
            "message": "",
            "errors": [],
            "error_count": 0,
        }
        claimed = Job.objects.filter(
            pk=self.pk,
            attempts=self.attempts,
            status__in=[self.Status.QUEUED, self.Status.RUNNING],
        ).update(**fields)
        if claimed:
            for name, value in fields.items():
                setattr(self, name, value)
            self._last_report = 0.0
        return bool(claimed)

    def laporkan(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress; cheap to call for every row."""
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - getattr(self, "_last_report", 0.0) < self.PROGRESS_INTERVAL:
            self.done = done
            return
        self._last_report = now
        fields: dict = {"done": done}
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message[:500]
        self._write(**fields)

    def tambah_kesalahan(self, **detail) -> None:
        """Keep an error for the result page; the first MAX_ERRORS_STORED are kept in full."""
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS_STORED:
            self.errors.append(detail)

    def berhasil(self, result: dict | None = None, message: str = "") -> None:
        self._write(
            status=self.Status.SUCCEEDED,
            finished_at=timezone.now(),
            done=self.total if self.total is not None else self.done,
            result=result or {},
            errors=self.errors,
            error_count=self.error_count,
            message=message[:500] or str(_("Selesai.")),
        )

    def gagal(self, message: str) -> None:
        self._write(
            status=self.Status.FAILED,
            finished_at=timezone.now(),
            errors=self.errors,
            error_count=self.error_count,
            message=message[:500],
        )

    def simpan_berkas(self, name: str, content) -> None:
        """Attach the result file (a django File) once the job has produced it."""
        self.result_file.save(name, content, save=False)
        self._write(result_file=self.result_file.name)


class FormatPenomoran(models.Model):
    """An administrator's pattern for one kind of identifier, replacing the
    default an app registered (see dispusip.penomoran)."""

    class Reset(models.TextChoices):
        TIDAK = "tidak", _("Tidak pernah")
        TAHUNAN = "tahunan", _("Setiap tahun")
        BULANAN = "bulanan", _("Setiap bulan")
        HARIAN = "harian", _("Setiap hari")

    jenis = models.CharField(_("jenis nomor"), max_length=60, unique=True)
    pola = models.CharField(
        _("pola"),
        max_length=200,
        help_text=_(
            "Mis. {nomor:05d}/{kode}/{tahun}. Bagian: {nomor} (wajib, boleh diberi lebar "
            "seperti :05d), {tahun}, {tahun2}, {bulan}, {hari}, dan bagian khusus jenis ini."
        ),
    )
    reset = models.CharField(
        _("nomor urut mulai dari 1 lagi"), max_length=10, choices=Reset, default=Reset.TIDAK
    )

    class Meta:
        verbose_name = _("format penomoran")
        verbose_name_plural = _("format penomoran")

    def __str__(self) -> str:
        return f"{self.jenis}: {self.pola}"

    def clean(self) -> None:
        from dispusip import penomoran

        penomoran.periksa_pola(self.jenis, self.pola)


class Penomor(models.Model):
    """The last number handed out for one kind within one scope (a year, a unit…)."""

    jenis = models.CharField(max_length=60)
    lingkup = models.CharField(max_length=200, blank=True)
    nilai = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("penghitung nomor")
        verbose_name_plural = _("penghitung nomor")
        constraints = [
            models.UniqueConstraint(fields=["jenis", "lingkup"], name="penomor_jenis_lingkup_unik")
        ]

    def __str__(self) -> str:
        return f"{self.jenis} [{self.lingkup}] = {self.nilai}"


class SumberImpor(models.Model):
    """A system data came from ("Inlislite Sudin Jakarta Barat", "SLiMS RPTRA Kalijodo").
    Every installation numbers its rows from 1, so source ids are unique only within it."""

    nama = models.CharField(_("nama sumber"), max_length=200, unique=True)
    awalan = models.CharField(
        _("awalan barcode"),
        max_length=12,
        blank=True,
        help_text=_(
            "Ditambahkan di depan barcode dan nomor induk dari sumber ini yang bentrok "
            "dengan yang sudah ada di provinsi (eksemplar itu perlu dilabel ulang)."
        ),
    )
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["nama"]
        verbose_name = _("sumber impor")
        verbose_name_plural = _("sumber impor")

    def __str__(self) -> str:
        return self.nama

    def save(self, *args, **kwargs):
        if not self.awalan:
            # "Inlislite Sudin Jakarta Barat" -> "ISJB-"
            huruf = "".join(k[0] for k in self.nama.split() if k[:1].isalnum()).upper()
            self.awalan = (huruf[:8] or "SRC") + "-"
        super().save(*args, **kwargs)


class PetaImpor(models.Model):
    """Which portal row a source row became, and what the source said at that time:
    a re-import matches by (source, table, source id), skips what is unchanged, and
    leaves alone what was edited in the portal since."""

    sumber = models.ForeignKey(SumberImpor, models.CASCADE, related_name="peta")
    tabel = models.CharField(_("tabel sumber"), max_length=60)
    id_sumber = models.CharField(_("ID di sumber"), max_length=100)
    id_tujuan = models.BigIntegerField(_("ID di portal"))
    sidik = models.CharField(_("sidik data sumber"), max_length=64)
    diimpor = models.DateTimeField(_("diimpor"), default=timezone.now)

    class Meta:
        verbose_name = _("peta impor")
        verbose_name_plural = _("peta impor")
        constraints = [
            models.UniqueConstraint(fields=["sumber", "tabel", "id_sumber"], name="peta_impor_unik")
        ]
        indexes = [models.Index(fields=["tabel", "id_tujuan"], name="peta_impor_tujuan")]

    def __str__(self) -> str:
        return f"{self.sumber} {self.tabel}:{self.id_sumber} → {self.id_tujuan}"
