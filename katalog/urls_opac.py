from django.urls import path, re_path

from katalog import views_opac as views

app_name = "opac"

urlpatterns = [
    path("", views.cari, name="cari"),
    path("lanjutan/", views.lanjutan, name="lanjutan"),
    path("saran/", views.saran, name="saran"),
    path("<int:pk>/", views.rekaman, name="rekaman"),
    re_path(r"^(?P<pk>\d+)/kutipan\.(?P<format>ris|bib)$", views.kutip, name="kutip"),
    re_path(r"^(?P<pk>\d+)/marc\.(?P<format>xml|mrc)$", views.unduh_marc, name="marc"),
    path("<int:pk>/digital/<int:sumber_pk>/", views.sumber_digital, name="sumber_digital"),
]
