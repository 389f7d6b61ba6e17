"""The agency's seven service units and their known main service points.

Real data (shared/reference/domain.md, section 5); later changes go through
the admin, which audits them. Demo branches come from `seed_demo`, not here.
"""

from django.db import migrations

UNITS = [
    # kode, nama, nama singkat, jenis, wilayah, alamat, urutan
    ("dinas", "Dinas Perpustakaan dan Kearsipan Provinsi DKI Jakarta", "Dinas", "dinas",
     "Provinsi DKI Jakarta", "Jl. Cikini Raya No. 73, Taman Ismail Marzuki, Jakarta Pusat", 0),
    ("jakpus", "Suku Dinas Perpustakaan dan Kearsipan Kota Administrasi Jakarta Pusat",
     "Sudin Jakarta Pusat", "suku_dinas", "Jakarta Pusat", "Jl. Tanah Abang I, Jakarta Pusat", 1),
    ("jakut", "Suku Dinas Perpustakaan dan Kearsipan Kota Administrasi Jakarta Utara",
     "Sudin Jakarta Utara", "suku_dinas", "Jakarta Utara", "Jl. Gereja Tugu No. 21, Semper, Jakarta Utara", 2),
    ("jakbar", "Suku Dinas Perpustakaan dan Kearsipan Kota Administrasi Jakarta Barat",
     "Sudin Jakarta Barat", "suku_dinas", "Jakarta Barat",
     "Jl. Tanjung Duren Barat No. 36, Pedurenan, Jakarta Barat", 3),
    ("jaksel", "Suku Dinas Perpustakaan dan Kearsipan Kota Administrasi Jakarta Selatan",
     "Sudin Jakarta Selatan", "suku_dinas", "Jakarta Selatan",
     "Jl. Gandaria Tengah V No. 3, Pela, Jakarta Selatan", 4),
    ("jaktim", "Suku Dinas Perpustakaan dan Kearsipan Kota Administrasi Jakarta Timur",
     "Sudin Jakarta Timur", "suku_dinas", "Jakarta Timur",
     "Jl. Jatinegara Timur IV, Rawa Bunga, Jakarta Timur", 5),
    ("kepseribu", "Unit Perpustakaan dan Kearsipan Kabupaten Administrasi Kepulauan Seribu",
     "Kepulauan Seribu", "kabupaten", "Kepulauan Seribu",
     "Jl. Pulau Pramuka No. 9, Kepulauan Seribu", 6),
]  # fmt: skip

CABANG = [
    # unit kode, kode, nama, alamat, jam buka
    ("dinas", "cikini", "Perpustakaan Jakarta Cikini",
     "Gedung Ali Sadikin, Taman Ismail Marzuki, Jl. Cikini Raya No. 73, Jakarta Pusat",
     "Senin–Minggu 09.00–17.00"),
    ("dinas", "pds-hb-jassin", "PDS H.B. Jassin",
     "Gedung Ali Sadikin, Taman Ismail Marzuki, Jl. Cikini Raya No. 73, Jakarta Pusat",
     "Senin–Minggu 09.00–17.00 (baca di tempat)"),
    ("jakpus", "jakpus-tanah-abang", "Perpustakaan Jakarta Pusat", "Jl. Tanah Abang I, Jakarta Pusat", ""),
    ("jakut", "jakut-semper", "Perpustakaan Jakarta Utara", "Jl. Gereja Tugu No. 21, Semper, Jakarta Utara", ""),
    ("jakbar", "jakbar-tanjung-duren", "Perpustakaan Jakarta Barat",
     "Jl. Tanjung Duren Barat No. 36, Pedurenan, Jakarta Barat", ""),
    ("jaksel", "jaksel-gandaria", "Perpustakaan Jakarta Selatan",
     "Jl. Gandaria Tengah V No. 3, Pela, Jakarta Selatan", ""),
    ("jaktim", "jaktim-rawa-bunga", "Perpustakaan Jakarta Timur",
     "Jl. Jatinegara Timur IV, Rawa Bunga, Jakarta Timur", ""),
    ("kepseribu", "kepseribu-pramuka", "Perpustakaan Kepulauan Seribu",
     "Jl. Pulau Pramuka No. 9, Kepulauan Seribu", ""),
]  # fmt: skip


def tambah(apps, schema_editor):
    Unit = apps.get_model("dispusip", "Unit")
    Cabang = apps.get_model("dispusip", "Cabang")
    for kode, nama, singkat, jenis, wilayah, alamat, urutan in UNITS:
        Unit.objects.update_or_create(
            kode=kode,
            defaults={
                "nama": nama,
                "nama_singkat": singkat,
                "jenis": jenis,
                "wilayah": wilayah,
                "alamat": alamat,
                "urutan": urutan,
            },
        )
    for unit_kode, kode, nama, alamat, jam in CABANG:
        Cabang.objects.update_or_create(
            kode=kode,
            defaults={
                "unit": Unit.objects.get(kode=unit_kode),
                "nama": nama,
                "alamat": alamat,
                "jam_buka": jam,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dispusip", "0001_initial")]

    operations = [migrations.RunPython(tambah, migrations.RunPython.noop)]
