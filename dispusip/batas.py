"""Per-client request limits for public endpoints that crawlers hammer.

A fixed window per client address in the shared cache (Redis), so every web
process of a deployment counts together. Limits are settings of the form
"<requests>/<seconds>", e.g. OPAC_API_RATE = "60/60".
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from dispusip.http import alamat_klien


def _aturan(nama_setting: str) -> tuple[int, int]:
    jumlah, _sep, detik = getattr(settings, nama_setting).partition("/")
    return int(jumlah), int(detik or 60)


def melewati_batas(request, lingkup: str, nama_setting: str) -> int:
    """Count this request; return 0 if allowed, else the seconds until the window ends."""
    jumlah, detik = _aturan(nama_setting)
    if jumlah <= 0:
        return 0
    jendela = int(time.time() // detik)
    kunci = f"batas:{lingkup}:{alamat_klien(request)}:{jendela}"
    cache.add(kunci, 0, timeout=detik + 1)
    try:
        nilai = cache.incr(kunci)
    except ValueError:  # expired between add and incr
        cache.set(kunci, 1, timeout=detik + 1)
        nilai = 1
    if nilai <= jumlah:
        return 0
    return max(1, (jendela + 1) * detik - int(time.time()))


def batasi(lingkup: str, nama_setting: str, *, json: bool = False):
    """Answer 429 with Retry-After once a client exceeds the limit in `nama_setting`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            tunggu = melewati_batas(request, lingkup, nama_setting)
            if not tunggu:
                return view(request, *args, **kwargs)
            pesan = ngettext(
                "Terlalu banyak permintaan. Coba lagi dalam %(n)d detik.",
                "Terlalu banyak permintaan. Coba lagi dalam %(n)d detik.",
                tunggu,
            ) % {"n": tunggu}
            response: HttpResponse
            if json:
                response = JsonResponse({"galat": pesan}, status=429)
            else:
                response = render(request, "429.html", {"pesan": pesan}, status=429)
            response["Retry-After"] = str(tunggu)
            return response

        return wrapper

    return decorator
