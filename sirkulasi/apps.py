"""Members, loan rules, loans/returns/renewals, holds, fines, calendar, visitor log."""

from celery.schedules import crontab
from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SirkulasiConfig(AppConfig):
    name = "sirkulasi"
    verbose_name = _("Sirkulasi")

    def ready(self) -> None:
        from dispusip import impor
        from dispusip import registry as reg
        from dispusip.peran import Peran
        from sirkulasi import stats, tasks  # noqa: F401  (register tasks)
        from sirkulasi.impor import PengimporSirkulasi

        impor.daftarkan(PengimporSirkulasi())
        r = reg.registry
        r.add_nav(
            reg.NavEntry(
                label=_("Meja sirkulasi"),
                url_name="sirkulasi:meja",
                description=_("Pindai kartu anggota dan barcode: pinjam, kembali, perpanjang."),
                permission="sirkulasi.add_peminjaman",
                order=20,
            )
        )
        r.add_nav(
            reg.NavEntry(
                label=_("Anggota"),
                url_name="sirkulasi:anggota_daftar",
                description=_("Cari, daftarkan, perpanjang, dan blokir anggota."),
                permission="sirkulasi.view_anggota",
                order=21,
            )
        )
        r.add_urls("sirkulasi/", "sirkulasi.urls")
        r.add_urls("anggota/", "sirkulasi.urls_anggota")
        r.set_member_home("anggota:beranda")
        r.add_record_action("sirkulasi/anggota/_tombol_reservasi.html")
        r.disallow_robots("/anggota/")
        r.add_login_hint("sirkulasi/anggota/_petunjuk_masuk.html")
        r.add_numbering(
            reg.NumberingKind(
                kind="sirkulasi.nomor_anggota",
                label=_("Nomor anggota"),
                pattern="{tahun}{bulan}{nomor:06d}",
                reset="bulanan",
            )
        )
        r.add_numbering(
            reg.NumberingKind(
                kind="sirkulasi.kuitansi",
                label=_("Nomor kuitansi denda"),
                pattern="KW/{kode}/{tahun}/{nomor:06d}",
                reset="tahunan",
                parts=("kode",),
            )
        )
        r.add_login_resolver(stats.akun_dari_nomor)
        r.add_statistic(
            reg.StatisticProvider(
                key="anggota_aktif", label=_("Anggota aktif"), compute=stats.anggota_aktif, order=50
            )
        )
        r.add_statistic(
            reg.StatisticProvider(
                key="peminjaman_berjalan",
                label=_("Peminjaman berjalan"),
                compute=stats.peminjaman_berjalan,
                order=60,
            )
        )
        meja = [
            "sirkulasi.view_anggota",
            "sirkulasi.add_anggota",
            "sirkulasi.change_anggota",
            "sirkulasi.view_peminjaman",
            "sirkulasi.add_peminjaman",
            "sirkulasi.change_peminjaman",
            "sirkulasi.view_denda",
            "sirkulasi.change_denda",
            "sirkulasi.view_transit",
            "sirkulasi.view_reservasi",
            "sirkulasi.add_reservasi",
            "sirkulasi.change_reservasi",
            "sirkulasi.view_pemberitahuan",
            "sirkulasi.view_kunjungan",
            "sirkulasi.add_kunjungan",
            "sirkulasi.view_bacaditempat",
            "sirkulasi.add_bacaditempat",
        ]
        r.add_statistic(
            reg.StatisticProvider(
                key="kunjungan_tahun_ini",
                label=_("Kunjungan tahun ini"),
                compute=stats.kunjungan_tahun_ini,
                order=70,
            )
        )
        r.grant(Peran.SIRKULASI, meja)
        r.grant(
            Peran.ADMINISTRATOR,
            [
                *meja,
                "sirkulasi.timpa_aturan",
                *(
                    f"sirkulasi.{aksi}_{model}"
                    for model in (
                        "kategorianggota",
                        "aturanpeminjaman",
                        "harilibur",
                        "haritutupmingguan",
                    )
                    for aksi in ("view", "add", "change", "delete")
                ),
            ],
        )
        r.grant(Peran.PIMPINAN, ["sirkulasi.view_anggota", "sirkulasi.view_peminjaman"])
        r.add_demo_seeder("sirkulasi.demo.isi_demo")
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "sirkulasi-kedaluwarsakan-reservasi",
            {"task": "sirkulasi.kedaluwarsakan_reservasi", "schedule": crontab(hour=0, minute=15)},
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "sirkulasi-anonimkan-riwayat",
            {"task": "sirkulasi.anonimkan_riwayat", "schedule": crontab(hour=1, minute=30)},
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "sirkulasi-akhiri-pinjaman-digital",
            {"task": "sirkulasi.akhiri_pinjaman_digital", "schedule": crontab(minute="*/5")},
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "sirkulasi-kirim-pemberitahuan",
            {"task": "sirkulasi.kirim_pemberitahuan", "schedule": crontab(minute="*/15")},
        )
