from django.db import migrations

KATEGORI = [
    ("umum", "Koleksi Umum", True, 10),
    ("referensi", "Koleksi Referensi", False, 20),
    ("anak", "Koleksi Anak", True, 30),
    ("remaja", "Koleksi Remaja", True, 40),
    ("deposit", "Koleksi Deposit", False, 50),
    ("langka", "Koleksi Langka / Khusus", False, 60),
    ("hb-jassin", "Koleksi PDS HB Jassin", False, 70),
    ("terbitan-berkala", "Terbitan Berkala", True, 80),
    ("audio-visual", "Koleksi Audio-Visual", True, 90),
]


def isi(apps, schema_editor):
    KategoriKoleksi = apps.get_model("katalog", "KategoriKoleksi")
    for kode, nama, dapat_dipinjam, urutan in KATEGORI:
        KategoriKoleksi.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "dapat_dipinjam": dapat_dipinjam, "urutan": urutan}
        )


class Migration(migrations.Migration):
    dependencies = [("katalog", "0001_initial")]
    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
