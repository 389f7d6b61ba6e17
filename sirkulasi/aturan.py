"""Which loan rule applies.

A rule names up to four dimensions; an empty one matches anything. Of the
rules that match a loan, the most specific wins, in this precedence:

    unit  >  member category  >  collection category  >  material type

so a rule of the unit beats every province-wide rule, and among rules of the
same unit, one that names the member category beats one that does not (see
AturanPeminjaman.kekhususan). Exactly one rule can win, since no two rules
share all four dimensions. A province-wide rule with every dimension empty is
the default and always exists (data migration); administrators may change its
values but not delete it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from sirkulasi.models import AturanPeminjaman


class AturanTidakAda(Exception):
    pass


def aturan_untuk(
    *,
    unit_id: int | None,
    kategori_anggota_id: int | None,
    kategori_koleksi_id: int | None,
    jenis_bahan: str = "",
) -> AturanPeminjaman:
    """The rule for a loan at a branch of `unit_id`, by a member of that category,
    of an item of that collection category and material type."""
    cocok = kandidat(
        unit_id=unit_id,
        kategori_anggota_id=kategori_anggota_id,
        kategori_koleksi_id=kategori_koleksi_id,
        jenis_bahan=jenis_bahan,
    )
    if not cocok:
        raise AturanTidakAda(
            _("Belum ada aturan peminjaman bawaan; administrator perlu membuatnya.")
        )
    return cocok[0]


def kandidat(
    *,
    unit_id: int | None,
    kategori_anggota_id: int | None,
    kategori_koleksi_id: int | None,
    jenis_bahan: str = "",
) -> list[AturanPeminjaman]:
    """Every rule that matches, the winner first (for the rules screen's explanation)."""
    cocok = AturanPeminjaman.objects.select_related(
        "unit", "kategori_anggota", "kategori_koleksi"
    ).filter(
        Q(unit__isnull=True) | Q(unit_id=unit_id),
        Q(kategori_anggota__isnull=True) | Q(kategori_anggota_id=kategori_anggota_id),
        Q(kategori_koleksi__isnull=True) | Q(kategori_koleksi_id=kategori_koleksi_id),
        Q(jenis_bahan="") | Q(jenis_bahan=jenis_bahan),
    )
    return sorted(cocok, key=lambda a: a.kekhususan, reverse=True)


def aturan_pinjam(anggota, eksemplar, cabang) -> AturanPeminjaman:
    """The rule for this member borrowing this item at the desk of `cabang`."""
    return aturan_untuk(
        unit_id=cabang.unit_id,
        kategori_anggota_id=anggota.kategori_id,
        kategori_koleksi_id=eksemplar.kategori_id,
        jenis_bahan=eksemplar.katalog.jenis,
    )
