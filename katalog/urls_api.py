from django.urls import path

from katalog import api

app_name = "api_katalog"

urlpatterns = [
    path("", api.cari, name="cari"),
    path("saran/", api.saran, name="saran"),
    path("<int:pk>/", api.rekaman, name="rekaman"),
]
