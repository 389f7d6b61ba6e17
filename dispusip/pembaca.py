"""Generic readers for files brought in from other systems (Inlislite, SLiMS, MARC).

Every app's importer reads through these, so each quirk of real exports is
handled once: files arrive as UTF-8, UTF-8 with a BOM or Windows-1252; comma,
semicolon or tab separated; with Windows line endings; as real XLSX or as an
HTML table saved with an .xls name (every Inlislite "Excel" report); as ISO 2709
MARC that claims MARC-8 but holds UTF-8 (Inlislite) or genuine MARC-8; as
MARCXML; or several of them in a zip. Dates come as dd-mm-yyyy, yyyy-mm-dd or
Excel serial numbers.

Readers stream: rows are yielded one by one with the row number a person sees
in a spreadsheet, so problems can be reported by row and column.
"""

from __future__ import annotations

import csv
import functools
import io
import mmap
import re
import shutil
import tempfile
import xml.sax
import xml.sax.handler
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.utils.translation import gettext as _
from pymarc import Record
from pymarc.marcxml import XmlHandler

# A zip of table exports is small; these stop a zip bomb.
MAKS_BERKAS_ZIP = 200
MAKS_UKURAN_ZIP = 4 * 1024**3
EXCEL_EPOCH = date(1899, 12, 30)


class BerkasGagal(ValueError):
    """The file cannot be read; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Baris:
    """One data row: its number as a spreadsheet shows it, and its cells by header."""

    nomor: int
    nilai: dict[str, str]


# --- what kind of file ---------------------------------------------------------------

JENIS = ("zip", "xlsx", "html", "marcxml", "marc21", "csv")


def jenis_berkas(nama: str, kepala: bytes) -> str:
    """Recognise a file by its first bytes (names lie: Inlislite's .xls are HTML)."""
    awal = kepala[:4096]
    if awal.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(kepala)) as z:
                nama_isi = z.namelist()
        except zipfile.BadZipFile:
            # Only the head was given: decide by the local header's first member name.
            nama_isi = [awal[30 : 30 + int.from_bytes(awal[26:28], "little")].decode("latin-1")]
        if any(n == "[Content_Types].xml" or n.startswith("xl/") for n in nama_isi):
            return "xlsx"
        return "zip"
    teks = awal.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if teks.startswith((b"<?xml", b"<collection", b"<record")) and (
        b"marc" in teks or b"<record" in teks
    ):
        return "marcxml"
    if (
        teks.startswith((b"<html", b"<!doctype html", b"<table", b"<meta"))
        or b"<table" in teks[:512]
    ):
        return "html"
    if re.match(rb"^\d{5}[acdnp][a-z ]", awal) and b"\x1d" in kepala:
        return "marc21"
    if nama.lower().endswith((".mrc", ".marc", ".iso")):
        return "marc21"
    return "csv"


# --- text ----------------------------------------------------------------------------


def dekode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return raw.decode("latin-1"), "latin-1"


def pemisah(teks: str) -> str:
    """The delimiter of a CSV text: comma, semicolon or tab."""
    contoh = "\n".join(teks.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(contoh, delimiters=",;\t").delimiter
    except csv.Error:
        kepala = teks.splitlines()[0] if teks else ""
        return max(",;\t", key=kepala.count)


def kunci(teks: object) -> str:
    """A header as a lookup key: case-insensitive, spaces collapsed ("No. Induk" == "no. induk")."""
    return " ".join(str(teks or "").split()).casefold()


def sel(nilai: object) -> str:
    """A cell as text: dates as yyyy-mm-dd, whole floats without ".0", None as ""."""
    if nilai is None:
        return ""
    if isinstance(nilai, datetime):
        return (
            nilai.date().isoformat()
            if nilai.time() == datetime.min.time()
            else nilai.isoformat(sep=" ")
        )
    if isinstance(nilai, date):
        return nilai.isoformat()
    if isinstance(nilai, float) and nilai.is_integer():
        return str(int(nilai))
    return str(nilai).strip()


# --- rows ------------------------------------------------------------------------------


def baris_csv(raw: bytes) -> Iterator[list[str]]:
    """The rows of a CSV file, whatever its encoding, delimiter and line endings."""
    teks, _enc = dekode(raw)
    yield from csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah(teks))


def baris_xlsx(berkas) -> Iterator[list[str]]:
    """The rows of the first sheet of an XLSX file, streamed (read-only mode)."""
    from openpyxl import load_workbook

    try:
        buku = load_workbook(berkas, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise BerkasGagal(_("Berkas Excel tidak dapat dibaca: %(e)s") % {"e": exc}) from None
    try:
        for baris in buku.worksheets[0].iter_rows(values_only=True):
            yield [sel(v) for v in baris]
    finally:
        buku.close()


class _Tabel(HTMLParser):
    """Collects the rows of the HTML tables of a page (cells as text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.baris: list[list[str]] = []
        self._baris: list[str] | None = None
        self._sel: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._baris = []
        elif tag in ("td", "th") and self._baris is not None:
            self._sel = []
        elif tag == "br" and self._sel is not None:
            self._sel.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._baris is not None and self._sel is not None:
            self._baris.append(" ".join("".join(self._sel).split()))
            self._sel = None
        elif tag == "tr" and self._baris is not None:
            self.baris.append(self._baris)
            self._baris = None

    def handle_data(self, data):
        if self._sel is not None:
            self._sel.append(data)


def baris_html(raw: bytes) -> Iterator[list[str]]:
    """The rows of an HTML table saved as .xls (Inlislite reports, Export Data Tag)."""
    teks, _enc = dekode(raw)
    yield from _baris_html([teks])


def _baris_html(potongan: Iterable[str]) -> Iterator[list[str]]:
    # Rows are handed on as each piece completes them, so a page of any size is
    # parsed in the memory of one piece.
    pengurai = _Tabel()
    for teks in potongan:
        pengurai.feed(teks)
        yield from pengurai.baris
        pengurai.baris.clear()
    pengurai.close()
    yield from pengurai.baris


def baris(nama: str, raw: bytes) -> Iterator[list[str]]:
    """The rows of a tabular file of any supported kind."""
    jenis = jenis_berkas(nama, raw)
    if jenis == "xlsx":
        return baris_xlsx(io.BytesIO(raw))
    if jenis == "html":
        return baris_html(raw)
    if jenis == "csv":
        return baris_csv(raw)
    raise BerkasGagal(
        _("%(n)s bukan tabel (CSV, XLSX, atau HTML/.xls) melainkan %(j)s.")
        % {"n": nama, "j": jenis}
    )


def dengan_kepala(
    rows: Iterable[list[str]], *, kepala_di: int | None = None, penanda: Iterable[str] = ()
) -> Iterator[Baris]:
    """Rows as dicts keyed by the header row (keys from `kunci`), skipping blank rows.

    The header is row `kepala_di` (1-based), or the first row that contains every
    name in `penanda` (reports put title rows above the header), else the first
    non-empty row. Row numbers count every row of the file, as a spreadsheet does.
    """
    penanda = {kunci(p) for p in penanda}
    kepala: list[str] | None = None
    for nomor, isi in enumerate(rows, start=1):
        if not any(c.strip() for c in isi):
            continue
        if kepala is None:
            calon = [kunci(c) for c in isi]
            cocok = (
                nomor == kepala_di
                if kepala_di is not None
                else (penanda <= set(calon) if penanda else True)
            )
            if cocok:
                kepala = calon
            continue
        yield Baris(
            nomor, {k: (isi[i].strip() if i < len(isi) else "") for i, k in enumerate(kepala) if k}
        )
    if kepala is None:
        raise BerkasGagal(_("Baris judul kolom tidak ditemukan."))


# --- MARC -----------------------------------------------------------------------------


def _rekaman_iso(potongan: bytes) -> Record:
    """One ISO 2709 record: UTF-8 when its bytes are UTF-8 (Inlislite writes UTF-8
    but leaves leader/09 blank, which claims MARC-8), else MARC-8 as the leader says."""
    try:
        return Record(potongan, force_utf8=True, utf8_handling="strict")
    except UnicodeDecodeError:
        return Record(potongan, to_unicode=True, force_utf8=False)


def rekaman_marc(raw: bytes | mmap.mmap) -> Iterator[tuple[int, Record]]:
    """(record number, record) of an ISO 2709 or MARCXML file, streamed."""
    if jenis_berkas("", bytes(raw[:KEPALA_SAMPEL])) == "marcxml":
        yield from rekaman_marcxml(io.BytesIO(raw))
        return
    for nomor, potongan in potongan_iso(raw):
        try:
            yield nomor, _rekaman_iso(potongan)
        except Exception as exc:
            raise BerkasGagal(
                _("Rekaman MARC ke-%(n)s tidak dapat dibaca: %(e)s") % {"n": nomor, "e": exc}
            ) from None


def rekaman_marcxml(f) -> Iterator[tuple[int, Record]]:
    """(record number, record) of a MARCXML file, parsed as it is read: pymarc's own
    SAX handler fed a megabyte at a time, so a file of a million records never sits
    in memory whole (parse_xml_to_array would keep every record)."""
    siap: list[Record] = []
    handler = XmlHandler()
    handler.process_record = siap.append
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, 1)
    parser.setContentHandler(handler)
    nomor = 0
    try:
        while potongan := f.read(1 << 20):
            parser.feed(potongan)
            for record in siap:
                nomor += 1
                yield nomor, record
            siap.clear()
        parser.close()
    except (xml.sax.SAXException, ValueError) as exc:
        raise BerkasGagal(
            _("MARCXML tidak dapat dibaca setelah rekaman ke-%(n)s: %(e)s") % {"n": nomor, "e": exc}
        ) from None
    yield from enumerate(siap, start=nomor + 1)


def baca_iso(potongan: bytes) -> Record:
    """One ISO 2709 record from its bytes (see potongan_iso), for a worker process."""
    return _rekaman_iso(potongan)


def iso_ke_json(potongan: bytes) -> dict:
    """One ISO 2709 record as MARC-in-JSON (what Record.as_dict gives), read straight
    from its bytes when it is well formed UTF-8 — a million imported records cost a
    third of the time pymarc's objects do — else through pymarc (MARC-8, broken
    directories and its warnings about odd indicators), which raises what is wrong."""
    return _json_iso_utf8(potongan) or _rekaman_iso(potongan).as_dict()


def _json_iso_utf8(potongan: bytes) -> dict | None:
    """As pymarc's decode_marc with force_utf8, or None for anything unusual."""
    try:
        leader = potongan[:24].decode("ascii")
        dasar = int(potongan[12:17])
        direktori = potongan[24 : dasar - 1].decode("ascii")
        if len(leader) != 24 or not 24 < dasar < len(potongan) or len(potongan) < int(leader[:5]):
            return None
        if not direktori or len(direktori) % 12:
            return None
        fields = []
        for awal in range(0, len(direktori), 12):
            tag = direktori[awal : awal + 3]
            panjang = int(direktori[awal + 3 : awal + 7])
            mulai = dasar + int(direktori[awal + 7 : awal + 12])
            # A field's separators are ASCII, so decoding the whole field first splits
            # the same way as splitting its bytes.
            data = potongan[mulai : mulai + panjang - 1].decode("utf-8")
            if tag < "010" and tag.isdigit():
                fields.append({tag: data})
                continue
            indikator, *subs = data.split("\x1f")
            if len(indikator) != 2 or not indikator.isascii():
                return None  # pymarc fills or drops indicators, and says so
            subfields = [{s[0]: s[1:]} for s in subs if s]
            if not all(s[0].isascii() for s in subs if s):
                return None
            fields.append(
                {tag: {"ind1": indikator[0], "ind2": indikator[1], "subfields": subfields}}
            )
    except (UnicodeDecodeError, ValueError):
        return None
    return {"leader": leader, "fields": fields}


def potongan_iso(raw: bytes | mmap.mmap) -> Iterator[tuple[int, bytes]]:
    """(record number, bytes) of each ISO 2709 record, checked for length, unparsed."""
    posisi, nomor = 0, 0
    while posisi < len(raw):
        while posisi < len(raw) and raw[posisi : posisi + 1] in (b"\n", b"\r", b" "):
            posisi += 1  # some exports put a newline between records
        if posisi >= len(raw):
            break
        nomor += 1
        try:
            panjang = int(raw[posisi : posisi + 5])
        except ValueError:
            raise BerkasGagal(
                _("Rekaman MARC ke-%(n)s rusak: panjang rekaman tidak terbaca.") % {"n": nomor}
            ) from None
        potongan = raw[posisi : posisi + panjang]
        if len(potongan) < panjang or not potongan.endswith(b"\x1d"):
            raise BerkasGagal(_("Rekaman MARC ke-%(n)s terpotong.") % {"n": nomor})
        yield nomor, bytes(potongan)
        posisi += panjang


def potongan_iso_berkas(f) -> Iterator[tuple[int, bytes]]:
    """potongan_iso over an open binary file, one record in memory at a time."""
    nomor = 0
    while kepala := f.read(5):
        while kepala[:1] in (b"\n", b"\r", b" "):  # some exports put a newline between records
            kepala = kepala[1:] + f.read(1)
        if not kepala.strip():
            break
        nomor += 1
        try:
            panjang = int(kepala)
        except ValueError:
            raise BerkasGagal(
                _("Rekaman MARC ke-%(n)s rusak: panjang rekaman tidak terbaca.") % {"n": nomor}
            ) from None
        potongan = kepala + f.read(max(0, panjang - len(kepala)))
        if len(potongan) < panjang or not potongan.endswith(b"\x1d"):
            raise BerkasGagal(_("Rekaman MARC ke-%(n)s terpotong.") % {"n": nomor})
        yield nomor, potongan


# --- zip -------------------------------------------------------------------------------


def isi_zip(raw: bytes) -> list[tuple[str, bytes]]:
    """The files of a zip (folders flattened), refusing bombs and odd names."""
    try:
        arsip = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise BerkasGagal(_("Berkas zip rusak.")) from None
    with arsip:
        isi = [i for i in arsip.infolist() if not i.is_dir()]
        if len(isi) > MAKS_BERKAS_ZIP:
            raise BerkasGagal(_("Zip berisi lebih dari %(n)s berkas.") % {"n": MAKS_BERKAS_ZIP})
        if sum(i.file_size for i in isi) > MAKS_UKURAN_ZIP:
            raise BerkasGagal(_("Isi zip terlalu besar setelah diekstrak."))
        hasil = []
        for info in isi:
            nama = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if not nama or nama.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            hasil.append((nama, arsip.read(info)))
        return hasil


# --- files on disk, streamed ----------------------------------------------------------

KEPALA_SAMPEL = 256 * 1024


@dataclass
class BerkasMasuk:
    """One file of an import, on disk: what it is, and its rows or records streamed,
    so a 2 GB table export never sits in memory."""

    nama: str
    jalur: Path
    jenis: str = ""
    tabel: str = ""  # the table kind an importer recognised ("catalogs", "slims.biblio")
    kepala: list[str] = field(default_factory=list)  # the header row as read

    def __post_init__(self) -> None:
        if not self.jenis:
            with open(self.jalur, "rb") as f:
                self.jenis = jenis_berkas(self.nama, f.read(KEPALA_SAMPEL))

    @property
    def ukuran(self) -> int:
        return self.jalur.stat().st_size

    def sampel(self) -> bytes:
        with open(self.jalur, "rb") as f:
            return f.read(KEPALA_SAMPEL)

    def baris(self) -> Iterator[list[str]]:
        """Every row of a tabular file (CSV, XLSX, HTML-as-.xls), as lists of text."""
        if self.jenis == "csv":
            return _baris_csv_berkas(self.jalur)
        if self.jenis == "xlsx":
            return baris_xlsx(self.jalur)
        if self.jenis == "html":
            return _baris_html_berkas(self.jalur)
        raise BerkasGagal(
            _("%(n)s bukan tabel (CSV, XLSX, atau HTML/.xls) melainkan %(j)s.")
            % {"n": self.nama, "j": self.jenis}
        )

    def perkiraan_baris(self) -> int:
        """About how many rows a tabular file holds, for a progress bar: its line
        breaks (a CSV), its sheet's dimension (XLSX), its <tr> tags (HTML); cheap."""
        if self.jenis in ("csv", "html"):
            tanda = b"\n" if self.jenis == "csv" else b"<tr"
            n = 0
            with open(self.jalur, "rb") as f:
                while potong := f.read(1 << 22):
                    n += (
                        potong.lower().count(tanda) if self.jenis == "html" else potong.count(tanda)
                    )
            return n
        if self.jenis == "xlsx":
            from openpyxl import load_workbook

            try:
                buku = load_workbook(self.jalur, read_only=True)
                return buku.worksheets[0].max_row or 0
            except Exception:  # unreadable: the reading reports it
                return 0
        return 0

    def potongan(self) -> Iterator[tuple[int, bytes]]:
        """The raw bytes of each record of an ISO 2709 file (parsed elsewhere), read
        through a buffer: a memory map would keep every page read resident."""
        with open(self.jalur, "rb", buffering=1 << 20) as f:
            yield from potongan_iso_berkas(f)

    def rekaman(self) -> Iterator[tuple[int, Record]]:
        """Every record of a MARC file, read through a memory map (pages in and out)."""
        if self.jenis == "marcxml":
            with open(self.jalur, "rb") as f:
                yield from rekaman_marcxml(f)
            return
        if self.ukuran == 0:
            return
        with open(self.jalur, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            yield from rekaman_marc(m)


def _sampel_teks(jalur: Path) -> tuple[str, str]:
    """(text of the first 256 kB, encoding of the file). A sample that is plain ASCII
    says nothing: the rest is then checked, so a Windows-1252 file whose first é
    comes late is not taken for UTF-8."""
    with open(jalur, "rb") as f:
        sampel = f.read(KEPALA_SAMPEL)
        # A cut in the middle of a UTF-8 character must not look like Windows-1252.
        potong = sampel if len(sampel) < KEPALA_SAMPEL else sampel[: sampel.rfind(b"\n") + 1]
        teks, enc = dekode(potong)
        if enc == "utf-8" and potong.isascii() and not _utf8_sampai_habis(f, sampel[len(potong) :]):
            return potong.decode("cp1252"), _cp1252_atau_latin1(jalur)
    return teks, enc


def _utf8_sampai_habis(f, awal: bytes) -> bool:
    """Whether the rest of an open file (after `awal`, already read) is valid UTF-8."""
    import codecs

    cek = codecs.getincrementaldecoder("utf-8")()
    try:
        cek.decode(awal)
        while potong := f.read(1 << 22):
            cek.decode(potong)
        cek.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _cp1252_atau_latin1(jalur: Path) -> str:
    # Windows-1252 leaves five bytes undefined; a file with one is read as Latin-1.
    with open(jalur, "rb") as f:
        while potong := f.read(1 << 22):
            if any(b in potong for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
                return "latin-1"
    return "cp1252"


def dialek_csv(jalur: Path) -> tuple[str, str]:
    """(encoding, delimiter) of a CSV file: the delimiter from its first 256 kB, the
    encoding from those too unless they are plain ASCII (then from the whole file)."""
    st = jalur.stat()
    return _dialek(str(jalur), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _dialek(jalur: str, _ukuran: int, _diubah: int) -> tuple[str, str]:
    # Asked again for the same file (COPY, then its rows); size and time in the key
    # so a file written anew is looked at anew.
    teks, enc = _sampel_teks(Path(jalur))
    return enc, pemisah(teks)


def _baris_html_berkas(jalur: Path) -> Iterator[list[str]]:
    enc, _pemisah = dialek_csv(jalur)
    with open(jalur, encoding=enc, newline="") as f:
        try:
            yield from _baris_html(iter(lambda: f.read(1 << 18), ""))
        except UnicodeDecodeError as exc:
            raise BerkasGagal(
                _("%(n)s: pengodean teks berubah di tengah berkas (%(e)s).")
                % {"n": jalur.name, "e": exc}
            ) from None


def _baris_csv_berkas(jalur: Path) -> Iterator[list[str]]:
    enc, delimiter = dialek_csv(jalur)
    with open(jalur, encoding=enc, newline="") as f:
        try:
            yield from csv.reader(f, delimiter=delimiter)
        except UnicodeDecodeError as exc:
            raise BerkasGagal(
                _("%(n)s: pengodean teks berubah di tengah berkas (%(e)s).")
                % {"n": jalur.name, "e": exc}
            ) from None


def kumpulkan(jalur: Iterable[Path | str], folder: Path) -> list[BerkasMasuk]:
    """The files of an import: zips are extracted (streamed) into `folder`."""
    hasil = []
    for j in map(Path, jalur):
        with open(j, "rb") as f:
            kepala = f.read(KEPALA_SAMPEL)
        if jenis_berkas(j.name, kepala) == "zip":
            hasil.extend(_ekstrak(j, folder))
        else:
            hasil.append(BerkasMasuk(j.name, j))
    return hasil


def _ekstrak(jalur: Path, folder: Path) -> list[BerkasMasuk]:
    try:
        arsip = zipfile.ZipFile(jalur)
    except zipfile.BadZipFile:
        raise BerkasGagal(_("Berkas zip rusak.")) from None
    with arsip:
        isi = [i for i in arsip.infolist() if not i.is_dir()]
        if len(isi) > MAKS_BERKAS_ZIP:
            raise BerkasGagal(_("Zip berisi lebih dari %(n)s berkas.") % {"n": MAKS_BERKAS_ZIP})
        if sum(i.file_size for i in isi) > MAKS_UKURAN_ZIP:
            raise BerkasGagal(_("Isi zip terlalu besar setelah diekstrak."))
        folder.mkdir(parents=True, exist_ok=True)
        hasil = []
        for n, info in enumerate(isi):
            nama = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if not nama or nama.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            tujuan = folder / f"{n:03d}-{re.sub(r'[^A-Za-z0-9._-]', '_', nama)}"
            with arsip.open(info) as sumber, open(tujuan, "wb") as keluar:
                shutil.copyfileobj(sumber, keluar, 1024 * 1024)
            hasil.append(BerkasMasuk(nama, tujuan))
        return hasil


def folder_sementara() -> Path:
    return Path(tempfile.mkdtemp(prefix="impor-"))


# --- values ----------------------------------------------------------------------------

_TANGGAL = [
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("y", "m", "d")),
]


# Inlislite's reports write "15-Maret-2025"; English month names too.
_BULAN = {
    **{b: n for n, b in enumerate(("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep",
                                   "okt", "nov", "des"), start=1)},
    "may": 5, "aug": 8, "oct": 10, "dec": 12, "ags": 8,
}  # fmt: skip


def tanggal(nilai: object) -> date | None:
    """A date from dd-mm-yyyy, yyyy-mm-dd (with -, / or .), an Excel serial number,
    or a date/datetime; None for an empty cell. ValueError for anything else."""
    if nilai is None:
        return None
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    teks = str(nilai).strip()
    if not teks:
        return None
    teks_asli = teks
    teks = teks.split(" ")[0].split("T")[0]  # "2024-03-15 00:00:00"
    nama_bulan = re.match(r"^(\d{1,2})[-/. ]([A-Za-z]+)[-/. ](\d{4})$", teks_asli)
    if nama_bulan and nama_bulan[2].casefold()[:3] in _BULAN:
        return date(int(nama_bulan[3]), _BULAN[nama_bulan[2].casefold()[:3]], int(nama_bulan[1]))
    for pola, urutan in _TANGGAL:
        cocok = pola.match(teks)
        if cocok:
            bagian = dict(zip(urutan, map(int, cocok.groups()), strict=True))
            return date(bagian["y"], bagian["m"], bagian["d"])
    if re.fullmatch(r"\d{1,5}(\.\d+)?", teks):
        serial = float(teks)
        if 1 <= serial < 2958466:  # Excel's range, 1900-01-01 .. 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(serial))
    raise ValueError(f"not a date: {nilai!r}")


def daftar_slims(nilai: str) -> list[str]:
    """SLiMS writes lists as "<a><b>"; a plain value is a list of one."""
    nilai = (nilai or "").strip()
    if not nilai:
        return []
    if nilai.startswith("<") and nilai.endswith(">"):
        return [v.strip() for v in nilai[1:-1].split("><") if v.strip()]
    return [nilai]


__all__ = [
    "JENIS",
    "Baris",
    "BerkasGagal",
    "BerkasMasuk",
    "baris",
    "baris_csv",
    "baris_html",
    "baris_xlsx",
    "daftar_slims",
    "dekode",
    "dengan_kepala",
    "folder_sementara",
    "isi_zip",
    "jenis_berkas",
    "kumpulkan",
    "kunci",
    "pemisah",
    "rekaman_marc",
    "sel",
    "tanggal",
]  # fmt: skip
