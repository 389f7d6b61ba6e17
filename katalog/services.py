"""Use cases of the catalogue: saving records through MARC, and every item change.

A record is saved only by `simpan_marc`, which derives the modelled columns
from the MARC record (katalog.marc). An item's status changes only through
`ubah_status` (circulation calls it too), so the availability arrays on the
record that the OPAC facets read are always current.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from pymarc import Field, Record

from dispusip import akses, impor, penomoran
from dispusip.audit import catat
from dispusip.models import PetaImpor
from katalog import marc as marc_mod
from katalog.models import (
    CalonGabung,
    Eksemplar,
    Katalog,
    KategoriKoleksi,
    Lokasi,
    StatusEksemplar,
    SumberPerolehan,
)

if TYPE_CHECKING:
    from dispusip.models import Cabang, Pengguna

MAKS_EKSEMPLAR_SEKALIGUS = 200
IZIN_UBAH_KATALOG = "katalog.change_katalog"
IZIN_TAMBAH_KATALOG = "katalog.add_katalog"
IZIN_EKSEMPLAR = "katalog.change_eksemplar"
# The source tables whose rows became catalogue records (katalog.impor).
TABEL_IMPOR_KATALOG = ("marc", "catalogs", "template.koleksi", "slims.biblio", "laporan.buku_induk")
# A source record attached to a record it did not make (matched by ISBN, or merged
# from the queue) keeps its fingerprint in the import map with this first character:
# the source's later changes never rewrite the record it shares.
GABUNG = "+"


def sidik_gabung(sidik: str) -> str:
    return GABUNG + sidik[1:]  # the map's column holds exactly a sha256 in hex


KOLOM_AUDIT = ("judul", "pengarang_teks", "penerbit", "tahun_terbit", "isbn", "nomor_panggil")


class KatalogGagal(Exception):
    """A catalogue rule refused the change; the message is for the person."""


# --- records -------------------------------------------------------------------


def simpan_marc(
    record: Record,
    *,
    oleh: Pengguna | None,
    katalog: Katalog | None = None,
    ip: str | None = None,
) -> Katalog:
    """Create (katalog=None) or replace a record from its MARC; returns the saved row."""
    if oleh is not None:
        izin = IZIN_UBAH_KATALOG if katalog else IZIN_TAMBAH_KATALOG
        akses.wajib_boleh(oleh, None, permission=izin)
    with transaction.atomic():
        baru = katalog is None
        if baru:
            katalog = Katalog(dibuat_oleh=oleh)
            lama = None
        else:
            katalog = Katalog.objects.select_for_update().get(pk=katalog.pk)
            lama = {
                k: getattr(katalog, k) for k in (*KOLOM_AUDIT, "subjek", "pengarang", "tampil_opac")
            }
        _pastikan_nomor_kontrol(record, katalog)
        _ganti_field(record, "005", timezone.now().strftime("%Y%m%d%H%M%S.0"))
        kolom = marc_mod.kolom_dari_marc(record)
        for name, value in kolom.items():
            setattr(katalog, name, value)
        katalog.marc = marc_mod.record_ke_json(record)
        katalog.diubah_oleh = oleh
        katalog.save()
        _segarkan_tajuk(lama, katalog)
        sebelum = {k: lama[k] for k in KOLOM_AUDIT if lama[k] != kolom[k]} if lama else {}
        sesudah = {k: kolom[k] for k in (sebelum if lama else KOLOM_AUDIT)}
        if baru or sebelum:
            catat(
                aksi="katalog.buat" if baru else "katalog.ubah",
                oleh=oleh,
                objek=katalog,
                sebelum=sebelum,
                sesudah=sesudah,
                ip=ip,
            )
    return katalog


def _ganti_field(record: Record, tag: str, data: str) -> None:
    for field in record.get_fields(tag):
        record.remove_field(field)
    record.add_ordered_field(Field(tag=tag, data=data))


def _pastikan_nomor_kontrol(record: Record, katalog: Katalog) -> None:
    """Keep the record's 001 when it is ours or new to us; otherwise give it a fresh one."""
    if katalog.pk:
        _ganti_field(record, "001", katalog.nomor_kontrol)
        return
    f001 = record.get("001")
    kandidat = f001.data.strip() if f001 is not None else ""
    if not kandidat or Katalog.objects.filter(nomor_kontrol=kandidat).exists():
        kandidat = penomoran.alokasikan(
            "katalog.nomor_kontrol",
            terpakai=lambda c: Katalog.objects.filter(nomor_kontrol__in=c).values_list(
                "nomor_kontrol", flat=True
            ),
        )[0]
    _ganti_field(record, "001", kandidat)


def muat_massal(records: list[Record], *, ukuran_batch: int = 2000) -> list[Katalog]:
    """Insert many new records at once (demo data, benchmarks, imports).

    Columns come from the same mapping as a single save; 001 is kept when it
    is unused, else allocated. Headings and vocabulary are not touched: call
    bangun_ulang_tajuk() once the load is done.
    """
    f001 = [r.get("001").data.strip() if r.get("001") is not None else "" for r in records]
    dipakai = set(
        Katalog.objects.filter(nomor_kontrol__in=[n for n in f001 if n]).values_list(
            "nomor_kontrol", flat=True
        )
    )
    perlu, dilihat = [], set(dipakai)
    for i, n in enumerate(f001):
        if not n or n in dilihat:
            perlu.append(i)
        dilihat.add(n)
    if perlu:
        baru = penomoran.alokasikan(
            "katalog.nomor_kontrol",
            jumlah=len(perlu),
            terpakai=lambda c: Katalog.objects.filter(nomor_kontrol__in=c).values_list(
                "nomor_kontrol", flat=True
            ),
        )
        for i, nomor in zip(perlu, baru, strict=True):
            _ganti_field(records[i], "001", nomor)
    sekarang = timezone.now().strftime("%Y%m%d%H%M%S.0")
    rows = []
    for record in records:
        _ganti_field(record, "005", sekarang)
        rows.append(
            Katalog(marc=marc_mod.record_ke_json(record), **marc_mod.kolom_dari_marc(record))
        )
    return Katalog.objects.bulk_create(rows, batch_size=ukuran_batch)


def muat_eksemplar_massal(data: list[dict], *, ukuran_batch: int = 5000) -> list[Eksemplar]:
    """Insert many items (dicts of Eksemplar fields, without numbers) at once, numbered
    by the allocator, and refresh their records' availability."""
    barcode = (
        iter(
            penomoran.alokasikan("katalog.barcode", jumlah=len(data), terpakai=_terpakai("barcode"))
        )
        if data
        else iter(())
    )
    per_unit: dict[str, list[dict]] = {}
    for d in data:
        per_unit.setdefault(kode_unit(d["cabang"].unit), []).append(d)
    induk: dict[int, str] = {}
    for kode, anggota in per_unit.items():
        nomor = penomoran.alokasikan(
            "katalog.nomor_induk",
            jumlah=len(anggota),
            bagian={"kode": kode},
            terpakai=_terpakai("nomor_induk"),
        )
        for d, n in zip(anggota, nomor, strict=True):
            induk[id(d)] = n
    rows = [
        Eksemplar(unit_id=d["cabang"].unit_id, barcode=next(barcode), nomor_induk=induk[id(d)], **d)
        for d in data
    ]
    hasil = Eksemplar.objects.bulk_create(rows, batch_size=ukuran_batch)
    segarkan_ketersediaan([d["katalog"].pk for d in data])
    return hasil


def atur_tampil_opac(
    katalog: Katalog, *, tampil: bool, oleh: Pengguna, alasan: str = "", ip: str | None = None
) -> Katalog:
    """Show a record in the OPAC or hide it (a withdrawn title, an internal document).

    Hidden records give the public no suggestions: their headings and words
    leave the autocomplete and "did you mean" counts.
    """
    akses.wajib_boleh(oleh, None, permission=IZIN_UBAH_KATALOG)
    with transaction.atomic():
        katalog = Katalog.objects.select_for_update().get(pk=katalog.pk)
        if katalog.tampil_opac == tampil:
            return katalog
        lama = {k: getattr(katalog, k) for k in ("judul", "subjek", "pengarang", "tampil_opac")}
        katalog.tampil_opac = tampil
        katalog.save(update_fields=["tampil_opac"])
        _segarkan_tajuk(lama, katalog)
        catat(
            aksi="katalog.tampil" if tampil else "katalog.sembunyi",
            oleh=oleh,
            objek=katalog,
            sebelum={"tampil_opac": not tampil},
            sesudah={"tampil_opac": tampil},
            alasan=alasan,
            ip=ip,
        )
    return katalog


def salin_marc(katalog: Katalog) -> Record:
    """A copy of a record's MARC to start a new record from (no 001/005, no holdings)."""
    record = marc_mod.record_dari_json(katalog.marc)
    for field in record.get_fields("001", "005", "035", "990"):
        record.remove_field(field)
    return record


def cari_duplikat(
    *, isbn: list[str], judul: str, pengarang: str, tahun: int | None, kecuali: int | None = None
):
    """Records that look like the same edition: same ISBN, or same title+first author+year."""
    from katalog import nomor_standar

    kunci = nomor_standar.kunci_pencarian(isbn)
    qs = Katalog.objects.none()
    if kunci:
        qs = Katalog.objects.filter(isbn_normal__overlap=kunci)
    if judul and tahun:
        sama = Katalog.objects.filter(judul__iexact=judul.strip(), tahun=tahun)
        if pengarang:
            sama = sama.filter(pengarang_teks__istartswith=pengarang.strip())
        qs = qs | sama
    if kecuali:
        qs = qs.exclude(pk=kecuali)
    return qs.ringkas().order_by("id")[:10]


# --- headings and vocabulary for autocomplete and "did you mean" ----------------

KATA = re.compile(r"[a-z]{3,60}")


def _tajuk(kolom: dict | Katalog | None) -> Counter:
    if kolom is None:
        return Counter()
    get = kolom.get if isinstance(kolom, dict) else lambda k: getattr(kolom, k)
    hasil = Counter()
    hasil[("judul", get("judul")[:300])] += 1
    for p in get("pengarang") or []:
        hasil[("pengarang", p["nama"][:300])] += 1
    for s in get("subjek") or []:
        hasil[("subjek", s[:300])] += 1
    return hasil


def kata_dari(teks: str) -> set[str]:
    return set(KATA.findall(teks.lower()))


def _kata(kolom: dict | Katalog | None) -> Counter:
    if kolom is None:
        return Counter()
    get = kolom.get if isinstance(kolom, dict) else lambda k: getattr(kolom, k)
    teks = " ".join([get("judul"), get("pengarang_teks") or "", " ".join(get("subjek") or [])])
    return Counter(kata_dari(teks))


def _segarkan_tajuk(lama: dict | None, katalog: Katalog) -> None:
    """Move the heading and word counts from the record's old values to its new ones.

    A record hidden from the OPAC contributes nothing: its words must not be
    suggested to the public. Rows are upserted in sorted order, so two saves
    touching the same words lock them in the same order and cannot deadlock.
    """
    if lama is not None:
        lama = {**lama, "pengarang_teks": " ".join(p["nama"] for p in lama["pengarang"])}
        if not lama.get("tampil_opac", True):
            lama = None
    baru = katalog if katalog.tampil_opac else None
    tajuk = _tajuk(baru)
    tajuk.subtract(_tajuk(lama))
    kata = _kata(baru)
    kata.subtract(_kata(lama))
    with connection.cursor() as cursor:
        rows = sorted((j, t, n) for (j, t), n in tajuk.items() if n)
        if rows:
            cursor.executemany(
                """INSERT INTO katalog_tajuk (jenis, teks, jumlah) VALUES (%s, %s, %s)
                ON CONFLICT (jenis, teks) DO UPDATE SET jumlah = katalog_tajuk.jumlah + EXCLUDED.jumlah""",
                rows,
            )
            cursor.execute(
                "DELETE FROM katalog_tajuk WHERE jumlah <= 0 AND (jenis, teks) IN "
                "(SELECT * FROM unnest(%s::text[], %s::text[]))",
                [[j for j, _t, n in rows if n < 0], [t for _j, t, n in rows if n < 0]],
            )
        rows = sorted((k, n, len(k)) for k, n in kata.items() if n)
        if rows:
            cursor.executemany(
                """INSERT INTO katalog_kosakata (kata, jumlah, panjang) VALUES (%s, %s, %s)
                ON CONFLICT (kata) DO UPDATE SET jumlah = katalog_kosakata.jumlah + EXCLUDED.jumlah""",
                rows,
            )
            cursor.execute(
                "DELETE FROM katalog_kosakata WHERE jumlah <= 0 AND kata = ANY(%s)",
                [[k for k, n, _p in rows if n < 0]],
            )


def bangun_ulang_tajuk() -> dict[str, int]:
    """Rebuild headings and vocabulary from the whole catalogue (after bulk loads, nightly)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE katalog_tajuk, katalog_kosakata")
        # TRUNCATE locks both tables until commit anyway: their indexes are built
        # once at the end rather than kept current row by row.
        with impor.tanpa_indeks(["katalog_tajuk", "katalog_kosakata"]):
            cursor.execute(
                """
            INSERT INTO katalog_tajuk (jenis, teks, jumlah)
            SELECT 'judul', left(judul, 300), count(*) FROM katalog_katalog
             WHERE tampil_opac GROUP BY 2
            UNION ALL
            SELECT 'pengarang', left(p->>'nama', 300), count(*)
              FROM katalog_katalog, jsonb_array_elements(pengarang) p WHERE tampil_opac GROUP BY 2
            UNION ALL
            SELECT 'subjek', left(s, 300), count(*)
              FROM katalog_katalog, unnest(subjek) s WHERE tampil_opac GROUP BY 2
            """
            )
            tajuk = cursor.rowcount
            cursor.execute(
                r"""
            INSERT INTO katalog_kosakata (kata, jumlah, panjang)
            SELECT word, ndoc, length(word) FROM ts_stat($$
                SELECT to_tsvector('simple', lower(judul || ' ' || pengarang_teks || ' '
                                   || array_to_string(subjek, ' ')))
                FROM katalog_katalog WHERE tampil_opac $$)
            WHERE word ~ '^[a-z]{3,60}$'
            """
            )
            kata = cursor.rowcount
    return {"tajuk": tajuk, "kata": kata}


# --- items -----------------------------------------------------------------------


def _terpakai(kolom: str):
    def cek(kandidat: list[str]):
        return Eksemplar.objects.filter(**{f"{kolom}__in": kandidat}).values_list(kolom, flat=True)

    return cek


def kode_unit(unit) -> str:
    return unit.kode.upper().replace("-", "")


def tambah_eksemplar(
    katalog: Katalog,
    *,
    cabang: Cabang,
    kategori: KategoriKoleksi,
    jumlah: int,
    oleh: Pengguna | None,
    sumber: str = SumberPerolehan.BELI,
    harga: Decimal | None = None,
    tanggal_terima: date | None = None,
    lokasi: Lokasi | None = None,
    nomor_panggil: str = "",
    catatan: str = "",
    ip: str | None = None,
) -> list[Eksemplar]:
    """Add `jumlah` copies to a branch, numbered by the allocator, in one transaction."""
    if oleh is not None:
        akses.wajib_boleh(oleh, cabang.unit_id, permission="katalog.add_eksemplar")
    if not 1 <= jumlah <= MAKS_EKSEMPLAR_SEKALIGUS:
        raise KatalogGagal(
            _("Jumlah eksemplar harus 1 sampai %(n)d.") % {"n": MAKS_EKSEMPLAR_SEKALIGUS}
        )
    if lokasi is not None and lokasi.cabang_id != cabang.pk:
        raise KatalogGagal(_("Lokasi rak “%(l)s” bukan milik %(c)s.") % {"l": lokasi, "c": cabang})
    tanggal_terima = tanggal_terima or timezone.localdate()
    with transaction.atomic():
        barcode = penomoran.alokasikan(
            "katalog.barcode", jumlah=jumlah, tanggal=tanggal_terima, terpakai=_terpakai("barcode")
        )
        induk = penomoran.alokasikan(
            "katalog.nomor_induk",
            jumlah=jumlah,
            tanggal=tanggal_terima,
            bagian={"kode": kode_unit(cabang.unit)},
            terpakai=_terpakai("nomor_induk"),
        )
        baru = Eksemplar.objects.bulk_create(
            Eksemplar(
                katalog=katalog,
                unit_id=cabang.unit_id,
                cabang=cabang,
                lokasi=lokasi,
                kategori=kategori,
                barcode=b,
                nomor_induk=n,
                nomor_panggil=nomor_panggil,
                sumber=sumber,
                harga=harga,
                tanggal_terima=tanggal_terima,
                catatan=catatan,
            )
            for b, n in zip(barcode, induk, strict=True)
        )
        segarkan_ketersediaan([katalog.pk])
        catat(
            aksi="eksemplar.tambah",
            oleh=oleh,
            objek=katalog,
            unit=cabang.unit,
            sesudah={"cabang": cabang.nama, "barcode": barcode, "kategori": kategori.nama},
            ip=ip,
        )
    return baru


def ubah_eksemplar(
    eksemplar: Eksemplar, *, oleh: Pengguna, data: dict, ip: str | None = None
) -> Eksemplar:
    """Correct an item's details (shelf, category, call number, price…), audited.

    Branch and status are not details: they change through pindahkan_eksemplar
    and ubah_status, which keep the record's availability current.
    """
    akses.wajib_boleh(oleh, eksemplar.unit_id, permission=IZIN_EKSEMPLAR)
    lokasi = data.get("lokasi")
    if lokasi is not None and lokasi.cabang_id != eksemplar.cabang_id:
        raise KatalogGagal(
            _("Lokasi rak “%(l)s” bukan milik %(c)s.") % {"l": lokasi, "c": eksemplar.cabang}
        )
    with transaction.atomic():
        item = _kunci(eksemplar)
        sebelum, sesudah = {}, {}
        for kolom in Eksemplar.RINCIAN:
            if kolom in data and getattr(item, kolom) != data[kolom]:
                sebelum[kolom] = str(getattr(item, kolom) or "")
                sesudah[kolom] = str(data[kolom] or "")
                setattr(item, kolom, data[kolom])
        if not sesudah:
            return item
        item.save()
        if "kategori" in sesudah:
            segarkan_ketersediaan([item.katalog_id])
        catat(aksi="eksemplar.ubah", oleh=oleh, objek=item, sebelum=sebelum, sesudah=sesudah, ip=ip)
    return item


def segarkan_ketersediaan(katalog_ids: list[int]) -> None:
    """Recompute the holding, on-shelf and category arrays of these records from their items.

    The rows are locked first, in a statement of their own, so the UPDATE
    that follows runs on a fresh snapshot and sees items changed by a
    transaction that committed while this one waited for the lock.
    """
    ids = sorted(set(katalog_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM katalog_katalog WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids]
        )
        cursor.execute(
            """
            UPDATE katalog_katalog k SET
              cabang_pemilik = ARRAY(SELECT DISTINCT e.cabang_id FROM katalog_eksemplar e
                                     WHERE e.katalog_id = k.id AND e.status <> %s ORDER BY 1),
              cabang_tersedia = ARRAY(SELECT DISTINCT e.cabang_id FROM katalog_eksemplar e
                                      WHERE e.katalog_id = k.id AND e.status = %s ORDER BY 1),
              kategori_koleksi = ARRAY(SELECT DISTINCT e.kategori_id FROM katalog_eksemplar e
                                       WHERE e.katalog_id = k.id AND e.status <> %s ORDER BY 1)
            WHERE k.id = ANY(%s)
            """,
            [StatusEksemplar.DIHAPUS, StatusEksemplar.TERSEDIA, StatusEksemplar.DIHAPUS, ids],
        )


def _kunci(eksemplar: Eksemplar) -> Eksemplar:
    return Eksemplar.objects.select_for_update().select_related("katalog").get(pk=eksemplar.pk)


def ubah_status(
    eksemplar: Eksemplar,
    status: str,
    *,
    jatuh_tempo: date | None = None,
    oleh: Pengguna | None = None,
    alasan: str = "",
    audit: bool = True,
    ip: str | None = None,
) -> Eksemplar:
    """Move an item to `status` if the transition is allowed.

    Circulation passes audit=False: its loan records are the history of its
    own changes. A due date is kept only while the item is on loan.
    """
    with transaction.atomic():
        item = _kunci(eksemplar)
        if item.status == status and status != StatusEksemplar.DIPINJAM:
            return item
        # Lent to lent is a renewal: only the due date moves.
        if item.status != status and not item.boleh_menjadi(status):
            raise KatalogGagal(
                _("Eksemplar %(b)s berstatus %(dari)s dan tidak dapat menjadi %(ke)s.")
                % {
                    "b": item.barcode,
                    "dari": item.get_status_display(),
                    "ke": StatusEksemplar(status).label,
                }
            )
        if status == StatusEksemplar.DIPINJAM and jatuh_tempo is None:
            raise KatalogGagal(_("Eksemplar yang dipinjam harus punya jatuh tempo."))
        sebelum = {"status": item.status}
        item.status = status
        item.jatuh_tempo = jatuh_tempo if status == StatusEksemplar.DIPINJAM else None
        item.save(update_fields=["status", "jatuh_tempo", "diubah"])
        segarkan_ketersediaan([item.katalog_id])
        if audit:
            catat(
                aksi=f"eksemplar.{status}",
                oleh=oleh,
                objek=item,
                sebelum=sebelum,
                sesudah={"status": status},
                alasan=alasan,
                ip=ip,
            )
    eksemplar.status, eksemplar.jatuh_tempo = item.status, item.jatuh_tempo
    return item


STATUS_TERIKAT = (
    StatusEksemplar.DIPINJAM,
    StatusEksemplar.DIPESAN,
    StatusEksemplar.DALAM_PERJALANAN,
)


def pindahkan_eksemplar(
    eksemplar: list[Eksemplar],
    *,
    cabang: Cabang,
    oleh: Pengguna,
    lokasi: Lokasi | None = None,
    alasan: str = "",
    ip: str | None = None,
) -> int:
    """Give items a new home branch (and shelf); both units must be the actor's to change."""
    akses.wajib_boleh(oleh, cabang.unit_id, permission=IZIN_EKSEMPLAR)
    if lokasi is not None and lokasi.cabang_id != cabang.pk:
        raise KatalogGagal(_("Lokasi rak “%(l)s” bukan milik %(c)s.") % {"l": lokasi, "c": cabang})
    with transaction.atomic():
        ids = [e.pk for e in eksemplar]
        items = list(
            Eksemplar.objects.select_for_update()
            .select_related("cabang")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        for item in items:
            akses.wajib_boleh(oleh, item.unit_id, permission=IZIN_EKSEMPLAR)
            if item.status in STATUS_TERIKAT:
                raise KatalogGagal(
                    _("Eksemplar %(b)s sedang %(s)s; pindahkan setelah kembali ke rak.")
                    % {"b": item.barcode, "s": item.get_status_display().lower()}
                )
            if item.status == StatusEksemplar.DIHAPUS:
                raise KatalogGagal(
                    _("Eksemplar %(b)s sudah dihapus dari koleksi.") % {"b": item.barcode}
                )
        for item in items:
            asal = item.cabang
            item.cabang, item.unit_id, item.lokasi = cabang, cabang.unit_id, lokasi
            item.save(update_fields=["cabang", "unit", "lokasi", "diubah"])
            catat(
                aksi="eksemplar.pindah",
                oleh=oleh,
                objek=item,
                unit=cabang.unit,
                sebelum={"cabang": asal.nama},
                sesudah={"cabang": cabang.nama, "lokasi": str(lokasi or "")},
                alasan=alasan,
                ip=ip,
            )
        segarkan_ketersediaan([item.katalog_id for item in items])
    return len(items)


def tarik_eksemplar(
    eksemplar: Eksemplar, *, oleh: Pengguna, alasan: str, ip: str | None = None
) -> Eksemplar:
    """Withdraw (weed) an item from the collection, with the reason recorded."""
    akses.wajib_boleh(oleh, eksemplar.unit_id, permission=IZIN_EKSEMPLAR)
    if not alasan.strip():
        raise KatalogGagal(_("Tuliskan alasan penyiangan."))
    if eksemplar.status in STATUS_TERIKAT:
        raise KatalogGagal(
            _("Eksemplar %(b)s sedang %(s)s dan tidak dapat disiangi.")
            % {"b": eksemplar.barcode, "s": eksemplar.get_status_display().lower()}
        )
    return ubah_status(eksemplar, StatusEksemplar.DIHAPUS, oleh=oleh, alasan=alasan.strip(), ip=ip)


def tandai_hilang(
    eksemplar: Eksemplar, *, oleh: Pengguna, alasan: str = "", ip: str | None = None
) -> Eksemplar:
    akses.wajib_boleh(oleh, eksemplar.unit_id, permission=IZIN_EKSEMPLAR)
    return ubah_status(eksemplar, StatusEksemplar.HILANG, oleh=oleh, alasan=alasan, ip=ip)


def kembalikan_ke_rak(
    eksemplar: Eksemplar, *, oleh: Pengguna, alasan: str = "", ip: str | None = None
) -> Eksemplar:
    """A lost item found, or a repaired one back: on the shelf again."""
    akses.wajib_boleh(oleh, eksemplar.unit_id, permission=IZIN_EKSEMPLAR)
    if eksemplar.status not in (StatusEksemplar.HILANG, StatusEksemplar.PERBAIKAN):
        raise KatalogGagal(
            _("Hanya eksemplar hilang atau dalam perbaikan yang dapat dikembalikan.")
        )
    return ubah_status(eksemplar, StatusEksemplar.TERSEDIA, oleh=oleh, alasan=alasan, ip=ip)


def kirim_perbaikan(
    eksemplar: Eksemplar, *, oleh: Pengguna, alasan: str = "", ip: str | None = None
) -> Eksemplar:
    akses.wajib_boleh(oleh, eksemplar.unit_id, permission=IZIN_EKSEMPLAR)
    return ubah_status(eksemplar, StatusEksemplar.PERBAIKAN, oleh=oleh, alasan=alasan, ip=ip)


def pindah_mengambang(eksemplar: Eksemplar, cabang: Cabang) -> Eksemplar:
    """A copy of a floating collection returned at `cabang` stays there: that branch
    (and its unit) becomes its home. Called by circulation inside its return; the
    loan record shows where it was returned, so no separate audit entry."""
    with transaction.atomic():
        item = _kunci(eksemplar)
        item.cabang = cabang
        item.unit_id = cabang.unit_id
        item.lokasi = None
        item.save(update_fields=["cabang", "unit", "lokasi", "diubah"])
        segarkan_ketersediaan([item.katalog_id])
    eksemplar.cabang, eksemplar.unit_id, eksemplar.lokasi = item.cabang, item.unit_id, None
    return item


def tambah_eksemplar_impor(
    katalog: Katalog,
    *,
    cabang: Cabang,
    kategori: KategoriKoleksi,
    nomor_induk: list[str],
    catatan: str = "",
) -> list[Eksemplar]:
    """Copies an import knows only by their accession numbers (MARC 990 $a): new
    barcodes from the allocator, flagged for checking at the next stock opname."""
    if not nomor_induk:
        return []
    barcode = penomoran.alokasikan(
        "katalog.barcode", jumlah=len(nomor_induk), terpakai=_terpakai("barcode")
    )
    baru = Eksemplar.objects.bulk_create(
        Eksemplar(
            katalog=katalog,
            unit_id=cabang.unit_id,
            cabang=cabang,
            kategori=kategori,
            barcode=b,
            nomor_induk=n,
            catatan=catatan,
            perlu_verifikasi=True,
        )
        for b, n in zip(barcode, nomor_induk, strict=True)
    )
    segarkan_ketersediaan([katalog.pk])
    return baru


def tandai_dipinjam_impor(pasangan: list[tuple[int, date]]) -> None:
    """Items on loan in the system an import came from (its open loans): on loan here
    too, with the due date the source gave. Circulation's loan rows record it.
    `diubah` stays: a status the source gave is no edit made in the portal, and a
    later re-import of the items would otherwise see a conflict."""
    if not pasangan:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE katalog_eksemplar e SET status = %s, jatuh_tempo = t.tempo
            FROM unnest(%s::bigint[], %s::date[]) AS t(id, tempo) WHERE e.id = t.id
            """,
            [StatusEksemplar.DIPINJAM, [p[0] for p in pasangan], [p[1] for p in pasangan]],
        )
        cursor.execute(
            "SELECT DISTINCT katalog_id FROM katalog_eksemplar WHERE id = ANY(%s)",
            [[p[0] for p in pasangan]],
        )
        segarkan_ketersediaan([k for (k,) in cursor.fetchall()])


def tandai_kembali_impor(eksemplar_ids: list[int]) -> None:
    """Items whose loan the source has closed since the last import: back on the
    shelf, unless the portal has put them to another use meanwhile."""
    if not eksemplar_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE katalog_eksemplar SET status = %s, jatuh_tempo = NULL
            WHERE id = ANY(%s) AND status = %s RETURNING katalog_id
            """,
            [StatusEksemplar.TERSEDIA, eksemplar_ids, StatusEksemplar.DIPINJAM],
        )
        segarkan_ketersediaan(sorted({k for (k,) in cursor.fetchall()}))


def gabungkan_katalog(calon: CalonGabung, *, oleh: Pengguna, ip: str | None = None) -> Katalog:
    """The cataloguer decided the imported record is the existing one: its items,
    loans, holds and source mappings move there, and the imported record goes."""
    akses.wajib_boleh(oleh, None, permission=IZIN_UBAH_KATALOG)
    with transaction.atomic():
        calon = CalonGabung.objects.select_for_update().get(pk=calon.pk)
        if calon.status != CalonGabung.Status.MENUNGGU:
            raise KatalogGagal(_("Usulan ini sudah diputuskan."))
        baru, ada = calon.baru, calon.ada
        # Every row that points at the imported record (circulation's loans and holds
        # too) moves, without this app knowing those apps.
        for rel in Katalog._meta.related_objects:
            if rel.one_to_many and rel.related_model is not CalonGabung:
                rel.related_model._base_manager.filter(**{rel.field.name: baru}).update(
                    **{rel.field.name: ada}
                )
        PetaImpor.objects.filter(id_tujuan=baru.pk, tabel__in=TABEL_IMPOR_KATALOG).update(
            id_tujuan=ada.pk, sidik=Concat(Value(GABUNG), Substr("sidik", 2))
        )
        # Candidates that pointed at the imported record now point at the survivor,
        # unless that pair is already queued (then the duplicate goes).
        sudah = CalonGabung.objects.filter(ada=ada).values("baru")
        CalonGabung.objects.filter(ada=baru).exclude(baru__in=sudah).exclude(baru=ada).update(
            ada=ada
        )
        CalonGabung.objects.filter(ada=baru).delete()
        calon.status, calon.diputuskan, calon.diputuskan_oleh = (
            CalonGabung.Status.DIGABUNG,
            timezone.now(),
            oleh,
        )
        calon.save()
        judul = baru.judul_lengkap
        CalonGabung.objects.filter(baru=baru).exclude(pk=calon.pk).delete()
        calon.baru_id = ada.pk  # keep the decision on record after the imported row goes
        calon.save(update_fields=["baru"])
        baru.delete()
        segarkan_ketersediaan([ada.pk])
        catat(aksi="katalog.gabung", oleh=oleh, objek=ada, sebelum={"digabung": judul}, ip=ip)
    return ada


def pisahkan_katalog(calon: CalonGabung, *, oleh: Pengguna) -> None:
    """Not the same work: both records stay; the candidate is closed."""
    akses.wajib_boleh(oleh, None, permission=IZIN_UBAH_KATALOG)
    CalonGabung.objects.filter(pk=calon.pk, status=CalonGabung.Status.MENUNGGU).update(
        status=CalonGabung.Status.DIPISAH, diputuskan=timezone.now(), diputuskan_oleh=oleh
    )
