"""Importing members, open loans, unpaid fines, holds and the visitor log from
Inlislite and SLiMS: number collisions, the same person from two sources, lookups."""

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from dispusip import impor
from katalog.models import Eksemplar
from sirkulasi.models import (
    Anggota,
    Denda,
    KategoriAnggota,
    Kunjungan,
    NomorAnggotaLama,
    Peminjaman,
    Reservasi,
    UsulanGabung,
)
from tests.katalog.test_impor import IMPOR, jalankan  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])
KATALOG = [
    IMPOR / "inlislite_catalogs_COMPOSED.csv",
    IMPOR / "inlislite_catalog_ruas_COMPOSED.csv",
    IMPOR / "inlislite_collections_COMPOSED.csv",
]


@pytest.fixture(autouse=True)
def _kategori(kategori_anggota):
    return kategori_anggota


def test_tabel_members_dan_pinjaman_terbuka(jalankan):  # noqa: F811
    hasil, _job = jalankan(
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
    )
    assert hasil["anggota.dibuat"] == 3 and hasil["peminjaman.dibuat"] == 3
    siti = Anggota.objects.get(nomor="0124031500007")
    assert siti.nama == "SITI NURHALIZA" and siti.nomor_identitas == "3171045207010003"
    assert str(siti.tanggal_lahir) == "2001-07-12" and siti.jenis_kelamin == "P"
    terbuka = Peminjaman.objects.get(status="berjalan")
    assert str(terbuka.jatuh_tempo) == "2024-03-22"
    e = Eksemplar.objects.get(pk=terbuka.eksemplar_id)
    assert e.status == "dipinjam" and str(e.jatuh_tempo) == "2024-03-22"
    assert Peminjaman.objects.filter(status="kembali").count() == 2
    # Re-running changes nothing.
    hasil, _job = jalankan(
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
    )
    assert hasil["anggota.tetap"] == 3 and hasil["peminjaman.tetap"] == 3
    assert Anggota.objects.count() == 3 and Peminjaman.objects.count() == 3


def test_tabel_collectionloans_dikenali_dan_tidak_menggagalkan(jalankan):  # noqa: F811
    """A whole database export also holds the loan headers and renewals: recognised,
    noted, and the loans still come from collectionloanitems."""
    kepala = b"ID,CollectionCount,LateCount,ExtendCount,LoanCount,ReturnCount,Member_id,Branch_id\n"
    perpanjang = b"id,CollectionLoan_id,CollectionLoanItem_id,Collection_id,Member_id,DateExtend,DueDateExtend\n"
    hasil, job = jalankan(
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
        ("collectionloans.csv", kepala + b"124031500002,2,0,0,2,1,30211,1\n"),
        (
            "collectionloanextends.csv",
            perpanjang + b"1,124031500002,55002,120002,30211,2024-03-20,2024-03-29\n",
        ),
    )
    assert hasil["peminjaman.dibuat"] == 3 and hasil["peringatan"] >= 2
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "Tabel collectionloans dikenali tetapi tidak diperlukan" in laporan
    assert "Tabel collectionloanextends dikenali" in laporan


def test_impor_ulang_pinjaman_mengikuti_sumber_kecuali_diubah_di_portal(jalankan):  # noqa: F811
    """A loan returned or renewed at the source since the last import follows it (and
    its item); a loan the portal has returned since is left alone, as a conflict."""
    pinjam = IMPOR / "inlislite_collectionloanitems_COMPOSED.csv"
    jalankan(*KATALOG, IMPOR / "inlislite_members_COMPOSED.csv", pinjam)
    isi = pinjam.read_text()
    buka = "55002,124031500002,2024-03-15 10:21:07,2024-03-22 10:21:07,,,Loan,"
    assert buka in isi
    diperpanjang = isi.replace(buka, buka.replace("2024-03-22 10:21:07", "2024-03-29"))
    hasil, _job = jalankan(("collectionloanitems.csv", diperpanjang.encode()))
    assert hasil["peminjaman.diperbarui"] == 1 and hasil["peminjaman.tetap"] == 2
    loan = Peminjaman.objects.get(status="berjalan")
    e = Eksemplar.objects.get(pk=loan.eksemplar_id)
    assert str(loan.jatuh_tempo) == "2024-03-29" and str(e.jatuh_tempo) == "2024-03-29"
    kembali = isi.replace(buka, buka.replace(",,,Loan,", ",2024-03-25 09:00:00,3,Return,"))
    hasil, _job = jalankan(("collectionloanitems.csv", kembali.encode()))
    assert hasil["peminjaman.diperbarui"] == 1
    loan.refresh_from_db()
    e.refresh_from_db()
    assert loan.status == "kembali" and loan.dikembalikan.date().isoformat() == "2024-03-25"
    assert e.status == "tersedia" and e.jatuh_tempo is None
    # The source still says "on loan", the portal has it returned: the portal stays.
    hasil, job = jalankan(pinjam)
    assert hasil["peminjaman.konflik"] == 1
    loan.refresh_from_db()
    assert loan.status == "kembali"
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "Sudah dikembalikan di portal" in laporan


def test_impor_ulang_pinjaman_diperpanjang_di_portal_konflik(jalankan):  # noqa: F811
    """A loan renewed at a portal desk since the last import keeps the portal's due
    date and stays open, whatever the source says now: both reported as conflicts."""
    pinjam = IMPOR / "inlislite_collectionloanitems_COMPOSED.csv"
    jalankan(*KATALOG, IMPOR / "inlislite_members_COMPOSED.csv", pinjam)
    loan = Peminjaman.objects.get(status="berjalan")
    Peminjaman.objects.filter(pk=loan.pk).update(perpanjangan=1, jatuh_tempo="2024-04-05")
    isi = pinjam.read_text()
    buka = "55002,124031500002,2024-03-15 10:21:07,2024-03-22 10:21:07,,,Loan,"
    tempo_lain = isi.replace(buka, buka.replace("2024-03-22 10:21:07", "2024-03-29"))
    hasil, job = jalankan(("collectionloanitems.csv", tempo_lain.encode()))
    assert hasil["peminjaman.konflik"] == 1 and hasil["peminjaman.tetap"] == 2
    assert "jatuh tempo dari sumber tidak dipakai" in job.result_file.read().decode("utf-8-sig")
    kembali = isi.replace(buka, buka.replace(",,,Loan,", ",2024-03-25 09:00:00,3,Return,"))
    hasil, job = jalankan(("collectionloanitems.csv", kembali.encode()))
    assert hasil["peminjaman.konflik"] == 1
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "collectionloanitems.csv,3,LoanStatus,Return," in laporan
    assert "pengembalian di sumber perlu diperiksa" in laporan
    loan.refresh_from_db()
    assert loan.status == "berjalan" and str(loan.jatuh_tempo) == "2024-04-05"


def test_pinjaman_baru_atas_eksemplar_yang_sedang_dipinjam_ditolak(jalankan):  # noqa: F811
    """A new open loan of an item already out (lent by an earlier import or at a
    portal desk) is refused; the item's loan stays as it is."""
    pinjam = IMPOR / "inlislite_collectionloanitems_COMPOSED.csv"
    jalankan(*KATALOG, IMPOR / "inlislite_members_COMPOSED.csv", pinjam)
    lagi = (
        pinjam.read_text()
        + "55009,124031700001,2024-03-17 10:00:00,2024-03-24,,,Loan,120002,30212,4,\n"
    )
    hasil, job = jalankan(("collectionloanitems.csv", lagi.encode()), sebagian=True)
    assert hasil["peminjaman.ditolak"] == 1 and hasil["peminjaman.tetap"] == 3
    laporan = job.result_file.read().decode("utf-8-sig")
    assert (
        "collectionloanitems.csv,5,Collection_id,120002,galat,Eksemplar ini sedang dipinjam"
        in laporan
    )
    assert Peminjaman.objects.filter(status="berjalan").get().anggota.nomor == "0124031500007"


def test_riwayat_pinjaman_pertama_membangun_indeks_sesudah_baris(jalankan, monkeypatch):  # noqa: F811
    """A first migration's loans into an empty loan table are written without the
    table's non-unique indexes and foreign keys, built again after; the next keeps them."""
    from django.db import connection

    from sirkulasi import muat

    def struktur():
        with connection.cursor() as c:
            t = "sirkulasi_peminjaman"
            return impor.indeks_sekunder(c, t), impor.kunci_asing(c, t)

    sebelum = struktur()
    assert all(sebelum)
    dipakai = []
    asli = impor.tanpa_indeks
    monkeypatch.setattr(impor, "tanpa_indeks", lambda t: dipakai.append(list(t)) or asli(t))
    monkeypatch.setattr(muat, "MASSAL_MINIMUM", 2)
    pinjam = IMPOR / "inlislite_collectionloanitems_COMPOSED.csv"
    hasil, _job = jalankan(*KATALOG, IMPOR / "inlislite_members_COMPOSED.csv", pinjam)
    assert hasil["peminjaman.dibuat"] == 3 and ["sirkulasi_peminjaman"] in dipakai
    assert struktur() == sebelum
    assert Peminjaman.objects.filter(status="berjalan").get().eksemplar.status == "dipinjam"
    dipakai.clear()
    lagi = (
        pinjam.read_text()
        + "55009,9,2024-03-17 10:00:00,2024-03-24,2024-03-20,0,Return,120001,30212,4,\n"
    )
    lagi += "55010,9,2024-03-18 10:00:00,2024-03-25,2024-03-21,0,Return,120003,30212,4,\n"
    hasil, _job = jalankan(("collectionloanitems.csv", lagi.encode()))
    assert hasil["peminjaman.dibuat"] == 2 and ["sirkulasi_peminjaman"] not in dipakai


def test_buku_tamu_nomor_tak_dikenal_dan_baris_kosong(jalankan):  # noqa: F811
    """A guest-book number no member of the source has is kept as the guest's name,
    with a warning; a row with neither number nor name is refused."""
    tamu = (
        b"ID,NoAnggota,Nama,CreateDate\n1,0124031500007,,2024-03-15 09:00:00\n"
        b"2,0999,,2024-03-15 10:00:00\n3,,,2024-03-15 11:00:00\n"
    )
    hasil, job = jalankan(
        IMPOR / "inlislite_members_COMPOSED.csv", ("memberguesses.csv", tamu), sebagian=True
    )
    assert hasil["kunjungan.dibuat"] == 2 and hasil["kunjungan.ditolak"] == 1
    assert Kunjungan.objects.get(anggota__isnull=True).nama == "0999"
    # A member's card number is not copied into the visit (anonymising cuts the link).
    assert Kunjungan.objects.get(anggota__isnull=False).nama == ""
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "memberguesses.csv,3,NoAnggota,0999,peringatan,Nomor anggota tidak dikenal" in laporan
    assert "memberguesses.csv,4,NoAnggota,,galat,Kunjungan tanpa nomor anggota dan nama." in laporan


def test_reservasi_satu_aktif_per_anggota_dan_judul(jalankan):  # noqa: F811
    """Two open bookings by one member on two copies of one title make one hold (the
    other reported); a booking that expired at the source frees the member's place
    before a newer one is queued, wherever it is in the file."""
    besok = (timezone.localdate() + timedelta(days=3)).isoformat()
    kemarin = (timezone.localdate() - timedelta(days=1)).isoformat()
    kepala = "memberId,collectionId,bookingDate,bookingExpired\n"
    pertama = f"0124031500007,120001,2024-03-20 10:00:00,{besok}\n"
    hasil, _job = jalankan(
        *KATALOG, IMPOR / "inlislite_members_COMPOSED.csv",
        ("bookinglogs.csv", (kepala + pertama + f"0124031500007,120002,2024-03-21,{besok}\n").encode()),
        sebagian=True,
    )  # fmt: skip
    assert hasil["reservasi.dibuat"] == 1 and hasil["reservasi.ditolak"] == 1
    assert hasil["peringatan"] >= 1 and hasil["galat"] == 0
    # Later: the first booking ran out at the source, a new one for the title came after.
    berikut = (
        kepala + f"0124031500007,120002,2024-03-25,{besok}\n"
        + pertama.replace(besok, kemarin)
    )  # fmt: skip
    hasil, _job = jalankan(("bookinglogs.csv", berikut.encode()), sebagian=True)
    assert hasil["reservasi.diperbarui"] == 1 and hasil["reservasi.dibuat"] == 1
    assert Reservasi.objects.get(status="menunggu").dibuat.date().isoformat() == "2024-03-25"


def test_kelompok_usia_sql_sama_dengan_aturan():
    """Imports write the age group in SQL; it is the rule loans at the desk use."""
    from datetime import date

    from django.db import connection

    from sirkulasi.services import _kelompok_usia, kelompok_usia_sql

    pasangan = [
        (date(2000, 2, 29), date(2013, 2, 28)), (date(2000, 2, 29), date(2013, 3, 1)),
        (date(2011, 3, 15), date(2024, 3, 14)), (date(2011, 3, 15), date(2024, 3, 15)),
        (date(2006, 7, 1), date(2024, 6, 30)), (date(1998, 1, 1), date(2024, 1, 1)),
        (date(1983, 12, 31), date(2024, 1, 1)), (date(1963, 5, 5), date(2024, 5, 5)),
        (date(1950, 1, 1), date(2024, 1, 1)), (None, date(2024, 1, 1)),
    ]  # fmt: skip
    with connection.cursor() as c:
        for lahir, pada in pasangan:
            c.execute(
                f"SELECT {kelompok_usia_sql('%(lahir)s::date', '%(pada)s::date')}",
                {"lahir": lahir, "pada": pada},
            )
            assert c.fetchone()[0] == _kelompok_usia(Anggota(tanggal_lahir=lahir), pada), lahir


def test_kemajuan_tidak_mundur_saat_katalog_dan_sirkulasi_berjalan(
    admin_dispusip, cabang, kategori, tmp_path
):
    """Catalogue and circulation files in one import: the bar runs through both
    importers' steps one after the other and never goes back."""
    import re as re_

    from dispusip import pembaca

    folder = tmp_path / "impor"
    folder.mkdir()
    berkas = [
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
    ]
    masuk = pembaca.kumpulkan([shutil.copy(b, folder / b.name) for b in berkas], folder / "isi")
    impor.kenali(masuk)
    gema: list[str] = []
    sesi = impor.Sesi(
        sumber=impor.sumber("Inlislite Sudin Jakarta Barat"), cabang=cabang["cikini"],
        oleh=admin_dispusip, berkas=masuk, gema=gema.append,
    )  # fmt: skip
    impor.jalankan(sesi)
    persen = [float(re_.match(r"\[\s*([\d.]+)%\]", g)[1]) for g in gema]
    assert persen == sorted(persen) and persen[0] < 50 < persen[-1]
    # The loan file's reading moves the bar, then its merge moves it further.
    baca = next(p for p, g in zip(persen, gema, strict=True) if "baris dibaca" in g)
    gabung = next(p for p, g in zip(persen, gema, strict=True) if "Mencocokkan" in g)
    mulai = next(p for p, g in zip(persen, gema, strict=True) if "Membaca peminjaman" in g)
    assert mulai < baca < gabung < 100


def test_nomor_bentrok_diberi_nomor_baru_dan_alias(jalankan):  # noqa: F811
    jalankan(IMPOR / "inlislite_members_COMPOSED.csv")
    isi = (IMPOR / "inlislite_members_COMPOSED.csv").read_text().splitlines()
    # Another installation: same member number, another person.
    lain = (
        isi[0]
        + "\n"
        + isi[1]
        .replace("SITI NURHALIZA", "SITI LAIN")
        .replace("3171045207010003", "3171045207019999")
        .replace("2001-07-12", "1999-01-01")
    )
    hasil, _job = jalankan(("members.csv", lain.encode()), sumber="Inlislite Sudin Jakarta Timur")
    assert hasil["anggota.dibuat"] == 1
    baru = Anggota.objects.get(nama="SITI LAIN")
    assert baru.nomor != "0124031500007"
    alias = NomorAnggotaLama.objects.get(anggota=baru)
    assert alias.nomor == "ISJT-0124031500007"
    assert Anggota.objects.cari_kode("ISJT-0124031500007").get() == baru


def test_id_dan_nomor_dari_batch_sebelumnya_dikenali(jalankan, monkeypatch):  # noqa: F811
    """What earlier batches staged is asked of the staging table, not remembered: a
    source id seen in an earlier batch is reported, and a member number an earlier
    batch used is not given twice."""
    monkeypatch.setattr(impor, "UKURAN_BATCH", 2)
    isi = (IMPOR / "inlislite_members_COMPOSED.csv").read_text().splitlines()
    kepala, siti = isi[0], isi[1]

    def baris(id_sumber, nomor, nama, nik):
        return (
            siti.replace("30211", id_sumber, 1)
            .replace("0124031500007", nomor)
            .replace("SITI NURHALIZA", nama)
            .replace("3171045207010003", nik)
        )

    berkas = [
        kepala,
        baris("1", "A-1", "SATU", "3171045207010001"),
        baris("2", "A-2", "DUA", "3171045207010002"),
        baris("3", "A-1", "TIGA", "3171045207010003"),  # number used by batch 1
        baris("1", "A-9", "SATU LAGI", "3171045207010004"),  # id staged by batch 1
        baris("5", "A-2", "LIMA", "3171045207010005"),  # number used by batch 1
    ]
    hasil, job = jalankan(("members.csv", "\n".join(berkas).encode()), sebagian=True)
    assert hasil["anggota.dibuat"] == 4 and hasil["anggota.ditolak"] == 1
    assert not Anggota.objects.filter(nama="SATU LAGI").exists()
    nomor = list(Anggota.objects.values_list("nomor", flat=True))
    assert len(set(nomor)) == 4 and {"A-1", "A-2"} <= set(nomor)
    assert Anggota.objects.get(nama="SATU").nomor == "A-1"
    assert Anggota.objects.get(nama="TIGA").nomor not in ("A-1", "A-2")
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "members.csv,5,NO ANGGOTA,1," in laporan


def test_orang_sama_dari_sumber_lain_diusulkan_bukan_digabung(jalankan):  # noqa: F811
    jalankan(IMPOR / "inlislite_members_COMPOSED.csv")
    hasil, _job = jalankan(IMPOR / "slims_member_export_COMPOSED.csv", sumber="SLiMS Kalijodo")
    # SLiMS numbers equal the Inlislite ones here: new numbers, and both people proposed.
    assert hasil["anggota.dibuat"] == 2 and Anggota.objects.count() == 5
    usulan = UsulanGabung.objects.filter(status="menunggu")
    assert usulan.count() == 2
    siti = usulan.get(kandidat__nama="SITI NURHALIZA")
    assert siti.alasan == "NIK sama" and siti.anggota.nama == "Siti Nurhaliza"


def test_template_anggota_49_dan_40_kolom(jalankan, kategori_anggota):  # noqa: F811
    hasil, _job = jalankan(
        IMPOR / "001_FormatAnggota.xlsx",
        pemetaan={"kategori_anggota:Pelajar": str(kategori_anggota["pelajar"].pk)},
    )
    assert hasil["anggota.dibuat"] >= 2
    adit = Anggota.objects.get(nomor="0A46275636")
    assert str(adit.tanggal_lahir) == "2004-03-15" and adit.jenis_identitas == "kartu_pelajar"
    assert adit.jenis_kelamin == "L" and adit.kategori == kategori_anggota["pelajar"]
    hasil, _job = jalankan(IMPOR / "001_FormatAnggota_older_variant.csv", sumber="Lama")
    yunus = Anggota.objects.get(nomor="7101522")
    # Excel serial dates; "Pria"; a 14-digit "NIK" kept as another identity, with a warning.
    assert str(yunus.tanggal_lahir) == "1984-04-25" and str(yunus.terdaftar) == "2015-09-15"
    assert yunus.jenis_kelamin == "L" and yunus.jenis_identitas == "lainnya"
    assert hasil["peringatan"] >= 1


def test_kategori_anggota_baru_dibuat_bila_dipilih(jalankan):  # noqa: F811
    isi = (
        (IMPOR / "slims_member_export_COMPOSED.csv")
        .read_text()
        .replace('"Umum"', '"Komunitas RPTRA"')
    )
    jalankan(
        ("member.csv", isi.encode()), pemetaan={"kategori_anggota:Komunitas RPTRA": impor.BARU}
    )
    baru = KategoriAnggota.objects.get(nama="Komunitas RPTRA")
    assert Anggota.objects.filter(kategori=baru).count() == 1
    # Without a preview (the command): created all the same, and reported.
    _hasil, job = jalankan(
        ("member.csv", isi.replace("Komunitas RPTRA", "Komunitas Baru").encode()), sumber="Lain"
    )
    assert Anggota.objects.filter(kategori__nama="Komunitas Baru").count() == 1
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "Jenis anggota,Komunitas Baru,peringatan,Belum ada di portal" in laporan


def test_denda_reservasi_dan_kunjungan(jalankan, cabang):  # noqa: F811
    besok = (timezone.localdate() + timedelta(days=3)).isoformat()
    denda = b"ID,CollectionLoanItem_id,JumlahDenda,Paid,Member_id\n1,55003,3000,0,30212\n2,55001,500,1,30211\n3,,x,0,99\n"
    booking = f"memberId,collectionId,bookingDate,bookingExpired\n0124031500007,120001,2024-03-20 10:00:00,{besok}\n0124031500007,120003,2024-01-01,2024-01-02\n".encode()
    tamu = b"ID,NoAnggota,Nama,CreateDate\n1,0124031500007,SITI NURHALIZA,2024-03-15 09:01:00\n2,,Tamu umum,2024-03-15 10:00:00\n"
    hasil, _job = jalankan(
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
        ("pelanggaran.csv", denda),
        ("bookinglogs.csv", booking),
        ("memberguesses.csv", tamu),
        sebagian=True,
    )
    assert hasil["denda.dibuat"] == 1 and hasil["denda.ditolak"] == 1
    d = Denda.objects.get()
    assert d.sisa == 3000 and d.anggota.nomor == "0124031500008" and d.peminjaman is not None
    # Paid at the source since: settled here too, with a note.
    hasil, _job = jalankan(
        ("pelanggaran.csv", denda.replace(b"3000,0,30212", b"3000,1,30212")), sebagian=True
    )
    assert hasil["denda.diperbarui"] == 1
    d.refresh_from_db()
    assert (
        d.sisa == 0 and d.dibayar == 0 and "lunas di Inlislite Sudin Jakarta Barat" in d.keterangan
    )
    r = Reservasi.objects.get()
    assert r.anggota.nomor == "0124031500007" and r.status == "menunggu"
    assert Kunjungan.objects.count() == 2
    # Expired at the source since: expired here too, unless a copy was set aside.
    kemarin = (timezone.localdate() - timedelta(days=1)).isoformat()
    lewat = booking.replace(besok.encode(), kemarin.encode())
    Reservasi.objects.filter(pk=r.pk).update(status="siap")
    hasil, job = jalankan(("bookinglogs.csv", lewat), sebagian=True)
    assert hasil["reservasi.konflik"] == 1
    assert "Sudah disiapkan di portal" in job.result_file.read().decode("utf-8-sig")
    Reservasi.objects.filter(pk=r.pk).update(status="menunggu")
    hasil, _job = jalankan(("bookinglogs.csv", lewat), sebagian=True)
    r.refresh_from_db()
    assert hasil["reservasi.diperbarui"] == 1 and r.status == "kedaluwarsa" and r.selesai
    hasil, _job = jalankan(("bookinglogs.csv", lewat), sebagian=True)
    assert hasil["reservasi.tetap"] == 1 and Reservasi.objects.count() == 1
    siti = Kunjungan.objects.get(anggota__isnull=False)
    assert siti.anggota.nomor == "0124031500007" and siti.jenis_kelamin == "P"
    assert siti.kategori_anggota_id == siti.anggota.kategori_id and siti.cabang is not None
    tamu_umum = Kunjungan.objects.get(anggota__isnull=True)
    assert tamu_umum.nama == "Tamu umum" and tamu_umum.kategori_anggota_id is None
    hasil, _job = jalankan(("memberguesses.csv", tamu))
    assert hasil["kunjungan.tetap"] == 2 and Kunjungan.objects.count() == 2


def test_pinjaman_dan_kunjungan_dibaca_per_batch(jalankan, monkeypatch):  # noqa: F811
    """Loans and visits are read in batches, each written before the next: an item
    lent in an earlier batch cannot be lent again, a loan id repeated in a later
    batch is not imported twice, and members and items are found in every batch."""
    monkeypatch.setattr(impor, "UKURAN_BATCH", 2)
    kepala = (IMPOR / "inlislite_collectionloanitems_COMPOSED.csv").read_text().splitlines()[0]
    pinjam = "\n".join([
        kepala,
        "1,9,2024-03-15 10:00:00,2024-03-22,,,Loan,120002,30211,4,",
        "2,9,2024-03-01 10:00:00,2024-03-08,2024-03-07,0,Return,120001,30212,4,",
        "3,9,2024-03-16 10:00:00,2024-03-23,,,Loan,120002,30212,4,",  # 120002 is out
        "1,9,2024-03-15 10:00:00,2024-03-22,,,Loan,120002,30211,4,",  # loan 1 again
        "5,9,2024-03-17 10:00:00,2024-03-24,,,Loan,120003,30213,4,",
    ]).encode()  # fmt: skip
    tamu = "ID,NoAnggota,Nama,CreateDate\n" + "".join(
        f"{i},{'0124031500007' if i % 2 else ''},Tamu {i},2024-03-15 09:0{i}:00\n"
        for i in range(1, 6)
    )
    hasil, job = jalankan(
        *KATALOG,
        IMPOR / "inlislite_members_COMPOSED.csv",
        ("collectionloanitems.csv", pinjam),
        ("memberguesses.csv", tamu.encode()),
        sebagian=True,
    )
    assert hasil["peminjaman.dibuat"] == 3 and hasil["peminjaman.ditolak"] == 1
    assert hasil["peminjaman.tetap"] == 1
    assert Peminjaman.objects.filter(status="berjalan").count() == 2
    assert Peminjaman.objects.get(eksemplar__barcode="00124/PJK/2024").anggota.nama == (
        "SITI NURHALIZA"
    )
    laporan = job.result_file.read().decode("utf-8-sig")
    assert "collectionloanitems.csv,4,Collection_id,120002," in laporan
    assert hasil["kunjungan.dibuat"] == 5
    assert Kunjungan.objects.filter(anggota__nomor="0124031500007").count() == 3


def test_pinjaman_menunjuk_anggota_tidak_ada_dilaporkan(jalankan):  # noqa: F811
    from dispusip.jobs import JobGagal
    from dispusip.models import Job

    isi = (
        (IMPOR / "inlislite_collectionloanitems_COMPOSED.csv")
        .read_text()
        .replace(",30211,", ",77777,")
    )
    with pytest.raises(JobGagal):
        jalankan(
            *KATALOG,
            IMPOR / "inlislite_members_COMPOSED.csv",
            ("collectionloanitems.csv", isi.encode()),
        )
    laporan = Job.objects.latest("pk").result_file.read().decode("utf-8-sig")
    assert "collectionloanitems.csv,2,member_id,77777" in laporan
    assert not Anggota.objects.exists()


def test_usulan_gabung_anggota_diputuskan_staf(jalankan, client, admin_dispusip):  # noqa: F811
    from django.urls import reverse

    jalankan(IMPOR / "inlislite_members_COMPOSED.csv")
    jalankan(IMPOR / "slims_member_export_COMPOSED.csv", sumber="SLiMS Kalijodo")
    client.force_login(admin_dispusip)
    html = client.get(reverse("sirkulasi:usulan_gabung")).content.decode()
    assert "NIK sama" in html and "Siti Nurhaliza" in html
    siti = UsulanGabung.objects.get(kandidat__nama="SITI NURHALIZA")
    nomor_impor = siti.anggota.nomor
    client.post(reverse("sirkulasi:putuskan_usulan", args=[siti.pk, "gabung"]))
    assert not Anggota.objects.filter(nomor=nomor_impor).exists()
    utama = Anggota.objects.get(nama="SITI NURHALIZA")
    assert Anggota.objects.cari_kode(nomor_impor).get() == utama
    # The source's next import finds the survivor: nobody is created again.
    jumlah = Anggota.objects.count()
    hasil, _job = jalankan(IMPOR / "slims_member_export_COMPOSED.csv", sumber="SLiMS Kalijodo")
    assert Anggota.objects.count() == jumlah and not hasil.get("anggota.dibuat")
    assert hasil.get("anggota.konflik", 0) + hasil.get("anggota.tetap", 0) == 2
    lain = UsulanGabung.objects.get(status="menunggu")
    client.post(reverse("sirkulasi:putuskan_usulan", args=[lain.pk, "pisah"]))
    lain.refresh_from_db()
    assert lain.status == "dipisah"


def laporan_html(judul: str, kepala: list[str], baris: list[list[str]]) -> bytes:
    """An Inlislite "Excel" report: an HTML table with title rows, saved as .xls."""
    tr = lambda sel: "<tr>" + "".join(f"<td>{x}</td>" for x in sel) + "</tr>"  # noqa: E731
    isi = [tr([f"Laporan Detail Data {judul}"]), tr(["Periode 01-03-2024 s/d 31-03-2024"]),
           tr(["Berdasarkan Semua"]), tr(kepala), *[tr(b) for b in baris]]  # fmt: skip
    return (
        '<html><meta http-equiv="content-type" content="application/vnd.ms-excel; charset=UTF-8">'
        f"<body><table border='1'>{''.join(isi)}</table></body></html>"
    ).encode()


BUKU_INDUK = ["No.", "Tanggal Pengadaan", "Nomer Induk", "Jenis Bahan", "Bentuk Fisik", "Judul",
              "Pengarang", "Edisi", "Tempat Terbit", "Penerbit", "Tahun Terbit", "Deskripsi Fisik",
              "Jenis Sumber Perolehan", "Nama Sumber Perolehan", "Kategori", "ISBN", "ISSN", "Harga"]  # fmt: skip
ANGGOTA = ["No.", "Tanggal", "Nomer Anggota", "Anggota", "Jenis Kelamin", "Tempat & Tanggal Lahir",
           "Umur", "Jenis Identitas", "Nomer Identitas", "Alamat", "Kabupaten / Kota", "Provinsi",
           "Telepon", "Email", "Jenis Anggota", "Pekerjaan", "Pendidikan", "Status Keanggotaan",
           "Tanggal Akhir Berlaku", "Biaya"]  # fmt: skip
PINJAM = ["No.", "Tanggal Pinjam", "Tanggal Jatuh Tempo", "Tanggal Dikembalikan", "Jumlah Hari Telat",
          "Nomor Induk", "Data Bibliografis", "Nomor Klass", "Nomor Anggota", "Nama Anggota"]  # fmt: skip


def test_laporan_html_buku_induk_anggota_dan_peminjaman(jalankan):  # noqa: F811
    buku = laporan_html("Koleksi", BUKU_INDUK, [
        ["1", "14-03-2024", "00123/PJK/2024", "Monograf", "Buku", "Laskar pelangi / Andrea Hirata",
         "Hirata, Andrea", "Cet. 25", "Yogyakarta :", "Bentang,", "2008", "xii + 529 hlm.",
         "Pembelian", "CV. Gunung Agung", "Koleksi Umum", "978-979-1227-00-2", "", " - 89000"],
        ["2", "14-03-2024", "00124/PJK/2024", "Monograf", "Buku", "Laskar pelangi / Andrea Hirata",
         "Hirata, Andrea", "Cet. 25", "Yogyakarta :", "Bentang,", "2008", "xii + 529 hlm.",
         "Pembelian", "CV. Gunung Agung", "Koleksi Umum", "978-979-1227-00-2", "", " - 89000"],
    ])  # fmt: skip
    anggota = laporan_html("Anggota", ANGGOTA, [
        ["1", "15-03-2024", "0124031500007", "SITI NURHALIZA", "Perempuan", "Jakarta & 12-07-2001",
         "22", "KTP", "3171045207010003", "Jl. Kramat Raya No. 12", "Kota Jakarta Pusat",
         "DKI Jakarta", "081234567890", "siti@example.id", "Umum", "Mahasiswa", "SMA", "Aktif",
         "15-Maret-2025", "0"],
    ])  # fmt: skip
    pinjam = laporan_html("Peminjaman", PINJAM, [
        ["1", "2024-03-15", "2024-03-22", "", "", "00123/PJK/2024", "Laskar pelangi", "899.221 3",
         "0124031500007", "SITI NURHALIZA"],
        ["2", "2024-03-01", "2024-03-08", "2024-03-07", "0", "00124/PJK/2024", "Laskar pelangi",
         "899.221 3", "0124031500007", "SITI NURHALIZA"],
    ])  # fmt: skip
    hasil, _job = jalankan(
        ("Laporan_Buku_Induk.xls", buku), ("Laporan_Anggota.xls", anggota),
        ("Laporan_Peminjaman.xls", pinjam),
    )  # fmt: skip
    assert hasil["katalog.dibuat"] == 1 and hasil["eksemplar.dibuat"] == 2
    assert hasil["anggota.dibuat"] == 1 and hasil["peminjaman.dibuat"] == 2
    e = Eksemplar.objects.get(nomor_induk="00123/PJK/2024")
    assert e.barcode == "00123/PJK/2024" and e.harga == 89000 and e.status == "dipinjam"
    assert e.katalog.judul == "Laskar pelangi" and e.katalog.penerbit == "Bentang"
    siti = Anggota.objects.get()
    assert str(siti.berlaku_sampai) == "2025-03-15" and siti.tempat_lahir == "Jakarta"
    assert str(siti.tanggal_lahir) == "2001-07-12"
    # What statistics keep of the member, written with the loans in SQL.
    loan = Peminjaman.objects.get(eksemplar=e)
    assert (loan.kelompok_usia, loan.jenis_kelamin, loan.kategori_anggota_id) == (
        "18-25", "P", siti.kategori_id,
    )  # fmt: skip
    assert str(loan.jatuh_tempo) == "2024-03-22" and loan.status == "berjalan"
    hasil, _job = jalankan(
        ("Laporan_Buku_Induk.xls", buku), ("Laporan_Anggota.xls", anggota),
        ("Laporan_Peminjaman.xls", pinjam),
    )  # fmt: skip
    assert hasil["peminjaman.tetap"] == 2 and Peminjaman.objects.count() == 2


@pytest.mark.parametrize(
    ("nama", "tabel"),
    [
        ("contoh_MARC_XML.xml", "marc"),
        ("inlislite_catalogs_COMPOSED.csv", "catalogs"),
        ("inlislite_catalog_ruas_COMPOSED.csv", "catalog_ruas"),
        ("inlislite_catalog_subruas_COMPOSED.csv", "catalog_subruas"),
        ("inlislite_collections_COMPOSED.csv", "collections"),
        ("inlislite_collectionloanitems_COMPOSED.csv", "collectionloanitems"),
        ("inlislite_export_data_tag_COMPOSED.csv", "export_data_tag"),
        ("inlislite_laporan_buku_induk_COMPOSED.csv", "laporan_buku_induk"),
        ("inlislite_members_COMPOSED.csv", "members"),
        ("001_FormatAnggota.xlsx", "template_anggota"),
        ("001_FormatAnggota.csv", "template_anggota"),
        ("001_FormatAnggota_older_variant.xlsx", "template_anggota"),
        ("001_FormatAnggota_older_variant.csv", "template_anggota"),
        ("sample_data_koleksi_AACR.xlsx", "template_koleksi"),
        ("sample_data_koleksi_AACR.csv", "template_koleksi"),
        ("slims_biblio_export_COMPOSED.csv", "slims.biblio"),
        ("slims_item_export_COMPOSED.csv", "slims.item"),
        ("slims_member_export_COMPOSED.csv", "slims.member"),
    ],
)
def test_setiap_contoh_dikenali(nama, tabel):
    from dispusip import pembaca

    berkas = [pembaca.BerkasMasuk(nama, IMPOR / nama)]
    impor.kenali(berkas)
    assert berkas[0].tabel == tabel


def test_setiap_contoh_asli_terimpor(jalankan):  # noqa: F811
    """Every real Inlislite sample, as shipped, imports without an error."""
    for nama in ("001_FormatAnggota.xlsx", "001_FormatAnggota_older_variant.xlsx",
                 "sample_data_koleksi_AACR.xlsx"):  # fmt: skip
        hasil, _job = jalankan(IMPOR / nama, sumber=nama)
        assert hasil["galat"] == 0, nama


def test_kolom_yang_dibaca_sesuai_yang_dinyatakan(jalankan, monkeypatch):  # noqa: F811
    """The preview shows each file's columns as read or ignored from what the importers
    declare (Pengimpor.kolom): importing the samples of every table kind read by its
    header, the readers ask for no column their importer does not declare."""
    from tests.katalog.test_impor import LOOKUP_KOLEKSI

    dibaca: dict[str, set[str]] = {}
    monkeypatch.setattr(impor, "perekam_kolom", dibaca)
    besok = (timezone.localdate() + timedelta(days=3)).isoformat()
    jalankan(
        *KATALOG, IMPOR / "inlislite_catalog_subruas_COMPOSED.csv", *LOOKUP_KOLEKSI,
        IMPOR / "inlislite_members_COMPOSED.csv",
        IMPOR / "inlislite_collectionloanitems_COMPOSED.csv",
        ("pelanggaran.csv", b"ID,CollectionLoanItem_id,JumlahDenda,Paid,Member_id\n1,55003,3000,0,30212\n"),
        ("bookinglogs.csv", f"memberId,collectionId,bookingDate,bookingExpired\n0124031500007,120001,2024-03-20,{besok}\n".encode()),
        ("memberguesses.csv", b"ID,NoAnggota,Nama,CreateDate,JenisKelamin_id\n1,0124031500007,SITI,2024-03-15,2\n"),
        ("jenis_anggota.csv", b"ID,jenisanggota\n1,Umum\n"),
        sebagian=True,
    )  # fmt: skip
    jalankan(IMPOR / "001_FormatAnggota.xlsx", sumber="Templat", sebagian=True)
    jalankan(IMPOR / "inlislite_export_data_tag_COMPOSED.csv", sumber="Data tag", sebagian=True)
    jalankan(
        IMPOR / "slims_biblio_export_COMPOSED.csv", IMPOR / "slims_item_export_COMPOSED.csv",
        sumber="SLiMS", sebagian=True,
    )  # fmt: skip
    jalankan(
        ("Laporan_Buku_Induk.xls", laporan_html("Koleksi", BUKU_INDUK, [["1", "14-03-2024", "9/PJK", "Monograf", "Buku", "Judul", "", "", "", "", "2008", "", "", "", "", "", "", ""]])),
        ("Laporan_Anggota.xls", laporan_html("Anggota", ANGGOTA, [["1", "15-03-2024", "77", "SITI", "Perempuan", "", "", "", "", "", "", "", "", "", "Umum", "", "", "Aktif", "", "0"]])),
        ("Laporan_Peminjaman.xls", laporan_html("Peminjaman", PINJAM, [["1", "2024-03-15", "2024-03-22", "", "", "9/PJK", "Judul", "", "77", "SITI"]])),
        sumber="Laporan", sebagian=True,
    )  # fmt: skip
    dinyatakan = {t: p.kolom(t) for p in impor.semua_pengimpor() for t in p.tabel}
    assert len(dibaca) >= 15, sorted(dibaca)
    for tabel, kolom in dibaca.items():
        assert dinyatakan[tabel] is not None and kolom <= set(dinyatakan[tabel]), tabel


@pytest.mark.parametrize(
    ("berkas", "harapan"),
    [
        (["contoh_MARC_XML.xml"], {"katalog.dibuat": 1}),
        (["inlislite_catalogs_COMPOSED.csv"], {"katalog.dibuat": 3}),
        (["inlislite_catalog_ruas_COMPOSED.csv"], {"katalog.dibuat": 1}),
        (
            ["inlislite_catalogs_COMPOSED.csv", "inlislite_catalog_ruas_COMPOSED.csv",
             "inlislite_catalog_subruas_COMPOSED.csv", "inlislite_collections_COMPOSED.csv",
             "inlislite_members_COMPOSED.csv", "inlislite_collectionloanitems_COMPOSED.csv"],
            {"katalog.dibuat": 3, "eksemplar.dibuat": 3, "anggota.dibuat": 3,
             "peminjaman.dibuat": 3},
        ),
        (["inlislite_export_data_tag_COMPOSED.csv"], {"katalog.dibuat": 1}),
        (["inlislite_laporan_buku_induk_COMPOSED.csv"], {"katalog.dibuat": 1, "eksemplar.dibuat": 1}),
        (["001_FormatAnggota.xlsx"], {"anggota.dibuat": 2}),
        (["001_FormatAnggota.csv"], {"anggota.dibuat": 2}),
        (["001_FormatAnggota_older_variant.xlsx"], {"anggota.dibuat": 1}),
        (["001_FormatAnggota_older_variant.csv"], {"anggota.dibuat": 1}),
        (["sample_data_koleksi_AACR.xlsx"], {"katalog.dibuat": 1, "eksemplar.dibuat": 1}),
        (["sample_data_koleksi_AACR.csv"], {"katalog.dibuat": 1, "eksemplar.dibuat": 1}),
        (["slims_biblio_export_COMPOSED.csv", "slims_item_export_COMPOSED.csv"],
         {"katalog.dibuat": 2, "eksemplar.dibuat": 1}),
        (["slims_member_export_COMPOSED.csv"], {"anggota.dibuat": 1}),
    ],
)  # fmt: skip
def test_setiap_contoh_terimpor(jalankan, berkas, harapan):  # noqa: F811
    """Every sample, real or composed, imports as it is, all or nothing: at least
    what it holds is created, and a second run changes nothing."""
    hasil, _job = jalankan(*(IMPOR / n for n in berkas), sumber=berkas[0])
    for kunci, paling_sedikit in harapan.items():
        assert hasil.get(kunci, 0) >= paling_sedikit, (kunci, hasil)
    ulang, _job = jalankan(*(IMPOR / n for n in berkas), sumber=berkas[0])
    assert not any(ulang.get(k) for k in ulang if k.endswith((".dibuat", ".diperbarui"))), ulang
