"""Small readers for environment variables that fail loudly on bad values.

Settings read every variable through these, so a typo in production stops the
process at start-up with a message naming the variable, instead of running
with a silent default.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name).lower()
    if not raw:
        return default
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_rate(name: str, default: str) -> str:
    """A request limit "<requests>/<seconds>", e.g. "60/60"; "0/60" means no limit."""
    raw = env_str(name, default)
    if not re.fullmatch(r"\d+/[1-9]\d*", raw):
        raise ImproperlyConfigured(f"{name} must look like 60/60 (requests/seconds), got {raw!r}")
    return raw


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str, *, why: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is required {why}")
    return value


def database_from_url(url: str) -> dict:
    """postgres://user:pw@host:port/name?sslmode=..  or  postgresql://u:@/name?host=/socket/dir"""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (PostgreSQL is the only engine), "
            f"got scheme {parts.scheme!r}"
        )
    query = dict(parse_qsl(parts.query))
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"DATABASE_URL has a bad port: {url!r}") from None
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgres://…/dispusip")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", None) or parts.hostname or "",
        "PORT": str(port or query.pop("port", "") or ""),
        "OPTIONS": query,
    }


def database_to_url(settings_dict: dict) -> str:
    """The inverse of database_from_url, for handing a database to a child process."""
    from urllib.parse import quote, urlencode

    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if user or password else ""
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    query = dict(settings_dict.get("OPTIONS") or {})
    netloc = credentials
    if host.startswith("/"):
        query["host"] = host
    else:
        netloc += host + (f":{port}" if port else "")
    if port and host.startswith("/"):
        query["port"] = port
    qs = f"?{urlencode(query)}" if query else ""
    return f"postgresql://{netloc}/{quote(settings_dict['NAME'])}{qs}"


def celery_url_from_redis(url: str) -> str:
    """Kombu spells a Redis unix socket as redis+socket:///path; redis-py as unix:///path."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        db = query.get("db")
        return f"redis+socket://{parts.path}" + (f"?virtual_host={db}" if db else "")
    if parts.scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(
            f"REDIS_URL must be redis://, rediss:// or unix://, got scheme {parts.scheme!r}"
        )
    return url


def email_from_url(url: str) -> dict:
    """smtp://user:pass@host:587?tls=true  |  smtps://…:465  |  console://  |  locmem://"""
    parts = urlsplit(url)
    query = {k: v.lower() for k, v in parse_qsl(parts.query)}
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(sorted(backends))}://, "
            f"got {parts.scheme!r}"
        )
    config = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls") in TRUE,
        )
    return config
