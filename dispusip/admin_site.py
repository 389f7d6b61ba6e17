from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dispusip.peran import Peran


class DispusipAdminSite(admin.AdminSite):
    site_header = _("Administrasi Portal Dispusip")
    site_title = _("Admin Dispusip")
    index_title = _("Data induk dan akses")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.berperan(Peran.ADMINISTRATOR)
