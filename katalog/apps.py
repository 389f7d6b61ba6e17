from celery.schedules import crontab
from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class KatalogConfig(AppConfig):
    name = "katalog"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from dispusip import impor
        from dispusip import registry as reg
        from dispusip.peran import Peran
        from katalog import stats, tasks  # noqa: F401  (register jobs)
        from katalog.impor import PengimporKatalog

        impor.daftarkan(PengimporKatalog())
        self._lupakan_nama_saat_berubah()
        r = reg.registry
        r.add_nav(
            reg.NavEntry(
                label=_("Katalog"),
                url_name="katalog:daftar",
                description=_("Cari, buat, dan sunting rekaman; tambah dan kelola eksemplar."),
                permission="katalog.view_katalog",
                order=10,
            )
        )
        r.add_urls("opac/", "katalog.urls_opac")
        r.add_urls("api/v1/katalog/", "katalog.urls_api")
        r.add_urls("staf/katalog/", "katalog.urls")
        r.add_public_nav(reg.NavEntry(label=_("Cari koleksi"), url_name="opac:cari", order=10))
        r.add_home_section("katalog/opac/_beranda.html")
        r.disallow_robots("/opac/?", "/opac/saran/", "/api/")
        r.add_numbering(
            reg.NumberingKind(
                kind="katalog.nomor_kontrol",
                label=_("Nomor kontrol katalog (001)"),
                pattern="DKI{nomor:012d}",
            )
        )
        r.add_numbering(
            reg.NumberingKind(
                kind="katalog.barcode",
                label=_("Barcode eksemplar"),
                pattern="{nomor:011d}",
            )
        )
        r.add_numbering(
            reg.NumberingKind(
                kind="katalog.nomor_induk",
                label=_("Nomor induk eksemplar"),
                pattern="{nomor:05d}/{kode}/{tahun}",
                reset="tahunan",
                parts=("kode",),
            )
        )
        r.add_statistic(
            reg.StatisticProvider(
                key="judul_koleksi", label=_("Judul koleksi"), compute=stats.judul, order=30
            )
        )
        r.add_statistic(
            reg.StatisticProvider(
                key="eksemplar_koleksi",
                label=_("Eksemplar koleksi"),
                compute=stats.eksemplar,
                order=40,
            )
        )
        baca = ["katalog.view_katalog", "katalog.view_eksemplar", "katalog.view_sumberdigital"]
        kelola = [
            f"katalog.{aksi}_{model}"
            for model in ("katalog", "eksemplar", "sumberdigital")
            for aksi in ("view", "add", "change")
        ]
        r.grant(Peran.KATALOGISASI, kelola)
        r.grant(
            Peran.ADMINISTRATOR,
            [
                *kelola,
                *(
                    f"katalog.{aksi}_{model}"
                    for model in ("kategorikoleksi", "lokasi")
                    for aksi in ("view", "add", "change", "delete")
                ),
            ],
        )
        r.grant(Peran.SIRKULASI, baca)
        r.grant(Peran.SERAH_SIMPAN, baca)
        r.grant(Peran.PIMPINAN, baca)
        r.add_demo_seeder("katalog.demo.isi_demo")
        beat = settings.CELERY_BEAT_SCHEDULE
        # Every save keeps heading counts current; a nightly recount corrects drift.
        beat.setdefault(
            "katalog-bangun-ulang-tajuk",
            {"task": "katalog.bangun_ulang_tajuk", "schedule": crontab(hour=3, minute=5)},
        )

    def _lupakan_nama_saat_berubah(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dispusip.models import Cabang, Unit
        from katalog.models import KategoriKoleksi
        from katalog.pencarian import lupakan_nama_rujukan

        for model in (Cabang, Unit, KategoriKoleksi):
            for sinyal in (post_save, post_delete):
                sinyal.connect(
                    lupakan_nama_rujukan,
                    sender=model,
                    dispatch_uid=f"nama-rujukan-{model.__name__}",
                )
