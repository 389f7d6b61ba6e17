"""Searching the union catalogue: the OPAC, the JSON API and the staff list all
call `cari`.

Design (measured in bench/opac.py, docs/BENCHMARKS.md):
- Full-text on the stored, GIN-indexed `vektor` with the indonesian config;
  user input through websearch_to_tsquery ("phrase", OR, -exclude).
- The indonesian config has no stopword list, so common function words are
  dropped from the query before it reaches PostgreSQL (unless the query is
  nothing but such words, or they sit inside a quoted phrase).
- Fielded search restricts a term to one weight of the vector (A title,
  B author, C subject; publisher and series are D, re-checked on the column).
- Before anything is counted, PostgreSQL's own estimate of the hits is read
  (EXPLAIN, well under a millisecond). A search estimated above
  BATAS_PERKIRAAN hits is "broad": it shows "about N results", lists the
  newest first by walking the (year, id) index, and counts facets on the
  first SAMPEL_FACET hits ("at least" figures). Scoring or even counting
  hundreds of thousands of hits is what made broad searches slow.
- Other searches are counted up to BATAS_HITUNG, in the same pass that counts
  the facets. Above it the count is shown as "5.000+", ranking by ts_rank (which must score every hit) gives way to the
  newest-first index order, and facets count the first BATAS_HITUNG hits, so
  they are shown as "at least" figures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import stopwordsiso
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Upper

from katalog import nomor_standar
from katalog.models import JenisBahan, Katalog

BATAS_HITUNG = 5_000
BATAS_PERKIRAAN = 5_000  # estimated hits above which a search is "broad"
SAMPEL_FACET = 500  # hits whose facets are counted in a broad search
PER_HALAMAN = 20
MAKS_HALAMAN = 50  # deep paging is capped: 1,000 results are enough for a person
MAKS_SARINGAN = 8  # facet values combined in one search
BOBOT = [0.1, 0.4, 0.4, 1.0]  # D, C, B, A: title first, author = subject, then the rest

RENTANG_TAHUN = {
    "-1969": (None, 1970),
    "1970-1989": (1970, 1990),
    "1990-1999": (1990, 2000),
    "2000-2009": (2000, 2010),
    "2010-2019": (2010, 2020),
    "2020-": (2020, None),
}
BOBOT_FIELD = {"judul": "A", "pengarang": "B", "subjek": "C", "penerbit": "D", "seri": "D"}


# stopwords-iso also lists words that are content in a library catalogue
# ("Ibu", "Tahun baru", "Masalah kota"): those are searched, not dropped.
BUKAN_KATA_UMUM = frozenset(
    [
        "ibu",
        "bapak",
        "tahun",
        "hari",
        "bulan",
        "baru",
        "besar",
        "kecil",
        "masalah",
        "waktu",
        "awal",
        "akhir",
        "tanya",
        "jawab",
        "aku",
        "dia",
        "kata",
        "orang",
        "anak",
        "rumah",
        "jalan",
        "kerja",
        "mata",
        "tangan",
        "kota",
        "negara",
        "dunia",
    ]
)


@lru_cache(maxsize=1)
def kata_umum() -> frozenset[str]:
    """Indonesian function words (stopwords-iso, pinned in pyproject.toml)."""
    return frozenset(stopwordsiso.stopwords("id")) - BUKAN_KATA_UMUM


def tanpa_kata_umum(q: str) -> str:
    """Drop stopwords outside quoted phrases, unless nothing would be left."""
    if re.search(r"\bOR\b", q):
        return q  # dropping a word next to OR would change what the OR joins
    bagian = re.split(r'("[^"]*")', q)
    hasil = []
    for b in bagian:
        if b.startswith('"'):
            hasil.append(b)
            continue
        # An exclusion ("-dan") is kept: dropping it would widen the search.
        kata = [w for w in b.split() if w.startswith("-") or w.lower() not in kata_umum()]
        hasil.append(" ".join(kata))
    teks = " ".join(h for h in hasil if h.strip()).strip()
    if not re.search(r"(^|\s)[^-\s]", teks) or not re.search(r"\w", teks):
        return q  # nothing but function words (or exclusions) would be left
    return teks


def _kata_polos(teks: str) -> list[str]:
    return re.findall(r"\w+", teks.lower())


def _tsquery_berbobot(teks: str, bobot: str) -> SearchQuery | None:
    """All words of `teks`, each restricted to one weight of the vector."""
    kata = [w for w in _kata_polos(teks) if w not in kata_umum()] or _kata_polos(teks)
    if not kata:
        return None
    return SearchQuery(
        " & ".join(f"{w}:{bobot}" for w in kata), config="indonesian", search_type="raw"
    )


@dataclass
class Kueri:
    q: str = ""
    judul: str = ""
    pengarang: str = ""
    subjek: str = ""
    penerbit: str = ""
    seri: str = ""
    isbn: str = ""
    nomor_panggil: str = ""
    jenis: list[str] = field(default_factory=list)
    bahasa: list[str] = field(default_factory=list)
    tahun: list[str] = field(default_factory=list)
    cabang: list[int] = field(default_factory=list)
    kategori: list[int] = field(default_factory=list)
    topik: list[str] = field(default_factory=list)  # subject facet values
    tersedia: bool = False
    urut: str = "relevansi"
    halaman: int = 1

    @property
    def ada_teks(self) -> bool:
        return any(
            getattr(self, f).strip()
            for f in ("q", "judul", "pengarang", "subjek", "penerbit", "seri")
        )

    @property
    def kosong(self) -> bool:
        return not (
            self.ada_teks
            or self.isbn
            or self.nomor_panggil
            or self.jenis
            or self.bahasa
            or self.tahun
            or self.cabang
            or self.kategori
            or self.topik
            or self.tersedia
        )


@dataclass
class Hasil:
    rekaman: list[Katalog]
    total: int
    total_pasti: bool
    total_perkiraan: bool
    halaman: int
    jumlah_halaman: int
    urut: str
    facet: dict[str, list[tuple[str, int]]]
    facet_pasti: bool
    facet_dari: int  # when not exact: facets were counted over this many hits
    saran: str = ""


def tsquery(kueri: Kueri) -> SearchQuery | None:
    bagian: list[SearchQuery] = []
    if kueri.q.strip() and not nomor_standar.kunci_kueri(kueri.q):
        bagian.append(
            SearchQuery(
                tanpa_kata_umum(kueri.q.strip()), config="indonesian", search_type="websearch"
            )
        )
    for nama, bobot in BOBOT_FIELD.items():
        nilai = getattr(kueri, nama).strip()
        if nilai:
            sq = _tsquery_berbobot(nilai, bobot)
            if sq is not None:
                bagian.append(sq)
    if not bagian:
        return None
    hasil = bagian[0]
    for sq in bagian[1:]:
        hasil &= sq
    return hasil


def saring(kueri: Kueri, qs: QuerySet | None = None) -> tuple[QuerySet, SearchQuery | None]:
    """The records matching everything in `kueri` (unordered), and the tsquery used."""
    qs = (Katalog.objects.opac() if qs is None else qs).ringkas()
    sq = tsquery(kueri)
    if sq is not None:
        qs = qs.filter(vektor=sq)
    kunci = nomor_standar.kunci_kueri(kueri.q)
    if kunci:
        qs = qs.filter(isbn_normal__contains=[kunci])
    if kueri.isbn.strip():
        kunci = nomor_standar.kunci_kueri(kueri.isbn) or re.sub(r"[\s-]", "", kueri.isbn).upper()
        qs = qs.filter(isbn_normal__contains=[kunci])
    if kueri.nomor_panggil.strip():
        qs = qs.annotate(np_upper=Upper("nomor_panggil")).filter(
            np_upper__startswith=kueri.nomor_panggil.strip().upper()
        )
    for nama in ("penerbit", "seri"):
        nilai = getattr(kueri, nama).strip()
        if nilai:
            # The D weight also holds notes and abstracts: confirm on the column.
            for kata in _kata_polos(nilai):
                qs = qs.filter(**{f"{nama}__icontains": kata})
    if kueri.jenis:
        qs = qs.filter(jenis__in=kueri.jenis)
    if kueri.bahasa:
        qs = qs.filter(bahasa__in=kueri.bahasa)
    if kueri.tahun:
        rentang = Q()
        for kunci_tahun in kueri.tahun:
            dari, sampai = RENTANG_TAHUN[kunci_tahun]
            q = Q()
            if dari is not None:
                q &= Q(tahun__gte=dari)
            if sampai is not None:
                q &= Q(tahun__lt=sampai)
            rentang |= q
        qs = qs.filter(rentang)
    if kueri.cabang:
        kolom = "cabang_tersedia" if kueri.tersedia else "cabang_pemilik"
        qs = qs.filter(**{f"{kolom}__overlap": kueri.cabang})
    elif kueri.tersedia:
        qs = qs.exclude(cabang_tersedia=[])
    if kueri.kategori:
        qs = qs.filter(kategori_koleksi__overlap=kueri.kategori)
    for topik in kueri.topik:
        qs = qs.filter(subjek__contains=[topik])
    return qs, sq


def perkiraan(sql: str, params: list | tuple) -> int:
    """PostgreSQL's estimate of how many rows a query matches (from EXPLAIN; nothing is read)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        rencana = cursor.fetchone()[0]
    if isinstance(rencana, str):
        rencana = json.loads(rencana)
    return int(rencana[0]["Plan"]["Plan Rows"])


def bulatkan(n: int) -> int:
    """An estimate rounded to two significant digits (123,456 → 120,000)."""
    if n < 100:
        return n
    skala = 10 ** (len(str(n)) - 2)
    return round(n / skala) * skala


def urutkan(
    qs: QuerySet, sq: SearchQuery | None, urut: str, total_pasti: bool
) -> tuple[QuerySet, str]:
    if urut == "relevansi" and sq is not None and total_pasti:
        qs = qs.annotate(skor=SearchRank(F("vektor"), sq, weights=BOBOT))
        return qs.order_by("-skor", "-id"), "relevansi"
    if urut == "judul":
        return qs.order_by("judul_urut", "id"), "judul"
    return qs.order_by(F("tahun").desc(nulls_last=True), "-id"), "terbaru"


FACET = ("jenis", "bahasa", "tahun", "cabang", "kategori", "tersedia", "topik")


URUTAN_SQL = {
    "relevansi": "skor DESC, id DESC",
    "terbaru": "tahun DESC NULLS LAST, id DESC",
    "judul": "judul_urut, id",
}


@dataclass
class Jalan:
    """What one pass over the hits found."""

    total: int
    pasti: bool
    facet: dict[str, list[tuple[str, int]]]
    halaman_ids: list[int]  # the requested page, in order (only when pasti)


KOLOM_JALAN = [
    "id",
    "tahun",
    "judul_urut",
    "jenis",
    "bahasa",
    "cabang_pemilik",
    "cabang_tersedia",
    "kategori_koleksi",
    "subjek",
]


def sql_hits(qs: QuerySet, sq: SearchQuery | None) -> tuple[str, list]:
    """The hits with the columns a pass needs (and their rank when `sq` is given), compiled
    once: the estimate and the pass both run it, and compiling cost as much as running it."""
    kolom = list(KOLOM_JALAN)
    if sq is not None:
        qs = qs.annotate(skor=SearchRank(F("vektor"), sq, weights=BOBOT))
        kolom.append("skor")
    sql, params = qs.order_by().values(*kolom).query.sql_with_params()
    return sql, list(params)


def satu_jalan(
    hits: tuple[str, list],
    *,
    batas: int,
    urut: str = "terbaru",
    awal: int = 0,
    jumlah: int,
    kueri: Kueri | None = None,
) -> Jalan:
    """The capped count, the facet counts and the page of ids, from one pass over the hits.

    The hits (`sql_hits`) are read once (at most `batas` + 1 of them, each a
    heap row, ranked as they are read when they carry a rank), then counted,
    grouped and sorted in memory. Reading them once to count, again for facets
    and again to rank was the largest cost of a search.
    """
    sub_sql, params = hits  # ranked ("skor") when urut is "relevansi"
    # Per hit, every aggregate costs: years are grouped as they are (ranges are
    # summed below), arrays are unnested in the select list and grouped as integers,
    # which measured a third of the cost of unnest() joined as a function scan.
    # The counts must match what a click on the value will find: with "on the
    # shelf" chosen, a branch counts the records on its shelves; with branches
    # chosen, "on the shelf" counts records on the shelves of those branches.
    kolom_cabang = "cabang_tersedia" if kueri and kueri.tersedia else "cabang_pemilik"
    cabang_dipilih = [int(c) for c in (kueri.cabang if kueri else [])]
    syarat_tersedia = (
        "cabang_tersedia && %s::int[]" if cabang_dipilih else "cardinality(cabang_tersedia) > 0"
    )
    sql = f"""
        WITH hits AS MATERIALIZED ({sub_sql} LIMIT %s)
        SELECT 'total', NULL, count(*) FROM hits
        UNION ALL SELECT 'jenis', jenis, count(*) FROM hits GROUP BY 2
        UNION ALL SELECT 'bahasa', bahasa, count(*) FROM hits WHERE bahasa <> '' GROUP BY 2
        UNION ALL SELECT 'tahun', tahun::text, count(*) FROM hits WHERE tahun IS NOT NULL GROUP BY tahun
        UNION ALL SELECT 'cabang', c::text, n FROM (
            SELECT c, count(*) AS n FROM (SELECT unnest({kolom_cabang}) AS c FROM hits) u GROUP BY 1
        ) g
        UNION ALL SELECT 'kategori', k::text, n FROM (
            SELECT k, count(*) AS n FROM (SELECT unnest(kategori_koleksi) AS k FROM hits) u GROUP BY 1
        ) g
        UNION ALL SELECT 'tersedia', 'ya', count(*) FROM hits WHERE {syarat_tersedia}
        UNION ALL (SELECT 'topik', s, count(*) FROM (SELECT unnest(subjek) AS s FROM hits) u
                   GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 12)
        UNION ALL SELECT 'halaman', id::text, posisi FROM (
            SELECT id, row_number() OVER (ORDER BY {URUTAN_SQL[urut]}) AS posisi FROM hits
        ) urutan WHERE posisi > %s AND posisi <= %s
    """
    facet: dict[str, list[tuple[str, int]]] = {k: [] for k in FACET}
    total, halaman = 0, []
    with connection.cursor() as cursor:
        tambahan = [cabang_dipilih] if cabang_dipilih else []
        cursor.execute(sql, [*params, batas + 1, *tambahan, awal, awal + jumlah])
        for nama, nilai, angka in cursor.fetchall():
            if nama == "total":
                total = angka
            elif nama == "halaman":
                halaman.append((angka, int(nilai)))
            elif nilai is not None and angka:
                facet[nama].append((nilai, angka))
    for nama in ("jenis", "bahasa", "cabang", "kategori"):
        facet[nama].sort(key=lambda x: (-x[1], x[0]))
    facet["tahun"] = _rentang_tahun(facet["tahun"])
    pasti = total <= batas
    ids = [pk for _posisi, pk in sorted(halaman)] if pasti else []
    return Jalan(min(total, batas), pasti, facet, ids)


def _rentang_tahun(per_tahun: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Counts per year summed into RENTANG_TAHUN's ranges, the newest range first."""
    jumlah = dict.fromkeys(RENTANG_TAHUN, 0)
    for tahun, n in per_tahun:
        t = int(tahun)
        for kunci, (dari, sampai) in RENTANG_TAHUN.items():
            if (dari is None or t >= dari) and (sampai is None or t < sampai):
                jumlah[kunci] += n
                break
    return [(kunci, n) for kunci, n in reversed(jumlah.items()) if n]


def cari(
    kueri: Kueri, *, dengan_facet: bool = True, qs: QuerySet | None = None, baris: bool = False
) -> Hasil:
    """The page `kueri` asks for, with its count and facets. `baris`: read only the
    columns a result list shows (Katalog.objects.baris()) for the page's records."""
    hits, sq = saring(kueri, qs)
    urut = kueri.urut if kueri.urut in URUTAN_SQL else "relevansi"
    if sq is None and urut == "relevansi":
        urut = "terbaru"
    halaman = max(1, min(kueri.halaman, MAKS_HALAMAN))
    awal = (halaman - 1) * PER_HALAMAN
    sql = sql_hits(hits, sq if urut == "relevansi" else None)
    taksiran = perkiraan(*sql)
    luas = taksiran > BATAS_PERKIRAAN
    batas = SAMPEL_FACET if luas else BATAS_HITUNG

    def jalan_di(awal: int) -> Jalan:
        return satu_jalan(sql, batas=batas, urut=urut, awal=awal, jumlah=PER_HALAMAN, kueri=kueri)

    jalan = jalan_di(awal)
    total, pasti = jalan.total, jalan.pasti
    if luas and pasti:
        luas = False  # the estimate was far off: the hits are few after all
    elif luas:
        total = max(bulatkan(taksiran), total + 1)
    jumlah_halaman = max(1, min(MAKS_HALAMAN, -(-total // PER_HALAMAN)))
    if halaman > jumlah_halaman:
        halaman = jumlah_halaman
        awal = (halaman - 1) * PER_HALAMAN
        jalan.halaman_ids = jalan_di(awal).halaman_ids if pasti else []
    if pasti:
        # Every hit was read in the pass: the page is already ranked and cut.
        sumber = Katalog.objects.baris() if baris else Katalog.objects.ringkas()
        per_id = sumber.in_bulk(jalan.halaman_ids)
        rekaman = [per_id[pk] for pk in jalan.halaman_ids if pk in per_id]
        urut_dipakai = urut
    else:
        # Too many to rank: walk an index in order and stop after one page.
        terurut, urut_dipakai = urutkan(
            hits, None, "judul" if urut == "judul" else "terbaru", False
        )
        if baris:
            terurut = terurut.baris()
        rekaman = list(terurut[awal : awal + PER_HALAMAN])
    saran = ""
    if kueri.q.strip() and total < 3:
        saran = saran_ejaan(kueri.q)
    return Hasil(
        rekaman=rekaman,
        total=total,
        total_pasti=pasti,
        total_perkiraan=luas,
        halaman=halaman,
        jumlah_halaman=jumlah_halaman,
        urut=urut_dipakai,
        facet=jalan.facet if dengan_facet else {},
        facet_pasti=pasti,
        facet_dari=batas,
        saran=saran,
    )


# --- autocomplete and "did you mean" ----------------------------------------------

MAKS_SARAN = 8


def saran_ketik(teks: str, *, jumlah: int = MAKS_SARAN) -> list[dict[str, str | int]]:
    """Headings (titles, authors, subjects) whose words start with what was typed.

    The prefix query runs on the headings' unstemmed vector without ORDER BY
    (ordering by rank would score every match); a few dozen matches are read
    and the most used are kept.
    """
    kata = _kata_polos(teks)
    if not kata:
        return []
    # Function words before the prefix only widen the match; a prefix of one
    # or two letters matches a large part of the catalogue (measured: "be:*"
    # alone costs more than the rest of the query).
    utuh = [w for w in kata[:-1] if w not in kata_umum()]
    awalan = kata[-1]
    if len(awalan) < 3:
        return []
    ekspresi = " & ".join([*utuh, f"{awalan}:*"])
    indeks = _pencari_indeks(utuh, awalan)
    cocok = _tajuk_cocok(indeks, ekspresi) if indeks else _tajuk_cocok_dipindai(ekspresi)
    if len(cocok) < jumlah and not indeks:
        # The common words were not among the first headings: ask the index after all.
        cocok = _tajuk_cocok(ekspresi, ekspresi)
    cocok.sort(key=lambda t: (-t["jumlah"], len(t["teks"])))
    return cocok[:jumlah]


AWALAN_SERING = 20_000  # records using words with the prefix, above which headings are scanned
BATAS_PINDAI = 20_000  # headings read in order before the index is asked instead


def _tajuk_cocok(indeks: str, ekspresi: str) -> list[dict]:
    """Up to 30 headings matching `ekspresi`, found through the index by `indeks`."""
    return _tajuk(
        """SELECT jenis, teks, jumlah FROM katalog_tajuk
            WHERE vektor @@ to_tsquery('simple', %s)
              AND (vektor @@ to_tsquery('simple', %s)) IS TRUE
            LIMIT 30""",
        [indeks, ekspresi],
    )


def _tajuk_cocok_dipindai(ekspresi: str) -> list[dict]:
    """Up to 30 headings matching `ekspresi` among the first BATAS_PINDAI in the table."""
    return _tajuk(
        """SELECT jenis, teks, jumlah FROM (
                SELECT jenis, teks, jumlah, vektor FROM katalog_tajuk LIMIT %s
            ) t WHERE (vektor @@ to_tsquery('simple', %s)) IS TRUE
            LIMIT 30""",
        [BATAS_PINDAI, ekspresi],
    )


def _tajuk(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"jenis": j, "teks": t, "jumlah": n} for j, t, n in cursor.fetchall()]


def _pencari_indeks(utuh: list[str], awalan: str) -> str:
    """The tsquery that finds candidate headings in the index ("" = read the table in
    order); each candidate is then checked against the whole expression.

    GIN expands a prefix into every word it starts and reads all their
    entries: "ekonomi pen" cost 27 ms, "ser" 21 ms. The vocabulary's counts
    (records, not headings, so only a guide) tell which is cheaper: the whole
    words alone when they are rarer than the prefix; no index at all when the
    prefix is so common that the first headings of the table should hold
    enough matches (saran_ketik asks the index when they do not); otherwise
    the whole expression.
    """
    pola = re.sub(r"([\\%_])", r"\\\1", awalan) + "%"
    kata = sorted(set(utuh))
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT CASE WHEN count(*) < %s THEN 0 ELSE min(jumlah) END
                         FROM katalog_kosakata WHERE kata = ANY(%s)),
                      (SELECT coalesce(sum(jumlah), 0)
                         FROM katalog_kosakata WHERE kata LIKE %s)""",
            [len(kata), kata, pola],
        )
        jarang, umum = cursor.fetchone()
    if kata and jarang < umum:
        return " & ".join(kata)
    if umum > AWALAN_SERING:
        return ""
    return " & ".join([*kata, f"{awalan}:*"])


def _jarak(a: str, b: str, batas: int = 2) -> int:
    """Damerau-Levenshtein distance, giving up (batas+1) once it exceeds `batas`."""
    if abs(len(a) - len(b)) > batas:
        return batas + 1
    sebelum = None
    baris = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        baru = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            biaya = 0 if ca == cb else 1
            baru[j] = min(baris[j] + 1, baru[j - 1] + 1, baris[j - 1] + biaya)
            if sebelum is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                baru[j] = min(baru[j], sebelum[j - 2] + 1)
        if min(baru) > batas:
            return batas + 1
        sebelum, baris = baris, baru
    return baris[-1]


MAKS_KOREKSI = 4  # unknown words corrected per query: each costs a scan of candidates


def _kata_terdekat(kata: str) -> str | None:
    from katalog.models import KosaKata

    calon = (
        KosaKata.objects.filter(
            panjang__gte=len(kata) - 2,
            panjang__lte=len(kata) + 2,
            kata__startswith=kata[:1],
            jumlah__gt=0,
        )
        .exclude(kata=kata)
        .order_by("-jumlah")
        .values_list("kata", "jumlah")[:2000]
    )
    terbaik = None
    for kandidat, jumlah in calon:
        jarak = _jarak(kata, kandidat)
        if jarak <= 2 and (terbaik is None or (jarak, -jumlah) < terbaik[0]):
            terbaik = ((jarak, -jumlah), kandidat)
    return terbaik[1] if terbaik else None


def saran_ejaan(q: str) -> str:
    """The query with misspelt words replaced by the catalogue's own, or "" if none is better.

    Only words are replaced, so quotes, OR and -exclusions stay as typed.
    """
    from katalog.models import KosaKata

    kata = _kata_polos(q)
    dikenal = set(
        KosaKata.objects.filter(kata__in=kata, jumlah__gt=0).values_list("kata", flat=True)
    )
    asing = [
        w
        for w in dict.fromkeys(kata)
        if w not in dikenal and len(w) >= 4 and w not in kata_umum() and not w.isdigit()
    ][:MAKS_KOREKSI]
    ganti = {w: k for w in asing if (k := _kata_terdekat(w))}
    if not ganti:
        return ""
    return re.sub(r"\w+", lambda m: ganti.get(m.group(0).lower(), m.group(0)), q.strip())


KUNCI_NAMA_RUJUKAN = "katalog:nama-rujukan"


def nama_rujukan() -> dict[str, dict[int, str]]:
    """Branch and collection-category names by id, in their display order.

    Every search page labels its facets with them, so they are cached rather
    than read twice per request; saving or deleting a branch, unit or category
    forgets them (katalog.apps), and the expiry bounds any change made behind
    the ORM's back.
    """
    from dispusip.models import Cabang
    from katalog.models import KategoriKoleksi

    nama = cache.get(KUNCI_NAMA_RUJUKAN)
    if nama is None:
        nama = {
            "cabang": dict(Cabang.objects.values_list("id", "nama")),
            "kategori": dict(KategoriKoleksi.objects.values_list("id", "nama")),
        }
        cache.set(KUNCI_NAMA_RUJUKAN, nama, 300)
    return nama


def lupakan_nama_rujukan(**_kwargs) -> None:
    cache.delete(KUNCI_NAMA_RUJUKAN)
    # A reader between the save and the commit would cache the old names again.
    transaction.on_commit(lambda: cache.delete(KUNCI_NAMA_RUJUKAN))


def beri_label(
    facet_mentah: dict[str, list[tuple[str, int]]],
) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) per facet."""
    from katalog.models import BAHASA

    nama = nama_rujukan()
    label = {
        "jenis": lambda v: str(JenisBahan(v).label) if v in JenisBahan.values else v,
        "bahasa": lambda v: str(BAHASA.get(v, v)),
        "cabang": lambda v: nama["cabang"].get(int(v), v),
        "kategori": lambda v: nama["kategori"].get(int(v), v),
    }
    return {
        nama_facet: [(nilai, label.get(nama_facet, str)(nilai), jumlah) for nilai, jumlah in daftar]
        for nama_facet, daftar in facet_mentah.items()
    }
