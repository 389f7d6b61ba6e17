"""Reference tables of circulation in the Django admin: member categories, loan
rules and the closing-day calendar (imports with preview through
django-import-export). Members, loans and fines change only at the desk,
through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.admin import ImportExportMixin

from dispusip.admin import AuditedAdmin, ReadOnlyAdmin
from sirkulasi import services
from sirkulasi.models import (
    AturanPeminjaman,
    HariLibur,
    HariTutupMingguan,
    KategoriAnggota,
    Pemberitahuan,
)


class KategoriAnggotaResource(resources.ModelResource):
    class Meta:
        model = KategoriAnggota
        import_id_fields = ["kode"]
        fields = ["kode", "nama", "masa_berlaku_bulan", "urutan"]


@admin.register(KategoriAnggota)
class KategoriAnggotaAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [KategoriAnggotaResource]
    list_display = ["nama", "kode", "masa_berlaku_bulan", "urutan"]
    list_editable = ["urutan"]
    search_fields = ["nama", "kode"]


class AturanPeminjamanResource(resources.ModelResource):
    class Meta:
        model = AturanPeminjaman
        import_id_fields = ["unit", "kategori_anggota", "kategori_koleksi", "jenis_bahan"]
        exclude = ["id"]


@admin.register(AturanPeminjaman)
class AturanPeminjamanAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [AturanPeminjamanResource]
    list_display = [
        "__str__",
        "lama_pinjam",
        "maks_pinjam",
        "maks_per_jenis",
        "maks_perpanjang",
        "denda_per_hari",
        "denda_maks",
        "hari_toleransi",
        "skors_per_hari",
        "boleh_reservasi",
    ]
    list_filter = ["unit", "kategori_anggota", "kategori_koleksi", "jenis_bahan"]

    def has_delete_permission(self, request, obj=None):
        # The all-empty rule is the default every loan falls back to.
        bawaan = obj is not None and obj.kekhususan == 0
        return not bawaan and super().has_delete_permission(request, obj)


class HariLiburResource(resources.ModelResource):
    class Meta:
        model = HariLibur
        import_id_fields = ["mulai", "keterangan"]
        fields = ["mulai", "selesai", "jenis", "keterangan", "unit", "cabang"]


@admin.register(HariLibur)
class HariLiburAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [HariLiburResource]
    list_display = ["keterangan", "mulai", "selesai", "jenis", "lingkup_tampil"]
    list_filter = ["jenis", "unit"]
    date_hierarchy = "mulai"
    search_fields = ["keterangan"]
    actions = ["geser_jatuh_tempo"]

    @admin.action(
        description=gettext_lazy(
            "Geser jatuh tempo dan batas ambil reservasi yang jatuh pada penutupan ini"
        ),
        permissions=["change"],
    )
    def geser_jatuh_tempo(self, request, queryset):
        for libur in queryset:
            jumlah = services.geser_karena_penutupan(libur, oleh=request.user)
            self.message_user(
                request,
                _("%(l)s: %(p)s jatuh tempo dan %(r)s batas ambil reservasi digeser.")
                % {"l": libur, "p": jumlah["pinjaman"], "r": jumlah["reservasi"]},
                messages.SUCCESS,
            )


@admin.register(HariTutupMingguan)
class HariTutupMingguanAdmin(AuditedAdmin):
    list_display = ["cabang", "hari"]
    list_filter = ["hari", "cabang__unit"]


@admin.register(Pemberitahuan)
class PemberitahuanAdmin(ReadOnlyAdmin):
    list_display = ["dibuat", "anggota", "jenis", "status", "saluran"]
    list_filter = ["jenis", "status", "saluran"]
    search_fields = ["anggota__nomor", "anggota__nama", "kunci"]
    date_hierarchy = "dibuat"
