"""Every core view: anonymous, forbidden and allowed."""

import pytest
from django.urls import reverse

from dispusip import audit
from dispusip.models import Cabang, Job

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["dasbor", "job_daftar"]


def test_home_page_is_public_and_lists_units_and_branches(client, data_induk):
    response = client.get(reverse("beranda"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perpustakaan Jakarta Cikini" in html
    assert "PDS H.B. Jassin" in html
    assert "Jl. Pulau Pramuka No. 9" in html
    assert response["Content-Language"] == "id"


def test_home_page_speaks_english_when_chosen(client, data_induk):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("beranda"))
    assert response["Content-Language"] == "en"
    assert "Service units and locations" in response.content.decode()


def test_home_page_ignores_the_browsers_language(client, data_induk):
    response = client.get(reverse("beranda"), headers={"accept-language": "en-US,en"})
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for n in STAFF_PAGES if n != "dasbor"])
def test_staff_pages_refuse_members(client, anggota, name):
    client.force_login(anggota)
    assert client.get(reverse(name)).status_code == 403


def test_the_dashboard_sends_members_to_the_member_home(client, anggota):
    """Members log in through the same form; the app that owns them names their page."""
    from dispusip.registry import registry

    client.force_login(anggota)
    response = client.get(reverse("dasbor"))
    assert response.status_code == 302
    assert response["Location"] == reverse(registry.member_home)


def test_dashboard_shows_unit_roles_and_only_the_modules_the_role_opens(client, staf_a):
    client.force_login(staf_a)
    html = client.get(reverse("dasbor")).content.decode()
    assert "Sudin Jakarta Pusat" in html
    assert "Pustakawan Sirkulasi" in html
    assert "Perpustakaan Jakarta Pusat" in html  # working branch
    assert reverse("job_daftar") in html
    assert reverse("audit_daftar") not in html
    assert reverse("admin:index") not in html


def test_dashboard_of_an_administrator_opens_audit_and_admin(client, admin_dispusip):
    client.force_login(admin_dispusip)
    html = client.get(reverse("dasbor")).content.decode()
    assert reverse("audit_daftar") in html
    assert reverse("admin:index") in html
    assert "Seluruh provinsi" in html


def test_dashboard_statistics_are_scoped_to_the_unit(client, staf_a, rekan_a, orang_luar):
    client.force_login(staf_a)
    response = client.get(reverse("dasbor"))
    stats = {str(p.label): value for p, value in response.context["statistik"]}
    assert stats["Staf aktif"] == 2  # sari and rudi, not budi
    assert stats["Cabang aktif"] == Cabang.objects.filter(unit__kode="jakpus").count()


def test_dashboard_rejects_post(client, staf_a):
    client.force_login(staf_a)
    assert client.post(reverse("dasbor")).status_code == 405


def test_switching_to_a_branch_of_the_own_unit(client, staf_a):
    from tests.factories import CabangFactory

    menteng = CabangFactory(nama="Perpustakaan Kecamatan Menteng")
    client.force_login(staf_a)
    response = client.post(reverse("ganti_cabang"), {"cabang": menteng.pk}, follow=True)
    staf_a.refresh_from_db()
    assert staf_a.cabang_kerja == menteng
    assert "Anda sekarang bertugas di Perpustakaan Kecamatan Menteng" in response.content.decode()


def test_switching_to_another_units_branch_is_refused(client, staf_a):
    client.force_login(staf_a)
    cikini = Cabang.objects.get(kode="cikini")
    response = client.post(reverse("ganti_cabang"), {"cabang": cikini.pk}, follow=True)
    staf_a.refresh_from_db()
    assert staf_a.cabang_kerja is None
    assert "Cabang tidak dapat dipilih" in response.content.decode()


def test_switching_branch_requires_login_and_post(client, staf_a):
    assert client.post(reverse("ganti_cabang")).status_code == 302
    client.force_login(staf_a)
    assert client.get(reverse("ganti_cabang")).status_code == 405


def test_audit_log_is_for_administrators_only(client, staf_a, pimpinan):
    assert client.get(reverse("audit_daftar")).status_code == 302
    for user in (staf_a, pimpinan):
        client.force_login(user)
        assert client.get(reverse("audit_daftar")).status_code == 403


def test_audit_log_lists_and_filters(client, admin_dispusip, staf_a):
    audit.catat(aksi="pengguna.peran", oleh=admin_dispusip, objek=staf_a)
    audit.catat(aksi="cabang.diubah", oleh=admin_dispusip)
    client.force_login(admin_dispusip)
    html = client.get(reverse("audit_daftar")).content.decode()
    assert "<code>pengguna.peran</code>" in html and "<code>cabang.diubah</code>" in html
    html = client.get(reverse("audit_daftar"), {"aksi": "cabang"}).content.decode()
    assert "<code>pengguna.peran</code>" not in html and "<code>cabang.diubah</code>" in html


def test_audit_log_pages_with_a_keyset_link(client, admin_dispusip, django_assert_max_num_queries):
    for n in range(55):
        audit.catat(aksi=f"uji.{n:02d}", oleh=admin_dispusip)
    client.force_login(admin_dispusip)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("audit_daftar"))
    assert len(response.context["entri"]) == 50
    nxt = response.context["berikutnya"]
    page2 = client.get(reverse("audit_daftar"), {"sebelum": nxt})
    assert len(page2.context["entri"]) == 5
    assert page2.context["berikutnya"] is None


def test_audit_log_htmx_request_gets_only_the_results(client, admin_dispusip):
    client.force_login(admin_dispusip)
    response = client.get(reverse("audit_daftar"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="hasil"' in html
    assert "<html" not in html


def test_audit_log_shows_field_errors_in_indonesian(client, admin_dispusip):
    client.force_login(admin_dispusip)
    html = client.get(
        reverse("audit_daftar"), {"dari": "2025-02-01", "sampai": "2025-01-01"}
    ).content.decode()
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in html


def test_export_starts_a_job_and_opens_its_page(client, admin_dispusip):
    client.force_login(admin_dispusip)
    response = client.post(reverse("audit_ekspor"), {"aksi": "pengguna"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.params["filter"] == {"aksi": "pengguna"}


def test_export_is_refused_to_non_administrators_and_get(client, staf_a, admin_dispusip):
    client.force_login(staf_a)
    assert client.post(reverse("audit_ekspor")).status_code == 403
    client.force_login(admin_dispusip)
    assert client.get(reverse("audit_ekspor")).status_code == 405
    assert not Job.objects.exists()


def test_export_with_bad_filters_says_why_and_starts_nothing(client, admin_dispusip):
    client.force_login(admin_dispusip)
    response = client.post(reverse("audit_ekspor"), {"dari": "kemarin"}, follow=True)
    assert "Periksa kembali saringan" in response.content.decode()
    assert not Job.objects.exists()


@pytest.fixture
def job_sari(staf_a):
    return Job.objects.create(kind="audit.ekspor", started_by=staf_a, total=10, done=4)


def test_job_page_is_for_its_owner(client, job_sari, staf_a, rekan_a, admin_dispusip):
    url = reverse("job_detail", args=[job_sari.pk])
    assert client.get(url).status_code == 302
    client.force_login(rekan_a)
    assert client.get(url).status_code == 403
    client.force_login(staf_a)
    response = client.get(url)
    assert response.status_code == 200
    assert 'aria-valuenow="40"' in response.content.decode()
    client.force_login(admin_dispusip)
    assert client.get(url).status_code == 200


def test_job_page_polls_while_running_and_stops_when_done(client, job_sari, staf_a):
    client.force_login(staf_a)
    url = reverse("job_detail", args=[job_sari.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()
    Job.objects.filter(pk=job_sari.pk).update(status=Job.Status.SUCCEEDED, done=10)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 286  # htmx: stop polling
    assert "every 1s" not in response.content.decode()


def test_job_list_shows_own_jobs_only(client, job_sari, rekan_a, staf_a):
    client.force_login(rekan_a)
    assert job_sari not in client.get(reverse("job_daftar")).context["daftar"]
    client.force_login(staf_a)
    assert job_sari in client.get(reverse("job_daftar")).context["daftar"]


def test_download_serves_the_file_to_its_owner_only(client, job_sari, staf_a, rekan_a):
    from django.core.files.base import ContentFile

    url = reverse("job_unduh", args=[job_sari.pk])
    client.force_login(staf_a)
    assert client.get(url).status_code == 404  # no file yet
    job_sari.result_file.save("hasil.xlsx", ContentFile(b"PK-data"), save=True)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK-data"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(rekan_a)
    assert client.get(url).status_code == 403


def test_unknown_page_gets_the_indonesian_404(client, data_induk):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_healthz_answers_ok(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_dashboard_card_lists_the_users_recent_jobs(client, staf_a, rekan_a):
    client.force_login(staf_a)
    assert "Pekerjaan terakhir saya" not in client.get(reverse("dasbor")).content.decode()
    mine = Job.objects.create(kind="audit.ekspor", started_by=staf_a)
    theirs = Job.objects.create(kind="audit.ekspor", started_by=rekan_a)
    html = client.get(reverse("dasbor")).content.decode()
    assert "Pekerjaan terakhir saya" in html
    assert mine.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html


def test_csrf_failure_page_is_indonesian(data_induk):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formulir tidak dapat dikirim" in response.content.decode()


def test_switching_branch_never_redirects_off_site(client, staf_a):
    client.force_login(staf_a)
    response = client.post(
        reverse("ganti_cabang"), {"cabang": staf_a.cabang_id, "next": "https://jahat.example/"}
    )
    assert response["Location"] == reverse("dasbor")


@pytest.mark.parametrize("name", ["audit_ekspor", "ganti_cabang"])
def test_posting_staff_actions_as_a_member_is_refused(client, anggota, name):
    assert client.post(reverse(name)).status_code == 302  # anonymous: to login
    client.force_login(anggota)
    assert client.post(reverse(name)).status_code == 403


def test_downloads_are_refused_to_members_and_anonymous(client, job_sari, anggota):
    url = reverse("job_unduh", args=[job_sari.pk])
    assert client.get(url).status_code == 302
    client.force_login(anggota)
    assert client.get(url).status_code == 403


def test_export_through_the_view_is_audited_with_the_client_address(
    client, admin_dispusip, settings
):
    settings.DJANGO_PROXY_COUNT = 1
    client.force_login(admin_dispusip)
    client.post(
        reverse("audit_ekspor"),
        {"aksi": "pengguna"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    from dispusip.models import AuditLog

    assert AuditLog.objects.get(action="audit.ekspor").ip_address == "203.0.113.7"


def test_client_address_without_a_proxy_is_the_socket_peer(rf, settings):
    from dispusip.http import alamat_klien

    settings.DJANGO_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert alamat_klien(request) == "10.0.0.2"
    settings.DJANGO_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert alamat_klien(request) == "10.0.0.2"  # fewer hops than proxies: not trusted


def test_a_job_that_does_not_exist_is_a_404(client, staf_a):
    client.force_login(staf_a)
    assert client.get(reverse("job_detail", args=[999999])).status_code == 404
