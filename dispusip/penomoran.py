"""The allocator of identifiers people read: item barcodes and accession
numbers, member numbers, deposit receipt numbers, archive numbers.

One counter row per kind and scope, advanced by a single INSERT … ON CONFLICT
DO UPDATE … RETURNING: two desks allocating at the same moment are serialised
by PostgreSQL's row lock and can never get the same number, and since the
counter moves inside the caller's transaction, a rolled-back registration
gives its number back (no gaps).

A kind is registered by its app with a default pattern (registry.NumberingKind);
an administrator may override it with a FormatPenomoran row. Patterns are
Python format strings over these fields:

    {nomor}    the counter, e.g. {nomor:05d} for 00123 (required)
    {tahun}    2026      {tahun2}  26
    {bulan}    03        {hari}    14
    and the kind's own parts, supplied by the caller (e.g. {kode} for a unit code).

The counter restarts at 1 per year, month or day as the kind's reset says, and
runs separately for every value of the caller's parts that the pattern uses
(so "{kode}…{nomor:05d}" counts per unit code).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispusip.models import FormatPenomoran, Penomor
from dispusip.registry import NumberingKind, registry

FIELDS_TANGGAL = ("tahun", "tahun2", "bulan", "hari")
RESET_KUNCI = {
    "tidak": lambda d: "",
    "tahunan": lambda d: f"{d:%Y}",
    "bulanan": lambda d: f"{d:%Y-%m}",
    "harian": lambda d: f"{d:%Y-%m-%d}",
}


def jenis(kind: str) -> NumberingKind:
    """The kind as the app registered it, with an administrator's pattern applied."""
    try:
        bawaan = registry.numbering[kind]
    except KeyError:
        raise LookupError(
            f"Unknown numbering kind {kind!r}; register it with add_numbering"
        ) from None
    override = FormatPenomoran.objects.filter(jenis=kind).first()
    if override is None:
        return bawaan
    return NumberingKind(
        kind=kind, label=bawaan.label, pattern=override.pola, reset=override.reset,
        parts=bawaan.parts,
    )  # fmt: skip


def _fields(pola: str) -> list[tuple[str, str]]:
    return [
        (name, spec)
        for _text, name, spec, _conv in string.Formatter().parse(pola)
        if name is not None
    ]


def periksa_pola(kind: str, pola: str) -> None:
    """Raise ValidationError (in Indonesian) unless `pola` is a usable pattern for `kind`."""
    bawaan = registry.numbering.get(kind)
    if bawaan is None:
        raise ValidationError({"jenis": _("Jenis nomor %(j)s tidak dikenal.") % {"j": kind}})
    try:
        fields = _fields(pola)
    except ValueError as exc:
        raise ValidationError({"pola": _("Pola tidak dapat dibaca: %(e)s") % {"e": exc}}) from None
    names = {name for name, _spec in fields}
    if "nomor" not in names:
        raise ValidationError({"pola": _("Pola harus memuat {nomor}.")})
    allowed = {"nomor", *FIELDS_TANGGAL, *bawaan.parts}
    unknown = names - allowed
    if unknown:
        raise ValidationError(
            {
                "pola": _("Bagian tidak dikenal: %(b)s. Yang boleh: %(a)s.")
                % {
                    "b": ", ".join(sorted(unknown)),
                    "a": ", ".join("{" + a + "}" for a in sorted(allowed)),
                }
            }
        )
    try:
        _format(pola, 1, date(2026, 1, 1), dict.fromkeys(bawaan.parts, "X"))
    except (ValueError, TypeError) as exc:
        raise ValidationError({"pola": _("Pola tidak dapat dipakai: %(e)s") % {"e": exc}}) from None


def _format(pola: str, nomor: int, tanggal: date, bagian: dict[str, str]) -> str:
    return pola.format(
        nomor=nomor,
        tahun=f"{tanggal:%Y}",
        tahun2=f"{tanggal:%y}",
        bulan=f"{tanggal:%m}",
        hari=f"{tanggal:%d}",
        **bagian,
    )


def _lingkup(kind: NumberingKind, tanggal: date, bagian: dict[str, str]) -> str:
    used = {name for name, _spec in _fields(kind.pattern)}
    scope = [RESET_KUNCI[kind.reset](tanggal)]
    scope += [f"{name}={bagian[name]}" for name in sorted(used & set(kind.parts))]
    return "|".join(scope)


def _naikkan(kind: str, lingkup: str, jumlah: int) -> int:
    """Advance the counter by `jumlah` and return its new value, atomically."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO dispusip_penomor (jenis, lingkup, nilai) VALUES (%s, %s, %s)
            ON CONFLICT (jenis, lingkup)
            DO UPDATE SET nilai = dispusip_penomor.nilai + EXCLUDED.nilai
            RETURNING nilai
            """,
            [kind, lingkup, jumlah],
        )
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Blok:
    """A run of counter values taken at once (`awal`..`akhir`), and how to write them."""

    pola: str
    tanggal: date
    bagian: dict[str, str]
    awal: int
    akhir: int

    def __len__(self) -> int:
        return self.akhir - self.awal + 1

    def nomor(self) -> Iterator[tuple[int, str]]:
        """(counter value, identifier) for the whole block, in order."""
        # The date and parts are the same for every number: formatted once, so a
        # block of millions costs one format() per number.
        pola = self._tetap()
        return ((n, pola.format(nomor=n)) for n in range(self.awal, self.akhir + 1))

    def _tetap(self) -> str:
        """The pattern with everything but {nomor} filled in (other braces escaped)."""
        hasil = []
        for teks, name, spec, conv in string.Formatter().parse(self.pola):
            hasil.append(_escape(teks))
            if name is None:
                continue
            field = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            if name != "nomor":
                field = _escape(_format(field, 0, self.tanggal, self.bagian))
            hasil.append(field)
        return "".join(hasil)

    def sql(self, kolom: str) -> tuple[str, list[str]] | None:
        """The identifier as an SQL expression over the integer column `kolom`, with
        its parameters; None when the pattern needs Python's formatting (a spec
        other than plain or zero-padded digits)."""
        bagian_sql, param = [], []
        for teks, name, spec, conv in string.Formatter().parse(self._tetap()):
            if teks:
                bagian_sql.append("%s")
                param.append(teks)
            if name is None:
                continue
            lebar = re.fullmatch(r"(?:0(\d+))?d?", spec or "")
            if name != "nomor" or conv or lebar is None:
                return None
            w = int(lebar[1] or 0)
            # Python pads to the width but never cuts a longer number.
            bagian_sql.append(f"lpad({kolom}::text, greatest({w}, length({kolom}::text)), '0')")
        return " || ".join(bagian_sql) or "''", param


def _escape(teks: str) -> str:
    return teks.replace("{", "{{").replace("}", "}}")


def cadangkan(
    kind: str, jumlah: int, *, tanggal: date | None = None, bagian: dict[str, str] | None = None
) -> Blok:
    """Take `jumlah` consecutive counter values of `kind` at once, for callers that
    write identifiers by the million (imports): the counter moves in one statement,
    as for alokasikan, and checking which are already in use is the caller's job."""
    if jumlah < 1:
        raise ValueError("jumlah must be at least 1")
    definisi = jenis(kind)
    bagian = {k: str(v) for k, v in (bagian or {}).items()}
    missing = [p for p in definisi.parts if p in definisi.pattern and p not in bagian]
    if missing:
        raise ValueError(f"Numbering {kind!r} needs the parts {missing}")
    tanggal = tanggal or timezone.localdate()
    akhir = _naikkan(kind, _lingkup(definisi, tanggal, bagian), jumlah)
    return Blok(definisi.pattern, tanggal, bagian, akhir - jumlah + 1, akhir)


def alokasikan(
    kind: str,
    *,
    jumlah: int = 1,
    tanggal: date | None = None,
    bagian: dict[str, str] | None = None,
    terpakai: Callable[[list[str]], Iterable[str]] | None = None,
) -> list[str]:
    """Hand out `jumlah` new identifiers of `kind`, in order.

    `terpakai(candidates)` may return those already in use (typed in by hand,
    or brought in by an import); they are skipped and further numbers taken.
    """
    if jumlah < 1:
        raise ValueError("jumlah must be at least 1")
    hasil: list[str] = []
    with transaction.atomic():
        while len(hasil) < jumlah:
            blok = cadangkan(kind, jumlah - len(hasil), tanggal=tanggal, bagian=bagian)
            calon = [nomor for _n, nomor in blok.nomor()]
            dipakai = set(terpakai(calon)) if terpakai else set()
            hasil += [c for c in calon if c not in dipakai]
    return hasil


def pratinjau(
    kind: str, *, tanggal: date | None = None, bagian: dict[str, str] | None = None
) -> str:
    """The next identifier, without taking it (for the admin and forms)."""
    definisi = jenis(kind)
    tanggal = tanggal or timezone.localdate()
    bagian = {k: str(v) for k, v in (bagian or {}).items()} or dict.fromkeys(definisi.parts, "X")
    row = Penomor.objects.filter(jenis=kind, lingkup=_lingkup(definisi, tanggal, bagian)).first()
    return _format(definisi.pattern, (row.nilai if row else 0) + 1, tanggal, bagian)
