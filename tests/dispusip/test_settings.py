"""Settings fail loudly on bad or missing configuration, and boot nothing in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dispusip import env

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "produksi-rahasia-yang-panjang-sekali-1234567890",
    "DJANGO_ALLOWED_HOSTS": "portal.dispusip.example",
    "DATABASE_URL": "postgres://dispusip:rahasia@db.example:5432/dispusip",
    "REDIS_URL": "redis://redis.example:6379/0",
}


def _import_settings(extra: dict, code: str = "from django.conf import settings; settings.DEBUG"):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environ.update(extra)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dispusip.settings'; {code}",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_refuses_to_start_without_required_variables(missing):
    result = _import_settings({k: v for k, v in PRODUCTION.items() if k != missing})
    assert result.returncode != 0
    assert f"{missing} is required when DJANGO_DEBUG is off" in result.stderr


def test_production_settings_import_without_starting_embedded_services(tmp_path):
    result = _import_settings({**PRODUCTION, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.iterdir())


def test_production_without_urls_fails_instead_of_starting_embedded_services(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = _import_settings({**env, "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DATABASE_URL is required" in result.stderr
    assert not list(tmp_path.iterdir())  # no pgdata, no redis socket, no lock files


def test_healthz_answers_plain_http_in_production(tmp_path):
    from django.db import connection

    result = _import_settings(
        {
            **PRODUCTION,
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": env.database_to_url(connection.settings_dict),
        },
        code="django.setup(); from django.test import Client; c = Client(); "
        "r = c.get('/healthz', HTTP_HOST='portal.dispusip.example'); "
        "r2 = c.get('/', HTTP_HOST='portal.dispusip.example'); "
        "print(r.status_code, r2.status_code)",
    )
    # The probe is answered over plain HTTP; every other page redirects to HTTPS.
    assert result.stdout.split()[-2:] == ["200", "301"], result.stderr


def test_a_bad_boolean_names_the_variable():
    result = _import_settings({**PRODUCTION, "DJANGO_DEBUG": "ya dong"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_FLAG", "TRUE")
    assert env.env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env.env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "")
    assert env.env_bool("X_FLAG", True) is True
    monkeypatch.setenv("X_FLAG", "kadang")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env.env_bool("X_FLAG", True)


def test_env_int(monkeypatch):
    monkeypatch.setenv("X_N", "12")
    assert env.env_int("X_N", 1) == 12
    monkeypatch.setenv("X_N", "dua belas")
    with pytest.raises(ImproperlyConfigured, match="X_N must be a whole number"):
        env.env_int("X_N", 1)
    monkeypatch.setenv("X_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("X_N", 1, minimum=0)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_L", " a.example, b.example ,,")
    assert env.env_list("X_L") == ["a.example", "b.example"]


def test_database_url_round_trips():
    parsed = env.database_from_url("postgres://u%40x:p%2Fw@db:5433/dispusip?sslmode=require")
    assert parsed["USER"] == "u@x"
    assert parsed["PASSWORD"] == "p/w"
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == ("db", "5433", "dispusip")
    assert parsed["OPTIONS"] == {"sslmode": "require"}
    again = env.database_from_url(env.database_to_url(parsed))
    assert again == parsed


def test_database_url_with_a_socket_directory():
    parsed = env.database_from_url("postgresql://postgres:@/dispusip?host=/srv/var/pgdata")
    assert parsed["HOST"] == "/srv/var/pgdata"
    assert env.database_from_url(env.database_to_url(parsed)) == parsed


@pytest.mark.parametrize(
    "url, message",
    [
        ("sqlite:///db.sqlite3", "only engine"),
        ("postgres://db:5432/", "must name a database"),
        ("postgres://db:porta/x", "bad port"),
    ],
)
def test_bad_database_urls_are_refused(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env.database_from_url(url)


def test_redis_urls_for_celery():
    assert (
        env.celery_url_from_redis("unix:///srv/var/redis.sock")
        == "redis+socket:///srv/var/redis.sock"
    )
    assert env.celery_url_from_redis("redis://r:6379/2") == "redis://r:6379/2"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.celery_url_from_redis("http://r")


def test_email_urls():
    smtp = env.email_from_url("smtp://user:sandi@mail.example:587?tls=true")
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_USE_TLS"] is True
    assert env.email_from_url("smtps://mail.example")["EMAIL_PORT"] == 465
    assert env.email_from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.email_from_url("pigeon://coop")


def test_proxy_header_must_have_two_parts():
    result = _import_settings(
        {**PRODUCTION, "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER must be" in result.stderr


def test_env_rate(monkeypatch):
    from dispusip.env import env_rate

    assert env_rate("OPAC_RATE", "120/60") == "120/60"
    monkeypatch.setenv("OPAC_RATE", "0/60")
    assert env_rate("OPAC_RATE", "120/60") == "0/60"
    for salah in ("60", "60/0", "enam/60", "60/60/60"):
        monkeypatch.setenv("OPAC_RATE", salah)
        with pytest.raises(ImproperlyConfigured, match="OPAC_RATE must look like 60/60"):
            env_rate("OPAC_RATE", "120/60")
