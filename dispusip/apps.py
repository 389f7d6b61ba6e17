from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DispusipConfig(AppConfig):
    name = "dispusip"
    default = True
    verbose_name = _("Inti portal")

    def ready(self) -> None:
        from dispusip import impor, signals, stats, tasks  # noqa: F401  (register handlers and jobs)
        from dispusip import registry as reg
        from dispusip.peran import Peran

        r = reg.registry
        r.add_nav(
            reg.NavEntry(
                label=_("Log audit"),
                url_name="audit_daftar",
                description=_("Siapa mengubah apa, kapan, dari unit mana; ekspor ke XLSX."),
                permission="dispusip.view_auditlog",
                order=900,
            )
        )
        r.add_nav(
            reg.NavEntry(
                label=_("Impor data"),
                url_name="impor",
                description=_("Katalog, eksemplar, dan anggota dari Inlislite, SLiMS, atau MARC."),
                test=lambda user: any(user.has_perm(p.izin) for p in impor.semua_pengimpor()),
                order=890,
            )
        )
        r.add_nav(
            reg.NavEntry(
                label=_("Pekerjaan latar belakang"),
                url_name="job_daftar",
                description=_("Ekspor dan impor yang berjalan di belakang layar, dengan hasilnya."),
                order=910,
            )
        )
        r.add_nav(
            reg.NavEntry(
                label=_("Administrasi"),
                url_name="admin:index",
                description=_("Pengguna, peran, unit, dan cabang."),
                test=lambda user: user.berperan(Peran.ADMINISTRATOR),
                order=990,
            )
        )
        r.add_card(
            reg.DashboardCard(
                title=_("Pekerjaan terakhir saya"),
                template="dispusip/_kartu_job_terakhir.html",
                context=stats.kartu_job_terakhir,
                test=stats.punya_job,
                order=900,
            )
        )
        r.add_statistic(
            reg.StatisticProvider(
                key="cabang_aktif", label=_("Cabang aktif"), compute=stats.cabang_aktif, order=10
            )
        )
        r.add_statistic(
            reg.StatisticProvider(
                key="staf_aktif", label=_("Staf aktif"), compute=stats.staf_aktif, order=20
            )
        )
        r.grant(
            Peran.ADMINISTRATOR,
            [
                "dispusip.view_auditlog",
                "dispusip.view_unit",
                "dispusip.change_unit",
                "dispusip.view_cabang",
                "dispusip.add_cabang",
                "dispusip.change_cabang",
                "dispusip.view_pengguna",
                "dispusip.add_pengguna",
                "dispusip.change_pengguna",
                "dispusip.view_job",
                "dispusip.view_formatpenomoran",
                "dispusip.add_formatpenomoran",
                "dispusip.change_formatpenomoran",
                "dispusip.view_penomor",
                "dispusip.view_sumberimpor",
                "dispusip.change_sumberimpor",
                "auth.view_group",
                "auth.change_group",
            ],
        )
        post_migrate.connect(signals.sinkron_peran_setelah_migrate)


class DispusipAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "dispusip.admin_site.DispusipAdminSite"
