from django.urls import path

from sirkulasi import views_anggota as views

app_name = "anggota"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("pinjaman/<int:pk>/perpanjang/", views.perpanjang, name="perpanjang"),
    path("reservasi/judul/<int:katalog_pk>/", views.reservasi, name="reservasi"),
    path("reservasi/<int:pk>/batal/", views.batal_reservasi, name="batal_reservasi"),
    path("riwayat/", views.riwayat, name="riwayat"),
    path("profil/", views.profil, name="profil"),
    path("profil/unduh/", views.unduh_data, name="unduh_data"),
    path("aktivasi/", views.aktivasi, name="aktivasi"),
    path("aktivasi/kode/", views.aktivasi_kode, name="aktivasi_kode"),
]
