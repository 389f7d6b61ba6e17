"""Fixtures of circulation: member categories, members, and copies on branch shelves."""

import importlib

import pytest

from katalog import services as katalog_services
from sirkulasi import services


@pytest.fixture
def kategori_anggota(data_induk):
    """Member categories and the default loan rule (a data migration), also after a flush."""
    from django.apps import apps

    from sirkulasi.models import KategoriAnggota

    importlib.import_module("sirkulasi.migrations.0002_kategori_dan_aturan_bawaan").isi(apps, None)
    return {k.kode: k for k in KategoriAnggota.objects.all()}


@pytest.fixture
def buat_anggota(kategori_anggota, cabang):
    def buat(nama="Siti Rahma", kategori="umum", cabang_kode="jakpus-tanah-abang", **data):
        data.setdefault("jenis_kelamin", "P")
        return services.daftarkan_anggota(
            {"nama": nama, "kategori": kategori_anggota[kategori], **data},
            cabang=cabang[cabang_kode],
            oleh=None,
        )

    return buat


@pytest.fixture
def buat_eksemplar(buat_rekaman, cabang, kategori):
    def buat(
        judul="Laskar pelangi", cabang_kode="jakpus-tanah-abang", jumlah=1, kat="umum", **isian
    ):
        k = buat_rekaman(judul, **isian)
        return katalog_services.tambah_eksemplar(
            k, cabang=cabang[cabang_kode], kategori=kategori[kat], jumlah=jumlah, oleh=None
        )

    return buat


@pytest.fixture
def meja(staf_a, cabang):
    """Sari at the desk of Perpustakaan Jakarta Pusat."""
    return {"oleh": staf_a, "cabang": cabang["jakpus-tanah-abang"]}
