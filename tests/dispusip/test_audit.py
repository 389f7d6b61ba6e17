"""The audit log: written by services, append-only, filterable."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dispusip import audit
from dispusip.models import AuditLog, Unit

pytestmark = pytest.mark.django_db


def test_catat_records_who_where_and_what(staf_a):
    entry = audit.catat(
        aksi="pengguna.peran",
        oleh=staf_a,
        objek=staf_a,
        sebelum={"peran": []},
        sesudah={"peran": ["Katalogisasi"]},
        alasan="mutasi",
        ip="10.1.2.3",
    )
    entry.refresh_from_db()
    assert entry.actor == staf_a
    assert entry.actor_name == "sari"
    assert entry.unit.kode == "jakpus"
    assert entry.cabang.kode == "jakpus-tanah-abang"
    assert entry.object_repr == str(staf_a)
    assert entry.object_id == str(staf_a.pk)
    assert entry.perubahan() == [("peran", [], ["Katalogisasi"])]
    assert entry.reason == "mutasi"


def test_catat_takes_the_unit_of_the_object_over_the_actors(admin_dispusip, staf_a):
    entry = audit.catat(aksi="pengguna.diubah", oleh=admin_dispusip, objek=staf_a)
    assert entry.unit.kode == "jakpus"


def test_catat_without_an_actor_is_written_as_the_system(data_induk):
    entry = audit.catat(aksi="impor.selesai", oleh=None)
    assert entry.actor_name == "sistem"
    assert entry.unit is None


def test_working_branch_is_recorded_on_the_entry(staf_a, data_induk):
    from dispusip.models import Cabang

    staf_a.cabang_kerja = Cabang.objects.get(kode="cikini")
    entry = audit.catat(aksi="x.y", oleh=staf_a)
    assert entry.cabang.kode == "cikini"


def test_the_model_refuses_to_change_an_entry(staf_a):
    entry = audit.catat(aksi="a.b", oleh=staf_a)
    entry.action = "dipalsukan"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditLog.objects.filter(pk=entry.pk).update(action="dipalsukan")
    with pytest.raises(TypeError):
        AuditLog.objects.all().delete()


def test_the_database_refuses_raw_updates_and_deletes(staf_a):
    entry = audit.catat(aksi="a.b", oleh=staf_a)
    for sql in (
        "UPDATE dispusip_auditlog SET action = 'dipalsukan' WHERE id = %s",
        "DELETE FROM dispusip_auditlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="tidak dapat diubah"):  # noqa: SIM117
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).action == "a.b"


def test_saring_filters_by_actor_unit_action_object_and_dates(staf_a, orang_luar):
    a = audit.catat(aksi="pengguna.peran", oleh=staf_a, objek=staf_a)
    b = audit.catat(aksi="ekspor.audit", oleh=orang_luar, objek=orang_luar)
    jakbar = Unit.objects.get(kode="jakbar")
    today = timezone.localdate()
    assert list(AuditLog.objects.saring(pelaku="sari")) == [a]
    assert list(AuditLog.objects.saring(unit=jakbar)) == [b]
    assert list(AuditLog.objects.saring(aksi="pengguna")) == [a]
    assert list(AuditLog.objects.saring(objek="budi")) == []
    assert set(AuditLog.objects.saring(dari=today, sampai=today)) == {a, b}
    assert not AuditLog.objects.saring(dari=today + timedelta(days=1)).exists()


def test_keyset_pages_walk_the_whole_log_newest_first(staf_a):
    ids = [audit.catat(aksi=f"uji.{n}", oleh=staf_a).pk for n in range(7)]
    first = list(AuditLog.objects.halaman_setelah(None, 3))
    second = list(AuditLog.objects.halaman_setelah(first[-1].pk, 3))
    third = list(AuditLog.objects.halaman_setelah(second[-1].pk, 3))
    walked = [e.pk for e in first + second + third]
    assert walked == sorted(ids, reverse=True)


def test_date_filters_cover_whole_jakarta_days(staf_a):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    late = AuditLog.objects.create(
        actor_name="sari", action="a.b", created_at=datetime(2026, 3, 1, 23, 59, tzinfo=wib)
    )
    AuditLog.objects.create(
        actor_name="sari", action="a.b", created_at=datetime(2026, 3, 2, 0, 0, tzinfo=wib)
    )
    early = AuditLog.objects.create(
        actor_name="sari", action="a.b", created_at=datetime(2026, 3, 1, 0, 0, tzinfo=wib)
    )
    day = date(2026, 3, 1)
    assert set(AuditLog.objects.saring(dari=day, sampai=day)) == {late, early}
