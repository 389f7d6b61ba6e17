"""Changes made in the Django admin are audited too."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dispusip.models import AuditLog, Cabang
from dispusip.peran import Peran

pytestmark = pytest.mark.django_db


def _user_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "unit": user.unit_id or "",
        "cabang": user.cabang_id or "",
        "cabang_kerja": "",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(overrides)
    return data


def test_changing_roles_in_the_admin_is_audited(client, admin_dispusip, staf_a):
    client.force_login(admin_dispusip)
    katalog = Group.objects.get(name=Peran.KATALOGISASI)
    response = client.post(
        reverse("admin:dispusip_pengguna_change", args=[staf_a.pk]),
        _user_form(staf_a, groups=[katalog.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditLog.objects.get(action="pengguna.diubah")
    assert entry.actor == admin_dispusip
    assert entry.before["groups"] == ["Pustakawan Sirkulasi"]
    assert entry.after["groups"] == ["Katalogisasi"]
    assert entry.reason.startswith("Admin Django")


def test_password_change_in_the_admin_is_audited_without_the_hash(client, admin_dispusip, staf_a):
    client.force_login(admin_dispusip)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staf_a.pk]),
        {
            "password1": "Sandi-baru-2026!",
            "password2": "Sandi-baru-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="pengguna.diubah")
    assert entry.before == {"password": "***"}
    assert entry.after == {"password": "***"}


def test_group_permission_changes_are_audited(client, admin_dispusip):
    client.force_login(admin_dispusip)
    group = Group.objects.get(name=Peran.LITERASI)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": []}
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="group.diubah").exists()


def test_adding_a_branch_in_the_admin_is_audited(client, admin_dispusip):
    client.force_login(admin_dispusip)
    jaksel = Cabang.objects.get(kode="jaksel-gandaria").unit
    response = client.post(
        reverse("admin:dispusip_cabang_add"),
        {
            "unit": jaksel.pk,
            "kode": "jaksel-cilandak",
            "nama": "Perpustakaan Cilandak",
            "aktif": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="cabang.dibuat")
    assert entry.after["nama"] == "Perpustakaan Cilandak"
    assert entry.unit == jaksel


def test_audit_entries_cannot_be_changed_in_the_admin(client, admin_dispusip):
    client.force_login(admin_dispusip)
    assert client.get(reverse("admin:dispusip_auditlog_add")).status_code == 403


def test_an_administrator_cannot_make_superusers(client, admin_dispusip, staf_a):
    client.force_login(admin_dispusip)
    client.post(
        reverse("admin:dispusip_pengguna_change", args=[staf_a.pk]),
        _user_form(staf_a, is_superuser="on"),
    )
    staf_a.refresh_from_db()
    assert not staf_a.is_superuser


def test_roles_for_an_account_without_unit_are_refused_in_the_admin(
    client, admin_dispusip, anggota
):
    client.force_login(admin_dispusip)
    pimpinan = Group.objects.get(name=Peran.PIMPINAN)
    response = client.post(
        reverse("admin:dispusip_pengguna_change", args=[anggota.pk]),
        _user_form(anggota, groups=[pimpinan.pk]),
    )
    assert response.status_code == 200
    assert "punya unit" in response.content.decode()
    assert not anggota.groups.exists()


def test_cabang_diimpor_dengan_pratinjau_django_import_export(client, admin_dispusip):
    """Branches, like the other small reference tables, come in through
    django-import-export: a preview first (a bad unit is a row error), then the import."""
    client.force_login(admin_dispusip)
    url = reverse("admin:dispusip_cabang_import")
    form = client.get(url).context["form"]
    csv = next(i for i, label in form.fields["format"].choices if str(label).lower() == "csv")
    isi = (
        "kode,nama,unit,alamat,jam_buka,telepon,aktif\n"
        "rptra-kalijodo,RPTRA Kalijodo,dinas,Jl. Kepanduan II,08.00-16.00,,1\n"
        "cikini,Perpustakaan Jakarta Cikini,dinas,Jl. Cikini Raya 73,08.00-20.00,,1\n"
    )
    salah = isi + "x-salah,Ruang Baca X,tidak-ada,,,,1\n"
    pratinjau = client.post(
        url, {"format": csv, "import_file": SimpleUploadedFile("cabang.csv", salah.encode())}
    )
    assert (
        pratinjau.context["result"].has_validation_errors()
        or pratinjau.context["result"].has_errors()
    )
    assert not Cabang.objects.filter(kode="rptra-kalijodo").exists()
    pratinjau = client.post(
        url, {"format": csv, "import_file": SimpleUploadedFile("cabang.csv", isi.encode())}
    )
    konfirmasi = pratinjau.context["confirm_form"]
    assert "RPTRA Kalijodo" in pratinjau.content.decode()
    assert not Cabang.objects.filter(kode="rptra-kalijodo").exists()
    selesai = client.post(reverse("admin:dispusip_cabang_process_import"), konfirmasi.initial)
    assert selesai.status_code == 302
    baru = Cabang.objects.get(kode="rptra-kalijodo")
    assert baru.unit.kode == "dinas" and baru.jam_buka == "08.00-16.00"
    assert Cabang.objects.get(kode="cikini").alamat == "Jl. Cikini Raya 73"
