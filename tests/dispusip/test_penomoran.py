"""The identifier allocator: patterns, scopes, resets, skips, and no duplicates under load."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dispusip import penomoran
from dispusip.models import FormatPenomoran
from dispusip.registry import NumberingKind, registry


@pytest.fixture(autouse=True)
def jenis_uji():
    kinds = [
        NumberingKind(kind="uji.induk", label="No. induk uji", pattern="{nomor:05d}/{kode}/{tahun}",
                      reset="tahunan", parts=("kode",)),
        NumberingKind(kind="uji.anggota", label="Nomor anggota uji", pattern="{nomor:08d}"),
        NumberingKind(kind="uji.harian", label="Harian", pattern="{tahun2}{bulan}{hari}0{nomor:04d}",
                      reset="harian"),
    ]  # fmt: skip
    for kind in kinds:
        registry.add_numbering(kind)
    yield
    for kind in kinds:
        registry.numbering.pop(kind.kind)


pytestmark = pytest.mark.django_db

HARI = date(2026, 3, 14)


def test_numbers_follow_the_pattern_in_order():
    assert penomoran.alokasikan("uji.induk", jumlah=3, tanggal=HARI, bagian={"kode": "PJK"}) == [
        "00001/PJK/2026",
        "00002/PJK/2026",
        "00003/PJK/2026",
    ]
    assert penomoran.alokasikan("uji.induk", tanggal=HARI, bagian={"kode": "PJK"}) == [
        "00004/PJK/2026"
    ]


def test_each_value_of_a_part_counts_on_its_own():
    penomoran.alokasikan("uji.induk", jumlah=5, tanggal=HARI, bagian={"kode": "PJK"})
    assert penomoran.alokasikan("uji.induk", tanggal=HARI, bagian={"kode": "JB"}) == [
        "00001/JB/2026"
    ]


def test_a_yearly_counter_starts_again_in_a_new_year():
    penomoran.alokasikan("uji.induk", jumlah=5, tanggal=HARI, bagian={"kode": "PJK"})
    assert penomoran.alokasikan("uji.induk", tanggal=date(2027, 1, 2), bagian={"kode": "PJK"}) == [
        "00001/PJK/2027"
    ]


def test_a_daily_counter_like_inlislite_member_numbers():
    assert penomoran.alokasikan("uji.harian", jumlah=2, tanggal=HARI) == [
        "26031400001",
        "26031400002",
    ]
    assert penomoran.alokasikan("uji.harian", tanggal=date(2026, 3, 15)) == ["26031500001"]


def test_numbers_already_in_use_are_skipped():
    taken = {"00000002", "00000003"}
    got = penomoran.alokasikan("uji.anggota", jumlah=3, terpakai=lambda c: taken & set(c))
    assert got == ["00000001", "00000004", "00000005"]


def test_a_rolled_back_transaction_gives_its_numbers_back():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        penomoran.alokasikan("uji.anggota", jumlah=2)
        raise RuntimeError("registration failed")
    assert penomoran.alokasikan("uji.anggota") == ["00000001"]


def test_an_administrators_pattern_replaces_the_default():
    FormatPenomoran.objects.create(
        jenis="uji.anggota", pola="A{tahun2}{nomor:06d}", reset="tahunan"
    )
    assert penomoran.alokasikan("uji.anggota", tanggal=HARI) == ["A26000001"]
    assert penomoran.pratinjau("uji.anggota", tanggal=HARI) == "A26000002"


def test_preview_does_not_take_a_number():
    assert penomoran.pratinjau("uji.anggota") == "00000001"
    assert penomoran.pratinjau("uji.anggota") == "00000001"
    assert penomoran.alokasikan("uji.anggota") == ["00000001"]


def test_missing_parts_and_unknown_kinds_are_errors():
    with pytest.raises(ValueError, match="kode"):
        penomoran.alokasikan("uji.induk")
    with pytest.raises(LookupError):
        penomoran.alokasikan("tidak.ada")
    with pytest.raises(ValueError):
        penomoran.alokasikan("uji.anggota", jumlah=0)


@pytest.mark.parametrize(
    "pola, pesan",
    [
        ("{tahun}/{kode}", "harus memuat {nomor}"),
        ("{nomor}/{cabang}", "Bagian tidak dikenal: cabang"),
        ("{nomor:05q}", "tidak dapat dipakai"),
        ("{nomor", "tidak dapat dibaca"),
    ],
)
def test_bad_patterns_are_refused_in_indonesian(pola, pesan):
    with pytest.raises(ValidationError, match=pesan):
        FormatPenomoran(jenis="uji.induk", pola=pola).full_clean()


@pytest.mark.django_db(transaction=True)
def test_concurrent_desks_never_get_the_same_number():
    """Eight desks each register 25 members at once: 200 distinct, gapless numbers."""
    from django.db import connections

    hasil: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def desk():
        try:
            start.wait()
            for _ in range(25):
                got = penomoran.alokasikan("uji.anggota")
                with lock:
                    hasil.extend(got)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(hasil) == [f"{n:08d}" for n in range(1, 201)]
    assert connection.vendor == "postgresql"


def test_administrators_set_a_pattern_in_the_admin_and_it_is_audited(client, admin_dispusip):
    from django.urls import reverse

    from dispusip.models import AuditLog

    client.force_login(admin_dispusip)
    url = reverse("admin:dispusip_formatpenomoran_add")
    bad = client.post(url, {"jenis": "uji.anggota", "pola": "{tahun}", "reset": "tidak"})
    assert "Pola harus memuat {nomor}." in bad.content.decode()
    good = client.post(url, {"jenis": "uji.anggota", "pola": "M{nomor:06d}", "reset": "tidak"})
    assert good.status_code == 302
    assert penomoran.alokasikan("uji.anggota") == ["M000001"]
    assert AuditLog.objects.get(action="formatpenomoran.dibuat").after["pola"] == "M{nomor:06d}"
    listing = client.get(reverse("admin:dispusip_formatpenomoran_changelist")).content.decode()
    assert "M000002" in listing  # the next number, previewed
