from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dispusip import views, views_impor
from dispusip.registry import registry

akun = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sandi/lupa/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

staf = [
    path("", views.dasbor, name="dasbor"),
    path("cabang/", views.ganti_cabang, name="ganti_cabang"),
    path("audit/", views.audit_daftar, name="audit_daftar"),
    path("audit/ekspor/", views.audit_ekspor, name="audit_ekspor"),
    path("impor/", views_impor.unggah, name="impor"),
    path("impor/jalankan/", views_impor.jalankan, name="impor_jalankan"),
    path("job/", views.job_daftar, name="job_daftar"),
    path("job/<int:pk>/", views.job_detail, name="job_detail"),
    path("job/<int:pk>/unduh/", views.job_unduh, name="job_unduh"),
]

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("akun/", include(akun)),
    path("staf/", include(staf)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    # Apps mount their own URLconfs through the registry: the core names none.
    *(path(prefix, include(module)) for prefix, module in registry.urls),
]
