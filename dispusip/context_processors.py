from django.conf import settings

from dispusip.registry import registry


def portal(request):
    """Navigation and the header's working-branch switch, for every page."""
    user = getattr(request, "user", None)
    context = {
        "LANGUAGES_PORTAL": settings.LANGUAGES,
        "nav_staf": [],
        "nav_publik": sorted(registry.public_nav, key=lambda e: e.order),
        "beranda_anggota": None,
        "petunjuk_masuk": registry.login_hints,
    }
    if user is not None and user.is_authenticated and user.adalah_staf:
        context["nav_staf"] = registry.nav_for(user)
    elif user is not None and user.is_authenticated:
        context["beranda_anggota"] = registry.member_home
    return context
