from django.urls import path

from sirkulasi import views_anggota as views

app_name = "anggota"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("pinjaman/<int:pk>/perpanjang/", views.perpanjang, name="perpanjang"),
    path("reservasi/judul/<int:katalog_pk>/", views.reservasi, name="reservasi"),
    path("reservasi/<int:pk>/batal/", views.batal_reservasi, name="batal_reservasi"),
    path("digital/<int:sumber_pk>/pinjam/", views.pinjam_digital, name="pinjam_digital"),
    path("digital/<int:sumber_pk>/antre/", views.antre_digital, name="antre_digital"),
    path(
        "digital/pinjaman/<int:pk>/kembalikan/", views.kembalikan_digital, name="kembalikan_digital"
    ),
    path("digital/baca/<str:token>/", views.baca_digital, name="baca_digital"),
    path("riwayat/", views.riwayat, name="riwayat"),
    path("profil/", views.profil, name="profil"),
    path("profil/unduh/", views.unduh_data, name="unduh_data"),
    path("daftar/", views.pra_daftar, name="pra_daftar"),
    path("aktivasi/", views.aktivasi, name="aktivasi"),
    path("aktivasi/kode/", views.aktivasi_kode, name="aktivasi_kode"),
]
