"""Statistics and dashboard cards the core provides through the registry."""

from dispusip.models import Cabang, Job, Pengguna, Unit


def cabang_aktif(unit: Unit | None) -> int:
    return Cabang.objects.aktif().milik_unit(unit).count()


def staf_aktif(unit: Unit | None) -> int:
    return Pengguna.objects.staf(unit).count()


def punya_job(user: Pengguna) -> bool:
    return Job.objects.filter(started_by=user).exists()


def kartu_job_terakhir(request) -> dict:
    jobs = Job.objects.filter(started_by=request.user).order_by("-created_at")[:5]
    return {"jobs": jobs}
