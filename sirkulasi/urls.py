from django.urls import path

from sirkulasi import views

app_name = "sirkulasi"
urlpatterns = [
    path("meja/", views.meja, name="meja"),
    path("meja/kembali/", views.meja_kembali, name="meja_kembali"),
    path("meja/kembali/bersihkan/", views.meja_kembali_bersihkan, name="meja_kembali_bersihkan"),
    path("meja/anggota/<int:pk>/", views.meja_anggota, name="meja_anggota"),
    path("meja/anggota/<int:pk>/perpanjang/", views.meja_perpanjang, name="meja_perpanjang"),
    path("meja/anggota/<int:pk>/bayar/", views.meja_bayar, name="meja_bayar"),
    path(
        "meja/anggota/<int:pk>/denda/<int:denda_pk>/bebaskan/",
        views.meja_bebaskan,
        name="meja_bebaskan",
    ),
    path("meja/anggota/<int:pk>/struk/", views.struk, name="struk"),
    path("meja/anggota/<int:pk>/struk/kirim/", views.kirim_struk, name="kirim_struk"),
    path("meja/anggota/<int:pk>/reservasi/", views.meja_reservasi, name="meja_reservasi"),
    path("reservasi/judul/<int:katalog_pk>/", views.antrean_reservasi, name="antrean_reservasi"),
    path(
        "meja/anggota/<int:pk>/pinjaman/<int:pinjaman_pk>/hilang/",
        views.meja_hilang,
        name="meja_hilang",
    ),
    path("meja/rusak/<int:pk>/", views.meja_rusak, name="meja_rusak"),
    path("kuitansi/<int:pk>/", views.kuitansi, name="kuitansi"),
    path("transit/", views.transit, name="transit"),
    path("tamu/", views.buku_tamu, name="buku_tamu"),
    path("aturan/", views.aturan_daftar, name="aturan"),
    path("baca/", views.baca_di_tempat, name="baca_di_tempat"),
    path("anggota/", views.anggota_daftar, name="anggota_daftar"),
    path("anggota/baru/", views.anggota_baru, name="anggota_baru"),
    path("anggota/kartu/", views.kartu, name="kartu"),
    path("anggota/usulan-gabung/", views.usulan_gabung, name="usulan_gabung"),
    path(
        "anggota/usulan-gabung/<int:pk>/<str:keputusan>/",
        views.putuskan_usulan,
        name="putuskan_usulan",
    ),
    path("anggota/<int:pk>/", views.anggota_detail, name="anggota_detail"),
    path("anggota/<int:pk>/ubah/", views.anggota_ubah, name="anggota_ubah"),
    path("anggota/<int:pk>/foto/", views.anggota_foto, name="anggota_foto"),
    path(
        "anggota/<int:pk>/gabung/<int:duplikat_pk>/",
        views.anggota_gabung,
        name="anggota_gabung",
    ),
    path(
        "anggota/<int:pk>/<slug:aksi>/",
        views.anggota_aksi,
        name="anggota_aksi",
    ),
]
