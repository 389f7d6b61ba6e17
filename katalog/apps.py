from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KatalogConfig(AppConfig):
    name = "katalog"
    verbose_name = _("Katalog")
