from django.urls import path, re_path

from katalog import views

app_name = "katalog"

urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("baru/", views.buat, name="buat"),
    path("gabung/", views.antrean_gabung, name="antrean_gabung"),
    path("gabung/<int:pk>/<str:keputusan>/", views.putuskan_gabung, name="putuskan_gabung"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.sunting, name="ubah"),
    path("<int:pk>/marc/", views.sunting_marc, name="marc"),
    path("<int:salin_dari>/salin/", views.buat, name="salin"),
    path("<int:pk>/eksemplar/tambah/", views.tambah_eksemplar, name="tambah_eksemplar"),
    path("<int:pk>/eksemplar/pindah/", views.pindah_eksemplar, name="pindah_eksemplar"),
    path("<int:pk>/label/", views.label, name="label"),
    path("<int:pk>/opac/", views.atur_tampil_opac, name="tampil_opac"),
    path("eksemplar/<int:pk>/ubah/", views.ubah_eksemplar, name="ubah_eksemplar"),
    path("<int:pk>/digital/", views.tambah_digital, name="tambah_digital"),
    path("<int:pk>/digital/<int:sumber_pk>/hapus/", views.hapus_digital, name="hapus_digital"),
    re_path(
        r"^eksemplar/(?P<pk>\d+)/(?P<aksi>tarik|hilang|perbaikan|kembali)/$",
        views.aksi_eksemplar,
        name="aksi_eksemplar",
    ),
]
