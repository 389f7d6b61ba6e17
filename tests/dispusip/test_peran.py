"""Roles, staff accounts and the registry apps fill."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from dispusip import services
from dispusip.models import AuditLog, Cabang, Unit
from dispusip.peran import Peran
from dispusip.registry import NavEntry, Registry, StatisticProvider

pytestmark = pytest.mark.django_db


def test_every_role_exists_with_the_permissions_apps_granted(data_induk):
    services.sinkron_peran(strict=True)  # raises on a granted permission that does not exist
    assert set(Group.objects.values_list("name", flat=True)) >= set(Peran.values)
    admin = Group.objects.get(name=Peran.ADMINISTRATOR)
    assert admin.permissions.filter(codename="view_auditlog").exists()


def test_seven_units_with_their_main_branches(data_induk):
    assert Unit.objects.count() == 7
    assert set(Cabang.objects.filter(unit__kode="dinas").values_list("nama", flat=True)) == {
        "Perpustakaan Jakarta Cikini",
        "PDS H.B. Jassin",
    }
    assert not Unit.objects.filter(cabang__isnull=True).exists()


def test_buat_staf_audits_the_new_account(admin_dispusip):
    jaksel = Unit.objects.get(kode="jaksel")
    pengguna = services.buat_staf(
        username="wati",
        nama_depan="Wati",
        unit=jaksel,
        cabang=Cabang.objects.get(kode="jaksel-gandaria"),
        peran=[Peran.LITERASI],
        password="Buku-buku-2026",
        oleh=admin_dispusip,
    )
    assert pengguna.berperan(Peran.LITERASI)
    entry = AuditLog.objects.get(action="pengguna.dibuat")
    assert entry.after["peran"] == ["Literasi"]
    assert entry.unit == jaksel


def test_buat_staf_refuses_a_branch_of_another_unit(admin_dispusip):
    with pytest.raises(ValidationError, match="Cabang asal harus milik unit"):
        services.buat_staf(
            username="x",
            nama_depan="X",
            unit=Unit.objects.get(kode="jaksel"),
            cabang=Cabang.objects.get(kode="cikini"),
            oleh=admin_dispusip,
        )


def test_atur_peran_records_before_and_after(admin_dispusip, staf_a):
    services.atur_peran(
        pengguna=staf_a, peran=[Peran.KATALOGISASI], oleh=admin_dispusip, alasan="mutasi tugas"
    )
    assert staf_a.peran == {Peran.KATALOGISASI}
    entry = AuditLog.objects.get(action="pengguna.peran")
    assert entry.before["peran"] == ["Pustakawan Sirkulasi"]
    assert entry.after["peran"] == ["Katalogisasi"]
    assert entry.reason == "mutasi tugas"


def test_only_administrators_change_roles(staf_a, rekan_a):
    with pytest.raises(services.AksesDitolak):
        services.atur_peran(pengguna=rekan_a, peran=[Peran.ADMINISTRATOR], oleh=staf_a)
    assert not AuditLog.objects.exists()


def test_unknown_roles_are_refused(admin_dispusip, staf_a):
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.atur_peran(pengguna=staf_a, peran=["Raja"], oleh=admin_dispusip)


def test_registry_shows_entries_by_permission_and_test(staf_a, admin_dispusip):
    reg = Registry()
    reg.add_nav(NavEntry(label="Audit", url_name="a", permission="dispusip.view_auditlog"))
    reg.add_nav(NavEntry(label="Semua", url_name="b", order=1))
    reg.add_nav(NavEntry(label="Sari saja", url_name="c", test=lambda u: u.username == "sari"))
    reg.add_nav(NavEntry(label="Dobel", url_name="b"))
    assert [e.label for e in reg.nav_for(staf_a)] == ["Semua", "Sari saja"]
    assert [e.label for e in reg.nav_for(admin_dispusip)] == ["Semua", "Audit"]


def test_registry_statistics_receive_the_unit(data_induk):
    reg = Registry()
    seen = []
    reg.add_statistic(StatisticProvider(key="k", label="K", compute=lambda u: seen.append(u) or 7))
    jakpus = Unit.objects.get(kode="jakpus")
    assert [v for _p, v in reg.compute_statistics(jakpus)] == [7]
    assert seen == [jakpus]


def test_roles_need_a_unit(admin_dispusip, anggota):
    with pytest.raises(ValidationError, match="punya unit"):
        services.atur_peran(pengguna=anggota, peran=[Peran.PIMPINAN], oleh=admin_dispusip)
    assert not anggota.groups.exists()


def test_working_branch_falls_back_when_the_unit_changes(staf_a):
    staf_a.cabang_kerja = staf_a.cabang
    staf_a.unit = Unit.objects.get(kode="jakbar")
    staf_a.cabang = Cabang.objects.get(kode="jakbar-tanjung-duren")
    staf_a.full_clean()
    assert staf_a.cabang_kerja is None
    assert staf_a.cabang_aktif.kode == "jakbar-tanjung-duren"


def test_province_wide_staff_keep_a_working_branch_in_another_unit(admin_dispusip):
    admin_dispusip.cabang_kerja = Cabang.objects.get(kode="jakbar-tanjung-duren")
    admin_dispusip.full_clean()
    assert admin_dispusip.cabang_kerja.kode == "jakbar-tanjung-duren"


def test_a_role_whose_group_is_missing_is_an_error_not_silence(admin_dispusip):
    Group.objects.filter(name=Peran.LITERASI).delete()
    with pytest.raises(LookupError, match="Literasi"):
        services.buat_staf(
            username="wati",
            nama_depan="Wati",
            unit=Unit.objects.get(kode="jaksel"),
            peran=[Peran.LITERASI],
            oleh=admin_dispusip,
        )
