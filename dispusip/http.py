"""Typed request classes for views (django-stubs style)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from dispusip.models import Pengguna


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    user: Pengguna
