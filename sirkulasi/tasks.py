"""Celery tasks of circulation: thin wrappers over services."""

from celery import shared_task

from sirkulasi import digital, pemberitahuan, services
from sirkulasi.models import Anggota


@shared_task(name="sirkulasi.kedaluwarsakan_reservasi")
def kedaluwarsakan_reservasi_task() -> int:
    """Daily: holds not picked up in time expire and their copies serve the next in line."""
    return services.kedaluwarsakan_reservasi()


@shared_task(name="sirkulasi.kirim_pemberitahuan")
def kirim_pemberitahuan_task() -> dict[str, int]:
    """Every quarter hour: due-soon, overdue, hold and membership notices, each once."""
    return pemberitahuan.kirim_pemberitahuan()


@shared_task(name="sirkulasi.anonimkan_riwayat")
def anonimkan_riwayat_task() -> dict[str, int]:
    """Nightly: old loan and visit history loses the member link (UU 27/2022)."""
    return services.anonimkan_riwayat()


@shared_task(name="sirkulasi.akhiri_pinjaman_digital")
def akhiri_pinjaman_digital_task() -> dict[str, int]:
    """Every few minutes: digital loans end on time and freed licences are offered."""
    return digital.akhiri_yang_lewat()


@shared_task(name="sirkulasi.kirim_struk", acks_late=True)
def kirim_struk_task(anggota_id: int, cabang_nama: str) -> str:
    """The desk's "email the slip" button, sent off the request."""
    return pemberitahuan.kirim_struk(Anggota.objects.get(pk=anggota_id), cabang_nama)
