from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SerahSimpanConfig(AppConfig):
    name = "serah_simpan"
    verbose_name = _("Serah Simpan")
