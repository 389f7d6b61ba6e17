"""Demo data and the admin's reference tables."""

import pytest

from katalog import demo
from katalog.models import Eksemplar, Katalog, Tajuk

pytestmark = pytest.mark.django_db


def test_data_demo_realistis_dan_sekali_saja(kategori):
    assert demo.isi_demo(jumlah=40) == 40
    assert Katalog.objects.count() == 40
    assert Eksemplar.objects.count() >= 40
    assert Tajuk.objects.filter(jenis="subjek").exists()
    k = Katalog.objects.exclude(isbn="").first()
    from katalog import nomor_standar

    assert nomor_standar.masalah_isbn(k.isbn) is None  # demo ISBNs have valid check digits
    assert all(k.cabang_pemilik for k in Katalog.objects.all())
    assert demo.isi_demo(jumlah=40) == 0


def test_admin_tabel_rujukan(client, admin_dispusip, kategori):
    client.force_login(admin_dispusip)
    assert client.get("/admin/katalog/kategorikoleksi/").status_code == 200
    assert client.get("/admin/katalog/kategorikoleksi/export/").status_code == 200
    assert client.get("/admin/katalog/lokasi/").status_code == 200
    assert client.get("/admin/katalog/eksemplar/").status_code == 200
