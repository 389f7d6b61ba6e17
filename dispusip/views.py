from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dispusip import akses, audit, forms, services
from dispusip.http import AuthedRequest, HtmxHttpRequest, alamat_klien
from dispusip.models import AuditLog, Cabang, Job, Unit
from dispusip.registry import registry

AUDIT_PER_HALAMAN = 50


def staf_required(view):
    """Logged in, and a staff member (has a unit); members and strangers get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.adalah_staf:
            raise PermissionDenied(_("Halaman ini hanya untuk staf Dispusip."))
        return view(request, *args, **kwargs)

    return wrapper


def _get_job_for_user(request: AuthedRequest, pk: int) -> Job:
    # One query on the hot path: the job page polls this every second.
    job = Job.objects.terlihat_oleh(request.user).select_related("started_by").filter(pk=pk).first()
    if job is None:
        if Job.objects.filter(pk=pk).exists():
            raise PermissionDenied(_("Pekerjaan ini milik orang lain."))
        raise Http404(_("Pekerjaan tidak ditemukan."))
    return job


@require_GET
def beranda(request: HtmxHttpRequest) -> HttpResponse:
    units = Unit.objects.aktif().prefetch_related(
        Prefetch("cabang", queryset=Cabang.objects.filter(aktif=True).order_by("nama"))
    )
    return render(
        request,
        "dispusip/beranda.html",
        {"units": units, "home_sections": registry.home_sections},
    )


@require_GET
@login_required
def dasbor(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.adalah_staf:
        # Members log in through the same form and land on their own pages.
        if registry.member_home:
            return redirect(registry.member_home)
        raise PermissionDenied(_("Halaman ini hanya untuk staf Dispusip."))
    unit = akses.unit_lingkup(user)
    cards = [(card, card.context(request)) for card in registry.cards_for(user)]
    return render(
        request,
        "dispusip/dasbor.html",
        {
            "modul": registry.nav_for(user),
            "kartu": cards,
            "statistik": registry.compute_statistics(unit),
            "lingkup": unit or _("Seluruh provinsi"),
            "form_cabang": forms.CabangKerjaForm(
                pilihan=services.cabang_pilihan(user),
                initial={"cabang": user.cabang_aktif},
            ),
        },
    )


@require_POST
@staf_required
def ganti_cabang(request: AuthedRequest) -> HttpResponse:
    form = forms.CabangKerjaForm(request.POST, pilihan=services.cabang_pilihan(request.user))
    if form.is_valid():
        cabang = form.cleaned_data["cabang"]
        services.ganti_cabang_kerja(pengguna=request.user, cabang=cabang)
        messages.success(request, _("Anda sekarang bertugas di %(cabang)s.") % {"cabang": cabang})
    else:
        messages.error(
            request, _("Cabang tidak dapat dipilih: %(err)s") % {"err": forms.kesalahan_teks(form)}
        )
    kembali = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        kembali, {request.get_host()}, require_https=request.is_secure()
    ):
        kembali = "dasbor"
    return redirect(kembali)


@require_GET
@staf_required
@permission_required("dispusip.view_auditlog", raise_exception=True)
def audit_daftar(request: AuthedRequest) -> HttpResponse:
    form = forms.SaringAuditForm(request.GET or None)
    qs = AuditLog.objects.select_related("unit", "cabang", "object_type")
    if form.is_bound and form.is_valid():
        qs = qs.saring(**form.saringan())
    try:
        sebelum = int(request.GET.get("sebelum", "")) or None
    except ValueError:
        sebelum = None
    entri = list(qs.halaman_setelah(sebelum, AUDIT_PER_HALAMAN + 1))
    berikutnya = entri[AUDIT_PER_HALAMAN - 1].pk if len(entri) > AUDIT_PER_HALAMAN else None
    query = request.GET.copy()
    query.pop("sebelum", None)
    template = "dispusip/audit_daftar.html"
    if request.htmx:
        template += "#hasil"
    return render(
        request,
        template,
        {
            "form": form,
            "entri": entri[:AUDIT_PER_HALAMAN],
            "berikutnya": berikutnya,
            "halaman_pertama": sebelum is None,
            "query": query.urlencode(),
        },
    )


@require_POST
@staf_required
@permission_required("dispusip.view_auditlog", raise_exception=True)
def audit_ekspor(request: AuthedRequest) -> HttpResponse:
    form = forms.SaringAuditForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Periksa kembali saringan: %(err)s") % {"err": forms.kesalahan_teks(form)}
        )
        return redirect("audit_daftar")
    job = audit.mulai_ekspor(oleh=request.user, saringan=form.parameter(), ip=alamat_klien(request))
    return redirect(job)


@require_GET
@staf_required
def job_daftar(request: AuthedRequest) -> HttpResponse:
    daftar = (
        Job.objects.terlihat_oleh(request.user)
        .select_related("started_by")
        .order_by("-created_at")[:100]
    )
    return render(request, "dispusip/job_daftar.html", {"daftar": daftar})


@never_cache
@require_GET
@staf_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    if request.htmx:
        response = render(request, "dispusip/job_detail.html#status", {"job": job})
        if job.selesai:
            response.status_code = 286  # htmx stops polling on 286
        return response
    return render(request, "dispusip/job_detail.html", {"job": job})


@require_GET
@staf_required
def job_unduh(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    if not job.result_file:
        raise Http404(_("Pekerjaan ini tidak punya berkas hasil."))
    try:
        berkas = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas hasil sudah dihapus karena melewati masa simpan.")) from None
    nama = job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(berkas, as_attachment=True, filename=nama)


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    """For load balancers and docker compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


ROBOTS_SELALU = ["/staf/", "/akun/", "/admin/", "/i18n/"]


@require_GET
def robots_txt(request) -> HttpResponse:
    """Crawlers may read public pages, but not search permutations, APIs or the back office."""
    baris = ["User-agent: *"]
    baris += [f"Disallow: {p}" for p in [*ROBOTS_SELALU, *registry.robots_disallow]]
    return HttpResponse("\n".join(baris) + "\n", content_type="text/plain; charset=utf-8")
