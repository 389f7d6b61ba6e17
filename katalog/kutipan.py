"""Citation export of a record: RIS (Zotero, Mendeley, EndNote) and BibTeX."""

from __future__ import annotations

import re

from katalog.models import JenisBahan, Katalog

RIS_JENIS = {
    JenisBahan.MONOGRAF: "BOOK",
    JenisBahan.TERBITAN_BERKALA: "JFULL",
    JenisBahan.AUDIO_VISUAL: "VIDEO",
    JenisBahan.KARTOGRAFI: "MAP",
    JenisBahan.MUSIK: "MUSIC",
    JenisBahan.MANUSKRIP: "MANSCPT",
    JenisBahan.BAHAN_GRAFIS: "ART",
    JenisBahan.SUMBER_ELEKTRONIK: "ELEC",
}
BIBTEX_JENIS = {JenisBahan.MONOGRAF: "book", JenisBahan.TERBITAN_BERKALA: "periodical"}


def ris(k: Katalog, url: str) -> str:
    baris = [("TY", RIS_JENIS.get(k.jenis, "GEN")), ("TI", k.judul_lengkap)]
    baris += [("AU", p["nama"]) for p in k.pengarang]
    baris += [
        ("PY", str(k.tahun) if k.tahun else k.tahun_terbit),
        ("PB", k.penerbit),
        ("CY", k.tempat_terbit),
        ("ET", k.edisi),
        ("SN", k.isbn or k.issn),
        ("CN", k.nomor_panggil),
        ("LA", k.bahasa),
        ("AB", k.abstrak),
        ("N1", k.catatan),
    ]
    baris += [("KW", s) for s in k.subjek]
    baris.append(("UR", url))
    # A RIS value is one line: notes and abstracts keep their words, not their breaks.
    teks = [f"{tag}  - {' '.join(str(nilai).split())}" for tag, nilai in baris if nilai]
    return "\r\n".join([*teks, "ER  - "]) + "\r\n"


def _bib(nilai: str) -> str:
    """Protect a value for BibTeX: braces balanced, specials escaped."""
    nilai = re.sub(r"([&%$#_])", r"\\\1", nilai.replace("\\", ""))
    return nilai.replace("{", "").replace("}", "")


def kunci_bibtex(k: Katalog) -> str:
    pengarang = re.sub(r"\W", "", (k.pengarang_utama.split(",")[0] or "anon").lower())
    judul = re.sub(r"\W", "", (k.judul.split() or ["x"])[0].lower())
    return f"{pengarang or 'anon'}{k.tahun or ''}{judul}"[:60]


def bibtex(k: Katalog, url: str) -> str:
    medan = [
        ("title", k.judul_lengkap),
        ("author", " and ".join(p["nama"] for p in k.pengarang)),
        ("edition", k.edisi),
        ("publisher", k.penerbit),
        ("address", k.tempat_terbit),
        ("year", str(k.tahun) if k.tahun else k.tahun_terbit),
        ("isbn", k.isbn),
        ("issn", k.issn),
        ("language", k.bahasa),
        ("keywords", ", ".join(k.subjek)),
        ("note", k.nomor_panggil and f"Nomor panggil {k.nomor_panggil}"),
        ("url", url),
    ]
    isi = ",\n".join(f"  {nama} = {{{_bib(nilai)}}}" for nama, nilai in medan if nilai)
    return f"@{BIBTEX_JENIS.get(k.jenis, 'misc')}{{{kunci_bibtex(k)},\n{isi}\n}}\n"
