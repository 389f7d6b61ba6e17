"""Use cases of circulation: members, lending, returning anywhere, renewing,
holds, transit between branches, fines and payments.

Every function here is one transaction. Lending locks the item row (and the
member row, so two desks cannot both squeeze under one member's limit), and a
partial unique index on open loans backs that up: one copy is never lent twice.
An item's status and due date are written only through katalog.services
.ubah_status, so the OPAC always shows what the desk did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from dispusip import akses, penomoran
from dispusip.audit import catat
from dispusip.models import Cabang, PetaImpor
from katalog import services as katalog_services
from katalog.models import Eksemplar, Katalog, StatusEksemplar
from sirkulasi import kalender
from sirkulasi.aturan import aturan_pinjam
from sirkulasi.models import (
    IDENTITAS_NIK,
    Anggota,
    AntreanDigital,
    BacaDiTempat,
    Denda,
    HariLibur,
    Kunjungan,
    NomorAnggotaLama,
    Pembayaran,
    Pemberitahuan,
    Peminjaman,
    PinjamDigital,
    Reservasi,
    StatusAnggota,
    Transit,
    UsulanGabung,
    bersihkan_pindaian,
)

if TYPE_CHECKING:
    from dispusip.models import Pengguna

IZIN_ANGGOTA = "sirkulasi.change_anggota"
IZIN_PINJAM = "sirkulasi.add_peminjaman"
IZIN_TIMPA = "sirkulasi.timpa_aturan"
IZIN_DENDA = "sirkulasi.change_denda"
S = StatusEksemplar


class SirkulasiGagal(Exception):
    """A circulation rule refused the action. `alasan` lists every reason, in plain
    Indonesian; `dapat_ditimpa` says whether an authorised role may override them all."""

    def __init__(self, alasan: list[str] | str, *, dapat_ditimpa: bool = False):
        self.alasan = [alasan] if isinstance(alasan, str) else list(alasan)
        self.dapat_ditimpa = dapat_ditimpa
        super().__init__(" ".join(self.alasan))


# --- members -------------------------------------------------------------------


def periksa_identitas(jenis: str, nomor: str) -> str:
    """The identity number as stored; a NIK (on a KTP or KK) must be 16 digits."""
    nomor = "".join(nomor.split())
    if jenis in IDENTITAS_NIK and nomor and (len(nomor) != 16 or not nomor.isdigit()):
        raise SirkulasiGagal(_("NIK harus 16 angka."))
    return nomor


def daftarkan_anggota(
    data: dict, *, cabang: Cabang, oleh: Pengguna | None, pra_daftar: bool = False
) -> Anggota:
    """Register a member at `cabang` (or pre-register online, to be verified at a desk)."""
    if oleh is not None:
        akses.wajib_boleh(oleh, cabang.unit_id, permission="sirkulasi.add_anggota")
    data = dict(data)
    data["nomor_identitas"] = periksa_identitas(
        data.get("jenis_identitas", ""), data.get("nomor_identitas", "")
    )
    with transaction.atomic():
        nomor = penomoran.alokasikan("sirkulasi.nomor_anggota", terpakai=_nomor_terpakai)[0]
        hari_ini = timezone.localdate()
        anggota = Anggota(
            **data,
            nomor=nomor,
            unit_id=cabang.unit_id,
            cabang=cabang,
            terdaftar=hari_ini,
            berlaku_sampai=hari_ini + relativedelta(months=data["kategori"].masa_berlaku_bulan),
            status=StatusAnggota.PRA_DAFTAR if pra_daftar else StatusAnggota.AKTIF,
        )
        anggota.full_clean()
        anggota.save()
        catat(
            aksi="anggota.pra_daftar" if pra_daftar else "anggota.daftar",
            oleh=oleh,
            objek=anggota,
            sesudah={"nomor": nomor, "kategori": str(anggota.kategori), "cabang": str(cabang)},
        )
    return anggota


def _nomor_terpakai(calon: list[str]) -> list[str]:
    """Numbers the allocator must skip: typed in by hand, or an imported old card."""
    return [
        *Anggota.objects.filter(nomor__in=calon).values_list("nomor", flat=True),
        *NomorAnggotaLama.objects.filter(nomor__in=calon).values_list("nomor", flat=True),
    ]


def ubah_anggota(anggota: Anggota, data: dict, *, oleh: Pengguna) -> Anggota:
    akses.wajib_boleh(oleh, anggota.unit_id, permission=IZIN_ANGGOTA)
    data = dict(data)
    if "nomor_identitas" in data:
        data["nomor_identitas"] = periksa_identitas(
            data.get("jenis_identitas", anggota.jenis_identitas), data["nomor_identitas"]
        )
    sebelum = {k: str(getattr(anggota, k)) for k in data}
    for nama, nilai in data.items():
        setattr(anggota, nama, nilai)
    anggota.full_clean()
    with transaction.atomic():
        anggota.save()
        sesudah = {k: str(getattr(anggota, k)) for k in data}
        berubah = [k for k in data if sebelum[k] != sesudah[k]]
        if berubah:
            catat(
                aksi="anggota.ubah",
                oleh=oleh,
                objek=anggota,
                sebelum={k: sebelum[k] for k in berubah},
                sesudah={k: sesudah[k] for k in berubah},
            )
    return anggota


def verifikasi_anggota(anggota: Anggota, *, oleh: Pengguna) -> Anggota:
    """A pre-registered member showed their ID card at a desk."""
    return _ganti_status(anggota, StatusAnggota.AKTIF, oleh=oleh, aksi="anggota.verifikasi")


def tangguhkan_anggota(anggota: Anggota, *, alasan: str, oleh: Pengguna) -> Anggota:
    if not alasan.strip():
        raise SirkulasiGagal(_("Tuliskan alasan penangguhan."))
    return _ganti_status(
        anggota, StatusAnggota.DITANGGUHKAN, oleh=oleh, aksi="anggota.tangguhkan", alasan=alasan
    )


def pulihkan_anggota(anggota: Anggota, *, alasan: str = "", oleh: Pengguna) -> Anggota:
    return _ganti_status(
        anggota, StatusAnggota.AKTIF, oleh=oleh, aksi="anggota.pulihkan", alasan=alasan
    )


def _ganti_status(
    anggota: Anggota, status: str, *, oleh: Pengguna, aksi: str, alasan: str = ""
) -> Anggota:
    akses.wajib_boleh(oleh, anggota.unit_id, permission=IZIN_ANGGOTA)
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().get(pk=anggota.pk)
        sebelum = anggota.status
        anggota.status = status
        anggota.alasan_status = alasan.strip() if status == StatusAnggota.DITANGGUHKAN else ""
        if aksi == "anggota.pulihkan":
            anggota.skors_sampai = None
        anggota.save(update_fields=["status", "alasan_status", "skors_sampai", "diubah"])
        catat(
            aksi=aksi,
            oleh=oleh,
            objek=anggota,
            sebelum={"status": sebelum},
            sesudah={"status": status},
            alasan=alasan.strip(),
        )
    return anggota


def perpanjang_keanggotaan(anggota: Anggota, *, oleh: Pengguna) -> Anggota:
    """Renew for the category's period, from today or from the current end if later."""
    akses.wajib_boleh(oleh, anggota.unit_id, permission=IZIN_ANGGOTA)
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().select_related("kategori").get(pk=anggota.pk)
        sebelum = anggota.berlaku_sampai
        dasar = max(sebelum, timezone.localdate())
        anggota.berlaku_sampai = dasar + relativedelta(months=anggota.kategori.masa_berlaku_bulan)
        anggota.save(update_fields=["berlaku_sampai", "diubah"])
        catat(
            aksi="anggota.perpanjang",
            oleh=oleh,
            objek=anggota,
            sebelum={"berlaku_sampai": sebelum},
            sesudah={"berlaku_sampai": anggota.berlaku_sampai},
        )
    return anggota


def cari_anggota(kode: str) -> Anggota:
    anggota = Anggota.objects.cari_kode(kode).select_related("kategori", "cabang").first()
    if anggota is None:
        raise SirkulasiGagal(
            _("Kartu %(k)s tidak dikenal.") % {"k": bersihkan_pindaian(kode) or "—"}
        )
    return anggota


def cari_eksemplar(barcode: str, *, kunci: bool = False) -> Eksemplar:
    kode = bersihkan_pindaian(barcode)
    qs = Eksemplar.objects.select_related("katalog", "kategori", "cabang")
    if kunci:
        qs = qs.select_for_update(of=("self",))
    item = qs.filter(barcode=kode).first()
    if item is None:
        raise SirkulasiGagal(_("Barcode %(b)s tidak dikenal.") % {"b": kode or "—"})
    return item


# --- lending -------------------------------------------------------------------


def alasan_anggota_ditolak(anggota: Anggota) -> tuple[list[str], list[str]]:
    """(reasons nobody may override, reasons an authorised role may) that stop
    this member borrowing anything today."""
    mutlak, dapat_ditimpa = [], []
    if anggota.status == StatusAnggota.PRA_DAFTAR:
        mutlak.append(
            _("Anggota belum diverifikasi: periksa kartu identitasnya lalu verifikasi dahulu.")
        )
    if anggota.status == StatusAnggota.DITANGGUHKAN:
        dapat_ditimpa.append(
            _("Anggota diblokir: %(a)s.") % {"a": anggota.alasan_status or _("tanpa keterangan")}
        )
    if anggota.kedaluwarsa:
        dapat_ditimpa.append(
            _("Keanggotaan berakhir %(t)s; perpanjang dahulu.")
            % {"t": anggota.berlaku_sampai.strftime("%d-%m-%Y")}
        )
    if anggota.diskors:
        dapat_ditimpa.append(
            _("Anggota dikenai skors sampai %(t)s karena terlambat mengembalikan.")
            % {"t": anggota.skors_sampai.strftime("%d-%m-%Y")}
        )
    tunggakan = total_tunggakan(anggota)
    if tunggakan > settings.SIRKULASI_BATAS_DENDA:
        dapat_ditimpa.append(
            _("Denda belum dibayar Rp%(d)s melebihi batas Rp%(b)s.")
            % {"d": rupiah(tunggakan), "b": rupiah(settings.SIRKULASI_BATAS_DENDA)}
        )
    return mutlak, dapat_ditimpa


def total_tunggakan(anggota: Anggota) -> Decimal:
    return Denda.objects.filter(anggota=anggota).belum_lunas().aggregate(t=Sum("sisa"))[
        "t"
    ] or Decimal(0)


def rupiah(nilai) -> str:
    return f"{Decimal(nilai):,.0f}".replace(",", ".")


def _alasan_eksemplar_ditolak(
    anggota: Anggota, item: Eksemplar, aturan, reservasi: Reservasi | None
) -> tuple[list[str], list[str]]:
    mutlak, dapat_ditimpa = [], []
    if item.status == S.DIPINJAM:
        pinjaman = Peminjaman.objects.berjalan().filter(eksemplar=item).first()
        if pinjaman is not None and pinjaman.anggota_id == anggota.pk:
            mutlak.append(
                _("%(b)s sudah dipinjam anggota ini (jatuh tempo %(t)s); perpanjang bila perlu.")
                % {"b": item.barcode, "t": item.jatuh_tempo.strftime("%d-%m-%Y")}
            )
        else:
            mutlak.append(
                _("%(b)s masih tercatat dipinjam orang lain; proses pengembaliannya dahulu.")
                % {"b": item.barcode}
            )
    elif item.status in (S.HILANG, S.DIHAPUS, S.PERBAIKAN):
        mutlak.append(
            _("%(b)s berstatus %(s)s dan tidak dapat dipinjamkan.")
            % {"b": item.barcode, "s": item.get_status_display().lower()}
        )
    elif item.status == S.DIPESAN and (reservasi is None or reservasi.anggota_id != anggota.pk):
        dapat_ditimpa.append(
            _("%(b)s disiapkan untuk reservasi anggota lain.") % {"b": item.barcode}
        )
    elif item.status == S.DALAM_PERJALANAN:
        dapat_ditimpa.append(
            _("%(b)s tercatat dalam perjalanan antarcabang.") % {"b": item.barcode}
        )
    if not item.kategori.dapat_dipinjam:
        dapat_ditimpa.append(
            _("%(b)s termasuk %(k)s: hanya dibaca di tempat.")
            % {"b": item.barcode, "k": item.kategori}
        )
    berjalan = Peminjaman.objects.berjalan().filter(anggota=anggota)
    jumlah = berjalan.count()
    if jumlah >= aturan.maks_pinjam:
        dapat_ditimpa.append(
            _("Batas pinjam tercapai: %(n)s dari %(m)s eksemplar.")
            % {"n": jumlah, "m": aturan.maks_pinjam}
        )
    if aturan.maks_per_jenis is not None:
        sejenis = berjalan.filter(katalog__jenis=item.katalog.jenis).count()
        if sejenis >= aturan.maks_per_jenis:
            dapat_ditimpa.append(
                _("Batas pinjam %(j)s tercapai: %(n)s dari %(m)s.")
                % {
                    "j": item.katalog.get_jenis_display().lower(),
                    "n": sejenis,
                    "m": aturan.maks_per_jenis,
                }
            )
    return mutlak, dapat_ditimpa


def _periksa_timpa(
    mutlak: list[str], dapat_ditimpa: list[str], *, oleh: Pengguna, alasan_timpa: str
) -> None:
    if mutlak:
        raise SirkulasiGagal(mutlak + dapat_ditimpa)
    if not dapat_ditimpa:
        return
    if not alasan_timpa.strip():
        raise SirkulasiGagal(dapat_ditimpa, dapat_ditimpa=oleh.has_perm(IZIN_TIMPA))
    if not oleh.has_perm(IZIN_TIMPA):
        raise SirkulasiGagal(
            [*dapat_ditimpa, _("Peran Anda tidak berwenang mengecualikan aturan.")]
        )


# The age groups of loan statistics: (under this age, label); older is TERTUA.
KELOMPOK_USIA = ((13, "0-12"), (18, "13-17"), (26, "18-25"), (41, "26-40"), (61, "41-60"))
TERTUA = "61+"


def _kelompok_usia(anggota: Anggota, pada: date) -> str:
    usia = anggota.usia(pada)
    if usia is None:
        return ""
    for batas, label in KELOMPOK_USIA:
        if usia < batas:
            return label
    return TERTUA


def kelompok_usia_sql(lahir: str, pada: str) -> str:
    """The same groups as an SQL expression over a birth date and a date column
    (for imports that write loans set-based); '' when the birth date is unknown."""
    # Anggota.usia's arithmetic (PostgreSQL's age() counts a 29 February birthday
    # differently).
    usia = (
        f"(date_part('year', {pada}) - date_part('year', {lahir}) - CASE WHEN "
        f"to_char({pada}, 'MMDD') < to_char({lahir}, 'MMDD') THEN 1 ELSE 0 END)"
    )
    cabang = " ".join(f"WHEN {usia} < {batas} THEN '{label}'" for batas, label in KELOMPOK_USIA)
    return f"CASE WHEN {lahir} IS NULL THEN '' {cabang} ELSE '{TERTUA}' END"


def jatuh_tempo_untuk(cabang: Cabang, lama_hari: int, mulai: date | None = None) -> date:
    """Today plus the loan period, moved forward to the branch's next open day."""
    mulai = mulai or timezone.localdate()
    return kalender.hari_buka_berikutnya(cabang, mulai + timedelta(days=lama_hari))


def pinjamkan(
    anggota: Anggota,
    barcode: str,
    *,
    cabang: Cabang,
    oleh: Pengguna,
    alasan_timpa: str = "",
) -> Peminjaman:
    """Lend one item to a member at the desk of `cabang`.

    Raises SirkulasiGagal with every reason when a rule refuses; with
    `alasan_timpa`, a role holding sirkulasi.timpa_aturan lends anyway and the
    override is written to the audit log.
    """
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    with transaction.atomic():
        # Member first, then item: every desk takes the locks in this order.
        anggota = Anggota.objects.select_for_update().select_related("kategori").get(pk=anggota.pk)
        item = cari_eksemplar(barcode, kunci=True)
        aturan = aturan_pinjam(anggota, item, cabang)
        reservasi = (
            Reservasi.objects.select_for_update()
            .filter(eksemplar=item, status=Reservasi.Status.SIAP)
            .first()
        )
        mutlak, dapat_ditimpa = alasan_anggota_ditolak(anggota)
        m2, d2 = _alasan_eksemplar_ditolak(anggota, item, aturan, reservasi)
        _periksa_timpa(mutlak + m2, dapat_ditimpa + d2, oleh=oleh, alasan_timpa=alasan_timpa)
        ditimpa = dapat_ditimpa + d2

        if item.status == S.DALAM_PERJALANAN:
            Transit.objects.berjalan().filter(eksemplar=item).update(diterima=timezone.now())
            katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
        if item.status == S.DIPESAN and reservasi is not None:
            # Lent to the member who reserved it (or, overridden, to someone else).
            reservasi_selesai = reservasi.anggota_id == anggota.pk
            reservasi.status = (
                Reservasi.Status.SELESAI if reservasi_selesai else Reservasi.Status.MENUNGGU
            )
            reservasi.eksemplar = None if not reservasi_selesai else item
            reservasi.selesai = timezone.now() if reservasi_selesai else None
            reservasi.save(update_fields=["status", "eksemplar", "selesai"])

        sekarang = timezone.now()
        jatuh_tempo = jatuh_tempo_untuk(cabang, aturan.lama_pinjam)
        pinjaman = Peminjaman.objects.create(
            anggota=anggota,
            eksemplar=item,
            katalog_id=item.katalog_id,
            cabang=cabang,
            dipinjam=sekarang,
            jatuh_tempo=jatuh_tempo,
            petugas=oleh,
            alasan_timpa=alasan_timpa.strip() if ditimpa else "",
            kategori_anggota_id=anggota.kategori_id,
            kelompok_usia=_kelompok_usia(anggota, sekarang.date()),
            jenis_kelamin=anggota.jenis_kelamin,
        )
        katalog_services.ubah_status(item, S.DIPINJAM, jatuh_tempo=jatuh_tempo, audit=False)
        catat(
            aksi="peminjaman.timpa" if ditimpa else "peminjaman.pinjam",
            oleh=oleh,
            objek=pinjaman,
            unit=cabang.unit,
            sesudah={
                "anggota": anggota.nomor,
                "barcode": item.barcode,
                "jatuh_tempo": jatuh_tempo,
                **({"aturan_dikecualikan": ditimpa} if ditimpa else {}),
            },
            alasan=alasan_timpa.strip() if ditimpa else "",
        )
    pinjaman.eksemplar = item
    return pinjaman


# --- returning -----------------------------------------------------------------


@dataclass
class HasilKembali:
    """What happened to a returned item, for the desk to say aloud."""

    eksemplar: Eksemplar
    pinjaman: Peminjaman | None = None
    denda: Denda | None = None
    hari_terlambat: int = 0
    transit: Transit | None = None
    reservasi: Reservasi | None = None
    catatan: list[str] = field(default_factory=list)

    @property
    def tujuan(self) -> str:
        """Where the item goes now, in one phrase."""
        if self.reservasi is not None and self.transit is None:
            return _("Rak reservasi: untuk %(n)s") % {"n": self.reservasi.anggota.nama}
        if self.transit is not None:
            return _("Kirim ke %(c)s") % {"c": self.transit.ke}
        return _("Kembalikan ke rak")


def hitung_denda(pinjaman: Peminjaman, aturan, dikembalikan: date) -> tuple[int, Decimal]:
    """(open days late, fine) for a loan returned on `dikembalikan`.

    Late days are the open days of the lending branch after the due date. A
    return within the grace days costs nothing; past it, every late day counts,
    up to the cap.
    """
    terlambat = kalender.jumlah_hari_buka(pinjaman.cabang, pinjaman.jatuh_tempo, dikembalikan)
    if terlambat <= aturan.hari_toleransi:
        return terlambat, Decimal(0)
    denda = aturan.denda_per_hari * terlambat
    if aturan.denda_maks is not None:
        denda = min(denda, aturan.denda_maks)
    return terlambat, denda


def kembalikan(barcode: str, *, cabang: Cabang, oleh: Pengguna) -> HasilKembali:
    """Take an item back at any branch: close its loan, charge any fine, then send
    it where it is needed (a waiting hold first, else home)."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    with transaction.atomic():
        item = cari_eksemplar(barcode, kunci=True)
        pinjaman = (
            Peminjaman.objects.select_for_update(of=("self",))
            .select_related("anggota", "cabang")
            .filter(eksemplar=item, dikembalikan__isnull=True)
            .first()
        )
        if pinjaman is None:
            transit = Transit.objects.berjalan().filter(eksemplar=item, ke=cabang).first()
            if transit is not None:
                return terima_transit(barcode, cabang=cabang, oleh=oleh)
            raise SirkulasiGagal(
                _("%(b)s tidak sedang dipinjam (status: %(s)s).")
                % {"b": item.barcode, "s": item.get_status_display().lower()}
            )
        hasil = HasilKembali(eksemplar=item, pinjaman=pinjaman)
        sekarang = timezone.now()
        hari_ini = timezone.localdate()
        anggota = pinjaman.anggota
        if anggota is not None:
            anggota = Anggota.objects.select_for_update().get(pk=anggota.pk)
            aturan = aturan_pinjam(anggota, item, pinjaman.cabang)
            hasil.hari_terlambat, jumlah = hitung_denda(pinjaman, aturan, hari_ini)
            if jumlah > 0:
                hasil.denda = Denda.objects.create(
                    anggota=anggota,
                    peminjaman=pinjaman,
                    jenis=Denda.Jenis.KETERLAMBATAN,
                    jumlah=jumlah,
                    keterangan=_("%(n)s hari terlambat: %(j)s")
                    % {"n": hasil.hari_terlambat, "j": item.katalog.judul[:150]},
                    cabang=cabang,
                )
            if hasil.hari_terlambat > aturan.hari_toleransi and aturan.skors_per_hari:
                sampai = hari_ini + timedelta(days=hasil.hari_terlambat * aturan.skors_per_hari)
                if anggota.skors_sampai is None or anggota.skors_sampai < sampai:
                    anggota.skors_sampai = sampai
                    anggota.save(update_fields=["skors_sampai", "diubah"])
                    hasil.catatan.append(
                        _("Anggota diskors sampai %(t)s.") % {"t": sampai.strftime("%d-%m-%Y")}
                    )
        pinjaman.dikembalikan = sekarang
        pinjaman.cabang_kembali = cabang
        pinjaman.status = Peminjaman.Status.KEMBALI
        pinjaman.save(update_fields=["dikembalikan", "cabang_kembali", "status"])
        katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
        _arahkan(item, cabang, hasil)
        catat(
            aksi="peminjaman.kembali",
            oleh=oleh,
            objek=pinjaman,
            unit=cabang.unit,
            sesudah={
                "barcode": item.barcode,
                "cabang_kembali": str(cabang),
                "hari_terlambat": hasil.hari_terlambat,
                "denda": hasil.denda.jumlah if hasil.denda else 0,
                "tujuan": hasil.tujuan,
            },
        )
    return hasil


def _arahkan(item: Eksemplar, cabang: Cabang, hasil: HasilKembali) -> None:
    """Route an item that is on the desk of `cabang`: to the first waiting hold it
    can fill (on this branch's hold shelf, or in transit to the pickup branch),
    else home, or onto this branch's shelf when it is home already or belongs to
    a floating collection (then this branch becomes its home)."""
    reservasi = (
        Reservasi.objects.antre()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("anggota", "cabang_ambil")
        .filter(katalog_id=item.katalog_id)
        .first()
        if item.kategori.dapat_dipinjam
        else None
    )
    if reservasi is not None:
        hasil.reservasi = reservasi
        reservasi.eksemplar = item
        if reservasi.cabang_ambil_id == cabang.pk:
            _siapkan_reservasi(reservasi, item)
        else:
            reservasi.status = Reservasi.Status.DALAM_PERJALANAN
            reservasi.save(update_fields=["status", "eksemplar"])
            hasil.transit = _kirim(item, cabang, reservasi.cabang_ambil, reservasi=reservasi)
        return
    if item.cabang_id == cabang.pk:
        return
    if item.kategori.mengambang:
        katalog_services.pindah_mengambang(item, cabang)
        hasil.catatan.append(_("Koleksi mengambang: kini milik %(c)s.") % {"c": cabang})
    else:
        hasil.transit = _kirim(item, cabang, item.cabang)


def _kirim(
    item: Eksemplar, dari: Cabang, ke: Cabang, *, reservasi: Reservasi | None = None
) -> Transit:
    katalog_services.ubah_status(item, S.DALAM_PERJALANAN, audit=False)
    return Transit.objects.create(
        eksemplar=item,
        dari=dari,
        ke=ke,
        alasan=Transit.Alasan.RESERVASI if reservasi else Transit.Alasan.PULANG,
        reservasi=reservasi,
    )


def _siapkan_reservasi(reservasi: Reservasi, item: Eksemplar) -> None:
    """The copy is on the pickup shelf: the member may now be told."""
    katalog_services.ubah_status(item, S.DIPESAN, audit=False)
    reservasi.status = Reservasi.Status.SIAP
    reservasi.eksemplar = item
    reservasi.siap_sejak = timezone.now()
    reservasi.batas_ambil = kalender.tambah_hari_buka(
        reservasi.cabang_ambil, timezone.localdate(), settings.SIRKULASI_HARI_AMBIL_RESERVASI
    )
    reservasi.save(update_fields=["status", "eksemplar", "siap_sejak", "batas_ambil"])


def terima_transit(barcode: str, *, cabang: Cabang, oleh: Pengguna) -> HasilKembali:
    """An item in transit arrived at `cabang`: shelve it, or put it on the hold shelf."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    with transaction.atomic():
        item = cari_eksemplar(barcode, kunci=True)
        transit = (
            Transit.objects.select_for_update(of=("self",))
            .select_related("dari", "ke", "reservasi__anggota")
            .filter(eksemplar=item, diterima__isnull=True)
            .first()
        )
        if transit is None:
            raise SirkulasiGagal(_("%(b)s tidak sedang dalam perjalanan.") % {"b": item.barcode})
        if transit.ke_id != cabang.pk:
            raise SirkulasiGagal(
                _("%(b)s sedang dikirim ke %(c)s, bukan ke cabang ini.")
                % {"b": item.barcode, "c": transit.ke}
            )
        transit.diterima = timezone.now()
        transit.save(update_fields=["diterima"])
        katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
        hasil = HasilKembali(eksemplar=item)
        reservasi = transit.reservasi
        if reservasi is not None and reservasi.status == Reservasi.Status.DALAM_PERJALANAN:
            _siapkan_reservasi(reservasi, item)
            hasil.reservasi = reservasi
        else:
            _arahkan(item, cabang, hasil)
        catat(
            aksi="transit.terima",
            oleh=oleh,
            objek=item,
            unit=cabang.unit,
            sesudah={"dari": str(transit.dari), "ke": str(cabang), "tujuan": hasil.tujuan},
        )
    return hasil


# --- renewing ------------------------------------------------------------------


def perpanjang(
    pinjaman: Peminjaman, *, oleh: Pengguna | None, cabang: Cabang | None = None
) -> Peminjaman:
    """Renew a loan from today for another loan period, if the rules allow.

    At a desk (`cabang` given) staff renew; online (`cabang` None) the member
    does, and an overdue loan must come to a desk (its fine is charged there).
    """
    if cabang is not None and oleh is not None:
        akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    with transaction.atomic():
        pinjaman = (
            Peminjaman.objects.select_for_update(of=("self",))
            .select_related("anggota__kategori", "eksemplar__katalog", "cabang")
            .get(pk=pinjaman.pk)
        )
        if not pinjaman.berjalan:
            raise SirkulasiGagal(_("Peminjaman ini sudah selesai."))
        anggota, item = pinjaman.anggota, pinjaman.eksemplar
        aturan = aturan_pinjam(anggota, item, pinjaman.cabang)
        hari_ini = timezone.localdate()
        alasan = []
        mutlak, dapat_ditimpa = alasan_anggota_ditolak(anggota)
        alasan += mutlak + dapat_ditimpa
        if pinjaman.perpanjangan >= aturan.maks_perpanjang:
            alasan.append(
                _("%(b)s sudah diperpanjang %(n)s kali, batasnya %(m)s.")
                % {"b": item.barcode, "n": pinjaman.perpanjangan, "m": aturan.maks_perpanjang}
            )
        if Reservasi.objects.antre().filter(katalog_id=item.katalog_id).exists():
            alasan.append(
                _("Anggota lain sedang menunggu judul ini; kembalikan agar dapat dipinjam mereka.")
            )
        if cabang is None and pinjaman.jatuh_tempo < hari_ini:
            alasan.append(
                _("Peminjaman sudah terlambat; perpanjang dan bayar dendanya di meja layanan.")
            )
        if alasan:
            raise SirkulasiGagal(alasan)
        if pinjaman.jatuh_tempo < hari_ini:
            terlambat, jumlah = hitung_denda(pinjaman, aturan, hari_ini)
            if jumlah > 0:
                Denda.objects.create(
                    anggota=anggota,
                    peminjaman=pinjaman,
                    jenis=Denda.Jenis.KETERLAMBATAN,
                    jumlah=jumlah,
                    keterangan=_("%(n)s hari terlambat (diperpanjang): %(j)s")
                    % {"n": terlambat, "j": item.katalog.judul[:150]},
                    cabang=cabang or pinjaman.cabang,
                )
        sebelum = pinjaman.jatuh_tempo
        pinjaman.jatuh_tempo = jatuh_tempo_untuk(pinjaman.cabang, aturan.lama_pinjam, hari_ini)
        pinjaman.perpanjangan += 1
        pinjaman.save(update_fields=["jatuh_tempo", "perpanjangan"])
        katalog_services.ubah_status(
            item, S.DIPINJAM, jatuh_tempo=pinjaman.jatuh_tempo, audit=False
        )
        catat(
            aksi="peminjaman.perpanjang",
            oleh=oleh,
            objek=pinjaman,
            unit=(cabang or pinjaman.cabang).unit,
            sebelum={"jatuh_tempo": sebelum},
            sesudah={"jatuh_tempo": pinjaman.jatuh_tempo, "daring": cabang is None},
        )
    return pinjaman


# --- holds ---------------------------------------------------------------------


def reservasi(
    anggota: Anggota,
    katalog: Katalog,
    *,
    cabang_ambil: Cabang,
    oleh: Pengguna | None = None,
) -> Reservasi:
    """Place a hold on a title for pickup at `cabang_ambil` (online or at a desk)."""
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().select_related("kategori").get(pk=anggota.pk)
        mutlak, dapat_ditimpa = alasan_anggota_ditolak(anggota)
        if mutlak or dapat_ditimpa:
            raise SirkulasiGagal(mutlak + dapat_ditimpa)
        items = list(
            Eksemplar.objects.aktif()
            .filter(katalog=katalog, kategori__dapat_dipinjam=True)
            .select_related("kategori", "katalog")
        )
        if not items:
            raise SirkulasiGagal(_("Judul ini tidak punya eksemplar yang dapat dipinjam."))
        if not any(aturan_pinjam(anggota, e, cabang_ambil).boleh_reservasi for e in items):
            raise SirkulasiGagal(_("Aturan peminjaman tidak membolehkan reservasi judul ini."))
        if Peminjaman.objects.berjalan().filter(anggota=anggota, katalog=katalog).exists():
            raise SirkulasiGagal(_("Anggota sedang meminjam judul ini."))
        if Reservasi.objects.aktif().filter(anggota=anggota, katalog=katalog).exists():
            raise SirkulasiGagal(_("Anggota sudah mereservasi judul ini."))
        hold = Reservasi.objects.create(anggota=anggota, katalog=katalog, cabang_ambil=cabang_ambil)
        catat(
            aksi="reservasi.buat",
            oleh=oleh,
            objek=hold,
            unit=cabang_ambil.unit,
            sesudah={
                "anggota": anggota.nomor,
                "judul": katalog.judul[:100],
                "ambil": str(cabang_ambil),
            },
        )
    return hold


def batalkan_reservasi(hold: Reservasi, *, oleh: Pengguna | None, alasan: str = "") -> Reservasi:
    """Cancel a hold; a copy already set aside for it goes to the next in queue or home."""
    with transaction.atomic():
        hold = Reservasi.objects.select_for_update().select_related("cabang_ambil").get(pk=hold.pk)
        if hold.status not in Reservasi.AKTIF:
            raise SirkulasiGagal(_("Reservasi ini sudah tidak aktif."))
        sebelum = hold.status
        item = hold.eksemplar
        hold.status = Reservasi.Status.BATAL
        hold.selesai = timezone.now()
        hold.eksemplar = None
        hold.save(update_fields=["status", "selesai", "eksemplar"])
        if item is not None and sebelum == Reservasi.Status.SIAP:
            item = (
                Eksemplar.objects.select_for_update()
                .select_related("katalog", "kategori", "cabang")
                .get(pk=item.pk)
            )
            katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
            _arahkan(item, hold.cabang_ambil, HasilKembali(eksemplar=item))
        # A copy in transit for a cancelled hold is rerouted when it arrives.
        catat(
            aksi="reservasi.batal",
            oleh=oleh,
            objek=hold,
            unit=hold.cabang_ambil.unit,
            sebelum={"status": sebelum},
            sesudah={"status": hold.status},
            alasan=alasan,
        )
    return hold


# --- fines ---------------------------------------------------------------------


def _kuitansi(cabang: Cabang, **isian) -> Pembayaran:
    """A payment or waiver with the next receipt number of the branch's unit."""
    nomor = penomoran.alokasikan(
        "sirkulasi.kuitansi", bagian={"kode": katalog_services.kode_unit(cabang.unit)}
    )[0]
    return Pembayaran.objects.create(nomor_kuitansi=nomor, cabang=cabang, **isian)


def bayar_denda(anggota: Anggota, jumlah: Decimal, *, cabang: Cabang, oleh: Pengguna) -> Pembayaran:
    """Take a payment, applied to the oldest unpaid fines first, with a numbered receipt."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_DENDA)
    jumlah = Decimal(jumlah)
    if jumlah <= 0:
        raise SirkulasiGagal(_("Jumlah pembayaran harus lebih dari nol."))
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().get(pk=anggota.pk)
        denda = list(
            Denda.objects.select_for_update()
            .filter(anggota=anggota)
            .belum_lunas()
            .order_by("dibuat", "id")
        )
        tunggakan = sum((d.sisa for d in denda), Decimal(0))
        if jumlah > tunggakan:
            raise SirkulasiGagal(
                _("Pembayaran Rp%(j)s melebihi tunggakan Rp%(t)s.")
                % {"j": rupiah(jumlah), "t": rupiah(tunggakan)}
            )
        rincian, sisa_bayar = [], jumlah
        for d in denda:
            if sisa_bayar <= 0:
                break
            bagian = min(d.sisa, sisa_bayar)
            Denda.objects.filter(pk=d.pk).update(dibayar=d.dibayar + bagian)
            rincian.append({"denda": d.pk, "keterangan": d.keterangan, "jumlah": str(bagian)})
            sisa_bayar -= bagian
        pembayaran = _kuitansi(
            cabang,
            anggota=anggota,
            jenis=Pembayaran.Jenis.BAYAR,
            jumlah=jumlah,
            petugas=oleh,
            rincian=rincian,
        )
        catat(
            aksi="denda.bayar",
            oleh=oleh,
            objek=pembayaran,
            unit=cabang.unit,
            sesudah={"anggota": anggota.nomor, "jumlah": jumlah},
        )
    return pembayaran


def bebaskan_denda(denda: Denda, *, alasan: str, cabang: Cabang, oleh: Pengguna) -> Pembayaran:
    """Waive what is left of one fine, with the reason on record."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_TIMPA)
    if not alasan.strip():
        raise SirkulasiGagal(_("Tuliskan alasan pembebasan denda."))
    with transaction.atomic():
        denda = Denda.objects.select_for_update().get(pk=denda.pk)
        if denda.sisa <= 0:
            raise SirkulasiGagal(_("Denda ini sudah lunas."))
        sisa = denda.sisa
        Denda.objects.filter(pk=denda.pk).update(dibebaskan=denda.dibebaskan + sisa)
        pembayaran = _kuitansi(
            cabang,
            anggota_id=denda.anggota_id,
            jenis=Pembayaran.Jenis.BEBASKAN,
            jumlah=sisa,
            alasan=alasan.strip(),
            petugas=oleh,
            rincian=[{"denda": denda.pk, "keterangan": denda.keterangan, "jumlah": str(sisa)}],
        )
        catat(
            aksi="denda.bebaskan",
            oleh=oleh,
            objek=pembayaran,
            unit=cabang.unit,
            sesudah={"denda": denda.pk, "jumlah": sisa},
            alasan=alasan.strip(),
        )
    return pembayaran


def tarik_untuk_reservasi(barcode: str, *, cabang: Cabang, oleh: Pengguna) -> HasilKembali:
    """A copy pulled from this branch's shelf for the holds-to-pull list: set it
    aside for the first waiting hold (here, or in transit to the pickup branch)."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    with transaction.atomic():
        item = cari_eksemplar(barcode, kunci=True)
        if item.status != S.TERSEDIA or item.cabang_id != cabang.pk:
            raise SirkulasiGagal(
                _("%(b)s tidak ada di rak cabang ini (status: %(s)s).")
                % {"b": item.barcode, "s": item.get_status_display().lower()}
            )
        if not Reservasi.objects.antre().filter(katalog_id=item.katalog_id).exists():
            raise SirkulasiGagal(
                _("Tidak ada reservasi yang menunggu %(j)s; kembalikan ke rak.")
                % {"j": item.katalog.judul[:80]}
            )
        hasil = HasilKembali(eksemplar=item)
        _arahkan(item, cabang, hasil)
        catat(
            aksi="reservasi.tarik",
            oleh=oleh,
            objek=item,
            unit=cabang.unit,
            sesudah={"tujuan": hasil.tujuan},
        )
    return hasil


# --- calendar ------------------------------------------------------------------


def geser_karena_penutupan(libur: HariLibur, *, oleh: Pengguna | None) -> dict[str, int]:
    """After an ad-hoc closure (a flood) is entered: move every due date and hold
    pickup deadline that falls in it to the next day its branch is open."""
    cabang = Cabang.objects.all()
    if libur.cabang_id:
        cabang = cabang.filter(pk=libur.cabang_id)
    elif libur.unit_id:
        cabang = cabang.filter(unit_id=libur.unit_id)
    rentang = (libur.mulai, libur.selesai)
    jumlah = {"pinjaman": 0, "reservasi": 0}
    with transaction.atomic():
        for c in cabang:
            pinjaman = (
                Peminjaman.objects.berjalan()
                .select_for_update(of=("self",))
                .select_related("eksemplar")
                .filter(cabang=c, jatuh_tempo__range=rentang)
            )
            for p in pinjaman:
                p.jatuh_tempo = kalender.hari_buka_berikutnya(c, p.jatuh_tempo)
                p.save(update_fields=["jatuh_tempo"])
                katalog_services.ubah_status(
                    p.eksemplar, S.DIPINJAM, jatuh_tempo=p.jatuh_tempo, audit=False
                )
                jumlah["pinjaman"] += 1
            siap = Reservasi.objects.select_for_update().filter(
                cabang_ambil=c, status=Reservasi.Status.SIAP, batas_ambil__range=rentang
            )
            for r in siap:
                r.batas_ambil = kalender.hari_buka_berikutnya(c, r.batas_ambil)
                r.save(update_fields=["batas_ambil"])
                jumlah["reservasi"] += 1
        catat(aksi="kalender.geser", oleh=oleh, objek=libur, unit=libur.unit, sesudah=jumlah)
    return jumlah


def kedaluwarsakan_reservasi(pada: date | None = None) -> int:
    """Holds not picked up by their deadline expire; each copy goes to the next
    member in the queue, or home. Safe to run again: expired holds are skipped."""
    pada = pada or timezone.localdate()
    jumlah = 0
    lewat = Reservasi.objects.filter(status=Reservasi.Status.SIAP, batas_ambil__lt=pada)
    for pk in lewat.values_list("pk", flat=True):
        with transaction.atomic():
            hold = (
                Reservasi.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cabang_ambil", "eksemplar")
                .filter(pk=pk, status=Reservasi.Status.SIAP)
                .first()
            )
            if hold is None:
                continue
            hold.status = Reservasi.Status.KEDALUWARSA
            hold.selesai = timezone.now()
            item = hold.eksemplar
            hold.eksemplar = None
            hold.save(update_fields=["status", "selesai", "eksemplar"])
            if item is not None:
                item = cari_eksemplar(item.barcode, kunci=True)
                katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
                _arahkan(item, hold.cabang_ambil, HasilKembali(eksemplar=item))
            catat(
                aksi="reservasi.kedaluwarsa",
                oleh=None,
                objek=hold,
                unit=hold.cabang_ambil.unit,
                sesudah={"batas_ambil": hold.batas_ambil},
            )
            jumlah += 1
    return jumlah


# --- lost, claimed returned, damaged -----------------------------------------------


def _tutup_tanpa_rak(
    pinjaman: Peminjaman, status: str, *, cabang: Cabang, oleh: Pengguna
) -> tuple[Peminjaman, Eksemplar]:
    """Close a loan whose copy does not come back to a shelf; the copy is marked lost."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    pinjaman = (
        Peminjaman.objects.select_for_update(of=("self",))
        .select_related("anggota", "cabang")
        .get(pk=pinjaman.pk)
    )
    if not pinjaman.berjalan:
        raise SirkulasiGagal(_("Peminjaman ini sudah selesai."))
    item = cari_eksemplar(pinjaman.eksemplar.barcode, kunci=True)
    pinjaman.dikembalikan = timezone.now()
    pinjaman.cabang_kembali = cabang
    pinjaman.status = status
    pinjaman.save(update_fields=["dikembalikan", "cabang_kembali", "status"])
    katalog_services.ubah_status(item, S.HILANG, audit=False)
    return pinjaman, item


def biaya_ganti(item: Eksemplar) -> Decimal:
    """What a lost copy costs the member: its price, else the configured default."""
    return item.harga or Decimal(settings.SIRKULASI_BIAYA_GANTI)


def hilangkan(
    pinjaman: Peminjaman,
    *,
    cabang: Cabang,
    oleh: Pengguna,
    biaya: Decimal | None = None,
) -> Denda:
    """The member reports the copy lost: the loan closes, the copy is marked lost, and
    the member is charged its replacement cost (and any late fine up to today)."""
    with transaction.atomic():
        pinjaman, item = _tutup_tanpa_rak(
            pinjaman, Peminjaman.Status.HILANG, cabang=cabang, oleh=oleh
        )
        anggota = pinjaman.anggota
        aturan = aturan_pinjam(anggota, item, pinjaman.cabang)
        terlambat, jumlah = hitung_denda(pinjaman, aturan, timezone.localdate())
        if jumlah > 0:
            Denda.objects.create(
                anggota=anggota,
                peminjaman=pinjaman,
                jenis=Denda.Jenis.KETERLAMBATAN,
                jumlah=jumlah,
                cabang=cabang,
                keterangan=_("%(n)s hari terlambat: %(j)s")
                % {"n": terlambat, "j": item.katalog.judul[:150]},
            )
        biaya = biaya if biaya is not None else biaya_ganti(item)
        if biaya <= 0:
            raise SirkulasiGagal(_("Biaya penggantian harus lebih dari nol."))
        denda = Denda.objects.create(
            anggota=anggota,
            peminjaman=pinjaman,
            jenis=Denda.Jenis.HILANG,
            jumlah=biaya,
            cabang=cabang,
            keterangan=_("Pengganti %(b)s: %(j)s")
            % {"b": item.barcode, "j": item.katalog.judul[:150]},
        )
        catat(
            aksi="peminjaman.hilang",
            oleh=oleh,
            objek=pinjaman,
            unit=cabang.unit,
            sesudah={"barcode": item.barcode, "biaya": biaya},
        )
    return denda


def klaim_sudah_kembali(
    pinjaman: Peminjaman, *, cabang: Cabang, oleh: Pengguna, alasan: str
) -> Peminjaman:
    """The member says the copy was returned but it is not on any shelf: the loan
    closes without a fine and the copy is marked lost until it turns up."""
    if not alasan.strip():
        raise SirkulasiGagal(_("Tuliskan keterangan klaim anggota."))
    with transaction.atomic():
        pinjaman, item = _tutup_tanpa_rak(
            pinjaman, Peminjaman.Status.KLAIM_KEMBALI, cabang=cabang, oleh=oleh
        )
        catat(
            aksi="peminjaman.klaim_kembali",
            oleh=oleh,
            objek=pinjaman,
            unit=cabang.unit,
            sesudah={"barcode": item.barcode},
            alasan=alasan.strip(),
        )
    return pinjaman


def tagih_kerusakan(
    pinjaman: Peminjaman, *, cabang: Cabang, oleh: Pengguna, biaya: Decimal, keterangan: str
) -> Denda:
    """A copy came back damaged: the member who had it pays, and the copy goes to
    repair instead of back to the shelf (or to a hold)."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_PINJAM)
    if biaya <= 0 or not keterangan.strip():
        raise SirkulasiGagal(_("Isi biaya kerusakan dan keterangannya."))
    with transaction.atomic():
        pinjaman = Peminjaman.objects.select_related("anggota").get(pk=pinjaman.pk)
        if pinjaman.berjalan:
            raise SirkulasiGagal(_("Proses pengembaliannya dahulu, lalu catat kerusakannya."))
        if pinjaman.anggota is None:
            raise SirkulasiGagal(_("Peminjam tidak lagi tercatat (riwayat sudah dianonimkan)."))
        item = cari_eksemplar(pinjaman.eksemplar.barcode, kunci=True)
        denda = Denda.objects.create(
            anggota=pinjaman.anggota,
            peminjaman=pinjaman,
            jenis=Denda.Jenis.RUSAK,
            jumlah=biaya,
            cabang=cabang,
            keterangan=f"{item.barcode}: {keterangan.strip()[:200]}",
        )
        # The return may already have set it aside for a hold: that hold waits again.
        Reservasi.objects.filter(eksemplar=item, status__in=Reservasi.AKTIF).exclude(
            status=Reservasi.Status.MENUNGGU
        ).update(
            status=Reservasi.Status.MENUNGGU, eksemplar=None, siap_sejak=None, batas_ambil=None
        )
        Transit.objects.berjalan().filter(eksemplar=item).update(diterima=timezone.now())
        if item.status != S.TERSEDIA:
            katalog_services.ubah_status(item, S.TERSEDIA, audit=False)
        katalog_services.ubah_status(item, S.PERBAIKAN, audit=False)
        catat(
            aksi="peminjaman.rusak",
            oleh=oleh,
            objek=pinjaman,
            unit=cabang.unit,
            sesudah={"barcode": item.barcode, "biaya": biaya},
            alasan=keterangan.strip(),
        )
    return denda


# --- visitor log and in-library use ----------------------------------------------


def catat_kunjungan(
    *,
    cabang: Cabang,
    oleh: Pengguna,
    kode_anggota: str = "",
    nama: str = "",
    institusi: str = "",
    tujuan: str = Kunjungan.Tujuan.MEMBACA,
) -> tuple[Kunjungan, bool]:
    """Log a visit: a member's card, or a guest's name. A card scanned again at the
    same branch within SIRKULASI_JEDA_KUNJUNGAN_MENIT is the same visit (False)."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission="sirkulasi.add_kunjungan")
    if kode_anggota.strip():
        anggota = cari_anggota(kode_anggota)
        jeda = timezone.now() - timedelta(minutes=settings.SIRKULASI_JEDA_KUNJUNGAN_MENIT)
        sudah = (
            Kunjungan.objects.filter(anggota=anggota, cabang=cabang, waktu__gte=jeda)
            .order_by("-waktu")
            .first()
        )
        if sudah is not None:
            return sudah, False
        return (
            Kunjungan.objects.create(
                cabang=cabang,
                anggota=anggota,
                tujuan=tujuan,
                petugas=oleh,
                kategori_anggota_id=anggota.kategori_id,
                jenis_kelamin=anggota.jenis_kelamin,
                institusi=anggota.institusi,
            ),
            True,
        )
    if not nama.strip():
        raise SirkulasiGagal(_("Pindai kartu anggota atau isi nama tamu."))
    return (
        Kunjungan.objects.create(
            cabang=cabang,
            nama=nama.strip(),
            institusi=institusi.strip(),
            tujuan=tujuan,
            petugas=oleh,
        ),
        True,
    )


def catat_baca_di_tempat(barcode: str, *, cabang: Cabang, oleh: Pengguna) -> BacaDiTempat:
    """A copy collected from a reading table: counted as used, not as a loan."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission="sirkulasi.add_bacaditempat")
    item = cari_eksemplar(barcode)
    if item.status in (S.DIPINJAM, S.DIHAPUS, S.HILANG):
        raise SirkulasiGagal(
            _("%(b)s tercatat %(s)s; periksa eksemplar ini.")
            % {"b": item.barcode, "s": item.get_status_display().lower()}
        )
    return BacaDiTempat.objects.create(
        eksemplar=item, katalog_id=item.katalog_id, cabang=cabang, petugas=oleh
    )


# --- personal data -----------------------------------------------------------------


def anonimkan_riwayat(pada: date | None = None, *, ukuran_batch: int = 5000) -> dict[str, int]:
    """Cut the member link from loans returned and visits made more than
    SIRKULASI_ANONIM_SETELAH_HARI days ago (UU 27/2022). A loan with a fine still
    unpaid keeps its member. Batches commit one by one, so a large first run can be
    stopped and resumed."""
    hari = settings.SIRKULASI_ANONIM_SETELAH_HARI
    if not hari:
        return {"peminjaman": 0, "kunjungan": 0}
    batas = timezone.make_aware(
        datetime.combine((pada or timezone.localdate()) - timedelta(days=hari), time.min)
    )
    pinjaman = (
        Peminjaman.objects.filter(anggota__isnull=False, dikembalikan__lt=batas)
        .exclude(denda__sisa__gt=0)
        .values_list("pk", flat=True)
    )
    kunjungan = Kunjungan.objects.filter(anggota__isnull=False, waktu__lt=batas).values_list(
        "pk", flat=True
    )
    jumlah = {"peminjaman": 0, "kunjungan": 0}
    for kunci, qs, model, isian in (
        ("peminjaman", pinjaman, Peminjaman, {"anggota": None, "dianonimkan": True}),
        ("kunjungan", kunjungan, Kunjungan, {"anggota": None}),
    ):
        while ids := list(qs[:ukuran_batch]):
            with transaction.atomic():
                jumlah[kunci] += model.objects.filter(pk__in=ids).update(**isian)
    return jumlah


# --- duplicates --------------------------------------------------------------------


def calon_duplikat(anggota: Anggota):
    """Other members who are probably the same person: same identity number, or the
    same name and birth date (never merged without a person deciding)."""
    sama = Q(pk__in=[])
    if anggota.nomor_identitas:
        sama |= Q(nomor_identitas=anggota.nomor_identitas)
    if anggota.tanggal_lahir:
        sama |= Q(tanggal_lahir=anggota.tanggal_lahir, nama_lower=anggota.nama.lower())
    return (
        Anggota.objects.annotate(nama_lower=Lower("nama"))
        .filter(sama)
        .exclude(pk=anggota.pk)
        .select_related("kategori", "cabang")
    )


ISIAN_KOSONG_DIISI = (
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
)


def gabungkan_anggota(utama: Anggota, duplikat: Anggota, *, oleh: Pengguna) -> Anggota:
    """Merge `duplikat` into `utama`: loans, fines, payments, holds, visits, notices,
    e-book loans and old numbers move over; the duplicate's number becomes an old
    number that still scans; blank details are filled from it; it is then removed."""
    if utama.pk == duplikat.pk:
        raise SirkulasiGagal(_("Pilih dua anggota yang berbeda."))
    akses.wajib_boleh(oleh, utama.unit_id, permission=IZIN_ANGGOTA)
    akses.wajib_boleh(oleh, duplikat.unit_id, permission=IZIN_ANGGOTA)
    with transaction.atomic():
        kunci = {
            a.pk: a
            for a in Anggota.objects.select_for_update()
            .filter(pk__in=[utama.pk, duplikat.pk])
            .order_by("pk")
        }
        if len(kunci) != 2:
            raise SirkulasiGagal(_("Salah satu anggota sudah tidak ada (mungkin sudah digabung)."))
        utama, duplikat = kunci[utama.pk], kunci[duplikat.pk]
        # Holds and e-book queues the main record already has for the same title stay single.
        judul_utama = set(utama.reservasi.aktif().values_list("katalog_id", flat=True))
        duplikat.reservasi.aktif().filter(katalog_id__in=judul_utama).update(
            status=Reservasi.Status.BATAL, selesai=timezone.now()
        )
        antre_utama = set(
            AntreanDigital.objects.filter(
                anggota=utama, status__in=["menunggu", "ditawarkan"]
            ).values_list("sumber_id", flat=True)
        )
        AntreanDigital.objects.filter(
            anggota=duplikat, sumber_id__in=antre_utama, status__in=["menunggu", "ditawarkan"]
        ).update(status=AntreanDigital.Status.BATAL)
        for model in (
            Peminjaman,
            Denda,
            Pembayaran,
            Reservasi,
            Kunjungan,
            Pemberitahuan,
            PinjamDigital,
            AntreanDigital,
        ):
            model.objects.filter(anggota=duplikat).update(anggota=utama)
        NomorAnggotaLama.objects.filter(anggota=duplikat).update(anggota=utama)
        # The source that brought the duplicate in now maps to the survivor: its next
        # import finds the member instead of creating the person a third time.
        PetaImpor.objects.filter(tabel="anggota", id_tujuan=duplikat.pk).update(id_tujuan=utama.pk)
        data_duplikat = {nama: getattr(duplikat, nama) for nama in ISIAN_KOSONG_DIISI}
        nomor_duplikat, akun_duplikat = duplikat.nomor, duplikat.akun
        berlaku, skors = duplikat.berlaku_sampai, duplikat.skors_sampai
        duplikat.delete()
        NomorAnggotaLama.objects.create(
            anggota=utama, nomor=nomor_duplikat, sumber=_("digabung ke %(n)s") % {"n": utama.nomor}
        )
        for nama, nilai in data_duplikat.items():
            if nilai and not getattr(utama, nama):
                setattr(utama, nama, nilai)
        utama.berlaku_sampai = max(utama.berlaku_sampai, berlaku)
        if skors and (utama.skors_sampai is None or skors > utama.skors_sampai):
            utama.skors_sampai = skors
        if akun_duplikat is not None:
            if utama.akun_id is None:
                utama.akun = akun_duplikat
            else:
                akun_duplikat.is_active = False
                akun_duplikat.save(update_fields=["is_active"])
        utama.full_clean()
        utama.save()
        catat(
            aksi="anggota.gabung",
            oleh=oleh,
            objek=utama,
            sebelum={"duplikat": nomor_duplikat},
            sesudah={"utama": utama.nomor},
        )
    return utama


def cari_judul(kode: str) -> Katalog:
    """The title a desk names for a hold: by any copy's barcode, or by control number."""
    kode = bersihkan_pindaian(kode)
    item = Eksemplar.objects.select_related("katalog").filter(barcode=kode).first()
    if item is not None:
        return item.katalog
    katalog = Katalog.objects.filter(nomor_kontrol=kode).first()
    if katalog is None:
        raise SirkulasiGagal(
            _("Tidak ada eksemplar atau nomor kontrol %(k)s.") % {"k": kode or "—"}
        )
    return katalog


def utamakan_reservasi(hold: Reservasi, *, alasan: str, oleh: Pengguna) -> Reservasi:
    """Staff move a waiting hold to the front of its title's queue, with the reason
    on record (e.g. a visually impaired member, a teacher's class set)."""
    akses.wajib_boleh(oleh, hold.cabang_ambil.unit_id, permission="sirkulasi.change_reservasi")
    if not alasan.strip():
        raise SirkulasiGagal(_("Tuliskan alasan mendahulukan reservasi ini."))
    with transaction.atomic():
        antrean = list(
            Reservasi.objects.antre().select_for_update().filter(katalog_id=hold.katalog_id)
        )
        hold = next((r for r in antrean if r.pk == hold.pk), None)
        if hold is None:
            raise SirkulasiGagal(_("Reservasi ini tidak sedang menunggu."))
        posisi_lama = antrean.index(hold) + 1
        hold.urutan = min(r.urutan for r in antrean) - 1
        hold.save(update_fields=["urutan"])
        catat(
            aksi="reservasi.utamakan",
            oleh=oleh,
            objek=hold,
            unit=hold.cabang_ambil.unit,
            sebelum={"posisi": posisi_lama},
            sesudah={"posisi": 1},
            alasan=alasan.strip(),
        )
    return hold


def tolak_usulan_gabung(usulan, *, oleh: Pengguna) -> None:
    """Staff compared them: two different people. Both stay; the proposal is closed."""
    akses.wajib_boleh(oleh, usulan.anggota.unit_id, permission=IZIN_ANGGOTA)
    UsulanGabung.objects.filter(pk=usulan.pk).update(
        status=UsulanGabung.Status.DIPISAH, diputuskan_oleh=oleh
    )
    catat(
        aksi="anggota.bukan_duplikat",
        oleh=oleh,
        objek=usulan.anggota,
        sesudah={"kandidat": usulan.kandidat.nomor},
    )
