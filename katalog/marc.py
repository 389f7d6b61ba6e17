"""The MARC 21 record is the master of a catalogue record.

`kolom_dari_json` is the one mapping from MARC (in the MARC-in-JSON form
Katalog.marc stores; `kolom_dari_marc` for a pymarc Record) to the modelled
columns; it runs on every save and on every imported record, so whatever a
form does not model (a 246, an 856, a local 9xx) survives an import and an
export unchanged. `terapkan_isian` writes what the
staff form models back into the record, leaving every other field alone.
The mnemonic text format (`=245  10$aJudul`) is MarcEdit's, which cataloguers
already read; blank indicators are written as a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pymarc import Field, Leader, Record, Subfield

from katalog import nomor_standar

KOSONG = " "
LEADER_BAWAAN = "00000nam a2200000 a 4500"

# Leader/06 (type of record) and /07 (bibliographic level) for each material
# type, and the reverse mapping used when a record arrives from outside.
LEADER_JENIS = {
    "monograf": ("a", "m"),
    "terbitan_berkala": ("a", "s"),
    "audio_visual": ("g", "m"),
    "kartografi": ("e", "m"),
    "musik": ("j", "m"),
    "manuskrip": ("t", "m"),
    "bahan_grafis": ("k", "m"),
    "sumber_elektronik": ("m", "m"),
}
JENIS_DARI_LEADER06 = {
    "c": "musik",
    "d": "musik",
    "j": "musik",
    "e": "kartografi",
    "f": "kartografi",
    "g": "audio_visual",
    "i": "audio_visual",
    "k": "bahan_grafis",
    "r": "bahan_grafis",
    "t": "manuskrip",
    "m": "sumber_elektronik",
}

PERAN_BAWAAN = "pengarang"
TAG_CATATAN = ("500", "502", "504", "505", "508", "511", "518", "530", "534", "546")
TAG_SUBJEK = ("650", "600", "610", "611", "630", "651", "655")
TAG_PENGARANG_UTAMA = ("100", "110", "111")
TAG_PENGARANG_TAMBAHAN = ("700", "710", "711")
TAG_TERBITAN = ("264", "260")
SINGKATAN = re.compile(r"(\b[A-Z]|\b(?:ed|cet|hlm|jil|no|vol|ill|dkk|etc|cm))\.$", re.IGNORECASE)
TANDA_AKHIR = re.compile(r"(\s*[/:;,=])+$")


def bersihkan(teks: str | None) -> str:
    """A subfield's text without the ISBD punctuation that precedes the next element.

    A final full stop is kept where it ends an initial or an abbreviation ("Ed.").
    """
    hasil = (teks or "").strip()
    if not hasil or hasil[-1] not in "/:;,=.":
        return hasil  # most values: nothing to remove (this runs ~100 times per record)
    hasil = TANDA_AKHIR.sub("", hasil).strip()
    if hasil.endswith(".") and not SINGKATAN.search(hasil):
        hasil = hasil[:-1].rstrip()
    return hasil


def record_kosong() -> Record:
    record = Record(force_utf8=True)
    record.leader = Leader(LEADER_BAWAAN)
    return record


def record_dari_json(data: dict | None) -> Record:
    """A pymarc Record from its MARC-in-JSON form (what Katalog.marc stores)."""
    record = record_kosong()
    if not data:
        return record
    record.leader = Leader(data.get("leader") or LEADER_BAWAAN)
    for entry in data.get("fields", []):
        for tag, value in entry.items():
            if isinstance(value, str):
                record.add_field(Field(tag=tag, data=value))
            else:
                record.add_field(
                    Field(
                        tag=tag,
                        indicators=[value.get("ind1", KOSONG), value.get("ind2", KOSONG)],
                        subfields=[
                            Subfield(code=code, value=text)
                            for sub in value.get("subfields", [])
                            for code, text in sub.items()
                        ],
                    )
                )
    return record


def record_ke_json(record: Record) -> dict:
    return record.as_dict()


class _Fields:
    """A MARC-in-JSON record's fields grouped by tag, built once per record so each
    column reads only the tags it needs (kolom_dari_json runs a million times in an
    import). A control field is its data; a data field its JSON dict."""

    def __init__(self, data: dict) -> None:
        self.per_tag: dict[str, list] = {}
        for urutan, entry in enumerate(data.get("fields", ())):
            for tag, isi in entry.items():
                self.per_tag.setdefault(tag, []).append((urutan, isi))

    def semua(self, *tags: str) -> list:
        """The fields of `tags` in the record's order."""
        if len(tags) == 1:
            return [isi for _u, isi in self.per_tag.get(tags[0], ())]
        ada = [x for tag in tags for x in self.per_tag.get(tag, ())]
        ada.sort(key=lambda x: x[0])
        return [isi for _u, isi in ada]

    def pertama(self, tag: str):
        ada = self.per_tag.get(tag)
        return ada[0][1] if ada else None


def _subfield(isi, codes: str) -> list[str]:
    """The values of a data field's subfields with one of `codes`, in order."""
    if not isinstance(isi, dict):
        return []
    return [v for sub in isi.get("subfields", ()) for c, v in sub.items() if c and c in codes]


def _gabung(isi, codes: str) -> str:
    return bersihkan(" ".join(_subfield(isi, codes))) if isi is not None else ""


def _semua(fields: _Fields, tags: tuple[str, ...], code: str) -> list[str]:
    return [
        bersih
        for isi in fields.semua(*tags)
        for value in _subfield(isi, code)
        if (bersih := bersihkan(value))
    ]


def _teks_field(isi, codes: str | None = None) -> str:
    if not isinstance(isi, dict):
        return ""
    parts = [
        bersih
        for sub in isi.get("subfields", ())
        for c, v in sub.items()
        if (codes is None or (c and c in codes)) and (bersih := bersihkan(v))
    ]
    return " ".join(parts)


def _pengarang(fields: _Fields) -> list[dict[str, str]]:
    hasil = []
    for isi in fields.semua(*TAG_PENGARANG_UTAMA, *TAG_PENGARANG_TAMBAHAN):
        nama = _gabung(isi, "ab")
        if not nama:
            continue
        hasil.append({"nama": nama, "peran": _gabung(isi, "e") or PERAN_BAWAAN})
    return hasil


def _subjek(fields: _Fields) -> list[str]:
    hasil = []
    for isi in fields.semua(*TAG_SUBJEK):
        teks = " -- ".join(bersihkan(v) for v in _subfield(isi, "abcdvxyz"))
        if teks and teks not in hasil:
            hasil.append(teks)
    return hasil


def tahun_dari(teks: str) -> int | None:
    """The publication year in a 260/264 $c such as "[2008], c2007"."""
    match = re.search(r"(1[5-9]\d\d|20\d\d)", teks or "")
    return int(match.group(1)) if match else None


def _bahasa(fields: _Fields) -> str:
    field008 = fields.pertama("008")
    if isinstance(field008, str) and len(field008) >= 38:
        kode = field008[35:38].strip().lower()
        if re.fullmatch(r"[a-z]{3}", kode):
            return kode
    nilai = _subfield(fields.pertama("041"), "a")
    return bersihkan(nilai[0])[:3].lower() if nilai else ""


def jenis_dari_leader(leader: str) -> str:
    tipe = leader[6:7] if len(leader) > 7 else "a"
    level = leader[7:8] if len(leader) > 7 else "m"
    if tipe == "a" and level in "bis":
        return "terbitan_berkala"
    return JENIS_DARI_LEADER06.get(tipe, "monograf")


def judul_urut(judul: str) -> str:
    """The title as sorted: lower case, leading punctuation and articles dropped."""
    teks = re.sub(r"^[\W_]+", "", judul.lower())
    teks = re.sub(r"^(the|a|an|si|sang)\s+", "", teks)
    return teks[:200]


def _normal(teks: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", (teks or "").casefold()).split())


def kunci_judul(judul: str, anak_judul: str, pengarang: str) -> str:
    """Title and first author, normalised ("Hirata, Andrea" = "Andrea Hirata"): two
    records sharing it may be the same work — a cataloguer decides (the merge queue)."""
    judul_n = _normal(f"{judul} {anak_judul}")
    if not judul_n:
        return ""
    return f"{judul_n}|{' '.join(sorted(_normal(pengarang).split()))}"[:300]


def kunci_cocok(kunci_judul_: str, tahun: int | None, penerbit: str) -> str:
    """Title, author, year and publisher: records sharing it are the same edition."""
    if not kunci_judul_:
        return ""
    return f"{kunci_judul_}|{tahun or ''}|{_normal(penerbit)}"[:400]


def kolom_dari_marc(record: Record) -> dict:
    """Every modelled column of Katalog, derived from the MARC record."""
    return kolom_dari_json(record.as_dict())


def kolom_dari_json(data: dict) -> dict:
    """Every modelled column of Katalog, derived from the MARC record in its
    MARC-in-JSON form (Katalog.marc; Record.as_dict)."""
    fields = _Fields(data)
    judul_field = fields.pertama("245")
    pengarang = _pengarang(fields)
    subjek = _subjek(fields)
    terbit = next((f for tag in TAG_TERBITAN if (f := fields.pertama(tag)) is not None), None)
    isbn = _semua(fields, ("020",), "a")
    issn = _semua(fields, ("022",), "a")
    judul = _gabung(judul_field, "a")
    anak_judul = _gabung(judul_field, "b")
    tahun_terbit = _gabung(terbit, "c")
    penerbit = _gabung(terbit, "b")
    kunci = kunci_judul(judul, anak_judul, pengarang[0]["nama"] if pengarang else "")
    f001 = fields.pertama("001")
    return {
        "nomor_kontrol": f001.strip() if isinstance(f001, str) else "",
        "jenis": jenis_dari_leader(str(data.get("leader") or "")),
        "judul": judul or _("(tanpa judul)"),
        "anak_judul": anak_judul,
        "pernyataan_tanggung_jawab": _gabung(judul_field, "c"),
        "pengarang": pengarang,
        "pengarang_teks": " ; ".join(p["nama"] for p in pengarang),
        "edisi": " ; ".join(_semua(fields, ("250",), "a")),
        "tempat_terbit": _gabung(terbit, "a"),
        "penerbit": penerbit,
        "tahun_terbit": tahun_terbit,
        "tahun": tahun_dari(tahun_terbit),
        "isbn": " ; ".join(isbn),
        "issn": " ; ".join(issn),
        "isbn_normal": nomor_standar.kunci_pencarian(isbn + issn),
        "nomor_panggil": (_semua(fields, ("084", "090", "099"), "a") or [""])[0][:100],
        "ddc": (_semua(fields, ("082",), "a") or [""])[0][:50],
        "bahasa": _bahasa(fields),
        "subjek": subjek,
        "subjek_teks": " ; ".join(subjek),
        "seri": " ; ".join(_teks_field(f, "av") for f in fields.semua("490", "440", "830")),
        "deskripsi_fisik": " ".join(_teks_field(f) for f in fields.semua("300")),
        "catatan": "\n".join(_teks_field(f, "a") for f in fields.semua(*TAG_CATATAN)),
        "abstrak": "\n".join(_teks_field(f, "a") for f in fields.semua("520")),
        "audiens": " ; ".join(_teks_field(f, "a") for f in fields.semua("521")),
        "judul_urut": judul_urut(judul),
        "kunci_judul": kunci,
        "kunci_cocok": kunci_cocok(kunci, tahun_dari(tahun_terbit), penerbit),
    }


# --- writing the staff form back into the record -----------------------------


@dataclass
class Isian:
    """What the staff form models, in the form's own words."""

    jenis: str
    judul: str
    anak_judul: str = ""
    pernyataan_tanggung_jawab: str = ""
    pengarang: list[tuple[str, str]] | None = None  # (name, role), in order
    edisi: str = ""
    tempat_terbit: str = ""
    penerbit: str = ""
    tahun_terbit: str = ""
    isbn: list[str] | None = None
    issn: list[str] | None = None
    nomor_panggil: str = ""
    ddc: str = ""
    bahasa: str = "ind"
    subjek: list[str] | None = None
    seri: str = ""
    deskripsi_fisik: str = ""
    catatan: str = ""
    abstrak: str = ""
    audiens: str = ""


def _ganti(record: Record, tags: tuple[str, ...], fields: list[Field]) -> None:
    """Replace all fields of `tags` with `fields`, keeping the record in tag order."""
    for field in record.get_fields(*tags):
        record.remove_field(field)
    for field in fields:
        record.add_ordered_field(field)


def _df(tag: str, ind: str, pairs: list[tuple[str, str]]) -> Field:
    return Field(
        tag=tag,
        indicators=[ind[0], ind[1]],
        subfields=[Subfield(code=c, value=v) for c, v in pairs if v],
    )


def _atur_leader(record: Record, jenis: str) -> None:
    leader = str(record.leader) if record.leader else LEADER_BAWAAN
    leader = (leader + LEADER_BAWAAN[len(leader) :])[:24]
    tipe, level = LEADER_JENIS[jenis]
    record.leader = Leader(leader[:6] + tipe + level + leader[8:])


def _atur_008(record: Record, bahasa: str, tahun: str) -> None:
    field = record.get("008")
    data = field.data if field is not None else "000000s        xx            000 0 ind d"
    data = data.ljust(40)[:40]
    tahun4 = (re.search(r"\d{4}", tahun or "") or [""])[0] if tahun else ""
    if tahun4:
        data = data[:7] + tahun4 + data[11:]
    data = data[:35] + (bahasa or "ind")[:3].ljust(3) + data[38:]
    _ganti(record, ("008",), [Field(tag="008", data=data)])


def _daftar(teks: str) -> list[str]:
    return [v for v in (teks or "").split(" ; ") if v]


def terapkan_isian(record: Record, isian: Isian) -> Record:
    """Write the form's fields into `record` (ISBD punctuation added), keeping the rest.

    A group of tags is rewritten only when the form changed what the record
    says there, so an untouched field keeps its own tag, indicators and
    subfields (a 110, a 100 $d, a 651); a changed one replaces every tag its
    column is read from, so nothing is duplicated.
    """
    lama = kolom_dari_marc(record)
    pengarang = [
        (n.strip(), p.strip() or PERAN_BAWAAN) for n, p in (isian.pengarang or []) if n.strip()
    ]
    if isian.jenis != lama["jenis"] or not str(record.leader).strip("0 "):
        _atur_leader(record, isian.jenis)
    if (
        record.get("008") is None
        or isian.bahasa != lama["bahasa"]
        or isian.tahun_terbit != lama["tahun_terbit"]
    ):
        _atur_008(record, isian.bahasa, isian.tahun_terbit)
    judul = (isian.judul.strip(), isian.anak_judul.strip(), isian.pernyataan_tanggung_jawab.strip())
    if (
        judul != (lama["judul"], lama["anak_judul"], lama["pernyataan_tanggung_jawab"])
        or record.get("245") is None
    ):
        _ganti(record, ("245",), [_field_245(*judul, ada_pengarang=bool(pengarang))])
    if pengarang != [(p["nama"], p["peran"]) for p in lama["pengarang"]]:
        _ganti(record, TAG_PENGARANG_UTAMA + TAG_PENGARANG_TAMBAHAN, _field_pengarang(pengarang))
    if isian.edisi != lama["edisi"]:
        _ganti(record, ("250",), [_df("250", "  ", [("a", isian.edisi)])] if isian.edisi else [])
    terbit = (isian.tempat_terbit, isian.penerbit, isian.tahun_terbit)
    if terbit != (lama["tempat_terbit"], lama["penerbit"], lama["tahun_terbit"]):
        _ganti(record, TAG_TERBITAN, _field_terbit(*terbit))
    if list(isian.isbn or []) != _daftar(lama["isbn"]):
        _ganti(record, ("020",), [_df("020", "  ", [("a", v)]) for v in isian.isbn or []])
    if list(isian.issn or []) != _daftar(lama["issn"]):
        _ganti(record, ("022",), [_df("022", "  ", [("a", v)]) for v in isian.issn or []])
    if isian.nomor_panggil != lama["nomor_panggil"]:
        baru = [_df("084", "  ", [("a", isian.nomor_panggil)])] if isian.nomor_panggil else []
        _ganti(record, ("084", "090", "099"), baru)
    if isian.ddc != lama["ddc"]:
        _ganti(record, ("082",), [_df("082", "04", [("a", isian.ddc)])] if isian.ddc else [])
    if isian.deskripsi_fisik != lama["deskripsi_fisik"]:
        baru = [_df("300", "  ", [("a", isian.deskripsi_fisik)])] if isian.deskripsi_fisik else []
        _ganti(record, ("300",), baru)
    if isian.seri != lama["seri"]:
        _ganti(
            record,
            ("490", "440", "830"),
            [_df("490", "0 ", [("a", isian.seri)])] if isian.seri else [],
        )
    if _baris(isian.catatan) != _baris(lama["catatan"]):
        _ganti(record, TAG_CATATAN, [_df("500", "  ", [("a", b)]) for b in _baris(isian.catatan)])
    if _baris(isian.abstrak) != _baris(lama["abstrak"]):
        _ganti(record, ("520",), [_df("520", "  ", [("a", b)]) for b in _baris(isian.abstrak)])
    if isian.audiens != lama["audiens"]:
        _ganti(
            record, ("521",), [_df("521", "  ", [("a", isian.audiens)])] if isian.audiens else []
        )
    if list(isian.subjek or []) != lama["subjek"]:
        _ganti(record, TAG_SUBJEK, [_field_subjek(s) for s in isian.subjek or []])
    return record


def _field_245(judul: str, anak_judul: str, tanggung_jawab: str, *, ada_pengarang: bool) -> Field:
    judul_a, judul_b = judul, anak_judul
    if anak_judul:
        judul_a += " :"
    if tanggung_jawab:
        if judul_b:
            judul_b += " /"
        else:
            judul_a += " /"
    ind1 = "1" if ada_pengarang else "0"
    return _df("245", ind1 + "0", [("a", judul_a), ("b", judul_b), ("c", tanggung_jawab)])


def _field_pengarang(pengarang: list[tuple[str, str]]) -> list[Field]:
    hasil = []
    for i, (nama, peran) in enumerate(pengarang):
        berperan = peran and peran != PERAN_BAWAAN
        pairs = [("a", nama + ("," if berperan else ""))]
        if berperan:
            pairs.append(("e", peran))
        ind1 = "1" if "," in nama else "0"
        hasil.append(_df("100" if i == 0 else "700", ind1 + " ", pairs))
    return hasil


def _field_terbit(tempat: str, penerbit: str, tahun: str) -> list[Field]:
    if not (tempat or penerbit or tahun):
        return []
    a = tempat + (" :" if penerbit else ("," if tempat and tahun else ""))
    b = penerbit + ("," if tahun else "")
    return [_df("264", " 1", [("a", a), ("b", b), ("c", tahun)])]


def _field_subjek(teks: str) -> Field:
    """A topical subject; "Jakarta -- Sejarah" becomes $aJakarta$xSejarah."""
    bagian = [b.strip() for b in teks.split("--") if b.strip()]
    pairs = [("a", bagian[0])] + [("x", b) for b in bagian[1:]]
    return _df("650", " 4", pairs)


def isian_dari_katalog(kolom: dict) -> dict:
    """Initial values of the staff form from a record's modelled columns."""
    return {
        "jenis": kolom["jenis"],
        "judul": kolom["judul"],
        "anak_judul": kolom["anak_judul"],
        "pernyataan_tanggung_jawab": kolom["pernyataan_tanggung_jawab"],
        "pengarang": "\n".join(
            p["nama"] + (f" ; {p['peran']}" if p["peran"] != PERAN_BAWAAN else "")
            for p in kolom["pengarang"]
        ),
        "edisi": kolom["edisi"],
        "tempat_terbit": kolom["tempat_terbit"],
        "penerbit": kolom["penerbit"],
        "tahun_terbit": kolom["tahun_terbit"],
        "isbn": "\n".join(v for v in kolom["isbn"].split(" ; ") if v),
        "issn": "\n".join(v for v in kolom["issn"].split(" ; ") if v),
        "nomor_panggil": kolom["nomor_panggil"],
        "ddc": kolom["ddc"],
        "bahasa": kolom["bahasa"] or "ind",
        "subjek": "\n".join(kolom["subjek"]),
        "seri": kolom["seri"],
        "deskripsi_fisik": kolom["deskripsi_fisik"],
        "catatan": kolom["catatan"],
        "abstrak": kolom["abstrak"],
        "audiens": kolom["audiens"],
    }


def _baris(teks: str) -> list[str]:
    return [b.strip() for b in (teks or "").splitlines() if b.strip()]


# --- mnemonic text (the MARC editor) -------------------------------------------

BARIS_MARC = re.compile(r"^=(?P<tag>[0-9A-Za-z]{3})  (?P<isi>.*)$")


class MarcTidakValid(ValueError):
    def __init__(self, masalah: list[str]):
        super().__init__("; ".join(masalah))
        self.masalah = masalah


DOLAR = "{dollar}"  # MarcEdit's escape for a "$" inside data ("US$ 12")


def ke_teks(record: Record) -> str:
    baris = []
    for field in record.get_fields():
        if field.is_control_field():
            baris.append(f"={field.tag}  {field.data.replace(' ', chr(92))}")
        else:
            ind = "".join(i if i != " " else "\\" for i in field.indicators)
            isi = "".join(f"${s.code}{s.value.replace('$', DOLAR)}" for s in field.subfields)
            baris.append(f"={field.tag}  {ind}{isi}")
    leader = str(record.leader).replace(" ", "\\")
    return "\n".join([f"=LDR  {leader}", *baris]) + "\n"


def dari_teks(teks: str) -> Record:
    """Parse the editor's mnemonic text; every bad line is reported by number."""
    record = record_kosong()
    masalah: list[str] = []
    ada_leader = False
    for nomor, baris in enumerate(teks.splitlines(), start=1):
        if not baris.strip():
            continue
        cocok = BARIS_MARC.match(baris.rstrip("\r"))
        if not cocok:
            masalah.append(
                _("Baris %(n)d: harus berbentuk “=TAG  isi”, misalnya “=245  10$aJudul”.")
                % {"n": nomor}
            )
            continue
        tag, isi = cocok["tag"].upper(), cocok["isi"]
        if tag == "LDR":
            if len(isi) != 24:
                masalah.append(_("Baris %(n)d: leader harus 24 karakter.") % {"n": nomor})
                continue
            record.leader = Leader(isi.replace("\\", " "))
            ada_leader = True
        elif tag < "010" and tag.isdigit():
            record.add_field(Field(tag=tag, data=isi.replace("\\", " ")))
        else:
            field, salah = _field_data(tag, isi, nomor)
            if salah:
                masalah.append(salah)
            else:
                record.add_field(field)
    if not ada_leader:
        record.leader = Leader(LEADER_BAWAAN)
    if record.get("245") is None and not masalah:
        masalah.append(_("Ruas 245 (judul) wajib ada."))
    if masalah:
        raise MarcTidakValid(masalah)
    return record


def _field_data(tag: str, isi: str, nomor: int) -> tuple[Field | None, str]:
    if not tag.isdigit():
        return None, _("Baris %(n)d: tag %(t)s harus tiga angka.") % {"n": nomor, "t": tag}
    if len(isi) < 3 or isi[2] != "$":
        return None, _(
            "Baris %(n)d: setelah tag tulis dua indikator (\\ untuk kosong) lalu subruas "
            "yang diawali $, misalnya “=650  \\4$aPerpustakaan”."
        ) % {"n": nomor}
    indikator = [isi[0].replace("\\", " "), isi[1].replace("\\", " ")]
    for ind in indikator:
        if not re.fullmatch(r"[0-9a-z ]", ind):
            return None, _("Baris %(n)d: indikator “%(i)s” tidak sah.") % {"n": nomor, "i": ind}
    subfields = []
    for bagian in isi[3:].split("$"):
        if not bagian:
            continue
        code, value = bagian[0], bagian[1:]
        if not re.fullmatch(r"[0-9a-z]", code):
            return None, _("Baris %(n)d: kode subruas “%(k)s” tidak sah.") % {
                "n": nomor,
                "k": code,
            }
        subfields.append(Subfield(code=code, value=value.replace(DOLAR, "$")))
    if not subfields:
        return None, _("Baris %(n)d: ruas %(t)s tidak punya subruas.") % {"n": nomor, "t": tag}
    return Field(tag=tag, indicators=indikator, subfields=subfields), ""
