from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin  # noqa: F401  (registers Group first)
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin

from dispusip import audit, penomoran
from dispusip.http import alamat_klien
from dispusip.models import (
    AuditLog,
    Cabang,
    FormatPenomoran,
    Job,
    Pengguna,
    Penomor,
    SumberImpor,
    Unit,
)
from dispusip.peran import periksa_peran
from dispusip.registry import registry

SKIPPED_FIELDS = {"last_login"}
# Compared to see a change, but never written to the log: the hash is a secret.
SECRET_FIELDS = {"password"}


def snapshot(obj: models.Model) -> dict:
    """The fields of obj worth auditing, as plain values (m2m as sorted names)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        data[field.name] = field.value_from_object(obj)
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    if isinstance(obj, Pengguna):
        data["password"] = (
            obj.password[-12:] if obj.password else ""
        )  # a change shows, the hash does not
    return data


class AuditedAdmin(admin.ModelAdmin):
    """Writes every add, change and delete made in the Django admin to the audit log."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            request._audit_sebelum = snapshot(obj)
        return obj

    def _catat(self, request, obj, aksi: str, sebelum: dict, sesudah: dict, pesan: str = ""):
        changed = {k for k in {*sebelum, *sesudah} if sebelum.get(k) != sesudah.get(k)}

        def tampil(data: dict) -> dict:
            return {k: "***" if k in SECRET_FIELDS else data.get(k) for k in changed if k in data}

        audit.catat(
            aksi=f"{obj._meta.model_name}.{aksi}",
            oleh=request.user,
            objek=obj,
            sebelum=tampil(sebelum),
            sesudah=tampil(sesudah),
            alasan=f"Admin Django: {pesan}" if pesan else "Admin Django",
            ip=alamat_klien(request),
        )

    def log_addition(self, request, obj, message):
        self._catat(request, obj, "dibuat", {}, snapshot(obj))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        sebelum = getattr(request, "_audit_sebelum", {})
        self._catat(request, obj, "diubah", sebelum, snapshot(obj), self._pesan(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._catat(request, obj, "dihapus", snapshot(obj), {})
        return super().log_deletions(request, queryset)

    @staticmethod
    def _pesan(message) -> str:
        if isinstance(message, str):
            return message
        parts = []
        for item in message or []:
            for verb, detail in item.items():
                fields = ", ".join(detail.get("fields", [])) if isinstance(detail, dict) else ""
                parts.append(f"{verb} {fields}".strip())
        return "; ".join(parts)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["nama", "kode", "jenis", "wilayah", "aktif"]
    list_filter = ["jenis", "aktif"]
    search_fields = ["nama", "kode"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # units are fixed by regulation; deactivate instead


class CabangResource(resources.ModelResource):
    """Branches in bulk (a new Sudin's reading rooms), previewed before they are saved."""

    unit = fields.Field(
        attribute="unit", column_name="unit", widget=widgets.ForeignKeyWidget(Unit, "kode")
    )

    class Meta:
        model = Cabang
        import_id_fields = ["kode"]
        fields = ["kode", "nama", "unit", "alamat", "jam_buka", "telepon", "aktif"]
        skip_unchanged = True
        report_skipped = True


@admin.register(Cabang)
class CabangAdmin(ImportExportMixin, AuditedAdmin):
    resource_classes = [CabangResource]
    list_display = ["nama", "kode", "unit", "jam_buka", "aktif"]
    list_filter = ["unit", "aktif"]
    search_fields = ["nama", "kode", "alamat"]
    list_select_related = ["unit"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # branches are referenced by history; deactivate instead


class PenggunaChangeForm(UserChangeForm):
    def clean(self):
        data = super().clean()
        groups = data.get("groups")
        if groups is not None:
            unit = data.get("unit")
            try:
                periksa_peran(unit_id=unit.pk if unit else None, peran=[g.name for g in groups])
            except ValidationError as exc:
                self.add_error("groups", exc)
        return data


@admin.register(Pengguna)
class PenggunaAdmin(AuditedAdmin, UserAdmin):
    form = PenggunaChangeForm
    list_display = ["username", "first_name", "last_name", "unit", "cabang", "is_active"]
    list_filter = ["unit", "groups", "is_active"]
    list_select_related = ["unit", "cabang"]
    autocomplete_fields = ["cabang", "cabang_kerja"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Unit dan cabang"), {"fields": ["unit", "cabang", "cabang_kerja"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Unit dan cabang"), {"fields": ["first_name", "last_name", "email", "unit", "cabang"]}),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the audit log refers to people; deactivate accounts instead

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes superusers or hands out single permissions;
        # an Administrator works through roles.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly


# Replace the stock Group admin with an audited one.
admin.site.unregister(Group)


@admin.register(Group)
class PeranAdmin(AuditedAdmin, GroupAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only the system writes: browsable, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "unit", "action", "object_repr"]
    list_filter = ["unit", "action"]
    search_fields = ["actor_name", "object_repr", "action"]
    show_full_result_count = False  # counting millions of rows on every page is slow


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "started_by", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]


class FormatPenomoranForm(forms.ModelForm):
    class Meta:
        model = FormatPenomoran
        fields = ["jenis", "pola", "reset"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"] = forms.ChoiceField(
            label=_("Jenis nomor"),
            choices=[
                (k.kind, f"{k.label} (bawaan: {k.pattern})")
                for k in sorted(registry.numbering.values(), key=lambda k: str(k.label))
            ],
        )


@admin.register(FormatPenomoran)
class FormatPenomoranAdmin(AuditedAdmin):
    form = FormatPenomoranForm
    list_display = ["jenis", "pola", "reset", "nomor_berikutnya"]

    @admin.display(description=_("Nomor berikutnya"))
    def nomor_berikutnya(self, obj) -> str:
        try:
            return penomoran.pratinjau(obj.jenis)
        except (LookupError, ValueError, KeyError):
            return "—"

    def has_module_permission(self, request) -> bool:
        # Shown once an app has registered something to number.
        return bool(registry.numbering) and super().has_module_permission(request)


@admin.register(Penomor)
class PenomorAdmin(ReadOnlyAdmin):
    """Counters are read-only: setting one back would hand out a number twice."""

    list_display = ["jenis", "lingkup", "nilai"]
    list_filter = ["jenis"]

    def has_module_permission(self, request) -> bool:
        return bool(registry.numbering) and super().has_module_permission(request)


@admin.register(SumberImpor)
class SumberImporAdmin(AuditedAdmin):
    """The installations data was imported from, and the prefix each gives its colliding
    barcodes (the items that got it are filtered in the items' list, for relabelling)."""

    list_display = ["nama", "awalan", "dibuat"]
    search_fields = ["nama", "awalan"]
    readonly_fields = ["nama", "dibuat"]
    fields = ["nama", "awalan", "dibuat"]

    def has_add_permission(self, request) -> bool:
        return False  # a source is named when its first import runs

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its import maps keep re-imports idempotent
