"""Read-side queries of the desk, the member pages and the transit lists."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from dispusip.models import Cabang
from katalog.models import Eksemplar, Katalog, StatusEksemplar
from sirkulasi import digital
from sirkulasi.models import (
    Anggota,
    AntreanDigital,
    BacaDiTempat,
    Denda,
    Kunjungan,
    Peminjaman,
    PinjamDigital,
    Reservasi,
    Transit,
)


def ringkasan_anggota(anggota: Anggota) -> dict:
    """What the desk shows once a card is scanned: loans, holds, fines."""
    pinjaman = list(
        Peminjaman.objects.berjalan()
        .filter(anggota=anggota)
        .select_related("eksemplar", "katalog", "cabang")
        .order_by("jatuh_tempo", "id")
    )
    reservasi = list(
        Reservasi.objects.aktif()
        .filter(anggota=anggota)
        .select_related("katalog", "cabang_ambil")
        .order_by("dibuat")
    )
    for r in reservasi:
        r.posisi = posisi_antrean(r)
    denda = list(Denda.objects.filter(anggota=anggota).belum_lunas().order_by("dibuat"))
    return {
        "pinjaman": pinjaman,
        "reservasi": reservasi,
        "denda": denda,
        "tunggakan": sum((d.sisa for d in denda), 0),
    }


def posisi_antrean(reservasi: Reservasi) -> int | None:
    """1 for the next in line; None once a copy is set aside for it."""
    if reservasi.status != Reservasi.Status.MENUNGGU:
        return None
    antre = Reservasi.objects.antre().filter(katalog_id=reservasi.katalog_id)
    ids = list(antre.values_list("id", flat=True))
    return ids.index(reservasi.pk) + 1 if reservasi.pk in ids else None


def riwayat(anggota: Anggota, batas: int = 50):
    return (
        Peminjaman.objects.filter(anggota=anggota, dikembalikan__isnull=False)
        .select_related("katalog", "eksemplar", "cabang", "cabang_kembali")
        .order_by("-dipinjam")[:batas]
    )


def transit_cabang(cabang: Cabang) -> dict:
    base = Transit.objects.berjalan().select_related(
        "eksemplar__katalog", "dari", "ke", "reservasi"
    )
    return {
        "masuk": list(base.filter(ke=cabang).order_by("dikirim")),
        "keluar": list(base.filter(dari=cabang).order_by("dikirim")),
    }


def rak_reservasi(cabang: Cabang):
    """Copies waiting on this branch's hold shelf, oldest deadline first."""
    return (
        Reservasi.objects.filter(cabang_ambil=cabang, status=Reservasi.Status.SIAP)
        .select_related("anggota", "katalog", "eksemplar")
        .order_by("batas_ambil", "id")
    )


def perlu_diambil(cabang: Cabang, batas: int = 200) -> list[Eksemplar]:
    """Holds to pull: copies on this branch's shelf of titles someone is waiting for.

    Nearest branch first: a title is listed here only if no branch nearer to a
    waiting hold's pickup branch has a copy on the shelf (the pickup branch
    itself, then a branch of the same unit, then any other), so exactly one
    branch pulls a copy, not every branch that has one."""
    menunggu = Reservasi.objects.antre().filter(katalog_id=OuterRef("katalog_id"))
    calon = list(
        Eksemplar.objects.filter(
            cabang=cabang, status=StatusEksemplar.TERSEDIA, kategori__dapat_dipinjam=True
        )
        .filter(Exists(menunggu))
        .select_related("katalog", "lokasi")
        .order_by("nomor_panggil", "katalog__nomor_panggil", "barcode")[: batas * 2]
    )
    if not calon:
        return []
    judul = {e.katalog_id for e in calon}
    ambil = {}
    for katalog_id, cabang_id, unit_id in (
        Reservasi.objects.antre()
        .filter(katalog_id__in=judul)
        .values_list("katalog_id", "cabang_ambil_id", "cabang_ambil__unit_id")
    ):
        ambil.setdefault(katalog_id, []).append((cabang_id, unit_id))
    di_rak = {}
    for katalog_id, cabang_id, unit_id in (
        Eksemplar.objects.filter(
            katalog_id__in=judul, status=StatusEksemplar.TERSEDIA, kategori__dapat_dipinjam=True
        )
        .values_list("katalog_id", "cabang_id", "unit_id")
        .distinct()
    ):
        di_rak.setdefault(katalog_id, set()).add((cabang_id, unit_id))

    def jarak(dari: tuple[int, int], ke: tuple[int, int]) -> int:
        return 0 if dari[0] == ke[0] else (1 if dari[1] == ke[1] else 2)

    sini = (cabang.pk, cabang.unit_id)
    hasil, sudah = [], set()
    for e in calon:
        # The branch chosen for a title is the nearest to its first waiting hold.
        pertama = ambil[e.katalog_id][0]
        # Ties go to the lowest branch id, so exactly one branch lists the title.
        terpilih = min(di_rak[e.katalog_id], key=lambda c: (jarak(c, pertama), c[0]))
        if terpilih == sini and e.katalog_id not in sudah:
            sudah.add(e.katalog_id)
            e.untuk_sini = pertama[0] == cabang.pk
            hasil.append(e)
    hasil.sort(key=lambda e: not e.untuk_sini)
    return hasil[:batas]


def rekomendasi(anggota: Anggota, batas: int = 6) -> dict[str, list]:
    """Titles that follow the member's profile, never one they have borrowed or hold:
    from the subjects they borrow most, popular with their category at their
    branch (last 90 days), and new arrivals at their branch."""
    pernah = set(Peminjaman.objects.filter(anggota=anggota).values_list("katalog_id", flat=True))
    pernah |= set(anggota.reservasi.aktif().values_list("katalog_id", flat=True))
    subjek = Counter(
        s for daftar in Katalog.objects.filter(pk__in=pernah).values_list("subjek", flat=True)
        for s in daftar
    )  # fmt: skip
    terbuka = Katalog.objects.opac().exclude(pk__in=pernah).exclude(cabang_pemilik=[])
    dari_subjek = (
        list(
            terbuka.filter(subjek__overlap=[s for s, _n in subjek.most_common(3)]).order_by(
                "-tahun", "-id"
            )[:batas]
        )
        if subjek
        else []
    )
    populer_ids = list(
        Peminjaman.objects.filter(
            kategori_anggota_id=anggota.kategori_id,
            cabang_id=anggota.cabang_id,
            dipinjam__gte=timezone.now() - timedelta(days=90),
        )
        .exclude(katalog_id__in=pernah)
        .values("katalog_id")
        .annotate(n=Count("id"))
        .order_by("-n", "katalog_id")
        .values_list("katalog_id", flat=True)[:batas]
    )
    populer = terbuka.in_bulk(populer_ids)
    return {
        "subjek": dari_subjek,
        "populer": [populer[i] for i in populer_ids if i in populer],
        "baru": list(
            terbuka.filter(cabang_pemilik__contains=[anggota.cabang_id]).order_by("-dibuat")[:batas]
        ),
    }


def kunjungan_harian(cabang: Cabang, hari: int = 7) -> list[dict]:
    """Visits per day at a branch over the last `hari` days, members and guests apart."""
    mulai = timezone.localdate() - timedelta(days=hari - 1)
    baris = (
        Kunjungan.objects.filter(cabang=cabang, waktu__date__gte=mulai)
        .annotate(tanggal=TruncDate("waktu"))
        .values("tanggal")
        .annotate(anggota=Count("id", filter=Q(nama="")), tamu=Count("id", filter=~Q(nama="")))
        .order_by("-tanggal")
    )
    return [{**b, "jumlah": b["anggota"] + b["tamu"]} for b in baris]


def baca_harian(cabang: Cabang, hari: int = 7) -> list[dict]:
    mulai = timezone.localdate() - timedelta(days=hari - 1)
    return list(
        BacaDiTempat.objects.filter(cabang=cabang, waktu__date__gte=mulai)
        .annotate(tanggal=TruncDate("waktu"))
        .values("tanggal")
        .annotate(jumlah=Count("id"))
        .order_by("-tanggal")
    )


def digital_anggota(anggota: Anggota) -> dict:
    """A member's running e-book loans and their places in e-book queues."""
    antrean = list(
        AntreanDigital.objects.filter(anggota=anggota, status__in=["menunggu", "ditawarkan"])
        .select_related("sumber__katalog")
        .order_by("dibuat")
    )
    for a in antrean:
        a.posisi = digital.posisi(a)
    return {
        "pinjam_digital": list(
            PinjamDigital.objects.aktif()
            .filter(anggota=anggota)
            .select_related("sumber__katalog")
            .order_by("berakhir")
        ),
        "antrean_digital": antrean,
    }
