from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SirkulasiConfig(AppConfig):
    name = "sirkulasi"
    verbose_name = _("Sirkulasi")
