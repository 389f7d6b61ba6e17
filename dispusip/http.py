"""Typed request classes for views (django-stubs style)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from dispusip.models import Pengguna


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    user: Pengguna


def alamat_klien(request: HttpRequest) -> str | None:
    """The client's IP address, as login throttling and the audit log record it.

    Behind DJANGO_PROXY_COUNT trusted reverse proxies, each proxy appends the
    address it saw to X-Forwarded-For, so the client is that many entries from
    the right; anything further left was written by the client and is not trusted.
    """
    from django.conf import settings

    proxies = settings.DJANGO_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
