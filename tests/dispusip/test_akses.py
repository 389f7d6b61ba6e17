"""The permission helper: who may act on an object of which unit."""

import pytest
from django.core.exceptions import PermissionDenied

from dispusip import akses
from dispusip.models import Pengguna, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def jakpus(data_induk):
    return Unit.objects.get(kode="jakpus")


@pytest.fixture
def jakbar(data_induk):
    return Unit.objects.get(kode="jakbar")


def test_staff_may_act_within_their_own_unit(staf_a, jakpus):
    assert akses.boleh(staf_a, jakpus)


def test_a_colleague_in_the_same_unit_may_act_too(rekan_a, jakpus):
    assert akses.boleh(rekan_a, jakpus)


def test_staff_may_not_act_on_another_units_objects(orang_luar, jakpus):
    assert not akses.boleh(orang_luar, jakpus)
    assert not akses.boleh(orang_luar, jakpus, ubah=False)


def test_unit_may_be_given_as_an_id(staf_a, jakpus, jakbar):
    assert akses.boleh(staf_a, jakpus.pk)
    assert not akses.boleh(staf_a, jakbar.pk)


def test_province_wide_objects_are_open_to_every_unit(staf_a, orang_luar):
    assert akses.boleh(staf_a, None)
    assert akses.boleh(orang_luar, None)


def test_administrator_acts_on_every_unit(admin_dispusip, jakpus, jakbar):
    assert akses.boleh(admin_dispusip, jakpus)
    assert akses.boleh(admin_dispusip, jakbar)


def test_pimpinan_sees_every_unit_but_changes_nothing(pimpinan, jakpus):
    assert akses.boleh(pimpinan, jakpus, ubah=False)
    assert not akses.boleh(pimpinan, jakpus, ubah=True)
    assert not akses.boleh(pimpinan, None, ubah=True)


def test_a_member_without_a_unit_is_not_staff(anggota, jakpus):
    assert not akses.boleh(anggota, jakpus, ubah=False)
    assert not akses.boleh(anggota, None, ubah=False)


def test_an_inactive_account_may_do_nothing(staf_a, jakpus):
    staf_a.is_active = False
    assert not akses.boleh(staf_a, jakpus)


def test_anonymous_may_do_nothing(jakpus):
    from django.contrib.auth.models import AnonymousUser

    assert not akses.boleh(AnonymousUser(), jakpus, ubah=False)


def test_the_permission_is_checked_before_the_scope(staf_a, admin_dispusip, jakpus):
    assert not akses.boleh(staf_a, jakpus, permission="dispusip.view_auditlog")
    assert akses.boleh(admin_dispusip, jakpus, permission="dispusip.view_auditlog")


def test_wajib_boleh_raises_permission_denied_with_a_reason(orang_luar, jakpus):
    with pytest.raises(PermissionDenied, match="tidak berwenang"):
        akses.wajib_boleh(orang_luar, jakpus)


def test_dalam_lingkup_limits_lists_to_the_users_unit(staf_a, orang_luar, admin_dispusip):
    qs = Pengguna.objects.filter(unit__isnull=False)
    assert set(akses.dalam_lingkup(qs, staf_a)) == {staf_a}
    assert set(akses.dalam_lingkup(qs, admin_dispusip)) == {staf_a, orang_luar, admin_dispusip}


def test_dalam_lingkup_gives_members_nothing(anggota, staf_a):
    assert not akses.dalam_lingkup(Pengguna.objects.all(), anggota).exists()
