"""Importing MARC: preview, all-or-nothing, partial, idempotent re-import, conflicts,
union-catalogue matching by ISBN, and copies from 990 $a."""

from pathlib import Path

import pytest
from pymarc import Field, Subfield

from dispusip.jobs import JobGagal
from dispusip.models import Job, PetaImpor
from katalog import impor_marc
from katalog import marc as marc_mod
from katalog.models import Eksemplar, Katalog

# The job writes its progress through its own connection, outside the import transaction.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "progress"])
DATA = Path(__file__).resolve().parent.parent / "data"


def rekaman(judul, nomor="INLIS000000000000001", induk=(), isbn=None, **isian):
    isian.setdefault("jenis", "monograf")
    isian.setdefault("pengarang", [("Hirata, Andrea", "pengarang")])
    if isbn:
        isian["isbn"] = [isbn]
    r = marc_mod.terapkan_isian(marc_mod.record_kosong(), marc_mod.Isian(judul=judul, **isian))
    for f in r.get_fields("001"):
        r.remove_field(f)
    r.add_ordered_field(Field(tag="001", data=nomor))
    for n in induk:
        r.add_ordered_field(Field(tag="990", indicators=[" ", " "], subfields=[Subfield("a", n)]))
    return r


def berkas(*daftar) -> bytes:
    return b"".join(r.as_marc() for r in daftar)


@pytest.fixture
def jalankan(admin_dispusip, cabang, kategori):
    def impor(raw, sumber="Inlislite Sudin Jakarta Barat", sebagian=False):
        job = Job.objects.create(kind="katalog.impor_marc", started_by=admin_dispusip)
        hasil = impor_marc.impor_marc(
            job=job, raw=raw, berkas="ekspor.mrc", sumber=sumber,
            cabang=cabang["jakbar-tanjung-duren"], kategori=kategori["umum"], sebagian=sebagian,
        )  # fmt: skip
        return hasil, job

    return impor


def test_impor_membuat_rekaman_dan_eksemplar_990(jalankan):
    raw = berkas(
        rekaman("Laskar pelangi", "INLIS1", induk=["00123/PJK/2024", "00124/PJK/2024"]),
        rekaman("Sejarah Jakarta", "INLIS2", pengarang=[("Heuken, Adolf", "pengarang")]),
    )
    hasil, job = jalankan(raw)
    assert hasil["dibuat"] == 2 and hasil["eksemplar"] == 2
    e = Eksemplar.objects.get(nomor_induk="00123/PJK/2024")
    assert e.perlu_verifikasi and e.cabang.kode == "jakbar-tanjung-duren"
    assert e.katalog.judul.startswith("Laskar pelangi")
    assert PetaImpor.objects.count() == 2
    job.refresh_from_db()
    assert job.done == 2 and job.total == 2


def test_impor_ulang_idempoten_memperbarui_dan_konflik(jalankan, admin_dispusip):
    from katalog import services

    a, b = rekaman("Laskar pelangi", "INLIS1", induk=["001/A"]), rekaman("Bumi manusia", "INLIS2")
    jalankan(berkas(a, b))
    hasil, _job = jalankan(berkas(a, b))
    assert hasil["tetap"] == 2 and hasil["dibuat"] == 0 and hasil["eksemplar"] == 0
    assert Katalog.objects.count() == 2 and Eksemplar.objects.count() == 1

    # The source changes one record; the portal edits the other meanwhile.
    a2 = rekaman("Laskar pelangi : edisi revisi", "INLIS1", induk=["001/A"])
    kb = Katalog.objects.get(judul__startswith="Bumi")
    record = marc_mod.record_dari_json(kb.marc)
    services.simpan_marc(record, oleh=admin_dispusip, katalog=kb)
    b2 = rekaman("Bumi manusia (cetakan baru)", "INLIS2")
    hasil, _job = jalankan(berkas(a2, b2))
    assert hasil["diperbarui"] == 1 and hasil["konflik"] == 1
    assert Katalog.objects.filter(judul__startswith="Laskar pelangi : edisi revisi").exists()
    assert not Katalog.objects.filter(judul__contains="cetakan baru").exists()


def test_sumber_lain_dengan_isbn_sama_digabung(jalankan):
    jalankan(berkas(rekaman("Laskar pelangi", "INLIS1", isbn="978-979-1227-00-2", induk=["A/1"])))
    hasil, _job = jalankan(
        berkas(rekaman("Laskar pelangi", "1", isbn="9789791227002", induk=["B/1"])),
        sumber="SLiMS RPTRA Kalijodo",
    )
    assert hasil["digabung"] == 1 and Katalog.objects.count() == 1
    assert Eksemplar.objects.filter(katalog__judul__startswith="Laskar").count() == 2


def test_galat_membatalkan_semua_kecuali_mode_sebagian(jalankan):
    from katalog.models import Katalog as K

    tanpa_judul = rekaman("x", "INLIS9")
    tanpa_judul["245"].delete_subfield("a")
    raw = berkas(rekaman("Laskar pelangi", "INLIS1"), tanpa_judul)
    with pytest.raises(JobGagal, match="Tidak ada yang diimpor: 1 galat"):
        jalankan(raw)
    assert not K.objects.exists() and not PetaImpor.objects.exists()
    job = Job.objects.latest("pk")
    isi = job.result_file.read().decode("utf-8-sig")
    assert "245 $a" in isi and "Judul (245 $a) kosong" in isi
    hasil, _job = jalankan(raw, sebagian=True)
    assert hasil["dibuat"] == 1 and hasil["ditolak"] == 1 and hasil["galat"] == 1


def test_isbn_salah_hanya_peringatan_dan_disimpan_apa_adanya(jalankan):
    hasil, _job = jalankan(berkas(rekaman("Buku lama", "INLIS5", isbn="979-000-000-1")))
    assert hasil["dibuat"] == 1 and hasil["peringatan"] == 1
    assert Katalog.objects.get().isbn.startswith("979-000-000-1")


def test_nomor_induk_milik_judul_lain_dilaporkan(jalankan):
    jalankan(berkas(rekaman("Laskar pelangi", "INLIS1", induk=["X/1"])))
    with pytest.raises(JobGagal):
        jalankan(berkas(rekaman("Judul lain", "INLIS2", induk=["X/1"])))


def test_contoh_marc8_inlislite_terimpor(jalankan):
    hasil, _job = jalankan((DATA / "contoh_MARC_MRC.mrc").read_bytes(), sebagian=True)
    assert hasil["dibuat"] + hasil["digabung"] >= 1
    assert all("\ufffd" not in k.judul for k in Katalog.objects.all())


def test_pratinjau():
    ringkas = impor_marc.pratinjau(berkas(rekaman("Laskar pelangi", "INLIS1", induk=["1", "2"])))
    assert ringkas["jumlah"] == 1 and ringkas["contoh"][0]["eksemplar"] == 2


def test_layar_unggah_pratinjau_lalu_job(client, admin_dispusip, cabang, kategori, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from dispusip import jobs

    # Only the screens here: a live test worker must not run the job while this
    # test's database is flushed (the worker test covers the run).
    dikirim = []
    monkeypatch.setattr(jobs, "_kirim", lambda task, job_id: dikirim.append(job_id))
    client.force_login(admin_dispusip)
    url = reverse("katalog:impor")
    bukan = SimpleUploadedFile("anggota.csv", b"NO,NAMA\n1,Siti\n")
    data = {
        "sumber": "Inlislite Jakbar",
        "cabang": cabang["cikini"].pk,
        "kategori": kategori["umum"].pk,
    }
    r = client.post(url, {**data, "berkas": bukan})
    assert "bukan berkas MARC" in r.content.decode()
    raw = berkas(rekaman("Laskar pelangi", "INLIS1", induk=["9/9"]))
    r = client.post(url, {**data, "berkas": SimpleUploadedFile("ekspor.mrc", raw)})
    html = r.content.decode()
    assert "Laskar pelangi" in html and "Jalankan impor" in html
    r = client.post(reverse("katalog:impor_jalankan"))
    job = Job.objects.get(kind="katalog.impor_marc")
    assert r.url == job.get_absolute_url()
    assert (
        job.params["sumber"] == "Inlislite Jakbar" and job.params["cabang"] == cabang["cikini"].pk
    )
    # The session step is used once.
    assert client.post(reverse("katalog:impor_jalankan")).url == url


def test_katalogisasi_unit_lain_tidak_boleh_memilih_cabang_luar(client, rekan_a, cabang, kategori):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(rekan_a)  # Katalogisasi of Jakarta Pusat
    raw = berkas(rekaman("Laskar pelangi", "INLIS1"))
    r = client.post(
        reverse("katalog:impor"),
        {"sumber": "X", "cabang": cabang["cikini"].pk, "kategori": kategori["umum"].pk,
         "berkas": SimpleUploadedFile("e.mrc", raw)},
    )  # fmt: skip
    assert "Pilih pilihan yang valid" in r.content.decode() or "valid" in r.content.decode()
