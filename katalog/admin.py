"""Reference tables of the catalogue in the Django admin (imports with preview
through django-import-export); records and items are edited in the
cataloguing screens, where the MARC mapping and the item rules apply."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportMixin

from dispusip.admin import AuditedAdmin, ReadOnlyAdmin
from dispusip.models import SumberImpor
from katalog.models import Eksemplar, KategoriKoleksi, Lokasi


class KategoriKoleksiResource(resources.ModelResource):
    class Meta:
        model = KategoriKoleksi
        import_id_fields = ["kode"]
        fields = ["kode", "nama", "dapat_dipinjam", "mengambang", "urutan"]


@admin.register(KategoriKoleksi)
class KategoriKoleksiAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [KategoriKoleksiResource]
    list_display = ["nama", "kode", "dapat_dipinjam", "mengambang", "urutan"]
    list_editable = ["urutan"]
    search_fields = ["nama", "kode"]


class LokasiResource(resources.ModelResource):
    class Meta:
        model = Lokasi
        import_id_fields = ["cabang", "nama"]
        fields = ["cabang", "nama"]


@admin.register(Lokasi)
class LokasiAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [LokasiResource]
    list_display = ["nama", "cabang"]
    list_filter = ["cabang__unit"]
    search_fields = ["nama", "cabang__nama"]
    autocomplete_fields = ["cabang"]


class LabelUlangFilter(admin.SimpleListFilter):
    """Items whose barcode collided with one already in the province when they were
    imported: they carry their source's prefix and need a new label printed."""

    title = _("perlu dilabel ulang (awalan sumber impor)")
    parameter_name = "label_ulang"

    def lookups(self, request, model_admin):
        return [(s.pk, f"{s.nama} ({s.awalan})") for s in SumberImpor.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            sumber = SumberImpor.objects.filter(pk=self.value()).first()
            return queryset.filter(barcode__startswith=sumber.awalan) if sumber else queryset.none()
        return queryset


@admin.register(Eksemplar)
class EksemplarAdmin(ReadOnlyAdmin):
    """A look-up for administrators; changes go through the cataloguing screens."""

    list_display = ["barcode", "nomor_induk", "katalog", "cabang", "status", "jatuh_tempo"]
    list_filter = ["status", "cabang__unit", "perlu_verifikasi", LabelUlangFilter]
    search_fields = ["barcode", "nomor_induk"]
    list_select_related = ["katalog", "cabang"]
