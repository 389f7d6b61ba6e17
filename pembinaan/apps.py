from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PembinaanConfig(AppConfig):
    name = "pembinaan"
    verbose_name = _("Pembinaan")
