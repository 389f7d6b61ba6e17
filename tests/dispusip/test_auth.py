"""Logging in: by username, email or an app's identifier; throttling; admin access."""

import pytest
from django.core import mail
from django.urls import reverse

from dispusip.registry import registry
from tests.factories import PASSWORD, PenggunaFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_logs_in_by_username_and_lands_on_the_dashboard(client, staf_a):
    response = _login(client, "sari")
    assert response.status_code == 302
    assert response["Location"] == reverse("dasbor")


def test_login_by_email_when_the_password_matches_one_account(client, staf_a):
    PenggunaFactory(username="keluarga", email=staf_a.email, password="lain-sekali-99")
    response = _login(client, staf_a.email.upper())
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staf_a.pk


def test_login_by_email_is_refused_when_two_accounts_share_email_and_password(client, staf_a):
    PenggunaFactory(username="kembaran", email=staf_a.email)
    response = _login(client, staf_a.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_through_a_registered_resolver(client, anggota):
    def by_member_number(identifier):
        return [anggota] if identifier == "A-0012345" else []

    registry.add_login_resolver(by_member_number)
    try:
        assert _login(client, "A-0012345").status_code == 302
    finally:
        registry.login_resolvers.remove(by_member_number)


def test_a_wrong_password_shows_an_indonesian_error(client, staf_a):
    response = _login(client, "sari", "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_inactive_accounts_cannot_log_in(client, staf_a):
    staf_a.is_active = False
    staf_a.save()
    assert _login(client, "sari").status_code == 200


def test_repeated_failures_lock_the_username(client, staf_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "sari", "salah")
    response = _login(client, "sari")  # the right password, too late
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert "Coba lagi setelah 15 mnt." in html


def test_logout_needs_post(client, staf_a):
    client.force_login(staf_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, staf_a):
    client.force_login(staf_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Buku-baru-2026!",
            "new_password2": "Buku-baru-2026!",
        },
    )
    assert response.status_code == 302
    staf_a.refresh_from_db()
    assert staf_a.check_password("Buku-baru-2026!")


def test_password_reset_sends_an_email_with_a_link(client, staf_a):
    response = client.post(reverse("password_reset"), {"email": staf_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/akun/sandi/atur/" in mail.outbox[0].body
    assert "sari" in mail.outbox[0].body


def test_django_admin_is_for_administrators_only(client, staf_a, admin_dispusip):
    client.force_login(staf_a)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login
    client.force_login(admin_dispusip)
    assert client.get(reverse("admin:index")).status_code == 200
