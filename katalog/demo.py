"""Demonstration catalogue: a few thousand plausible Indonesian records with
copies spread over the branches, loaded by `manage.py seed_demo` (DEBUG only)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from stdnum import ean

from dispusip.models import Cabang
from katalog import marc as marc_mod
from katalog import services
from katalog.models import Katalog, KategoriKoleksi, Lokasi

JUMLAH_DEMO = 3000

KARYA_TERKENAL = [
    (
        "Laskar pelangi",
        "Hirata, Andrea",
        "Bentang Pustaka",
        "Yogyakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Sang pemimpi",
        "Hirata, Andrea",
        "Bentang Pustaka",
        "Yogyakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Bumi manusia",
        "Toer, Pramoedya Ananta",
        "Lentera Dipantara",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Anak semua bangsa",
        "Toer, Pramoedya Ananta",
        "Lentera Dipantara",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Ronggeng Dukuh Paruk",
        "Tohari, Ahmad",
        "Gramedia Pustaka Utama",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Cantik itu luka",
        "Kurniawan, Eka",
        "Gramedia Pustaka Utama",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Negeri 5 menara",
        "Fuadi, Ahmad",
        "Gramedia Pustaka Utama",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Perahu kertas",
        "Lestari, Dewi",
        "Bentang Pustaka",
        "Yogyakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Pulang",
        "Chudori, Leila S.",
        "Kepustakaan Populer Gramedia",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Saman",
        "Utami, Ayu",
        "Kepustakaan Populer Gramedia",
        "Jakarta",
        "Fiksi Indonesia",
        "899.221 3",
    ),
    (
        "Si Doel anak Betawi",
        "Aman",
        "Balai Pustaka",
        "Jakarta",
        "Cerita anak -- Betawi",
        "899.221 3",
    ),
    ("Siti Nurbaya", "Rusli, Marah", "Balai Pustaka", "Jakarta", "Fiksi Indonesia", "899.221 3"),
    (
        "Sejarah Jakarta : dari zaman prasejarah hingga Batavia",
        "Heuken, Adolf",
        "Cipta Loka Caraka",
        "Jakarta",
        "Jakarta -- Sejarah",
        "959.822",
    ),
    (
        "Ensiklopedi Jakarta",
        "Dinas Kebudayaan dan Permuseuman DKI Jakarta",
        "Dinas Kebudayaan dan Permuseuman",
        "Jakarta",
        "Jakarta -- Ensiklopedia",
        "959.822 03",
    ),
    ("Filosofi teras", "Manampiring, Henry", "Kompas", "Jakarta", "Filsafat", "188"),
    (
        "Ilmu perpustakaan dan informasi",
        "Sulistyo-Basuki",
        "Gramedia Pustaka Utama",
        "Jakarta",
        "Perpustakaan",
        "020",
    ),
    (
        "Pengantar ilmu perpustakaan",
        "Sulistyo-Basuki",
        "Gramedia Pustaka Utama",
        "Jakarta",
        "Perpustakaan",
        "020",
    ),
    (
        "Kumpulan cerita rakyat Betawi",
        "Saidi, Ridwan",
        "Masup Jakarta",
        "Jakarta",
        "Cerita rakyat -- Betawi",
        "398.209 598 22",
    ),
]

TOPIK = [
    # (subject, DDC class, title words)
    (
        "Perpustakaan",
        "020",
        [
            "Manajemen perpustakaan",
            "Layanan perpustakaan umum",
            "Perpustakaan sekolah",
            "Otomasi perpustakaan",
            "Literasi informasi",
        ],
    ),
    (
        "Pendidikan",
        "370",
        [
            "Pendidikan karakter",
            "Metode pembelajaran aktif",
            "Kurikulum merdeka",
            "Pendidikan anak usia dini",
            "Evaluasi pembelajaran",
        ],
    ),
    (
        "Sejarah Indonesia",
        "959.8",
        [
            "Sejarah pergerakan nasional",
            "Revolusi kemerdekaan",
            "Kerajaan-kerajaan Nusantara",
            "Sejarah maritim Indonesia",
        ],
    ),
    (
        "Jakarta -- Sejarah",
        "959.822",
        ["Batavia tempo doeloe", "Kampung-kampung di Jakarta", "Jalan-jalan bersejarah di Jakarta"],
    ),
    (
        "Kebudayaan Betawi",
        "306.095 98",
        [
            "Kebudayaan Betawi",
            "Ondel-ondel dan tradisi Betawi",
            "Kuliner Betawi",
            "Bahasa dan sastra Betawi",
        ],
    ),
    (
        "Komputer",
        "004",
        [
            "Pemrograman Python",
            "Dasar-dasar jaringan komputer",
            "Basis data untuk pemula",
            "Keamanan informasi",
            "Kecerdasan buatan",
        ],
    ),
    (
        "Kesehatan",
        "613",
        ["Hidup sehat", "Gizi seimbang keluarga", "Kesehatan ibu dan anak", "Pertolongan pertama"],
    ),
    (
        "Pertanian",
        "630",
        ["Budidaya tanaman hidroponik", "Pertanian perkotaan", "Bercocok tanam di lahan sempit"],
    ),
    (
        "Ekonomi",
        "330",
        [
            "Ekonomi kreatif",
            "Usaha mikro kecil dan menengah",
            "Koperasi Indonesia",
            "Keuangan keluarga",
        ],
    ),
    ("Hukum", "340", ["Pengantar hukum Indonesia", "Hukum tata negara", "Hak asasi manusia"]),
    ("Agama Islam", "297", ["Tafsir tematik", "Sejarah peradaban Islam", "Fikih sehari-hari"]),
    (
        "Bahasa Indonesia",
        "499.221",
        ["Tata bahasa baku bahasa Indonesia", "Menulis efektif", "Kamus peribahasa"],
    ),
    ("Matematika", "510", ["Matematika dasar", "Statistika terapan", "Aljabar linear"]),
    ("Memasak", "641.5", ["Resep masakan Nusantara", "Kue tradisional Indonesia", "Masakan sehat"]),
    (
        "Lingkungan hidup",
        "363.7",
        ["Pengelolaan sampah", "Banjir Jakarta", "Perubahan iklim", "Kota hijau"],
    ),
    ("Psikologi", "150", ["Psikologi perkembangan anak", "Mengelola stres", "Psikologi remaja"]),
    (
        "Pariwisata",
        "338.479 1",
        ["Wisata Kepulauan Seribu", "Pariwisata berkelanjutan", "Panduan wisata Jakarta"],
    ),
    (
        "Cerita anak",
        "899.221 3",
        [
            "Petualangan di Pulau Tidung",
            "Kancil dan buaya",
            "Si kecil suka membaca",
            "Dongeng sebelum tidur",
        ],
    ),
    ("Arsitektur", "720", ["Arsitektur kolonial di Jakarta", "Rumah tradisional Indonesia"]),
    ("Transportasi", "388", ["Transportasi publik Jakarta", "Sejarah kereta api Indonesia"]),
]
PELENGKAP = [
    "",
    "",
    "",
    ": teori dan praktik",
    ": panduan praktis",
    ": sebuah pengantar",
    "untuk pemula",
    ": kajian kritis",
    "di era digital",
    ": edisi revisi",
]
NAMA_DEPAN = [
    "Ahmad",
    "Budi",
    "Siti",
    "Dewi",
    "Rina",
    "Agus",
    "Sri",
    "Hendra",
    "Yusuf",
    "Nur",
    "Eko",
    "Putri",
    "Rizky",
    "Wahyu",
    "Indah",
    "Bambang",
    "Fitri",
    "Andi",
    "Lestari",
    "Dian",
    "Taufik",
    "Maya",
    "Joko",
    "Ratna",
    "Hasan",
]
NAMA_BELAKANG = [
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Saputra",
    "Kusuma",
    "Nugroho",
    "Lubis",
    "Siregar",
    "Pratama",
    "Rahman",
    "Setiawan",
    "Hartono",
    "Susanto",
    "Purnomo",
    "Gunawan",
    "Sihombing",
    "Pangaribuan",
    "Halim",
    "Suryadi",
    "Wibowo",
]
PENERBIT = [
    ("Gramedia Pustaka Utama", "Jakarta"), ("Balai Pustaka", "Jakarta"), ("Erlangga", "Jakarta"),
    ("Mizan", "Bandung"), ("Bentang Pustaka", "Yogyakarta"), ("Penerbit Andi", "Yogyakarta"),
    ("Kompas", "Jakarta"), ("Yayasan Pustaka Obor Indonesia", "Jakarta"), ("Grasindo", "Jakarta"),
    ("Rajawali Pers", "Depok"), ("Elex Media Komputindo", "Jakarta"), ("Tiga Serangkai", "Solo"),
    ("Kanisius", "Yogyakarta"), ("Remaja Rosdakarya", "Bandung"), ("Dinas Perpustakaan dan Kearsipan Provinsi DKI Jakarta", "Jakarta"),
]  # fmt: skip
LOKASI_RAK = ["Koleksi Umum", "Layanan Anak", "Referensi", "Terbitan Berkala"]


def isbn_acak(rng: random.Random) -> str:
    badan = f"978602{rng.randrange(10**6):06d}"
    return badan + ean.calc_check_digit(badan)


def _nama(rng: random.Random) -> str:
    return f"{rng.choice(NAMA_BELAKANG)}, {rng.choice(NAMA_DEPAN)}"


def _tanda_pengarang(nama: str, judul: str) -> str:
    return f"{nama[:3].upper()} {judul[:1].lower()}"


def rekaman_acak(rng: random.Random) -> tuple[marc_mod.Isian, str]:
    """One plausible record, and the collection category its copies belong to."""
    if rng.random() < 0.1:
        judul, pengarang, penerbit, tempat, subjek, ddc = rng.choice(KARYA_TERKENAL)
        anak_judul = ""
        if " : " in judul:
            judul, anak_judul = judul.split(" : ", 1)
        pengarang_list = [(pengarang, "pengarang")]
        subjek_list = [subjek]
    else:
        subjek, ddc, judul_list = rng.choice(TOPIK)
        judul = rng.choice(judul_list)
        tambahan = rng.choice(PELENGKAP)
        anak_judul = tambahan[2:] if tambahan.startswith(": ") else ""
        if tambahan and not anak_judul:
            judul = f"{judul} {tambahan}"
        pengarang_list = [(_nama(rng), "pengarang")]
        if rng.random() < 0.3:
            pengarang_list.append(
                (_nama(rng), rng.choice(["pengarang", "penyunting", "penerjemah"]))
            )
        subjek_list = [subjek] + ([rng.choice(TOPIK)[0]] if rng.random() < 0.2 else [])
        penerbit, tempat = rng.choice(PENERBIT)
    tahun = str(min(2026, int(rng.triangular(1965, 2026, 2020))))
    jenis = "terbitan_berkala" if rng.random() < 0.03 else "monograf"
    if rng.random() < 0.03:
        jenis = rng.choice(["audio_visual", "kartografi", "sumber_elektronik", "bahan_grafis"])
    kategori = (
        "anak"
        if subjek.startswith("Cerita anak")
        else rng.choices(["umum", "referensi", "deposit", "langka"], weights=[85, 8, 5, 2])[0]
    )
    prefiks = "R " if kategori == "referensi" else ("A " if kategori == "anak" else "")
    isian = marc_mod.Isian(
        jenis=jenis,
        judul=judul[:1].upper() + judul[1:],
        anak_judul=anak_judul,
        pernyataan_tanggung_jawab=" ; ".join(
            " ".join(reversed(n.split(", "))) for n, _p in pengarang_list
        ),
        pengarang=pengarang_list,
        edisi=rng.choice(["", "", "", "Cet. 2", "Ed. revisi", "Cet. 5"]),
        tempat_terbit=tempat,
        penerbit=penerbit,
        tahun_terbit=tahun,
        isbn=[isbn_acak(rng)] if jenis == "monograf" else [],
        nomor_panggil=f"{prefiks}{ddc} {_tanda_pengarang(pengarang_list[0][0], judul)}",
        ddc=ddc,
        bahasa=rng.choices(["ind", "eng", "jav", "bet"], weights=[90, 7, 2, 1])[0],
        subjek=subjek_list,
        deskripsi_fisik=f"{rng.choice(['x', 'xii', 'xvi', 'viii'])} + {rng.randrange(48, 520)} hlm. ; {rng.choice([18, 21, 23, 24])} cm",
        catatan=rng.choice(["", "", "Bibliografi: hlm. akhir", "Indeks"]),
        abstrak="",
    )
    return isian, kategori


def isi_demo(stdout=None, jumlah: int = JUMLAH_DEMO, seed: int = 2026) -> int:
    """Load the demo catalogue once; returns how many records were added."""
    if Katalog.objects.exists():
        return 0
    rng = random.Random(seed)
    cabang = list(Cabang.objects.aktif().select_related("unit"))
    kategori = {k.kode: k for k in KategoriKoleksi.objects.all()}
    lokasi = {}
    for c in cabang:
        for nama in LOKASI_RAK:
            lokasi[(c.pk, nama)] = Lokasi.objects.get_or_create(cabang=c, nama=nama)[0]
    records, kategori_per_rekaman = [], []
    for _i in range(jumlah):
        isian, kode_kategori = rekaman_acak(rng)
        records.append(marc_mod.terapkan_isian(marc_mod.record_kosong(), isian))
        kategori_per_rekaman.append(kode_kategori)
    with transaction.atomic():
        katalog = services.muat_massal(records)
        eksemplar = []
        for row, kode_kategori in zip(katalog, kategori_per_rekaman, strict=True):
            for c in rng.sample(cabang, k=min(len(cabang), rng.choice([1, 1, 2, 2, 3, 4]))):
                rak = (
                    "Layanan Anak"
                    if kode_kategori == "anak"
                    else ("Referensi" if kode_kategori == "referensi" else "Koleksi Umum")
                )
                eksemplar.append(
                    dict(
                        katalog=row,
                        cabang=c,
                        kategori=kategori[kode_kategori],
                        lokasi=lokasi[(c.pk, rak)],
                        harga=Decimal(rng.randrange(35, 250) * 1000),
                        tanggal_terima=date(2026, 1, 1) - timedelta(days=rng.randrange(3000)),
                        status=rng.choices(["tersedia", "perbaikan", "hilang"], weights=[96, 2, 2])[
                            0
                        ],
                    )
                )
        services.muat_eksemplar_massal(eksemplar)
        services.bangun_ulang_tajuk()
    if stdout is not None:
        stdout.write(f"Demo catalogue: {len(katalog)} records, {len(eksemplar)} items.")
    return len(katalog)
