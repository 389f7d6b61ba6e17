"""Load demonstration data: demo branches and one staff account per role.

For development and demos only: refuses to run when DJANGO_DEBUG is off, so
production never gets accounts with a published password. Safe to run again:
what exists is left alone, and the credentials are printed each time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from dispusip import services
from dispusip.models import Cabang, Pengguna, Unit
from dispusip.peran import Peran
from dispusip.registry import registry

PASSWORD = "dispusip-demo"

# (unit kode, branch kode, name, address, opening hours)
CABANG_DEMO = [
    ("jakpus", "jakpus-menteng", "Perpustakaan Kecamatan Menteng", "Jl. Besuki No. 1, Menteng", "Senin–Jumat 08.00–16.00"),
    ("jakut", "jakut-rptra-kalijodo", "Perpustakaan RPTRA Kalijodo", "Jl. Kepanduan II, Penjaringan", "Selasa–Minggu 09.00–17.00"),
    ("jakbar", "jakbar-kebon-jeruk", "Perpustakaan Kelurahan Kebon Jeruk", "Jl. Raya Kebon Jeruk, Kebon Jeruk", "Senin–Jumat 08.00–16.00"),
    ("jaksel", "jaksel-tebet", "Perpustakaan Kecamatan Tebet", "Jl. Tebet Barat Raya, Tebet", "Senin–Sabtu 08.00–16.00"),
    ("jaktim", "jaktim-duren-sawit", "Perpustakaan Kecamatan Duren Sawit", "Jl. Swadaya Raya, Duren Sawit", "Senin–Jumat 08.00–16.00"),
    ("kepseribu", "kepseribu-pulau-tidung", "Taman Bacaan Pulau Tidung", "Pulau Tidung, Kepulauan Seribu Selatan", "Senin–Sabtu 08.00–15.00"),
]  # fmt: skip

# (username, first name, last name, role, unit kode, home branch kode)
AKUN_DEMO = [
    ("admin", "Admin", "Dispusip", Peran.ADMINISTRATOR, "dinas", "cikini"),
    ("sirkulasi", "Sari", "Sirkulasi", Peran.SIRKULASI, "jakpus", "jakpus-tanah-abang"),
    ("katalog", "Kartika", "Katalog", Peran.KATALOGISASI, "dinas", "cikini"),
    ("deposit", "Dedi", "Deposit", Peran.SERAH_SIMPAN, "dinas", "cikini"),
    ("pembinaan", "Bina", "Pembinaan", Peran.PEMBINAAN, "jaksel", "jaksel-gandaria"),
    ("arsip", "Arif", "Arsip", Peran.ARSIPARIS, "dinas", None),
    ("literasi", "Lita", "Literasi", Peran.LITERASI, "jaktim", "jaktim-rawa-bunga"),
    ("pimpinan", "Pimpinan", "Dinas", Peran.PIMPINAN, "dinas", None),
]


class Command(BaseCommand):
    help = "Create demo branches and one staff account per role (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG=true: no demo accounts in production."
            )
        with transaction.atomic():
            self._cabang()
            created = self._akun()
        for dotted_path in registry.demo_seeders:
            import_string(dotted_path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new accounts)."))
        self.stdout.write(f"Demo accounts (password for all: {PASSWORD}):")
        for username, _first, _last, peran, unit, _cabang in AKUN_DEMO:
            self.stdout.write(f"  {username:<10} {peran.label:<22} {unit}")

    def _cabang(self) -> None:
        for unit_kode, kode, nama, alamat, jam in CABANG_DEMO:
            Cabang.objects.get_or_create(
                kode=kode,
                defaults={
                    "unit": Unit.objects.get(kode=unit_kode),
                    "nama": nama,
                    "alamat": alamat,
                    "jam_buka": jam,
                },
            )

    def _akun(self) -> int:
        created = 0
        admin = Pengguna.objects.filter(username="admin").first()
        for username, first, last, peran, unit_kode, cabang_kode in AKUN_DEMO:
            if Pengguna.objects.filter(username=username).exists():
                continue
            pengguna = services.buat_staf(
                username=username,
                nama_depan=first,
                nama_belakang=last,
                email=f"{username}@demo.dispusip.invalid",
                unit=Unit.objects.get(kode=unit_kode),
                cabang=Cabang.objects.get(kode=cabang_kode) if cabang_kode else None,
                peran=[peran],
                password=PASSWORD,
                oleh=admin,
            )
            admin = admin or pengguna
            created += 1
        return created
