"""Rules of circulation, tested on the services directly (real PostgreSQL)."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from dispusip.models import AuditLog
from katalog.models import Eksemplar, Katalog, StatusEksemplar
from sirkulasi import kalender, services
from sirkulasi.aturan import aturan_untuk
from sirkulasi.models import (
    AturanPeminjaman,
    Denda,
    HariLibur,
    HariTutupMingguan,
    Peminjaman,
    Reservasi,
    Transit,
)
from sirkulasi.services import SirkulasiGagal

pytestmark = pytest.mark.django_db


def _mundurkan(pinjaman, hari):
    """Make a loan as if it had been due `hari` days ago."""
    Peminjaman.objects.filter(pk=pinjaman.pk).update(
        jatuh_tempo=timezone.localdate() - timedelta(days=hari)
    )


# --- members -------------------------------------------------------------------


def test_pendaftaran_memberi_nomor_dan_masa_berlaku(buat_anggota, kategori_anggota):
    a = buat_anggota(kategori="guru")
    b = buat_anggota(nama="Budi")
    assert a.nomor != b.nomor and len(a.nomor) == 12
    assert a.berlaku_sampai.year == timezone.localdate().year + 2
    assert AuditLog.objects.filter(action="anggota.daftar", object_id=str(a.pk)).exists()


def test_nik_harus_16_angka_bila_ktp(buat_anggota):
    with pytest.raises(SirkulasiGagal, match="16 angka"):
        buat_anggota(jenis_identitas="ktp", nomor_identitas="12345")
    a = buat_anggota(jenis_identitas="ktp", nomor_identitas="3171 0123 4567 8901")
    assert a.nomor_identitas == "3171012345678901"
    pelajar = buat_anggota(
        nama="Adi", jenis_identitas="kartu_pelajar", nomor_identitas="0A46275636"
    )
    assert pelajar.nomor_identitas == "0A46275636"


def test_nomor_identitas_unik(buat_anggota):
    from django.core.exceptions import ValidationError

    buat_anggota(jenis_identitas="ktp", nomor_identitas="3171012345678901")
    with pytest.raises(ValidationError):
        buat_anggota(nama="Lain", jenis_identitas="ktp", nomor_identitas="3171012345678901")


def test_kartu_lama_tetap_terbaca(buat_anggota):
    a = buat_anggota()
    a.nomor_lama.create(nomor="0100001L2024", sumber="Inlislite Jakarta Pusat")
    assert services.cari_anggota(" *0100001L2024* ") == a
    with pytest.raises(SirkulasiGagal, match="tidak dikenal"):
        services.cari_anggota("999")


# --- rules ---------------------------------------------------------------------


def test_aturan_paling_khusus_menang(kategori_anggota, kategori, data_induk):
    from dispusip.models import Unit

    jakpus = Unit.objects.get(kode="jakpus")
    mhs = kategori_anggota["mahasiswa"]
    anak = kategori["anak"]
    bawaan = AturanPeminjaman.objects.get(unit=None, kategori_anggota=None)
    per_kategori = AturanPeminjaman.objects.create(kategori_anggota=mhs, lama_pinjam=14)
    per_koleksi = AturanPeminjaman.objects.create(kategori_koleksi=anak, lama_pinjam=5)
    per_unit = AturanPeminjaman.objects.create(unit=jakpus, lama_pinjam=10)
    per_unit_av = AturanPeminjaman.objects.create(
        unit=jakpus, jenis_bahan="audio_visual", lama_pinjam=3
    )

    def untuk(unit=None, ka=None, kk=None, jenis="monograf"):
        return aturan_untuk(
            unit_id=unit and unit.pk,
            kategori_anggota_id=ka and ka.pk,
            kategori_koleksi_id=kk and kk.pk,
            jenis_bahan=jenis,
        )

    assert untuk() == bawaan
    assert untuk(ka=mhs) == per_kategori
    # Member category outranks collection category.
    assert untuk(ka=mhs, kk=anak) == per_kategori
    assert untuk(kk=anak) == per_koleksi
    # The unit outranks everything province-wide.
    assert untuk(unit=jakpus, ka=mhs, kk=anak) == per_unit
    assert untuk(unit=jakpus, ka=mhs, jenis="audio_visual") == per_unit_av


def test_tanpa_aturan_bawaan_pesan_jelas(kategori_anggota):
    from sirkulasi.aturan import AturanTidakAda

    AturanPeminjaman.objects.all().delete()
    with pytest.raises(AturanTidakAda, match="aturan peminjaman bawaan"):
        aturan_untuk(unit_id=None, kategori_anggota_id=None, kategori_koleksi_id=None)


# --- calendar ------------------------------------------------------------------


def test_kalender_libur_provinsi_unit_cabang_dan_mingguan(cabang):
    tanah_abang, semper = cabang["jakpus-tanah-abang"], cabang["jakut-semper"]
    senin = date(2026, 12, 7)
    HariTutupMingguan.objects.create(cabang=tanah_abang, hari=0)
    HariLibur.objects.create(
        mulai=date(2026, 12, 25), selesai=date(2026, 12, 26), keterangan="Natal"
    )
    HariLibur.objects.create(
        mulai=date(2026, 12, 8), selesai=date(2026, 12, 9), keterangan="Banjir",
        jenis="darurat", unit=tanah_abang.unit,
    )  # fmt: skip
    HariLibur.objects.create(
        mulai=date(2026, 12, 10), selesai=date(2026, 12, 10), keterangan="Renovasi", cabang=semper
    )
    # Monday closed weekly, Tue-Wed flooded (unit-wide): Thursday is the next open day.
    assert kalender.hari_buka_berikutnya(tanah_abang, senin) == date(2026, 12, 10)
    # Semper is open on Monday, closed on the 10th only.
    assert kalender.hari_buka_berikutnya(semper, senin) == senin
    assert kalender.hari_buka_berikutnya(semper, date(2026, 12, 10)) == date(2026, 12, 11)
    # Both closed at Christmas.
    assert kalender.hari_buka_berikutnya(semper, date(2026, 12, 25)) == date(2026, 12, 27)
    # Open days after the 4th up to the 11th at Tanah Abang: 5 (Sat), 6 (Sun), 10, 11.
    assert kalender.jumlah_hari_buka(tanah_abang, date(2026, 12, 4), date(2026, 12, 11)) == 4
    assert kalender.tambah_hari_buka(tanah_abang, date(2026, 12, 6), 2) == date(2026, 12, 11)


def test_kalender_tanpa_hari_buka_ditolak(cabang):
    c = cabang["jakpus-tanah-abang"]
    for hari in range(7):
        HariTutupMingguan.objects.create(cabang=c, hari=hari)
    with pytest.raises(kalender.KalenderGagal, match="tidak punya hari buka"):
        kalender.hari_buka_berikutnya(c, date(2026, 12, 7))


def test_jatuh_tempo_tidak_jatuh_pada_hari_libur(buat_anggota, buat_eksemplar, meja):
    hari_ini = timezone.localdate()
    tempo_biasa = hari_ini + timedelta(days=7)
    HariLibur.objects.create(
        mulai=tempo_biasa, selesai=tempo_biasa + timedelta(days=1), keterangan="Cuti bersama",
        jenis="cuti_bersama",
    )  # fmt: skip
    (e,) = buat_eksemplar()
    p = services.pinjamkan(buat_anggota(), e.barcode, **meja)
    assert p.jatuh_tempo == tempo_biasa + timedelta(days=2)
    e.refresh_from_db()
    assert e.status == StatusEksemplar.DIPINJAM and e.jatuh_tempo == p.jatuh_tempo


# --- lending -------------------------------------------------------------------


def test_pinjam_mencatat_dan_mengubah_status(buat_anggota, buat_eksemplar, meja):
    a = buat_anggota(tanggal_lahir=date(2010, 1, 1))
    (e,) = buat_eksemplar()
    p = services.pinjamkan(a, f"*{e.barcode}*", **meja)
    assert p.anggota == a and p.cabang == meja["cabang"] and p.kelompok_usia == "13-17"
    k = Katalog.objects.get(pk=e.katalog_id)
    assert k.cabang_tersedia == []
    log = AuditLog.objects.get(action="peminjaman.pinjam")
    assert log.after["barcode"] == e.barcode


def test_penolakan_menyebut_alasan(buat_anggota, buat_eksemplar, meja, kategori):
    a = buat_anggota()
    (ref,) = buat_eksemplar("Kamus besar", kat="referensi")
    with pytest.raises(SirkulasiGagal, match="hanya dibaca di tempat") as info:
        services.pinjamkan(a, ref.barcode, **meja)
    assert not info.value.dapat_ditimpa  # Sari may not override

    items = buat_eksemplar(jumlah=4)
    for e in items[:3]:
        services.pinjamkan(a, e.barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="Batas pinjam tercapai: 3 dari 3"):
        services.pinjamkan(a, items[3].barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="sudah dipinjam anggota ini"):
        services.pinjamkan(a, items[0].barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="dipinjam orang lain"):
        services.pinjamkan(buat_anggota(nama="Lain"), items[0].barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="tidak dikenal"):
        services.pinjamkan(a, "TIDAKADA", **meja)


def test_anggota_diblokir_kedaluwarsa_atau_belum_verifikasi(buat_anggota, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    a = buat_anggota()
    services.tangguhkan_anggota(a, alasan="Merusak buku", oleh=meja["oleh"])
    with pytest.raises(SirkulasiGagal, match="diblokir: Merusak buku"):
        services.pinjamkan(a, e.barcode, **meja)
    services.pulihkan_anggota(a, oleh=meja["oleh"])

    a.berlaku_sampai = timezone.localdate() - timedelta(days=1)
    a.save()
    with pytest.raises(SirkulasiGagal, match="Keanggotaan berakhir"):
        services.pinjamkan(a, e.barcode, **meja)
    services.perpanjang_keanggotaan(a, oleh=meja["oleh"])
    assert services.pinjamkan(a, e.barcode, **meja)

    pra = services.daftarkan_anggota(
        {"nama": "Daring", "kategori": a.kategori},
        cabang=meja["cabang"],
        oleh=None,
        pra_daftar=True,
    )
    (e2,) = buat_eksemplar("Lain")
    with pytest.raises(SirkulasiGagal, match="belum diverifikasi") as info:
        services.pinjamkan(pra, e2.barcode, **meja, alasan_timpa="coba")
    assert not info.value.dapat_ditimpa


def test_pengecualian_oleh_peran_berwenang_tercatat(
    buat_anggota, buat_eksemplar, admin_dispusip, cabang
):
    (ref,) = buat_eksemplar("Kamus besar", kat="referensi")
    a = buat_anggota()
    admin_meja = {"oleh": admin_dispusip, "cabang": cabang["cikini"]}
    with pytest.raises(SirkulasiGagal) as info:
        services.pinjamkan(a, ref.barcode, **admin_meja)
    assert info.value.dapat_ditimpa
    p = services.pinjamkan(a, ref.barcode, **admin_meja, alasan_timpa="Untuk penelitian skripsi")
    assert p.alasan_timpa == "Untuk penelitian skripsi"
    log = AuditLog.objects.get(action="peminjaman.timpa")
    assert log.reason == "Untuk penelitian skripsi"
    assert "hanya dibaca di tempat" in log.after["aturan_dikecualikan"][0]


def test_staf_tanpa_wewenang_tidak_dapat_menimpa(buat_anggota, buat_eksemplar, meja):
    (ref,) = buat_eksemplar("Kamus besar", kat="referensi")
    with pytest.raises(SirkulasiGagal, match="tidak berwenang"):
        services.pinjamkan(buat_anggota(), ref.barcode, **meja, alasan_timpa="tolong")
    assert not Peminjaman.objects.exists()


def test_batas_per_jenis_bahan(buat_anggota, buat_eksemplar, meja):
    AturanPeminjaman.objects.filter(unit=None, kategori_anggota=None).update(
        maks_pinjam=10, maks_per_jenis=1
    )
    a = buat_anggota()
    (av1,) = buat_eksemplar("Film dokumenter Jakarta", jenis="audio_visual")
    (av2,) = buat_eksemplar("Lagu daerah Betawi", jenis="audio_visual")
    (buku,) = buat_eksemplar("Si Doel anak Betawi")
    services.pinjamkan(a, av1.barcode, **meja)
    services.pinjamkan(a, buku.barcode, **meja)
    with pytest.raises(SirkulasiGagal, match="Batas pinjam audio-visual tercapai"):
        services.pinjamkan(a, av2.barcode, **meja)


# --- returning, fines, transit -------------------------------------------------


def test_kembali_tepat_waktu_di_cabang_asal(buat_anggota, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    p = services.pinjamkan(buat_anggota(), e.barcode, **meja)
    hasil = services.kembalikan(e.barcode, **meja)
    assert hasil.denda is None and hasil.transit is None
    p.refresh_from_db()
    e.refresh_from_db()
    assert p.status == Peminjaman.Status.KEMBALI and p.cabang_kembali == meja["cabang"]
    assert e.status == StatusEksemplar.TERSEDIA and e.jatuh_tempo is None
    with pytest.raises(SirkulasiGagal, match="tidak sedang dipinjam"):
        services.kembalikan(e.barcode, **meja)


def test_denda_hari_buka_dengan_toleransi_dan_batas(buat_anggota, buat_eksemplar, meja):
    AturanPeminjaman.objects.filter(unit=None, kategori_anggota=None).update(
        denda_per_hari=1000, denda_maks=5000, hari_toleransi=2, maks_pinjam=10
    )
    a = buat_anggota()
    items = buat_eksemplar(jumlah=3)
    dalam_toleransi, lewat, jauh = (services.pinjamkan(a, e.barcode, **meja) for e in items)
    _mundurkan(dalam_toleransi, 2)
    _mundurkan(lewat, 4)
    _mundurkan(jauh, 30)
    # One of the four days late was a closure: three open days, past the grace.
    kemarin = timezone.localdate() - timedelta(days=1)
    HariLibur.objects.create(mulai=kemarin, selesai=kemarin, keterangan="Libur nasional")

    assert services.kembalikan(items[0].barcode, **meja).denda is None
    hasil = services.kembalikan(items[1].barcode, **meja)
    assert hasil.hari_terlambat == 3 and hasil.denda.jumlah == Decimal(3000)
    assert services.kembalikan(items[2].barcode, **meja).denda.jumlah == Decimal(5000)
    assert services.total_tunggakan(a) == Decimal(8000)


def test_skors_sebagai_ganti_denda(buat_anggota, buat_eksemplar, meja):
    AturanPeminjaman.objects.filter(unit=None, kategori_anggota=None).update(
        denda_per_hari=0, skors_per_hari=2
    )
    a = buat_anggota()
    (e, e2) = buat_eksemplar(jumlah=2)
    _mundurkan(services.pinjamkan(a, e.barcode, **meja), 3)
    hasil = services.kembalikan(e.barcode, **meja)
    assert hasil.denda is None
    a.refresh_from_db()
    assert a.skors_sampai == timezone.localdate() + timedelta(days=6)
    with pytest.raises(SirkulasiGagal, match="skors"):
        services.pinjamkan(a, e2.barcode, **meja)


def test_kembali_di_cabang_lain_menjadi_transit(
    buat_anggota, buat_eksemplar, meja, orang_luar, cabang
):
    (e,) = buat_eksemplar()
    services.pinjamkan(buat_anggota(), e.barcode, **meja)
    barat = cabang["jakbar-tanjung-duren"]
    hasil = services.kembalikan(e.barcode, cabang=barat, oleh=orang_luar)
    assert hasil.transit.ke == meja["cabang"] and hasil.transit.dari == barat
    assert "Kirim ke Perpustakaan Jakarta Pusat" in hasil.tujuan
    e.refresh_from_db()
    assert e.status == StatusEksemplar.DALAM_PERJALANAN
    with pytest.raises(SirkulasiGagal, match="dikirim ke Perpustakaan Jakarta Pusat"):
        services.terima_transit(e.barcode, cabang=barat, oleh=orang_luar)
    # Scanning it at home (as a return) receives the transit.
    services.kembalikan(e.barcode, **meja)
    e.refresh_from_db()
    assert e.status == StatusEksemplar.TERSEDIA
    assert not Transit.objects.berjalan().exists()


# --- holds ---------------------------------------------------------------------


def test_kembali_di_cabang_ketiga_mengisi_reservasi_di_cabang_kedua(
    buat_anggota, buat_eksemplar, meja, orang_luar, admin_dispusip, cabang
):
    """Lent at Tanah Abang, returned at Tanjung Duren, reserved for pickup at Cikini."""
    (e,) = buat_eksemplar()
    k = Katalog.objects.get(pk=e.katalog_id)
    peminjam, penunggu, berikutnya = (buat_anggota(nama=n) for n in ("Ani", "Budi", "Cici"))
    services.pinjamkan(peminjam, e.barcode, **meja)
    cikini = cabang["cikini"]
    pertama = services.reservasi(penunggu, k, cabang_ambil=cikini)
    kedua = services.reservasi(berikutnya, k, cabang_ambil=cikini)
    with pytest.raises(SirkulasiGagal, match="sudah mereservasi"):
        services.reservasi(penunggu, k, cabang_ambil=cikini)
    with pytest.raises(SirkulasiGagal, match="menunggu judul ini"):
        services.perpanjang(
            Peminjaman.objects.get(eksemplar=e), oleh=meja["oleh"], cabang=meja["cabang"]
        )

    hasil = services.kembalikan(e.barcode, cabang=cabang["jakbar-tanjung-duren"], oleh=orang_luar)
    assert hasil.reservasi == pertama and hasil.transit.ke == cikini
    pertama.refresh_from_db()
    assert pertama.status == Reservasi.Status.DALAM_PERJALANAN and pertama.eksemplar == e

    hasil = services.terima_transit(e.barcode, cabang=cikini, oleh=admin_dispusip)
    pertama.refresh_from_db()
    e.refresh_from_db()
    assert pertama.status == Reservasi.Status.SIAP and pertama.batas_ambil > timezone.localdate()
    assert e.status == StatusEksemplar.DIPESAN
    assert "Rak reservasi" in hasil.tujuan

    # Someone else cannot take it without an override; the member who waited can.
    cikini_meja = {"oleh": admin_dispusip, "cabang": cikini}
    with pytest.raises(SirkulasiGagal, match="reservasi anggota lain"):
        services.pinjamkan(berikutnya, e.barcode, **cikini_meja)
    services.pinjamkan(penunggu, e.barcode, **cikini_meja)
    pertama.refresh_from_db()
    kedua.refresh_from_db()
    assert pertama.status == Reservasi.Status.SELESAI
    assert kedua.status == Reservasi.Status.MENUNGGU


def test_batal_reservasi_siap_mengembalikan_eksemplar(buat_anggota, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    k = Katalog.objects.get(pk=e.katalog_id)
    services.pinjamkan(buat_anggota(nama="Ani"), e.barcode, **meja)
    hold = services.reservasi(buat_anggota(nama="Budi"), k, cabang_ambil=meja["cabang"])
    services.kembalikan(e.barcode, **meja)
    hold.refresh_from_db()
    assert hold.status == Reservasi.Status.SIAP
    services.batalkan_reservasi(hold, oleh=meja["oleh"], alasan="Tidak jadi")
    e.refresh_from_db()
    assert e.status == StatusEksemplar.TERSEDIA


# --- renewing ------------------------------------------------------------------


def test_perpanjang_sampai_batas(buat_anggota, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    p = services.pinjamkan(buat_anggota(), e.barcode, **meja)
    p = services.perpanjang(p, oleh=None)
    assert p.perpanjangan == 1
    with pytest.raises(SirkulasiGagal, match="sudah diperpanjang 1 kali, batasnya 1"):
        services.perpanjang(p, oleh=None)


def test_perpanjang_terlambat_hanya_di_meja_dan_didenda(buat_anggota, buat_eksemplar, meja):
    a = buat_anggota()
    (e,) = buat_eksemplar()
    p = services.pinjamkan(a, e.barcode, **meja)
    _mundurkan(p, 2)
    with pytest.raises(SirkulasiGagal, match="di meja layanan"):
        services.perpanjang(p, oleh=None)
    p = services.perpanjang(p, **meja)
    assert p.jatuh_tempo > timezone.localdate()
    assert Denda.objects.get(anggota=a).jumlah == Decimal(1000)
    e.refresh_from_db()
    assert e.jatuh_tempo == p.jatuh_tempo


# --- fines ---------------------------------------------------------------------


def test_bayar_denda_kuitansi_bernomor_dan_tidak_lebih(buat_anggota, meja):
    a = buat_anggota()
    for jumlah in (3000, 2000):
        Denda.objects.create(anggota=a, jenis="lainnya", jumlah=jumlah, cabang=meja["cabang"])
    with pytest.raises(SirkulasiGagal, match=r"melebihi tunggakan Rp5\.000"):
        services.bayar_denda(a, Decimal(6000), **meja)
    k1 = services.bayar_denda(a, Decimal(4000), **meja)
    assert k1.nomor_kuitansi.startswith("KW/")
    assert services.total_tunggakan(a) == Decimal(1000)
    assert Denda.objects.get(sisa__gt=0).jumlah == Decimal(2000)  # oldest paid first


def test_pembebasan_butuh_wewenang(buat_anggota, meja, admin_dispusip, cabang):
    from django.core.exceptions import PermissionDenied

    a = buat_anggota()
    d = Denda.objects.create(anggota=a, jenis="lainnya", jumlah=1000, cabang=meja["cabang"])
    with pytest.raises(PermissionDenied):
        services.bebaskan_denda(d, alasan="Bencana", **meja)
    with pytest.raises(SirkulasiGagal, match="alasan"):
        services.bebaskan_denda(d, alasan=" ", oleh=admin_dispusip, cabang=cabang["cikini"])
    services.bebaskan_denda(d, alasan="Korban banjir", oleh=admin_dispusip, cabang=cabang["cikini"])
    assert services.total_tunggakan(a) == 0
    assert AuditLog.objects.get(action="denda.bebaskan").reason == "Korban banjir"


# --- concurrency ---------------------------------------------------------------


def _bersamaan(n, fungsi):
    mulai = threading.Barrier(n)
    hasil, galat = [], []

    def jalan(i):
        try:
            mulai.wait()
            hasil.append(fungsi(i))
        except Exception as exc:
            galat.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=jalan, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return hasil, galat


@pytest.mark.django_db(transaction=True)
def test_dua_meja_meminjamkan_eksemplar_sama_hanya_satu_pinjaman(
    buat_anggota, buat_eksemplar, meja
):
    (e,) = buat_eksemplar()
    anggota = [buat_anggota(nama=f"Anggota {i}") for i in range(4)]
    hasil, galat = _bersamaan(4, lambda i: services.pinjamkan(anggota[i], e.barcode, **meja))
    assert len(hasil) == 1
    assert len(galat) == 3 and all(isinstance(g, SirkulasiGagal) for g in galat)
    assert Peminjaman.objects.filter(eksemplar=e).count() == 1


@pytest.mark.django_db(transaction=True)
def test_dua_meja_tidak_melewati_batas_pinjam_satu_anggota(buat_anggota, buat_eksemplar, meja):
    AturanPeminjaman.objects.filter(unit=None, kategori_anggota=None).update(maks_pinjam=1)
    a = buat_anggota()
    items = buat_eksemplar(jumlah=3)
    hasil, galat = _bersamaan(3, lambda i: services.pinjamkan(a, items[i].barcode, **meja))
    assert len(hasil) == 1 and len(galat) == 2
    assert Peminjaman.objects.filter(anggota=a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_kuitansi_bersamaan_tidak_bernomor_ganda(buat_anggota, meja):
    a = buat_anggota()
    for _ in range(4):
        Denda.objects.create(anggota=a, jenis="lainnya", jumlah=1000, cabang=meja["cabang"])
    hasil, galat = _bersamaan(4, lambda i: services.bayar_denda(a, Decimal(1000), **meja))
    assert not galat
    assert len({k.nomor_kuitansi for k in hasil}) == 4
    assert services.total_tunggakan(a) == 0


def test_daftar_perlu_diambil_dan_tarik_untuk_reservasi(buat_anggota, buat_eksemplar, meja, cabang):
    from sirkulasi import selectors

    (e,) = buat_eksemplar()
    k = Katalog.objects.get(pk=e.katalog_id)
    (lain,) = buat_eksemplar("Tidak ada yang menunggu")
    hold = services.reservasi(buat_anggota(), k, cabang_ambil=cabang["cikini"])
    assert list(selectors.perlu_diambil(meja["cabang"])) == [e]
    with pytest.raises(SirkulasiGagal, match="Tidak ada reservasi"):
        services.tarik_untuk_reservasi(lain.barcode, **meja)
    hasil = services.tarik_untuk_reservasi(e.barcode, **meja)
    assert hasil.transit.ke == cabang["cikini"]
    hold.refresh_from_db()
    assert hold.status == Reservasi.Status.DALAM_PERJALANAN
    assert list(selectors.perlu_diambil(meja["cabang"])) == []


def test_penutupan_mendadak_menggeser_jatuh_tempo_dan_batas_ambil(
    buat_anggota, buat_eksemplar, meja, cabang, admin_dispusip
):
    a = buat_anggota()
    (e, lain) = buat_eksemplar(jumlah=2)
    p = services.pinjamkan(a, e.barcode, **meja)
    (di_barat,) = buat_eksemplar("Di cabang lain", cabang_kode="jakbar-tanjung-duren")
    p_barat = services.pinjamkan(
        a, di_barat.barcode, cabang=cabang["jakbar-tanjung-duren"], oleh=admin_dispusip
    )
    k = Katalog.objects.get(pk=e.katalog_id)
    services.pinjamkan(buat_anggota(nama="Budi"), lain.barcode, **meja)
    hold = services.reservasi(buat_anggota(nama="Cici"), k, cabang_ambil=meja["cabang"])
    services.kembalikan(lain.barcode, **meja)
    hold.refresh_from_db()
    assert hold.status == Reservasi.Status.SIAP
    banjir = HariLibur.objects.create(
        mulai=timezone.localdate(), selesai=p.jatuh_tempo + timedelta(days=2),
        keterangan="Banjir", jenis="darurat", unit=meja["cabang"].unit,
    )  # fmt: skip
    jumlah = services.geser_karena_penutupan(banjir, oleh=admin_dispusip)
    assert jumlah == {"pinjaman": 1, "reservasi": 1}
    p.refresh_from_db()
    e.refresh_from_db()
    hold.refresh_from_db()
    assert p.jatuh_tempo == banjir.selesai + timedelta(days=1) == e.jatuh_tempo
    assert hold.batas_ambil == banjir.selesai + timedelta(days=1)
    p_barat.refresh_from_db()
    assert p_barat.jatuh_tempo < banjir.selesai  # another unit: untouched
    assert AuditLog.objects.filter(action="kalender.geser").exists()


def test_reservasi_kedaluwarsa_melayani_antrean_berikutnya(buat_anggota, buat_eksemplar, meja):
    (e,) = buat_eksemplar()
    k = Katalog.objects.get(pk=e.katalog_id)
    services.pinjamkan(buat_anggota(nama="Ani"), e.barcode, **meja)
    pertama = services.reservasi(buat_anggota(nama="Budi"), k, cabang_ambil=meja["cabang"])
    kedua = services.reservasi(buat_anggota(nama="Cici"), k, cabang_ambil=meja["cabang"])
    services.kembalikan(e.barcode, **meja)
    pertama.refresh_from_db()
    assert services.kedaluwarsakan_reservasi(pada=pertama.batas_ambil) == 0
    assert services.kedaluwarsakan_reservasi(pada=pertama.batas_ambil + timedelta(days=1)) == 1
    pertama.refresh_from_db()
    kedua.refresh_from_db()
    assert pertama.status == Reservasi.Status.KEDALUWARSA
    assert kedua.status == Reservasi.Status.SIAP and kedua.eksemplar == e
    e.refresh_from_db()
    assert e.status == StatusEksemplar.DIPESAN


# --- lost, claimed returned, damaged ---------------------------------------------


def test_hilang_menagih_harga_dan_denda_terlambat(buat_anggota, buat_eksemplar, meja):
    a = buat_anggota()
    (e, tanpa_harga) = buat_eksemplar(jumlah=2)
    Eksemplar.objects.filter(pk=e.pk).update(harga=Decimal(85000))
    p = services.pinjamkan(a, e.barcode, **meja)
    p2 = services.pinjamkan(a, tanpa_harga.barcode, **meja)
    _mundurkan(p, 2)
    denda = services.hilangkan(p, **meja)
    assert denda.jenis == Denda.Jenis.HILANG and denda.jumlah == Decimal(85000)
    assert services.total_tunggakan(a) == Decimal(85000 + 1000)
    e.refresh_from_db()
    p.refresh_from_db()
    assert e.status == StatusEksemplar.HILANG and p.status == Peminjaman.Status.HILANG
    assert services.hilangkan(p2, **meja).jumlah == Decimal(100000)  # the configured default
    with pytest.raises(SirkulasiGagal, match="sudah selesai"):
        services.hilangkan(p2, **meja)


def test_klaim_sudah_kembali_tanpa_denda(buat_anggota, buat_eksemplar, meja):
    a = buat_anggota()
    (e,) = buat_eksemplar()
    p = services.pinjamkan(a, e.barcode, **meja)
    _mundurkan(p, 5)
    with pytest.raises(SirkulasiGagal, match="keterangan"):
        services.klaim_sudah_kembali(p, **meja, alasan=" ")
    services.klaim_sudah_kembali(p, **meja, alasan="Dikembalikan lewat kotak buku")
    assert services.total_tunggakan(a) == 0
    e.refresh_from_db()
    assert e.status == StatusEksemplar.HILANG
    assert AuditLog.objects.get(action="peminjaman.klaim_kembali").reason.startswith("Dikembalikan")


def test_kerusakan_ditagih_dan_eksemplar_ke_perbaikan_bukan_ke_reservasi(
    buat_anggota, buat_eksemplar, meja
):
    a = buat_anggota()
    (e,) = buat_eksemplar()
    p = services.pinjamkan(a, e.barcode, **meja)
    hold = services.reservasi(
        buat_anggota(nama="Budi"), Katalog.objects.get(pk=e.katalog_id), cabang_ambil=meja["cabang"]
    )
    with pytest.raises(SirkulasiGagal, match="pengembaliannya dahulu"):
        services.tagih_kerusakan(p, **meja, biaya=Decimal(20000), keterangan="Basah")
    services.kembalikan(e.barcode, **meja)
    hold.refresh_from_db()
    assert hold.status == Reservasi.Status.SIAP
    services.tagih_kerusakan(p, **meja, biaya=Decimal(20000), keterangan="Sampul robek, basah")
    e.refresh_from_db()
    hold.refresh_from_db()
    assert e.status == StatusEksemplar.PERBAIKAN
    assert hold.status == Reservasi.Status.MENUNGGU and hold.eksemplar is None
    assert Denda.objects.get(jenis=Denda.Jenis.RUSAK).anggota == a


def test_daftar_ambil_hanya_di_cabang_terdekat(buat_anggota, buat_rekaman, meja, cabang, kategori):
    """Copies on the shelf at Cikini (Dinas) and Tanah Abang (Jakarta Pusat): a hold for
    pickup at Tanah Abang is pulled there; a hold for Semper (Jakarta Utara) is pulled by
    exactly one of the two."""
    from katalog import services as katalog_services
    from sirkulasi import selectors

    def judul_di(nama):
        k = buat_rekaman(nama)
        for kode in ("cikini", "jakpus-tanah-abang"):
            katalog_services.tambah_eksemplar(
                k, cabang=cabang[kode], kategori=kategori["umum"], jumlah=1, oleh=None
            )
        return k

    ke_tanah_abang, ke_semper = judul_di("Untuk Tanah Abang"), judul_di("Untuk Semper")
    services.reservasi(
        buat_anggota(nama="Ani"), ke_tanah_abang, cabang_ambil=cabang["jakpus-tanah-abang"]
    )
    services.reservasi(buat_anggota(nama="Budi"), ke_semper, cabang_ambil=cabang["jakut-semper"])
    tanah_abang = {e.katalog_id for e in selectors.perlu_diambil(cabang["jakpus-tanah-abang"])}
    cikini = {e.katalog_id for e in selectors.perlu_diambil(cabang["cikini"])}
    assert ke_tanah_abang.pk in tanah_abang and ke_tanah_abang.pk not in cikini
    assert (ke_semper.pk in tanah_abang) != (ke_semper.pk in cikini)
