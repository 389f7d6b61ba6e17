from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KearsipanConfig(AppConfig):
    name = "kearsipan"
    verbose_name = _("Kearsipan")
