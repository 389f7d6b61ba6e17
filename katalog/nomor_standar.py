"""ISBN and ISSN: check digits, and the one normal form searches match on.

python-stdnum does the arithmetic. Every ISBN is searched as its ISBN-13
digits, so an ISBN-10 typed at the OPAC finds the record catalogued with the
ISBN-13 and the other way round; an ISSN is searched as its eight characters.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.exceptions import ValidationError as StdnumError

POLA_NOMOR = re.compile(r"[0-9Xx][0-9Xx\- ]{6,20}[0-9Xx]")


def _inti(teks: str) -> str:
    """The number part of a catalogued value like "978-602-03-1234-5 (pbk.)"."""
    cocok = POLA_NOMOR.search(teks or "")
    return re.sub(r"[\s-]", "", cocok.group(0)).upper() if cocok else ""


def normal_isbn(teks: str) -> str | None:
    """ISBN-13 digits of a valid ISBN-10 or ISBN-13, else None."""
    inti = _inti(teks)
    if not stdnum_isbn.is_valid(inti):
        return None
    return stdnum_isbn.to_isbn13(inti).replace("-", "")


def normal_issn(teks: str) -> str | None:
    inti = _inti(teks)
    return inti if len(inti) == 8 and stdnum_issn.is_valid(inti) else None


def masalah_isbn(teks: str) -> str | None:
    """Why `teks` is not a valid ISBN (in Indonesian), or None when it is."""
    inti = _inti(teks)
    if not inti:
        return _("“%(v)s” bukan ISBN: tulis 10 atau 13 angka.") % {"v": teks}
    try:
        stdnum_isbn.validate(inti)
    except StdnumError:
        if len(inti) not in (10, 13):
            return _("ISBN “%(v)s” harus 10 atau 13 angka, bukan %(n)d.") % {
                "v": teks,
                "n": len(inti),
            }
        return _("Digit pemeriksa ISBN “%(v)s” salah.") % {"v": teks}
    return None


def masalah_issn(teks: str) -> str | None:
    inti = _inti(teks)
    if len(inti) != 8:
        return _("ISSN “%(v)s” harus 8 karakter, misalnya 0126-0537.") % {"v": teks}
    if not stdnum_issn.is_valid(inti):
        return _("Digit pemeriksa ISSN “%(v)s” salah.") % {"v": teks}
    return None


def kunci_pencarian(nilai: list[str]) -> list[str]:
    """Search keys of a record's ISBNs and ISSNs: ISBN-13 digits and ISSNs.

    A value with a wrong check digit (real Inlislite data has them) is still
    searchable by its digits as catalogued.
    """
    kunci: list[str] = []
    for teks in nilai:
        normal = normal_isbn(teks) or normal_issn(teks) or _inti(teks)
        if normal and normal not in kunci:
            kunci.append(normal)
    return kunci


def kunci_kueri(teks: str) -> str | None:
    """The search key of what a person typed, if it looks like an ISBN or ISSN."""
    inti = re.sub(r"[\s-]", "", teks or "").upper()
    if not re.fullmatch(r"\d{7}[\dX]|\d{9}[\dX]|\d{13}", inti):
        return None
    return normal_isbn(inti) or normal_issn(inti) or inti
