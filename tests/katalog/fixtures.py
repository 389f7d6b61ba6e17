"""Fixtures of the catalogue: collection categories, and records made the way staff make them."""

import importlib

import pytest

from katalog import marc as marc_mod
from katalog import services


@pytest.fixture
def kategori(data_induk):
    """Collection categories (a data migration), also after a transactional flush."""
    from django.apps import apps

    from katalog.models import KategoriKoleksi

    importlib.import_module("katalog.migrations.0002_kategori_koleksi").isi(apps, None)
    return {k.kode: k for k in KategoriKoleksi.objects.all()}


@pytest.fixture
def buat_rekaman(kategori):
    """Make a record through the MARC mapping and simpan_marc, as the staff form does."""

    def buat(judul="Laskar pelangi", oleh=None, **isian):
        isian.setdefault("jenis", "monograf")
        isian.setdefault("pengarang", [("Hirata, Andrea", "pengarang")])
        record = marc_mod.terapkan_isian(
            marc_mod.record_kosong(), marc_mod.Isian(judul=judul, **isian)
        )
        return services.simpan_marc(record, oleh=oleh)

    return buat


@pytest.fixture
def cabang(data_induk):
    from dispusip.models import Cabang

    return {c.kode: c for c in Cabang.objects.select_related("unit")}
