from django.db import migrations

KATEGORI = [
    ("umum", "Umum", 12, 10),
    ("pelajar", "Pelajar", 12, 20),
    ("mahasiswa", "Mahasiswa", 12, 30),
    ("guru", "Guru", 24, 40),
    ("lansia", "Lansia", 36, 50),
    ("disabilitas", "Disabilitas", 36, 60),
]


def isi(apps, schema_editor):
    KategoriAnggota = apps.get_model("sirkulasi", "KategoriAnggota")
    AturanPeminjaman = apps.get_model("sirkulasi", "AturanPeminjaman")
    for kode, nama, bulan, urutan in KATEGORI:
        KategoriAnggota.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "masa_berlaku_bulan": bulan, "urutan": urutan}
        )
    # The default rule every loan falls back to (sirkulasi.aturan).
    AturanPeminjaman.objects.get_or_create(
        unit=None,
        kategori_anggota=None,
        kategori_koleksi=None,
        jenis_bahan="",
        defaults={
            "lama_pinjam": 7,
            "maks_pinjam": 3,
            "maks_perpanjang": 1,
            "denda_per_hari": 500,
            "denda_maks": 25000,
            "hari_toleransi": 0,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("sirkulasi", "0001_initial")]
    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
