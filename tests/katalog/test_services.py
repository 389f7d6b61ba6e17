"""Rules of records and items, and their failure cases."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from dispusip.models import AuditLog
from katalog import marc as marc_mod
from katalog import services
from katalog.models import Eksemplar, Katalog, KosaKata, StatusEksemplar, Tajuk

pytestmark = pytest.mark.django_db


def test_rekaman_baru_dapat_nomor_kontrol_dan_tercatat(rekan_a, buat_rekaman):
    k = buat_rekaman("Laskar pelangi", oleh=rekan_a)
    assert k.nomor_kontrol.startswith("DKI") and len(k.nomor_kontrol) == 15
    assert marc_mod.record_dari_json(k.marc)["001"].data == k.nomor_kontrol
    log = AuditLog.objects.get(action="katalog.buat")
    assert log.actor == rekan_a and log.after["judul"] == "Laskar pelangi"


def test_suntingan_mempertahankan_001_dan_mencatat_perubahan(rekan_a, buat_rekaman):
    k = buat_rekaman("Laskar pelangi", oleh=rekan_a)
    record = marc_mod.record_dari_json(k.marc)
    record["245"]["a"] = "Laskar Pelangi"
    k2 = services.simpan_marc(record, oleh=rekan_a, katalog=k)
    assert k2.pk == k.pk and k2.nomor_kontrol == k.nomor_kontrol and k2.judul == "Laskar Pelangi"
    log = AuditLog.objects.get(action="katalog.ubah")
    assert log.before == {"judul": "Laskar pelangi"} and log.after == {"judul": "Laskar Pelangi"}


def test_001_asing_dipakai_bila_belum_ada_dan_diganti_bila_bentrok(rekan_a, buat_rekaman):
    record = marc_mod.dari_teks("=001  INLIS000000000045871\n=245  10$aSatu\n")
    assert services.simpan_marc(record, oleh=rekan_a).nomor_kontrol == "INLIS000000000045871"
    record = marc_mod.dari_teks("=001  INLIS000000000045871\n=245  10$aDua\n")
    assert services.simpan_marc(record, oleh=rekan_a).nomor_kontrol.startswith("DKI")


def test_pustakawan_sirkulasi_tidak_boleh_membuat_rekaman(staf_a, kategori):
    record = marc_mod.dari_teks("=245  10$aJudul\n")
    with pytest.raises(PermissionDenied):
        services.simpan_marc(record, oleh=staf_a)


def test_salin_marc_membuang_identitas_dan_eksemplar(buat_rekaman):
    k = buat_rekaman("Asli")
    salinan = services.salin_marc(k)
    assert salinan.get("001") is None and salinan.get("005") is None
    assert salinan["245"]["a"] == "Asli"


def test_duplikat_menurut_isbn_atau_judul_pengarang_tahun(buat_rekaman):
    k = buat_rekaman("Laskar pelangi", isbn=["978-979-1227-00-1"], tahun_terbit="2008")
    assert list(
        services.cari_duplikat(isbn=["979-1227-00-4"], judul="", pengarang="", tahun=None)
    ) == [k]
    assert list(
        services.cari_duplikat(isbn=[], judul="laskar pelangi", pengarang="Hirata", tahun=2008)
    ) == [k]
    assert not services.cari_duplikat(
        isbn=[], judul="Laskar pelangi", pengarang="Hirata", tahun=2009
    )
    assert not services.cari_duplikat(
        isbn=["979-1227-00-4"], judul="", pengarang="", tahun=None, kecuali=k.pk
    )


def test_tajuk_dan_kosakata_mengikuti_suntingan(buat_rekaman, rekan_a):
    k = buat_rekaman("Perpustakaan sekolah", subjek=["Perpustakaan"], oleh=rekan_a)
    assert Tajuk.objects.get(jenis="subjek", teks="Perpustakaan").jumlah == 1
    assert KosaKata.objects.get(kata="perpustakaan").jumlah == 1
    record = marc_mod.terapkan_isian(
        marc_mod.record_dari_json(k.marc),
        marc_mod.Isian(jenis="monograf", judul="Taman bacaan", subjek=["Literasi"]),
    )
    services.simpan_marc(record, oleh=rekan_a, katalog=k)
    assert not Tajuk.objects.filter(teks="Perpustakaan").exists()
    assert Tajuk.objects.get(jenis="subjek", teks="Literasi").jumlah == 1
    assert not KosaKata.objects.filter(kata="perpustakaan").exists()  # gone from "did you mean"
    assert services.bangun_ulang_tajuk()["tajuk"] == Tajuk.objects.count()
    assert not KosaKata.objects.filter(kata="perpustakaan").exists()


# --- items ---------------------------------------------------------------------------


def test_tambah_eksemplar_bernomor_dan_memperbarui_ketersediaan(
    rekan_a, buat_rekaman, cabang, kategori
):
    k = buat_rekaman()
    items = services.tambah_eksemplar(
        k, cabang=cabang["jakpus-tanah-abang"], kategori=kategori["umum"], jumlah=3, oleh=rekan_a,
        tanggal_terima=date(2026, 3, 1),
    )  # fmt: skip
    assert [e.barcode for e in items] == ["00000000001", "00000000002", "00000000003"]
    assert [e.nomor_induk for e in items] == [
        "00001/JAKPUS/2026",
        "00002/JAKPUS/2026",
        "00003/JAKPUS/2026",
    ]
    k.refresh_from_db()
    assert k.cabang_pemilik == k.cabang_tersedia == [cabang["jakpus-tanah-abang"].pk]
    assert k.kategori_koleksi == [kategori["umum"].pk]
    assert AuditLog.objects.get(action="eksemplar.tambah").after["barcode"] == [
        e.barcode for e in items
    ]


def test_tambah_eksemplar_ditolak(rekan_a, orang_luar, buat_rekaman, cabang, kategori):
    from katalog.models import Lokasi

    k = buat_rekaman()
    tanah_abang = cabang["jakpus-tanah-abang"]
    with pytest.raises(services.KatalogGagal, match="1 sampai 200"):
        services.tambah_eksemplar(
            k, cabang=tanah_abang, kategori=kategori["umum"], jumlah=0, oleh=rekan_a
        )
    rak_lain = Lokasi.objects.create(cabang=cabang["cikini"], nama="Lt. 4")
    with pytest.raises(services.KatalogGagal, match="bukan milik"):
        services.tambah_eksemplar(
            k,
            cabang=tanah_abang,
            kategori=kategori["umum"],
            jumlah=1,
            oleh=rekan_a,
            lokasi=rak_lain,
        )
    with pytest.raises(PermissionDenied):  # another unit's branch
        services.tambah_eksemplar(
            k, cabang=tanah_abang, kategori=kategori["umum"], jumlah=1, oleh=orang_luar
        )
    assert not Eksemplar.objects.exists()


@pytest.fixture
def eksemplar(rekan_a, buat_rekaman, cabang, kategori):
    k = buat_rekaman()
    return services.tambah_eksemplar(
        k, cabang=cabang["jakpus-tanah-abang"], kategori=kategori["umum"], jumlah=2, oleh=rekan_a
    )


def test_status_hanya_berpindah_menurut_aturan(eksemplar):
    e = eksemplar[0]
    with pytest.raises(services.KatalogGagal, match="jatuh tempo"):
        services.ubah_status(e, StatusEksemplar.DIPINJAM)
    services.ubah_status(
        e, StatusEksemplar.DIPINJAM, jatuh_tempo=date.today() + timedelta(days=7), audit=False
    )
    with pytest.raises(services.KatalogGagal, match="tidak dapat menjadi Perbaikan"):
        services.ubah_status(e, StatusEksemplar.PERBAIKAN)
    services.ubah_status(e, StatusEksemplar.TERSEDIA, audit=False)
    e.refresh_from_db()
    assert e.jatuh_tempo is None
    services.ubah_status(e, StatusEksemplar.DIHAPUS)
    with pytest.raises(services.KatalogGagal):
        services.ubah_status(e, StatusEksemplar.TERSEDIA)


def test_ketersediaan_mengikuti_status(eksemplar, cabang):
    k = eksemplar[0].katalog
    tanah_abang = cabang["jakpus-tanah-abang"].pk
    for e in eksemplar:
        services.ubah_status(e, StatusEksemplar.DIPINJAM, jatuh_tempo=date.today(), audit=False)
    k.refresh_from_db()
    assert k.cabang_tersedia == [] and k.cabang_pemilik == [tanah_abang]
    services.ubah_status(eksemplar[0], StatusEksemplar.TERSEDIA, audit=False)
    k.refresh_from_db()
    assert k.cabang_tersedia == [tanah_abang]


def test_pindah_eksemplar(eksemplar, rekan_a, orang_luar, admin_dispusip, cabang):
    with pytest.raises(PermissionDenied):  # rekan_a may not put items in another unit
        services.pindahkan_eksemplar(eksemplar, cabang=cabang["cikini"], oleh=rekan_a)
    with pytest.raises(PermissionDenied):  # orang_luar may not take jakpus items
        services.pindahkan_eksemplar(
            eksemplar, cabang=cabang["jakbar-tanjung-duren"], oleh=orang_luar
        )
    services.ubah_status(
        eksemplar[1], StatusEksemplar.DIPINJAM, jatuh_tempo=date.today(), audit=False
    )
    with pytest.raises(services.KatalogGagal, match="sedang dipinjam"):
        services.pindahkan_eksemplar(eksemplar, cabang=cabang["cikini"], oleh=admin_dispusip)
    n = services.pindahkan_eksemplar(
        eksemplar[:1], cabang=cabang["cikini"], oleh=admin_dispusip, alasan="Rotasi"
    )
    assert n == 1
    e = Eksemplar.objects.get(pk=eksemplar[0].pk)
    assert e.cabang == cabang["cikini"] and e.unit == cabang["cikini"].unit
    log = AuditLog.objects.get(action="eksemplar.pindah")
    assert log.before == {"cabang": cabang["jakpus-tanah-abang"].nama}
    assert log.reason == "Rotasi"
    e.katalog.refresh_from_db()
    assert cabang["cikini"].pk in e.katalog.cabang_pemilik


def test_penyiangan_butuh_alasan_dan_tercatat(eksemplar, rekan_a):
    with pytest.raises(services.KatalogGagal, match="alasan"):
        services.tarik_eksemplar(eksemplar[0], oleh=rekan_a, alasan=" ")
    services.tarik_eksemplar(eksemplar[0], oleh=rekan_a, alasan="Rusak berat")
    e = Eksemplar.objects.get(pk=eksemplar[0].pk)
    assert e.status == StatusEksemplar.DIHAPUS
    assert AuditLog.objects.get(action="eksemplar.dihapus").reason == "Rusak berat"
    k = Katalog.objects.get(pk=e.katalog_id)
    assert len(Eksemplar.objects.aktif().filter(katalog=k)) == 1


def test_hilang_lalu_ditemukan(eksemplar, rekan_a, staf_a):
    with pytest.raises(PermissionDenied):  # circulation staff cannot change the collection
        services.tandai_hilang(eksemplar[0], oleh=staf_a)
    services.tandai_hilang(eksemplar[0], oleh=rekan_a)
    with pytest.raises(services.KatalogGagal):
        services.kembalikan_ke_rak(eksemplar[1], oleh=rekan_a)
    services.kembalikan_ke_rak(eksemplar[0], oleh=rekan_a, alasan="Ditemukan di rak lain")
    assert Eksemplar.objects.get(pk=eksemplar[0].pk).status == StatusEksemplar.TERSEDIA


@pytest.mark.django_db(transaction=True)
def test_dua_meja_menambah_eksemplar_bersamaan_tidak_pernah_ganda(
    rekan_a, buat_rekaman, cabang, kategori
):
    """Real concurrent transactions: the allocator serialises them, no barcode twice."""
    k = buat_rekaman()
    mulai = threading.Barrier(4)
    galat = []

    def tambah():
        try:
            mulai.wait()
            services.tambah_eksemplar(
                k,
                cabang=cabang["jakpus-tanah-abang"],
                kategori=kategori["umum"],
                jumlah=5,
                oleh=None,
            )
        except Exception as exc:  # pragma: no cover - reported below
            galat.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tambah) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not galat
    barcode = list(Eksemplar.objects.values_list("barcode", flat=True))
    induk = list(Eksemplar.objects.values_list("nomor_induk", flat=True))
    assert len(barcode) == len(set(barcode)) == 20
    assert len(induk) == len(set(induk)) == 20
    k.refresh_from_db()
    assert k.cabang_tersedia == [cabang["jakpus-tanah-abang"].pk]


@pytest.mark.django_db(transaction=True)
def test_status_bersamaan_pada_satu_rekaman_tetap_benar(eksemplar, cabang):
    """Two transactions changing different copies of one record: the arrays end right."""
    mulai = threading.Barrier(2)

    def pinjam(e):
        try:
            mulai.wait()
            services.ubah_status(e, StatusEksemplar.DIPINJAM, jatuh_tempo=date.today(), audit=False)
        finally:
            connection.close()

    threads = [threading.Thread(target=pinjam, args=(e,)) for e in eksemplar]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    k = Katalog.objects.get(pk=eksemplar[0].katalog_id)
    assert k.cabang_tersedia == []


def test_rekaman_tersembunyi_tidak_menjadi_saran(buat_rekaman, rekan_a):
    k = buat_rekaman("Rahasia internal", subjek=["Dokumen dinas"], oleh=rekan_a)
    services.atur_tampil_opac(k, tampil=False, oleh=rekan_a, alasan="Dokumen internal")
    assert not Tajuk.objects.filter(teks__in=["Rahasia internal", "Dokumen dinas"]).exists()
    assert AuditLog.objects.get(action="katalog.sembunyi").reason == "Dokumen internal"
    services.simpan_marc(marc_mod.record_dari_json(k.marc), oleh=rekan_a, katalog=k)
    assert not Tajuk.objects.filter(teks="Rahasia internal").exists()  # edits stay hidden
    assert not KosaKata.objects.filter(kata="rahasia").exists()
    services.bangun_ulang_tajuk()
    assert not Tajuk.objects.filter(teks="Rahasia internal").exists()
    services.atur_tampil_opac(k, tampil=True, oleh=rekan_a)
    assert Tajuk.objects.get(jenis="subjek", teks="Dokumen dinas").jumlah == 1
